"""Liveness (``GET /health``) and a deep check of the database, Redis and a worker."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from redis import Redis
from sqlalchemy import text

from backend.config import get_settings
from backend.db import get_engine
from backend.tasks.app import celery_app

router = APIRouter(tags=["health"])

WORKER_TIMEOUT_SECONDS = 5.0


def _check_database() -> None:
    with get_engine().connect() as conn:
        conn.execute(text("SELECT 1"))


def _check_redis() -> None:
    Redis.from_url(get_settings().broker_url, socket_connect_timeout=2, socket_timeout=2).ping()


def _check_worker() -> None:
    reply = celery_app.send_task("ping").get(timeout=WORKER_TIMEOUT_SECONDS)
    if reply != "pong":
        raise RuntimeError(f"unexpected reply {reply!r}")


CHECKS: dict[str, Callable[[], None]] = {
    "database": _check_database,
    "redis": _check_redis,
    "worker": _check_worker,
}


def _run(check: Callable[[], None]) -> str:
    try:
        check()
    except Exception as exc:  # a health check reports every failure, whatever its kind
        return f"failed: {type(exc).__name__}"
    return "ok"


@router.get("/health")
async def health(deep: bool = False) -> JSONResponse:
    """200 when the API is up; with ``deep=true`` also database, Redis and a worker ping."""
    if not deep:
        return JSONResponse({"status": "ok"})
    checks = {"database": await run_in_threadpool(_run, CHECKS["database"]),
              "redis": await run_in_threadpool(_run, CHECKS["redis"])}
    # Without Redis no message can reach a worker; don't wait out the timeout for that.
    checks["worker"] = (
        await run_in_threadpool(_run, CHECKS["worker"])
        if checks["redis"] == "ok" else "skipped: redis unavailable"
    )
    failed = [name for name, outcome in checks.items() if outcome != "ok"]
    if failed:
        return JSONResponse(
            {"status": "unhealthy", "detail": f"unavailable: {', '.join(failed)}", "checks": checks},
            status_code=503,
        )
    return JSONResponse({"status": "ok", "checks": checks})
