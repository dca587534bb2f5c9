"""The alembic migrations build and remove the schema on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import inspect

from backend.db import alembic_config, build_engine
from tests.conftest import scratch_postgres_database

TABLES = {
    "users", "task_status", "statements", "transactions", "category_rules", "idempotency_keys",
    "batches", "batch_items",
    "schedules",
    "webhooks", "webhook_deliveries",
    "worker_nodes",
}


def _tables(url: str) -> set[str]:
    engine = build_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def _upgrade_downgrade_upgrade(url: str) -> None:
    config = alembic_config(url)
    command.upgrade(config, "head")
    assert _tables(url) == TABLES
    command.check(config)  # the models and the migrations describe the same schema
    command.downgrade(config, "base")
    assert _tables(url) == set()
    command.upgrade(config, "head")
    assert _tables(url) == TABLES


@pytest.mark.backend_independent  # a SQLite file of its own in either pass
def test_migrations_on_sqlite(tmp_path):
    _upgrade_downgrade_upgrade(f"sqlite:///{tmp_path / 'migrations.db'}")


@pytest.fixture
def scratch_postgres(database):
    """A throwaway PostgreSQL database beside the test one."""
    with scratch_postgres_database("ledgerflow_migrations") as url:
        yield url


@pytest.mark.postgres_only
def test_migrations_on_postgresql(scratch_postgres):
    _upgrade_downgrade_upgrade(scratch_postgres)
