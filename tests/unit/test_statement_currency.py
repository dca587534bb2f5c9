"""The statement currency's rules (``statements.currency``), on evidence written out by hand."""

from __future__ import annotations

import pytest

from backend.services.document_text.money import find_money
from backend.services.statements.currency import find_currency


@pytest.mark.parametrize(
    ("headers", "cells", "lines", "notes", "bank", "expected"),
    [
        (["DATE DESCRIPTION AMOUNT (SGD)"], ["12.00"], [], [], None, "SGD"),
        (["Buchung Belastung in EUR Gutschrift in EUR"], ["1,00"], [], [], None, "EUR"),
        ([], ["€ 12,00"], [], [], None, "EUR"),
        ([], ["12.00"], ["Closing balance £1,234.56"], [], None, "GBP"),
        # a bare "$" is no currency by itself
        (["DATE AMOUNT($)"], ["$12.00"], [], [], None, None),
        # ... unless the words name one dollar, or a bank with one dollar prints it
        (["DATE AMOUNT($)"], ["$12.00"], ["All charges are in Singapore Dollars."], [], None, "SGD"),
        (["DATE AMOUNT($)"], ["$12.00"], [], [], "TD CANADA TRUST", "CAD"),
        # ... and the two must agree
        (["DATE AMOUNT($)"], ["$12.00"], ["payable in U.S. dollars"], [], "TD CANADA TRUST", None),
        # a dollar printed as foreign is not the statement's
        (["AMOUNT($)"], ["$1.67"], ["in U.S. dollars"], ["FOREIGN CURRENCY 495.89 USD"], None, None),
        (["AMOUNT($)"], ["$1.67"], [], ["FOREIGN CURRENCY 495.89 USD"], "TD CANADA TRUST", "CAD"),
        # two currencies in the deciding evidence: unknown
        (["AMOUNT EUR"], ["12.00 USD"], [], [], None, None),
        ([], ["12.00"], ["EUR 1.00", "CHF 2.00"], [], None, None),
        # the table decides before the text outside it
        (["AMOUNT (SGD)"], ["12.00"], ["Fee USD 5.00"], [], None, "SGD"),
        # "S$" and "$" together: the Singapore dollar
        ([], ["S$12.00", "$3.00"], [], [], None, "SGD"),
        # "€" and a bare "$": conflicting
        ([], ["€12.00", "$3.00"], [], [], None, None),
        # a currency printed in letters after the amounts (Česká spořitelna, mBank, OTP)
        ([], ["-1 284,50 Kč", "28 450,30 Kč"], [], [], None, "CZK"),
        ([], ["-87,64 zł"], [], [], None, "PLN"),
        ([], ["12 500 Ft"], [], [], None, "HUF"),
        ([], ["-45,20 lei"], [], [], None, "RON"),
        # "kr" is the krona and the krone alike: no currency by itself
        ([], ["1 234,56 kr"], [], [], None, None),
        # ... nor is the word without an amount before it
        ([], ["12,00"], ["Platba kartou ZLOTY ZŁ"], [], None, None),
        # nothing printed: unknown, whatever the bank
        ([], ["12.00"], ["Balance 12.00"], [], "USAA FEDERAL SAVINGS BANK", None),
        ([], [], [], [], None, None),
    ],
)
def test_find_currency(
    headers: list[str], cells: list[str], lines: list[str], notes: list[str], bank: str | None,
    expected: str | None,
) -> None:
    assert find_currency(headers, cells, lines, notes, bank) == expected


def test_money_keeps_the_symbol_as_printed() -> None:
    """Invoices read "$" as USD; statements need to know it was a bare "$"."""
    assert [(m.currency, m.printed) for m in find_money("$ 42.00 and S$ 3.00 and 5,00 EUR")] == [
        ("USD", "$"), ("SGD", "S$"), ("EUR", "EUR"),
    ]
