"""Batches: many statement PDFs in one upload, tracked per item, with an optional pipeline."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request, status
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from backend.api.deps import CurrentUser, SettingsDep, is_task_id, not_found
from backend.api.errors import error_responses
from backend.api.routing import OneHopRoute
from backend.api.schemas import MAX_BIGINT
from backend.api.submitting import SubmitterDep, discard_upload
from backend.api.tasks import cancel_tasks
from backend.api.uploads import PdfUploads, pdf_upload_openapi, receive_pdfs
from backend.db import get_engine
from backend.models import TaskState
from backend.services import batches
from backend.services.batches import PIPELINES, BatchView
from backend.services.errors import InvalidInputError
from backend.services.storage import drop_staged
from backend.tasks.batches import BatchFile, advance_batch, retry_failed, submit_batch

router = APIRouter(prefix="/batches", tags=["batches"], route_class=OneHopRoute)

FILES_FIELD = "files"
PIPELINE_FIELD = "then"
BATCH_FIELDS = {
    PIPELINE_FIELD: {
        "type": "string", "enum": list(PIPELINES),
        "description": "once every item is final, categorize the imported statements' "
        "transactions with your saved rules (and then write a report of them)",
    },
}
BatchId = Annotated[str, Path(description="the batch_id POST /batches answered")]


class BatchItemSubmitted(BaseModel):
    item_id: int
    filename: str


class BatchSubmitted(BaseModel):
    batch_id: str
    status: str = "submitted"
    item_count: int
    items: list[BatchItemSubmitted]


class BatchItemOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    item_id: int
    filename: str
    status: str
    statement_id: int | None
    error_message: str | None
    task_id: str | None
    # Its task's progress (as GET /tasks/{task_id}/status gives it): one poll of the batch
    # follows every file, where a stream per file would take a browser's every connection.
    progress_percent: int
    progress_message: str | None


class BatchStepOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    step: str
    task_id: str | None
    status: str | None
    error_message: str | None


class BatchOut(BaseModel):
    """A batch as ``services.batches`` reads it (``BatchView``), read off its attributes."""

    model_config = ConfigDict(from_attributes=True)

    batch_id: str
    status: str
    total: int
    succeeded: int
    failed: int
    # Items cancelled, on their own or with the batch (REVOKED): not counted as failed.
    cancelled: int
    pending: int
    progress_percent: int
    report_id: str | None
    # Called "then" in the request that asked for it.
    then: str | None = Field(validation_alias="pipeline")
    pipeline_note: str | None
    steps: list[BatchStepOut]
    created_at: datetime
    finished_at: datetime | None
    items: list[BatchItemOut]

    @classmethod
    def of(cls, view: BatchView) -> BatchOut:
        return cls.model_validate(view)


class BatchPage(BaseModel):
    items: list[BatchOut]
    total: int


class RetryOut(BaseModel):
    retried: int
    # FAILED items that cannot run again: uploads that were refused (no file was kept)
    # and items whose task record was deleted.
    not_retryable: int


class CancelOut(BaseModel):
    message: str
    cancelled: int


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=BatchSubmitted,
    openapi_extra=pdf_upload_openapi(BATCH_FIELDS, file_field=FILES_FIELD, many=True),
)
async def create_batch(
    request: Request, user: CurrentUser, settings: SettingsDep, submitter: SubmitterDep
) -> BatchSubmitted:
    """Queue up to MAX_BATCH_FILES statement PDFs (repeated multipart field ``files``) as
    one batch. A file that is not a PDF, is empty or larger than MAX_UPLOAD_MB becomes
    an item that is FAILED at once, with the reason; it does not fail the request.
    ``then=categorize`` or ``then=categorize,report`` runs a pipeline on the imported
    statements once every item is final. 429 (nothing queued) when the batch would
    take you past USER_MAX_ACTIVE_TASKS."""
    upload = await receive_pdfs(
        request, settings, user.id, FILES_FIELD, settings.max_batch_files, {PIPELINE_FIELD}
    )
    try:
        pipeline = batches.parse_pipeline(upload.fields.get(PIPELINE_FIELD))
        files = [BatchFile(file.filename, file.file, file.error) for file in upload.files]
        # What a repeated Idempotency-Key must match: the same files in the same order.
        fingerprint = {
            "task": "batch",
            "request": {
                "files": [[file.filename, file.stored.sha256 if file.stored else file.error]
                          for file in files],
                "then": pipeline,
            },
        }
        answer = await run_in_threadpool(
            submitter.run,
            fingerprint,
            lambda record_answer: submit_batch(
                get_engine(), user.id, files, pipeline, record_answer, submitter.cap
            ),
            sum(file.stored is not None for file in files),
        )
    except InvalidInputError as exc:
        await _discard(upload)
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail=str(exc)) from None
    except Exception:
        await _discard(upload)
        raise
    finally:
        for file in upload.files:  # not placed: a repeated Idempotency-Key's first answer
            if file.file is not None:
                drop_staged(file.file)
    return BatchSubmitted.model_validate(answer)


async def _discard(upload: PdfUploads) -> None:
    """The files of a batch that was not queued go again (unless another task has them)."""
    for file in upload.files:
        if file.file is not None:
            await run_in_threadpool(discard_upload, file.file)


@router.get("", response_model=BatchPage)
def list_batches(
    user: CurrentUser,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_BIGINT)] = 0,
) -> BatchPage:
    """The user's batches, newest first (each without its items: GET /batches/{id})."""
    with get_engine().connect() as conn:
        views, total = batches.list_batches(conn, user.id, limit, offset)
    return BatchPage(items=[BatchOut.of(view) for view in views], total=total)


@router.get("/{batch_id}", response_model=BatchOut)
def get_batch(batch_id: BatchId, user: CurrentUser) -> BatchOut:
    """A batch's status, counts and progress, and each item's state and statement."""
    view = None
    if is_task_id(batch_id):  # batch ids are UUIDs like task ids
        with get_engine().connect() as conn:
            view = batches.get_batch(conn, user.id, batch_id)
    if view is None:
        raise not_found("Batch")
    return BatchOut.of(view)


def _owned_row_id(user_id: int, batch_id: str) -> int:
    """The row id of the user's batch; 404 when it is missing or someone else's."""
    row_id = None
    if is_task_id(batch_id):
        with get_engine().connect() as conn:
            row_id = batches.owned_batch_row_id(conn, user_id, batch_id)
    if row_id is None:
        raise not_found("Batch")
    return row_id


@router.post(
    "/{batch_id}/retry_failed", status_code=status.HTTP_202_ACCEPTED, response_model=RetryOut,
    responses=error_responses(409),
)
def retry_failed_items(
    batch_id: BatchId, user: CurrentUser, submitter: SubmitterDep
) -> RetryOut:
    """Run the batch's FAILED items again, each as a new task with the same file (a
    statement that was imported meanwhile is found by its hash, not imported twice).
    Only failures another run can help (``retryable`` on their task: a service away, a
    bug); the others, and uploads that were refused (no file to run), are counted in
    ``not_retryable``. The batch is open again until they end, and its pipeline runs
    again."""
    row_id = _owned_row_id(user.id, batch_id)
    engine = get_engine()
    with engine.connect() as conn:
        if batches.is_cancelled(conn, row_id):
            raise HTTPException(
                status.HTTP_409_CONFLICT, detail="The batch was cancelled; submit its files anew"
            )
        retryable = len(batches.plan_retry(conn, row_id).items)
    try:
        answer = submitter.run(
            {"task": "batch_retry_failed", "request": {"batch_id": batch_id}},
            lambda record_answer: retry_failed(engine, row_id, record_answer, submitter.cap),
            retryable,
        )
    except batches.BatchGone:  # removed by the nightly cleanup since the look above
        raise not_found("Batch") from None
    return RetryOut.model_validate(answer)


@router.delete("/{batch_id}", response_model=CancelOut, responses=error_responses(409))
async def cancel_batch(batch_id: BatchId, user: CurrentUser, settings: SettingsDep) -> CancelOut:
    """Cancel what has not finished: waiting items at once, running ones the way
    DELETE /tasks/{id} stops a task (cooperatively, terminated after
    CANCEL_GRACE_SECONDS), and the pipeline. Finished items keep their statements.
    409 when the batch has already finished."""
    row_id = await run_in_threadpool(_owned_row_id, user.id, batch_id)
    engine = get_engine()

    def mark() -> list[str] | None:
        with engine.begin() as conn:
            if not batches.request_cancel(conn, row_id):
                return None
            return batches.active_task_ids(conn, row_id)

    task_ids = await run_in_threadpool(mark)
    if task_ids is None:
        raise HTTPException(
            status.HTTP_409_CONFLICT, detail="The batch has already finished or been cancelled"
        )
    outcome = await cancel_tasks(engine, task_ids, settings.cancel_grace_seconds)
    await run_in_threadpool(advance_batch, engine, row_id)
    # A task still being stopped (PROCESSING) is cancelled too: it ends REVOKED once its
    # worker confirms (cancel_tasks).
    cancelled = sum(
        state in (TaskState.REVOKED, TaskState.PROCESSING) for state in outcome.values()
    )
    return CancelOut(message="Batch cancelled", cancelled=cancelled)
