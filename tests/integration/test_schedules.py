"""Schedules end to end: the API, two real `celery beat` processes and a real worker.

The beats are started the way an operator starts one (`celery -A celery_app beat`, no
scheduler flag), twice, as if a second had been started by mistake; they run before any
schedule exists, so everything they fire they found in the database without a restart.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from backend.config import get_settings
from backend.db import get_engine
from backend.models import Schedule, utcnow
from backend.services.schedules import claim_slot
from tests.conftest import REPO_ROOT
from tests.support import is_final
from tests.support.seed import seed_statement

ROWS = [
    ("2026-01-05", "COFFEE HOUSE", "-3.20"),
    ("2026-01-06", "SALARY ACME", "2500.00"),
    ("2026-01-07", "BOOKSHOP", "-12.00"),
]
# How long beat may take to notice a change in the table (its poll interval, plus slack).
NOTICE_SECONDS = get_settings().schedule_poll_seconds + 2


@pytest.fixture(scope="module")
def beats(worker, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Path]]:
    """Two beat processes; yields their log files."""
    folder = tmp_path_factory.mktemp("beats")
    processes, logs = [], []
    for name in ("beat-a", "beat-b"):
        log_path = folder / f"{name}.log"
        with log_path.open("w") as log:
            processes.append(subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "celery_app", "beat", "--loglevel", "INFO",
                 "--schedule", str(folder / f"{name}-schedule")],
                cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            ))
        logs.append(log_path)
    try:
        wait_until(lambda: all("beat: Starting" in path.read_text() for path in logs), 60,
                   "both beats to start")
        # The app's default scheduler: `celery beat` needs no -S flag.
        assert all("scheduler -> backend.tasks.scheduler.DatabaseScheduler" in path.read_text()
                   for path in logs)
        yield logs
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def wait_until(check: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.3)


def me(client, headers) -> int:
    return client.get("/auth/me", headers=headers).json()["id"]


def runs(client, headers, schedule_id: int) -> dict:
    answer = client.get(f"/schedules/{schedule_id}/runs", headers=headers)
    assert answer.status_code == 200
    return answer.json()


def when(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def test_a_schedule_fires_within_its_minute_once_although_two_beats_run(
    client, auth_headers, beats
):
    seed_statement(me(client, auth_headers), ROWS)
    created = client.post("/schedules", headers=auth_headers, json={
        "task": "report", "cron": "* * * * *", "timezone": "Europe/London",
        "params": {"date_from": "2026-01-06"},
    })
    assert created.status_code == 201, created.text
    schedule = created.json()
    assert schedule["enabled"] is True and schedule["params"] == {
        "statement_id": None, "date_from": "2026-01-06", "date_to": None,
    }
    slot = when(schedule["next_run_at"])
    assert slot.second == 0 and slot > when(schedule["created_at"])

    # It fires within 70 s of its minute and ends SUCCESS, as a report submitted by hand.
    def first_run_final() -> bool:
        page = runs(client, auth_headers, schedule["id"])
        return page["total"] >= 1 and is_final(page["items"][-1])

    wait_until(first_run_final, (slot - utcnow()).total_seconds() + 70, "the first run")
    # Pause it at once, so that later slots do not blur the count of this one's runs.
    paused = client.patch(f"/schedules/{schedule['id']}", json={"enabled": False}, headers=auth_headers)
    assert paused.status_code == 200 and paused.json()["enabled"] is False
    assert paused.json()["next_run_at"] is None
    time.sleep(NOTICE_SECONDS)  # both beats have looked at the table since

    page = runs(client, auth_headers, schedule["id"])
    of_the_slot = [run for run in page["items"] if when(run["created_at"]) < slot + timedelta(minutes=1)]
    assert len(of_the_slot) == 1, f"one slot, {len(of_the_slot)} runs: {of_the_slot}"
    run = page["items"][-1]
    assert run["status"] == "SUCCESS" and run["task_name"] == "generate_report_async"
    report_id = run["task_id"]
    result = client.get(f"/tasks/{report_id}/result", headers=auth_headers).json()["result"]
    assert result["row_count"] == 2  # the params went through: two rows from 2026-01-06
    assert client.get(result["download_url"], headers=auth_headers).status_code == 200
    fired_here = [path.name for path in beats if f"runs as task {report_id}" in path.read_text()]
    assert len(fired_here) == 1, f"fired by {fired_here}"
    assert when(client.get(f"/schedules/{schedule['id']}", headers=auth_headers)
                .json()["last_run_at"]) >= slot
    # The static entries of beat_schedule still run beside the database's schedules.
    wait_until(lambda: all("Sending due task reap-stuck-tasks" in path.read_text() for path in beats),
               2 * get_settings().reaper_interval_seconds + 5, "the reaper from both beats")


def test_missed_slots_run_once_and_paused_schedules_not_at_all(client, auth_headers, beats):
    statement_id = seed_statement(me(client, auth_headers), ROWS)
    rules = [{"pattern": "coffee", "category": "Eating out"}]
    hourly = client.post("/schedules", headers=auth_headers, json={
        "task": "categorize", "cron": "0 * * * *",
        "params": {"statement_id": statement_id, "rules": rules},
    }).json()
    paused = client.post("/schedules", headers=auth_headers, json={
        "task": "categorize", "cron": "0 6 1 1 *", "enabled": False,
        "params": {"statement_id": statement_id, "rules": rules},
    }).json()
    assert hourly["timezone"] == "UTC" and paused["next_run_at"] is None
    # What beat finds after everything was down for three days: 72 hourly slots missed, and
    # a paused schedule whose slots went by meanwhile.
    with get_engine().begin() as conn:
        conn.execute(update(Schedule).where(Schedule.id.in_((hourly["id"], paused["id"])))
                     .values(next_run_at=utcnow() - timedelta(days=3)))

    wait_until(lambda: runs(client, auth_headers, hourly["id"])["total"] >= 1, NOTICE_SECONDS + 5,
               "the missed slots' run")
    wait_until(lambda: is_final(runs(client, auth_headers, hourly["id"])["items"][0]), 30,
               "the run to finish")
    time.sleep(NOTICE_SECONDS)  # time for any other run of the missed slots to be started

    page = runs(client, auth_headers, hourly["id"])
    assert page["total"] == 1, page  # 72 missed slots coalesced into one run
    run = page["items"][0]
    assert run["status"] == "SUCCESS"
    result = client.get(f"/tasks/{run['task_id']}/result", headers=auth_headers).json()["result"]
    assert result["by_category"] == {"Eating out": 1}
    # The next slot is the first one after the run, not the hour after the missed slot.
    after = client.get(f"/schedules/{hourly['id']}", headers=auth_headers).json()
    assert when(after["next_run_at"]) > when(run["created_at"])
    assert when(after["next_run_at"]).minute == 0
    assert runs(client, auth_headers, paused["id"])["total"] == 0

    # Resumed, it starts from its next slot: the ones passed while paused do not run.
    resumed = client.patch(f"/schedules/{paused['id']}", json={"enabled": True}, headers=auth_headers)
    assert resumed.status_code == 200 and when(resumed.json()["next_run_at"]) > utcnow()
    time.sleep(NOTICE_SECONDS)
    assert runs(client, auth_headers, paused["id"])["total"] == 0

    # Deleted, it is gone; its run stays an ordinary task.
    assert client.delete(f"/schedules/{hourly['id']}", headers=auth_headers).status_code == 204
    assert client.get(f"/schedules/{hourly['id']}", headers=auth_headers).status_code == 404
    assert client.get(f"/schedules/{hourly['id']}/runs", headers=auth_headers).status_code == 404
    assert client.get(f"/tasks/{run['task_id']}/status", headers=auth_headers).json()["status"] == "SUCCESS"
    listed = client.get("/schedules", headers=auth_headers).json()
    assert [item["id"] for item in listed["items"]] == [paused["id"]] and listed["total"] == 1


def test_slots_both_beats_wake_for_are_each_run_once(client, auth_headers, beats):
    """Ten slots due at the same instant: both beats sleep until it and race for every
    one (their logs show the slots each lost); each slot still runs exactly once."""
    statement_id = seed_statement(me(client, auth_headers), ROWS)
    body = {"task": "categorize", "cron": "0 6 1 1 *",
            "params": {"statement_id": statement_id, "rules": [{"pattern": "book", "category": "Books"}]}}
    ids = [client.post("/schedules", json=body, headers=auth_headers).json()["id"] for _ in range(10)]
    # Far enough ahead that both beats have had a look (and so sleep until it).
    due = utcnow().replace(microsecond=0) + timedelta(seconds=NOTICE_SECONDS + 1)
    with get_engine().begin() as conn:
        conn.execute(update(Schedule).where(Schedule.id.in_(ids)).values(next_run_at=due))

    def all_ran() -> bool:
        return all(runs(client, auth_headers, schedule_id)["total"] >= 1 for schedule_id in ids)

    wait_until(all_ran, NOTICE_SECONDS + 30, "a run of every slot")
    time.sleep(NOTICE_SECONDS)  # any double would have been started by now
    counts = {schedule_id: runs(client, auth_headers, schedule_id)["total"] for schedule_id in ids}
    assert set(counts.values()) == {1}, counts
    slot = due.isoformat(timespec="seconds")
    started = {path.name: path.read_text().count(f"slot {slot} runs as task") for path in beats}
    lost = {path.name: path.read_text().count(f"slot {slot} not taken here") for path in beats}
    assert sum(started.values()) == 10, started
    print(f"slots started per beat: {started}; claims lost per beat: {lost}")


def test_only_one_of_several_claims_of_a_slot_wins(client, auth_headers):
    """The claim itself, raced by threads on their own connections: one run per slot."""
    created = client.post("/schedules", headers=auth_headers,
                          json={"task": "report", "cron": "0 6 * * 1"}).json()
    # A slot far enough ahead that the beats of the other tests leave it alone.
    due = when(created["next_run_at"]) + timedelta(days=28)
    with get_engine().begin() as conn:
        conn.execute(update(Schedule).where(Schedule.id == created["id"]).values(next_run_at=due))
    start = threading.Barrier(4)
    outcomes: list[object] = []

    def claim() -> None:
        start.wait()
        with get_engine().begin() as conn:
            outcomes.append(claim_slot(conn, created["id"], due, due + timedelta(days=7), utcnow()))

    threads = [threading.Thread(target=claim) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 4 and len([won for won in outcomes if won is not None]) == 1
    after = client.get(f"/schedules/{created['id']}", headers=auth_headers).json()
    assert when(after["next_run_at"]) == due + timedelta(days=7)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"task": "report", "cron": "60 * * * *"}, "out of range"),
        ({"task": "report", "cron": "*/10 * * * * *"}, "at most once a minute"),
        ({"task": "report", "cron": "0 0 30 2 *"}, "never matches"),
        ({"task": "report", "cron": "@reboot"}, "unknown cron alias"),
        ({"task": "report", "cron": "0 6 * * 1", "timezone": "Mars/Olympus"}, "unknown time zone"),
        ({"task": "report", "cron": "0 6 * * 1", "timezone": "../../etc/passwd"}, "unknown time zone"),
        ({"task": "backup", "cron": "0 6 * * 1"}, "report"),
        ({"task": "report", "cron": "0 6 * * 1", "params": {"date_from": "2026-02-01",
                                                           "date_to": "2026-01-01"}}, "date_from"),
        ({"task": "report", "cron": "0 6 * * 1", "params": {"statment_id": 3}}, "statment_id"),
        ({"task": "categorize", "cron": "0 6 * * 1", "params": {"rules": []}}, "rules"),
    ],
)
def test_invalid_schedules_are_422_saying_why(client, auth_headers, body, words):
    answer = client.post("/schedules", json=body, headers=auth_headers)
    assert answer.status_code == 422, answer.text
    assert words in str(answer.json()["detail"])
    assert client.get("/schedules", headers=auth_headers).json()["total"] == 0


def test_schedules_belong_to_their_owner_and_are_limited_per_user(client, register):
    alice, bob = register(), register()
    statement_id = seed_statement(me(client, alice), ROWS)
    body = {"task": "report", "cron": "0 6 * * 1", "timezone": "Europe/London"}
    first = client.post("/schedules", json=body, headers=alice).json()
    # Bob sees none of it, and cannot point a schedule at Alice's statement.
    for method, suffix in (("get", ""), ("patch", ""), ("delete", ""), ("get", "/runs")):
        kwargs = {"json": {"enabled": False}} if method == "patch" else {}
        answer = client.request(method, f"/schedules/{first['id']}{suffix}", headers=bob, **kwargs)
        assert answer.status_code == 404, (method, suffix)
    assert client.get("/schedules", headers=bob).json() == {"items": [], "total": 0}
    assert client.post("/schedules", json={**body, "params": {"statement_id": statement_id}},
                       headers=bob).status_code == 404

    # PATCH changes the times (next_run_at follows) and validates params as POST does.
    changed = client.patch(f"/schedules/{first['id']}", headers=alice,
                           json={"cron": "30 7 * * *", "timezone": "Asia/Kolkata"}).json()
    assert changed["cron"] == "30 7 * * *" and when(changed["next_run_at"]).strftime("%H:%M") == "02:00"
    for bad, words in (({"cron": "* * * * * *"}, "at most once a minute"),
                       ({"timezone": "Nowhere"}, "unknown time zone"),
                       ({"params": {"date_to": "soon"}}, "date_to"),
                       ({"params": {"rules": []}}, "rules"),
                       ({"task": "categorize"}, "task")):
        answer = client.patch(f"/schedules/{first['id']}", json=bad, headers=alice)
        assert answer.status_code == 422 and words in str(answer.json()["detail"]), (bad, answer.text)
    assert client.patch(f"/schedules/{first['id']}", json={"params": {"statement_id": statement_id}},
                        headers=alice).json()["params"]["statement_id"] == statement_id

    limit = get_settings().max_schedules_per_user
    for _ in range(limit - 1):
        assert client.post("/schedules", json=body, headers=alice).status_code == 201
    refused = client.post("/schedules", json=body, headers=alice)
    assert refused.status_code == 422 and f"most one user can keep is {limit}" in refused.json()["detail"]
    assert client.get("/schedules", headers=alice).json()["total"] == limit
    assert client.post("/schedules", json=body, headers=bob).status_code == 201
