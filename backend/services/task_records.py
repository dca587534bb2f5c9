"""State transitions of ``task_status`` rows, in one place for the API and the workers.

Every transition is one conditional UPDATE, so a late or duplicated event (a
redelivered message, a cancel racing a finish) can never move a final task back.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    BindParameter,
    Column,
    ColumnElement,
    Connection,
    Engine,
    Integer,
    Row,
    ScalarSelect,
    String,
    Table,
    Text,
    Update,
    and_,
    bindparam,
    case,
    delete,
    func,
    literal_column,
    select,
    update,
)

from backend.db import first_row_alone, prepared
from backend.models import TaskState, TaskStatus, utcnow
from backend.services import webhooks
from backend.services.task_events import publish_change

_table = cast(Table, TaskStatus.__table__)
_ACTIVE = tuple(state.value for state in TaskState.unfinished())
_FINAL = tuple(state.value for state in TaskState.final())
# Sent and not running yet: what a worker may start.
_WAITING = (TaskState.PENDING.value, TaskState.RETRYING.value)
_IS_PROCESSING = _table.c.status == TaskState.PROCESSING.value


def _constant(name: str) -> ColumnElement[str]:
    """One of our own names (a state, a task kind) written into the SQL as a constant.

    Not a bound parameter: the planner then knows the value, so a prepared statement's
    plan made once for all executions (``backend/db.py`` ``prepared``) is as good as one
    made for each. Measured on the submit's capped INSERT: with its states as parameters
    PostgreSQL planned it anew at every execution (a generic plan could not know which
    states are rare); docs/performance.md, "Prepared task writes". Not SQLAlchemy's
    "expanding" IN either, which is rendered anew at every execution of a compiled
    statement (5 % of the worker's CPU when the lease and success used it).
    """
    if not _PLAIN_NAME.fullmatch(name):  # only names of ours, never anything to quote
        raise ValueError(f"not a plain name: {name!r}")
    return literal_column(f"'{name}'", String())


_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")


def _status_in(states: Collection[str]) -> ColumnElement[bool]:
    """``status IN ('PENDING', ...)``, its states SQL constants (``_constant``)."""
    return _table.c.status.in_([_constant(state) for state in states])


# A PROCESSING row without a worker holds no lease: its run handed it to other tasks (a long
# statement's parts, backend/tasks/statement_parts.py), which carry the leases and finish it.
_HANDED_OVER = _IS_PROCESSING & _table.c.worker.is_(None)
# What a transition returns: all that a final one tells the webhooks (services/webhooks.py),
# and whether the owner has any webhook (when not, the outbox needs no second statement).
_OUTCOME = (
    _table.c.task_id, _table.c.user_id, _table.c.task_name, _table.c.status,
    _table.c.result, _table.c.error_message, _table.c.completed_at,
    webhooks.exist_for(_table.c.user_id).label("has_webhooks"),
)


class StartOutcome(enum.Enum):
    TRACKED = "tracked"  # the row moved to PROCESSING: this run holds the lease
    UNTRACKED = "untracked"  # no row: sent outside the API (beat, health check, CLI)
    SKIP = "skip"  # cancelled or already final: do not run
    BUSY = "busy"  # another run holds a live lease (a duplicate delivery): come back later


@dataclass(frozen=True)
class Start:
    """What :func:`mark_processing` did, and for a TRACKED start the run's attempt number:
    with the node, the lease this run holds (a later run on the same node has another)."""

    outcome: StartOutcome
    attempt: int | None = None


class ProgressOutcome(enum.Enum):
    CONTINUE = "continue"
    CANCELLED = "cancelled"  # the owner asked the task to stop
    LEASE_LOST = "lease_lost"  # the row is no longer this run's (reclaimed, finished, removed)


def _lease_expired(cutoff: datetime | ColumnElement[datetime]) -> ColumnElement[bool]:
    heartbeat = _table.c.heartbeat_at
    return _IS_PROCESSING & _table.c.worker.is_not(None) & (
        heartbeat.is_(None) | (heartbeat < cutoff)
    )


# What a row's progress shows once it FAILED (the percent stays: how far it got), and while
# it waits to run again (RETRYING: the next run starts its work over, from 0 %).
FAILED_PROGRESS = "Failed"
CANCELLED_PROGRESS = "Cancelled"
RUN_AGAIN_PROGRESS = "Waiting to run again"


def lost_worker_message(times: int) -> str:
    """What the owner of a poison task reads once its worker died ``times`` times."""
    return (
        f"The worker processing this task died {times} times (out of memory or a crash), "
        "so it was stopped to protect the other tasks. The file may be too large or damaged."
    )


def _param(name: str, column: Column[Any]) -> BindParameter[Any]:
    """A bound parameter with ``column``'s type (UTC timestamps and JSON are converted)."""
    return bindparam(name, type_=column.type)


# The statements every task run executes (the lease, the success, progress writes) are
# built once, with what changes from run to run as bound parameters: building a statement
# and its key into SQLAlchemy's compiled cache cost more CPU than executing it (about
# 0.6 ms of the 1.6 ms per run that the two transitions took, docs/performance.md).
# Their parameters are named apart from the columns, which SQLAlchemy reserves in a SET.
_BY_ID = _table.c.task_id == bindparam("b_task_id")
_NOW = _param("b_now", _table.c.updated_at)


def _transition_statement(
    condition: ColumnElement[bool], returning: tuple[ColumnElement[Any], ...] = _OUTCOME,
    **values: Any,
) -> Update:
    """The conditional UPDATE of one task's row (``b_task_id``) that ``_transition`` runs."""
    return update(_table).where(_BY_ID, condition).values(**values).returning(*returning)


def _transition(
    engine: Engine, task_id: str, condition: ColumnElement[bool], **values: Any
) -> bool:
    """One conditional UPDATE of one task's row; True (and listeners told) when it applied."""
    return _run_transition(
        engine, task_id, _transition_statement(condition, **values), {},
        setting_status="status" in values,
    )


def _run_transition(
    engine: Engine, task_id: str, statement: Update, params: dict[str, Any], setting_status: bool
) -> bool:
    """Run a ``_transition_statement``; True (and listeners told) when it applied."""
    return _apply(engine, task_id, statement, params, setting_status) is not None


def _apply(
    engine: Engine, task_id: str, statement: Update, params: dict[str, Any], setting_status: bool
) -> Row[Any] | None:
    """Run a ``_transition_statement``; the row it returned (and listeners told), or None.

    Every condition here admits only unfinished rows, so a transition that sets a final
    status is the task's one final transition: its webhook deliveries are written in
    the same transaction (the outbox) and sent once it committed.
    """
    with engine.begin() as conn:
        row = conn.execute(statement, {"b_task_id": task_id, **params}).first()
        applied_status = row is not None and setting_status
        deliveries = webhooks.record_task_outcome(conn, row) if applied_status else []
    if row is not None:
        publish_change(task_id)
        webhooks.announce(deliveries)
    return row


_START = prepared(
    update(_table)
    .where(_BY_ID, _table.c.cancel_requested_at.is_(None))
    .where(
        _status_in(_WAITING)
        | _lease_expired(_param("b_lease_cutoff", _table.c.heartbeat_at))
    )
    .values(
        status=TaskState.PROCESSING.value,
        attempts=_table.c.attempts + 1,
        worker_losses=_table.c.worker_losses + case((_IS_PROCESSING, 1), else_=0),
        worker=bindparam("b_worker"),
        heartbeat_at=_NOW,
        started_at=_NOW,
        updated_at=_NOW,
        error_message=None,
    )
    .returning(_table.c.worker_losses, _table.c.attempts)
)


def mark_processing(
    engine: Engine, task_id: str, worker: str, lost_after_seconds: float, max_losses: int
) -> Start:
    """Take the task's lease and move it to PROCESSING, counting the attempt.

    A row that is PROCESSING under a lease nobody renewed for ``lost_after_seconds``
    belonged to a run whose worker died: taking it over counts a worker loss, and the
    ``max_losses``-th loss ends the task FAILED instead of running it again. The lease is
    the node *and* the attempt number returned: the run's own writes name both, so a run
    whose lease another run took (on another node or on this one) is told so.
    """
    now = utcnow()
    row = first_row_alone(engine, _START, {
        "b_task_id": task_id, "b_now": now, "b_worker": worker,
        "b_lease_cutoff": now - timedelta(seconds=lost_after_seconds),
    })
    if row is None:
        # Why not (rare: a duplicate, a cancel, an unknown task). Read after the UPDATE, as
        # in one READ COMMITTED transaction: each statement sees what committed before it.
        with engine.connect() as conn:
            current = conn.execute(
                select(_table.c.status, _table.c.cancel_requested_at).where(
                    _table.c.task_id == task_id
                )
            ).first()
    if row is not None:
        if row["worker_losses"] >= max_losses:
            mark_failed(engine, task_id, lost_worker_message(row["worker_losses"]))
            return Start(StartOutcome.SKIP)
        publish_change(task_id)
        return Start(StartOutcome.TRACKED, row["attempts"])
    if current is None:
        return Start(StartOutcome.UNTRACKED)
    if current.cancel_requested_at is not None and revoke_unheld(
        engine, task_id, lost_after_seconds
    ):
        # Its owner asked to stop it and whoever ran it did not get to say so (its worker
        # died): the cancel is what the owner gets, never a task stuck half-cancelled.
        return Start(StartOutcome.SKIP)
    # A run still holds it (a live lease, or handed over to its parts), cancelled or not:
    # this copy must not run, nor say REVOKED while that run goes on. It looks again later
    # and finds the task final once that run stopped, or takes over if its worker dies.
    leased = current.status == TaskState.PROCESSING.value
    return Start(StartOutcome.BUSY if leased else StartOutcome.SKIP)


# A run's lease, the one condition of every write that only the run holding it may make:
# the row is PROCESSING under its node (``b_worker``) and attempt (``b_attempt``, from
# mark_processing; a later run on the same node has another). ``b_attempt`` None: a caller
# that does not know the run's attempt (the worker's main process that saw a pool process
# die, a node known gone), matched on the node alone.
_ON_NODE = _IS_PROCESSING & (_table.c.worker == bindparam("b_worker"))
_ATTEMPT = bindparam("b_attempt", type_=Integer)
_HELD = _ON_NODE & (_ATTEMPT.is_(None) | (_table.c.attempts == _ATTEMPT))

_PROGRESS = prepared(
    update(_table)
    .where(_BY_ID, _HELD)
    .values(
        progress_percent=bindparam("b_percent"), progress_message=bindparam("b_message"),
        updated_at=_NOW, heartbeat_at=_NOW,
    )
    .returning(_table.c.cancel_requested_at)
)


def record_progress(
    engine: Engine, task_id: str, worker: str, percent: int, message: str | None,
    attempt: int | None = None,
) -> ProgressOutcome:
    """Store the progress of this worker's run (renewing its lease) and say what to do next.

    ``attempt`` (from :func:`mark_processing`) makes it this run's lease and not just the
    node's: a copy that took an expired lease on the same node is another run.
    """
    with engine.begin() as conn:
        row = conn.execute(_PROGRESS, {
            "b_task_id": task_id, "b_worker": worker, "b_attempt": attempt, "b_now": utcnow(),
            "b_percent": percent, "b_message": message,
        }).first()
    if row is None:
        return ProgressOutcome.LEASE_LOST
    publish_change(task_id)
    return ProgressOutcome.CONTINUE if row.cancel_requested_at is None else ProgressOutcome.CANCELLED


# The node's heartbeat renews every lease it holds, whichever attempt.
_RENEW = (
    update(_table)
    .where(_table.c.task_id.in_(bindparam("b_task_ids", expanding=True)), _ON_NODE)
    .values(heartbeat_at=_NOW)
)


def renew_leases(engine: Engine, worker: str, task_ids: list[str]) -> int:
    """The worker's heartbeat: stamp the rows of the tasks it is running right now."""
    if not task_ids:
        return 0
    with engine.begin() as conn:
        return conn.execute(
            _RENEW, {"b_task_ids": task_ids, "b_worker": worker, "b_now": utcnow()}
        ).rowcount


_HAND_OVER = (
    update(_table)
    .where(_BY_ID, _HELD)
    .values(worker=None, heartbeat_at=None, progress_message=bindparam("b_message"), updated_at=_NOW)
)


def hand_over(
    conn: Connection, task_id: str, worker: str, attempt: int | None, message: str
) -> bool:
    """This worker's run hands its task to other tasks and ends without finishing it.

    Only from the run that holds the lease (``worker``, ``attempt``). The row stays
    PROCESSING without a lease (``worker`` cleared), so neither the reaper nor a
    redelivered message runs it again; the tasks it was handed to report its progress
    (:func:`record_handed_over_progress`) and finish it. In the caller's transaction, the
    one that records those tasks; call ``publish_change`` once it committed.
    """
    return conn.execute(_HAND_OVER, {
        "b_task_id": task_id, "b_worker": worker, "b_attempt": attempt, "b_message": message,
        "b_now": utcnow(),
    }).rowcount == 1


def record_handed_over_progress(
    engine: Engine, task_id: str, percent: int, message: str | None
) -> bool:
    """Progress of a handed-over task, from the tasks doing its work (never going back);
    False when its owner cancelled it or it ended meanwhile (the work should stop)."""
    with engine.begin() as conn:
        moved = conn.execute(
            update(_table)
            .where(_table.c.task_id == task_id, _HANDED_OVER, _table.c.progress_percent < percent)
            .values(progress_percent=percent, progress_message=message, updated_at=utcnow())
        ).rowcount
        current = conn.execute(
            select(_table.c.cancel_requested_at).where(_table.c.task_id == task_id, _HANDED_OVER)
        ).first()
    if moved:
        publish_change(task_id)
    return current is not None and current.cancel_requested_at is None


def _before_last_step(helper_ids: list[str], percent: int) -> ColumnElement[bool]:
    """A handed-over task every one of whose ``helper_ids`` succeeded and whose last step
    (set up at ``percent``, above what its helpers report) nobody has claimed yet."""
    helpers = _table.alias("helpers")
    succeeded = (
        select(func.count())
        .select_from(helpers)
        .where(helpers.c.task_id.in_(helper_ids), helpers.c.status == TaskState.SUCCESS.value)
        .scalar_subquery()
    )
    return _HANDED_OVER & (_table.c.progress_percent < percent) & (succeeded == len(helper_ids))


def claim_last_step(
    conn: Connection, task_id: str, helper_ids: list[str], percent: int, message: str
) -> bool:
    """Once every one of ``helper_ids`` succeeded, move the handed-over task to ``percent``
    (above what its helpers report): true for exactly one caller, whichever helper ended
    last, which then records the task's last step (a statement's merge) in the same
    transaction. Not for a task whose cancel was requested (:func:`revoke_before_last_step`).
    Call ``publish_change`` once it committed.
    """
    return conn.execute(
        update(_table)
        .where(_table.c.task_id == task_id, _table.c.cancel_requested_at.is_(None))
        .where(_before_last_step(helper_ids, percent))
        .values(progress_percent=percent, progress_message=message, updated_at=utcnow())
    ).rowcount == 1


def revoke_before_last_step(
    engine: Engine, task_id: str, helper_ids: list[str], percent: int
) -> bool:
    """REVOKED for a handed-over task whose owner cancelled it after every one of
    ``helper_ids`` succeeded, before its last step was claimed (:func:`claim_last_step`).

    Nothing runs it then: its helpers ended before they could see the cancel, and no last
    step exists. The work is not done either (a statement is saved by its merge), so the
    cancel is what the owner gets, as for a cancel that a running merge sees.
    """
    now = utcnow()
    return _transition(
        engine, task_id, _CANCELLED & _before_last_step(helper_ids, percent),
        status=TaskState.REVOKED.value, updated_at=now, completed_at=now,
        progress_message=CANCELLED_PROGRESS,
    )


# A run that ended with its worker: counted, and FAILED at the ceiling (``b_max_losses``,
# when the owner reads ``b_ceiling_message``), else RETRYING with ``b_message``. A task
# whose owner asked to cancel it is REVOKED instead: its run is gone, so the cancel is
# done, and sending it again would only have the next copy record it, if any copy came
# (the terminate's broadcast puts its id in the surviving workers' revoked sets, which
# discard the message).
_CANCELLED = _table.c.cancel_requested_at.is_not(None)
_AT_CEILING = _table.c.worker_losses + 1 >= bindparam("b_max_losses", type_=Integer)
_ENDS = _CANCELLED | _AT_CEILING
_LOST_RUN = update(_table).values(
    worker_losses=_table.c.worker_losses + 1,
    status=case(
        (_CANCELLED, TaskState.REVOKED.value), (_AT_CEILING, TaskState.FAILED.value),
        else_=TaskState.RETRYING.value,
    ),
    error_message=case(
        (_CANCELLED, _table.c.error_message),
        (_AT_CEILING, bindparam("b_ceiling_message", type_=Text)),
        else_=bindparam("b_message", type_=Text),
    ),
    completed_at=case((_ENDS, _NOW), else_=None),
    progress_percent=case((_ENDS, _table.c.progress_percent), else_=0),
    progress_message=case(
        (_CANCELLED, CANCELLED_PROGRESS), (_AT_CEILING, FAILED_PROGRESS),
        else_=RUN_AGAIN_PROGRESS,
    ),
    worker=None,
    heartbeat_at=None,
    dispatched_at=_NOW,
    updated_at=_NOW,
).returning(*_OUTCOME)
# The run holding the lease is lost (its process died, or its node is gone) / nobody
# renewed the lease since ``b_lease_cutoff``.
_RELEASE_HELD = _LOST_RUN.where(_BY_ID, _HELD)
_RELEASE_EXPIRED = _LOST_RUN.where(
    _BY_ID, _lease_expired(_param("b_lease_cutoff", _table.c.heartbeat_at))
)


def _release(
    engine: Engine, task_id: str, statement: Update, max_losses: int, message: str,
    **params: Any,
) -> TaskState | None:
    """Run ``_RELEASE_HELD`` or ``_RELEASE_EXPIRED``: the new state, None when it did not apply.

    FAILED at the ceiling of worker losses, or REVOKED for a task whose cancel was
    requested, is the task's final transition (webhooks).
    """
    row = _apply(engine, task_id, statement, {
        "b_now": utcnow(), "b_max_losses": max_losses, "b_message": message,
        "b_ceiling_message": lost_worker_message(max_losses), **params,
    }, setting_status=True)
    return None if row is None else TaskState(row.status)


def release_lost_run(engine: Engine, task_id: str, worker: str, max_losses: int) -> bool:
    """A process of ``worker`` running the task died: back to RETRYING, so that the
    redelivered message runs at once, or FAILED when this was the ``max_losses``-th death
    (REVOKED when its owner asked to cancel it: nothing runs it any more).

    Only while ``worker`` holds the lease: the dead process may have been running a copy
    that never held it, or a run whose lease another node has taken since.
    """
    return _release(
        engine, task_id, _RELEASE_HELD, max_losses,
        "The worker process running this task stopped; running it again",
        b_worker=worker, b_attempt=None,
    ) is not None


_RELEASE_ON_SHUTDOWN = (
    update(_table)
    .where(_ON_NODE)
    .values(
        status=TaskState.RETRYING.value, worker=None, heartbeat_at=None,
        error_message="Handed back to the queue by a worker that was shutting down",
        progress_percent=0, progress_message=RUN_AGAIN_PROGRESS,
        dispatched_at=_NOW, updated_at=_NOW,
    )
    .returning(_table.c.task_id)
)


def release_leases(engine: Engine, worker: str) -> int:
    """A worker that is shutting down hands its unfinished tasks back (no worker loss)."""
    with engine.begin() as conn:
        released = conn.execute(
            _RELEASE_ON_SHUTDOWN, {"b_worker": worker, "b_now": utcnow()}
        ).scalars().all()
    for task_id in released:
        publish_change(task_id)
    return len(released)


@dataclass(frozen=True)
class Dispatch:
    """What is needed to send a task's message again."""

    task_id: str
    task_name: str
    kwargs: dict[str, Any]
    status: str
    # When its message was last sent (or its retry due), for :func:`unclaim_redispatch`.
    dispatched_at: datetime | None = None


def expired_leases(engine: Engine, lost_after_seconds: float) -> list[Dispatch]:
    """PROCESSING rows whose worker stopped renewing the lease."""
    cutoff = utcnow() - timedelta(seconds=lost_after_seconds)
    return _dispatches(engine, _lease_expired(cutoff))


_RECLAIMED = "The worker running this task stopped; running it again"


def reclaim_expired_lease(
    engine: Engine, task_id: str, lost_after_seconds: float, max_losses: int
) -> TaskState | None:
    """Take an expired lease back: RETRYING (to be sent again) or FAILED at the ceiling;
    REVOKED when its owner asked to cancel it (the run that held it is gone).

    Returns the new state, or None when the run renewed its lease or finished meanwhile.
    """
    return _release(
        engine, task_id, _RELEASE_EXPIRED, max_losses, _RECLAIMED,
        b_lease_cutoff=utcnow() - timedelta(seconds=lost_after_seconds),
    )


@dataclass(frozen=True)
class Lease:
    """Who holds a running task's lease: the worker node, and when its run took it."""

    worker: str
    started_at: datetime


def lease_holder(engine: Engine, task_id: str) -> Lease | None:
    """The lease of the task; None unless the task is PROCESSING under a worker node."""
    with engine.connect() as conn:
        row = conn.execute(
            select(_table.c.worker, _table.c.started_at).where(
                _table.c.task_id == task_id, _IS_PROCESSING, _table.c.worker.is_not(None)
            )
        ).first()
    return None if row is None else Lease(row.worker, row.started_at)


def reclaim_lease_of(
    engine: Engine, task_id: str, holder: str, max_losses: int
) -> TaskState | None:
    """Take the lease from ``holder``, a worker node known to be gone, without waiting for
    the lease to expire: RETRYING (to run now) or FAILED at the ceiling (REVOKED when its
    cancel was requested).

    Returns the new state, or None when the row is no longer ``holder``'s running task.
    """
    return _release(
        engine, task_id, _RELEASE_HELD, max_losses, _RECLAIMED, b_worker=holder, b_attempt=None
    )


def undelivered(engine: Engine, after_seconds: float) -> list[Dispatch]:
    """PENDING/RETRYING rows whose message should have started by now but has not.

    A row qualifies ``after_seconds`` × 2^(times already re-sent) after it was sent (or
    its retry was due): a message lost with a broker that kept no data, or held by a
    consumer that vanished. The doubling bounds the copies a long backlog can cause.
    Rows whose cancel was requested are not sent again: :func:`abandoned_cancels` ends them.
    """
    now = utcnow()
    waiting = _status_in(_WAITING)
    oldest_allowed = now - timedelta(seconds=after_seconds)
    with engine.connect() as conn:
        rows = conn.execute(
            select(_table.c.task_id, _table.c.dispatched_at, _table.c.redispatches)
            .where(waiting, _table.c.cancel_requested_at.is_(None))
            .where(_table.c.dispatched_at < oldest_allowed)
        ).all()
    due = [
        row.task_id
        for row in rows
        if row.dispatched_at + timedelta(seconds=after_seconds * 2**row.redispatches) < now
    ]
    return _dispatches(engine, _table.c.task_id.in_(due)) if due else []


def abandoned_cancels(engine: Engine, after_seconds: float) -> list[str]:
    """PENDING/RETRYING rows whose cancel was requested and that have waited ``after_seconds``
    since they were sent (or due) without a run recording it, for :func:`revoke_unheld`.

    A run flagged for cancel that went back to waiting (a retry, a shutdown's hand-back, a
    lost run from before the reaper revoked those) is revoked by its next copy; when none
    comes (the terminate's broadcast put its id in every worker's revoked set, the re-send
    failed), nothing else would end it.
    """
    cutoff = utcnow() - timedelta(seconds=after_seconds)
    with engine.connect() as conn:
        return list(conn.execute(
            select(_table.c.task_id)
            .where(_status_in(_WAITING), _CANCELLED, _table.c.dispatched_at < cutoff)
            .order_by(_table.c.id)
        ).scalars())


def claim_redispatch(engine: Engine, task_id: str) -> datetime | None:
    """Stamp a re-send of a waiting task: the stamp, or None when it started or another
    reaper won."""
    now = utcnow()
    claimed = _transition(
        engine, task_id, _status_in(_WAITING),
        dispatched_at=now, redispatches=_table.c.redispatches + 1, updated_at=now,
    )
    return now if claimed else None


def unclaim_redispatch(engine: Engine, task: Dispatch, claimed_at: datetime) -> bool:
    """Take back a re-send whose message could not be sent (the broker is away): the row is
    due again at the next round, and a failed try does not double its next wait as a sent
    copy does (a long broker outage would otherwise delay it by as long again). False when
    it has started or been stamped since."""
    return _transition(
        engine, task.task_id,
        and_(_status_in(_WAITING), _table.c.dispatched_at == claimed_at,
             _table.c.redispatches > 0),
        dispatched_at=task.dispatched_at, redispatches=_table.c.redispatches - 1,
    )


def _dispatches(engine: Engine, condition: ColumnElement[bool]) -> list[Dispatch]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(_table.c.task_id, _table.c.task_name, _table.c.kwargs, _table.c.status,
                   _table.c.dispatched_at)
            .where(condition)
            .order_by(_table.c.id)
        ).all()
    return [
        Dispatch(row.task_id, row.task_name, row.kwargs or {}, row.status, row.dispatched_at)
        for row in rows
    ]


def _finish(
    engine: Engine,
    task_id: str,
    state: TaskState,
    from_states: tuple[str, ...] = _ACTIVE,
    **values: Any,
) -> bool:
    now = utcnow()
    return _transition(
        engine, task_id, _status_in(from_states),
        status=state.value, updated_at=now, completed_at=now, **values,
    )


_SUCCESS: dict[str, Any] = dict(
    status=TaskState.SUCCESS.value, updated_at=_NOW, completed_at=_NOW,
    result=_param("b_result", _table.c.result), progress_percent=100, progress_message="Done",
)
_SUCCEED = prepared(_transition_statement(_status_in(_ACTIVE), **_SUCCESS))
# The same, for an owner without webhooks: no outbox to write, so one statement is the
# whole transaction (``db.first_row_alone``), which tells only whether it applied.
_SUCCEED_ALONE = prepared(_transition_statement(
    _status_in(_ACTIVE) & ~webhooks.exist_for(_table.c.user_id),
    returning=(_table.c.task_id,), **_SUCCESS,
))


def mark_success(engine: Engine, task_id: str, result: Any) -> bool:
    """Record the result of a task that finished.

    Tried first as one statement that applies only when the owner has no webhook (most
    owners): its own transaction, without BEGIN and COMMIT. When it does not apply (the
    owner has webhooks, or the task is final already), the transition runs as every final
    one does, its outbox rows in its transaction (``_apply``).
    """
    params = {"b_now": utcnow(), "b_result": result}
    if first_row_alone(engine, _SUCCEED_ALONE, {"b_task_id": task_id, **params}) is not None:
        publish_change(task_id)
        return True
    return _run_transition(engine, task_id, _SUCCEED, params, setting_status=True)


def mark_failed(
    engine: Engine, task_id: str, error_message: str, *, retryable: bool = False
) -> bool:
    """Record a failure with a message that is safe to show the task's owner.

    ``retryable``: running the task again can help, because the failure was the
    platform's (a service away through every retry, a bug the operators are told of),
    not the input's (a damaged file, a time limit the same file meets again); clients
    offer a retry on it, and a batch's retry_failed runs only those again.
    """
    return _finish(
        engine, task_id, TaskState.FAILED, error_message=error_message,
        progress_message=FAILED_PROGRESS, retryable=retryable,
    )


def mark_revoked(engine: Engine, task_id: str, message: str = "Cancelled") -> bool:
    """Record that the task was cancelled; its partial work was rolled back."""
    return _finish(engine, task_id, TaskState.REVOKED, progress_message=message)


def revoke_unheld(engine: Engine, task_id: str, lost_after_seconds: float) -> bool:
    """REVOKED for a task whose cancel was requested and that no run holds any more: waiting
    (PENDING/RETRYING: nothing runs it) or PROCESSING under a lease nobody renewed for
    ``lost_after_seconds`` (its worker died). False while a run holds it: only once that run
    stopped may the task say REVOKED (its record could be removed while the work goes on).
    """
    now = utcnow()
    unheld = _status_in(_WAITING) | _lease_expired(now - timedelta(seconds=lost_after_seconds))
    return _transition(
        engine, task_id, _CANCELLED & unheld,
        status=TaskState.REVOKED.value, updated_at=now, completed_at=now,
        progress_message=CANCELLED_PROGRESS,
    )


def mark_terminated(engine: Engine, task_id: str) -> bool:
    """A run that its owner's cancel terminated has stopped: REVOKED. Only for a task whose
    cancel was requested: a worker's shutdown terminates its runs too, and those run again."""
    now = utcnow()
    return _transition(
        engine, task_id, _status_in(_ACTIVE) & _table.c.cancel_requested_at.is_not(None),
        status=TaskState.REVOKED.value, updated_at=now, completed_at=now,
        progress_message="Cancelled (terminated)",
    )


_RETRY = _transition_statement(
    _HELD,
    status=TaskState.RETRYING.value, error_message=bindparam("b_error", type_=Text), worker=None,
    heartbeat_at=None, dispatched_at=_param("b_due", _table.c.dispatched_at), updated_at=_NOW,
    progress_percent=0, progress_message=RUN_AGAIN_PROGRESS,
)


def mark_retrying(
    engine: Engine, task_id: str, error_message: str, due_in: float,
    worker: str, attempt: int | None,
) -> bool:
    """Record that a transient error happened and the task will run again in ``due_in`` s.

    Only from the run that holds the lease (``worker``, ``attempt``): False when another
    run took it, which must then not be sent again (that run carries the task).
    """
    now = utcnow()
    return _run_transition(engine, task_id, _RETRY, {
        "b_worker": worker, "b_attempt": attempt, "b_error": error_message,
        "b_due": now + timedelta(seconds=due_in), "b_now": now,
    }, setting_status=True)


def revoke_if_pending(engine: Engine, task_id: str) -> bool:
    """Cancel a task that is not running; False if it started or finished meanwhile."""
    return _finish(
        engine,
        task_id,
        TaskState.REVOKED,
        from_states=_WAITING,
        progress_message="Cancelled",
        cancel_requested_at=utcnow(),
    )


def request_cancel(engine: Engine, task_id: str) -> bool:
    """Flag a running task; its next progress report sees the flag and stops."""
    return _transition(engine, task_id, _IS_PROCESSING, cancel_requested_at=utcnow())


def active_count(
    user_id: int | ColumnElement[int], not_counted: Collection[str] = ()
) -> ScalarSelect[int]:
    """The fair-share count as a scalar subquery: how many of the user's tasks are not
    final yet, leaving out the task names in ``not_counted``. A subquery, so that the
    submit's INSERT can carry it (backend/tasks/submission.py, ``ActiveTaskCap``).

    The states and names are SQL constants (``_constant``).
    """
    condition = [_table.c.user_id == user_id, _status_in(_ACTIVE)]
    if not_counted:
        condition.append(_table.c.task_name.not_in([_constant(name) for name in sorted(not_counted)]))
    return select(func.count()).select_from(_table).where(*condition).scalar_subquery()


def current_state(engine: Engine, task_id: str) -> TaskState | None:
    """The stored state of a task, or None when it has no row."""
    with engine.connect() as conn:
        status = conn.execute(
            select(_table.c.status).where(_table.c.task_id == task_id)
        ).scalar_one_or_none()
    return TaskState(status) if status else None


def abandoned_message(days: int) -> str:
    """What the owner of a task the nightly cleanup ended with its batch reads."""
    return (
        f"Nothing ran this task for {days} days (its message was lost, or its worker stopped "
        "with nothing left to see it), so it was ended with its batch; retrying it can help."
    )


def idle_since(cutoff: datetime) -> ColumnElement[bool]:
    """Unfinished, and not moved since ``cutoff``: no transition, progress or renewed lease
    (a run under a live lease renews ``heartbeat_at`` every few seconds)."""
    heartbeat = _table.c.heartbeat_at
    return (
        _status_in(_ACTIVE) & (_table.c.updated_at < cutoff)
        & (heartbeat.is_(None) | (heartbeat < cutoff))
    )


@dataclass
class Ended:
    """Tasks ended in a transaction, to tell once it committed (:meth:`announce`)."""

    task_ids: list[str] = field(default_factory=list)
    deliveries: list[int] = field(default_factory=list)

    def announce(self) -> None:
        for task_id in self.task_ids:
            publish_change(task_id)
        webhooks.announce(self.deliveries)


def end_idle_tasks_of_batch(
    conn: Connection, batch_row_id: int, cutoff: datetime, message: str
) -> Ended:
    """In the caller's transaction (which holds the batch row's lock): end the batch's tasks
    that nothing ran since ``cutoff`` (:func:`idle_since`), as the reaper ends a task whose
    run is gone: REVOKED when its owner asked to cancel it, else FAILED with ``message``,
    retryable (the platform lost it, not the input's fault). Each is its one final
    transition, its webhook deliveries written here; a run that takes the task meanwhile
    moved it (``updated_at``), and the conditional UPDATE then leaves it alone."""
    now = utcnow()
    rows = conn.execute(
        update(_table)
        .where(_table.c.batch_id == batch_row_id, idle_since(cutoff))
        .values(
            status=case((_CANCELLED, TaskState.REVOKED.value), else_=TaskState.FAILED.value),
            error_message=case((_CANCELLED, _table.c.error_message), else_=message),
            retryable=~_CANCELLED,
            progress_message=case((_CANCELLED, CANCELLED_PROGRESS), else_=FAILED_PROGRESS),
            worker=None, heartbeat_at=None, completed_at=now, updated_at=now,
        )
        .returning(*_OUTCOME)
    ).all()
    ended = Ended()
    for row in rows:
        ended.task_ids.append(row.task_id)
        ended.deliveries.extend(webhooks.record_task_outcome(conn, row))
    return ended


def finished_before(
    engine: Engine, cutoff: datetime, failed_cutoff: datetime
) -> list[tuple[str, str | None]]:
    """(task_id, file_path) of final tasks old enough to remove; FAILED ones keep longer.

    Not a batch's tasks (its items and pipeline steps): they are kept while their batch
    is, which a retry of its failed items keeps open however old the others are (its
    pipeline then runs on their statements too); the batch's removal leaves them
    without a batch (``batches.remove_finished_before``), and they go by their age then.
    A task never joins a batch after it was recorded, so this look cannot go stale."""
    completed = _table.c.completed_at
    with engine.connect() as conn:
        rows = conn.execute(
            select(_table.c.task_id, _table.c.file_path).where(
                _status_in(_FINAL),
                _table.c.batch_id.is_(None),
                (
                    (_table.c.status == TaskState.FAILED.value) & (completed < failed_cutoff)
                )
                | ((_table.c.status != TaskState.FAILED.value) & (completed < cutoff)),
            )
        ).all()
    return [(row.task_id, row.file_path) for row in rows]


def delete_records(engine: Engine, task_ids: list[str]) -> int:
    """Delete the given rows; returns how many went."""
    if not task_ids:
        return 0
    with engine.begin() as conn:
        return conn.execute(delete(_table).where(_table.c.task_id.in_(task_ids))).rowcount
