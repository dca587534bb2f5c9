"""Transaction exports: CSV, OFX 2, QIF and JSON, written as a stream of text chunks.

Rows come from the database through a server-side cursor (:func:`stream_export_rows`)
and each writer turns them into text piece by piece, so memory stays flat whatever the
export's size. The writers take any iterable of :class:`ExportRow`, which keeps them
testable without a database.

Formats, and what their importers need:

* **CSV**: a header row, amounts as plain decimal strings, UTF-8. Text cells that a
  spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or
  a carriage return) are prefixed with ``'`` so that it shows them as text.
  ``category_source`` follows ``category``: ``rule``, ``manual`` or empty (see
  :class:`backend.models.CategorySource`), so that a user reconciling the books can tell
  their own picks from the rules'.
* **OFX**: version 2.2 (XML), every element built and validated by ``ofxtools``; one
  ``STMTTRNRS`` per statement with ``BANKACCTFROM`` (the account number masked to its
  last four digits), ``DTSTART``/``DTEND``, one ``STMTTRN`` per transaction with a
  ``FITID`` that stays the same across exports (importers skip what they already have
  by it), and ``LEDGERBAL`` (the statement's closing balance). OFX has no category
  field, so neither the category nor who set it is written.
* **QIF**: ``!Type:Bank`` with ``D``, ``T``, ``P``, ``L`` and ``^``. Dates are ISO
  ``YYYY-MM-DD``: the four-digit year first rules out day-month-year and
  month-day-year; GnuCash (qif-parse.scm) still weighs year-day-month, settles it from
  any day past the 12th, and asks only when every day in the file is 1-12. ``L`` holds
  the category alone: QIF has no standard field for who set it, so it is not written
  (a made-up field or a suffix in ``L`` would break or mislead importers).
* **JSON**: ``{"transactions": [...]}``, money as strings as everywhere in the API;
  ``category_source`` as in the API's transactions (``"rule"``, ``"manual"`` or null).
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from enum import StrEnum
from itertools import groupby
from typing import Any

from ofxtools.header import make_header
from ofxtools.models import (
    BANKACCTFROM,
    BANKTRANLIST,
    FI,
    LEDGERBAL,
    SIGNONMSGSRSV1,
    SONRS,
    STATUS,
    STMTRS,
    STMTTRN,
    STMTTRNRS,
)
from sqlalchemy import Connection, Select, func, select

from backend.config import get_settings
from backend.models import Statement, Transaction
from backend.services.report_data import FETCH_SIZE, ReportScope

OFX_VERSION = 220
# Rows written per chunk handed to the HTTP response (a few hundred KB at most).
ROWS_PER_CHUNK = 500
# OFX field sizes (ofxtools enforces them): NAME holds 32 characters, MEMO 255, ORG 32.
OFX_NAME_LENGTH, OFX_MEMO_LENGTH, OFX_ORG_LENGTH = 32, 255, 32
# A bank id is required in BANKACCTFROM; statements do not show a routing number.
OFX_UNKNOWN_BANK_ID = "000000000"
# Dates are posted at noon UTC: the same calendar day in every time zone from -11 to +11,
# where an importer converting midnight UTC to local time would show the day before.
POSTING_TIME = time(12, 0, tzinfo=UTC)

CSV_COLUMNS = (
    "id", "statement_id", "date", "description", "amount", "balance", "category", "category_source",
)
# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 cannot carry, even escaped: control characters but tab, LF and CR.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_LINE_BREAKS = re.compile(r"[\r\n]+")


class ExportFormat(StrEnum):
    """The file formats a user can export transactions in."""

    CSV = "csv"
    OFX = "ofx"
    QIF = "qif"
    JSON = "json"

    @property
    def media_type(self) -> str:
        return _MEDIA_TYPES[self]


_MEDIA_TYPES = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.OFX: "application/x-ofx",
    ExportFormat.QIF: "application/x-qif",
    ExportFormat.JSON: "application/json",
}


@dataclass(frozen=True)
class ExportScope(ReportScope):
    """Which of a user's transactions an export holds: a report's bounds, plus a category."""

    category: str | None = None

    def query(self, *columns: Any) -> Select[Any]:
        query = super().query(*columns)
        if self.category is not None:
            query = query.where(Transaction.category == self.category)
        return query


@dataclass(frozen=True)
class ExportRow:
    """One transaction as the writers see it; ``amount`` < 0 is money out."""

    id: int
    statement_id: int
    position: int
    date: date
    description: str
    amount: Decimal
    balance: Decimal | None
    category: str | None
    # Who set the category: a CategorySource value as stored (None: nobody). ``manual``
    # with no category is a category cleared by hand.
    category_source: str | None


@dataclass(frozen=True)
class OfxAccount:
    """What the OFX writer needs about the statement a group of transactions came from."""

    statement_id: int
    file_sha256: str
    bank_name: str | None
    account_last4: str | None
    start: date
    end: date
    closing_balance: Decimal | None
    # The statement's ISO 4217 currency; None (unknown): OFX_CURRENCY is written instead.
    currency: str | None = None


def stream_export_rows(conn: Connection, scope: ExportScope) -> Iterator[ExportRow]:
    """The scope's transactions by statement, in printed order, via a server-side cursor.

    The query runs now (a database outage raises here, before anything is written);
    the rows are fetched as the returned iterator is read.
    """
    query = scope.query(
        Transaction.id,
        Transaction.statement_id,
        Transaction.position,
        Transaction.date,
        Transaction.description,
        Transaction.amount,
        Transaction.balance,
        Transaction.category,
        Transaction.category_source,
    ).order_by(Transaction.statement_id, Transaction.position)
    result = conn.execution_options(stream_results=True, yield_per=FETCH_SIZE).execute(query)
    return (ExportRow(*row) for row in result)


def ofx_accounts(conn: Connection, scope: ExportScope) -> dict[int, OfxAccount]:
    """The statements the scope's transactions come from, keyed by id (one grouped query).

    DTSTART/DTEND are the statement's period, narrowed to the scope's dates; when the
    statement shows no period, the first and last dates of its exported transactions.
    """
    spans = (
        scope.query(Transaction.statement_id, func.min(Transaction.date), func.max(Transaction.date))
        .group_by(Transaction.statement_id)
        .subquery()
    )
    rows = conn.execute(
        select(
            Statement.id,
            Statement.file_sha256,
            # The bank's name as printed, else its slug: the OFX's FI ORG.
            func.coalesce(Statement.bank_name, Statement.bank_source),
            Statement.account_last4,
            Statement.period_start,
            Statement.period_end,
            Statement.closing_balance,
            Statement.currency,
            spans.c[1],
            spans.c[2],
        ).join(spans, spans.c.statement_id == Statement.id)
    )
    accounts = {}
    for id_, sha, bank, last4, period_start, period_end, closing, currency, first, last in rows:
        start = max(filter(None, (period_start or first, scope.date_from)))
        end = min(filter(None, (period_end or last, scope.date_to)))
        accounts[id_] = OfxAccount(id_, sha, bank, last4, start, end, closing, currency)
    return accounts


def write_csv(rows: Iterable[ExportRow]) -> Iterator[str]:
    """A header row, then one row per transaction; text cells are formula-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    yield _drain(buffer)
    for batch in _batches(rows):
        for row in batch:
            writer.writerow(
                (
                    row.id,
                    row.statement_id,
                    row.date.isoformat(),
                    formula_safe(row.description),
                    _money(row.amount),
                    _money(row.balance),
                    formula_safe(row.category or ""),
                    # Only ever rule or manual, but every text cell goes the same way.
                    formula_safe(row.category_source or ""),
                )
            )
        yield _drain(buffer)


def formula_safe(text: str) -> str:
    """``text`` as a spreadsheet shows it: a leading ``'`` stops it being run as a formula."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def write_json(rows: Iterable[ExportRow]) -> Iterator[str]:
    """``{"transactions": [...]}`` with each transaction's API id; money as strings."""
    yield '{"transactions": ['
    separator = "\n"
    for batch in _batches(rows):
        parts = []
        for row in batch:
            item = {
                "id": row.id,
                "statement_id": row.statement_id,
                "date": row.date.isoformat(),
                "description": row.description,
                "amount": _money(row.amount),
                "balance": _money(row.balance) if row.balance is not None else None,
                "category": row.category,
                "category_source": row.category_source,
            }
            parts.append(separator + json.dumps(item, ensure_ascii=False))
            separator = ",\n"
        yield "".join(parts)
    yield "\n]}\n"


def write_qif(rows: Iterable[ExportRow]) -> Iterator[str]:
    """``!Type:Bank`` records: D (ISO date), T (amount), P (payee), L (category), ^."""
    yield "!Type:Bank\n"
    for batch in _batches(rows):
        parts = []
        for row in batch:
            parts.append(f"D{row.date.isoformat()}\nT{_money(row.amount)}\nP{_one_line(row.description)}\n")
            if row.category:
                parts.append(f"L{_one_line(row.category)}\n")
            parts.append("^\n")
        yield "".join(parts)


def write_ofx(rows: Iterable[ExportRow], accounts: Mapping[int, OfxAccount], now: datetime) -> Iterator[str]:
    """An OFX 2.2 bank statement response, one STMTTRNRS per statement in ``rows``.

    ``accounts`` describes every statement that ``rows`` (ordered by statement) come from;
    ``now`` is the server time written in the sign-on response.
    """
    yield str(make_header(version=OFX_VERSION))
    first_bank = next((account.bank_name for account in accounts.values() if account.bank_name), None)
    signon = SIGNONMSGSRSV1(
        sonrs=SONRS(
            status=_ofx_ok(),
            dtserver=now,
            language="ENG",
            fi=FI(org=_xml_text(first_bank or "Ledgerflow")[:OFX_ORG_LENGTH]),
        )
    )
    yield "<OFX>" + _xml(signon)
    opened = False
    for statement_id, group in groupby(rows, key=lambda row: row.statement_id):
        if not opened:
            yield "<BANKMSGSRSV1>"
            opened = True
        head, tail = _ofx_statement_envelope(accounts[statement_id])
        yield head
        for batch in _batches(group):
            yield "".join(_xml(_ofx_transaction(row, accounts[statement_id])) for row in batch)
        yield tail
    if opened:
        yield "</BANKMSGSRSV1>"
    yield "</OFX>\n"


def masked_account_id(account_last4: str | None) -> str:
    """The OFX ACCTID of a statement: its last four digits behind a mask."""
    return f"XXXX{account_last4}" if account_last4 else "XXXXUNKNOWN"


def fitid(account: OfxAccount, position: int) -> str:
    """A transaction's OFX FITID: its file's hash and its place in it, the same in every export."""
    return f"{account.file_sha256[:16]}-{position}"


def _ofx_statement_envelope(account: OfxAccount) -> tuple[str, str]:
    """The XML before and after a statement's STMTTRN elements."""
    statement = STMTRS(
        # OFX needs one: the statement's own, else the configured default.
        curdef=account.currency or get_settings().ofx_currency,
        bankacctfrom=BANKACCTFROM(
            bankid=OFX_UNKNOWN_BANK_ID,
            acctid=masked_account_id(account.account_last4),
            accttype="CHECKING",
        ),
        banktranlist=BANKTRANLIST(dtstart=_posted(account.start), dtend=_posted(account.end)),
        # LEDGERBAL is required; a statement whose closing balance was not found says 0.
        ledgerbal=LEDGERBAL(
            balamt=account.closing_balance if account.closing_balance is not None else Decimal("0.00"),
            dtasof=_posted(account.end),
        ),
    )
    envelope = _xml(STMTTRNRS(trnuid=str(account.statement_id), status=_ofx_ok(), stmtrs=statement))
    # The transactions go at the end of BANKTRANLIST, after DTSTART and DTEND.
    head, closing, tail = envelope.partition("</BANKTRANLIST>")
    return head, closing + tail


def _ofx_transaction(row: ExportRow, account: OfxAccount) -> STMTTRN:
    description = _xml_text(row.description)
    memo = description[:OFX_MEMO_LENGTH] if len(description) > OFX_NAME_LENGTH else None
    return STMTTRN(
        trntype="CREDIT" if row.amount > 0 else "DEBIT" if row.amount < 0 else "OTHER",
        dtposted=_posted(row.date),
        trnamt=row.amount,
        fitid=fitid(account, row.position),
        # NAME holds 32 characters: the whole description goes to MEMO when longer.
        name=description[:OFX_NAME_LENGTH],
        memo=memo,
    )


def _ofx_ok() -> STATUS:
    return STATUS(code=0, severity="INFO")


def _xml(aggregate: Any) -> str:
    # encoding="unicode" writes characters as they are (the header declares UTF-8);
    # the default would write numeric references, which OFX readers do not all resolve.
    return ET.tostring(aggregate.to_etree(), encoding="unicode")


def _xml_text(text: str) -> str:
    # libofx (GnuCash's reader) drops line breaks inside an element: make them spaces.
    return _one_line(_NOT_XML.sub(" ", text))


def _posted(day: date) -> datetime:
    return datetime.combine(day, POSTING_TIME)


def _one_line(text: str) -> str:
    return _LINE_BREAKS.sub(" ", text)


def _money(amount: Decimal | None) -> str:
    return "" if amount is None else f"{amount:f}"


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def _batches(rows: Iterable[ExportRow]) -> Iterator[list[ExportRow]]:
    batch: list[ExportRow] = []
    for row in rows:
        batch.append(row)
        if len(batch) == ROWS_PER_CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


Writer = Callable[[Iterable[ExportRow]], Iterator[str]]
# The writers that need nothing but the rows (OFX also needs the statements' accounts).
ROW_WRITERS: dict[ExportFormat, Writer] = {
    ExportFormat.CSV: write_csv,
    ExportFormat.QIF: write_qif,
    ExportFormat.JSON: write_json,
}


def export_transactions(
    conn: Connection, scope: ExportScope, export_format: ExportFormat, now: datetime
) -> Iterator[str]:
    """The scope's transactions in ``export_format``, as text chunks read from ``conn``.

    The queries run before this returns; the chunks are written as they are read.
    """
    rows = stream_export_rows(conn, scope)
    if export_format is ExportFormat.OFX:
        return write_ofx(rows, ofx_accounts(conn, scope), now)
    return ROW_WRITERS[export_format](rows)
