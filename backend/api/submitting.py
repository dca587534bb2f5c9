"""Submitting work on a user's behalf, the same way from every endpoint.

Every endpoint that queues work takes a ``SubmitterDep``: it carries the user and the
request's ``Idempotency-Key``, refuses a user who already has USER_MAX_ACTIVE_TASKS
unfinished tasks (429), answers a repeated key with the first answer (and creates
nothing), and turns a broker or database outage into 503.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Header, status
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.exc import DBAPIError

from backend.api.deps import CurrentUser
from backend.api.errors import ApiError, ErrorCode, raises
from backend.api.schemas import TaskSubmitted
from backend.config import get_settings
from backend.db import database_unavailable, get_engine
from backend.models import User
from backend.services import idempotency, task_records
from backend.services.idempotency import ClaimState
from backend.services.retention import delete_unreferenced_files
from backend.services.storage import StoredFile, delete_files
from backend.tasks.kinds import TaskKind, hidden_names
from backend.tasks.submission import QueueUnavailable, submit_task

QUEUE_UNAVAILABLE = ApiError(
    status.HTTP_503_SERVICE_UNAVAILABLE,
    "The task queue is unavailable right now; nothing was queued. Please try again shortly.",
    ErrorCode.QUEUE_UNAVAILABLE,
    headers={"Retry-After": "5"},
)
# Seconds a user over the active-task limit is told to wait.
BUSY_RETRY_AFTER_SECONDS = 10


@dataclass(frozen=True)
class Submitter:
    """Queues tasks for one request's user (see the module docstring)."""

    user: User
    idempotency_key: str | None

    def submit(
        self,
        kind: TaskKind,
        kwargs: dict[str, Any] | None = None,
        *,
        request: Any = None,
        file_path: str | None = None,
        task_id: str | None = None,
    ) -> TaskSubmitted:
        """Submit a task of ``kind``; ``request`` is what the client asked for (the JSON
        body, the uploaded file's hash...), which a repeated Idempotency-Key must match.
        ``kwargs`` must fit the kind's argument model: a mistake is a bug (an exception)."""

        def send() -> dict[str, Any]:
            sent = submit_task(get_engine(), self.user.id, kind.name, kwargs, file_path, task_id)
            return TaskSubmitted(task_id=sent).model_dump(mode="json")

        answer = self.run({"task": kind.name, "request": request}, send)
        return TaskSubmitted.model_validate(answer)

    def run(
        self, request: Any, send: Callable[[], dict[str, Any]], new_tasks: int = 1
    ) -> dict[str, Any]:
        """Run ``send`` (which submits ``new_tasks`` tasks and returns the answer's JSON)
        the way every submit runs: the answer of a repeated Idempotency-Key instead (for
        the same ``request``), 429 over the active-task limit, 503 for a broker outage."""
        engine = get_engine()
        key = self.idempotency_key
        if key is not None:
            fingerprint = idempotency.fingerprint(request)
            claim = idempotency.claim(engine, self.user.id, key, fingerprint)
            if claim.state is ClaimState.REPLAY:
                return claim.response or {}
            if claim.state is ClaimState.MISMATCH:
                raise ApiError(
                    status.HTTP_422_UNPROCESSABLE_CONTENT,
                    "This Idempotency-Key was already used for a different request",
                    ErrorCode.IDEMPOTENCY_KEY_REUSED,
                )
            if claim.state is ClaimState.IN_PROGRESS:
                raise ApiError(
                    status.HTTP_409_CONFLICT,
                    "A request with this Idempotency-Key is still being handled; "
                    "try again in a moment",
                    ErrorCode.IDEMPOTENCY_KEY_IN_USE,
                    headers={"Retry-After": "1"},
                )
        try:
            self._check_fair_share(new_tasks)
            answer = send()
        except BaseException as exc:
            if key is not None:
                idempotency.release(engine, self.user.id, key)
            if isinstance(exc, QueueUnavailable):
                raise QUEUE_UNAVAILABLE from None
            raise
        if key is not None:
            idempotency.complete(engine, self.user.id, key, answer)
        return answer

    async def submit_upload(
        self, kind: TaskKind, upload: StoredFile, kwargs: dict[str, Any]
    ) -> TaskSubmitted:
        """Submit a task that owns ``upload``; the file goes again if the task can't be
        queued (whatever stopped it: broker or database away, limits)."""
        path = str(upload.path)
        request = {"file_sha256": upload.sha256}
        try:
            return await run_in_threadpool(
                lambda: self.submit(kind, kwargs, request=request, file_path=path)
            )
        except Exception:
            await run_in_threadpool(discard_upload, upload)
            raise

    def _check_fair_share(self, new_tasks: int = 1) -> None:
        """One user's thousand uploads must not starve everyone else's."""
        limit = get_settings().user_max_active_tasks
        # A long statement's parts are its parse task's work, not more tasks of the user.
        active = task_records.count_active(get_engine(), self.user.id, not_counted=hidden_names())
        if active + new_tasks <= limit:
            return
        more = f" and this would add {new_tasks}" if new_tasks > 1 else ""
        raise ApiError(
            status.HTTP_429_TOO_MANY_REQUESTS,
            f"You already have {active} tasks waiting or running{more}; one user may have "
            f"{limit}: submit more once some have finished",
            ErrorCode.TOO_MANY_ACTIVE_TASKS,
            headers={"Retry-After": str(BUSY_RETRY_AFTER_SECONDS)},
        )


@raises(409, 422, 429, 503)
def get_submitter(
    user: CurrentUser,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            min_length=1,
            max_length=idempotency.MAX_KEY_LENGTH,
            description="Send the same key again (within 24 h) to get the first answer "
            "instead of queueing the work twice.",
        ),
    ] = None,
) -> Submitter:
    return Submitter(user, idempotency_key)


SubmitterDep = Annotated[Submitter, Depends(get_submitter)]


def discard_upload(upload: StoredFile) -> None:
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
