"""Saving parsed statements: all of a statement's transactions at once, never twice.

A file is imported once per user, read with the parser hints of its upload, which its
statements record. The same file sent again with the same hints gets those statements
back; with other hints it is refused (:class:`ImportedWithOtherHints`) until the user
deletes them (:func:`delete_statement`): reading it again beside them would duplicate
every transaction, and replacing them would lose what the user did with them meanwhile
(categories, reports, batches naming their ids).

A statement is imported once per user whatever file carries it: the same statement
downloaded again (other bytes: the PDF's creation date, its ids) has the same
:func:`content_fingerprint`, unique per user, and is not saved again; the task's result
points at the statement already imported and says so in its warnings.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, String, delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import InstrumentedAttribute, Session

from backend.models import CategorySource, Statement, Transaction, unstorable_money, utcnow
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


FINGERPRINT_VERSION = "ledgerflow-statement-v1"  # changes only with what defines "the same"


def _money(value: Decimal | None) -> str | None:
    """A canonical amount: "12.5", "12.50" and "12.500" are one amount, "-0" is "0"."""
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return "0" if text in {"-0", "0"} else text


def content_fingerprint(parsed: ParsedStatement) -> str | None:
    """The SHA-256 of what makes this statement the statement it is, or None when it prints
    nothing to tell it from another (no transaction and no period).

    It covers the account (last 4 digits), the period, the opening and closing balances and
    the transactions in printed order, each as (date, amount, description); not the bank's
    name, the page count, the parser's warnings or the upload's hints, which a re-download or
    a newer parser may read differently. Amounts are compared as numbers ("12.50" = "12.5"),
    descriptions with their runs of white space made one space (text extraction may space a
    re-rendered file differently); letters keep their case. A closing balance that is only
    the last row's running balance (``closing_from_last_row``) counts as none: statements
    imported before the parser read it have none, and a re-download of one must match it.
    See docs/architecture.md.
    """
    if not parsed.transactions and parsed.period_start is None and parsed.period_end is None:
        return None
    content = {
        "v": FINGERPRINT_VERSION,
        "account_last4": parsed.account_last4,
        "period": [_text(parsed.period_start), _text(parsed.period_end)],
        "balances": [
            _money(parsed.opening_balance),
            None if parsed.closing_from_last_row else _money(parsed.closing_balance),
        ],
        "transactions": [
            [row.date.isoformat(), _money(row.amount), " ".join(row.description.split())]
            for row in parsed.transactions
        ],
    }
    encoded = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode()).hexdigest()


ALREADY_IMPORTED = "already imported as statement {id} (same account, period and transactions)"


@dataclass(frozen=True)
class SavedDocument:
    """What saving a document did: ``ids``, each of its statements' id in document order
    (new, or the one the user had imported already), and ``known_parts``, the places (in
    ``ids``) of the statements imported before from another file, or printed twice in this
    one: nothing was added for them."""

    ids: list[int]
    known_parts: list[int] = field(default_factory=list)

    @property
    def first(self) -> int:
        """The first statement's id: the one the result describes."""
        return self.ids[0]

    @property
    def known(self) -> list[int]:
        """The ids of the statements there already, in document order."""
        return [self.ids[part] for part in self.known_parts]

    def warnings(self) -> list[str]:
        """The result's words for the statements that were there already."""
        if self.known_parts == [0] and len(self.ids) == 1:
            return [f"This statement was {ALREADY_IMPORTED.format(id=self.ids[0])}; nothing was added"]
        return [
            f"Statement {part + 1} of {len(self.ids)} in this file was "
            f"{ALREADY_IMPORTED.format(id=self.ids[part])}; nothing was added for it"
            for part in self.known_parts
        ]


def save_statement(
    conn: Connection, user_id: int, file_sha256: str, parsed: ParsedStatement,
    hints: dict[str, str] | None = None, filename: str | None = None,
) -> SavedDocument:
    """Insert every statement of the document the user does not have yet, read with the
    upload's ``hints`` (none when not given), and their transactions, in the caller's
    transaction. ``filename``, the name the file was uploaded as, is recorded with the
    statements inserted (one imported before keeps the name it came with).

    Each transaction is saved with the category the user's saved rules give it, marked
    as the rules' (as the bulk categorization would), so a fresh statement needs no
    UPDATE afterwards.
    Two keys keep an import single, even concurrently (``INSERT … ON CONFLICT DO NOTHING``
    waits for a racing insert's commit): (user, file hash, part), the same file again (an
    upload sent twice, a task redelivered after a crash), which gives that file's
    statements back (or ImportedWithOtherHints when they were read with other hints); and
    (user, :func:`content_fingerprint`), the same statement from another file, which is
    skipped and named in ``known_parts``.
    """
    record = {} if hints is None else hints
    _check_amounts_fit(parsed)
    ids: list[int] = []
    known_parts: list[int] = []
    for part, statement in enumerate(parsed.statements):
        fingerprint = content_fingerprint(statement)
        statement_id = _save_part(
            conn, user_id, file_sha256, part, statement, record, fingerprint, filename
        )
        if statement_id is not None:
            ids.append(statement_id)
            continue
        same_file = conn.execute(
            select(Statement.id, Statement.parser_hints).where(
                Statement.user_id == user_id, Statement.file_sha256 == file_sha256,
                Statement.part == part,
            )
        ).first()
        if same_file is not None:  # this file imported already: that statement, if same hints
            recorded = same_file.parser_hints
            if (recorded if recorded is not None else {}) != record:
                raise ImportedWithOtherHints(
                    statement_ids(conn, user_id, file_sha256), recorded, record
                )
            ids.append(int(same_file.id))
            continue
        same = conn.scalar(
            select(Statement.id).where(
                Statement.user_id == user_id, Statement.content_sha256 == fingerprint
            )
        )
        if same is None:  # neither key conflicted: only a bug gets here
            raise RuntimeError(f"statement {part} of {file_sha256} neither inserted nor found")
        known_parts.append(len(ids))
        ids.append(int(same))
    return SavedDocument(ids, known_parts)


def _check_amounts_fit(parsed: ParsedStatement) -> None:
    """InvalidInputError, naming the row, for an amount a ``Money`` column would not give
    back as read (``models.unstorable_money``: past MONEY_EXACT_MAX, the limit of rule
    bounds too, SQLite's double rounds thousandths; a fourth decimal both round): the
    file's problem, said before anything is written, not a number quietly changed."""
    several = len(parsed.statements) > 1
    for part, statement in enumerate(parsed.statements, start=1):
        where = f"Statement {part} of the file: " if several else ""
        amounts = [("the opening balance", statement.opening_balance),
                   ("the closing balance", statement.closing_balance)]
        for row, line in enumerate(statement.transactions, start=1):
            place = f"row {row} ({line.date.isoformat()}, {_shortened(line.description, 60)!r})"
            amounts += [(f"the amount of {place}", line.amount),
                        (f"the balance of {place}", line.balance)]
        for name, value in amounts:
            problem = None if value is None else unstorable_money(value)
            if problem is not None:
                said = f"{where}{name} is {value:,f}, {problem}: the statement was not imported"
                raise InvalidInputError(said[0].upper() + said[1:])


# Ends a text shortened to fit its column, so that it reads as shortened.
ELLIPSIS = "…"


def _length(column: InstrumentedAttribute[str | None]) -> int | None:
    """The number of characters a ``String(n)`` column holds (None: any)."""
    kind = column.type
    return kind.length if isinstance(kind, String) else None


def _fitted(
    column: InstrumentedAttribute[str | None], text: str | None, mark: str = ELLIPSIS
) -> str | None:
    """``text`` cut to what ``column`` holds, ending in ``mark`` when cut (PostgreSQL
    refuses a longer value as an error; SQLite would keep it)."""
    limit = _length(column)
    return text if text is None or limit is None else _shortened(text, limit, mark)


def _shortened(text: str, limit: int, mark: str = ELLIPSIS) -> str:
    """``text`` in at most ``limit`` characters, ending in ``mark`` when cut."""
    return text if len(text) <= limit else text[: limit - len(mark)].rstrip() + mark


def _printed_text(parsed: ParsedStatement) -> dict[str, Any]:
    """The statement's columns of text as the document prints it, of any length, fitted
    to theirs: the bank's name shortened (a warning says so), its slug cut plainly (it
    stays ``[a-z0-9_]``). A long name does not make the statement unreadable, so it is
    imported, not refused (unlike an amount, ``_check_amounts_fit``). The transactions'
    descriptions are ``Text``: any length fits."""
    name = _fitted(Statement.bank_name, parsed.bank_name)
    warnings = list(parsed.warnings)
    if name != parsed.bank_name:
        warnings.append(
            f"The bank's name printed on the statement is longer than "
            f"{_length(Statement.bank_name)} characters; it is kept shortened"
        )
    return {
        "bank_name": name,
        "bank_source": _fitted(Statement.bank_source, parsed.bank_source, mark=""),
        "currency": parsed.currency,
        "warnings": warnings,
    }


def require_statement(conn: Connection, user_id: int, statement_id: int, work: str) -> None:
    """InvalidInputError unless the user still has the statement that ``work`` ("this
    report") names: the API checked it when the work was submitted, but the user may have
    deleted it while the work waited, and work on nothing is no success (an empty report
    every week from a schedule that names it)."""
    found = conn.scalar(
        select(Statement.id).where(Statement.id == statement_id, Statement.user_id == user_id)
    )
    if found is None:
        raise InvalidInputError(
            f"Statement {statement_id} was deleted after {work} was requested, so there is "
            f"nothing to work on; a schedule that names it needs another statement_id"
        )


def delete_statement(conn: Connection, statement_id: int) -> None:
    """Delete a statement and its transactions, in the caller's transaction. Nothing else
    refers to a statement: task results, batches and reports made from it keep its id as
    a record of what they did; work waiting to run on it fails (:func:`require_statement`)."""
    conn.execute(delete(Transaction).where(Transaction.statement_id == statement_id))
    conn.execute(delete(Statement).where(Statement.id == statement_id))


def _save_part(
    conn: Connection, user_id: int, file_sha256: str, part: int, parsed: ParsedStatement,
    hints: dict[str, str], fingerprint: str | None, filename: str | None = None,
) -> int | None:
    """Insert one statement of the document and its transactions; ``None`` if either key
    says it exists."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement_id = conn.scalar(
        dialect.insert(Statement)
        .values(
            user_id=user_id,
            file_sha256=file_sha256,
            part=part,
            filename=_fitted(Statement.filename, filename or None),
            **_printed_text(parsed),
            parser_hints=hints,
            content_sha256=fingerprint,
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
        .on_conflict_do_nothing()  # either unique key: the caller tells which
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


def imported_summary(conn: Connection, saved: SavedDocument) -> dict[str, Any]:
    """:func:`statement_summary` of the document's first statement, read in ``conn``'s
    transaction: the one that saved or found it. Read after that transaction, a statement
    its owner deleted meanwhile was not there, and the task that imported it failed."""
    with Session(bind=conn) as session:
        return statement_summary(session.get_one(Statement, saved.first), saved)


def statement_summary(statement: Statement, saved: SavedDocument) -> dict[str, Any]:
    """The task result for an imported document: its first ``statement`` (money as strings,
    dates ISO), ``statement_ids``, every statement the PDF prints, in document order, and
    ``already_imported``, those of them the user had imported before from another file
    (its ``warnings`` say so after the statement's own)."""
    return {
        "statement_id": statement.id,
        "statement_ids": saved.ids,
        "already_imported": saved.known,
        "transaction_count": statement.transaction_count,
        "bank_name": statement.bank_name,
        "bank_source": statement.bank_source,
        "currency": statement.currency,
        "account_last4": statement.account_last4,
        "period_start": _text(statement.period_start),
        "period_end": _text(statement.period_end),
        "opening_balance": _text(statement.opening_balance),
        "closing_balance": _text(statement.closing_balance),
        "balance_check": statement.balance_check,
        "balance_mismatch_rows": statement.balance_mismatch_rows,
        "warnings": [*statement.warnings, *saved.warnings()],
        "parser_hints": statement.parser_hints,
    }
