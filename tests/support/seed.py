"""Put statements, transactions and task rows straight into the test database."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine, insert

from backend.db import get_engine
from backend.models import TaskStatus, User, Webhook, utcnow
from backend.services import batches, task_records, webhooks
from backend.services.statement_store import save_statement
from backend.services.statements import ParsedStatement, ParsedTransaction
from backend.tasks.kinds import PARSE_STATEMENT
from backend.tasks.submission import record_task


def seed_user(engine: Engine, with_webhook: bool = False) -> int:
    """A user put straight into the database (optionally with a webhook); returns its id."""
    with engine.begin() as conn:
        user_id = conn.execute(
            insert(User).values(email=f"{uuid.uuid4().hex[:8]}@example.com", password_hash="x")
            .returning(User.id)
        ).scalar_one()
        if with_webhook:
            conn.execute(insert(Webhook).values(
                user_id=user_id, url="https://hooks.example.com/", events=[webhooks.TASK_SUCCEEDED],
                secret="s",
            ))
    return int(user_id)


def seed_statement(user_id: int, rows: list[tuple[str, str, str]], currency: str | None = None) -> int:
    """Save a statement of (ISO date, description, amount) rows for ``user_id``, in ``currency``
    (ISO 4217; None: unknown); returns its id."""
    transactions = tuple(
        ParsedTransaction(date.fromisoformat(day), text, Decimal(amount), None)
        for day, text, amount in rows
    )
    parsed = ParsedStatement(
        bank_source="Seed Bank", account_last4="0001", period_start=None, period_end=None,
        opening_balance=None, closing_balance=None, balance_check="unavailable",
        balance_mismatch_rows=0, page_count=1, transactions=transactions, currency=currency,
    )
    digest = hashlib.sha256(repr((user_id, rows, currency)).encode()).hexdigest()
    with get_engine().begin() as conn:
        return save_statement(conn, user_id, digest, parsed).first


def seed_task(user_id: int, status: str, task_name: str = "ping", **values: object) -> str:
    """Put a task_status row in ``status`` straight into the database; returns its task id.

    For tests of what reads or moves rows (progress, streams, the reaper, limits) without
    a message or a worker. ``values`` sets any other column (``worker``, ``completed_at``...).
    """
    now = utcnow()
    row = {
        "task_id": str(uuid.uuid4()), "user_id": user_id, "task_name": task_name,
        "queue": "default", "status": status, "progress_percent": 0, "kwargs": {},
        "attempts": 0, "created_at": now, "updated_at": now, **values,
    }
    with get_engine().begin() as conn:
        conn.execute(insert(TaskStatus).values(row))
    return str(row["task_id"])


@dataclass(frozen=True)
class SeededBatch:
    """A batch of two statement items put straight into the database (``seed_batch``)."""

    row_id: int
    batch_id: str
    succeeded: str  # the first item's task: SUCCESS, its statement ``statement_id``
    failed: str  # the second item's: FAILED, retryable
    statement_id: int


def seed_batch(user_id: int, pipeline: str | None, files: Path | None = None) -> SeededBatch:
    """A batch (with ``pipeline``) not finished yet, whose first item SUCCEEDED and second
    FAILED (retryable: "Redis away"); their files written into ``files`` (None: none
    stored, they name paths that do not exist)."""
    engine = get_engine()
    where = Path("/nowhere") if files is None else files
    with engine.begin() as conn:
        row_id, batch_id = batches.create_batch(conn, user_id, pipeline)
        ids = []
        for position in (1, 2):
            kwargs = {"user_id": user_id, "file_path": str(where / f"{position}.pdf"),
                      "file_sha256": f"{position}" * 64}
            if files is not None:
                files.mkdir(parents=True, exist_ok=True)
                (files / f"{position}.pdf").write_bytes(b"%PDF-1.4")
            task_id = record_task(conn, user_id, PARSE_STATEMENT.name, kwargs,
                                  file_path=kwargs["file_path"], batch_id=row_id)
            batches.add_item(conn, row_id, position, f"s{position}.pdf", task_id)
            ids.append(task_id)
    succeeded, failed = ids
    for task_id in ids:
        task_records.mark_processing(engine, task_id, "node@test", 60, 3)
    assert task_records.mark_failed(engine, failed, "Redis away", retryable=True)
    statement_id = seed_statement(user_id, [("2024-03-01", "Coffee", "-3.50")])
    assert task_records.mark_success(engine, succeeded, {"statement_id": statement_id})
    return SeededBatch(row_id, batch_id, succeeded, failed, statement_id)
