"""Micro-batching: requests that arrive together are checked together in one ``run_posts``.

spaCy (and the model checks) cost much less per text in a batch than one text at a time, so the
service collects whatever requests are waiting — for at most ``window`` seconds, or until
``max_texts`` — and runs them as one batch off the event loop: in check processes once
``use_processes`` gave it some (the service does; see ``executor.py``), else in one thread. While
batches run, the next one fills up, so under load batches grow by themselves.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from postguard.policy import Policy
from postguard.post import Post
from postguard.report import Report

from postguard.api.executor import CheckProcess, RunPosts, run_batch

log = logging.getLogger("postguard.api")



@dataclass
class _Job:
    posts: list[Post]
    policy: Policy
    future: asyncio.Future = field(repr=False)
    deadline: float = float("inf")  # time.monotonic() after which nobody waits for it


class MicroBatcher:
    """Coalesce concurrent check requests into batches run in one background thread."""

    def __init__(
        self,
        run: RunPosts,
        *,
        window: float = 0.001,
        max_texts: int = 32,
        timeout: float | None = None,
        parallel: int | None = None,
    ) -> None:
        self._run = run
        self._window = window
        self._max = max_texts
        self._timeout = timeout
        #: batches this worker may run at once (its share of the cores; None: one per process)
        self._parallel = parallel
        self._processes: list[CheckProcess] = []
        self._idle: asyncio.LifoQueue[CheckProcess] | None = None
        self._running: set[asyncio.Task] = set()
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
        # Texts of the batches now running in check processes: their clients cannot send again
        # before those answer, so a batch gathered meanwhile does not wait for them.
        self._checking = 0

    def start(self) -> None:
        self._queue = asyncio.Queue()
        self._task = asyncio.get_running_loop().create_task(self._loop(), name="postguard-batcher")

    def use_processes(self, processes: list[CheckProcess]) -> None:
        """Run batches in these (started) check processes from now on, one batch each at a time;
        a batch past its requests' deadline has its process killed and replaced."""
        # Last in, first out: under light load one process takes every batch and keeps its caches
        # warm, rather than each in turn (one request at a time, 400 tweets: median 4.88 -> 4.48 ms).
        self._idle = asyncio.LifoQueue()
        for process in processes:
            self._idle.put_nowait(process)
        self._processes = processes

    async def stop(self) -> None:
        for task in (self._task, *self._running):
            if task is not None:
                task.cancel()
                try:
                    await task
                except asyncio.CancelledError:
                    pass
        for process in self._processes:
            process.stop()
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
        deadline = time.monotonic() + self._timeout if self._timeout is not None else float("inf")
        self._queue.put_nowait(_Job(posts, policy, future, deadline))
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
        """Texts likely to come for the batch being gathered: the recent peak in flight, less those
        being checked."""
        self._note_peak()
        return min(self._max, int(self._peak + 0.5) - self._checking)

    async def _loop(self) -> None:
        assert self._queue is not None
        queue = self._queue
        while True:
            jobs = [await queue.get()]
            # With check processes, wait for a free one first: the queue keeps filling meanwhile,
            # so the batch it gets is bigger.
            process = await self._idle.get() if self._idle is not None else None
            size = len(jobs[0].posts)
            # While other processes are idle, take only this process's share of what is queued (a
            # queued request counted as one text): all of it in one batch left the others idle and
            # the pace set by one core (1 worker, concurrency 8: 367-419 -> 517-604 checks/s, p95
            # 26.6-29.4 -> 22.6-25.9 ms; ahead at 2 and 32 too, measured in turn). Split over no more
            # processes than this worker's share of the cores: with several workers, small batches
            # side by side only cost more CPU a text.
            limit = self._max
            idle = self._idle.qsize() if self._idle is not None else 0
            busy = len(self._processes) - idle - 1
            spare = min(idle, (self._parallel or len(self._processes)) - 1 - busy)
            if spare > 0:
                limit = min(limit, max(size, -(-(queue.qsize() + size) // (spare + 1))))
            # Take what is queued; then, while fewer texts are here than recently were in flight
            # (the clients of the batch that just finished are sending their next requests),
            # wait up to the window for them so the batch is whole rather than split in two.
            deadline = time.monotonic() + self._window
            while size < limit:
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
                if process is not None:
                    self._idle.put_nowait(process)  # type: ignore[union-attr]
                continue
            if self.batch_sizes is not None:
                self.batch_sizes(sum(len(j.posts) for j in jobs))
            if process is None:
                await self._run_in_thread(jobs)
                continue
            # the batch runs while the next one is gathered for another free process
            self._checking += sum(len(j.posts) for j in jobs)
            task = asyncio.get_running_loop().create_task(self._run_in_process(process, jobs))
            self._running.add(task)
            task.add_done_callback(self._running.discard)

    async def _run_in_thread(self, jobs: list[_Job]) -> None:
        batch = [(j.posts, j.policy) for j in jobs]
        try:
            results = await asyncio.get_running_loop().run_in_executor(self._executor, run_batch, self._run, batch)
        except Exception as exc:  # pragma: no cover - run_batch catches per job
            results = [exc] * len(jobs)
        _answer(jobs, results)

    async def _run_in_process(self, process: CheckProcess, jobs: list[_Job]) -> None:
        assert self._idle is not None
        try:
            # killed when the last of its requests stops waiting: none is left to answer
            results = await process.run([(j.posts, j.policy) for j in jobs], max(j.deadline for j in jobs))
        except Exception as exc:  # CheckTimeout, CheckProcessDied: every job of the batch fails
            results = [exc] * len(jobs)
        finally:
            self._checking -= sum(len(j.posts) for j in jobs)
            self._idle.put_nowait(process)
        _answer(jobs, results)


def _answer(jobs: list[_Job], results: list) -> None:
    for job, result in zip(jobs, results):
        if job.future.done():
            continue
        if isinstance(result, BaseException):
            job.future.set_exception(result)
        else:
            job.future.set_result(result)
