"""Submitting work on a user's behalf, the same way from every endpoint."""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException, status
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.exc import DBAPIError

from backend.api.schemas import TaskSubmitted
from backend.config import get_settings
from backend.db import database_unavailable, get_engine
from backend.models import User
from backend.services.retention import delete_unreferenced_files
from backend.services.storage import StoredFile, delete_files
from backend.tasks.submission import QueueUnavailable, submit_task

QUEUE_UNAVAILABLE = HTTPException(
    status.HTTP_503_SERVICE_UNAVAILABLE,
    "The task queue is unavailable right now; nothing was queued. Please try again shortly.",
    headers={"Retry-After": "5"},
)


def submit_for_user(
    user: User,
    task_name: str,
    kwargs: dict[str, Any] | None = None,
    file_path: str | None = None,
    task_id: str | None = None,
) -> TaskSubmitted:
    """Submit a task owned by ``user``; 503 when the broker cannot be reached."""
    try:
        task_id = submit_task(get_engine(), user.id, task_name, kwargs, file_path, task_id)
    except QueueUnavailable:
        raise QUEUE_UNAVAILABLE from None
    return TaskSubmitted(task_id=task_id)


async def submit_upload(
    user: User, task_name: str, upload: StoredFile, kwargs: dict[str, Any]
) -> TaskSubmitted:
    """Submit a task that owns ``upload``; the file goes again if the task can't be queued.

    Whatever stops the submit (broker or database away), no file is left behind.
    """
    path = str(upload.path)
    try:
        return await run_in_threadpool(submit_for_user, user, task_name, kwargs, path)
    except Exception:
        await run_in_threadpool(_discard_upload, upload)
        raise


def _discard_upload(upload: StoredFile) -> None:
    """Remove an upload whose task was not submitted, unless another task refers to it.

    With the database away the rows cannot be asked: a file this upload created is
    removed anyway (a task that refers to it could only be a concurrent upload of the
    same bytes, which is refused for the same reason), one stored earlier is kept.
    """
    storage_dir = get_settings().storage_dir
    try:
        delete_unreferenced_files(get_engine(), {str(upload.path)}, storage_dir)
    except DBAPIError as exc:
        if not database_unavailable(exc):
            raise
        if upload.created:
            delete_files([str(upload.path)], storage_dir)
