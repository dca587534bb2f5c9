"""task_status: whether running a FAILED task again can help.

A failure is the input's (a file that is not a statement, a damaged PDF, a time limit the
same file meets again) or the platform's (a service away through every retry, a bug the
operators fix). Clients could not tell them apart: the web app guessed from the attempts,
and a batch's retry_failed ran permanent failures again. The failure now says so; rows
that failed before this revision keep NULL, read as "no".

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("task_status") as batch:
        batch.add_column(sa.Column("retryable", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("task_status") as batch:
        batch.drop_column("retryable")
