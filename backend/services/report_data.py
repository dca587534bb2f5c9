"""The transactions a report covers, streamed from the database in date order."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Select, func, select

from backend.models import Statement, Transaction

# Rows fetched per round trip by the server-side cursor: big enough to be cheap,
# small enough that memory stays flat whatever the report's size.
FETCH_SIZE = 5_000


@dataclass(frozen=True)
class ReportScope:
    """Which of a user's transactions a report covers (every bound optional)."""

    user_id: int
    statement_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    # Several statements (a batch's); None: no bound.
    statement_ids: tuple[int, ...] | None = None

    def query(self, *columns: Any) -> Select[Any]:
        filters = [Transaction.user_id == self.user_id]
        if self.statement_id is not None:
            filters.append(Transaction.statement_id == self.statement_id)
        if self.statement_ids is not None:
            filters.append(Transaction.statement_id.in_(self.statement_ids))
        if self.date_from is not None:
            filters.append(Transaction.date >= self.date_from)
        if self.date_to is not None:
            filters.append(Transaction.date <= self.date_to)
        return select(*columns).where(*filters)


def count_rows(conn: Connection, scope: ReportScope) -> int:
    """How many transactions the report will hold."""
    return conn.scalar(scope.query(func.count())) or 0


def stream_rows(
    conn: Connection, scope: ReportScope
) -> Iterator[tuple[date, str, Decimal, str | None, str | None, str | None]]:
    """(date, description, amount, category, category_source, currency) rows, oldest first,
    via a server-side cursor; ``currency`` is the statement's (ISO 4217, None: unknown)."""
    query = (
        scope.query(
            Transaction.date, Transaction.description, Transaction.amount, Transaction.category,
            Transaction.category_source, Statement.currency,
        )
        .join(Statement, Statement.id == Transaction.statement_id)
        .order_by(Transaction.date, Transaction.id)
    )
    # Rows unpack like tuples; converting each one would cost more than the query.
    result = conn.execution_options(stream_results=True, yield_per=FETCH_SIZE).execute(query)
    yield from result.tuples()  # typing only: no per-row work
