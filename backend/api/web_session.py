"""The web app's session: the access token in an HttpOnly cookie, and its CSRF token.

A browser signs in with ``POST /auth/session`` and gets two cookies:

- ``lf_session``: the same JWT ``POST /auth/token`` hands out, ``HttpOnly`` (page
  scripts cannot read it), ``SameSite=Strict`` and ``Secure`` when the request came over
  HTTPS;
- ``lf_csrf``: readable by the page, which echoes it in the ``X-CSRF-Token`` header of
  every request that changes state (double submit). It is an HMAC of the session token
  under the server's secret, so a cookie planted by a sibling subdomain without the
  matching session is refused as well.

A request with an ``Authorization: Bearer`` header never looks at the cookies: the
Bearer API is unchanged, and it needs no CSRF token (a page on another site cannot
set that header without CORS allowing it).
"""

from __future__ import annotations

import hashlib
import hmac

from fastapi import HTTPException, Request, Response, status

from backend.config import Settings

SESSION_COOKIE = "lf_session"
CSRF_COOKIE = "lf_csrf"
CSRF_HEADER = "X-CSRF-Token"
# Methods that change nothing: a cookie is enough (EventSource and <a download> send
# no custom header, and need none).
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_FAILED = "Missing or wrong CSRF token: send the lf_csrf cookie's value in the X-CSRF-Token header"


def csrf_token_for(session_token: str, settings: Settings) -> str:
    """The CSRF token that goes with a session token."""
    key = settings.jwt_secret_key.encode()
    return hmac.new(key, b"csrf:" + session_token.encode(), hashlib.sha256).hexdigest()


def cookie_token(request: Request, settings: Settings) -> str | None:
    """The session cookie's token, or None without one; 403 for a state-changing request
    whose CSRF header does not match it."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not hmac.compare_digest(sent.encode(), csrf_token_for(token, settings).encode()):
            raise HTTPException(status.HTTP_403_FORBIDDEN, detail=CSRF_FAILED)
    return token


def set_session_cookies(
    response: Response, request: Request, token: str, max_age: int, settings: Settings
) -> str:
    """Put the session and its CSRF token in cookies; returns the CSRF token."""
    secure = request.url.scheme == "https"
    csrf = csrf_token_for(token, settings)
    response.set_cookie(
        SESSION_COOKIE, token, max_age=max_age, path="/", httponly=True, secure=secure,
        samesite="strict",
    )
    response.set_cookie(
        CSRF_COOKIE, csrf, max_age=max_age, path="/", httponly=False, secure=secure,
        samesite="strict",
    )
    return csrf


def clear_session_cookies(response: Response, request: Request) -> None:
    """Expire both cookies (signing out)."""
    secure = request.url.scheme == "https"
    for name, httponly in ((SESSION_COOKIE, True), (CSRF_COOKIE, False)):
        response.delete_cookie(
            name, path="/", httponly=httponly, secure=secure, samesite="strict"
        )
