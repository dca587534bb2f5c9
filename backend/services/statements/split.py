"""Several statements printed in one PDF: where one ends and the next begins.

A bank's PDF may hold two accounts' statements, or one account's statements for two periods,
one after the other, each with its own header (account number, period) and balances. The
rows are cut between two consecutive rows where the text lines printed between them name an
account number or a period other than the one the current statement prints: a page header
repeating the same account and period cuts nothing. A ledger per party (one a page, no account
number or period printed) is cut where an opening-balance row follows transactions without
carrying on from them: its balance is not the one the row before it ended on (a statement that
repeats its balance at the top of each page cuts nothing). Each part is then reconciled on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..document_text.layout import Line
from ..document_text.money import parse_amount
from .columns import BALANCE, MONEY_ROLES
from .keywords import RowKind, row_kind
from .metadata import find_account_last4, find_period
from .rows import RawRow


@dataclass(frozen=True)
class Part:
    """One statement's rows and the text lines printed with them (its header, its summary)."""

    rows: list[RawRow]
    lines: list[Line]


def _identity(lines: Sequence[Line], day_first: bool) -> tuple[str | None, tuple[date, date] | None]:
    """The account number (last 4) and period these lines print, each ``None`` if not printed."""
    start, end = find_period(lines, day_first)
    return find_account_last4(lines), (start, end) if start and end else None


def _differs(current: object, new: object) -> bool:
    """Both printed and not the same (something not printed cuts nothing)."""
    return current is not None and new is not None and current != new


def _boundary(lines: Sequence[Line], start: int, end: int) -> int:
    """Where the next statement's lines start among ``lines[start:end]``: on the next page if
    they run onto one (what was printed under the last row, such as a summary box or a footer,
    stays with its statement), else right after the last row."""
    for index in range(start, end):
        if lines[index].page > lines[start].page:
            return index
    return start


def _printed_balance(row: RawRow, decimal_comma: bool) -> Decimal | None:
    """The balance a row prints (a balance row without a balance column: its one figure)."""
    roles = (BALANCE,) if BALANCE in row.money else MONEY_ROLES
    texts = [row.money[role] for role in roles if role in row.money]
    amount = parse_amount(texts[0], decimal_comma) if len(texts) == 1 else None
    return amount.signed(1) if amount is not None else None


def _opens_anew(previous: RawRow, row: RawRow, decimal_comma: bool) -> bool:
    """Whether ``row`` is an opening balance other than the balance ``previous`` ended on."""
    if row_kind(row.description_text) is not RowKind.OPENING:
        return False
    ended, opening = _printed_balance(previous, decimal_comma), _printed_balance(row, decimal_comma)
    return ended is not None and opening is not None and ended != opening


def split_statements(
    rows: Sequence[RawRow], lines: Sequence[Line], day_first: bool, decimal_comma: bool = False
) -> list[Part]:
    """Cut ``rows`` and the text ``lines`` into statements, in document order."""
    cuts: list[tuple[int, int]] = []  # (row index, line index) where a statement starts
    part_start_line = 0
    has_transaction = False
    for index, row in enumerate(rows):
        if has_transaction:
            previous = rows[index - 1]
            between = lines[previous.line_index : row.line_index]
            if _opens_anew(previous, row, decimal_comma):
                part_start_line = _boundary(lines, previous.line_index, row.line_index)
                cuts.append((index, part_start_line))
                has_transaction = False
            elif between:
                new_account, new_period = _identity(between, day_first)
                # Lines naming neither cut nothing: the statement's own identity, read from all
                # its lines so far, is only read when they name one (reading it between every
                # two rows cost a statement's lines times its rows).
                if new_account is not None or new_period is not None:
                    account, period = _identity(lines[part_start_line : previous.line_index], day_first)
                    if _differs(account, new_account) or _differs(period, new_period):
                        part_start_line = _boundary(lines, previous.line_index, row.line_index)
                        cuts.append((index, part_start_line))
                        has_transaction = False
        has_transaction = has_transaction or row_kind(row.description_text) is RowKind.TRANSACTION
    bounds = [(0, 0), *cuts, (len(rows), len(lines))]
    parts: list[Part] = []
    for (row_a, line_a), (row_b, line_b) in zip(bounds, bounds[1:], strict=False):
        part = Part(list(rows[row_a:row_b]), list(lines[line_a:line_b]))
        if parts and not any(row_kind(row.description_text) is RowKind.TRANSACTION for row in part.rows):
            parts[-1].rows.extend(part.rows)  # only balance rows after the cut: not a statement
            parts[-1].lines.extend(part.lines)
        else:
            parts.append(part)
    return parts
