"""A task's hot writes run as server-side prepared statements on PostgreSQL
(backend/db.py ``prepared``, ``_use_prepared``): planned once per pooled connection, with
the same rows as a result, and a connection whose statement is gone or stale is replaced
as a lost one would be."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import (
    Column,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    event,
    insert,
    literal_column,
    select,
    text,
    update,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from backend.api.deps import get_current_user, owned_task
from backend.db import build_engine, database_unavailable, first_row_alone, prepared, upgrade_database
from backend.models import TaskStatus
from backend.security import TokenClaims
from backend.services import task_records
from backend.tasks import submission
from tests.conftest import TEST_BACKEND, TEST_DATABASE_URL
from tests.support.net import PrivatePgBouncer
from tests.support.seed import seed_user

pytestmark = pytest.mark.usefixtures("clean_db")


def engine_for(prepared_statements: bool) -> Engine:
    """An engine of its own: used one call after the other, its pool holds one connection."""
    return build_engine(TEST_DATABASE_URL, prepared_statements=prepared_statements)


@pytest.fixture
def engine() -> Iterator[Engine]:
    engine = engine_for(prepared_statements=True)
    yield engine
    engine.dispose()


def prepared_runs(engine: Engine) -> dict[str, int]:
    """What the pool's one connection has prepared, and how often each ran (the server's
    own count of the plans it used)."""
    with engine.connect() as conn:
        return dict(conn.execute(text(
            "SELECT name, generic_plans + custom_plans FROM pg_prepared_statements"
        )).all())


def run_a_task(engine: Engine, user_id: int, result: Any) -> str:
    """What every task costs the database: the submit's row, the lease, the success."""
    task_id = submission.submit_task(engine, user_id, "ping", cap=submission.ActiveTaskCap(10))
    start = task_records.mark_processing(engine, task_id, "node-1", 60, 3)
    assert start.outcome is task_records.StartOutcome.TRACKED
    assert task_records.mark_success(engine, task_id, result)
    return task_id


def stored(engine: Engine, task_id: str) -> dict[str, Any]:
    with engine.connect() as conn:
        row = conn.execute(select(TaskStatus.__table__).where(TaskStatus.task_id == task_id)).one()
    return row._asdict()


@pytest.mark.postgres_only
@pytest.mark.usefixtures("quiet")
def test_a_task_s_writes_are_planned_once_per_connection_and_store_the_same_row(engine):
    user_id = seed_user(engine)
    result = {"pong": True, "text": "100% ünïcode", "n": [1, 2.5, None]}
    first = run_a_task(engine, user_id, result)
    # Prepared at their first run on this connection (the capped INSERT, the lease, the
    # success), then only executed.
    assert list(prepared_runs(engine).values()) == [1, 1, 1]
    later = [run_a_task(engine, user_id, result) for _ in range(5)]
    assert list(prepared_runs(engine).values()) == [6, 6, 6]

    plain_engine = engine_for(prepared_statements=False)
    try:
        plain = run_a_task(plain_engine, user_id, result)
        assert prepared_runs(plain_engine) == {}
    finally:
        plain_engine.dispose()

    # Every column of the row, the JSON result and the timestamps included, is what the
    # plain statements store.
    differs_by_run = {"id", "task_id", "created_at", "updated_at", "dispatched_at", "started_at",
                      "heartbeat_at", "completed_at"}
    reference = {k: v for k, v in stored(engine, plain).items() if k not in differs_by_run}
    for task_id in [first, *later]:
        row = stored(engine, task_id)
        assert {k: v for k, v in row.items() if k not in differs_by_run} == reference
        assert row["result"] == result
        assert row["completed_at"].tzinfo is not None
        assert row["started_at"] <= row["completed_at"]


@pytest.mark.postgres_only
@pytest.mark.usefixtures("quiet")
def test_a_connection_whose_prepared_statement_is_gone_is_replaced(engine):
    """A pooler that moved the session, or anything that ran DEALLOCATE: the write fails
    as on a lost connection (the callers retry those) and the next one succeeds."""
    user_id = seed_user(engine)
    run_a_task(engine, user_id, "first")
    assert len(prepared_runs(engine)) == 3
    with engine.connect() as conn:
        conn.exec_driver_sql("DEALLOCATE ALL")
        conn.commit()
    with pytest.raises(DBAPIError) as lost:
        submission.submit_task(engine, user_id, "ping", cap=submission.ActiveTaskCap(10))
    assert database_unavailable(lost.value)
    # The retry meets a new connection, which prepares again.
    task_id = run_a_task(engine, user_id, "second")
    assert stored(engine, task_id)["result"] == "second"
    assert list(prepared_runs(engine).values()) == [1, 1, 1]


@pytest.mark.postgres_only
def test_a_prepared_statement_made_stale_by_a_migration_is_replaced(engine):
    """PostgreSQL replans a prepared statement after most schema changes, but not one whose
    result columns changed type ("cached plan must not change result type"): that
    connection is replaced, and the statement prepared again."""
    probe = Table(
        f"prepared_probe_{uuid.uuid4().hex[:8]}", MetaData(),
        Column("id", Integer, primary_key=True), Column("value", Integer),
    )
    read = prepared(select(probe.c.value).where(probe.c.id == bindparam("b_id")))
    probe.create(engine)
    try:
        with engine.begin() as conn:
            conn.execute(insert(probe).values(id=1, value=7))
        with engine.connect() as conn:
            assert conn.execute(read, {"b_id": 1}).scalar_one() == 7
        with engine.begin() as conn:
            conn.exec_driver_sql(f"ALTER TABLE {probe.name} ALTER COLUMN value TYPE bigint")
        with pytest.raises(DBAPIError) as stale, engine.connect() as conn:
            conn.execute(read, {"b_id": 1})
        assert database_unavailable(stale.value)
        with engine.connect() as conn:
            assert conn.execute(read, {"b_id": 1}).scalar_one() == 7
    finally:
        probe.drop(engine)


@pytest.mark.postgres_only
def test_percent_signs_and_placeholder_lookalikes_in_the_text_stay_text(engine):
    """psycopg2 escapes a literal "%" as "%%"; the prepared form has "%" and keeps a
    literal that looks like a placeholder as it is (with parameters or none)."""
    read = prepared(select(
        literal_column("'50% off %(x)s'").label("literal"), bindparam("b_value", type_=String),
    ))
    constant = prepared(select(literal_column("'100%'").label("literal")))  # no parameter
    with engine.connect() as conn:
        for value in ("5%", "%(b_value)s", "plain"):
            assert tuple(conn.execute(read, {"b_value": value}).one()) == ("50% off %(x)s", value)
            assert conn.execute(constant).scalar_one() == "100%"
        runs = conn.execute(text("SELECT generic_plans + custom_plans FROM pg_prepared_statements"))
        assert runs.scalars().all() == [3, 3]


@pytest.mark.postgres_only
@pytest.mark.usefixtures("quiet")
def test_turned_off_a_marked_statement_runs_as_written():
    """DATABASE_PREPARED_STATEMENTS=false (behind a pooler in transaction mode)."""
    engine = engine_for(prepared_statements=False)
    try:
        run_a_task(engine, seed_user(engine), "pong")
        assert prepared_runs(engine) == {}
    finally:
        engine.dispose()


def lose_prepared_statements(engine: Engine, connections: int = 1) -> None:
    """Have ``connections`` pooled connections prepare the task's writes, then lose them
    (as under a pooler in transaction mode), and make a write on each meet the loss."""
    user_id = seed_user(engine)
    held = [engine.connect() for _ in range(connections)]
    try:
        for conn in held:
            with conn.begin():
                submission.record_task(conn, user_id, "ping", cap=submission.ActiveTaskCap(100))
            conn.exec_driver_sql("DEALLOCATE ALL")
            conn.commit()
        for conn in held:
            with pytest.raises(DBAPIError) as lost, conn.begin():
                submission.record_task(conn, user_id, "ping", cap=submission.ActiveTaskCap(100))
            assert database_unavailable(lost.value)
    finally:
        for conn in held:
            conn.close()


@pytest.mark.postgres_only
@pytest.mark.usefixtures("quiet")
def test_a_pooler_that_keeps_losing_them_turns_them_off(engine, caplog):
    """Losses that come back on fresh connections (PgBouncer in transaction mode): after
    three rounds the process runs the statements unprepared, and says why, once."""
    # Two connections losing theirs at once are one round (one migration, one pooler hiccup).
    user_id = seed_user(engine)
    lose_prepared_statements(engine, connections=2)
    lose_prepared_statements(engine, connections=2)
    engine.dispose()  # one connection again, which prepared_runs sees
    run_a_task(engine, user_id, "still prepared")
    assert list(prepared_runs(engine).values()) == [1, 1, 1]
    assert "unprepared" not in caplog.text

    lose_prepared_statements(engine)
    engine.dispose()
    run_a_task(engine, user_id, "unprepared")
    assert prepared_runs(engine) == {}
    assert caplog.text.count("DATABASE_PREPARED_STATEMENTS=false") == 1


@pytest.mark.postgres_only
@pytest.mark.usefixtures("quiet")
def test_behind_a_real_pgbouncer_a_process_stops_preparing_instead_of_failing(tmp_path, caplog):
    """The guide's "Scaling out": PgBouncer in transaction mode in front of PostgreSQL, and
    DATABASE_PREPARED_STATEMENTS left at its default. A process whose connection lands in a
    server session where another process already prepared the statement (PostgreSQL:
    "prepared statement ... already exists") must not answer 500 or fail the task: that is
    a pooler, so it runs them unprepared from then on and says why; meanwhile its callers
    see an unavailable database, which they retry (workers) or answer 503 (API)."""
    with PrivatePgBouncer(tmp_path / "pgbouncer", TEST_DATABASE_URL) as pgbouncer:
        url = pgbouncer.url_for(TEST_DATABASE_URL)
        first = build_engine(url)  # one process: prepares the task's writes in the one session
        user_id = seed_user(first)
        run_a_task(first, user_id, "first process")
        first.dispose()
        second = build_engine(url)  # another process, its first connection in that session
        outcomes = []
        try:
            for attempt in range(4):
                try:
                    run_a_task(second, user_id, attempt)
                    outcomes.append("done")
                except DBAPIError as exc:
                    assert database_unavailable(exc), f"a 500, a FAILED task: {exc}"
                    outcomes.append("retried")
        finally:
            second.dispose()
    assert outcomes[-3:] == ["done"] * 3, outcomes
    assert caplog.text.count("DATABASE_PREPARED_STATEMENTS=false") == 1


@pytest.mark.postgres_only
@pytest.mark.usefixtures("quiet")
def test_the_reads_of_every_request_on_a_task_are_prepared_too(engine):
    """The current user and the owned row (backend/api/deps.py): what a status poll reads."""
    user_id = seed_user(engine)
    task_id = run_a_task(engine, user_id, "pong")
    claims = TokenClaims(subject=str(user_id), expires_at=datetime.now(UTC))
    for _ in range(3):
        with Session(engine) as session:
            assert owned_task(session, get_current_user(claims, session), task_id).task_id == task_id
    assert sorted(prepared_runs(engine).values()) == [1, 1, 1, 3, 3]


def statements_through_sqlalchemy(engine: Engine) -> list[str]:
    """Collects the statements that go through SQLAlchemy's execution path on ``engine``."""
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: seen.append(args[2]))
    return seen


@pytest.mark.usefixtures("quiet")
def test_the_lease_and_the_success_run_at_the_driver_s_level(engine):
    """db.first_row_alone: the driver directly (psycopg2: the statement prepared under the
    same name; sqlite3: the same text), and the same row stored."""
    user_id = seed_user(engine)
    run_a_task(engine, user_id, "warm")  # prepares all three on the pool's connection
    through_sqlalchemy = statements_through_sqlalchemy(engine)
    task_id = submission.submit_task(engine, user_id, "ping", cap=submission.ActiveTaskCap(10))
    submitted = len(through_sqlalchemy)
    assert task_records.mark_processing(engine, task_id, "node-1", 60, 3).attempt == 1
    assert task_records.mark_success(engine, task_id, {"n": 1})
    assert len(through_sqlalchemy) == submitted  # neither went through SQLAlchemy
    if TEST_BACKEND == "postgres":
        assert list(prepared_runs(engine).values()) == [2, 2, 2]
    row = stored(engine, task_id)
    assert (row["status"], row["result"], row["attempts"]) == ("SUCCESS", {"n": 1}, 1)
    assert row["started_at"] <= row["completed_at"] and row["completed_at"].tzinfo is not None
    with engine.connect() as conn:  # nothing left open on the pool's connection
        driver = conn.connection.driver_connection
        assert (driver.autocommit is False) if TEST_BACKEND == "postgres" else not driver.in_transaction
    # The same calls on a final row: nothing applies, and both say so.
    assert task_records.mark_processing(engine, task_id, "node-1", 60, 3).outcome is (
        task_records.StartOutcome.SKIP
    )
    assert not task_records.mark_success(engine, task_id, {"n": 2})
    assert stored(engine, task_id)["result"] == {"n": 1}


@pytest.mark.postgres_only
@pytest.mark.usefixtures("quiet")
@pytest.mark.parametrize("loss", ["killed", "deallocated"])
def test_a_driver_level_write_on_a_lost_connection_runs_again_through_sqlalchemy(engine, loss):
    """The pooled connection died (server restarted, killed) or lost its prepared
    statements: the write is not lost; it runs again through SQLAlchemy on a new one."""
    user_id = seed_user(engine)
    run_a_task(engine, user_id, "warm")
    task_id = submission.submit_task(engine, user_id, "ping", cap=submission.ActiveTaskCap(10))
    with engine.connect() as conn:  # the pool's one connection
        backend = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
        if loss == "deallocated":
            conn.exec_driver_sql("DEALLOCATE ALL")
        conn.commit()
    if loss == "killed":
        killer = engine_for(prepared_statements=False)
        with killer.connect() as other:
            other.exec_driver_sql(f"SELECT pg_terminate_backend({backend})")
        killer.dispose()
    through_sqlalchemy = statements_through_sqlalchemy(engine)
    start = task_records.mark_processing(engine, task_id, "node-1", 60, 3)
    assert start.outcome is task_records.StartOutcome.TRACKED
    assert any("UPDATE task_status" in sql for sql in through_sqlalchemy)  # the second way
    assert task_records.mark_success(engine, task_id, "done")
    assert stored(engine, task_id)["status"] == "SUCCESS"
    assert stored(engine, task_id)["attempts"] == 1  # run once, not twice


def set_query_only(engine: Engine, switch: str) -> None:
    """SQLite's PRAGMA query_only on the pooled connection (sent on the driver: with it ON,
    SQLAlchemy's own BEGIN IMMEDIATE is refused too)."""
    pooled = engine.raw_connection()
    pooled.driver_connection.execute(f"PRAGMA query_only = {switch}")
    pooled.close()


@pytest.mark.backend_independent  # a SQLite file of its own in either pass
@pytest.mark.usefixtures("quiet")
def test_a_driver_level_write_that_sqlite_refuses_goes_through_sqlalchemy_s_handling(tmp_path, caplog):
    """The driver's error is not the caller's: the write runs again through SQLAlchemy,
    which raises its own DBAPIError (what ``patiently`` and ``database_unavailable`` know),
    and the row is left as it was. The refusal is SQLite's own: a connection set read-only."""
    url = f"sqlite:///{tmp_path / 'refusing.db'}"
    upgrade_database(url)
    engine = build_engine(url)
    user_id = seed_user(engine)
    task_id = submission.submit_task(engine, user_id, "ping", cap=submission.ActiveTaskCap(10))
    set_query_only(engine, "ON")  # on the pool's one connection, which every call below reuses
    through_sqlalchemy = statements_through_sqlalchemy(engine)
    with caplog.at_level(logging.INFO, logger="backend.db"), pytest.raises(DBAPIError, match="readonly"):
        task_records.mark_processing(engine, task_id, "node-1", 60, 3)
    assert "Task write failed on the driver (OperationalError)" in caplog.text  # the first way
    assert any("UPDATE task_status" in sql for sql in through_sqlalchemy)  # the second way
    set_query_only(engine, "OFF")
    assert stored(engine, task_id)["status"] == "PENDING"
    assert task_records.mark_processing(engine, task_id, "node-1", 60, 3).attempt == 1
    engine.dispose()


def test_a_statement_whose_returned_columns_need_converting_is_refused():
    """Rows come back as psycopg2 reads them: a UTC timestamp would not be SQLAlchemy's."""
    engine = build_engine("postgresql://nobody@127.0.0.1:1/none")  # never connects
    returning_a_timestamp = prepared(
        update(TaskStatus.__table__).values(result=None).returning(TaskStatus.completed_at)
    )
    with pytest.raises(TypeError, match="needs a conversion"):
        first_row_alone(engine, returning_a_timestamp, {})
