"""Schedules: cron-like runs of a task, stored in the database.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "schedules",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("task", sa.String(20), nullable=False),
        sa.Column("cron", sa.String(100), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("params", JSON, nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("next_run_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_run_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_schedules_user_id", "schedules", ["user_id"])
    # Beat asks for the enabled schedules that are due every few seconds.
    op.create_index("ix_schedules_enabled_next_run_at", "schedules", ["enabled", "next_run_at"])
    # A run keeps its task row when its schedule is deleted (it is an ordinary task then).
    with op.batch_alter_table("task_status") as batch:
        batch.add_column(sa.Column("schedule_id", sa.Integer()))
        batch.create_foreign_key(
            "fk_task_status_schedule_id", "schedules", ["schedule_id"], ["id"],
            ondelete="SET NULL",
        )
        batch.create_index("ix_task_status_schedule_id", ["schedule_id"])


def downgrade() -> None:
    with op.batch_alter_table("task_status") as batch:
        batch.drop_index("ix_task_status_schedule_id")
        batch.drop_constraint("fk_task_status_schedule_id", type_="foreignkey")
        batch.drop_column("schedule_id")
    op.drop_table("schedules")
