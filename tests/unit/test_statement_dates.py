"""Date reading and year inference for the statement parser."""

from datetime import date

import pytest

from backend.services.document_text.dates import (
    DATE_IN_TEXT,
    MONTHS,
    RawDate,
    day_first_from_evidence,
    infer_year,
    parse_date,
    proven_day_first,
    read_date,
    read_date_cell,
    read_day_heading,
    repaired_date_text,
)

NEW_YEAR = (date(2023, 12, 15), date(2024, 1, 14))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05/01/2024", date(2024, 1, 5)),
        ("05.01.2024", date(2024, 1, 5)),
        ("2024-01-05", date(2024, 1, 5)),
        ("05 Jan 2024", date(2024, 1, 5)),
        ("5 January 2024", date(2024, 1, 5)),
        ("05-Jan-24", date(2024, 1, 5)),
        ("13-May-16", date(2016, 5, 13)),
        ("Jan 5, 2024", date(2024, 1, 5)),
        ("7. Mai 2014", date(2014, 5, 7)),
        ("05/01/24", date(2024, 1, 5)),
        ("2024.01.05.", date(2024, 1, 5)),  # Hungarian: year first, each part ending in a dot
        ("05JAN24", date(2024, 1, 5)),  # Standard Chartered: day, month and year unspaced
        ("05Jan2024", date(2024, 1, 5)),
    ],
)
def test_full_dates_day_first(text: str, expected: date) -> None:
    raw = read_date(text)
    assert raw is not None and raw.resolve(day_first=True) == expected


def test_month_first_order() -> None:
    raw = read_date("01/05/2024")
    assert raw is not None
    assert raw.resolve(day_first=False) == date(2024, 1, 5)
    assert raw.resolve(day_first=True) == date(2024, 5, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("28 Dec", date(2023, 12, 28)),
        ("3 Jan", date(2024, 1, 3)),
        ("12th Jan", date(2024, 1, 12)),
        ("28/12", date(2023, 12, 28)),
        ("02/01", date(2024, 1, 2)),
    ],
)
def test_year_from_period_across_new_year(text: str, expected: date) -> None:
    raw = read_date(text)
    assert raw is not None and raw.resolve(day_first=True, period=NEW_YEAR) == expected


def test_month_first_without_year_across_new_year() -> None:
    period = (date(2023, 12, 16), date(2024, 1, 15))
    assert read_date("12/28").resolve(day_first=False, period=period) == date(2023, 12, 28)  # type: ignore[union-attr]
    assert read_date("01/03").resolve(day_first=False, period=period) == date(2024, 1, 3)  # type: ignore[union-attr]


def test_infer_year_from_statement_date_only() -> None:
    assert infer_year(7, 31, None, date(2023, 8, 24)) == date(2023, 7, 31)
    assert infer_year(12, 30, None, date(2024, 1, 5)) == date(2023, 12, 30)


def test_infer_year_leap_day() -> None:
    assert infer_year(2, 29, date(2024, 2, 1), date(2024, 2, 29)) == date(2024, 2, 29)


@pytest.mark.parametrize("text", ["", "hello", "5488-2926", "12 34", "32/01/2024", "Opening", "12 Foo 2024"])
def test_not_dates(text: str) -> None:
    raw = read_date(text)
    assert raw is None or raw.resolve(day_first=True) is None


def test_invalid_day_resolves_to_none() -> None:
    assert read_date("31/02/2024").resolve(day_first=True) is None  # type: ignore[union-attr]


def test_day_first_evidence() -> None:
    def numeric(first: int, second: int) -> RawDate:
        return RawDate(first, second, 2024, fixed=False)

    assert day_first_from_evidence([numeric(1, 2), numeric(13, 2)], american_hint=True)
    assert not day_first_from_evidence([numeric(1, 2), numeric(2, 13)], american_hint=False)
    assert not day_first_from_evidence([numeric(1, 2)], american_hint=True)  # no proof: USD says MM/DD
    assert day_first_from_evidence([numeric(1, 2)], american_hint=False)
    assert day_first_from_evidence([RawDate(13, 5, 2016, fixed=True), numeric(1, 2)], american_hint=False)


def test_dates_in_running_text() -> None:
    text = "Statement period: 15 December 2023 to 14 January 2024, due 02/10/2024 or Jan 5, 2024"
    assert DATE_IN_TEXT.findall(text) == ["15 December 2023", "14 January 2024", "02/10/2024", "Jan 5, 2024"]
    # A spaced dash joins a range (Barclays' "1 Jan - 31 Jan 2024"): "1 Jan - 31" is no date of 2031.
    assert DATE_IN_TEXT.findall("1 Jan - 31 Jan 2024, printed 01-Apr-16") == ["31 Jan 2024", "01-Apr-16"]
    # A month name before day/year (TD Canada Trust's "DEC 29/23 - JAN 31/24"): "23 - JAN 31" is no date.
    assert DATE_IN_TEXT.findall("From - To  DEC 29/23 - JAN 31/24") == ["DEC 29/23", "JAN 31/24"]
    # Year first with any one separator (Bancolombia's "DESDE: 2024/01/01  HASTA: 2024/01/31").
    assert DATE_IN_TEXT.findall("DESDE: 2024/01/01  HASTA: 2024/01/31") == ["2024/01/01", "2024/01/31"]
    assert DATE_IN_TEXT.findall("2024.01.01 - 2024-01-31, not 2024/01-31") == ["2024.01.01", "2024-01-31"]


@pytest.mark.parametrize("name", sorted(MONTHS))
def test_statement_and_invoice_readers_know_the_same_months(name: str) -> None:
    """One month table for both readers: a month that parses on a statement parses on an invoice."""
    expected = date(2024, MONTHS[name], 3)
    for spelling in (name, name.capitalize(), name.upper()):
        raw = read_date(f"3 {spelling} 2024")
        assert raw is not None and raw.resolve(day_first=True) == expected
        assert parse_date(f"3 {spelling} 2024") == expected
        assert parse_date(f"{spelling} 3, 2024") == expected


@pytest.mark.parametrize(
    ("printed", "above", "read_as"),
    [
        ("07107", "06/07", "07/07"),  # the OCR sample's row
        ("07l07l2024", "06/07/2024", "07/07/2024"),
        ("07|07", "06.07", "07.07"),
        ("07/07", "06/07", None),  # nothing misread: read_date reads it
        ("07107", "06/07/2024", None),  # another shape
        ("07807", "06/07", None),  # an 8 is no separator
        ("A7107", "06/07", None),  # a letter where a digit goes
        ("07107", "12345", None),  # the row above printed no date
    ],
)
def test_a_separator_read_as_a_digit_is_read_in_the_shape_of_the_date_above(
    printed: str, above: str, read_as: str | None
) -> None:
    assert repaired_date_text(printed, above) == read_as


def test_a_date_marked_with_a_footnote_star_is_the_date() -> None:
    """Amex marks a posting date with a star ('01/05/24*', "*Indicates posting date")."""
    assert read_date("01/05/24*") == read_date("01/05/24") is not None
    assert read_date("*") is None


def test_a_date_column_s_cell_may_print_its_day_and_month_apart_by_a_space() -> None:
    """Standard Bank prints "01 02" (month, day) under its Date header: read in a date column's
    cell, in the order the statement's dates prove; in free text two numbers are no date."""
    raw = read_date_cell("01 02")
    assert raw == RawDate(1, 2, None, fixed=False)
    assert raw.resolve(day_first=False, period=NEW_YEAR) == date(2024, 1, 2)
    assert proven_day_first([read_date_cell("01 31")]) is False  # type: ignore[list-item]
    assert read_date_cell("05/01/2024") == read_date("05/01/2024")
    assert read_date("01 02") is None
    for text in ("12 34", "101 02", "0 5", "1 2 3", "Page 2"):
        assert read_date_cell(text) is None, text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tuesday 2 January 2024", date(2024, 1, 2)),  # bunq: the rows under it print no date
        ("Monday, January 8, 2024", date(2024, 1, 8)),
        ("Mon 8 Jan 2024", date(2024, 1, 8)),
        ("Dienstag, 2. Januar 2024", date(2024, 1, 2)),
        ("mardi 2 janvier 2024", date(2024, 1, 2)),
        ("2 January 2024", date(2024, 1, 2)),
    ],
)
def test_a_day_heading_reads_as_its_date(text: str, expected: date) -> None:
    heading = read_day_heading(text)
    assert heading is not None and heading.resolve(day_first=True) == expected


@pytest.mark.parametrize(
    "text", ["Tuesday", "Albert Heijn 2 January 2024", "Tuesday 2 January 2024 -23.85", "12.01", "12.50"]
)
def test_a_line_of_more_than_a_date_is_no_day_heading(text: str) -> None:
    assert read_day_heading(text) is None
