"""Checking that a statement's transactions add up.

The rule
--------
The statement is read as a sequence of *entries* in printed order: transactions and
*checkpoints* (balance rows: opening, brought forward, carried forward, closing).
A running balance starts unknown and:

* an ``OPENING`` checkpoint sets it (it starts a chain: a statement, or a new account /
  ledger printed in the same file; nothing is compared);
* a ``BROUGHT_FORWARD``, ``CARRIED_FORWARD`` or ``CLOSING`` checkpoint is compared with it
  when it is known (a difference is one mismatched row), then sets it (so a first
  "brought forward" row acts as the opening balance); a ``CLOSING`` one then ends the
  chain: rows after it (a second account without a printed opening balance) are not
  compared until a balance starts a new chain;
* a transaction adds its amount when the balance is known; if the row prints a running
  balance, that balance is compared with it when known (a difference is one mismatched
  row), then the balance is re-synchronised to the printed value, so one wrong row is
  counted once rather than breaking every row after it.

``"unavailable"`` (0 rows) when not a single comparison was possible (no opening balance
and no printed running balance, or nothing to compare it with); otherwise ``"mismatch"``
with the number of mismatched rows, or ``"ok"``. This checks
``opening + sum(amounts) == closing`` as well as every printed running balance, and a
statement that prints no running balance can still be ``"ok"``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .keywords import RowKind
from .models import ParsedTransaction

OK, MISMATCH, UNAVAILABLE = "ok", "mismatch", "unavailable"


@dataclass(frozen=True)
class Checkpoint:
    """A balance row: ``kind`` is OPENING, BROUGHT_FORWARD, CARRIED_FORWARD or CLOSING."""

    kind: RowKind
    value: Decimal


@dataclass(frozen=True)
class Reconciliation:
    """The outcome of :func:`reconcile`."""

    status: str
    mismatch_rows: int


def reconcile(entries: Iterable[ParsedTransaction | Checkpoint]) -> Reconciliation:
    """Check ``entries`` (in printed order) by the rule in this module's docstring."""
    running: Decimal | None = None
    comparisons = mismatches = 0

    def compare(printed: Decimal) -> None:
        nonlocal comparisons, mismatches
        if running is not None:
            comparisons += 1
            mismatches += printed != running

    for entry in entries:
        if isinstance(entry, Checkpoint):
            if entry.kind is not RowKind.OPENING:
                compare(entry.value)
            running = None if entry.kind is RowKind.CLOSING else entry.value
            continue
        if running is not None:
            running += entry.amount
        if entry.balance is not None:
            compare(entry.balance)
            running = entry.balance
    if comparisons == 0:
        return Reconciliation(UNAVAILABLE, 0)
    return Reconciliation(MISMATCH if mismatches else OK, mismatches)
