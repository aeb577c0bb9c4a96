"""``postguard serve``: run the REST service with uvicorn (registered in ``postguard.cli``).

Imports nothing heavy at module level: ``postguard`` loads this module on every command.
"""

from __future__ import annotations

import argparse
import os
import sys

from postguard.cli import SUBCOMMANDS


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    env = os.environ.get
    parser.add_argument("--host", default=env("POSTGUARD_HOST", "127.0.0.1"), help="default: 127.0.0.1 (this machine only)")
    parser.add_argument("--port", type=int, default=int(env("POSTGUARD_PORT", "8000")), help="default: 8000")
    parser.add_argument("--workers", type=int, default=int(env("POSTGUARD_WORKERS", "1")), help="worker processes (default: 1)")
    parser.add_argument("--policy", default=env("POSTGUARD_POLICY", "default"), help="policy used when a request names none")
    parser.add_argument("--log-level", default=env("POSTGUARD_LOG_LEVEL", "info"), choices=["debug", "info", "warning", "error"])


def _run(args: argparse.Namespace) -> int:
    # Before numpy loads: each worker checks on one thread, and BLAS threads spinning beside it
    # (on small matrices) only take CPU from the event loop and the other workers.
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    from pydantic import ValidationError

    from postguard.policy import load_policy

    load_policy(args.policy)  # a bad --policy fails here, in one line, not in every worker
    if args.workers < 1:
        print("postguard: error: --workers must be at least 1", file=sys.stderr)
        return 2
    # Workers are separate processes that read their settings from the environment.
    os.environ.update(
        POSTGUARD_HOST=args.host,
        POSTGUARD_PORT=str(args.port),
        POSTGUARD_WORKERS=str(args.workers),
        POSTGUARD_POLICY=str(args.policy),
        POSTGUARD_LOG_LEVEL=args.log_level,
    )
    from postguard.api.settings import Settings

    try:  # bad POSTGUARD_* values or an unreadable key file: one line now, not a traceback per worker
        Settings().key_hashes
    except ValidationError as exc:
        err = exc.errors()[0]
        print(f"postguard: error: POSTGUARD_{str(err['loc'][0]).upper()}: {err['msg']}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as exc:
        print(f"postguard: error: POSTGUARD_API_KEYS_FILE: {exc}", file=sys.stderr)
        return 2

    from postguard.api.server import serve

    return serve(args.host, args.port, args.workers, args.log_level)


SUBCOMMANDS["serve"] = ("run the REST service (http://127.0.0.1:8000 by default)", _add_arguments, _run)
