"""Many clients at once against one real uvicorn process: every submit is answered, none 500.

Sync endpoints run in a thread pool (40 threads by default) and each may hold two pooled
database connections at once. With more threads than the pool could serve, requests
holding one connection waited for a second until the pool's timeout, then answered 500
(seen first in bench/bench_platform.py: 16 clients on SQLite's former 5+10 pool).
"""

from __future__ import annotations

import os
import uuid
from collections import Counter
from collections.abc import Iterator

import httpx
import pytest

from tests.support.crowd import together
from tests.support.net import running_api

CLIENTS = 64
SUBMITS_PER_CLIENT = 3


@pytest.fixture
def api_url(clean_db: None, redis_server: None) -> Iterator[str]:
    env = {**os.environ, "USER_MAX_ACTIVE_TASKS": str(CLIENTS * SUBMITS_PER_CLIENT + 10)}
    with running_api(env) as api:
        yield api.base


def test_more_concurrent_submits_than_pooled_connections_are_all_accepted(api_url):
    credentials = {"email": f"crowd-{uuid.uuid4().hex[:8]}@example.com", "password": "crowd-password-1"}
    with httpx.Client(base_url=api_url, timeout=30) as client:
        assert client.post("/auth/register", json=credentials).status_code == 201
        token = client.post("/auth/token", data={
            "username": credentials["email"], "password": credentials["password"]}).json()["access_token"]
    def one_client() -> list[int]:
        with httpx.Client(base_url=api_url, timeout=60,
                          headers={"Authorization": f"Bearer {token}"}) as client:
            return [client.post("/tasks/ping").status_code for _ in range(SUBMITS_PER_CLIENT)]

    statuses = Counter(status for statuses in together(one_client, CLIENTS) for status in statuses)
    assert statuses == Counter({202: CLIENTS * SUBMITS_PER_CLIENT}), statuses


def test_event_streams_do_not_take_an_admission_slot():
    from backend.api.admission import event_stream_paths
    from backend.api.main import ROUTERS

    exempt = event_stream_paths(route for router in ROUTERS for route in router.routes)
    assert any(pattern.match(f"/tasks/{uuid.uuid4()}/events") for pattern in exempt)
    assert not any(pattern.match("/tasks/ping") for pattern in exempt)
