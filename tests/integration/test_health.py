"""Liveness and the deep health check."""

from __future__ import annotations


def test_shallow_health_needs_no_token(client):
    response = client.get("/health")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_deep_health_checks_database_redis_and_a_worker(client, worker):
    response = client.get("/health", params={"deep": "true"})
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "redis": "ok", "worker": "ok"}
