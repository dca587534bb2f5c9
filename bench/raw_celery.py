"""The baseline of bench_platform.py: a bare Celery app and a bare FastAPI endpoint.

Nothing of Ledgerflow is imported here. The Celery app has one no-op task with results
on, on the broker and result backend named by ``RAW_CELERY_REDIS_URL``; the FastAPI app
(``bare_api``) has one route that only calls ``apply_async``, which is the least any
gateway in front of Celery can do per submit.

And the least a *tracked* task costs (``POST /ping-tracked``, ``raw_tracked_noop``): the
same bare endpoint and worker keeping a row per task in PostgreSQL
(``RAW_CELERY_DATABASE_URL``) the way the brief asks any tracked task to (the row
committed before the message; the lease and the success as one conditional UPDATE each,
committed), with nothing else: psycopg2 straight, each statement prepared once per
connection, no ORM, no user, no progress, no events. What it adds to raw Celery is what
every gateway that keeps the database as the source of truth of a task's state must add.
"""

from __future__ import annotations

import os
import queue
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg2
from celery import Celery, Task
from fastapi import FastAPI

REDIS_URL = os.environ.get("RAW_CELERY_REDIS_URL", "redis://127.0.0.1:6379/13")
# A libpq URL; needed by the tracked variant only.
DATABASE_URL = os.environ.get("RAW_CELERY_DATABASE_URL", "")
QUEUE = "raw_bench"

app = Celery("raw_celery", broker=REDIS_URL, backend=REDIS_URL)
app.conf.update(task_default_queue=QUEUE, worker_hijack_root_logger=False)


@app.task(name="raw_noop")
def noop() -> None:
    """Does nothing: the cost measured is Celery's own."""


bare_api = FastAPI()


@bare_api.post("/ping", status_code=202)
def submit_ping() -> dict[str, str]:
    """Send the no-op task and answer with its id, as a gateway's submit must at least do."""
    return {"task_id": noop.apply_async().id}


TRACKED_TABLE = """
CREATE TABLE raw_tracked (
    task_id uuid PRIMARY KEY,
    status text NOT NULL,
    worker text,
    lease_until timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    started_at timestamptz,
    finished_at timestamptz
)
"""
TRACKED_STATEMENTS = (
    "PREPARE raw_submit(uuid) AS INSERT INTO raw_tracked (task_id, status) VALUES ($1, 'PENDING')",
    "PREPARE raw_lease(uuid, text) AS UPDATE raw_tracked SET status = 'STARTED', worker = $2,"
    " lease_until = now() + interval '5 minutes', started_at = now()"
    " WHERE task_id = $1 AND status = 'PENDING'",
    "PREPARE raw_succeed(uuid, text) AS UPDATE raw_tracked SET status = 'SUCCESS',"
    " lease_until = NULL, finished_at = now()"
    " WHERE task_id = $1 AND status = 'STARTED' AND worker = $2",
)


def create_tracked_table(database_url: str) -> None:
    """A new, empty ``raw_tracked`` table in ``database_url``."""
    with psycopg2.connect(database_url) as conn, conn.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS raw_tracked")
        cursor.execute(TRACKED_TABLE)
    conn.close()


def tracked_connection() -> psycopg2.extensions.connection:
    """A new connection with the three statements prepared."""
    conn = psycopg2.connect(DATABASE_URL)
    with conn.cursor() as cursor:
        for statement in TRACKED_STATEMENTS:
            cursor.execute(statement)
    conn.commit()
    return conn


# The endpoint's connections: sync routes run on a thread pool, each request takes one.
_idle_connections: queue.LifoQueue[psycopg2.extensions.connection] = queue.LifoQueue()


@contextmanager
def pooled_connection() -> Iterator[psycopg2.extensions.connection]:
    try:
        conn = _idle_connections.get_nowait()
    except queue.Empty:
        conn = tracked_connection()
    yield conn
    _idle_connections.put(conn)


@bare_api.post("/ping-tracked", status_code=202)
def submit_tracked_ping() -> dict[str, str]:
    """The row first (committed), then the message: a worker always finds the row."""
    task_id = str(uuid.uuid4())
    with pooled_connection() as conn, conn.cursor() as cursor:
        cursor.execute("EXECUTE raw_submit(%s)", (task_id,))
        conn.commit()
    tracked_noop.apply_async(task_id=task_id)
    return {"task_id": task_id}


# One connection per pool process, opened after the fork.
_worker_connection: dict[int, psycopg2.extensions.connection] = {}
HOSTNAME = socket.gethostname()


@app.task(name="raw_tracked_noop", bind=True, acks_late=True, ignore_result=True)
def tracked_noop(self: Task) -> None:
    """Takes the lease, does nothing, records the success: each a committed UPDATE."""
    pid = os.getpid()
    conn = _worker_connection.get(pid) or _worker_connection.setdefault(pid, tracked_connection())
    worker = f"{HOSTNAME}:{pid}"
    with conn.cursor() as cursor:
        cursor.execute("EXECUTE raw_lease(%s, %s)", (self.request.id, worker))
        conn.commit()
        if cursor.rowcount != 1:
            return  # another copy holds it or it is done
        cursor.execute("EXECUTE raw_succeed(%s, %s)", (self.request.id, worker))
        conn.commit()
