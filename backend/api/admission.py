"""Admission control: at most as many requests inside the app as the database pool can serve,
and at most API_THREADS of them running route code at once.

A request may hold two pooled connections at once (its ORM session, opened by the
current-user lookup and kept until the response, and a service's short transaction such
as the submit's INSERT). With more requests in flight than half the pool, every
connection can be held by a request waiting for its second one: they all wait until the
pool's timeout and answer 500 (measured: 64 clients submitting at once). Requests past
the limit wait here instead, before any dependency runs, which costs nothing while they
wait (an await on a semaphore). Server-sent event streams, which stay open for minutes,
are not counted.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager

import anyio
import anyio.to_thread
from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from backend.config import get_settings

EVENT_STREAM = "text/event-stream"


def event_stream_paths(routes: Iterable[object]) -> tuple[re.Pattern[str], ...]:
    """The path patterns of the routes that answer with server-sent events."""
    return tuple(
        route.path_regex
        for route in routes
        if isinstance(route, APIRoute)
        and EVENT_STREAM in route.responses.get(200, {}).get("content", {})
    )


class AdmissionLimit:
    """Pure ASGI middleware: ``limit`` HTTP requests in the app at once, the rest queue."""

    def __init__(self, app: ASGIApp, limit: int, exempt: tuple[re.Pattern[str], ...]) -> None:
        self.app = app
        self.exempt = exempt
        self.slots = anyio.Semaphore(limit)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or any(pattern.match(scope["path"]) for pattern in self.exempt):
            await self.app(scope, receive, send)
            return
        async with self.slots:
            await self.app(scope, receive, send)


@asynccontextmanager
async def route_threads(_app: FastAPI) -> AsyncIterator[None]:
    """Lifespan: at most ``Settings.api_thread_limit`` threads run route code at once.

    FastAPI runs synchronous routes and dependencies in anyio's worker threads, up to its
    default limiter's tokens (40). One process cannot run more Python at once than its
    GIL allows, so past a few threads more only contend for it, and on SQLite for its one
    writer, whose waiters sleep (up to 100 ms a try): with 16 concurrent submits the
    throughput was the same or higher at 2 (SQLite) or 6 (PostgreSQL) threads than at 40,
    the p99 a tenth on SQLite and two thirds on PostgreSQL, and the worker beside the API
    got more of the CPU (docs/performance.md, "Round 4"). Requests
    waiting for a thread wait in the event loop, where a slow client's upload or a
    server-sent event stream costs no thread either. The limiter is the event loop's own
    (anyio's public ``current_default_thread_limiter``), set once it runs.
    """
    anyio.to_thread.current_default_thread_limiter().total_tokens = get_settings().api_thread_limit
    yield
