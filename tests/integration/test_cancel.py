"""Cancelling: pending tasks are revoked, running ones stop cleanly, finished ones are deleted."""

from __future__ import annotations

import os
import threading
import time
import uuid

import pytest
import redis
from sqlalchemy import func, select

from backend.db import get_engine
from backend.models import CategoryRule, TaskState, TaskStatus
from backend.services import task_records
from backend.services.task_records import ProgressOutcome, StartOutcome
from backend.tasks.submission import dispatch
from tests.conftest import WORKER_LOG
from tests.support import is_final
from tests.support.seed import seed_task


def assert_worker_still_serves(client, headers, wait_for) -> None:
    ping = client.post("/tasks/ping", headers=headers).json()["task_id"]
    assert wait_for(ping, headers, is_final)["status"] == "SUCCESS"


# SQLite allows one writer: a task that holds a write transaction for seconds (as this
# test task does on purpose) blocks every other write there, the cancel flag included.
# Ledgerflow's own tasks keep their write transactions short for that reason.
@pytest.mark.postgres_only
def test_cancelling_a_running_task_rolls_back_its_work_and_the_worker_survives(
    client, auth_headers, submit, wait_for
):
    user_id = client.get("/auth/me", headers=auth_headers).json()["id"]
    marker = f"partial-{uuid.uuid4().hex}"
    task_id = submit(auth_headers, "tests.partial_work", user_id=user_id, marker=marker, seconds=30)
    wait_for(task_id, auth_headers, lambda s: s["status"] == "PROCESSING")

    response = client.delete(f"/tasks/{task_id}", headers=auth_headers)
    assert response.status_code == 200
    assert response.json() == {"message": "Task cancelled"}

    status = client.get(f"/tasks/{task_id}/status", headers=auth_headers).json()
    assert status["status"] == "REVOKED"
    assert status["retryable"] is True  # a cancelled task may run again
    with get_engine().connect() as conn:
        written = conn.scalar(select(func.count()).where(CategoryRule.pattern == marker))
    assert written == 0, "the cancelled task's partial write must be rolled back"
    assert_worker_still_serves(client, auth_headers, wait_for)


def test_a_task_that_ignores_the_cancel_is_terminated_after_the_grace_period(
    client, auth_headers, submit, wait_for
):
    task_id = submit(auth_headers, "tests.uncooperative", seconds=60)
    wait_for(task_id, auth_headers, lambda s: s["status"] == "PROCESSING")

    response = client.delete(f"/tasks/{task_id}", headers=auth_headers)
    assert response.status_code == 200
    assert response.json() == {"message": "Task cancelled"}
    assert client.get(f"/tasks/{task_id}/status", headers=auth_headers).json()["status"] == "REVOKED"
    assert_worker_still_serves(client, auth_headers, wait_for)


def test_a_run_whose_message_came_again_to_its_node_is_still_terminated(
    client, auth_headers, submit, wait_for
):
    # A second copy of a running task's message on the same node (a reaper's re-send of a
    # message that waited behind a backlog, a redelivery) finds the live lease and looks
    # again later. Celery's table of requests by task id then names that copy, not the
    # run, and revoke(terminate=True) missed the run: DELETE answered 202 and the task
    # ran on to SUCCESS.
    task_id = submit(auth_headers, "tests.uncooperative", seconds=60)
    wait_for(task_id, auth_headers, lambda s: s["status"] == "PROCESSING")
    with get_engine().connect() as conn:
        kwargs = conn.scalar(select(TaskStatus.kwargs).where(TaskStatus.task_id == task_id))
    dispatch("tests.uncooperative", task_id, kwargs)
    # The copy found the live lease and was put back for later (on Redis the node holds it
    # until its countdown, on RabbitMQ the broker's delay queues do): by then its request
    # replaced and removed the run's in Celery's table.
    deadline = time.monotonic() + 30
    while f"Task {task_id} is running elsewhere" not in WORKER_LOG.read_text():
        assert time.monotonic() < deadline, "the duplicate was never put back for later"
        time.sleep(0.2)

    response = client.delete(f"/tasks/{task_id}", headers=auth_headers)

    assert (response.status_code, response.json()) == (200, {"message": "Task cancelled"})
    assert client.get(f"/tasks/{task_id}/status", headers=auth_headers).json()["status"] == "REVOKED"
    assert_worker_still_serves(client, auth_headers, wait_for)


def test_cancelling_a_pending_task_revokes_it_before_it_runs(client, auth_headers, submit, wait_for):
    # Occupy both worker processes (prefetch 1) so the next task waits in the queue. The
    # blockers stop at their next progress write once cancelled: ones that ignored the cancel
    # (the next test's) would cost the grace period and two new pool processes here.
    blockers = [submit(auth_headers, "tests.progress_steps", steps=600, delay=0.1) for _ in range(2)]
    for blocker in blockers:
        wait_for(blocker, auth_headers, lambda s: s["status"] == "PROCESSING")
    waiting = submit(auth_headers, "tests.progress_steps", steps=1, delay=0)
    assert client.get(f"/tasks/{waiting}/status", headers=auth_headers).json()["status"] == "PENDING"

    response = client.delete(f"/tasks/{waiting}", headers=auth_headers)
    assert response.json() == {"message": "Task cancelled"}
    for blocker in blockers:
        assert client.delete(f"/tasks/{blocker}", headers=auth_headers).status_code == 200

    assert_worker_still_serves(client, auth_headers, wait_for)
    status = client.get(f"/tasks/{waiting}/status", headers=auth_headers).json()
    assert status["status"] == "REVOKED" and status["started_at"] is None


def test_deleting_a_finished_task_removes_it_and_its_result(client, auth_headers, wait_for):
    task_id = client.post("/tasks/ping", headers=auth_headers).json()["task_id"]
    wait_for(task_id, auth_headers, is_final)

    response = client.delete(f"/tasks/{task_id}", headers=auth_headers)
    assert response.status_code == 200
    assert response.json() == {"message": "Task result deleted"}
    assert client.get(f"/tasks/{task_id}/status", headers=auth_headers).status_code == 404
    assert client.get(f"/tasks/{task_id}/result", headers=auth_headers).status_code == 404


def _running_slow_to_die(submit, wait_for, headers, dying_seconds: float) -> tuple[str, str]:
    """A running ``tests.slow_to_die`` task, and the Redis key it sets as its process exits."""
    exited_key = f"exited-{uuid.uuid4().hex}"
    task_id = submit(headers, "tests.slow_to_die", exited_key=exited_key,
                     dying_seconds=dying_seconds, seconds=60)
    # Its progress line, not PROCESSING alone: the row is PROCESSING from the lease, before
    # the task installs its slow SIGTERM handler, and a kill in between (a loaded machine's
    # fresh-clone run) ended it at once, answering 200 where the test waits for 202.
    wait_for(task_id, headers, lambda s: s["status"] == "PROCESSING" and s["progress_message"] == "Sleeping")
    return task_id, exited_key


def _exited(exited_key: str) -> bool:
    return redis.Redis.from_url(os.environ["REDIS_URL"]).get(exited_key) == b"1"


def test_a_terminated_task_is_revoked_only_once_its_process_has_stopped(
    client, auth_headers, submit, wait_for
):
    # Found by QA: DELETE answered "Task cancelled" as soon as it had sent the kill, and a
    # second DELETE at once removed the record while the process was still running.
    task_id, exited_key = _running_slow_to_die(submit, wait_for, auth_headers, dying_seconds=1)

    response = client.delete(f"/tasks/{task_id}", headers=auth_headers)
    assert response.status_code == 200, response.text
    assert response.json() == {"message": "Task cancelled"}
    assert _exited(exited_key), "REVOKED while the task's process still ran"
    status = client.get(f"/tasks/{task_id}/status", headers=auth_headers).json()
    assert status["status"] == "REVOKED"
    assert status["progress_message"] == "Cancelled (terminated)"

    # Nothing runs any more: the record may go now, as any finished task's.
    assert client.delete(f"/tasks/{task_id}", headers=auth_headers).json() == {
        "message": "Task result deleted"
    }
    assert_worker_still_serves(client, auth_headers, wait_for)


def test_a_second_delete_while_the_task_is_still_stopping_cancels_again_and_keeps_the_record(
    client, auth_headers, submit, wait_for
):
    # Its process outlives the kill by longer than the API waits for the worker to confirm
    # (TERMINATE_CONFIRM_SECONDS): DELETE says the cancel is under way (202), and the
    # second DELETE, sent at once, does not remove the record of a task still running.
    task_id, exited_key = _running_slow_to_die(submit, wait_for, auth_headers, dying_seconds=12)

    first = client.delete(f"/tasks/{task_id}", headers=auth_headers)
    assert first.status_code == 202, first.text
    assert "being stopped" in first.json()["message"]
    assert client.get(f"/tasks/{task_id}/status", headers=auth_headers).json()["status"] == "PROCESSING"

    second = client.delete(f"/tasks/{task_id}", headers=auth_headers)
    assert second.status_code == 200, second.text
    assert second.json() == {"message": "Task cancelled"}
    assert _exited(exited_key)
    assert client.get(f"/tasks/{task_id}/status", headers=auth_headers).json()["status"] == "REVOKED"
    assert_worker_still_serves(client, auth_headers, wait_for)


def test_a_copy_of_a_cancelled_tasks_message_neither_runs_it_nor_revokes_it_while_its_run_goes_on(
    client, register
):
    # Copies of a message are part of the design (the reaper re-sends a row still waiting
    # in a backlog, RabbitMQ redelivers after a connection drop). A copy that comes after the
    # owner's cancel, while the run holding the lease has not stopped, once recorded REVOKED:
    # DELETE then answered "Task cancelled" and a second DELETE removed the record of work
    # that went on.
    engine = get_engine()
    user_id = client.get("/auth/me", headers=register()).json()["id"]
    task_id = seed_task(user_id, "PENDING")
    run = task_records.mark_processing(engine, task_id, "celery@running", 30, 3)
    assert run.outcome is StartOutcome.TRACKED
    assert task_records.request_cancel(engine, task_id)  # DELETE; the run has not stopped yet

    copy = task_records.mark_processing(engine, task_id, "celery@other", 30, 3)

    assert copy.outcome is StartOutcome.BUSY  # not run: it looks again later
    assert task_records.current_state(engine, task_id) is TaskState.PROCESSING
    # The run sees the cancel at its next report and stops: REVOKED now, and the copy's
    # next look finds the task over.
    progress = task_records.record_progress(engine, task_id, "celery@running", 10, None, run.attempt)
    assert progress is ProgressOutcome.CANCELLED
    assert task_records.mark_revoked(engine, task_id)
    assert task_records.mark_processing(engine, task_id, "celery@other", 30, 3).outcome is (
        StartOutcome.SKIP
    )


def test_a_copy_of_the_message_does_not_make_delete_answer_cancelled_while_the_run_goes_on(
    client, auth_headers, submit, wait_for
):
    # The same on the real worker: a copy of the message reaches its second process after
    # the cancel flag, while the first one still runs the task (it reports no progress, so
    # only a terminate could stop it before its end).
    exited_key = f"exited-{uuid.uuid4().hex}"
    task_id = submit(auth_headers, "tests.slow_to_die", exited_key=exited_key,
                     dying_seconds=1, seconds=16)
    wait_for(task_id, auth_headers, lambda s: s["status"] == "PROCESSING")
    engine = get_engine()
    with engine.connect() as conn:
        kwargs = conn.scalar(select(TaskStatus.kwargs).where(TaskStatus.task_id == task_id))
    answers: list = []
    deleting = threading.Thread(
        target=lambda: answers.append(client.delete(f"/tasks/{task_id}", headers=auth_headers))
    )
    deleting.start()
    deadline = time.monotonic() + 10
    while _cancel_requested_at(task_id) is None:
        assert time.monotonic() < deadline, "DELETE never flagged the task"
        time.sleep(0.05)
    dispatch("tests.slow_to_die", task_id, kwargs)  # what a re-send or a redelivery does
    deleting.join(timeout=60)
    assert answers, "DELETE did not answer"
    stopped = _exited(exited_key)
    state = task_records.current_state(engine, task_id)

    # "Task cancelled" (and REVOKED) only once the process stopped. The terminate may miss
    # the run here: Celery's worker finds a request to terminate by task id, and the copy
    # on the same worker took that id's place; DELETE then says the cancel is under way
    # (202), which is true, and the run ends on its own.
    assert answers[0].status_code in (200, 202), answers[0].text
    assert stopped or answers[0].status_code == 202, "DELETE said cancelled while the task ran"
    assert stopped or state is TaskState.PROCESSING, f"{state} while the task's process still ran"
    final = wait_for(task_id, auth_headers, is_final)
    assert final["status"] in ("REVOKED", "SUCCESS"), final
    assert_worker_still_serves(client, auth_headers, wait_for)


def _cancel_requested_at(task_id: str):
    with get_engine().connect() as conn:
        return conn.scalar(
            select(TaskStatus.cancel_requested_at).where(TaskStatus.task_id == task_id)
        )
