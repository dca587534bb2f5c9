"""Amount parsing for the statement parser."""

from decimal import Decimal

import pytest

from backend.services.document_text.money import (
    PrintedAmount,
    has_decimal_part,
    looks_like_amount_piece,
    parse_amount,
    parse_amount_leniently,
    side_marker,
    uses_decimal_comma,
)


@pytest.mark.parametrize(
    ("text", "value", "marker"),
    [
        ("1.00", "1.00", None),
        ("-1.00", "-1.00", None),
        ("\u22121.00", "-1.00", None),
        ("(1,234.56)", "-1234.56", None),
        ("1,234.56-", "-1234.56", None),
        ("1,234.56 DR", "1234.56", "DR"),
        ("1,234.56 CR", "1234.56", "CR"),
        ("1207631 Cr.", "1207631", "CR"),
        ("0 Dr.", "0", "DR"),
        ("1,234,567.89", "1234567.89", None),
        ("1 234.56", "1234.56", None),
        ("$1,234.56", "1234.56", None),
        ("S$22,800", "22800", None),
        ("USD 5.00", "5.00", None),
        ("-$42.00", "-42.00", None),
        ("27614207", "27614207", None),
        ("2,548.09Cr", "2548.09", "CR"),  # CR/DR touching the number
        ("130.00Dr", "130.00", "DR"),
        ("416.74 OD", "416.74", "DR"),  # overdrawn (NatWest): money owed, as DR
        ("1,000,000.00 DB", "1000000.00", "DR"),  # debet (BCA)
        ("1\u2019234.50", "1234.50", None),
        ("CHF (54.67)", "-54.67", None),  # a currency code before parentheses
        ("(198.91 €)", "-198.91", None),
        ("BHD 1,142.553", "1142.553", None),  # three decimals
        ("1,84,034.35", "184034.35", None),  # Indian grouping: lakh and crore (HDFC)
        ("12,34,56,789.00", "123456789.00", None),
    ],
)
def test_parse_amount_decimal_point(text: str, value: str, marker: str | None) -> None:
    assert parse_amount(text) == PrintedAmount(Decimal(value), marker)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.234,56", "1234.56"),
        ("-1.234,56", "-1234.56"),
        ("1 234,56", "1234.56"),
        ("€ 399,00", "399.00"),
        ("12,5", "12.5"),
        ("1.234", "1234"),
        ("1\u2009234,56 €", "1234.56"),
        # a currency printed in letters after the amount (Czech, Polish, Hungarian, Romanian...)
        ("-1 284,50 Kč", "-1284.50"),
        ("8 245,10 zł", "8245.10"),
        ("12 500 Ft", "12500"),
        ("-45,20 lei", "-45.20"),
        ("1 234,56 kr", "1234.56"),
        ("99,90 лв", "99.90"),
        ("-350,00 ₴", "-350.00"),
    ],
)
def test_parse_amount_decimal_comma(text: str, value: str) -> None:
    assert parse_amount(text, decimal_comma=True) == PrintedAmount(Decimal(value))


def test_soll_and_haben_suffixes_give_the_side() -> None:
    """German statements mark money out S (Soll) and money in H (Haben): "54,21 S", "3.250,00 H"."""
    assert parse_amount("54,21 S", decimal_comma=True) == PrintedAmount(Decimal("54.21"), "DR")
    assert parse_amount("3.250,00 H", decimal_comma=True) == PrintedAmount(Decimal("3250.00"), "CR")
    assert has_decimal_part("1.873,42 H")


@pytest.mark.parametrize(
    ("word", "marker"),
    [("DR", "DR"), ("Dr.", "DR"), ("d", "DR"), ("Debit", "DR"), ("CR", "CR"), ("Cr", "CR"), ("C", "CR"),
     ("CREDIT", "CR"), ("DD", None), ("FPO", None), ("12.50", None), ("", None)],
)  # fmt: skip
def test_a_side_marker_printed_apart_from_its_amount(word: str, marker: str | None) -> None:
    """A Dr/Cr column's cells (Kotak): the suffixes an amount cell may end in, or the whole word."""
    assert side_marker(word) == marker


@pytest.mark.parametrize(
    "text",
    [
        "", "abc", "29.01.2016", "141,144,156,", "1,23,4", "1,23,45.00", "1,234,56.00", "1.234,56", "12/07",
        "5488-2926", "1.2.3", "3D",
    ],
)
def test_not_amounts(text: str) -> None:
    assert parse_amount(text) is None


@pytest.mark.parametrize(
    ("text", "decimal_comma", "value"),
    [
        ("EUR + 2.853.82", True, "2853.82"),  # Postbank's old balance, among 1.830,00 and 5.314,05
        ("1,234,56 CR", False, "1234.56"),
    ],
)
def test_a_balance_with_the_other_decimal_separator_is_read_leniently(
    text: str, decimal_comma: bool, value: str
) -> None:
    assert parse_amount(text, decimal_comma) is None
    amount = parse_amount_leniently(text, decimal_comma)
    assert amount is not None and amount.value == Decimal(value)


def test_lenient_reading_reads_as_printed_first_and_refuses_what_is_no_amount() -> None:
    assert parse_amount_leniently("5.314,05", decimal_comma=True) == PrintedAmount(Decimal("5314.05"))
    assert parse_amount_leniently("1.234", decimal_comma=True) == PrintedAmount(Decimal("1234"))
    assert parse_amount_leniently("1,234.56", decimal_comma=True) is None  # two separators, both ways
    assert parse_amount_leniently("page 2.12", decimal_comma=True) is None


def test_amounts_are_decimal_never_float() -> None:
    parsed = parse_amount("0.10")
    assert parsed is not None and isinstance(parsed.value, Decimal)
    assert parsed.value + Decimal("0.20") == Decimal("0.30")


@pytest.mark.parametrize(
    ("printed", "polarity", "expected"),
    [
        (PrintedAmount(Decimal("4.20")), 1, "4.20"),
        (PrintedAmount(Decimal("4.20")), -1, "-4.20"),  # card statement: unsigned charge is money out
        (PrintedAmount(Decimal("-1.38")), -1, "1.38"),  # card statement: (1.38) is a credit
        (PrintedAmount(Decimal(500), "CR"), -1, "500"),  # CR / DR do not depend on polarity
        (PrintedAmount(Decimal(500), "DR"), 1, "-500"),
    ],
)
def test_signed(printed: PrintedAmount, polarity: int, expected: str) -> None:
    assert printed.signed(polarity) == Decimal(expected)


def test_decimal_separator_from_evidence() -> None:
    assert uses_decimal_comma(["1.234,56", "-12,00", "4.210,55"])
    assert not uses_decimal_comma(["1,234.56", "12.00 CR", "(3.20)"])
    assert not uses_decimal_comma(["1,234", "500"])  # no evidence: decimal point
    assert uses_decimal_comma(["1 234,56 €", "(12,50 EUR)", "8,00Cr"])  # a currency or mark after
    assert not uses_decimal_comma(["12.345", "1,234.567"])  # three decimals: no vote either way


def test_amounts_without_decimals_grouped_by_dots_read_the_dot_as_thousands() -> None:
    """Pesos print no decimals ("48.230", "1.236.080"): no amount ends in two decimals to tell
    the separator, but a dot read as a decimal point cannot read "1.236.080", where a dot
    read as thousands reads every amount; three decimals (KWD) read only with a decimal point."""
    pesos = ["48.230", "1.236.080", "150.000", "998.668", "990"]
    assert uses_decimal_comma(pesos)
    assert parse_amount("48.230", uses_decimal_comma(pesos)) == PrintedAmount(Decimal("48230"))
    assert not uses_decimal_comma(["48.230", "1,236.080", "0.500"])  # dinars: a comma group
    assert not uses_decimal_comma(["48.230", "150.000"])  # both read: no evidence, decimal point


def test_the_currency_s_minor_units_decide_amounts_without_two_decimals() -> None:
    """ISO 4217: yen, won and pesos have no minor unit, dinars three: "48.230" is 48230 yen and
    48.230 dinars, whatever else the amounts show."""
    assert uses_decimal_comma(["48.230", "150.000"], minor_units=0)
    assert not uses_decimal_comma(["48.230", "150.000"], minor_units=3)
    assert not uses_decimal_comma(["48,230", "150,000"], minor_units=0)  # commas group: a decimal point
    assert uses_decimal_comma(["1.234,56", "12,00"], minor_units=3)  # two decimals still decide


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("1,234.56", True),
        ("CR", True),
        ("Dr.", True),
        ("OD", True),
        ("$", True),
        ("USD", True),
        ("-", True),
        ("€)", True),  # the end of "(198.91 €)"
        ("Kč", True),  # a currency printed in letters after the amount
        ("zł", True),
        ("Ft", True),
        ("lei", True),
        ("kr", True),
        ("лв", True),
        ("₴", True),
        ("(198.91", True),
        ("PAYMENT", False),
        ("(SEE", False),
        ("the", False),
    ],
)
def test_amount_pieces(word: str, expected: bool) -> None:
    assert looks_like_amount_piece(word) is expected


def test_a_currency_printed_in_letters_after_an_amount_shows_its_decimal_mark() -> None:
    assert has_decimal_part("-1 284,50 Kč") and has_decimal_part("87,64 zł")
    assert uses_decimal_comma(["-1 284,50 Kč", "42 180,00 Kč", "1.00"])


def test_a_summary_figure_after_its_operator_is_read() -> None:
    """A summary box prints its sum ("New Balance =$1,931.20", Amex; "= $1,627.07", Capital One)."""
    assert parse_amount_leniently("=$1,931.20") == PrintedAmount(Decimal("1931.20"))
    assert parse_amount_leniently("= $1,627.07") == PrintedAmount(Decimal("1627.07"))
    assert parse_amount_leniently("=") is None


def test_a_trailing_plus_is_a_printed_sign_like_a_trailing_minus() -> None:
    """Maybank prints every amount's side after it: "45.00+" money in, "12.50-" money out."""
    assert parse_amount("45.00+") == PrintedAmount(Decimal("45.00"))
    assert parse_amount("4,850.00+") == PrintedAmount(Decimal("4850.00"))
    assert parse_amount("12.50-") == PrintedAmount(Decimal("-12.50"))
    assert parse_amount("1.234,56+", decimal_comma=True) == PrintedAmount(Decimal("1234.56"))
    assert has_decimal_part("45.00+")
    assert uses_decimal_comma(["1.234,56+", "12,50-", "3,00+"])
    assert parse_amount("+") is None and parse_amount("5+5") is None
