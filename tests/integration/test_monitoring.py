"""The operators' monitoring API against real worker processes: admins, worker nodes going
offline, queue depths on the broker and task statistics computed from task_status."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert, select

from backend.db import get_engine
from backend.models import TaskStatus, WorkerNode, utcnow
from backend.tasks.app import celery_app
from backend.tasks.kinds import QUEUES
from tests.conftest import REPO_ROOT, WORKER_QUEUES
from tests.integration.test_health import client_with, make_admin
from tests.support.seed import seed_task

ADMIN_PATHS = ("/admin/workers", "/admin/queues", "/admin/stats")
FINAL = ("SUCCESS", "FAILED", "REVOKED")


@pytest.fixture
def admin_headers(client, register) -> dict[str, str]:
    headers = register()
    make_admin(client, headers)
    return headers


def poll(check: Callable[[], object], what: str, timeout: float = 60) -> object:
    """``check()`` until it returns something truthy; fails with ``what`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        outcome = check()
        if outcome:
            return outcome
        if time.monotonic() > deadline:
            pytest.fail(f"{what} within {timeout:.0f} s")
        time.sleep(0.2)


def session_worker_hostname(client, headers) -> str:
    rows = client.get("/admin/workers", headers=headers).json()
    return next(
        row["hostname"] for row in rows
        if row["hostname"].startswith("test-") and row["status"] == "online"
    )


def test_admin_endpoints_need_an_admin(client, register):
    user = register()
    for path in ADMIN_PATHS:
        assert client.get(path).status_code == 401
        response = client.get(path, headers=user)
        assert response.status_code == 403, path
        assert "administrator" in response.json()["detail"]


def test_admin_emails_make_an_account_admin_at_registration(client):
    with client_with(admin_emails=" Boss@Example.com ,ops@example.com") as other:
        for email, admin in (("boss@example.com", True), ("staff@example.com", False)):
            assert other.post(
                "/auth/register", json={"email": email, "password": "correct horse"}
            ).status_code == 201
            token = other.post("/auth/token", data={"username": email, "password": "correct horse"})
            headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
            assert other.get("/auth/me", headers=headers).json()["is_admin"] is admin
            assert other.get("/admin/stats", headers=headers).status_code == (200 if admin else 403)


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "backend.cli", *args], cwd=REPO_ROOT, capture_output=True, text=True,
        timeout=60, check=False,
    )


def test_cli_promotes_an_existing_account_and_refuses_an_unknown_one(client, register):
    email = f"ops-{uuid.uuid4().hex[:8]}@example.com"
    headers = register(email)
    assert client.get("/admin/workers", headers=headers).status_code == 403

    promoted = run_cli("create-admin", email.upper())
    assert promoted.returncode == 0, promoted.stderr
    assert "is now an admin" in promoted.stdout
    assert client.get("/admin/workers", headers=headers).status_code == 200

    unknown = run_cli("create-admin", "nobody@example.com")
    assert unknown.returncode == 1
    assert "No account with the email 'nobody@example.com'" in unknown.stderr
    assert run_cli("create-admin").returncode == 2  # argparse: the email is required


def test_the_test_worker_is_online_with_its_queues(client, admin_headers, worker):
    rows = client.get("/admin/workers", headers=admin_headers).json()
    mine = [row for row in rows if row["hostname"].startswith("test-") and row["status"] == "online"]
    assert len(mine) == 1, rows
    assert mine[0]["queues"] == sorted(WORKER_QUEUES.split(","))
    assert mine[0]["active"] >= 0 and mine[0]["processed"] >= 0


def start_worker(hostname: str, queues: str) -> subprocess.Popen:
    """Another real worker node (with the test-only tasks) that heartbeats every second."""
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "celery_app", "worker", "-Q", queues,
         "--include", "tests.support.tasks", "--pool", "solo", "--loglevel", "WARNING", "-n", hostname,
         "--without-gossip", "--without-mingle"],
        cwd=REPO_ROOT, env=dict(os.environ, WORKER_HEARTBEAT_SECONDS="1"),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )


@pytest.fixture
def short_offline_client(clean_db, redis_server) -> Iterator[TestClient]:
    """The API with nodes offline after 5 s without a heartbeat (instead of 30 s)."""
    with client_with(worker_lost_after_seconds=5) as short:
        yield short


def test_stopped_workers_show_offline_within_60_seconds(
    client, short_offline_client, admin_headers, worker
):
    suffix = uuid.uuid4().hex[:8]
    stopped, killed = f"stopped-{suffix}@monitor", f"killed-{suffix}@monitor"
    # A node last heard of longer ago than TASK_RETENTION_DAYS (7), and one more recently.
    with get_engine().begin() as conn:
        for hostname, days in ((f"gone-{suffix}@monitor", 8), (f"old-{suffix}@monitor", 6)):
            heard = utcnow() - timedelta(days=days)
            conn.execute(insert(WorkerNode).values(
                hostname=hostname, queues=["default"], started_at=heard, last_heartbeat=heard,
            ))
    nodes = {stopped: start_worker(stopped, "reports"), killed: start_worker(killed, "default")}

    def statuses(api: TestClient) -> dict[str, dict]:
        rows = api.get("/admin/workers", headers=admin_headers).json()
        return {row["hostname"]: row for row in rows}

    try:
        poll(lambda: all(statuses(short_offline_client).get(name, {}).get("status") == "online"
                         for name in nodes), "the new worker nodes were not both online")
        assert statuses(client)[killed]["queues"] == ["default"]
        watch_a_task_run_on(stopped, client, short_offline_client, admin_headers)
        # Starting nodes forget the long-silent one; the other is listed, offline.
        assert f"gone-{suffix}@monitor" not in statuses(client)
        assert statuses(client)[f"old-{suffix}@monitor"]["status"] == "offline"

        # A clean stop says so at once.
        nodes[stopped].send_signal(signal.SIGTERM)
        nodes[stopped].wait(timeout=60)
        poll(lambda: statuses(client)[stopped]["status"] == "offline",
             "a worker stopped with SIGTERM did not show offline")
        assert statuses(client)[killed]["status"] == "online"

        # A node that dies says nothing: its heartbeat ages past the offline setting.
        os.killpg(nodes[killed].pid, signal.SIGKILL)
        nodes[killed].wait(timeout=10)
        poll(lambda: statuses(short_offline_client)[killed]["status"] == "offline",
             "a SIGKILLed worker did not show offline")
        assert statuses(client)[stopped]["status"] == "offline"
        assert statuses(client)[stopped]["stopped_at"] is not None
        assert statuses(client)[killed]["stopped_at"] is None
    finally:
        for process in nodes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def stop_consuming(queue: str, hostname: str) -> None:
    """Make the worker node ``hostname`` stop taking messages from ``queue`` (Celery's
    remote control); add_consumer undoes it."""
    assert celery_app.control.cancel_consumer(queue, destination=[hostname], reply=True), (
        f"{hostname} did not answer cancel_consumer"
    )
    # On Redis the cancel waits for the BRPOP in flight (kombu's 1-second timeout), which
    # can still hand the node one message: let it end before anything is sent there.
    time.sleep(2)


def watch_a_task_run_on(hostname: str, client, short: TestClient, headers) -> None:
    """Run a 3-second task on ``hostname``, the only consumer of "reports" while the test
    worker leaves that queue: its row shows it active, then processed."""
    def row() -> dict:
        rows = short.get("/admin/workers", headers=headers).json()
        return next(node for node in rows if node["hostname"] == hostname)

    before = row()
    assert before["active"] == 0
    test_worker = session_worker_hostname(client, headers)
    stop_consuming("reports", test_worker)
    try:
        celery_app.send_task("tests.progress_steps", kwargs={"steps": 3, "delay": 1.0}, queue="reports")
        poll(lambda: row()["active"] == 1, "the running task was not counted active")
        poll(lambda: row()["active"] == 0 and row()["processed"] == before["processed"] + 1,
             "the finished task was not counted processed")
    finally:
        celery_app.control.add_consumer("reports", destination=[test_worker], reply=True)


def queue_rows(client, headers) -> dict[str, dict]:
    response = client.get("/admin/queues", headers=headers)
    assert response.status_code == 200, response.text
    return {row["name"]: row for row in response.json()}


def test_queue_depth_counts_messages_nobody_takes(client, admin_headers, worker):
    rows = queue_rows(client, admin_headers)
    assert list(rows) == list(QUEUES)  # every declared queue, in declaration order
    # The test worker consumes them all (once its heartbeat caught up with an earlier
    # test's add_consumer).
    poll(lambda: all(row["consumers"] >= 1 for row in queue_rows(client, admin_headers).values()),
         "a queue without a consumer")
    hostname = session_worker_hostname(client, admin_headers)
    # The test worker stops consuming "reports" for a while, so that what is sent there
    # waits in the broker.
    stop_consuming("reports", hostname)
    try:
        # Its next heartbeat (every WORKER_HEARTBEAT_SECONDS) drops the queue from its row.
        poll(lambda: queue_rows(client, admin_headers)["reports"]["consumers"] == 0,
             "the cancelled consumer still counted")
        before = queue_rows(client, admin_headers)["reports"]["depth"]
        for priority in (None, None, 5):  # a prioritised message goes to a sub-queue on Redis
            celery_app.send_task("ping", queue="reports", priority=priority)
        rows = queue_rows(client, admin_headers)
        assert rows["reports"]["depth"] == before + 3
        assert rows["default"]["consumers"] >= 1
    finally:
        celery_app.control.add_consumer("reports", destination=[hostname], reply=True)
    poll(lambda: queue_rows(client, admin_headers)["reports"]["depth"] == 0,
         "the waiting messages were not taken once the queue had a consumer again")


def nearest_rank(values: list[float], percent: int) -> float:
    ordered = sorted(values)
    return ordered[max(1, -(-percent * len(ordered) // 100)) - 1]


def test_stats_match_the_tasks_the_test_ran(client, admin_headers, submit, wait_for):
    user = admin_headers
    task_ids = [submit(user, "tests.progress_steps", steps=2, delay=0.1) for _ in range(3)]
    task_ids += [submit(user, "tests.invalid_input", counter_key=f"k-{uuid.uuid4().hex}") for _ in range(2)]
    task_ids.append(submit(user, "tests.flaky", counter_key=f"k-{uuid.uuid4().hex}", failures=1))
    for task_id in task_ids:
        wait_for(task_id, user, lambda s: s["status"] in FINAL)
    user_id = client.get("/auth/me", headers=user).json()["id"]
    # Outside a 1 h window, inside a 24 h one.
    old = utcnow() - timedelta(hours=2)
    seed_task(user_id, "SUCCESS", "tests.progress_steps", created_at=old, started_at=old,
              completed_at=old + timedelta(seconds=1))

    response = client.get("/admin/stats", params={"window": "1h"}, headers=user)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["window"] == "1h"
    stats = {row["task_name"]: row for row in body["tasks"]}
    assert set(stats) == {"tests.progress_steps", "tests.invalid_input", "tests.flaky"}
    expected = {
        "tests.progress_steps": (3, 3, 0, 0),
        "tests.invalid_input": (2, 0, 2, 0),
        "tests.flaky": (1, 1, 0, 1),
    }
    with get_engine().connect() as conn:
        rows = conn.execute(
            select(TaskStatus.task_name, TaskStatus.started_at, TaskStatus.completed_at)
            .where(TaskStatus.task_id.in_(task_ids))
        ).all()
    for name, (submitted, succeeded, failed, retried) in expected.items():
        row = stats[name]
        assert (row["submitted"], row["succeeded"], row["failed"], row["retried"]) == (
            submitted, succeeded, failed, retried
        ), row
        durations = [
            (done.replace(tzinfo=None) - start.replace(tzinfo=None)).total_seconds()
            for task_name, start, done in rows if task_name == name
        ]
        assert row["p50_seconds"] == pytest.approx(nearest_rank(durations, 50), abs=0.002)
        assert row["p95_seconds"] == pytest.approx(nearest_rank(durations, 95), abs=0.002)
        assert row["per_minute"] == round((succeeded + failed) / 60, 3)
    # Each progress_steps run sleeps 2 × 0.1 s.
    assert stats["tests.progress_steps"]["p50_seconds"] >= 0.2

    wide = client.get("/admin/stats", params={"window": "24h"}, headers=user).json()
    wide_steps = next(row for row in wide["tasks"] if row["task_name"] == "tests.progress_steps")
    assert (wide_steps["submitted"], wide_steps["succeeded"]) == (4, 4)

    # The worker's processed count reaches the admin API with its next heartbeat.
    hostname = session_worker_hostname(client, user)
    poll(lambda: next(row for row in client.get("/admin/workers", headers=user).json()
                      if row["hostname"] == hostname)["processed"] >= len(task_ids),
         "the test worker's processed count did not grow")


@pytest.mark.parametrize(
    "window", ["", "1", "h", "1 h", " 1h", "1.5h", "-1h", "0m", "01h", "1w", "1H", "31d", "1h30m", "∞"]
)
def test_a_bad_stats_window_is_422(client, admin_headers, window):
    response = client.get("/admin/stats", params={"window": window}, headers=admin_headers)
    assert response.status_code == 422
    assert "window" in response.json()["detail"]


@pytest.mark.parametrize("window", ["15m", "1h", "24h", "7d", "30d"])
def test_good_stats_windows(client, admin_headers, window):
    response = client.get("/admin/stats", params={"window": window}, headers=admin_headers)
    assert response.status_code == 200 and response.json()["tasks"] == []
