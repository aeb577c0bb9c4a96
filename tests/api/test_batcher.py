"""The micro-batcher: concurrent requests share one run; failures stay with their own request."""

from __future__ import annotations

import asyncio
import threading

import pytest

from postguard.api.batcher import MicroBatcher
from postguard.policy import load_policy
from postguard.post import Post


def _posts(*texts: str) -> list[Post]:
    return [Post(text=t) for t in texts]


def run(coro):
    return asyncio.run(coro)


def test_concurrent_requests_are_checked_in_one_batch():
    calls: list[list[str]] = []
    policy = load_policy()

    def fake_run(posts, pol):
        assert threading.current_thread().name.startswith("postguard-check")
        calls.append([p.text for p in posts])
        return [f"report:{p.text}" for p in posts]

    async def scenario():
        batcher = MicroBatcher(fake_run, window=0.005, max_texts=32)
        batcher.start()
        try:
            results = await asyncio.gather(*(batcher.check(_posts(f"t{i}"), policy) for i in range(8)))
            multi = await batcher.check(_posts("a", "b", "c"), policy)
        finally:
            await batcher.stop()
        return results, multi

    results, multi = run(scenario())
    assert results == [[f"report:t{i}"] for i in range(8)]
    assert multi == ["report:a", "report:b", "report:c"]
    assert calls[0] == [f"t{i}" for i in range(8)]  # one run for all eight


def test_batches_never_exceed_max_texts():
    sizes: list[int] = []

    def fake_run(posts, pol):
        sizes.append(len(posts))
        return list(range(len(posts)))

    async def scenario():
        batcher = MicroBatcher(fake_run, window=0.005, max_texts=4)
        batcher.start()
        try:
            await asyncio.gather(*(batcher.check(_posts("x"), load_policy()) for _ in range(10)))
        finally:
            await batcher.stop()

    run(scenario())
    assert sum(sizes) == 10 and max(sizes) <= 4


def test_a_failing_post_fails_only_its_own_request():
    def fake_run(posts, pol):
        if any(p.text == "bad" for p in posts):
            raise ValueError("bad post")
        return [p.text.upper() for p in posts]

    async def scenario():
        batcher = MicroBatcher(fake_run, window=0.005)
        batcher.start()
        try:
            return await asyncio.gather(
                *(batcher.check(_posts(t), load_policy()) for t in ("a", "bad", "c")), return_exceptions=True
            )
        finally:
            await batcher.stop()

    a, bad, c = run(scenario())
    assert a == ["A"] and c == ["C"] and isinstance(bad, ValueError)


def test_a_lone_request_does_not_wait_for_the_window():
    async def scenario():
        batcher = MicroBatcher(lambda posts, pol: [1] * len(posts), window=0.5)
        batcher.start()
        try:
            loop = asyncio.get_running_loop()
            t0 = loop.time()
            await batcher.check(_posts("only"), load_policy())
            return loop.time() - t0
        finally:
            await batcher.stop()

    assert run(scenario()) < 0.25


def test_not_started():
    with pytest.raises(RuntimeError):
        run(MicroBatcher(lambda p, q: []).check(_posts("x"), load_policy()))


class _FakeProcess:
    """Stands in for a check process: runs the batch on the loop and records that it ran it."""

    def __init__(self, name: str, served: list[str]) -> None:
        self.name, self.served = name, served

    async def run(self, batch, deadline):
        self.served.append(self.name)
        await asyncio.sleep(0.01)
        return [[p.text for p in posts] for posts, _ in batch]

    def stop(self) -> None:
        pass


def test_one_request_at_a_time_goes_to_the_process_that_ran_the_last_one():
    # the most recently used process keeps its caches warm; taking them in turn left each colder
    served: list[str] = []

    async def scenario():
        batcher = MicroBatcher(lambda p, q: [], window=0.001)
        batcher.start()
        batcher.use_processes([_FakeProcess("a", served), _FakeProcess("b", served)])
        try:
            for i in range(4):
                assert await batcher.check(_posts(f"t{i}"), load_policy()) == [f"t{i}"]
            served.append("|")
            # a request that comes while that process is busy goes to the other one
            busy = asyncio.ensure_future(batcher.check(_posts("x"), load_policy()))
            await asyncio.sleep(0.004)
            assert await batcher.check(_posts("y"), load_policy()) == ["y"]
            assert await busy == ["x"]
        finally:
            await batcher.stop()

    run(scenario())
    first = served[0]
    assert served[:6] == [first] * 4 + ["|", first]
    assert served[6:] == ["b" if first == "a" else "a"]


def test_what_is_queued_is_shared_between_idle_processes():
    # one process taking all eight while the other idled set the pace of one core
    batches: list[tuple[str, int]] = []

    class Recording(_FakeProcess):
        async def run(self, batch, deadline):
            batches.append((self.name, sum(len(posts) for posts, _ in batch)))
            await asyncio.sleep(0.02)
            return [[p.text for p in posts] for posts, _ in batch]

    async def scenario():
        batcher = MicroBatcher(lambda p, q: [], window=0.005, max_texts=32)
        batcher.start()
        batcher.use_processes([Recording("a", []), Recording("b", [])])
        try:
            got = await asyncio.gather(*(batcher.check(_posts(f"t{i}"), load_policy()) for i in range(8)))
        finally:
            await batcher.stop()
        return got

    assert run(scenario()) == [[f"t{i}"] for i in range(8)]
    assert sorted(batches) == [("a", 4), ("b", 4)]


def test_no_more_batches_at_once_than_the_worker_has_cores():
    # several workers share the cores: two processes each, but one batch at a time per worker
    batches: list[int] = []

    class Recording(_FakeProcess):
        async def run(self, batch, deadline):
            batches.append(sum(len(posts) for posts, _ in batch))
            await asyncio.sleep(0.02)
            return [[p.text for p in posts] for posts, _ in batch]

    async def scenario():
        batcher = MicroBatcher(lambda p, q: [], window=0.005, max_texts=32, parallel=1)
        batcher.start()
        batcher.use_processes([Recording("a", []), Recording("b", [])])
        try:
            await asyncio.gather(*(batcher.check(_posts(f"t{i}"), load_policy()) for i in range(8)))
        finally:
            await batcher.stop()

    run(scenario())
    assert batches == [8]
