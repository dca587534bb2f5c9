"""The tracked-task base: every task gets status, progress, retries and cancel from it.

A task of a declared kind (``backend/tasks/kinds.py``) written as::

    @tracked_task(MY_KIND)
    def my_task(self, x: int) -> dict:
        self.progress(50, "Half way")
        return {"x": x}

moves its ``task_status`` row PENDING → PROCESSING → SUCCESS (or RETRYING, FAILED,
REVOKED) without repeating any of that logic itself, and gets its arguments read through
the kind's argument model (the versioning rule of ``backend/tasks/arguments.py``).
"""

from __future__ import annotations

import importlib.util
import inspect
import logging
import math
import random
import time
from collections.abc import Callable
from typing import Any, TypeVar

from billiard.exceptions import Terminated, WorkerLostError
from celery import Task
from celery.exceptions import Ignore, Reject, Retry, SoftTimeLimitExceeded
from celery.signals import task_unknown
from celery.worker import state as worker_state
from celery.worker.request import Request
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError

from backend.config import get_settings
from backend.db import database_unavailable, get_engine
from backend.services import task_records
from backend.services.errors import InvalidInputError, TransientError
from backend.services.task_records import ProgressOutcome, StartOutcome
from backend.tasks import app as task_app
from backend.tasks.app import celery_app
from backend.tasks.arguments import OLDER_RELEASE_MESSAGE, UnreadableArguments, monitoring_repr
from backend.tasks.kinds import TaskKind, kind_named
from backend.tasks.logs import note_request_id

logger = logging.getLogger(__name__)

# Errors that are worth another try: the database or Redis briefly away, a network blip.
TRANSIENT_ERRORS: tuple[type[Exception], ...] = (
    TransientError,
    OperationalError,
    RedisConnectionError,
    ConnectionError,
    TimeoutError,
)
INTERNAL_ERROR_MESSAGE = "Internal error while processing the task; the operators have been told."
OUT_OF_MEMORY_MESSAGE = (
    "The task needed more memory than a worker process may use; the file may be too large "
    "or malformed."
)
# How long a node gets to answer "are you alive?" before its redelivered task is taken over.
LIVENESS_TIMEOUT_SECONDS = 2.0
_T = TypeVar("_T")


class TaskCancelled(Exception):
    """Raised inside a task by ``progress()`` when its owner cancelled it."""


class LeaseLost(Exception):
    """Raised inside a task by ``progress()`` when its row is no longer this run's."""


class HandedOver(Exception):
    """Raised by a task whose run handed its row to other tasks (``task_records.hand_over``):
    the run ends, the task does not; those tasks finish it."""


class OutOfMemory(Exception):
    """A task ran out of its memory limit; raised instead of MemoryError, which Celery's
    worker re-raises in its main process."""


def patiently(operation: Callable[[], _T], what: str) -> _T:
    """Run a bookkeeping write, waiting out a database outage of up to the configured patience.

    Bookkeeping is what makes a task's outcome visible, so it must not be lost to a
    database restart: it is retried with backoff (0.5 s doubling to 5 s). When the
    database stays away longer, the message goes back to the queue (Reject with requeue)
    instead of being acknowledged, so the task runs again later: nothing is dropped.
    """
    deadline = time.monotonic() + get_settings().database_outage_patience_seconds
    delay = 0.5
    while True:
        try:
            return operation()
        except DBAPIError as exc:
            if not database_unavailable(exc):
                raise
            if time.monotonic() + delay > deadline:
                logger.error("Database still unavailable for %s; requeueing the message", what)
                raise Reject(f"database unavailable for {what}", requeue=True) from exc
            logger.warning("Database unavailable for %s; trying again in %.1f s", what, delay)
            time.sleep(delay)
            delay = min(delay * 2, 5.0)


def require_installed(*modules: str) -> None:
    """Raise ModuleNotFoundError now unless every one of ``modules`` is installed.

    For the libraries a task imports only on first use, so that a worker process need
    not hold them until it runs that task (docs/performance.md, "Worker memory"): called
    where the task module is imported, it keeps a missing dependency failing the
    worker's start, as an import there did, instead of the first task. ``find_spec`` of
    a top-level name locates the package without importing it.
    """
    missing = [name for name in modules if importlib.util.find_spec(name) is None]
    if missing:
        raise ModuleNotFoundError(
            f"not installed: {', '.join(missing)} (pip install -r requirements.txt)",
            name=missing[0],
        )


def retry_countdown(retries_done: int, base_seconds: float) -> float:
    """Seconds before the next try: ``base``, then doubled each time, plus up to 10 % jitter.

    With the default base of 60 s the three retries wait about 60, 120 and 240 s; the
    jitter keeps many tasks that failed together from all coming back at once.
    """
    delay: float = base_seconds * (2**retries_done)
    return delay + random.uniform(0, delay * 0.1)  # noqa: S311 (jitter, not a secret)


def deliverable_countdown(seconds: float) -> float:
    """A countdown the broker can honour: RabbitMQ's native delayed delivery (quorum
    queues) counts whole seconds and refuses a countdown that truncates to 0, so there
    it is rounded up; Redis takes fractions."""
    return float(math.ceil(seconds)) if get_settings().broker_is_amqp else seconds


class ProgressReporter:
    """Monotonic, clamped progress for one run of a task, written at most every interval."""

    def __init__(
        self, task_id: str | None, worker: str, interval: float, attempt: int | None = None
    ) -> None:
        self.task_id = task_id
        self.worker = worker
        # With the node, this run's lease (task_records.mark_processing): a later run of the
        # same task on the same node has another attempt number.
        self.attempt = attempt
        self.interval = interval
        self.percent = 0
        self._last_write = float("-inf")

    def report(self, percent: float, message: str | None = None, force: bool = False) -> None:
        """Record progress; raises TaskCancelled when the owner cancelled the task.

        Calls closer together than the interval are not written, unless ``force``
        (for a phase change whose message must be seen, like "Saving 1250 transactions").
        Progress is best effort: while the database is away the task keeps working and
        the next write after it returns catches up.
        """
        self.percent = max(self.percent, min(100, max(0, int(percent))))
        now = time.monotonic()
        if self.task_id is None or (not force and now - self._last_write < self.interval):
            return
        self._last_write = now
        try:
            outcome = task_records.record_progress(
                get_engine(), self.task_id, self.worker, self.percent, message, self.attempt
            )
        except DBAPIError as exc:
            if not database_unavailable(exc):
                raise
            logger.warning("Progress of %s not recorded: database unavailable", self.task_id)
            return
        if outcome is ProgressOutcome.CANCELLED:
            raise TaskCancelled()
        if outcome is ProgressOutcome.LEASE_LOST:
            raise LeaseLost()


class TrackedRequest(Request):
    """Runs in the worker's main process, where a hard time limit and a dead pool
    process are noticed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Before Celery logs "Task x[id] received": that line gets the request id too.
        note_request_id(self.id, self.request_dict)

    def on_timeout(self, soft: bool, timeout: float) -> None:
        super().on_timeout(soft, timeout)
        if not soft:
            task_records.mark_failed(
                get_engine(), self.id, f"The task ran longer than its {timeout:.0f}-second limit"
            )

    def on_failure(self, exc_info: Any, send_failed_event: bool = True, return_ok: bool = False) -> None:
        exc = getattr(exc_info.exception, "exc", exc_info.exception)  # ExceptionWithTraceback
        if isinstance(exc, WorkerLostError):
            self._release_lost_run()
        elif isinstance(exc, Terminated):
            self._record_terminated()
        super().on_failure(exc_info, send_failed_event=send_failed_event, return_ok=return_ok)

    def _record_terminated(self) -> None:
        """The pool process a cancel terminated (``revoke(terminate=True)``, the API's last
        resort) is gone: only now is the task REVOKED, so its record cannot be removed
        while its work may still run. (A shutdown's terminated runs have no cancel flag:
        they are handed back, recovery.hand_back.)"""
        try:
            task_records.mark_terminated(get_engine(), self.id)
        except DBAPIError:
            # The row keeps its cancel flag: once its lease expired (this node renews only
            # the runs it has), the reaper records REVOKED.
            logger.exception("Could not record the cancel of %s", self.id)

    def _release_lost_run(self) -> None:
        """Before Celery requeues the message, put the row back to RETRYING (or FAILED at
        the ceiling of worker deaths, REVOKED when its cancel was requested) so that the
        redelivery runs at once."""
        # A worker that is shutting down terminates its pool: that is no fault of the
        # task, and the shutdown hands its tasks back (recovery.release_on_shutdown).
        # ``celery.worker.state`` is Celery's worker-state module; its shutdown sets
        # should_stop / should_terminate.
        if worker_state.should_stop or worker_state.should_terminate:
            return
        try:
            task_records.release_lost_run(
                get_engine(), self.id, self.hostname, get_settings().max_worker_losses
            )
        except DBAPIError:
            # The lease then expires and the reaper or the redelivery takes over.
            logger.exception("Could not record the lost run of %s", self.id)


class TrackedTask(Task):
    """Base class of every Ledgerflow task (see the module docstring)."""

    #: Celery's documented extension point for the worker-side request (by name).
    Request = "backend.tasks.base:TrackedRequest"
    #: Celery's "expected exceptions": its failure line is INFO without a traceback. Input
    #: that can never be processed is the user's error, not a fault of ours; __call__
    #: logs it once at WARNING (real bugs stay ERROR with their traceback).
    throws = (InvalidInputError,)

    @property
    def is_tracked(self) -> bool:
        """Whether this run holds its task's ``task_status`` row (one sent through the API)."""
        reporter: ProgressReporter | None = getattr(self.request, "progress_reporter", None)
        return reporter is not None and reporter.task_id is not None

    @property
    def lease(self) -> tuple[str, int | None]:
        """This run's lease: its node and attempt (task_records.mark_processing), which the
        writes that only the lease holder may make name; no attempt before the run started."""
        reporter: ProgressReporter | None = getattr(self.request, "progress_reporter", None)
        if reporter is None:
            return self.request.hostname or "unknown", None
        return reporter.worker, reporter.attempt

    def progress(self, percent: float, message: str | None = None, force: bool = False) -> None:
        """Report progress (0–100, never going back within this run); stops the task if it was cancelled.

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
        settings = get_settings()
        worker = self.request.hostname or "unknown"
        unreadable: UnreadableArguments | None = None
        kind = kind_named(self.name)
        try:
            kwargs = kind.stored_kwargs(kwargs)
        except UnreadableArguments as exc:
            unreadable = exc
        else:
            # A retry or a deferred copy is sent from the request: it carries the arguments
            # as this release reads them (Celery checks them against the signature).
            self.request.kwargs = kwargs

        def start() -> task_records.Start:
            return patiently(
                lambda: task_records.mark_processing(
                    engine, task_id, worker, settings.worker_lost_after_seconds,
                    settings.max_worker_losses,
                ),
                "starting the task",
            )

        started = start()
        if started.outcome is StartOutcome.BUSY and self._took_over_from_a_lost_node(engine, task_id):
            started = start()
        outcome = started.outcome
        if outcome is StartOutcome.SKIP:
            logger.info("Task %s was cancelled or already finished; not running it", task_id)
            raise Ignore()
        if outcome is StartOutcome.BUSY:
            self._come_back_later(settings.worker_heartbeat_seconds)
        if outcome is StartOutcome.UNTRACKED and not kind.runs_without_row:
            # Its row came first (submit_task): without it, nobody is told of this run.
            logger.warning("Task %s (%s) has no row: its submit was undone or its record "
                           "removed; not running it", task_id, self.name)
            raise Ignore()
        tracked_id = task_id if outcome is StartOutcome.TRACKED else None
        if unreadable is not None:
            logger.error("Task %s not run: %s", task_id, unreadable)
            if tracked_id:
                self._fail(engine, task_id, OLDER_RELEASE_MESSAGE)
            raise Ignore()
        # The request context is Celery's per-run storage, open to any attribute.
        self.request.progress_reporter = ProgressReporter(  # type: ignore[attr-defined]
            tracked_id, worker, settings.progress_write_interval, started.attempt
        )
        try:
            result = self.run(*args, **kwargs)
        except TaskCancelled:
            logger.info("Task %s stopped after its owner cancelled it", task_id)
            patiently(lambda: task_records.mark_revoked(engine, task_id), "recording the cancel")
            raise Ignore() from None
        except LeaseLost:
            logger.warning("Task %s: another run took over its lease; stopping this one", task_id)
            raise Ignore() from None
        except HandedOver:
            logger.info("Task %s handed its work to other tasks", task_id)
            raise Ignore() from None
        except Retry:
            raise
        except InvalidInputError as exc:
            # The message, which may quote the document, goes to the task's error_message
            # only (backend/tasks/logs.py hides it in Celery's own line too).
            logger.warning("Task %s refused its input (%s)", task_id, type(exc).__name__)
            self._fail(engine, task_id, str(exc), retryable=exc.retryable)
            raise
        except SoftTimeLimitExceeded:
            limit = settings.task_soft_time_limit
            self._fail(engine, task_id, f"The task ran longer than its {limit}-second limit")
            raise
        except MemoryError:
            logger.error("Task %s ran out of memory", task_id)
            self._fail(engine, task_id, OUT_OF_MEMORY_MESSAGE)
            raise OutOfMemory(OUT_OF_MEMORY_MESSAGE) from None
        except TRANSIENT_ERRORS as exc:
            raise self._retry_or_fail(engine, task_id, exc)  # noqa: B904 (Retry or exc itself)
        except Exception:
            logger.exception("Task %s failed with an unexpected error", task_id)
            # Ours, not the input's: once the operators fix it, the same input may run.
            self._fail(engine, task_id, INTERNAL_ERROR_MESSAGE, retryable=True)
            raise
        if tracked_id:
            patiently(
                lambda: task_records.mark_success(engine, task_id, result), "recording the result"
            )
        return result

    def _fail(self, engine: Engine, task_id: str, message: str, retryable: bool = False) -> None:
        patiently(
            lambda: task_records.mark_failed(engine, task_id, message, retryable=retryable),
            "recording the failure",
        )

    def _took_over_from_a_lost_node(self, engine: Engine, task_id: str) -> bool:
        """A redelivered message whose run another node holds: if that node is gone, take
        its lease now (RETRYING, a worker loss counted) instead of waiting for it to expire.

        RabbitMQ hands an unacknowledged message back the moment the connection of the
        consumer that had it drops (a node killed with SIGKILL, a host lost), so the copy
        arrives while the dead node's lease still looks alive. The node is asked directly;
        one that answers (its broker connection dropped but it runs on) keeps its run,
        and this copy looks again later.
        """
        delivery = self.request.delivery_info or {}
        if not delivery.get("redelivered"):
            return False
        lease = task_records.lease_holder(engine, task_id)
        if lease is None:
            return False
        holder = lease.worker
        if holder == self.request.hostname:
            # The same name: a run of this node, which still holds the lease or will release
            # it, unless the run began before this node started. Then it was the run of an
            # earlier node of the same name (restarted after a crash: `make up` names every
            # worker celery@<host>), which is gone; a ping would be answered by this node.
            started_at = task_app.NODE_STARTED_AT
            if started_at is None or lease.started_at >= started_at:
                return False
        elif self.app.control.ping(destination=[holder], timeout=LIVENESS_TIMEOUT_SECONDS):
            return False
        state = task_records.reclaim_lease_of(
            engine, task_id, holder, get_settings().max_worker_losses
        )
        if state is None:
            return False
        logger.warning("Task %s: its worker node %s is gone; running it here", task_id, holder)
        return True

    def _come_back_later(self, seconds: float) -> None:
        """A duplicate of a message whose run is alive elsewhere: look again ``seconds``
        later (again and again while that run lives), so that if its worker dies, this
        copy takes over as soon as the lease expires."""
        try:
            self.signature_from_request(
                countdown=deliverable_countdown(seconds),
                kwargsrepr=monitoring_repr(self.request.kwargs or {}),
            ).apply_async()
        except (BrokerError, RedisError, OSError) as exc:
            raise Reject("could not defer a duplicate delivery", requeue=True) from exc
        logger.info("Task %s is running elsewhere; this copy looks again in %.0f s", self.request.id, seconds)
        raise Ignore()

    def _retry_or_fail(self, engine: Engine, task_id: str, exc: Exception) -> BaseException:
        """Schedule the next try (returning the Retry to raise), or record the failure."""
        settings = get_settings()
        retries_done, max_retries = self.request.retries, settings.task_max_retries
        if retries_done >= max_retries:
            self._fail(
                engine,
                task_id,
                f"A service the task needs was unavailable; gave up after "
                f"{retries_done + 1} attempts. Please try again later.",
                retryable=True,
            )
            return exc
        countdown = deliverable_countdown(
            retry_countdown(retries_done, settings.task_retry_backoff_seconds)
        )
        logger.warning(
            "Task %s hit a transient error (%s); retry %d/%d in %.1f s",
            task_id, type(exc).__name__, retries_done + 1, max_retries, countdown,
        )
        worker, attempt = self.lease
        # Written patiently: when the error was the database going away, this waits for
        # it to return, so the outage costs one retry, not all of them.
        recorded = patiently(
            lambda: task_records.mark_retrying(
                engine,
                task_id,
                f"Temporary failure; retry {retries_done + 1} of {max_retries} in {countdown:.0f} s",
                countdown,
                worker,
                attempt,
            ),
            "recording the retry",
        )
        if self.is_tracked and not recorded:
            # Another run holds the lease now and carries the task: a retry of this one
            # would be a second copy, and its row is not this run's to move back.
            logger.warning("Task %s: another run took over its lease; not retrying this one", task_id)
            return Ignore()
        try:
            # kwargsrepr is one of apply_async's options, which retry passes on (Celery's
            # "Hiding sensitive information in arguments"); celery-types leaves it out of retry.
            return self.retry(  # type: ignore[call-arg]
                exc=exc, countdown=countdown, max_retries=max_retries, throw=False,
                kwargsrepr=monitoring_repr(self.request.kwargs or {}),
            )
        except (BrokerError, RedisError, OSError) as send_error:
            # The retry could not be sent: keep the message instead of acknowledging it.
            raise Reject("could not send the retry", requeue=True) from send_error


def unknown_task_message(name: str | None) -> str:
    """What the owner of a task reads when no worker runs tasks of its name."""
    return f"No worker runs tasks named {name!r}, so this one was not run; submit the work anew."


@task_unknown.connect
def _fail_unknown_task(
    name: str | None = None, id: str | None = None, **_kwargs: Any  # the signal's names
) -> None:
    """A message for a task name this worker does not know (a typo in `celery call`, a kind
    an older release had): Celery logs it and drops the message (documented signal
    ``task_unknown``, in the worker's main process). A row of that id ends FAILED with a
    message instead of waiting for ever."""
    if not id:
        return
    try:
        if task_records.mark_failed(get_engine(), id, unknown_task_message(name)):
            logger.warning("Task %s of unknown name %r marked FAILED", id, name)
    except DBAPIError:
        logger.exception("Could not record that task %s of unknown name %r failed", id, name)


def tracked_task(kind: TaskKind, **options: Any) -> Callable[[Callable[..., Any]], Any]:
    """The decorator of a tracked task of ``kind`` (``celery_app.task`` with this base,
    the kind's task options, and ``options``).

    The function's parameters (after ``self``) must be the fields of the kind's argument
    model, required exactly where the model requires them: a task and its model that
    disagree fail when the module is imported, not when a message arrives.
    """

    def register(function: Callable[..., Any]) -> Any:
        parameters = list(inspect.signature(function).parameters.values())[1:]
        signature = {p.name: p.default is inspect.Parameter.empty for p in parameters}
        model = {name: field.is_required() for name, field in kind.arguments.model_fields.items()}
        if signature != model:
            raise TypeError(
                f"task {kind.name!r}: parameters {signature} do not match "
                f"{kind.arguments.__name__} {model} (name: required?)"
            )
        return celery_app.task(bind=True, base=TrackedTask, **kind.task_options, **options)(function)

    return register
