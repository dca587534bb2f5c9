"""State transitions of ``task_status`` rows, in one place for the API and the workers.

Every transition is one conditional UPDATE, so a late or duplicated event (a
redelivered message, a cancel racing a finish) can never move a final task back.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, delete, select, update

from backend.models import TaskState, TaskStatus, utcnow

_table = TaskStatus.__table__
_ACTIVE = (TaskState.PENDING.value, TaskState.PROCESSING.value, TaskState.RETRYING.value)
_FINAL = tuple(state.value for state in TaskState.final())


class StartOutcome(enum.Enum):
    TRACKED = "tracked"  # the row moved to PROCESSING
    UNTRACKED = "untracked"  # no row: sent outside the API (beat, health check, CLI)
    SKIP = "skip"  # cancelled or already final: do not run


def mark_processing(engine: Engine, task_id: str) -> StartOutcome:
    """Move a submitted (or redelivered) task to PROCESSING and count the attempt."""
    now = utcnow()
    with engine.begin() as conn:
        updated = conn.execute(
            update(_table)
            .where(_table.c.task_id == task_id, _table.c.status.in_(_ACTIVE))
            .where(_table.c.cancel_requested_at.is_(None))
            .values(
                status=TaskState.PROCESSING.value,
                attempts=_table.c.attempts + 1,
                started_at=now,
                updated_at=now,
                error_message=None,
            )
        ).rowcount
        if updated:
            return StartOutcome.TRACKED
        exists = conn.execute(select(_table.c.id).where(_table.c.task_id == task_id)).first()
    return StartOutcome.SKIP if exists else StartOutcome.UNTRACKED


def record_progress(engine: Engine, task_id: str, percent: int, message: str | None) -> bool:
    """Store the progress of a running task; returns True when a cancel was requested."""
    with engine.begin() as conn:
        row = conn.execute(
            update(_table)
            .where(_table.c.task_id == task_id, _table.c.status == TaskState.PROCESSING.value)
            .values(progress_percent=percent, progress_message=message, updated_at=utcnow())
            .returning(_table.c.cancel_requested_at)
        ).first()
    return row is not None and row.cancel_requested_at is not None


def _finish(
    engine: Engine,
    task_id: str,
    state: TaskState,
    from_states: tuple[str, ...] = _ACTIVE,
    **values: Any,
) -> bool:
    now = utcnow()
    with engine.begin() as conn:
        return bool(
            conn.execute(
                update(_table)
                .where(_table.c.task_id == task_id, _table.c.status.in_(from_states))
                .values(status=state.value, updated_at=now, completed_at=now, **values)
            ).rowcount
        )


def mark_success(engine: Engine, task_id: str, result: Any) -> bool:
    """Record the result of a task that finished."""
    return _finish(
        engine, task_id, TaskState.SUCCESS, result=result, progress_percent=100,
        progress_message="Done",
    )


def mark_failed(engine: Engine, task_id: str, error_message: str) -> bool:
    """Record a failure with a message that is safe to show the task's owner."""
    return _finish(engine, task_id, TaskState.FAILED, error_message=error_message)


def mark_revoked(engine: Engine, task_id: str, message: str = "Cancelled") -> bool:
    """Record that the task was cancelled; its partial work was rolled back."""
    return _finish(engine, task_id, TaskState.REVOKED, progress_message=message)


def mark_retrying(engine: Engine, task_id: str, error_message: str) -> bool:
    """Record that a transient error happened and the task will run again."""
    with engine.begin() as conn:
        return bool(
            conn.execute(
                update(_table)
                .where(_table.c.task_id == task_id, _table.c.status == TaskState.PROCESSING.value)
                .values(
                    status=TaskState.RETRYING.value,
                    error_message=error_message,
                    updated_at=utcnow(),
                )
            ).rowcount
        )


def revoke_if_pending(engine: Engine, task_id: str) -> bool:
    """Cancel a task that is not running; False if it started or finished meanwhile."""
    return _finish(
        engine,
        task_id,
        TaskState.REVOKED,
        from_states=(TaskState.PENDING.value, TaskState.RETRYING.value),
        progress_message="Cancelled",
        cancel_requested_at=utcnow(),
    )


def request_cancel(engine: Engine, task_id: str) -> bool:
    """Flag a running task; its next progress report sees the flag and stops."""
    with engine.begin() as conn:
        return bool(
            conn.execute(
                update(_table)
                .where(_table.c.task_id == task_id, _table.c.status == TaskState.PROCESSING.value)
                .values(cancel_requested_at=utcnow())
            ).rowcount
        )


def current_state(engine: Engine, task_id: str) -> TaskState | None:
    """The stored state of a task, or None when it has no row."""
    with engine.connect() as conn:
        status = conn.execute(
            select(_table.c.status).where(_table.c.task_id == task_id)
        ).scalar_one_or_none()
    return TaskState(status) if status else None


def finished_before(
    engine: Engine, cutoff: datetime, failed_cutoff: datetime
) -> list[tuple[str, str | None]]:
    """(task_id, file_path) of final tasks old enough to remove; FAILED ones keep longer."""
    completed = _table.c.completed_at
    with engine.connect() as conn:
        rows = conn.execute(
            select(_table.c.task_id, _table.c.file_path).where(
                _table.c.status.in_(_FINAL),
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
