"""The alembic migrations build and remove the schema on SQLite and PostgreSQL alike."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from backend.db import alembic_config, build_engine
from tests.conftest import REPO_ROOT, scratch_postgres_database

TABLES = {
    "users", "task_status", "statements", "transactions", "category_rules", "idempotency_keys",
    "batches", "batch_items",
    "schedules",
    "webhooks", "webhook_deliveries",
    "worker_nodes",
}


# The one user the data-keeping tests below insert, at whichever revision.
A_USER = (
    "INSERT INTO users (id, email, password_hash, is_active, is_admin, created_at)"
    " VALUES (1, 'a@example.com', 'x', 1, 0, '2026-11-30')"
)


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


@pytest.mark.backend_independent
def test_the_alembic_command_says_what_it_applies(tmp_path):
    # alembic.ini's logging was never applied: `alembic upgrade head`, the guide's step
    # before starting new code, printed nothing, applied or not.
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'cli.db'}")
    done = subprocess.run([sys.executable, "-m", "alembic", "upgrade", "head"], cwd=REPO_ROOT,
                          env=env, capture_output=True, text=True, timeout=120, check=True)
    assert "Running upgrade  -> 0001" in done.stderr
    head = ScriptDirectory.from_config(alembic_config(env["DATABASE_URL"])).get_current_head()
    assert f"-> {head}," in done.stderr


@pytest.fixture
def scratch_postgres(database):
    """A throwaway PostgreSQL database beside the test one."""
    with scratch_postgres_database("ledgerflow_migrations") as url:
        yield url


@pytest.mark.postgres_only
def test_migrations_on_postgresql(scratch_postgres):
    _upgrade_downgrade_upgrade(scratch_postgres)


@pytest.mark.postgres_only
def test_a_postgres_url_as_hosts_hand_it_out_migrates(scratch_postgres):
    # Heroku, Render and Fly hand out postgres://, a scheme SQLAlchemy no longer reads
    # ("Can't load plugin: sqlalchemy.dialects:postgres").
    url = scratch_postgres.replace("postgresql://", "postgres://", 1)
    assert url.startswith("postgres://")
    command.upgrade(alembic_config(url), "head")
    assert _tables(url) == TABLES


@pytest.mark.backend_independent
def test_rebuilding_a_table_on_sqlite_keeps_the_rows_that_refer_to_it(tmp_path):
    """SQLite rebuilds `statements` for 0009 and 0014 (a new table, the rows copied, the old
    one dropped): with foreign keys on, the drop deleted every transaction (ON DELETE
    CASCADE). Migrations run with them off and checked (backend/migrations/env.py)."""
    url = f"sqlite:///{tmp_path / 'rebuilt.db'}"
    config = alembic_config(url)
    command.upgrade(config, "0008")
    engine = build_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text(A_USER))
            conn.execute(text(
                "INSERT INTO statements (id, user_id, file_sha256, balance_check,"
                " balance_mismatch_rows, transaction_count, page_count, created_at)"
                " VALUES (1, 1, 'f', 'ok', 0, 2, 1, '2026-11-30')"
            ))
            conn.execute(text(
                "INSERT INTO transactions (statement_id, user_id, position, date, description,"
                " amount) VALUES (1, 1, 0, '2026-11-01', 'TESCO', -3),"
                " (1, 1, 1, '2026-11-02', 'SHOP', -4)"
            ))
        command.upgrade(config, "head")
        with engine.connect() as conn:
            kept = conn.execute(text("SELECT description FROM transactions ORDER BY position")).all()
            foreign_keys = conn.exec_driver_sql("PRAGMA foreign_keys").scalar()
    finally:
        engine.dispose()
    assert [row.description for row in kept] == ["TESCO", "SHOP"]
    assert foreign_keys == 1  # the application's connections still enforce them


@pytest.mark.backend_independent
def test_on_sqlite_a_deleted_row_s_id_is_never_given_to_a_new_one(tmp_path):
    """Without AUTOINCREMENT SQLite gives the highest id + 1: deleting the newest statement
    (or rule, schedule, webhook, user) handed its id to the next one, so an old reference
    (a task result's statement_ids, a token's user id) named another row (migration 0015;
    its tables rebuilt with their rows, indexes and foreign keys)."""
    url = f"sqlite:///{tmp_path / 'ids.db'}"
    config = alembic_config(url)
    command.upgrade(config, "0014")
    engine = build_engine(url)
    rule = ("INSERT INTO category_rules (user_id, pattern, match_type, category, priority,"
            " created_at) VALUES (1, :pattern, 'contains', 'Food', 10, '2026-12-01')")
    try:
        with engine.begin() as conn:
            conn.execute(text(A_USER))
            conn.execute(text(rule), [{"pattern": "first"}, {"pattern": "second"}])
        command.upgrade(config, "head")
        with engine.begin() as conn:
            kept = conn.execute(text("SELECT id, pattern FROM category_rules ORDER BY id")).all()
            conn.execute(text("DELETE FROM category_rules WHERE pattern = 'second'"))
            conn.execute(text(rule), {"pattern": "third"})
            ids = dict(conn.execute(text("SELECT pattern, id FROM category_rules")).all())
        index = inspect(engine).get_indexes("transactions")
    finally:
        engine.dispose()
    assert [tuple(row) for row in kept] == [(1, "first"), (2, "second")]
    assert ids == {"first": 1, "third": 3}  # not 2, the deleted one's
    manual = next(i for i in index if i["name"] == "ix_transactions_user_id_manual")
    assert "manual" in str(manual["dialect_options"]["sqlite_where"])  # still partial


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
            conn.execute(text(A_USER))
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


def _statements_imported_before_0014(url: str, tmp_path) -> tuple[list[int], object]:
    """At revision 0013 (the one before fingerprints): one user who imported the same
    parsed statement twice (two files), and another statement; returns the statements'
    ids and the parsed statement."""
    from datetime import UTC, datetime

    import sqlalchemy as sa

    from backend.services.statements import parse_statement
    from tests.support.statement_pdfs import LAYOUTS

    command.upgrade(alembic_config(url), "0013")
    LAYOUTS["northgate_uk"](tmp_path / "northgate.pdf")
    parsed = parse_statement(tmp_path / "northgate.pdf")
    users = sa.table("users", *(sa.column(name) for name in (
        "id", "email", "password_hash", "is_active", "is_admin", "created_at")))
    statements = sa.table("statements", sa.column("id"), sa.column("user_id"), sa.column("file_sha256"),
                          sa.column("part"), sa.column("warnings", sa.JSON), sa.column("account_last4"),
                          sa.column("period_start", sa.Date), sa.column("period_end", sa.Date),
                          sa.column("opening_balance", sa.Numeric(18, 2)),
                          sa.column("closing_balance", sa.Numeric(18, 2)), sa.column("balance_check"),
                          sa.column("balance_mismatch_rows"), sa.column("transaction_count"),
                          sa.column("page_count"), sa.column("created_at"))
    transactions = sa.table("transactions", sa.column("statement_id"), sa.column("user_id"),
                            sa.column("position"), sa.column("date", sa.Date), sa.column("description"),
                            sa.column("amount", sa.Numeric(18, 2)), sa.column("balance", sa.Numeric(18, 2)))
    engine = build_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.insert(users).values(
                id=1, email="a@example.com", password_hash="x", is_active=True, is_admin=False,
                created_at=datetime.now(UTC),
            ))
            ids = []
            for index, (digest, rows) in enumerate(
                [("a" * 64, parsed.transactions), ("b" * 64, parsed.transactions),
                 ("c" * 64, parsed.transactions[:-1])]
            ):
                ids.append(conn.scalar(sa.insert(statements).values(
                    id=index + 1, user_id=1, file_sha256=digest, part=0, warnings=[],
                    account_last4=parsed.account_last4, period_start=parsed.period_start,
                    period_end=parsed.period_end, opening_balance=parsed.opening_balance,
                    closing_balance=parsed.closing_balance, balance_check="ok", balance_mismatch_rows=0,
                    transaction_count=len(rows), page_count=1, created_at=datetime.now(UTC),
                ).returning(statements.c.id)))
                # Saved in another order than printed: the position says the order.
                conn.execute(sa.insert(transactions), [
                    {"statement_id": ids[-1], "user_id": 1, "position": position, "date": row.date,
                     "description": row.description, "amount": row.amount, "balance": row.balance}
                    for position, row in reversed(list(enumerate(rows)))
                ])
    finally:
        engine.dispose()
    return ids, parsed


def _fingerprints_after_upgrade(url: str, tmp_path) -> None:
    from sqlalchemy import select

    from backend.models import Statement
    from backend.services.statement_store import content_fingerprint

    (first, twice, shorter), parsed = _statements_imported_before_0014(url, tmp_path)
    command.upgrade(alembic_config(url), "head")
    engine = build_engine(url)
    try:
        with engine.connect() as conn:
            stored = dict(conn.execute(select(Statement.id, Statement.content_sha256)).all())
    finally:
        engine.dispose()
    # The oldest gets what the parse of a re-download gives; its duplicate keeps NULL.
    assert stored[first] == content_fingerprint(parsed)  # type: ignore[arg-type]
    assert stored[twice] is None
    assert stored[shorter] not in (None, stored[first])


@pytest.mark.backend_independent
def test_statements_imported_before_get_their_fingerprint_on_sqlite(tmp_path):
    """A re-download of a statement imported before 0014 is recognised too."""
    _fingerprints_after_upgrade(f"sqlite:///{tmp_path / 'migrations.db'}", tmp_path)


@pytest.mark.postgres_only
def test_statements_imported_before_get_their_fingerprint_on_postgresql(scratch_postgres, tmp_path):
    _fingerprints_after_upgrade(scratch_postgres, tmp_path)


def _filenames_after_upgrade(url: str) -> None:
    """Statements imported through a batch before 0018 get the name of the batch item's
    file, by its task's result; one uploaded alone keeps NULL."""
    import sqlalchemy as sa

    command.upgrade(alembic_config(url), "0017")
    engine = build_engine(url)
    now = "2026-11-30 10:00:00"
    try:
        with engine.begin() as conn:
            conn.execute(text(A_USER.replace("1, 0,", "true, false,")
                              if conn.dialect.name == "postgresql" else A_USER))
            for statement_id in (1, 2, 3):
                conn.execute(text(
                    "INSERT INTO statements (id, user_id, file_sha256, part, warnings, balance_check,"
                    " balance_mismatch_rows, transaction_count, page_count, created_at)"
                    " VALUES (:id, 1, :sha, 0, '[]', 'ok', 0, 0, 1, :now)"
                ), {"id": statement_id, "sha": str(statement_id) * 64, "now": now})
            conn.execute(text(
                "INSERT INTO batches (id, batch_id, user_id, created_at) VALUES (1, 'b-1', 1, :now)"
            ), {"now": now})
            tasks = sa.table("task_status", *(sa.column(name) for name in (
                "task_id", "user_id", "task_name", "queue", "status", "progress_percent",
                "attempts", "created_at", "updated_at", "worker_losses", "redispatches")),
                sa.column("kwargs", sa.JSON), sa.column("result", sa.JSON))
            for task_id, result in (("t-1", {"statement_id": 1, "statement_ids": [1, 2]}),
                                    ("t-2", {"statement_id": 2, "statement_ids": [2]})):
                conn.execute(sa.insert(tasks).values(
                    task_id=task_id, user_id=1, task_name="parse_pdf_async", queue="pdf_processing",
                    status="SUCCESS", progress_percent=100, kwargs={}, attempts=1, created_at=now,
                    updated_at=now, worker_losses=0, redispatches=0, result=result,
                ))
            for item_id, name, task_id in ((1, "two-statements.pdf", "t-1"), (2, "again.pdf", "t-2")):
                conn.execute(text(
                    "INSERT INTO batch_items (id, batch_id, position, filename, task_id)"
                    " VALUES (:id, 1, :id, :name, :task)"
                ), {"id": item_id, "name": name, "task": task_id})
    finally:
        engine.dispose()
    command.upgrade(alembic_config(url), "head")
    engine = build_engine(url)
    try:
        with engine.connect() as conn:
            names = dict(conn.execute(text("SELECT id, filename FROM statements")).all())
    finally:
        engine.dispose()
    # Both statements of the first file are named by it; the second item does not rename one.
    assert names == {1: "two-statements.pdf", 2: "two-statements.pdf", 3: None}


@pytest.mark.backend_independent
def test_statements_imported_by_a_batch_before_get_their_file_name_on_sqlite(tmp_path):
    _filenames_after_upgrade(f"sqlite:///{tmp_path / 'migrations.db'}")


@pytest.mark.postgres_only
def test_statements_imported_by_a_batch_before_get_their_file_name_on_postgresql(scratch_postgres):
    _filenames_after_upgrade(scratch_postgres)


def _waiting_for_a_lock(conn, database: str) -> bool:
    """Whether a session of ``database`` other than ``conn``'s is queued for a lock."""
    waiting = conn.execute(text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = :db AND wait_event_type = 'Lock'"
        " AND pid <> pg_backend_pid()"
    ), {"db": database}).scalar()
    conn.rollback()  # pg_stat_activity is a snapshot per transaction
    return bool(waiting)


@pytest.mark.postgres_only
def test_a_migration_held_up_by_a_long_transaction_lets_the_app_through_and_finishes_after(
    scratch_postgres,
):
    """A migration queued for a table's exclusive lock behind a long transaction (a
    categorization's open scan, a report's read) made every later query of that table queue
    behind it: the tasks' writes stalled until the long transaction ended. The migration
    waits at most MIGRATION_LOCK_TIMEOUT_SECONDS per try, lets the queue through between
    tries, and finishes once the long transaction has ended."""
    command.upgrade(alembic_config(scratch_postgres), "0018")  # 0019 alters `statements`
    database = scratch_postgres.rsplit("/", 1)[-1]
    engine = build_engine(scratch_postgres)
    env = dict(os.environ, DATABASE_URL=scratch_postgres, MIGRATION_LOCK_TIMEOUT_SECONDS="0.5",
               MIGRATION_PATIENCE_SECONDS="120")
    holder, app = engine.connect(), engine.connect()
    migration = None
    try:
        holder.execute(text("SELECT count(*) FROM statements"))  # the long transaction's scan
        migration = subprocess.Popen([sys.executable, "-m", "alembic", "upgrade", "head"],
                                     cwd=REPO_ROOT, env=env, stderr=subprocess.PIPE, text=True)
        with engine.connect() as watcher:
            while not _waiting_for_a_lock(watcher, database):
                assert migration.poll() is None, migration.communicate()[1]
                time.sleep(0.02)
        # Without the migration's lock_timeout this write would wait for the holder: the
        # statement_timeout turns that wait into a failure instead of a hung test.
        app.execute(text("SET statement_timeout = '30s'"))
        for _ in range(5):
            app.execute(text("UPDATE statements SET page_count = page_count WHERE id = 0"))
            app.commit()
        assert migration.poll() is None  # still waiting for the holder, not given up
        holder.rollback()
        _, stderr = migration.communicate(timeout=120)
        assert migration.returncode == 0, stderr
        assert "another transaction holds" in stderr
        assert "statements" in _tables(scratch_postgres)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0019"
    finally:
        if migration is not None and migration.poll() is None:
            migration.kill()
        holder.close()
        app.close()
        engine.dispose()
