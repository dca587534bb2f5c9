"""Scale-out of the statement workload: 1, 2 and 4 worker processes, and two worker nodes.

Run: ``.venv/bin/python bench/bench_scaling.py [--statements 16 --pages 20]
[--setups 1 2 4 2,2]`` (part of ``make bench-platform``). PostgreSQL (``BENCH_DATABASE_URL``) and Redis
(``BENCH_REDIS_URL``), as in production.

Each set-up starts the API (one uvicorn process) and its workers fresh on a clean
database, then uploads ``--statements`` statements of ``--pages`` pages through
``POST /upload_pdf_async`` (one user per statement, so no upload is a
duplicate of another) and waits until every task is SUCCESS. Printed: statements per
minute, pages per second, and the speed-up against one worker process. The set-ups:
one node with ``--concurrency`` 1, 2 and 4, and two nodes (distinct ``--hostname``)
with 2 each, sharing the broker, as ``docker compose up --scale worker=2`` runs them.
``--setups`` picks others: one per argument, each node's concurrency separated by commas
(the speed-up is against the first).
A speed-up is bounded by the machine's cores (printed): past them, more processes only
queue for the CPU.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import redis
from sqlalchemy import bindparam, text

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from backend.db import build_engine  # noqa: E402
from backend.tasks.kinds import PARSE_STATEMENT  # noqa: E402
from bench.bench_api import fresh_database  # noqa: E402
from bench.bench_platform import POSTGRES_URL, REDIS_URL, processes, wait_for  # noqa: E402
from tests.support.statement_pdfs import make_long_statement  # noqa: E402

# The concurrency of each node: one node per entry in the tuple.
SETUPS: tuple[tuple[int, ...], ...] = ((1,), (2,), (4,), (2, 2))


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 'es' if noun.endswith('s') else 's'}"


def label(nodes: tuple[int, ...]) -> str:
    """"1 node x 2 processes"; nodes of unequal concurrency are listed one by one."""
    each = plural(nodes[0], "process") if len(set(nodes)) == 1 else "+".join(map(str, nodes)) + " processes"
    return f"{plural(len(nodes), 'node')} x {each}"


def setup(text: str) -> tuple[int, ...]:
    """``--setups`` argument "2,2": two nodes of concurrency 2."""
    return tuple(int(concurrency) for concurrency in text.split(","))


def measure(nodes: tuple[int, ...], pdf: Path, statements: int, work_dir: Path) -> float:
    """Seconds from the first upload until every statement is parsed."""
    fresh_database(POSTGRES_URL)
    redis.Redis.from_url(REDIS_URL).flushdb()
    env = dict(os.environ, DATABASE_URL=POSTGRES_URL, REDIS_URL=REDIS_URL, JWT_SECRET_KEY=uuid.uuid4().hex,
               STORAGE_DIR=str(work_dir / "storage"))
    with processes(work_dir, env) as running:
        base = running.uvicorn("backend.api.main:create_app", factory=True)
        for number, concurrency in enumerate(nodes):
            running.start(f"worker-{number}", [
                sys.executable, "-m", "celery", "-A", "celery_app", "worker",
                "-Q", PARSE_STATEMENT.queue, "--concurrency", str(concurrency),
                "--hostname", f"bench{number}@%h", "--loglevel", "WARNING"])
        tokens = []
        with httpx.Client(base_url=base, timeout=60) as client:
            for number in range(statements):
                credentials = {"email": f"bench{number}@example.com", "password": "bench-password-1"}
                client.post("/auth/register", json=credentials).raise_for_status()
                login = {"username": credentials["email"], "password": credentials["password"]}
                tokens.append(client.post("/auth/token", data=login).json()["access_token"])
            engine = build_engine(POSTGRES_URL)

            def count(*statuses: str) -> int:
                with engine.connect() as conn:
                    return int(conn.execute(
                        text("SELECT count(*) FROM task_status WHERE status IN :statuses")
                        .bindparams(bindparam("statuses", expanding=True)),
                        {"statuses": list(statuses)}).scalar_one())

            content = pdf.read_bytes()
            started = time.perf_counter()
            for token in tokens:
                client.post("/upload_pdf_async", headers={"Authorization": f"Bearer {token}"},
                            files={"file": ("statement.pdf", content, "application/pdf")}).raise_for_status()
            wait_for(lambda: count("SUCCESS", "FAILED") >= statements, "every statement to be parsed",
                     timeout=1800)
            seconds = time.perf_counter() - started
            failed = count("FAILED")
            engine.dispose()
            if failed:
                raise RuntimeError(f"{failed} statements failed to parse")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=16)
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--setups", type=setup, nargs="+", default=list(SETUPS),
                        help="each node's concurrency, comma-separated; one argument per set-up")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped by SIGTERM"))
    with tempfile.TemporaryDirectory(prefix="ledgerflow-bench-scaling-") as tmp:
        work = Path(tmp)
        pdf = work / "statement.pdf"
        make_long_statement(pdf, args.pages)
        results = []
        for number, nodes in enumerate(args.setups):
            run_dir = work / f"setup-{number}"
            run_dir.mkdir()
            results.append((label(nodes), measure(nodes, pdf, args.statements, run_dir)))
    print(f"{args.statements} statements of {args.pages} pages, PostgreSQL + Redis, {os.cpu_count()} CPUs")
    print(f"{'':<24} {'seconds':>8} {'stmts/min':>10} {'pages/s':>8} {'speed-up':>9}")
    baseline = results[0][1]
    for name, seconds in results:
        print(f"{name:<24} {seconds:8.1f} {60 * args.statements / seconds:10.1f} "
              f"{args.statements * args.pages / seconds:8.1f} {baseline / seconds:8.2f}x")


if __name__ == "__main__":
    main()
