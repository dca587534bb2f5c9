"""The fault suite: real servers and real worker processes, faults injected for real.

Each scenario accepts work, injects one fault (PostgreSQL cut for 15 s through a TCP
proxy, a Redis restart, a worker node killed with SIGKILL, a worker stopped mid-task,
a message lost), then waits until every accepted task is final and checks that none
was lost and none ran its effect twice. Recovery times are printed in the summary.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
import redis
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from backend.db import get_engine
from backend.models import Statement, TaskStatus, Transaction
from backend.tasks.app import celery_app
from backend.tasks.kinds import DEFAULT_QUEUE
from tests.chaos.conftest import ScenarioOutcome
from tests.conftest import TEST_DATABASE_URL
from tests.support import FINAL_STATES
from tests.support.chaos import PRODUCTION_CLOCKS, Platform, TcpProxy, platform, wait_until
from tests.support.net import PrivateRedis
from tests.support.statement_pdfs import make_long_statement

pytestmark = pytest.mark.usefixtures("clean_db")

STATEMENT_PAGES = 20


@pytest.fixture(scope="module")
def long_statement(tmp_path_factory) -> tuple[bytes, int]:
    """A 20-page generated statement (about 2 s to parse) and its transaction count."""
    path = tmp_path_factory.mktemp("statements") / "long.pdf"
    truth = make_long_statement(path, STATEMENT_PAGES)
    return path.read_bytes(), len(truth.transactions)


def distinct_statements(directory: Path, count: int) -> list[bytes]:
    """``count`` files, each another statement of the long one's size (its opening balance
    moved by 1000 a copy): a user imports each statement once, whatever file carries it."""
    files = []
    for number in range(count):
        path = directory / f"statement-{number}.pdf"
        make_long_statement(path, STATEMENT_PAGES, opening_shift=Decimal(1000 * number))
        files.append(path.read_bytes())
    return files


def register(api: str) -> dict[str, str]:
    email, password = f"chaos-{uuid.uuid4().hex[:8]}@example.com", "correct horse"
    httpx.post(f"{api}/auth/register", json={"email": email, "password": password}).raise_for_status()
    token = httpx.post(f"{api}/auth/token", data={"username": email, "password": password})
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


def upload(api: str, headers: dict[str, str], content: bytes) -> httpx.Response:
    return httpx.post(
        f"{api}/upload_pdf_async", headers=headers,
        files={"file": ("statement.pdf", content, "application/pdf")}, timeout=30,
    )


def statuses(task_ids: list[str]) -> dict[str, str]:
    with get_engine().connect() as conn:
        rows = conn.execute(
            select(TaskStatus.task_id, TaskStatus.status).where(TaskStatus.task_id.in_(task_ids))
        ).all()
    return {row.task_id: row.status for row in rows}


def all_final(task_ids: list[str]) -> bool:
    current = statuses(task_ids)
    return len(current) == len(task_ids) and set(current.values()) <= FINAL_STATES


def succeeded(task_ids: list[str]) -> int:
    return sum(status == "SUCCESS" for status in statuses(task_ids).values())


def wait_for_worker(api: str, headers: dict[str, str]) -> None:
    task_id = httpx.post(f"{api}/tasks/ping", headers=headers).json()["task_id"]
    wait_until(lambda: all_final([task_id]), 60, "the worker to answer a ping")


def postgres_port() -> int:
    return make_url(TEST_DATABASE_URL).port or 5432


@pytest.fixture
def broker(tmp_path) -> Iterator[PrivateRedis]:
    """The platform's Redis, private to the test (so it can be restarted or emptied)."""
    server = PrivateRedis(tmp_path / "redis").start()
    yield server
    server.stop()


@contextmanager
def running_platform(
    broker: PrivateRedis, tmp_path: Path, **env: str
) -> Iterator[tuple[Platform, str, dict[str, str]]]:
    """The API on ``broker`` (workers are the test's to start), and a registered user."""
    env = {"REDIS_URL": broker.url, "STORAGE_DIR": str(tmp_path / "storage"), **env}
    with platform(env, tmp_path / "logs") as stack:
        api = stack.api()
        yield stack, api, register(api)


@pytest.mark.postgres_only  # a server to cut; the SQLite file has no outage
def test_a_15_second_database_outage_loses_no_accepted_upload(
    tmp_path, broker, long_statement, chaos_report
):
    _, transactions_each = long_statement
    files = distinct_statements(tmp_path, 20)
    proxy = TcpProxy(postgres_port()).start()
    storage = tmp_path / "storage"
    try:
        with running_platform(
            broker, tmp_path, DATABASE_URL=proxy.url(TEST_DATABASE_URL)
        ) as (stack, api, headers):
            stack.worker("db-outage")
            wait_for_worker(api, headers)

            accepted: list[str] = []
            refused: list[httpx.Response] = []
            for number, file in enumerate(files):
                if number == 6:  # parses are running now
                    proxy.cut()
                    cut_at = time.monotonic()
                if number == 14:
                    time.sleep(max(0.0, 15 - (time.monotonic() - cut_at)))
                    proxy.restore()
                    restored_at = time.monotonic()
                response = upload(api, headers, file)
                if response.status_code == 202:
                    accepted.append(response.json()["task_id"])
                else:
                    refused.append(response)

            wait_until(lambda: all_final(accepted), 180, "every accepted task to end")
            recovery = time.monotonic() - restored_at  # from the database's return to the last SUCCESS
            outcome = chaos_report(ScenarioOutcome(
                "database cut for 15 s (20 uploads)", accepted=len(accepted),
                succeeded=succeeded(accepted), duplicated=0, recovery_seconds=recovery,
                refused=len(refused),
            ))
    finally:
        proxy.cut()

    assert outcome.lost == 0, stack.log("worker-db-outage")[-3000:]
    assert len(accepted) + len(refused) == 20 and len(refused) >= 1
    for response in refused:
        assert response.status_code == 503, response.text
        assert "database is unavailable" in response.json()["detail"]
        assert response.headers["retry-after"]
    with get_engine().connect() as conn:
        statements = conn.execute(select(Statement.transaction_count)).scalars().all()
        stored_transactions = conn.scalar(select(func.count()).select_from(Transaction))
    # Every accepted upload is one statement with all its transactions, none twice.
    assert statements == [transactions_each] * len(accepted)
    assert stored_transactions == transactions_each * len(accepted)
    # Refused uploads left no file behind.
    assert len(list(storage.rglob("*.pdf"))) == len(accepted)
    assert not list((storage / "incoming").glob("*")) if (storage / "incoming").exists() else True


@pytest.mark.redis_broker
def test_a_redis_restart_loses_no_running_or_queued_parse(
    tmp_path, broker, long_statement, chaos_report
):
    _, transactions_each = long_statement
    with running_platform(broker, tmp_path) as (stack, api, headers):
        stack.worker("redis-restart")
        wait_for_worker(api, headers)
        accepted = [
            upload(api, headers, file).json()["task_id"] for file in distinct_statements(tmp_path, 10)
        ]
        wait_until(lambda: "PROCESSING" in statuses(accepted).values(), 30, "a parse to run")
        broker.restart(down_seconds=2)
        restarted_at = time.monotonic()
        wait_until(lambda: all_final(accepted), 180, "every accepted task to end")
        outcome = chaos_report(ScenarioOutcome(
            "Redis restarted mid-run (10 parses)", accepted=len(accepted),
            succeeded=succeeded(accepted), duplicated=0,
            recovery_seconds=time.monotonic() - restarted_at,
        ))
    assert outcome.lost == 0, stack.log("worker-redis-restart")[-3000:]
    with get_engine().connect() as conn:
        counts = conn.execute(select(Statement.transaction_count)).scalars().all()
    assert counts == [transactions_each] * 10


class CountedTasks:
    """tests.counted_work tasks, whose starts and completed runs are counted in Redis."""

    def __init__(self, stack: Platform, api: str, headers: dict[str, str], broker: PrivateRedis,
                 count: int, seconds: float) -> None:
        user_id = httpx.get(f"{api}/auth/me", headers=headers).json()["id"]
        self.keys = [f"counted-{uuid.uuid4().hex}" for _ in range(count)]
        self.ids = stack.submit(
            user_id, "tests.counted_work", [{"key": k, "seconds": seconds} for k in self.keys]
        )
        self.counters = redis.Redis.from_url(broker.url)

    def runs(self, kind: str) -> list[int]:
        """Per task, how many runs ``started`` or ``completed``."""
        return [int(self.counters.get(f"{key}:{kind}") or 0) for key in self.keys]

    def duplicated(self) -> int:
        return sum(max(0, runs - 1) for runs in self.runs("completed"))


def two_running(
    stack: Platform, api: str, headers: dict[str, str], broker: PrivateRedis, seconds: float
) -> CountedTasks:
    """Two tasks of ``seconds``, once both run."""
    tasks = CountedTasks(stack, api, headers, broker, 2, seconds=seconds)
    wait_until(lambda: set(statuses(tasks.ids).values()) == {"PROCESSING"}, 30, "both to run")
    return tasks


def kill_and_time_the_rerun(
    stack: Platform, doomed: subprocess.Popen, tasks: CountedTasks, scenario: str,
    then: Callable[[], object] = lambda: None,
) -> ScenarioOutcome:
    """SIGKILL the node running ``tasks`` (2, started once each), do ``then``, and wait
    until both started again and ended; the recovery is the time to the second starts."""
    stack.kill(doomed)  # the whole node: main process and pool, no goodbye
    killed_at = time.monotonic()
    then()
    wait_until(lambda: sum(tasks.runs("started")) >= 4, 90,
               "both tasks to start again on the surviving node")
    running_again = time.monotonic() - killed_at
    wait_until(lambda: all_final(tasks.ids), 60, "both tasks to end")
    return ScenarioOutcome(
        scenario, accepted=2, succeeded=succeeded(tasks.ids), duplicated=tasks.duplicated(),
        recovery_seconds=running_again,
    )


def test_a_worker_node_killed_with_sigkill_has_its_tasks_running_again_within_a_minute(
    tmp_path, broker, chaos_report
):
    with running_platform(broker, tmp_path) as (stack, api, headers):
        doomed = stack.worker("doomed")
        stack.beat(tmp_path)
        wait_for_worker(api, headers)
        tasks = two_running(stack, api, headers, broker, seconds=6)

        outcome = chaos_report(kill_and_time_the_rerun(
            stack, doomed, tasks, "worker node SIGKILLed (2 running tasks)",
            then=lambda: stack.worker("survivor"),
        ))
    assert outcome.lost == 0 and outcome.duplicated == 0, tasks.runs("completed")
    assert outcome.recovery_seconds < 60
    with get_engine().connect() as conn:
        losses = conn.scalars(
            select(TaskStatus.worker_losses).where(TaskStatus.task_id.in_(tasks.ids))
        )
        assert set(losses) == {1}


# Seen to fail once in four fresh-clone runs (2026-11-30: the next worker's run stopped after
# 23 s with "another run took over its lease", and no beat here to re-send the task). Not
# reproduced since in 30+ runs, nor in 12 more on servers of their own (8 PostgreSQL,
# 4 SQLite): likeliest two CI runs sharing one database. Unmarked again; if it fails,
# check for another run on the same database first.
def test_a_worker_stopped_mid_task_hands_it_back_and_the_next_worker_finishes_it(
    tmp_path, broker, chaos_report
):
    with running_platform(
        broker, tmp_path, WORKER_SHUTDOWN_GRACE_SECONDS="2"
    ) as (stack, api, headers):
        first = stack.worker("first")
        wait_for_worker(api, headers)
        tasks = CountedTasks(stack, api, headers, broker, 1, seconds=30)
        wait_until(lambda: list(statuses(tasks.ids).values()) == ["PROCESSING"], 30,
                   "the task to run")

        first.send_signal(signal.SIGQUIT)  # a cold shutdown, as `make up` and compose stop it
        stopped_at = time.monotonic()
        first.wait(timeout=30)
        stack.worker("second")
        wait_until(lambda: tasks.runs("started") == [2], 60, "the task to start on the next worker")
        picked_up = time.monotonic() - stopped_at
        wait_until(lambda: all_final(tasks.ids), 60, "the task to end")
        outcome = chaos_report(ScenarioOutcome(
            "worker stopped mid-task (cold, 2 s grace)", accepted=1,
            succeeded=succeeded(tasks.ids), duplicated=tasks.duplicated(),
            recovery_seconds=picked_up,
        ))
    assert outcome.lost == 0 and outcome.duplicated == 0
    with get_engine().connect() as conn:
        losses = conn.scalar(
            select(TaskStatus.worker_losses).where(TaskStatus.task_id == tasks.ids[0])
        )
    assert losses == 0  # a shutdown is not the task's fault


@pytest.mark.redis_broker  # emptying Redis loses no RabbitMQ message
def test_a_pending_task_whose_message_was_lost_is_sent_again(tmp_path, broker, chaos_report):
    with running_platform(broker, tmp_path) as (stack, api, headers):
        tasks = CountedTasks(stack, api, headers, broker, 3, seconds=0.5)
        redis.Redis.from_url(broker.url).flushall()  # a broker that kept nothing
        lost_at = time.monotonic()
        stack.worker("late")
        stack.beat(tmp_path)
        wait_until(lambda: all_final(tasks.ids), 90, "the lost tasks to be sent again and run")
        outcome = chaos_report(ScenarioOutcome(
            "messages lost with the broker (3 pending)", accepted=3,
            succeeded=succeeded(tasks.ids), duplicated=tasks.duplicated(),
            recovery_seconds=time.monotonic() - lost_at,
        ))
    assert outcome.lost == 0 and outcome.duplicated == 0


@pytest.mark.redis_broker  # the lease's expiry and the reaper, not RabbitMQ's redelivery
def test_a_task_cancelled_while_its_worker_node_dies_ends_revoked(tmp_path, broker):
    # DELETE on a running task whose node dies before the grace's terminate. The terminate's
    # broadcast reaches the surviving node, which keeps the id in its revoked set and so
    # discards any copy of the message: a re-send could never end the task. It once stayed
    # RETRYING for ever; the reaper now records the cancel once the lease expired.
    with running_platform(broker, tmp_path) as (stack, api, headers):
        doomed = stack.worker("doomed")
        stack.beat(tmp_path)
        wait_for_worker(api, headers)
        user_id = httpx.get(f"{api}/auth/me", headers=headers).json()["id"]
        # Sleeps without progress: only a terminate could stop it.
        [task_id] = stack.submit(user_id, "tests.uncooperative", [{"seconds": 120}])
        wait_until(lambda: statuses([task_id]) == {task_id: "PROCESSING"}, 30, "the task to run")
        stack.worker("survivor")
        wait_until(lambda: "ready" in stack.log("worker-survivor"), 60, "the survivor to start")

        answers: list[httpx.Response] = []
        deleting = threading.Thread(target=lambda: answers.append(
            httpx.delete(f"{api}/tasks/{task_id}", headers=headers, timeout=60)
        ))
        deleting.start()
        wait_until(lambda: cancel_requested(task_id), 10, "the cancel flag")
        stack.kill(doomed)  # the node dies before the grace period's terminate
        deleting.join(timeout=60)
        # 200 once the reaper recorded REVOKED within DELETE's wait (short clocks), else
        # 202 "being stopped" (the default 30-second lease outlasts it).
        assert answers and answers[0].status_code in (200, 202), answers

        # Lease lost after 4 s, reaper every 1 s: 30 s is many times what REVOKED takes.
        wait_until(lambda: all_final([task_id]), 120 if PRODUCTION_CLOCKS else 30,
                   "the cancelled task to end")
        survivor_log = stack.log("worker-survivor")
    assert statuses([task_id]) == {task_id: "REVOKED"}
    assert f"[{task_id}] received" not in survivor_log, "the cancelled task was sent again"


def cancel_requested(task_id: str) -> bool:
    with get_engine().connect() as conn:
        return conn.scalar(
            select(TaskStatus.cancel_requested_at).where(TaskStatus.task_id == task_id)
        ) is not None


# Leases that would take an hour to expire, no re-send of a waiting task for an hour.
NO_REAPING = {"WORKER_LOST_AFTER_SECONDS": "3600", "REDISPATCH_AFTER_SECONDS": "3600"}


@pytest.mark.rabbitmq_only
def test_on_rabbitmq_a_worker_node_killed_with_sigkill_has_its_tasks_redelivered_at_once(
    tmp_path, broker, chaos_report
):
    # No beat (so no reaper) and leases that would take an hour to expire: the tasks can
    # only come back through RabbitMQ, which returns the unacknowledged messages of a
    # connection the moment it drops, and the surviving node, which takes the lease of a
    # redelivered task from a node that no longer answers.
    with running_platform(broker, tmp_path, **NO_REAPING) as (stack, api, headers):
        # The surviving node is up first, on another queue, so that both tasks go to the
        # doomed node; it joins their queue just before the kill.
        survivor = f"survivor@{socket.gethostname()}"
        stack.worker("survivor", queues="pdf_processing")
        doomed = stack.worker("doomed")
        wait_for_worker(api, headers)
        wait_until(lambda: bool(celery_app.control.ping(destination=[survivor], timeout=1)),
                   60, "the second node to start")
        tasks = two_running(stack, api, headers, broker, seconds=10)
        assert celery_app.control.add_consumer(DEFAULT_QUEUE, destination=[survivor], reply=True)
        # Both still running on the doomed node, none anywhere else.
        assert tasks.runs("started") == [1, 1] and tasks.runs("completed") == [0, 0]

        outcome = chaos_report(kill_and_time_the_rerun(
            stack, doomed, tasks, "RabbitMQ: node SIGKILLed (2 running)"
        ))
    assert_each_ran_once_after_one_loss(outcome, tasks)
    assert "is gone; running it here" in stack.log("worker-survivor")


def assert_each_ran_once_after_one_loss(outcome: ScenarioOutcome, tasks: CountedTasks) -> None:
    assert outcome.lost == 0 and outcome.duplicated == 0, tasks.runs("completed")
    assert tasks.runs("completed") == [1, 1]
    with get_engine().connect() as conn:
        rows = conn.execute(
            select(TaskStatus.worker_losses, TaskStatus.status)
            .where(TaskStatus.task_id.in_(tasks.ids))
        ).all()
    assert {(row.worker_losses, row.status) for row in rows} == {(1, "SUCCESS")}


@pytest.mark.rabbitmq_only
def test_on_rabbitmq_a_node_restarted_under_the_same_name_runs_its_redelivered_tasks_at_once(
    tmp_path, broker, chaos_report
):
    # Found by QA: the node started again under the name of the one killed (`make up` names
    # every worker celery@<host>) took the lease on its redelivered tasks for its own, and
    # they waited for the reaper. A lease taken before the node started is its dead
    # predecessor's. No beat, leases that would take an hour to expire, as above.
    with running_platform(broker, tmp_path, **NO_REAPING) as (stack, api, headers):
        doomed = stack.worker("same")
        wait_for_worker(api, headers)
        tasks = two_running(stack, api, headers, broker, seconds=10)

        outcome = chaos_report(kill_and_time_the_rerun(
            stack, doomed, tasks, "RabbitMQ: node SIGKILLed and restarted (2 running)",
            then=lambda: stack.worker("same"),
        ))
    assert_each_ran_once_after_one_loss(outcome, tasks)
    assert outcome.recovery_seconds < 20  # the restart itself is most of it
    assert "is gone; running it here" in stack.log("worker-same")
