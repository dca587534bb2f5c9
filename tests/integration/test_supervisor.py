"""`make up`'s supervisor under stress: stopping with tasks running, a second Ctrl-C, its own
death, a crash-looping child; and the private files it creates."""

from __future__ import annotations

import json
import os
import signal
import socket
import stat
import subprocess
import sys
import uuid

import httpx
import pytest
import redis

from deploy import run_stack
from tests.support import is_final
from tests.support.net import (
    PrivateRedis,
    Stack,
    free_port,
    port_is_free,
    still_alive,
    wait_until_answers,
    wait_until_gone,
)
from tests.support.tasks import submit_elsewhere

# Its stacks run on a SQLite file and a Redis of their own whatever the pass's back end.
pytestmark = pytest.mark.backend_independent

TEST_TASKS = "--include tests.support.tasks --concurrency 2 --without-gossip --without-mingle"


@pytest.fixture
def private_redis(tmp_path):
    with PrivateRedis(tmp_path / "redis") as server:
        yield server


@pytest.fixture
def make_stack(private_redis, tmp_path):
    """Start a stack on the test's private Redis and SQLite file; every one is gone after."""
    stacks: list[Stack] = []

    def _make_stack(**env: str) -> Stack:
        stack = Stack(private_redis.url, f"sqlite:///{tmp_path / 'stack.db'}",
                      tmp_path / "storage", WORKER_ARGS=TEST_TASKS, **env)
        stacks.append(stack.start())
        stack.wait_until_serving()
        return stack

    yield _make_stack
    for stack in stacks:
        stack.kill_all()


def register(stack: Stack) -> tuple[dict[str, str], int]:
    """A new user of the stack's API: their Authorization header and id."""
    email, password = f"user-{uuid.uuid4().hex[:8]}@example.com", "correct horse"
    response = httpx.post(f"{stack.api}/auth/register", json={"email": email, "password": password})
    assert response.status_code == 201, response.text
    token = httpx.post(f"{stack.api}/auth/token", data={"username": email, "password": password})
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    return headers, httpx.get(f"{stack.api}/auth/me", headers=headers).json()["id"]


def submit(stack: Stack, user_id: int, task_name: str, **kwargs: object) -> str:
    """Submit a (test-only) task the way the API does, to the stack's database and broker."""
    return submit_elsewhere(stack.env, user_id, task_name, [kwargs])[0]


def task_status(stack: Stack, headers: dict[str, str], task_id: str) -> dict:
    return httpx.get(f"{stack.api}/tasks/{task_id}/status", headers=headers, timeout=5).json()


def queued_task_ids(redis_url: str) -> list[str]:
    """The task ids of the messages waiting in the default queue (where the test-only tasks go).

    Beat's maintenance tasks go there too, every 10-15 s (the reaper, the webhook sweep): one
    sent while the stack stops stays queued, so the tests look for their own tasks' ids rather
    than count the queue."""
    waiting = redis.Redis.from_url(redis_url).lrange("default", 0, -1)
    return [json.loads(message)["headers"]["id"] for message in waiting]


def task_status_in_db(stack: Stack, task_id: str) -> str:
    """A task's status read from the stack's database (its API is down)."""
    from sqlalchemy import text

    from backend.db import build_engine

    engine = build_engine(stack.env["DATABASE_URL"])
    try:
        with engine.connect() as conn:
            return conn.execute(
                text("SELECT status FROM task_status WHERE task_id = :id"), {"id": task_id}
            ).scalar_one()
    finally:
        engine.dispose()


def test_stopping_lets_short_tasks_finish_and_hands_long_ones_back(make_stack, private_redis):
    # The short task ends well within the grace, even on a loaded machine; the long one can't
    # (however late the short one starts), and once handed back it ends in a moment.
    # The short one goes second, so that it is still running when the long one is.
    stack = make_stack(WORKER_SHUTDOWN_GRACE_SECONDS="8")
    headers, user_id = register(stack)
    long = submit(stack, user_id, "tests.long_first_run", counter_key=f"long-{uuid.uuid4().hex}",
                  first_seconds=120, then_seconds=0.5)
    short = submit(stack, user_id, "tests.progress_steps", steps=3, delay=1)
    stack.wait_until(
        lambda: {task_status(stack, headers, t)["status"] for t in (short, long)} == {"PROCESSING"},
        "both tasks to run",
    )

    output = stack.stop()

    assert stack.process.returncode == 0, output
    assert "worker did not stop in time" not in output and "killing worker" not in output, output
    assert task_status_in_db(stack, short) == "SUCCESS"
    # The unfinished one is back on the queue right away, not after the visibility timeout.
    queued = queued_task_ids(private_redis.url)
    assert queued.count(long) == 1 and short not in queued, queued
    assert task_status_in_db(stack, long) != "SUCCESS"

    restarted = make_stack()
    restarted.wait_until(lambda: is_final(task_status(restarted, headers, long)),
                         "the handed-back task to finish after the restart", timeout=90)
    assert task_status(restarted, headers, long)["status"] == "SUCCESS"
    result = httpx.get(f"{restarted.api}/tasks/{long}/result", headers=headers, timeout=5).json()
    assert result["result"] == {"runs": 2}  # the handed-back run, not a first one
    restarted.stop()


def test_a_second_signal_hurries_the_shutdown_and_leaves_nothing_behind(make_stack, private_redis):
    stack = make_stack(WORKER_SHUTDOWN_GRACE_SECONDS="300")
    headers, user_id = register(stack)
    long = submit(stack, user_id, "tests.uncooperative", seconds=300)
    stack.wait_until(lambda: task_status(stack, headers, long)["status"] == "PROCESSING",
                     "the task to run")
    children = stack.descendants()

    stack.process.send_signal(signal.SIGINT)
    stack.wait_until(lambda: "[ledgerflow] stopping" in stack.output.text, "the shutdown to start")
    output = stack.stop(signal.SIGTERM, timeout=45)

    assert "again: the worker hands its tasks back now" in output
    assert "worker did not stop in time" not in output and "killing worker" not in output, output
    assert "[ledgerflow] stopped" in output
    assert not still_alive(children), still_alive(children)
    assert port_is_free(stack.api_port) and port_is_free(stack.flower_port)
    assert queued_task_ids(private_redis.url).count(long) == 1


def test_children_die_with_the_supervisor(make_stack):
    stack = make_stack()
    stack.wait_until(lambda: len(stack.descendants()) >= 5, "every child to start")
    children = stack.descendants()

    stack.process.kill()
    stack.process.wait()

    wait_until_gone(children)
    assert port_is_free(stack.api_port) and port_is_free(stack.flower_port)


def test_a_crash_looping_child_backs_off_while_the_others_serve(make_stack):
    # Flower cannot bind a port that something else holds: it exits at once, every time.
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        stack = make_stack(FLOWER_PORT=str(squatter.getsockname()[1]))
        stack.wait_until(lambda: "restarting it in 4 s" in stack.output.text,
                         "the third crash of Flower")
        assert httpx.get(f"{stack.api}/health", timeout=5).status_code == 200
        output = stack.stop()
    delays = [line.split("restarting it in ")[1].split(" s")[0]
              for line in output.splitlines() if "flower exited" in line]
    assert delays[:3] == ["1", "2", "4"], output
    assert stack.process.returncode == 0


def test_restart_back_off_doubles_up_to_a_minute_and_resets_after_a_stable_run():
    child = run_stack.Child("flower", ["true"])
    child.process = subprocess.Popen(["true"])
    child.process.wait()
    delays = []
    for _ in range(9):
        child.started_at = 100.0
        child.schedule_restart(now=100.5)
        delays.append(child.restart_at - 100.5)
    assert delays == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    child.started_at = 100.0
    child.schedule_restart(now=100.0 + run_stack.STABLE_AFTER_SECONDS)
    assert child.crashes_in_a_row == 1


def test_secrets_are_created_private_from_the_start(tmp_path):
    previous = os.umask(0)  # a permissive umask must not leak into the file's mode
    try:
        value = run_stack.secret_from_file(tmp_path, "jwt_secret", lambda: "s3cret")
    finally:
        os.umask(previous)
    assert value == "s3cret"
    assert stat.S_IMODE((tmp_path / "jwt_secret").stat().st_mode) == 0o600
    assert run_stack.secret_from_file(tmp_path, "jwt_secret", lambda: "other") == "s3cret"


def test_an_older_looser_secret_file_is_tightened_and_kept(tmp_path):
    (tmp_path / "flower_auth").write_text("admin:old\n")
    (tmp_path / "flower_auth").chmod(0o644)
    assert run_stack.secret_from_file(tmp_path, "flower_auth", lambda: "admin:new") == "admin:old"
    assert stat.S_IMODE((tmp_path / "flower_auth").stat().st_mode) == 0o600


def test_files_left_by_an_older_version_are_made_private(tmp_path, monkeypatch):
    database, storage = tmp_path / "old.db", tmp_path / "storage"
    for path in (database, tmp_path / "old.db-wal"):
        path.write_bytes(b"")
        path.chmod(0o644)
    storage.mkdir(mode=0o755)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{database}")
    monkeypatch.setenv("STORAGE_DIR", str(storage))
    monkeypatch.setenv("FLOWER_BASIC_AUTH", "admin:x")  # no secret file written into var/
    previous = os.umask(0o022)
    try:
        run_stack.prepare_environment()
    finally:
        os.umask(previous)
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "old.db-wal").stat().st_mode) == 0o600
    assert stat.S_IMODE(storage.stat().st_mode) == 0o700


def test_stopping_ends_as_soon_as_the_running_tasks_have(make_stack, private_redis):
    # A grace far longer than the task: the worker must not sit out the rest of it.
    stack = make_stack(WORKER_SHUTDOWN_GRACE_SECONDS="300")
    headers, user_id = register(stack)
    short = submit(stack, user_id, "tests.progress_steps", steps=3, delay=1)
    stack.wait_until(lambda: task_status(stack, headers, short)["status"] == "PROCESSING",
                     "the task to run")

    # Liveness bound only: far below the 300 s grace, far above the task's 3 s.
    output = stack.stop(timeout=60)

    assert stack.process.returncode == 0, output
    assert task_status_in_db(stack, short) == "SUCCESS"
    assert short not in queued_task_ids(private_redis.url)  # finished, so not handed back
    waiting = output.index("Soft shutdown: running tasks get up to 300 s")
    finished = output.index("Soft shutdown: every running task finished after")
    assert waiting < finished, output
    assert "the grace of 300 s is over" not in output and "worker did not stop" not in output


def test_make_up_never_uses_a_redis_it_did_not_start(tmp_path):
    # Without REDIS_URL it used whatever answered on 127.0.0.1:6379 (another program's
    # Redis, db 0) without a word. Now the embedded one, on a port of its own; run apart
    # because the supervisor spawns from one thread only.
    probe = (
        "import sys; from pathlib import Path; import redis; from deploy import run_stack\n"
        "run_stack.VAR_DIR = run_stack.REPO_ROOT = Path(sys.argv[1])\n"
        "supervisor = run_stack.Supervisor([], {})\n"
        "supervisor.start_redis()\n"
        "try:\n"
        "    assert redis.Redis.from_url(supervisor.env['REDIS_URL']).ping()\n"
        "    print('URL', supervisor.env['REDIS_URL'])\n"
        "finally:\n"
        "    supervisor.stop_redis()\n"
    )
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    ran = subprocess.run([sys.executable, "-c", probe, str(tmp_path)], env=env, cwd=run_stack.REPO_ROOT,
                         capture_output=True, text=True, timeout=60)
    assert ran.returncode == 0, ran.stderr
    url = ran.stdout.split("URL ", 1)[1].strip()
    assert url != "redis://127.0.0.1:6379/0" and url.startswith("redis://127.0.0.1:")
    assert "started the embedded Redis on " + url in ran.stdout
    assert (tmp_path / "redis" / "appendonlydir").exists() or any((tmp_path / "redis").iterdir())


def test_settings_in_the_env_file_win_over_generated_secrets(tmp_path, monkeypatch):
    # make up generated var/jwt_secret and var/flower_auth and put them in the children's
    # environment, where they hid the operator's JWT_SECRET_KEY and FLOWER_BASIC_AUTH in .env.
    (tmp_path / ".env").write_text("JWT_SECRET_KEY=from-dotenv\nFLOWER_BASIC_AUTH=ops:from-dotenv\n")
    monkeypatch.setattr(run_stack, "REPO_ROOT", tmp_path)
    monkeypatch.setattr(run_stack, "VAR_DIR", tmp_path / "var")
    for name in ("JWT_SECRET_KEY", "FLOWER_BASIC_AUTH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("STORAGE_DIR", str(tmp_path / "storage"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'stack.db'}")
    previous = os.umask(0o022)
    try:
        env = run_stack.prepare_environment()
        assert env["JWT_SECRET_KEY"] == "from-dotenv"
        assert env["FLOWER_BASIC_AUTH"] == "ops:from-dotenv"
        assert not (tmp_path / "var" / "jwt_secret").exists()
        (tmp_path / ".env").unlink()  # nothing set: generated once, then reused (make flower too)
        generated = run_stack.prepare_environment()["FLOWER_BASIC_AUTH"]
        assert generated.startswith("admin:")
        assert (tmp_path / "var" / "flower_auth").read_text().strip() == generated
    finally:
        os.umask(previous)


def test_make_flower_runs_flower_as_make_up_does(private_redis):
    port = free_port()
    env = {**os.environ, "REDIS_URL": private_redis.url, "FLOWER_PORT": str(port),
           "FLOWER_BASIC_AUTH": "admin:make-flower-test"}
    env.pop("CELERY_BROKER_URL", None)
    flower = subprocess.Popen([sys.executable, "deploy/run_stack.py", "flower"], env=env,
                              cwd=run_stack.REPO_ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_until_answers(url)
        assert httpx.get(url, timeout=5).status_code == 401
        assert httpx.get(url, auth=("admin", "make-flower-test"), timeout=5).status_code == 200
    finally:
        flower.terminate()
        flower.wait(timeout=30)
