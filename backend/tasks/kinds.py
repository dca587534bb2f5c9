"""Every kind of task the platform runs, declared once: its name, its queue, what it
accepts (an argument model, ``backend/tasks/arguments.py``) and whether users see it.

The task decorators, the routers' submits, Celery's routes, the queue each row records,
the check of each submit's arguments and which tasks a user may list and retry all come
from here, so a task name is never spelled twice. An unknown task name or queue fails
loudly (``UnknownTask``) instead of falling back to a default queue.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from backend.tasks.arguments import (
    CategorizeArgs,
    DeliverWebhookArgs,
    ExtractInvoiceArgs,
    MergeStatementPartsArgs,
    NoArguments,
    ParseStatementArgs,
    ReportArgs,
    StatementPartArgs,
    TaskArguments,
)

# Re-exported: the queues are kept apart only so that they can be read without pydantic.
from backend.tasks.queues import DEFAULT_QUEUE as DEFAULT_QUEUE
from backend.tasks.queues import QUEUES as QUEUES


class UnknownTask(LookupError):
    """A task name that was never declared (a typo, or a task from another release)."""


@dataclass(frozen=True)
class TaskKind:
    #: The Celery task name, also stored in ``task_status.task_name``.
    name: str
    #: The queue its messages go to (one of QUEUES).
    queue: str
    #: What the task accepts: checked at each submit, and how stored arguments are read.
    arguments: type[TaskArguments]
    #: Work a user asked for (listed, retried by its owner); False for the platform's chores.
    user_visible: bool
    #: A chore beat sends every few seconds, day and night (the reaper, the sweeps): its runs
    #: send no task events and Celery's lines about them are DEBUG, else they would fill
    #: Flower's task list and the log (``backend/tasks/logs.py``, ``QuietChores``).
    quiet: bool = False
    #: May run from a message that has no ``task_status`` row: beat's chores, webhook
    #: deliveries and the health check's ping are sent without one. Any other kind's message
    #: follows its row (``submit_task``), so one that finds none is not run: its submit was
    #: undone (the broker kept a message whose confirmation was lost, and the client got
    #: 503) or its record was removed since (``TrackedTask``).
    runs_without_row: bool = False

    @property
    def task_options(self) -> dict[str, Any]:
        """What its Celery task is registered with (``celery_app.task(**kind.task_options)``):
        its name, and for a quiet kind no task events (Celery's ``Task.send_events``, which
        holds even while a monitor has them on)."""
        return {"name": self.name, "send_events": not self.quiet}

    def new_kwargs(self, kwargs: Mapping[str, Any]) -> dict[str, Any]:
        """A submit's arguments, checked strictly (ValidationError for a typo: a bug)."""
        return self.arguments.new_kwargs(kwargs)

    def upload_read(self, kwargs: Mapping[str, Any]) -> str | None:
        """The stored upload a task of this kind with these arguments reads (its
        ``file_path`` argument: statements, invoices), or None. A report's file is its
        output (``output_path``), made by the task."""
        return kwargs["file_path"] if "file_path" in self.arguments.model_fields else None

    def stored_kwargs(self, stored: object) -> dict[str, Any]:
        """Arguments stored by this or an older release, read by the versioning rule
        (``backend/tasks/arguments.py``); UnreadableArguments when they cannot be."""
        return self.arguments.stored_kwargs(stored, self.name)


_DECLARED: dict[str, TaskKind] = {}


def declare(
    name: str, queue: str, arguments: type[TaskArguments], *, user_visible: bool,
    quiet: bool = False, runs_without_row: bool = False,
) -> TaskKind:
    """Declare a task kind; a second declaration of a name or an unknown queue is an error."""
    if queue not in QUEUES:
        raise ValueError(f"task {name!r}: unknown queue {queue!r} (queues: {', '.join(QUEUES)})")
    if name in _DECLARED:
        raise ValueError(f"task {name!r} is declared twice")
    kind = _DECLARED[name] = TaskKind(name, queue, arguments, user_visible, quiet, runs_without_row)
    return kind


def kind_named(name: str) -> TaskKind:
    """The declared kind called ``name``; UnknownTask otherwise."""
    try:
        return _DECLARED[name]
    except KeyError:
        raise UnknownTask(f"unknown task {name!r}: declare it in backend/tasks/kinds.py") from None


def declared() -> tuple[TaskKind, ...]:
    return tuple(_DECLARED.values())


def hidden_names() -> tuple[str, ...]:
    """The kinds a user neither sees nor is counted for: platform tasks, and work done on
    behalf of one of the user's tasks (a long statement's parts and their merge)."""
    return tuple(kind.name for kind in _DECLARED.values() if not kind.user_visible)


def quiet_names() -> frozenset[str]:
    """The kinds declared ``quiet``: the chores beat sends every few seconds."""
    return frozenset(kind.name for kind in _DECLARED.values() if kind.quiet)


# A no-op: the health check's probe (without a row) as well as a user's task.
PING = declare("ping", DEFAULT_QUEUE, NoArguments, user_visible=True, runs_without_row=True)
CLEANUP = declare(
    "cleanup_old_results", DEFAULT_QUEUE, NoArguments, user_visible=False, runs_without_row=True
)
REAPER = declare(
    "reap_stuck_tasks", DEFAULT_QUEUE, NoArguments, user_visible=False, quiet=True,
    runs_without_row=True,
)
PARSE_STATEMENT = declare("parse_pdf_async", "pdf_processing", ParseStatementArgs, user_visible=True)
EXTRACT_INVOICE = declare(
    "extract_invoice_metadata_async", "pdf_processing", ExtractInvoiceArgs, user_visible=True
)
CATEGORIZE = declare("bulk_categorize_async", "bulk_operations", CategorizeArgs, user_visible=True)
REPORT = declare("generate_report_async", "reports", ReportArgs, user_visible=True)
DELIVER_WEBHOOK = declare(
    "deliver_webhook", "webhooks", DeliverWebhookArgs, user_visible=False, runs_without_row=True
)
SWEEP_WEBHOOKS = declare(
    "sweep_webhook_deliveries", DEFAULT_QUEUE, NoArguments, user_visible=False, quiet=True,
    runs_without_row=True,
)
# Beat's safety net for batches whose last item ended outside a worker's task run
# (a cancel, the reaper): finishes them and moves their pipelines on (backend/tasks/batches.py).
FINISH_BATCHES = declare(
    "finish_batches", DEFAULT_QUEUE, NoArguments, user_visible=False, quiet=True,
    runs_without_row=True,
)
# A long statement's page ranges, read on every pdf_processing worker, and their merge
# (backend/tasks/statement_parts.py): work of a parse task, not listed on their own.
PARSE_STATEMENT_PART = declare(
    "parse_statement_part", "pdf_processing", StatementPartArgs, user_visible=False
)
MERGE_STATEMENT_PARTS = declare(
    "merge_statement_parts", "pdf_processing", MergeStatementPartsArgs, user_visible=False
)
