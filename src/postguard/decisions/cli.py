"""``postguard stats``: the decision log's table, as ``GET /v1/stats`` gives it (registered in ``postguard.cli``)."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime, timezone
from pathlib import Path

from postguard.cli import EXIT_ERROR, EXIT_OK, SUBCOMMANDS
from postguard.decisions import default_data_dir

HELP = "outcomes and nudge rates from the service's decision log"


def _when(value: str) -> int:
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 date or time: {value!r}") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return int(when.timestamp())


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database-url", default=os.environ.get("POSTGUARD_DATABASE_URL"),
        help="default: $POSTGUARD_DATABASE_URL, else the service's SQLite file in $POSTGUARD_DATA_DIR",
    )
    parser.add_argument("--since", type=_when, help="from this date or time (UTC when naive)")
    parser.add_argument("--until", type=_when, help="before this date or time")
    parser.add_argument("--platform")
    parser.add_argument("--policy")
    parser.add_argument("--output", "-o", default="text", choices=["text", "json"])


def run(args: argparse.Namespace) -> int:
    try:
        from postguard.decisions.store import DecisionLog
    except ModuleNotFoundError as exc:
        print(f"postguard: error: stats needs {exc.name}: pip install 'postguard[decisions]'", file=sys.stderr)
        return EXIT_ERROR

    url = args.database_url
    if not url:
        path = Path(os.environ.get("POSTGUARD_DATA_DIR") or default_data_dir()) / "postguard.db"
        if not path.exists():
            print(f"postguard: error: no decision log at {path} (has the service run?)", file=sys.stderr)
            return EXIT_ERROR
        url = f"sqlite:///{path}"
    store = DecisionLog(url, retention_days=int(os.environ.get("POSTGUARD_DECISIONS_RETENTION_DAYS", "180")))
    try:
        stats = store.stats(since=args.since, until=args.until, platform=args.platform, policy=args.policy)
    finally:
        store.close()
    print(stats.model_dump_json(indent=2) if args.output == "json" else stats.table())
    return EXIT_OK


SUBCOMMANDS["stats"] = (HELP, add_arguments, run)
