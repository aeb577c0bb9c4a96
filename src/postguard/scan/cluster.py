"""DaskRunner: the scan's batches checked on a Dask distributed cluster, each worker loading the models once.

The policy goes to every worker once (scattered); each worker builds one Checker for it on its first
batch and keeps it. Batches are submitted a few per worker ahead and read back in order.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from postguard.errors import InputError
from postguard.pool import check_posts

if TYPE_CHECKING:
    from postguard.engine import Checker
    from postguard.policy import Policy
    from postguard.pool import Task

# Checkers built on this worker process, by policy fingerprint.
_CHECKERS: "dict[str, Checker]" = {}


def client_for(address: str) -> Any:
    """A ``distributed.Client`` for ``address``, or an error saying which extra to install."""
    try:
        from distributed import Client
    except ImportError:
        raise InputError("--dask needs Dask distributed: pip install 'postguard[dask]'") from None
    return Client(address)


class DaskRunner:
    """Check batches of posts for one policy on the workers of the cluster at ``address``."""

    def __init__(self, address: "str | Any", policy: "Policy", platform: str = "generic") -> None:
        self._own = isinstance(address, str)
        self.client = client_for(address) if self._own else address
        workers = max(1, len(self.client.scheduler_info().get("workers", {})))
        self.in_flight = 2 * workers
        self.platform = platform
        # The policy's contents and where it came from (pack paths are relative to it) name its checker.
        self.key = hashlib.sha256(f"{policy.source}\n{policy.model_dump_json()}".encode()).hexdigest()[:16]
        [self._policy] = self.client.scatter([policy], broadcast=True, hash=False)

    def map(self, batches: Iterable[Sequence], task: "Task | None" = None) -> Iterator[list]:
        """Reports for each batch (or what ``task`` makes of it), in order; a worker's error raised here."""
        pending: deque = deque()
        for batch in batches:
            pending.append(self.client.submit(_run_batch, list(batch), self.key, self._policy, self.platform,
                                              task or check_posts, pure=False))
            if len(pending) >= self.in_flight:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()

    def close(self) -> None:
        if self._own:
            self.client.close()


def _run_batch(batch: list, key: str, policy: "Policy", platform: str, task: "Task") -> list:
    checker = _CHECKERS.get(key)
    if checker is None:
        from postguard.engine import Checker

        checker = _CHECKERS[key] = Checker(policy, platform)
    return task(checker, checker.policy, batch)
