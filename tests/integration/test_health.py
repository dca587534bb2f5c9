"""Liveness, and the deep health check: for admins or the shared secret, at most one ping per window."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import redis
from fastapi.testclient import TestClient
from sqlalchemy import update

from backend.api.deps import current_settings
from backend.api.main import create_app
from backend.config import get_settings
from backend.db import get_engine
from backend.models import User
from tests.conftest import TEST_REDIS_URL

DEEP = {"deep": "true"}
HEALTH_SECRET = "health-secret-for-tests"


def make_admin(client: TestClient, headers: dict[str, str]) -> None:
    user_id = client.get("/auth/me", headers=headers).json()["id"]
    with get_engine().begin() as conn:
        conn.execute(update(User).where(User.id == user_id).values(is_admin=True))


def worker_pings_answered() -> int:
    """Ping results the worker has stored so far (ping keeps its result in Redis)."""
    return sum(1 for _ in redis.Redis.from_url(TEST_REDIS_URL).scan_iter("celery-task-meta-*"))


def client_with(client_ip: str = "testclient", **overrides) -> TestClient:
    """A client (from ``client_ip``) of an app whose settings differ from the test defaults
    by ``overrides``."""
    app = create_app()
    settings = get_settings().model_copy(update=overrides)
    app.dependency_overrides[current_settings] = lambda: settings
    return TestClient(app, client=(client_ip, 50000))


def test_shallow_health_needs_no_token(client):
    response = client.get("/health")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_deep_health_checks_database_redis_and_a_worker_for_an_admin(client, auth_headers, worker):
    make_admin(client, auth_headers)
    response = client.get("/health", params=DEEP, headers=auth_headers)
    assert response.status_code == 200
    # RabbitMQ, when it is the broker, is checked apart from Redis (test_broker_down.py).
    broker = {"broker": "ok"} if get_settings().broker_is_amqp else {}
    assert response.json()["checks"] == {"database": "ok", "redis": "ok", **broker, "worker": "ok"}


def test_deep_health_without_a_token_is_401_and_sends_no_task(client, worker):
    before = worker_pings_answered()
    for _ in range(10):
        response = client.get("/health", params=DEEP)
        assert response.status_code == 401
        assert "admin" in response.json()["detail"]
    assert client.get("/health", params=DEEP, headers={"Authorization": "Bearer forged"}).status_code == 401
    assert worker_pings_answered() == before


def test_deep_health_for_a_non_admin_is_403(client, auth_headers):
    response = client.get("/health", params=DEEP, headers=auth_headers)
    assert response.status_code == 403
    assert response.json()["detail"] == "The deep health check is for administrators"


def test_the_shared_secret_header_opens_the_deep_check(clean_db, redis_server, worker):
    with client_with(health_token=HEALTH_SECRET, health_cache_seconds=0) as client:
        secret = {"X-Health-Token": HEALTH_SECRET}
        assert client.get("/health", params=DEEP, headers=secret).status_code == 200
        wrong = client.get("/health", params=DEEP, headers={"X-Health-Token": "guess"})
        assert wrong.status_code == 401
    with client_with(health_token="") as client:  # no secret configured: no header opens it
        assert client.get("/health", params=DEEP, headers={"X-Health-Token": ""}).status_code == 401


def test_an_authorised_flood_sends_one_ping_per_window(clean_db, redis_server, worker):
    # A window far longer than the flood, so the count does not depend on the clock.
    with client_with(health_token=HEALTH_SECRET, health_cache_seconds=600) as client:
        before = worker_pings_answered()
        answers = [
            client.get("/health", params=DEEP, headers={"X-Health-Token": HEALTH_SECRET})
            for _ in range(25)
        ]
        assert {response.status_code for response in answers} == {200}
        assert worker_pings_answered() - before == 1


def test_concurrent_callers_share_the_check_in_flight(clean_db, redis_server, worker):
    with client_with(health_token=HEALTH_SECRET, health_cache_seconds=600) as client:
        before = worker_pings_answered()
        with ThreadPoolExecutor(max_workers=12) as pool:
            secret = {"X-Health-Token": HEALTH_SECRET}
            statuses = list(pool.map(
                lambda _: client.get("/health", params=DEEP, headers=secret).status_code, range(24)
            ))
        assert statuses == [200] * 24
        assert worker_pings_answered() - before == 1


def test_an_unhealthy_deep_check_says_when_to_ask_again(clean_db, redis_server, monkeypatch):
    from backend.api import health
    from backend.api.errors import RETRY_AFTER_SECONDS

    def busy_worker() -> None:  # every pool process busy: the ping is not answered in time
        raise TimeoutError("no reply")

    monkeypatch.setitem(health.CHECKS, "worker", busy_worker)
    with client_with(health_token=HEALTH_SECRET, health_cache_seconds=0) as client:
        response = client.get("/health", params=DEEP, headers={"X-Health-Token": HEALTH_SECRET})
    assert response.status_code == 503
    assert response.json()["code"] == "service_unavailable"
    assert response.json()["checks"]["worker"] == "failed: TimeoutError"
    assert response.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
