"""Removal of old finished tasks and the files they own (the nightly cleanup)."""

from __future__ import annotations

import zlib
from collections.abc import Collection
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Connection, Engine, func, select

from backend.models import TaskStatus
from backend.services import batches, idempotency, task_records
from backend.services.storage import StoredFile, delete_files, place

# The class of the stored files' locks (PostgreSQL's pg_advisory_xact_lock(int4, int4), a
# key per path): a constant no other advisory lock of the database uses ("LFFL").
FILE_LOCK_CLASS = 0x4C46_464C
# Files checked and deleted per transaction: each holds an advisory lock until it ends, and
# PostgreSQL's lock table has room for max_locks_per_transaction (64) per connection, shared:
# the nightly cleanup's thousands of files at once would run out of it.
FILES_PER_TRANSACTION = 50


def nightly_cleanup(
    engine: Engine, storage_dir: Path, now: datetime, retention_days: int,
    failed_retention_days: int,
) -> dict[str, int]:
    """The nightly cleanup: batches finished longer ago than the retention, final tasks
    as old (FAILED ones kept longer) and their files, and Idempotency-Keys past their day;
    how many of each went. The batches first: their tasks are kept while they are
    (``task_records.finished_before``), and go with them the same night. Before those, the
    open batches nothing of which moved for the retention are ended
    (``batches.end_abandoned``), to go as finished ones do."""
    cutoff = now - timedelta(days=retention_days)
    batches_ended = batches.end_abandoned(
        engine, cutoff, task_records.abandoned_message(retention_days)
    )
    batches_removed = batches.remove_finished_before(engine, cutoff)
    removed = remove_expired_tasks(engine, storage_dir, now, retention_days, failed_retention_days)
    return {
        **removed,
        "batches_ended": batches_ended,
        "batches_removed": batches_removed,
        "idempotency_keys_removed": idempotency.remove_expired(engine, now),
    }


def remove_expired_tasks(
    engine: Engine,
    storage_dir: Path,
    now: datetime,
    retention_days: int,
    failed_retention_days: int,
) -> dict[str, int]:
    """Delete final tasks older than the retention (FAILED ones kept longer) and their files.

    A file is only deleted when no remaining task still refers to it (the same upload
    sent twice is stored once). Returns ``{"tasks_removed": n, "files_removed": m}``.
    """
    expired = task_records.finished_before(
        engine,
        cutoff=now - timedelta(days=retention_days),
        failed_cutoff=now - timedelta(days=failed_retention_days),
    )
    removed = task_records.delete_records(engine, [task_id for task_id, _ in expired])
    return {
        "tasks_removed": removed,
        "files_removed": delete_unreferenced_files(
            engine, {path for _, path in expired if path}, storage_dir
        ),
    }


def delete_unreferenced_files(engine: Engine, paths: set[str], storage_dir: Path) -> int:
    """Delete those of ``paths`` that no task_status row refers to any more.

    The check and the deletion hold the files' locks (``hold_files``), which an upload of
    the same bytes holds while it places its file and records its task
    (``place_uploads``): the upload's row is either seen here, or its file put back after.
    """
    ordered = sorted(paths)
    removed = 0
    for start in range(0, len(ordered), FILES_PER_TRANSACTION):
        some = set(ordered[start : start + FILES_PER_TRANSACTION])
        with engine.begin() as conn:
            hold_files(conn, some)
            still_used = set(
                conn.execute(
                    select(TaskStatus.file_path).where(TaskStatus.file_path.in_(some))
                ).scalars()
            )
            removed += delete_files(some - still_used, storage_dir)
    return removed


class UploadRemoved(Exception):
    """A stored upload a task was about to read again (a retry's) was deleted on purpose:
    its last task was removed (DELETE /tasks/{id}, the nightly cleanup) meanwhile."""


def removed_uploads(
    conn: Connection, paths: Collection[str], recording: Collection[str] = ()
) -> set[str]:
    """Hold the locks of ``paths``, stored uploads that the tasks this write transaction
    records read (a retry's: the file of the task it runs again), until it ends; return
    those a removal deleted on purpose: gone, and no task row but those of ``recording``
    (the task ids this transaction records) refers to them (``delete_unreferenced_files``
    deletes only such files). A removal after this transaction sees its rows. A file gone
    while a row still refers to it was lost by the storage (a volume not mounted): its task
    runs and fails saying so, retryable, as any task whose file the storage lost."""
    hold_files(conn, paths)
    gone = {path for path in paths if not Path(path).is_file()}
    if not gone:
        return set()
    referred = conn.scalars(
        select(TaskStatus.file_path).where(
            TaskStatus.file_path.in_(gone), TaskStatus.task_id.not_in(list(recording))
        )
    )
    return gone - set(referred)


def place_uploads(conn: Connection, uploads: Collection[StoredFile]) -> None:
    """Move uploads to their paths, in the write transaction that records their tasks
    (after their rows, whose INSERT takes the user's cap lock first: always that order),
    holding the files' locks until it ends."""
    hold_files(conn, {str(upload.path) for upload in uploads})
    for upload in uploads:
        place(upload)


def hold_files(conn: Connection, paths: Collection[str]) -> None:
    """Wait until no other transaction holds the lock of any of ``paths``, and hold them
    until the caller's write transaction ends. On PostgreSQL an advisory lock per path,
    taken in one order (no two holders wait for each other); on SQLite the write
    transaction's lock, the database's one, is that lock already."""
    if conn.dialect.name != "postgresql":
        return
    for key in sorted({_file_key(path) for path in paths}):
        conn.execute(select(func.pg_advisory_xact_lock(FILE_LOCK_CLASS, key)))


def _file_key(path: str) -> int:
    """A path's lock key, an int4 (two paths sharing one only wait for each other)."""
    return zlib.crc32(path.encode()) - 2**31
