"""What the platform costs per task, against raw Celery, measured side by side in one run.

Run: ``make bench-platform`` or ``.venv/bin/python bench/bench_platform.py [--tasks 1000]``
(needs ``wrk``, which `make bench-platform` installs: ``apt-get install wrk``).

Six set-ups, each started fresh, one after another on the same machine:

- **Ledgerflow, SQLite** and **Ledgerflow, PostgreSQL**: the API as `make up` starts it
  (uvicorn, one process) and one worker (``celery_app``, 2 pool processes, every queue);
  ``--tasks`` no-op ``POST /tasks/ping``, then the wait until every ``task_status`` row is
  SUCCESS. The worker runs while the submits are made, as it does in production.
- **raw Celery** (bench/raw_celery.py): a bare app with a no-op task and results on, the
  same Redis, a worker with the same concurrency; ``send_task`` from ``--clients`` threads
  in this process (issue 9's definition), then the wait until every result is SUCCESS.
- **bare endpoint + worker**: a FastAPI route that only calls ``apply_async``, under the
  same uvicorn settings, with the raw worker consuming its tasks meanwhile: the least any
  HTTP gateway can cost, under the same load as Ledgerflow's submits (their worker runs
  too). Its end-to-end rate is the ceiling of any HTTP gateway.
- **bare + a row per task**: the same endpoint and worker keeping a row per task in the
  PostgreSQL bench database, with nothing else (bench/raw_celery.py: psycopg2, prepared
  statements, the row committed before the message, the lease and the success a committed
  conditional UPDATE each; no result in Redis, as the row holds it): the least a gateway
  that keeps the database as the source of truth of a task's state can cost.
- **bare endpoint alone**: the same without a worker (the baseline of earlier rounds,
  printed for comparison).

The load of the HTTP set-ups is wrk, a C process of its own (one thread, ``--clients``
connections, each sending its next request when its answer came: the issue's concurrent
clients), sending exactly ``--tasks`` requests (bench/wrk_submits.lua) and failing the run
if any answer is not 202. Until 2026-11-30 it was ``--clients`` Python threads with httpx
in this process, whose CPU (a large share of the 2-core machine) and GIL contention were
counted in every submit latency. Latencies p50/p99 are wrk's (exact, over every request);
the submit rate is ``--tasks`` over wrk's run time.

Figures: submits per second, submit latency p50/p99, end-to-end tasks per second (from
the start of the load to the last success: Ledgerflow's SUCCESS rows; the raw app's
results of the task ids sent, read with one MGET a poll), and CPU milliseconds per task of
the gateway, of the worker with its pool, of the PostgreSQL backends serving the bench
database and of Redis (``ServerCpu``), and of all of them together (raw Celery's with its
sending threads, which do the gateway's part there): with every core busy, the end-to-end
rate can be at most the ratio of those totals. Printed with the ratios issue 9 sets targets
for: Ledgerflow ÷ raw Celery end to end (≥ 0.8), Ledgerflow submit ÷ bare endpoint + worker
submit (≥ 0.8), submit p99 at 16 clients (< 100 ms). The fair-share cap
(USER_MAX_ACTIVE_TASKS) is raised for the run, since one user submits every task.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import psutil
import psycopg2
import redis
from sqlalchemy import make_url, text

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from backend.db import build_engine, upgrade_database  # noqa: E402
from backend.tasks.kinds import QUEUES  # noqa: E402
from bench.bench_api import fresh_database  # noqa: E402
from tests.support.net import free_port, wait_until_answers  # noqa: E402

POSTGRES_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/ledgerflow_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
# The raw Celery app of this process must send where its worker (started with the same
# variable) listens: without it, it used raw_celery.py's default index whatever
# BENCH_REDIS_URL said, and two runs side by side shared that index.
os.environ["RAW_CELERY_REDIS_URL"] = REDIS_URL
from bench.raw_celery import QUEUE, app, create_tracked_table  # noqa: E402

WORKER_CONCURRENCY = 2
# The profiler the dev dependencies install beside this interpreter (pyproject.toml).
PY_SPY = Path(sys.executable).with_name("py-spy")
WRK_SCRIPT = REPO / "bench" / "wrk_submits.lua"
TARGETS = {"end_to_end": 0.8, "submit": 0.8, "p99_ms": 100.0}
# The set-up that keeps a row per task with nothing else (bench/raw_celery.py).
TRACKED = "bare + a row per task"


@dataclass
class Figures:
    """One set-up's measurements."""

    submitted_per_second: float
    p50_ms: float
    p99_ms: float
    end_to_end_per_second: float | None = None
    # CPU milliseconds per task of the gateway and of the worker (with its pool): unlike
    # the rates, hardly moved by other work on a shared machine.
    api_cpu_ms: float | None = None
    worker_cpu_ms: float | None = None
    # The servers' CPU milliseconds per task (ServerCpu): PostgreSQL's backends (None on
    # SQLite, which runs inside the API and the worker) and Redis.
    database_cpu_ms: float | None = None
    redis_cpu_ms: float | None = None
    # Raw Celery only: its 16 sending threads in this process (the gateway's work there).
    sender_cpu_ms: float | None = None

    @property
    def total_cpu_ms(self) -> float:
        """CPU per task of every process measured: what bounds the end-to-end rate on a
        machine whose cores are all busy."""
        parts = (self.api_cpu_ms, self.worker_cpu_ms, self.database_cpu_ms, self.redis_cpu_ms,
                 self.sender_cpu_ms)
        return sum(part for part in parts if part is not None)


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def drive(submit: Callable[[], str], tasks: int, clients: int) -> tuple[float, list[float], float, list[str]]:
    """Raw Celery's load: ``tasks`` submits from ``clients`` threads in this process;
    (start time, latencies in ms, seconds, the task ids)."""
    latencies: list[float] = []
    task_ids: list[str] = []
    lock = threading.Lock()
    remaining = iter(range(tasks))
    errors: list[BaseException] = []

    def client_loop() -> None:
        own: list[float] = []
        ids: list[str] = []
        try:
            while True:
                with lock:
                    if next(remaining, None) is None:
                        break
                began = time.perf_counter()
                ids.append(submit())
                own.append((time.perf_counter() - began) * 1000)
        except BaseException as exc:  # reported after the threads are joined
            errors.append(exc)
        finally:
            with lock:
                latencies.extend(own)
                task_ids.extend(ids)

    threads = [threading.Thread(target=client_loop) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(f"{len(errors)} clients failed; first: {errors[0]!r}")
    return started, latencies, time.perf_counter() - started, task_ids


@dataclass
class WrkRun:
    """One fixed-count wrk run: its start on this process's clock and wrk's figures."""

    started: float
    seconds: float
    p50_ms: float
    p99_ms: float
    task_ids: list[str]


def wrk_submits(url: str, tasks: int, connections: int, headers: dict[str, str] | None = None) -> WrkRun:
    """Exactly ``tasks`` ``POST url`` from wrk (one thread, ``connections`` connections; see
    bench/wrk_submits.lua); raises unless every one was answered 202."""
    env = dict(os.environ, WRK_TASKS=str(tasks), WRK_STATUS="202", WRK_IDS="1")
    # wrk stops at the last answer; the duration only bounds a run that lost one (a broken
    # connection's request is never answered), which then fails below instead of hanging.
    seconds = 60 + tasks // 5
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "120s", "-s", str(WRK_SCRIPT)]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    started = time.perf_counter()
    finished = subprocess.run([*command, url], env=env, capture_output=True, text=True, timeout=seconds + 60)
    lines = [line for line in finished.stdout.splitlines() if line.startswith("WRK_JSON ")]
    if finished.returncode or not lines:
        raise RuntimeError(f"wrk failed ({finished.returncode}):\n{finished.stdout}{finished.stderr}")
    figures = json.loads(lines[-1].removeprefix("WRK_JSON "))
    if (figures["unexpected"] or figures["socket_errors"] or figures["sent"] != tasks
            or figures["answered"] != tasks or len(figures["ids"]) != tasks):
        raise RuntimeError(f"POST {url}: not {tasks} answers 202: {figures | {'ids': len(figures['ids'])}}")
    return WrkRun(started, figures["seconds"], figures["p50_ms"], figures["p99_ms"], figures["ids"])


def listening_pid(port: int) -> int | None:
    """The process listening on TCP ``port`` of this machine, if one can be seen."""
    with suppress(psutil.AccessDenied):
        for connection in psutil.net_connections(kind="tcp"):
            if connection.status == psutil.CONN_LISTEN and connection.laddr.port == port and connection.pid:
                return connection.pid
    return None


class ServerCpu:
    """CPU seconds so far of the servers one set-up's tasks go through, on this machine.

    The database: the PostgreSQL backends connected to the bench database (their process
    title names it), not the server's background writers; none on SQLite, which runs in
    the API and the worker, whose figures count it, or for a server on another host. A
    backend that exits in the window loses its time (the pools keep theirs open). Redis:
    the redis-server listening on ``REDIS_URL``'s port. Other work on the same servers
    would be counted too: the bench's own polls are, at most 50 a second.
    """

    def __init__(self, database_url: str | None) -> None:
        self.database: str | None = None
        if database_url is not None:
            url = make_url(database_url)
            if url.get_backend_name() == "postgresql" and url.host in (None, "127.0.0.1", "localhost"):
                self.database = url.database
        self.redis_pid = listening_pid(redis_port(REDIS_URL))

    def seconds(self) -> tuple[float | None, float | None]:
        """(the database's backends, Redis) in CPU seconds, None where not measured."""
        database: float | None = None
        if self.database is not None:
            database = 0.0
            for process in psutil.process_iter(["cmdline"]):
                title = " ".join(process.info["cmdline"] or ())
                if title.startswith("postgres: ") and f" {self.database} " in title:
                    with suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                        own = process.cpu_times()
                        database += own.user + own.system
        redis_seconds: float | None = None
        if self.redis_pid is not None:
            with suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                own = psutil.Process(self.redis_pid).cpu_times()
                redis_seconds = own.user + own.system
        return database, redis_seconds


def redis_port(url: str) -> int:
    """The TCP port of a redis:// URL (6379 when it names none)."""
    return urlsplit(url).port or 6379


def libpq_url(url: str) -> str:
    """``url`` (SQLAlchemy's form, a driver maybe named) as psycopg2 takes it."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def per_task_ms(before: float | None, after: float | None, tasks: int) -> float | None:
    return None if before is None or after is None else 1000 * (after - before) / tasks


def wait_for_results(task_ids: list[str]) -> None:
    """Until the raw app's result of every task in ``task_ids`` is SUCCESS; each poll reads
    (one MGET) only the results not seen yet, so as not to load the Redis the worker uses."""
    pending = [app.backend.get_key_for_task(task_id) for task_id in task_ids]
    client = redis.Redis.from_url(REDIS_URL)

    def all_succeeded() -> bool:
        nonlocal pending
        values = client.mget(pending)
        statuses = {json.loads(value)["status"] for value in values if value is not None}
        if statuses - {"SUCCESS"}:
            raise RuntimeError(f"raw tasks ended {statuses}")
        pending = [key for key, value in zip(pending, values, strict=True) if value is None]
        return not pending

    wait_for(all_succeeded, f"{len(task_ids)} raw tasks to succeed")
    client.close()


def wait_for(check: Callable[[], bool], what: str, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up waiting for {what}")
        time.sleep(0.02)


class Processes:
    """Child processes with their output in one log file each, all stopped on exit."""

    # Set by --profile: a folder for py-spy's collapsed stacks of the API and the worker.
    profile_dir: Path | None = None

    def __init__(self, log_dir: Path, env: dict[str, str]) -> None:
        self.log_dir = log_dir
        self.env = env
        self.children: list[subprocess.Popen] = []
        self.named: dict[str, subprocess.Popen] = {}

    def cpu_seconds(self, name: str) -> float:
        """CPU time so far of the child ``name`` and every process below it."""
        root = psutil.Process(self.named[name].pid)
        times = root.cpu_times()
        total = times.user + times.system + times.children_user + times.children_system
        for process in root.children(recursive=True):
            with suppress(psutil.NoSuchProcess):
                own = process.cpu_times()
                total += own.user + own.system
        return total

    def start(self, name: str, command: list[str]) -> subprocess.Popen:
        log = (self.log_dir / f"{name}.log").open("w")
        child = subprocess.Popen(command, cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.children.append(child)
        self.named[name] = child
        return child

    def uvicorn(self, app: str, factory: bool) -> str:
        port = free_port()
        self.start("api", [sys.executable, "-m", "uvicorn", app, *(["--factory"] if factory else []),
                           "--port", str(port), "--log-level", "warning"])
        base = f"http://127.0.0.1:{port}"
        wait_until_answers(f"{base}/health" if factory else f"{base}/docs", timeout=60)
        return base

    @contextmanager
    def profiled(self) -> Iterator[None]:
        """With --profile: py-spy records every child (and its pool) while the block runs."""
        if self.profile_dir is None:
            yield
            return
        profilers = [
            # --gil: samples of the thread that holds the GIL, i.e. where the CPU goes
            # (without it, threads waiting on a socket count as much as working ones).
            subprocess.Popen([str(PY_SPY), "record", "--format", "raw", "--subprocesses", "--nonblocking",
                              "--gil", "--pid", str(child.pid), "-o",
                              str(self.profile_dir / f"{self.log_dir.name}-{number}.txt")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for number, child in enumerate(self.children)
        ]
        try:
            yield
        finally:
            for profiler in profilers:
                profiler.send_signal(signal.SIGINT)  # py-spy writes its file on SIGINT
                profiler.wait(timeout=60)

    def stop(self) -> None:
        for child in self.children:
            child.terminate()
        for child in self.children:
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()


@contextmanager
def processes(log_dir: Path, env: dict[str, str]) -> Iterator[Processes]:
    running = Processes(log_dir, env)
    try:
        yield running
    finally:
        running.stop()


def ledgerflow(database_url: str, work_dir: Path, tasks: int, clients: int) -> Figures:
    """The platform as `make up` runs it, on ``database_url``."""
    upgrade_database(database_url)
    env = dict(
        os.environ, DATABASE_URL=database_url, REDIS_URL=REDIS_URL, JWT_SECRET_KEY=uuid.uuid4().hex,
        STORAGE_DIR=str(work_dir / "storage"), USER_MAX_ACTIVE_TASKS=str(tasks * 2),
    )
    with processes(work_dir, env) as running:
        base = running.uvicorn("backend.api.main:create_app", factory=True)
        running.start("worker", [sys.executable, "-m", "celery", "-A", "celery_app", "worker",
                                 "-Q", ",".join(QUEUES), "--concurrency", str(WORKER_CONCURRENCY),
                                 "--loglevel", "WARNING"])
        credentials = {"email": "bench@example.com", "password": "bench-password-1"}
        with httpx.Client(base_url=base, timeout=30) as client:
            client.post("/auth/register", json=credentials)
            token = client.post("/auth/token", data={
                "username": credentials["email"], "password": credentials["password"]}).json()["access_token"]
            headers = {"Authorization": f"Bearer {token}"}
            # One task through first, so that the worker is up and nothing is cold.
            first = client.post("/tasks/ping", headers=headers).json()["task_id"]
            wait_for(lambda: client.get(f"/tasks/{first}/status", headers=headers).json()["status"]
                     == "SUCCESS", "the worker to start")
        engine = build_engine(database_url)

        def succeeded() -> int:
            with engine.connect() as conn:
                return int(conn.execute(text(
                    "SELECT count(*) FROM task_status WHERE status = 'SUCCESS'")).scalar_one())

        servers = ServerCpu(database_url)
        api_cpu, worker_cpu = running.cpu_seconds("api"), running.cpu_seconds("worker")
        (database_cpu, redis_cpu) = servers.seconds()
        with running.profiled():
            load = wrk_submits(f"{base}/tasks/ping", tasks, clients, headers)
            wait_for(lambda: succeeded() >= tasks + 1, f"{tasks} pings to succeed")
            end_to_end = time.perf_counter() - load.started
        api_cpu = running.cpu_seconds("api") - api_cpu
        worker_cpu = running.cpu_seconds("worker") - worker_cpu
        (database_after, redis_after) = servers.seconds()
        engine.dispose()
    return Figures(tasks / load.seconds, load.p50_ms, load.p99_ms, tasks / end_to_end,
                   1000 * api_cpu / tasks, 1000 * worker_cpu / tasks,
                   per_task_ms(database_cpu, database_after, tasks),
                   per_task_ms(redis_cpu, redis_after, tasks))


def raw_celery(work_dir: Path, tasks: int, clients: int) -> dict[str, Figures]:
    """The baselines: bare Celery end to end (``send_task`` from threads in this process,
    issue 9's definition); the bare endpoint with the same raw worker consuming its tasks
    (what Ledgerflow's submits are measured beside: its worker runs meanwhile); the bare
    endpoint alone, as before."""
    env = dict(os.environ, RAW_CELERY_REDIS_URL=REDIS_URL, RAW_CELERY_DATABASE_URL=libpq_url(POSTGRES_URL))
    create_tracked_table(libpq_url(POSTGRES_URL))
    figures: dict[str, Figures] = {}
    with processes(work_dir, env) as running:
        running.start("raw-worker", [sys.executable, "-m", "celery", "-A", "bench.raw_celery", "worker",
                                     "-Q", QUEUE, "--concurrency", str(WORKER_CONCURRENCY),
                                     "--loglevel", "WARNING"])
        app.send_task("raw_noop", queue=QUEUE).get(timeout=120)  # warm: the worker is up
        servers, this_process = ServerCpu(None), psutil.Process()
        worker_cpu, (_, redis_cpu) = running.cpu_seconds("raw-worker"), servers.seconds()
        senders_cpu = sum(this_process.cpu_times()[:2])
        started, latencies, submit_seconds, task_ids = drive(
            lambda: app.send_task("raw_noop", queue=QUEUE).id, tasks, clients)
        wait_for_results(task_ids)
        end_to_end = time.perf_counter() - started
        figures["raw Celery"] = Figures(
            tasks / submit_seconds, statistics.median(latencies), percentile(latencies, 0.99),
            tasks / end_to_end, None, 1000 * (running.cpu_seconds("raw-worker") - worker_cpu) / tasks,
            redis_cpu_ms=per_task_ms(redis_cpu, servers.seconds()[1], tasks),
            sender_cpu_ms=per_task_ms(senders_cpu, sum(this_process.cpu_times()[:2]), tasks))

        base = running.uvicorn("bench.raw_celery:bare_api", factory=False)
        api_cpu, worker_cpu = running.cpu_seconds("api"), running.cpu_seconds("raw-worker")
        (_, redis_cpu) = servers.seconds()
        load = wrk_submits(f"{base}/ping", tasks, clients)
        wait_for_results(load.task_ids)
        end_to_end = time.perf_counter() - load.started
        figures["bare endpoint + worker"] = Figures(
            tasks / load.seconds, load.p50_ms, load.p99_ms, tasks / end_to_end,
            1000 * (running.cpu_seconds("api") - api_cpu) / tasks,
            1000 * (running.cpu_seconds("raw-worker") - worker_cpu) / tasks,
            redis_cpu_ms=per_task_ms(redis_cpu, servers.seconds()[1], tasks))

        # The same endpoint and worker keeping a row per task in PostgreSQL (raw_celery.py).
        tracked = ServerCpu(POSTGRES_URL)
        with psycopg2.connect(libpq_url(POSTGRES_URL)) as conn:
            conn.autocommit = True

            def tracked_succeeded() -> int:
                with conn.cursor() as cursor:
                    cursor.execute("SELECT count(*) FROM raw_tracked WHERE status = 'SUCCESS'")
                    return int(cursor.fetchone()[0])

            httpx.post(f"{base}/ping-tracked", timeout=30).raise_for_status()  # warm: connections
            wait_for(lambda: tracked_succeeded() == 1, "the first tracked task to succeed")
            api_cpu, worker_cpu = running.cpu_seconds("api"), running.cpu_seconds("raw-worker")
            database_cpu, redis_cpu = tracked.seconds()
            load = wrk_submits(f"{base}/ping-tracked", tasks, clients)
            wait_for(lambda: tracked_succeeded() >= tasks + 1, f"{tasks} tracked tasks to succeed")
            end_to_end = time.perf_counter() - load.started
            database_after, redis_after = tracked.seconds()
        figures[TRACKED] = Figures(
            tasks / load.seconds, load.p50_ms, load.p99_ms, tasks / end_to_end,
            1000 * (running.cpu_seconds("api") - api_cpu) / tasks,
            1000 * (running.cpu_seconds("raw-worker") - worker_cpu) / tasks,
            per_task_ms(database_cpu, database_after, tasks), per_task_ms(redis_cpu, redis_after, tasks))
    with processes(work_dir, env) as running:
        base = running.uvicorn("bench.raw_celery:bare_api", factory=False)
        api_cpu = running.cpu_seconds("api")
        load = wrk_submits(f"{base}/ping", tasks, clients)
        figures["bare endpoint alone"] = Figures(
            tasks / load.seconds, load.p50_ms, load.p99_ms,
            api_cpu_ms=1000 * (running.cpu_seconds("api") - api_cpu) / tasks)
    redis.Redis.from_url(REDIS_URL).delete(QUEUE)  # the lone endpoint's unconsumed messages
    return figures


def cell(value: float | None, spec: str) -> str:
    return format(value, spec) if value is not None else format("-", ">" + spec.split(".")[0])


def row(name: str, figures: Figures) -> str:
    return (f"{name:<24} {figures.submitted_per_second:9.0f} {figures.p50_ms:8.1f} {figures.p99_ms:8.1f}"
            f" {cell(figures.end_to_end_per_second, '8.0f')} {cell(figures.api_cpu_ms, '9.2f')}"
            f" {cell(figures.worker_cpu_ms, '9.2f')} {cell(figures.database_cpu_ms, '8.2f')}"
            f" {cell(figures.redis_cpu_ms, '9.2f')} {figures.total_cpu_ms:8.2f}")


def ratio(value: float | None, base: float | None, spec: str = ".1f") -> str:
    """``value / base`` as "1.2x"; "n/a" when either was too small to measure (psutil counts
    CPU in 10 ms ticks: a smoke run of 10 tasks may see none)."""
    return f"{value / base:{spec}}x" if value and base else "n/a"


def verdict(value: float, target: float, higher_is_better: bool = True) -> str:
    met = value >= target if higher_is_better else value < target
    return "met" if met else "MISSED"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--profile", type=Path, help="record py-spy stacks of every process here")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench_platform drives the HTTP set-ups with wrk: apt-get install wrk "
                 "(`make bench-platform` installs it)")
    # A SIGTERM (timeout, Ctrl-C from make) unwinds, so that every started process is stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped by SIGTERM"))
    if args.profile:
        if not PY_SPY.exists():
            sys.exit(f"--profile needs py-spy at {PY_SPY}: it is a dev dependency, `make test` or "
                     "`make bench-platform` installs it")
        args.profile.mkdir(parents=True, exist_ok=True)
        Processes.profile_dir = args.profile.resolve()
    redis.Redis.from_url(REDIS_URL).flushdb()
    fresh_database(POSTGRES_URL)
    with tempfile.TemporaryDirectory(prefix="ledgerflow-bench-platform-") as tmp:
        work = Path(tmp)
        for name in ("sqlite", "postgres", "raw"):
            (work / name).mkdir()
        results = {
            "Ledgerflow, SQLite": ledgerflow(f"sqlite:///{work / 'sqlite' / 'bench.db'}", work / "sqlite",
                                             args.tasks, args.clients),
        }
        redis.Redis.from_url(REDIS_URL).flushdb()
        results["Ledgerflow, PostgreSQL"] = ledgerflow(
            POSTGRES_URL, work / "postgres", args.tasks, args.clients)
        redis.Redis.from_url(REDIS_URL).flushdb()
        results.update(raw_celery(work / "raw", args.tasks, args.clients))
    redis.Redis.from_url(REDIS_URL).flushdb()

    print(f"{args.tasks} no-op tasks, {args.clients} concurrent clients, worker concurrency "
          f"{WORKER_CONCURRENCY}, {os.cpu_count()} CPUs")
    print(f"Load: the HTTP set-ups driven by wrk (one thread, {args.clients} connections, a process of its "
          f"own; latencies are wrk's); raw Celery by {args.clients} send_task threads in the bench process")
    print(f"{'':<24} {'submit/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'e2e/s':>8} {'API cpu':>9}"
          f" {'wkr cpu':>9} {'DB cpu':>8} {'Redis cpu':>9} {'all cpu':>8}   (cpu: ms per task)")
    for name, figures in results.items():
        print(row(name, figures))
    raw, bare = results["raw Celery"], results["bare endpoint + worker"]
    alone = results["bare endpoint alone"]
    assert raw.end_to_end_per_second and bare.end_to_end_per_second
    print()
    print(f"The least an HTTP gateway costs: the bare endpoint with its worker runs end to end "
          f"{bare.end_to_end_per_second / raw.end_to_end_per_second:.2f}x raw Celery (which sends "
          "from threads in-process, without HTTP)")
    floor = results[TRACKED]
    assert floor.end_to_end_per_second
    floor_e2e = floor.end_to_end_per_second / raw.end_to_end_per_second
    print(f"The least a tracked task costs: the same keeping a row per task in PostgreSQL (committed INSERT "
          f"before the message; the lease and the success, a committed conditional UPDATE each; prepared; "
          f"nothing else) runs end to end {floor_e2e:.2f}x raw Celery; everything counted it costs "
          f"{ratio(floor.total_cpu_ms, raw.total_cpu_ms)} raw Celery's CPU per task, so with every core "
          f"busy it can reach at most ~{ratio(raw.total_cpu_ms, floor.total_cpu_ms, '.2f')}")
    for name in ("Ledgerflow, SQLite", "Ledgerflow, PostgreSQL"):
        figures = results[name]
        assert figures.end_to_end_per_second
        e2e = figures.end_to_end_per_second / raw.end_to_end_per_second
        submit = figures.submitted_per_second / bare.submitted_per_second
        print(f"{name}: end to end {e2e:.2f}x raw Celery (target >= {TARGETS['end_to_end']}: "
              f"{verdict(e2e, TARGETS['end_to_end'])}; "
              f"{figures.end_to_end_per_second / bare.end_to_end_per_second:.2f}x the bare endpoint with "
              f"its worker); submit {submit:.2f}x the bare endpoint with its worker (target >= "
              f"{TARGETS['submit']}: {verdict(submit, TARGETS['submit'])}; "
              f"{figures.submitted_per_second / alone.submitted_per_second:.2f}x the endpoint alone); "
              f"submit p99 {figures.p99_ms:.0f} ms (target < {TARGETS['p99_ms']:.0f} ms: "
              f"{verdict(figures.p99_ms, TARGETS['p99_ms'], higher_is_better=False)}; the bare "
              f"endpoint's with its worker: {bare.p99_ms:.0f} ms)")
        print(f"    CPU per task: gateway {ratio(figures.api_cpu_ms, bare.api_cpu_ms)} the bare endpoint's, "
              f"worker {ratio(figures.worker_cpu_ms, raw.worker_cpu_ms)} raw Celery's; everything counted "
              f"{ratio(figures.total_cpu_ms, raw.total_cpu_ms)} raw Celery's, so with every core busy "
              f"its end to end can reach at most ~{ratio(raw.total_cpu_ms, figures.total_cpu_ms, '.2f')} "
              "raw Celery's")


if __name__ == "__main__":
    main()
