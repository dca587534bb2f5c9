"""Local servers started by tests and benchmarks: free ports, waiting until one answers, a
private Redis, and reading a server's output while it runs."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx
import psutil
import redis

from tests.support import REPO_ROOT


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(url: str) -> bool:
    """Whether an HTTP server answers at ``url`` (whatever the status)."""
    try:
        httpx.get(url, timeout=2)
    except httpx.TransportError:
        return False
    return True


def wait_until_answers(url: str, timeout: float = 30) -> None:
    """Block until ``url`` answers; raises TimeoutError after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not answers(url):
        if time.monotonic() > deadline:
            raise TimeoutError(f"nothing answered at {url} within {timeout:.0f} s")
        time.sleep(0.2)


def stop_process(process: subprocess.Popen, timeout: float = 30) -> None:
    """SIGTERM (a server's or a worker's clean stop), then SIGKILL to its whole session
    (started with ``start_new_session``) after ``timeout`` seconds; nothing if it ended."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@dataclass(frozen=True)
class ApiServer:
    """A running API process: where it answers and its pid."""

    port: int
    pid: int

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@contextlib.contextmanager
def running_api(
    env: Mapping[str, str] | None = None, *uvicorn_args: str, log: Path | None = None,
    log_level: str = "warning", timeout: float = 60,
) -> Iterator[ApiServer]:
    """The API as a real uvicorn process, as `make api` serves it (the app factory), on a
    free port of 127.0.0.1, with ``env`` (the test's environment by default) and its output
    in ``log`` (the test's otherwise); stopped with SIGTERM when done, killed after 20 s."""
    port = free_port()
    output = log.open("w") if log is not None else None
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "backend.api.main:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", log_level, *uvicorn_args],
        cwd=REPO_ROOT, env=dict(env if env is not None else os.environ),
        stdout=output, stderr=subprocess.STDOUT if output else None, start_new_session=True,
    )
    try:
        server = ApiServer(port, process.pid)
        deadline = time.monotonic() + timeout
        while not answers(f"{server.base}/health"):
            if process.poll() is not None or time.monotonic() > deadline:
                said = f":\n{log.read_text()[-3000:]}" if log is not None else " (its output is above)"
                raise RuntimeError(f"the API did not start{said}")
            time.sleep(0.2)
        yield server
    finally:
        stop_process(process, timeout=20)
        if output is not None:
            output.close()


def port_is_free(port: int) -> bool:
    """Whether a server could bind ``port`` on 127.0.0.1 now (nothing holds it)."""
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class PrivateRedis:
    """A redis-server of the test's own (the one `make up` embeds) on a free loopback port.

    Isolated from every other test's Redis, with append-only persistence in ``directory``,
    and stoppable and startable again like a real server restart.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> PrivateRedis:
        from deploy.run_stack import embedded_redis_command

        self.directory.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            embedded_redis_command(self.port, self.directory), stdout=subprocess.DEVNULL
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        deadline = time.monotonic() + 15
        while True:
            try:
                client.ping()
                return self
            except redis.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not start on port {self.port}") from None
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)

    def restart(self, down_seconds: float) -> None:
        """Stop it (it writes its append-only file on the way out), wait, start it again."""
        self.stop()
        time.sleep(down_seconds)
        self.start()

    def __enter__(self) -> PrivateRedis:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


class PrivatePgBouncer:
    """A PgBouncer of the test's own in transaction mode (as the guide's "Scaling out" puts it in
    front of PostgreSQL), on a free loopback port, with one server connection per database: a
    client's next transaction runs in the session another client used before.

    Debian's `pgbouncer` (`make test` installs it); it refuses to run as root, so as nobody then.
    """

    def __init__(self, directory: Path, database_url: str) -> None:
        from sqlalchemy.engine import make_url

        self.directory = directory
        self.server = make_url(database_url)
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def url_for(self, database_url: str) -> str:
        """``database_url`` (a database of the same server) through this PgBouncer."""
        from sqlalchemy.engine import make_url

        through = make_url(database_url).set(host="127.0.0.1", port=self.port)
        return through.render_as_string(hide_password=False)

    def start(self) -> PrivatePgBouncer:
        import getpass
        import shutil

        binary = shutil.which("pgbouncer", path=f"{os.environ.get('PATH', '')}:/usr/sbin")
        if binary is None:
            raise RuntimeError("PgBouncer is not installed: apt-get install pgbouncer (make test does)")
        self.directory.mkdir(parents=True, exist_ok=True)
        user = self.server.username or getpass.getuser()
        (self.directory / "users.txt").write_text(f'"{user}" "{self.server.password or ""}"\n')
        config = self.directory / "pgbouncer.ini"
        config.write_text(
            "[databases]\n"
            f"* = host={self.server.host or '127.0.0.1'} port={self.server.port or 5432}\n"
            "[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {self.port}\nunix_socket_dir =\n"
            f"auth_type = trust\nauth_file = {self.directory / 'users.txt'}\n"
            "pool_mode = transaction\ndefault_pool_size = 1\n"
            "ignore_startup_parameters = extra_float_digits,options\n"
        )
        as_nobody = ["-u", "nobody"] if os.geteuid() == 0 else []
        self.process = subprocess.Popen([binary, *as_nobody, str(config)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 15
        while port_is_free(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"PgBouncer did not start on port {self.port}")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)

    def __enter__(self) -> PrivatePgBouncer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


class OutputCollector:
    """Reads a process's output on a thread (so a full pipe never blocks it) and keeps it."""

    def __init__(self, stream: IO[str]) -> None:
        self.lines: list[str] = []
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self.lines.append(line)

    @property
    def text(self) -> str:
        return "".join(self.lines)

    def finish(self, timeout: float = 10) -> str:
        """All output, once the stream has closed."""
        self._thread.join(timeout)
        return self.text


class Stack:
    """`make up`'s supervisor (deploy/run_stack.py) as a test runs it: its own ports, a private
    Redis and database given by the caller, its output collected."""

    def __init__(self, redis_url: str, database_url: str, storage_dir: Path, **env: str) -> None:
        self.env = dict(
            os.environ, REDIS_URL=redis_url, DATABASE_URL=database_url,
            STORAGE_DIR=str(storage_dir), API_PORT=str(free_port()),
            FLOWER_PORT=str(free_port()), FLOWER_BASIC_AUTH="admin:stack-test",
        )
        # The private Redis is the broker too, as with `make up`; in the RabbitMQ pass the
        # test vhost belongs to the test worker, which would take this stack's messages.
        self.env.pop("CELERY_BROKER_URL", None)
        self.env.update(env)
        self.api_port, self.flower_port = int(self.env["API_PORT"]), int(self.env["FLOWER_PORT"])
        self.repo_root = REPO_ROOT
        self.process: subprocess.Popen | None = None
        self.output: OutputCollector | None = None
        # Every descendant seen, so that a failed test can clean up even after the
        # supervisor itself is gone.
        self.seen: dict[int, psutil.Process] = {}

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    def start(self) -> Stack:
        self.process = subprocess.Popen(
            [sys.executable, "deploy/run_stack.py"], cwd=self.repo_root, env=self.env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        assert self.process.stdout is not None
        self.output = OutputCollector(self.process.stdout)
        return self

    def wait_until(self, check: Callable[[], bool], what: str, timeout: float = 60) -> None:
        """Block until ``check()`` holds; fails if the supervisor exits or time runs out."""
        assert self.process is not None and self.output is not None
        deadline = time.monotonic() + timeout
        while not check():
            if self.process.poll() is not None:
                raise AssertionError(f"the stack exited while waiting for {what}:\n"
                                     f"{self.output.text[-4000:]}")
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}:\n{self.output.text[-4000:]}")
            time.sleep(0.2)

    def wait_until_serving(self) -> None:
        self.wait_until(lambda: answers(f"{self.api}/health"), "the API")
        self.descendants()

    def child(self, marker: str) -> psutil.Process:
        """The supervisor's child whose command line contains ``marker`` (e.g. "flower")."""
        assert self.process is not None
        for child in psutil.Process(self.process.pid).children():
            if marker in child.cmdline():
                return child
        raise AssertionError(f"no child {marker!r} of the supervisor")

    def descendants(self) -> list[psutil.Process]:
        assert self.process is not None
        found = psutil.Process(self.process.pid).children(recursive=True)
        self.seen.update((process.pid, process) for process in found)
        return found

    def stop(self, sig: int = signal.SIGINT, timeout: float = 60) -> str:
        """Send ``sig``, wait for the supervisor to exit, and return its output."""
        assert self.process is not None and self.output is not None
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill_all()
            raise
        return self.output.finish()

    def kill_all(self) -> None:
        """Clean up after a failed test: nothing the stack started may keep running."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.descendants()
        self.process.kill()
        self.process.wait()
        for process in still_alive(list(self.seen.values())):
            with contextlib.suppress(psutil.NoSuchProcess):
                process.kill()


def still_alive(processes: list[psutil.Process]) -> list[psutil.Process]:
    """Those of ``processes`` still running (zombies count as gone)."""
    alive = []
    for process in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            if process.is_running() and process.status() != psutil.STATUS_ZOMBIE:
                alive.append(process)
    return alive


def wait_until_gone(processes: list[psutil.Process], timeout: float = 30) -> None:
    """Block until none of ``processes`` runs; fails naming the survivors after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while still_alive(processes):
        if time.monotonic() > deadline:
            raise AssertionError(f"still running after {timeout:.0f} s: {still_alive(processes)}")
        time.sleep(0.2)
