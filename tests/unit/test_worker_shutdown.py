"""The task board that lets a stopping worker end its grace once its tasks have ended
(backend/tasks/shutdown.py); the worker itself is tested in test_supervisor.py."""

from __future__ import annotations

import os

import pytest
from billiard.process import current_process

from backend.tasks.shutdown import TaskBoard


@pytest.fixture
def pool_process_index(monkeypatch):
    """This process as billiard's pool process number 3."""
    monkeypatch.setattr(current_process(), "index", 3, raising=False)


def test_a_running_task_keeps_the_grace_going_until_it_ends(pool_process_index):
    board = TaskBoard(slots=8)
    assert board.busy_pids() == []
    board.task_started("task-1")
    assert board.busy_pids() == [os.getpid()] and board.ended_task_ids() == set()
    board.task_ended()
    assert board.busy_pids() == [] and board.ended_task_ids() == {"task-1"}
    assert not board.untracked


def test_a_pool_process_that_died_mid_task_runs_nothing(pool_process_index):
    board = TaskBoard(slots=8)
    pid = os.fork()
    if pid == 0:  # the pool process: starts a task and dies in it (OOM, a hard time limit)
        board.task_started("doomed")
        os._exit(1)
    try:
        # Exited but not reaped, as while the worker's event loop is interrupted: a zombie.
        os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
        assert board.busy_pids() == []
        assert board.ended_task_ids() == set()  # it did not finish: Celery hands it back
    finally:
        os.waitpid(pid, 0)


def test_a_task_run_outside_a_pool_process_leaves_the_board_unable_to_tell():
    board = TaskBoard(slots=8)
    board.task_started("solo")  # -P solo: the main process has no pool index
    assert board.untracked and board.busy_pids() == []
