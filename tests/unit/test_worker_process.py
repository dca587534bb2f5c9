"""A pool process whose worker main process died before Celery set its parent-death signal
ends itself (backend/tasks/app.py ``leave_if_orphaned``)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import psutil
import pytest

from backend.tasks import app as worker_app
from tests.support import REPO_ROOT

# A child forks a grandchild and dies at once; the grandchild, orphaned before it could
# look, then runs the check with the pid of the parent it was forked by, as a pool process
# does, and otherwise would sleep on (as the orphans of a killed worker did).
_ORPHAN = """
import os, sys, time
from backend.tasks.app import leave_if_orphaned
parent = os.getpid()
if os.fork() == 0:
    while os.getppid() == parent:
        time.sleep(0.01)
    leave_if_orphaned(parent)
    time.sleep(60)
    os._exit(0)
"""


def test_a_pool_process_whose_parent_is_alive_carries_on(monkeypatch):
    exits: list[int] = []
    monkeypatch.setattr(worker_app.os, "_exit", exits.append)
    worker_app.leave_if_orphaned(os.getppid())
    worker_app.leave_if_orphaned(None)  # not forked by a worker's main process: not checked
    worker_app.leave_if_orphaned(os.getpid())  # a solo pool: the main process itself
    assert exits == []


def test_an_orphaned_pool_process_ends_itself():
    started = time.time()
    subprocess.run([sys.executable, "-c", _ORPHAN], check=True, timeout=30, cwd=REPO_ROOT)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        orphans = [
            process for process in psutil.process_iter(["cmdline", "create_time"])
            if process.info["create_time"] >= started - 1
            and "leave_if_orphaned" in " ".join(process.info["cmdline"] or ())
        ]
        if not orphans:
            return
        time.sleep(0.1)
    pytest.fail(f"the orphan still runs: {orphans}")
