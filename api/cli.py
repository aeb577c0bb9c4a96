"""``postguard serve``: run the REST service with uvicorn (registered in ``postguard.cli``).

Imports nothing heavy at module level: ``postguard`` loads this module on every command, and
``postguard check`` must run without the ``[server]`` extra and whatever ``POSTGUARD_*`` holds.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys

from postguard.cli import SUBCOMMANDS

#: What ``postguard serve`` imports beyond the library: the ``[server]`` extra.
SERVER_PACKAGES = ("fastapi", "fastapi_offline", "uvicorn", "pydantic_settings", "prometheus_client")
_FLAGS = {
    "host": "--host", "port": "--port", "workers": "--workers", "policy": "--policy", "log_level": "--log-level",
}


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    # No defaults here: the settings (POSTGUARD_* and their defaults) are read once, in _run.
    parser.add_argument("--host", help="default: POSTGUARD_HOST, else 127.0.0.1 (this machine only)")
    parser.add_argument("--port", type=int, help="default: POSTGUARD_PORT, else 8000")
    parser.add_argument("--workers", type=int, help="worker processes (default: POSTGUARD_WORKERS, else 1)")
    parser.add_argument(
        "--policy", help="policy used when a request names none (default: POSTGUARD_POLICY, else default)"
    )
    parser.add_argument(
        "--log-level", choices=["debug", "info", "warning", "error"], help="default: POSTGUARD_LOG_LEVEL, else info"
    )


def missing_server_packages() -> list[str]:
    """The ``[server]`` packages that are not installed (found, not imported: the fork server
    starts loading before the web stack is imported, see ``preload.start_early``)."""
    import importlib.util

    missing = []
    for name in SERVER_PACKAGES:
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            missing.append(name)
    return missing


def _run(args: argparse.Namespace) -> int:
    # The start imports the web stack, spaCy and presidio and builds the models and rules: millions
    # of objects that live as long as the process. Collecting while that runs only scans them again
    # and again (importing alone: 1.8 -> 1.5 s of CPU with collection off). Service._load freezes
    # them and turns collection back on once loaded.
    gc.disable()
    missing = missing_server_packages()
    if missing:
        print(
            f"postguard: error: 'postguard serve' needs the service's packages ({', '.join(missing)}"
            " missing): pip install 'postguard[server]'",
            file=sys.stderr,
        )
        return 2
    # Before numpy loads: each worker checks on one thread, and BLAS threads spinning beside it
    # (on small matrices) only take CPU from the event loop and the other workers.
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    from pydantic import ValidationError

    from postguard.api.settings import Settings
    from postguard.policy import load_policy

    flags = {field: getattr(args, field) for field in _FLAGS if getattr(args, field) is not None}
    try:  # bad POSTGUARD_* values or an unreadable key file: one line now, not a traceback per worker
        settings = Settings(**flags)  # flags win over the environment
        settings.key_hashes
    except ValidationError as exc:
        err = exc.errors()[0]
        field = str(err["loc"][0])
        where = _FLAGS[field] if field in flags else f"POSTGUARD_{field.upper()}"
        print(f"postguard: error: {where}: {err['msg']}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as exc:
        print(f"postguard: error: POSTGUARD_API_KEYS_FILE: {exc}", file=sys.stderr)
        return 2
    load_policy(settings.policy)  # a bad --policy fails here, in one line, not in every worker
    # Workers are separate processes that read their settings from the environment.
    os.environ.update({f"POSTGUARD_{field.upper()}": str(getattr(settings, field)) for field in _FLAGS})
    if settings.workers == 1 and settings.check_processes:
        from postguard.api.preload import start_early

        # The models load in the fork server from now on, on the other core, while this process
        # imports the web stack and opens the decision log.
        start_early(settings.policy)

    from postguard.api.server import serve

    return serve(settings.host, settings.port, settings.workers, settings.log_level)


SUBCOMMANDS["serve"] = ("run the REST service (http://127.0.0.1:8000 by default)", _add_arguments, _run)
