"""Excel report generation and download."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from fastapi import APIRouter, HTTPException, status
from fastapi.responses import StreamingResponse
from sqlalchemy import select
from starlette.background import BackgroundTask

from backend.api.deps import CurrentUser, SessionDep, SettingsDep, is_task_id, not_found, owned
from backend.api.errors import error_responses
from backend.api.routing import OneHopRoute
from backend.api.schemas import ReportIn, TaskSubmitted
from backend.api.submitting import SubmitterDep
from backend.models import Statement, TaskState, TaskStatus
from backend.tasks.kinds import REPORT

router = APIRouter(prefix="/reports", tags=["reports"], route_class=OneHopRoute)

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What a download reads from its file per chunk sent (Starlette's FileResponse sends 64 KiB).
DOWNLOAD_CHUNK_BYTES = 64 * 1024


@router.post(
    "/generate_async", status_code=status.HTTP_202_ACCEPTED, response_model=TaskSubmitted,
    responses=error_responses(404),  # a statement_id that is not the user's
)
def generate_report(
    body: ReportIn,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    submitter: SubmitterDep,
) -> TaskSubmitted:
    """Queue an .xlsx report of the user's transactions (optionally one statement, a date range)."""
    if body.statement_id is not None:
        owned(session, Statement, user, body.statement_id, "Statement")
    report_id = str(uuid.uuid4())
    output = settings.storage_dir / str(user.id) / "reports" / f"{report_id}.xlsx"
    request = body.model_dump(mode="json")
    kwargs = {"user_id": user.id, "output_path": str(output), **request}
    return submitter.submit(
        REPORT, kwargs, request=request, file_path=str(output), task_id=report_id
    )


@router.get(
    "/{report_id}/download",
    response_class=StreamingResponse,
    responses={200: {"content": {XLSX_MEDIA_TYPE: {}}, "description": "The .xlsx report"},
               **error_responses(409)},
)
def download_report(report_id: str, user: CurrentUser, session: SessionDep) -> StreamingResponse:
    """Stream a finished report; 409 while it is still being written."""
    if not is_task_id(report_id):  # e.g. a NUL, which PostgreSQL text cannot even compare
        raise not_found("Report")
    task = session.scalar(
        select(TaskStatus).where(
            TaskStatus.task_id == report_id,
            TaskStatus.user_id == user.id,
            TaskStatus.task_name == REPORT.name,
        )
    )
    if task is None:
        raise not_found("Report")
    if task.status != TaskState.SUCCESS.value:
        raise HTTPException(
            status.HTTP_409_CONFLICT, detail=f"Report task is {task.status}; no file to download"
        )
    # Opened here, and sent from this handle: a file deleted once it is open (DELETE of the
    # task, the nightly cleanup) is still read whole. Looked up by path as the response
    # starts (FileResponse), one deleted in between was a 500.
    try:
        # Closed by the response: at the end of its body, or by its background task.
        handle = Path(task.file_path).open("rb") if task.file_path else None  # noqa: SIM115
    except (FileNotFoundError, IsADirectoryError):
        handle = None
    if handle is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="The report file no longer exists")
    name = f"ledgerflow-report-{task.created_at:%Y-%m-%d}-{report_id[:8]}.xlsx"
    return StreamingResponse(
        _chunks(handle),
        media_type=XLSX_MEDIA_TYPE,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Content-Length": str(os.fstat(handle.fileno()).st_size),
        },
        # Closes it too when the client went away before the body started.
        background=BackgroundTask(handle.close),
    )


def _chunks(handle: BinaryIO) -> Iterator[bytes]:
    with handle:
        while chunk := handle.read(DOWNLOAD_CHUNK_BYTES):
            yield chunk
