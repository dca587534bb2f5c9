"""Celery beat's scheduler: the static entries of ``beat_schedule`` plus the users' schedules.

``DatabaseScheduler`` is the app's ``beat_scheduler``, so ``celery -A celery_app beat``
uses it with no flag. The static entries (nightly cleanup, the reaper) run as Celery's
``PersistentScheduler`` runs them. At every tick, and at least every
SCHEDULE_POLL_SECONDS, it also reads the ``schedules`` table: a new, changed or deleted
schedule takes effect at the next look, without a restart, and nothing about schedules
is kept in memory between two looks.

Each due slot is claimed with one conditional UPDATE (``schedules.claim_slot``) in the
transaction that records its run, so a second beat started by mistake finds the slot
taken and fires nothing. A run is an ordinary tracked task: its ``task_status`` row
(with ``schedule_id``) is committed first, then the message is sent (``record_task``,
``dispatch``: the API's submit path).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from celery.beat import PersistentScheduler
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from backend.config import get_settings
from backend.db import get_engine
from backend.models import utcnow
from backend.services import schedules
from backend.services.schedules import ClaimedRun, DueSchedule, InvalidSchedule, ScheduleTask
from backend.tasks.arguments import UnreadableArguments
from backend.tasks.kinds import CATEGORIZE, REPORT
from backend.tasks.submission import QueueUnavailable, dispatch, record_task

logger = logging.getLogger(__name__)

# Shortest sleep between two ticks: a slot due right now is fired by this tick, so the
# next can wait a little without spinning.
MIN_WAIT_SECONDS = 0.5


class DatabaseScheduler(PersistentScheduler):
    """``PersistentScheduler`` that also fires the due slots of the ``schedules`` table."""

    def tick(self, *args: Any, **kwargs: Any) -> float:
        """Run what is due; returns the seconds beat may sleep before the next tick."""
        static_wait: float = super().tick(*args, **kwargs)
        return min(static_wait, fire_due_schedules(get_engine()))


def fire_due_schedules(engine: Engine) -> float:
    """Submit one run for each due slot this beat wins; returns the seconds until the next look."""
    poll = get_settings().schedule_poll_seconds
    try:
        for due in schedules.due_schedules(engine, utcnow()):
            try:
                _fire(engine, due)
            except SQLAlchemyError:
                raise
            except Exception:
                # One broken schedule must not stop beat (and every other schedule).
                logger.exception("Schedule %s: its run could not be started", due.id)
        upcoming = schedules.earliest_next_run(engine)
    except SQLAlchemyError as exc:
        # Beat keeps its static entries going while the database is away.
        logger.warning("Schedules not read (database unavailable: %s); trying again in %.0f s",
                       type(exc).__name__, poll)
        return poll
    if upcoming is None:
        return poll
    return max(MIN_WAIT_SECONDS, min(poll, (upcoming - utcnow()).total_seconds()))


def _fire(engine: Engine, due: DueSchedule) -> None:
    now = utcnow()
    try:
        following = schedules.cron_spec(due.cron, due.timezone).slot_after_run(due.next_run_at, now)
    except InvalidSchedule as exc:
        logger.error("Schedule %s paused: it can no longer run (%s)", due.id, exc)
        schedules.pause_broken(engine, due.id, due.next_run_at)
        return
    # The claim and the run's row commit together: a beat that dies in between leaves
    # neither, and the slot is still due for the next look.
    try:
        with engine.begin() as conn:
            run = schedules.claim_slot(conn, due.id, due.next_run_at, following, now)
            if run is None:
                # Another beat won the slot (a second beat is running), or the schedule was
                # paused, changed or deleted since we read it.
                logger.info("Schedule %s: slot %s not taken here (claimed elsewhere or changed)",
                            due.id, _iso(due.next_run_at))
                return
            request = _run_request(run)
            task_id = record_task(
                conn, run.user_id, request.task_name, request.kwargs, file_path=request.file_path,
                task_id=request.task_id, schedule_id=run.schedule_id,
            )
    except UnreadableArguments as exc:
        # Parameters saved by an older release that this one cannot read: the claim rolled
        # back, and the schedule is paused as one that can no longer run.
        logger.error("Schedule %s paused: %s", due.id, exc)
        schedules.pause_broken(engine, due.id, due.next_run_at)
        return
    logger.info("Schedule %s: slot %s runs as task %s (next slot %s)",
                due.id, _iso(due.next_run_at), task_id, _iso(following))
    try:
        dispatch(request.task_name, task_id, request.kwargs)
    except QueueUnavailable:
        # The row waits PENDING; the reaper sends it once the broker is back, as it does
        # for any message that never arrived.
        logger.warning("Schedule %s: task %s is recorded but the broker is unavailable; "
                       "the reaper will send it", due.id, task_id)


@dataclass(frozen=True)
class RunRequest:
    """A run's task, as the API's POST route for the same work would submit it."""

    task_name: str
    kwargs: dict[str, Any]
    file_path: str | None = None
    task_id: str | None = None


def _run_request(run: ClaimedRun) -> RunRequest:
    """The run's task; its parameters are stored arguments, read as a retry reads them
    (UnreadableArguments when this release cannot)."""
    kwargs = {"user_id": run.user_id, **run.params}
    if run.task is ScheduleTask.CATEGORIZE:
        return RunRequest(CATEGORIZE.name, CATEGORIZE.stored_kwargs(kwargs))
    # A report is named after its task id, as backend/api/reports.py names it.
    report_id = str(uuid.uuid4())
    output = str(get_settings().storage_dir / str(run.user_id) / "reports" / f"{report_id}.xlsx")
    kwargs = REPORT.stored_kwargs({**kwargs, "output_path": output})
    return RunRequest(REPORT.name, kwargs, output, report_id)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")
