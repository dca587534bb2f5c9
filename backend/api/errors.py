"""Errors that are not the client's fault, answered as JSON with a ``detail`` (never a bare 500)."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError

from backend.db import database_unavailable

logger = logging.getLogger(__name__)

DATABASE_UNAVAILABLE_DETAIL = "The database is unavailable right now; please try again shortly."
# Seconds a client should wait before trying again after a 503.
RETRY_AFTER_SECONDS = 5


async def _database_error(request: Request, exc: Exception) -> JSONResponse:
    if not database_unavailable(exc):
        raise exc  # a real bug: the server error handler logs it and answers 500
    logger.warning("%s %s: database unavailable (%s)", request.method, request.url.path,
                   type(exc).__name__)
    return JSONResponse(
        {"detail": DATABASE_UNAVAILABLE_DETAIL},
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def install_error_handlers(app: FastAPI) -> None:
    """Map a database outage to 503 + Retry-After on every route."""
    app.add_exception_handler(DBAPIError, _database_error)
