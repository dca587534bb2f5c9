"""Brute-force limits on /auth/token and /auth/register, counted in the real Redis (issue 6, item 12)."""

from __future__ import annotations

import logging
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from sqlalchemy import func, select

from backend.db import get_engine
from backend.models import User
from backend.services.rate_limits import KEY_PREFIX
from tests.conftest import TEST_REDIS_URL
from tests.integration.test_health import client_with
from tests.support.net import free_port

PASSWORD = "correct horse"


@pytest.fixture(autouse=True)
def fresh_counters(clean_db, redis_server) -> None:
    server = redis.Redis.from_url(TEST_REDIS_URL)
    for key in server.scan_iter(f"{KEY_PREFIX}:*"):
        server.delete(key)


def new_email() -> str:
    return f"user-{uuid.uuid4().hex[:8]}@example.com"


def login(client, email: str, password: str = PASSWORD):
    return client.post("/auth/token", data={"username": email, "password": password})


def register(client, email: str):
    return client.post("/auth/register", json={"email": email, "password": PASSWORD})


def assert_refused(response, window: int) -> None:
    assert response.status_code == 429, response.text
    assert 1 <= int(response.headers["Retry-After"]) <= window
    assert response.json()["detail"].startswith("Too many attempts; try again in")


def test_logins_per_account_are_limited_even_with_the_right_password(clean_db):
    with client_with(
        auth_attempts_per_account=3, auth_attempts_per_ip=0, auth_rate_window_seconds=60
    ) as client:
        email = new_email()
        assert register(client, email).status_code == 201
        for _ in range(3):
            assert login(client, email, "wrong password").status_code == 401
        assert_refused(login(client, email, "wrong password"), 60)
        assert_refused(login(client, email), 60)
        # Another account from the same address is not affected.
        other = new_email()
        assert register(client, other).status_code == 201
        assert login(client, other).status_code == 200


def test_a_successful_login_clears_the_accounts_failed_attempts():
    with client_with(auth_attempts_per_account=3, auth_attempts_per_ip=0) as client:
        email = new_email()
        register(client, email)
        for _ in range(2):
            assert login(client, email, "wrong password").status_code == 401
        assert login(client, email).status_code == 200
        for _ in range(2):
            assert login(client, email, "wrong password").status_code == 401
        assert login(client, email).status_code == 200


def test_logins_per_ip_are_limited_across_accounts():
    with client_with("198.51.100.7", auth_attempts_per_ip=4, auth_attempts_per_account=0) as attacker:
        for _ in range(4):
            assert login(attacker, new_email()).status_code == 401
        assert_refused(login(attacker, new_email()), 300)
    with client_with("198.51.100.8", auth_attempts_per_ip=4, auth_attempts_per_account=0) as neighbour:
        assert login(neighbour, new_email()).status_code == 401  # counted apart


def test_registrations_per_ip_are_limited_and_the_refused_one_creates_nothing():
    with client_with(auth_attempts_per_ip=2, auth_attempts_per_account=0) as client:
        assert register(client, new_email()).status_code == 201
        assert register(client, new_email()).status_code == 201
        assert_refused(register(client, new_email()), 300)
    with get_engine().connect() as conn:
        assert conn.scalar(select(func.count()).select_from(User)) == 2


def test_registrations_per_email_are_limited():
    with client_with(auth_attempts_per_ip=0, auth_attempts_per_account=2) as client:
        email = new_email()
        assert register(client, email).status_code == 201
        assert register(client, email).status_code == 409
        assert_refused(register(client, email), 300)


def test_concurrent_attempts_are_counted_atomically():
    limit = 5
    with client_with(auth_attempts_per_account=limit, auth_attempts_per_ip=0) as client:
        email = new_email()
        with ThreadPoolExecutor(max_workers=10) as pool:
            statuses = list(pool.map(lambda _: login(client, email).status_code, range(30)))
    assert statuses.count(429) == 30 - limit
    assert statuses.count(401) == limit


def test_the_limit_lifts_when_the_window_ends():
    with client_with(
        auth_attempts_per_account=1, auth_attempts_per_ip=0, auth_rate_window_seconds=1
    ) as client:
        email = new_email()
        assert login(client, email).status_code == 401
        assert_refused(login(client, email), 1)
        deadline = time.monotonic() + 10  # a guard: the window is one second
        while login(client, email).status_code == 429:
            assert time.monotonic() < deadline, "the limit never lifted"
            time.sleep(0.3)


def test_with_redis_down_the_limits_fail_open_with_a_warning(caplog):
    dead_redis = f"redis://127.0.0.1:{free_port()}/0"
    with client_with(redis_url=dead_redis, auth_attempts_per_account=1, auth_attempts_per_ip=1) as client:
        email = new_email()
        with caplog.at_level(logging.WARNING, logger="backend.api.ratelimit"):
            assert register(client, email).status_code == 201
            for _ in range(3):
                assert login(client, email).status_code == 200
    assert "Auth rate limits skipped, Redis unavailable" in caplog.text
