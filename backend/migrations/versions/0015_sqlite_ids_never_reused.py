"""SQLite: the ids users hold are never given to another row (AUTOINCREMENT).

SQLite gives a new row the highest id + 1, so once the row with the highest id is deleted
(DELETE /statements/{id}, /rules/{id}, /schedules/{id}, /webhooks/{id}) its id goes to
the next one: an old task result's statement_ids, a client's rule id or a token's user id
would then name a newer row. AUTOINCREMENT makes SQLite remember the highest id ever used.
It can only be declared with the table, so each is rebuilt (Alembic's batch mode, foreign
keys off: backend/migrations/env.py). PostgreSQL's sequences never reuse an id: nothing
to do there.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01
"""

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

TABLES = ("users", "statements", "transactions", "category_rules", "schedules", "webhooks")


def _rebuild(autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass


def upgrade() -> None:
    _rebuild(autoincrement=True)


def downgrade() -> None:
    _rebuild(autoincrement=False)
