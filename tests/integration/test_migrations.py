"""The alembic migrations build and remove the schema on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import inspect, text

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


@pytest.mark.backend_independent
def test_categories_set_before_their_source_was_recorded_count_as_the_rules(tmp_path):
    """0013 adds transactions.category_source: a category already set becomes 'rule' (no
    record says which were picked by hand; 'rule' keeps what runs do with them), none
    stays NULL."""
    url = f"sqlite:///{tmp_path / 'sources.db'}"
    config = alembic_config(url)
    command.upgrade(config, "0012")
    engine = build_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO users (id, email, password_hash, is_active, is_admin, created_at)"
                " VALUES (1, 'a@example.com', 'x', 1, 0, '2026-11-30')"
            ))
            conn.execute(text(
                "INSERT INTO statements (id, user_id, file_sha256, part, balance_check,"
                " balance_mismatch_rows, transaction_count, page_count, created_at)"
                " VALUES (1, 1, 'f', 0, 'ok', 0, 2, 1, '2026-11-30')"
            ))
            conn.execute(text(
                "INSERT INTO transactions (statement_id, user_id, position, date, description,"
                " amount, category) VALUES (1, 1, 0, '2026-11-01', 'TESCO', -3, 'Groceries'),"
                " (1, 1, 1, '2026-11-01', 'SHOP', -4, NULL)"
            ))
        command.upgrade(config, "head")
        with engine.begin() as conn:
            rows = conn.execute(text(
                "SELECT description, category, category_source FROM transactions ORDER BY position"
            )).all()
    finally:
        engine.dispose()
    assert [tuple(row) for row in rows] == [("TESCO", "Groceries", "rule"), ("SHOP", None, None)]
