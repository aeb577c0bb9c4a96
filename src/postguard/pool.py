"""CheckPool: batches of posts checked on every core by worker processes that share one loaded checker.

Where ``fork`` exists the workers are forked after the checker has loaded its models and rules, so
they share those pages with the parent (copy-on-write) and start at once; elsewhere each worker
builds its own checker once, when it starts. A worker sends back the batch's reports, or what a
task makes of them there (a scan's compact, ready-written rows). Results come back in the order the
batches went in, and at most a few batches per worker are in flight, so a stream of any length runs
in flat memory.
"""

from __future__ import annotations

import itertools
import multiprocessing
import signal
import weakref
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from postguard.engine import Checker
    from postguard.policy import Policy
    from postguard.post import Post
    from postguard.report import Report

# What each pool's workers check with, by pool: set in the parent before forking (kept while the
# pool lives, for a worker it restarts), or by ``_start`` under spawn. The checker is held weakly,
# so a checker that is no longer used can be collected, and its pool ended with it.
_WORKERS: "dict[int, tuple[Callable[[], Checker | None], Policy]]" = {}

#: What a worker does with one batch: ``task(checker, policy, batch)``, a list back. A module-level
#: function (or a ``functools.partial`` of one), so that it pickles by name.
Task = Callable[["Checker", "Policy", list], list]


class CheckPool:
    """``processes`` worker processes checking batches of posts for one policy, in order."""

    def __init__(self, checker: "Checker", processes: int, policy: "Policy | None" = None) -> None:
        if processes < 1:
            from postguard.errors import InputError

            raise InputError(f"processes must be at least 1, not {processes!r}")
        self.processes = processes
        self.policy = policy or checker.policy
        # Two batches queued per worker keep every core busy while one result is read back.
        self.in_flight = 2 * processes
        self._key = id(self)
        if "fork" in multiprocessing.get_all_start_methods():
            checker.checks_for(self.policy, checker.platform)  # load before forking, not in each worker
            _WORKERS[self._key] = (weakref.ref(checker), self.policy)
            self._pool = multiprocessing.get_context("fork").Pool(processes, initializer=_ignore_interrupt)
        else:  # pragma: no cover - spawn-only platforms (Windows)
            self._pool = multiprocessing.get_context("spawn").Pool(
                processes, initializer=_start, initargs=(self._key, self.policy, checker.platform)
            )

    def map(self, batches: Iterable[Sequence], task: "Task | None" = None) -> Iterator[list]:
        """Reports for each batch of posts (or what ``task`` makes of a batch, in the worker), batch by
        batch in input order; a worker's error is raised here."""
        pending: deque = deque()
        for batch in batches:
            pending.append(self._pool.apply_async(_run_batch, (self._key, task or check_posts, list(batch))))
            if len(pending) >= self.in_flight:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()

    def close(self) -> None:
        """Stop the workers (at once: anything still queued is dropped)."""
        self._pool.terminate()
        self._pool.join()
        _WORKERS.pop(self._key, None)

    def __enter__(self) -> "CheckPool":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _ignore_interrupt() -> None:
    # Ctrl-C reaches the whole process group: the caller stops the pool; workers just wait to be ended.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _start(key: int, policy: "Policy", platform: str) -> None:  # pragma: no cover - spawn-only platforms
    from postguard.engine import Checker

    _ignore_interrupt()
    checker = Checker(policy, platform)
    _WORKERS[key] = (lambda: checker, checker.policy)


def check_posts(checker: "Checker", policy: "Policy", posts: list["Post"]) -> list["Report"]:
    """The default task: a Report for each post."""
    return checker.run_posts(posts, policy)


def _run_batch(key: int, task: "Task", batch: list) -> list:
    checker, policy = _WORKERS[key]
    return task(checker(), policy, batch)  # type: ignore[arg-type]


def batched(items: Iterable, size: int) -> Iterator[list]:
    """``items`` (a list or a stream) in consecutive lists of at most ``size``."""
    it = iter(items)
    while batch := list(itertools.islice(it, size)):
        yield batch
