"""Writes that are one statement run as their own transaction, without BEGIN and COMMIT
(backend/db.py ``one_statement``): the submit's INSERT, the lease, a success whose owner
has no webhook. Everything else still commits or rolls back whole, on the same pooled
connections."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, bindparam, event, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from backend.db import build_engine, first_row_alone, one_statement, prepared
from backend.models import TaskState, TaskStatus, WebhookDelivery, utcnow
from backend.services import task_records, webhooks
from backend.tasks import submission
from tests.conftest import TEST_BACKEND, TEST_DATABASE_URL
from tests.support.seed import seed_user

pytestmark = pytest.mark.usefixtures("clean_db")


@pytest.fixture
def engine() -> Iterator[Engine]:
    """An engine of its own: used one statement after the other, its pool opens one
    connection, which every use below reuses."""
    engine = build_engine(TEST_DATABASE_URL)
    yield engine
    engine.dispose()


class Statements:
    """Every statement the engine's connections send through a cursor, and whether the
    driver had a transaction open when it went out (psycopg2 sends its BEGIN before the
    first statement unless in autocommit; sqlite3 says so itself)."""

    def __init__(self, engine: Engine) -> None:
        self.sent: list[tuple[str, bool]] = []
        event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        driver = conn.connection.driver_connection
        postgres = conn.dialect.name == "postgresql"
        in_transaction = not driver.autocommit if postgres else driver.in_transaction
        self.sent.append((statement.split(None, 1)[0].upper(), in_transaction))


@pytest.mark.usefixtures("quiet")
def test_a_task_s_three_writes_are_each_one_statement_without_begin_or_commit(engine):
    user_id = seed_user(engine)
    seen = Statements(engine)
    task_id = submission.submit_task(engine, user_id, "ping", cap=submission.ActiveTaskCap(10))
    start = task_records.mark_processing(engine, task_id, "node-1", 60, 3)
    assert start.outcome is task_records.StartOutcome.TRACKED
    assert task_records.mark_success(engine, task_id, {"pong": True})
    # The INSERT went out alone, not inside a transaction. (The lease and the success go
    # to the driver directly, db.first_row_alone, where SQLAlchemy's events do not see
    # them: tests/integration/test_prepared_statements.py, and the server's word below.)
    assert seen.sent == [("INSERT", False)]
    assert task_records.current_state(engine, task_id) is TaskState.SUCCESS


@pytest.mark.postgres_only
def test_a_driver_level_write_is_its_own_transaction_too(engine):
    """db.first_row_alone (the lease, the success): psycopg2's autocommit mode, so the
    server sees the statement as the first of its transaction, and the pooled connection
    is transactional again afterwards."""
    user_id = seed_user(engine)
    with one_statement(engine) as conn:
        conn.execute(insert(TaskStatus).values(_row(user_id, "probe")))
    alone = prepared(
        update(TaskStatus).where(TaskStatus.task_id == bindparam("b_task_id"))
        .values(progress_message="probed")
        .returning((func.statement_timestamp() == func.transaction_timestamp()).label("alone"))
    )
    assert first_row_alone(engine, alone, {"b_task_id": "probe"}) == {"alone": True}
    with engine.connect() as conn:
        assert conn.connection.driver_connection.autocommit is False
        assert conn.execute(select(TaskStatus.progress_message)).scalar_one() == "probed"


@pytest.mark.postgres_only
def test_postgresql_runs_the_statement_as_the_first_of_its_transaction(engine):
    # The server's own word: a transaction whose first command is this statement, i.e.
    # no BEGIN before it (statement_timestamp equals transaction_timestamp only then).
    probe = text("SELECT statement_timestamp() = transaction_timestamp()")
    with one_statement(engine) as conn:
        assert conn.execute(probe).scalar_one() is True
    with engine.begin() as conn:
        conn.execute(text("SELECT 1"))
        assert conn.execute(probe).scalar_one() is False
    with engine.connect() as conn:  # the same pooled connection, transactional again
        assert conn.connection.driver_connection.autocommit is False


def test_a_transaction_on_the_same_connection_still_commits_or_rolls_back_whole(engine):
    user_id = seed_user(engine)
    with one_statement(engine) as conn:
        conn.execute(insert(TaskStatus).values(_row(user_id, "first")))
    seen = Statements(engine)
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert(TaskStatus).values(_row(user_id, "second")))
        conn.execute(insert(TaskStatus).values(_row(user_id, "first")))  # its key is taken
    # A BEGIN went first (SQLite's BEGIN IMMEDIATE; psycopg2's own, unseen here)...
    assert seen.sent[0] == (("BEGIN", False) if TEST_BACKEND == "sqlite" else ("INSERT", True))
    # ...and the failure took the first INSERT of the transaction with it.
    with engine.connect() as conn:
        ids = set(conn.execute(select(TaskStatus.task_id)).scalars())
    assert ids == {"first"}


def test_a_failed_single_statement_leaves_the_connection_transactional(engine):
    user_id = seed_user(engine)
    with engine.begin() as conn:
        conn.execute(insert(TaskStatus).values(_row(user_id, "taken")))
    with pytest.raises(IntegrityError), one_statement(engine) as conn:
        conn.execute(insert(TaskStatus).values(_row(user_id, "taken")))
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert(TaskStatus).values(_row(user_id, "rolled back")))
        conn.execute(insert(TaskStatus).values(_row(user_id, "taken")))
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(TaskStatus)).scalar_one() == 1


@pytest.mark.usefixtures("quiet")
def test_a_success_with_webhooks_commits_its_outbox_rows_with_the_status(engine, monkeypatch):
    user_id = seed_user(engine, with_webhook=True)
    task_id = submission.submit_task(engine, user_id, "ping")
    task_records.mark_processing(engine, task_id, "node-1", 60, 3)
    monkeypatch.setattr(webhooks, "announce", lambda _ids: None)

    # The outbox fails after writing its rows: the status must not commit without them.
    recorded = webhooks.record_task_outcome

    def record_then_fail(conn, task):
        assert recorded(conn, task)
        raise RuntimeError("the outbox failed")

    monkeypatch.setattr(webhooks, "record_task_outcome", record_then_fail)
    with pytest.raises(RuntimeError):
        task_records.mark_success(engine, task_id, None)
    assert task_records.current_state(engine, task_id) is TaskState.PROCESSING
    monkeypatch.setattr(webhooks, "record_task_outcome", recorded)

    assert task_records.mark_success(engine, task_id, None)
    assert task_records.current_state(engine, task_id) is TaskState.SUCCESS
    with engine.connect() as conn:
        events = conn.execute(select(WebhookDelivery.event)).scalars().all()
    assert events == [webhooks.TASK_SUCCEEDED]
    # Final already: neither form applies again, and no second delivery is written.
    assert not task_records.mark_success(engine, task_id, None)


def _row(user_id: int, task_id: str) -> dict[str, Any]:
    now = utcnow()
    return {
        "task_id": task_id, "user_id": user_id, "task_name": "ping", "queue": "default",
        "status": "PENDING", "progress_percent": 0, "kwargs": {}, "attempts": 0,
        "created_at": now, "updated_at": now,
    }
