"""Scan speed: ``postguard scan`` over a generated X archive, on one process, two, and a Dask LocalCluster.

The archive (``data/tweets.js`` and ``data/account.js``, in a temporary folder) repeats the shared
tweets (``semeval_sentiment/train.csv``) with fresh ids and dates over ten years until it holds
``--size`` tweets. Each configuration runs the real command in its own process
(``postguard scan ARCHIVE --jobs N --output out.jsonl --progress always``) and prints:

- posts/s over the whole run (start to exit, model loading included) and at the steady rate
  (from the first progress update to the end), with the ratio to ``--jobs 1`` measured in the same run;
- time to the first progress update (the first batch checked);
- peak RSS of the largest single process (the scan's own, or one worker's) and of the whole tree
  (every process's RSS added, so pages shared after the fork count once per process), sampled every
  0.2 s from /proc;
- CPU milliseconds per post, split: the scan's own process (reading, recording, writing the report),
  counted from its first batch on, so loading the models is left out and shown apart; its workers
  (from ``getrusage`` of the reaped children, or the LocalCluster's processes); and the two added.
  On a shared machine the wall-clock ratio is capped by the cores free, the CPU per post is not:
  ``2 x CPU(--jobs 1) / CPU(--jobs 2)`` is the speed-up two free cores would give;
- the cores the run actually got (CPU seconds / wall seconds), the load average before and after,
  and whether ``--jobs 2`` reached the target of 1.8x ``--jobs 1``.

``--rss-sizes`` runs ``--jobs 1`` again at other archive sizes and prints the peak RSS of the largest
archive against the smallest's (flat: 1.00x; memory zones and bounded caches, docs/scan.md).

    python benchmarks/scan.py ../shared/data/semeval_sentiment/train.csv [--size 100000]
        [--jobs 1,2] [--dask] [--rss-sizes 2000,10000]
    python benchmarks/scan.py ../shared/data/semeval_sentiment/train.csv --size 5000 --jobs 1 --rss-sizes 40000
    python benchmarks/scan.py --data ../shared/data      (as benchmarks/run.py calls it)
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from html import escape
from pathlib import Path

_COUNT = re.compile(rb"scanning: (?:\s*\d+%\|[^|]*\| )?(\d+)")
#: ``--jobs 2`` against ``--jobs 1``, posts per second over the whole run (issue #17).
TARGET = 1.8

# Runs ``postguard scan`` as ``python -m postguard`` does, then writes its own CPU seconds (all its
# threads), its reaped workers', and its own at the first batch (the models loaded, the workers forked).
_SCAN = """
import json, resource, sys, time
from postguard.cli import main
from postguard.scan import runner
first = []
batches = runner.scan_batches
def timed(*args, **kwargs):
    inner = batches(*args, **kwargs)
    try:
        for item in inner:
            if not first:
                first.append((time.process_time(), len(item[0])))
            yield item
    finally:
        inner.close()
runner.scan_batches = timed
try:
    code = main(sys.argv[2:])
finally:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(sys.argv[1], "w") as f:
        at, n = first[0] if first else (None, 0)
        json.dump({"parent": own.ru_utime + own.ru_stime, "workers": kids.ru_utime + kids.ru_stime,
                   "parent_at_first": at, "first_batch": n}, f)
sys.exit(code)
"""


def make_archive(data: Path, size: int, folder: Path) -> Path:
    """An X archive folder holding ``size`` tweets made from the shared ones (escaped as X escapes them)."""
    with data.open(encoding="utf-8", newline="") as f:
        texts = [row["text"] for row in csv.DictReader(f)]
    root = folder / f"x-archive-{size}"
    (root / "data").mkdir(parents=True)
    start = datetime(2015, 1, 1, tzinfo=timezone.utc)
    step = timedelta(days=3650) / size
    with open(root / "data" / "tweets.js", "w", encoding="utf-8") as out:
        out.write("window.YTD.tweets.part0 = [\n")
        for i in range(size):
            when = (start + i * step).strftime("%a %b %d %H:%M:%S +0000 %Y")
            tweet = {"tweet": {"id_str": str(10**17 + i), "full_text": escape(texts[i % len(texts)], quote=False), "created_at": when,
                               "entities": {"urls": [], "hashtags": []}}}
            out.write(("," if i else "") + json.dumps(tweet) + "\n")
        out.write("]\n")
    (root / "data" / "account.js").write_text(
        'window.YTD.account.part0 = [{"account": {"username": "bench"}}]\n', encoding="utf-8")
    return root


def _tree_rss(pid: int) -> tuple[int, int]:
    """(largest single RSS, sum of RSS) in kB over ``pid``'s descendants (not ``pid`` itself)."""
    sizes, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            if p != pid:
                with open(f"/proc/{p}/status") as f:
                    sizes += [int(line.split()[1]) for line in f if line.startswith("VmRSS:")]
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
    return (max(sizes, default=0), sum(sizes))


def _cpu_of(pids) -> float:
    """User + system CPU seconds of live processes (a LocalCluster's nannies and workers)."""
    total = 0.0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        for task in os.listdir(f"/proc/{p}/task"):
            with open(f"/proc/{p}/task/{task}/children") as f:
                kids = [int(c) for c in f.read().split()]
            found += kids
            todo += kids
    return found


def run_scan(archive: Path, size: int, out: Path, extra: list[str], cluster_pids: list[int] = ()) -> dict:
    """One ``postguard scan`` in its own process, timed and sampled.

    RSS is sampled over every process below this one: the scan, its workers, and a LocalCluster's.
    CPU seconds come from the scan's process itself (its own, its reaped workers'), plus the cluster's
    processes' for a LocalCluster.
    """
    usage = out.with_name(out.name + ".cpu.json")
    cmd = [sys.executable, "-c", _SCAN, str(usage), "scan", str(archive), "--output", str(out),
           "--progress", "always", *extra]
    cluster0 = _cpu_of(cluster_pids)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
    first: list[tuple[float, int]] = []
    peak = [0, 0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            one, total = _tree_rss(os.getpid())
            peak[0], peak[1] = max(peak[0], one), max(peak[1], total)
            time.sleep(0.2)

    tail = [b""]

    def progress() -> None:
        assert proc.stderr is not None
        buf = b""
        while chunk := proc.stderr.read1(4096):
            buf = tail[0] = (buf + chunk)[-4096:]
            if not first:
                counts = [int(m) for m in _COUNT.findall(buf)]
                if any(counts):
                    first.append((time.perf_counter() - t0, max(counts)))

    threads = [threading.Thread(target=sample, daemon=True), threading.Thread(target=progress, daemon=True)]
    for t in threads:
        t.start()
    code = proc.wait()
    elapsed = time.perf_counter() - t0
    cluster = _cpu_of(cluster_pids) - cluster0
    done.set()
    for t in threads:
        t.join(timeout=5)
    if code not in (0, 1):
        raise SystemExit(f"scan failed ({code}): {' '.join(cmd[3:])}\n{tail[0].decode(errors='replace')}")
    cpu = json.loads(usage.read_text(encoding="utf-8"))
    first_s, first_n = first[0] if first else (elapsed, 0)
    load = cpu["parent_at_first"] or 0.0
    after = max(size - cpu["first_batch"], 1)
    workers = cpu["workers"] + cluster
    return {
        "posts_s": size / elapsed,
        "steady_posts_s": (size - first_n) / max(elapsed - first_s, 1e-9),
        "first_update_s": first_s,
        "peak_rss_mb": peak[0] / 1024,
        "tree_rss_mb": peak[1] / 1024,
        "elapsed_s": elapsed,
        "cpu_s": cpu["parent"] + workers,
        "load_cpu_s": load,
        # The scan's own process from its first batch on (for --jobs 1 that includes every check).
        "parent_ms": 1000 * (cpu["parent"] - load) / after,
        "workers_ms": 1000 * workers / size,
        "findings": sum(1 for _ in open(out, encoding="utf-8")),
    }


def verdict(results: dict[str, dict], baseline: str = "--jobs 1", two: str = "--jobs 2") -> str | None:
    """The target's line: --jobs 2 / --jobs 1 measured, and what two free cores would give by CPU."""
    if baseline not in results or two not in results:
        return None
    one, both = results[baseline], results[two]
    measured = both["posts_s"] / one["posts_s"]
    per_post = [(r["parent_ms"] + r["workers_ms"]) for r in (one, both)]
    projected = 2 * per_post[0] / per_post[1]
    met = "met" if measured >= TARGET else "NOT met"
    return (f"{two} / {baseline}: {measured:.2f}x posts/s (target {TARGET}x: {met}); "
            f"{per_post[0]:.2f} vs {per_post[1]:.2f} ms CPU per post, so {projected:.2f}x on two free cores")


def rss_ratio(peaks: dict[int, float]) -> str:
    """Peak RSS of the largest archive against the smallest's (1.00x: flat)."""
    small, large = min(peaks), max(peaks)
    return (f"peak RSS at {large:,} / at {small:,} tweets: {peaks[large]:.0f} / {peaks[small]:.0f} MB = "
            f"{peaks[large] / peaks[small]:.2f}x ({large / small:.0f}x the tweets)")


def _ratio(value: float, base: float) -> str:
    # a short run can be done by its first progress update, leaving no steady rate to compare
    return f"{value / base:>6.2f}x" if base else f"{'-':>7}"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("tweets", type=Path, nargs="?", help="semeval_sentiment/train.csv")
    ap.add_argument("--data", type=Path, help="the shared data folder (instead of the file)")
    ap.add_argument("--size", type=int, default=100_000)
    ap.add_argument("--jobs", default="1,2", help="comma-separated --jobs values (the first is the baseline)")
    ap.add_argument("--dask", action="store_true", help="also scan on a LocalCluster of 2 worker processes")
    ap.add_argument("--rss-sizes", default="", help="other archive sizes for --jobs 1's peak RSS")
    args = ap.parse_args(argv)
    args.data = args.tweets or (args.data / "semeval_sentiment" / "train.csv" if args.data else None)
    if args.data is None:
        ap.error("give the tweets file or --data")

    before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="postguard-scan-bench-") as tmp:
        folder = Path(tmp)
        archive = make_archive(args.data, args.size, folder)
        results: dict[str, dict] = {}
        # Each run's line is printed as it ends (a 100,000-tweet run takes minutes on a busy machine).
        print(f"scan of a generated X archive: {args.size:,} tweets from {args.data.name}")
        print(f"{'run':<18}{'posts/s':>9}{'ratio':>7}{'steady/s':>10}{'ratio':>7}{'first update':>14}"
              f"{'peak RSS':>10}{'tree RSS':>10}{'cores':>7}{'CPU ms/post: scan':>19}{'workers':>9}{'all':>7}"
              f"{'load CPU':>10}{'findings':>10}{'load avg':>10}", flush=True)

        def report(name: str, r: dict) -> None:
            results[name] = r
            base = next(iter(results.values()))
            print(f"{name:<18}{r['posts_s']:>9.1f}{_ratio(r['posts_s'], base['posts_s'])}"
                  f"{r['steady_posts_s']:>10.1f}{_ratio(r['steady_posts_s'], base['steady_posts_s'])}"
                  f"{r['first_update_s']:>12.2f} s{r['peak_rss_mb']:>7.0f} MB{r['tree_rss_mb']:>7.0f} MB"
                  f"{r['cpu_s'] / r['elapsed_s']:>7.2f}{r['parent_ms']:>19.3f}{r['workers_ms']:>9.3f}"
                  f"{r['parent_ms'] + r['workers_ms']:>7.2f}{r['load_cpu_s']:>8.1f} s{r['findings']:>10,}"
                  f"{os.getloadavg()[0]:>10.1f}", flush=True)

        for jobs in [int(j) for j in args.jobs.split(",")]:
            out = folder / f"jobs{jobs}.jsonl"
            report(f"--jobs {jobs}", run_scan(archive, args.size, out, ["--jobs", str(jobs)]))
        if args.dask:
            from distributed import LocalCluster

            with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
                report("LocalCluster(2)", run_scan(archive, args.size, folder / "dask.jsonl",
                                                   ["--dask", cluster.scheduler_address],
                                                   cluster_pids=_descendants(os.getpid())))
        baseline = next(iter(results.values()))
        print("(CPU ms/post: 'scan' is the scan's own process after its first batch (with --jobs 1, every "
              "check too), 'workers' its worker processes; load CPU: the scan's own process up to its first "
              "batch. "
              "cores: CPU seconds / wall seconds; load avg: the machine's 1-minute load average as the run "
              f"ended ({before:.1f} before the first), on {os.cpu_count()} cores)")
        line = verdict(results)
        if line:
            print(line)
        sizes = [int(s) for s in args.rss_sizes.split(",") if s]
        if sizes:
            print("\npeak RSS of --jobs 1 by archive size (flat when the scan streams):", flush=True)
            print(f"  {args.size:>9,} tweets: {baseline['peak_rss_mb']:.0f} MB", flush=True)
            peaks = {args.size: baseline["peak_rss_mb"]}
            for size in sizes:
                other = make_archive(args.data, size, folder / f"rss{size}")
                r = run_scan(other, size, folder / f"rss{size}.jsonl", ["--jobs", "1"])
                peaks[size] = r["peak_rss_mb"]
                print(f"  {size:>9,} tweets: {r['peak_rss_mb']:.0f} MB", flush=True)
            print(rss_ratio(peaks))


if __name__ == "__main__":
    main()
