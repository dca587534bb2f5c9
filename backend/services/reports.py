"""Excel (.xlsx) transaction report, streamed with openpyxl's write-only mode.

The workbook has three sheets:

* ``Transactions``: one row per transaction (real date and number cells, a
  currency number format, frozen header, autofilter), with who set its category
  (``rule`` or ``manual``, as in the API and the CSV export; empty: nobody) and
  the currency of its statement (ISO 4217; empty: not known);
* ``By category``: money in, money out, net and count per currency and category
  (transactions without a category are reported as ``Uncategorized``);
* ``Monthly``: the same totals per currency and calendar month, with a bar chart
  of money in and out per month for each currency.

Amounts of different currencies are never added together: every total is one
currency's (statements whose currency is unknown make a group of their own, with
an empty Currency cell), and the summary rows are ordered by currency (by code,
the unknown one last), then by category or month.

Rows are consumed exactly once, as they arrive (typically from a server-side
database cursor), and the per-category and per-month totals are computed in
that same pass, so memory does not grow with the number of rows.

Speed: openpyxl turns every value into a ``Cell`` object and serialises it as
an XML element, which costs ~80 µs per row of four values (~80 s for a million
rows).  The rows of every sheet are therefore rendered directly as ``<row>``
XML text inside openpyxl's write-only worksheet writer
(:class:`_RowsAsTextSheetWriter`), at ~3 µs per row; everything else (styles,
sheet view, column widths, autofilter, the chart and the zip package) is still
produced by openpyxl.  The cell XML is the one openpyxl writes itself (inline
strings, style ids from the workbook's style table).  That writer subclasses
openpyxl internals (3.1): the tests read the reports back with openpyxl, so an
incompatible upgrade makes them fail.

User text (descriptions, categories) is only ever written by
:func:`_text_element`, as an inline string: a cell of type text, which a
spreadsheet never evaluates, whatever it starts with (``=``, ``+``, ``-``,
``@``...).  Through openpyxl's cells a text starting with ``=`` would become a
formula.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Generator, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.data_source import StrRef
from openpyxl.chart.series import SeriesLabel
from openpyxl.compat import safe_string
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import tostring

TRANSACTIONS_SHEET = "Transactions"
CATEGORY_SHEET = "By category"
MONTHLY_SHEET = "Monthly"
# The currency comes last on every sheet: the columns reports had before keep their places.
TRANSACTION_HEADERS = ("Date", "Description", "Amount", "Category", "Category source", "Currency")
CATEGORY_HEADERS = ("Category", "In", "Out", "Net", "Count", "Currency")
MONTHLY_HEADERS = ("Month", "In", "Out", "Net", "Count", "Currency")
UNCATEGORIZED = "Uncategorized"

# Two decimals, and a third where the amount has one (dinars count thousandths: 1,142.553;
# Excel's "#" after the point shows a digit only when it is not a trailing zero).
DEFAULT_CURRENCY_FORMAT = "#,##0.00#;[Red]-#,##0.00#"
DATE_FORMAT = "yyyy-mm-dd"
MONTH_FORMAT = "yyyy-mm"
TRANSACTION_COLUMN_WIDTHS = {"A": 12, "B": 60, "C": 16, "D": 24, "E": 16, "F": 10}
SUMMARY_COLUMN_WIDTHS = {"A": 24, "B": 16, "C": 16, "D": 16, "E": 10, "F": 10}
# Rows between the tops of two currencies' monthly charts (a chart is ~15 rows high).
CHART_ROWS = 18

#: Excel's limit on the length of a cell's text.
MAX_CELL_TEXT = 32_767
_PRESERVE_SPACE = ' xml:space="preserve"'
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_ZERO = Decimal(0)
#: The deflate level of the .xlsx package: 1 compresses ~3x faster than
#: zlib's default (6; 1M rows: 1.5 s instead of 4.5 s) for a ~17 % larger file.
_ZIP_COMPRESS_LEVEL = 1


class ReportRow(NamedTuple):
    """One transaction line of the report.

    A plain tuple ``(date, description, amount, category, category_source,
    currency)`` (e.g. a database cursor's row) is accepted wherever a
    ``ReportRow`` is: rows are unpacked, never accessed by name.  ``amount`` is
    negative for money out and positive for money in; ``category_source`` is who
    set the category, a :class:`backend.models.CategorySource` value (``manual``
    also with no category: cleared by hand) or None (nobody); ``currency`` the
    statement's ISO 4217 code, None when unknown.
    """

    date: datetime.date
    description: str
    amount: Decimal
    category: str | None
    category_source: str | None
    currency: str | None = None


#: A report row as a plain tuple (what a database cursor gives).
_RowTuple = tuple[datetime.date, str, Decimal, str | None, str | None, str | None]
#: A currency (ISO 4217; None: unknown) and what its amounts are totalled by.
_CategoryKey = tuple[str | None, str]
_MonthKey = tuple[str | None, datetime.date]


@dataclass(frozen=True)
class Totals:
    """Exact totals of a group of transactions.

    ``money_in`` sums the positive amounts, ``money_out`` the negative ones
    as a positive number; zero amounts are only counted.
    """

    money_in: Decimal = _ZERO
    money_out: Decimal = _ZERO
    count: int = 0

    @property
    def net(self) -> Decimal:
        """Money in minus money out."""
        return self.money_in - self.money_out


@dataclass(frozen=True)
class ReportSummary:
    """What was written: the row count and the totals shown on the summary sheets.

    ``by_category`` is keyed by (currency, the category as shown:
    ``Uncategorized`` for transactions without one), ``by_month`` by (currency,
    the first day of each month); both in the sheet's order: by currency (code
    order, None, unknown, last), then alphabetical (``Uncategorized`` last) or in
    calendar order.  No total adds two currencies.
    """

    row_count: int
    by_category: Mapping[_CategoryKey, Totals]
    by_month: Mapping[_MonthKey, Totals]


@dataclass(frozen=True)
class _StyleIds:
    """Workbook style ids (``s`` attribute) of the cells written as text."""

    header: int
    date: int
    month: int
    amount: int


#: Writes XML text.
_Write = Callable[[str], object]
#: Running totals of one (month, category): [money in, money out (<= 0), count].
_Accumulator = list
#: Running totals by (currency, year, month), then by category as given (None included).
_MonthlyTotals = dict[tuple[str | None, int, int], dict[str | None, _Accumulator]]


def write_transactions_report(
    rows: Iterable[ReportRow | _RowTuple],
    path: Path | str,
    *,
    currency_format: str = DEFAULT_CURRENCY_FORMAT,
    on_progress: Callable[[int], None] | None = None,
    progress_every: int = 50_000,
) -> ReportSummary:
    """Write the .xlsx report of ``rows`` to ``path`` and return its totals.

    ``rows`` is iterated once, in order; it is never held in memory.
    ``on_progress(rows_written)`` is called after every ``progress_every``
    rows (not at the end: the return means done).  The file appears at
    ``path`` only when complete (it is written to a temporary file in the same
    directory, then renamed); on any error the temporary file is removed and
    the exception propagates.

    Amounts must be ``Decimal`` (or ``int``): totals are computed exactly.
    Characters that XML cannot hold (control characters) are dropped from
    texts, and texts are cut to Excel's 32,767 characters.
    """
    if progress_every < 1:
        raise ValueError("progress_every must be at least 1")
    path = Path(path)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    workbook = Workbook(write_only=True)
    try:
        summary = _build_workbook(workbook, rows, currency_format, on_progress, progress_every)
        _save(workbook, Path(tmp_name))
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(Exception):  # the original error is the one to report
            _discard_sheet_files(workbook)
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return summary


def _build_workbook(
    workbook: Workbook,
    rows: Iterable[_RowTuple],
    currency_format: str,
    on_progress: Callable[[int], None] | None,
    progress_every: int,
) -> ReportSummary:
    """Fill the three sheets of ``workbook`` (in one pass over ``rows``)."""
    transactions = workbook.create_sheet(TRANSACTIONS_SHEET)
    by_category_sheet = workbook.create_sheet(CATEGORY_SHEET)
    monthly_sheet = workbook.create_sheet(MONTHLY_SHEET)

    styles = _StyleIds(
        header=_cell(transactions, None, font=Font(bold=True)).style_id,
        date=_cell(transactions, None, number_format=DATE_FORMAT).style_id,
        month=_cell(transactions, None, number_format=MONTH_FORMAT).style_id,
        amount=_cell(transactions, None, number_format=currency_format).style_id,
    )
    monthly_totals: _MonthlyTotals = {}
    render_rows = functools.partial(
        _write_transaction_rows,
        rows=rows,
        styles=styles,
        epoch=workbook.epoch,
        totals=monthly_totals,
        on_progress=on_progress,
        progress_every=progress_every,
    )
    row_count = _write_sheet(
        transactions, TRANSACTION_COLUMN_WIDTHS, render_rows,
        autofilter_to=get_column_letter(len(TRANSACTION_HEADERS)),
    )

    by_category = _totals_by_category(monthly_totals)
    by_month = _totals_by_month(monthly_totals)
    # Before the sheet is written (its tail links the charts): one chart per currency, of
    # its rows (consecutive: ordered by currency first), never one mixing currencies.
    first_row = 2
    for index, (currency, month_count) in enumerate(_counts_by_currency(by_month)):
        _add_monthly_chart(monthly_sheet, first_row, month_count, currency, index)
        first_row += month_count
    for sheet, headers, totals in (
        (by_category_sheet, CATEGORY_HEADERS, by_category),
        (monthly_sheet, MONTHLY_HEADERS, by_month),
    ):
        render_summary = functools.partial(
            _write_summary_rows, headers=headers, totals=totals, styles=styles, epoch=workbook.epoch
        )
        _write_sheet(sheet, SUMMARY_COLUMN_WIDTHS, render_summary)
    return ReportSummary(row_count=row_count, by_category=by_category, by_month=by_month)


def _write_sheet(
    ws: WriteOnlyWorksheet,
    column_widths: Mapping[str, int],
    render_rows: Callable[[_Write], int],
    autofilter_to: str | None = None,
) -> int:
    """Write a sheet whose header row stays in view; ``render_rows`` writes the rows.

    ``render_rows`` returns how many rows it wrote below the header, which this
    returns too; with ``autofilter_to`` (a column letter) the rows get an
    autofilter from column A to that one.
    """
    ws.freeze_panes = "A2"
    for column, width in column_widths.items():
        ws.column_dimensions[column].width = width
    writer = _RowsAsTextSheetWriter(ws, render_rows, autofilter_to)
    ws._writer = writer  # the writer openpyxl's close() and save() use for this sheet
    writer.write_top()
    ws.close()  # writes the rows, then the sheet's tail (autofilter...)
    return writer.row_count


class _RowsAsTextSheetWriter(WorksheetWriter):
    """openpyxl's write-only sheet writer, with ``<sheetData>`` written as XML text.

    openpyxl writes the parts before the rows (sheet view, columns...) and
    after them (autofilter, margins...) as usual; ``render_rows`` writes the
    ``<row>`` elements as text through the ``write`` function it is given and
    returns how many rows (below the header) it wrote.  The sheet's XML goes
    to a temporary file (in the system temporary directory, ``TMPDIR``; ~240
    bytes per row) that openpyxl packs into the .xlsx on save, then removes.
    """

    def __init__(
        self,
        ws: WriteOnlyWorksheet,
        render_rows: Callable[[_Write], int],
        autofilter_to: str | None = None,
    ):
        self._render_rows = render_rows
        self._autofilter_to = autofilter_to
        self.row_count = 0
        super().__init__(ws)

    def get_stream(self) -> Generator[_Write | None, object, None]:
        """The generator openpyxl sends the sheet's XML elements to.

        Sending ``True`` yields the file's raw ``write`` function (where
        openpyxl's own stream yields its XML writer); ``None`` is ignored.
        """
        with open(self.out, "w", encoding="utf-8", buffering=1 << 20) as out:
            out.write(
                f"<?xml version='1.0' encoding='utf-8'?>\n<worksheet xmlns=\"{SHEET_MAIN_NS}\">"
            )
            try:
                while True:
                    element = yield
                    if element is True:
                        yield out.write
                    elif element is not None:
                        out.write(tostring(element, encoding="unicode"))
            except GeneratorExit:
                pass
            out.write("</worksheet>")

    def write_rows(self) -> None:
        """Write ``<sheetData>``, and set the autofilter (if any) to the rows written."""
        write = self.xf.send(True)
        write("<sheetData>")
        self.row_count = self._render_rows(write)
        write("</sheetData>")
        self.xf.send(None)
        if self._autofilter_to is not None:
            self.ws.auto_filter.ref = f"A1:{self._autofilter_to}{self.row_count + 1}"


class _TextElements(dict[str, str]):
    """The ``<t>`` element of each cell text met so far (a report's categories and their
    sources repeat), built at its first use: a hit is a plain dict lookup."""

    def __missing__(self, text: str) -> str:
        element = self[text] = _text_element(text)
        return element


def _write_transaction_rows(
    write: _Write,
    rows: Iterable[_RowTuple],
    *,
    styles: _StyleIds,
    epoch: datetime.datetime,
    totals: _MonthlyTotals,
    on_progress: Callable[[int], None] | None,
    progress_every: int,
) -> int:
    """Write the header and one ``<row>`` per transaction; add each to ``totals``.

    This is the hot loop (once per transaction): dates, category and category
    source texts are cached, and the month's totals are looked up only when the
    date changes.
    Returns the number of transactions written.
    """
    _write_header_row(write, TRANSACTION_HEADERS, styles.header)
    date_style, amount_style = str(styles.date), str(styles.amount)
    text_elements = _TextElements()
    next_progress = progress_every + 1 if on_progress is not None else -1
    last_date: datetime.date | None = None
    last_currency: str | None = None
    serial = ""
    month_totals: dict[str | None, _Accumulator] = {}
    r = 1
    for date, description, amount, category, category_source, currency in rows:
        r += 1
        i = str(r)
        if date != last_date:
            last_date = date
            serial = safe_string(to_excel(date, epoch))  # as openpyxl writes it
            last_currency = currency
            month_totals = totals.setdefault((currency, date.year, date.month), {})
        elif currency != last_currency:  # statements of several currencies on one day
            last_currency = currency
            month_totals = totals.setdefault((currency, date.year, date.month), {})
        # Most descriptions need no escaping: test that cheaply, inline.
        space = ""
        if (
            not description.isprintable()
            or "&" in description
            or "<" in description
            or ">" in description
            or len(description) > MAX_CELL_TEXT
            or description != description.strip(" ")
        ):
            description, space = _xml_text(description)
        cells = (
            f'<row r="{i}"><c r="A{i}" s="{date_style}"><v>{serial}</v></c>'
            f'<c r="B{i}" t="inlineStr"><is><t{space}>{description}</t></is></c>'
            f'<c r="C{i}" s="{amount_style}"><v>{str(amount)}</v></c>'
        )
        if category is not None:
            cells += f'<c r="D{i}" t="inlineStr"><is>{text_elements[category]}</is></c>'
        # Also without a category: "manual" then says the user cleared it.
        if category_source is not None:
            cells += f'<c r="E{i}" t="inlineStr"><is>{text_elements[category_source]}</is></c>'
        if currency is not None:
            cells += f'<c r="F{i}" t="inlineStr"><is>{text_elements[currency]}</is></c>'
        write(f"{cells}</row>")
        accumulator = month_totals.get(category)
        if accumulator is None:
            accumulator = month_totals[category] = [_ZERO, _ZERO, 0]
        if amount > _ZERO:
            accumulator[0] += amount
        elif amount < _ZERO:
            accumulator[1] += amount
        accumulator[2] += 1
        if r == next_progress:
            on_progress(r - 1)  # next_progress is -1 without a callback
            next_progress += progress_every
    return r - 1


def _write_header_row(write: _Write, titles: Iterable[str], style: int) -> None:
    """Write row 1: the column titles, in the header style."""
    cells = "".join(
        f'<c r="{get_column_letter(index)}1" s="{style}" t="inlineStr">'
        f"<is>{_text_element(title)}</is></c>"
        for index, title in enumerate(titles, start=1)
    )
    write(f'<row r="1">{cells}</row>')


def _write_summary_rows(
    write: _Write,
    *,
    headers: tuple[str, ...],
    totals: Mapping[_CategoryKey, Totals] | Mapping[_MonthKey, Totals],
    styles: _StyleIds,
    epoch: datetime.datetime,
) -> int:
    """Write a header row and one row of totals (in, out, net, count, currency) per key.

    A key is (currency, a category: text) or (currency, a month: a date, shown as
    ``yyyy-mm``); an unknown currency (None) leaves its cell empty.
    Returns the number of rows below the header.
    """
    _write_header_row(write, headers, styles.header)
    r = 1
    for (currency, key), total in totals.items():
        r += 1
        if isinstance(key, datetime.date):
            first = f'<c r="A{r}" s="{styles.month}"><v>{safe_string(to_excel(key, epoch))}</v></c>'
        else:
            first = f'<c r="A{r}" t="inlineStr"><is>{_text_element(key)}</is></c>'
        amounts = "".join(
            f'<c r="{column}{r}" s="{styles.amount}"><v>{value}</v></c>'
            for column, value in (("B", total.money_in), ("C", total.money_out), ("D", total.net))
        )
        count = f'<c r="E{r}" t="n"><v>{total.count}</v></c>'
        code = f'<c r="F{r}" t="inlineStr"><is>{_text_element(currency)}</is></c>' if currency else ""
        write(f'<row r="{r}">{first}{amounts}{count}{code}</row>')
    return r - 1


def _xml_text(text: str) -> tuple[str, str]:
    """``text`` as XML character data, and the ``<t>`` attribute it needs.

    Characters XML cannot hold are dropped, the text is cut to Excel's limit
    and escaped; the attribute keeps leading and trailing spaces (as openpyxl
    does).  A carriage return is written as a character reference: a reader
    turns a literal one into a line feed (XML end-of-line handling).
    """
    text = _clean_text(text)
    space = _PRESERVE_SPACE if text != text.strip() else ""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace("\r", "&#13;"), space


def _clean_text(text: str) -> str:
    """``text`` without the characters XML cannot hold, cut to Excel's limit."""
    return _NOT_XML.sub("", text)[:MAX_CELL_TEXT]


def _text_element(text: str) -> str:
    """The ``<t>`` element of an inline string cell holding ``text``."""
    escaped, space = _xml_text(text)
    return f"<t{space}>{escaped}</t>"


def _currency_order(currency: str | None) -> tuple[bool, str]:
    """Currencies by code, the unknown one (None) last."""
    return currency is None, currency or ""


def _totals_by_category(monthly_totals: _MonthlyTotals) -> dict[_CategoryKey, Totals]:
    """Totals per (currency, category label): by currency, then by label, ``Uncategorized``
    last."""
    sums: dict[_CategoryKey, _Accumulator] = {}
    for (currency, _, _), categories in monthly_totals.items():
        for category, accumulator in categories.items():
            label = _clean_text(category) if category else UNCATEGORIZED
            _add(sums.setdefault((currency, label), [_ZERO, _ZERO, 0]), accumulator)
    ordered = sorted(
        sums,
        key=lambda key: (_currency_order(key[0]), key[1] == UNCATEGORIZED, key[1].casefold(), key[1]),
    )
    return {key: _totals(sums[key]) for key in ordered}


def _totals_by_month(monthly_totals: _MonthlyTotals) -> dict[_MonthKey, Totals]:
    """Totals per (currency, month keyed by its first day): by currency, in calendar order."""
    by_month: dict[_MonthKey, Totals] = {}
    ordered = sorted(monthly_totals.items(), key=lambda item: (_currency_order(item[0][0]), item[0][1:]))
    for (currency, year, month), categories in ordered:
        month_sum: _Accumulator = [_ZERO, _ZERO, 0]
        for accumulator in categories.values():
            _add(month_sum, accumulator)
        by_month[(currency, datetime.date(year, month, 1))] = _totals(month_sum)
    return by_month


def _counts_by_currency(by_month: Mapping[_MonthKey, Totals]) -> list[tuple[str | None, int]]:
    """Each currency of ``by_month`` (in its order) and how many months it has."""
    counts: dict[str | None, int] = {}
    for currency, _ in by_month:
        counts[currency] = counts.get(currency, 0) + 1
    return list(counts.items())


def _add(target: _Accumulator, source: _Accumulator) -> None:
    """Add the running totals ``source`` into ``target``."""
    for index, value in enumerate(source):
        target[index] += value


def _totals(accumulator: _Accumulator) -> Totals:
    """Freeze running totals (money out accumulated as a negative sum)."""
    money_in, money_out, count = accumulator
    if not (money_in.is_finite() and money_out.is_finite()):
        raise ValueError("amounts must be finite numbers")
    return Totals(money_in=money_in, money_out=-money_out, count=count)


def _cell(
    ws: WriteOnlyWorksheet,
    value: object,
    *,
    number_format: str | None = None,
    font: Font | None = None,
) -> WriteOnlyCell:
    """A write-only cell holding ``value`` with an optional number format and font."""
    cell = WriteOnlyCell(ws, value)
    if number_format is not None:
        cell.number_format = number_format
    if font is not None:
        cell.font = font
    return cell


def _add_monthly_chart(
    ws: WriteOnlyWorksheet, first_row: int, month_count: int, currency: str | None, index: int
) -> None:
    """Add a bar chart of one currency's money in and out per month (its rows: ``first_row``
    and the ``month_count`` - 1 below), beside the table, the ``index``-th from the top."""
    chart = BarChart()
    chart.title = f"Money in and out per month ({currency or 'currency not known'})"
    chart.y_axis.title = "Amount"
    chart.x_axis.title = "Month"
    chart.x_axis.number_format = MONTH_FORMAT
    chart.x_axis.delete = False  # openpyxl 3.1 hides the axes unless told
    chart.y_axis.delete = False
    chart.width = round(max(16.0, min(60.0, 1.2 * month_count)))  # cm
    last_row = first_row + month_count - 1
    chart.add_data(Reference(ws, min_col=2, max_col=3, min_row=first_row, max_row=last_row))
    # The series' names: the headers' (titles_from_data would take the row above the range).
    for series, column in zip(chart.series, ("B", "C"), strict=True):
        series.tx = SeriesLabel(strRef=StrRef(f"'{ws.title}'!${column}$1"))
    chart.set_categories(Reference(ws, min_col=1, min_row=first_row, max_row=last_row))
    ws.add_chart(chart, f"H{2 + CHART_ROWS * index}")


def _save(workbook: Workbook, path: Path) -> None:
    """Save ``workbook`` as a zip package at ``path`` (as openpyxl's ``save`` does, but faster)."""
    with zipfile.ZipFile(
        path, "w", zipfile.ZIP_DEFLATED, allowZip64=True, compresslevel=_ZIP_COMPRESS_LEVEL
    ) as archive:
        ExcelWriter(workbook, archive).write_data()


def _discard_sheet_files(workbook: Workbook) -> None:
    """Close and remove the temporary XML files of the write-only sheets.

    openpyxl removes them on a successful save only (otherwise at interpreter
    exit, too late for a long-running worker).
    """
    for ws in workbook.worksheets:
        rows = getattr(ws, "_rows", None)  # openpyxl's coroutine writing appended rows
        if rows is not None:
            rows.close()
        writer = getattr(ws, "_writer", None)
        if writer is None:
            continue
        writer.close()
        if os.path.exists(writer.out):
            writer.cleanup()
