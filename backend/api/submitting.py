"""Submitting work on a user's behalf, the same way from every endpoint."""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException, status
from fastapi.concurrency import run_in_threadpool

from backend.config import get_settings
from backend.db import get_engine
from backend.api.schemas import TaskSubmitted
from backend.models import User
from backend.services.retention import delete_unreferenced_files
from backend.services.storage import StoredFile
from backend.tasks.submission import QueueUnavailable, submit_task

QUEUE_UNAVAILABLE = HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "task queue unavailable")


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
    """Submit a task that owns ``upload``; the file goes again if the task can't be queued."""
    path = str(upload.path)
    try:
        return await run_in_threadpool(submit_for_user, user, task_name, kwargs, path)
    except HTTPException:
        await run_in_threadpool(
            delete_unreferenced_files, get_engine(), {path}, get_settings().storage_dir
        )
        raise
