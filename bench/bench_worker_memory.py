"""A worker node's memory: its main process and each pool process, idle and after work.

Run: ``.venv/bin/python bench/bench_worker_memory.py [--concurrency 2 --statements 4]``.
PostgreSQL (``BENCH_DATABASE_URL``) and Redis (``BENCH_REDIS_URL``), as in production.

Starts the API (one uvicorn process) and one worker as ``make up`` does (``celery_app``,
every queue, prefork with ``--concurrency`` pool processes, forked after the app and its
task modules are imported) on a clean database. Printed, for the main process and each
pool process: RSS, USS and PSS (bench/memory.py says what each counts), once the worker
is ready and again after the work: one statement parse and one report alone (the first
of each, timed from submit to SUCCESS: the modules a task imports on first use are in
it), then ``--statements`` parses and as many reports submitted at once (so that every
pool process runs some), then one more of each alone (timed: warm), then 20 pings.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import psutil
import redis

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from backend.tasks.kinds import QUEUES  # noqa: E402
from bench.bench_api import fresh_database  # noqa: E402
from bench.bench_platform import POSTGRES_URL, REDIS_URL, processes, wait_for  # noqa: E402
from bench.memory import ProcessMemory, process_memory  # noqa: E402
from tests.support.statement_pdfs import make_long_statement  # noqa: E402


def snapshot(worker_pid: int) -> list[tuple[str, ProcessMemory]]:
    """The main process's memory, then each pool process's."""
    pool = sorted(psutil.Process(worker_pid).children(), key=lambda child: child.pid)
    return [("main", process_memory(worker_pid))] + [
        (f"pool {number}", process_memory(child.pid)) for number, child in enumerate(pool, 1)
    ]


def print_snapshot(title: str, rows: list[tuple[str, ProcessMemory]]) -> None:
    print(f"{title}:")
    print(f"  {'process':<8} {'RSS':>8} {'USS':>8} {'PSS':>8}")
    for name, memory in rows:
        print(f"  {name:<8} {memory.rss:6.1f}MB {memory.uss:6.1f}MB {memory.pss:6.1f}MB")
    pool = [memory for name, memory in rows if name != "main"]
    print(f"  node total PSS {sum(memory.pss for _, memory in rows):.1f} MB; per pool process: "
          f"USS {statistics.mean(memory.uss for memory in pool):.1f} MB, "
          f"PSS {statistics.mean(memory.pss for memory in pool):.1f} MB")


class Client:
    """One user's HTTP client: submits tasks and waits for them."""

    def __init__(self, http: httpx.Client, number: int) -> None:
        # One user per statement: the same file twice for one user would be a duplicate.
        credentials = {"email": f"bench{number}@example.com", "password": "bench-password-1"}
        http.post("/auth/register", json=credentials).raise_for_status()
        login = {"username": credentials["email"], "password": credentials["password"]}
        token = http.post("/auth/token", data=login).json()["access_token"]
        self.http = http
        self.headers = {"Authorization": f"Bearer {token}"}

    def submit(self, path: str, **request: Any) -> str:
        """``POST path``; the task's status URL."""
        answer = self.http.post(path, headers=self.headers, **request)
        answer.raise_for_status()
        return f"/tasks/{answer.json()['task_id']}/status"

    def statement(self, pdf: Path) -> str:
        upload = {"file": ("statement.pdf", pdf.read_bytes(), "application/pdf")}
        return self.submit("/upload_pdf_async", files=upload)

    def report(self) -> str:
        return self.submit("/reports/generate_async", json={})

    def status(self, task: str) -> str:
        return str(self.http.get(task, headers=self.headers).json()["status"])

    def wait(self, task: str) -> None:
        """Until ``task`` is SUCCESS (RuntimeError if it FAILED)."""
        wait_for(lambda: self.status(task) in ("SUCCESS", "FAILED"), task)
        if self.status(task) != "SUCCESS":
            raise RuntimeError(f"{task}: FAILED")

    def timed(self, task: str) -> float:
        """Seconds from now (just after the submit) until ``task`` is SUCCESS."""
        started = time.perf_counter()
        self.wait(task)
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--statements", type=int, default=4, help="statements and reports, each, at once")
    parser.add_argument("--pages", type=int, default=5)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped by SIGTERM"))
    fresh_database(POSTGRES_URL)
    redis.Redis.from_url(REDIS_URL).flushdb()
    with tempfile.TemporaryDirectory(prefix="ledgerflow-bench-worker-memory-") as tmp:
        work = Path(tmp)
        pdf = work / "statement.pdf"
        make_long_statement(pdf, args.pages)
        env = dict(os.environ, DATABASE_URL=POSTGRES_URL, REDIS_URL=REDIS_URL,
                   JWT_SECRET_KEY=uuid.uuid4().hex, STORAGE_DIR=str(work / "storage"))
        with processes(work, env) as running, httpx.Client(base_url="http://unused", timeout=60) as http:
            http.base_url = httpx.URL(running.uvicorn("backend.api.main:create_app", factory=True))
            users = [Client(http, number) for number in range(args.statements + 2)]
            worker = running.start("worker", [
                sys.executable, "-m", "celery", "-A", "celery_app", "worker", "-Q", ",".join(QUEUES),
                "--concurrency", str(args.concurrency), "--loglevel", "INFO"])
            log = work / "worker.log"
            wait_for(lambda: " ready." in log.read_text(), "the worker to be ready", timeout=120)
            time.sleep(1)  # the pool processes' own start (worker_process_init) settles
            idle = snapshot(worker.pid)
            first = users[0]
            first_statement = first.timed(first.statement(pdf))
            first_report = first.timed(first.report())
            at_once = [(user, user.statement(pdf)) for user in users[1:-1]]
            at_once += [(user, user.report()) for user in users[1:-1]]
            for user, task in at_once:
                user.wait(task)
            last = users[-1]
            warm_statement = last.timed(last.statement(pdf))
            warm_report = last.timed(last.report())
            for _ in range(20):
                last.wait(last.submit("/tasks/ping"))
            worked = snapshot(worker.pid)
    print(f"one worker node, every queue, prefork --concurrency {args.concurrency}, {os.cpu_count()} CPUs")
    print_snapshot("ready, before any task", idle)
    print_snapshot(f"after {args.statements + 2} statements of {args.pages} pages, as many reports, 20 pings",
                   worked)
    print(f"submit to SUCCESS: statement first {first_statement:.2f} s, warm {warm_statement:.2f} s; "
          f"report first {first_report:.2f} s, warm {warm_report:.2f} s")


if __name__ == "__main__":
    main()
