"""A worker node's memory: its main process and each pool process, idle and after work.

Run: ``.venv/bin/python bench/bench_worker_memory.py [--concurrency 2 --statements 4
--queues pdf_processing,default]``. PostgreSQL (``BENCH_DATABASE_URL``) and Redis
(``BENCH_REDIS_URL``), as in production.

Starts the API (one uvicorn process) and one worker as ``make up`` does (``celery_app``,
every queue unless ``--queues`` says which, prefork with ``--concurrency`` pool
processes, forked once the app, its task modules and what its queues' tasks import on
first use are loaded: backend/tasks/app.py FIRST_USE_MODULES) on a clean database.
Printed, for the main process and each pool process: RSS, USS and PSS (bench/memory.py
says what each counts), once the worker is ready and again after the work: for
statements, then for reports (if the queues carry them), one alone (the first, timed
from submit to SUCCESS), ``--statements`` submitted at once (so that every pool process
runs some), one more alone (timed: warm); then 20 pings.
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

from backend.tasks.kinds import PARSE_STATEMENT, PING, QUEUES, REPORT  # noqa: E402
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

    def report(self, _pdf: Path) -> str:
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
    parser.add_argument("--queues", default=",".join(QUEUES), help="the worker's -Q")
    args = parser.parse_args()
    queues = args.queues.split(",")
    if PING.queue not in queues:
        parser.error(f"--queues must include {PING.queue} (the pings)")
    statements = PARSE_STATEMENT.queue in queues
    reports = REPORT.queue in queues
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
                sys.executable, "-m", "celery", "-A", "celery_app", "worker", "-Q", args.queues,
                "--concurrency", str(args.concurrency), "--loglevel", "INFO"])
            log = work / "worker.log"
            wait_for(lambda: " ready." in log.read_text(), "the worker to be ready", timeout=120)
            time.sleep(1)  # the pool processes' own start (worker_process_init) settles
            idle = snapshot(worker.pid)
            first, last = users[0], users[-1]
            timings = []
            for served, what, submit in ((statements, "statement", Client.statement),
                                         (reports, "report", Client.report)):
                if not served:
                    continue
                cold = first.timed(submit(first, pdf))
                at_once = [(user, submit(user, pdf)) for user in users[1:-1]]
                for user, task in at_once:
                    user.wait(task)
                timings.append(f"{what} first {cold:.2f} s, warm {last.timed(submit(last, pdf)):.2f} s")
            for _ in range(20):
                last.wait(last.submit("/tasks/ping"))
            worked = snapshot(worker.pid)
    print(f"one worker node, -Q {args.queues}, prefork --concurrency {args.concurrency}, "
          f"{os.cpu_count()} CPUs")
    print_snapshot("ready, before any task", idle)
    work_done = [f"{args.statements + 2} statements of {args.pages} pages"] if statements else []
    work_done += [f"{args.statements + 2} reports"] if reports else []
    print_snapshot(f"after {', '.join([*work_done, '20 pings'])}", worked)
    if timings:
        print("submit to SUCCESS: " + "; ".join(timings))


if __name__ == "__main__":
    main()
