"""Removal of old finished tasks and the files they own (the nightly cleanup)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, select

from backend.models import TaskStatus
from backend.services import task_records
from backend.services.storage import delete_files


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
    """Delete those of ``paths`` that no task_status row refers to any more."""
    if not paths:
        return 0
    with engine.connect() as conn:
        still_used = set(
            conn.execute(
                select(TaskStatus.file_path).where(TaskStatus.file_path.in_(paths))
            ).scalars()
        )
    return delete_files(paths - still_used, storage_dir)
