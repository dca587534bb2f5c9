"""Progress reports against a real task_status row: throttled, forced, monotonic, cancellable,
and the lease that says which run may write it."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import insert, select, update

from backend.db import get_engine
from backend.models import TaskStatus, User, utcnow
from backend.services import task_records
from backend.services.task_records import StartOutcome
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
    with get_engine().begin() as conn:  # cancel requested; the runner's lease long expired
        conn.execute(update(TaskStatus).where(TaskStatus.task_id == running_task)
                     .values(cancel_requested_at=utcnow(), heartbeat_at=None))

    outcome = task_records.mark_processing(get_engine(), running_task, "celery@next", 30, 3).outcome

    assert outcome is StartOutcome.SKIP
    assert task_records.current_state(get_engine(), running_task).value == "REVOKED"


# The lease is the node *and* the attempt. The fault suite's cold-shutdown scenario once saw
# a run stop with "another run took over its lease" and the task then run by nobody; these
# drive, in the order that breaks, the writes that could move a row under the run holding it.

def take_expired_lease(task_id: str, worker: str) -> task_records.Start:
    """Another copy of the message starts after the lease expired (lost_after 0 s)."""
    return task_records.mark_processing(get_engine(), task_id, worker, 0, 3)


def row(task_id: str) -> tuple[str, str | None, int]:
    with get_engine().connect() as conn:
        found = conn.execute(
            select(TaskStatus.status, TaskStatus.worker, TaskStatus.attempts)
            .where(TaskStatus.task_id == task_id)
        ).one()
    return found.status, found.worker, found.attempts


def test_a_run_whose_lease_a_copy_on_the_same_node_took_stops_at_its_next_report(running_task):
    first = ProgressReporter(running_task, WORKER, interval=0, attempt=1)
    first.report(10, "Working")
    second = take_expired_lease(running_task, WORKER)  # same node: only the attempt differs
    assert second.outcome is StartOutcome.TRACKED and second.attempt == 2

    with pytest.raises(LeaseLost):  # before: the node matched, and both runs went on
        first.report(20, "Still working")
    ProgressReporter(running_task, WORKER, interval=0, attempt=2).report(30, "The copy's run")
    assert stored(running_task) == (30, "The copy's run")


def test_a_run_that_lost_its_lease_cannot_move_the_row_of_the_run_that_holds_it(running_task):
    take_expired_lease(running_task, "celery@next-node")

    # The first run's transient error: its retry must not hand the task back, and the
    # second run must keep its lease (before: the row went RETRYING under it).
    assert not task_records.mark_retrying(get_engine(), running_task, "Temporary", 1, WORKER, 1)
    # The first node's pool process died: the lost run held no lease any more.
    assert not task_records.release_lost_run(get_engine(), running_task, WORKER, 3)
    # The first node shut down and hands back what it still holds: nothing of this task.
    assert task_records.release_leases(get_engine(), WORKER) == 0

    assert row(running_task) == ("PROCESSING", "celery@next-node", 2)


def test_the_run_that_holds_the_lease_can_still_retry_and_be_released(running_task):
    assert task_records.mark_retrying(get_engine(), running_task, "Temporary", 1, WORKER, 1)
    assert row(running_task) == ("RETRYING", None, 1)
    started = take_expired_lease(running_task, WORKER)
    assert task_records.release_lost_run(get_engine(), running_task, WORKER, 3)
    assert started.attempt == 2 and row(running_task) == ("RETRYING", None, 2)


def test_a_run_whose_lease_a_copy_on_the_same_node_took_cannot_hand_the_task_over(running_task):
    take_expired_lease(running_task, WORKER)  # same node: only the attempt differs

    # The first run finds its statement long: it must not hand over the row of the run
    # that holds it now (before: the node matched, the row lost its lease under the second
    # run, and the first run's parts and the second run both went on).
    with get_engine().begin() as conn:
        assert not task_records.hand_over(conn, running_task, WORKER, 1, "Parsing 50 pages in 3 parts")
    assert row(running_task) == ("PROCESSING", WORKER, 2)

    with get_engine().begin() as conn:
        assert task_records.hand_over(conn, running_task, WORKER, 2, "Parsing 50 pages in 3 parts")
    assert row(running_task) == ("PROCESSING", None, 2)


# Found by QA: a FAILED task kept "Parsing page 3" at 43 % as if it were still at it, and a
# retry went RETRYING 29 % → PROCESSING 3 % although progress "never goes back".

def test_a_failed_task_keeps_how_far_it_got_and_says_it_failed(running_task):
    ProgressReporter(running_task, WORKER, interval=0, attempt=1).report(43, "Parsing page 3")
    assert task_records.mark_failed(get_engine(), running_task, "The PDF is damaged")
    assert stored(running_task) == (43, task_records.FAILED_PROGRESS)


@pytest.mark.parametrize("how", ["retry", "lost run", "shutdown", "expired lease"])
def test_a_task_that_will_run_again_starts_its_progress_over(running_task, how):
    engine = get_engine()
    ProgressReporter(running_task, WORKER, interval=0, attempt=1).report(29, "Parsing page 3")
    if how == "retry":
        assert task_records.mark_retrying(engine, running_task, "Temporary", 1, WORKER, 1)
    elif how == "lost run":
        assert task_records.release_lost_run(engine, running_task, WORKER, 3)
    elif how == "shutdown":
        assert task_records.release_leases(engine, WORKER) == 1
    else:
        assert task_records.reclaim_expired_lease(engine, running_task, 0, 3).value == "RETRYING"
    assert stored(running_task) == (0, task_records.RUN_AGAIN_PROGRESS)
    # The next run's progress then only goes up, from where that run starts.
    take_expired_lease(running_task, "celery@next-node")
    ProgressReporter(running_task, "celery@next-node", interval=0, attempt=2).report(3, "Parsing page 1")
    assert stored(running_task) == (3, "Parsing page 1")


def test_a_task_whose_worker_died_too_often_keeps_how_far_it_got(running_task):
    ProgressReporter(running_task, WORKER, interval=0, attempt=1).report(43, "Parsing page 3")
    assert task_records.release_lost_run(get_engine(), running_task, WORKER, 1)
    assert row(running_task)[0] == "FAILED"
    assert stored(running_task) == (43, task_records.FAILED_PROGRESS)
