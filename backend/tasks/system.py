"""Platform tasks: the health-check ping and the nightly cleanup."""

from __future__ import annotations

from backend.config import get_settings
from backend.db import get_engine
from backend.models import utcnow
from backend.services.retention import nightly_cleanup
from backend.tasks.base import TrackedTask, tracked_task
from backend.tasks.kinds import CLEANUP, PING


@tracked_task(PING, ignore_result=False)
def ping(self: TrackedTask) -> str:
    """Answer "pong": proves a worker consumes the default queue and can reach the database."""
    return "pong"


@tracked_task(CLEANUP, ignore_result=False)
def cleanup_old_results(self: TrackedTask) -> dict[str, int]:
    """Remove finished tasks older than TASK_RETENTION_DAYS (FAILED: 30 days) and their files,
    batches finished that long ago, and Idempotency-Keys older than a day."""
    settings = get_settings()
    return nightly_cleanup(
        get_engine(),
        settings.storage_dir,
        now=utcnow(),
        retention_days=settings.task_retention_days,
        failed_retention_days=settings.failed_task_retention_days,
    )
