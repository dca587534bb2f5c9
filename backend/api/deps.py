"""Dependencies shared by the routers: settings, database session, current user."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from backend.api.errors import raises
from backend.api.web_session import cookie_token
from backend.config import Settings, get_settings
from backend.db import get_session, get_write_session
from backend.models import User
from backend.security import InvalidTokenError, TokenClaims, decode_access_token

# auto_error=False: without a Bearer header the web app's session cookie is looked at.
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/auth/token", auto_error=False)

SettingsDep = Annotated[Settings, Depends(get_settings)]
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


def _unauthorized(detail: str) -> HTTPException:
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
        raise _unauthorized("Could not validate credentials") from None


# 403: the web app's CSRF check, on the methods that change something.
@raises(403, methods=("POST", "PUT", "PATCH", "DELETE"))
def request_token_claims(
    request: Request, token: Annotated[str | None, Depends(oauth2_scheme)], settings: SettingsDep
) -> TokenClaims:
    """The claims of the request's bearer token, else of the web app's session cookie
    (403 for a state-changing request without its CSRF token); 401 when neither is valid."""
    if token is None:
        token = cookie_token(request, settings)
    if token is None:
        raise _unauthorized("Not authenticated")
    return get_token_claims(token, settings)


TokenClaimsDep = Annotated[TokenClaims, Depends(request_token_claims)]


def get_current_user(claims: TokenClaimsDep, session: SessionDep) -> User:
    """The active user the bearer token was issued to; 401 for anything else."""
    subject = claims.subject
    user = session.get(User, int(subject)) if subject.isdigit() else None
    if user is None or not user.is_active:
        raise _unauthorized("Could not validate credentials")
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


@raises(403)
def get_admin_user(user: CurrentUser) -> User:
    """The current user if they are an admin (``users.is_admin``); 403 otherwise."""
    if not user.is_admin:
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail="This needs an administrator's account")
    return user


AdminUser = Annotated[User, Depends(get_admin_user)]
