"""The balance check of the statement parser."""

from datetime import date
from decimal import Decimal

from backend.services.statements.keywords import RowKind
from backend.services.statements.models import ParsedTransaction
from backend.services.statements.reconcile import Checkpoint, Reconciliation, reconcile

DAY = date(2024, 1, 2)


def tx(amount: str, balance: str | None = None) -> ParsedTransaction:
    return ParsedTransaction(DAY, "x", Decimal(amount), Decimal(balance) if balance is not None else None)


def point(kind: RowKind, value: str) -> Checkpoint:
    return Checkpoint(kind, Decimal(value))


def test_opening_plus_amounts_equals_closing_without_running_balance() -> None:
    entries = [point(RowKind.OPENING, "100"), tx("-30"), tx("5.50"), point(RowKind.CLOSING, "75.50")]
    assert reconcile(entries) == Reconciliation("ok", 0)


def test_closing_that_does_not_add_up_is_one_row() -> None:
    entries = [point(RowKind.OPENING, "100"), tx("-30"), tx("5.50"), point(RowKind.CLOSING, "75.00")]
    assert reconcile(entries) == Reconciliation("mismatch", 1)


def test_running_balances_checked_and_resynchronised() -> None:
    entries = [
        point(RowKind.OPENING, "100"),
        tx("-10", "90"),
        tx("-10", "85"),
        tx("-10", "75"),
        tx("-5", None),
        tx("-5", "65"),
        point(RowKind.CLOSING, "65"),
    ]
    assert reconcile(entries) == Reconciliation("mismatch", 1)  # only the drifting row breaks


def test_running_balances_without_opening_still_compare() -> None:
    assert reconcile([tx("-10", "90"), tx("-10", "80")]) == Reconciliation("ok", 0)
    assert reconcile([tx("-10", "90"), tx("-10", "81")]) == Reconciliation("mismatch", 1)


def test_nothing_to_compare_is_unavailable() -> None:
    assert reconcile([tx("-10"), tx("5")]) == Reconciliation("unavailable", 0)
    assert reconcile([tx("-10"), point(RowKind.CLOSING, "5")]) == Reconciliation("unavailable", 0)
    assert reconcile([point(RowKind.OPENING, "1"), tx("-10")]) == Reconciliation("unavailable", 0)


def test_brought_and_carried_forward_checked() -> None:
    entries = [
        point(RowKind.BROUGHT_FORWARD, "100"),
        tx("-10", "90"),
        point(RowKind.CARRIED_FORWARD, "90"),
        point(RowKind.BROUGHT_FORWARD, "90"),
        tx("10", "100"),
        point(RowKind.CARRIED_FORWARD, "100"),
    ]
    assert reconcile(entries) == Reconciliation("ok", 0)
    entries[3] = point(RowKind.BROUGHT_FORWARD, "95")
    assert reconcile(entries) == Reconciliation("mismatch", 2)  # the b/f row and the row after it


def test_a_second_opening_balance_starts_a_new_chain() -> None:
    entries = [
        point(RowKind.OPENING, "100"),
        tx("-100", "0"),
        point(RowKind.OPENING, "500"),
        tx("-50", "450"),
    ]
    assert reconcile(entries) == Reconciliation("ok", 0)


def test_closing_ends_the_chain_until_the_next_balance() -> None:
    """A second account printed after the first one's closing, without an opening of its own."""
    entries = [
        point(RowKind.OPENING, "100"),
        tx("-30"),
        point(RowKind.CLOSING, "70"),
        tx("500"),
        tx("-100"),
        point(RowKind.CLOSING, "400"),
    ]
    assert reconcile(entries) == Reconciliation("ok", 0)
