"""Saving parsed statements: all of a statement's transactions at once, never twice."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from backend.models import Statement, Transaction, utcnow
from backend.services.categorization import categorize_lines, load_rules

if TYPE_CHECKING:  # the parser (pdfplumber) is only loaded by the tasks that parse
    from backend.services.statements import ParsedStatement


def statement_ids(conn: Connection, user_id: int, file_sha256: str) -> list[int]:
    """The ids of the statements this user already imported from this file, in document order
    (one per statement the PDF prints; empty if none)."""
    return list(
        conn.scalars(
            select(Statement.id)
            .where(Statement.user_id == user_id, Statement.file_sha256 == file_sha256)
            .order_by(Statement.part)
        )
    )


def existing_statement_id(conn: Connection, user_id: int, file_sha256: str) -> int | None:
    """The id of the (first) statement this user already imported from this file, if any."""
    ids = statement_ids(conn, user_id, file_sha256)
    return ids[0] if ids else None


def save_statement(
    conn: Connection, user_id: int, file_sha256: str, parsed: ParsedStatement
) -> int:
    """Insert every statement of the document and their transactions in the caller's
    transaction; returns the first one's id (:func:`statement_ids` gives them all).

    Each transaction is saved with the category the user's saved rules give it (as
    the bulk categorization would), so a fresh statement needs no UPDATE afterwards.
    The (user, file hash, part) triple is unique: when the same file was already imported
    (an upload sent twice, or a task redelivered after a crash, even concurrently),
    the existing statement's id is returned and nothing is inserted (the parts are
    inserted in one transaction, so the first one's conflict means all exist).
    """
    first = _save_part(conn, user_id, file_sha256, 0, parsed)
    if first is None:  # imported already (the conflict): that statement's id
        existing = existing_statement_id(conn, user_id, file_sha256)
        assert existing is not None  # noqa: S101 (the unique key just said it exists)
        return existing
    for part, statement in enumerate(parsed.more, start=1):
        _save_part(conn, user_id, file_sha256, part, statement)
    return first


def _save_part(
    conn: Connection, user_id: int, file_sha256: str, part: int, parsed: ParsedStatement
) -> int | None:
    """Insert one statement of the document and its transactions; ``None`` if it exists."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement_id = conn.scalar(
        dialect.insert(Statement)
        .values(
            user_id=user_id,
            file_sha256=file_sha256,
            part=part,
            bank_name=parsed.bank_name,
            bank_source=parsed.bank_source,
            warnings=list(parsed.warnings),
            account_last4=parsed.account_last4,
            period_start=parsed.period_start,
            period_end=parsed.period_end,
            opening_balance=parsed.opening_balance,
            closing_balance=parsed.closing_balance,
            balance_check=parsed.balance_check,
            balance_mismatch_rows=parsed.balance_mismatch_rows,
            transaction_count=len(parsed.transactions),
            page_count=parsed.page_count,
            created_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["user_id", "file_sha256", "part"])
        .returning(Statement.id)
    )
    if statement_id is None:
        return None
    if parsed.transactions:
        categories = categorize_lines(
            load_rules(conn, user_id),
            [(row.description, row.amount) for row in parsed.transactions],
        )
        conn.execute(
            insert(Transaction),
            [
                {
                    "statement_id": statement_id,
                    "user_id": user_id,
                    "position": position,
                    "date": row.date,
                    "description": row.description,
                    "amount": row.amount,
                    "balance": row.balance,
                    "category": category,
                }
                for position, (row, category) in enumerate(
                    zip(parsed.transactions, categories, strict=True)
                )
            ],
        )
    return int(statement_id)


def _text(value: Any) -> str | None:
    """Decimals and dates as JSON strings ("-12.50", "2024-03-31")."""
    return None if value is None else str(value)


def statement_summary(statement: Statement, all_ids: list[int]) -> dict[str, Any]:
    """The task result for an imported document: its first ``statement`` (money as strings,
    dates ISO) and ``statement_ids``, every statement the PDF prints, in document order."""
    return {
        "statement_id": statement.id,
        "statement_ids": all_ids,
        "transaction_count": statement.transaction_count,
        "bank_name": statement.bank_name,
        "bank_source": statement.bank_source,
        "account_last4": statement.account_last4,
        "period_start": _text(statement.period_start),
        "period_end": _text(statement.period_end),
        "opening_balance": _text(statement.opening_balance),
        "closing_balance": _text(statement.closing_balance),
        "balance_check": statement.balance_check,
        "balance_mismatch_rows": statement.balance_mismatch_rows,
        "warnings": statement.warnings,
    }
