"""Statements: one row per statement printed in an uploaded PDF.

A PDF may print several statements (two accounts, or consecutive periods), each saved as its
own row: ``part`` is its place in the document (0-based) and the key of an import becomes
(user, file hash, part), so a re-upload still finds every part.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_OLD_KEY_COLUMNS = ["user_id", "file_sha256"]
_NEW_KEY = "uq_statements_user_id_file_sha256_part"
# The old key was created without a name: PostgreSQL named it itself; on SQLite the table is
# recreated and the reflected key named by this convention, so it can be dropped.
_POSTGRES_OLD_KEY = "statements_user_id_file_sha256_key"
_SQLITE_NAMES = {"uq": "uq_%(table_name)s_%(column_0_N_name)s"}
_SQLITE_OLD_KEY = "uq_statements_user_id_file_sha256"


def _old_key() -> tuple[str, dict]:
    """The old key's name and the batch options under which it has that name."""
    if op.get_bind().dialect.name == "sqlite":
        return _SQLITE_OLD_KEY, {"recreate": "always", "naming_convention": _SQLITE_NAMES}
    return _POSTGRES_OLD_KEY, {}


def upgrade() -> None:
    old_key, options = _old_key()
    with op.batch_alter_table("statements", **options) as batch:
        batch.add_column(sa.Column("part", sa.Integer(), nullable=False, server_default="0"))
        batch.drop_constraint(old_key, type_="unique")
        batch.create_unique_constraint(_NEW_KEY, ["user_id", "file_sha256", "part"])


def downgrade() -> None:
    # Only the first statement of each document keeps its row (the old key allows one).
    op.execute(sa.text("DELETE FROM statements WHERE part > 0"))
    old_key, options = _old_key()
    with op.batch_alter_table("statements", **options) as batch:
        batch.drop_constraint(_NEW_KEY, type_="unique")
        batch.drop_column("part")
        batch.create_unique_constraint(old_key, _OLD_KEY_COLUMNS)
