"""A cold shutdown that ends when the running tasks do, not when the whole grace is up.

`make up` and the compose file stop a worker with Celery's cold shutdown, whose soft part
gives running tasks WORKER_SHUTDOWN_GRACE_SECONDS (``worker_soft_shutdown_timeout``).
Celery spends that grace in one ``sleep`` inside the signal handler (``WorkController.
wait_for_soft_shutdown``; celery/celery#9505): a worker whose tasks all finished after 2 s
still waited the full 60. The main process cannot see a task finish meanwhile either: it
hears of it through the pool's result pipes, which its event loop reads, and the loop is
what the handler interrupted.

So each pool process says what it is doing in memory it shares with the main process (a
``TaskBoard``, mapped before the pool is forked): its pid and task id while it runs a task,
pid 0 once ``task_postrun`` (sent whatever the outcome) has fired. The grace then ends at
the first of its deadline and the moment no live pool process runs a task; a pool process
that died (OOM, a hard time limit) counts as done.

When the wait ends, Celery cancels every task it has not heard back from, finished or not:
it kills the (idle) pool process, and the finished task's result, still in the pipe, could
be lost with it, so its message went back to the queue and ran once more (seen in
test_supervisor.py's short task). The tasks the board saw end are marked as Celery's
own successful requests, which it does not cancel: their results are read as the pool
stops, and their messages acknowledged. Where a task runs outside a tracked pool process
(``-P solo`` or ``threads``, more pool processes than the board has slots), the board says
it cannot tell, and the grace is Celery's full sleep as before.
"""

from __future__ import annotations

import logging
import mmap
import os
import struct
import time
from typing import Any

from billiard.process import current_process
from celery.signals import task_postrun, task_prerun
from celery.worker import state as worker_state

logger = logging.getLogger(__name__)

# Pool process indexes tracked (billiard numbers them from 0 up to the pool's size,
# autoscaling included): a pid and a task id each, the pages touched only by the indexes
# in use. A longer id is cut: it then matches no request, and Celery cancels it as before.
SLOTS = 4096
_PID = struct.Struct("q")
_ID_BYTES = 64
_SLOT = _PID.size + _ID_BYTES
# How often the main process looks at the board while the grace runs.
POLL_SECONDS = 0.1


class TaskBoard:
    """Which pool processes are inside a task, in memory shared across the fork.

    Slot ``i`` holds the pid of pool process ``i`` while it runs a task (else 0) and the
    id of the task it runs or ran last; one writer per slot (billiard gives an index to one
    live process at a time), so no lock, which a process killed while holding it would
    leave held. The byte after the slots is set when a task ran where no slot could
    record it.
    """

    def __init__(self, slots: int = SLOTS) -> None:
        self.slots = slots
        # Anonymous and MAP_SHARED (Python's default): pool processes forked later share it.
        self._memory = mmap.mmap(-1, slots * _SLOT + 1)

    def _slot(self) -> int | None:
        """This pool process's slot's offset; None (and the board untracked) if it has none."""
        index = getattr(current_process(), "index", None)
        if index is None or not 0 <= index < self.slots:
            self._memory[self.slots * _SLOT] = 1  # untracked: a solo or threads pool...
            return None
        return int(index) * _SLOT

    def task_started(self, task_id: str) -> None:
        offset = self._slot()
        if offset is not None:  # the id first: a pid always comes with its task's id
            start = offset + _PID.size
            self._memory[start:start + _ID_BYTES] = task_id.encode()[:_ID_BYTES].ljust(_ID_BYTES, b"\0")
            _PID.pack_into(self._memory, offset, os.getpid())

    def task_ended(self) -> None:
        offset = self._slot()
        if offset is not None:
            _PID.pack_into(self._memory, offset, 0)

    @property
    def untracked(self) -> bool:
        return self._memory[self.slots * _SLOT] != 0

    def _slots(self) -> list[tuple[int, str]]:
        found = []
        for offset in range(0, self.slots * _SLOT, _SLOT):
            pid = _PID.unpack_from(self._memory, offset)[0]
            task_id = self._memory[offset + _PID.size:offset + _SLOT].rstrip(b"\0")
            if task_id:
                found.append((pid, task_id.decode(errors="replace")))
        return found

    def busy_pids(self) -> list[int]:
        """The live pool processes inside a task now."""
        return [pid for pid, _task_id in self._slots() if pid and _alive(pid)]

    def ended_task_ids(self) -> set[str]:
        """The ids of the tasks the pool processes ran last and have finished."""
        return {task_id for pid, task_id in self._slots() if not pid}


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs: a pool process that died stays a zombie until the event loop
    (interrupted by the shutdown) reaps it, and a zombie runs nothing."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            state = stat.read().rsplit(b")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True  # no /proc: assume it runs
    return state not in (b"Z", b"X")


BOARD = TaskBoard()


@task_prerun.connect
def _task_started(task_id: str = "", **_kwargs: Any) -> None:
    BOARD.task_started(task_id)


@task_postrun.connect
def _task_ended(**_kwargs: Any) -> None:
    BOARD.task_ended()


def wait_for_running_tasks(worker: Any, board: TaskBoard = BOARD) -> None:
    """Celery's soft shutdown, ended early once no task runs (replaces the worker's
    ``wait_for_soft_shutdown``; see the module docstring)."""
    grace = float(worker.app.conf.worker_soft_shutdown_timeout)
    if grace <= 0 or not (worker_state.active_requests or board.busy_pids()):
        return  # as Celery: nothing runs, nothing to wait for
    started = time.monotonic()
    logger.warning("Soft shutdown: running tasks get up to %.0f s to finish", grace)
    while time.monotonic() - started < grace:
        if not board.untracked and not board.busy_pids():
            logger.warning("Soft shutdown: every running task finished after %.1f s; stopping now",
                           time.monotonic() - started)
            break
        time.sleep(POLL_SECONDS)
    else:
        logger.warning("Soft shutdown: the grace of %.0f s is over; the unfinished tasks go "
                       "back to the queue", grace)
    keep_the_finished(board)


def keep_the_finished(board: TaskBoard = BOARD) -> None:
    """Spare the tasks that ended during the wait from Celery's cancel (module docstring)."""
    ended = board.ended_task_ids()
    for request in tuple(worker_state.active_requests):
        if request.id in ended:
            worker_state.successful_requests.add(request.id)


def install(worker: Any) -> None:
    """Make ``worker`` (a WorkController, from ``worker_init``) end its soft shutdown early."""
    worker.wait_for_soft_shutdown = lambda: wait_for_running_tasks(worker)
