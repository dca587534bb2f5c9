"""Registration, login (OAuth2 password flow) and the current user.

Both registration and login are rate-limited per client IP and per email address
(``backend/api/ratelimit.py``), before any password is hashed or checked.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from backend.api.deps import CurrentUser, SessionDep, SettingsDep, WriteSessionDep
from backend.api.errors import error_responses
from backend.api.ratelimit import enforce_auth_limits, forget_account_attempts
from backend.api.routing import OneHopRoute
from backend.api.schemas import MeOut, RegisterIn, SessionOut, TokenOut, UserOut
from backend.api.web_session import clear_session_cookies, cookie_token, set_session_cookies
from backend.models import User
from backend.security import create_access_token, hash_password, verify_password
from backend.services.admins import is_admin_email
from backend.services.emails import canonical_email

router = APIRouter(prefix="/auth", tags=["auth"], route_class=OneHopRoute)

# Checked against when the email is unknown, so both failures take the same time.
_DUMMY_HASH = hash_password("timing-equaliser")


@router.post(
    "/register", status_code=status.HTTP_201_CREATED, response_model=UserOut,
    responses=error_responses(409, 429),
)
def register(
    body: RegisterIn, session: WriteSessionDep, request: Request, settings: SettingsDep
) -> User:
    """Create an account; 409 if the email is taken, 429 after too many attempts.

    A write session: on SQLite a read transaction that then inserts fails at once
    ("database is locked") when a worker wrote in between. The password is hashed
    before the first statement, so the write lock is not held through bcrypt.
    """
    email = canonical_email(body.email) or body.email.lower()  # EmailStr: always an address
    enforce_auth_limits("register", request, email, settings)
    taken = HTTPException(status.HTTP_409_CONFLICT, detail="A user with this email already exists")
    password_hash = hash_password(body.password)
    if session.scalar(select(User.id).where(func.lower(User.email) == email)) is not None:
        raise taken
    user = User(
        email=email, password_hash=password_hash,
        is_admin=is_admin_email(email, settings.admin_email_set),
    )
    session.add(user)
    try:
        session.commit()
    except IntegrityError:  # registered concurrently
        session.rollback()
        raise taken from None
    return user


def authenticated_user(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    settings: SettingsDep,
    request: Request,
) -> User:
    """The active user the form's email (as ``username``) and password belong to; 401
    otherwise, 429 after too many attempts."""
    # The address as registration stored it; text that is no address (a NUL, which
    # PostgreSQL refuses in a query parameter, say) belongs to no account.
    canonical = canonical_email(form.username)
    email = canonical or form.username.lower()
    enforce_auth_limits("login", request, email, settings)
    user = None if canonical is None else session.scalar(select(User).where(User.email == canonical))
    password_ok = verify_password(form.password, user.password_hash if user else _DUMMY_HASH)
    if user is None or not password_ok or not user.is_active:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="Incorrect email or password",
            headers={"WWW-Authenticate": "Bearer"},
        )
    forget_account_attempts("login", email, settings)
    return user


# The same check for the bearer token and the web app's cookie session.
AuthenticatedUser = Annotated[User, Depends(authenticated_user)]


@router.post("/token", response_model=TokenOut, responses=error_responses(401, 429))
def login(user: AuthenticatedUser, settings: SettingsDep) -> TokenOut:
    """Exchange email (as ``username``) and password for a bearer token; 429 after too many attempts."""
    token, expires_in = create_access_token(str(user.id), settings)
    return TokenOut(access_token=token, expires_in=expires_in)


@router.post("/session", response_model=SessionOut, responses=error_responses(401, 429))
def sign_in(
    user: AuthenticatedUser, settings: SettingsDep, request: Request, response: Response
) -> SessionOut:
    """The web app's sign-in: the same check as ``/auth/token``, but the token goes into an
    HttpOnly cookie, with a CSRF token (also in the readable ``lf_csrf`` cookie) that
    state-changing requests must echo in ``X-CSRF-Token``."""
    token, expires_in = create_access_token(str(user.id), settings)
    csrf = set_session_cookies(response, request, token, expires_in, settings)
    return SessionOut(user=UserOut.model_validate(user), csrf_token=csrf, expires_in=expires_in)


@router.delete(
    "/session", status_code=status.HTTP_204_NO_CONTENT, responses=error_responses(403)
)
def sign_out(request: Request, settings: SettingsDep) -> Response:
    """Sign out of the web app: both cookies are expired (CSRF token required with them)."""
    cookie_token(request, settings)
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    clear_session_cookies(response, request)
    return response


@router.get("/me", response_model=MeOut)
def me(user: CurrentUser, settings: SettingsDep) -> MeOut:
    """The user the token belongs to, and the upload limits that apply to them."""
    fields = UserOut.model_validate(user).model_dump()
    return MeOut(
        **fields, max_upload_bytes=settings.max_upload_bytes,
        max_batch_files=settings.max_batch_files, max_active_tasks=settings.user_max_active_tasks,
    )
