"""The Celery application: broker, queues, routes, limits, retries and the beat schedule."""

from __future__ import annotations

import functools
import importlib
import logging
import os
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from celery import Celery
from celery.exceptions import WorkerTerminate
from celery.schedules import crontab
from celery.signals import worker_init, worker_process_init
from kombu import Exchange, Queue
from kombu.exceptions import OperationalError as BrokerUnavailable

from backend.config import VAR_DIR, Settings, get_settings
from backend.tasks import broker
from backend.tasks.kinds import (
    CLEANUP,
    DEFAULT_QUEUE,
    EXTRACT_INVOICE,
    FINISH_BATCHES,
    PARSE_STATEMENT,
    PARSE_STATEMENT_PART,
    QUEUES,
    REAPER,
    REPORT,
    SWEEP_WEBHOOKS,
    TaskKind,
    declared,
    quiet_names,
)
from backend.tasks.logs import install_log_filters

# What a worker imports at start (Celery's ``imports``): the task modules and the
# remote-control command of a cancel's last resort.
WORKER_MODULES = (
    "backend.tasks.control",
    "backend.tasks.system",
    "backend.tasks.recovery",
    "backend.tasks.statements",
    "backend.tasks.invoices",
    "backend.tasks.categorization",
    "backend.tasks.reports",
    "backend.tasks.batches",
    "backend.tasks.webhooks",
)

# What these tasks import on first use rather than with their task module (the PDF
# libraries, ~30 MB; openpyxl, ~8 MB), so that no process holds them without need: the
# API, a worker whose queues carry none of these kinds. A worker whose queues do carry
# one imports its modules before forking its pool (below), so that its pool processes
# share those pages instead of each importing a private copy on its first such task
# (docs/performance.md, "Worker memory").
FIRST_USE_MODULES: tuple[tuple[TaskKind, str], ...] = (
    (PARSE_STATEMENT, "backend.services.statements.parser"),
    (PARSE_STATEMENT_PART, "backend.services.statements.parts"),
    (EXTRACT_INVOICE, "backend.services.invoices"),
    (REPORT, "backend.services.reports"),
)


def celery_config(settings: Settings) -> dict:
    """Celery settings derived from ours; every value comes from the environment."""
    # Redis redelivers an unacknowledged message after the visibility timeout. With
    # acks_late a long task must finish (or hit its hard limit) well before that, or
    # a second worker would start it again while the first is still running.
    visibility_timeout = settings.task_time_limit * 2
    redis_options = {"visibility_timeout": visibility_timeout, "socket_connect_timeout": 5}
    return {
        "broker_url": settings.broker_url,
        "result_backend": settings.result_backend,
        **(_rabbitmq_config() if settings.broker_is_amqp
           else _redis_broker_config(redis_options, settings.broker_scheme)),
        "result_backend_transport_options": redis_options,
        "broker_connection_retry_on_startup": True,
        # The API answers 503 when the broker is down; it must find out quickly.
        "broker_connection_timeout": settings.broker_publish_timeout,
        "task_publish_retry_policy": {
            "max_retries": 2,
            "interval_start": 0,
            "interval_step": 0.2,
            "interval_max": 0.5,
        },
        "task_serializer": "json",
        "result_serializer": "json",
        "accept_content": ["json"],
        "timezone": "UTC",
        "enable_utc": True,
        "task_default_queue": DEFAULT_QUEUE,
        # An unknown queue is an error, not a new queue nobody consumes.
        "task_create_missing_queues": False,
        "task_routes": {kind.name: {"queue": kind.queue} for kind in declared()},
        "task_time_limit": settings.task_time_limit,
        "task_soft_time_limit": settings.task_soft_time_limit,
        # Nothing is lost when a worker dies: a message is acknowledged only after its
        # task finished, and one whose worker process was killed goes back on the queue.
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        # When the broker connection drops (a Redis restart), let running tasks finish:
        # their outcome goes to the database, not the broker. Cancelling them (True)
        # failed with the same lost connection, and the message was then acknowledged
        # instead of restored, so the task was dropped (reproduced with a Redis restart).
        # A copy that comes back later finds the row final and is skipped.
        "worker_cancel_long_running_tasks_on_connection_loss": False,
        # Our tasks run for seconds to minutes: prefetching more than one would let a busy
        # worker hoard messages that an idle one could run. For short tasks a larger value
        # measured no faster here (shared/MEASURED.md: prefetch 4 vs 64, same throughput).
        # Soft shutdown: a cold shutdown waits up to this long for running tasks (less
        # once they have all ended: backend/tasks/shutdown.py), then cancels them and
        # returns their messages to the queue (not acknowledged), so a restart never
        # leaves work waiting for the visibility timeout.
        "worker_soft_shutdown_timeout": settings.worker_shutdown_grace_seconds,
        "worker_prefetch_multiplier": settings.worker_prefetch_multiplier,
        # A pool process is replaced once its peak resident memory passed the ceiling
        # (checked after each task: a PDF parse that bloated it hands that memory back),
        # not after a count of tasks. Replacing by count stalled work: a task handed to a
        # pool process in the moment it exits at its count waits for the pool's next
        # maintenance round, up to 5 s (celery/celery#9588; reproduced here with pings:
        # one task in each recycle waited 0.2-5.0 s, docs/performance.md "Recycling pool
        # processes"). Memory-heavy tasks still meet it, rarely; a count stays available
        # (0 = never, as Celery's None; Celery refuses 0 itself).
        "worker_max_memory_per_child": settings.worker_max_memory_per_child_mb * 1024 or None,
        "worker_max_tasks_per_child": settings.worker_max_tasks_per_child or None,
        # A task's result lives in its task_status row. Storing it in Redis as well costs
        # worker throughput, and makes every API process subscribe to each submitted
        # task's result channel; only ping and cleanup, whose callers wait on them, do.
        "task_ignore_result": True,
        "result_expires": settings.result_expires,
        "task_track_started": True,
        # No task events unless somebody watches: three Redis publishes per task, a fifth
        # of the worker's CPU per short task (docs/performance.md). Flower, the one
        # consumer, turns them on in every worker it sees (its --enable_events, on by
        # default, every 5 s), so its task list is unchanged; `celery worker -E` or
        # `celery control enable_events` do the same for other monitors.
        "worker_send_task_events": False,
        # But not the "task-sent" event: it is one more Redis publish in every API submit
        # (0.5 ms of the gateway's ~4 ms CPU per submit, bench/bench_platform.py), and
        # the PENDING row in task_status already says what Flower's SENT state would.
        "task_send_sent_event": False,
        "beat_schedule_filename": str(VAR_DIR / "celerybeat-schedule"),
        # The entries below, plus the users' schedules read from the database
        # (backend/tasks/scheduler.py): `celery beat` needs no -S flag for them.
        "beat_scheduler": "backend.tasks.scheduler:DatabaseScheduler",
        "beat_schedule": {
            "cleanup-old-results-nightly": {
                "task": CLEANUP.name,
                "schedule": crontab(hour=2, minute=0),
            },
            # Re-sends tasks whose worker died and messages that never arrived
            # (backend/tasks/recovery.py).
            "reap-stuck-tasks": {
                "task": REAPER.name,
                "schedule": settings.reaper_interval_seconds,
                # A reaper run that waited longer than an interval is superseded.
                "options": {"expires": settings.reaper_interval_seconds},
            },
            # Finishes batches whose last task ended outside a worker's run (a cancel,
            # the reaper) and moves their pipelines on (backend/tasks/batches.py).
            "finish-batches": {
                "task": FINISH_BATCHES.name,
                "schedule": settings.reaper_interval_seconds,
                "options": {"expires": settings.reaper_interval_seconds},
            },
            # Sends webhook deliveries whose message was lost (backend/tasks/webhooks.py).
            "sweep-webhook-deliveries": {
                "task": SWEEP_WEBHOOKS.name,
                "schedule": settings.webhook_sweep_seconds,
                "options": {"expires": settings.webhook_sweep_seconds},
            },
        },
    }


def _redis_broker_config(redis_options: dict[str, Any], scheme: str) -> dict[str, Any]:
    """Broker settings for Redis (the default, and what `make up` runs)."""
    return {
        # One redis-py client object per channel, not per command (backend/tasks/broker.py);
        # a Sentinel URL keeps kombu's Sentinel transport.
        **({"broker_transport": broker.TRANSPORT} if scheme in ("redis", "rediss") else {}),
        "broker_transport_options": redis_options,
        # Each queue gets its own exchange and routing key. Left to Celery's defaults they
        # all bind to exchange "default" with key "default", which on an AMQP broker
        # (RabbitMQ) copies every message into every queue.
        "task_queues": [Queue(name, Exchange(name), routing_key=name) for name in QUEUES],
    }


def _rabbitmq_config() -> dict[str, Any]:
    """Broker settings for RabbitMQ (CELERY_BROKER_URL=amqp://...), the production broker.

    Quorum queues are replicated and durable: a message survives a broker node's loss.
    They have no global QoS (Celery detects quorum queues and uses per-consumer
    prefetch) and no priorities (we use none). A countdown (our retries, a duplicate
    delivery looking again later) goes through Celery's native delayed delivery, which
    routes only through topic exchanges; with a direct exchange Celery would hold the
    message in the worker until it is due.
    """
    quorum = {"x-queue-type": "quorum"}
    return {
        # A send returns only once RabbitMQ has the message (publisher confirms), so a
        # 202 means the message is stored, not merely written to a socket.
        "broker_transport_options": {"confirm_publish": True},
        "task_queues": [
            Queue(name, Exchange(name, type="topic"), routing_key=name, queue_arguments=quorum)
            for name in QUEUES
        ],
        "task_default_queue_type": "quorum",
        "task_default_exchange_type": "topic",
        "worker_detect_quorum_queues": True,
    }


def create_celery_app(settings: Settings | None = None) -> Celery:
    """A configured Celery app with the platform's task modules imported."""
    VAR_DIR.mkdir(exist_ok=True)  # beat keeps its schedule file there
    app = Celery("ledgerflow")
    app.conf.update(celery_config(settings or get_settings()))
    app.conf.imports = WORKER_MODULES
    install_log_filters(quiet_names())
    return app


celery_app = create_celery_app()
logger = logging.getLogger(__name__)


def _stops_the_start(receiver: Callable[..., None]) -> Callable[..., None]:
    """A ``worker_init`` receiver whose failure stops the worker's start.

    Celery's signal dispatch catches a receiver's exception, logs it and goes on, so the
    worker would start without what the receiver prepares and fail later, task by task
    (a module that does not import) or in a loop (a queue RabbitMQ refuses).
    ``WorkerTerminate`` is a SystemExit, which the dispatch lets through: the worker
    exits with EX_SOFTWARE and the reason as its last log line.
    """

    @functools.wraps(receiver)
    def stopping(*args: Any, **kwargs: Any) -> None:
        try:
            receiver(*args, **kwargs)
        except Exception as exc:
            logger.critical("The worker cannot start: %s: %s", type(exc).__name__, exc, exc_info=exc)
            raise WorkerTerminate(os.EX_SOFTWARE) from exc

    return stopping


# The worker's main process, noted before it forks its pool (``_note_the_main_process``).
_main_process_pid: int | None = None
# When this worker node's main process started (noted with it; its pool processes inherit
# it); None outside a worker. A lease taken under this node's name before then was taken by
# an earlier process of the same name, which is gone (TrackedTask._took_over_from_a_lost_node).
NODE_STARTED_AT: datetime | None = None


def leave_if_orphaned(main_pid: int | None) -> None:
    """End this pool process at once if the main process that forked it is gone.

    Celery asks the kernel to kill a pool process when its parent dies (PR_SET_PDEATHSIG),
    but only once the child runs its initializer: a parent killed between the fork and
    that call (a `make up` supervisor killed while the worker starts) sends nothing, and
    the orphans, each holding its siblings' pipe ends, would wait for work for ever.
    """
    # A solo pool initialises "its pool process" in the main process itself.
    if main_pid is not None and os.getpid() != main_pid and os.getppid() != main_pid:
        os._exit(1)


@worker_process_init.connect
def _prepare_pool_process(**_kwargs: Any) -> None:
    # After Celery set the parent-death signal (its process_initializer, before this signal).
    leave_if_orphaned(_main_process_pid)
    # A forked pool process must not share the parent's database connections (PostgreSQL's
    # sockets; SQLite's the parent closed before forking, backend/db.py _ForkGate).
    from backend.db import get_engine
    from backend.tasks.limits import limit_worker_process_memory

    get_engine().dispose(close=False)
    # A file that needs more memory fails its task instead of summoning the OOM killer.
    limit_worker_process_memory()


@worker_init.connect  # connected first: what it imports is frozen with the rest
@_stops_the_start
def _import_what_the_queues_need(sender: Any = None, **_kwargs: Any) -> None:
    # By now the worker has selected its queues (-Q); all of them when none was given.
    if sender is None:
        return
    consumed = set(sender.app.amqp.queues.consume_from)
    for kind, module in FIRST_USE_MODULES:
        if kind.queue in consumed:
            importlib.import_module(module)


@worker_init.connect
def _note_the_main_process(**_kwargs: Any) -> None:
    # In the main process, before the fork: pool processes inherit it (a spawned one,
    # which imports this module afresh, sees None and is not checked).
    global _main_process_pid, NODE_STARTED_AT
    _main_process_pid = os.getpid()
    NODE_STARTED_AT = datetime.now(UTC)


@worker_init.connect
def _end_the_grace_when_the_tasks_end(sender: Any = None, **_kwargs: Any) -> None:
    # Before the pool processes are forked: they share its task board with this process.
    if sender is not None:
        from backend.tasks import shutdown

        shutdown.install(sender)


@worker_init.connect
def _freeze_startup_heap(**_kwargs: Any) -> None:
    # Before the pool processes are forked: see backend/runtime.py.
    from backend.runtime import freeze_startup_heap

    freeze_startup_heap()


@worker_init.connect
@_stops_the_start
def _declare_every_queue(sender: Any = None, **_kwargs: Any) -> None:
    # On RabbitMQ, Celery's native delayed delivery binds every queue the app knows to its
    # delay exchanges when a worker starts; a queue whose exchange nobody declared yet (no
    # worker of that queue started) fails to bind, and a countdown sent to it would be
    # dropped. Every worker declares them all first. A queue declared earlier with other
    # arguments (a classic queue of the same name) is refused here, and the worker does not start.
    if sender is None or not get_settings().broker_is_amqp:
        return
    app: Celery = sender.app
    with app.connection_for_write() as connection:
        away: tuple[type[BaseException], ...] = (BrokerUnavailable, *connection.connection_errors)
        try:
            connection.ensure_connection(max_retries=3)
            channel = connection.default_channel
            for queue in app.amqp.queues.values():
                queue.bind(channel).declare()
        except away:
            # The broker away or gone meanwhile: the worker's own start retries it and
            # says so. A refused declaration is a channel error and stops the start.
            return
