"""How fast the gateway answers: submitting a task (202) and reading its status.

Run: ``.venv/bin/python bench/bench_api.py [--seconds 8]`` (needs ``wrk``: ``apt-get install wrk``).

Starts the API with uvicorn (one process, as `make up` does) against a freshly migrated
PostgreSQL database (``BENCH_DATABASE_URL``) and a Redis database index of its own
(``BENCH_REDIS_URL``, flushed before and after; no worker consumes it, so this measures
the gateway alone: check the token, insert the row, publish the message, answer). wrk
then drives ``POST /tasks/ping`` and ``GET /tasks/{id}/status`` with one connection
(latency) and with 32 (throughput); ``GET /health`` is the framework's own ceiling.
wrk shares the machine's two cores with the server.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import redis
from sqlalchemy import make_url, text

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from backend.db import build_engine, upgrade_database  # noqa: E402
from tests.support.net import free_port, wait_until_answers  # noqa: E402

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/ledgerflow_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"


def fresh_database(url: str) -> None:
    """An empty, migrated bench database at ``url``; the database is created when missing
    (a new machine has only ``test`` and ``postgres``), through the server's ``postgres``."""
    target = make_url(url)
    server = build_engine(target.set(database="postgres").render_as_string(hide_password=False))
    with server.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        exists = text("SELECT 1 FROM pg_database WHERE datname = :name")
        if conn.scalar(exists, {"name": target.database}) is None:
            quoted = server.dialect.identifier_preparer.quote(target.database or "")
            conn.execute(text(f"CREATE DATABASE {quoted}"))
    server.dispose()
    engine = build_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    upgrade_database(url)


def start_api(database_url: str, redis_url: str, port: int) -> subprocess.Popen:
    env = dict(
        os.environ, DATABASE_URL=database_url, REDIS_URL=redis_url,
        JWT_SECRET_KEY=uuid.uuid4().hex, STORAGE_DIR=str(REPO / "bench" / "out" / "storage"),
        # No worker consumes the pings, so every one stays unfinished: past the fair-share
        # cap (USER_MAX_ACTIVE_TASKS, 50) the submits would measure the 429 answer.
        USER_MAX_ACTIVE_TASKS=str(10**9),
    )
    api = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "backend.api.main:create_app", "--factory",
         "--port", str(port), "--log-level", "warning", "--no-access-log"],
        cwd=REPO, env=env,
    )
    try:
        wait_until_answers(f"http://127.0.0.1:{port}/health")
    except TimeoutError:
        api.kill()
        raise
    return api


WRK_LINE = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)$|^Requests/sec:\s+([\d.]+)$")
UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str, token: str, connections: int, seconds: int, method: str = "GET") -> dict[str, float]:
    """Requests/s and p50/p99 latency (ms) of wrk against ``url``."""
    script = REPO / "bench" / "out" / f"wrk-{method.lower()}.lua"
    script.parent.mkdir(exist_ok=True)  # run alone, not only from run_all.py, which makes it
    script.write_text(f'wrk.method = "{method}"\n')
    output = subprocess.run(
        ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--latency",
         "-H", f"Authorization: Bearer {token}", "-s", str(script), url],
        check=True, capture_output=True, text=True,
    ).stdout
    if "Non-2xx" in output:
        raise RuntimeError(f"{method} {url} answered errors:\n{output}")
    figures: dict[str, float] = {}
    for line in output.splitlines():
        match = WRK_LINE.match(line)
        if match and match[1]:
            figures[f"p{match[1]}"] = float(match[2]) * UNIT_MS[match[3]]
        elif match:
            figures["rps"] = float(match[4])
    return figures


def run(port: int, seconds: int) -> None:
    base = f"http://127.0.0.1:{port}"
    credentials = {"email": "bench@example.com", "password": "bench-password"}
    with httpx.Client(base_url=base, timeout=30) as client:
        client.post("/auth/register", json=credentials)
        token = client.post(
            "/auth/token", data={"username": credentials["email"], "password": credentials["password"]}
        ).json()["access_token"]
        task_id = client.post("/tasks/ping", headers={"Authorization": f"Bearer {token}"}).json()["task_id"]
    cases = [
        ("GET /health", f"{base}/health", "GET"),
        ("POST /tasks/ping (202)", f"{base}/tasks/ping", "POST"),
        ("GET /tasks/{id}/status", f"{base}/tasks/{task_id}/status", "GET"),
    ]
    print(f"{'':<24} {'1 connection':>26}   {'32 connections':>34}")
    for name, url, method in cases:
        one = wrk(url, token, 1, seconds, method)
        many = wrk(url, token, 32, seconds, method)
        print(
            f"{name:<24} {one['rps']:>7.0f} req/s p50 {one['p50']:6.2f} ms"
            f"   {many['rps']:>7.0f} req/s p50 {many['p50']:6.1f} ms p99 {many['p99']:6.1f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=8, help="per measurement")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)
    fresh_database(database_url)
    broker = redis.Redis.from_url(redis_url)
    broker.flushdb()
    port = free_port()
    api = start_api(database_url, redis_url, port)
    try:
        print(f"uvicorn, 1 process, {os.cpu_count()} CPUs")
        run(port, args.seconds)
    finally:
        api.terminate()
        api.wait(timeout=10)
        broker.flushdb()


if __name__ == "__main__":
    main()
