"""A submit hands work to a worker thread once: its dependencies are coroutines, its body
runs in one thread hop, and its answer is validated on the event loop (backend/api/routing.py
``OneHopRoute``; FastAPI alone validates a sync route's answer in a second hop)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio.to_thread
import pytest

from backend.api import tasks


def test_a_submit_takes_one_thread_hop(client, auth_headers, monkeypatch: pytest.MonkeyPatch):
    handed: list[Callable[..., Any]] = []
    run_sync = anyio.to_thread.run_sync

    async def counted(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        handed.append(getattr(function, "func", function))  # run_in_threadpool's partial
        return await run_sync(function, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counted)
    assert client.post("/tasks/ping", headers=auth_headers).status_code == 202
    assert handed == [tasks.submit_ping]
