"""Every kind of task the platform runs, declared once: its name and its queue.

The task decorators, the routers' submits, Celery's routes and the queue each row
records all come from here, so a task name is never spelled twice. An unknown task name
or queue fails loudly (``UnknownTask``) instead of falling back to a default queue.
"""

from __future__ import annotations

from dataclasses import dataclass

# "webhooks" has its own queue so that a slow receiver never holds up the other work.
QUEUES = ("pdf_processing", "bulk_operations", "reports", "default", "webhooks")
DEFAULT_QUEUE = "default"


class UnknownTask(LookupError):
    """A task name that was never declared (a typo, or a task from another release)."""


@dataclass(frozen=True)
class TaskKind:
    name: str
    queue: str


_DECLARED: dict[str, TaskKind] = {}


def declare(name: str, queue: str) -> TaskKind:
    """Declare a task kind; a second declaration of a name or an unknown queue is an error."""
    if queue not in QUEUES:
        raise ValueError(f"task {name!r}: unknown queue {queue!r} (queues: {', '.join(QUEUES)})")
    if name in _DECLARED:
        raise ValueError(f"task {name!r} is declared twice")
    kind = _DECLARED[name] = TaskKind(name, queue)
    return kind


def kind_named(name: str) -> TaskKind:
    """The declared kind called ``name``; UnknownTask otherwise."""
    try:
        return _DECLARED[name]
    except KeyError:
        raise UnknownTask(f"unknown task {name!r}: declare it in backend/tasks/kinds.py") from None


def declared() -> tuple[TaskKind, ...]:
    return tuple(_DECLARED.values())


PING = declare("ping", DEFAULT_QUEUE)
CLEANUP = declare("cleanup_old_results", DEFAULT_QUEUE)
REAPER = declare("reap_stuck_tasks", DEFAULT_QUEUE)
PARSE_STATEMENT = declare("parse_pdf_async", "pdf_processing")
EXTRACT_INVOICE = declare("extract_invoice_metadata_async", "pdf_processing")
CATEGORIZE = declare("bulk_categorize_async", "bulk_operations")
REPORT = declare("generate_report_async", "reports")
DELIVER_WEBHOOK = declare("deliver_webhook", "webhooks")
SWEEP_WEBHOOKS = declare("sweep_webhook_deliveries", DEFAULT_QUEUE)
# Beat's safety net for batches whose last item ended outside a worker's task run
# (a cancel, the reaper): finishes them and moves their pipelines on (backend/tasks/batches.py).
FINISH_BATCHES = declare("finish_batches", DEFAULT_QUEUE)
