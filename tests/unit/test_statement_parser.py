"""End-to-end tests of ``parse_statement`` on real samples and generated statements."""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from fpdf import FPDF

from backend.services.errors import InvalidInputError
from backend.services.statements import ParsedStatement, parse_statement
from tests.support import SAMPLES_DIR
from tests.support.statement_pdfs import LAYOUTS, TRUTH_FIELDS, StatementTruth, make_long_statement

STATEMENTS = SAMPLES_DIR / "statements"
MONOPOLY = STATEMENTS / "monopoly_example_credit_card.pdf"
LEDGER = STATEMENTS / "pdfplumber_issue_912_ledger.pdf"
METADATA = TRUTH_FIELDS


def rows(statement: ParsedStatement | StatementTruth) -> list[tuple[date, str, Decimal, Decimal | None]]:
    return [(t.date, t.description, t.amount, t.balance) for t in statement.transactions]


# ------------------------------------------------------------------ real samples


def test_monopoly_credit_card_matches_expected_csv() -> None:
    with (STATEMENTS / "monopoly_example_credit_card.expected.csv").open(newline="") as handle:
        expected = [
            (date.fromisoformat(r["date"]), r["description"], Decimal(r["amount"]))
            for r in csv.DictReader(handle)
        ]
    opening_row, expected = expected[0], expected[1:]  # LAST MONTH'S BALANCE is not a transaction
    statement = parse_statement(MONOPOLY)
    assert [(t.date, t.description, t.amount) for t in statement.transactions] == expected
    assert len(statement.transactions) == 52
    assert statement.opening_balance == opening_row[2] == Decimal("-412.16")
    assert statement.closing_balance == Decimal("-702.10")
    assert statement.balance_check == "ok" and statement.balance_mismatch_rows == 0
    assert statement.account_last4 == "9473"
    assert statement.page_count == 4
    assert all(t.balance is None for t in statement.transactions)


def test_ledger_vouchers_chain_from_each_pages_opening_balance() -> None:
    """Each page is a party's ledger of its own (see ``test_real_statements.py`` for the rows)."""
    statement = parse_statement(LEDGER)
    got = [(t.date, t.amount, t.balance) for part in statement.statements for t in part.transactions]
    assert got == [
        (date(2016, 5, 13), Decimal(-26406576), Decimal(1207631)),
        (date(2016, 6, 25), Decimal(-132696), Decimal(1074935)),
        (date(2016, 8, 19), Decimal(-1074935), Decimal(0)),
        (date(2015, 8, 17), Decimal(979400), Decimal(25253600)),
        (date(2015, 8, 17), Decimal(-6530000), Decimal(18723600)),
        (date(2015, 9, 7), Decimal(-18723600), Decimal(0)),
        (date(2015, 9, 7), Decimal(0), Decimal(0)),
        (date(2015, 10, 20), Decimal(39784), Decimal(39784)),
        (date(2015, 10, 20), Decimal(-39784), Decimal(0)),
    ]
    for opening, page in ((Decimal(27614207), got[:3]), (Decimal(24274200), got[3:])):
        running = opening
        for _, amount, balance in page:
            running += amount
            assert balance == running
    assert [part.opening_balance for part in statement.statements] == [Decimal(27614207), Decimal(24274200)]
    assert all((part.balance_check, part.balance_mismatch_rows) == ("ok", 0) for part in statement.statements)
    descriptions = [t.description for part in statement.statements for t in part.transactions]
    assert descriptions[1] == "Chq. No. 086352 BEING COMMISSION RETURNED TO PARTY"
    assert descriptions[2] == "Chq. No. 086866 Being Payment against bill no.197 dated 29.01.2016"
    assert descriptions[6].endswith("BEING INTERST PAID")


# ------------------------------------------------------------ generated layouts


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_generated_layout(layout: str, tmp_path: Path) -> None:
    path = tmp_path / f"{layout}.pdf"
    truth = LAYOUTS[layout](path)
    progress: list[tuple[int, int]] = []
    statement = parse_statement(path, on_page=lambda done, total: progress.append((done, total)))
    assert rows(statement) == rows(truth)
    assert {name: getattr(statement, name) for name in METADATA} == {
        name: getattr(truth, name) for name in METADATA
    }
    assert progress == [(page, truth.page_count) for page in range(1, truth.page_count + 1)]


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_long_statement_page_breaks(layout: str, tmp_path: Path) -> None:
    """Compact rows filling several pages: headers, footers and carried balances at every break."""
    truth = make_long_statement(tmp_path / "long.pdf", 3, layout=layout)
    statement = parse_statement(tmp_path / "long.pdf")
    assert rows(statement) == rows(truth)
    assert {name: getattr(statement, name) for name in METADATA} == {
        name: getattr(truth, name) for name in METADATA
    }


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_rows_are_not_each_read_as_a_header(
    layout: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A line is read as a possible table header only when it could be one: a row starting with
    its date under a row starting with its date is none. Each row read as a header cost a quarter
    of a parse (docs/performance.md, "Statement parsing")."""
    from backend.services.statements import rows as table_rows

    calls = 0
    detect_header = table_rows.detect_header

    def counted(*args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        return detect_header(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(table_rows, "detect_header", counted)
    truth = make_long_statement(tmp_path / "long.pdf", 3, layout=layout)
    assert rows(parse_statement(tmp_path / "long.pdf")) == rows(truth)
    assert calls < len(truth.transactions) / 3


def test_path_as_string(tmp_path: Path) -> None:
    truth = LAYOUTS["kestrel_bs"](tmp_path / "k.pdf")
    assert rows(parse_statement(str(tmp_path / "k.pdf"))) == rows(truth)


# ------------------------------------------------------- hand-drawn edge cases

Cell = tuple[float, str, str]  # (x mm, text, align "L" or "R" with x as the right edge)


def _draw(path: Path, pages: list[list[list[Cell]]], pitch: float = 6.0) -> Path:
    """Draw each page's lines of cells, ``pitch`` mm apart, with fpdf2 core fonts (9 pt)."""
    pdf = FPDF()
    pdf.set_font("Helvetica", size=9)
    for lines in pages:
        pdf.add_page()
        for number, cells in enumerate(lines):
            for x, text, align in cells:
                width = pdf.get_string_width(text)
                pdf.text(x - width if align == "R" else x, 20 + pitch * number, text)
    pdf.output(str(path))
    return path


def _row(when: str, description: str, amount: str, balance: str = "") -> list[Cell]:
    cells = [(15, when, "L"), (45, description, "L"), (160, amount, "R")]
    return cells + ([(195, balance, "R")] if balance else [])


HEADER = [(15, "Date", "L"), (45, "Description", "L"), (147, "Amount", "L"), (182, "Balance", "L")]


def test_american_dates_one_date_per_day_and_page_without_header(tmp_path: Path) -> None:
    """MM/DD/YYYY, no day above 12 ($ says American); a date printed once per day; page 2 has no header."""
    page1 = [
        [(15, "Acme Savings Bank", "L")],
        [(15, "Account number: 000123456789", "L")],
        [(15, "Statement period: 01/01/2024 to 01/12/2024", "L")],
        [],
        HEADER,
        _row("01/01/2024", "Beginning balance", "", "$1,000.00"),
        _row("01/02/2024", "COFFEE SHOP", "-4.50", "995.50"),
        _row("", "BOOK STORE", "-20.00", "975.50"),
        [(45, "CITY CENTRE BRANCH", "L")],
    ]
    page2 = [
        [(15, "Acme Savings Bank - continued", "L")],
        [],
        _row("01/11/2024", "SALARY ACME INC", "2,000.00", "2,975.50"),
        _row("01/12/2024", "Ending balance", "", "2,975.50"),
    ]
    statement = parse_statement(_draw(tmp_path / "us.pdf", [page1, page2]))
    assert rows(statement) == [
        (date(2024, 1, 2), "COFFEE SHOP", Decimal("-4.50"), Decimal("995.50")),
        (date(2024, 1, 2), "BOOK STORE CITY CENTRE BRANCH", Decimal("-20.00"), Decimal("975.50")),
        (date(2024, 1, 11), "SALARY ACME INC", Decimal("2000.00"), Decimal("2975.50")),
    ]
    assert (statement.period_start, statement.period_end) == (date(2024, 1, 1), date(2024, 1, 12))
    assert (statement.opening_balance, statement.closing_balance) == (Decimal("1000.00"), Decimal("2975.50"))
    assert statement.balance_check == "ok"
    assert (statement.bank_source, statement.account_last4) == ("acme", "6789")


@pytest.mark.parametrize(("currency", "first"), [("CLP", Decimal("-48230")), ("KWD", Decimal("-48.230"))])
def test_the_currency_s_minor_units_read_amounts_without_two_decimals(
    currency: str, first: Decimal, tmp_path: Path
) -> None:
    """Every amount one dot and three digits: pesos (no minor unit) group thousands with the dot,
    dinars (three decimals) print fils after it; the header's currency tells which."""
    page = [
        [(15, "Acme Bank", "L")],
        [(15, "Statement period: 01/03/2024 to 31/03/2024", "L")],
        [],
        [(15, "Date", "L"), (45, "Description", "L"), (140, f"Amount {currency}", "L"),
         (175, "Balance", "L")],  # fmt: skip
        _row("01/03/2024", "Opening balance", "", "512.310"),
        _row("04/03/2024", "ENEL DISTRIBUCION", "-48.230", "464.080"),
        _row("05/03/2024", "JUMBO LA REINA", "-87.412", "376.668"),
        _row("08/03/2024", "TRANSFERENCIA", "150.000", "526.668"),
    ]
    statement = parse_statement(_draw(tmp_path / "units.pdf", [page]))
    scale = first / Decimal("-48230")
    assert [row.amount for row in statement.transactions] == [
        first, Decimal("-87412") * scale, Decimal("150000") * scale
    ]
    assert statement.balance_check == "ok" and statement.currency == currency


def test_two_line_header_sections_and_amount_on_last_wrapped_line(tmp_path: Path) -> None:
    """A header printed on two lines, "Money in" / "Money out" sections giving the sign of an unsigned
    Amount column, the date after the amounts, and a wrapped row whose amount is on its last line."""

    def row(description: str, amount: str, when: str) -> list[Cell]:
        return [(15, description, "L"), (165, amount, "R"), (175, when, "L")]

    page = [
        [(15, "Opening balance 500.00", "L")],
        [],
        [(15, "Transaction", "L"), (150, "Amount", "L"), (175, "Booking", "L")],
        [(15, "details", "L"), (150, "(EUR)", "L"), (175, "date", "L")],
        [(15, "Money in", "L")],
        row("SALARY", "1,000.00", "2024-03-01"),
        [(15, "Money out", "L")],
        row("RENT MARCH", "", "2024-03-02"),
        [(15, "FLAT 4B", "L"), (165, "700.00", "R")],
        row("GROCERIES", "50.25", "2024-03-05"),
        [],
        [],
        [],
        [(15, "Closing balance 749.75", "L")],
    ]
    statement = parse_statement(_draw(tmp_path / "sections.pdf", [page], pitch=3.8))
    assert rows(statement) == [
        (date(2024, 3, 1), "SALARY", Decimal("1000.00"), None),
        (date(2024, 3, 2), "RENT MARCH FLAT 4B", Decimal("-700.00"), None),
        (date(2024, 3, 5), "GROCERIES", Decimal("-50.25"), None),
    ]
    assert (statement.opening_balance, statement.closing_balance) == (Decimal("500.00"), Decimal("749.75"))
    assert statement.balance_check == "ok"


# ---------------------------------------------------------------- bad input


def _pdf_with_text(path: Path, *lines: str, password: str | None = None) -> Path:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for number, text in enumerate(lines):
        pdf.text(20, 20 + 8 * number, text)
    if password:
        pdf.set_encryption(owner_password="owner", user_password=password)
    pdf.output(str(path))
    return path


def test_encrypted_pdf(tmp_path: Path) -> None:
    path = _pdf_with_text(tmp_path / "locked.pdf", "Date Description Amount", password="secret")
    with pytest.raises(InvalidInputError, match="password-protected"):
        parse_statement(path)


def test_scanned_pdf_without_text(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 100, style="F")  # a drawing, like a scanned page image: no text at all
    pdf.output(str(tmp_path / "scan.pdf"))
    with pytest.raises(
        InvalidInputError, match=r"contains no text \(scanned image\?\); OCR is not supported"
    ):
        parse_statement(tmp_path / "scan.pdf")


def test_pdf_without_transaction_table(tmp_path: Path) -> None:
    path = _pdf_with_text(tmp_path / "letter.pdf", "Dear customer,", "Your new card is on its way.")
    with pytest.raises(InvalidInputError, match="No transaction table"):
        parse_statement(path)


def test_table_without_transactions(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for x, text in ((20, "Date"), (50, "Description"), (150, "Amount"), (180, "Balance")):
        pdf.text(x, 30, text)
    pdf.text(50, 38, "Opening balance")
    pdf.text(180, 38, "100.00")
    pdf.output(str(tmp_path / "empty.pdf"))
    with pytest.raises(InvalidInputError, match="no transactions"):
        parse_statement(tmp_path / "empty.pdf")


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not a pdf at all",
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage",
        MONOPOLY.read_bytes()[:5000],
    ],
    ids=["empty", "text", "garbage", "truncated"],
)
def test_corrupt_pdf_raises_only_invalid_input(content: bytes, tmp_path: Path) -> None:
    path = tmp_path / "bad.pdf"
    path.write_bytes(content)
    with pytest.raises(InvalidInputError) as raised:
        parse_statement(path)
    assert "Traceback" not in str(raised.value) and str(path) not in str(raised.value)


@pytest.mark.parametrize("cut", [0.1, 0.3, 0.5, 0.7, 0.9])
def test_damaged_pdf_parses_or_raises_invalid_input(cut: float, tmp_path: Path) -> None:
    """pdfminer recovers some damage and not other: either way no other exception escapes."""
    content = bytearray(LEDGER.read_bytes())
    start = int(len(content) * cut)
    content[start : start + 4000] = bytes(4000)
    (tmp_path / "damaged.pdf").write_bytes(
        bytes(content[: int(len(content) * (cut + 0.05))]) + bytes(content[start:])
    )
    with contextlib.suppress(InvalidInputError):
        parse_statement(tmp_path / "damaged.pdf")


# ------------------------------------------------------------------ hints and warnings


def _ambiguous_statement(path: Path) -> Path:
    """Dates that read both ways (no day above 12), amounts in euros with a decimal comma."""
    page = [
        [(15, "Statement period: 01/02/2024 to 12/02/2024", "L")],
        [],
        HEADER,
        _row("03/02/2024", "Bakery", "-4,50", "95,50"),
        _row("05/02/2024", "Salary", "1.000,00", "1.095,50"),
    ]
    return _draw(path, [page])


def test_parser_reads_the_date_order_off_the_period_and_says_so(tmp_path: Path) -> None:
    """Read month first, the period would run from 2 Jan to 2 Dec with rows on 2 Mar and 2 May."""
    statement = parse_statement(_ambiguous_statement(tmp_path / "guess.pdf"))
    assert [t.date for t in statement.transactions] == [date(2024, 2, 3), date(2024, 2, 5)]
    assert [t.amount for t in statement.transactions] == [Decimal("-4.50"), Decimal("1000.00")]
    assert statement.warnings == ("date order chosen by reconciliation",)


def test_month_first_dates_without_dollars_are_read_off_the_period(tmp_path: Path) -> None:
    """No "$" (the old guess: day first), but only month first puts the rows inside a short period."""
    page = [
        [(15, "Statement period: 03/01/2024 to 03/09/2024", "L")],
        [],
        HEADER,
        _row("03/02/2024", "Bakery", "-4.50", "95.50"),
        _row("03/04/2024", "Salary", "1,000.00", "1,095.50"),
        _row("03/09/2024", "Rent", "-800.00", "295.50"),
    ]
    path = _draw(tmp_path / "mdy.pdf", [page])
    statement = parse_statement(path)
    assert [t.date for t in statement.transactions] == [date(2024, 3, 2), date(2024, 3, 4), date(2024, 3, 9)]
    assert (statement.period_start, statement.period_end) == (date(2024, 3, 1), date(2024, 3, 9))
    assert statement.warnings == ("date order chosen by reconciliation",)
    hinted = parse_statement(path, date_order="DMY")  # the user's word still wins
    assert [t.date for t in hinted.transactions] == [date(2024, 2, 3), date(2024, 4, 3), date(2024, 9, 3)]
    assert hinted.warnings == ()


def test_statement_from_to_with_colons_decides_the_date_order(tmp_path: Path) -> None:
    """HDFC Bank's and SBI's "Statement From : 03/01/2024 To : 03/09/2024" is the period: only
    month first puts the rows inside it, as with any other printed period."""
    page = [
        [(15, "Statement From : 03/01/2024 To : 03/09/2024", "L")],
        [],
        HEADER,
        _row("03/02/2024", "Bakery", "-4.50", "95.50"),
        _row("03/04/2024", "Salary", "1,000.00", "1,095.50"),
        _row("03/09/2024", "Rent", "-800.00", "295.50"),
    ]
    statement = parse_statement(_draw(tmp_path / "from_to.pdf", [page]))
    assert (statement.period_start, statement.period_end) == (date(2024, 3, 1), date(2024, 3, 9))
    assert [t.date for t in statement.transactions] == [date(2024, 3, 2), date(2024, 3, 4), date(2024, 3, 9)]
    assert statement.warnings == ("date order chosen by reconciliation",)


def test_rows_printed_newest_first_chain_from_the_bottom_up(tmp_path: Path) -> None:
    """Printed newest first, each running balance is the one printed under it plus the row's
    amount: read top down nothing chains, read bottom up everything does (the printed opening
    and closing balances too). The rows stay in document order, and where no closing balance is
    printed the newest row's balance, printed first, is where the statement ends."""
    rows_newest_first = [
        _row("20/02/2024", "Rent", "-800.00", "295.50"),
        _row("05/02/2024", "Salary", "1,000.00", "1,095.50"),
        _row("03/02/2024", "Bakery", "-4.50", "95.50"),
    ]
    expected = [
        (date(2024, 2, 20), "Rent", Decimal("-800.00"), Decimal("295.50")),
        (date(2024, 2, 5), "Salary", Decimal("1000.00"), Decimal("1095.50")),
        (date(2024, 2, 3), "Bakery", Decimal("-4.50"), Decimal("95.50")),
    ]
    bare = parse_statement(_draw(tmp_path / "newest.pdf", [[HEADER, *rows_newest_first]]))
    assert rows(bare) == expected
    assert (bare.balance_check, bare.balance_mismatch_rows) == ("ok", 0)
    assert (bare.opening_balance, bare.closing_balance, bare.closing_from_last_row) == (
        None, Decimal("295.50"), True
    )  # fmt: skip
    labelled = [[(15, "Opening balance: 100.00", "L")], [(15, "Closing balance: 295.50", "L")], []]
    printed = parse_statement(_draw(tmp_path / "printed.pdf", [[*labelled, HEADER, *rows_newest_first]]))
    assert rows(printed) == expected
    assert (printed.balance_check, printed.opening_balance, printed.closing_balance) == (
        "ok", Decimal("100.00"), Decimal("295.50")
    )  # fmt: skip
    assert not printed.closing_from_last_row
    # a balance that chains neither way is a mismatch as printed, never read bottom up
    wrong = [*rows_newest_first[:2], _row("03/02/2024", "Bakery", "-4.50", "96.50")]
    broken = parse_statement(_draw(tmp_path / "broken.pdf", [[HEADER, *wrong]]))
    assert rows(broken)[0] == expected[0] and broken.balance_check == "mismatch"
    assert broken.closing_balance is None


def test_dates_that_fit_both_ways_alike_are_guessed_and_say_so(tmp_path: Path) -> None:
    """04/04 and 05/05 are the same days either way round: nothing to choose by, the guess stays."""
    page = [
        HEADER,
        _row("04/04/2024", "Bakery", "-4.50", "95.50"),
        _row("05/05/2024", "Salary", "10.00", "105.50"),
    ]
    statement = parse_statement(_draw(tmp_path / "tie.pdf", [page]))
    assert statement.warnings == ("date order guessed as day/month: no date in the statement proves it",)


def test_date_order_hint_overrides_the_guess(tmp_path: Path) -> None:
    statement = parse_statement(_ambiguous_statement(tmp_path / "hint.pdf"), date_order="MDY")
    assert [t.date for t in statement.transactions] == [date(2024, 3, 2), date(2024, 5, 2)]
    assert statement.warnings == ()


def test_decimal_hint_overrides_the_guess(tmp_path: Path) -> None:
    """Whole amounts with dot thousands ("1.250") read as three decimals unless told otherwise."""
    page = [HEADER, _row("03/02/2024", "Rent", "-1.250"), _row("05/02/2024", "Salary", "2.500")]
    path = _draw(tmp_path / "thousands.pdf", [page])
    assert [t.amount for t in parse_statement(path).transactions] == [Decimal("-1.250"), Decimal("2.500")]
    hinted = parse_statement(path, decimal=",")
    assert [t.amount for t in hinted.transactions] == [Decimal("-1250"), Decimal("2500")]


def _day_first_statement(path: Path, days: Sequence[int]) -> Path:
    """A DD/MM/YYYY statement of March 2024 with one row per day in ``days``."""
    rows = [_row(f"{day:02}/03/2024", f"Shop {day}", "-1.00") for day in days]
    return _draw(path, [[[(15, "Statement period: 01/03/2024 to 31/03/2024", "L")], [], HEADER, *rows]])


def test_rows_a_wrong_date_order_hint_cannot_date_are_counted_in_a_warning(tmp_path: Path) -> None:
    """Read as MDY, 13/03/2024 is no date: its row is left out, and the statement says so (QA found
    17 of 29 rows dropped with no warning)."""
    path = _day_first_statement(tmp_path / "dmy.pdf", [1, 2, 3, 13, 4])
    statement = parse_statement(path, date_order="mdy")
    assert len(statement.transactions) == 4
    assert statement.warnings == (
        "1 transaction row skipped: its printed date cannot be read as MDY (the date_order hint), "
        "e.g. '13/03/2024'",
    )


def test_a_date_order_hint_that_most_dates_contradict_fails_the_statement(tmp_path: Path) -> None:
    path = _day_first_statement(tmp_path / "dmy.pdf", [1, 13, 14, 15, 2])
    with pytest.raises(InvalidInputError) as refused:
        parse_statement(path, date_order="MDY")
    assert str(refused.value).startswith(
        "The date_order hint MDY does not fit this statement: 3 of its 5 dated transaction rows print a "
        "date that cannot be read as MDY (e.g. '13/03/2024')."
    )
    assert len(parse_statement(path, date_order="DMY").transactions) == 5


def test_rows_whose_printed_date_is_no_date_are_counted_in_a_warning(tmp_path: Path) -> None:
    """31/02 reads as day and month but is no day; 32/03 is not even that (the table reader leaves
    that line out itself). Neither goes missing unnoticed."""
    page = [
        HEADER,
        _row("01/03/2024", "Bakery", "-4.50"),
        _row("31/02/2024", "Misprint", "-2.00"),
        _row("32/03/2024", "Garbled", "-3.00"),
        _row("14/03/2024", "Salary", "100.00"),
    ]
    statement = parse_statement(_draw(tmp_path / "bad-dates.pdf", [page]))
    assert [t.description for t in statement.transactions] == ["Bakery", "Salary"]
    assert statement.warnings == (
        "2 transaction rows skipped: their printed date cannot be read, e.g. '32/03/2024'",
    )


def test_pending_rows_are_left_out_of_the_statement_and_said_in_a_warning(tmp_path: Path) -> None:
    """A "Pending Transactions" table after the posted rows lists rows not yet settled: not in the
    period's balance, so not the statement's transactions; the warning says how many, so none goes
    missing unnoticed. A posted section after it is read again."""
    page = [
        [(15, "Opening balance 100.00", "L")],
        [(15, "Closing balance 195.50", "L")],
        [],
        [(15, "Posted Transactions", "L")],
        HEADER,
        _row("01/03/2024", "Bakery", "-4.50", "95.50"),
        _row("14/03/2024", "Salary", "100.00", "195.50"),
        [],
        [(15, "Pending Transactions", "L")],
        HEADER,
        _row("30/03/2024", "Grocer", "-73.12"),
        _row("31/03/2024", "Fuel", "-41.00"),
        [],
        [(15, "Transactions", "L")],
        HEADER,
        _row("31/03/2024", "Refund", "0.00", "195.50"),
    ]
    statement = parse_statement(_draw(tmp_path / "pending.pdf", [page]))
    assert [t.description for t in statement.transactions] == ["Bakery", "Salary", "Refund"]
    assert statement.balance_check == "ok"
    assert (
        "2 pending transaction rows left out: not yet settled, they are not in the statement's "
        "balance, e.g. 'Grocer -73.12'"
    ) in statement.warnings


def test_a_statement_of_only_pending_rows_says_why_it_has_no_transactions(tmp_path: Path) -> None:
    page = [
        [(15, "Pending Transactions", "L")],
        HEADER,
        _row("30/03/2024", "Grocer", "-73.12"),
        _row("31/03/2024", "Fuel", "-41.00"),
    ]
    with pytest.raises(InvalidInputError, match=r"its 2 rows are all pending \(not yet settled\)"):
        parse_statement(_draw(tmp_path / "pending-only.pdf", [page]))


def test_a_date_whose_separator_a_scan_read_as_a_digit_is_read_in_the_shape_above(tmp_path: Path) -> None:
    """An OCR text layer's "07107" under "06/07/2024"'s shape is 07/07: the row is kept (it was
    left out before, and the statement did not add up), and the warning says how it was read."""
    page = [
        HEADER,
        _row("01/03/2024", "Bakery", "-4.50", "95.50"),
        _row("07I03I2024", "Misread", "-2.00", "93.50"),
        _row("14/03/2024", "Salary", "100.00", "193.50"),
        _row("1510312024", "Misread too", "-3.00", "190.50"),
    ]
    statement = parse_statement(_draw(tmp_path / "scanned.pdf", [page]))
    assert [(t.date.isoformat(), t.description) for t in statement.transactions] == [
        ("2024-03-01", "Bakery"), ("2024-03-07", "Misread"), ("2024-03-14", "Salary"),
        ("2024-03-15", "Misread too"),
    ]
    assert statement.balance_check == "ok"
    assert statement.warnings == (
        "2 dates read in the shape of the date above, e.g. '07I03I2024' as '07/03/2024' "
        "(a scanned statement's text, which read a separator as a digit)",
    )


def test_consecutive_misread_dates_are_each_read_in_the_shape_above(tmp_path: Path) -> None:
    """A scan misreads the same separator again and again: a misread date under another
    misread one is read in the shape the one above was read as."""
    page = [
        HEADER,
        _row("01/03/2024", "Bakery", "-4.50", "95.50"),
        _row("07I03I2024", "Misread", "-2.00", "93.50"),
        _row("08I03I2024", "Misread again", "-3.00", "90.50"),
    ]
    statement = parse_statement(_draw(tmp_path / "scanned-twice.pdf", [page]))
    assert [(t.date.isoformat(), t.description) for t in statement.transactions] == [
        ("2024-03-01", "Bakery"), ("2024-03-07", "Misread"), ("2024-03-08", "Misread again"),
    ]
    assert statement.balance_check == "ok"
    assert (
        "2 dates read in the shape of the date above, e.g. '07I03I2024' as '07/03/2024' "
        "(a scanned statement's text, which read a separator as a digit)"
    ) in statement.warnings


def test_a_number_in_the_date_column_is_not_read_as_a_misread_date(tmp_path: Path) -> None:
    """Only a separator's place may hold the misread character, and the date read must be one:
    "3210312024" (day 32) and "1283512024" (an 8 where the separator goes) are not dates."""
    page = [
        HEADER,
        _row("01/03/2024", "Bakery", "-4.50"),
        _row("3210312024", "Garbled", "-2.00"),
        _row("1283512024", "Garbled too", "-3.00"),
        _row("14/03/2024", "Salary", "100.00"),
    ]
    statement = parse_statement(_draw(tmp_path / "numbers.pdf", [page]))
    assert [t.description for t in statement.transactions] == ["Bakery", "Salary"]
    assert not any("shape of the date above" in warning for warning in statement.warnings)


def test_the_ocr_sample_reads_the_date_its_text_layer_misprints() -> None:
    """Its text layer reads 07/07 as "07107": the row is read as 07/07 (it was left out, and the
    card's balance did not add up), and the warning says so."""
    statement = parse_statement(STATEMENTS / "ocbc_365_example.pdf")
    assert (statement.balance_check, len(statement.transactions)) == ("ok", 52)
    assert [t.description for t in statement.transactions if t.date.isoformat() == "2023-07-07"] == [
        "MORNING BITES CAFE SINGAPORE SG"
    ]
    assert (
        "1 date read in the shape of the date above, e.g. '07107' as '07/07' "
        "(a scanned statement's text, which read a separator as a digit)"
    ) in statement.warnings


@pytest.mark.parametrize(
    ("hints", "message"), [({"date_order": "DDMM"}, "date_order"), ({"decimal": ";"}, "decimal")]
)
def test_unknown_hint_is_a_clear_error(tmp_path: Path, hints: dict[str, str], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        parse_statement(_ambiguous_statement(tmp_path / "bad.pdf"), **hints)


def test_year_and_sign_warnings_on_a_card_statement() -> None:
    statement = parse_statement(MONOPOLY)
    assert statement.warnings == ("year inferred from the statement date",)


def test_only_credits_marked_cr_makes_the_unmarked_amounts_money_out(tmp_path: Path) -> None:
    """One amount column where credits print "CR" and debits nothing (Bank of China (Hong Kong)):
    the unmarked amounts are money out, as the running balances confirm."""
    page = [
        HEADER,
        _row("14/01/2024", "B/F BALANCE", "", "1,000.00"),
        _row("15/01/2024", "SUPERMARKET", "386.40", "613.60"),
        _row("16/01/2024", "TRANSFER FROM CHAN", "1,500.00 CR", "2,113.60"),
        _row("17/01/2024", "ELECTRIC CO", "612.00", "1,501.60"),
    ]
    statement = parse_statement(_draw(tmp_path / "cr_only.pdf", [page]))
    amounts = [t.amount for t in statement.transactions]
    assert amounts == [Decimal("-386.40"), Decimal("1500.00"), Decimal("-612.00")]
    assert statement.balance_check == "ok"
    assert "sign convention chosen by reconciliation" in statement.warnings


def test_only_credits_marked_cr_leaves_unmarked_amounts_in_where_the_balances_say_so(tmp_path: Path) -> None:
    """The unmarked amounts stay money in where that is what adds up: the marker alone decides nothing."""
    page = [
        HEADER,
        _row("14/01/2024", "B/F BALANCE", "", "1,000.00"),
        _row("15/01/2024", "DEPOSIT", "386.40", "1,386.40"),
        _row("16/01/2024", "TRANSFER FROM CHAN", "1,500.00 CR", "2,886.40"),
    ]
    statement = parse_statement(_draw(tmp_path / "cr_in.pdf", [page]))
    assert [t.amount for t in statement.transactions] == [Decimal("386.40"), Decimal("1500.00")]
    assert statement.balance_check == "ok"
    assert "sign convention chosen by reconciliation" not in statement.warnings


def test_reconciliation_overruling_the_card_wording_is_a_warning(tmp_path: Path) -> None:
    """Card words (minimum payment, credit limit) but CR balances that only add up with money in positive."""
    page = [
        [(15, "Credit limit 5,000.00  Minimum payment 25.00", "L")],
        [],
        HEADER,
        _row("02/01/2024", "Opening balance", "", "100.00 CR"),
        _row("03/01/2024", "Refund", "20.00", "120.00 CR"),
        _row("04/01/2024", "Shop", "-5.00", "115.00 CR"),
    ]
    statement = parse_statement(_draw(tmp_path / "card.pdf", [page]))
    assert [t.amount for t in statement.transactions] == [Decimal("20.00"), Decimal("-5.00")]
    assert statement.balance_check == "ok"
    assert "sign convention chosen by reconciliation" in statement.warnings
