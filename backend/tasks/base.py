"""The tracked-task base: every task gets status, progress, retries and cancel from it.

A task written as::

    @celery_app.task(bind=True, base=TrackedTask, name="my_task")
    def my_task(self, x):
        self.progress(50, "Half way")
        return {"x": x}

moves its ``task_status`` row PENDING → PROCESSING → SUCCESS (or RETRYING, FAILED,
REVOKED) without repeating any of that logic itself.
"""

from __future__ import annotations

import logging
import random
import time
from typing import Any

from celery import Task
from celery.exceptions import Ignore, Retry, SoftTimeLimitExceeded
from celery.worker.request import Request
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from backend.config import get_settings
from backend.db import get_engine
from backend.services import task_records
from backend.services.errors import InvalidInputError, TransientError
from backend.services.task_records import StartOutcome

logger = logging.getLogger(__name__)

# Errors that are worth another try: the database or Redis briefly away, a network blip.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    TransientError,
    OperationalError,
    RedisConnectionError,
    ConnectionError,
    TimeoutError,
)
INTERNAL_ERROR_MESSAGE = "Internal error while processing the task; the operators have been told."


class TaskCancelled(Exception):
    """Raised inside a task by ``progress()`` when its owner cancelled it."""


def retry_countdown(retries_done: int, base_seconds: float) -> float:
    """Seconds before the next try: ``base``, then doubled each time, plus up to 10 % jitter.

    With the default base of 60 s the three retries wait about 60, 120 and 240 s; the
    jitter keeps many tasks that failed together from all coming back at once.
    """
    delay = base_seconds * (2**retries_done)
    return delay + random.uniform(0, delay * 0.1)


class ProgressReporter:
    """Monotonic, clamped progress for one run of a task, written at most every interval."""

    def __init__(self, task_id: str | None, interval: float) -> None:
        self.task_id = task_id
        self.interval = interval
        self.percent = 0
        self._last_write = float("-inf")

    def report(self, percent: float, message: str | None = None, force: bool = False) -> None:
        """Record progress; raises TaskCancelled when the owner cancelled the task.

        Calls closer together than the interval are not written, unless ``force``
        (for a phase change whose message must be seen, like "Saving 1250 transactions").
        """
        self.percent = max(self.percent, min(100, max(0, int(percent))))
        now = time.monotonic()
        if self.task_id is None or (not force and now - self._last_write < self.interval):
            return
        self._last_write = now
        if task_records.record_progress(get_engine(), self.task_id, self.percent, message):
            raise TaskCancelled()


class TrackedRequest(Request):
    """Runs in the worker's main process, where a hard time limit is noticed."""

    def on_timeout(self, soft: bool, timeout: float) -> None:
        super().on_timeout(soft, timeout)
        if not soft:
            task_records.mark_failed(
                get_engine(), self.id, f"The task ran longer than its {timeout:.0f}-second limit"
            )


class TrackedTask(Task):
    """Base class of every Ledgerflow task (see the module docstring)."""

    Request = TrackedRequest

    def progress(self, percent: float, message: str | None = None, force: bool = False) -> None:
        """Report progress (0–100, never going back); stops the task if it was cancelled.

        Cheap to call often: writes are throttled, except with ``force`` (phase changes).
        """
        reporter: ProgressReporter | None = getattr(self.request, "progress_reporter", None)
        if reporter is not None:
            reporter.report(percent, message, force)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        task_id = self.request.id
        if task_id is None:  # called as a plain function, not from a worker
            return self.run(*args, **kwargs)
        engine = get_engine()
        outcome = task_records.mark_processing(engine, task_id)
        if outcome is StartOutcome.SKIP:
            logger.info("Task %s was cancelled or already finished; not running it", task_id)
            raise Ignore()
        tracked_id = task_id if outcome is StartOutcome.TRACKED else None
        self.request.progress_reporter = ProgressReporter(
            tracked_id, get_settings().progress_write_interval
        )
        try:
            result = self.run(*args, **kwargs)
        except TaskCancelled:
            logger.info("Task %s stopped after its owner cancelled it", task_id)
            task_records.mark_revoked(engine, task_id)
            raise Ignore() from None
        except Retry:
            raise
        except InvalidInputError as exc:
            task_records.mark_failed(engine, task_id, str(exc))
            raise
        except SoftTimeLimitExceeded:
            limit = get_settings().task_soft_time_limit
            task_records.mark_failed(
                engine, task_id, f"The task ran longer than its {limit}-second limit"
            )
            raise
        except TRANSIENT_ERRORS as exc:
            raise self._retry_or_fail(engine, task_id, exc)  # noqa: B904 (Retry or exc itself)
        except Exception:
            logger.exception("Task %s failed with an unexpected error", task_id)
            task_records.mark_failed(engine, task_id, INTERNAL_ERROR_MESSAGE)
            raise
        if tracked_id:
            task_records.mark_success(engine, task_id, result)
        return result

    def _retry_or_fail(self, engine: Engine, task_id: str, exc: BaseException) -> BaseException:
        """Schedule the next try (returning the Retry to raise), or record the failure."""
        settings = get_settings()
        retries_done, max_retries = self.request.retries, settings.task_max_retries
        if retries_done >= max_retries:
            task_records.mark_failed(
                engine,
                task_id,
                f"A service the task needs was unavailable; gave up after "
                f"{retries_done + 1} attempts. Please try again later.",
            )
            return exc
        countdown = retry_countdown(retries_done, settings.task_retry_backoff_seconds)
        logger.warning(
            "Task %s hit a transient error (%s); retry %d/%d in %.1f s",
            task_id, type(exc).__name__, retries_done + 1, max_retries, countdown,
        )
        task_records.mark_retrying(
            engine,
            task_id,
            f"Temporary failure; retry {retries_done + 1} of {max_retries} in {countdown:.0f} s",
        )
        return self.retry(exc=exc, countdown=countdown, max_retries=max_retries, throw=False)
