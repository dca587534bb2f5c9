"""`make up`'s supervisor: the whole stack starts, answers, keeps to loopback and private
files, and stops cleanly on Ctrl-C."""

from __future__ import annotations

import stat

import httpx
import psutil
import pytest

from tests.conftest import REPO_ROOT
from tests.support.net import PrivateRedis, Stack, answers, port_is_free, still_alive

# Its stack runs on a SQLite file and a Redis of its own whatever the pass's back end.
pytestmark = pytest.mark.backend_independent


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def private_redis(tmp_path):
    with PrivateRedis(tmp_path / "redis") as server:
        yield server


def task_shown_by_flower(api: str, flower: str):
    """A check that submits a ping and says whether Flower lists one of them as succeeded."""
    credentials = {"email": "flower-watch@example.com", "password": "flower-watch-1"}
    httpx.post(f"{api}/auth/register", json=credentials, timeout=10).raise_for_status()
    token = httpx.post(f"{api}/auth/token", timeout=10, data={
        "username": credentials["email"], "password": credentials["password"]}).json()["access_token"]
    submitted: list[str] = []

    def shown() -> bool:
        answer = httpx.post(f"{api}/tasks/ping", headers={"Authorization": f"Bearer {token}"}, timeout=10)
        assert answer.status_code == 202, answer.text
        submitted.append(answer.json()["task_id"])
        listed = httpx.get(f"{flower}api/tasks", auth=("admin", "stack-test"), timeout=10).json()
        return any(listed.get(task_id, {}).get("state") == "SUCCESS" for task_id in submitted)
    return shown


def test_the_stack_starts_answers_and_stops_cleanly(private_redis, tmp_path):
    database = tmp_path / "stack.db"
    stack = Stack(private_redis.url, f"sqlite:///{database}", tmp_path / "storage",
                  HEALTH_TOKEN="stack-test-health").start()

    def deep_health_ok() -> bool:
        try:
            return httpx.get(f"{stack.api}/health", params={"deep": "true"}, timeout=10,
                             headers={"X-Health-Token": "stack-test-health"}).is_success
        except httpx.TransportError:
            return False

    try:
        stack.wait_until(deep_health_ok, "API, worker and database")
        # The web app comes with the API: `make up`, then open http://127.0.0.1:8000.
        page = httpx.get(f"{stack.api}/", timeout=5)
        assert page.status_code == 200 and '<script type="module"' in page.text
        flower = f"http://127.0.0.1:{stack.flower_port}/"
        stack.wait_until(lambda: answers(flower), "Flower")
        assert httpx.get(flower, timeout=5).status_code == 401
        assert httpx.get(flower, auth=("admin", "stack-test"), timeout=5).status_code == 200
        # Workers send no task events of their own (they cost a fifth of a worker's CPU
        # per task, docs/performance.md): Flower turns them on in every worker it sees, so
        # its task list still shows what runs while it watches.
        shown = task_shown_by_flower(stack.api, flower)
        stack.wait_until(shown, "a task in Flower's task list")
        listening = [
            connection.laddr.ip
            for connection in stack.child("flower").net_connections(kind="inet")
            if connection.status == psutil.CONN_LISTEN
        ]
        children = stack.descendants()
        assert len(children) >= 4
    finally:
        output = stack.stop()
    assert stack.process.returncode == 0, output
    assert listening == ["127.0.0.1"], "Flower must listen on loopback only by default"
    assert f"API      http://127.0.0.1:{stack.api_port}" in output
    assert f"Web app  http://127.0.0.1:{stack.api_port}" in output
    assert "[ledgerflow] stopped" in output
    # Flower starts once the worker answers, so its first look at the workers finds one
    # instead of warning of every question nobody answered.
    assert "Inspect method" not in output, output
    assert not still_alive(children)
    assert port_is_free(stack.api_port) and port_is_free(stack.flower_port)
    # Everything the stack wrote is private to its user.
    assert mode(database) == 0o600
    assert mode(tmp_path / "storage") == 0o700
    assert mode(REPO_ROOT / "var") == 0o700
