"""``postguard scan``: check everything an account or a blog has already published.

Exit codes as ``check``: 0 nothing blocks; 1 a ``block`` finding (or a ``warn`` with ``--strict``);
2 a usage or configuration error, or an input that could not be read (the rest is still scanned
and reported); 130 interrupted (the checkpoint is saved: run the same command with ``--resume``).
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from datetime import datetime, timezone
from functools import partial
from pathlib import Path

from postguard.cli import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, SUBCOMMANDS, _jobs
from postguard.errors import InputError, ReadError
from postguard.findings import Severity
from postguard.platforms import platform_names


def _add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="exports: an X or Mastodon archive (.zip or folder), a Bluesky .car or JSONL, a "
                        "WordPress export (.xml), an RSS/Atom feed, a folder of Markdown, CSV or JSONL")
    p.add_argument("--policy", default=None, help="built-in policy name or a YAML file (default: default)")
    p.add_argument("--since", type=_date, metavar="DATE", help="only posts from this date (YYYY-MM-DD) on")
    p.add_argument("--until", type=_date, metavar="DATE", help="only posts before this date")
    p.add_argument("--jobs", "-j", type=_jobs, default=1, metavar="N", help="worker processes (default: 1)")
    p.add_argument("--dask", metavar="ADDRESS", help="check on the Dask cluster at ADDRESS (tcp://host:8786)")
    p.add_argument("--output", "-o", type=Path, metavar="FILE",
                   help="report.html, .csv, .jsonl or .sarif (default: one line per finding on stdout)")
    p.add_argument("--min-severity", default="info", choices=["info", "warning", "block"])
    p.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    p.add_argument("--resume", action="store_true", help="go on from the checkpoint an interrupted scan left")
    p.add_argument("--text-column", default="text", metavar="NAME", help="CSV/JSONL: the column holding the text")
    p.add_argument("--platform", default="generic", choices=platform_names(),
                   help="CSV/JSONL: the platform the rows were posted on")
    p.add_argument("--progress", default="auto", choices=["auto", "always", "never"],
                   help="progress bar on stderr (auto: when it is a terminal)")


def _date(value: str) -> datetime:
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def _run(args: argparse.Namespace) -> int:
    from postguard.engine import Checker
    from postguard.scan import checkpoint
    from postguard.scan.journal import Journal, Totals, flag
    from postguard.scan.runner import scan_batches

    if args.resume and args.output is None:
        raise InputError("--resume needs --output (the checkpoint is kept beside the report)")
    if args.dask and args.jobs > 1:
        raise InputError("--jobs and --dask are alternatives: the cluster's workers are the jobs")
    for p in args.paths:
        if not Path(p).exists():
            raise InputError(f"{p}: no such file or folder")
    if args.output is not None:
        from postguard.scan.writers import check_output

        check_output(args.output)
    minimum = Severity(args.min_severity)
    inputs = [str(Path(p).resolve()) for p in args.paths]
    options = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in vars(args).items()
               if k in ("policy", "since", "until", "min_severity", "text_column", "platform")}

    totals, skip, state = Totals(), 0, None
    journal = None
    if args.output is not None:
        ckpt, jpath = checkpoint.checkpoint_path(args.output), checkpoint.journal_path(args.output)
        state = checkpoint.load(ckpt, inputs, options) if args.resume else None
        if state is not None:
            totals, skip = Totals.from_dict(state["totals"]), state["done"]
            print(f"postguard: resuming after {skip:,} posts", file=sys.stderr)

    errors: list[ReadError] = []

    def on_error(err: ReadError) -> None:
        errors.append(err)
        bar.write(f"postguard: warning: {err}", file=sys.stderr)

    started = time.perf_counter()
    checker = Checker(policy=args.policy)
    if args.output is not None:
        journal = Journal(jpath, resume_at=state["journal_bytes"] if state else None)
    show = args.progress == "always" or (args.progress == "auto" and sys.stderr.isatty())
    bar = _progress(show, skip)
    counting = not show  # the total, for the ETA, is counted while the scan runs

    saved = [skip]

    def save() -> None:
        if journal is not None:
            checkpoint.save(ckpt, {"inputs": inputs, "options": options, "done": totals.posts,
                                   "journal_bytes": journal.flush(), "totals": totals.to_dict()})
            saved[0] = totals.posts

    # Each batch is checked, and its flagged posts' journal lines written, where it runs (on a worker
    # with --jobs N): this process only reads, appends lines and adds up counts.
    batches = scan_batches(args.paths, checker=checker, since=args.since, until=args.until, jobs=args.jobs,
                           dask=args.dask, text_column=args.text_column, platform=args.platform, skip=skip,
                           on_error=on_error, task=partial(flag, minimum=minimum))
    # Ctrl-C mostly lands while waiting for the next batch; there the state is whole and is saved.
    # One that lands while a batch is being recorded leaves the last checkpoint (the batch before) in force.
    in_body = False
    try:
        for posts, flagged in batches:
            in_body = True
            for post, one in zip(posts, flagged):
                totals.add(post, one)
            lines = [one.line for one in flagged if one is not None]
            if journal is not None:
                journal.add(lines)
            else:
                for line in lines:
                    _print_findings(json.loads(line))
            bar.update(len(posts))
            if not counting:  # started once the workers are forked: a fork copies no thread safely
                threading.Thread(target=_count, args=(bar, args), daemon=True).start()
                counting = True
            save()
            in_body = False
    except KeyboardInterrupt:
        if not in_body:
            save()
        bar.close()
        if journal is not None:
            journal.close()
            print(f"postguard: interrupted; {saved[0]:,} posts saved; run the same command with --resume "
                  "to go on", file=sys.stderr)
        return 130
    finally:
        batches.close()  # stops the workers at once on any way out
    bar.close()
    totals.read_errors += len(errors)
    elapsed = time.perf_counter() - started
    if journal is not None:
        from postguard.scan.writers import write_report

        journal.close()
        meta = {"inputs": [str(p) for p in args.paths], "policy": checker.policy.name,
                "generated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "errors": [str(e) for e in errors], "min_severity": args.min_severity}
        write_report(args.output, jpath, totals, meta)
        jpath.unlink()
        ckpt.unlink(missing_ok=True)
    print(f"postguard: {totals.posts:,} posts in {elapsed:.1f} s; {totals.flagged:,} flagged "
          f"(block {totals.verdicts.get('block', 0):,}, warn {totals.verdicts.get('warn', 0):,}), "
          f"{totals.findings:,} findings, {len(errors)} read errors"
          + (f"; report: {args.output}" if args.output else ""), file=sys.stderr)
    if errors:
        return EXIT_ERROR
    if totals.verdicts.get("block") or (args.strict and totals.verdicts.get("warn")):
        return EXIT_FINDINGS
    return EXIT_OK


def _progress(show: bool, initial: int):
    from tqdm import tqdm

    class Bar(tqdm):
        # No monitor thread: the worker processes are forked later, and a fork copies no thread safely.
        monitor_interval = 0

    return Bar(total=None, initial=initial, unit=" posts", desc="scanning", disable=not show, file=sys.stderr,
                mininterval=0.5, smoothing=0.05, dynamic_ncols=True)


def _count(bar, args: argparse.Namespace) -> None:
    """Count the posts the scan will check (reading is far cheaper than checking), for the ETA."""
    from postguard.scan.runner import read_posts

    n = sum(1 for _ in read_posts(args.paths, since=args.since, until=args.until, text_column=args.text_column,
                                  platform=args.platform, on_error=lambda e: None))
    bar.total = n


def _print_findings(record: dict) -> None:
    p = record["post"]
    where = p["url"] or f"{p['source']}#{p['id']}"
    for f in record["findings"]:
        excerpt = f["excerpt"].replace("\n", " ")
        if len(excerpt) > 60:
            excerpt = excerpt[:57] + "..."
        line = f"{where} {p['date'] or '-'} {f['severity']} {f['rule_id']} {f['message']} [{excerpt}]"
        # A lone surrogate (from a JSON export) cannot be written to a UTF-8 terminal: shown escaped.
        print(line.encode("utf-8", "backslashreplace").decode("utf-8"))


SUBCOMMANDS["scan"] = ("check every post in account archives and blog exports", _add_arguments, _run)
