"""Tests of the Excel transaction report (backend.services.reports)."""

from __future__ import annotations

import datetime
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet import _writer as openpyxl_sheet_writer

from backend.services.reports import (
    CATEGORY_HEADERS,
    CATEGORY_SHEET,
    DEFAULT_CURRENCY_FORMAT,
    MONTHLY_HEADERS,
    TRANSACTION_HEADERS,
    ReportRow,
    Totals,
    write_transactions_report,
)

D = datetime.date
CURRENCY = '"£"#,##0.00'

# Categories set by a rule, picked by hand, cleared by hand (None, "manual") or by nobody.
ROWS = [
    ReportRow(D(2024, 1, 2), "Salary ACME Ltd", Decimal("2500.00"), "Salary", "rule"),
    ReportRow(D(2024, 1, 3), "Tesco & Co <Store 12>", Decimal("-45.10"), "Groceries", "rule"),
    ReportRow(D(2024, 1, 3), "  padded  ", Decimal("-0.10"), "Groceries", "manual"),
    ReportRow(D(2024, 1, 20), "Cash\x07 withdrawal", Decimal("-0.20"), None, None),
    ReportRow(D(2024, 1, 31), "Refund", Decimal("0.10"), "Groceries", "rule"),
    ReportRow(D(2024, 2, 1), "Rent February", Decimal("-1200.00"), "Rent", "manual"),
    ReportRow(D(2024, 2, 14), "Zero-amount fee reversal", Decimal("0.00"), None, "manual"),
    ReportRow(D(2024, 2, 29), "Interest", Decimal("0.20"), "Uncategorized", "rule"),
]

# Keyed by (currency, category / month): these rows' statements' currency is not known.
EXPECTED_BY_CATEGORY = {
    (None, "Groceries"): Totals(Decimal("0.10"), Decimal("45.20"), 3),
    (None, "Rent"): Totals(Decimal("0"), Decimal("1200.00"), 1),
    (None, "Salary"): Totals(Decimal("2500.00"), Decimal("0"), 1),
    (None, "Uncategorized"): Totals(Decimal("0.20"), Decimal("0.20"), 3),
}
EXPECTED_BY_MONTH = {
    (None, D(2024, 1, 1)): Totals(Decimal("2500.10"), Decimal("45.40"), 5),
    (None, D(2024, 2, 1)): Totals(Decimal("0.20"), Decimal("1200.00"), 3),
}


@pytest.fixture()
def report(tmp_path: Path) -> Path:
    """The report of ``ROWS`` (as plain tuples, as a database cursor gives them)."""
    path = tmp_path / "report.xlsx"
    write_transactions_report((tuple(row) for row in ROWS), path, currency_format=CURRENCY)
    return path


def _values(ws) -> list[tuple]:
    return list(ws.iter_rows(values_only=True))


def _as_totals(row: tuple) -> Totals:
    """Totals from a summary sheet row (key, in, out, net, count, currency); checks net."""
    _, money_in, money_out, net, count, _ = row
    totals = Totals(Decimal(str(money_in)), Decimal(str(money_out)), count)
    assert Decimal(str(net)) == totals.net
    return totals


def test_sheets_are_named_and_ordered(report: Path) -> None:
    assert openpyxl.load_workbook(report).sheetnames == ["Transactions", "By category", "Monthly"]


def test_transactions_sheet_layout(report: Path) -> None:
    ws = openpyxl.load_workbook(report)["Transactions"]
    assert [cell.value for cell in ws[1]] == [
        "Date", "Description", "Amount", "Category", "Category source", "Currency",
    ]
    assert all(cell.font.b for cell in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:F{len(ROWS) + 1}"  # the source and currency are filtered too


def test_transaction_cells_are_typed_dates_and_amounts(report: Path) -> None:
    ws = openpyxl.load_workbook(report)["Transactions"]
    data_rows = list(ws.iter_rows(min_row=2))
    assert len(data_rows) == len(ROWS)
    for (date_cell, _, amount_cell, *_), expected in zip(data_rows, ROWS, strict=True):
        assert date_cell.is_date
        assert date_cell.number_format == "yyyy-mm-dd"
        assert date_cell.value.date() == expected.date
        assert amount_cell.data_type == "n"
        assert amount_cell.number_format == CURRENCY
        assert Decimal(str(amount_cell.value)) == expected.amount


def test_transaction_texts_are_escaped_and_cleaned(report: Path) -> None:
    ws = openpyxl.load_workbook(report)["Transactions"]
    descriptions = [row[1] for row in ws.iter_rows(min_row=2, values_only=True)]
    categories = [row[3] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert descriptions[1] == "Tesco & Co <Store 12>"
    assert descriptions[2] == "  padded  "
    assert descriptions[3] == "Cash withdrawal"  # the control character is dropped
    assert categories == [row.category for row in ROWS]


def test_transactions_say_who_set_their_category(report: Path) -> None:
    rows = list(openpyxl.load_workbook(report)["Transactions"].iter_rows(min_row=2))
    assert [(row[3].value, row[4].value) for row in rows] == [
        (row.category, row.category_source) for row in ROWS
    ]
    assert {row[4].data_type for row in rows if row[4].value is not None} == {"s"}


def test_category_totals_are_exact(report: Path) -> None:
    rows = _values(openpyxl.load_workbook(report)["By category"])
    assert rows[0] == CATEGORY_HEADERS
    assert {(row[5], row[0]): _as_totals(row) for row in rows[1:]} == EXPECTED_BY_CATEGORY
    assert [(row[5], row[0]) for row in rows[1:]] == list(EXPECTED_BY_CATEGORY)  # Uncategorized last


def test_monthly_totals_are_exact(report: Path) -> None:
    ws = openpyxl.load_workbook(report)["Monthly"]
    rows = _values(ws)
    assert rows[0] == MONTHLY_HEADERS
    assert {(row[5], row[0].date()): _as_totals(row) for row in rows[1:]} == EXPECTED_BY_MONTH
    assert ws["A2"].number_format == "yyyy-mm"
    assert ws["B2"].number_format == CURRENCY


def test_summary_is_returned(tmp_path: Path) -> None:
    summary = write_transactions_report(iter(ROWS), tmp_path / "r.xlsx")
    assert summary.row_count == len(ROWS)
    assert summary.by_category == EXPECTED_BY_CATEGORY
    assert summary.by_month == EXPECTED_BY_MONTH


def test_monthly_sheet_has_a_chart(report: Path) -> None:
    with zipfile.ZipFile(report) as archive:
        assert "xl/charts/chart1.xml" in archive.namelist()
    charts = openpyxl.load_workbook(report)["Monthly"]._charts
    assert len(charts) == 1
    assert charts[0].tagname == "barChart"


def test_default_currency_format(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    write_transactions_report(ROWS[:1], path)
    amount = openpyxl.load_workbook(path)["Transactions"]["C2"]
    assert amount.number_format == DEFAULT_CURRENCY_FORMAT


def test_a_third_decimal_is_kept_and_shown_by_the_default_format(tmp_path: Path) -> None:
    path = tmp_path / "dinars.xlsx"
    write_transactions_report([ReportRow(D(2024, 1, 2), "Fee", Decimal("-1142.553"), "Fees", "rule")], path)
    amount = openpyxl.load_workbook(path)["Transactions"]["C2"]
    assert amount.value == -1142.553
    positive, negative = amount.number_format.split(";")
    assert positive.endswith(".00#") and negative.endswith(".00#"), amount.number_format


def test_empty_report_has_only_headers(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    summary = write_transactions_report(iter(()), path)
    assert summary.row_count == 0
    wb = openpyxl.load_workbook(path)
    assert _values(wb["Transactions"]) == [TRANSACTION_HEADERS]
    assert _values(wb["By category"]) == [CATEGORY_HEADERS]
    assert _values(wb["Monthly"]) == [MONTHLY_HEADERS]
    assert wb["Transactions"].auto_filter.ref == "A1:F1"


def test_progress_is_reported_every_n_rows(tmp_path: Path) -> None:
    seen: list[int] = []
    write_transactions_report(ROWS, tmp_path / "r.xlsx", on_progress=seen.append, progress_every=3)
    assert seen == [3, 6]


def test_long_text_is_cut_to_excel_limit(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    write_transactions_report([ReportRow(D(2024, 1, 1), "x" * 40_000, Decimal(1), None, None)], path)
    assert openpyxl.load_workbook(path)["Transactions"]["B2"].value == "x" * 32_767


def _failing_rows(after: int) -> Iterator[ReportRow]:
    yield from ROWS[:after]
    raise RuntimeError("database connection lost")


def test_error_mid_iteration_leaves_no_file(tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"
    with pytest.raises(RuntimeError, match="connection lost"):
        write_transactions_report(_failing_rows(3), path)
    assert list(tmp_path.iterdir()) == []
    leftovers = [name for name in openpyxl_sheet_writer.ALL_TEMP_FILES if Path(name).exists()]
    assert leftovers == []


def test_error_keeps_previous_report(tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"
    path.write_bytes(b"previous")
    with pytest.raises(RuntimeError):
        write_transactions_report(_failing_rows(3), path)
    assert path.read_bytes() == b"previous"
    assert list(tmp_path.iterdir()) == [path]


def test_float_amounts_are_rejected(tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"
    with pytest.raises(TypeError):
        write_transactions_report([(D(2024, 1, 1), "x", 1.5, None, None, None)], path)
    assert list(tmp_path.iterdir()) == []


def test_replaces_existing_report(tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"
    path.write_bytes(b"previous")
    write_transactions_report(ROWS, path)
    assert openpyxl.load_workbook(path).sheetnames[0] == "Transactions"
    assert list(tmp_path.iterdir()) == [path]


def test_unusual_texts_round_trip(tmp_path: Path) -> None:
    texts = [
        "Tab\there", "line 1\nline 2", "emoji 💶 ok", "nbsp\u00a0x", "a < b & c > d", " lead",
        "trail\t", "carriage\r\nreturn\r",
    ]
    rows = [ReportRow(D(2024, 1, 1), text, Decimal(1), f"{text} cat", "rule") for text in texts]
    rows.append(ReportRow(D(2024, 1, 1), "lone \ud800 surrogate\ufffe", Decimal(1), "x\x00y", "manual"))
    path = tmp_path / "r.xlsx"
    write_transactions_report(rows, path)
    read = list(openpyxl.load_workbook(path)["Transactions"].iter_rows(min_row=2, values_only=True))
    assert [row[1] for row in read] == [*texts, "lone  surrogate"]
    assert [row[3] for row in read] == [f"{text} cat" for text in texts] + ["xy"]


@pytest.mark.parametrize("amount", [Decimal("NaN"), Decimal("Infinity")])
def test_non_finite_amounts_are_rejected(tmp_path: Path, amount: Decimal) -> None:
    with pytest.raises(ArithmeticError if amount.is_nan() else ValueError):
        write_transactions_report(
            [*ROWS, ReportRow(D(2024, 3, 1), "x", amount, None, None)], tmp_path / "r.xlsx"
        )
    assert list(tmp_path.iterdir()) == []
    assert [name for name in openpyxl_sheet_writer.ALL_TEMP_FILES if Path(name).exists()] == []


FORMULA_LIKE = [
    "=1+1", '=HYPERLINK("http://x","y")', "+SUM(A1:A2)", "-2+3", "@SUM(1)", "\t=1", "\r=1",
    "=cmd|' /C calc'!A0",
]


def test_user_texts_that_look_like_formulas_stay_text(tmp_path: Path) -> None:
    """Descriptions and categories are written as text cells, never as formulas."""
    rows = [
        ReportRow(D(2024, 1, day), text, Decimal(-1), f"{text} cat", "manual")
        for day, text in enumerate(FORMULA_LIKE, start=1)
    ]
    path = tmp_path / "r.xlsx"
    write_transactions_report(rows, path)
    workbook = openpyxl.load_workbook(path)

    transactions = list(workbook["Transactions"].iter_rows(min_row=2))
    for cells, text in zip(transactions, FORMULA_LIKE, strict=True):
        description, category = cells[1], cells[3]
        assert (description.data_type, description.value) == ("s", text)
        assert (category.data_type, category.value) == ("s", f"{text} cat")
    labels = [row[0] for row in workbook[CATEGORY_SHEET].iter_rows(min_row=2)]
    assert sorted(cell.value for cell in labels) == sorted(f"{text} cat" for text in FORMULA_LIKE)
    assert {cell.data_type for cell in labels} == {"s"}


# Statements in euros, Canadian dollars and an unknown currency, interleaved by date.
MIXED = [
    ReportRow(D(2024, 1, 2), "CAFE PARIS", Decimal("-7.00"), "Coffee", "rule", "EUR"),
    ReportRow(D(2024, 1, 2), "TIM HORTONS", Decimal("-4.00"), "Coffee", "rule", "CAD"),
    ReportRow(D(2024, 1, 3), "PAIE", Decimal("100.00"), "Salary", "rule", "EUR"),
    ReportRow(D(2024, 1, 3), "CASH", Decimal("-1.00"), None, None, None),
    ReportRow(D(2024, 2, 1), "TIM HORTONS", Decimal("-2.50"), "Coffee", "manual", "CAD"),
    ReportRow(D(2024, 2, 1), "BOULANGERIE", Decimal("-3.00"), "Coffee", "rule", "EUR"),
]


def test_currencies_are_never_added_together(tmp_path: Path) -> None:
    """Every total is one currency's, a Currency column says whose (empty: not known), and
    each currency's months get their own chart."""
    path = tmp_path / "mixed.xlsx"
    summary = write_transactions_report(iter(MIXED), path)
    assert summary.by_category == {
        ("CAD", "Coffee"): Totals(Decimal(0), Decimal("6.50"), 2),
        ("EUR", "Coffee"): Totals(Decimal(0), Decimal("10.00"), 2),
        ("EUR", "Salary"): Totals(Decimal("100.00"), Decimal(0), 1),
        (None, "Uncategorized"): Totals(Decimal(0), Decimal("1.00"), 1),
    }
    assert list(summary.by_month) == [
        ("CAD", D(2024, 1, 1)), ("CAD", D(2024, 2, 1)), ("EUR", D(2024, 1, 1)), ("EUR", D(2024, 2, 1)),
        (None, D(2024, 1, 1)),
    ]
    assert summary.by_month[("EUR", D(2024, 1, 1))] == Totals(Decimal("100.00"), Decimal("7.00"), 2)
    workbook = openpyxl.load_workbook(path)
    transactions = list(workbook["Transactions"].iter_rows(min_row=2, values_only=True))
    assert [row[5] for row in transactions] == [row.currency for row in MIXED]
    by_category = _values(workbook["By category"])
    assert [(row[5], row[0]) for row in by_category[1:]] == list(summary.by_category)
    assert {(row[5], row[0]): _as_totals(row) for row in by_category[1:]} == summary.by_category
    monthly = workbook["Monthly"]
    assert [(row[5], row[0].date()) for row in _values(monthly)[1:]] == list(summary.by_month)
    charts = monthly._charts
    assert len(charts) == 3  # CAD, EUR, unknown: no chart draws two currencies
    with zipfile.ZipFile(path) as archive:
        xml = [archive.read(f"xl/charts/chart{n}.xml").decode() for n in (1, 2, 3)]
    # Each chart draws its currency's rows (and takes the series' names from the headers).
    assert "(CAD)" in xml[0] and "'Monthly'!$B$2:$B$3" in xml[0] and "'Monthly'!$C$1" in xml[0]
    assert "(EUR)" in xml[1] and "'Monthly'!$C$4:$C$5" in xml[1]
    assert "(currency not known)" in xml[2] and "'Monthly'!$B$6<" in xml[2]
