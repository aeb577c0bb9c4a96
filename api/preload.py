"""What a worker loads before it serves: the Checker, the policies it offers, a warm-up; and, for one
worker with check processes, that load done in the fork server, started before the web stack.

With check processes the worker itself runs no check: only the fork server and the processes it
forks need the models. ``start_early`` forks that server as soon as the settings are read, and it
loads while the worker imports FastAPI, uvicorn and SQLAlchemy and opens the decision log: the two
halves of the start run on two cores instead of one after the other.
"""

from __future__ import annotations

import gc
import logging
import os
import time
from dataclasses import dataclass, field
from typing import Any

from postguard.engine import Checker
from postguard.errors import PolicyError
from postguard.platforms import PLATFORMS
from postguard.policy import Policy, builtin_policies, load_policy

from postguard.api.executor import ForkServer

log = logging.getLogger("postguard.api")

# Warm-up drafts: touch every code path once (first calls into spaCy and presidio are slow).
WARMUP = (
    "Great news: our new library opens on Monday! Details at https://example.org/library #community",
    "Email jane.doe@example.com or call 0113 496 0000 about the **embargoed** results.",
    "Thanks to everyone who came along yesterday, what a day.",
    "<p>Join us at <a href='https://example.org'>the launch</a> on 3 March.</p>",
)


@dataclass
class Loaded:
    """A built Checker, the policies offered (the default first) and the seconds of each step."""

    checker: Checker
    policies: dict[str, Policy]
    default: Policy
    steps: dict[str, float] = field(default_factory=dict)


def offered_policies(name: str | None, default: Policy | None = None) -> dict[str, Policy]:
    """The policy ``name`` (the default for requests that name none) and every shipped policy."""
    default = default or load_policy(name)
    policies = {default.name: default}
    for other in builtin_policies():
        if other in policies:
            continue
        try:
            policies[other] = load_policy(other)
        except PolicyError as exc:  # one broken shipped policy must not take the service down
            log.error("policy %r not offered: %s", other, exc)
    return policies


def load(
    policy: str | None, given: Checker | None = None, policies: dict[str, Policy] | None = None
) -> Loaded:
    """Build the checks of every offered policy and platform and warm them up, timing each step.

    ``given``: a Checker already built (tests share one); ``policies``: already loaded, default first.
    """
    steps, t = {}, time.perf_counter()

    def step(name: str) -> None:
        nonlocal t
        steps[name] = time.perf_counter() - t
        t = time.perf_counter()

    # Loading builds millions of long-lived objects: collecting while it runs only scans them
    # again and again (~0.3 s of start-up). Frozen afterwards, later collections skip them,
    # and forked processes do not touch (and so copy) their pages.
    gc.disable()
    try:
        if given is None:
            from postguard.nlp import load_nlp

            load_nlp()  # (timed apart: every policy's checks share it)
            step("spaCy pipeline")
        default = next(iter(policies.values())) if policies else None
        checker = given or Checker(policy=default if default is not None else policy)
        step("checks of the default policy")
        if policies is None:
            policies = offered_policies(policy, checker.policy if given is None else None)
        default = next(iter(policies.values()))
        for pol in policies.values():
            for platform in PLATFORMS:
                checker.checks_for(pol, platform)
        step("other policies and platforms")
        for platform in ("generic", "x"):
            checker.check_many(list(WARMUP), platform=platform, policy=default)
        step("warm-up")
    finally:
        gc.freeze()
        gc.enable()
    return Loaded(checker, policies, default, steps)


def rules_of(checker: Checker, policy: Policy) -> list[dict[str, Any]]:
    """The rules ``policy``'s checks run, described (the policy check's YAML rules)."""
    out: dict[str, dict[str, Any]] = {}
    for check in checker.checks_for(policy, "generic"):
        for rule in getattr(check, "rules", None) or ():
            info = _rule_info(rule, check.name)
            if info is not None:
                out.setdefault(info["id"], info)
    return sorted(out.values(), key=lambda r: r["id"])


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


# ---------------------------------------------------------------------------------------------
# The early start


@dataclass
class Early:
    """A fork server loading in the background, for the worker process that started it."""

    forks: ForkServer
    policy: str | None
    policies: dict[str, Policy]
    default: Policy
    pid: int


_EARLY: Early | None = None


def start_early(policy: str | None) -> None:
    """Fork the fork server now, to load the checks of ``policy`` while this process goes on."""
    global _EARLY
    policies = offered_policies(policy)  # loaded here, so both processes hold the same objects
    default = next(iter(policies.values()))

    def build():  # runs in the fork server
        loaded = load(policy, policies=policies)
        status = {
            "steps": loaded.steps,
            "checks": [c.name for c in loaded.checker.checks_for(loaded.default, "generic")],
            "rules": {name: rules_of(loaded.checker, pol) for name, pol in policies.items()},
        }
        return loaded.checker.run_posts, status

    forks = ForkServer(None, policies)
    forks.start(load=build)
    _EARLY = Early(forks, policy, policies, default, os.getpid())


def take_early(policy: str | None) -> Early | None:
    """The fork server ``start_early`` started in this process for ``policy``, once."""
    global _EARLY
    early, _EARLY = _EARLY, None
    if early is None:
        return None
    if early.pid != os.getpid() or early.policy != policy:  # a forked copy, or other settings
        if early.pid == os.getpid():
            early.forks.stop()
        return None
    return early
