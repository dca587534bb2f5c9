"""backend/api/admission.py ``route_threads``: at most API_THREADS threads run route code at
once in one API process (the rest wait in the event loop), 2 on SQLite and 6 on
PostgreSQL unless set."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from backend.api.admission import route_threads
from backend.api.routing import OneHopRoute
from backend.config import Settings, get_settings

REQUESTS = 6


@pytest.fixture
def api_threads(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[int], None]]:
    """Set API_THREADS for the settings the lifespan reads."""
    def configure(value: int) -> None:
        monkeypatch.setenv("API_THREADS", str(value))
        get_settings.cache_clear()

    yield configure
    monkeypatch.undo()
    get_settings.cache_clear()


def most_at_once(lifespan: Any) -> int:
    """How many of REQUESTS concurrent calls of a synchronous route (of the API's route
    class, whose body is the one thread hop) ran at the same time."""
    app = FastAPI(lifespan=lifespan)
    app.router.route_class = OneHopRoute
    lock = threading.Lock()
    running = busiest = 0

    @app.get("/work")
    def work() -> dict[str, str]:
        nonlocal running, busiest
        with lock:
            running += 1
            busiest = max(busiest, running)
        time.sleep(0.3)
        with lock:
            running -= 1
        return {}

    with TestClient(app) as client, ThreadPoolExecutor(REQUESTS) as callers:
        answers = list(callers.map(lambda _: client.get("/work").status_code, range(REQUESTS)))
    assert answers == [200] * REQUESTS
    return busiest


def test_no_more_than_api_threads_requests_run_route_code_at_once(api_threads):
    api_threads(2)
    assert most_at_once(route_threads) == 2


def test_without_the_limit_every_request_runs_at_once():
    # What the check above would see without route_threads: anyio's default of 40 threads.
    assert most_at_once(None) == REQUESTS


def test_the_default_follows_the_database():
    assert Settings(database_url="sqlite:///var/ledgerflow.db").api_thread_limit == 2
    assert Settings(database_url="postgresql://db/ledgerflow").api_thread_limit == 6
    assert Settings(database_url="sqlite:///var/ledgerflow.db", api_threads=8).api_thread_limit == 8
