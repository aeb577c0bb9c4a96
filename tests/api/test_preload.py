"""The early start: the fork server loads the models while the worker starts, and serves the same."""

from __future__ import annotations

import asyncio
import gc
import os

from postguard.api import preload
from postguard.api.service import Service
from postguard.api.settings import Settings
from postguard.engine import Checker
from postguard.errors import ModelError

TEXTS = [
    "Email jane.doe@example.com or ring 0113 496 0123, you useless lot",
    "The VPN is back up. Thanks for your patience!",
]


def _started(settings: Settings):
    async def scenario():
        service = Service(settings)
        await service.start()
        try:
            if not service.ready.is_set():
                return service, None, None
            posts = [service.post(t, "plain", "x", None, service.default_policy) for t in TEXTS]
            return service, await service.check(posts, service.default_policy), service.forks.pid
        finally:
            await service.stop()

    return asyncio.run(scenario())


def test_the_fork_server_started_early_loads_the_checks_and_the_worker_holds_none():
    gc.disable()  # as ``serve`` does before the early start
    try:
        preload.start_early("default")
        service, reports, fork_server = _started(Settings(check_processes=1, decisions=False))
        assert gc.isenabled()  # turned back on in the worker too, not only in the fork server
    finally:
        gc.enable()

    assert service.checker is None and fork_server not in (0, os.getpid())
    assert list(service.start_steps) == [
        "spaCy pipeline", "checks of the default policy", "other policies and platforms", "warm-up",
        "check processes", "decision log",
    ]
    checker = Checker()
    default = service.default_policy
    assert service.check_names() == [c.name for c in checker.checks_for(checker.policy, "generic")]
    assert service.rules(default) == preload.rules_of(checker, default) and service.rules(default)
    expected = checker.check_many(TEXTS, platform="x", policy=default)
    assert [r.findings for r in reports] == [r.findings for r in expected]
    assert [r.scores for r in reports] == [r.scores for r in expected]
    assert preload.take_early("default") is None  # taken once


def test_a_fork_server_that_cannot_load_leaves_the_worker_up_and_not_ready_with_the_reason(monkeypatch):
    def broken(*args, **kwargs):
        raise ModelError("no English spaCy pipeline is installed")

    monkeypatch.setattr(preload, "load", broken)  # (the fork server is a copy of this process)
    preload.start_early("default")
    service, reports, _ = _started(Settings(check_processes=1, decisions=False))
    assert reports is None and not service.ready.is_set()
    assert service.error == "ModelError: no English spaCy pipeline is installed"


def test_an_early_fork_server_for_other_settings_is_not_taken():
    preload.start_early("default")
    early = preload._EARLY
    assert preload.take_early("strict") is None and early.forks.pid == 0  # stopped, not left running
