"""Submitting work on a user's behalf, the same way from every endpoint.

Every endpoint that queues work takes a ``SubmitterDep``: it carries the token's user
and the request's ``Idempotency-Key``, refuses a user who already has
USER_MAX_ACTIVE_TASKS unfinished tasks (429) or who is gone or disabled (401), answers a
repeated key with the first answer (and creates nothing), and turns a broker or database
outage into 503.

A plain submit is one SQL statement: the INSERT of the task's row checks the user and
the count itself (``ActiveTaskCap``, backend/tasks/submission.py), and the user is not
read before (no ORM session, docs/performance.md); a batch checks them in the
transaction that records it, before it writes. Either way the check is exact when the
user's submits arrive at the same instant. Endpoints that need the user's row
for other reasons still take ``CurrentUser``. A submit with an
Idempotency-Key claims the key with its answer in the transaction that records the task
(one transaction; the key is never left "in progress" by a request that died); so do
batches, in the transaction that records the batch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Header, status
from fastapi.concurrency import run_in_threadpool
from pydantic import AfterValidator
from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from backend.api.deps import TokenClaimsDep, token_user_id, unauthorized
from backend.api.errors import ApiError, ErrorCode, raises
from backend.api.schemas import TaskSubmitted
from backend.config import get_settings
from backend.db import database_unavailable, get_engine
from backend.services import idempotency
from backend.services.idempotency import Claim, ClaimState
from backend.services.retention import (
    UploadRemoved,
    delete_unreferenced_files,
    place_uploads,
    removed_uploads,
)
from backend.services.storage import StoredFile, delete_files, drop_staged
from backend.tasks.kinds import TaskKind, hidden_names
from backend.tasks.submission import (
    ActiveTaskCap,
    NotAdmitted,
    QueueUnavailable,
    RecordAnswer,
    nothing_to_record,
    submit_task,
    user_standing,
)

QUEUE_UNAVAILABLE = ApiError(
    status.HTTP_503_SERVICE_UNAVAILABLE,
    "The task queue is unavailable right now; nothing was queued. Please try again shortly.",
    ErrorCode.QUEUE_UNAVAILABLE,
    headers={"Retry-After": "5"},
)
# Seconds a user over the active-task limit is told to wait.
BUSY_RETRY_AFTER_SECONDS = 10
# A long statement's parts are its parse task's work, not more tasks of the user.
NOT_COUNTED = frozenset(hidden_names())


class _KeyUsed(Exception):
    """The Idempotency-Key was claimed before (``claim``: what its first use left)."""

    def __init__(self, claim: Claim) -> None:
        super().__init__(claim.state.value)
        self.claim = claim


@dataclass(frozen=True)
class Submitter:
    """Queues tasks for one request's user (see the module docstring)."""

    # Taken from the token: whether the user exists and is active is checked by the submit.
    user_id: int
    idempotency_key: str | None

    def submit(
        self,
        kind: TaskKind,
        kwargs: dict[str, Any] | None = None,
        *,
        request: Any = None,
        file_path: str | None = None,
        task_id: str | None = None,
        upload: StoredFile | None = None,
        stored_upload: str | None = None,
    ) -> TaskSubmitted:
        """Submit a task of ``kind``; ``request`` is what the client asked for (the JSON
        body, the uploaded file's hash...), which a repeated Idempotency-Key must match.
        ``kwargs`` must fit the kind's argument model: a mistake is a bug (an exception).
        ``upload``, the task's file, is placed in the transaction that records the task;
        ``stored_upload``, a file stored before that the task reads (a retry's), is held
        there: UploadRemoved when it was deleted on purpose (``retention.removed_uploads``)."""
        cap = self.cap

        def send(record_answer: RecordAnswer) -> dict[str, Any]:
            def with_answer(conn: Connection, chosen_id: str) -> None:
                if upload is not None:
                    place_uploads(conn, [upload])
                if stored_upload is not None and removed_uploads(conn, [stored_upload], [chosen_id]):
                    raise UploadRemoved()
                record_answer(conn, TaskSubmitted(task_id=chosen_id).model_dump(mode="json"))

            # Without an Idempotency-Key or a file nothing commits with the row: its
            # INSERT alone.
            alone = record_answer is nothing_to_record and upload is None and stored_upload is None
            alongside = None if alone else with_answer
            sent = submit_task(get_engine(), self.user_id, kind.name, kwargs, file_path, task_id,
                               cap=cap, alongside=alongside)
            return TaskSubmitted(task_id=sent).model_dump(mode="json")

        answer = self.run(_keyed_request(kind, request), send)
        return TaskSubmitted.model_validate(answer)

    @property
    def cap(self) -> ActiveTaskCap:
        """What each ``send`` given to ``run`` checks before it records its tasks."""
        return ActiveTaskCap(get_settings().user_max_active_tasks, NOT_COUNTED)

    def key_used_before(
        self, kind: TaskKind, upload: StoredFile, fields: dict[str, str] | None = None
    ) -> bool:
        """Whether the request's Idempotency-Key was used before, for this upload
        (``submit_upload``'s request) or another request. Its answer is then the first
        use's (or 422), whatever else the endpoint would refuse the upload for now: a
        client repeating a request gets the same answer however the world moved on."""
        if self.idempotency_key is None:
            return False
        request = _keyed_request(kind, _upload_request(upload, fields))
        return idempotency.first_use(
            get_engine(), self.user_id, self.idempotency_key, idempotency.fingerprint(request)
        ) is not None

    def run(
        self,
        request: Any,
        send: Callable[[RecordAnswer], dict[str, Any]],
        new_tasks: int = 1,
    ) -> dict[str, Any]:
        """Run ``send`` (which submits ``new_tasks`` tasks and returns the answer's JSON)
        the way every submit runs: the answer of a repeated Idempotency-Key instead (for
        the same ``request``), 401 for a user who is gone or disabled, 429 over the
        active-task limit, 503 for a broker outage. ``send`` checks the user and the
        limit itself, with ``cap``, in the transaction that records its tasks
        (NotAdmitted when refused).

        ``send`` hands its answer to the ``RecordAnswer`` it is given in the transaction
        that records its work: with an Idempotency-Key, that claims the key with the
        answer (``idempotency.claim_in``), so the key commits or rolls back with the work,
        and a request that died half-way leaves no key "in progress"; a key used before
        rolls the work back and answers as its first use decides.
        """
        key = self.idempotency_key
        if key is None:
            try:
                return self._send_admitted(lambda: send(nothing_to_record), new_tasks)
            except QueueUnavailable:
                raise QUEUE_UNAVAILABLE from None
        fingerprint = idempotency.fingerprint(request)

        def claim_with_answer(conn: Connection, answer: dict[str, Any]) -> None:
            claim = idempotency.claim_in(conn, self.user_id, key, fingerprint, answer)
            if claim.state is not ClaimState.CLAIMED:
                raise _KeyUsed(claim)

        engine = get_engine()
        try:
            return self._send_admitted(lambda: send(claim_with_answer), new_tasks)
        except _KeyUsed as used:
            # Seen before: a user who is gone or disabled meanwhile still gets 401.
            if user_standing(engine, self.user_id, NOT_COUNTED) is None:
                raise unauthorized() from None
            return self._answer_for_used_key(used.claim)
        except QueueUnavailable:
            # ``send`` removed its work again: the key goes with it, so that the client
            # may use it again once the queue is back.
            idempotency.release(engine, self.user_id, key)
            raise QUEUE_UNAVAILABLE from None
        except ApiError as refused:
            # Over the active-task limit now, but the key may have been used before: a
            # client that repeats a request that got through gets its first answer.
            if refused.status_code != status.HTTP_429_TOO_MANY_REQUESTS:
                raise
            first = idempotency.first_use(engine, self.user_id, key, fingerprint)
            if first is None:
                raise
            return self._answer_for_used_key(first)

    @staticmethod
    def _answer_for_used_key(claim: Claim) -> dict[str, Any]:
        """The answer to a request whose Idempotency-Key was used before: the first
        answer (same request), 422 (another request) or 409 (the first still running)."""
        if claim.state is ClaimState.REPLAY:
            return claim.response or {}
        if claim.state is ClaimState.MISMATCH:
            raise ApiError(
                status.HTTP_422_UNPROCESSABLE_CONTENT,
                "This Idempotency-Key was already used for a different request",
                ErrorCode.IDEMPOTENCY_KEY_REUSED,
            )
        raise ApiError(
            status.HTTP_409_CONFLICT,
            "A request with this Idempotency-Key is still being handled; "
            "try again in a moment",
            ErrorCode.IDEMPOTENCY_KEY_IN_USE,
            headers={"Retry-After": "1"},
        )

    def _send_admitted(self, send: Callable[[], dict[str, Any]], new_tasks: int) -> dict[str, Any]:
        """``send``, if the user may add ``new_tasks`` tasks; 401 or 429 if not."""
        try:
            return send()
        except NotAdmitted:
            # Refused by its check: find out why. If the count fell meanwhile (a task
            # ended between the two statements), the submit goes ahead after all.
            self._refuse_unless_admitted(new_tasks)
        try:
            return send()
        except NotAdmitted:
            raise self._too_many(get_settings().user_max_active_tasks, new_tasks) from None

    async def submit_upload(
        self, kind: TaskKind, upload: StoredFile, kwargs: dict[str, Any],
        fields: dict[str, str] | None = None,
    ) -> TaskSubmitted:
        """Submit a task that owns ``upload``; the file goes again if the task can't be
        queued (whatever stopped it: broker or database away, limits). ``fields``: the
        form's other fields, which are part of the request an Idempotency-Key stands for
        (the same file with other parser hints is another request: 422, not the old task)."""
        path = str(upload.path)
        request = _upload_request(upload, fields)
        try:
            return await run_in_threadpool(
                lambda: self.submit(kind, kwargs, request=request, file_path=path, upload=upload)
            )
        except Exception:
            await run_in_threadpool(discard_upload, upload)
            raise
        finally:
            drop_staged(upload)  # not placed: a repeated Idempotency-Key's first answer

    def _refuse_unless_admitted(self, new_tasks: int) -> None:
        """401 for a user who is gone or disabled; 429 when ``new_tasks`` more would take
        the user past USER_MAX_ACTIVE_TASKS: one user's thousand uploads must not starve
        everyone else's."""
        active = user_standing(get_engine(), self.user_id, NOT_COUNTED)
        if active is None:
            raise unauthorized()
        if active + new_tasks > get_settings().user_max_active_tasks:
            raise self._too_many(active, new_tasks)

    @staticmethod
    def _too_many(active: int, new_tasks: int) -> ApiError:
        limit = get_settings().user_max_active_tasks
        more = f" and this would add {new_tasks}" if new_tasks > 1 else ""
        return ApiError(
            status.HTTP_429_TOO_MANY_REQUESTS,
            f"You already have {active} tasks waiting or running{more}; one user may have "
            f"{limit}: submit more once some have finished",
            ErrorCode.TOO_MANY_ACTIVE_TASKS,
            headers={"Retry-After": str(BUSY_RETRY_AFTER_SECONDS)},
        )


def _keyed_request(kind: TaskKind, request: Any) -> dict[str, Any]:
    """What an Idempotency-Key stands for: the task and what the client asked for."""
    return {"task": kind.name, "request": request}


def _upload_request(upload: StoredFile, fields: dict[str, str] | None) -> dict[str, Any]:
    """What an upload asks for: the file (by its hash) and the form's other fields."""
    return {"file_sha256": upload.sha256, **(fields or {})}


def _key_as_sent(key: str | None) -> str | None:
    """The Idempotency-Key, or ValueError (a 422) for one ``idempotency.check_key`` refuses.
    The server hands a header over decoded as ISO-8859-1, one character per byte sent, so
    the key is stored and compared as exactly the bytes the client sent."""
    if key is not None:
        idempotency.check_key(key.encode("latin-1"))
    return key


@raises(409, 422, 429, 503)
async def get_submitter(
    claims: TokenClaimsDep,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            min_length=1,
            description="Send the same key again (within 24 h) to get the first answer "
            f"instead of queueing the work twice. 1-{idempotency.MAX_KEY_BYTES} bytes, no "
            "control characters; compared byte for byte.",
            json_schema_extra={"maxLength": idempotency.MAX_KEY_BYTES},
        ),
        AfterValidator(_key_as_sent),
    ] = None,
) -> Submitter:
    return Submitter(token_user_id(claims), idempotency_key)


SubmitterDep = Annotated[Submitter, Depends(get_submitter)]


def discard_upload(upload: StoredFile) -> None:
    """Remove an upload whose task was not submitted: its staged copy, and the file at its
    path unless a task refers to it.

    With the database away the rows cannot be asked: a file this upload created is
    removed anyway (a task that refers to it could only be a concurrent upload of the
    same bytes, which is refused for the same reason), one stored earlier is kept.
    """
    drop_staged(upload)
    storage_dir = get_settings().storage_dir
    try:
        delete_unreferenced_files(get_engine(), {str(upload.path)}, storage_dir)
    except DBAPIError as exc:
        if not database_unavailable(exc):
            raise
        if upload.created:
            delete_files([str(upload.path)], storage_dir)
