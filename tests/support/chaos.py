"""Faults on demand for the fault suite: a TCP proxy that can cut PostgreSQL, a private Redis
that can be restarted (``PrivateRedis``), and the platform's real processes (API, workers,
beat) to kill.

Everything runs on 127.0.0.1 with ports picked at random; every process is started in
its own session so that a test can SIGKILL a whole worker (main process and pool).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING

from tests.support import REPO_ROOT
from tests.support.net import free_port, wait_until_answers

if TYPE_CHECKING:
    from sqlalchemy import Engine

# `make chaos` also runs the suite with the lease clocks at their defaults, to measure the
# recovery an operator gets; otherwise short clocks keep each scenario to seconds.
PRODUCTION_CLOCKS = os.environ.get("LEDGERFLOW_CHAOS_CLOCKS") == "production"
LEASE_CLOCKS = {} if PRODUCTION_CLOCKS else {
    "WORKER_HEARTBEAT_SECONDS": "1",
    "WORKER_LOST_AFTER_SECONDS": "4",
    "REAPER_INTERVAL_SECONDS": "1",
}
FAST_RECOVERY_ENV = {
    **LEASE_CLOCKS,
    # Lost messages are re-sent after 300 s by default; no scenario waits that long.
    "REDISPATCH_AFTER_SECONDS": "8",
    "TASK_RETRY_BACKOFF_SECONDS": "1",
    "DATABASE_OUTAGE_PATIENCE_SECONDS": "120",
    "PROGRESS_WRITE_INTERVAL": "0.2",
}


def wait_until(check: Callable[[], bool], timeout: float, what: str, interval: float = 0.2) -> float:
    """Poll ``check`` until it holds; returns the seconds it took, fails after ``timeout``."""
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)
    return time.monotonic() - started


class TcpProxy:
    """Forwards 127.0.0.1:<port> to a target; ``cut()`` drops every connection and refuses
    new ones (as a server that went away), ``restore()`` accepts again on the same port."""

    def __init__(self, target_port: int, target_host: str = "127.0.0.1") -> None:
        self.target = (target_host, target_port)
        self.port = free_port()
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None

    def start(self) -> TcpProxy:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(128)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return self

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # the listener was closed by cut()
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                self._sockets.update((client, upstream))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
                with self._lock:
                    self._sockets.discard(sock)

    def cut(self) -> None:
        """The server is gone: open connections break, new ones are refused."""
        if self._listener is not None:
            # shutdown() wakes the thread blocked in accept(); close() alone would not,
            # and the port would stay bound.
            with suppress(OSError):
                self._listener.shutdown(socket.SHUT_RDWR)
            self._listener.close()
            self._listener = None
        with self._lock:
            sockets, self._sockets = list(self._sockets), set()
        for sock in sockets:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def restore(self) -> None:
        self.start()

    def url(self, database_url: str) -> str:
        """``database_url`` with its host and port replaced by the proxy's."""
        from sqlalchemy.engine import make_url

        return (
            make_url(database_url)
            .set(host="127.0.0.1", port=self.port)
            .render_as_string(hide_password=False)
        )


class Platform:
    """The platform's own processes, each started with ``env`` over the test environment."""

    def __init__(self, env: dict[str, str], log_dir: Path) -> None:
        self.env = {**os.environ, **FAST_RECOVERY_ENV, **env}
        self.log_dir = log_dir
        self.processes: list[subprocess.Popen] = []
        log_dir.mkdir(parents=True, exist_ok=True)

    def _start(self, name: str, command: list[str]) -> subprocess.Popen:
        log = (self.log_dir / f"{name}.log").open("a")
        process = subprocess.Popen(
            command, cwd=REPO_ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def api(self) -> str:
        """Start uvicorn on a free port; returns its base URL once it answers."""
        port = free_port()
        self._start("api", [sys.executable, "-m", "uvicorn", "backend.api.main:create_app",
                            "--factory", "--port", str(port), "--log-level", "warning"])
        base = f"http://127.0.0.1:{port}"
        wait_until_answers(f"{base}/health", timeout=30)
        return base

    def worker(self, name: str, concurrency: int = 2, queues: str = "pdf_processing,default",
               extra: tuple[str, ...] = ()) -> subprocess.Popen:
        return self._start(f"worker-{name}", [
            sys.executable, "-m", "celery", "-A", "celery_app", "worker", "-Q", queues,
            "--include", "tests.support.tasks", "--concurrency", str(concurrency),
            "--loglevel", "INFO", "-n", f"{name}@%h", "--without-gossip", "--without-mingle",
            *extra,
        ])

    def beat(self, schedule_dir: Path) -> subprocess.Popen:
        return self._start("beat", [
            sys.executable, "-m", "celery", "-A", "celery_app", "beat", "--loglevel", "INFO",
            "--schedule", str(schedule_dir / "celerybeat-schedule"),
        ])

    def submit(self, user_id: int, task_name: str, kwargs_list: list[dict]) -> list[str]:
        """Submit tasks to this platform's database and broker; returns the task ids."""
        from tests.support.tasks import submit_elsewhere

        return submit_elsewhere(self.env, user_id, task_name, kwargs_list)

    def log(self, name: str) -> str:
        path = self.log_dir / f"{name}.log"
        return path.read_text() if path.exists() else ""

    @staticmethod
    def kill(process: subprocess.Popen) -> None:
        """SIGKILL the process and everything in its session (a worker's pool too)."""
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                with suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill(process)


@contextmanager
def platform(env: dict[str, str], log_dir: Path) -> Iterator[Platform]:
    stack = Platform(env, log_dir)
    try:
        yield stack
    finally:
        stack.stop_all()


@contextmanager
def platform_on_own_sqlite(tmp_path: Path, **env: str) -> Iterator[tuple[Platform, Engine, int]]:
    """The platform's processes (started by the test) on a SQLite file and a Redis of their
    own, with ``env``: (the platform, an engine on that file, the id of a user in it)."""
    from sqlalchemy import insert

    from backend.db import build_engine, upgrade_database
    from backend.models import User
    from tests.support.net import PrivateRedis

    url = f"sqlite:///{tmp_path / 'platform.db'}"
    upgrade_database(url)
    engine = build_engine(url)
    with engine.begin() as conn:
        user_id = conn.execute(
            insert(User).values(email="platform@example.com", password_hash="-").returning(User.id)
        ).scalar_one()
    try:
        with PrivateRedis(tmp_path / "redis") as broker, platform({
            "DATABASE_URL": url, "REDIS_URL": broker.url, "CELERY_BROKER_URL": broker.url,
            "CELERY_RESULT_BACKEND": broker.url, **env,
        }, tmp_path / "logs") as stack:
            yield stack, engine, user_id
    finally:
        engine.dispose()
