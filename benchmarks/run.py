"""Run every benchmark topic (``benchmarks/<topic>.py``) in one go and summarise how each went.

Each topic runs in its own process (``python benchmarks/<topic>.py --data DATA``), one after the
other, its output streamed as it comes, and is stopped when it runs past ``--timeout`` seconds.
Exit status 0 when every topic that ran finished with 0.

    python benchmarks/run.py --data ../shared/data [--only speed,profanity] [--skip http_load]
    python benchmarks/run.py --list
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: Files in benchmarks/ that are not topics.
NOT_TOPICS = {"run", "conftest"}


def topics() -> list[str]:
    """Every ``benchmarks/*.py`` with a ``main``, by name."""
    found = []
    for path in sorted(HERE.glob("*.py")):
        name = path.stem
        if name in NOT_TOPICS or name.startswith("_"):
            continue
        if "def main(" in path.read_text(encoding="utf-8"):
            found.append(name)
    return found


def _names(value: str | None, known: list[str], option: str) -> set[str]:
    if not value:
        return set()
    names = {n.strip().removesuffix(".py") for n in value.split(",") if n.strip()}
    unknown = sorted(names - set(known))
    if unknown:
        print(f"run.py: {option}: unknown topic {unknown[0]!r}; topics: {', '.join(known)}", file=sys.stderr)
        raise SystemExit(2)
    return names


def run_topic(name: str, data: Path, timeout: float) -> tuple[str, float]:
    """Run one topic, streaming its output; ``(status, seconds)``."""
    command = [sys.executable, str(HERE / f"{name}.py"), "--data", str(data)]
    t0 = time.perf_counter()
    # own process group, so a topic that starts workers (a server, a pool) is stopped whole
    proc = subprocess.Popen(command, cwd=HERE.parent, start_new_session=True)
    try:
        rc = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        return f"timed out after {timeout:.0f} s", time.perf_counter() - t0
    except KeyboardInterrupt:
        os.killpg(proc.pid, signal.SIGTERM)
        raise
    return ("ok" if rc == 0 else f"failed (exit {rc})"), time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    known = topics()
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data", help="passed to every topic")
    ap.add_argument("--only", help=f"comma-separated topics to run (of: {', '.join(known)})")
    ap.add_argument("--skip", help="comma-separated topics not to run")
    # (encoder_layers takes about 13 minutes the first time, before its cache of encoded texts)
    ap.add_argument("--timeout", type=float, default=1200, help="seconds one topic may take (default 1200)")
    ap.add_argument("--list", action="store_true", help="list the topics and exit")
    args = ap.parse_args(argv)

    if args.list:
        print("\n".join(known))
        return 0
    only = _names(args.only, known, "--only")
    skip = _names(args.skip, known, "--skip")
    chosen = [n for n in known if (not only or n in only) and n not in skip]
    if not chosen:
        print("run.py: no topic left to run", file=sys.stderr)
        return 2

    results: list[tuple[str, str, float]] = []
    for name in chosen:
        print(f"\n===== {name} =====", flush=True)
        status, seconds = run_topic(name, args.data, args.timeout)
        results.append((name, status, seconds))
        print(f"----- {name}: {status} in {seconds:.0f} s", flush=True)

    print("\n===== summary =====")
    for name, status, seconds in results:
        print(f"{name:20} {status:28} {seconds:7.0f} s")
    return 0 if all(status == "ok" for _, status, _ in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
