"""A misspelled setting stops the start, naming itself and the setting it was meant to be,
instead of being ignored while its default is used (docs/architecture.md, "Unknown settings
fail the start")."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from backend.config import Settings, unknown_settings
from tests.support import REPO_ROOT

# What `celery -A celery_app worker` and `make api` import first.
STARTS = {
    "worker": "import celery_app",
    "api": "from backend.api.main import create_app; create_app()",
}


def start(code: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "PYTHONPATH": str(REPO_ROOT), **env}
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=environ,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("process", sorted(STARTS))
def test_a_misspelled_setting_in_the_environment_stops_the_start(process, tmp_path):
    started = start(STARTS[process], tmp_path, WORKER_SHUTDOWN_GRACE_SECOND="5")
    assert started.returncode != 0, started.stdout + started.stderr
    assert ("unknown setting WORKER_SHUTDOWN_GRACE_SECOND in the environment: did you mean "
            "WORKER_SHUTDOWN_GRACE_SECONDS?") in started.stderr, started.stderr


def test_an_unknown_name_in_the_env_file_stops_the_start(tmp_path):
    (tmp_path / ".env").write_text("JWT_SECRET=s3cret\nPOSTGRES_PASSWORD=x\n")
    started = start(STARTS["worker"], tmp_path)
    assert started.returncode != 0
    assert "unknown setting JWT_SECRET in .env: did you mean JWT_SECRET_KEY?" in started.stderr


@pytest.mark.parametrize(("name", "value"), [("REMAP_SIGTERM", "SIGQUIT"),
                                           ("PROMETHEUS_MULTIPROC_DIR", "/srv/metrics")])
def test_a_name_read_from_the_environment_only_stops_the_start_from_the_env_file(name, value, tmp_path):
    """Celery reads REMAP_SIGTERM (billiard, as the celery command loads, before any setting)
    and the API PROMETHEUS_MULTIPROC_DIR from the process's environment only. In .env they
    were taken without a word and ignored: a worker stopped by its supervisor's SIGTERM made
    a warm shutdown, waiting for every task however long, instead of the guide's cold one."""
    (tmp_path / ".env").write_text(f"{name}={value}\n")
    started = start(STARTS["worker"], tmp_path)
    assert started.returncode != 0, started.stderr
    assert f"{name} in .env: it is read from the environment only" in started.stderr, started.stderr


def test_the_same_start_goes_on_with_the_names_spelled_right(tmp_path):
    (tmp_path / ".env").write_text("JWT_SECRET_KEY=s3cret\nPOSTGRES_PASSWORD=x\n")
    started = start(STARTS["worker"], tmp_path, WORKER_SHUTDOWN_GRACE_SECONDS="5")
    assert started.returncode == 0, started.stderr


def test_only_names_meant_for_ledgerflow_are_judged():
    inherited = {
        "PATH": "/usr/bin", "HOME": "/root", "HOSTNAME": "box", "PYTHONPATH": ".",
        "DEBIAN_FRONTEND": "noninteractive", "LOG_LEVEL": "debug",
        # Kubernetes' variables for a service named redis, and other programs' copies.
        "REDIS_PORT": "tcp://10.0.0.1:6379", "REDIS_SERVICE_HOST": "10.0.0.1",
        "TEST_DATABASE_URL": "postgresql://db/test", "BENCH_REDIS_URL": "redis://r/9",
        # Settings are read whatever their case; the companions of make up and compose.
        "database_url": "sqlite://", "API_PORT": "8001", "FLOWER_UNAUTHENTICATED_API": "false",
        "LEDGERFLOW_TEST_BACKEND": "sqlite",
    }
    assert unknown_settings(inherited) == []
    assert unknown_settings({}, {"COMPOSE_PROJECT_NAME": "lf", "FLOWER_HOST": "::1"}) == []


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("DATABSE_URL", "did you mean DATABASE_URL?"),
        ("MAX_UPLOAD_MD", "did you mean MAX_UPLOAD_MB?"),
        ("FLOWER_BASIC_AUHT", "did you mean FLOWER_BASIC_AUTH?"),
        ("LEDGERFLOW_DATABASE_URL", "settings have no prefix: DATABASE_URL"),
        ("LEDGERFLOW_TEST_BACKND", "did you mean LEDGERFLOW_TEST_BACKEND?"),
    ],
)
def test_names_clearly_meant_for_ledgerflow_are_refused(name, problem):
    assert unknown_settings({name: "1"}) == [f"unknown setting {name} in the environment: {problem}"]


def test_every_name_of_the_env_file_must_be_known():
    assert unknown_settings({}, {"GREETING": "hello"}) == [
        "unknown setting GREETING in .env: no setting is close to it"
    ]


@pytest.mark.parametrize("name", ["TEST_DATABASE_URL", "TEST_REDIS_URL", "TEST_RABBITMQ_URL"])
def test_a_test_server_in_the_env_file_stops_the_start_saying_where_it_belongs(name):
    """The tests read their servers from the environment only (tests/conftest.py): in .env
    such a name is still refused, with a hint that points there, not at a setting."""
    assert unknown_settings({}, {name: "postgresql://db/test"}) == [
        f"unknown setting {name} in .env: the tests read it from their environment only: "
        "set it there, not in .env"
    ]
    assert unknown_settings({name: "postgresql://db/test"}) == []


def test_a_lease_given_up_before_two_renewals_stops_the_start(monkeypatch):
    monkeypatch.setenv("WORKER_HEARTBEAT_SECONDS", "20")
    monkeypatch.setenv("WORKER_LOST_AFTER_SECONDS", "30")
    with pytest.raises(ValidationError, match="must be at least twice WORKER_HEARTBEAT_SECONDS"):
        Settings()
    monkeypatch.setenv("WORKER_LOST_AFTER_SECONDS", "40")
    assert Settings().worker_lost_after_seconds == 40
