"""The live status stream (SSE): pushed by status writes instead of polling, kept alive,
ended when the token expires, and never cached or buffered on the way."""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from jose import jwt
from sqlalchemy import event

from backend.api import tasks as tasks_api
from backend.config import get_settings
from backend.db import get_engine
from backend.models import utcnow
from backend.services import task_records
from tests.support.seed import seed_task

WORKER = "celery@stream-test"


@pytest.fixture
def stuck_task(client, auth_headers) -> str:
    """A PROCESSING task that nothing will move unless the test does."""
    user_id = client.get("/auth/me", headers=auth_headers).json()["id"]
    return seed_task(
        user_id, "PROCESSING", progress_percent=5, attempts=1, worker=WORKER, heartbeat_at=utcnow()
    )


def events(lines) -> list[tuple[str, str]]:
    """(event, data) pairs and comments (":", text) in the order they arrive."""
    current = None
    for line in lines:
        if line.startswith(":"):
            yield ":", line[1:].strip()
        elif line.startswith("event: "):
            current = line[len("event: "):]
        elif line.startswith("data: "):
            yield current, line[len("data: "):]


class TaskStatusReads:
    """Counts the SELECTs on task_status the process sends while it is installed."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, _conn, _cursor, statement: str, *_args) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "task_status" in statement:
            self.count += 1


def test_the_stream_is_pushed_by_status_writes_not_by_polling(client, auth_headers, stuck_task):
    reads = TaskStatusReads()
    with client.stream("GET", f"/tasks/{stuck_task}/events", headers=auth_headers) as stream:
        assert stream.headers["cache-control"] == "no-cache"
        assert stream.headers["x-accel-buffering"] == "no"
        received = events(stream.iter_lines())
        assert json.loads(next(received)[1])["progress_percent"] == 5

        event.listen(get_engine(), "before_cursor_execute", reads)
        try:
            time.sleep(2)  # a stuck task: a polling stream would read the row ~8 times here
            idle_reads = reads.count
            threading.Timer(0.2, task_records.record_progress,
                            (get_engine(), stuck_task, WORKER, 40, "Pushed")).start()
            kind, data = next(received)
        finally:
            event.remove(get_engine(), "before_cursor_execute", reads)
    assert idle_reads == 0
    assert kind == "status" and json.loads(data)["progress_message"] == "Pushed"


def test_an_idle_stream_gets_keep_alive_comments(client, auth_headers, stuck_task, monkeypatch):
    monkeypatch.setattr(tasks_api, "KEEPALIVE_SECONDS", 0.5)
    with client.stream("GET", f"/tasks/{stuck_task}/events", headers=auth_headers) as stream:
        received = events(stream.iter_lines())
        assert next(received)[0] == "status"
        assert next(received) == (":", "keep-alive")
        assert next(received) == (":", "keep-alive")


def test_the_stream_ends_when_the_token_expires(client, auth_headers, stuck_task):
    settings = get_settings()
    user_id = client.get("/auth/me", headers=auth_headers).json()["id"]
    now = datetime.now(UTC)
    short_lived = jwt.encode(
        {"sub": str(user_id), "iat": now, "exp": now + timedelta(seconds=2)},
        settings.jwt_secret_key, algorithm=settings.jwt_algorithm,
    )
    headers = {"Authorization": f"Bearer {short_lived}"}
    with client.stream("GET", f"/tasks/{stuck_task}/events", headers=headers) as stream:
        received = list(events(stream.iter_lines()))  # returns: the server closed the stream
    assert received[0][0] == "status"
    assert received[-1][0] == "expired"
    assert "expired" in json.loads(received[-1][1])["detail"]
