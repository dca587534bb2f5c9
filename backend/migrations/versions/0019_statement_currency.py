"""Statements record the currency of their amounts.

Reports added EUR, CAD, USD and SGD amounts into one number, and the OFX export named
OFX_CURRENCY for every statement. ``statements.currency`` holds the ISO 4217 code the
parser read from the document (``statements.currency``); NULL: not shown by the document,
or imported before 2026-12-01 (those are not re-read: their files may be gone).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("statements") as batch:
        batch.add_column(sa.Column("currency", sa.String(3), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("statements") as batch:
        batch.drop_column("currency")
