"""Initial schema: users, task_status, statements, transactions, category_rules.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
MONEY = sa.Numeric(precision=18, scale=2)


def _timestamp(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _owner() -> sa.Column:
    return sa.Column(
        "user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("email", sa.String(320), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("is_admin", sa.Boolean(), nullable=False),
        _timestamp("created_at"),
    )
    op.create_table(
        "task_status",
        sa.Column("id", BIG_ID, primary_key=True),
        sa.Column("task_id", sa.String(36), nullable=False),
        _owner(),
        sa.Column("task_name", sa.String(100), nullable=False),
        sa.Column("queue", sa.String(50), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("progress_percent", sa.Integer(), nullable=False),
        sa.Column("progress_message", sa.String(255)),
        sa.Column("kwargs", JSON, nullable=False),
        sa.Column("result", JSON),
        sa.Column("error_message", sa.Text()),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("file_path", sa.String(1024)),
        _timestamp("cancel_requested_at", nullable=True),
        _timestamp("created_at"),
        _timestamp("started_at", nullable=True),
        _timestamp("updated_at"),
        _timestamp("completed_at", nullable=True),
    )
    op.create_index("ix_task_status_task_id", "task_status", ["task_id"], unique=True)
    op.create_index("ix_task_status_user_id", "task_status", ["user_id"])
    op.create_index("ix_task_status_status", "task_status", ["status"])
    op.create_index("ix_task_status_created_at", "task_status", ["created_at"])

    op.create_table(
        "statements",
        sa.Column("id", BIG_ID, primary_key=True),
        _owner(),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        sa.Column("bank_source", sa.String(200)),
        sa.Column("account_last4", sa.String(4)),
        sa.Column("period_start", sa.Date()),
        sa.Column("period_end", sa.Date()),
        sa.Column("opening_balance", MONEY),
        sa.Column("closing_balance", MONEY),
        sa.Column("balance_check", sa.String(20), nullable=False),
        sa.Column("balance_mismatch_rows", sa.Integer(), nullable=False),
        sa.Column("transaction_count", sa.Integer(), nullable=False),
        sa.Column("page_count", sa.Integer(), nullable=False),
        _timestamp("created_at"),
        sa.UniqueConstraint("user_id", "file_sha256"),
    )
    op.create_index("ix_statements_user_id", "statements", ["user_id"])

    op.create_table(
        "transactions",
        sa.Column("id", BIG_ID, primary_key=True),
        sa.Column(
            "statement_id",
            BIG_ID,
            sa.ForeignKey("statements.id", ondelete="CASCADE"),
            nullable=False,
        ),
        _owner(),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("balance", MONEY),
        sa.Column("category", sa.String(100)),
        sa.UniqueConstraint("statement_id", "position"),
    )
    op.create_index("ix_transactions_user_id_date", "transactions", ["user_id", "date"])

    op.create_table(
        "category_rules",
        sa.Column("id", sa.Integer(), primary_key=True),
        _owner(),
        sa.Column("pattern", sa.String(500), nullable=False),
        sa.Column("match_type", sa.String(10), nullable=False),
        sa.Column("category", sa.String(100), nullable=False),
        sa.Column("amount_min", MONEY),
        sa.Column("amount_max", MONEY),
        sa.Column("direction", sa.String(6)),
        sa.Column("priority", sa.Integer(), nullable=False),
        _timestamp("created_at"),
    )
    op.create_index("ix_category_rules_user_id", "category_rules", ["user_id"])


def downgrade() -> None:
    for table in ("category_rules", "transactions", "statements", "task_status", "users"):
        op.drop_table(table)
