"""Amounts keep a third decimal: NUMERIC(18, 2) -> NUMERIC(18, 3) (``models.Money``).

The dinars of Kuwait, Bahrain and Jordan and the rial of Oman count in thousandths; the
parser reads them (``1,142.553``), but PostgreSQL rounded them to cents when they were
saved, so such a statement's rows no longer added up to its balances. Amounts saved
before this revision stay as they were rounded. SQLite stores these columns by type
affinity, whatever their declared scale: its files kept every decimal the platform wrote,
and SQLAlchemy now reads them back with three. There only the declared type changes (the
tables rebuilt by Alembic's batch mode, keeping AUTOINCREMENT from 0015), so that the
schema says what the models do.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

MONEY_COLUMNS = (
    ("statements", "opening_balance"),
    ("statements", "closing_balance"),
    ("transactions", "amount"),
    ("transactions", "balance"),
    ("category_rules", "amount_min"),
    ("category_rules", "amount_max"),
)


def _change_scale(old: int, new: int) -> None:
    if op.get_bind().dialect.name != "sqlite":
        for table, column in MONEY_COLUMNS:
            op.alter_column(table, column, type_=sa.Numeric(18, new), existing_type=sa.Numeric(18, old))
        return
    for table in dict(MONEY_COLUMNS):
        # Every table here has AUTOINCREMENT (0015), which a rebuild must declare again.
        with op.batch_alter_table(table, table_kwargs={"sqlite_autoincrement": True}) as batch:
            for column in (name for owner, name in MONEY_COLUMNS if owner == table):
                batch.alter_column(column, type_=sa.Numeric(18, new), existing_type=sa.Numeric(18, old))


def upgrade() -> None:
    _change_scale(2, 3)


def downgrade() -> None:
    _change_scale(3, 2)  # rounds a third decimal to cents again
