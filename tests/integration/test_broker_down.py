"""With the broker unreachable, submitting answers 503 and leaves no row behind."""

from __future__ import annotations

import os
import time

import httpx
from sqlalchemy import func, select

from backend.api.health import HEALTH_TOKEN_HEADER
from backend.db import get_engine
from backend.models import IdempotencyKey, TaskStatus
from tests.support.net import free_port, running_api


def test_with_the_broker_down_submit_is_503_leaving_no_row_and_deep_health_says_so(client, auth_headers):
    dead_port = free_port()
    env = dict(os.environ, CELERY_BROKER_URL=f"redis://127.0.0.1:{dead_port}/0",
               HEALTH_TOKEN="broker-down-test")
    with running_api(env) as api:
        base = api.base

        started = time.monotonic()
        response = httpx.post(f"{base}/tasks/ping", headers=auth_headers, timeout=30)
        elapsed = time.monotonic() - started
        assert response.status_code == 503
        assert "task queue is unavailable" in response.json()["detail"]
        assert response.json()["code"] == "queue_unavailable"
        assert response.headers["retry-after"] == "5"
        with get_engine().connect() as conn:
            assert conn.scalar(select(func.count()).select_from(TaskStatus)) == 0
        print(f"503 answered in {elapsed:.2f} s")

        # With an Idempotency-Key (claimed with its answer in the row's transaction), the
        # key goes with the row: the same key works once the queue is back (here: the
        # test's API, whose broker is up).
        keyed = {**auth_headers, "Idempotency-Key": "while-the-broker-is-down"}
        assert httpx.post(f"{base}/tasks/ping", headers=keyed, timeout=30).status_code == 503
        with get_engine().connect() as conn:
            assert conn.scalar(select(func.count()).select_from(TaskStatus)) == 0
            assert conn.scalar(select(func.count()).select_from(IdempotencyKey)) == 0
        assert client.post("/tasks/ping", headers=keyed).status_code == 202

        health = httpx.get(f"{base}/health", params={"deep": "true"}, timeout=30,
                           headers={HEALTH_TOKEN_HEADER: "broker-down-test"})
        assert health.status_code == 503
        assert health.json()["detail"] == "unavailable: redis, worker"
        assert health.json()["code"] == "service_unavailable"
        assert health.json()["checks"]["database"] == "ok"


def test_with_rabbitmq_down_deep_health_names_the_broker_not_redis(clean_db, redis_server):
    # In production RabbitMQ is the broker and Redis only keeps events, counters and results:
    # an operator told "redis" failed would look at the wrong server.
    dead_port = free_port()
    env = dict(os.environ, CELERY_BROKER_URL=f"amqp://guest:guest@127.0.0.1:{dead_port}//",
               HEALTH_TOKEN="broker-down-test")
    with running_api(env) as api:
        base = api.base
        health = httpx.get(f"{base}/health", params={"deep": "true"}, timeout=30,
                           headers={HEALTH_TOKEN_HEADER: "broker-down-test"})
    assert health.status_code == 503
    assert health.json()["detail"] == "unavailable: broker, worker"
    checks = health.json()["checks"]
    assert (checks["database"], checks["redis"]) == ("ok", "ok")
    assert checks["broker"].startswith("failed: ")
    assert checks["worker"] == "skipped: broker unavailable"
