"""Cancelling: pending tasks are revoked, running ones stop cleanly, finished ones are deleted."""

from __future__ import annotations

import os
import uuid

import pytest
import redis
from sqlalchemy import func, select

from backend.db import get_engine
from backend.models import CategoryRule
from tests.support import is_final


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
    wait_for(task_id, headers, lambda s: s["status"] == "PROCESSING")
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
