"""Batches: statement uploads submitted together, tracked per item, with an optional pipeline.

A batch's items are ordinary statement-parse tasks: ``task_status`` rows that carry the
batch's id. ``batch_items`` keeps each file's name and its current task (a retry moves
it to the new one), or, for an upload that was refused (not a PDF, too big, empty), the
reason and no task. Counts and the batch's status are derived from the items' rows,
never stored twice. Two moments must happen once however many item completions race
to them, so each is one conditional UPDATE and only its winner acts:

- a pipeline step starts (``advance``): the step's task id is set ``WHERE`` it is still
  null and no item is active, in the transaction that records the step's task row;
- the batch finishes (``advance`` → ``_finish``): ``finished_at`` is set ``WHERE`` it is
  still null and nothing is active, and the winner calls ``on_batch_finished``: the one
  place to hook the ``batch.finished`` event.

Both are decided in a transaction that locks the batch row first (``locked_batch_row``),
so that its reads see every task recorded by a retry that committed meanwhile.

``advance`` is called after every task of a batch ends (a worker signal), by the API
after a cancel or an all-refused upload, by the reaper after it ended a task (failed at
the worker-loss ceiling, cancelled with its worker gone), and by beat's sweep as a safety
net (a task that ended outside a worker's run: cancelled while waiting).
"""

from __future__ import annotations

import enum
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Table,
    delete,
    exists,
    func,
    insert,
    select,
    update,
)

from backend.db import read_only
from backend.models import Batch, BatchItem, TaskState, TaskStatus, utcnow
from backend.services import task_records, webhooks
from backend.services.errors import InvalidInputError

logger = logging.getLogger(__name__)

_batches = cast(Table, Batch.__table__)
_items = cast(Table, BatchItem.__table__)
_tasks = cast(Table, TaskStatus.__table__)
_ACTIVE = (TaskState.PENDING.value, TaskState.PROCESSING.value, TaskState.RETRYING.value)
# An item whose task row is gone (deleted by its owner, or past retention).
REMOVED_TASK_MESSAGE = "This item's task record was deleted"


class BatchState(enum.StrEnum):
    PENDING = "PENDING"  # nothing started yet
    PROCESSING = "PROCESSING"  # items or pipeline steps under way
    SUCCESS = "SUCCESS"  # every item succeeded
    PARTIAL = "PARTIAL"  # some items failed
    FAILED = "FAILED"  # every item failed
    REVOKED = "REVOKED"  # cancelled by its owner


class Step(enum.StrEnum):
    """A step of a batch's pipeline, run once every item is final."""

    CATEGORIZE = "categorize"
    REPORT = "report"


# The pipelines a batch may ask for (the form field ``then``), each a chain of steps.
PIPELINES: dict[str, tuple[Step, ...]] = {
    "categorize": (Step.CATEGORIZE,),
    "categorize,report": (Step.CATEGORIZE, Step.REPORT),
}
_STEP_COLUMN = {Step.CATEGORIZE: _batches.c.categorize_task_id, Step.REPORT: _batches.c.report_task_id}


def parse_pipeline(value: str | None) -> str | None:
    """The pipeline named by ``then`` ("categorize" or "categorize,report"), or None."""
    if value is None or not value.strip():
        return None
    name = ",".join(part.strip().lower() for part in value.split(","))
    if name not in PIPELINES:
        choices = " or ".join(repr(choice) for choice in PIPELINES)
        raise InvalidInputError(f"'then' must be {choices}, not {value[:40]!r}")
    return name


def create_batch(conn: Connection, user_id: int, pipeline: str | None) -> tuple[int, str]:
    """Insert a batch; returns (its row id, its public id)."""
    batch_id = str(uuid.uuid4())
    row_id = conn.execute(
        insert(_batches)
        .values(batch_id=batch_id, user_id=user_id, pipeline=pipeline, created_at=utcnow())
        .returning(_batches.c.id)
    ).scalar_one()
    return row_id, batch_id


def add_item(
    conn: Connection,
    batch_row_id: int,
    position: int,
    filename: str,
    task_id: str | None,
    error_message: str | None = None,
) -> int:
    """Insert one item (its task, or the reason its upload was refused); returns its id."""
    item_id: int = conn.execute(
        insert(_items)
        .values(
            batch_id=batch_row_id, position=position, filename=filename, task_id=task_id,
            error_message=error_message,
        )
        .returning(_items.c.id)
    ).scalar_one()
    return item_id


# --- reading ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemView:
    item_id: int
    filename: str
    status: str
    statement_id: int | None
    error_message: str | None
    task_id: str | None
    # Its task's progress as the worker last wrote it (0 for a refused upload).
    progress_percent: int = 0
    progress_message: str | None = None


@dataclass(frozen=True)
class StepView:
    step: str
    task_id: str | None
    status: str | None
    error_message: str | None


@dataclass(frozen=True)
class BatchView:
    """A batch as its owner sees it; ``items`` is empty in listings."""

    batch_id: str
    user_id: int
    status: BatchState
    total: int
    succeeded: int
    failed: int
    cancelled: int
    pending: int
    progress_percent: int
    report_id: str | None
    pipeline: str | None
    pipeline_note: str | None
    steps: list[StepView]
    created_at: datetime
    finished_at: datetime | None
    items: list[ItemView] = field(default_factory=list)

    @property
    def statement_ids(self) -> list[int]:
        return [item.statement_id for item in self.items if item.statement_id is not None]


def _item_rows(conn: Connection, batch_row_ids: Sequence[int]) -> dict[int, list[ItemView]]:
    """Every item of the given batches with its task's state, in upload order."""
    rows = conn.execute(
        select(
            _items.c.batch_id, _items.c.id, _items.c.filename, _items.c.task_id,
            _items.c.error_message, _tasks.c.status, _tasks.c.result,
            _tasks.c.error_message.label("task_error"), _tasks.c.progress_percent,
            _tasks.c.progress_message,
        )
        .select_from(_items.outerjoin(_tasks, _tasks.c.task_id == _items.c.task_id))
        .where(_items.c.batch_id.in_(batch_row_ids))
        .order_by(_items.c.batch_id, _items.c.position)
    ).all()
    found: dict[int, list[ItemView]] = {row_id: [] for row_id in batch_row_ids}
    for row in rows:
        if row.task_id is None:  # refused upload: never ran
            status, error = TaskState.FAILED.value, row.error_message
        elif row.status is None:
            status, error = TaskState.FAILED.value, REMOVED_TASK_MESSAGE
        else:
            status, error = row.status, row.task_error
        statement_id = None
        if status == TaskState.SUCCESS.value and isinstance(row.result, dict):
            statement_id = row.result.get("statement_id")
        found[row.batch_id].append(
            ItemView(
                row.id, row.filename, status, statement_id, error, row.task_id,
                row.progress_percent or 0, row.progress_message,
            )
        )
    return found


def _step_views(conn: Connection, batch: Any) -> list[StepView]:
    steps = PIPELINES.get(batch.pipeline or "", ())
    ids = [getattr(batch, f"{step.value}_task_id") for step in steps]
    rows = {
        row.task_id: row
        for row in conn.execute(
            select(_tasks.c.task_id, _tasks.c.status, _tasks.c.error_message).where(
                _tasks.c.task_id.in_([task_id for task_id in ids if task_id])
            )
        )
    }
    views = []
    for step, task_id in zip(steps, ids, strict=True):
        row = rows.get(task_id)
        if task_id is None:  # not started
            views.append(StepView(step.value, None, None, None))
        elif row is None:
            views.append(StepView(step.value, task_id, TaskState.FAILED.value, REMOVED_TASK_MESSAGE))
        else:
            views.append(StepView(step.value, task_id, row.status, row.error_message))
    return views


def _summarize(batch: Any, items: list[ItemView], steps: list[StepView]) -> BatchView:
    final = {state.value for state in TaskState.final()}
    total = len(items)
    succeeded = sum(item.status == TaskState.SUCCESS.value for item in items)
    failed = sum(item.status == TaskState.FAILED.value for item in items)
    # Items cancelled on their own (DELETE /tasks/{id}) or with the batch: not failures.
    cancelled = sum(item.status == TaskState.REVOKED.value for item in items)
    pending = total - succeeded - failed - cancelled
    if batch.cancelled_at is not None:
        status = BatchState.REVOKED
    elif batch.finished_at is not None:
        status = (
            BatchState.SUCCESS if succeeded == total
            else BatchState.PARTIAL if succeeded
            else BatchState.FAILED if failed
            else BatchState.REVOKED  # every item cancelled
        )
    elif pending == total and all(item.status == TaskState.PENDING.value for item in items):
        status = BatchState.PENDING
    else:
        status = BatchState.PROCESSING
    # Items and pipeline steps each count as one unit of work; 100 only once finished.
    units = total + len(steps)
    done = succeeded + failed + cancelled + sum(step.status in final for step in steps)
    progress = 100 if batch.finished_at is not None else min(99, 100 * done // max(units, 1))
    return BatchView(
        batch_id=batch.batch_id,
        user_id=batch.user_id,
        status=status,
        total=total,
        succeeded=succeeded,
        failed=failed,
        cancelled=cancelled,
        pending=pending,
        progress_percent=progress,
        report_id=batch.report_task_id,
        pipeline=batch.pipeline,
        pipeline_note=_pipeline_note(batch, succeeded, failed, cancelled, steps),
        steps=steps,
        created_at=batch.created_at,
        finished_at=batch.finished_at,
        items=items,
    )


def _pipeline_note(
    batch: Any, succeeded: int, failed: int, cancelled: int, steps: list[StepView]
) -> str | None:
    """What the pipeline did (or why it did not run), in words."""
    if not steps:
        return None
    if batch.cancelled_at is not None and any(step.task_id is None for step in steps):
        return "The batch was cancelled; the pipeline did not run to its end."
    stopped = next(
        (step for step in steps if step.status in (TaskState.FAILED.value, TaskState.REVOKED.value)),
        None,
    )
    if stopped is not None:
        return (
            f"The {stopped.step} step ended {stopped.status} ({stopped.error_message or 'no reason'}); "
            "the steps after it did not run."
        )
    if steps[0].task_id is None:
        if batch.finished_at is not None:
            return "No statement was imported, so the pipeline did not run."
        return "The pipeline runs once every item has finished."
    left_out = [
        f"the {count} item(s) that {what}"
        for count, what in ((failed, "failed"), (cancelled, "were cancelled")) if count
    ]
    if left_out:
        return (
            f"The pipeline runs on the {succeeded} statement(s) that imported; "
            f"{' and '.join(left_out)} are left out."
        )
    return f"The pipeline runs on all {succeeded} statement(s)."


def _batch_row(conn: Connection, condition: ColumnElement[bool]) -> Any:
    return conn.execute(select(_batches).where(condition)).first()


def get_batch(conn: Connection, user_id: int, batch_id: str) -> BatchView | None:
    """The user's batch with its items; None when missing or someone else's."""
    batch = _batch_row(conn, (_batches.c.batch_id == batch_id) & (_batches.c.user_id == user_id))
    if batch is None:
        return None
    return _summarize(batch, _item_rows(conn, [batch.id])[batch.id], _step_views(conn, batch))


def list_batches(
    conn: Connection, user_id: int, limit: int, offset: int
) -> tuple[list[BatchView], int]:
    """A page of the user's batches, newest first (without their items), and how many
    there are in all."""
    mine = _batches.c.user_id == user_id
    total = conn.scalar(select(func.count()).select_from(_batches).where(mine)) or 0
    batches = conn.execute(
        select(_batches).where(mine)
        .order_by(_batches.c.created_at.desc(), _batches.c.id.desc())
        .limit(limit).offset(offset)
    ).all()
    items = _item_rows(conn, [batch.id for batch in batches])
    views = [
        replace(_summarize(batch, items[batch.id], _step_views(conn, batch)), items=[])
        for batch in batches
    ]
    return views, total


def owned_batch_row_id(conn: Connection, user_id: int, batch_id: str) -> int | None:
    """The row id of the user's batch; None when missing or someone else's."""
    return conn.scalar(
        select(_batches.c.id).where(_batches.c.batch_id == batch_id, _batches.c.user_id == user_id)
    )


def batch_of_task(conn: Connection, task_id: str) -> int | None:
    """The row id of the batch a task belongs to (an item or a step), if any."""
    return conn.scalar(select(_tasks.c.batch_id).where(_tasks.c.task_id == task_id))


def unfinished_batches(conn: Connection) -> list[int]:
    """Row ids of the batches not finished yet (for beat's sweep)."""
    return list(conn.scalars(select(_batches.c.id).where(_batches.c.finished_at.is_(None))))


# --- moving a batch on ---------------------------------------------------------------


def _items_active(batch_row_id: Any) -> ColumnElement[bool]:
    """Whether any item of the batch has a task not final yet."""
    return exists(
        select(_items.c.id)
        .select_from(_items.join(_tasks, _tasks.c.task_id == _items.c.task_id))
        .where(_items.c.batch_id == batch_row_id, _tasks.c.status.in_(_ACTIVE))
    )


def _tasks_active(batch_row_id: Any) -> ColumnElement[bool]:
    """Whether any task of the batch (an item or a pipeline step) is not final yet."""
    return exists(
        select(_tasks.c.id).where(_tasks.c.batch_id == batch_row_id, _tasks.c.status.in_(_ACTIVE))
    )


@dataclass(frozen=True)
class StepStart:
    """A pipeline step to start: its row is recorded in the claiming transaction, its
    message sent by the caller once that committed."""

    step: Step
    task_id: str
    user_id: int
    batch_row_id: int
    statement_ids: list[int]


RecordStep = Callable[[Connection, StepStart], None]


def advance(engine: Engine, batch_row_id: int, record_step: RecordStep) -> StepStart | None:
    """Move a batch on after one of its tasks ended: start its next pipeline step, or
    finish it once nothing is left to run. Safe to call any number of times, from any
    process, concurrently: each step starts once and the batch finishes once.

    Returns the step started (``record_step`` inserted its task row in the same
    transaction as the claim; the caller sends the message), or None.
    """
    # A look first: most calls (an item ends, others still run) write nothing, and on
    # SQLite a write transaction would take the database's write lock.
    with read_only(engine).connect() as conn:
        if _nothing_to_do(conn, batch_row_id):
            return None
    with engine.begin() as conn:
        # The batch row's lock first, in a statement of its own, and only then the look
        # at its tasks: see locked_batch_row.
        batch = locked_batch_row(conn, batch_row_id)
        if batch is None or batch.finished_at is not None or _any_item_active(conn, batch_row_id):
            return None
        if batch.cancelled_at is None:
            started, waiting = _next_step(conn, batch, record_step)
            if started is not None or waiting:
                return started
        _finish(conn, batch_row_id)
    return None


def locked_batch_row(conn: Connection, batch_row_id: int) -> Any:
    """The batch row, locked until the transaction ends (None when it is gone).

    Every transaction that makes a task of the batch active changes the batch row too
    (retry_failed opens the batch again, a step's claim sets its task id), so once this
    lock is ours each of those has either committed, and the statements after this one
    see its tasks (under READ COMMITTED each statement reads what was committed when it
    began), or writes the batch row only after this transaction ends (a retry then opens
    the batch again, whatever this one decided). Deciding in the conditional
    UPDATE alone did not: an UPDATE that waits for the row's lock re-reads only that row
    once it has it (EvalPlanQual), while its subqueries over the items and tasks keep the
    snapshot taken before it waited, without the task the retry had just recorded.
    FOR NO KEY UPDATE is the lock those UPDATEs take anyway; it lets the inserts of tasks
    and items that reference the batch (their foreign keys' KEY SHARE) go on meanwhile.
    SQLite renders no FOR UPDATE: its write transaction (BEGIN IMMEDIATE) holds the
    database's one write lock from its start, and reads what was committed before it.
    """
    return conn.execute(
        select(_batches).where(_batches.c.id == batch_row_id).with_for_update(key_share=True)
    ).first()


def _any_item_active(conn: Connection, batch_row_id: int) -> bool:
    return bool(conn.scalar(select(_items_active(batch_row_id))))


def _nothing_to_do(conn: Connection, batch_row_id: int) -> bool:
    """Finished (or gone), or items still running."""
    finished_at, items_active = conn.execute(
        select(_batches.c.finished_at, _items_active(batch_row_id)).where(
            _batches.c.id == batch_row_id
        )
    ).first() or (utcnow(), False)
    return finished_at is not None or bool(items_active)


def _next_step(conn: Connection, batch: Any, record_step: RecordStep) -> tuple[StepStart | None, bool]:
    """(the step this call started, whether a step is still running): neither when the
    pipeline is done, stopped by a failed step, or has nothing to run on."""
    for view in _step_views(conn, batch):
        if view.task_id is not None:
            if view.status in _ACTIVE:
                return None, True
            if view.status == TaskState.SUCCESS.value:
                continue
            return None, False  # a failed step stops the chain
        statement_ids = [
            item.statement_id
            for item in _item_rows(conn, [batch.id])[batch.id]
            if item.statement_id is not None
        ]
        if not statement_ids:
            return None, False
        start = StepStart(Step(view.step), str(uuid.uuid4()), batch.user_id, batch.id, statement_ids)
        column = _STEP_COLUMN[start.step]
        claimed = conn.execute(
            update(_batches)
            .where(
                _batches.c.id == batch.id, column.is_(None), _batches.c.finished_at.is_(None),
                _batches.c.cancelled_at.is_(None), ~_items_active(batch.id),
            )
            .values({column: start.task_id})
        ).rowcount
        if not claimed:  # another caller started it
            return None, True
        record_step(conn, start)
        return start, True
    return None, False


def _finish(conn: Connection, batch_row_id: int) -> bool:
    """Set ``finished_at`` if nothing of the batch is active; the one caller whose UPDATE
    applied tells ``on_batch_finished``, in the same transaction (and gets True)."""
    now = utcnow()
    won = conn.execute(
        update(_batches)
        .where(
            _batches.c.id == batch_row_id, _batches.c.finished_at.is_(None),
            ~_items_active(batch_row_id), ~_tasks_active(batch_row_id),
        )
        .values(finished_at=now)
    ).rowcount
    if won:
        batch = _batch_row(conn, _batches.c.id == batch_row_id)
        view = _summarize(batch, _item_rows(conn, [batch_row_id])[batch_row_id], _step_views(conn, batch))
        on_batch_finished(conn, view)
    return bool(won)


def on_batch_finished(conn: Connection, batch: BatchView) -> None:
    """The ``batch.finished`` event: called exactly once each time a batch finishes (every
    item final, its pipeline done or stopped, or it was cancelled), inside the transaction
    that recorded it: anything written on ``conn`` here commits with the finish or not at
    all. A retry_failed that re-runs items opens the batch again, so it can finish again."""
    logger.info(
        "Batch %s finished: %s (%d succeeded, %d failed, %d cancelled)",
        batch.batch_id, batch.status.value, batch.succeeded, batch.failed, batch.cancelled,
    )
    webhooks.record_batch_finished(conn, batch)


# --- cancel and retry --------------------------------------------------------------------


def request_cancel(conn: Connection, batch_row_id: int) -> bool:
    """Mark the batch cancelled; False when it already finished or was cancelled."""
    return bool(
        conn.execute(
            update(_batches)
            .where(
                _batches.c.id == batch_row_id, _batches.c.finished_at.is_(None),
                _batches.c.cancelled_at.is_(None),
            )
            .values(cancelled_at=utcnow())
        ).rowcount
    )


def active_task_ids(conn: Connection, batch_row_id: int) -> list[str]:
    """The batch's tasks (items and pipeline steps) that are not final yet."""
    return list(
        conn.scalars(
            select(_tasks.c.task_id)
            .where(_tasks.c.batch_id == batch_row_id, _tasks.c.status.in_(_ACTIVE))
            .order_by(_tasks.c.id)
        )
    )


@dataclass(frozen=True)
class FailedItem:
    """A FAILED item that can run again: its task's input."""

    item_id: int
    task_id: str
    task_name: str
    kwargs: dict[str, Any]
    file_path: str | None


@dataclass(frozen=True)
class RetryPlan:
    items: list[FailedItem]
    # FAILED items that running again cannot help: refused uploads (no file was kept),
    # items whose task record was deleted, and tasks that failed for their input's
    # reasons (``task_status.retryable``: a damaged file fails the same way again).
    not_retryable: int


class BatchGone(Exception):
    """The batch was removed (the nightly cleanup) before this transaction locked it."""


def plan_retry(conn: Connection, batch_row_id: int) -> RetryPlan:
    """The batch's FAILED items, those that can run again and how many cannot."""
    rows = conn.execute(
        select(
            _items.c.id, _items.c.task_id, _tasks.c.status, _tasks.c.task_name,
            _tasks.c.kwargs, _tasks.c.file_path, _tasks.c.retryable,
        )
        .select_from(_items.outerjoin(_tasks, _tasks.c.task_id == _items.c.task_id))
        .where(_items.c.batch_id == batch_row_id)
        .order_by(_items.c.position)
    ).all()
    retryable = [
        FailedItem(row.id, row.task_id, row.task_name, row.kwargs or {}, row.file_path)
        for row in rows
        if row.status == TaskState.FAILED.value and row.retryable
    ]
    not_retryable = sum(
        row.task_id is None or row.status is None
        or (row.status == TaskState.FAILED.value and not row.retryable)
        for row in rows
    )
    return RetryPlan(retryable, not_retryable)


def move_item(conn: Connection, item: FailedItem, new_task_id: str) -> bool:
    """Point the item at its new task, unless a concurrent retry already moved it."""
    return bool(
        conn.execute(
            update(_items)
            .where(_items.c.id == item.item_id, _items.c.task_id == item.task_id)
            .values(task_id=new_task_id)
        ).rowcount
    )


def reopen(conn: Connection, batch_row_id: int) -> None:
    """A batch whose items run again is not finished; its pipeline runs again at the end."""
    conn.execute(
        update(_batches)
        .where(_batches.c.id == batch_row_id)
        .values(finished_at=None, categorize_task_id=None, report_task_id=None)
    )


def _abandoned(cutoff: datetime) -> ColumnElement[bool]:
    """An open batch nothing of which moved since ``cutoff``: made, cancelled, and every
    task of it (items and pipeline steps: a transition, progress, a lease renewed) before."""
    moved = exists(
        select(_tasks.c.id).where(
            _tasks.c.batch_id == _batches.c.id,
            (_tasks.c.updated_at >= cutoff) | (_tasks.c.heartbeat_at >= cutoff),
        )
    )
    cancelled = _batches.c.cancelled_at
    return (
        _batches.c.finished_at.is_(None) & (_batches.c.created_at < cutoff)
        & (cancelled.is_(None) | (cancelled < cutoff)) & ~moved
    )


def end_abandoned(engine: Engine, cutoff: datetime, message: str) -> int:
    """End the open batches nothing of which moved since ``cutoff`` (the nightly cleanup, at
    the retention of finished tasks); how many it ended.

    A batch finishes once every task of it is final; one whose task never ends (its message
    lost for good, its worker gone with nothing left to see it) stayed open, and kept its
    tasks, for ever. Its idle tasks are ended as the reaper ends a lost run
    (``task_records.end_idle_tasks_of_batch``: FAILED with ``message``) and the batch is
    finished (``batch.finished``; no pipeline step is started for it), to be removed with its
    tasks as every finished batch is. A task under a live lease renews it, so its batch has
    moved and is left alone. Each batch in a transaction of its own, holding its row's
    lock from the start (``locked_batch_row``, as ``advance`` and ``retry_failed`` do) and
    looking again: a retry meanwhile moved it."""
    with engine.connect() as conn:
        candidates = list(conn.scalars(select(_batches.c.id).where(_abandoned(cutoff))))
    ended = 0
    for batch_row_id in candidates:
        with engine.begin() as conn:
            if locked_batch_row(conn, batch_row_id) is None or conn.scalar(
                select(_batches.c.id).where(_batches.c.id == batch_row_id, _abandoned(cutoff))
            ) is None:
                continue
            tasks = task_records.end_idle_tasks_of_batch(conn, batch_row_id, cutoff, message)
            ended += _finish(conn, batch_row_id)
        tasks.announce()
    return ended


def remove_finished_before(engine: Engine, cutoff: datetime) -> int:
    """Delete the batches that finished before ``cutoff`` with their items (the nightly
    cleanup, at the retention of finished tasks). Their tasks, kept while the batch was
    (``task_records.finished_before``), lose the batch id and go by their own age.

    A batch retried meanwhile is open again (``finished_at`` NULL) and stays: the
    DELETE's test is made again on the row once it holds its lock (PostgreSQL), which
    ``retry_failed`` holds from its start (``locked_batch_row``); SQLite's write lock
    orders the two whole. A retry that comes second finds no batch (BatchGone)."""
    with engine.begin() as conn:
        return conn.execute(delete(_batches).where(_batches.c.finished_at < cutoff)).rowcount


def is_cancelled(conn: Connection, batch_row_id: int) -> bool:
    return conn.scalar(
        select(_batches.c.cancelled_at.is_not(None)).where(_batches.c.id == batch_row_id)
    ) is True

