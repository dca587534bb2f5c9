"""The user's tasks: list, status, live progress stream, result, cancel, retry."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Response, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError
from sqlalchemy import ColumnElement, Engine, func, select
from sqlalchemy.orm import Session

from backend.api.deps import (
    CurrentUser,
    OwnedTask,
    SessionDep,
    SettingsDep,
    TokenClaimsDep,
    not_found,
    owned_task,
)
from backend.api.errors import error_responses
from backend.api.routing import OneHopRoute
from backend.api.schemas import Message, TaskOut, TaskPage, TaskResultOut, TaskSubmitted
from backend.api.submitting import QUEUE_UNAVAILABLE, SubmitterDep
from backend.db import get_engine, new_session
from backend.models import TaskState, TaskStatus, User, utcnow
from backend.services import task_events, task_records
from backend.services.retention import UploadRemoved, delete_unreferenced_files
from backend.tasks.app import celery_app
from backend.tasks.arguments import OLDER_RELEASE_MESSAGE, UnreadableArguments
from backend.tasks.control import TERMINATE_RUN
from backend.tasks.kinds import PING, UnknownTask, declared, hidden_names, kind_named

router = APIRouter(prefix="/tasks", tags=["tasks"], route_class=OneHopRoute)
logger = logging.getLogger(__name__)

FINAL_STATES = {state.value for state in TaskState.final()}
# Seconds between two looks at the database while waiting for a cancel.
POLL_SECONDS = 0.25
# Seconds a cancel waits for the worker to confirm that a terminated process stopped. The
# pool notices a dead process late: 2.7 s after a SIGTERM that killed at once, measured here.
TERMINATE_CONFIRM_SECONDS = 10.0
# What DELETE answers (202) for a task whose process was told to stop and has not yet.
STILL_STOPPING = (
    "Cancel requested; the task is being stopped and shows REVOKED once its worker has "
    "stopped it. Its record stays until then."
)
# A comment line on an idle event stream this often keeps proxies from closing it.
KEEPALIVE_SECONDS = 15.0


# Names of the kinds a user never sees in GET /tasks (backend/tasks/kinds.py: user_visible).
HIDDEN_KINDS = hidden_names()


# Paging of task listings (here, and a schedule's or a batch's runs).
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=2**63 - 1)]


def task_page(
    session: Session, filters: list[ColumnElement[bool]], limit: int, offset: int
) -> TaskPage:
    """One page of the tasks matching ``filters``, newest first, and how many match in all."""
    total = session.scalar(select(func.count()).select_from(TaskStatus).where(*filters))
    rows = session.scalars(
        select(TaskStatus)
        .where(*filters)
        .order_by(TaskStatus.created_at.desc(), TaskStatus.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return TaskPage(items=[TaskOut.model_validate(row) for row in rows], total=total or 0)


@router.get("", response_model=TaskPage, responses=error_responses(422))
def list_tasks(
    user: CurrentUser,
    session: SessionDep,
    status_: Annotated[TaskState | None, Query(alias="status")] = None,
    task_name: Annotated[str | None, Query(max_length=100, pattern=r"^[^\x00]*$")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> TaskPage:
    """The user's tasks, newest first, optionally filtered by status and task name.

    An unknown status or task name is 422 naming the known ones (a typo such as
    ``parse_pdf`` would otherwise look like a user with no such tasks).
    """
    # The platform's own chores are not the user's to see (none should carry a user id).
    filters = [TaskStatus.user_id == user.id, TaskStatus.task_name.not_in(HIDDEN_KINDS)]
    if status_ is not None:
        filters.append(TaskStatus.status == status_.value)
    if task_name:
        filters.append(TaskStatus.task_name == task_name)
        if not _is_task_name(session, user, task_name):
            known = ", ".join(sorted(kind.name for kind in declared() if kind.user_visible))
            raise HTTPException(
                status.HTTP_422_UNPROCESSABLE_CONTENT,
                detail=f"Unknown task_name {task_name!r}; the task names are: {known}",
            )
    return task_page(session, filters, limit, offset)


def _is_task_name(session: Session, user: User, task_name: str) -> bool:
    """A kind this release declares, or one the user has tasks of (an older release's)."""
    try:
        kind_named(task_name)
    except UnknownTask:
        return session.scalar(
            select(TaskStatus.id).where(
                TaskStatus.user_id == user.id, TaskStatus.task_name == task_name
            ).limit(1)
        ) is not None
    return True


@router.post("/ping", status_code=status.HTTP_202_ACCEPTED, response_model=TaskSubmitted)
def submit_ping(submitter: SubmitterDep) -> TaskSubmitted:
    """Queue the built-in ``ping`` task (a round trip through a worker)."""
    return submitter.submit(PING)


@router.get("/{task_id}/status", response_model=TaskOut)
def task_status(task: OwnedTask) -> TaskStatus:
    """State and progress of one task."""
    return task


@router.get(
    "/{task_id}/events",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "Server-sent events"}},
)
async def stream_task_events(task_id: str, user: CurrentUser, claims: TokenClaimsDep) -> StreamingResponse:
    """Server-sent events: ``status`` each time the task changes, until it is final.

    Changes are pushed (the workers announce every status write over Redis), a comment
    keeps the connection alive every KEEPALIVE_SECONDS, and the stream ends with an
    ``expired`` event when the bearer token does (reconnect with a fresh one).
    """
    await run_in_threadpool(_read_owned, user, task_id)  # 404 before the stream starts
    return StreamingResponse(
        _status_stream(user, task_id, claims.expires_at),
        media_type="text/event-stream",
        # No caching, and no buffering by a reverse proxy (nginx), or events arrive late.
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


def _read_owned(user: User, task_id: str) -> TaskOut:
    with new_session() as session:
        return TaskOut.model_validate(owned_task(session, user, task_id))


async def _status_stream(user: User, task_id: str, token_expires_at: datetime) -> AsyncIterator[str]:
    last = None
    last_sent = time.monotonic()
    async with task_events.listen(task_id) as changes:
        while True:
            try:
                current = await run_in_threadpool(_read_owned, user, task_id)
            except HTTPException:  # deleted while streaming
                return
            snapshot = current.model_dump_json()
            if snapshot != last:
                last, last_sent = snapshot, time.monotonic()
                yield f"event: status\ndata: {snapshot}\n\n"
            if current.status in FINAL_STATES:
                return
            token_left = (token_expires_at - utcnow()).total_seconds()
            if token_left <= 0:
                yield 'event: expired\ndata: {"detail": "The access token expired"}\n\n'
                return
            if time.monotonic() - last_sent >= KEEPALIVE_SECONDS:
                last_sent = time.monotonic()
                yield ": keep-alive\n\n"
            quiet_for = KEEPALIVE_SECONDS - (time.monotonic() - last_sent)
            await changes.wait(max(0.0, min(quiet_for, token_left)))


@router.get("/{task_id}/result", response_model=TaskResultOut, responses=error_responses(409))
def task_result(task: OwnedTask) -> TaskResultOut:
    """The result of a finished task; 409 while it is still pending or running."""
    if task.status not in FINAL_STATES:
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            detail=f"Task is {task.status}; its result is not ready yet",
        )
    return TaskResultOut(
        task_id=task.task_id, status=task.status, result=task.result,
        error_message=task.error_message,
    )


@router.post("/{task_id}/retry", status_code=status.HTTP_202_ACCEPTED, response_model=TaskSubmitted)
def retry_task(
    task_id: str, user: CurrentUser, session: SessionDep, submitter: SubmitterDep
) -> TaskSubmitted:
    """Run a FAILED or cancelled task again, with the same input, as a new task.

    The input was stored by this or an older release: it is read by the versioning rule
    (``backend/tasks/arguments.py``), and 409 says so when it can no longer be. A task
    deleted while its retry is submitted is 404, with nothing queued: its uploaded file
    went with it (no other task had it), which no run could read.
    """
    task = owned_task(session, user, task_id)
    if task.status not in (TaskState.FAILED.value, TaskState.REVOKED.value):
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            detail=f"Only FAILED or REVOKED tasks can be retried; this one is {task.status}",
        )
    try:
        kind = kind_named(task.task_name)
    except UnknownTask:  # a kind this release does not run
        kind = None
    if kind is None or not kind.user_visible:
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            detail=f"Tasks of kind {task.task_name!r} can no longer be run; submit the work anew",
        )
    try:
        kwargs = kind.stored_kwargs(task.kwargs)
    except UnreadableArguments as exc:
        logger.warning("Retry of %s refused: %s", task_id, exc)
        raise HTTPException(status.HTTP_409_CONFLICT, detail=OLDER_RELEASE_MESSAGE) from None
    try:
        return submitter.submit(
            kind, kwargs, request={"retry_of": task_id}, file_path=task.file_path,
            stored_upload=kind.upload_read(kwargs),
        )
    except UploadRemoved:  # DELETE /tasks/{id} (or the cleanup) removed it, and its file
        raise not_found("Task") from None


@router.delete(
    "/{task_id}", response_model=Message,
    responses={202: {"model": Message, "description": STILL_STOPPING}, **error_responses(409, 503)},
)
async def delete_task(
    task_id: str, user: CurrentUser, settings: SettingsDep, response: Response
) -> Message:
    """Cancel a pending or running task, or delete a finished one with its result and files.

    A running task is asked to stop at its next progress report, which rolls back
    its partial work; only if it has not stopped within CANCEL_GRACE_SECONDS is its
    process terminated (Celery's last resort). 200 once it stopped (REVOKED); 202 while
    its worker has not yet confirmed that it stopped: the row stays, and a DELETE sent
    meanwhile cancels again (idempotent) instead of removing it.
    """
    engine = get_engine()
    task = await run_in_threadpool(_read_owned, user, task_id)
    if task.status in FINAL_STATES:
        await run_in_threadpool(_delete_finished, task_id, settings.storage_dir)
        return Message(message="Task result deleted")
    final = (await cancel_tasks(engine, [task_id], settings.cancel_grace_seconds))[task_id]
    if final is TaskState.PROCESSING:
        response.status_code = status.HTTP_202_ACCEPTED
        return Message(message=STILL_STOPPING)
    if final is not TaskState.REVOKED:
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            detail=f"Task finished ({final.value}) before it could be cancelled",
        )
    return Message(message="Task cancelled")


async def cancel_tasks(
    engine: Engine, task_ids: Sequence[str], grace_seconds: float
) -> dict[str, TaskState]:
    """Cancel unfinished tasks; returns each one's state: REVOKED, the final state it
    reached first, or PROCESSING for one still being stopped. (DELETE /tasks/{id} for one
    task, DELETE /batches/{id} for a batch's.)

    A waiting task is revoked at once. A running one is asked to stop at its next
    progress report, which rolls back its partial work; only if it has not stopped
    within ``grace_seconds`` (one grace period for all of them) is its process
    terminated (Celery's last resort). A terminated task becomes REVOKED when the worker's
    main process has seen its process die (``TrackedRequest.on_failure``), never when the
    kill was only sent: the record cannot be removed while the work may still run. One
    whose worker does not confirm within TERMINATE_CONFIRM_SECONDS (its node is gone, or
    the process ignores the signal) stays PROCESSING with its cancel flag: the worker, or
    the reaper once the node's lease expired, records REVOKED (the reaper does not send
    a cancelled task again).
    """
    outcome: dict[str, TaskState] = {}
    running: list[str] = []
    for task_id in task_ids:
        if await run_in_threadpool(task_records.revoke_if_pending, engine, task_id):
            await run_in_threadpool(_revoke_message, task_id, False)
            outcome[task_id] = TaskState.REVOKED
        else:
            await run_in_threadpool(task_records.request_cancel, engine, task_id)
            running.append(task_id)
    await _wait_until_final(engine, running, outcome, grace_seconds)
    for task_id in running:
        await run_in_threadpool(_revoke_message, task_id, True)
    await _wait_until_final(engine, running, outcome, TERMINATE_CONFIRM_SECONDS)
    for task_id in running:
        outcome[task_id] = TaskState.PROCESSING
    return outcome


async def _wait_until_final(
    engine: Engine, running: list[str], outcome: dict[str, TaskState], seconds: float
) -> None:
    """Poll the rows of ``running`` for up to ``seconds``; each that ends is moved from
    ``running`` to ``outcome`` (a row deleted meanwhile counts as REVOKED)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while running:
        for task_id in list(running):
            state = await run_in_threadpool(task_records.current_state, engine, task_id)
            if state is None or state.value in FINAL_STATES:
                outcome[task_id] = state or TaskState.REVOKED
                running.remove(task_id)
        if not running or loop.time() >= deadline:
            return
        await asyncio.sleep(POLL_SECONDS)


def _revoke_message(task_id: str, terminate: bool) -> None:
    """Keep the task's queued copies from starting; with ``terminate``, also stop its run
    on whichever node has it (backend/tasks/control.py says why not Celery's terminate)."""
    try:
        celery_app.control.revoke(task_id)
        if terminate:
            celery_app.control.broadcast(TERMINATE_RUN, arguments={"task_id": task_id})
    except (BrokerError, RedisError, OSError):
        raise QUEUE_UNAVAILABLE from None


def _delete_finished(task_id: str, storage_dir: Path) -> None:
    engine = get_engine()
    with new_session() as session:
        file_path = session.scalar(select(TaskStatus.file_path).where(TaskStatus.task_id == task_id))
    task_records.delete_records(engine, [task_id])
    if file_path:
        delete_unreferenced_files(engine, {file_path}, storage_dir)
