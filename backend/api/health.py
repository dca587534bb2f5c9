"""Liveness (``GET /health``) and a deep check of the database, Redis, the broker when it is
RabbitMQ, and a worker.

The deep check sends a real task to a worker, so it is not for everyone: it needs an
admin's bearer token or the shared secret HEALTH_TOKEN in the ``X-Health-Token`` header
(for load balancers and monitors that hold no account). Its result is reused for
HEALTH_CACHE_SECONDS, and concurrent callers wait for the one check in flight, so even
an authorised flood costs at most one worker ping per window and API process.
"""

from __future__ import annotations

import asyncio
import hmac
import time
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from fastapi.security import OAuth2PasswordBearer
from redis import Redis
from sqlalchemy import text

from backend.api.deps import SettingsDep, get_current_user, get_token_claims
from backend.api.errors import ErrorCode, error_headers, error_responses
from backend.api.routing import OneHopRoute
from backend.config import Settings, get_settings
from backend.db import get_engine, new_session
from backend.tasks.app import celery_app
from backend.tasks.kinds import PING

router = APIRouter(tags=["health"], route_class=OneHopRoute)

WORKER_TIMEOUT_SECONDS = 5.0
HEALTH_TOKEN_HEADER = "X-Health-Token"  # noqa: S105 (a header name, not a secret)
# The token is optional here: the shallow check is open to all.
optional_bearer = OAuth2PasswordBearer(tokenUrl="/auth/token", auto_error=False)


def _check_database() -> None:
    with get_engine().connect() as conn:
        conn.execute(text("SELECT 1"))


def _check_redis() -> None:
    """Redis (results, status events, rate limits), and the broker when that is a Redis too."""
    settings = get_settings()
    redis_urls = {settings.redis_url}
    if not settings.broker_is_amqp:
        redis_urls.add(settings.broker_url)
    for url in redis_urls:
        Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping()


def _check_broker() -> None:
    """RabbitMQ, when it is the broker: named apart, so that its outage is not called Redis's."""
    with celery_app.connection_for_write() as connection:
        connection.connect()


def _check_worker() -> None:
    reply = celery_app.send_task(PING.name).get(timeout=WORKER_TIMEOUT_SECONDS)
    if reply != "pong":
        raise RuntimeError(f"unexpected reply {reply!r}")


CHECKS: dict[str, Callable[[], None]] = {
    "database": _check_database,
    "redis": _check_redis,
    "broker": _check_broker,  # RabbitMQ only (_deep_checks)
    "worker": _check_worker,
}


def _run(check: Callable[[], None]) -> str:
    try:
        check()
    except Exception as exc:  # a health check reports every failure, whatever its kind
        return f"failed: {type(exc).__name__}"
    return "ok"


async def _deep_checks() -> tuple[int, dict[str, Any]]:
    """Run every check once: (HTTP status, JSON body)."""
    checks = {"database": await run_in_threadpool(_run, CHECKS["database"]),
              "redis": await run_in_threadpool(_run, CHECKS["redis"])}
    if get_settings().broker_is_amqp:
        checks["broker"] = await run_in_threadpool(_run, CHECKS["broker"])
    # Without the broker no message reaches a worker, and without Redis no reply comes back
    # (the result backend): don't wait out the timeout for either.
    away = next((name for name in ("broker", "redis") if checks.get(name, "ok") != "ok"), None)
    checks["worker"] = (
        await run_in_threadpool(_run, CHECKS["worker"])
        if away is None else f"skipped: {away} unavailable"
    )
    failed = [name for name, outcome in checks.items() if outcome != "ok"]
    if failed:
        detail = f"unavailable: {', '.join(failed)}"
        return 503, {"status": "unhealthy", "detail": detail,
                     "code": ErrorCode.SERVICE_UNAVAILABLE.value, "checks": checks}
    return 200, {"status": "ok", "checks": checks}


class CachedResult:
    """One result computed at most once per ``max_age`` seconds, with one computation in flight.

    Callers that arrive while a computation runs wait for it and share its result.
    """

    def __init__(self) -> None:
        self._lock = asyncio.Lock()
        self._value: Any = None
        self._computed_at = float("-inf")

    async def get(self, max_age: float, compute: Callable[[], Awaitable[Any]]) -> Any:
        async with self._lock:
            if time.monotonic() - self._computed_at >= max_age:
                self._value = await compute()
                self._computed_at = time.monotonic()
            return self._value


def _deep_result_cache(request: Request) -> CachedResult:
    """The app's cache of the deep result (one per app: its lock belongs to the app's loop)."""
    state = request.app.state
    if not hasattr(state, "deep_health"):
        state.deep_health = CachedResult()
    cache: CachedResult = state.deep_health
    return cache


def _authorise_deep_check(token: str | None, health_token: str | None, settings: Settings) -> None:
    """Pass with the shared secret or an admin's token; 401 or 403 otherwise."""
    expected = settings.health_token.encode()
    if expected and health_token and hmac.compare_digest(health_token.encode(), expected):
        return
    if token is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail=f"The deep health check needs an admin's bearer token "
                   f"or the {HEALTH_TOKEN_HEADER} header",
            headers={"WWW-Authenticate": "Bearer"},
        )
    with new_session() as session:
        # 401 for a bad token
        user = get_current_user(get_token_claims(token, settings), session)
        if not user.is_admin:
            raise HTTPException(
                status.HTTP_403_FORBIDDEN, detail="The deep health check is for administrators"
            )


@router.get("/health", responses=error_responses(403, 503))
async def health(
    request: Request,
    settings: SettingsDep,
    token: Annotated[str | None, Depends(optional_bearer)],
    health_token: Annotated[str | None, Header(alias=HEALTH_TOKEN_HEADER)] = None,
    deep: bool = False,
) -> JSONResponse:
    """200 when the API is up; with ``deep=true`` (admins or HEALTH_TOKEN) also database,
    Redis, RabbitMQ when it is the broker, and a worker ping, reused for HEALTH_CACHE_SECONDS."""
    if not deep:
        return JSONResponse({"status": "ok"})
    await run_in_threadpool(_authorise_deep_check, token, health_token, settings)
    status_code, body = await _deep_result_cache(request).get(
        settings.health_cache_seconds, _deep_checks
    )
    # An unhealthy answer is an error answer: its 503 says when to ask again.
    return JSONResponse(body, status_code=status_code, headers=error_headers(status_code))
