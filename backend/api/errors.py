"""The API's one error model: every error answer is JSON ``{"detail": ..., "code": ...}``.

- ``detail`` is human text, a sentence a client can show as it is.
- ``code`` is a stable machine string (``ErrorCode``) a client can branch on; it is
  derived from the status (``not_found``, ``rate_limited``...) unless the error names a
  finer one (``database_unavailable``, ``idempotency_key_in_use``...). It is a plain
  string in the schema, not an enum, so that a code added later does not break
  generated clients that parse enums strictly.
- A 422 also carries ``errors``: from request validation FastAPI's list of what failed,
  each ``{loc, msg, type}`` (the sent value is left out), while ``detail`` says the same
  in one sentence ("query.limit: Input should be less than or equal to 200"); from a
  route's own check one entry with an empty ``loc`` and the detail as its ``msg``.

The handlers here cover HTTPException (any raised in a route or dependency, and
Starlette's 404/405), request validation, a database outage (503) and bugs (500), so a
new router gets the model by raising ``HTTPException`` (or ``ApiError`` for a finer code).

The OpenAPI schema declares the model too (``install_error_contract``): each route gets
the errors its shape implies (a bearer token: 401; path parameters: 404; any input:
422; a body: 413; a dependency marked with ``raises``: its statuses; a database session:
503), plus those its decorator lists with ``error_responses(...)`` for what it raises
itself (a 409, a 403). tests/unit/test_api_contract.py checks every route of the schema.
"""

from __future__ import annotations

import enum
import json
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from http import HTTPStatus
from typing import Any, TypeVar

from fastapi import FastAPI, HTTPException, Request, status
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.security.base import SecurityBase
from pydantic import BaseModel, Field
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute

from backend.api.routing import dependency_function
from backend.api.uploads import is_pdf_upload
from backend.db import database_unavailable, get_session, get_write_session
from backend.logs import REQUEST_ID_HEADER, request_id_var

logger = logging.getLogger(__name__)

DATABASE_UNAVAILABLE_DETAIL = "The database is unavailable right now; please try again shortly."
INTERNAL_ERROR_DETAIL = "Internal server error; the operators have been told."
# Seconds a client should wait before trying again after a 503.
RETRY_AFTER_SECONDS = 5
# A 422's one-sentence detail names at most this many of the failures (``errors`` has all).
MAX_ERRORS_IN_DETAIL = 5


class ErrorCode(enum.StrEnum):
    """The machine-readable ``code`` of an error answer. Stable: clients may branch on it."""

    BAD_REQUEST = "bad_request"
    NOT_AUTHENTICATED = "not_authenticated"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    CONFLICT = "conflict"
    IDEMPOTENCY_KEY_IN_USE = "idempotency_key_in_use"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    VALIDATION_ERROR = "validation_error"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    RATE_LIMITED = "rate_limited"
    TOO_MANY_ACTIVE_TASKS = "too_many_active_tasks"
    INTERNAL_ERROR = "internal_error"
    SERVICE_UNAVAILABLE = "service_unavailable"
    DATABASE_UNAVAILABLE = "database_unavailable"
    QUEUE_UNAVAILABLE = "queue_unavailable"


# The code of an error that names no finer one, by status.
CODE_FOR_STATUS: dict[int, ErrorCode] = {
    400: ErrorCode.BAD_REQUEST,
    401: ErrorCode.NOT_AUTHENTICATED,
    403: ErrorCode.FORBIDDEN,
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.METHOD_NOT_ALLOWED,
    409: ErrorCode.CONFLICT,
    413: ErrorCode.PAYLOAD_TOO_LARGE,
    415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    422: ErrorCode.VALIDATION_ERROR,
    429: ErrorCode.RATE_LIMITED,
    500: ErrorCode.INTERNAL_ERROR,
    503: ErrorCode.SERVICE_UNAVAILABLE,
}


def code_for_status(status_code: int) -> str:
    """The default code of a status; an unlisted one gets its HTTP phrase in snake case."""
    if status_code in CODE_FOR_STATUS:
        return CODE_FOR_STATUS[status_code].value
    try:
        return HTTPStatus(status_code).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return "error"


class ApiError(HTTPException):
    """An HTTPException with a finer ``code`` than its status's default."""

    def __init__(
        self, status_code: int, detail: str, code: ErrorCode, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(status_code, detail=detail, headers=headers)
        self.code = code


class ErrorOut(BaseModel):
    """Every error answer of the API."""

    detail: str = Field(description="What went wrong, in words a user can read",
                        examples=["Task not found"])
    code: str = Field(
        description="A stable machine-readable code: "
        + ", ".join(code.value for code in ErrorCode)
        + " (more may be added; treat an unknown one by its HTTP status)",
        examples=["not_found"],
    )


class FieldError(BaseModel):
    """One input that failed validation."""

    loc: list[str | int] = Field(description="Where: body, query, path or header, then the name")
    msg: str
    type: str


class ValidationErrorOut(ErrorOut):
    """A 422: ``detail`` in one sentence, ``errors`` one entry per failed input (one entry
    with an empty ``loc`` when the route checked its input itself)."""

    errors: list[FieldError] = Field(default_factory=list)


STATUS_DESCRIPTIONS: dict[int, str] = {
    400: "The body could not be parsed at all",
    401: "Missing, invalid or expired credentials",
    403: "Authenticated, but not allowed to do this",
    404: "Not found, or not yours",
    409: "Conflicts with the current state (not finished yet, already exists, key in use...)",
    413: "The request body is too large",
    415: "The file is not of a type this endpoint takes",
    422: "The input is invalid",
    429: "Too many requests; wait for Retry-After seconds",
    503: "A back-end service (database, task queue) is unavailable; retry after Retry-After",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI ``responses`` of a route's error statuses, for its decorator."""
    return {
        code: {
            "model": ValidationErrorOut if code == 422 else ErrorOut,
            "description": STATUS_DESCRIPTIONS.get(code, HTTPStatus(code).phrase),
        }
        for code in statuses
    }


def error_body(status_code: int, detail: str, code: str | None = None) -> dict[str, Any]:
    """The JSON of an error answer."""
    return {"detail": detail, "code": code or code_for_status(status_code)}


def error_headers(status_code: int, headers: Mapping[str, str] | None = None) -> dict[str, str]:
    """``headers`` plus what the status promises: every 503 carries a Retry-After
    (RETRY_AFTER_SECONDS unless the raiser chose one), as README.md's contract says."""
    found = dict(headers or {})
    if status_code == 503 and not any(name.lower() == "retry-after" for name in found):
        found["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return found


def error_response(
    status_code: int, detail: str, code: str | None = None, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    body = error_body(status_code, detail, code)
    if status_code == 422:
        # A route's own check of its input (a bad regex, a cron expression, a parser hint):
        # ``errors`` as for request validation, so a client reads every 422 one way; its one
        # entry is about the request as a whole (no ``loc``), the detail its message.
        body["errors"] = [{"loc": [], "msg": detail, "type": "value_error"}]
    return JSONResponse(
        body, status_code=status_code, headers=error_headers(status_code, headers) or None,
    )


# ---------------------------------------------------------------- handlers


def _detail_text(detail: Any) -> str:
    return detail if isinstance(detail, str) else str(detail)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, StarletteHTTPException):  # registered for that class only
        raise exc
    code = exc.code.value if isinstance(exc, ApiError) else None
    return error_response(exc.status_code, _detail_text(exc.detail), code, exc.headers)


def _where(loc: Sequence[Any]) -> str:
    return ".".join(str(part) for part in loc) or "request"


def validation_errors(errors: Sequence[Any]) -> list[dict[str, Any]]:
    """FastAPI's validation errors as ``{loc, msg, type}`` (no input echoed, no ctx objects)."""
    return [
        {"loc": list(error.get("loc", ())), "msg": str(error.get("msg", "")),
         "type": str(error.get("type", ""))}
        for error in errors
    ]


def validation_detail(errors: Sequence[dict[str, Any]]) -> str:
    """The failures in one sentence: ``where: message`` joined by ``; ``."""
    parts = [f"{_where(error['loc'])}: {error['msg']}" for error in errors[:MAX_ERRORS_IN_DETAIL]]
    if len(errors) > MAX_ERRORS_IN_DETAIL:
        parts.append(f"and {len(errors) - MAX_ERRORS_IN_DETAIL} more")
    return "; ".join(parts) or "The input is invalid"


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, RequestValidationError):  # registered for that class only
        raise exc
    errors = validation_errors(exc.errors())
    body = {**error_body(422, validation_detail(errors)), "errors": errors}
    return JSONResponse(body, status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)


async def _database_error(request: Request, exc: Exception) -> JSONResponse:
    if not database_unavailable(exc):
        raise exc  # a real bug: the server error handler logs it and answers 500
    logger.warning("%s %s: database unavailable (%s)", request.method, request.url.path,
                   type(exc).__name__)
    return error_response(
        status.HTTP_503_SERVICE_UNAVAILABLE, DATABASE_UNAVAILABLE_DETAIL,
        ErrorCode.DATABASE_UNAVAILABLE,
    )


async def _server_error(request: Request, exc: Exception) -> JSONResponse:
    # Starlette logs the traceback and re-raises after this answer, which is sent from
    # outside the request-id middleware: it adds the header itself.
    request_id = request_id_var.get()
    return error_response(500, INTERNAL_ERROR_DETAIL,
                          headers={REQUEST_ID_HEADER: request_id} if request_id else None)


def install_error_handlers(app: FastAPI) -> None:
    """Answer every error with the error model; a database outage with 503 + Retry-After."""
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(DBAPIError, _database_error)
    app.add_exception_handler(Exception, _server_error)
    install_error_contract(app)


# ---------------------------------------------------------------- the OpenAPI declarations

_D = TypeVar("_D", bound=Callable[..., Any])
# Statuses that a dependency may answer with, whichever route uses it (see ``raises``),
# and the HTTP methods they apply to (None: all).
_DEPENDENCY_ERRORS: dict[Callable[..., Any], tuple[frozenset[int], frozenset[str] | None]] = {}


def raises(*statuses: int, methods: Iterable[str] | None = None) -> Callable[[_D], _D]:
    """Mark a dependency as answering ``statuses`` (to requests of ``methods`` only, if
    given): every route using it declares them."""

    def mark(dependency: _D) -> _D:
        _DEPENDENCY_ERRORS[dependency] = (
            frozenset(statuses), None if methods is None else frozenset(methods)
        )
        return dependency

    return mark


# A database session (or a user, which is read from it): 503 when the database is away.
_DATABASE_DEPENDENCIES = (get_session, get_write_session)


def _dependants(dependant: Dependant) -> Iterator[Dependant]:
    yield dependant
    for sub in dependant.dependencies:
        yield from _dependants(sub)


def implied_statuses(
    route: APIRoute, openapi_extra: dict[str, Any] | None = None, method: str = "GET"
) -> set[int]:
    """The error statuses a route can answer to ``method`` because of its shape and
    dependencies."""
    found: set[int] = set()
    takes_input = False
    for dependant in _dependants(route.dependant):
        call = dependency_function(dependant.call)  # OneHopRoute's stand-ins
        if isinstance(call, SecurityBase):
            found |= {401, 503}  # the token's user is read from the database
        if call in _DATABASE_DEPENDENCIES:
            found.add(503)
        if call is not None and call in _DEPENDENCY_ERRORS:
            statuses, methods = _DEPENDENCY_ERRORS[call]
            if methods is None or method.upper() in methods:
                found |= statuses
        if dependant.path_params:
            found.add(404)
        if dependant.body_params:
            # The request-size limit (backend/api/middleware.py), and a body that cannot
            # even be decoded (FastAPI's own 400).
            found |= {400, 413}
        takes_input = takes_input or bool(
            dependant.path_params or dependant.query_params or dependant.header_params
            or dependant.cookie_params or dependant.body_params
        )
    if is_pdf_upload(openapi_extra or route.openapi_extra):  # reads its body itself
        found |= {413, 415}
        takes_input = True
    if takes_input:
        found.add(422)
    return found


def _error_content(status_code: int) -> dict[str, Any]:
    model = ValidationErrorOut if status_code == 422 else ErrorOut
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{model.__name__}"}}}


def declare_errors(schema: dict[str, Any], routes: Sequence[BaseRoute]) -> None:
    """Add each route's error responses, all with the error model, to ``schema`` in place."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for model in (ErrorOut, ValidationErrorOut):
        model_schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(model_schema.pop("$defs", {}))
        components[model.__name__] = model_schema
    # The routes as the schema shows them (routers are included lazily, with their prefixes).
    for context in iter_route_contexts(routes):
        route = context.original_route
        if not isinstance(route, APIRoute) or not getattr(context, "include_in_schema", True):
            continue
        path_item = schema["paths"].get(context.path_format or route.path_format, {})
        for method in context.methods or route.methods or ():
            operation = path_item.get(method.lower())
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            statuses = implied_statuses(route, getattr(context, "openapi_extra", None), method)
            for status_code in sorted(statuses):
                responses.setdefault(str(status_code), {
                    "description": STATUS_DESCRIPTIONS.get(status_code, HTTPStatus(status_code).phrase),
                })
            for key, response in responses.items():
                if key.isdigit() and int(key) >= 400:
                    # FastAPI's own 422 (HTTPValidationError) is not what the handler sends.
                    response["content"] = _error_content(int(key))
                    if key == "422":
                        response["description"] = STATUS_DESCRIPTIONS[422]
    # FastAPI's own 422 models, unless a route still refers to them.
    for name in ("HTTPValidationError", "ValidationError"):
        if f'"#/components/schemas/{name}"' not in json.dumps({**schema, "components": {}}):
            components.pop(name, None)


def install_error_contract(app: FastAPI) -> None:
    """Make ``app.openapi()`` declare the error model on every route."""
    default_openapi = app.openapi
    declared: set[int] = set()  # ids of the schemas already completed

    def openapi() -> dict[str, Any]:
        # FastAPI caches its schema, and makes a new one when routes were added since.
        schema = default_openapi()
        if id(schema) not in declared:
            declare_errors(schema, app.routes)
            declared.add(id(schema))
        return schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to extend it
