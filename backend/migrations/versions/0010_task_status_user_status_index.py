"""task_status: an index on (user_id, status) for the fair-share count of each submit.

Every submit counts the user's tasks that are not final yet (USER_MAX_ACTIVE_TASKS).
With only the index on user_id that count read every task the user ever had that is
still kept: measured on SQLite, its cost per submit grew from 0.3 to 2.3 ms of CPU over
6,000 finished tasks, and on SQLite that CPU is the API's own. With (user_id, status)
it reads the unfinished ones only.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

INDEX = "ix_task_status_user_id_status"


def upgrade() -> None:
    op.create_index(INDEX, "task_status", ["user_id", "status"])


def downgrade() -> None:
    op.drop_index(INDEX, table_name="task_status")
