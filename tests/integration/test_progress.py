"""Progress reports against a real task_status row: throttled, forced, monotonic, cancellable."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import insert, select, update

from backend.db import get_engine
from backend.models import TaskStatus, User, utcnow
from backend.tasks.base import LeaseLost, ProgressReporter, TaskCancelled

WORKER = "celery@test-node"


@pytest.fixture
def running_task(clean_db) -> str:
    """The id of a PROCESSING task_status row."""
    task_id, now = str(uuid.uuid4()), utcnow()
    with get_engine().begin() as conn:
        user_id = conn.execute(
            insert(User).values(email="p@example.com", password_hash="x", is_active=True,
                                is_admin=False, created_at=now).returning(User.id)
        ).scalar_one()
        conn.execute(insert(TaskStatus).values(
            task_id=task_id, user_id=user_id, task_name="t", queue="default", status="PROCESSING",
            progress_percent=0, kwargs={}, attempts=1, created_at=now, updated_at=now,
            worker=WORKER, heartbeat_at=now,
        ))
    return task_id


def stored(task_id: str) -> tuple[int, str | None]:
    with get_engine().connect() as conn:
        row = conn.execute(
            select(TaskStatus.progress_percent, TaskStatus.progress_message)
            .where(TaskStatus.task_id == task_id)
        ).one()
    return row.progress_percent, row.progress_message


def test_reports_inside_the_interval_are_not_written_unless_forced(running_task):
    reporter = ProgressReporter(running_task, WORKER, interval=60)
    reporter.report(10, "Parsing page 1/3")
    assert stored(running_task) == (10, "Parsing page 1/3")
    reporter.report(20, "Parsing page 2/3")
    assert stored(running_task) == (10, "Parsing page 1/3")
    reporter.report(85, "Saving 120 transactions", force=True)
    assert stored(running_task) == (85, "Saving 120 transactions")


def test_stored_progress_never_goes_back(running_task):
    reporter = ProgressReporter(running_task, WORKER, interval=0)
    reporter.report(50, "Half")
    reporter.report(30, "Later, lower")
    assert stored(running_task) == (50, "Later, lower")


def test_a_cancel_request_is_seen_at_the_next_written_report(running_task):
    reporter = ProgressReporter(running_task, WORKER, interval=60)
    reporter.report(10, "Working")
    with get_engine().begin() as conn:
        conn.execute(update(TaskStatus).where(TaskStatus.task_id == running_task)
                     .values(cancel_requested_at=utcnow()))
    reporter.report(20, "Throttled: not written, not checked")
    with pytest.raises(TaskCancelled):
        reporter.report(30, "Phase change", force=True)


def test_a_run_whose_lease_was_taken_over_stops_at_its_next_report(running_task):
    reporter = ProgressReporter(running_task, WORKER, interval=0)
    reporter.report(10, "Working")
    with get_engine().begin() as conn:  # the reaper gave the task to another worker
        conn.execute(update(TaskStatus).where(TaskStatus.task_id == running_task)
                     .values(worker="celery@other-node"))
    with pytest.raises(LeaseLost):
        reporter.report(20, "Still working")
    assert stored(running_task) == (10, "Working")


def test_a_start_after_a_cancel_whose_runner_died_ends_the_task_revoked(running_task):
    from backend.services import task_records
    from backend.services.task_records import StartOutcome

    with get_engine().begin() as conn:  # cancel requested; the runner's lease long expired
        conn.execute(update(TaskStatus).where(TaskStatus.task_id == running_task)
                     .values(cancel_requested_at=utcnow(), heartbeat_at=None))

    outcome = task_records.mark_processing(get_engine(), running_task, "celery@next", 30, 3)

    assert outcome is StartOutcome.SKIP
    assert task_records.current_state(get_engine(), running_task).value == "REVOKED"
