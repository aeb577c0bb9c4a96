"""Memory zones: what spaCy learns from a batch's words (strings, lexemes) is freed when the batch is done.

spaCy keeps a string and a lexeme for every new word it meets, for the life of the process; social
text keeps inventing words, so a long scan or a long-running service grew by about 1 kB a post.
``batch_zone`` runs a batch inside ``nlp.memory_zone()``, which frees them at its end. Nothing made
inside a zone (a Doc, Token, Span, or a string looked up by a hash added there) may be used after
it: a batch's Reports hold plain Python strings, finished before the zone closes.

spaCy's zones must neither nest nor overlap between threads (a string another thread added while a
zone is open is freed with the zone). So a zone is opened only by a batch that runs alone: while a
zone is open, other threads' batches wait for it to close, then run together without one, as does
a batch that starts while others run. Zones start once spaCy has kept ``KEEP_STRINGS`` strings. A process that checks one batch at a time (the scan's workers, the service's
check processes) runs every batch in a zone.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator

_lock = threading.Condition()
_running = 0  # batches inside ``batch_zone`` now, zoned or not
_waiting = 0  # batches waiting for the open zone to close
_zone_owner: int | None = None  # the thread whose batch holds the open zone
_first: int | None = None  # strings in spaCy's store when the first batch ran

#: Strings spaCy keeps for good before batches run in zones. spaCy's small model comes with few
#: lexemes: a word met outside a zone is kept, with its tokenizer cache entry; in a zone even "the" is
#: made again in every batch. So the words met first (the common ones) are kept up to this budget,
#: about 5 MB, and only later words are freed. Over 3,000 tweets after 6,000 others, the pipeline's
#: CPU a tweet: 1.00 ms without zones, 1.28 ms with a zone from the first batch, 1.02 ms with this
#: budget (reached within the 6,000; without zones they left 13,729 more strings behind).
KEEP_STRINGS = 20_000


@contextlib.contextmanager
def batch_zone() -> Iterator[bool]:
    """Run a batch that uses the shared spaCy pipeline; inside a memory zone when it runs alone
    (yields whether it is)."""
    global _running, _waiting, _zone_owner, _first
    from postguard.nlp import load_nlp

    nlp = load_nlp()
    me = threading.get_ident()
    with _lock:
        nested = _zone_owner == me  # inside this thread's own zone, which stays the one zone
        if not nested:
            if _zone_owner is not None:
                _waiting += 1
                while _zone_owner is not None:
                    _lock.wait()
                _waiting -= 1
            _running += 1
            # Batches that waited together then run together, without a zone.
            strings = len(nlp.vocab.strings)
            if _first is None:
                _first = strings
            if _running == 1 and _waiting == 0 and strings - _first >= KEEP_STRINGS:
                _zone_owner = me
    if nested:
        yield True
        return
    try:
        if _zone_owner == me:
            with nlp.memory_zone():
                yield True
        else:
            yield False
    finally:
        with _lock:
            _running -= 1
            if _zone_owner == me:
                _zone_owner = None
                _lock.notify_all()


def _reset_after_fork() -> None:
    # A child forked while another thread held a zone has only the forking thread: nothing runs.
    global _lock, _running, _waiting, _zone_owner
    _lock, _running, _waiting, _zone_owner = threading.Condition(), 0, 0, None  # (_first stays)


os.register_at_fork(after_in_child=_reset_after_fork)
