"""Decisions, their rules and the log's secret.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "postguard_decisions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("check_id", sa.String(64), nullable=False, unique=True),
        sa.Column("at", sa.BigInteger, nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("policy", sa.String(64), nullable=False),
        sa.Column("verdict", sa.String(8), nullable=False),
        sa.Column("reason", sa.String(200), nullable=True),
        sa.Column("user_key", sa.String(64), nullable=False),
    )
    op.create_index("ix_postguard_decisions_at", "postguard_decisions", ["at"])
    op.create_table(
        "postguard_decision_rules",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "check_id",
            sa.String(64),
            sa.ForeignKey("postguard_decisions.check_id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("rule_id", sa.String(128), nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("acted", sa.Boolean, nullable=False),
    )
    op.create_index("ix_postguard_decision_rules_check_id", "postguard_decision_rules", ["check_id"])
    op.create_table(
        "postguard_meta",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.String(256), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("postguard_meta")
    op.drop_table("postguard_decision_rules")
    op.drop_table("postguard_decisions")
