"""HTTP load on the real service: checks per second and latency, beside the HTTP floor.

Starts ``postguard serve`` on 127.0.0.1 (a free port) and drives it with a lean keep-alive
client (raw asyncio streams, so the client costs the 2-core machine as little as possible):

- cold start: process start to ``/readyz`` 200 (median of three starts);
- tweet checks (``POST /v1/check``, platform x) at concurrency 8, with 1 and 2 workers, beside
  ``GET /healthz`` (fixed JSON: the HTTP floor) in the same run;
- keep-alive requests one at a time with 2 workers on the plain asyncio loop, under uvicorn's own
  HTTP protocol and under postguard's (TCP_NODELAY set), and 1 worker with micro-batching off;
- 1 worker with checks on the worker's thread instead of check processes (the IPC's cost);
- RSS per process, and RSS growth over 10,000 check requests;
- the steps of the start (the worker's ``postguard_start_seconds``) and its CPU seconds, the first
  check after ``/readyz`` beside the hundred after it and beside its own text sent again after
  them, one text new to a fresh server as its first request beside the same text after a hundred
  others (what being first costs, apart from what a text new to the caches costs), and
  ``Checker.check_many`` by 50 in this process: the rate one worker is held to.

Every phase is bounded in requests and in seconds. Tweets come from
``<data>/broad_twitter_corpus/validation.jsonl`` (synthetic drafts when it is absent).

    python benchmarks/http_load.py --data ../shared/data [--requests 3000] [--seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

GOALS = {"checks_per_s": 250.0, "of_in_process": 0.8, "p95_ms": 30.0, "cold_start_s": 2.5, "rss_mb": 350.0}
POSTGUARD = (sys.executable, "-c", "import sys; from postguard.cli import main; sys.exit(main())")
# uvicorn run directly on the plain asyncio loop: where its multi-worker mode loses TCP_NODELAY
# (uvloop sets it itself). ``--http`` picks uvicorn's own protocol or postguard's fix.
UVICORN_ASYNCIO = (sys.executable, "-m", "uvicorn", "postguard.api.app:create_app", "--factory", "--loop", "asyncio",
                   "--no-access-log", "--log-level", "warning")
PROTOCOLS = {"uvicorn": "httptools", "postguard": "postguard.api.server:NoDelayHTTPProtocol"}


# ----------------------------------------------------------------------------------------------
# Server process


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, workers: int, *, asyncio_protocol: str | None = None, env: dict[str, str] | None = None,
                 policy: str | None = None, timeout: float = 120) -> None:
        self.port = free_port()
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("POSTGUARD_")}
        # The limiter still runs; the allowance is just far above what one benchmark client sends.
        full_env.update(POSTGUARD_RATE_LIMIT_PER_MINUTE="100000000", POSTGUARD_RATE_LIMIT_BURST="1000000")
        if policy:
            full_env["POSTGUARD_POLICY"] = policy
        # The decision log (each check issues a check id) in a temp dir, not the user's data dir.
        self.data = tempfile.TemporaryDirectory(prefix="postguard-load-data-")
        full_env["POSTGUARD_DATA_DIR"] = self.data.name
        full_env.update(env or {})
        if asyncio_protocol:
            cmd = [*UVICORN_ASYNCIO, "--http", PROTOCOLS[asyncio_protocol], "--port", str(self.port),
                   "--workers", str(workers)]
        else:
            cmd = [*POSTGUARD, "serve", "--port", str(self.port), "--workers", str(workers)]
            if policy:
                cmd += ["--policy", policy]
        self.log = tempfile.NamedTemporaryFile(prefix="postguard-load-", suffix=".log", delete=False)
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT, env=full_env)
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {Path(self.log.name).read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/readyz", timeout=1) as r:
                    if r.status == 200:
                        self.health = json.loads(r.read())
                        break
            except OSError:
                pass
            if time.perf_counter() - t0 > timeout:
                self.stop()
                raise RuntimeError("server not ready in time")
            # Every poll is a request the loading worker must answer, on the loop that shares the
            # GIL with its loading thread: polling each 10 ms added about 0.15 s to a 1-worker start.
            # Each 50 ms costs little and reads at most 50 ms late.
            time.sleep(0.05)
        self.cold_start = time.perf_counter() - t0
        self.cold_cpu = self.cpu_seconds()  # steady on a busy machine, unlike the wall time
        if workers > 1:  # every worker must be up, not just the first
            deadline = time.perf_counter() + timeout
            while len(self.worker_pids()) < workers and time.perf_counter() < deadline:
                time.sleep(0.05)

    def worker_pids(self) -> list[int]:
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                cmdline = (stat.parent / "cmdline").read_bytes()
            except OSError:
                continue
            if int(fields[1]) == self.proc.pid and b"resource_tracker" not in cmdline:
                children.append(int(stat.parent.name))
        return sorted(children) or [self.proc.pid]

    def tree_pids(self) -> list[int]:
        """The server and every process under it (workers, fork servers, check processes)."""
        parents: dict[int, int] = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                cmdline = (stat.parent / "cmdline").read_bytes()
            except OSError:
                continue
            if b"resource_tracker" not in cmdline and fields[0] != "Z":
                parents[int(stat.parent.name)] = int(fields[1])
        tree, added = {self.proc.pid}, True
        while added:
            new = {pid for pid, parent in parents.items() if parent in tree} - tree
            tree |= new
            added = bool(new)
        return sorted(tree)

    def rss_mb(self) -> list[float]:
        """RSS of each process of the server (pages shared between them counted in each)."""
        out = []
        for pid in self.tree_pids():
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        out.append(int(line.split()[1]) / 1024)
        return out

    def pss_mb(self) -> list[float]:
        """Proportional set size per process: pages shared with the others counted by share."""
        out = []
        for pid in self.tree_pids():
            try:
                for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                    if line.startswith("Pss:"):
                        out.append(int(line.split()[1]) / 1024)
            except OSError:
                pass
        return out

    def cpu_seconds(self) -> float:
        """CPU time used so far by the workers (user + system): steady even on a busy machine."""
        total = 0
        for pid in self.tree_pids():  # the check processes do most of the work
            with contextlib.suppress(OSError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")

    def metric(self, name: str) -> float:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/metrics", timeout=5) as r:
            for line in r.read().decode().splitlines():
                if line.startswith(name + " "):
                    return float(line.split()[1])
        return float("nan")

    def start_steps(self) -> dict[str, float]:
        """The seconds of each step of the worker's start (``postguard_start_seconds``)."""
        out = {}
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/metrics", timeout=5) as r:
            for line in r.read().decode().splitlines():
                if line.startswith('postguard_start_seconds{step="'):
                    out[line.split('"')[1]] = float(line.rsplit(" ", 1)[1])
        return out

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        os.unlink(self.log.name)
        self.data.cleanup()


# ----------------------------------------------------------------------------------------------
# Client


@dataclass
class Result:
    label: str
    requests: int
    seconds: float
    latencies: list[float]
    statuses: Counter
    cpu_ms: float = float("nan")  # server CPU per request

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def pct(self, p: int) -> float:
        if len(self.latencies) < 2:
            return float("nan")
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[p - 1] * 1000


def check_requests(texts: list[str]) -> list[bytes]:
    out = []
    for text in texts:
        body = json.dumps({"text": text, "platform": "x"}).encode()
        out.append(
            b"POST /v1/check HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
        )
    return out


FLOOR = [b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"]


async def _load(port: int, requests: list[bytes], concurrency: int, max_requests: int, max_seconds: float) -> tuple:
    latencies: list[float] = []
    statuses: Counter = Counter()
    counter = itertools.count()
    deadline = time.perf_counter() + max_seconds

    async def connection() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            while True:
                i = next(counter)
                if i >= max_requests or time.perf_counter() > deadline:
                    return
                t0 = time.perf_counter()
                writer.write(requests[i % len(requests)])
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line[:15].lower() == b"content-length:":
                        length = int(line[15:])
                await reader.readexactly(length)
                latencies.append(time.perf_counter() - t0)
                statuses[int(head[9:12])] += 1
        finally:
            writer.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(concurrency)))
    return time.perf_counter() - t0, latencies, statuses


def load(label: str, srv: "Server", requests: list[bytes], concurrency: int, max_requests: int, max_seconds: float) -> Result:
    cpu0 = srv.cpu_seconds()
    seconds, latencies, statuses = asyncio.run(_load(srv.port, requests, concurrency, max_requests, max_seconds))
    cpu = (srv.cpu_seconds() - cpu0) * 1000 / max(len(latencies), 1)
    return Result(label, len(latencies), seconds, latencies, statuses, cpu)


# ----------------------------------------------------------------------------------------------


def in_process_rate(texts: list[str], policy: str | None, max_seconds: float) -> float:
    """Checks per second of ``Checker.check_many`` by 50 (platform x) in this process, after a warm-up."""
    from postguard import Checker

    checker = Checker(policy=policy)
    checker.check_many(texts[:50], platform="x")
    done, t0 = 0, time.perf_counter()
    for i in itertools.cycle(range(0, len(texts), 50)):
        done += len(checker.check_many(texts[i : i + 50], platform="x"))
        if time.perf_counter() - t0 > max_seconds or done >= 2000:
            break
    return done / (time.perf_counter() - t0)


def tweets(data: Path, limit: int) -> tuple[list[str], str]:
    path = data / "broad_twitter_corpus" / "validation.jsonl"
    if path.exists():
        with path.open(encoding="utf-8") as fh:
            texts = [json.loads(line)["text"] for line in itertools.islice(fh, limit)]
        return texts, str(path)
    base = [
        "Thanks to everyone who came to the open day! Photos here: https://example.org/photos #community",
        "Reminder: the library closes early on Friday for staff training. Back to normal hours Saturday.",
        "We're hiring! Join our digital team as a content designer. Closing date 3 March.",
        "Roadworks on the High Street from Monday; buses 12 and 14 will divert via Mill Lane.",
    ]
    return [f"{t} ({i})" for i in range(limit // len(base) + 1) for t in base][:limit], "synthetic drafts"


def row(r: Result) -> str:
    errors = sum(n for s, n in r.statuses.items() if s >= 400)
    return (f"  {r.label:<44} {r.rps:8.1f} req/s   p50 {r.pct(50):6.2f}   p95 {r.pct(95):6.2f}   "
            f"p99 {r.pct(99):6.2f} ms   server CPU {r.cpu_ms:5.2f} ms/req   n={r.requests}{f'  ERRORS={errors}' if errors else ''}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    ap.add_argument("--requests", type=int, default=3000, help="most requests per phase (default 3000)")
    ap.add_argument("--seconds", type=float, default=15, help="most seconds per phase (default 15)")
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--memory-requests", type=int, default=10_000, help="requests for the RSS growth phase")
    ap.add_argument("--policy", default=None, help="policy name or file (default: the default policy)")
    ap.add_argument("--quick", action="store_true", help="skip the comparison runs")
    args = ap.parse_args(argv)

    texts, source = tweets(args.data, 2000)
    reqs = check_requests(texts)
    c, n, s = args.concurrency, args.requests, args.seconds
    print(f"postguard HTTP load: {len(texts)} tweets from {source}; concurrency {c}; "
          f"at most {n} requests / {s:g} s per phase; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")

    results: dict[str, Result] = {}
    figures: dict[str, float] = {}

    # ---- 1 worker: cold start, floor, checks, RSS, growth
    # Cold start is the median of three fresh starts: one start alone swings by a few tenths of
    # a second with whatever else the host is doing.
    # The first two starts also time one text's check on a fresh server: as the first request
    # after /readyz on one, after a hundred other texts on the other (new to both, so what the
    # text costs for being new is paid the same on both: the difference is what being first costs).
    starts = []
    for k in range(2):
        fresh = Server(1, policy=args.policy)
        starts.append(fresh.cold_start)
        if k == 1:
            load("others", fresh, reqs[1:], 1, 100, s)
        took = load("text", fresh, reqs, 1, 1, s).latencies[0] * 1000
        figures[("fresh_first_ms", "fresh_after_ms")[k]] = took
        fresh.stop()
    srv = Server(1, policy=args.policy)
    try:
        starts.append(srv.cold_start)
        figures["cold_start_s"] = statistics.median(starts)
        figures["cold_starts"] = starts  # type: ignore[assignment]
        figures["cold_cpu_s"] = srv.cold_cpu
        figures["cold_start_3_s"] = srv.cold_start
        steps = srv.start_steps()
        # The first check after /readyz beside the ones after it, one at a time on one connection.
        first = load("first", srv, reqs, 1, 1, s)
        then = load("then", srv, reqs[1:], 1, 100, s)
        again = load("again", srv, reqs, 1, 1, s)  # the first text once more: what the first call paid
        figures["first_ms"], figures["then_ms"] = first.latencies[0] * 1000, statistics.median(then.latencies) * 1000
        figures["hundredth_ms"], figures["again_ms"] = then.latencies[-1] * 1000, again.latencies[0] * 1000
        print(f"checks on (policy {args.policy or 'default'}): {', '.join(srv.health.get('checks', []))}")
        load("warm-up", srv, reqs, c, 300, s)
        results["floor1"] = load("1 worker  GET /healthz (HTTP floor)", srv, FLOOR, c, n, s)
        results["check1"] = load("1 worker  POST /v1/check (tweets, x)", srv, reqs, c, n, s)
        batches = srv.metric("postguard_check_batch_size_sum") / max(srv.metric("postguard_check_batch_size_count"), 1)
        figures["rss_1"] = max(srv.rss_mb())
        before = max(srv.rss_mb())
        grow = load("memory", srv, reqs, c, args.memory_requests, max(300.0, 20 * s))
        after = max(srv.rss_mb())
        figures["growth_mb"] = after - before
        figures["growth_n"] = grow.requests
    finally:
        srv.stop()

    # ---- 2 workers
    srv = Server(2, policy=args.policy)
    try:
        figures["cold_start_2_s"] = srv.cold_start
        load("warm-up", srv, reqs, c, 300, s)
        results["floor2"] = load("2 workers GET /healthz (HTTP floor)", srv, FLOOR, c, n, s)
        results["check2"] = load("2 workers POST /v1/check (tweets, x)", srv, reqs, c, n, s)
        results["seq2"] = load("2 workers GET /healthz, one at a time", srv, FLOOR, 1, 300, s)
        figures["rss_2"] = max(srv.rss_mb())
        figures["workers_2"] = len(srv.rss_mb())
        figures["pss_2"] = sum(srv.pss_mb())
    finally:
        srv.stop()

    # ---- in process: check_many by 50 on this process, the rate the service is held to
    figures["in_process"] = in_process_rate(texts, args.policy, s)

    nodelay: dict[str, Result] = {}
    if not args.quick:
        for name in ("uvicorn", "postguard"):
            srv = Server(2, asyncio_protocol=name, policy=args.policy)
            try:
                load("warm-up", srv, FLOOR, 1, 100, s)
                nodelay[name] = load(f"2 workers, asyncio loop, {name} protocol: /healthz x1", srv, FLOOR, 1, 300, s)
            finally:
                srv.stop()
        srv = Server(1, policy=args.policy, env={"POSTGUARD_BATCH_MAX_TEXTS": "1", "POSTGUARD_BATCH_WINDOW_MS": "0"})
        try:
            load("warm-up", srv, reqs, c, 300, s)
            results["check1nobatch"] = load("1 worker, no micro-batching: /v1/check", srv, reqs, c, n, s)
        finally:
            srv.stop()
        srv = Server(1, policy=args.policy, env={"POSTGUARD_CHECK_PROCESSES": "0"})
        try:
            load("warm-up", srv, reqs, c, 300, s)
            results["check1thread"] = load("1 worker, checks on a thread: /v1/check", srv, reqs, c, n, s)
        finally:
            srv.stop()

    print()
    for r in [*results.values(), *nodelay.values()]:
        print(row(r))
    print()
    one = results["check1"]
    print(f"  mean micro-batch at concurrency {c}: {batches:.1f} texts")
    print(f"  server CPU per check, 1 worker: {one.cpu_ms:.2f} ms (HTTP floor {results['floor1'].cpu_ms:.2f} ms) "
          f"-> {1000 / one.cpu_ms:.0f} checks/s per fully available core")
    print(f"  checks/s vs HTTP floor (1 worker): {one.rps / results['floor1'].rps:.2f}x"
          f"   2 workers vs 1: {results['check2'].rps / one.rps:.2f}x")
    if "check1nobatch" in results:
        nb = results["check1nobatch"]
        print(f"  micro-batching vs none (1 worker): {one.rps / nb.rps:.2f}x req/s, "
              f"p95 {one.pct(95):.1f} vs {nb.pct(95):.1f} ms, server CPU {one.cpu_ms:.2f} vs {nb.cpu_ms:.2f} ms/check")
    if "check1thread" in results:
        th = results["check1thread"]
        print(f"  check processes vs the worker's thread (1 worker): {one.rps / th.rps:.2f}x req/s, "
              f"p95 {one.pct(95):.1f} vs {th.pct(95):.1f} ms, server CPU {one.cpu_ms:.2f} vs {th.cpu_ms:.2f} ms/check")
    if nodelay:
        print(f"  keep-alive requests one at a time, 2 workers on the asyncio loop: p50 {nodelay['uvicorn'].pct(50):.2f} ms "
              f"with uvicorn's protocol, {nodelay['postguard'].pct(50):.2f} ms with TCP_NODELAY set "
              f"(uvloop, the default: {results['seq2'].pct(50):.2f} ms)")
    print(f"  cold start to ready: {figures['cold_start_s']:.2f} s (1 worker; median of "
          f"{', '.join(f'{x:.2f}' for x in figures['cold_starts'])}), {figures['cold_start_2_s']:.2f} s (2 workers); "
          f"{figures['cold_cpu_s']:.2f} s of CPU")
    known = sum(steps.values())
    print("  start steps (1 worker, the last start): " + ", ".join(
        # (with one worker the steps are the fork server's, loading while the worker imports the
        # web stack: the rest is the process start to that fork, and what the worker waits for)
        [f"process start, imports and server (the rest) {figures['cold_start_3_s'] - known:.2f} s",
         *(f"{name} {sec:.2f} s" for name, sec in steps.items())]))
    print(f"  first check after /readyz: {figures['first_ms']:.1f} ms (the same text after the next 100: "
          f"{figures['again_ms']:.1f} ms); the next 100 one at a time: median {figures['then_ms']:.1f} ms, "
          f"the hundredth {figures['hundredth_ms']:.1f} ms")
    print(f"  one text new to a fresh server: {figures['fresh_first_ms']:.1f} ms as its first request, "
          f"{figures['fresh_after_ms']:.1f} ms after a hundred others (another start): "
          f"{figures['fresh_first_ms'] / figures['fresh_after_ms']:.2f}x")
    print(f"  in process, check_many by 50 (1 process): {figures['in_process']:.0f} checks/s; the service, 1 worker, "
          f"at concurrency {c}: {one.rps / figures['in_process']:.2f}x of it")
    print(f"  RSS per process: {figures['rss_1']:.0f} MB (1 worker), {figures['rss_2']:.0f} MB (max of {figures['workers_2']:.0f} "
          f"processes of 2 workers with their fork servers and check processes; forked after loading, they share "
          f"{figures['workers_2'] * figures['rss_2'] - figures['pss_2']:.0f} MB: PSS {figures['pss_2']:.0f} MB together)")
    print(f"  RSS growth over {figures['growth_n']:.0f} check requests: {figures['growth_mb']:+.1f} MB")
    print()
    goals = [
        ("checks/s, 1 worker", one.rps, ">=", GOALS["checks_per_s"]),
        ("of in-process rate", one.rps / figures["in_process"], ">=", GOALS["of_in_process"]),
        ("p95 ms, 1 worker", one.pct(95), "<=", GOALS["p95_ms"]),
        ("cold start s", figures["cold_start_s"], "<=", GOALS["cold_start_s"]),
        ("RSS MB per worker", max(figures["rss_1"], figures["rss_2"]), "<=", GOALS["rss_mb"]),
    ]
    for name, value, op, goal in goals:
        ok = value >= goal if op == ">=" else value <= goal
        print(f"  goal {name:<20} {value:9.2f} {op} {goal:g}   {'ok' if ok else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
