"""A process forked from one whose other thread writes to SQLite can still write.

The Celery worker forks a pool process after each one it loses, while its lease keeper
thread writes leases (backend/tasks/recovery.py). SQLite keeps a process's locks in
memory too, and a child forked amid a write inherited "this process holds the write lock"
with nobody left to release it: every write of that pool process then failed with
"database is locked" (backend/db.py, ``_ForkGate``). Real SQLite files, real forks: a bare
one amid another thread's write (fails every time without the gate), and a real worker's
pool processes killed and replaced while its lease keeper writes all the time (without
the gate a new pool process could not write by the second or third round, 9 runs of 9).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from contextlib import suppress
from pathlib import Path

import psutil
import pytest
from sqlalchemy import Engine, select, text

from backend.db import build_engine, outside_forks
from backend.models import TaskStatus
from tests.support.chaos import platform_on_own_sqlite, wait_until

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



# Rounds of killing both pool processes of a worker whose lease keeper writes all the time.
POOL_ROUNDS = 5


def pool_processes(worker: psutil.Process, killed: set[int]) -> set[int]:
    """The live pool processes of ``worker`` that were not killed."""
    alive = set()
    for child in worker.children():
        with suppress(psutil.NoSuchProcess):
            if child.status() != psutil.STATUS_ZOMBIE and child.pid not in killed:
                alive.add(child.pid)
    return alive


def statuses(engine: Engine, task_ids: list[str]) -> set[str]:
    with engine.connect() as conn:
        return set(conn.scalars(select(TaskStatus.status).where(TaskStatus.task_id.in_(task_ids))))


def test_pool_processes_forked_while_the_lease_keeper_writes_can_all_write(tmp_path: Path) -> None:
    # Forks then land amid the lease keeper's writes (every 10 s by default).
    with platform_on_own_sqlite(tmp_path, WORKER_HEARTBEAT_SECONDS="0.005") as (stack, engine, user_id):
        worker = psutil.Process(stack.worker("forks", queues="default").pid)
        killed: set[int] = set()
        for _ in range(POOL_ROUNDS + 1):
            wait_until(lambda: len(pool_processes(worker, killed)) == 2, 60, "a new pool")  # noqa: B023
            pool = pool_processes(worker, killed)
            # Two tasks of 0.5 s at once, one in each pool process as a rule: each writes.
            ids = stack.submit(user_id, "tests.report_pid", [{"seconds": 0.5}] * 2)
            wait_until(lambda: statuses(engine, ids) == {"SUCCESS"}, 40,  # noqa: B023
                       f"both pool processes to write (see {tmp_path / 'logs'})")
            for pid in pool:
                os.kill(pid, signal.SIGKILL)  # the worker forks a new one for each
            killed |= pool
