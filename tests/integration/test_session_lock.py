"""One test session at a time on a database, a Redis db, a RabbitMQ vhost
(tests/support/session_lock.py): a second real pytest session on what a first one uses
stops at once with exit status 75, naming what is held and by whom, and starts once the
first is gone, however it went."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator

import pytest
from sqlalchemy import make_url

from tests.conftest import (
    LAUNCH_ENVIRON,
    REPO_ROOT,
    TEST_BROKER,
    TEST_POSTGRES_URL,
    TEST_RABBITMQ_URL,
    TEST_REDIS_URL,
    scratch_postgres_database,
)
from tests.support.session_lock import SESSION_LOCKED_EXIT

# A test that needs the test database and nothing else, quick to run.
NEEDS_THE_DATABASE = "tests/integration/test_cors.py::test_a_listed_origin_may_call_the_api"
NEEDS_THE_DATABASE_AND_REDIS = "tests/integration/test_health.py::test_shallow_health_needs_no_token"
NEEDS_THE_BENCH_DATABASE = (
    "tests/integration/test_benches.py::test_the_benchmark_runs_and_prints_its_figures[bench_api.py]"
)
# A refused session stops before its first test; a session that hangs fails here.
TIMEOUT_SECONDS = 120


def pytest_session(test: str, **environ: str) -> subprocess.CompletedProcess[str]:
    """Run ``test`` in a pytest session of its own, in this run's launch environment."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", test, "-q"], cwd=REPO_ROOT,
        env={**LAUNCH_ENVIRON, **environ}, capture_output=True, text=True, timeout=TIMEOUT_SECONDS,
    )


@pytest.mark.postgres_only  # this session's locks: the SQLite pass has its own file and Redis
def test_a_second_session_on_what_this_one_uses_stops_at_once_naming_this_one(
    database, redis_server
):
    second = pytest_session(NEEDS_THE_DATABASE_AND_REDIS)
    output = second.stdout + second.stderr
    assert second.returncode == SESSION_LOCKED_EXIT, output
    by = f"held by pid {os.getpid()} on {socket.gethostname()}"
    database_name = make_url(TEST_POSTGRES_URL).database
    assert f"the test database {database_name} at " in output and by in output, output
    redis_db = TEST_REDIS_URL.rsplit("/", 1)[1]
    assert f"Redis db {redis_db} at " in output, output
    assert output.count(by) == 2, output  # the database, and Redis
    if TEST_BROKER == "rabbitmq":
        vhost = TEST_RABBITMQ_URL.rsplit("/", 1)[1] or "/"
        assert f"the RabbitMQ vhost {vhost} at " in output, output
    assert "passed" not in output and "failed" not in output, output  # no test ran


@pytest.fixture
def scratch_database() -> Iterator[str]:
    """A throwaway database on the run's PostgreSQL server, for sessions of the test's own."""
    with scratch_postgres_database("ledgerflow_session_lock") as url:
        yield url


def holding(database_url: str, resource: str) -> subprocess.Popen[str]:
    """A process that holds ``resource``'s lock as a test session does, until killed."""
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time\n"
         "from tests.support.session_lock import SessionLocks\n"
         "locks = SessionLocks()\n"
         "locks.postgres(sys.argv[1], sys.argv[2])\n"
         "print(locks.refusal() or 'held', flush=True)\n"
         "time.sleep(600)\n",
         database_url, resource],
        cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    return holder


# Sessions of its own on both back ends: whatever this pass's, the outcome is the same.
@pytest.mark.backend_independent
def test_a_session_on_a_held_database_stops_and_starts_once_the_holder_was_killed(scratch_database):
    name = make_url(scratch_database).database
    on_it = {"TEST_DATABASE_URL": scratch_database, "LEDGERFLOW_TEST_BACKEND": "postgres",
             "LEDGERFLOW_TEST_BROKER": "redis"}
    holder = holding(scratch_database, "test database")
    try:
        refused = pytest_session(NEEDS_THE_DATABASE, **on_it)
        output = refused.stdout + refused.stderr
        assert refused.returncode == SESSION_LOCKED_EXIT, output
        assert f"the test database {name} at " in output, output
        assert f"held by pid {holder.pid} on {socket.gethostname()}, connected " in output, output
    finally:
        holder.kill()  # SIGKILL: nothing of the holder's own releases the lock
        holder.wait()
    started = pytest_session(NEEDS_THE_DATABASE, **on_it)
    assert started.returncode == 0, started.stdout + started.stderr
    assert "1 passed" in started.stdout


@pytest.mark.backend_independent
def test_the_benchmarks_database_is_held_by_one_sqlite_session_and_not_against_the_postgres_one(
    scratch_database,
):
    """`make test`'s SQLite lane uses the benchmarks' database on the PostgreSQL server
    (<test database>_bench), which the PostgreSQL lane running beside it does not."""
    name = make_url(scratch_database).database
    holder = holding(scratch_database, "benchmarks' database")
    try:
        refused = pytest_session(NEEDS_THE_BENCH_DATABASE, TEST_DATABASE_URL=scratch_database,
                                 LEDGERFLOW_TEST_BACKEND="sqlite", LEDGERFLOW_TEST_BROKER="redis")
        output = refused.stdout + refused.stderr
        assert refused.returncode == SESSION_LOCKED_EXIT, output
        assert f"the benchmarks' database {name}_bench at " in output, output
        assert f"held by pid {holder.pid} on " in output, output
        beside = pytest_session(NEEDS_THE_DATABASE, TEST_DATABASE_URL=scratch_database,
                                LEDGERFLOW_TEST_BACKEND="postgres", LEDGERFLOW_TEST_BROKER="redis")
        assert beside.returncode == 0, beside.stdout + beside.stderr
    finally:
        holder.kill()
        holder.wait()
