"""The decision log: what happened after a warning, kept without the post's text.

    Decision (outcome + rule ids, categories, severities; never text)
      -> DecisionLog.record()    one row per check, SQLite or PostgreSQL, Alembic-migrated on open
      -> DecisionLog.stats()     Stats: outcomes, the nudge rate overall, per rule, per day, per platform

``DecisionLog`` and ``Stats`` need the ``decisions`` extra (SQLAlchemy, Alembic); they are imported
on first use, so ``postguard`` itself and ``Decision`` work without it.
"""

import os
from pathlib import Path

from postguard.decisions.record import OUTCOMES, Decision, DecisionRule, Outcome

__all__ = ["OUTCOMES", "Decision", "DecisionLog", "DecisionRule", "Outcome", "Stats"]

_LAZY = {"DecisionLog": "postguard.decisions.store", "Stats": "postguard.decisions.stats"}


def default_data_dir() -> Path:
    """``$XDG_DATA_HOME/postguard`` (``~/.local/share/postguard``): where the service keeps its files."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "postguard"


def __getattr__(name: str) -> object:
    if name not in _LAZY:
        raise AttributeError(f"module 'postguard.decisions' has no attribute {name!r}")
    import importlib

    try:
        module = importlib.import_module(_LAZY[name])
    except ModuleNotFoundError as exc:
        if exc.name in ("sqlalchemy", "alembic"):
            raise ImportError(
                f"postguard.decisions.{name} needs the decision log's libraries: pip install 'postguard[decisions]'"
            ) from exc
        raise
    return getattr(module, name)
