"""The operators' monitoring API: worker nodes, queues and task statistics (admins only).

Worker nodes report themselves into ``worker_nodes`` (``backend/tasks/recovery.py``);
queue depths are asked of the broker; statistics are computed in SQL from
``task_status`` (``backend/services/monitoring.py``). Non-admins get 403.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from backend.api.deps import AdminUser, SettingsDep
from backend.api.routing import OneHopRoute
from backend.db import get_engine
from backend.models import utcnow
from backend.services import monitoring
from backend.tasks.kinds import QUEUES
from backend.tasks.queue_depths import BrokerUnavailable, queue_depths

router = APIRouter(prefix="/admin", tags=["admin"], route_class=OneHopRoute)


class WorkerOut(BaseModel):
    hostname: str
    status: str = Field(description="online, or offline: stopped, or no heartbeat for "
                                    "WORKER_LOST_AFTER_SECONDS")
    queues: list[str]
    active: int = Field(description="tasks running at the last heartbeat")
    processed: int = Field(description="tasks the node finished since it started")
    last_heartbeat: datetime
    started_at: datetime
    stopped_at: datetime | None


class QueueOut(BaseModel):
    name: str
    depth: int = Field(description="messages waiting (not yet taken by a worker)")
    consumers: int = Field(description="online worker nodes consuming the queue")


class TaskStatsOut(BaseModel):
    task_name: str
    submitted: int
    succeeded: int
    failed: int
    retried: int
    p50_seconds: float | None = Field(description="median run time of the finished tasks")
    p95_seconds: float | None
    per_minute: float = Field(description="tasks finished (succeeded or failed) per minute")


class StatsOut(BaseModel):
    window: str
    since: datetime
    tasks: list[TaskStatsOut]


@router.get("/workers", response_model=list[WorkerOut])
def workers(_admin: AdminUser, settings: SettingsDep) -> list[monitoring.WorkerView]:
    """Every worker node that ever reported, online ones first."""
    return monitoring.list_workers(get_engine(), settings.worker_lost_after_seconds)


@router.get("/queues", response_model=list[QueueOut])
async def queues(_admin: AdminUser, settings: SettingsDep) -> list[QueueOut]:
    """Each declared queue's depth (asked of the broker) and its online consumers; 503
    when the broker cannot be reached."""
    try:
        depths = await run_in_threadpool(queue_depths, QUEUES)
    except BrokerUnavailable:
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE, detail="The broker is unavailable; try again shortly",
            headers={"Retry-After": "5"},
        ) from None
    nodes = await run_in_threadpool(
        monitoring.list_workers, get_engine(), settings.worker_lost_after_seconds
    )
    consumers = monitoring.consumers_per_queue(nodes, QUEUES)
    return [QueueOut(name=name, depth=depths[name], consumers=consumers[name]) for name in QUEUES]


@router.get("/stats", response_model=StatsOut)
def stats(
    _admin: AdminUser,
    window: Annotated[str, Query(description="15m, 1h, 24h, 7d: a whole number of minutes, "
                                             "hours or days, at most 30d")] = "1h",
) -> StatsOut:
    """Per task name over the window: submitted, succeeded, failed, retried, run-time
    percentiles and throughput; 422 for a window that is not like ``1h``."""
    try:
        span = monitoring.parse_window(window)
    except monitoring.InvalidWindow as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail=str(exc)) from None
    since = utcnow() - span
    rows = monitoring.task_stats(get_engine(), since, span)
    return StatsOut(
        window=window,
        since=since,
        tasks=[TaskStatsOut.model_validate(row, from_attributes=True) for row in rows],
    )
