"""The decision log's tables (SQLAlchemy Core); the migrations in ``migrations/`` create them."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, ForeignKey, Index, Integer, MetaData, String, Table

metadata = MetaData()

decisions = Table(
    "postguard_decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("check_id", String(64), nullable=False, unique=True),
    Column("at", BigInteger, nullable=False),  # unix seconds, UTC: portable day buckets (at // 86400)
    Column("outcome", String(16), nullable=False),
    Column("platform", String(32), nullable=False),
    Column("policy", String(64), nullable=False),
    Column("verdict", String(8), nullable=False),
    Column("reason", String(200), nullable=True),
    Column("user_key", String(64), nullable=False),
    Index("ix_postguard_decisions_at", "at"),
)

decision_rules = Table(
    "postguard_decision_rules",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # By check id, not row id: a batch of decisions and their rules go in as two bulk inserts.
    Column(
        "check_id", String(64), ForeignKey("postguard_decisions.check_id", ondelete="CASCADE"), nullable=False,
        index=True,
    ),
    Column("rule_id", String(128), nullable=False),
    Column("category", String(32), nullable=False),
    Column("severity", String(16), nullable=False),
    Column("acted", Boolean, nullable=False),
)

#: One row: the log's secret (keyed hashes of users), shared by every worker and host on the database.
meta = Table(
    "postguard_meta",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", String(256), nullable=False),
)
