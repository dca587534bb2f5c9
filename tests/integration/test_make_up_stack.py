"""`make up`'s supervisor: the whole stack starts, answers, and stops cleanly on Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import httpx
import psutil
import redis
from redis.connection import parse_url

from tests.conftest import REPO_ROOT, TEST_REDIS_URL
from tests.support.net import answers, free_port


def _stack_redis_url() -> str:
    # An index of its own: this stack's worker must not take the test worker's messages.
    index = (int(parse_url(TEST_REDIS_URL).get("db", 0)) - 2) % 16
    return TEST_REDIS_URL.rsplit("/", 1)[0] + f"/{index}"


def _wait_until(check, timeout: float, what: str, stack: subprocess.Popen) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert stack.poll() is None, f"the stack exited while waiting for {what}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.5)


def test_the_stack_starts_answers_and_stops_cleanly(redis_server, tmp_path):
    api_port, flower_port, redis_url = free_port(), free_port(), _stack_redis_url()
    redis.Redis.from_url(redis_url).flushdb()
    env = dict(
        os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'stack.db'}", REDIS_URL=redis_url,
        API_PORT=str(api_port), FLOWER_PORT=str(flower_port), FLOWER_BASIC_AUTH="admin:stack-test",
        STORAGE_DIR=str(tmp_path / "storage"),
    )
    stack = subprocess.Popen(
        [sys.executable, "deploy/run_stack.py"], cwd=REPO_ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    api = f"http://127.0.0.1:{api_port}"

    def deep_health_ok() -> bool:
        try:
            return httpx.get(f"{api}/health", params={"deep": "true"}, timeout=10).status_code == 200
        except httpx.TransportError:
            return False

    try:
        _wait_until(deep_health_ok, 90, "API, worker and database", stack)
        flower = f"http://127.0.0.1:{flower_port}/"
        _wait_until(lambda: answers(flower), 60, "Flower", stack)
        assert httpx.get(flower, timeout=5).status_code == 401
        assert httpx.get(flower, auth=("admin", "stack-test"), timeout=5).status_code == 200
        children = psutil.Process(stack.pid).children(recursive=True)
        assert len(children) >= 4
    finally:
        stack.send_signal(signal.SIGINT)
        output, _ = stack.communicate(timeout=60)
    assert stack.returncode == 0, output
    assert f"API      http://127.0.0.1:{api_port}" in output
    assert "[ledgerflow] stopped" in output
    assert not [child for child in children if child.is_running() and child.status() != "zombie"]
    redis.Redis.from_url(redis_url).flushdb()

