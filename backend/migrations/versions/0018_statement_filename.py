"""Statements record the name of the file they were uploaded as.

A statement that prints neither its bank nor its account was listed as "Unknown bank ·
Account not printed · Period not printed", and several such rows could not be told apart
(nor the wrong one deleted). ``statements.filename`` keeps the name the client sent with
the upload (for display only: files are stored under their hash).

Statements imported before through a batch get theirs from the batch's item: its file name,
and its task's result, which lists the statements that file gave (the first item naming a
statement wins). Those uploaded alone, or whose task rows are gone, keep NULL.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

_CHUNK = 500
_MAX_LENGTH = 255

_statements = sa.table("statements", sa.column("id", sa.BigInteger), sa.column("filename", sa.String))
_items = sa.table(
    "batch_items", sa.column("id", sa.BigInteger), sa.column("filename", sa.String),
    sa.column("task_id", sa.String),
)
_tasks = sa.table(
    "task_status", sa.column("task_id", sa.String), sa.column("status", sa.String),
    sa.column("result", sa.JSON),
)


def _statement_ids(result: object) -> list[int]:
    """The statements a parse task's result names (``statement_ids``; ``statement_id``
    before those were listed)."""
    if isinstance(result, str):  # JSON text, as some drivers hand it back
        try:
            result = json.loads(result)
        except ValueError:
            return []
    if not isinstance(result, dict):
        return []
    ids = result.get("statement_ids") or [result.get("statement_id")]
    return [int(value) for value in ids if isinstance(value, int)]


def _backfill(conn: sa.Connection) -> None:
    named: set[int] = set()
    last = 0
    while True:
        rows = conn.execute(
            sa.select(_items.c.id, _items.c.filename, _tasks.c.result)
            .join(_tasks, _tasks.c.task_id == _items.c.task_id)
            .where(_items.c.id > last, _tasks.c.status == "SUCCESS")
            .order_by(_items.c.id)
            .limit(_CHUNK)
        ).all()
        if not rows:
            return
        last = rows[-1].id
        for row in rows:
            for statement_id in _statement_ids(row.result):
                if statement_id in named:
                    continue
                named.add(statement_id)
                conn.execute(
                    sa.update(_statements)
                    .where(_statements.c.id == statement_id, _statements.c.filename.is_(None))
                    .values(filename=str(row.filename)[:_MAX_LENGTH])
                )


def upgrade() -> None:
    with op.batch_alter_table("statements") as batch:
        batch.add_column(sa.Column("filename", sa.String(_MAX_LENGTH), nullable=True))
    _backfill(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("statements") as batch:
        batch.drop_column("filename")
