"""Dependencies shared by the routers: settings, database session, current user, and the
user's own rows (``owned``; ``OwnedStatement``, ``OwnedTask``... for routes that need only
the row), where someone else's id answers 404 as if it did not exist."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, TypeVar

from fastapi import Depends, HTTPException, Path, Request, status
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from backend.api.errors import ApiError, ErrorCode, raises
from backend.api.schemas import MAX_BIGINT, MAX_INT32
from backend.api.web_session import cookie_token
from backend.config import Settings, get_settings
from backend.db import PREPARED_OPTION, get_session, get_write_session, prepared
from backend.models import CategoryRule, Schedule, Statement, TaskStatus, User, Webhook
from backend.security import InvalidTokenError, TokenClaims, decode_access_token

# auto_error=False: without a Bearer header the web app's session cookie is looked at.
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/auth/token", auto_error=False)


async def current_settings() -> Settings:
    """FastAPI dependency: the process-wide settings. A coroutine, so that FastAPI calls it
    on the event loop: a plain function would cost every request a hop to the threadpool
    and back (docs/performance.md). Tests override this one to change a setting."""
    return get_settings()


SettingsDep = Annotated[Settings, Depends(current_settings)]
SessionDep = Annotated[Session, Depends(get_session)]
# For endpoints that write through the ORM: on SQLite its transaction takes the write lock
# up front, so a write after a read cannot fail because another connection wrote between.
WriteSessionDep = Annotated[Session, Depends(get_write_session)]


def is_task_id(text: str) -> bool:
    """Whether ``text`` can be a task id (a UUID, as the server makes them). Anything else
    is answered 404 before a query: a NUL, say, PostgreSQL text cannot even compare."""
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def unauthorized(detail: str = "Could not validate credentials") -> HTTPException:
    """The 401 of a request without valid credentials."""
    return HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail=detail,
        headers={"WWW-Authenticate": "Bearer"},
    )


def get_token_claims(token: str, settings: Settings) -> TokenClaims:
    """The claims of a bearer token; 401 when it is not valid."""
    try:
        return decode_access_token(token, settings)
    except InvalidTokenError:
        raise unauthorized() from None


# 403: the web app's CSRF check, on the methods that change something.
@raises(403, methods=("POST", "PUT", "PATCH", "DELETE"))
async def request_token_claims(
    request: Request, token: Annotated[str | None, Depends(oauth2_scheme)], settings: SettingsDep
) -> TokenClaims:
    """The claims of the request's bearer token, else of the web app's session cookie
    (403 for a state-changing request without its CSRF token); 401 when neither is valid.

    A coroutine although it blocks on nothing: FastAPI runs it on the event loop instead
    of a threadpool hop (the JWT check takes tens of microseconds)."""
    if token is None:
        token = cookie_token(request, settings)
    if token is None:
        raise unauthorized("Not authenticated")
    return get_token_claims(token, settings)


TokenClaimsDep = Annotated[TokenClaims, Depends(request_token_claims)]


def token_user_id(claims: TokenClaims) -> int:
    """The id of the user the token was issued to (not yet checked against ``users``);
    401 for a subject that cannot be one."""
    # ASCII digits only (``str.isdigit`` takes '²', which int() refuses) and an id the
    # users table can hold: a subject past either was a 500, not a 401.
    if not (claims.subject.isascii() and claims.subject.isdigit()):
        raise unauthorized()
    user_id = int(claims.subject)
    if user_id > MAX_BIGINT:
        raise unauthorized()
    return user_id


def get_current_user(claims: TokenClaimsDep, session: SessionDep) -> User:
    """The active user the bearer token was issued to; 401 for anything else."""
    # Prepared on PostgreSQL (backend/db.py ``prepared``): every authenticated request runs it.
    user = session.get(User, token_user_id(claims), execution_options={PREPARED_OPTION: True})
    if user is None or not user.is_active:
        raise unauthorized()
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


@raises(403)
def get_admin_user(user: CurrentUser) -> User:
    """The current user if they are an admin (``users.is_admin``); 403 otherwise."""
    if not user.is_admin:
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail="This needs an administrator's account")
    return user


AdminUser = Annotated[User, Depends(get_admin_user)]


# The ids in the paths, bounded as their columns are: a number out of range is refused
# (422) before it reaches a query, where it would overflow the column type.
StatementId = Annotated[int, Path(ge=1, le=MAX_BIGINT)]
RuleId = Annotated[int, Path(ge=1, le=MAX_INT32)]
ScheduleId = Annotated[int, Path(ge=1, le=MAX_INT32)]
WebhookId = Annotated[int, Path(ge=1, le=MAX_INT32)]

# The rows a user owns (each has a ``user_id``).
_Row = TypeVar("_Row", Statement, CategoryRule, Schedule, Webhook, TaskStatus)


def not_found(what: str) -> ApiError:
    """The 404 of a row that is missing or someone else's (the two look the same)."""
    return ApiError(status.HTTP_404_NOT_FOUND, f"{what} not found", ErrorCode.NOT_FOUND)


def owned(
    session: Session,
    model: type[_Row],
    user: User,
    row_id: Any,
    what: str,
    key: InstrumentedAttribute[Any] | None = None,
    for_update: bool = False,
) -> _Row:
    """The ``user``'s ``model`` row whose ``key`` column (its ``id`` unless given) is
    ``row_id``; 404 "<what> not found" when it is missing or someone else's: another
    user's id must look exactly like one that does not exist.

    ``for_update``, for a route that changes or deletes the row in ``session`` (a
    WriteSessionDep): the row stays locked until its commit. Read without the lock, a row
    that another request deleted before the change was written made the ORM's UPDATE
    match nothing (StaleDataError: 500); with it, the other request waits, or went first
    and this one answers 404. (SQLite's writing session holds the write lock already.)"""
    column = model.id if key is None else key
    query = select(model).where(column == row_id, model.user_id == user.id)
    # Prepared: the read of every request on one row (a task's status, polled while it runs).
    row = session.scalar(prepared(query.with_for_update() if for_update else query))
    if row is None:
        raise not_found(what)
    return row


def owned_task(session: Session, user: User, task_id: str) -> TaskStatus:
    """The user's task with this id; 404 also for text that cannot be a task id."""
    if not is_task_id(task_id):
        raise not_found("Task")
    return owned(session, TaskStatus, user, task_id, "Task", key=TaskStatus.task_id)


# For routes that need only the row (they read it, or change it in the same session:
# FastAPI gives a request one SessionDep). Routes that write through WriteSessionDep,
# or that must check their body before the id, call ``owned`` themselves.
def _owned_task(task_id: str, user: CurrentUser, session: SessionDep) -> TaskStatus:
    return owned_task(session, user, task_id)


def _owned_statement(statement_id: StatementId, user: CurrentUser, session: SessionDep) -> Statement:
    return owned(session, Statement, user, statement_id, "Statement")


def _owned_rule(rule_id: RuleId, user: CurrentUser, session: SessionDep) -> CategoryRule:
    return owned(session, CategoryRule, user, rule_id, "Rule")


def _owned_schedule(schedule_id: ScheduleId, user: CurrentUser, session: SessionDep) -> Schedule:
    return owned(session, Schedule, user, schedule_id, "Schedule")


def _owned_webhook(webhook_id: WebhookId, user: CurrentUser, session: SessionDep) -> Webhook:
    return owned(session, Webhook, user, webhook_id, "Webhook")


OwnedTask = Annotated[TaskStatus, Depends(_owned_task)]
OwnedStatement = Annotated[Statement, Depends(_owned_statement)]
OwnedRule = Annotated[CategoryRule, Depends(_owned_rule)]
OwnedSchedule = Annotated[Schedule, Depends(_owned_schedule)]
OwnedWebhook = Annotated[Webhook, Depends(_owned_webhook)]
