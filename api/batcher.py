"""Micro-batching: requests that arrive together are checked together in one ``run_posts``.

spaCy (and the model checks) cost much less per text in a batch than one text at a time, so the
service collects whatever requests are waiting — for at most ``window`` seconds, or until
``max_texts`` — and runs them as one batch in a single worker thread, off the event loop. While a
batch runs, the next one fills up, so under load batches grow by themselves.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from postguard.policy import Policy
from postguard.post import Post
from postguard.report import Report

log = logging.getLogger("postguard.api")

RunPosts = Callable[[Sequence[Post], Policy], list[Report]]


@dataclass
class _Job:
    posts: list[Post]
    policy: Policy
    future: asyncio.Future = field(repr=False)


class MicroBatcher:
    """Coalesce concurrent check requests into batches run in one background thread."""

    def __init__(self, run: RunPosts, *, window: float = 0.001, max_texts: int = 32) -> None:
        self._run = run
        self._window = window
        self._max = max_texts
        self._queue: asyncio.Queue[_Job] | None = None
        self._task: asyncio.Task | None = None
        # One thread: the models are used from one thread at a time, and batching gives the speed.
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="postguard-check")
        self.batch_sizes: Callable[[int], None] | None = None
        # Texts waiting or being checked, and the recent peak of that (decaying): how many
        # requests are likely to come back as soon as the running batch answers them.
        self._in_flight = 0
        self._peak = 0.0
        self._peak_at = 0.0

    def start(self) -> None:
        self._queue = asyncio.Queue()
        self._task = asyncio.get_running_loop().create_task(self._loop(), name="postguard-batcher")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
        self._executor.shutdown(wait=False, cancel_futures=True)

    async def run_in_thread(self, fn: Callable, *args: object) -> object:
        """Run ``fn`` on the check thread (for start-up loading and warm-up)."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn, *args)

    async def check(self, posts: list[Post], policy: Policy) -> list[Report]:
        """Reports for ``posts`` (in order), checked in whatever batch they land in."""
        if self._queue is None:
            raise RuntimeError("the batcher is not started")
        future: asyncio.Future = asyncio.get_running_loop().create_future()
        self._in_flight += len(posts)
        self._note_peak()
        self._queue.put_nowait(_Job(posts, policy, future))
        try:
            return await future
        finally:
            self._in_flight -= len(posts)

    def _note_peak(self) -> None:
        now = time.monotonic()
        # halve the remembered peak every second, so a burst does not set the pace for long
        self._peak = max(self._in_flight, self._peak * 0.5 ** (now - self._peak_at))
        self._peak_at = now

    def _expected(self) -> int:
        self._note_peak()
        return min(self._max, int(self._peak + 0.5))

    async def _loop(self) -> None:
        assert self._queue is not None
        queue = self._queue
        while True:
            jobs = [await queue.get()]
            size = len(jobs[0].posts)
            # Take what is queued; then, while fewer texts are here than recently were in flight
            # (the clients of the batch that just finished are sending their next requests),
            # wait up to the window for them so the batch is whole rather than split in two.
            deadline = time.monotonic() + self._window
            while size < self._max:
                if not queue.empty():
                    job = queue.get_nowait()
                    jobs.append(job)
                    size += len(job.posts)
                    continue
                remaining = deadline - time.monotonic()
                if remaining <= 0 or size >= self._expected():
                    break
                await asyncio.sleep(min(remaining, 0.0005))
            jobs = [j for j in jobs if not j.future.done()]  # requests that timed out meanwhile
            if not jobs:
                continue
            if self.batch_sizes is not None:
                self.batch_sizes(sum(len(j.posts) for j in jobs))
            try:
                results = await asyncio.get_running_loop().run_in_executor(self._executor, _run_jobs, self._run, jobs)
            except Exception as exc:  # pragma: no cover - _run_jobs catches per job
                results = [exc] * len(jobs)
            for job, result in zip(jobs, results):
                if job.future.done():
                    continue
                if isinstance(result, BaseException):
                    job.future.set_exception(result)
                else:
                    job.future.set_result(result)


def _run_jobs(run: RunPosts, jobs: list[_Job]) -> list[list[Report] | BaseException]:
    """Run jobs grouped by policy; if a batch fails, retry its jobs one by one so one bad post
    fails only its own request."""
    out: list[list[Report] | BaseException | None] = [None] * len(jobs)
    groups: dict[int, list[int]] = {}
    for i, job in enumerate(jobs):
        groups.setdefault(id(job.policy), []).append(i)
    for idx in groups.values():
        policy = jobs[idx[0]].policy
        posts = [p for i in idx for p in jobs[i].posts]
        try:
            reports = run(posts, policy)
        except Exception:
            for i in idx:
                try:
                    out[i] = run(jobs[i].posts, policy)
                except Exception as exc:
                    out[i] = exc
            continue
        pos = 0
        for i in idx:
            n = len(jobs[i].posts)
            out[i] = reports[pos : pos + n]
            pos += n
    return out  # type: ignore[return-value]
