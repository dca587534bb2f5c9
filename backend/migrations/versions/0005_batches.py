"""Batches: a batch of uploads tracked per item, and its pipeline.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "batches",
        sa.Column("id", BIG_ID, primary_key=True),
        sa.Column("batch_id", sa.String(36), nullable=False, unique=True),
        sa.Column(
            "user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("pipeline", sa.String(40)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("categorize_task_id", sa.String(36)),
        sa.Column("report_task_id", sa.String(36)),
        sa.Column("cancelled_at", sa.DateTime(timezone=True)),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_batches_user_id", "batches", ["user_id"])
    op.create_index("ix_batches_created_at", "batches", ["created_at"])
    # The sweep (backend/tasks/batches.py) looks at the unfinished batches.
    op.create_index("ix_batches_finished_at", "batches", ["finished_at"])
    op.create_table(
        "batch_items",
        sa.Column("id", BIG_ID, primary_key=True),
        sa.Column(
            "batch_id", BIG_ID, sa.ForeignKey("batches.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("task_id", sa.String(36)),
        sa.Column("error_message", sa.Text()),
        sa.UniqueConstraint("batch_id", "position"),
    )
    op.create_index("ix_batch_items_task_id", "batch_items", ["task_id"])
    # A task keeps its row when its batch goes (it is an ordinary task then).
    with op.batch_alter_table("task_status") as batch:
        batch.add_column(sa.Column("batch_id", BIG_ID))
        batch.create_foreign_key(
            "fk_task_status_batch_id", "batches", ["batch_id"], ["id"], ondelete="SET NULL"
        )
        batch.create_index("ix_task_status_batch_id", ["batch_id"])


def downgrade() -> None:
    with op.batch_alter_table("task_status") as batch:
        batch.drop_index("ix_task_status_batch_id")
        batch.drop_constraint("fk_task_status_batch_id", type_="foreignkey")
        batch.drop_column("batch_id")
    op.drop_table("batch_items")
    op.drop_table("batches")
