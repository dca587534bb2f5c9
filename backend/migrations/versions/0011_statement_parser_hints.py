"""Statements record the parser hints they were read with.

The same file uploaded again with other hints (date_order, decimal) used to get the
statement read with the first ones back, silently. Each statement now records the hints
of its upload, and an upload of the same file must name the same ones (or the user
deletes the statement first: DELETE /statements/{id}). Statements imported before this
revision keep NULL: their hints were not recorded.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("statements") as batch:
        batch.add_column(sa.Column("parser_hints", JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("statements") as batch:
        batch.drop_column("parser_hints")
