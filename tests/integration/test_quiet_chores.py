"""The chores beat sends every few seconds (the reaper, the sweeps) stay out of Flower's
task list and the worker's INFO log, which a user's task keeps (``quiet`` in
backend/tasks/kinds.py): at one every 5 s, day and night, they were most of both."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from kombu import Connection

from backend.tasks.app import celery_app
from backend.tasks.kinds import CLEANUP, FINISH_BATCHES, PING, REAPER, SWEEP_WEBHOOKS, quiet_names
from tests.conftest import REPO_ROOT, WORKER_LOG
from tests.support.chaos import wait_until

QUIET = (REAPER, SWEEP_WEBHOOKS, FINISH_BATCHES)
pytestmark = pytest.mark.usefixtures("clean_db")


def test_the_frequent_chores_are_the_quiet_ones():
    # The nightly cleanup runs once a day: it stays in Flower and the log like any task.
    assert quiet_names() == {kind.name for kind in QUIET}
    assert CLEANUP.name not in quiet_names()


@pytest.fixture
def control(worker) -> Iterator[Connection]:
    """A broker connection of the test's own for remote control: a reply's wait leaves a
    read pending on its socket (kombu's BRPOP), and on a pooled connection every process
    this one forks later would hang closing it (kombu's after-fork cleanup)."""
    with celery_app.connection_for_write() as connection:
        yield connection


@pytest.fixture
def task_events(control: Connection) -> Iterator[list[dict]]:
    """Every task event the workers send while the test runs, with events turned on as
    Flower turns them on (`enable_events`), and off again afterwards."""
    received: list[dict] = []
    with celery_app.connection_for_read() as connection:
        receiver = celery_app.events.Receiver(connection, handlers={"*": received.append})
        capture = threading.Thread(target=receiver.capture, kwargs={"limit": None}, daemon=True)
        capture.start()
        celery_app.control.enable_events(connection=control)
        try:
            # Pings until one's events arrive: the events are on and the receiver listens.
            def a_ping_seen() -> bool:
                task_id = celery_app.send_task(PING.name).id
                time.sleep(0.3)
                return any(event.get("uuid") == task_id for event in received)

            wait_until(a_ping_seen, 30, "a ping's task events")
            yield received
        finally:
            celery_app.control.disable_events(connection=control)
            receiver.should_stop = True
            capture.join(timeout=10)


def test_a_quiet_chore_sends_no_task_event_and_no_info_line(
    task_events: list[dict], control: Connection
):
    log_start = WORKER_LOG.stat().st_size
    chores = [celery_app.send_task(kind.name).id for kind in QUIET]
    ping = celery_app.send_task(PING.name).id

    def ping_done() -> bool:
        return any(e.get("uuid") == ping and e["type"] == "task-succeeded" for e in task_events)

    wait_until(ping_done, 30, "the ping to succeed")

    def chores_done() -> bool:
        active = celery_app.control.inspect(timeout=1, connection=control).active() or {}
        running = {task["id"] for tasks in active.values() for task in tasks}
        return not running & set(chores)

    # The chores were received before the ping (one queue, in order); let them end too.
    wait_until(chores_done, 30, "the chores to end")
    time.sleep(0.5)
    assert not [(e["type"], e.get("name")) for e in task_events if e.get("uuid") in chores]
    log = WORKER_LOG.read_text(errors="replace")[log_start:]
    assert f"ping[{ping}] received" in log and f"ping[{ping}] succeeded" in log
    for kind, task_id in zip(QUIET, chores, strict=True):
        assert f"[{task_id}]" not in log, f"{kind.name}'s run is in the worker's INFO log"


def test_beat_says_it_sends_a_quiet_chore_only_at_debug(worker, tmp_path: Path):
    """Beat's "Sending due task" line of a chore is a DEBUG line, there when asked for."""
    log_path = tmp_path / "beat.log"
    env = {**os.environ, "REAPER_INTERVAL_SECONDS": "0.5", "PYTHONUNBUFFERED": "1"}
    with log_path.open("w") as log:
        beat = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "celery_app", "beat", "--loglevel", "DEBUG",
             "--schedule", str(tmp_path / "schedule")],
            cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    line = f"Scheduler: Sending due task reap-stuck-tasks ({REAPER.name})"
    try:
        wait_until(lambda: log_path.read_text().count(line) >= 2, 30, "beat to send the reaper twice")
    finally:
        os.killpg(beat.pid, signal.SIGTERM)
        beat.wait(timeout=15)
    sent = [entry for entry in log_path.read_text().splitlines() if line in entry]
    assert sent and all("DEBUG/" in entry and "INFO/" not in entry for entry in sent), sent
