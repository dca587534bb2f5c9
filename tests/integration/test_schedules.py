"""Schedules end to end: the API, two real `celery beat` processes and a real worker.

The beats are started the way an operator starts one (`celery -A celery_app beat`, no
scheduler flag), twice, as if a second had been started by mistake; they run before any
schedule exists, so everything they fire they found in the database without a restart.
One test stops them all and starts two fresh ones, as after everything was down.
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


class Beats:
    """This module's `celery beat` processes, each started as an operator starts one."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.running: dict[str, tuple[subprocess.Popen, Path]] = {}

    def __iter__(self) -> Iterator[Path]:
        """The log files of the beats running now."""
        return iter([log for _, log in self.running.values()])

    def start(self, *names: str) -> None:
        """Start one beat per name, all at once, and wait until every one is up."""
        started = []
        for name in names:
            log_path = self.folder / f"{name}.log"
            with log_path.open("w") as log:
                process = subprocess.Popen(
                    # DEBUG: beat's line about sending a quiet chore (the reaper) is DEBUG.
                    [sys.executable, "-m", "celery", "-A", "celery_app", "beat", "--loglevel",
                     "DEBUG", "--schedule", str(self.folder / f"{name}-schedule")],
                    cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                    # Beat prints its banner on stdout, which is block-buffered into a file:
                    # without this it can still be unwritten when the log says "Starting".
                    env={**os.environ, "PYTHONUNBUFFERED": "1"},
                )
            self.running[name] = (process, log_path)
            started.append(log_path)
        wait_until(lambda: all("beat: Starting" in path.read_text() for path in started), 60,
                   f"{', '.join(names)} to start")
        # The app's default scheduler: `celery beat` needs no -S flag.
        assert all("scheduler -> backend.tasks.scheduler.DatabaseScheduler" in path.read_text()
                   for path in started)

    def stop(self) -> None:
        """Stop every running beat (SIGTERM, as an operator does) and wait until each is gone."""
        for process, _ in self.running.values():
            os.killpg(process.pid, signal.SIGTERM)
        for process, _ in self.running.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        self.running.clear()


@pytest.fixture(scope="module")
def beats(worker, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Beats]:
    """Two beat processes (iterating gives the running ones' log files)."""
    group = Beats(tmp_path_factory.mktemp("beats"))
    try:
        group.start("beat-a", "beat-b")
        yield group
    finally:
        group.stop()


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


def test_schedules_made_or_changed_through_the_api_fire_once_per_slot_with_two_beats(
    client, auth_headers, beats
):
    """Both beats running throughout: A is created ``* * * * *``; B is created for a day
    more than a year away, then changed to ``* * * * *``; C is created ``* * * * *`` then
    paused, D then deleted. A and B each run once for their slot, C and D never: beat took
    every change from the table. Their slot is brought forward from the coming minute, which
    the API set, to a second a few polls ahead, written into the table as a clock reaching
    it would leave it: the beats read only the table, so they cannot tell, and the test
    waits seconds instead of up to a minute."""
    statement_id = seed_statement(me(client, auth_headers), ROWS)
    now = utcnow()
    left = 60 - now.second - now.microsecond / 1e6
    if left < 2:  # A, C and D are created in the same minute (their slots asserted equal)
        time.sleep(left + 0.1)

    def create(body: dict) -> dict:
        answer = client.post("/schedules", headers=auth_headers, json=body)
        assert answer.status_code == 201, answer.text
        return answer.json()

    def bring_forward(*schedules: dict) -> None:
        with get_engine().begin() as conn:
            conn.execute(update(Schedule).where(Schedule.id.in_([s["id"] for s in schedules]))
                         .values(next_run_at=due))

    every_minute = {"task": "report", "cron": "* * * * *", "timezone": "Europe/London",
                    "params": {"date_from": "2026-01-06"}}
    a = create(every_minute)
    b = create({"task": "categorize", "cron": "0 0 29 2 *",  # next on 29 February 2028
                "params": {"statement_id": statement_id,
                           "rules": [{"pattern": "coffee", "category": "Eating out"}]}})
    c, d = create(every_minute), create(every_minute)
    assert a["enabled"] is True and a["params"] == {
        "statement_id": None, "date_from": "2026-01-06", "date_to": None,
    }
    slot = when(a["next_run_at"])
    assert slot.second == 0 and slot > when(a["created_at"])
    assert when(c["next_run_at"]) == when(d["next_run_at"]) == slot
    assert when(b["next_run_at"]) > slot + timedelta(days=365)
    # The changes must reach the table a full poll before the slot, and after the beats
    # have read the first version: two polls (and slack) ahead.
    due = utcnow().replace(microsecond=0) + timedelta(seconds=2 * NOTICE_SECONDS + 2)
    bring_forward(a, c, d)

    time.sleep(NOTICE_SECONDS)  # both beats have read B, C and D as they were created
    patched_at = utcnow()
    changed = client.patch(f"/schedules/{b['id']}", json={"cron": "* * * * *"}, headers=auth_headers)
    assert changed.status_code == 200, changed.text
    coming_minute = when(changed.json()["next_run_at"])
    assert coming_minute.second == 0 and patched_at < coming_minute <= patched_at + timedelta(minutes=1)
    bring_forward(b)
    paused = client.patch(f"/schedules/{c['id']}", json={"enabled": False}, headers=auth_headers)
    assert paused.status_code == 200 and paused.json()["next_run_at"] is None
    assert client.delete(f"/schedules/{d['id']}", headers=auth_headers).status_code == 204
    # The beats look at least once a poll: they have seen every change before the slot.
    assert utcnow() + timedelta(seconds=get_settings().schedule_poll_seconds) < due

    # A and B fire at their slot and end SUCCESS, as tasks submitted by hand.
    def first_runs_final() -> bool:
        pages = [runs(client, auth_headers, schedule["id"]) for schedule in (a, b)]
        return all(page["total"] >= 1 and is_final(page["items"][-1]) for page in pages)

    wait_until(first_runs_final, (due - utcnow()).total_seconds() + 30, "A's and B's first runs")
    # Pause both: the slots of the minutes after this one would come on and on.
    for schedule in (a, b):
        answer = client.patch(f"/schedules/{schedule['id']}", json={"enabled": False},
                              headers=auth_headers)
        assert answer.status_code == 200 and answer.json()["next_run_at"] is None
    time.sleep(NOTICE_SECONDS)  # both beats have looked at the table since

    first = {}
    for name, schedule in (("A", a), ("B", b)):
        # Every run started, by either beat, with the slot it ran for: each slot once (a
        # minute boundary may have come before the pause, and its slot run too).
        fired = [(beat.name, line) for beat in beats for line in beat.read_text().splitlines()
                 if f"Schedule {schedule['id']}: slot " in line and " runs as task " in line]
        slots = [line.split(" slot ", 1)[1].split(" runs as task ", 1)[0] for _, line in fired]
        assert len(slots) == len(set(slots)), f"{name}: a slot fired twice: {fired}"
        of_due = [line for _, line in fired if f" slot {due.isoformat(timespec='seconds')} " in line]
        assert len(of_due) == 1, f"{name} fired for its slot by {fired}"
        task_id = of_due[0].split(" runs as task ", 1)[1].split()[0]
        page = runs(client, auth_headers, schedule["id"])
        assert page["total"] == len(fired), f"{name}: runs {page['items']}, fired {fired}"
        [first[name]] = [run for run in page["items"] if run["task_id"] == task_id]
        assert first[name]["status"] == "SUCCESS", first[name]
        # The slot after it comes from the cron now in the table (B's changed one).
        following = when(of_due[0].rsplit("(next slot ", 1)[1].rstrip(")"))
        assert following.second == 0 and due < following <= due + timedelta(minutes=1), of_due
        assert when(client.get(f"/schedules/{schedule['id']}", headers=auth_headers)
                    .json()["last_run_at"]) >= due
    # The user's tasks are A's and B's runs: neither C nor D ran.
    tasks = client.get("/tasks", headers=auth_headers).json()["items"]
    assert {task["task_id"] for task in tasks} == {
        run["task_id"] for schedule in (a, b)
        for run in runs(client, auth_headers, schedule["id"])["items"]
    }
    assert runs(client, auth_headers, c["id"])["total"] == 0
    assert client.get(f"/schedules/{d['id']}", headers=auth_headers).status_code == 404
    for path in beats:
        assert f"Schedule {c['id']}: slot" not in path.read_text()
        assert f"Schedule {d['id']}: slot" not in path.read_text()

    # The params went through: A reports two rows from 2026-01-06, B categorized with its rules.
    assert first["A"]["task_name"] == "generate_report_async"
    report_id = first["A"]["task_id"]
    result = client.get(f"/tasks/{report_id}/result", headers=auth_headers).json()["result"]
    assert result["row_count"] == 2
    assert client.get(result["download_url"], headers=auth_headers).status_code == 200
    result = client.get(f"/tasks/{first['B']['task_id']}/result", headers=auth_headers).json()["result"]
    assert result["by_category"] == {"Eating out": 1}
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


def test_slots_missed_while_every_beat_was_down_run_once_when_beat_starts(
    client, auth_headers, beats
):
    """A real restart: every beat stopped, an hourly schedule's slots go by for five hours
    (its next_run_at moved back, as after everything was down), then two fresh beats start
    at once: the five slots run once, and the next slot is the first one after that run."""
    statement_id = seed_statement(me(client, auth_headers), ROWS)
    created = client.post("/schedules", headers=auth_headers, json={
        "task": "categorize", "cron": "0 * * * *",
        "params": {"statement_id": statement_id, "rules": [{"pattern": "book", "category": "Books"}]},
    })
    assert created.status_code == 201, created.text
    hourly = created.json()
    beats.stop()
    missed = when(hourly["next_run_at"]) - timedelta(hours=5)
    with get_engine().begin() as conn:
        conn.execute(update(Schedule).where(Schedule.id == hourly["id"]).values(next_run_at=missed))
    assert runs(client, auth_headers, hourly["id"])["total"] == 0

    beats.start("beat-c", "beat-d")  # also the two beats the next tests expect
    wait_until(lambda: runs(client, auth_headers, hourly["id"])["total"] >= 1, NOTICE_SECONDS + 10,
               "the missed slots' run")
    wait_until(lambda: is_final(runs(client, auth_headers, hourly["id"])["items"][0]), 30,
               "the run to finish")
    time.sleep(NOTICE_SECONDS)  # both beats have looked again: time for any other run to start

    page = runs(client, auth_headers, hourly["id"])
    assert page["total"] == 1, page  # five missed slots, one run
    run = page["items"][0]
    assert run["status"] == "SUCCESS"
    result = client.get(f"/tasks/{run['task_id']}/result", headers=auth_headers).json()["result"]
    assert result["by_category"] == {"Books": 1}
    # Fired by one of the fresh beats, for the oldest missed slot, and no other slot ran.
    fired = [line for path in beats for line in path.read_text().splitlines()
             if f"Schedule {hourly['id']}: slot " in line and " runs as task " in line]
    assert len(fired) == 1, fired
    assert f"slot {missed.isoformat(timespec='seconds')} runs as task {run['task_id']}" in fired[0]
    # next_run_at moved on to the first slot after the run, not to the next missed one.
    after = client.get(f"/schedules/{hourly['id']}", headers=auth_headers).json()
    ran_at = when(after["last_run_at"])
    assert ran_at >= missed + timedelta(hours=4)  # after the last missed slot
    hour_after = ran_at.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    assert when(after["next_run_at"]) == hour_after


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
                                                           "date_to": "2026-01-01"}}, "start date"),
        ({"task": "report", "cron": "0 6 * * 1", "params": {"statment_id": 3}}, "statment_id"),
        ({"task": "categorize", "cron": "0 6 * * 1", "params": {"rules": []}}, "rules"),
    ],
)
@pytest.mark.backend_independent  # refused by the API's checks before anything is stored
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
