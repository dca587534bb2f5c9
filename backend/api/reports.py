"""Excel report generation and download."""

from __future__ import annotations

import uuid
from pathlib import Path

from fastapi import APIRouter, HTTPException, status
from fastapi.responses import FileResponse
from sqlalchemy import select

from backend.api.deps import CurrentUser, SessionDep, SettingsDep, is_task_id, not_found, owned
from backend.api.errors import error_responses
from backend.api.routing import OneHopRoute
from backend.api.schemas import ReportIn, TaskSubmitted
from backend.api.submitting import SubmitterDep
from backend.models import Statement, TaskState, TaskStatus
from backend.tasks.kinds import REPORT

router = APIRouter(prefix="/reports", tags=["reports"], route_class=OneHopRoute)

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
    response_class=FileResponse,
    responses={200: {"content": {XLSX_MEDIA_TYPE: {}}, "description": "The .xlsx report"},
               **error_responses(409)},
)
def download_report(report_id: str, user: CurrentUser, session: SessionDep) -> FileResponse:
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
    if not task.file_path or not Path(task.file_path).is_file():
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="The report file no longer exists")
    return FileResponse(
        task.file_path,
        media_type=XLSX_MEDIA_TYPE,
        filename=f"ledgerflow-report-{task.created_at:%Y-%m-%d}-{report_id[:8]}.xlsx",
    )
