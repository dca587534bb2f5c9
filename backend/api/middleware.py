"""A request-body size limit enforced on the raw ASGI byte stream, before anything parses it.

FastAPI reads and parses a JSON body before it runs the dependencies that check the
token, so without a limit anyone can make the API hold a body of any size in memory
(measured: a 49 MB JSON body with no token cost 226 MB before the 401). This
middleware sits in front of the routers and:

* answers 413 at once when ``Content-Length`` announces more than the route may get,
  without reading a byte of the body;
* otherwise (chunked bodies, or a client that lies) counts the bytes as they arrive and
  stops the request with 413 as soon as the count passes the limit.

Upload routes are left to their own limit, which they check part by part while the
body streams in (``backend/api/uploads.py``).
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import HTTPException, status
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.api.errors import error_response


def too_large_detail(limit_bytes: int) -> str:
    """The 413 message for a body over ``limit_bytes``."""
    if limit_bytes >= 1024 * 1024:
        size = f"{limit_bytes / (1024 * 1024):g} MB"
    else:
        size = f"{limit_bytes / 1024:g} KB"
    return f"The request body is larger than the {size} this endpoint accepts"


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` when the body passes the limit.

    An HTTPException, so FastAPI re-raises it from its body parsing untouched and its
    exception handler turns it into the JSON 413 like any other HTTP error.
    """

    def __init__(self, limit_bytes: int) -> None:
        super().__init__(
            status.HTTP_413_CONTENT_TOO_LARGE,
            detail=too_large_detail(limit_bytes),
            headers={"Connection": "close"},
        )


class RequestSizeLimit:
    """Pure ASGI middleware: 413 for a body larger than ``limit_for(path)`` bytes.

    ``limit_for`` returns None for a path that enforces its own limit (the uploads).
    """

    def __init__(self, app: ASGIApp, limit_for: Callable[[str], int | None]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        if limit is None:
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await self._refuse(limit, scope, receive, send)
            return

        received = 0
        response_started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            response_started = response_started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            # Raised where no exception handler runs (a route reading request.stream()
            # from a background part of the app): answer here unless a response began.
            if response_started:
                raise
            await self._refuse(limit, scope, receive, send)

    @staticmethod
    async def _refuse(limit: int, scope: Scope, receive: Receive, send: Send) -> None:
        error = BodyTooLarge(limit)
        response = error_response(error.status_code, error.detail, headers=error.headers)
        await response(scope, receive, send)
