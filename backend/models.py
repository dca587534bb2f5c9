"""Database tables as SQLAlchemy 2.0 typed models.

The schema itself is created only by the alembic migrations in
``backend/migrations``; these classes describe it for queries.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, column_property, mapped_column
from sqlalchemy.types import TypeDecorator

# JSONB on PostgreSQL, plain JSON text on SQLite.
JSONType = JSON().with_variant(JSONB(), "postgresql")
# SQLite only auto-increments INTEGER PRIMARY KEY, so BIGINT ids fall back to it there.
BigId = BigInteger().with_variant(Integer(), "sqlite")
# Tables whose ids users hold (in paths, task results, tokens) and may see deleted: on
# SQLite an id is otherwise reused once the highest row is deleted, so an old reference
# (a task's statement_ids, a client's rule id, a token's user id) would name a newer row.
# PostgreSQL's sequences never reuse one. Migration 0015.
NEVER_REUSED_IDS = {"sqlite_autoincrement": True}
_CENT = Decimal("0.01")
_THOUSANDTH = Decimal("0.001")
# The largest amount a ``Money`` column holds.
MONEY_MAX = Decimal("999999999999999.999")
# The largest amount with thousandths both back ends keep exactly: SQLite stores a NUMERIC
# as a double, whose 15 significant digits hold thousandths only below 10^12 (a rule bound
# of 123456789012345.678 read back as .672 there, and one near MONEY_MAX as 10^15).
MONEY_EXACT_MAX = Decimal("999999999999.999")


def unstorable_money(value: Decimal) -> str | None:
    """Why a ``Money`` column would not give ``value`` back exactly on both back ends
    (words to follow "the amount is ..."), or None when it would."""
    if abs(value) > MONEY_EXACT_MAX:
        return f"larger than {MONEY_EXACT_MAX:,f}, the most both databases store exactly"
    if as_money(value) != value:
        return "given with more than three decimals, which an amount is stored with"
    return None


def as_money(value: Decimal) -> Decimal:
    """``value`` as a ``Money`` column reads it back: thousandths, shown with two decimals
    when the third is zero (``12.30``, ``1142.553``; ``1E+2`` is ``100.00``)."""
    thousandths = value.quantize(_THOUSANDTH)
    cents = thousandths.quantize(_CENT)
    return cents if cents == thousandths else thousandths


class Money(TypeDecorator):
    """An amount of money: up to 15 digits before the point and three after it, since
    the dinars of Kuwait, Bahrain, Jordan and the rials of Oman count in thousandths
    (a statement's ``1,142.553``). Migration 0016; it was NUMERIC(18, 2), which rounded
    their third decimal away when saved.

    Read back with two decimals when the third is zero (``12.30``, not ``12.300``) and
    three when it is not, so that the amounts of two-decimal currencies read as before
    everywhere they go (the API's JSON, exports, reports) and the others keep theirs.
    """

    impl = Numeric(18, 3)
    cache_ok = True

    def process_result_value(self, value: Decimal | None, dialect: Any) -> Decimal | None:
        return None if value is None else as_money(value)


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC timestamp, also on SQLite (which stores no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime}


class TaskState(enum.StrEnum):
    """The lifecycle of a tracked task, as stored in ``task_status.status``."""

    PENDING = "PENDING"
    PROCESSING = "PROCESSING"
    RETRYING = "RETRYING"
    SUCCESS = "SUCCESS"
    FAILED = "FAILED"
    REVOKED = "REVOKED"

    @classmethod
    def final(cls) -> frozenset[TaskState]:
        return frozenset({cls.SUCCESS, cls.FAILED, cls.REVOKED})

    @classmethod
    def unfinished(cls) -> tuple[TaskState, ...]:
        """The states of a task not final yet, in the one order every SQL text lists them
        (an index's predicate matches a query's only when written the same way)."""
        return (cls.PENDING, cls.PROCESSING, cls.RETRYING)


# ``status IN ('PENDING', 'PROCESSING', 'RETRYING')``: the predicate of the partial index
# the fair-share count reads (``ix_task_status_unfinished_by_user``, migration 0017) and
# the condition task_records writes into that count, from the same states.
UNFINISHED_CONDITION = "status IN ({})".format(
    ", ".join(f"'{state.value}'" for state in TaskState.unfinished())
)


class CategorySource(enum.StrEnum):
    """Who set a transaction's category, as stored in ``transactions.category_source``
    (NULL: nobody, the transaction has no category)."""

    #: A categorization rule, at import or in a bulk run: a later run may change it.
    RULE = "rule"
    #: The user (PATCH /transactions/{id}), also to "no category": runs leave it alone
    #: unless they ask for ``include_manual``.
    MANUAL = "manual"


class User(Base):
    __tablename__ = "users"
    __table_args__ = NEVER_REUSED_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Batch(Base):
    """Statement uploads submitted together and tracked per item (``batch_items``), with
    an optional pipeline (categorize, then report) that runs once every item is final.

    Declared before ``TaskStatus``, whose rows read its public id (issue 8; migration 0005).
    """

    __tablename__ = "batches"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    batch_id: Mapped[str] = mapped_column(String(36), unique=True)  # the public id
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The pipeline asked for (the form field ``then``): null, "categorize" or
    # "categorize,report".
    pipeline: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # The task ids of the pipeline's steps, each set once by the conditional UPDATE that
    # starts it (backend/services/batches.py); null until the step starts.
    categorize_task_id: Mapped[str | None] = mapped_column(String(36))
    report_task_id: Mapped[str | None] = mapped_column(String(36))
    cancelled_at: Mapped[datetime | None] = mapped_column()
    # Set once when every item and step is final (on_batch_finished); a retry clears it.
    finished_at: Mapped[datetime | None] = mapped_column(index=True)


class TaskStatus(Base):
    """One row per task submitted through the API: its owner, state and progress."""

    __tablename__ = "task_status"
    __table_args__ = (
        # The reaper scans the unfinished rows every few seconds; also every read by status.
        Index("ix_task_status_status_heartbeat", "status", "heartbeat_at"),
        # Each submit counts the user's unfinished tasks (USER_MAX_ACTIVE_TASKS): an index of
        # those rows alone, which no plan can turn into a walk through the user's history
        # (migration 0017).
        Index(
            "ix_task_status_unfinished_by_user", "user_id",
            postgresql_where=text(UNFINISHED_CONDITION), sqlite_where=text(UNFINISHED_CONDITION),
        ),
        # A user's tasks, and those in one state (GET /tasks?status=); also the cascade from
        # users. Every row is in it.
        Index("ix_task_status_user_id_status", "user_id", "status"),
        # Most tasks belong to no batch and no schedule: their rows are not in these indexes.
        Index(
            "ix_task_status_batch_id", "batch_id",
            postgresql_where=text("batch_id IS NOT NULL"), sqlite_where=text("batch_id IS NOT NULL"),
        ),
        Index(
            "ix_task_status_schedule_id", "schedule_id",
            postgresql_where=text("schedule_id IS NOT NULL"), sqlite_where=text("schedule_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    task_id: Mapped[str] = mapped_column(String(36), unique=True, index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    task_name: Mapped[str] = mapped_column(String(100))
    queue: Mapped[str] = mapped_column(String(50))
    status: Mapped[str] = mapped_column(String(20), default=TaskState.PENDING.value)
    progress_percent: Mapped[int] = mapped_column(Integer, default=0)
    progress_message: Mapped[str | None] = mapped_column(String(255))
    # The task's keyword arguments, kept so that a failed task can be retried.
    kwargs: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    result: Mapped[Any | None] = mapped_column(JSONType)
    error_message: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # A file this task owns (its upload or its output); removed with the row.
    file_path: Mapped[str | None] = mapped_column(String(1024))
    cancel_requested_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    started_at: Mapped[datetime | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column()
    # The lease of a running task: the worker node that runs it and when that node last
    # said it still does (backend/tasks/heartbeat.py). A PROCESSING row whose heartbeat
    # is older than WORKER_LOST_AFTER_SECONDS has lost its worker and is run again.
    worker: Mapped[str | None] = mapped_column(String(255))
    heartbeat_at: Mapped[datetime | None] = mapped_column()
    # Runs that ended because the worker process or node died (a ceiling stops poison tasks).
    worker_losses: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # When the message was last sent (for a retry: when it is due), and how often the
    # reaper had to send it again because it never arrived.
    dispatched_at: Mapped[datetime | None] = mapped_column()
    redispatches: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # For a FAILED task: whether running it again can help (the platform's failure, not
    # the input's; task_records.mark_failed). NULL: not failed, or failed before 0012.
    retryable: Mapped[bool | None] = mapped_column()
    # The batch this task belongs to (an item's parse, or a step of the batch's pipeline).
    batch_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("batches.id", ondelete="SET NULL"))
    # ...and that batch's public id (``Batch.batch_id``, what GET /tasks/{id}/status shows),
    # read in the row's own SELECT (a subquery on the batches' primary key), never a query
    # of its own.
    batch_public_id: Mapped[str | None] = column_property(
        select(Batch.batch_id).where(Batch.id == batch_id).correlate_except(Batch).scalar_subquery()
    )
    # The schedule this run was started by (backend/tasks/scheduler.py); unset for a run
    # submitted by hand, and once its schedule is deleted.
    schedule_id: Mapped[int | None] = mapped_column(ForeignKey("schedules.id", ondelete="SET NULL"))

    @property
    def can_run_again(self) -> bool:
        """Whether running the task again can help: it was cancelled, or it FAILED for a
        reason that was not its input's (``retryable``)."""
        if self.status == TaskState.REVOKED.value:
            return True
        return self.status == TaskState.FAILED.value and bool(self.retryable)


class Statement(Base):
    """A parsed bank statement; its transactions are in ``transactions``."""

    __tablename__ = "statements"
    __table_args__ = (
        UniqueConstraint("user_id", "file_sha256", "part", name="uq_statements_user_id_file_sha256_part"),
        # The same statement from other bytes (a re-download) is imported once per user.
        UniqueConstraint("user_id", "content_sha256", name="uq_statements_user_id_content_sha256"),
        NEVER_REUSED_IDS,
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    file_sha256: Mapped[str] = mapped_column(String(64))
    # Its place among the statements printed in that file (0-based; see migration 0009).
    part: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The name of the file it was uploaded as ("march.pdf"), for telling statements apart
    # when they print no bank or account; NULL: not known (migration 0018).
    filename: Mapped[str | None] = mapped_column(String(255))
    # The bank's name as printed ("Nordbank Genossenschaft eG"); bank_source is its slug.
    bank_name: Mapped[str | None] = mapped_column(String(200))
    bank_source: Mapped[str | None] = mapped_column(String(200))
    # What the parser had to guess ("year inferred from the statement period", ...).
    warnings: Mapped[list[str]] = mapped_column(JSONType, default=list, server_default="[]")
    # The upload's parser hints it was read with ({"date_order": "DMY", "decimal": ","}, {}
    # for none): the same file sent again must name the same ones (migration 0011). NULL:
    # imported before they were recorded.
    parser_hints: Mapped[dict[str, str] | None] = mapped_column(JSONType)
    # What the statement says (statement_store.content_fingerprint): a re-download of it,
    # whose bytes differ, is not imported again (migration 0014). NULL: nothing to identify
    # it by, or a second copy imported before 0014; NULLs never match.
    content_sha256: Mapped[str | None] = mapped_column(String(64))
    # The ISO 4217 code of its amounts, as the document shows it ("EUR"); NULL: not shown,
    # or imported before it was recorded (migration 0019). Amounts of different ones never add up.
    currency: Mapped[str | None] = mapped_column(String(3))
    account_last4: Mapped[str | None] = mapped_column(String(4))
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    opening_balance: Mapped[Decimal | None] = mapped_column(Money)
    closing_balance: Mapped[Decimal | None] = mapped_column(Money)
    balance_check: Mapped[str] = mapped_column(String(20))
    balance_mismatch_rows: Mapped[int] = mapped_column(Integer, default=0)
    transaction_count: Mapped[int] = mapped_column(Integer, default=0)
    page_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Transaction(Base):
    """One statement line. ``amount`` is negative for money out, positive for money in."""

    __tablename__ = "transactions"
    __table_args__ = (
        UniqueConstraint("statement_id", "position"),
        Index("ix_transactions_user_id_date", "user_id", "date"),
        # Only the manual picks (few): a categorization counts those it keeps from it.
        Index(
            "ix_transactions_user_id_manual", "user_id",
            postgresql_where=text("category_source = 'manual'"),
            sqlite_where=text("category_source = 'manual'"),
        ),
        NEVER_REUSED_IDS,
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    date: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text)
    amount: Mapped[Decimal] = mapped_column(Money)
    balance: Mapped[Decimal | None] = mapped_column(Money)
    category: Mapped[str | None] = mapped_column(String(100))
    # A CategorySource value; categories set before 2026-12-01 count as "rule".
    category_source: Mapped[str | None] = mapped_column(String(6))


class CategoryRule(Base):
    """A user's saved categorization rule; the matching rule with the largest priority wins."""

    __tablename__ = "category_rules"
    __table_args__ = NEVER_REUSED_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    pattern: Mapped[str] = mapped_column(String(500))
    match_type: Mapped[str] = mapped_column(String(10))
    category: Mapped[str] = mapped_column(String(100))
    amount_min: Mapped[Decimal | None] = mapped_column(Money)
    amount_max: Mapped[Decimal | None] = mapped_column(Money)
    direction: Mapped[str | None] = mapped_column(String(6))
    priority: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class IdempotencyKey(Base):
    """A client's ``Idempotency-Key`` and the answer its first request got (kept 24 h)."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(255))
    # SHA-256 of what the request asked for: the same key with another request is refused.
    fingerprint: Mapped[str] = mapped_column(String(64))
    # The first answer's body; null while that request is still being handled.
    response: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


# --- Batches (issue 8; migration 0005; the Batch itself is above TaskStatus) -------------


class BatchItem(Base):
    """One file of a batch: its statement-parse task, or why the upload was refused."""

    __tablename__ = "batch_items"
    __table_args__ = (UniqueConstraint("batch_id", "position"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(255))
    # The item's current task; retry_failed moves it to the new task. Null for an upload
    # that was refused (not a PDF, too big, empty): there is no file to run.
    task_id: Mapped[str | None] = mapped_column(String(36), index=True)
    error_message: Mapped[str | None] = mapped_column(Text)


# --- Schedules (issue 8; migration 0006) -----------------------------------------------


class Schedule(Base):
    """A user's schedule: run ``task`` with ``params`` at each time ``cron`` names in ``timezone``.

    ``next_run_at`` is the next slot due (UTC). Beat claims a due slot by moving it on
    with one conditional UPDATE, so only one beat ever starts a slot's run
    (``backend/services/schedules.py``).
    """

    __tablename__ = "schedules"
    # Beat asks for the enabled schedules that are due every few seconds.
    __table_args__ = (
        Index("ix_schedules_enabled_next_run_at", "enabled", "next_run_at"), NEVER_REUSED_IDS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    task: Mapped[str] = mapped_column(String(20))
    cron: Mapped[str] = mapped_column(String(100))
    timezone: Mapped[str] = mapped_column(String(64))
    # The task's request body, as POST /bulk_categorize_async or /reports/generate_async take it.
    params: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    next_run_at: Mapped[datetime] = mapped_column()
    last_run_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- Webhooks (issue 8; migration 0007) ------------------------------------------------


class Webhook(Base):
    """A URL a user registered to be told about events (``backend/services/webhooks.py``)."""

    __tablename__ = "webhooks"
    __table_args__ = NEVER_REUSED_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2048))
    events: Mapped[list[str]] = mapped_column(JSONType, default=list)
    # The HMAC key the deliveries are signed with. Stored as is, not hashed: signing needs
    # the key itself. Shown to the user once, never logged.
    secret: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WebhookDelivery(Base):
    """One event for one webhook: the outbox row, written in the transaction of the event.

    ``status`` is pending until a 2xx (delivered) or the last try (failed). A pending row
    is due at ``next_attempt_at``; ``locked_until`` is the lease of the try under way, and
    ``dispatched_at`` when the last message sent for it was due (the sweep re-sends
    after REDISPATCH_AFTER_SECONDS without a try).
    """

    __tablename__ = "webhook_deliveries"
    # The sweep looks for pending rows that are due.
    __table_args__ = (
        Index("ix_webhook_deliveries_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    webhook_id: Mapped[int] = mapped_column(
        ForeignKey("webhooks.id", ondelete="CASCADE"), index=True
    )
    event: Mapped[str] = mapped_column(String(40))
    # The exact JSON body: every try sends (and signs) the same bytes.
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(String(255))
    next_attempt_at: Mapped[datetime | None] = mapped_column()
    locked_until: Mapped[datetime | None] = mapped_column()
    dispatched_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- Worker nodes for monitoring (issue 8; migration 0008) -----------------------------


class WorkerNode(Base):
    """A Celery worker node as it last reported itself (``backend/tasks/recovery.py``).

    Online while ``stopped_at`` is unset and ``last_heartbeat`` is younger than
    WORKER_LOST_AFTER_SECONDS.
    """

    __tablename__ = "worker_nodes"

    hostname: Mapped[str] = mapped_column(String(255), primary_key=True)
    queues: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Tasks running on the node at its last heartbeat, and tasks it finished since it started.
    active: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    processed: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    pid: Mapped[int | None] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_heartbeat: Mapped[datetime] = mapped_column(default=utcnow)
    # Set by a clean shutdown; a node that died without one goes offline by its heartbeat's age.
    stopped_at: Mapped[datetime | None] = mapped_column()
