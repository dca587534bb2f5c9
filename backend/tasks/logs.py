"""The worker's log: task results kept out of it (they hold balances and account digits), and
so are the messages of input refusals (they quote the document), the task messages Celery
writes at DEBUG (their arguments), the document readers' DEBUG lines (the text they read);
the chores beat sends every few seconds at DEBUG, secrets blanked, JSON lines when
LOG_FORMAT=json, and each task's lines tagged with its task id and the request id that its
message carries (backend/logs.py)."""

from __future__ import annotations

import logging
from typing import Any

from celery import Task
from celery.signals import after_setup_logger, after_setup_task_logger, task_postrun, task_prerun

from backend.config import get_settings
from backend.logs import (
    REQUEST_ID_MESSAGE_HEADER,
    remember_request_id,
    request_id_var,
    secure_handlers,
    task_id_var,
    valid_request_id,
)

# The logger Celery writes "Task x[id] succeeded in 0.5s: <return value>" to.
CELERY_TRACE_LOGGER = "celery.app.trace"
# Where the worker writes "Task x[id] received", and beat "Sending due task entry (x)".
CELERY_RECEIVED_LOGGER = "celery.worker.strategy"
CELERY_BEAT_LOGGER = "celery.beat"
# Where the worker writes, at DEBUG, "TaskPool: Apply <function> (args:... kwargs:...)": the
# task's whole message, its arguments too (an upload's file name, a categorization's rules).
CELERY_POOL_LOGGER = "celery.pool"
HIDDEN_MESSAGE = "<the task's message>"
# Libraries whose DEBUG lines quote the document they read (pdfminer: "nextline: 9, b'...'",
# the statement's text): they stay at INFO whatever the worker's level.
DOCUMENT_READERS = ("pdfminer", "pdfplumber")
HIDDEN = "<result stored in task_status>"
# An input refusal's message quotes the document (an amount its decimal hint misreads, one
# past what a column holds, a date its date_order misreads): the user reads it in the
# task's error_message; the log names only the exception's class.
HIDDEN_REFUSAL = "(<message stored in task_status>)"
# Celery's description of a failure line for an exception in the task's ``throws``.
_EXPECTED = "raised expected"


class HideTaskResults(logging.Filter):
    """Replaces the return value in Celery's success line, and the message of an input
    refusal in its failure line; every other record passes as is."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, dict) and "return_value" in record.args:
            record.args = {**record.args, "return_value": HIDDEN}
        if isinstance(record.args, dict) and record.args.get("description") == _EXPECTED:
            hidden = str(record.args.get("exc", "")).split("(", 1)[0] + HIDDEN_REFUSAL
            record.args = {**record.args, "exc": hidden}
            data = record.__dict__.get("data")  # Celery's ``extra``, the same context again
            if isinstance(data, dict):
                record.__dict__["data"] = {**data, "exc": hidden}
        return True


class HideTaskMessages(logging.Filter):
    """Replaces the message (arguments included) in the pool's DEBUG "TaskPool: Apply" line;
    the line itself stays, and the task's name and id are in its "received" line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and len(record.args) == 3:
            record.args = (record.args[0], HIDDEN_MESSAGE, HIDDEN_MESSAGE)
        return True


class QuietChores(logging.Filter):
    """Makes Celery's INFO lines about the quiet chores' runs (received, succeeded, sent by
    beat) DEBUG lines: beat sends one every few seconds, and at INFO they were most of the
    log. Their warnings and errors, and the chores' own lines, pass as they are."""

    def __init__(self, task_names: frozenset[str]) -> None:
        super().__init__()
        self.task_names = task_names

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno != logging.INFO or _task_named(record) not in self.task_names:
            return True
        record.levelno, record.levelname = logging.DEBUG, logging.getLevelName(logging.DEBUG)
        return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)


def _task_named(record: logging.LogRecord) -> object:
    """The task a line of Celery's is about: the worker's lines carry their context as a
    dict (``name``); beat's "Sending due task %s (%s)" the entry and the task name."""
    if isinstance(record.args, dict):
        return record.args.get("name")
    if record.name == CELERY_BEAT_LOGGER and isinstance(record.args, tuple) and len(record.args) == 2:
        return record.args[1]
    return None


def install_log_filters(quiet_tasks: frozenset[str]) -> None:
    """Install the filters on Celery's loggers (idempotent): results and messages hidden,
    and the lines about ``quiet_tasks`` (``backend/tasks/kinds.py``) at DEBUG; the document
    readers' loggers at INFO."""
    for name, hiding in ((CELERY_TRACE_LOGGER, HideTaskResults), (CELERY_POOL_LOGGER, HideTaskMessages)):
        logger = logging.getLogger(name)
        if not any(isinstance(existing, hiding) for existing in logger.filters):
            logger.addFilter(hiding())
    for name in DOCUMENT_READERS:
        logging.getLogger(name).setLevel(logging.INFO)
    for name in (CELERY_TRACE_LOGGER, CELERY_RECEIVED_LOGGER, CELERY_BEAT_LOGGER):
        logger = logging.getLogger(name)
        if not any(isinstance(existing, QuietChores) for existing in logger.filters):
            logger.addFilter(QuietChores(quiet_tasks))


# ------------------------------------------------- JSON lines and the request id in tasks


def message_headers() -> dict[str, str]:
    """The message headers that carry the current request id into a task (see backend/logs.py)."""
    request_id = request_id_var.get()
    return {REQUEST_ID_MESSAGE_HEADER: request_id} if request_id else {}


def note_request_id(task_id: str | None, request_dict: dict[str, Any]) -> None:
    """In the worker's main process: remember a received task's request id for its lines."""
    request_id = request_dict.get(REQUEST_ID_MESSAGE_HEADER)
    if task_id and isinstance(request_id, str) and valid_request_id(request_id):
        remember_request_id(task_id, request_id)


@after_setup_logger.connect
@after_setup_task_logger.connect
def _secure_lines(logger: logging.Logger, **_kwargs: Any) -> None:
    # Celery has just given the worker's (or beat's) loggers their handlers.
    secure_handlers(logger, get_settings().log_format)


@task_prerun.connect
def _enter_task(task_id: str, task: Task, **_kwargs: Any) -> None:
    request_id = task.request.get(REQUEST_ID_MESSAGE_HEADER)
    task_id_var.set(task_id)
    # A task that submits more work passes its request id on (dispatch reads it here).
    request_id_var.set(request_id if isinstance(request_id, str) and valid_request_id(request_id)
                       else None)


@task_postrun.connect
def _leave_task(**_kwargs: Any) -> None:
    task_id_var.set(None)
    request_id_var.set(None)
