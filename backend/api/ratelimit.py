"""Rate limits on /auth/token and /auth/register: per client IP and per account, in Redis.

When Redis cannot be reached the limits are skipped with a warning (fail open): closing
would turn a Redis blip into nobody being able to log in, while an attacker gains only
the minutes of the outage, each guess still costing a bcrypt check (~0.25 s of CPU).

The client IP is the connection's peer. Behind a reverse proxy, run uvicorn with
``--proxy-headers --forwarded-allow-ips=<the proxy>`` so that it is the real client's.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from fastapi import HTTPException, Request, status
from redis import Redis, RedisError

from backend.config import Settings
from backend.services.rate_limits import AttemptCounter, Limit, limit_key

logger = logging.getLogger(__name__)

# A login must not hang on a Redis that does not answer: fail open quickly instead.
REDIS_TIMEOUT_SECONDS = 0.5


@lru_cache
def _counter(redis_url: str) -> AttemptCounter:
    client = Redis.from_url(
        redis_url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS, socket_timeout=REDIS_TIMEOUT_SECONDS
    )
    return AttemptCounter(client)


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def enforce_auth_limits(action: str, request: Request, email: str, settings: Settings) -> None:
    """Count an ``action`` attempt ("login", "register"); 429 with Retry-After when over a limit."""
    window = settings.auth_rate_window_seconds
    limits = (
        Limit(limit_key(action, "ip", client_ip(request)), settings.auth_attempts_per_ip, window),
        Limit(limit_key(action, "account", email), settings.auth_attempts_per_account, window),
    )
    try:
        wait = _counter(settings.redis_url).attempt(limits)
    except RedisError as exc:
        logger.warning("Auth rate limits skipped, Redis unavailable (%s): %s", type(exc).__name__, exc)
        return
    if wait is not None:
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            detail=f"Too many attempts; try again in {wait} seconds",
            headers={"Retry-After": str(wait)},
        )


def forget_account_attempts(action: str, email: str, settings: Settings) -> None:
    """After a success, the account's earlier failed attempts no longer count."""
    try:
        _counter(settings.redis_url).forget(limit_key(action, "account", email))
    except RedisError as exc:
        logger.warning("Could not reset the %s attempts of an account (%s)", action, type(exc).__name__)
