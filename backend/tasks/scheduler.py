"""Celery beat's scheduler: the static entries of ``beat_schedule`` plus the users' schedules.

``DatabaseScheduler`` is the app's ``beat_scheduler``, so ``celery -A celery_app beat``
uses it with no flag. The static entries (nightly cleanup, the reaper) run as Celery's
``PersistentScheduler`` runs them. At every tick, and at least every
SCHEDULE_POLL_SECONDS, it also reads the ``schedules`` table: a new, changed or deleted
schedule takes effect at the next look, without a restart, and nothing about schedules
is kept in memory between two looks.

Each due slot is claimed with one conditional UPDATE (``schedules.claim_slot``) before
its run is submitted, so a second beat started by mistake finds the slot taken and
fires nothing. A run is an ordinary tracked task: its ``task_status`` row (with
``schedule_id``) is written first, then the message, by ``submit_task``.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from typing import Any

from celery.beat import PersistentScheduler
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from backend.config import get_settings
from backend.db import get_engine
from backend.models import utcnow
from backend.services import schedules
from backend.services.schedules import ClaimedRun, DueSchedule, InvalidSchedule, ScheduleTask
from backend.tasks.kinds import CATEGORIZE, REPORT
from backend.tasks.submission import QueueUnavailable, submit_task

logger = logging.getLogger(__name__)

# Shortest sleep between two ticks, so that a slot given back (broker away) is tried
# again promptly without spinning.
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
    run = schedules.claim_slot(engine, due.id, due.next_run_at, following, now)
    if run is None:
        # Another beat won the slot (a second beat is running), or the schedule was
        # paused, changed or deleted since we read it.
        logger.info("Schedule %s: slot %s not taken here (claimed elsewhere or changed)",
                    due.id, _iso(due.next_run_at))
        return
    try:
        task_id = _submit(engine, run)
    except QueueUnavailable:
        schedules.release_slot(engine, due.id, due.next_run_at, following)
        logger.warning("Schedule %s: the broker is unavailable; its run will be tried again", due.id)
        return
    except IntegrityError:
        logger.info("Schedule %s was deleted while its run was being submitted", due.id)
        return
    logger.info("Schedule %s: slot %s runs as task %s (next slot %s)",
                due.id, _iso(due.next_run_at), task_id, _iso(following))


def _submit(engine: Engine, run: ClaimedRun) -> str:
    """Submit the run as the API's POST route for the same work would."""
    kwargs = {"user_id": run.user_id, **run.params}
    if run.task is ScheduleTask.CATEGORIZE:
        return submit_task(engine, run.user_id, CATEGORIZE.name, kwargs, schedule_id=run.schedule_id)
    # A report is named after its task id, as backend/api/reports.py names it.
    report_id = str(uuid.uuid4())
    output = get_settings().storage_dir / str(run.user_id) / "reports" / f"{report_id}.xlsx"
    return submit_task(
        engine, run.user_id, REPORT.name, {**kwargs, "output_path": str(output)},
        file_path=str(output), task_id=report_id, schedule_id=run.schedule_id,
    )


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")
