"""The reaper's re-sends and the cancels it ends, against the real database and broker (no
worker: nothing runs them)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from typing import Any

import pytest
from celery.signals import before_task_publish
from sqlalchemy import select, update

from backend.db import get_engine
from backend.logs import REQUEST_ID_MESSAGE_HEADER, valid_request_id
from backend.models import TaskState, TaskStatus, utcnow
from backend.services import batches as batch_service
from backend.services import task_records
from backend.tasks import recovery
from backend.tasks.kinds import PARSE_STATEMENT
from backend.tasks.recovery import REAPER_REQUEST_ID_PREFIX, reap
from backend.tasks.submission import record_task
from tests.conftest import REPO_ROOT
from tests.support.net import free_port
from tests.support.seed import seed_task


def test_a_message_the_reaper_sends_again_carries_a_request_id_of_the_reapers(
    client, auth_headers
):
    # A PENDING task whose message never started (lost with the broker) a day ago.
    user_id = client.get("/auth/me", headers=auth_headers).json()["id"]
    task_id = seed_task(user_id, "PENDING", dispatched_at=utcnow() - timedelta(days=1))
    published: dict[str, Any] = {}

    def remember(headers: dict[str, Any] | None = None, **_kwargs: Any) -> None:
        if headers:
            published[headers["id"]] = headers.get(REQUEST_ID_MESSAGE_HEADER)

    before_task_publish.connect(remember, weak=False)
    try:
        counts = reap()
    finally:
        before_task_publish.disconnect(remember)

    assert counts["redispatched"] == 1
    request_id = published[task_id]
    assert request_id.startswith(REAPER_REQUEST_ID_PREFIX) and valid_request_id(request_id)


def _batch_of_one_parse(user_id: int) -> tuple[int, str, str]:
    """A batch of one statement parse (row id, public id, the item's task id)."""
    with get_engine().begin() as conn:
        row_id, batch_id = batch_service.create_batch(conn, user_id, None)
        kwargs = {"user_id": user_id, "file_path": "/nowhere.pdf", "file_sha256": "0" * 64}
        task_id = record_task(conn, user_id, PARSE_STATEMENT.name, kwargs,
                              file_path=kwargs["file_path"], batch_id=row_id)
        batch_service.add_item(conn, row_id, 1, "statement.pdf", task_id)
    return row_id, batch_id, task_id


@pytest.fixture
def nothing_runs(monkeypatch) -> list[str]:
    """No live worker lists any task, and the reaper's sends are recorded, not made."""
    sent: list[str] = []
    monkeypatch.setattr(recovery, "running_task_ids", lambda: set())
    monkeypatch.setattr(recovery, "dispatch", lambda _name, task_id, _kwargs: sent.append(task_id))
    return sent


def test_a_task_cancelled_while_its_worker_died_ends_revoked_and_its_batch_finishes(
    client, auth_headers, nothing_runs
):
    # DELETE flagged the running task, then its node died before stopping it. Sending it
    # again could not end it: the surviving workers discard the message (the terminate's
    # broadcast put its id in their revoked sets), or the broker is away, and a waiting row
    # with a cancel flag was sent by nobody. The run is gone, so the cancel is done.
    engine = get_engine()
    user_id = client.get("/auth/me", headers=auth_headers).json()["id"]
    row_id, batch_id, task_id = _batch_of_one_parse(user_id)
    assert task_records.mark_processing(engine, task_id, "celery@dead", 30, 3).attempt == 1
    assert task_records.request_cancel(engine, task_id)
    with engine.begin() as conn:  # its node stopped renewing the lease a minute ago
        conn.execute(update(TaskStatus).where(TaskStatus.task_id == task_id)
                     .values(heartbeat_at=utcnow() - timedelta(minutes=1)))

    counts = reap()

    status = client.get(f"/tasks/{task_id}/status", headers=auth_headers).json()
    assert (status["status"], status["progress_message"]) == ("REVOKED", "Cancelled")
    assert (counts.get("revoked"), counts["reclaimed"], nothing_runs) == (1, 0, [])
    batch = client.get(f"/batches/{batch_id}", headers=auth_headers).json()
    assert (batch["status"], batch["cancelled"], batch["progress_percent"]) == ("REVOKED", 1, 100)
    assert batch["finished_at"] is not None


def test_a_cancelled_task_left_waiting_is_revoked_once_it_should_have_started(
    client, auth_headers, nothing_runs
):
    # A run flagged for cancel that went back to waiting (a shutdown's hand-back, a retry,
    # a lost run reclaimed before the reaper revoked those) is revoked by its next copy;
    # when none comes, the reaper ends it once REDISPATCH_AFTER_SECONDS went by.
    user_id = client.get("/auth/me", headers=auth_headers).json()["id"]
    cancelled_at = utcnow() - timedelta(days=1)
    stuck = seed_task(user_id, "RETRYING", cancel_requested_at=cancelled_at,
                      dispatched_at=cancelled_at)
    just_handed_back = seed_task(user_id, "RETRYING", cancel_requested_at=cancelled_at,
                                 dispatched_at=utcnow())

    counts = reap()

    assert task_records.current_state(get_engine(), stuck) is TaskState.REVOKED
    assert (counts.get("revoked"), counts["redispatched"], nothing_runs) == (1, 0, [])
    # Its run may still be stopping: it gets the time any waiting message gets.
    assert task_records.current_state(get_engine(), just_handed_back) is TaskState.RETRYING


def test_a_re_send_the_broker_refused_is_taken_back_and_sent_at_the_next_round(
    client, auth_headers
):
    # A reaper whose broker went away between its round's start and its re-sends (a real
    # process with a broker URL nothing listens on). A try that sent nothing must not count
    # as a re-send: that would double the row's next wait, so a long outage delayed it as
    # long again once the broker was back.
    user_id = client.get("/auth/me", headers=auth_headers).json()["id"]
    day_ago = utcnow() - timedelta(days=1)
    lost = [seed_task(user_id, "PENDING", dispatched_at=day_ago) for _ in range(3)]
    env = dict(os.environ, CELERY_BROKER_URL=f"redis://127.0.0.1:{free_port()}/0")
    reaper = subprocess.run(
        [sys.executable, "-c",
         "import json; from backend.tasks.recovery import reap; print(json.dumps(reap()))"],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert reaper.returncode == 0, reaper.stderr
    assert json.loads(reaper.stdout.splitlines()[-1])["redispatched"] == 0
    # One refused send ends the round: the other rows are not tried against a dead broker.
    assert reaper.stderr.count("Could not enqueue") == 1
    with get_engine().connect() as conn:
        rows = conn.execute(select(TaskStatus.dispatched_at, TaskStatus.redispatches,
                                   TaskStatus.status).where(TaskStatus.task_id.in_(lost))).all()
    assert [(row.redispatches, row.status) for row in rows] == [(0, "PENDING")] * 3
    assert all(abs(row.dispatched_at - day_ago) < timedelta(seconds=1) for row in rows)

    # With the broker back, the next round sends all three, each counted once.
    assert reap()["redispatched"] == 3
    with get_engine().connect() as conn:
        counts = conn.execute(select(TaskStatus.redispatches)
                              .where(TaskStatus.task_id.in_(lost))).scalars().all()
    assert counts == [1, 1, 1]
