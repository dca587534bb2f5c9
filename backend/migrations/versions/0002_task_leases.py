"""Task leases: which worker runs a task, its heartbeat, lost runs and re-dispatches.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("task_status") as batch:
        batch.add_column(sa.Column("worker", sa.String(255)))
        batch.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True)))
        batch.add_column(
            sa.Column("worker_losses", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("dispatched_at", sa.DateTime(timezone=True)))
        batch.add_column(
            sa.Column("redispatches", sa.Integer(), nullable=False, server_default="0")
        )
    # The reaper scans the unfinished rows every few seconds.
    op.create_index("ix_task_status_status_heartbeat", "task_status", ["status", "heartbeat_at"])


def downgrade() -> None:
    op.drop_index("ix_task_status_status_heartbeat", table_name="task_status")
    with op.batch_alter_table("task_status") as batch:
        for column in ("redispatches", "dispatched_at", "worker_losses", "heartbeat_at", "worker"):
            batch.drop_column(column)
