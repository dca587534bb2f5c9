"""Pooled PostgreSQL connections are pinged before use only after sitting idle
(backend/db.py ``_ping_if_idle``): a connection the server dropped meanwhile is replaced
without the caller seeing an error, and one dropped right after use costs one failed
statement, after which every pooled connection is fresh."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

import backend.db
from backend.db import build_engine
from tests.conftest import TEST_DATABASE_URL

pytestmark = pytest.mark.postgres_only


@pytest.fixture
def engine():
    engine = build_engine(TEST_DATABASE_URL)
    yield engine
    engine.dispose()


def backend_pid(engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())


def drop_server_side(pid: int) -> None:
    """The server ends the session ``pid`` (as a restart or an idle timeout would)."""
    admin = build_engine(TEST_DATABASE_URL)
    with admin.connect() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar_one()
    admin.dispose()


def test_an_idle_connection_the_server_dropped_is_replaced_before_use(engine, monkeypatch):
    monkeypatch.setattr(backend.db, "PING_AFTER_IDLE_SECONDS", 0.0)
    dropped = backend_pid(engine)
    drop_server_side(dropped)
    # The next checkout pings, finds the connection dead and takes a new one: no error.
    assert backend_pid(engine) != dropped


def test_a_connection_used_a_moment_ago_is_not_pinged(engine, monkeypatch):
    monkeypatch.setattr(backend.db, "PING_AFTER_IDLE_SECONDS", 3600.0)
    first = backend_pid(engine)
    drop_server_side(first)
    # Not pinged: the statement meets the dead connection and fails as a disconnect...
    with pytest.raises(DBAPIError) as failed:
        backend_pid(engine)
    assert failed.value.connection_invalidated
    # ...and that invalidated the pool: the next checkout opens a fresh connection.
    assert backend_pid(engine) != first
