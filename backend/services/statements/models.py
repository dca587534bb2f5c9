"""The parser's results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class ParsedTransaction:
    """One transaction row."""

    date: date
    description: str  # wrapped lines joined with one space
    amount: Decimal  # negative = money out, positive = money in
    balance: Decimal | None  # the running balance printed on the row; None if not printed


@dataclass(frozen=True)
class ParsedStatement:
    """A whole statement: its details, its transactions and whether they add up.

    ``bank_name`` is the bank's name as printed ("Deutsche Kreditbank"); ``bank_source`` a
    stable slug of it. ``warnings`` says, in words a user understands, where the parser
    guessed (date order, year, sign convention) rather than read. ``currency`` is the ISO 4217
    code of its amounts when the document shows it (``statements.currency``), else ``None``.
    A PDF that prints several statements (each with its own account or period and balances)
    is read as this one, the first, with the others in ``more``, in document order, each
    reconciled on its own. ``closing_from_last_row`` says the closing balance is not printed
    as one but is the last row's running balance (Santander prints its end balance only
    there), read so only when every printed balance chains (``balance_check`` ``ok``).
    """

    bank_source: str | None
    account_last4: str | None  # only the last 4 digits of the account number
    period_start: date | None
    period_end: date | None
    opening_balance: Decimal | None
    closing_balance: Decimal | None
    balance_check: str  # "ok" | "mismatch" | "unavailable"
    balance_mismatch_rows: int
    page_count: int
    transactions: tuple[ParsedTransaction, ...]
    bank_name: str | None = None
    currency: str | None = None
    warnings: tuple[str, ...] = ()
    more: tuple[ParsedStatement, ...] = ()
    closing_from_last_row: bool = False

    @property
    def statements(self) -> tuple[ParsedStatement, ...]:
        """Every statement of the document, in document order: this one, then ``more``."""
        return (self, *self.more)
