"""Nothing stuck: leases renewed by each worker node, and the reaper that re-sends work.

A running task's row carries a lease: the worker node that runs it (``worker``) and
when that node last said so (``heartbeat_at``). Every worker node renews the leases
of the tasks it runs, from a thread in its main process, every WORKER_HEARTBEAT_SECONDS.
When a node dies (kill -9, power loss), its leases stop being renewed; the reaper, a
beat task every REAPER_INTERVAL_SECONDS, finds rows whose lease is older than
WORKER_LOST_AFTER_SECONDS and sends their message again (Redis would only give the
unacknowledged message back after its visibility timeout, an hour). It also re-sends
PENDING/RETRYING rows whose message never started (lost with a broker that kept no
data). Runs are deduplicated by the row's transitions, so a re-send never runs a
task twice at once, and a task whose workers keep dying ends FAILED at MAX_WORKER_LOSSES.
A task whose owner asked to cancel it is never sent again: an expired lease of one is
recorded REVOKED (its run is gone), and so is one left waiting with its cancel flag.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from celery import bootsteps
from celery.signals import worker_shutdown
from celery.worker import state as worker_state
from sqlalchemy.exc import DBAPIError

from backend.config import get_settings
from backend.db import get_engine, outside_forks
from backend.logs import new_request_id, request_id_var
from backend.models import TaskState
from backend.services import monitoring, task_records
from backend.tasks.app import celery_app
from backend.tasks.batches import advance_batch_of
from backend.tasks.kinds import REAPER
from backend.tasks.statement_parts import settle_handed_over
from backend.tasks.submission import QueueUnavailable, dispatch

logger = logging.getLogger(__name__)
# Seconds to wait for the worker nodes to say which tasks they are running.
INSPECT_TIMEOUT_SECONDS = 2.0
# How the request id of a reaper's re-send starts: the submit's own id is not stored with
# the row, so the re-send gets one of its own, marked as the reaper's.
REAPER_REQUEST_ID_PREFIX = "reaper-"


class LeaseKeeper(threading.Thread):
    """Renews the leases of the tasks this worker node runs (its main process only), and
    records the node itself for the monitoring API (``worker_nodes``)."""

    def __init__(self, hostname: str, interval: float, queues: Callable[[], list[str]]) -> None:
        super().__init__(name="ledgerflow-lease-keeper", daemon=True)
        self.hostname = hostname
        self.interval = interval
        self.queues = queues  # read at each beat: `celery control add_consumer` changes them
        # Nodes silent this long are dropped from the monitoring API when this one starts.
        self.forget_nodes_after = timedelta(days=get_settings().task_retention_days)
        self.stopped = threading.Event()

    def run(self) -> None:
        starting = True  # until the first beat got through: the node's start is recorded
        while True:
            running = [request.id for request in tuple(worker_state.active_requests)]
            try:
                # This thread runs beside the main one, which forks the pool processes: a
                # fork amid these writes would leave SQLite's locks broken in the child.
                with outside_forks():
                    task_records.renew_leases(get_engine(), self.hostname, running)
                    # Celery counts a task when it starts; the ones still running are not done.
                    started = sum(worker_state.total_count.values())
                    monitoring.record_heartbeat(
                        get_engine(), self.hostname, self.queues(), active=len(running),
                        processed=max(0, started - len(running)), pid=os.getpid(),
                        starting=starting, forget_after=self.forget_nodes_after,
                    )
                starting = False
            except DBAPIError as exc:  # the database is away: the leases age, nothing else
                logger.warning("Could not renew task leases: %s", type(exc).__name__)
            if self.stopped.wait(self.interval):
                return


class LeaseKeeperStep(bootsteps.StartStopStep):
    """Worker bootstep: runs the LeaseKeeper, and on a cold shutdown hands back the tasks
    the node did not finish.

    A cold shutdown cancels the running tasks and returns their messages to the queue;
    the rows go back to RETRYING here, so the next worker runs them at once instead of
    waiting for the lease to expire (a copy that arrives a moment before finds the lease
    still held and looks again after WORKER_HEARTBEAT_SECONDS). A warm shutdown waits for
    every task, so there is nothing to hand back then.
    """

    # After the pool (the consumer's start blocks, so nothing can come after it).
    requires = ("celery.worker.components:Pool",)

    def __init__(self, parent: Any, **kwargs: Any) -> None:
        super().__init__(parent, **kwargs)
        self.keeper: LeaseKeeper | None = None

    def start(self, parent: Any) -> None:
        queues = parent.app.amqp.queues
        self.keeper = LeaseKeeper(
            parent.hostname, get_settings().worker_heartbeat_seconds,
            lambda: list(queues.consume_from),
        )
        self.keeper.start()

    def stop(self, parent: Any) -> None:
        if self.keeper is not None:
            self.keeper.stopped.set()
            # A beat in flight would mark the node alive again after mark_offline.
            self.keeper.join(timeout=5)

    def terminate(self, parent: Any) -> None:
        self.stop(parent)
        hand_back(parent.hostname)
        mark_offline(parent.hostname)


def hand_back(hostname: str) -> None:
    """Put the rows this node still leases back to RETRYING for the next worker."""
    try:
        released = task_records.release_leases(get_engine(), hostname)
    except DBAPIError:
        logger.exception("Could not hand the running tasks back; their leases will expire")
        return
    if released:
        logger.warning("Handed %d unfinished task(s) back to the queue", released)


def mark_offline(hostname: str) -> None:
    """Tell the monitoring API at once that this node stopped (instead of by its heartbeat's age)."""
    try:
        monitoring.mark_stopped(get_engine(), hostname)
    except DBAPIError as exc:
        logger.warning("Could not record the worker's stop: %s", type(exc).__name__)


@worker_shutdown.connect
def _hand_back_after_stop(sender: Any = None, **_kwargs: Any) -> None:
    # The stop path (a warm shutdown, also one turned cold by a second signal) does not
    # run the bootstep's terminate(); whatever it left unfinished is handed back here.
    if sender is not None:
        hand_back(sender.hostname)
        mark_offline(sender.hostname)


celery_app.steps["worker"].add(LeaseKeeperStep)


def running_task_ids() -> set[str] | None:
    """Ids of the tasks the live worker nodes say they are running; None if none answered."""
    replies = celery_app.control.inspect(timeout=INSPECT_TIMEOUT_SECONDS).active()
    if not replies:
        return None
    return {task["id"] for tasks in replies.values() for task in tasks}


def reap() -> dict[str, int]:
    """Re-send the tasks whose worker died and the messages that never arrived; end the
    cancelled ones that nothing runs any more."""
    settings = get_settings()
    engine = get_engine()
    counts = {"reclaimed": 0, "failed": 0, "revoked": 0, "redispatched": 0}
    expired = task_records.expired_leases(engine, settings.worker_lost_after_seconds)
    abandoned = task_records.abandoned_cancels(engine, settings.redispatch_after_seconds)
    # A lease can age without its worker being dead (its heartbeat thread starved, a
    # database blip), and a row can wait while its run is still stopping (a shutdown hands
    # it back before the pool stops): a task a live worker says it runs is left alone.
    alive = (running_task_ids() or set()) if expired or abandoned else set()
    for task in expired:
        if task.task_id in alive:
            continue
        state = task_records.reclaim_expired_lease(
            engine, task.task_id, settings.worker_lost_after_seconds,
            settings.max_worker_losses,
        )
        if state is TaskState.FAILED:
            counts["failed"] += 1
            logger.error("Task %s failed: its worker died too often", task.task_id)
        elif state is TaskState.REVOKED:
            counts["revoked"] += 1
            logger.warning("Task %s lost its worker while being cancelled: cancelled", task.task_id)
        elif state is TaskState.RETRYING and (request_id := _send(task)):
            counts["reclaimed"] += 1
            logger.warning(
                "Task %s lost its worker; sent it again (request id %s)", task.task_id, request_id
            )
        if state in (TaskState.FAILED, TaskState.REVOKED):
            advance_batch_of(engine, task.task_id)  # no run ended it: no task_postrun did
    for task_id in abandoned:
        if task_id not in alive and task_records.revoke_unheld(
            engine, task_id, settings.worker_lost_after_seconds
        ):
            counts["revoked"] += 1
            logger.warning("Task %s was waiting with its cancel requested: cancelled", task_id)
            advance_batch_of(engine, task_id)
    for task in task_records.undelivered(engine, settings.redispatch_after_seconds):
        if (claimed_at := task_records.claim_redispatch(engine, task.task_id)) is None:
            continue
        if (request_id := _send(task)) is None:
            # The broker is away: this try is taken back (the row is due again next round,
            # its wait not doubled) and the rest wait for that round too.
            task_records.unclaim_redispatch(engine, task, claimed_at)
            break
        counts["redispatched"] += 1
        logger.warning(
            "Task %s (%s) never started; sent it again (request id %s)",
            task.task_id, task.status, request_id,
        )
    # A long statement's parse task whose part failed outside a run (backend/tasks/statement_parts.py).
    counts["parts_settled"] = settle_handed_over(engine)
    return counts


def _send(task: task_records.Dispatch) -> str | None:
    """Send the task again under a request id of the reaper's (returned; None when the
    broker is away), which its run's log lines carry as a submit's would."""
    request_id = f"{REAPER_REQUEST_ID_PREFIX}{new_request_id()}"
    token = request_id_var.set(request_id)  # dispatch puts it in the message's headers
    try:
        dispatch(task.task_name, task.task_id, task.kwargs)
    except QueueUnavailable:
        return None  # the row still says so; the next round tries again
    finally:
        request_id_var.reset(token)
    return request_id


@celery_app.task(**REAPER.task_options, ignore_result=True)
def reap_stuck_tasks() -> dict[str, int]:
    """Beat's reaper (see the module docstring)."""
    counts = reap()
    if any(counts.values()):
        logger.warning("Reaper: %s", counts)
    return counts
