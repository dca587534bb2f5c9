"""Put statements, transactions and task rows straight into the test database."""

from __future__ import annotations

import hashlib
import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import Engine, insert

from backend.db import get_engine
from backend.models import TaskStatus, User, Webhook, utcnow
from backend.services import webhooks
from backend.services.statement_store import save_statement
from backend.services.statements import ParsedStatement, ParsedTransaction


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
