"""task_status: the fair-share count reads an index of the unfinished rows alone; the
batch and schedule indexes hold only the rows that have one; the index on status alone
goes (the reaper's (status, heartbeat_at) leads with it).

Each submit counts the user's unfinished tasks in its INSERT (``ActiveTaskCap``). With
(user_id, status) from 0010, PostgreSQL's plan for that count depended on its statistics:
on a table not analyzed yet (a new install, a busy first minute) it looked up the user
and filtered the status row by row, reading every task the user ever had (1.4 ms for a
user with 2,000 finished tasks, growing with each); once analyzed it read the unfinished
rows of every user instead. An index whose predicate is the count's own condition holds
only those rows and is the one both back ends use. Measured in docs/performance.md,
"The fair-share count and the task row's indexes".

Every row written (a submit, then a lease and a success, neither of which PostgreSQL can
update in place while ``status`` is indexed) is entered in every index: most tasks have
no batch and no schedule, and their rows now stay out of those two indexes; two indexes
repeated the first column of another. (user_id, status) stays for a user's tasks in one
state (GET /tasks?status=), which without it would read the user's whole history.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

TABLE = "task_status"
# As models.UNFINISHED_CONDITION says it today; written out, as a migration's SQL stays.
UNFINISHED = "status IN ('PENDING', 'PROCESSING', 'RETRYING')"


def _partial(name: str, column: str, condition: str) -> None:
    where = sa.text(condition)
    op.create_index(name, TABLE, [column], postgresql_where=where, sqlite_where=where)


def upgrade() -> None:
    _partial("ix_task_status_unfinished_by_user", "user_id", UNFINISHED)
    op.drop_index("ix_task_status_user_id", table_name=TABLE)  # (user_id, status) leads with it
    op.drop_index("ix_task_status_status", table_name=TABLE)
    for column in ("batch_id", "schedule_id"):
        op.drop_index(f"ix_task_status_{column}", table_name=TABLE)
        _partial(f"ix_task_status_{column}", column, f"{column} IS NOT NULL")


def downgrade() -> None:
    for column in ("batch_id", "schedule_id"):
        op.drop_index(f"ix_task_status_{column}", table_name=TABLE)
        op.create_index(f"ix_task_status_{column}", TABLE, [column])
    op.create_index("ix_task_status_status", TABLE, ["status"])
    op.create_index("ix_task_status_user_id", TABLE, ["user_id"])
    op.drop_index("ix_task_status_unfinished_by_user", table_name=TABLE)
