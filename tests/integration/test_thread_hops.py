"""A request hands work to a worker thread once: a submit's dependencies are coroutines,
and the synchronous dependencies of a read (the ORM session, the current user, the owned
row) are solved in the thread that runs the route's body (backend/api/routing.py
``OneHopRoute``; FastAPI alone hands each of them, the session's enter and exit, and the
validation of a sync route's answer to a thread of its own)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio.to_thread
import pytest
from sqlalchemy.orm import Session

from backend import db
from backend.api import tasks


@pytest.fixture
def thread_hops(monkeypatch: pytest.MonkeyPatch) -> list[Callable[..., Any]]:
    """Every function handed to anyio's worker threads from now on."""
    handed: list[Callable[..., Any]] = []
    run_sync = anyio.to_thread.run_sync

    async def counted(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        handed.append(getattr(function, "func", function))  # run_in_threadpool's partial
        return await run_sync(function, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counted)
    return handed


def test_a_submit_takes_one_thread_hop(client, auth_headers, thread_hops):
    assert client.post("/tasks/ping", headers=auth_headers).status_code == 202
    assert thread_hops == [tasks.submit_ping]


def test_reading_an_owned_row_takes_one_thread_hop(client, auth_headers, thread_hops):
    task_id = client.post("/tasks/ping", headers=auth_headers).json()["task_id"]
    rule_id = client.post("/rules", json={"pattern": "coffee", "category": "Out"},
                          headers=auth_headers).json()["id"]
    for path in (f"/tasks/{task_id}/status", f"/rules/{rule_id}", "/auth/me", "/tasks"):
        thread_hops.clear()
        assert client.get(path, headers=auth_headers).status_code == 200, path
        # The session opened, the user and the row read, the body run, the session
        # closed: all in one thread (five hand-offs before, four for /auth/me and /tasks).
        assert len(thread_hops) == 1, (path, thread_hops)


def test_the_answers_of_a_status_read_are_as_before(client, register):
    alice, bob = register(), register()
    task_id = client.post("/tasks/ping", headers=alice).json()["task_id"]
    status = client.get(f"/tasks/{task_id}/status", headers=alice)
    assert status.status_code == 200
    assert status.json()["task_id"] == task_id
    assert status.json()["task_name"] == "ping"
    not_found = {"detail": "Task not found", "code": "not_found"}
    # Someone else's task, an unknown id, text that cannot be one: the same 404.
    for headers, some_id in ((bob, task_id), (alice, "0" * 8 + "-0000-0000-0000-" + "0" * 12),
                             (alice, "not-a-task")):
        answer = client.get(f"/tasks/{some_id}/status", headers=headers)
        assert (answer.status_code, answer.json()) == (404, not_found)
    unauthenticated = client.get(f"/tasks/{task_id}/status")
    assert unauthenticated.status_code == 401
    assert unauthenticated.json() == {"detail": "Not authenticated", "code": "not_authenticated"}
    assert unauthenticated.headers["WWW-Authenticate"] == "Bearer"
    bad_token = client.get(f"/tasks/{task_id}/status", headers={"Authorization": "Bearer nonsense"})
    assert (bad_token.status_code, bad_token.json()) [0] == 401
    assert bad_token.json()["detail"] == "Could not validate credentials"
    # A malformed id of a numbered row: 422; and the 401 of a bad token comes before it.
    assert client.get("/rules/not-a-number", headers=alice).status_code == 422
    assert client.get("/rules/0", headers=alice).status_code == 422
    assert client.get("/rules/not-a-number", headers={"Authorization": "Bearer x"}).status_code == 401


def test_the_401_of_a_deleted_user_still_comes_before_the_422_of_a_bad_id(client, register):
    # get_current_user (a sync dependency, now solved in the route's thread) refuses the
    # token of a user who no longer exists; FastAPI called it before checking the rule's
    # id, so its 401 wins over the id's 422.
    from sqlalchemy import delete

    from backend.models import User

    alice = register()
    with db.new_session(writes=True) as session:
        session.execute(delete(User))
        session.commit()
    assert client.get("/rules/not-a-number", headers=alice).status_code == 401
    assert client.get("/rules/7", headers=alice).status_code == 401


def test_the_session_is_closed_when_the_route_raises(client, register, monkeypatch: pytest.MonkeyPatch):
    closed: list[Session] = []
    close = Session.close

    def noting_close(session: Session) -> None:
        closed.append(session)
        close(session)

    monkeypatch.setattr(Session, "close", noting_close)
    alice, bob = register(), register()
    task_id = client.post("/tasks/ping", headers=alice).json()["task_id"]
    closed.clear()
    assert client.get(f"/tasks/{task_id}/status", headers=bob).status_code == 404
    assert len(closed) == 1  # the request's one session, closed though _owned_task raised
    closed.clear()
    # The body raises: a ping is not a report.
    assert client.get(f"/reports/{task_id}/download", headers=alice).status_code == 404
    assert len(closed) == 1
    closed.clear()
    assert client.get("/rules/not-a-number", headers=alice).status_code == 422
    assert len(closed) == 1
