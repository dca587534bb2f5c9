"""Saving parsed statements: all of a statement's transactions at once, never twice.

A file is imported once per user, read with the parser hints of its upload, which its
statements record. The same file sent again with the same hints gets those statements
back; with other hints it is refused (:class:`ImportedWithOtherHints`) until the user
deletes them (:func:`delete_statement`): reading it again beside them would duplicate
every transaction, and replacing them would lose what the user did with them meanwhile
(categories, reports, batches naming their ids).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from backend.models import CategorySource, Statement, Transaction, utcnow
from backend.services.categorization import categorize_lines, load_rules
from backend.services.errors import InvalidInputError
from backend.services.statements.hints import describe_hints

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


class ImportedWithOtherHints(InvalidInputError):
    """The file was imported already, read with other parser hints than this upload's."""

    def __init__(
        self, ids: Sequence[int], recorded: dict[str, str] | None, requested: dict[str, str]
    ) -> None:
        self.statement_ids = list(ids)
        which = (
            f"statement {ids[0]}" if len(ids) == 1 else f"statements {', '.join(map(str, ids))}"
        )
        paths = " and ".join(f"DELETE /statements/{statement_id}" for statement_id in ids)
        super().__init__(
            f"This file was already imported as {which}, read with {describe_hints(recorded)}; "
            f"this upload gives {describe_hints(requested)}. A statement is not read again "
            f"with other hints beside itself (its transactions would be there twice): "
            f"{paths} to import it again with these."
        )


def existing_statement_id(
    conn: Connection, user_id: int, file_sha256: str, hints: dict[str, str] | None = None
) -> int | None:
    """The id of the (first) statement this user already imported from this file, if any.

    With ``hints`` (the upload's :func:`~backend.services.statements.hints.hint_record`),
    statements read with other ones are refused: ImportedWithOtherHints. A statement
    imported before hints were recorded matches an upload without any.
    """
    rows = conn.execute(
        select(Statement.id, Statement.parser_hints)
        .where(Statement.user_id == user_id, Statement.file_sha256 == file_sha256)
        .order_by(Statement.part)
    ).all()
    if not rows:
        return None
    recorded = rows[0].parser_hints
    if hints is not None and (recorded if recorded is not None else {}) != hints:
        raise ImportedWithOtherHints([row.id for row in rows], recorded, hints)
    return int(rows[0].id)


def save_statement(
    conn: Connection, user_id: int, file_sha256: str, parsed: ParsedStatement,
    hints: dict[str, str] | None = None,
) -> int:
    """Insert every statement of the document, read with the upload's ``hints`` (none when
    not given), and their
    transactions in the caller's transaction; returns the first one's id
    (:func:`statement_ids` gives them all).

    Each transaction is saved with the category the user's saved rules give it, marked
    as the rules' (as the bulk categorization would), so a fresh statement needs no
    UPDATE afterwards.
    The (user, file hash, part) triple is unique: when the same file was already imported
    (an upload sent twice, or a task redelivered after a crash, even concurrently),
    the existing statement's id is returned and nothing is inserted (the parts are
    inserted in one transaction, so the first one's conflict means all exist), or
    ImportedWithOtherHints when it was read with other hints.
    """
    record = {} if hints is None else hints
    first = _save_part(conn, user_id, file_sha256, 0, parsed, record)
    if first is None:  # imported already (the conflict): that statement's id
        existing = existing_statement_id(conn, user_id, file_sha256, record)
        assert existing is not None  # noqa: S101 (the unique key just said it exists)
        return existing
    for part, statement in enumerate(parsed.more, start=1):
        _save_part(conn, user_id, file_sha256, part, statement, record)
    return first


def delete_statement(conn: Connection, statement_id: int) -> None:
    """Delete a statement and its transactions, in the caller's transaction. Nothing else
    refers to a statement: task results, batches and reports made from it keep its id as
    a record of what they did."""
    conn.execute(delete(Transaction).where(Transaction.statement_id == statement_id))
    conn.execute(delete(Statement).where(Statement.id == statement_id))


def _save_part(
    conn: Connection, user_id: int, file_sha256: str, part: int, parsed: ParsedStatement,
    hints: dict[str, str],
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
            parser_hints=hints,
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
                    "category_source": None if category is None else CategorySource.RULE.value,
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
        "parser_hints": statement.parser_hints,
    }
