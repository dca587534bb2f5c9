"""Statements keep the bank's name as printed and the parser's warnings.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("statements") as batch:
        batch.add_column(sa.Column("bank_name", sa.String(200)))
        batch.add_column(sa.Column("warnings", JSON, nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("statements") as batch:
        batch.drop_column("warnings")
        batch.drop_column("bank_name")
