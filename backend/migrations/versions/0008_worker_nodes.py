"""Monitoring: the worker nodes seen by the platform.

Each worker node's main process writes its row every WORKER_HEARTBEAT_SECONDS (hostname,
queues, running and processed task counts) and stamps ``stopped_at`` on a clean shutdown;
``GET /admin/workers`` reads it, so what operators see survives an API restart.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "worker_nodes",
        sa.Column("hostname", sa.String(255), primary_key=True),
        sa.Column("queues", sa.JSON(), nullable=False),
        sa.Column("active", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("processed", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("pid", sa.Integer()),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_heartbeat", sa.DateTime(timezone=True), nullable=False),
        sa.Column("stopped_at", sa.DateTime(timezone=True)),
    )


def downgrade() -> None:
    op.drop_table("worker_nodes")
