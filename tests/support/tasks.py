"""Tasks that exist only for the tests: they exercise the TrackedTask machinery.

The test worker loads them with ``--include tests.support.tasks``.
"""

from __future__ import annotations

import inspect
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any, get_type_hints

import redis
from pydantic import create_model
from sqlalchemy import insert, text

from backend.config import get_settings
from backend.db import get_engine
from backend.models import CategoryRule, User, utcnow
from backend.services.errors import InvalidInputError, TransientError
from backend.tasks.arguments import TaskArguments
from backend.tasks.base import TrackedTask, tracked_task
from backend.tasks.kinds import DEFAULT_QUEUE, declare


def testing_task(
    name: str, runs_without_row: bool = False, **options: Any
) -> Callable[[Callable[..., Any]], Any]:
    """A tracked task on the default queue, declared as a task kind like the platform's,
    with an argument model made from its parameters (the platform's are written out)."""

    def register(function: Callable[..., Any]) -> Any:
        parameters = list(inspect.signature(function).parameters.values())[1:]
        hints = get_type_hints(function)
        fields: dict[str, Any] = {
            p.name: (hints[p.name], ... if p.default is inspect.Parameter.empty else p.default)
            for p in parameters
        }
        model = create_model(f"{name}.Args", __base__=TaskArguments, **fields)
        kind = declare(name, DEFAULT_QUEUE, model, user_visible=True, runs_without_row=runs_without_row)
        return tracked_task(kind, **options)(function)

    return register


# Runs without a row too: tests/integration/test_monitoring.py sends it straight to a queue.
@testing_task("tests.progress_steps", runs_without_row=True)
def progress_steps(self: TrackedTask, steps: int, delay: float) -> dict:
    """Report progress ``steps`` times, ``delay`` seconds apart."""
    for step in range(1, steps + 1):
        time.sleep(delay)
        self.progress(step * 100 / steps, f"Step {step}/{steps}")
    return {"steps": steps}


@testing_task("tests.flaky")
def flaky(self: TrackedTask, counter_key: str, failures: int) -> dict:
    """Fail with a transient error the first ``failures`` times, then succeed."""
    calls = redis.Redis.from_url(get_settings().redis_url).incr(counter_key)
    if calls <= failures:
        raise TransientError(f"simulated outage {calls}")
    return {"calls": calls}


@testing_task("tests.invalid_input")
def invalid_input(self: TrackedTask, counter_key: str) -> None:
    """Always refuse its input (a permanent error): must not be retried."""
    redis.Redis.from_url(get_settings().redis_url).incr(counter_key)
    raise InvalidInputError("The document is not a bank statement")


@testing_task("tests.crash")
def crash(self: TrackedTask) -> None:
    """Fail with an unexpected error whose text must not reach the user."""
    raise RuntimeError("connection string postgres://admin:hunter2@db")


@testing_task("tests.partial_work")
def partial_work(self: TrackedTask, user_id: int, marker: str, seconds: float) -> None:
    """Write a row, then keep reporting progress inside the same transaction."""
    with get_engine().begin() as conn:
        conn.execute(
            insert(CategoryRule).values(
                user_id=user_id, pattern=marker, match_type="contains", category="partial",
                priority=0, created_at=utcnow(),
            )
        )
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            time.sleep(0.05)
            self.progress(10, "Working")


@testing_task("tests.uncooperative")
def uncooperative(self: TrackedTask, seconds: float) -> None:
    """Sleep without ever reporting progress, so a cancel can only terminate it."""
    self.progress(1, "Sleeping")
    time.sleep(seconds)


@testing_task("tests.slow_to_die")
def slow_to_die(self: TrackedTask, exited_key: str, dying_seconds: float, seconds: float) -> None:
    """Sleep without progress (a cancel can only terminate it) and take ``dying_seconds``
    to die when terminated, as a process flushing a large file would; sets ``exited_key``
    in Redis just before it exits."""

    def die_slowly(signum: int, frame: Any) -> None:
        time.sleep(dying_seconds)
        redis.Redis.from_url(get_settings().redis_url).set(exited_key, "1")
        os._exit(1)

    previous = signal.signal(signal.SIGTERM, die_slowly)
    try:
        self.progress(1, "Sleeping")
        time.sleep(seconds)
    finally:
        signal.signal(signal.SIGTERM, previous)


@testing_task("tests.long_first_run")
def long_first_run(self: TrackedTask, counter_key: str, first_seconds: float,
                   then_seconds: float) -> dict:
    """Sleep without reporting progress: ``first_seconds`` on its first run, ``then_seconds``
    on any later one (a run handed back at shutdown, counted in Redis at ``counter_key``)."""
    runs = redis.Redis.from_url(get_settings().redis_url).incr(counter_key)
    self.progress(1, "Sleeping")
    time.sleep(first_seconds if runs == 1 else then_seconds)
    return {"runs": runs}


@testing_task("tests.over_time", time_limit=2, soft_time_limit=1)
def over_time(self: TrackedTask, ignore_soft_limit: bool) -> None:
    """Run past its time limits (2 s hard, 1 s soft)."""
    self.progress(1, "Started")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            time.sleep(0.1)
        except Exception:
            if not ignore_soft_limit:
                raise


@testing_task("tests.report_pid")
def report_pid(self: TrackedTask, seconds: float) -> dict:
    """Say which process runs it (in the progress message), then work for ``seconds``."""
    self.progress(10, f"pid {os.getpid()}", force=True)
    time.sleep(seconds)
    return {"pid": os.getpid()}


@testing_task("tests.die_every_time")
def die_every_time(self: TrackedTask, counter_key: str) -> None:
    """A poison task: kills its own pool process (as the OOM killer or a segfault would)."""
    redis.Redis.from_url(get_settings().redis_url).incr(counter_key)
    os.kill(os.getpid(), signal.SIGKILL)


@testing_task("tests.counted_work")
def counted_work(self: TrackedTask, key: str, seconds: float) -> dict:
    """Work for ``seconds`` with progress, counting starts and completed runs in Redis
    (``<key>:started``, ``<key>:completed``), so a test can tell a lost task from a
    duplicated one."""
    counters = redis.Redis.from_url(get_settings().redis_url)
    counters.incr(f"{key}:started")
    self.progress(1, f"pid {os.getpid()}", force=True)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(0.1)
        self.progress(99 * (1 - (deadline - time.monotonic()) / seconds), "Working")
    counters.incr(f"{key}:completed")
    return {"pid": os.getpid()}


@testing_task("tests.register_again")
def register_again(self: TrackedTask, email: str) -> None:
    """Insert a user of ``email``, which is taken: a database error inside a task, whose
    PostgreSQL DETAIL names the address ("Key (email)=(...) already exists")."""
    with get_engine().begin() as conn:
        conn.execute(insert(User).values(email=email, password_hash="x", created_at=utcnow()))


@testing_task("tests.count_as_integer")
def count_as_integer(self: TrackedTask, value: str) -> None:
    """Read ``value`` as an integer in PostgreSQL, which refuses it: a database error inside
    a task whose message quotes the value ('invalid input syntax for type integer: "..."',
    and its LINE the query, with the value in it)."""
    with get_engine().connect() as conn:
        conn.execute(text("SELECT CAST(:value AS integer)"), {"value": value})


_SUBMIT_SCRIPT = """
import json, sys
import tests.support.tasks  # declares the test-only task kinds
from backend.db import get_engine
from backend.tasks.submission import submit_task
user_id, name, kwargs_list = json.loads(sys.argv[1])
print(json.dumps([submit_task(get_engine(), user_id, name, k) for k in kwargs_list]))
"""


def submit_elsewhere(env: dict[str, str], user_id: int, task_name: str, kwargs_list: list[dict]) -> list[str]:
    """Submit tasks (test-only ones too) through the real submit path, from a process with
    ``env`` (another stack's database and broker); returns the task ids."""
    from tests.support import REPO_ROOT

    completed = subprocess.run(
        [sys.executable, "-c", _SUBMIT_SCRIPT, json.dumps([user_id, task_name, kwargs_list])],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=True, timeout=60,
    )
    return list(json.loads(completed.stdout.strip().splitlines()[-1]))
