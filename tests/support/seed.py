"""Put statements and transactions straight into the test database (for workloads that read them)."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

from backend.db import get_engine
from backend.services.statement_store import save_statement
from backend.services.statements import ParsedStatement, ParsedTransaction


def seed_statement(user_id: int, rows: list[tuple[str, str, str]]) -> int:
    """Save a statement of (ISO date, description, amount) rows for ``user_id``; returns its id."""
    transactions = tuple(
        ParsedTransaction(date.fromisoformat(day), text, Decimal(amount), None)
        for day, text, amount in rows
    )
    parsed = ParsedStatement(
        bank_source="Seed Bank", account_last4="0001", period_start=None, period_end=None,
        opening_balance=None, closing_balance=None, balance_check="unavailable",
        balance_mismatch_rows=0, page_count=1, transactions=transactions,
    )
    digest = hashlib.sha256(repr((user_id, rows)).encode()).hexdigest()
    with get_engine().begin() as conn:
        return save_statement(conn, user_id, digest, parsed)
