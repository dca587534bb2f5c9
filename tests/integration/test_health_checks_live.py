"""The health checks of docker-compose.yml, run for real without Docker: the commands in the
compose file (after its interpolation) against a worker, beat and Flower started here the
way compose starts them, on a Redis of their own."""

from __future__ import annotations

import glob
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT
from tests.support.net import PrivateRedis, free_port, stop_process
from tests.unit.test_deploy_files import services

# Compose's check commands against processes on a Redis of their own: what they prove
# (a ping answered, a schedule file written, Flower up) does not touch the database.
pytestmark = pytest.mark.backend_independent

VENV_BIN = str(Path(sys.executable).parent)
# The workers' check (`celery inspect ping ... -t 10`) waits all its 10 s where no node can
# answer (none by that name, not up yet, or stopped): the checks meant to fail, and the
# tries while the worker starts, wait 2 s instead.
SHORT_REPLY_WAIT = {"-t 10": "-t 2"}


@pytest.fixture
def environment(tmp_path) -> Iterator[dict[str, str]]:
    with PrivateRedis(tmp_path / "redis") as redis_server:
        yield dict(
            os.environ, REDIS_URL=redis_server.url, CELERY_BROKER_URL=redis_server.url,
            CELERY_RESULT_BACKEND=redis_server.url, HOSTNAME=socket.gethostname(),
            PATH=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            FLOWER_BASIC_AUTH="admin:health-test",
        )


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=log.open("w"),
                            stderr=subprocess.STDOUT, start_new_session=True)


def run_check(test: list[str], env: dict[str, str], **replace: str) -> int:
    """Run a compose healthcheck ``test`` as Docker would (CMD or CMD-SHELL)."""
    args = list(test[1:])
    for old, new in replace.items():
        args = [arg.replace(old, new) for arg in args]
    command = ["sh", "-c", args[0]] if test[0] == "CMD-SHELL" else [
        sys.executable if args[0] == "python" else args[0], *args[1:]]
    return subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, timeout=60,
                          check=False).returncode


def eventually(check, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"{what} never became healthy"
        time.sleep(0.5)


def test_the_worker_check_pings_its_own_node(environment, tmp_path):
    compose_worker = services()["worker-pdf"]
    command = [sys.executable, "-m", *compose_worker["command"], "--concurrency", "1",
               "--without-gossip", "--without-mingle"]
    worker = start(command, environment, tmp_path / "worker.log")
    test = compose_worker["healthcheck"]["test"]
    assert all(wait in test[1] for wait in SHORT_REPLY_WAIT), test
    try:
        # Until the node is up, each try waits its whole reply time: try with the short one,
        # then run the compose file's own command once the node answers.
        eventually(lambda: run_check(test, environment, **SHORT_REPLY_WAIT) == 0, "worker-pdf")
        assert run_check(test, environment) == 0
        assert run_check(test, {**environment, "HOSTNAME": "elsewhere"},
                         **SHORT_REPLY_WAIT) != 0  # no such node
    finally:
        stop_process(worker)
    assert run_check(test, environment, **SHORT_REPLY_WAIT) != 0  # a stopped worker is unhealthy


def test_the_beat_check_sees_beat_write_its_schedule(environment, tmp_path):
    compose_beat = services()["beat"]
    schedule = compose_beat["command"][compose_beat["command"].index("--schedule") + 1]
    command = [sys.executable, "-m", *compose_beat["command"]]
    command[command.index(schedule)] = str(tmp_path / "celerybeat-schedule")
    beat = start(command, environment, tmp_path / "beat.log")
    test = compose_beat["healthcheck"]["test"]
    here = {schedule: str(tmp_path / "celerybeat-schedule")}
    try:
        eventually(lambda: run_check(test, environment, **here) == 0, "beat")
    finally:
        stop_process(beat)
    # The same check on a schedule nobody writes any more.
    stale = time.time() - 3600
    for path in glob.glob(str(tmp_path / "celerybeat-schedule*")):
        os.utime(path, (stale, stale))
    assert run_check(test, environment, **here) != 0


def test_the_flower_check_and_its_persistent_history(environment, tmp_path):
    compose_flower = services()["flower"]
    port = str(free_port())
    database = next(arg.split("=", 1)[1] for arg in compose_flower["command"]
                    if arg.startswith("--db="))
    command = [sys.executable, "-m", *compose_flower["command"], "--address=127.0.0.1"]
    command = [arg.replace("--port=5555", f"--port={port}").replace(database, str(tmp_path / "flower.db"))
               for arg in command]
    flower = start(command, environment, tmp_path / "flower.log")
    test = compose_flower["healthcheck"]["test"]
    try:
        eventually(lambda: run_check(test, environment, **{":5555/": f":{port}/"}) == 0, "flower")
    finally:
        stop_process(flower)
    assert glob.glob(str(tmp_path / "flower.db*")), (tmp_path / "flower.log").read_text()[-2000:]
    assert run_check(test, environment, **{":5555/": f":{port}/"}) != 0
