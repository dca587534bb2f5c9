"""docker-compose.yml runs every piece, one worker per queue, with secrets from the environment."""

from __future__ import annotations

import shutil
import subprocess

import pytest
import yaml

from backend.tasks.app import QUEUES
from tests.support import REPO_ROOT

COMPOSE = REPO_ROOT / "docker-compose.yml"
SECRETS = {"POSTGRES_PASSWORD": "x", "JWT_SECRET_KEY": "y", "FLOWER_BASIC_AUTH": "admin:z"}


def services() -> dict:
    return yaml.safe_load(COMPOSE.read_text())["services"]


def test_compose_runs_the_whole_platform():
    assert {"postgres", "redis", "migrate", "api", "beat", "flower"} <= set(services())


def test_compose_has_one_worker_per_queue():
    queues = []
    for service in services().values():
        command = service.get("command", [])
        if "worker" in command:
            queues.append(command[command.index("-Q") + 1])
    assert sorted(queues) == sorted(QUEUES)


def test_compose_takes_secrets_from_the_environment():
    text = COMPOSE.read_text()
    for name in SECRETS:
        assert f"${{{name}:?" in text, f"{name} must be required, not defaulted"


@pytest.mark.skipif(
    not (shutil.which("docker-compose") or shutil.which("docker")),
    reason="no docker compose client on this machine",
)
def test_compose_config_is_valid():
    client = ["docker-compose"] if shutil.which("docker-compose") else ["docker", "compose"]
    completed = subprocess.run(
        [*client, "-f", str(COMPOSE), "config", "-q"], env=SECRETS, capture_output=True, text=True
    )
    assert completed.returncode == 0, completed.stderr
