"""What one worker holds: the Checker (models and rules loaded once), the policies it offers, the
micro-batcher, and whether it is ready."""

from __future__ import annotations

import asyncio
import bisect
import gc
import logging
import time
from collections.abc import Callable
from typing import Any

from postguard import __version__
from postguard.decisions import DecisionLog
from postguard.engine import Checker, make_post
from postguard.errors import PolicyError, one_of
from postguard.platforms import PLATFORMS
from postguard.policy import Policy, builtin_policies, load_policy
from postguard.post import Post, PostMetadata
from postguard.report import Report

from postguard.api.batcher import MicroBatcher
from postguard.api.decision_log import CheckIds, open_log
from postguard.api.errors import ApiError
from postguard.api.executor import CheckProcess, CheckProcessDied, CheckTimeout, ForkServer
from postguard.api.settings import Settings

log = logging.getLogger("postguard.api")

# Warm-up drafts: touch every code path once (first calls into spaCy and presidio are slow).
_WARMUP = (
    "Great news: our new library opens on Monday! Details at https://example.org/library #community",
    "Email jane.doe@example.com or call 0113 496 0000 about the **embargoed** results.",
    "Thanks to everyone who came along yesterday, what a day.",
    "<p>Join us at <a href='https://example.org'>the launch</a> on 3 March.</p>",
)


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
        )
        self.ready = asyncio.Event()
        self.error: str | None = None
        self.load_seconds: float | None = None
        #: seconds each step of the start took, in order (``postguard_start_seconds`` in /metrics)
        self.start_steps: dict[str, float] = {}
        self.decision_log: DecisionLog | None = None
        self.check_ids: CheckIds | None = None
        self.forks: ForkServer | None = None

    # ---------------------------------------------------------------- start-up

    async def start(self) -> None:
        """Start the batcher, then load models and rules and warm up on its thread."""
        self.batcher.start()
        t0 = time.perf_counter()
        try:
            await self.batcher.run_in_thread(self._load)
        except Exception as exc:  # a missing model or a broken policy: stay up, report not ready
            self.error = f"{type(exc).__name__}: {exc}"
            log.error("postguard could not load: %s", self.error)
            return
        if self.settings.check_processes:
            t = time.perf_counter()
            # forked now, with everything loaded and warm: each starts in milliseconds
            self.forks = ForkServer(self._run_posts, self.policies)
            self.forks.start()
            processes = [CheckProcess(self.forks) for _ in range(self.settings.check_processes)]
            assert self.default_policy is not None
            warm = [self.post(text, "plain", "x", None, self.default_policy) for text in _WARMUP[:2]]
            for process in processes:
                await process.start()
                # one batch each through the socket, so the first request is not the first a process runs
                await process.run([(warm, self.default_policy)], time.monotonic() + self.settings.request_timeout_s)
            self.batcher.use_processes(processes)
            self.start_steps["check processes"] = time.perf_counter() - t
        self.load_seconds = time.perf_counter() - t0
        t = time.perf_counter()
        # Opened per worker (a database connection does not survive a fork), before the first check.
        self.decision_log = await asyncio.to_thread(open_log, self.settings)
        if self.decision_log is not None:
            self.check_ids = CheckIds(self.decision_log.secret)
        self.start_steps["decision log"] = time.perf_counter() - t
        self.ready.set()
        log.info("postguard ready in %.2f s (checks: %s)", self.load_seconds, ", ".join(self.check_names()))

    async def stop(self) -> None:
        await self.batcher.stop()
        if self.decision_log is not None:
            self.decision_log.close()
        if self.forks is not None:
            self.forks.stop()

    def _load(self) -> None:
        # Loading builds millions of long-lived objects: collecting while it runs only scans them
        # again and again (~0.3 s of start-up). Frozen afterwards, later collections skip them,
        # and forked workers do not touch (and so copy) their pages.
        gc.disable()
        try:
            self._build()
        finally:
            gc.freeze()
            gc.enable()

    def _build(self) -> None:
        steps, t = self.start_steps, time.perf_counter()

        def step(name: str) -> None:
            nonlocal t
            steps[name] = time.perf_counter() - t
            t = time.perf_counter()

        if self._given is None:
            from postguard.nlp import load_nlp

            load_nlp()  # (timed apart: every policy's checks share it)
            step("spaCy pipeline")
        checker = self._given or Checker(policy=self.settings.policy)
        step("checks of the default policy")
        default = checker.policy if self._given is None else load_policy(self.settings.policy)
        policies = {default.name: default}
        for name in builtin_policies():
            if name in policies:
                continue
            try:
                policies[name] = load_policy(name)
            except PolicyError as exc:  # one broken shipped policy must not take the service down
                log.error("policy %r not offered: %s", name, exc)
        for policy in policies.values():
            for platform in PLATFORMS:
                checker.checks_for(policy, platform)
        step("other policies and platforms")
        for platform in ("generic", "x"):
            checker.check_many(list(_WARMUP), platform=platform, policy=default)
        step("warm-up")
        self.checker, self.policies, self.default_policy = checker, policies, default

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
        if self.checker is None or self.default_policy is None:
            return []
        return [c.name for c in self.checker.checks_for(self.default_policy, "generic")]

    def rules(self, policy: Policy) -> list[dict[str, Any]]:
        """Rules the policy's checks run (the policy check's YAML rules; empty until it exists)."""
        if self.checker is None:
            return []
        out: dict[str, dict[str, Any]] = {}
        for check in self.checker.checks_for(policy, "generic"):
            for rule in getattr(check, "rules", None) or ():
                info = _rule_info(rule, check.name)
                if info is not None:
                    out.setdefault(info["id"], info)
        return sorted(out.values(), key=lambda r: r["id"])

    @property
    def version(self) -> str:
        return __version__


def _rule_info(rule: Any, check: str) -> dict[str, Any] | None:
    """Describe a rule object without depending on its class (dicts and attributes both work)."""

    def get(*names: str) -> Any:
        for name in names:
            value = rule.get(name) if isinstance(rule, dict) else getattr(rule, name, None)
            if value is not None:
                return value
        return None

    rule_id = get("rule_id", "id")
    if rule_id is None:
        return None
    severity = get("severity")
    return {
        "id": str(rule_id),
        "kind": _str(get("kind")),
        "category": _str(get("category")) or check,
        "severity": _str(getattr(severity, "value", severity)),
        "description": _str(get("description", "message")) or None,
        "pack": _str(get("pack")) or None,
        "link": _str(get("link")),
        "platforms": list(get("platforms") or ()),
    }


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def utf16_offsets(text: str) -> Callable[[int], int]:
    """A function mapping code-point offsets of ``text`` to UTF-16 code-unit offsets."""
    astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF] if not text.isascii() else []
    if not astral:
        return lambda offset: offset
    return lambda offset: offset + bisect.bisect_left(astral, offset)
