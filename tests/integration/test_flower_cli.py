"""Flower run as BACKGROUND_JOBS_GUIDE.md and README.md run it, plainly from the repo root
(`celery -A celery_app flower --address=127.0.0.1 --port=5555`): its password is read where
every setting is, the environment and then the repo's .env."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO_ROOT
from tests.support.net import PrivateRedis, free_port, stop_process, wait_until_answers

# Flower on a Redis of its own: what it serves does not depend on the database.
pytestmark = pytest.mark.backend_independent


@pytest.fixture
def checkout(tmp_path) -> Path:
    """The repository as an operator's checkout with a .env of its own (the real repo's
    .env is nobody's to write): every entry of the repo, linked."""
    repo = tmp_path / "repo"
    repo.mkdir()
    for entry in REPO_ROOT.iterdir():
        if entry.name not in (".env", ".git", "var"):
            (repo / entry.name).symlink_to(entry)
    return repo


@pytest.fixture
def flower_env(tmp_path) -> Iterator[dict[str, str]]:
    with PrivateRedis(tmp_path / "redis") as redis_server:
        env = {name: value for name, value in os.environ.items() if not name.startswith("FLOWER_")}
        yield dict(env, REDIS_URL=redis_server.url, CELERY_BROKER_URL=redis_server.url,
                   CELERY_RESULT_BACKEND=redis_server.url)


def run_flower(checkout: Path, env: dict[str, str], log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "celery_app", "flower", "--address=127.0.0.1",
         f"--port={port}"],
        cwd=checkout, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
    )
    return process, f"http://127.0.0.1:{port}/"


def test_flower_takes_its_password_from_the_env_file(checkout, flower_env, tmp_path):
    (checkout / ".env").write_text("FLOWER_BASIC_AUTH=admin:from-the-env-file\n")
    flower, url = run_flower(checkout, flower_env, tmp_path / "flower.log")
    try:
        wait_until_answers(url, timeout=60)
        anonymous = httpx.get(f"{url}tasks", timeout=10).status_code
        signed_in = httpx.get(f"{url}tasks", auth=("admin", "from-the-env-file"), timeout=10).status_code
    finally:
        stop_process(flower)
    log = (tmp_path / "flower.log").read_text()[-2000:]
    # Without it Flower serves every task's arguments and result (balances, account digits)
    # to anyone who reaches its port.
    assert anonymous == 401, log
    assert signed_in == 200, log


def test_the_environment_wins_over_the_env_file(checkout, flower_env, tmp_path):
    (checkout / ".env").write_text("FLOWER_BASIC_AUTH=admin:from-the-env-file\n")
    flower, url = run_flower(checkout, dict(flower_env, FLOWER_BASIC_AUTH="admin:from-the-environment"),
                             tmp_path / "flower.log")
    try:
        wait_until_answers(url, timeout=60)
        from_file = httpx.get(f"{url}tasks", auth=("admin", "from-the-env-file"), timeout=10).status_code
        from_environment = httpx.get(f"{url}tasks", auth=("admin", "from-the-environment"),
                                     timeout=10).status_code
    finally:
        stop_process(flower)
    assert (from_file, from_environment) == (401, 200), (tmp_path / "flower.log").read_text()[-2000:]


def test_flower_with_no_sign_in_anywhere_does_not_start(checkout, flower_env, tmp_path):
    flower, _url = run_flower(checkout, flower_env, tmp_path / "flower.log")
    try:
        flower.wait(timeout=60)
    finally:
        stop_process(flower)
    assert flower.returncode != 0
    assert "Set FLOWER_BASIC_AUTH=user:password" in (tmp_path / "flower.log").read_text()


def test_a_sign_in_on_the_command_line_is_enough(checkout, flower_env, tmp_path):
    port = free_port()
    flower = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "celery_app", "flower", "--address=127.0.0.1",
         f"--port={port}", "--basic-auth=admin:on-the-command-line"],
        cwd=checkout, env=flower_env, stdout=(tmp_path / "flower.log").open("w"),
        stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        wait_until_answers(f"http://127.0.0.1:{port}/", timeout=60)
        signed_in = httpx.get(f"http://127.0.0.1:{port}/tasks", auth=("admin", "on-the-command-line"),
                              timeout=10).status_code
    finally:
        stop_process(flower)
    assert signed_in == 200, (tmp_path / "flower.log").read_text()[-2000:]
