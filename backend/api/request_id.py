"""The request id: taken from a valid ``X-Request-ID`` header or made here, kept in
``request_id_var`` while the request is handled (log lines and submitted tasks carry it,
backend/logs.py), and sent back in the response's ``X-Request-ID`` header."""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.logs import REQUEST_ID_HEADER, new_request_id, request_id_var, valid_request_id


class RequestIdMiddleware:
    """Pure ASGI middleware (no extra task), so the id is seen by the route, by the
    threads FastAPI runs sync routes in, and by uvicorn's access line."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = Headers(scope=scope).get(REQUEST_ID_HEADER)
        request_id = incoming if incoming is not None and valid_request_id(incoming) else new_request_id()
        # Not reset afterwards: each request runs in a task of its own, whose context
        # ends with it, and a crash's traceback (logged after this returns) keeps the id.
        request_id_var.set(request_id)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        await self.app(scope, receive, send_with_id)
