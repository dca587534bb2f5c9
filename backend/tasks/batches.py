"""Batches on the Celery side: recording and sending a batch's tasks, and its pipeline.

Each item is an ordinary statement-parse task; the pipeline's steps (categorize with
the user's saved rules, then the report) are ordinary tracked tasks too, each started
by ``advance_batch`` once the one before it is final. That is a chain kept in the
database rather than in the messages (Celery's ``chain``/``chord`` carry their callbacks
inside the message): a message the reaper sends again after its worker died carries no
callback, and a chord counts results that our tasks keep in ``task_status``, not in
the result backend, so a worker loss or a cancelled item would stall one. Here every
step is a row the reaper can recover, and the moment to move on is decided by
conditional UPDATEs (``backend/services/batches.py``), once.

``advance_batch`` runs after each task of a batch ends (``task_postrun``, in the pool
process that ran it, or the reaper for a task it ended), and beat's ``finish_batches``
sweeps the batches left unfinished by a task that ended outside a run (cancelled while
waiting, or when moving the batch on failed).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from celery import Task
from celery.signals import task_postrun
from sqlalchemy import Connection, Engine, delete
from sqlalchemy.exc import SQLAlchemyError

from backend.config import get_settings
from backend.db import get_engine
from backend.models import Batch
from backend.services import batches, task_records
from backend.services.batches import Step, StepStart
from backend.services.retention import place_uploads, removed_uploads
from backend.services.storage import StoredFile
from backend.tasks.app import celery_app
from backend.tasks.arguments import UnreadableArguments
from backend.tasks.kinds import (
    CATEGORIZE,
    FINISH_BATCHES,
    PARSE_STATEMENT,
    REPORT,
    UnknownTask,
    kind_named,
)
from backend.tasks.submission import (
    ActiveTaskCap,
    QueueUnavailable,
    RecordAnswer,
    dispatch,
    nothing_to_record,
    record_task,
)

logger = logging.getLogger(__name__)

_STEP_KIND = {Step.CATEGORIZE: CATEGORIZE, Step.REPORT: REPORT}
# The kinds whose end may move a batch on: its items and its pipeline's steps.
_BATCH_TASKS = frozenset({PARSE_STATEMENT.name, CATEGORIZE.name, REPORT.name})


@dataclass(frozen=True)
class BatchFile:
    """One file of a new batch: stored (it becomes a parse task) or refused with a reason."""

    filename: str
    stored: StoredFile | None
    error: str | None = None


def submit_batch(
    engine: Engine, user_id: int, files: list[BatchFile], pipeline: str | None,
    record_answer: RecordAnswer = nothing_to_record, cap: ActiveTaskCap | None = None,
) -> dict[str, Any]:
    """Record a batch, its items and their parse tasks in one transaction, then send the
    messages; returns the 202 answer ``{batch_id, status, item_count, items}``, which
    ``record_answer`` records in the same transaction. With a ``cap`` nothing is recorded
    unless it admits all the parse tasks (NotAdmitted).

    When the broker refuses the first message nothing was sent: the batch is removed
    again and QueueUnavailable raised (503). One refused later (the broker went away
    meanwhile) leaves its row PENDING for the reaper to send, like any lost message.
    """
    sends: list[tuple[str, dict[str, Any]]] = []
    items = []
    with engine.begin() as conn:
        if cap is not None:
            cap.admit(conn, user_id, sum(file.stored is not None for file in files))
        row_id, batch_id = batches.create_batch(conn, user_id, pipeline)
        for position, file in enumerate(files, start=1):
            task_id = None
            if file.stored is not None:
                kwargs = {
                    "user_id": user_id, "file_path": str(file.stored.path),
                    "file_sha256": file.stored.sha256, "filename": file.filename,
                }
                task_id = record_task(
                    conn, user_id, PARSE_STATEMENT.name, kwargs,
                    file_path=str(file.stored.path), batch_id=row_id,
                )
                sends.append((task_id, kwargs))
            item_id = batches.add_item(conn, row_id, position, file.filename, task_id, file.error)
            items.append({"item_id": item_id, "filename": file.filename})
        # The files reach their paths with their rows, under the locks of the requests that
        # remove files (backend/services/storage.py, StoredFile).
        place_uploads(conn, [file.stored for file in files if file.stored is not None])
        answer = {"batch_id": batch_id, "status": "submitted", "item_count": len(items), "items": items}
        record_answer(conn, answer)
    for number, (task_id, kwargs) in enumerate(sends):
        try:
            dispatch(PARSE_STATEMENT.name, task_id, kwargs)
        except QueueUnavailable:
            if number == 0:
                _remove_batch(engine, row_id, [task_id for task_id, _ in sends])
                raise
            logger.warning(
                "Batch %s: %d message(s) not sent; the reaper sends them", batch_id,
                len(sends) - number,
            )
            break
    if not sends:  # every upload was refused: the batch is over already
        advance_batch(engine, row_id)
    return answer


def _remove_batch(engine: Engine, row_id: int, task_ids: list[str]) -> None:
    task_records.delete_records(engine, task_ids)
    with engine.begin() as conn:
        conn.execute(delete(Batch).where(Batch.id == row_id))


def retry_failed(
    engine: Engine, batch_row_id: int, record_answer: RecordAnswer = nothing_to_record,
    cap: ActiveTaskCap | None = None,
) -> dict[str, Any]:
    """Run the batch's FAILED items again, each as a new task with the same input (as
    POST /tasks/{id}/retry does), and open the batch again; ``{retried, not_retryable}``,
    which ``record_answer`` records in the same transaction. With a ``cap`` nothing is
    recorded unless it admits every item to retry (NotAdmitted).

    Each item is moved to its new task with a conditional UPDATE in the transaction that
    records the task, so two concurrent retries re-run an item once. Its input is read
    as stored arguments are (``TaskKind.stored_kwargs``): an item recorded by an older
    release runs again unless its input can no longer be read (then it is not retryable),
    and neither does one whose uploaded file was deleted on purpose (its task deleted by its
    owner meanwhile: ``retention.removed_uploads``, held until the transaction ends).
    """
    sends: list[tuple[str, str, dict[str, Any]]] = []
    cannot_run = 0
    with engine.begin() as conn:
        # The batch row's lock first: the nightly cleanup's removal of a batch finished
        # long ago then either came before (BatchGone) or sees it open again and keeps it.
        batch = batches.locked_batch_row(conn, batch_row_id)
        if batch is None:
            raise batches.BatchGone()
        plan = batches.plan_retry(conn, batch_row_id)
        user_id = batch.user_id
        if cap is not None:
            cap.admit(conn, user_id, len(plan.items))
        readable: list[tuple[batches.FailedItem, dict[str, Any], str | None]] = []
        for item in plan.items:
            try:
                kind = kind_named(item.task_name)
                kwargs = kind.stored_kwargs(item.kwargs)
            except (UnknownTask, UnreadableArguments) as exc:
                logger.warning("Batch item %s not retried: %s", item.item_id, exc)
                cannot_run += 1
                continue
            readable.append((item, kwargs, kind.upload_read(kwargs)))
        # An item whose task its owner deleted since the plan was read, and with it the
        # file no other task had, cannot run again (its item says its task was deleted).
        removed = removed_uploads(conn, {path for _, _, path in readable if path is not None})
        for item, kwargs, path in readable:
            if path in removed:
                cannot_run += 1
                continue
            task_id = str(uuid.uuid4())
            if not batches.move_item(conn, item, task_id):
                continue
            record_task(
                conn, user_id, item.task_name, kwargs, file_path=item.file_path,
                task_id=task_id, batch_id=batch_row_id,
            )
            sends.append((item.task_name, task_id, kwargs))
        if sends:
            batches.reopen(conn, batch_row_id)
        answer = {"retried": len(sends), "not_retryable": plan.not_retryable + cannot_run}
        record_answer(conn, answer)
    for task_name, task_id, kwargs in sends:
        try:
            dispatch(task_name, task_id, kwargs)
        except QueueUnavailable:
            logger.warning("Retry of %s not sent; the reaper sends it", task_id)
    return answer


def advance_batch(engine: Engine, batch_row_id: int) -> None:
    """Start the batch's next pipeline step or finish it (see services.batches.advance)."""
    started = batches.advance(engine, batch_row_id, _record_step)
    if started is None:
        return
    kind = _STEP_KIND[started.step]
    try:
        dispatch(kind.name, started.task_id, _step_kwargs(started))
    except QueueUnavailable:
        logger.warning("Batch step %s not sent; the reaper sends it", started.task_id)


def _step_kwargs(start: StepStart) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"user_id": start.user_id, "statement_ids": start.statement_ids}
    if start.step is Step.REPORT:
        kwargs["output_path"] = str(_report_path(start))
    return kwargs


def _report_path(start: StepStart) -> Path:
    # Where POST /reports/generate_async puts a report: the download route reads file_path.
    return get_settings().storage_dir / str(start.user_id) / "reports" / f"{start.task_id}.xlsx"


def _record_step(conn: Connection, start: StepStart) -> None:
    file_path = str(_report_path(start)) if start.step is Step.REPORT else None
    record_task(
        conn, start.user_id, _STEP_KIND[start.step].name, _step_kwargs(start),
        file_path=file_path, task_id=start.task_id, batch_id=start.batch_row_id,
    )


def advance_batch_of(engine: Engine, task_id: str) -> None:
    """A task ended: move its batch on, if it belongs to one.

    Errors are logged, not raised: beat's sweep moves the batch on later.
    """
    try:
        with engine.connect() as conn:
            batch_row_id = batches.batch_of_task(conn, task_id)
        if batch_row_id is not None:
            advance_batch(engine, batch_row_id)
    except (SQLAlchemyError, QueueUnavailable):
        # The database is away: beat's sweep finishes the batch later.
        logger.exception("Could not move the batch of task %s on", task_id)


@task_postrun.connect
def _after_batch_task(task_id: str | None = None, task: Task | None = None, **_: Any) -> None:
    """A task of a batch ended (or was handed back): see whether the batch moves on."""
    if task_id is None or task is None or task.name not in _BATCH_TASKS:
        return
    advance_batch_of(get_engine(), task_id)


@celery_app.task(**FINISH_BATCHES.task_options, ignore_result=True)
def finish_batches() -> int:
    """Beat's sweep: move on every unfinished batch (a no-op for those still running)."""
    engine = get_engine()
    with engine.connect() as conn:
        unfinished = batches.unfinished_batches(conn)
    for batch_row_id in unfinished:
        advance_batch(engine, batch_row_id)
    return len(unfinished)
