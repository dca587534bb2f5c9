"""From raw rows and text lines to a :class:`ParsedStatement`.

Decisions that need the whole statement are taken here, from evidence: the decimal
separator, day-first or month-first dates, the year of dates printed without one, which of
two money columns is money out, and the *polarity* of unsigned amounts (money in on bank
statements, money out on card statements).

Where the print leaves a choice open, the statement is read the way a person checks one:

* **Column sides and polarity.** The reading under which the balances reconcile (opening +
  amounts = closing, every printed running balance chained) wins, trying first what the
  document says (its headers, its card wording), then the debit and credit columns swapped,
  then the other polarity. Swapping the columns and flipping the polarity negate every figure
  alike, so both reconcile together; the swap is tried first because a bank account's
  unsigned balance is money the holder has, and headers written from the other side's books
  ("Debit" for money paid in) are the likelier cause. Last, where one amount column prints one
  side marker only and no minus ("1,500.00 CR" beside an unmarked "386.40"), its unmarked
  figures as the other side. Failing all of those in printed order,
  the same readings bottom up: a statement printed newest first chains each running balance
  to the one printed under it. Its rows are still given in document order. When no reading
  reconciles, the one the document's own words give is kept, and ``balance_check`` says
  ``mismatch``.
* **Date order** (numeric dates that read both ways, every day at most 12): amounts do not
  depend on it, so the dates' own evidence decides: the reading under which the statement
  period is readable, the dates fall inside it and run in printed order, and, failing that,
  lie closest together (a statement covers weeks, not the same day of successive months).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

from ..document_text.dates import looks_like_date, proven_day_first
from ..document_text.layout import Line
from ..document_text.money import PrintedAmount, decimal_tails, parse_amount, uses_decimal_comma
from ..document_text.tables import MINOR_UNITS
from ..errors import InvalidInputError
from .bank_name import bank_slug, find_bank_name
from .columns import AMOUNT, BALANCE, CREDIT, DEBIT
from .currency import find_currency
from .hints import (
    COLUMNS_BY_RECONCILIATION,
    COLUMNS_GUESSED,
    DATE_ORDER_BY_RECONCILIATION,
    DAY_FIRST_GUESSED,
    MONTH_FIRST_GUESSED,
    SIGNS_BY_RECONCILIATION,
    YEAR_ASSUMED,
    YEAR_FROM_PERIOD,
    YEAR_FROM_STATEMENT_DATE,
    ParserHints,
    date_order_misfit,
    decimal_misfit,
    misread_dates_warning,
    pending_rows_warning,
    skipped_rows_warning,
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
from .split import Part, split_statements

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

    def amount(
        self, row: RawRow, polarity: int, swapped: bool = False, unmarked: int | None = None
    ) -> Decimal | None:
        """The row's signed amount (money in positive), or ``None`` if it prints none.

        ``swapped`` reads the debit column as money in and the credit column as money out;
        ``unmarked`` (+1 in, -1 out), where given, is the side of an amount column's figures
        printed without CR/DR, whatever ``polarity`` says of the balances.
        """
        debit, credit, single = self.money(row, DEBIT), self.money(row, CREDIT), self.money(row, AMOUNT)
        if swapped:
            debit, credit = credit, debit
        if debit is None and credit is None:
            if single is None:
                return None
            if single.marker is None and row.section is not None and not self.signs_printed:
                return abs(single.value) * row.section
            if unmarked is not None and single.marker is None:
                return abs(single.value) * unmarked
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

    def entries(
        self, rows: Sequence[RawRow], polarity: int, opening: Decimal | None = None, swapped: bool = False,
        total_lookalikes: bool = False, newest_first: bool = False, unmarked: int | None = None,
    ) -> list[Entry]:
        """Transactions and balance checkpoints in printed order, or in time order for rows
        printed ``newest_first`` (read bottom up: the dates are still read top down, a date
        printed once a day dating the rows under it); totals and empty rows dropped.

        ``opening`` (printed outside the table) starts the running balance that a balance-only
        table's amounts are the changes of. With ``total_lookalikes``, an undated row reading
        as a total whose amount sums no rows above it is a transaction ("TOTAL WINE & MORE" on
        a day's second row, where dates print on a day's first row only): see
        :func:`_reconciled_entries` for when that reading is taken. ``unmarked``: as in
        :meth:`amount`.
        """
        entries: list[Entry] = []
        last_date: date | None = None
        running = opening
        sums = _SumsAbove()
        section = rows[0].section if rows else None
        for row in rows:
            if row.section != section:
                sums.restart()
                section = row.section
            kind = row_kind(row.description_text)
            if kind is RowKind.BALANCE:  # "balance at <date>": which one, its position says
                open_chain = entries and not (
                    isinstance(entries[-1], Checkpoint) and entries[-1].kind in _ENDS
                )
                kind = RowKind.CLOSING if open_chain else RowKind.OPENING
            if kind in _STARTS or kind in _ENDS:
                value = self.balance(row, polarity)
                if value is None:
                    value = self.amount(row, polarity, swapped, unmarked)
                if value is not None:
                    entries.append(Checkpoint(kind, value))
                    running = value
                # A date printed once a day may stand on the balance line (NatWest's "18 DEC 2023
                # BROUGHT FORWARD"): the undated rows under it are of that day.
                if row.date is not None:
                    last_date = row.date.resolve(self.day_first, self.period) or last_date
                continue
            amount, balance = self.amount(row, polarity, swapped, unmarked), self.balance(row, polarity)
            if amount is None and self.balance_only and balance is not None and running is not None:
                amount = balance - running
            when = row.date.resolve(self.day_first, self.period) if row.date else last_date
            # A total prints no date of its own: a dated "TOTAL WINE & MORE" or "TOTAL ACCESS" is a purchase.
            lookalike = total_lookalikes and amount is not None and not sums.adds_up_to(amount)
            if kind is RowKind.TOTAL and row.date is None and not lookalike:
                sums.restart()
                continue
            if amount is None or when is None:
                continue
            sums.add(amount)
            last_date = when
            running = balance if balance is not None else None if running is None else running + amount
            entries.append(ParsedTransaction(when, row.description_text, amount, balance))
        if newest_first:
            entries.reverse()
        return _summary_opening_first(entries)


@dataclass
class _SumsAbove:
    """What a total line can sum: the money in and out of the rows since the last total or
    section heading, and of every row so far (a statement's totals under its sections')."""

    since_in: Decimal = Decimal(0)
    since_out: Decimal = Decimal(0)
    all_in: Decimal = Decimal(0)
    all_out: Decimal = Decimal(0)

    def add(self, amount: Decimal) -> None:
        if amount > 0:
            self.since_in += amount
            self.all_in += amount
        else:
            self.since_out -= amount
            self.all_out -= amount

    def restart(self) -> None:
        self.since_in = self.since_out = Decimal(0)

    def adds_up_to(self, amount: Decimal) -> bool:
        """Whether ``amount`` (either sign) is one of these sums, or their difference."""
        sums = (self.since_in, self.since_out, self.all_in, self.all_out)
        return abs(amount) in {*sums, abs(self.since_in - self.since_out), abs(self.all_in - self.all_out)}


def _summary_opening_first(entries: list[Entry]) -> list[Entry]:
    """An opening balance printed in a summary under the rows opens the statement.

    N26 prints its table first and then "Dein alter Kontostand / Ausgänge / Eingänge / Dein
    neuer Kontostand": where no opening is printed before the first transaction, the one after
    the last transaction is where the chain starts (a new account's opening has rows after it).
    """
    last = max((i for i, entry in enumerate(entries) if isinstance(entry, ParsedTransaction)), default=None)
    if last is None or _starting_checkpoint(entries) is not None:
        return entries
    for index in range(last + 1, len(entries)):
        entry = entries[index]
        if isinstance(entry, Checkpoint) and entry.kind is RowKind.OPENING:
            return [entry, *entries[:index], *entries[index + 1 :]]
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


def _last_running_balance(entries: Sequence[Entry], result: Reconciliation) -> Decimal | None:
    """The balance the statement ends on where it prints no closing balance but its last row in
    time prints a running balance (Santander's Saldo): only when every printed balance chains,
    so that ``entries`` (in time order) tell which row is the last (the first printed, in a
    statement printed newest first)."""
    last = entries[-1] if entries else None
    if result.status != OK or not isinstance(last, ParsedTransaction):
        return None
    return last.balance


def _with_printed_balances(
    entries: list[Entry], printed: dict[RowKind, PrintedAmount], polarity: int
) -> list[Entry]:
    """Add the opening/closing balances printed outside the table when the table has none."""
    if RowKind.OPENING in printed and _starting_checkpoint(entries) is None:
        entries = [Checkpoint(RowKind.OPENING, printed[RowKind.OPENING].signed(polarity)), *entries]
    if RowKind.CLOSING in printed and _ending_checkpoint(entries) is None:
        entries = [*entries, Checkpoint(RowKind.CLOSING, printed[RowKind.CLOSING].signed(polarity))]
    return entries


@dataclass(frozen=True)
class _Reading:
    """One way to read a statement's amounts: which column is money out, what unsigned means."""

    polarity: int  # +1: unsigned amounts and balances are money in / held; -1: out / owed
    swapped: bool = False  # the credit column is money out and the debit column money in
    newest_first: bool = False  # the rows are printed newest first: they chain bottom up
    # The side of the amount column's figures printed without the one marker it prints
    # ("1,500.00 CR" beside "386.40": -1, money out), against the balances' polarity; None: polarity's.
    unmarked: int | None = None


def _unmarked_side(raw_rows: Sequence[RawRow], rows: _RowReader) -> int | None:
    """The side opposite the one marker an amount column prints (-1 where only credits say
    "CR", +1 where only debits say "DR"), where no figure of it prints a minus; else ``None``."""
    printed = [amount for row in raw_rows if (amount := rows.money(row, AMOUNT)) is not None]
    markers = {amount.marker for amount in printed if amount.marker is not None}
    if len(markers) != 1 or any(amount.marker is None and amount.value < 0 for amount in printed):
        return None
    return -1 if markers.pop() == "CR" else 1


def _reconciled_entries(
    raw_rows: Sequence[RawRow], rows: _RowReader, printed: dict[RowKind, PrintedAmount], card: bool
) -> tuple[list[Entry], Reconciliation, _Reading]:
    """The entries under the first reading that reconciles, in the order of the module docstring.

    The document's own reading (headers as printed, card wording's polarity) comes first and is
    kept when none reconciles. The entries are in time order: under a ``newest_first`` reading,
    the printed rows reversed. Undated lines reading as totals are totals; only where no
    reading reconciles so are those whose amount sums no rows above them taken as
    transactions (a "TOTAL WINE & MORE" purchase under a day's first row), each reading again.
    """
    default = -1 if card else 1
    opening = printed.get(RowKind.OPENING)
    two_columns = any(DEBIT in row.money or CREDIT in row.money for row in raw_rows)
    sides = (False, True) if two_columns else (False,)
    # Bottom up differs from top down only where rows print running balances (sums are the same).
    orders = (False, True) if any(BALANCE in row.money for row in raw_rows) else (False,)
    readings = [
        _Reading(polarity, swapped, newest_first)
        for newest_first in orders
        for polarity in (default, -default)
        for swapped in sides
    ]
    # Last, where an amount column marks one side only ("CR" on credits, nothing on debits):
    # its unmarked figures as the other side, the balances as the polarity reads them.
    unmarked = _unmarked_side(raw_rows, rows)
    if unmarked is not None:
        readings += [
            _Reading(polarity, newest_first=newest_first, unmarked=unmarked)
            for newest_first in orders
            for polarity in (default, -default)
            if polarity != unmarked
        ]
    tried = []
    for lookalikes in (False, True):
        for reading in readings:
            start = opening.signed(reading.polarity) if opening is not None else None
            entries = _with_printed_balances(
                rows.entries(
                    raw_rows, reading.polarity, start, reading.swapped, lookalikes, reading.newest_first,
                    reading.unmarked,
                ),
                printed, reading.polarity,
            )
            result = reconcile(entries)
            if result.status == OK:
                return entries, result, reading
            tried.append((entries, result, reading))
    return tried[0]


def _prints_negative_amounts(money_texts: Sequence[str], decimal_comma: bool) -> bool:
    """Whether any amount of the table is printed with a minus sign or in parentheses."""
    amounts = (parse_amount(text, decimal_comma) for text in money_texts)
    return any(amount is not None and amount.marker is None and amount.value < 0 for amount in amounts)


def _date_order(
    rows: Sequence[RawRow], lines: Sequence[Line], american: bool, hints: ParserHints, warnings: list[str]
) -> bool:
    """Day first? The user's hint, else what the dates prove, else what fits the statement best.

    Without proof, both readings are scored by :func:`_date_misfit`; the better one wins (with
    a warning that reconciliation chose it), and on a tie the currency's custom decides (with
    a warning that it is a guess).
    """
    if hints.day_first is not None:
        return hints.day_first
    dates = [*(row.date for row in rows if row.date is not None), *dates_in_text(lines)]
    proven = proven_day_first(dates)
    if proven is not None:
        return proven
    guess = not american
    if all(raw.fixed for raw in dates):  # only numeric dates can be read both ways
        return guess
    as_guessed, other = _date_misfit(rows, lines, guess), _date_misfit(rows, lines, not guess)
    if as_guessed == other:
        warnings.append(MONTH_FIRST_GUESSED if american else DAY_FIRST_GUESSED)
        return guess
    warnings.append(DATE_ORDER_BY_RECONCILIATION)
    return guess if as_guessed < other else not guess


# A transaction may be dated a few days before the period it is billed in (card statements).
_PERIOD_SLACK = timedelta(days=7)


def _date_misfit(rows: Sequence[RawRow], lines: Sequence[Line], day_first: bool) -> tuple[int, int]:
    """How badly the row dates fit the statement when read ``day_first``: (misfits, span in days).

    Misfits: a statement period that cannot be read (counts as every row missing it), dates
    that do not exist, dates outside the period, and steps back in printed order. The span
    from the earliest to the latest date breaks ties: read the other way, the days of one
    month become the same day of successive months.
    """
    period = find_period(lines, day_first)
    anchor = period if period[1] else (None, reference_date(lines, day_first))
    resolved = [row.date.resolve(day_first, anchor) for row in rows if row.date is not None]
    dates = [when for when in resolved if when is not None]
    misfits = len(resolved) - len(dates) + sum(later < earlier for earlier, later in pairwise(dates))
    if period[0] is not None and period[1] is not None:
        start, end = period[0] - _PERIOD_SLACK, period[1] + _PERIOD_SLACK
        misfits += sum(not start <= when <= end for when in dates)
        dates += [period[0], period[1]]
    elif find_period(lines, not day_first)[1] is not None:  # printed, but unreadable this way round
        misfits += len(resolved)
    return misfits, (max(dates) - min(dates)).days if dates else 0


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
    # Transactions not yet settled are not in the period's balance: left out, and said in a
    # warning. A balance or total printed among them is kept: it is no pending item.
    pending = [row for row in reader.rows if row.pending and _is_transaction(row)]
    rows = [row for row in reader.rows if not (row.pending and _is_transaction(row))]
    if pending and not any(_is_transaction(row) for row in rows):
        raise InvalidInputError(
            f"The statement's transaction table has no transactions: its {len(pending)} rows are all "
            "pending (not yet settled), and pending rows are not in the statement's balance."
        )
    lines = reader.text_lines
    warnings: list[str] = []
    money_texts = [text for row in rows for text in row.money.values()]
    bank_name = find_bank_name(lines)
    currency = find_currency(
        reader.header_texts, money_texts, [line.text for line in lines], reader.foreign_notes, bank_name
    )
    decimal_comma = (
        hints.decimal_comma
        if hints.decimal_comma is not None
        else uses_decimal_comma(money_texts, MINOR_UNITS.get(currency or ""))
    )
    american = looks_american(money_texts + [line.text for line in lines])
    day_first = _date_order(rows, lines, american, hints, warnings)
    if hints.date_order is not None:
        _refuse_misfit_hint(rows, hints.date_order, day_first)
    if hints.decimal_comma is not None:
        _refuse_misfit_decimal(money_texts, hints.decimal_comma)
    amount_texts = [text for row in rows for role, text in row.money.items() if role != BALANCE]
    signs_printed = _prints_negative_amounts(amount_texts, decimal_comma)
    card = looks_like_card_statement(lines)
    if pending:
        warnings.append(pending_rows_warning(len(pending), _printed(pending[0])))
    parts = split_statements(rows, lines, day_first, decimal_comma)
    undated = _undated_by_part(reader.undated, parts)
    statements = [
        _statement(
            part.rows, lines if len(parts) == 1 else part.lines, page_count, bank_name,
            _RowReader(decimal_comma, day_first, (None, None), signs_printed, balance_only=not amount_texts),
            card, warnings, reader.sides_guessed,
            _Skipped(undated[index], hints.date_order),
        )
        for index, part in enumerate(parts)
    ]
    statements = [replace(statement, currency=currency) for statement in statements]
    return replace(statements[0], more=tuple(statements[1:]))


@dataclass(frozen=True)
class _Skipped:
    """What a statement's warning about rows left out for their date needs: the date texts of
    the table lines the reader left out (``TableReader.undated``), and the user's date_order."""

    undated: Sequence[str] = ()
    date_order: str | None = None


def _printed(row: RawRow) -> str:
    """A row as a user finds it on the page: its description and amounts (no balance)."""
    amounts = [text for role, text in row.money.items() if role != BALANCE]
    return " ".join([row.description_text, *amounts]).strip()


def _is_transaction(row: RawRow) -> bool:
    return bool(row.money) and row_kind(row.description_text) is RowKind.TRANSACTION


def _refuse_misfit_hint(rows: Sequence[RawRow], date_order: str, day_first: bool) -> None:
    """Fail the statement when the user's date_order hint makes most of its dated rows impossible
    dates that read the other way round ("15/03/2024" as MDY): the hint is wrong, and the rows it
    leaves would be misdated too (day and month swapped).

    Raises:
        InvalidInputError: with a message naming the hint and an example date.
    """
    dated = [row for row in rows if row.date is not None and _is_transaction(row)]
    misread = [
        row for row in dated
        if row.date is not None
        and row.date.resolve(day_first) is None
        and row.date.resolve(not day_first) is not None
    ]
    if len(misread) * 2 > len(dated):
        raise InvalidInputError(date_order_misfit(date_order, len(misread), len(dated), misread[0].date_text))


def _refuse_misfit_decimal(money_texts: Sequence[str], decimal_comma: bool) -> None:
    """Fail the statement when the user's decimal hint is the other mark than most of its
    amounts with two decimals print (``-1.25`` with ``decimal=,``): read by the hint, those
    amounts are not amounts, and the statement would fail without a word about the hint
    ("has no transactions") or, with a few left, be read wrong.

    Raises:
        InvalidInputError: with a message naming the hint and an example amount.
    """
    comma, dot = decimal_tails(money_texts)
    misread = dot if decimal_comma else comma
    if len(misread) * 2 > len(comma) + len(dot):
        raise InvalidInputError(
            decimal_misfit("," if decimal_comma else ".", len(misread), len(comma) + len(dot), misread[0])
        )


def _undated_by_part(undated: Sequence[tuple[int, str]], parts: Sequence[Part]) -> list[list[str]]:
    """The date texts of the skipped table lines that look like dates, given to the statement
    (``parts``) they were printed in: the last one starting at or before them."""
    starts = [part.rows[0].line_index if part.rows else 0 for part in parts]
    by_part: list[list[str]] = [[] for _ in parts]
    for line_index, text in undated:
        if looks_like_date(text):
            by_part[max(bisect_right(starts, line_index) - 1, 0)].append(text)
    return by_part


def _statement(
    raw_rows: Sequence[RawRow], lines: Sequence[Line], page_count: int, bank_name: str | None,
    rows: _RowReader, card: bool, document_warnings: Sequence[str], sides_guessed: bool = False,
    skipped: _Skipped = _Skipped(),
) -> ParsedStatement:
    """One statement of the document, read and reconciled on its own under the document's decisions.

    Transaction rows whose printed date is not a date (read in the document's order) are left
    out, as are the table lines the reader could not date: a warning says how many, with an
    example, so that no row goes missing unnoticed.
    """
    warnings = list(document_warnings)
    period = find_period(lines, rows.day_first)
    rows.period = _year_anchor(raw_rows, lines, period, rows.day_first, warnings)
    unreadable = [*skipped.undated, *(
        row.date_text for row in raw_rows
        if row.date is not None and _is_transaction(row)
        and row.date.resolve(rows.day_first, rows.period) is None
    )]
    if unreadable:
        warnings.append(skipped_rows_warning(len(unreadable), unreadable[0], skipped.date_order))
    misread = [
        row for row in raw_rows
        if row.date_read_as and row.date is not None and _is_transaction(row)
        and row.date.resolve(rows.day_first, rows.period) is not None
    ]
    if misread:
        warnings.append(misread_dates_warning(len(misread), misread[0].date_text, misread[0].date_read_as))
    printed = find_balances(lines, rows.decimal_comma, period, rows.day_first)
    entries, result, reading = _reconciled_entries(raw_rows, rows, printed, card)
    if reading.polarity != (-1 if card else 1) or reading.unmarked is not None:
        warnings.append(SIGNS_BY_RECONCILIATION)
    if reading.swapped or (sides_guessed and result.status == OK):
        warnings.append(COLUMNS_BY_RECONCILIATION)
    elif sides_guessed:
        warnings.append(COLUMNS_GUESSED)
    transactions = tuple(e for e in entries if isinstance(e, ParsedTransaction))
    if reading.newest_first:
        transactions = transactions[::-1]  # document order
    if not transactions:
        raise InvalidInputError("The statement's transaction table has no transactions.")
    opening, closing = _starting_checkpoint(entries), _ending_checkpoint(entries)
    last_balance = None if closing else _last_running_balance(entries, result)
    return ParsedStatement(
        bank_source=bank_slug(bank_name) if bank_name else None,
        account_last4=find_account_last4(lines),
        period_start=period[0],
        period_end=period[1],
        opening_balance=opening.value if opening else None,
        closing_balance=closing.value if closing else last_balance,
        balance_check=result.status,
        balance_mismatch_rows=result.mismatch_rows,
        page_count=page_count,
        transactions=transactions,
        bank_name=bank_name,
        warnings=tuple(warnings),
        closing_from_last_row=last_balance is not None,
    )
