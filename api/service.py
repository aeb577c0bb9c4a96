"""What one worker holds: the Checker (models and rules loaded once), the policies it offers, the
micro-batcher, and whether it is ready."""

from __future__ import annotations

import asyncio
import bisect
import gc
import logging
import os
import time
from collections.abc import Callable
from typing import Any

from postguard import __version__
from postguard.decisions import DecisionLog
from postguard.engine import Checker, make_post
from postguard.errors import one_of
from postguard.policy import Policy
from postguard.post import Post, PostMetadata
from postguard.report import Report

from postguard.api.batcher import MicroBatcher
from postguard.api.decision_log import CheckIds, open_log
from postguard.api.errors import ApiError
from postguard.api.executor import CheckProcess, CheckProcessDied, CheckTimeout, ForkServer
from postguard.api.preload import WARMUP, load, rules_of, take_early
from postguard.api.settings import Settings

log = logging.getLogger("postguard.api")


class Service:
    """The checker and everything around it for one worker process."""

    def __init__(self, settings: Settings, checker: Checker | None = None) -> None:
        self.settings = settings
        self._given = checker
        self.checker: Checker | None = None
        self.policies: dict[str, Policy] = {}
        self.default_policy: Policy | None = None
        self.batcher = MicroBatcher(
            self._run_posts,
            window=settings.batch_window_ms / 1000,
            max_texts=settings.batch_max_texts,
            timeout=settings.request_timeout_s,
            parallel=max(1, _cores() // settings.workers),
        )
        self.ready = asyncio.Event()
        self.error: str | None = None
        self.load_seconds: float | None = None
        #: seconds each step of the start took, in order (``postguard_start_seconds`` in /metrics)
        self.start_steps: dict[str, float] = {}
        self.decision_log: DecisionLog | None = None
        self.check_ids: CheckIds | None = None
        self.forks: ForkServer | None = None
        # With the fork server loading (``preload.start_early``) this process holds no Checker:
        # the default policy's check names and each policy's rules, as the fork server sent them.
        self._checks: list[str] | None = None
        self._rules: dict[str, list[dict[str, Any]]] | None = None

    # ---------------------------------------------------------------- start-up

    async def start(self) -> None:
        """Start the batcher, then load models and rules and warm up on its thread (or take the
        fork server ``preload.start_early`` set loading), and start the check processes."""
        self.batcher.start()
        t0 = time.perf_counter()
        early = None
        if self._given is None and self.settings.check_processes:
            early = take_early(self.settings.policy)
        # Opened per worker (a database connection does not survive a fork, so not before the
        # check processes are forked), while the fork server loads when it started early.
        opening = None
        if early is not None:
            opening = asyncio.create_task(asyncio.to_thread(open_log, self.settings))
        try:
            if early is not None:
                # What ``serve`` turned off while this process imported the web stack (``load`` does
                # the same in the fork server): frozen, later collections skip it.
                gc.freeze()
                gc.enable()
                self.forks, self.policies, self.default_policy = early.forks, early.policies, early.default
                status = await early.forks.loaded()
                if "error" in status:
                    raise RuntimeError(status["error"])
                self.start_steps.update(status["steps"])
                self._checks, self._rules = status["checks"], status["rules"]
            else:
                await self.batcher.run_in_thread(self._load)
        except Exception as exc:  # a missing model or a broken policy: stay up, report not ready
            self.error = str(exc) if early is not None else f"{type(exc).__name__}: {exc}"
            log.error("postguard could not load: %s", self.error)
            if opening is not None:
                log_ = await opening
                if log_ is not None:
                    log_.close()
            return
        if self.settings.check_processes:
            t = time.perf_counter()
            if self.forks is None:
                # forked now, with everything loaded and warm: each starts in milliseconds
                self.forks = ForkServer(self._run_posts, self.policies)
                self.forks.start()
            processes = [CheckProcess(self.forks) for _ in range(self.settings.check_processes)]
            assert self.default_policy is not None
            warm = [self.post(text, "plain", "x", None, self.default_policy) for text in WARMUP]

            async def warm_up(process: CheckProcess) -> None:
                await process.start()
                # The warm-up drafts through the socket, so that the first request is not the first
                # a process runs: the pages it touches are its own copies (forked, they are the
                # fork server's until written) and its caches hold something.
                await process.run([(warm, self.default_policy)], time.monotonic() + self.settings.request_timeout_s)

            await asyncio.gather(*(warm_up(process) for process in processes))  # on both cores
            self.batcher.use_processes(processes)
            self.start_steps["check processes"] = time.perf_counter() - t
        self.load_seconds = time.perf_counter() - t0
        t = time.perf_counter()
        self.decision_log = await (opening or asyncio.to_thread(open_log, self.settings))
        if self.decision_log is not None:
            self.check_ids = CheckIds(self.decision_log.secret)
        self.start_steps["decision log"] = time.perf_counter() - t  # (what is left of it, when it overlapped)
        self.ready.set()
        log.info("postguard ready in %.2f s (checks: %s)", self.load_seconds, ", ".join(self.check_names()))

    async def stop(self) -> None:
        await self.batcher.stop()
        if self.decision_log is not None:
            self.decision_log.close()
        if self.forks is not None:
            self.forks.stop()

    def _load(self) -> None:
        loaded = load(self.settings.policy, self._given)
        self.start_steps.update(loaded.steps)
        self.checker, self.policies, self.default_policy = loaded.checker, loaded.policies, loaded.default

    def _run_posts(self, posts: list[Post], policy: Policy) -> list[Report]:
        assert self.checker is not None
        return self.checker.run_posts(posts, policy)

    # ---------------------------------------------------------------- requests

    async def wait_ready(self) -> None:
        if self.ready.is_set():
            return
        if self.error is None:
            try:
                await asyncio.wait_for(self.ready.wait(), self.settings.request_timeout_s)
                return
            except TimeoutError:
                pass
        raise ApiError(503, "not_ready", self.error or "models and rules are still loading", {"Retry-After": "1"})

    def policy(self, name: str | None) -> Policy:
        if name is None:
            assert self.default_policy is not None
            return self.default_policy
        try:
            return self.policies[name]
        except KeyError:
            raise ApiError(422, "unknown_policy", f"policy {one_of(name, self.policies)}") from None

    def post(self, text: str, fmt: str, platform: str, metadata: PostMetadata | None, policy: Policy, i: int | None = None) -> Post:
        """The Post for one request item, by the library's own rules and this service's length limit."""
        where = "the text" if i is None else f"item {i}: the text"
        return make_post(text, fmt, platform, metadata, policy, max_length=self.settings.max_text_length, where=where)

    async def check(self, posts: list[Post], policy: Policy) -> list[Report]:
        await self.wait_ready()
        try:
            return await asyncio.wait_for(self.batcher.check(posts, policy), self.settings.request_timeout_s)
        except (TimeoutError, CheckTimeout):
            raise ApiError(504, "timeout", f"the check took longer than {self.settings.request_timeout_s:g} s") from None
        except CheckProcessDied:
            raise ApiError(503, "unavailable", "the check process ended; retry", {"Retry-After": "1"}) from None

    def check_names(self) -> list[str]:
        if self._checks is not None:
            return list(self._checks)
        if self.checker is None or self.default_policy is None:
            return []
        return [c.name for c in self.checker.checks_for(self.default_policy, "generic")]

    def rules(self, policy: Policy) -> list[dict[str, Any]]:
        """Rules the policy's checks run (the policy check's YAML rules; empty until it exists)."""
        if self._rules is not None:
            return list(self._rules.get(policy.name, ()))
        if self.checker is None:
            return []
        return rules_of(self.checker, policy)

    @property
    def version(self) -> str:
        return __version__


def _cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def utf16_offsets(text: str) -> Callable[[int], int]:
    """A function mapping code-point offsets of ``text`` to UTF-16 code-unit offsets."""
    astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF] if not text.isascii() else []
    if not astral:
        return lambda offset: offset
    return lambda offset: offset + bisect.bisect_left(astral, offset)
