"""All settings, read once from the environment (and an optional ``.env`` file)."""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Literal

from dotenv import dotenv_values
from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = REPO_ROOT / "var"


class Settings(BaseSettings):
    """Ledgerflow's configuration. Every field is an environment variable of the same name."""

    # An empty variable is an unset one (its default): docker-compose.yml passes every
    # setting as ${NAME:-}. Unknown names are judged by get_settings (unknown_settings).
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", env_ignore_empty=True)

    database_url: str = f"sqlite:///{VAR_DIR / 'ledgerflow.db'}"
    # PostgreSQL plans a task's hot writes once per connection (backend/db.py
    # ``prepared``); false behind a pooler in transaction mode (PgBouncer), which would
    # lose them between transactions.
    database_prepared_statements: bool = True
    redis_url: str = "redis://127.0.0.1:6379/0"
    celery_broker_url: str | None = None
    celery_result_backend: str | None = None

    # Empty means "not configured": the API refuses to start (see backend/api/main.py).
    jwt_secret_key: str = ""
    jwt_algorithm: str = "HS256"
    access_token_expire_minutes: int = Field(30, gt=0)

    # Browser origins allowed to call the API (CORS), comma-separated; empty: none.
    cors_origins: str = ""

    # How the API and the workers log: "text" (human lines) or "json" (one JSON object per
    # line with time, level, logger, message, request_id and task_id; see backend/logs.py).
    log_format: Literal["text", "json"] = "text"

    storage_dir: Path = VAR_DIR / "storage"
    max_upload_mb: int = Field(20, gt=0)
    # Files one POST /batches may carry (each within MAX_UPLOAD_MB).
    max_batch_files: int = Field(100, ge=1)
    task_retention_days: int = Field(7, gt=0)
    failed_task_retention_days: int = Field(30, gt=0)
    flower_basic_auth: str | None = None

    # Hostile input (see docs/architecture.md, "Limits on hostile input").
    # Largest body of a request to any route but the PDF uploads (those use MAX_UPLOAD_MB).
    max_request_body_kb: int = Field(1024, gt=0)
    # GET /health?deep=true needs an admin's bearer token, or this secret in the
    # X-Health-Token header; empty: admin token only.
    health_token: str = ""
    # Seconds a deep health result is reused: at most one worker ping per window.
    health_cache_seconds: float = Field(5.0, ge=0)
    # /auth/token and /auth/register attempts allowed per window, counted in Redis
    # (0 = unlimited). Per account = per email address sent.
    auth_rate_window_seconds: int = Field(300, gt=0)
    auth_attempts_per_account: int = Field(10, ge=0)
    auth_attempts_per_ip: int = Field(60, ge=0)
    # bcrypt's cost for new password hashes (2^rounds rounds: ~0.25 s of CPU at 12). A
    # hash keeps the cost it was made with, so a change needs no migration. The tests
    # use 4: every test registers a user, and 12 cost them minutes of make test.
    password_hash_rounds: int = Field(12, ge=4, le=31)
    # Decoded bytes a PDF's streams may expand to, per page and per document, before
    # the worker refuses it as a decompression bomb.
    pdf_max_page_decompressed_mb: int = Field(64, gt=0)
    pdf_max_document_decompressed_mb: int = Field(512, gt=0)
    # Address space (RLIMIT_AS) of each worker pool process; 0 = unlimited.
    worker_memory_limit_mb: int = Field(1024, ge=0)
    # A statement of at least this many pages is read in parts of PARALLEL_PARSE_PAGES_PER_PART
    # pages on every pdf_processing worker, then merged (backend/tasks/statement_parts.py);
    # 0 = always one task.
    parallel_parse_min_pages: int = Field(40, ge=0)
    parallel_parse_pages_per_part: int = Field(20, gt=0)

    # Celery behaviour (see backend/tasks/app.py for why each value).
    task_time_limit: int = 1800
    task_soft_time_limit: int = 1500
    task_max_retries: int = 3
    task_retry_backoff_seconds: float = 60.0
    result_expires: int = 3600
    # Pool process recycling (backend/tasks/app.py): by peak memory, not by a task count.
    worker_max_memory_per_child_mb: int = Field(512, ge=0)
    worker_max_tasks_per_child: int = Field(0, ge=0)
    worker_prefetch_multiplier: int = 1
    # Seconds between progress writes to the database from one task.
    progress_write_interval: float = 0.5
    # How long DELETE /tasks/{id} waits for a running task to stop by itself.
    cancel_grace_seconds: float = 10.0
    broker_publish_timeout: float = 3.0

    # The currency OFX exports declare (CURDEF): statements do not record one.
    ofx_currency: str = Field("USD", pattern=r"^[A-Z]{3}$")
    # A user with this many tasks not yet final gets 429 on the next submit (fair share).
    user_max_active_tasks: int = Field(50, ge=1)

    # Nothing lost, nothing stuck (docs/architecture.md, "Leases, not hope, for running tasks").
    # Each worker node stamps the rows of the tasks it runs this often...
    worker_heartbeat_seconds: float = Field(10.0, gt=0)
    # ...and a PROCESSING row not stamped for this long has lost its worker: it runs again.
    worker_lost_after_seconds: float = Field(30.0, gt=0)
    # How often beat runs the reaper that finds such rows and lost messages.
    reaper_interval_seconds: float = Field(15.0, gt=0)
    # Webhooks (BACKGROUND_JOBS_GUIDE.md, "Webhooks"). URLs that resolve to loopback,
    # private, link-local or metadata addresses are refused unless this is true.
    webhook_allow_private_networks: bool = False
    # Seconds between the tries of a delivery, comma-separated: one try plus one per
    # entry (the default: 5 tries over about an hour).
    webhook_retry_schedule: str = Field(
        "60,300,900,2400", pattern=r"^\s*\d+(\.\d+)?(\s*,\s*\d+(\.\d+)?)*\s*$"
    )
    # Seconds one try may take (connect, send, the answer's headers).
    webhook_timeout_seconds: float = Field(10.0, gt=0)
    # How often beat sends the deliveries that have no message under way: those of
    # batch.finished, and any whose message was lost.
    webhook_sweep_seconds: float = Field(10.0, gt=0)

    # Threads one API process runs its route code in at once (the synchronous routes and
    # dependencies, with their database calls); 0: 2 on SQLite, 6 on PostgreSQL. Threads
    # past these only contend for the process's GIL (and on SQLite for its one writer):
    # at 16 concurrent submits anyio's default of 40 gave the same throughput with a p99
    # of 1-1.4 s on SQLite, 2 gave ~0.1 s (docs/performance.md, "Round 4").
    api_threads: int = Field(0, ge=0)

    # A PENDING/RETRYING row whose message has not started this long after it was sent
    # (or was due) is sent again; the wait doubles with each re-send.
    redispatch_after_seconds: float = Field(300.0, gt=0)
    # On a cold shutdown (SIGQUIT, or SIGTERM with REMAP_SIGTERM=SIGQUIT as `make up` and
    # the compose file run the worker) running tasks get this long to finish; the rest
    # are handed back to the queue at once for the next worker.
    worker_shutdown_grace_seconds: float = Field(60.0, ge=0)
    # A task whose worker died this many times ends FAILED (a poison task: OOM, segfault).
    max_worker_losses: int = Field(3, ge=1)
    # How long a worker keeps retrying its bookkeeping writes while the database is away
    # before it hands the message back to the queue.
    database_outage_patience_seconds: float = Field(300.0, ge=0)
    # PostgreSQL: how long a migration waits for a table's lock per try. While it waits,
    # every later query of that table queues behind it (the app's task writes included), so
    # it gives up after this long, lets that queue through, and tries again...
    migration_lock_timeout_seconds: float = Field(5.0, gt=0)
    # ...for this long in all, then fails, saying which transaction holds the lock.
    migration_patience_seconds: float = Field(600.0, ge=0)

    # Schedules (BACKGROUND_JOBS_GUIDE.md, "Schedules"): how many one user may keep, and
    # how often beat looks for new, changed or deleted ones (at most 10 s, as promised).
    max_schedules_per_user: int = Field(20, ge=0)
    schedule_poll_seconds: float = Field(5.0, gt=0, le=10)

    # Monitoring (BACKGROUND_JOBS_GUIDE.md, "Monitoring"). Accounts registered with one of
    # these emails (comma-separated) are admins; `python -m backend.cli create-admin` promotes others.
    admin_emails: str = ""
    # Bearer token GET /metrics requires; empty: /metrics is open (bind the API to a private address).
    metrics_token: str = ""

    @model_validator(mode="after")
    def _lease_outlives_a_missed_renewal(self) -> Settings:
        # A lease given up sooner than two renewals apart is taken from live runs: each
        # one whose renewal came late would run again beside itself.
        if self.worker_lost_after_seconds < 2 * self.worker_heartbeat_seconds:
            raise ValueError(
                f"WORKER_LOST_AFTER_SECONDS ({self.worker_lost_after_seconds:g}) must be at least"
                f" twice WORKER_HEARTBEAT_SECONDS ({self.worker_heartbeat_seconds:g}): a lease"
                " renewed that seldom would be taken from a live worker and its task run twice"
            )
        return self

    @property
    def broker_url(self) -> str:
        return self.celery_broker_url or self.redis_url

    @property
    def broker_scheme(self) -> str:
        """The broker URL's scheme: ``redis``, ``rediss``, ``sentinel``, ``amqp``..."""
        return self.broker_url.split("://", 1)[0]

    @property
    def broker_is_amqp(self) -> bool:
        """True when the broker is RabbitMQ (amqp://, amqps://, pyamqp://), not Redis."""
        return self.broker_scheme in ("amqp", "amqps", "pyamqp")

    @property
    def api_thread_limit(self) -> int:
        """API_THREADS, or its default for the database (see the field)."""
        if self.api_threads:
            return self.api_threads
        return 2 if self.database_url.startswith("sqlite") else 6

    @property
    def result_backend(self) -> str:
        return self.celery_result_backend or self.redis_url

    @property
    def cors_origin_list(self) -> list[str]:
        return [origin.strip() for origin in self.cors_origins.split(",") if origin.strip()]

    @property
    def admin_email_set(self) -> frozenset[str]:
        return frozenset(e.strip().lower() for e in self.admin_emails.split(",") if e.strip())

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    @property
    def max_request_body_bytes(self) -> int:
        return self.max_request_body_kb * 1024

    @property
    def webhook_retry_delays(self) -> tuple[float, ...]:
        """WEBHOOK_RETRY_SCHEDULE as numbers: the wait before each retry of a delivery."""
        return tuple(float(part) for part in self.webhook_retry_schedule.split(","))


# Names that are no settings but belong beside them, in the environment or the .env file:
# read by `make up` (deploy/run_stack.py), docker-compose.yml, Celery, prometheus_client
# and the test suite (README.md, "Configuration").
COMPANION_NAMES = frozenset({
    "API_HOST", "API_PORT", "FLOWER_HOST", "FLOWER_PORT", "WORKER_ARGS",
    "POSTGRES_PASSWORD", "RABBITMQ_PASSWORD", "WORKER_STOP_GRACE_PERIOD", "REMAP_SIGTERM",
    "PROMETHEUS_MULTIPROC_DIR", "LEDGERFLOW_TEST_BACKEND", "LEDGERFLOW_TEST_BROKER",
    "LEDGERFLOW_CHAOS_CLOCKS", "LEDGERFLOW_ACCURACY",
})
# Companions their readers take from the process's environment only, before any setting is
# read: in .env they would be ignored in silence (a worker's SIGTERM a warm shutdown), so
# there they stop the start, saying who reads them.
ENVIRONMENT_ONLY_NAMES = {
    "REMAP_SIGTERM": "Celery's billiard reads it as the celery command loads",
    "PROMETHEUS_MULTIPROC_DIR": "prometheus_client's own, read by the API as it starts",
}
# Families of them an .env file may hold too: Flower's own options (FLOWER_<option>) and
# Compose's (COMPOSE_PROJECT_NAME...).
COMPANION_PREFIXES = ("FLOWER_", "COMPOSE_")
# A name that is none of ours is judged only where it is clearly meant for us: anywhere
# under this prefix (settings have none: LEDGERFLOW_DATABASE_URL would be ignored), or
# within this similarity (difflib's ratio) of a setting: WORKER_SHUTDOWN_GRACE_SECOND
# is 0.98 from WORKER_SHUTDOWN_GRACE_SECONDS, while the unrelated names a process
# inherits (REDIS_PORT, which Kubernetes sets for a service called redis, 0.74 from
# REDIS_URL; PYTHONPATH; HOSTNAME) stay below it.
OUR_PREFIX = "LEDGERFLOW_"
# The test suite's servers (tests/conftest.py), read from the test run's environment only:
# in .env they would stop every process as unknown names, and the hint says where they go.
TEST_SERVER_NAMES = frozenset({"TEST_DATABASE_URL", "TEST_REDIS_URL", "TEST_RABBITMQ_URL"})
TYPO_SIMILARITY = 0.85


class UnknownSettingError(ValueError):
    """A name meant for Ledgerflow that is none of its settings: a typo would otherwise be
    ignored in silence and its default used."""


def setting_names() -> frozenset[str]:
    """Every setting's environment variable."""
    return frozenset(name.upper() for name in Settings.model_fields)


def unknown_settings(
    environ: Mapping[str, str], env_file: Mapping[str, str | None] | None = None
) -> list[str]:
    """What is wrong with the names of ``environ`` and of the .env file's ``env_file``: one
    line per unknown name meant for Ledgerflow, naming the closest setting (docs/architecture.md,
    "Unknown settings fail the start")."""
    settings = setting_names()
    known = settings | COMPANION_NAMES
    problems = []
    for source, names, whole_file in (("the environment", environ, False),
                                      (".env", env_file or {}, True)):
        for name in sorted(names):
            upper = name.upper()
            if whole_file and upper in ENVIRONMENT_ONLY_NAMES:
                problems.append(f"{name} in .env: it is read from the environment only "
                                f"({ENVIRONMENT_ONLY_NAMES[upper]}): set it there, not in .env")
                continue
            if upper in known:
                continue
            unprefixed = upper.removeprefix(OUR_PREFIX)
            close = difflib.get_close_matches(unprefixed, settings, n=1, cutoff=TYPO_SIMILARITY)
            # TEST_DATABASE_URL, BENCH_REDIS_URL: another program's copy of a setting, not a typo.
            if not upper.startswith(OUR_PREFIX) and any(s in upper for s in settings):
                close = []
            meant_for_us = (
                upper.startswith(OUR_PREFIX) or close
                or (whole_file and not upper.startswith(COMPANION_PREFIXES))
            )
            if not meant_for_us:
                continue
            if not close:
                close = difflib.get_close_matches(unprefixed, known, n=1, cutoff=0.6)
            if upper.startswith(OUR_PREFIX) and unprefixed in settings:
                hint = f"settings have no prefix: {unprefixed}"
            elif upper in TEST_SERVER_NAMES:
                hint = "the tests read it from their environment only: set it there, not in .env"
            else:
                hint = f"did you mean {close[0]}?" if close else "no setting is close to it"
            problems.append(f"unknown setting {name} in {source}: {hint}")
    return problems


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings; fails fast with a clear message when one is invalid, or
    when a name meant as a setting is none (README.md, "Configuration", lists them)."""
    env_file = Path(str(Settings.model_config.get("env_file")))
    problems = unknown_settings(os.environ, dotenv_values(env_file) if env_file.is_file() else {})
    if problems:
        raise UnknownSettingError(
            "; ".join(problems) + " (the settings are listed in README.md, \"Configuration\")"
        )
    return Settings()
