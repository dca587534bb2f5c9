"""transactions.category_source: who set a transaction's category, the rules or the user.

Re-applying edited rules with ``overwrite`` used to replace the categories users had
picked by hand (PATCH /transactions/{id}), since nothing recorded where a category came
from. ``category_source`` is ``'rule'`` (set by a rule: at import or by a bulk run),
``'manual'`` (set or cleared by hand: rules leave it alone unless the run asks for
``include_manual``) or NULL (no category, rules may give one).

Rows categorized before this revision get ``'rule'``: no record says which were picked
by hand, and ``'rule'`` keeps what a run does with them as it was (docs/architecture.md).
The partial index holds only the manual picks (few), so a run counts the ones it keeps
without reading the user's other rows.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

INDEX = "ix_transactions_user_id_manual"
MANUAL = sa.text("category_source = 'manual'")


def upgrade() -> None:
    with op.batch_alter_table("transactions") as batch:
        batch.add_column(sa.Column("category_source", sa.String(6), nullable=True))
    op.execute("UPDATE transactions SET category_source = 'rule' WHERE category IS NOT NULL")
    op.create_index(
        INDEX, "transactions", ["user_id"], postgresql_where=MANUAL, sqlite_where=MANUAL
    )


def downgrade() -> None:
    op.drop_index(INDEX, table_name="transactions")
    with op.batch_alter_table("transactions") as batch:
        batch.drop_column("category_source")
