"""Statement uploads and the statements and transactions they produced."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from sqlalchemy import func, select

from backend.api.deps import (
    CurrentUser,
    OwnedStatement,
    SessionDep,
    SettingsDep,
    StatementId,
    WriteSessionDep,
    owned,
)
from backend.api.routing import OneHopRoute
from backend.api.schemas import (
    MAX_BIGINT,
    StatementOut,
    StatementPage,
    TaskSubmitted,
    TransactionOut,
    TransactionPage,
)
from backend.api.submitting import SubmitterDep, discard_upload
from backend.api.transactions import EXPORT_RESPONSES, FormatQuery, export_response
from backend.api.uploads import pdf_upload_openapi, receive_pdf
from backend.db import get_engine
from backend.models import Statement, Transaction
from backend.services.errors import InvalidInputError
from backend.services.exports import ExportFormat, ExportScope
from backend.services.statement_store import ImportedWithOtherHints, existing_statement_id
from backend.services.statement_store import delete_statement as delete_statement_rows
from backend.services.statements.hints import DATE_ORDERS, DECIMAL_MARKS, hint_record
from backend.tasks.kinds import PARSE_STATEMENT

router = APIRouter(tags=["statements"], route_class=OneHopRoute)

# Optional upload fields that override the parser's guesses (backend/services/statements/hints.py).
STATEMENT_HINT_FIELDS = {
    "date_order": {"type": "string", "enum": list(DATE_ORDERS),
                   "description": "order of day, month and year in the statement's dates"},
    "decimal": {"type": "string", "enum": list(DECIMAL_MARKS),
                "description": "the decimal mark of the statement's amounts"},
}

Limit = Annotated[int, Query(ge=1, le=1000)]
# PostgreSQL's OFFSET and the statements' ids are BIGINT.
Offset = Annotated[int, Query(ge=0, le=MAX_BIGINT)]


@router.post(
    "/upload_pdf_async",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=TaskSubmitted,
    openapi_extra=pdf_upload_openapi(STATEMENT_HINT_FIELDS),
)
async def upload_statement(
    request: Request, user: CurrentUser, settings: SettingsDep, submitter: SubmitterDep
) -> TaskSubmitted:
    """Queue a statement PDF (multipart field ``file``) for parsing; 413 too big, 415 not a PDF.

    The optional fields ``date_order`` and ``decimal`` override the parser's guesses for
    a statement that does not show them (422 for another value). A file imported already
    is read again only after its statements are deleted: sent with the same hints it gets
    them back (the task's result), with other hints 409 names them and their hints.
    """
    upload = await receive_pdf(request, settings, user.id, fields=STATEMENT_HINT_FIELDS)
    hints = upload.fields
    try:
        # A bad value, or a file read already with other hints: refused now, not in the task
        # (which checks the latter again, for an upload racing this one).
        record = hint_record(**hints)
        # A repeated Idempotency-Key answers as its first use decided (below): the same
        # task, or 422 for another request, not a 409 that depends on how far it got.
        if not await run_in_threadpool(submitter.key_used_before, PARSE_STATEMENT, upload.file, hints):
            await run_in_threadpool(_imported_with, user.id, upload.file.sha256, record)
    except Exception as exc:  # the file goes whatever stopped it (the database away: 503)
        await run_in_threadpool(discard_upload, upload.file)
        if not isinstance(exc, InvalidInputError):
            raise
        refused = isinstance(exc, ImportedWithOtherHints)
        code = status.HTTP_409_CONFLICT if refused else status.HTTP_422_UNPROCESSABLE_CONTENT
        raise HTTPException(code, detail=str(exc)) from None
    return await submitter.submit_upload(
        PARSE_STATEMENT,
        upload.file,
        {
            "user_id": user.id, "file_path": str(upload.file.path),
            "file_sha256": upload.file.sha256, "filename": upload.filename, **hints,
        },
        fields=hints,
    )


def _imported_with(user_id: int, file_sha256: str, hints: dict[str, str]) -> None:
    """ImportedWithOtherHints if the user imported this file with other parser hints."""
    with get_engine().connect() as conn:
        existing_statement_id(conn, user_id, file_sha256, hints)


@router.get("/statements", response_model=StatementPage)
def list_statements(
    user: CurrentUser, session: SessionDep, limit: Limit = 50, offset: Offset = 0
) -> StatementPage:
    """The user's imported statements, newest first."""
    mine = Statement.user_id == user.id
    rows = session.scalars(
        select(Statement).where(mine).order_by(Statement.id.desc()).limit(limit).offset(offset)
    ).all()
    total = session.scalar(select(func.count()).select_from(Statement).where(mine)) or 0
    return StatementPage(items=[StatementOut.model_validate(row) for row in rows], total=total)


@router.get("/statements/{statement_id}", response_model=StatementOut)
def get_statement(statement: OwnedStatement) -> Statement:
    """One statement's details: bank, account (last 4 digits), period, balances, check."""
    return statement


@router.delete("/statements/{statement_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_statement(statement_id: StatementId, user: CurrentUser, session: WriteSessionDep) -> Response:
    """Delete the statement and its transactions, in one transaction (204). Its file may
    then be uploaded again, with other parser hints; the other statements the same file
    printed (``part``) are not touched."""
    # Not OwnedStatement: the row is read in the write session that deletes it.
    statement = owned(session, Statement, user, statement_id, "Statement")
    delete_statement_rows(session.connection(), statement.id)
    session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/statements/{statement_id}/transactions", response_model=TransactionPage)
def list_transactions(
    statement_id: StatementId,
    user: CurrentUser,
    session: SessionDep,
    limit: Limit = 100,
    offset: Offset = 0,
) -> TransactionPage:
    """The statement's transactions in printed order; ``amount`` < 0 is money out."""
    # Not OwnedStatement: its 404 would come before the 422 of a bad limit or offset.
    statement = owned(session, Statement, user, statement_id, "Statement")
    rows = session.scalars(
        select(Transaction)
        .where(Transaction.statement_id == statement.id)
        .order_by(Transaction.position)
        .limit(limit)
        .offset(offset)
    ).all()
    return TransactionPage(
        items=[TransactionOut.of(row, statement.currency) for row in rows],
        total=statement.transaction_count,
    )


@router.get(
    "/statements/{statement_id}/export",
    response_class=StreamingResponse,
    responses=EXPORT_RESPONSES,
)
def export_statement(
    statement_id: StatementId,
    user: CurrentUser,
    session: SessionDep,
    export_format: FormatQuery = ExportFormat.CSV,
) -> StreamingResponse:
    """The statement's transactions as a csv, ofx (OFX 2.2), qif or json file."""
    statement = owned(session, Statement, user, statement_id, "Statement")
    scope = ExportScope(user_id=user.id, statement_id=statement.id)
    return export_response(scope, export_format, f"ledgerflow-statement-{statement.id}")
