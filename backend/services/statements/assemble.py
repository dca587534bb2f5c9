"""From raw rows and text lines to a :class:`ParsedStatement`.

Decisions that need the whole statement are taken here, from evidence: the decimal
separator, day-first or month-first dates, the year of dates printed without one, and the
*polarity* of unsigned amounts (money in on bank statements, money out on card statements;
the polarity under which the balances reconcile wins, the card-statement wording decides
otherwise).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from ..errors import InvalidInputError
from .amounts import PrintedAmount, parse_amount, uses_decimal_comma
from .columns import AMOUNT, BALANCE, CREDIT, DEBIT
from .dates import day_first_from_evidence
from .keywords import RowKind, row_kind
from .metadata import (
    dates_in_text,
    find_account_last4,
    find_balances,
    find_bank,
    find_period,
    looks_american,
    looks_like_card_statement,
    reference_date,
)
from .models import ParsedStatement, ParsedTransaction
from .reconcile import OK, Checkpoint, Reconciliation, reconcile
from .rows import RawRow, TableReader

Entry = ParsedTransaction | Checkpoint
_CHECKPOINTS = (RowKind.OPENING, RowKind.BROUGHT_FORWARD, RowKind.CARRIED_FORWARD, RowKind.CLOSING)


class _RowReader:
    """Reads the amounts and dates of raw rows under one set of statement-wide decisions."""

    def __init__(self, decimal_comma: bool, day_first: bool, period: tuple[date | None, date | None]) -> None:
        self.decimal_comma = decimal_comma
        self.day_first = day_first
        self.period = period

    def money(self, row: RawRow, role: str) -> PrintedAmount | None:
        text = row.money.get(role)
        return parse_amount(text, self.decimal_comma) if text else None

    def amount(self, row: RawRow, polarity: int) -> Decimal | None:
        """The row's signed amount (money in positive), or ``None`` if it prints none."""
        debit, credit, single = self.money(row, DEBIT), self.money(row, CREDIT), self.money(row, AMOUNT)
        if debit is None and credit is None:
            if single is None:
                return None
            if single.marker is None and row.section is not None:
                return abs(single.value) * row.section
            return single.signed(polarity)
        total = Decimal(0)
        if credit is not None:
            total += credit.signed(1) if credit.marker else abs(credit.value)
        if debit is not None:
            total += debit.signed(1) if debit.marker else -abs(debit.value)
        return total

    def balance(self, row: RawRow, polarity: int) -> Decimal | None:
        printed = self.money(row, BALANCE)
        return printed.signed(polarity) if printed is not None else None

    def entries(self, rows: Sequence[RawRow], polarity: int) -> list[Entry]:
        """Transactions and balance checkpoints in printed order; totals and empty rows dropped."""
        entries: list[Entry] = []
        last_date: date | None = None
        for row in rows:
            kind = row_kind(row.description_text)
            if kind in _CHECKPOINTS:
                value = self.balance(row, polarity)
                if value is None:
                    value = self.amount(row, polarity)
                if value is not None:
                    entries.append(Checkpoint(kind, value))
                continue
            amount = self.amount(row, polarity)
            when = row.date.resolve(self.day_first, self.period) if row.date else last_date
            if kind is RowKind.TOTAL or amount is None or when is None:
                continue
            last_date = when
            entries.append(ParsedTransaction(when, row.description_text, amount, self.balance(row, polarity)))
        return entries


def _with_printed_balances(
    entries: list[Entry], printed: dict[RowKind, PrintedAmount], polarity: int
) -> list[Entry]:
    """Add the opening/closing balances printed outside the table when the table has none."""
    kinds = {e.kind for e in entries if isinstance(e, Checkpoint)}
    if RowKind.OPENING in printed and not kinds & {RowKind.OPENING, RowKind.BROUGHT_FORWARD}:
        entries = [Checkpoint(RowKind.OPENING, printed[RowKind.OPENING].signed(polarity)), *entries]
    if RowKind.CLOSING in printed and RowKind.CLOSING not in kinds:
        entries = [*entries, Checkpoint(RowKind.CLOSING, printed[RowKind.CLOSING].signed(polarity))]
    return entries


def _opening_and_closing(entries: Sequence[Entry]) -> tuple[Decimal | None, Decimal | None]:
    checkpoints = [e for e in entries if isinstance(e, Checkpoint)]
    opening = next((c.value for c in checkpoints if c.kind in (RowKind.OPENING, RowKind.BROUGHT_FORWARD)), None)
    closing = next((c.value for c in reversed(checkpoints) if c.kind is RowKind.CLOSING), None)
    if closing is None and checkpoints and checkpoints[-1] is entries[-1] and checkpoints[-1].kind is RowKind.CARRIED_FORWARD:
        closing = checkpoints[-1].value
    return opening, closing


def assemble(reader: TableReader, page_count: int) -> ParsedStatement:
    """Build the statement from everything ``reader`` collected.

    Raises:
        InvalidInputError: no transaction table, or a table without transactions.
    """
    if not reader.rows:
        raise InvalidInputError("No transaction table was found in this statement.")
    lines = reader.text_lines
    money_texts = [text for row in reader.rows for text in row.money.values()]
    decimal_comma = uses_decimal_comma(money_texts)
    row_dates = [row.date for row in reader.rows if row.date is not None]
    american = looks_american(money_texts + [t.line.text for t in lines[:60]])
    day_first = day_first_from_evidence(row_dates + [raw for _, raw in dates_in_text(lines)], american)
    period = find_period(lines, day_first)
    year_anchor = period if period[1] else (None, reference_date(lines, day_first))
    rows = _RowReader(decimal_comma, day_first, year_anchor)
    printed = find_balances(lines, decimal_comma)

    default = -1 if looks_like_card_statement(lines) else 1
    best: tuple[list[Entry], Reconciliation] | None = None
    for polarity in (default, -default):
        entries = _with_printed_balances(rows.entries(reader.rows, polarity), printed, polarity)
        result = reconcile(entries)
        if best is None or result.status == OK:
            best = (entries, result)
        if result.status == OK:
            break
    entries, result = best
    transactions = tuple(e for e in entries if isinstance(e, ParsedTransaction))
    if not transactions:
        raise InvalidInputError("The statement's transaction table has no transactions.")
    opening, closing = _opening_and_closing(entries)
    return ParsedStatement(
        bank_source=find_bank(lines),
        account_last4=find_account_last4(lines),
        period_start=period[0],
        period_end=period[1],
        opening_balance=opening,
        closing_balance=closing,
        balance_check=result.status,
        balance_mismatch_rows=result.mismatch_rows,
        page_count=page_count,
        transactions=transactions,
    )
