"""Check processes: a check past its deadline is really stopped, and the service stays responsive."""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import os
import sys
import threading
import time
from pathlib import Path

import httpx2
import pytest
from service_helpers import Server, assert_error

from postguard.api.executor import CheckProcess, CheckProcessDied, CheckTimeout, ForkServer
from postguard.policy import load_policy
from postguard.post import Post

#: The slowest /healthz answer allowed while a check runs or is killed. The goal is 100 ms (met
#: on a 2-core host at load 15: 50-100 ms); this leaves a shared CI host room (291 ms seen at load
#: 15 with two test runs beside it). Before, /healthz went unanswered for as long as a check ran.
HEALTHZ_S = 0.5
_BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "adversarial.py"


def _adversarial():
    spec = importlib.util.spec_from_file_location("bench_adversarial_api", _BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _sleepy(posts, policy):
    """Sleeps as many seconds as the text says; answers with the texts and the process id."""
    for post in posts:
        time.sleep(float(post.text))
    return [f"{post.text}@{os.getpid()}" for post in posts]


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@contextlib.asynccontextmanager
async def _check_process(policy):
    """A check process forked from a fork server of its own; both stopped at the end."""
    forks = ForkServer(_sleepy, {policy.name: policy})
    forks.start()
    process = CheckProcess(forks)
    try:
        await process.start()
        yield process
    finally:
        process.stop()
        forks.stop()


def test_a_batch_past_its_deadline_has_its_process_killed_and_replaced():
    policy = load_policy()

    async def scenario():
        async with _check_process(policy) as process:
            first = process.pid
            ok = await process.run([([Post(text="0")], policy)], time.monotonic() + 10)
            t0 = time.monotonic()
            with pytest.raises(CheckTimeout):
                await process.run([([Post(text="30")], policy)], time.monotonic() + 0.3)
            stopped_after = time.monotonic() - t0
            second = process.pid
            again = await process.run([([Post(text="0")], policy)], time.monotonic() + 10)
        return ok, stopped_after, first, second, again

    ok, stopped_after, first, second, again = asyncio.run(scenario())
    assert ok == [[f"0@{first}"]]  # ran in the child, not here
    assert first != os.getpid()
    assert stopped_after < 2
    time.sleep(0.1)  # the fork server reaps it
    assert second != first and not _alive(first)  # the work really stopped
    assert again == [[f"0@{second}"]]


def test_a_process_that_dies_fails_its_batch_and_is_replaced():
    policy = load_policy()

    async def scenario():
        async with _check_process(policy) as process:
            first = process.pid
            task = asyncio.ensure_future(process.run([([Post(text="30")], policy)], time.monotonic() + 20))
            await asyncio.sleep(0.2)
            os.kill(first, 9)
            with pytest.raises(CheckProcessDied):
                await task
            again = await process.run([([Post(text="0")], policy)], time.monotonic() + 10)
        return first, process, again

    first, process, again = asyncio.run(scenario())
    assert again[0][0].startswith("0@") and not again[0][0].endswith(f"@{first}")


def _children(pid: int) -> set[int]:
    out = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            out.add(int(stat.parent.name))
    return out


class _HealthProbe(threading.Thread):
    """GET /healthz every 20 ms on its own connection; keeps the slowest answer."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url, self.worst, self.failures, self.count = url, 0.0, 0, 0
        self.done = threading.Event()

    def run(self) -> None:
        with httpx2.Client(base_url=self.url, timeout=5) as c:
            while not self.done.is_set():
                t0 = time.perf_counter()
                try:
                    ok = c.get("/healthz").status_code == 200
                except httpx2.HTTPError:
                    ok = False
                self.worst = max(self.worst, time.perf_counter() - t0)
                self.failures += not ok
                self.count += 1
                time.sleep(0.02)

    def stop(self) -> None:
        self.done.set()
        self.join(10)


@pytest.fixture(scope="module")
def strict_server():
    srv = Server(env={"POSTGUARD_REQUEST_TIMEOUT_S": "1.5", "POSTGUARD_RATE_LIMIT_PER_MINUTE": "0"})
    yield srv
    srv.stop()


def test_a_check_past_the_timeout_is_stopped_while_healthz_answers(strict_server):
    adversarial = _adversarial()
    # one character a token at the maximum length: several seconds of entity recognition
    slow = adversarial.shapes(adversarial.MAX_LENGTH)["spaced, every category"]
    (forks,) = _children(strict_server.proc.pid)  # the fork server
    before = _children(forks)
    assert len(before) == 2  # the check processes
    probe = _HealthProbe(strict_server.url)
    probe.start()
    try:
        time.sleep(0.2)
        with httpx2.Client(base_url=strict_server.url, timeout=30) as c:
            t0 = time.perf_counter()
            answers = [c.post("/v1/check", json={"text": slow}) for _ in range(2)]
            took = time.perf_counter() - t0
            for r in answers:
                assert_error(r, 504, "timeout")
            ok = c.post("/v1/check", json={"text": "Email jane.doe@example.com about Monday."})
            assert ok.status_code == 200 and ok.json()["findings"]
        time.sleep(0.2)
    finally:
        probe.stop()
    assert took < 2 * 3  # each answered at its deadline, not when the check would have ended
    after = _children(forks)
    assert len(after) == 2 and before - after  # a killed process, replaced
    assert probe.count > 10 and probe.failures == 0
    assert probe.worst < HEALTHZ_S, f"/healthz took {probe.worst * 1000:.0f} ms"
    assert "check process ran past its deadline" in strict_server.output()


def test_the_issues_repros_answer_quickly_while_healthz_answers(server):
    adversarial = _adversarial()
    probe = _HealthProbe(server.url)
    probe.start()
    try:
        with httpx2.Client(base_url=server.url, timeout=60) as c:
            for name, text in adversarial.repros().items():
                fmt = "html" if "html" in name else "markdown" if "markdown" in name else "plain"
                t0 = time.perf_counter()
                r = c.post("/v1/check", json={"text": text, "format": fmt})
                took = time.perf_counter() - t0
                assert r.status_code == 200, (name, r.text)
                assert took < 5, f"{name}: {took:.2f} s"  # before: 10.8 to 437 s; linear now
    finally:
        probe.stop()
    assert probe.failures == 0 and probe.worst < HEALTHZ_S, f"/healthz took {probe.worst * 1000:.0f} ms"
