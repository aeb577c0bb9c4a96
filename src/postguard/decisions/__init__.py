"""The decision log: what happened after a warning, kept without the post's text.

    Decision (outcome + rule ids, categories, severities; never text)
      -> DecisionLog.record()    one row per check, SQLite or PostgreSQL, Alembic-migrated on open
      -> DecisionLog.stats()     Stats: outcomes, the nudge rate overall, per rule, per day, per platform
"""

from postguard.decisions.record import OUTCOMES, Decision, DecisionRule, Outcome
from postguard.decisions.stats import Stats
from postguard.decisions.store import DecisionLog

__all__ = ["OUTCOMES", "Decision", "DecisionLog", "DecisionRule", "Outcome", "Stats"]
