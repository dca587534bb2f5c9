"""Log lines as text or JSON (LOG_FORMAT), tagged with the request and task they belong to.

A request id comes in with an HTTP request (a valid ``X-Request-ID`` header, or one made
here), goes back in the response's ``X-Request-ID`` header, and travels with every task
that request submits (a header of the Celery message), so that one grep for it finds the
API's lines and the worker's lines of the same piece of work. ``request_id_var`` and
``task_id_var`` hold them for whatever runs on behalf of that request or task; the
JSON formatter writes them into each line.

With LOG_FORMAT=json every line is one JSON object:
``{"time", "level", "logger", "message", "request_id"?, "task_id"?, "exc_info"?}``.
Whatever the format, every handler of the API and of the Celery processes blanks what
looks like a secret in a message, a traceback or a stack (``RedactSecrets``): bearer
tokens, JWTs, passwords in URLs or ``password=...``, PostgreSQL's DETAIL and CONTEXT
lines, which quote the row at fault ("Key (email)=(...) already exists"), the value its
main line quotes ('invalid input syntax for type integer: "..."') and its LINE (the query,
with the parameters psycopg2 wrote into it). A library's error text may carry one even
though the platform never logs one on purpose.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections import OrderedDict
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

REQUEST_ID_HEADER = "X-Request-ID"
# The Celery message header that carries the request id into the task.
REQUEST_ID_MESSAGE_HEADER = "ledgerflow_request_id"
# A client's id is kept only if it is short and plain, so that it cannot forge log lines
# or fill them; anything else is replaced by one made here.
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")

request_id_var: ContextVar[str | None] = ContextVar("ledgerflow_request_id", default=None)
task_id_var: ContextVar[str | None] = ContextVar("ledgerflow_task_id", default=None)

REDACTED = "[redacted]"
# A value PostgreSQL quotes in its message: '"..."', printed as it came, quotes and line
# breaks in it included. So it ends at a quote after which the message goes on (a line
# break, as one or as "\n" in an exception's repr, then its LINE, DETAIL, HINT or CONTEXT, a
# blank line before SQLAlchemy's "[SQL: ...]", or the end), else at the first quote that
# ends a line, else with its line.
_PG_QUOTED_VALUE = (
    r'"(?:(?s:.*?)"(?=(?:\\n|\n)(?:LINE \d+:|DETAIL:|HINT:|CONTEXT:|\\n|\n|$|\'\)))'
    r'|[^\n]*?"(?=\\n|\n|$)|[^\n]*)'
)
_SECRETS: tuple[tuple[re.Pattern[str], str], ...] = (
    # A JSON Web Token (the API's bearer tokens): three base64url parts, the first "eyJ".
    (re.compile(r"\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"), REDACTED),
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+"), rf"\1 {REDACTED}"),
    # scheme://user:password@host
    (re.compile(r"(://[^/\s:@]*:)[^@\s/]+@"), rf"\1{REDACTED}@"),
    # password=..., "token": "...", secret: ...
    (re.compile(r"(?i)\b([a-z_]*(?:password|passwd|secret|token)[a-z_]*)(['\"]?\s*[=:]\s*['\"]?)"
                r"[^\s'\",&;}]+"), rf"\1\2{REDACTED}"),
    # PostgreSQL's DETAIL and CONTEXT quote the row or value at fault: "Key (email)=(a@b.c)
    # already exists", "Failing row contains (...)", "COPY transactions, line 3, column
    # description: ...", another user's data maybe, which hide_parameters (the statement's
    # parameters) does not cover. Each ends with its line, or at a "\n" as an exception's
    # repr writes it (Celery's "raised unexpected: IntegrityError('...\nDETAIL: ...')").
    # No \b before it: in a repr the "n" of a "\n" precedes it.
    (re.compile(r"(DETAIL|CONTEXT):[^\n]*?(?=\\n|\n|$)"), rf"\1: {REDACTED}"),
    # PostgreSQL's main line quotes the value it refused: 'invalid input syntax for type
    # integer: "..."', 'value "..." is out of range for type bigint', 'time zone "..." not
    # recognized', 'invalid value "..." for "YYYY"'; the identifiers it quotes (a column, a
    # constraint, a type) are the schema's and stay.
    (re.compile(r"((?:invalid input (?:syntax|value) for[^:\n\"]*|malformed [a-z]+ literal"
                r"|field value out of range|invalid hexadecimal digit): )" + _PG_QUOTED_VALUE),
     rf"\1{REDACTED}"),
    (re.compile(r"((?<![A-Za-z])(?:value|invalid value|time zone|unit|at or near) )"
                r"\"(?s:.*?)\"(?= is out of range| for \"| not recognized|\\n|\n|$)"),
     rf"\1{REDACTED}"),
    (re.compile(r'(invalid byte sequence for encoding "[^"\n]*": )[^\n]*?(?=\\n|\n|$)'),
     rf"\1{REDACTED}"),
    # Its LINE quotes the query at fault, with the values in it: psycopg2 writes the
    # parameters into the query's text (hide_parameters hides only SQLAlchemy's copy).
    (re.compile(r"(LINE \d+: )[^\n]*?(?=\\n|\n|$)"), rf"\1{REDACTED}"),
)


def redact(text: str) -> str:
    """``text`` with what looks like a secret replaced by [redacted]."""
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


def valid_request_id(value: str | None) -> bool:
    return value is not None and _VALID_REQUEST_ID.fullmatch(value) is not None


def new_request_id() -> str:
    return uuid.uuid4().hex


def _task_id_in(record: logging.LogRecord) -> str | None:
    """The task id a Celery line names in its arguments ("Task x[id] received")."""
    if record.name.startswith("celery.") and isinstance(record.args, dict):
        task_id = record.args.get("id")
        return task_id if isinstance(task_id, str) else None
    return None


# The request ids of the tasks a worker's main process received lately: its lines name a
# task ("Task x[id] received") outside the task's own context, as it handles many at once.
_request_id_of_task: OrderedDict[str, str] = OrderedDict()
REMEMBERED_TASKS = 10_000


def remember_request_id(task_id: str, request_id: str) -> None:
    """Note the request id of a task whose lines are written outside its context."""
    _request_id_of_task[task_id] = request_id
    while len(_request_id_of_task) > REMEMBERED_TASKS:
        _request_id_of_task.popitem(last=False)


class RedactSecrets(logging.Filter):
    """A handler's filter: the record's message, traceback and stack with what ``redact``
    blanks, before any formatter (text or JSON) writes them. On the handler, not on a
    logger: it sees every record written, whichever logger it propagated from."""

    _TRACEBACKS = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        safe = redact(message)
        if safe != message:
            # The JSON formatter finds a Celery line's task id in its arguments, gone now.
            record.__dict__["task_id"] = getattr(record, "task_id", None) or _task_id_in(record)
            record.msg, record.args = safe, None
        if record.exc_info and not record.exc_text:
            # The formatters write exc_text when it is set (logging.Formatter caches it there).
            record.exc_text = self._TRACEBACKS.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        data = record.__dict__.get("data")  # Celery's ``extra``: its failure line's context
        if isinstance(data, dict):
            record.__dict__["data"] = {key: redact(value) if isinstance(value, str) else value
                                       for key, value in data.items()}
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record (see the module docstring); ``RedactSecrets`` on its
    handler has blanked the secrets."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        task_id = getattr(record, "task_id", None) or task_id_var.get() or _task_id_in(record)
        request_id = (getattr(record, "request_id", None) or request_id_var.get()
                      or (_request_id_of_task.get(task_id) if task_id else None))
        if request_id:
            entry["request_id"] = request_id
        if task_id:
            entry["task_id"] = task_id
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)  # logging.Formatter's cache
        if record.exc_text:
            entry["exc_info"] = record.exc_text
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def secure_handlers(logger: logging.Logger, log_format: str) -> None:
    """Every handler of ``logger``: secrets blanked (``RedactSecrets``, once), and JSON
    lines when ``log_format`` is "json"."""
    for handler in logger.handlers:
        if not any(isinstance(known, RedactSecrets) for known in handler.filters):
            handler.addFilter(RedactSecrets())
        if log_format == "json":
            handler.setFormatter(JsonFormatter())


# The loggers uvicorn sets up with handlers of their own (the access log does not propagate).
UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")


class AccessLineWithoutQuery(logging.Filter):
    """uvicorn's access lines with their query strings cut to ``?…``: a search (``q=``),
    a merchant or an amount filtered on is the user's data."""

    def filter(self, record: logging.LogRecord) -> bool:
        # uvicorn's access record: (client address, method, path with query, HTTP version, status).
        args = record.args
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
            path, query_follows, _query = args[2].partition("?")
            if query_follows:
                record.args = (args[0], args[1], f"{path}?…", *args[3:])
        return True


def configure_api_logging(log_format: str) -> None:
    """The API process's logging: INFO to stderr, as text or JSON, secrets blanked; access
    lines without their query strings."""
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(known, AccessLineWithoutQuery) for known in access.filters):
        access.addFilter(AccessLineWithoutQuery())
    if log_format == "json":
        logging.basicConfig(level=logging.INFO, handlers=[logging.StreamHandler()], force=True)
    else:
        logging.basicConfig(level=logging.INFO)
    for logger in (logging.getLogger(), *map(logging.getLogger, UVICORN_LOGGERS)):
        secure_handlers(logger, log_format)
