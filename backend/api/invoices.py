"""Invoice uploads for metadata extraction."""

from __future__ import annotations

from fastapi import APIRouter, Request, status

from backend.api.deps import CurrentUser, SettingsDep
from backend.api.routing import OneHopRoute
from backend.api.schemas import TaskSubmitted
from backend.api.submitting import SubmitterDep
from backend.api.uploads import pdf_upload_openapi, receive_pdf
from backend.tasks.kinds import EXTRACT_INVOICE

router = APIRouter(prefix="/invoices", tags=["invoices"], route_class=OneHopRoute)


@router.post(
    "/extract_async",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=TaskSubmitted,
    openapi_extra=pdf_upload_openapi(),
)
async def extract_invoice(
    request: Request, user: CurrentUser, settings: SettingsDep, submitter: SubmitterDep
) -> TaskSubmitted:
    """Queue an invoice PDF (multipart field ``file``) for metadata extraction."""
    upload = (await receive_pdf(request, settings, user.id)).file
    return await submitter.submit_upload(
        EXTRACT_INVOICE, upload,
        {"user_id": user.id, "file_path": str(upload.path)},
    )
