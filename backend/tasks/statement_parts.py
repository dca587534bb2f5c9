"""Long statements on the whole cluster: a parse in parts (page ranges) and one merge.

A statement of PARALLEL_PARSE_MIN_PAGES pages or more is not read by its parse task alone.
That task records one ``parse_statement_part`` task per PARALLEL_PARSE_PAGES_PER_PART pages,
and in the same transaction hands its own row over (``task_records.hand_over``: PROCESSING
without a lease, which the reaper leaves alone); it sends their messages and its run ends.
Every ``pdf_processing`` worker then reads a page range (``services/statements/parts.py``),
stores the pages' lines as its result and reports the parse task's progress (pages read by
all the parts / all the pages). The part that succeeds last wins a conditional UPDATE of the
parse task's row and records ``merge_statement_parts``, which feeds the pages in order through
the serial parser's row reading and reconciliation, saves the statement once and moves the
parse task to SUCCESS with the serial result.

Like batches (``backend/tasks/batches.py``), the fan-in is kept in the database, not in a
Celery chord: a message the reaper sends again carries no chord callback, and the parts'
results are in ``task_status``, not the result backend. No task waits for another (a
two-process pool would deadlock): each part ends, and the last one's ``task_postrun`` starts
the merge. A part or merge that fails fails the parse task with its message; one cancelled
cancels it; a cancelled parse task stops its parts (they check it at each progress write)
and its merge, and one cancelled once every part succeeded, before a merge was set up, is
REVOKED by the last part's end (or the reaper's next round) instead of merged.
A worker lost under a part is recovered as for any task: the part's row has the lease.
"""

from __future__ import annotations

import logging
import time
import uuid
from pathlib import Path
from typing import Any, NoReturn

from celery import Task
from celery.signals import task_postrun
from sqlalchemy import Engine, select
from sqlalchemy.exc import SQLAlchemyError

from backend.config import get_settings
from backend.db import get_engine
from backend.models import TaskState, TaskStatus
from backend.services import batches, task_records
from backend.services.errors import InvalidInputError
from backend.services.statement_store import (
    SavedDocument,
    existing_statement_id,
    imported_summary,
    save_statement,
    statement_ids,
)
from backend.services.statements.hints import hint_record
from backend.services.task_events import publish_change
from backend.tasks.base import HandedOver, LeaseLost, TaskCancelled, TrackedTask, patiently, tracked_task
from backend.tasks.kinds import MERGE_STATEMENT_PARTS, PARSE_STATEMENT, PARSE_STATEMENT_PART
from backend.tasks.submission import QueueUnavailable, dispatch, record_task

logger = logging.getLogger(__name__)

PARSING_SHARE = 85  # percent of the progress bar spent parsing pages
# The parts take the parse task to at most 1 + PARSING_SHARE; the merge's claim is above that.
MERGE_WAITING, MERGING, SAVING = PARSING_SHARE + 2, PARSING_SHARE + 3, PARSING_SHARE + 5
STORAGE_LOST = (
    "The uploaded file is no longer stored; upload it again, or retry once the storage is back"
)
_HELPERS = frozenset({PARSE_STATEMENT_PART.name, MERGE_STATEMENT_PARTS.name})


def require_upload(file_path: str) -> Path:
    """The uploaded file; InvalidInputError when storage lost it (a volume not mounted, a restore)."""
    path = Path(file_path)
    if not path.is_file():
        raise InvalidInputError(STORAGE_LOST, retryable=True)  # the storage may come back
    return path


def part_task_id(parent_task_id: str, index: int) -> str:
    """The id of a parse task's part ``index``: any part can name its siblings."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"ledgerflow:{parent_task_id}:part:{index}"))


def _part_ids(parent_task_id: str, part_count: int) -> list[str]:
    return [part_task_id(parent_task_id, index) for index in range(part_count)]


class LongStatement(Exception):
    """Raised when a statement turns out to be long (at its first page): read it in parts."""

    def __init__(self, pages: int) -> None:
        super().__init__(pages)
        self.pages = pages


def parts_threshold(task: TrackedTask) -> int | None:
    """From how many pages this run hands a statement to parts; None: it parses any alone
    (splitting turned off, or a run without a row: a task sent outside the API)."""
    min_pages = get_settings().parallel_parse_min_pages
    return min_pages if min_pages > 0 and task.is_tracked else None


def hand_to_parts(task: TrackedTask, user_id: int, file_path: str, pages: int) -> NoReturn:
    """Record and send the parts of this run's statement and end the run (HandedOver)."""
    parent = str(task.request.id)  # a tracked run has one
    worker, attempt = task.lease
    sends = record_parts(
        get_engine(), parent, worker, attempt, user_id, file_path, pages,
        get_settings().parallel_parse_pages_per_part,
    )
    if sends is None:
        raise LeaseLost()
    logger.info("Task %s: %d pages handed to %d parts", parent, pages, len(sends))
    send_parts(sends)
    raise HandedOver()


def record_parts(
    engine: Engine, parent: str, worker: str, attempt: int | None, user_id: int, file_path: str,
    pages: int, per_part: int,
) -> list[tuple[str, dict[str, Any]]] | None:
    """Record the part tasks of ``parent`` (run by ``worker``, its ``attempt``) and hand it
    over to them, in one transaction; their (task id, arguments), or None when that run does
    not hold the task's lease."""
    from backend.services.statements.parts import part_ranges

    ranges = part_ranges(pages, per_part)
    sends: list[tuple[str, dict[str, Any]]] = []
    with engine.begin() as conn:
        message = f"Parsing {pages} pages in {len(ranges)} parts"
        if not task_records.hand_over(conn, parent, worker, attempt, message):
            return None
        for index in range(len(ranges)):
            kwargs = {
                "user_id": user_id, "parent_task_id": parent, "file_path": file_path,
                "part_index": index, "pages_per_part": per_part, "page_total": pages,
            }
            task_id = record_task(
                conn, user_id, PARSE_STATEMENT_PART.name, kwargs, task_id=part_task_id(parent, index)
            )
            sends.append((task_id, kwargs))
    publish_change(parent)
    return sends


def send_parts(sends: list[tuple[str, dict[str, Any]]]) -> None:
    """Send the recorded parts' messages; one the broker refuses waits PENDING for the reaper."""
    for task_id, kwargs in sends:
        try:
            dispatch(PARSE_STATEMENT_PART.name, task_id, kwargs)
        except QueueUnavailable:
            logger.warning("Part %s not sent; the reaper sends it", task_id)


class _ParentProgress:
    """The parse task's progress from one part: pages read by all its parts / all pages."""

    def __init__(self, parent: str, ranges: list[range], part_index: int) -> None:
        self.parent, self.ranges, self.part_index = parent, ranges, part_index
        self.part_ids = _part_ids(parent, len(ranges))
        self.page_total = ranges[-1].stop
        self.interval = get_settings().progress_write_interval
        self._last_write = float("-inf")

    def report(self, pages_read: int, force: bool = False) -> None:
        """Write it (throttled), this part having read ``pages_read`` pages; TaskCancelled
        once the parse task was cancelled or ended."""
        now = time.monotonic()
        if not force and now - self._last_write < self.interval:
            return
        self._last_write = now
        engine = get_engine()
        with engine.connect() as conn:
            rows = conn.execute(
                select(TaskStatus.task_id, TaskStatus.progress_percent).where(
                    TaskStatus.task_id.in_(self.part_ids)
                )
            ).all()
        percents = {row.task_id: row.progress_percent for row in rows}
        # The other parts as they last wrote their progress; this one exactly.
        done = pages_read + sum(
            len(pages) * percents.get(task_id, 0) // 100
            for index, (task_id, pages) in enumerate(zip(self.part_ids, self.ranges, strict=True))
            if index != self.part_index
        )
        percent = 1 + PARSING_SHARE * done // self.page_total
        message = f"Parsing page {done}/{self.page_total}"
        if not task_records.record_handed_over_progress(engine, self.parent, percent, message):
            raise TaskCancelled()


@tracked_task(PARSE_STATEMENT_PART)
def parse_statement_part(
    self: TrackedTask,
    user_id: int,
    parent_task_id: str,
    file_path: str,
    part_index: int,
    pages_per_part: int,
    page_total: int,
) -> dict:
    """Read one page range of a long statement; the result is its pages' lines."""
    from backend.services.statements.parts import part_ranges, read_part

    ranges = part_ranges(page_total, pages_per_part)
    parent = _ParentProgress(parent_task_id, ranges, part_index)
    parent.report(0, force=True)  # stops here if the parse task was cancelled meanwhile
    path = require_upload(file_path)
    pages: list[dict[str, Any]] = []
    own = ranges[part_index]
    for page in read_part(path, own):
        pages.append(page.to_json())
        self.progress(100 * len(pages) / len(own), f"Page {page.index + 1} of {page_total}")
        parent.report(len(pages))
    return {"pages": pages}


@tracked_task(MERGE_STATEMENT_PARTS)
def merge_statement_parts(
    self: TrackedTask,
    user_id: int,
    parent_task_id: str,
    file_sha256: str,
    pages_per_part: int,
    page_total: int,
    date_order: str | None = None,
    decimal: str | None = None,
    filename: str | None = None,
) -> dict:
    """Merge the parts' pages, reconcile and save the statement once; finish the parse task."""
    from backend.services.statements.parts import PageLines, merge_parts, part_ranges

    engine = get_engine()
    part_count = len(part_ranges(page_total, pages_per_part))
    part_ids = _part_ids(parent_task_id, part_count)
    with engine.connect() as conn:
        results = conn.execute(
            select(TaskStatus.result).where(
                TaskStatus.task_id.in_(part_ids), TaskStatus.status == TaskState.SUCCESS.value
            )
        ).scalars().all()
    if len(results) != part_count:  # the merge starts once all succeeded: only a bug gets here
        raise RuntimeError(f"{parent_task_id}: {len(results)} of {part_count} parts succeeded")
    merging = f"Merging {page_total} pages"
    if not task_records.record_handed_over_progress(engine, parent_task_id, MERGING, merging):
        raise TaskCancelled()
    pages = [PageLines.from_json(page) for result in results for page in result["pages"]]
    parsed = merge_parts(pages, page_total, date_order=date_order, decimal=decimal)
    saving = f"Saving {len(parsed.transactions)} transactions"
    if not task_records.record_handed_over_progress(engine, parent_task_id, SAVING, saving):
        raise TaskCancelled()
    hints = hint_record(date_order, decimal)
    with engine.begin() as conn:
        if existing_statement_id(conn, user_id, file_sha256, hints) is not None:
            saved = SavedDocument(statement_ids(conn, user_id, file_sha256))
        else:
            saved = save_statement(conn, user_id, file_sha256, parsed, hints, filename)
        summary = imported_summary(conn, saved)
    patiently(
        lambda: task_records.mark_success(engine, parent_task_id, summary), "finishing the parse task"
    )
    return {"statement_id": saved.first}


def _start_merge(engine: Engine, kwargs: dict[str, Any]) -> None:
    """After a part succeeded: the last one records and sends the merge, or revokes the
    parse task when its owner cancelled it meanwhile."""
    from backend.services.statements.parts import part_ranges

    parent = kwargs["parent_task_id"]
    part_count = len(part_ranges(kwargs["page_total"], kwargs["pages_per_part"]))
    with engine.connect() as conn:
        parent_kwargs = conn.scalar(select(TaskStatus.kwargs).where(TaskStatus.task_id == parent)) or {}
    merge_kwargs = {
        "user_id": kwargs["user_id"], "parent_task_id": parent,
        "file_sha256": parent_kwargs.get("file_sha256", ""),
        "pages_per_part": kwargs["pages_per_part"], "page_total": kwargs["page_total"],
        "date_order": parent_kwargs.get("date_order"), "decimal": parent_kwargs.get("decimal"),
        "filename": parent_kwargs.get("filename"),
    }
    merge_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"ledgerflow:{parent}:merge"))
    part_ids = _part_ids(parent, part_count)
    with engine.begin() as conn:
        # Honest while the merge waits in the queue behind other work: it has not started.
        message = f"All {kwargs['page_total']} pages read; waiting for a worker to merge them"
        claimed = task_records.claim_last_step(conn, parent, part_ids, MERGE_WAITING, message)
        if claimed:
            record_task(
                conn, kwargs["user_id"], MERGE_STATEMENT_PARTS.name, merge_kwargs, task_id=merge_id
            )
    if not claimed:
        # Cancelled after its last part had reported: no part is left to see the cancel
        # and no merge will run, so the cancel is recorded here (else PROCESSING for ever).
        task_records.revoke_before_last_step(engine, parent, part_ids, MERGE_WAITING)
        return
    publish_change(parent)
    try:
        dispatch(MERGE_STATEMENT_PARTS.name, merge_id, merge_kwargs)
    except QueueUnavailable:
        logger.warning("Merge %s not sent; the reaper sends it", merge_id)


def _settle(engine: Engine, task_id: str, kwargs: dict[str, Any], is_part: bool) -> None:
    """Move the parse task on after one of its parts or its merge ended."""
    with engine.connect() as conn:
        row = conn.execute(
            select(TaskStatus.status, TaskStatus.error_message, TaskStatus.retryable)
            .where(TaskStatus.task_id == task_id)
        ).first()
    if row is None:
        return
    parent = kwargs["parent_task_id"]
    if row.status == TaskState.SUCCESS.value and is_part:
        _start_merge(engine, kwargs)
    elif row.status == TaskState.FAILED.value:
        task_records.mark_failed(
            engine, parent, row.error_message or "A part of the parse failed",
            retryable=bool(row.retryable),
        )
    elif row.status == TaskState.REVOKED.value:
        task_records.mark_revoked(engine, parent)
    elif row.status != TaskState.SUCCESS.value:
        return  # still to run (a retry, a worker lost)
    _advance_batch_of(engine, parent)


def _advance_batch_of(engine: Engine, parent: str) -> None:
    """The parse task ended outside its own run: move its batch on, if it has one."""
    from backend.tasks.batches import advance_batch

    if task_records.current_state(engine, parent) not in TaskState.final():
        return
    with engine.connect() as conn:
        batch_row_id = batches.batch_of_task(conn, parent)
    if batch_row_id is not None:
        advance_batch(engine, batch_row_id)


def settle_handed_over(engine: Engine) -> int:
    """Beat's reaper: move on the parse tasks waiting for parts that ended outside a run.

    A part or merge whose worker died for the MAX_WORKER_LOSSES-th time is failed by the
    worker's main process or the reaper, and a ``task_postrun`` that could not reach the
    database did nothing: no run is left to move the parse task on, so this does (the
    same steps, each a conditional UPDATE that applies once). Returns how many parse tasks
    it ended.
    """
    waiting_parse = (
        (TaskStatus.task_name == PARSE_STATEMENT.name)
        & (TaskStatus.status == TaskState.PROCESSING.value)
        & TaskStatus.worker.is_(None)
    )
    with engine.connect() as conn:
        waiting = {
            row.task_id: row.created_at
            for row in conn.execute(select(TaskStatus.task_id, TaskStatus.created_at).where(waiting_parse))
        }
        if not waiting:
            return 0
        helpers = conn.execute(
            select(TaskStatus.task_id, TaskStatus.task_name, TaskStatus.status, TaskStatus.kwargs)
            .where(TaskStatus.task_name.in_(_HELPERS), TaskStatus.created_at >= min(waiting.values()))
            .where(TaskStatus.status.in_([state.value for state in TaskState.final()]))
        ).all()
    moved = 0
    for helper in helpers:
        kwargs = helper.kwargs or {}
        if kwargs.get("parent_task_id") not in waiting:
            continue
        _settle(engine, helper.task_id, kwargs, helper.task_name == PARSE_STATEMENT_PART.name)
        if task_records.current_state(engine, kwargs["parent_task_id"]) is not TaskState.PROCESSING:
            del waiting[kwargs["parent_task_id"]]
            moved += 1
    return moved


@task_postrun.connect
def _after_helper(
    task_id: str | None = None, task: Task | None = None, kwargs: dict[str, Any] | None = None, **_: Any
) -> None:
    """A part or merge ended (or was handed back): start the merge, or end the parse task."""
    if task_id is None or task is None or task.name not in _HELPERS or not kwargs:
        return
    try:
        _settle(get_engine(), task_id, kwargs, task.name == PARSE_STATEMENT_PART.name)
    except (SQLAlchemyError, QueueUnavailable):
        logger.exception("Could not move the parse task of %s on", task_id)
