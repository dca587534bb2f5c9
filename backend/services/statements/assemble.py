"""From raw rows and text lines to a :class:`ParsedStatement`.

Decisions that need the whole statement are taken here, from evidence: the decimal
separator, day-first or month-first dates, the year of dates printed without one, and the
*polarity* of unsigned amounts (money in on bank statements, money out on card statements;
the polarity under which the balances reconcile wins, the card-statement wording decides
otherwise).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal

from ..document_text.dates import RawDate, proven_day_first
from ..document_text.layout import Line
from ..document_text.money import PrintedAmount, parse_amount, uses_decimal_comma
from ..errors import InvalidInputError
from .bank_name import bank_slug, find_bank_name
from .columns import AMOUNT, BALANCE, CREDIT, DEBIT
from .hints import (
    DAY_FIRST_GUESSED,
    MONTH_FIRST_GUESSED,
    SIGNS_BY_RECONCILIATION,
    YEAR_ASSUMED,
    YEAR_FROM_PERIOD,
    YEAR_FROM_STATEMENT_DATE,
    ParserHints,
)
from .keywords import RowKind, row_kind
from .metadata import (
    dates_in_text,
    find_account_last4,
    find_balances,
    find_period,
    looks_american,
    looks_like_card_statement,
    reference_date,
)
from .models import ParsedStatement, ParsedTransaction
from .reconcile import OK, Checkpoint, Reconciliation, reconcile
from .rows import RawRow, TableReader
from .split import split_statements

Entry = ParsedTransaction | Checkpoint
_STARTS = (RowKind.OPENING, RowKind.BROUGHT_FORWARD)
_ENDS = (RowKind.CLOSING, RowKind.CARRIED_FORWARD)


class _RowReader:
    """Reads the amounts and dates of raw rows under one set of statement-wide decisions."""

    def __init__(
        self,
        decimal_comma: bool,
        day_first: bool,
        period: tuple[date | None, date | None],
        signs_printed: bool = False,
        balance_only: bool = False,
    ) -> None:
        self.decimal_comma = decimal_comma
        self.day_first = day_first
        self.period = period
        # Section headings ("Deposits", "Other debits") sign unsigned amounts; where the
        # document prints signs itself, the printed signs win.
        self.signs_printed = signs_printed
        # A table printing a running balance and no amounts: each amount is the balance's change.
        self.balance_only = balance_only

    def money(self, row: RawRow, role: str) -> PrintedAmount | None:
        text = row.money.get(role)
        return parse_amount(text, self.decimal_comma) if text else None

    def amount(self, row: RawRow, polarity: int) -> Decimal | None:
        """The row's signed amount (money in positive), or ``None`` if it prints none."""
        debit, credit, single = self.money(row, DEBIT), self.money(row, CREDIT), self.money(row, AMOUNT)
        if debit is None and credit is None:
            if single is None:
                return None
            if single.marker is None and row.section is not None and not self.signs_printed:
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

    def entries(self, rows: Sequence[RawRow], polarity: int, opening: Decimal | None = None) -> list[Entry]:
        """Transactions and balance checkpoints in printed order; totals and empty rows dropped.

        ``opening`` (printed outside the table) starts the running balance that a balance-only
        table's amounts are the changes of.
        """
        entries: list[Entry] = []
        last_date: date | None = None
        running = opening
        for row in rows:
            kind = row_kind(row.description_text)
            if kind is RowKind.BALANCE:  # "balance at <date>": which one, its position says
                open_chain = entries and not (
                    isinstance(entries[-1], Checkpoint) and entries[-1].kind in _ENDS
                )
                kind = RowKind.CLOSING if open_chain else RowKind.OPENING
            if kind in _STARTS or kind in _ENDS:
                value = self.balance(row, polarity)
                if value is None:
                    value = self.amount(row, polarity)
                if value is not None:
                    entries.append(Checkpoint(kind, value))
                    running = value
                continue
            amount, balance = self.amount(row, polarity), self.balance(row, polarity)
            if amount is None and self.balance_only and balance is not None and running is not None:
                amount = balance - running
            when = row.date.resolve(self.day_first, self.period) if row.date else last_date
            if kind is RowKind.TOTAL or amount is None or when is None:
                continue
            last_date = when
            running = balance if balance is not None else None if running is None else running + amount
            entries.append(ParsedTransaction(when, row.description_text, amount, balance))
        return entries


def _starting_checkpoint(entries: Sequence[Entry]) -> Checkpoint | None:
    """The opening / brought-forward row printed before the first transaction, if any."""
    for entry in entries:
        if isinstance(entry, ParsedTransaction):
            return None
        if entry.kind in _STARTS:
            return entry
    return None


def _ending_checkpoint(entries: Sequence[Entry]) -> Checkpoint | None:
    """The closing / carried-forward row printed after the last transaction, if any."""
    last = entries[-1] if entries else None
    return last if isinstance(last, Checkpoint) and last.kind in _ENDS else None


def _with_printed_balances(
    entries: list[Entry], printed: dict[RowKind, PrintedAmount], polarity: int
) -> list[Entry]:
    """Add the opening/closing balances printed outside the table when the table has none."""
    if RowKind.OPENING in printed and _starting_checkpoint(entries) is None:
        entries = [Checkpoint(RowKind.OPENING, printed[RowKind.OPENING].signed(polarity)), *entries]
    if RowKind.CLOSING in printed and _ending_checkpoint(entries) is None:
        entries = [*entries, Checkpoint(RowKind.CLOSING, printed[RowKind.CLOSING].signed(polarity))]
    return entries


def _reconciled_entries(
    raw_rows: Sequence[RawRow], rows: _RowReader, printed: dict[RowKind, PrintedAmount], card: bool
) -> tuple[list[Entry], Reconciliation, bool]:
    """The entries under the polarity that reconciles: card wording picks the first one tried.

    The last item says whether reconciliation overruled the wording.
    """
    default = -1 if card else 1
    opening = printed.get(RowKind.OPENING)

    def read(polarity: int) -> list[Entry]:
        start = opening.signed(polarity) if opening is not None else None
        return _with_printed_balances(rows.entries(raw_rows, polarity, start), printed, polarity)

    entries = read(default)
    result = reconcile(entries)
    if result.status != OK:
        other = read(-default)
        other_result = reconcile(other)
        if other_result.status == OK:
            return other, other_result, True
    return entries, result, False


def _prints_negative_amounts(money_texts: Sequence[str], decimal_comma: bool) -> bool:
    """Whether any amount of the table is printed with a minus sign or in parentheses."""
    amounts = (parse_amount(text, decimal_comma) for text in money_texts)
    return any(amount is not None and amount.marker is None and amount.value < 0 for amount in amounts)


def _date_order(dates: Sequence[RawDate], american: bool, hints: ParserHints, warnings: list[str]) -> bool:
    """Day first? The user's hint, else what the dates prove, else a guess (with a warning)."""
    if hints.day_first is not None:
        return hints.day_first
    proven = proven_day_first(dates)
    if proven is not None:
        return proven
    if any(not raw.fixed for raw in dates):  # only numeric dates can be read both ways
        warnings.append(MONTH_FIRST_GUESSED if american else DAY_FIRST_GUESSED)
    return not american


def _year_anchor(
    rows: Sequence[RawRow], lines: Sequence[Line], period: tuple[date | None, date | None], day_first: bool,
    warnings: list[str],
) -> tuple[date | None, date | None]:
    """What dates printed without a year are placed near: the period, else the statement date."""
    anchor = period if period[1] else (None, reference_date(lines, day_first))
    if any(row.date is not None and row.date.year is None for row in rows):
        if period[1]:
            warnings.append(YEAR_FROM_PERIOD)
        else:
            warnings.append(YEAR_FROM_STATEMENT_DATE if anchor[1] else YEAR_ASSUMED)
    return anchor


_NO_HINTS = ParserHints()


def assemble(reader: TableReader, page_count: int, hints: ParserHints = _NO_HINTS) -> ParsedStatement:
    """Build the statement from everything ``reader`` collected, ``hints`` overriding guesses.

    Raises:
        InvalidInputError: no transaction table, or a table without transactions.
    """
    if not reader.rows:
        if reader.found_table:
            raise InvalidInputError("The statement's transaction table has no transactions.")
        raise InvalidInputError("No transaction table was found in this statement.")
    lines = reader.text_lines
    warnings: list[str] = []
    money_texts = [text for row in reader.rows for text in row.money.values()]
    decimal_comma = (
        hints.decimal_comma if hints.decimal_comma is not None else uses_decimal_comma(money_texts)
    )
    row_dates = [row.date for row in reader.rows if row.date is not None]
    american = looks_american(money_texts + [line.text for line in lines])
    day_first = _date_order([*row_dates, *dates_in_text(lines)], american, hints, warnings)
    amount_texts = [text for row in reader.rows for role, text in row.money.items() if role != BALANCE]
    signs_printed = _prints_negative_amounts(amount_texts, decimal_comma)
    card = looks_like_card_statement(lines)
    bank_name = find_bank_name(lines)
    parts = split_statements(reader.rows, lines, day_first)
    statements = [
        _statement(
            part.rows, lines if len(parts) == 1 else part.lines, page_count, bank_name,
            _RowReader(decimal_comma, day_first, (None, None), signs_printed, balance_only=not amount_texts),
            card, warnings,
        )
        for part in parts
    ]
    return replace(statements[0], more=tuple(statements[1:]))


def _statement(
    raw_rows: Sequence[RawRow], lines: Sequence[Line], page_count: int, bank_name: str | None,
    rows: _RowReader, card: bool, document_warnings: Sequence[str],
) -> ParsedStatement:
    """One statement of the document, read and reconciled on its own under the document's decisions."""
    warnings = list(document_warnings)
    period = find_period(lines, rows.day_first)
    rows.period = _year_anchor(raw_rows, lines, period, rows.day_first, warnings)
    printed = find_balances(lines, rows.decimal_comma)
    entries, result, overruled = _reconciled_entries(raw_rows, rows, printed, card)
    if overruled:
        warnings.append(SIGNS_BY_RECONCILIATION)
    transactions = tuple(e for e in entries if isinstance(e, ParsedTransaction))
    if not transactions:
        raise InvalidInputError("The statement's transaction table has no transactions.")
    opening, closing = _starting_checkpoint(entries), _ending_checkpoint(entries)
    return ParsedStatement(
        bank_source=bank_slug(bank_name) if bank_name else None,
        account_last4=find_account_last4(lines),
        period_start=period[0],
        period_end=period[1],
        opening_balance=opening.value if opening else None,
        closing_balance=closing.value if closing else None,
        balance_check=result.status,
        balance_mismatch_rows=result.mismatch_rows,
        page_count=page_count,
        transactions=transactions,
        bank_name=bank_name,
        warnings=tuple(warnings),
    )
