"""Submitting work: the task_status row first, then the message with the same task id."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, cast

from amqp.exceptions import AMQPError, MessageNacked
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError
from sqlalchemy import Connection, Engine, Insert, Integer, Select, Table, bindparam, insert, select

from backend.db import one_statement, prepared, serialized_by
from backend.models import TaskState, TaskStatus, User, utcnow
from backend.services import task_records
from backend.tasks.app import celery_app
from backend.tasks.arguments import monitoring_repr
from backend.tasks.kinds import kind_named
from backend.tasks.logs import message_headers

logger = logging.getLogger(__name__)


_USERS = cast(Table, User.__table__)
_TASKS = cast(Table, TaskStatus.__table__)


# Records a submit's answer in the transaction that records its work (the API's
# Idempotency-Key, claimed with its answer: backend/api/submitting.py); may raise to
# roll the work back.
RecordAnswer = Callable[[Connection, dict[str, Any]], None]


def nothing_to_record(_conn: Connection, _answer: dict[str, Any]) -> None:
    """The ``RecordAnswer`` of a submit without an Idempotency-Key."""


class QueueUnavailable(Exception):
    """The broker could not be reached; nothing was queued and no row was kept."""


class NotAdmitted(Exception):
    """The submit's ``ActiveTaskCap`` refused it; nothing was recorded or sent."""


# The class of the active-task cap's lock (PostgreSQL's pg_advisory_xact_lock(int4, int4),
# the user's id its key): a constant no other advisory lock of the database uses ("LFCA").
CAP_LOCK_CLASS = 0x4C46_4341
_CAP_USER, _CAP_LIMIT = "cap_user_id", "cap_limit"


@dataclass(frozen=True)
class ActiveTaskCap:
    """Who may submit: a user who exists and is active, with fewer than ``limit`` tasks
    not final yet (task names in ``not_counted`` aside).

    A single task is checked by the INSERT of its row itself (``record_task``), so that
    a submit costs one statement and one pooled connection, and a user disabled or
    deleted a moment ago is refused by that very statement; several recorded together
    (a batch) by ``admit`` in their transaction. Exact when a user's submits arrive at
    the same instant: on PostgreSQL each check takes the user's cap lock first
    (``serialized_by``: in the same round trip, held until its transaction commits), so
    it counts every task a submit admitted before it; on SQLite the write lock does that.
    """

    limit: int
    not_counted: frozenset[str] = frozenset()

    def admit(self, conn: Connection, user_id: int, new_tasks: int) -> None:
        """In the transaction that will record ``new_tasks`` tasks of the user, before it
        writes anything: NotAdmitted unless the user exists, is active and has room for
        them all. On PostgreSQL the cap's lock is held from here until that transaction
        ends, so that no other submit of the user counts in between."""
        row = conn.execute(_standing(self.not_counted, serialized=True), {_CAP_USER: user_id}).first()
        if row is None or not row[0] or row[1] + new_tasks > self.limit:
            raise NotAdmitted()


def user_standing(engine: Engine, user_id: int, not_counted: frozenset[str]) -> int | None:
    """How many tasks the user has that are not final yet (as ``ActiveTaskCap`` counts
    them); None for a user who is gone or not active."""
    with engine.connect() as conn:
        row = conn.execute(_standing(not_counted, serialized=False), {_CAP_USER: user_id}).first()
    if row is None or not row[0]:
        return None
    return int(row[1])


@lru_cache
def _standing(not_counted: frozenset[str], serialized: bool) -> Select[bool, int]:
    """SELECT users.is_active, (the user's unfinished tasks) FROM users WHERE users.id =
    :user; ``serialized``: after the cap's lock (``ActiveTaskCap.admit``)."""
    user = bindparam(_CAP_USER, type_=_USERS.c.id.type)
    standing = select(_USERS.c.is_active, task_records.active_count(user, not_counted)).where(
        _USERS.c.id == user
    )
    return serialized_by(standing, CAP_LOCK_CLASS, _CAP_USER) if serialized else standing


def submit_task(
    engine: Engine,
    user_id: int,
    task_name: str,
    kwargs: dict[str, Any] | None = None,
    file_path: str | None = None,
    task_id: str | None = None,
    schedule_id: int | None = None,
    batch_id: int | None = None,
    cap: ActiveTaskCap | None = None,
    alongside: Callable[[Connection, str], None] | None = None,
) -> str:
    """Record a PENDING task for ``user_id`` and enqueue it; returns its task id.

    ``task_id`` may be chosen by the caller (for an output file named after it);
    ``schedule_id`` marks a run that a schedule started (``backend/tasks/scheduler.py``),
    ``batch_id`` an item or pipeline step of a batch (``backend/tasks/batches.py``).

    The row is committed before the message is sent so that a fast worker always
    finds it; if the broker refuses the message the row is deleted again. ``kwargs``
    must fit the kind's argument model (see ``record_task``). With a ``cap`` the row is
    written only if the cap admits the user (NotAdmitted otherwise). ``alongside(conn,
    task_id)`` writes what must commit or roll back with the row (an Idempotency-Key
    claimed with its answer) in the same transaction, after the row (whose INSERT checks
    the user first); it may raise to write nothing.
    """
    kwargs = kind_named(task_name).new_kwargs(kwargs or {})
    task_id = task_id or str(uuid.uuid4())
    # The row alone is one statement (``record_task``): its own transaction.
    with engine.begin() if alongside is not None else one_statement(engine) as conn:
        task_id = record_task(
            conn, user_id, task_name, kwargs, file_path=file_path, task_id=task_id,
            schedule_id=schedule_id, batch_id=batch_id, cap=cap,
        )
        if alongside is not None:
            alongside(conn, task_id)
    try:
        dispatch(task_name, task_id, kwargs)
    except QueueUnavailable:
        task_records.delete_records(engine, [task_id])
        raise
    return task_id


def record_task(
    conn: Connection,
    user_id: int,
    task_name: str,
    kwargs: dict[str, Any] | None = None,
    *,
    file_path: str | None = None,
    task_id: str | None = None,
    schedule_id: int | None = None,
    batch_id: int | None = None,
    cap: ActiveTaskCap | None = None,
) -> str:
    """Insert a task's PENDING row in the caller's transaction (one statement); returns
    its task id.

    For work recorded together (a batch's items): send each message with ``dispatch``
    once the transaction committed. A message that cannot be sent then is re-sent by
    the reaper (the row waits PENDING), as one lost by the broker would be.

    ``kwargs`` are checked against the kind's argument model (``backend/tasks/arguments.py``):
    an unknown or missing key is a bug in the caller and raises ``pydantic.ValidationError``
    here, before anything is stored (UnknownTask for an undeclared name).

    With a ``cap`` the row is inserted only if the cap admits the user, in the same
    statement (INSERT ... SELECT ... FROM users WHERE ...): NotAdmitted when it does not.
    """
    kind = kind_named(task_name)
    stored = kind.new_kwargs(kwargs or {})
    task_id = task_id or str(uuid.uuid4())
    now = utcnow()
    row: dict[str, Any] = dict(
        task_id=task_id,
        user_id=user_id,
        task_name=task_name,
        queue=kind.queue,
        status=TaskState.PENDING.value,
        progress_percent=0,
        kwargs=stored,
        attempts=0,
        file_path=file_path,
        created_at=now,
        updated_at=now,
        dispatched_at=now,
        schedule_id=schedule_id,
        batch_id=batch_id,
    )
    if cap is None:
        conn.execute(prepared(insert(TaskStatus).values(row)))
        return task_id
    admitted = conn.execute(
        _capped_insert(tuple(row), cap.not_counted), {**row, _CAP_USER: user_id, _CAP_LIMIT: cap.limit}
    )
    if admitted.rowcount == 0:
        raise NotAdmitted()
    return task_id


@lru_cache
def _capped_insert(columns: tuple[str, ...], not_counted: frozenset[str]) -> Insert:
    """INSERT INTO task_status (columns) SELECT :task_id, ... FROM users WHERE users.id = :user
    AND users.is_active AND (the user's unfinished tasks) < :limit, after the cap's lock
    (``ActiveTaskCap``).

    Built once with bound parameters: SQLAlchemy then reuses its compiled form, where
    building the statement per submit cost a third of the submit's CPU (profile in
    docs/performance.md).
    """
    user = bindparam(_CAP_USER, type_=_USERS.c.id.type)
    chosen = select(
        *(bindparam(name, type_=_TASKS.c[name].type).label(name) for name in columns)
    ).where(
        _USERS.c.id == user,
        _USERS.c.is_active.is_(True),
        task_records.active_count(user, not_counted) < bindparam(_CAP_LIMIT, type_=Integer()),
    )
    return serialized_by(
        prepared(insert(TaskStatus).from_select(columns, chosen)), CAP_LOCK_CLASS, _CAP_USER
    )


def dispatch(task_name: str, task_id: str, kwargs: dict[str, Any]) -> None:
    """Send the message of a task whose row exists; QueueUnavailable when the broker is away.

    The one way a message leaves the platform: the API's submits and the reaper's
    re-sends alike (same routing, same task id, so the row's transitions dedupe runs).
    """
    try:
        # The result is written to the row; nobody waits on the result backend.
        celery_app.send_task(
            task_name, kwargs=kwargs, task_id=task_id, queue=kind_named(task_name).queue,
            ignore_result=True, kwargsrepr=monitoring_repr(kwargs),
            # The request id of the API call (or task) that sends it, for the task's log lines.
            headers=message_headers(),
        )
    except (BrokerError, RedisError, OSError, AMQPError, MessageNacked) as exc:
        # AMQPError, MessageNacked: RabbitMQ refused the message or did not confirm it.
        logger.error("Could not enqueue %s: %s", task_name, exc)
        raise QueueUnavailable() from exc
