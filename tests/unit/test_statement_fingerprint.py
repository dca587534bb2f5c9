"""What makes two parsed statements "the same statement" (statement_store.content_fingerprint):
a re-download always matches, two different statements never do."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from backend.services.statement_store import SavedDocument, content_fingerprint
from backend.services.statements import parse_statement
from backend.services.statements.models import ParsedStatement, ParsedTransaction
from tests.support.statement_pdfs import LAYOUTS, redownloaded, write_bundle


def _statement(**changes: object) -> ParsedStatement:
    rows = (
        ParsedTransaction(date(2024, 3, 1), "COFFEE SHOP", Decimal("-3.20"), Decimal("96.80")),
        ParsedTransaction(date(2024, 3, 2), "SALARY MARCH", Decimal("2500.00"), Decimal("2596.80")),
        ParsedTransaction(date(2024, 3, 2), "RENT", Decimal("-900.00"), Decimal("1696.80")),
    )
    base = ParsedStatement(
        bank_source="northgate", account_last4="1234", period_start=date(2024, 3, 1),
        period_end=date(2024, 3, 31), opening_balance=Decimal("100.00"),
        closing_balance=Decimal("1696.80"), balance_check="ok", balance_mismatch_rows=0,
        page_count=2, transactions=rows, bank_name="Northgate Bank",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def _rows(statement: ParsedStatement) -> list[ParsedTransaction]:
    return list(statement.transactions)


def test_the_same_content_has_the_same_fingerprint_whatever_the_reading_details() -> None:
    statement = _statement()
    fingerprint = content_fingerprint(statement)
    assert fingerprint is not None and len(fingerprint) == 64
    # What a re-download or a newer parser may read differently is not part of it.
    assert content_fingerprint(
        _statement(bank_name=None, bank_source=None, page_count=3, warnings=("year inferred",),
                   balance_check="unavailable", balance_mismatch_rows=1)
    ) == fingerprint
    # The running balance printed on a row is not part of it either (the amounts are).
    rows = [replace(row, balance=None) for row in _rows(statement)]
    assert content_fingerprint(_statement(transactions=tuple(rows))) == fingerprint


def test_a_closing_balance_read_off_the_last_row_keeps_the_fingerprint_it_had_without_one() -> None:
    """A statement printing its end balance only as the last row's running balance (Santander)
    was imported with no closing balance before the parser read that one: a re-download of it
    must still be that statement, so such a closing balance is left out, as it was."""
    rows = _rows(_statement())
    without = content_fingerprint(_statement(closing_balance=None))
    read_off = _statement(closing_balance=rows[-1].balance, closing_from_last_row=True)
    assert content_fingerprint(read_off) == without
    # a printed closing balance is part of it, as before
    assert content_fingerprint(_statement(closing_balance=rows[-1].balance)) != without


def test_amounts_are_numbers_and_descriptions_keep_their_case_but_not_their_spacing() -> None:
    fingerprint = content_fingerprint(_statement())
    rows = _rows(_statement())
    rows[0] = replace(rows[0], amount=Decimal("-3.2"), description="  COFFEE \n SHOP ")
    rows[1] = replace(rows[1], amount=Decimal("2500"))
    assert content_fingerprint(_statement(transactions=tuple(rows))) == fingerprint
    rows[0] = replace(rows[0], description="Coffee Shop")
    assert content_fingerprint(_statement(transactions=tuple(rows))) != fingerprint


def test_any_difference_in_what_the_statement_says_is_another_statement() -> None:
    fingerprint = content_fingerprint(_statement())
    rows = _rows(_statement())
    others = [
        _statement(account_last4="9999"),
        _statement(account_last4=None),
        _statement(period_start=date(2024, 2, 29)),
        _statement(period_end=None),
        _statement(opening_balance=Decimal("100.01")),
        _statement(closing_balance=None),
        _statement(transactions=tuple(rows[:2])),  # one row fewer
        _statement(transactions=(rows[1], rows[0], rows[2])),  # the same rows in another order
        _statement(transactions=(*rows, rows[2])),  # a row printed twice is two transactions
        _statement(transactions=(replace(rows[0], amount=Decimal("3.20")), *rows[1:])),
        _statement(transactions=(replace(rows[0], date=date(2024, 3, 3)), *rows[1:])),
        _statement(transactions=(replace(rows[0], description="COFFEE SHOP 2"), *rows[1:])),
    ]
    fingerprints = [content_fingerprint(other) for other in others]
    assert fingerprint not in fingerprints
    assert len(set(fingerprints)) == len(others)


def test_a_statement_that_prints_nothing_to_tell_it_by_has_no_fingerprint() -> None:
    empty = _statement(transactions=(), period_start=None, period_end=None)
    assert content_fingerprint(empty) is None
    # A period alone tells it: the statement of that account and period without movements.
    assert content_fingerprint(_statement(transactions=())) is not None


def test_each_statement_of_a_document_has_its_own_fingerprint() -> None:
    first, second = _statement(), _statement(period_start=date(2024, 4, 1), period_end=date(2024, 4, 30))
    bundle = replace(first, more=(second,))
    assert content_fingerprint(bundle) == content_fingerprint(first) != content_fingerprint(second)


def test_a_redownloaded_pdf_differs_in_bytes_and_reads_as_the_same_statement(tmp_path: Path) -> None:
    for layout in ("northgate_uk", "rheinufer_de", "prairie_us", "fjord_no"):
        original = tmp_path / f"{layout}.pdf"
        LAYOUTS[layout](original)
        again = tmp_path / f"{layout}.again.pdf"
        again.write_bytes(redownloaded(original.read_bytes()))
        digests = {hashlib.sha256(path.read_bytes()).hexdigest() for path in (original, again)}
        assert len(digests) == 2, layout
        fingerprint = content_fingerprint(parse_statement(original))
        assert fingerprint is not None and fingerprint == content_fingerprint(parse_statement(again))


def test_consecutive_statements_of_one_account_differ(tmp_path: Path) -> None:
    write_bundle(tmp_path / "bundle.pdf", (3, 1003, 2003))
    parsed = parse_statement(tmp_path / "bundle.pdf")
    fingerprints = [content_fingerprint(statement) for statement in parsed.statements]
    assert len(fingerprints) == 3 and len(set(fingerprints)) == 3 and None not in fingerprints


def test_the_result_warns_of_each_statement_imported_already() -> None:
    assert SavedDocument([7]).warnings() == []
    assert SavedDocument([7], [0]).warnings() == [
        "This statement was already imported as statement 7 (same account, period and "
        "transactions); nothing was added"
    ]
    assert SavedDocument([7, 8, 12], [0, 1]).warnings() == [
        "Statement 1 of 3 in this file was already imported as statement 7 (same account, "
        "period and transactions); nothing was added for it",
        "Statement 2 of 3 in this file was already imported as statement 8 (same account, "
        "period and transactions); nothing was added for it",
    ]
    # A PDF printing one statement twice: the second copy is the first one's.
    twice = SavedDocument([7, 7], [1])
    assert twice.known == [7]
    assert twice.warnings() == [
        "Statement 2 of 2 in this file was already imported as statement 7 (same account, "
        "period and transactions); nothing was added for it"
    ]
