"""A process forked from one whose other thread writes to SQLite can still write.

The Celery worker forks a pool process after each one it loses, while its lease keeper
thread writes leases (backend/tasks/recovery.py). SQLite keeps a process's locks in
memory too, and a child forked amid a write inherited "this process holds the write lock"
with nobody left to release it: every write of that pool process then failed with
"database is locked" (backend/db.py, ``_ForkGate``). Real SQLite file, real fork.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from backend.db import build_engine, outside_forks

pytestmark = pytest.mark.backend_independent  # a SQLite file of its own in either pass

# A written row in the parent's transaction, held open this long while the parent forks.
HOLD_SECONDS = 0.3


def _write_once(engine: Engine, marker: str) -> None:
    """In the forked child: one write, as a pool process's first task does (exit code 1 if
    the database was locked)."""
    engine.dispose(close=False)  # what each pool process does first (backend/tasks/app.py)
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO marks (marker) VALUES (:m)"), {"m": marker})
    except Exception:
        os._exit(1)
    os._exit(0)


def test_a_child_forked_while_another_thread_writes_can_write(tmp_path: Path) -> None:
    engine = build_engine(f"sqlite:///{tmp_path / 'forks.db'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE marks (marker TEXT)"))
    writing = threading.Event()

    def write_slowly() -> None:
        with outside_forks(), engine.begin() as conn:  # as the lease keeper writes
            conn.execute(text("INSERT INTO marks (marker) VALUES ('parent')"))
            writing.set()
            time.sleep(HOLD_SECONDS)

    writer = threading.Thread(target=write_slowly)
    writer.start()
    assert writing.wait(10)
    child = multiprocessing.get_context("fork").Process(target=_write_once, args=(engine, "child"))
    child.start()  # the fork waits for the writer's transaction
    child.join(60)
    writer.join()

    assert child.exitcode == 0, "the forked process found the database locked"
    with engine.connect() as conn:
        markers = set(conn.execute(text("SELECT marker FROM marks")).scalars())
    assert markers == {"parent", "child"}
    engine.dispose()
