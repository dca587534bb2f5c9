"""Bank-statement PDF generator with ground truth, for testing the statement parser.

Every layout writes a text PDF (fpdf2 core fonts, latin-1 only) whose columns are
words drawn at explicit x positions, the way real bank PDFs are built, and returns
a :class:`StatementTruth` describing exactly what was printed.  Everything is
deterministic: fixed seeds, fixed dates, fixed PDF creation date.

Sign and truth conventions
--------------------------
* ``amount`` is from the account holder's view: negative = money out, positive = money in.
* ``date`` is the first printed date column (transaction date; "Post date" / "Value
  date" columns are extra columns). Years that are not printed come from the period.
* ``description`` is the description column only (no Type / Ref / Value-date cells),
  wrapped lines joined with one space.
* Credit-card balances are owed amounts, so in truth they are NEGATIVE (opening
  "Previous balance $1,234.56" -> ``Decimal("-1234.56")``); that keeps
  ``opening + sum(amounts) == closing`` true for cards too.
* ``bank_source`` is a stable slug per bank (``"northgate"``, ``"first_prairie"`` ...).
* ``transactions`` are in printed order (in the sectioned layout: deposits first,
  then withdrawals).  Balance rows (opening / brought forward / carried forward /
  closing), section headings and total lines are never transactions.

Balance-check rule (``balance_check`` / ``balance_mismatch_rows``)
------------------------------------------------------------------
Walk the transactions in printed order keeping ``running`` = the opening balance
(or unknown when none is printed).  For each row: ``running += amount`` when known;
if the row prints a balance and ``running`` is known and differs, the row *breaks*;
then ``running`` := the printed balance (re-synchronise on every printed value).
Finally, if a closing balance is printed and ``running`` is known, compare them;
a failing closing comparison counts as ONE extra mismatch row.
``"unavailable"`` = not a single comparison was possible; ``"mismatch"`` = at least
one break; otherwise ``"ok"``.  The "mismatch" layout prints a running balance that
drifts by a fixed error from one row onwards (the bank's own total drifts), so
exactly one row breaks and the printed closing balance agrees with the printed
chain; there ``opening + sum(amounts) != closing``.  In every other layout
``opening + sum(amounts) == closing`` whenever both are printed.

Layouts -> cases covered
------------------------
====================  =====================================================================
northgate_uk          UK bank, 3 pages; Date | Type | Description | Paid out | Paid in |
                      Balance; dates ``DD Mon`` with the period crossing New Year
                      (15 Dec 2023 - 14 Jan 2024); Type column (DD/POS/FPO...); balance
                      printed only on the last row of each day (others None); "Balance
                      brought forward" opening row, "Balance carried forward" /
                      "Balance brought forward" rows at every page break and as closing
                      row; "continued" + "Page 2 of 3" + address footer on each page;
                      descriptions wrapping to 2 and 3 lines; "2 COFFEES ..." description.
rheinufer_de          German bank, 2 pages; Date | Value date | Narrative | Amount | Balance;
                      ``DD.MM.YYYY``; thousands dot + decimal comma ``-1.234,56``; signed
                      amount with leading minus; Value-date extra column; "Opening
                      balance" / "Closing balance" rows; 3-line SEPA narratives;
                      description "-1234 ACME REFUND" starting with a minus and digits.
littoral_fr           French bank, 1 page; Date | Ref no. | Particulars | Debit | Credit;
                      ``DD/MM/YYYY``; space thousands ``1 234,56``; no running balance but
                      "Opening balance" / "Closing balance" rows in the Credit column ->
                      check "ok"; "Total debits" / "Total credits" lines; latin-1 accents.
prairie_us            American bank (USD, Letter), 2 pages; sections "Deposits" and
                      "Withdrawals", each Date | Description | Amount with UNSIGNED amounts
                      (section gives the sign); ``MM/DD/YYYY``; "Beginning balance" /
                      "Ending balance" summary, no running balance -> "ok"; "Total
                      deposits" / "Total withdrawals" lines with "$".
summit_card           US credit card, 1 page; Trans date | Post date | Description | Amount;
                      ``MM/DD`` with period crossing New Year (12/16/2023 - 01/15/2024);
                      charges unsigned (money out), payments/refunds ``500.00 CR`` (money
                      in); "Previous balance" / "New balance" summary, "Minimum payment due"
                      distractors; "Total payments and credits" / "Total purchases" lines;
                      wrapped descriptions; description starting with digits (7-ELEVEN).
coral_au              Australian bank, 2 pages; Date | Transaction details | Money out |
                      Money in | Balance; ``DD Mon YYYY``; balance with ``CR`` / ``DR``
                      suffix (goes overdrawn -> ``DR`` negatives); "Opening balance" /
                      "Closing balance" rows; wrapped details.
deccan_in             Indian bank, 2 pages; Date | Particulars | Chq/Ref No. | Withdrawals |
                      Deposits | Balance; ``DD-Mon-YY``; Ref extra column between
                      description and amounts; "Opening Balance" / "Closing Balance" rows;
                      one "Total" line with both columns filled.
fjord_no              Norwegian bank, 1 page, Courier, RULED table (grid lines);
                      Ref | Type | Details | Amount | Date -> DATE COLUMN AFTER THE AMOUNT;
                      ``YYYY-MM-DD``; trailing-minus negatives ``1,234.56-``; neither
                      opening nor closing balance and no running balance -> "unavailable".
kestrel_bs            UK building society, 1 page; Date | Details | Amount | Balance;
                      ordinal dates ``12th Feb`` (year from the period); parentheses
                      negatives ``(1,234.56)``; "Balance brought forward" / "Closing
                      balance" rows; check "ok".
kestrel_mismatch      Same as kestrel_bs but one printed running balance is wrong (drift of
                      10.00 from that row on) -> "mismatch", balance_mismatch_rows == 1.
====================  =====================================================================

Every layout prints a bank name at the top, an account number, a statement period
and amounts >= 1,000. Beyond these, ``random_layout`` draws layouts from a grammar,
``random_ambiguous_layout`` adds what only reconciliation or geometry can resolve, and
``write_card_statement`` prints several cardholders' sections and a payments section.
``make_long_statement`` renders any layout with many seeded transactions and compact rows
(~40-45 rows per page) at an exact page count.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path

from fpdf import FPDF

from tests.support.joined_pdfs import join_pdfs

# --------------------------------------------------------------------------- truth


@dataclass(frozen=True)
class TruthTransaction:
    """One printed transaction row."""

    date: date
    description: str  # single-spaced text as printed, wrapped lines joined with one space
    amount: Decimal  # negative = money out, positive = money in
    balance: Decimal | None  # the running balance printed on that row, None if none


# The statement-level fields of the truth that the parser's result must match.
TRUTH_FIELDS = (
    "bank_name",
    "bank_source",
    "account_last4",
    "period_start",
    "period_end",
    "opening_balance",
    "closing_balance",
    "balance_check",
    "balance_mismatch_rows",
    "page_count",
)


@dataclass(frozen=True)
class StatementTruth:
    """What a correct parser must extract from one generated PDF."""

    layout: str
    bank_source: str | None
    account_last4: str | None
    period_start: date | None
    period_end: date | None
    opening_balance: Decimal | None
    closing_balance: Decimal | None
    balance_check: str  # "ok" | "mismatch" | "unavailable"
    balance_mismatch_rows: int
    page_count: int
    transactions: tuple[TruthTransaction, ...]
    bank_name: str | None = None  # as printed at the top of every page
    features: tuple[str, ...] = ()  # the grammar variations that show in this PDF (see random_layout)


def evaluate_balance_chain(
    opening: Decimal | None,
    closing: Decimal | None,
    transactions: Sequence[TruthTransaction],
) -> tuple[str, int]:
    """Apply the balance-check rule of the module docstring; return (status, breaking rows)."""
    running = opening
    comparisons = 0
    breaks = 0
    for transaction in transactions:
        if running is not None:
            running += transaction.amount
        if transaction.balance is not None:
            if running is not None:
                comparisons += 1
                breaks += transaction.balance != running
            running = transaction.balance
    if closing is not None and running is not None:
        comparisons += 1
        breaks += closing != running
    if comparisons == 0:
        return "unavailable", 0
    return ("mismatch" if breaks else "ok"), breaks


# ---------------------------------------------------------------------- formatting

CENT = Decimal("0.01")
MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)


@dataclass(frozen=True)
class MoneyStyle:
    """How a bank prints money: separators and the way negatives are marked."""

    thousands: str = ","
    decimal: str = "."
    negative_prefix: str = "-"
    negative_suffix: str = ""
    positive_suffix: str = ""
    decimals: int = 2  # 3 for KWD, BHD, OMR...
    currency_before: str = ""  # printed next to the number, inside the sign: "-€1,234.56"
    currency_after: str = ""  # " EUR": "1,234.56 EUR"

    def format(self, value: Decimal) -> str:
        """Format a signed value, e.g. ``-1234.5`` -> ``(1,234.50)`` for parentheses style."""
        whole, fraction = f"{abs(value).quantize(Decimal(1).scaleb(-self.decimals)):f}".split(".")
        groups = []
        while len(whole) > 3:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        groups.insert(0, whole)
        body = self.thousands.join(groups) + self.decimal + fraction + self.currency_after
        code = self.currency_before if self.currency_before.endswith(" ") else ""  # "EUR -1.00", "-€1.00"
        body = self.currency_before.removeprefix(code) + body
        if value < 0:
            return code + self.negative_prefix + body + self.negative_suffix
        return code + body + self.positive_suffix

    def unsigned(self, value: Decimal) -> str:
        """Format the magnitude only (separate debit/credit columns, totals)."""
        return replace(self, positive_suffix="").format(abs(value))


COMMA_MINUS = MoneyStyle()
COMMA_PARENS = MoneyStyle(negative_prefix="(", negative_suffix=")")
COMMA_TRAILING_MINUS = MoneyStyle(negative_prefix="", negative_suffix="-")
COMMA_DR_CR = MoneyStyle(negative_prefix="", negative_suffix=" DR", positive_suffix=" CR")
COMMA_CR_CREDITS = MoneyStyle(negative_prefix="", negative_suffix=" CR")  # card view: credits CR
DOT_DECIMAL_COMMA = MoneyStyle(thousands=".", decimal=",")
SPACE_DECIMAL_COMMA = MoneyStyle(thousands=" ", decimal=",")


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


DATE_STYLES: dict[str, Callable[[date], str]] = {
    "DD/MM/YYYY": lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}",
    "DD.MM.YYYY": lambda d: f"{d.day:02d}.{d.month:02d}.{d.year}",
    "YYYY-MM-DD": lambda d: d.isoformat(),
    "DD Mon YYYY": lambda d: f"{d.day:02d} {MONTH_ABBR[d.month - 1]} {d.year}",
    "DD-Mon-YY": lambda d: f"{d.day:02d}-{MONTH_ABBR[d.month - 1]}-{d.year % 100:02d}",
    "DD Mon": lambda d: f"{d.day:02d} {MONTH_ABBR[d.month - 1]}",
    "Nth Mon": lambda d: f"{_ordinal(d.day)} {MONTH_ABBR[d.month - 1]}",
    "MM/DD": lambda d: f"{d.month:02d}/{d.day:02d}",
    "MM/DD/YYYY": lambda d: f"{d.month:02d}/{d.day:02d}/{d.year}",
    "D Month YYYY": lambda d: f"{d.day} {MONTH_NAMES[d.month - 1]} {d.year}",
}

# Core PDF fonts print latin-1 only; "€", "’" and a thin space need a Unicode font. DejaVu Sans
# comes with the machine (Debian's fonts-dejavu-core, beside fontconfig).
UNICODE_FONT = "DejaVu"
_UNICODE_FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
# Distance between the lines of a stacked table header, in mm per point of type size (1.15 lines).
HEADER_LINE_PITCH = 0.3528 * 1.15


def _add_unicode_font(pdf: FPDF) -> None:
    for style, name in _UNICODE_FONT_FILES.items():
        font_file = _FONT_DIR / name
        if not font_file.exists():
            raise FileNotFoundError(f"{font_file} is missing: install Debian's fonts-dejavu-core")
        pdf.add_font(UNICODE_FONT, style, str(font_file))


# ------------------------------------------------------------------ layout specs


@dataclass(frozen=True)
class Column:
    """One table column. ``key`` says what goes in it (see ``_transaction_cells``)."""

    key: str  # date | post_date | type | ref | description | amount | debit | credit | balance
    header: str
    x: float  # left edge, mm
    width: float
    align: str = "L"


@dataclass(frozen=True)
class BalanceRow:
    """An opening/closing balance row inside the table (never a transaction).

    ``column`` is ``balance``, ``amount`` or ``side`` (credit column if >= 0, else debit).
    """

    label: str
    column: str = "balance"
    dated: bool = False


@dataclass(frozen=True)
class TotalRow:
    """A summary line such as ``Total debits 1,234.00`` (quantity per column)."""

    label: str
    cells: tuple[tuple[str, str], ...]  # (column key, quantity: money_in | money_out)


@dataclass(frozen=True)
class Section:
    """A table section whose heading gives the sign of its unsigned amounts."""

    heading: str
    sign: int  # +1 money in, -1 money out
    total_label: str


@dataclass(frozen=True)
class SummaryLine:
    """A first-page summary line: label and a quantity, or fixed text when quantity is ''."""

    label: str
    quantity: str = ""  # opening | closing | money_in | money_out | "" (use text)
    text: str = ""


@dataclass(frozen=True)
class LayoutSpec:
    """Everything about how one bank prints its statement."""

    bank_name: str
    bank_source: str
    address_lines: tuple[str, ...]
    title: str
    customer_lines: tuple[str, ...]
    account_template: str  # contains {number}
    account_number: str
    period_template: str  # contains {start} and {end}
    period_date_style: str
    columns: tuple[Column, ...]
    date_style: str
    money: MoneyStyle
    footer_lines: tuple[str, ...]
    page_label: str = "Page {page} of {pages}"
    page_format: str = "A4"
    font: str = "Helvetica"
    font_size: float = 8.0
    line_height: float = 4.0
    row_gap: float = 1.0
    ruled: bool = False
    sign_view: int = 1  # -1: amounts and balances printed from the card issuer's view
    currency_prefix: str = ""  # used on summary and total lines
    summary_title: str = ""
    summary: tuple[SummaryLine, ...] = ()
    opening_row: BalanceRow | None = None
    closing_row: BalanceRow | None = None
    carry_labels: tuple[str, str] | None = None  # (carried forward, brought forward)
    continued_top: str | None = None
    continued_bottom: str | None = None
    balance_on_last_row_of_day: bool = False
    # (row index, error): the statement does not add up ("mismatch"); that row prints a balance
    balance_drift: tuple[int, Decimal] | None = None
    sections: tuple[Section, ...] = ()
    totals: tuple[TotalRow, ...] = ()
    date_once_per_day: bool = False  # the date printed on the first row of each day only
    split_rows: bool = False  # a wrapped description may continue at the top of the next page
    features: tuple[str, ...] = ()  # the grammar's variations this layout uses (for coverage)
    # A wrapped description's first line is printed above the line with the date and amounts.
    description_above: bool = False
    # The date and amounts of a wrapped row are drawn this many lines below its first line
    # (0.5: between its first two lines, as banks that centre them vertically do).
    dated_offset: float = 0.0

    @property
    def column_keys(self) -> frozenset[str]:
        return frozenset(column.key for column in self.columns)

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)

    def prints_opening(self) -> bool:
        return self.opening_row is not None or any(s.quantity == "opening" for s in self.summary)

    def prints_closing(self) -> bool:
        return self.closing_row is not None or any(s.quantity == "closing" for s in self.summary)


# ------------------------------------------------------------ transaction source


@dataclass(frozen=True)
class MerchantPool:
    """Plausible (type code, description) pairs for one country."""

    debits: tuple[tuple[str, str], ...]
    credits: tuple[tuple[str, str], ...]
    top_up: tuple[str, str]  # credit used when a debit would breach the balance floor


@dataclass(frozen=True)
class ScriptedTransaction:
    """A hand-written transaction placed ``day`` days after the period start."""

    day: int
    kind: str
    description: str
    amount: str  # signed, holder's view


@dataclass(frozen=True)
class Scenario:
    """The money side of a statement: period, opening balance, seeded transactions."""

    period_start: date
    period_end: date
    opening: Decimal
    transaction_count: int
    seed: int
    pool: MerchantPool
    scripted: tuple[ScriptedTransaction, ...] = ()
    credit_ratio: float = 0.15
    balance_floor: Decimal | None = Decimal("0")
    decimals: int = 2  # 3: amounts in fils/baisa (KWD, BHD, OMR)


@dataclass(frozen=True)
class DraftTransaction:
    """A generated transaction with the extra cells some layouts print."""

    date: date
    kind: str
    description: str
    amount: Decimal
    ref: str
    second_date: date  # value date / post date


def generate_transactions(scenario: Scenario, count: int) -> list[DraftTransaction]:
    """Seeded transactions in date order: scripted ones plus random ones from the pool."""
    rng = random.Random(scenario.seed)
    span = (scenario.period_end - scenario.period_start).days
    slots: list[tuple[date, int, ScriptedTransaction | None]] = [
        (scenario.period_start + timedelta(days=s.day), i, s) for i, s in enumerate(scenario.scripted)
    ]
    for i in range(max(count - len(scenario.scripted), 0)):
        day = scenario.period_start + timedelta(days=rng.randint(0, span))
        slots.append((day, len(scenario.scripted) + i, None))
    slots.sort(key=lambda slot: (slot[0], slot[1]))

    running = scenario.opening
    drafts = []
    for day, _, scripted in slots:
        if scripted is not None:
            kind, description, amount = scripted.kind, scripted.description, Decimal(scripted.amount)
        elif rng.random() < scenario.credit_ratio:
            kind, description = rng.choice(scenario.pool.credits)
            amount = Decimal(rng.randint(2_000, 90_000)) / 100
        else:
            kind, description = rng.choice(scenario.pool.debits)
            amount = -Decimal(rng.randint(250, 24_000)) / 100
            floor = scenario.balance_floor
            if floor is not None and running + amount < floor:
                kind, description = scenario.pool.top_up
                amount = Decimal("2500.00")
        if scenario.decimals == 3:  # a draw only for three-decimal currencies: other seeds unchanged
            amount += Decimal(rng.randint(0, 9) * (1 if amount > 0 else -1)) / 1000
        amount = amount.quantize(Decimal(1).scaleb(-scenario.decimals))
        running += amount
        second_date = min(day + timedelta(days=rng.choice((0, 0, 1, 2))), scenario.period_end)
        drafts.append(
            DraftTransaction(day, kind, description, amount, str(rng.randint(10**7, 10**8 - 1)), second_date)
        )
    return drafts


# ----------------------------------------------------------------------- blocks

Cells = tuple[tuple[str, str], ...]  # (column key, text); "_heading" spans the table


@dataclass(frozen=True)
class Block:
    """A vertical unit of the table: one row, possibly several wrapped lines."""

    lines: tuple[Cells, ...]
    bold: bool = False
    balance_after: Decimal | None = None  # printed-chain balance after this block
    keep_with_next: bool = False
    dated_offset: float = 0.0  # lines below the first line at which its non-description cells are drawn


@dataclass(frozen=True)
class _Ledger:
    """Printed figures derived from the drafts: truth rows and summary quantities."""

    transactions: tuple[TruthTransaction, ...]
    chain: tuple[Decimal, ...]  # printed-chain balance after each draft (drift included)
    opening: Decimal
    closing: Decimal
    money_in: Decimal
    money_out: Decimal


def _build_ledger(spec: LayoutSpec, scenario: Scenario, drafts: Sequence[DraftTransaction]) -> _Ledger:
    """Compute running balances, the drift (if any) and which rows print a balance."""
    has_balance_column = "balance" in spec.column_keys
    running = scenario.opening
    chain = []
    rows = []
    for index, draft in enumerate(drafts):
        running += draft.amount
        drift = spec.balance_drift
        chained = running + (drift[1] if drift and index >= drift[0] else 0)
        chain.append(chained)
        last_of_day = index + 1 == len(drafts) or drafts[index + 1].date != draft.date
        prints_balance = has_balance_column and (last_of_day or not spec.balance_on_last_row_of_day)
        balance = chained if prints_balance else None
        rows.append(TruthTransaction(draft.date, draft.description, draft.amount, balance))
    return _Ledger(
        transactions=tuple(rows),
        chain=tuple(chain),
        opening=scenario.opening,
        closing=chain[-1] if chain else scenario.opening,
        money_in=sum((d.amount for d in drafts if d.amount > 0), Decimal("0.00")),
        money_out=-sum((d.amount for d in drafts if d.amount < 0), Decimal("0.00")),
    )


class _StatementPdf:
    """Draws one statement with fpdf2: page frame, wrapped table rows, pagination."""

    def __init__(self, spec: LayoutSpec, period: tuple[date, date]) -> None:
        self.spec = spec
        self.period = period
        self._wrapped: dict[tuple[str, float], list[str]] = {}
        self.split_rows = 0  # rows whose description went on at the top of the next page
        self.pdf = FPDF(orientation="P", unit="mm", format=spec.page_format)
        self.pdf.set_auto_page_break(False)
        self.pdf.set_creation_date(datetime(2024, 6, 1, tzinfo=UTC))
        self.pdf.set_title(f"{spec.bank_name} - {spec.title}")
        if spec.font == UNICODE_FONT:
            _add_unicode_font(self.pdf)
        self.pdf.set_font(spec.font, "", spec.font_size)
        self.left = min(c.x for c in spec.columns)
        self.right = max(c.x + c.width for c in spec.columns)
        self.page_height = self.pdf.h

    # -- text primitives -------------------------------------------------------

    def _put(self, x: float, y: float, width: float, text: str, *, align: str = "L",
             style: str = "", size: float | None = None, draw: bool = True) -> None:
        if not draw or not text:
            return
        self.pdf.set_font(self.spec.font, style, size or self.spec.font_size)
        self.pdf.set_xy(x, y)
        self.pdf.cell(width, self.spec.line_height, text, align=align)

    def wrap(self, text: str, width: float) -> list[str]:
        """Greedy word wrap to the column width (never splits a word)."""
        if (text, width) in self._wrapped:
            return self._wrapped[text, width]
        self.pdf.set_font(self.spec.font, "", self.spec.font_size)
        usable = width - 2 * self.pdf.c_margin
        lines: list[str] = []
        for word in text.split():
            candidate = f"{lines[-1]} {word}" if lines else word
            if lines and self.pdf.get_string_width(candidate) <= usable:
                lines[-1] = candidate
            else:
                lines.append(word)
        self._wrapped[text, width] = lines
        return lines

    # -- page frame --------------------------------------------------------------

    def page_header(self, page: int, draw: bool) -> float:
        """Draw (or just measure) the repeated page header; return the table-header y."""
        spec = self.spec
        self._put(self.left, 10, 120, spec.bank_name, style="B", size=15, draw=draw)
        for i, line in enumerate(spec.address_lines):
            self._put(self.right - 80, 10 + i * 3.4, 80, line, align="R", size=7, draw=draw)
        y = max(19.0, 12 + len(spec.address_lines) * 3.4)
        self._put(self.left, y, 100, spec.title, style="B", size=11, draw=draw)
        if page > 1 and spec.continued_top:
            self._put(self.left + 100, y, self.right - self.left - 100, spec.continued_top,
                      align="R", size=8, draw=draw)
        y += 7
        if page == 1:
            for line in spec.customer_lines:
                self._put(self.left, y, 90, line, draw=draw)
                y += 4
            y += 2
        for line in (spec.account_template.format(number=spec.account_number),
                     self.period_text()):
            self._put(self.left, y, 150, line, size=8.5, draw=draw)
            y += 4.5
        return y + 3

    def period_text(self) -> str:
        style = DATE_STYLES[self.spec.period_date_style]
        return self.spec.period_template.format(start=style(self.period[0]), end=style(self.period[1]))

    def summary_panel(self, y: float, ledger: _Ledger | None, draw: bool) -> float:
        """First-page account summary (balances and totals that are not transactions)."""
        spec = self.spec
        if not spec.summary:
            return y
        self._put(self.left, y, 80, spec.summary_title, style="B", size=9, draw=draw)
        y += 5.5
        for line in spec.summary:
            value = self.summary_value(line, ledger) if ledger else ""
            self._put(self.left, y, 60, line.label, draw=draw)
            self._put(self.left + 60, y, 35, value, align="R", draw=draw)
            y += 4.3
        return y + 4

    def summary_value(self, line: SummaryLine, ledger: _Ledger) -> str:
        if not line.quantity:
            return line.text
        if line.quantity in ("opening", "closing"):
            return self.spec.currency_prefix + self.spec.money.format(
                self.spec.sign_view * getattr(ledger, line.quantity))
        return self.spec.currency_prefix + self.spec.money.unsigned(getattr(ledger, line.quantity))

    def table_header(self, y: float, draw: bool) -> float:
        """Column headers, each on one line or stacked on two or three ("Paid" / "out")."""
        stacked = max(len(column.header.split("\n")) for column in self.spec.columns)
        pitch = self.spec.font_size * HEADER_LINE_PITCH if stacked > 1 else self.spec.line_height
        for column in self.spec.columns:
            for index, part in enumerate(column.header.split("\n")):
                self._put(column.x, y + index * pitch, column.width, part, align=column.align, style="B",
                          draw=draw)
        y += (stacked - 1) * pitch + self.spec.line_height + 1.5
        if draw and not self.spec.ruled:
            self.pdf.set_line_width(0.2)
            self.pdf.line(self.left, y - 0.8, self.right, y - 0.8)
        return y

    def body_bottom(self, last_page: bool) -> float:
        footer_top = self.page_height - 10 - 3.4 * len(self.spec.footer_lines)
        continued = 0 if last_page or not self.spec.continued_bottom else 5
        return footer_top - continued - 2

    def page_footer(self, page: int, pages: int) -> None:
        spec = self.spec
        y = self.page_height - 10 - 3.4 * len(spec.footer_lines)
        if page < pages and spec.continued_bottom:
            self._put(self.left, y - 5, self.right - self.left, spec.continued_bottom, align="R", style="I")
        for i, line in enumerate(spec.footer_lines):
            self._put(self.left, y + i * 3.4, 150, line, size=6.5)
        self._put(self.right - 40, self.page_height - 9, 40,
                  spec.page_label.format(page=page, pages=pages), align="R", size=7.5)

    def body_top(self, page: int) -> float:
        y = self.page_header(page, draw=False)
        if page == 1:
            y = self.summary_panel(y, None, draw=False)
        return self.table_header(y, draw=False)

    # -- pagination and drawing --------------------------------------------------------

    def block_height(self, block: Block) -> float:
        return len(block.lines) * self.spec.line_height + self.spec.row_gap

    def paginate(self, blocks: Sequence[Block]) -> list[list[Block]]:
        """Split blocks into pages, keeping room for carried/brought-forward rows."""
        carry = self.block_height(Block(lines=((),))) if self.spec.carry_labels else 0.0
        pages: list[list[Block]] = [[]]
        room = self.body_bottom(False) - self.body_top(1) - carry
        for index, block in enumerate(blocks):
            needed = self.block_height(block)
            if block.keep_with_next and index + 1 < len(blocks):
                needed += self.block_height(blocks[index + 1])
            if needed > room and pages[-1] and self.spec.split_rows and not block.keep_with_next:
                head, block = self.split_block(block, room)
                if head is not None:
                    pages[-1].append(head)
            if needed > room and pages[-1]:
                pages.append([])
                room = self.body_bottom(False) - self.body_top(2) - 2 * carry
            pages[-1].append(block)
            room -= self.block_height(block)
        return pages

    def split_block(self, block: Block, room: float) -> tuple[Block | None, Block]:
        """The lines of ``block`` that fit in ``room``, and the rest for the next page (None if none fit)."""
        fitting = int((room - self.spec.row_gap) // self.spec.line_height)
        if not 0 < fitting < len(block.lines):
            return None, block
        head = replace(block, lines=block.lines[:fitting], balance_after=None)
        self.split_rows += 1
        return head, replace(block, lines=block.lines[fitting:])

    def draw_block(self, block: Block, y: float) -> float:
        for line_index, cells in enumerate(block.lines):
            line_y = y + line_index * self.spec.line_height
            for key, text in cells:
                if key == "_heading":
                    self._put(self.left, line_y, self.right - self.left, text, style="B", size=9.5)
                else:
                    column = self.spec.column(key)
                    shifted = line_index == 0 and key != "description"
                    shift = block.dated_offset * self.spec.line_height if shifted else 0.0
                    self._put(column.x, line_y + shift, column.width, text, align=column.align,
                              style="B" if block.bold else "")
        y += self.block_height(block)
        if self.spec.ruled:
            self.pdf.line(self.left, y - self.spec.row_gap / 2, self.right, y - self.spec.row_gap / 2)
        return y

    def carry_block(self, label: str, balance: Decimal) -> Block:
        text = self.spec.money.format(self.spec.sign_view * balance)
        return Block(lines=((("description", label), ("balance", text)),), bold=True)

    def render(self, pages: list[list[Block]], ledger: _Ledger, path: Path) -> None:
        spec = self.spec
        total = len(pages)
        previous_balance = ledger.opening
        for number, blocks in enumerate(pages, start=1):
            self.pdf.add_page()
            y = self.page_header(number, draw=True)
            if number == 1:
                y = self.summary_panel(y, ledger, draw=True)
            table_top = y
            y = self.table_header(y, draw=True)
            if spec.carry_labels and number > 1:
                y = self.draw_block(self.carry_block(spec.carry_labels[1], previous_balance), y)
            for block in blocks:
                y = self.draw_block(block, y)
                if block.balance_after is not None:
                    previous_balance = block.balance_after
            if spec.carry_labels and number < total:
                y = self.draw_block(self.carry_block(spec.carry_labels[0], previous_balance), y)
            if spec.ruled:
                self.draw_grid(table_top, y)
            self.page_footer(number, total)
        self.pdf.output(str(path))

    def draw_grid(self, top: float, bottom: float) -> None:
        self.pdf.set_line_width(0.2)
        edges = sorted({c.x for c in self.spec.columns} | {self.right})
        for x in edges:
            self.pdf.line(x, top - 0.5, x, bottom - self.spec.row_gap / 2)
        self.pdf.line(self.left, top - 0.5, self.right, top - 0.5)
        underline = top + self.spec.line_height + 0.7
        self.pdf.line(self.left, underline, self.right, underline)


def _transaction_cells(spec: LayoutSpec, draft: DraftTransaction, balance: Decimal | None,
                       unsigned_amount: bool) -> dict[str, str]:
    """Text of every non-description cell of a transaction row, by column key."""
    date_text = DATE_STYLES[spec.date_style]
    shown = spec.sign_view * draft.amount
    values = {
        "date": date_text(draft.date),
        "post_date": date_text(draft.second_date),
        "type": draft.kind,
        "ref": draft.ref,
        "amount": spec.money.unsigned(shown) if unsigned_amount else spec.money.format(shown),
        "debit": spec.money.unsigned(draft.amount) if draft.amount < 0 else "",
        "credit": spec.money.unsigned(draft.amount) if draft.amount > 0 else "",
        "balance": spec.money.format(spec.sign_view * balance) if balance is not None else "",
    }
    return {key: values[key] for key in spec.column_keys if key != "description"}


def _transaction_block(writer: _StatementPdf, draft: DraftTransaction, row: TruthTransaction,
                       chain_balance: Decimal, unsigned_amount: bool, show_date: bool = True) -> Block:
    spec = writer.spec
    cells = _transaction_cells(spec, draft, row.balance, unsigned_amount)
    if not show_date:
        cells.pop("date")
    description = writer.wrap(draft.description, spec.column("description").width)
    above = description[:1] if spec.description_above and len(description) > 1 else []
    description = description[len(above):]
    first = tuple((k, v) for k, v in cells.items() if v) + (("description", description[0]),)
    rest = tuple(((("description", text),)) for text in description[1:])
    lines = tuple(((("description", text),)) for text in above) + (first,) + rest
    offset = spec.dated_offset if len(lines) > 1 else 0.0
    return Block(lines=lines, balance_after=chain_balance, dated_offset=offset)


def _label_block(spec: LayoutSpec, label: str, cells: Iterable[tuple[str, str]],
                 dated: date | None = None, balance_after: Decimal | None = None) -> Block:
    line: tuple[tuple[str, str], ...] = (("description", label),) + tuple(cells)
    if dated is not None:
        line = (("date", DATE_STYLES[spec.date_style](dated)),) + line
    return Block(lines=(line,), bold=True, balance_after=balance_after)


def _balance_row_block(spec: LayoutSpec, row: BalanceRow, value: Decimal, when: date) -> Block:
    column = row.column
    if column == "side":
        column = "credit" if value >= 0 else "debit"
    if column in ("debit", "credit"):
        text = spec.money.unsigned(value)
    else:
        text = spec.money.format(spec.sign_view * value)
    return _label_block(spec, row.label, ((column, text),), when if row.dated else None, balance_after=value)


def _build_blocks(writer: _StatementPdf, scenario: Scenario, drafts: Sequence[DraftTransaction],
                  ledger: _Ledger) -> tuple[list[Block], tuple[TruthTransaction, ...]]:
    """All table blocks in printed order, and the truth rows in the same order."""
    spec = writer.spec
    blocks: list[Block] = []
    if spec.opening_row:
        blocks.append(_balance_row_block(spec, spec.opening_row, ledger.opening, scenario.period_start))
    indices = list(range(len(drafts)))
    printed_order: list[int] = []
    if spec.sections:
        for section in spec.sections:
            members = [i for i in indices if (drafts[i].amount > 0) == (section.sign > 0)]
            blocks.append(Block(lines=((("_heading", section.heading),),), keep_with_next=True))
            blocks.extend(_transaction_block(writer, drafts[i], ledger.transactions[i], ledger.chain[i], True)
                          for i in members)
            total = sum((abs(drafts[i].amount) for i in members), Decimal("0.00"))
            blocks.append(_label_block(spec, section.total_label,
                                       (("amount", spec.currency_prefix + spec.money.unsigned(total)),)))
            printed_order.extend(members)
    else:
        blocks.extend(_transaction_block(writer, drafts[i], ledger.transactions[i], ledger.chain[i], False,
                                         show_date=not _same_day_as_previous(spec, drafts, i))
                      for i in indices)
        printed_order = indices
    for total_row in spec.totals:
        blocks.append(_label_block(spec, total_row.label, (
            (column, spec.currency_prefix + spec.money.unsigned(getattr(ledger, quantity)))
            for column, quantity in total_row.cells)))
    if spec.closing_row:
        blocks.append(_balance_row_block(spec, spec.closing_row, ledger.closing, scenario.period_end))
    return blocks, tuple(ledger.transactions[i] for i in printed_order)


def _same_day_as_previous(spec: LayoutSpec, drafts: Sequence[DraftTransaction], index: int) -> bool:
    """Whether a layout printing each date once leaves row ``index``'s date out."""
    return spec.date_once_per_day and index > 0 and drafts[index - 1].date == drafts[index].date


def render_statement(path: Path, name: str, spec: LayoutSpec, scenario: Scenario,
                     drafts: Sequence[DraftTransaction]) -> StatementTruth:
    """Write the PDF for ``drafts`` with ``spec`` and return its truth."""
    writer = _StatementPdf(spec, (scenario.period_start, scenario.period_end))
    ledger = _build_ledger(spec, scenario, drafts)
    blocks, rows = _build_blocks(writer, scenario, drafts, ledger)
    pages = writer.paginate(blocks)
    writer.render(pages, ledger, Path(path))
    opening = ledger.opening if spec.prints_opening() else None
    closing = ledger.closing if spec.prints_closing() else None
    status, breaking_rows = evaluate_balance_chain(opening, closing, rows)
    return StatementTruth(
        layout=name,
        bank_source=spec.bank_source,
        account_last4="".join(ch for ch in spec.account_number if ch.isdigit())[-4:],
        period_start=scenario.period_start,
        period_end=scenario.period_end,
        opening_balance=opening,
        closing_balance=closing,
        balance_check=status,
        balance_mismatch_rows=breaking_rows,
        page_count=len(pages),
        transactions=rows,
        bank_name=spec.bank_name,
        features=_features_shown(spec, drafts, len(pages), writer.split_rows),
    )


def _features_shown(spec: LayoutSpec, drafts: Sequence[DraftTransaction], pages: int, split_rows: int
                    ) -> tuple[str, ...]:
    """The layout's grammar features that this rendering actually printed."""
    shown = {
        "carry_rows": pages > 1,
        "split_description": split_rows > 0,
        "date_once_per_day": any(_same_day_as_previous(spec, drafts, i) for i in range(len(drafts))),
    }
    return tuple(feature for feature in spec.features if shown.get(feature, True))


# ----------------------------------------------------------------- merchant pools

GB_POOL = MerchantPool(
    debits=(
        ("POS", "TESCO STORES 2041 LEEDS"), ("POS", "PRET A MANGER KINGS X"),
        ("DD", "THAMES WATER UTILITIES"),
        ("DD", "BRITISH GAS SERVICES"), ("POS", "SAINSBURYS S/MKT"), ("ATM", "CASH LINK BRIGGATE"),
        ("DD", "VODAFONE LTD"), ("POS", "TFL TRAVEL CHARGE"), ("POS", "AMAZON UK MARKETPLACE"),
        ("FPO", "PAYPAL PAYMENT"), ("DD", "LEEDS CITY COUNCIL TAX"), ("POS", "BOOTS 1123 BRIGGATE"),
    ),
    credits=(("FPI", "PAYPAL TRANSFER"), ("BGC", "HMRC TAX REFUND"), ("FPI", "M JONES DINNER SPLIT"),
             ("FPI", "VINTED PAYOUT")),
    top_up=("TFR", "TRANSFER FROM SAVINGS"),
)
DE_POOL = MerchantPool(
    debits=(
        ("CARD", "REWE MARKT KOELN"), ("CARD", "DM DROGERIE MARKT"), ("SEPA", "DEUTSCHE BAHN TICKET"),
        ("CARD", "LIDL FILIALE 1042"), ("SEPA", "TELEKOM DEUTSCHLAND GMBH"), ("CARD", "CAFÉ ROMA BONN"),
        ("ATM", "GELDAUTOMAT SPARKASSE"), ("SEPA", "ALLIANZ VERSICHERUNG"), ("CARD", "MÜLLER DROGERIE"),
        ("CARD", "BÄCKEREI SCHÜTZ"),
    ),
    credits=(
        ("SEPA", "GUTSCHRIFT ERSTATTUNG"), ("SEPA", "UMBUCHUNG TAGESGELD"),
        ("SEPA", "RÜCKZAHLUNG ZALANDO SE"),
    ),
    top_up=("SEPA", "UMBUCHUNG VON SPARKONTO"),
)
FR_POOL = MerchantPool(
    debits=(
        ("CB", "CARREFOUR MARKET LYON"), ("CB", "BOULANGERIE PAUL"), ("PRLV", "ORANGE SA FACTURE"),
        ("PRLV", "EDF ÉLECTRICITÉ"), ("CB", "SNCF VOYAGES"), ("RET", "RETRAIT DAB LYON PART-DIEU"),
        ("CB", "FNAC BELLECOUR"), ("CB", "PHARMACIE DU RHÔNE"), ("PRLV", "MUTUELLE GÉNÉRALE"),
    ),
    credits=(("VIR", "VIREMENT M. DUPONT"), ("VIR", "REMBOURSEMENT AMELI"), ("VIR", "REMBOURSEMENT SNCF")),
    top_up=("VIR", "VIREMENT DEPUIS LIVRET A"),
)
US_POOL = MerchantPool(
    debits=(
        ("POS", "WHOLE FOODS MKT #10234 AUSTIN TX"), ("POS", "SHELL OIL 57442 ROUND ROCK TX"),
        ("ACH", "AT&T PAYMENT"), ("POS", "TARGET T-1021 AUSTIN TX"), ("POS", "STARBUCKS STORE 09981"),
        ("ACH", "CITY OF AUSTIN UTILITIES"), ("POS", "AMAZON.COM*2K4LL91"), ("POS", "HEB #442 AUSTIN TX"),
        ("ATM", "ATM WITHDRAWAL 6TH ST"), ("POS", "NETFLIX.COM"), ("POS", "UBER *TRIP HELP.UBER.COM"),
    ),
    credits=(("ACH", "VENMO CASHOUT"), ("DEP", "MOBILE DEPOSIT"), ("ACH", "ZELLE FROM M GARCIA")),
    top_up=("XFR", "ONLINE TRANSFER FROM SAVINGS"),
)
CARD_POOL = replace(
    US_POOL,
    credits=(("PAY", "PAYMENT - THANK YOU"), ("REF", "RETURN AMAZON.COM"), ("REF", "CREDIT VOUCHER TARGET")),
)
AU_POOL = MerchantPool(
    debits=(
        ("EFTPOS", "WOOLWORTHS 3321 CAIRNS"), ("EFTPOS", "COLES 0456 TOWNSVILLE"), ("BPAY", "ERGON ENERGY"),
        ("DD", "TELSTRA CORP"), ("EFTPOS", "BUNNINGS WAREHOUSE CAIRNS"), ("ATM", "ATM WDL CAIRNS CENTRAL"),
        ("EFTPOS", "SHELL COLES EXPRESS"), ("VISA", "QANTAS AIRWAYS"),
    ),
    credits=(("OSKO", "OSKO PAYMENT FROM K NGUYEN"), ("DEP", "ATO TAX REFUND"), ("OSKO", "MEDICARE BENEFIT")),
    top_up=("TFR", "TRANSFER FROM GOAL SAVER"),
)
IN_POOL = MerchantPool(
    debits=(
        ("UPI", "UPI/SWIGGY/402211"), ("NEFT", "NEFT/AIRTEL PAYMENTS"), ("POS", "BIGBASKET BANGALORE"),
        ("UPI", "UPI/ZOMATO/778120"), ("ATM", "ATM WDL MG ROAD"), ("ACH", "ACH/LIC OF INDIA PREMIUM"),
        ("POS", "RELIANCE FRESH KORAMANGALA"), ("UPI", "UPI/BESCOM ELECTRICITY"),
    ),
    credits=(("NEFT", "NEFT/INTEREST CREDIT"), ("IMPS", "IMPS/RAHUL SHARMA"), ("UPI", "UPI/REFUND FLIPKART")),
    top_up=("TRF", "TRANSFER FROM FD 0042"),
)
NO_POOL = MerchantPool(
    debits=(
        ("KORT", "REMA 1000 BERGEN"), ("KORT", "KIWI 442 BERGEN"), ("EFAKT", "BKK STROM"),
        ("AVTGI", "TELENOR NORGE AS"), ("KORT", "NARVESEN OSLO S"), ("VIPPS", "VIPPS *OLA NORDMANN"),
        ("KORT", "VINMONOPOLET BERGEN"),
    ),
    credits=(("OVF", "OVERFORING SPAREKONTO"), ("VIPPS", "VIPPS FRA KARI NORDMANN")),
    top_up=("OVF", "OVERFORING FRA BSU"),
)

# ------------------------------------------------------------------ the layouts

_LONG_WRAP_GB = "FASTER PAYMENT TO HARRISON LETTINGS LTD REF FLAT 4 CHAPEL ALLERTON RENT DECEMBER AND JANUARY"
_SEPA_NARRATIVE = ("SEPA-LASTSCHRIFT STADTWERKE KOELN GMBH ABSCHLAG STROM GAS MÄRZ MANDATSREFERENZ "
                   "M-2024-0033 GLÄUBIGER-ID DE98ZZZ09999999999")

_CATALOGUE: dict[str, tuple[LayoutSpec, Scenario]] = {
    "northgate_uk": (
        LayoutSpec(
            bank_name="Northgate Bank plc",
            bank_source="northgate",
            address_lines=("Northgate Bank plc", "1 Market Street", "Leeds LS1 4AB", "northgatebank.co.uk"),
            title="Current Account Statement",
            customer_lines=("MR JAMES A SMITH", "12 ELM ROAD", "LEEDS LS6 2QT"),
            account_template="Sort code 40-12-55    Account number {number}",
            account_number="71234567",
            period_template="Statement period: {start} to {end}",
            period_date_style="D Month YYYY",
            columns=(
                Column("date", "Date", 12, 16), Column("type", "Type", 29, 10),
                Column("description", "Description", 40, 74), Column("debit", "Paid out", 116, 26, "R"),
                Column("credit", "Paid in", 144, 26, "R"), Column("balance", "Balance", 172, 26, "R"),
            ),
            date_style="DD Mon",
            money=COMMA_MINUS,
            footer_lines=("Northgate Bank plc. Registered in England and Wales No. 02065431. "
                          "Registered office: "
                          "1 Market Street, Leeds LS1 4AB.",
                          "Authorised by the Prudential Regulation Authority. Sort code 40-12-55."),
            font_size=8.5, line_height=4.4, row_gap=4.6,
            summary_title="Your account summary",
            summary=(SummaryLine("Balance on 15 December 2023", "opening"),
                     SummaryLine("Total paid out", "money_out"), SummaryLine("Total paid in", "money_in"),
                     SummaryLine("Balance on 14 January 2024", "closing")),
            opening_row=BalanceRow("Balance brought forward", dated=True),
            closing_row=BalanceRow("Balance carried forward", dated=True),
            carry_labels=("Balance carried forward", "Balance brought forward"),
            continued_top="Statement continued",
            continued_bottom="continued overleaf",
            balance_on_last_row_of_day=True,
        ),
        Scenario(
            period_start=date(2023, 12, 15), period_end=date(2024, 1, 14), opening=Decimal("2418.07"),
            transaction_count=40, seed=1015, pool=GB_POOL,
            scripted=(
                ScriptedTransaction(1, "FPO", _LONG_WRAP_GB, "-1450.00"),
                ScriptedTransaction(4, "POS", "2 COFFEES AND A CROISSANT CAFFE NERO", "-8.95"),
                ScriptedTransaction(12, "BGC", "ACME WIDGETS LTD SALARY DECEMBER", "3215.40"),
                ScriptedTransaction(17, "DD", "SCOTTISH WIDOWS LIFE ASSURANCE POLICY 88123", "-32.10"),
                ScriptedTransaction(21, "FPO", "J SMITH SAVINGS MONTHLY TRANSFER TO ISA ACCOUNT", "-500.00"),
            ),
        ),
    ),
    "rheinufer_de": (
        LayoutSpec(
            bank_name="Rheinufer Bank AG",
            bank_source="rheinufer",
            address_lines=("Rheinufer Bank AG", "Rheinallee 12", "50667 Köln", "BIC RHUFDE33XXX"),
            title="Account statement / Kontoauszug",
            customer_lines=("Frau Anna Becker", "Lindenstraße 7", "50674 Köln"),
            account_template="Account number: {number}    IBAN DE44 3705 0198 5407 3249 31",
            account_number="5407324931",
            period_template="Statement period: {start} - {end}",
            period_date_style="DD.MM.YYYY",
            columns=(
                Column("date", "Date", 12, 19), Column("post_date", "Value date", 32, 19),
                Column("description", "Narrative", 53, 86), Column("amount", "Amount", 141, 28, "R"),
                Column("balance", "Balance", 171, 27, "R"),
            ),
            date_style="DD.MM.YYYY",
            money=DOT_DECIMAL_COMMA,
            footer_lines=("Rheinufer Bank AG, Rheinallee 12, 50667 Köln. Amtsgericht Köln HRB 12345.",),
            page_label="Page {page} of {pages}",
            row_gap=2.2,
            opening_row=BalanceRow("Opening balance"),
            closing_row=BalanceRow("Closing balance"),
            continued_bottom="Continued on next page",
        ),
        Scenario(
            period_start=date(2024, 3, 1), period_end=date(2024, 3, 31), opening=Decimal("4210.55"),
            transaction_count=38, seed=2024, pool=DE_POOL,
            scripted=(
                ScriptedTransaction(
                    0, "SEPA", "MIETE MÄRZ WOHNUNG LINDENSTRASSE 7 HAUSVERWALTUNG KRÜGER", "-1180.00"
                ),
                ScriptedTransaction(6, "SEPA", _SEPA_NARRATIVE, "-142.00"),
                ScriptedTransaction(11, "SEPA", "-1234 ACME REFUND", "1234.00"),
                ScriptedTransaction(27, "SEPA", "GEHALT MÄRZ ACME GMBH PERSONALNR 4471", "3980.12"),
            ),
        ),
    ),
    "littoral_fr": (
        LayoutSpec(
            bank_name="Banque du Littoral",
            bank_source="littoral",
            address_lines=("Banque du Littoral", "8 quai de la Fosse", "44000 Nantes"),
            title="Relevé de compte / Statement of account",
            customer_lines=("M. Pierre Martin", "21 rue des Lilas", "69003 Lyon"),
            account_template="Account No. {number}",
            account_number="0312 3456 7890",
            period_template="Statement period: {start} to {end}",
            period_date_style="DD/MM/YYYY",
            columns=(
                Column("date", "Date", 12, 19), Column("ref", "Ref no.", 32, 21),
                Column("description", "Particulars", 54, 88), Column("debit", "Debit", 144, 26, "R"),
                Column("credit", "Credit", 172, 26, "R"),
            ),
            date_style="DD/MM/YYYY",
            money=SPACE_DECIMAL_COMMA,
            footer_lines=("Banque du Littoral SA au capital de 12 000 000 EUR - RCS Nantes 552 100 554",),
            page_label="Page {page}/{pages}",
            row_gap=1.6,
            opening_row=BalanceRow("Opening balance", column="side"),
            closing_row=BalanceRow("Closing balance", column="side"),
            totals=(TotalRow("Total debits", (("debit", "money_out"),)),
                    TotalRow("Total credits", (("credit", "money_in"),))),
        ),
        Scenario(
            period_start=date(2024, 4, 1), period_end=date(2024, 4, 30), opening=Decimal("1875.30"),
            transaction_count=18, seed=33, pool=FR_POOL,
            scripted=(
                ScriptedTransaction(2, "PRLV", "LOYER AVRIL FONCIA LYON", "-1095.00"),
                ScriptedTransaction(26, "VIR", "SALAIRE AVRIL SOCIÉTÉ GÉNÉRALE DES EAUX", "2840.75"),
            ),
        ),
    ),
    "prairie_us": (
        LayoutSpec(
            bank_name="First Prairie National Bank",
            bank_source="first_prairie",
            address_lines=("P.O. Box 1500", "Austin, TX 78701", "1-800-555-0142"),
            title="Checking Account Statement",
            customer_lines=("MARIA L GARCIA", "4410 BURNET RD APT 12", "AUSTIN TX 78756"),
            account_template="Account number: {number}    Currency: USD",
            account_number="0047-1182-9935",
            period_template="Statement period: {start} to {end}",
            period_date_style="MM/DD/YYYY",
            columns=(Column("date", "Date", 14, 24), Column("description", "Description", 40, 120),
                     Column("amount", "Amount", 164, 38, "R")),
            date_style="MM/DD/YYYY",
            money=COMMA_MINUS,
            footer_lines=("Member FDIC. First Prairie National Bank, 100 Congress Ave, Austin, TX 78701.",),
            page_format="Letter",
            row_gap=1.4,
            currency_prefix="$",
            summary_title="Account summary",
            summary=(SummaryLine("Beginning balance", "opening"),
                     SummaryLine("Deposits and additions", "money_in"),
                     SummaryLine("Withdrawals and subtractions", "money_out"),
                     SummaryLine("Ending balance", "closing")),
            sections=(Section("Deposits", +1, "Total deposits"),
                      Section("Withdrawals", -1, "Total withdrawals")),
            continued_top="(continued)",
        ),
        Scenario(
            period_start=date(2024, 2, 1), period_end=date(2024, 2, 29), opening=Decimal("3650.18"),
            transaction_count=36, seed=77, pool=US_POOL, credit_ratio=0.25,
            scripted=(
                ScriptedTransaction(0, "ACH", "ACME CORP PAYROLL PPD ID: 9876543210", "2750.00"),
                ScriptedTransaction(1, "ACH", "GREYSTAR RENT PAYMENT WEB ID: 1300445", "-1625.00"),
                ScriptedTransaction(15, "ACH", "ACME CORP PAYROLL PPD ID: 9876543210", "2750.00"),
                ScriptedTransaction(20, "CHK", "CHECK 1043", "-1200.00"),
            ),
        ),
    ),
    "summit_card": (
        LayoutSpec(
            bank_name="Summit Card Services",
            bank_source="summit_card",
            address_lines=("PO Box 6000", "Wilmington, DE 19850", "summitcard.com"),
            title="Summit Rewards Visa Statement",
            customer_lines=("DAVID R CHEN", "88 HARBOR VIEW DR", "SEATTLE WA 98121"),
            account_template="Card number: {number}",
            account_number="XXXX XXXX XXXX 7319",
            period_template="Statement period: {start} - {end}",
            period_date_style="MM/DD/YYYY",
            columns=(Column("date", "Trans date", 14, 18), Column("post_date", "Post date", 33, 18),
                     Column("description", "Description", 53, 96), Column("amount", "Amount", 166, 36, "R")),
            date_style="MM/DD",
            money=COMMA_CR_CREDITS,
            footer_lines=("Summit Card Services is a division of Summit National Bank, N.A. Member FDIC.",),
            page_format="Letter",
            row_gap=1.2,
            sign_view=-1,
            currency_prefix="$",
            summary_title="Account summary",
            summary=(SummaryLine("Previous balance", "opening"),
                     SummaryLine("Payments and credits", "money_in"),
                     SummaryLine("Purchases", "money_out"), SummaryLine("New balance", "closing"),
                     SummaryLine("Credit limit", text="$8,000.00"),
                     SummaryLine("Minimum payment due", text="$40.00"),
                     SummaryLine("Payment due date", text="02/10/2024")),
            totals=(TotalRow("Total payments and credits", (("amount", "money_in"),)),
                    TotalRow("Total purchases", (("amount", "money_out"),))),
        ),
        Scenario(
            period_start=date(2023, 12, 16), period_end=date(2024, 1, 15), opening=Decimal("-1234.56"),
            transaction_count=24, seed=1216, pool=CARD_POOL, credit_ratio=0.08, balance_floor=None,
            scripted=(
                ScriptedTransaction(2, "PAY", "PAYMENT - THANK YOU", "1234.56"),
                ScriptedTransaction(5, "POS", "7-ELEVEN 33104 SEATTLE WA", "-12.40"),
                ScriptedTransaction(9, "POS", "ALASKA AIRLINES 0272145563321 SEATTLE WA PASSENGER CHEN/DAVID "
                                              "SEA-HNL ROUND TRIP", "-1387.20"),
                ScriptedTransaction(24, "REF", "RETURN NORDSTROM #0012 SEATTLE WA", "89.99"),
            ),
        ),
    ),
    "coral_au": (
        LayoutSpec(
            bank_name="Coral Coast Bank",
            bank_source="coral_coast",
            address_lines=("Coral Coast Bank Limited ABN 11 005 357 522", "GPO Box 88, Cairns QLD 4870"),
            title="Everyday Account statement",
            customer_lines=("MS OLIVIA TAYLOR", "3/27 ESPLANADE", "CAIRNS QLD 4870"),
            account_template="BSB 064-123    Account No. {number}",
            account_number="XXXX XXXX 4821",
            period_template="{start} - {end}",
            period_date_style="D Month YYYY",
            columns=(
                Column("date", "Date", 12, 22), Column("description", "Transaction details", 35, 80),
                Column("debit", "Money out", 117, 25, "R"), Column("credit", "Money in", 143, 25, "R"),
                Column("balance", "Balance", 169, 29, "R"),
            ),
            date_style="DD Mon YYYY",
            money=COMMA_DR_CR,
            footer_lines=("Coral Coast Bank Limited ABN 11 005 357 522 AFSL 234945. Enquiries 13 22 65.",),
            page_label="Page {page} of {pages}",
            row_gap=2.6,
            opening_row=BalanceRow("Opening balance", dated=True),
            closing_row=BalanceRow("Closing balance", dated=True),
            continued_top="continued",
        ),
        Scenario(
            period_start=date(2024, 3, 1), period_end=date(2024, 3, 31), opening=Decimal("420.00"),
            transaction_count=34, seed=61, pool=AU_POOL, balance_floor=Decimal("-2000"),
            scripted=(
                ScriptedTransaction(0, "DD", "RAY WHITE CAIRNS RENT 3/27 ESPLANADE FORTNIGHTLY", "-1650.00"),
                ScriptedTransaction(13, "PAY", "SALARY REEF TOURS PTY LTD PAY PERIOD ENDING 10 MARCH 2024 "
                                               "EMPLOYEE 20431 NET PAY", "4105.62"),
                ScriptedTransaction(14, "DD", "RAY WHITE CAIRNS RENT 3/27 ESPLANADE FORTNIGHTLY", "-1650.00"),
            ),
        ),
    ),
    "deccan_in": (
        LayoutSpec(
            bank_name="Deccan Union Bank",
            bank_source="deccan_union",
            address_lines=("Koramangala Branch", "80 Feet Road, Bengaluru 560034", "IFSC: DUBK0001042"),
            title="Statement of Account",
            customer_lines=("MR ARJUN RAO", "FLAT 302, LAKEVIEW APARTMENTS", "BENGALURU 560095"),
            account_template="Account No. : {number}    Currency : INR",
            account_number="50120034567891",
            period_template="Statement period: {start} to {end}",
            period_date_style="DD/MM/YYYY",
            columns=(
                Column("date", "Date", 12, 18), Column("description", "Particulars", 31, 66),
                Column("ref", "Chq/Ref No.", 99, 22), Column("debit", "Withdrawals", 122, 25, "R"),
                Column("credit", "Deposits", 148, 24, "R"), Column("balance", "Balance", 173, 25, "R"),
            ),
            date_style="DD-Mon-YY",
            money=COMMA_MINUS,
            footer_lines=("This is a computer generated statement and does not require a signature.",
                          "Deccan Union Bank Ltd, Regd. Office: 1 MG Road, Bengaluru 560001."),
            row_gap=2.6,
            opening_row=BalanceRow("Opening Balance"),
            closing_row=BalanceRow("Closing Balance"),
            totals=(TotalRow("Total", (("debit", "money_out"), ("credit", "money_in"))),),
        ),
        Scenario(
            period_start=date(2024, 1, 1), period_end=date(2024, 1, 31), opening=Decimal("84210.40"),
            transaction_count=36, seed=91, pool=IN_POOL,
            scripted=(
                ScriptedTransaction(
                    0, "NEFT", "NEFT/SALARY JAN 2024/INFOSYS TECHNOLOGIES LTD/N0012234567", "95400.00"
                ),
                ScriptedTransaction(4, "NEFT", "NEFT/RENT JANUARY/PRESTIGE ESTATES PROJECTS/HDFC0000123/"
                                               "FLAT 302 LAKEVIEW", "-28000.00"),
                ScriptedTransaction(19, "ACH", "ACH/HDFC LIFE PREMIUM POLICY 20114455", "-12250.00"),
            ),
        ),
    ),
    "fjord_no": (
        LayoutSpec(
            bank_name="Fjordline Sparebank",
            bank_source="fjordline",
            address_lines=("Fjordline Sparebank", "Bryggen 5, 5003 Bergen"),
            title="KONTOUTSKRIFT / ACCOUNT STATEMENT",
            customer_lines=("OLA NORDMANN", "STRANDGATEN 18", "5013 BERGEN"),
            account_template="Account number: {number}",
            account_number="12-3456-78901234",
            period_template="Statement period: {start} to {end}",
            period_date_style="YYYY-MM-DD",
            columns=(
                Column("ref", "Ref", 12, 22), Column("type", "Type", 34, 14),
                Column("description", "Details", 48, 80), Column("amount", "Amount", 128, 36, "R"),
                Column("date", "Date", 164, 34),
            ),
            date_style="YYYY-MM-DD",
            money=COMMA_TRAILING_MINUS,
            footer_lines=("Fjordline Sparebank - Org.nr. 937 895 321 - Bryggen 5, 5003 Bergen",),
            page_label="Page {page} of {pages}",
            font="Courier", font_size=8.0, line_height=4.4, row_gap=1.2,
            ruled=True,
        ),
        Scenario(
            period_start=date(2024, 5, 1), period_end=date(2024, 5, 31), opening=Decimal("9120.00"),
            transaction_count=16, seed=505, pool=NO_POOL,
            scripted=(
                ScriptedTransaction(14, "LONN", "LONN MAI ACME AS", "34210.50"),
                ScriptedTransaction(19, "AVTGI", "HUSLEIE MAI BERGEN BOLIG AS", "-12500.00"),
            ),
        ),
    ),
    "kestrel_bs": (
        LayoutSpec(
            bank_name="Kestrel Building Society",
            bank_source="kestrel",
            address_lines=("Kestrel House", "Market Place, Norwich NR2 1ND"),
            title="Easy Saver statement",
            customer_lines=("MRS HELEN WARD", "5 ORCHARD CLOSE", "NORWICH NR4 7TJ"),
            account_template="Account number: {number}",
            account_number="88-1234-56781290",
            period_template="Statement period: {start} - {end}",
            period_date_style="D Month YYYY",
            columns=(Column("date", "Date", 12, 18), Column("description", "Details", 31, 100),
                     Column("amount", "Amount", 133, 32, "R"), Column("balance", "Balance", 167, 31, "R")),
            date_style="Nth Mon",
            money=COMMA_PARENS,
            footer_lines=("Kestrel Building Society is authorised by the Prudential Regulation Authority. "
                          "FRN 106072.",),
            font_size=8.5, line_height=4.3, row_gap=2.0,
            opening_row=BalanceRow("Balance brought forward", dated=True),
            closing_row=BalanceRow("Closing balance", dated=True),
        ),
        Scenario(
            period_start=date(2024, 2, 1), period_end=date(2024, 2, 29), opening=Decimal("12500.00"),
            transaction_count=20, seed=212, pool=GB_POOL, credit_ratio=0.3,
            scripted=(
                ScriptedTransaction(11, "FPO", "TRANSFER TO CURRENT ACCOUNT 40-12-55 71234567", "-2150.00"),
                ScriptedTransaction(28, "INT", "GROSS INTEREST", "41.37"),
            ),
        ),
    ),
}
_CATALOGUE["kestrel_mismatch"] = (
    replace(_CATALOGUE["kestrel_bs"][0], balance_drift=(8, Decimal("10.00"))),
    _CATALOGUE["kestrel_bs"][1],
)


def _write_layout(name: str) -> Callable[[Path], StatementTruth]:
    spec, scenario = _CATALOGUE[name]

    def write(path: Path) -> StatementTruth:
        drafts = generate_transactions(scenario, scenario.transaction_count)
        return render_statement(Path(path), name, spec, scenario, drafts)

    write.__name__ = f"write_{name}"
    write.__doc__ = f"Write the '{name}' statement PDF at ``path`` and return its truth."
    return write


LAYOUTS: dict[str, Callable[[Path], StatementTruth]] = {name: _write_layout(name) for name in _CATALOGUE}

LONG_LINE_HEIGHT = 4.3  # compact rows for benchmarks: ~40-45 rows per page
LONG_ROW_GAP = 0.6


def make_long_statement(
    path: Path, pages: int, layout: str = "northgate_uk", opening_shift: Decimal = Decimal(0)
) -> StatementTruth:
    """Render ``layout`` with compact rows and as many seeded transactions as fill exactly ``pages`` pages.

    ``opening_shift`` moves the opening balance (and so every printed balance) by that much:
    another statement with the same rows and pages, for tests that need several distinct
    statements of one size (a user imports each statement once, whatever file carries it).
    """
    spec, scenario = _CATALOGUE[layout]
    spec = replace(spec, line_height=LONG_LINE_HEIGHT, row_gap=LONG_ROW_GAP)
    count = _long_statement_count(pages, layout)
    scenario = replace(scenario, seed=scenario.seed + count)
    drafts = generate_transactions(scenario, count)  # drawn from the unshifted balances
    shifted = replace(scenario, opening=scenario.opening + opening_shift)
    return render_statement(Path(path), layout, spec, shifted, drafts)


@cache
def _long_statement_count(pages: int, layout: str) -> int:
    """How many seeded transactions fill exactly ``pages`` pages of ``layout`` in compact rows."""
    if pages < 1:
        raise ValueError("pages must be >= 1")
    spec, scenario = _CATALOGUE[layout]
    spec = replace(spec, line_height=LONG_LINE_HEIGHT, row_gap=LONG_ROW_GAP)
    writer = _StatementPdf(spec, (scenario.period_start, scenario.period_end))

    def page_count(count: int) -> int:
        drafts = generate_transactions(replace(scenario, seed=scenario.seed + count), count)
        blocks, _ = _build_blocks(writer, scenario, drafts, _build_ledger(spec, scenario, drafts))
        return len(writer.paginate(blocks))

    low, high = 1, pages * int(writer.page_height / spec.line_height)  # page_count(high) > pages
    while low < high:  # largest count whose statement still fits (page count grows with count)
        middle = (low + high + 1) // 2
        low, high = (middle, high) if page_count(middle) <= pages else (low, middle - 1)
    count = next((c for c in range(low, max(low - 60, 0), -1) if page_count(c) == pages), None)
    if count is None:
        raise RuntimeError(f"cannot fill exactly {pages} pages with layout {layout!r}")
    return count


# ---------------------------------------------------------------- layout grammar
#
# Instead of another hand-written layout, a grammar draws every choice at random from a
# seed: language of the headers and balance wording, column order and extra columns, one
# signed amount or debit/credit, a running balance or not (sometimes one that drifts:
# "mismatch"), number format (comma, dot, space, apostrophe thousands; minus, parentheses,
# trailing minus, CR/DR), date format, balances as table rows or as a summary, column
# widths (so descriptions wrap), font size and statement length (so tables break across
# pages). On top of those, from a second random stream of the same seed (so the choices above
# are what they always were), the variations of GRAMMAR_FEATURES: a running balance and no
# amount column (amounts are its deltas), headers on two or three lines ("Paid" / "out"),
# carried/brought-forward rows at page breaks, the date printed on a day's first row only,
# Cr/Dr marks with and without a space, thin-space and "’" thousands, currency symbols and
# codes before or after the number, three-decimal currencies (KWD, BHD, OMR), account numbers
# printed long with leading zeros, in blocks, masked or after a sort code, and a wrapped
# description continuing at the top of the next page. ``random_layout(seed)`` is
# deterministic; ``write_random_layout(path, seed)`` renders it and returns its truth, whose
# ``features`` are the variations the PDF really shows.


@dataclass(frozen=True)
class _Language:
    """The words one language prints on a statement."""

    headers: dict[str, tuple[str, ...]]  # column key -> header synonyms
    opening: tuple[str, ...]
    closing: tuple[str, ...]
    title: str
    account_template: str
    period_template: str
    banks: tuple[tuple[str, str], ...]  # (name as printed, its slug)


_LANGUAGES: dict[str, _Language] = {
    "en": _Language(
        headers={
            "date": ("Date", "Transaction date", "Posting date", "Txn Date"),
            "post_date": ("Value date", "Effective date"),
            "description": ("Description", "Transaction details", "Particulars", "Narrative", "Details",
                            "Payment type and details", "Memo"),
            "ref": ("Reference", "Ref no."),
            "type": ("Type",),
            "amount": ("Amount", "Transaction amount"),
            "debit": ("Paid out", "Withdrawals", "Debits", "Money out", "Debit"),
            "credit": ("Paid in", "Deposits", "Credits", "Money in", "Credit"),
            "balance": ("Balance", "Running balance"),
        },
        opening=("Opening balance", "Previous balance", "Balance brought forward", "Beginning balance"),
        closing=("Closing balance", "New balance", "Ending balance"),
        title="Account statement",
        account_template="Account number {number}",
        period_template="Statement period: {start} to {end}",
        banks=(("Harbour Savings Bank", "harbour"), ("Westmoor Bank plc", "westmoor")),
    ),
    "de": _Language(
        headers={
            "date": ("Datum", "Buchungstag", "Buchungsdatum"),
            "post_date": ("Valuta", "Wertstellung"),
            "description": ("Buchungstext", "Verwendungszweck", "Beschreibung", "Vorgang"),
            "ref": ("Referenz",),
            "type": ("Art",),
            "amount": ("Betrag", "Umsatz"),
            "debit": ("Soll", "Belastung", "Lastschrift"),
            "credit": ("Haben", "Gutschrift"),
            "balance": ("Saldo", "Kontostand"),
        },
        opening=("Alter Kontostand", "Saldovortrag", "Anfangssaldo"),
        closing=("Neuer Kontostand", "Neuer Saldo", "Endsaldo"),
        title="Kontoauszug",
        account_template="Kontonummer {number}",
        period_template="Kontoauszug vom {start} bis {end}",
        banks=(("Nordbank eG", "nordbank_eg"), ("Rheinische Sparkasse", "rheinische")),
    ),
    "fr": _Language(
        headers={
            "date": ("Date", "Date opération"),
            "post_date": ("Date valeur", "Valeur"),
            "description": ("Libellé", "Opération", "Nature de l'opération"),
            "ref": ("Référence",),
            "type": ("Type",),
            "amount": ("Montant",),
            "debit": ("Débit", "Débit euros"),
            "credit": ("Crédit", "Crédit euros"),
            "balance": ("Solde",),
        },
        opening=("Solde précédent", "Ancien solde"),
        closing=("Nouveau solde", "Solde final"),
        title="Relevé de compte",
        account_template="Numéro de compte {number}",
        period_template="Période du {start} au {end}",
        banks=(("Banque Populaire du Rhin", "populaire_rhin"), ("Banque de Savoie", "savoie")),
    ),
    "es": _Language(
        headers={
            "date": ("Fecha", "Fecha operación"),
            "post_date": ("Fecha valor", "Valor"),
            "description": ("Concepto", "Descripción"),
            "ref": ("Referencia",),
            "type": ("Tipo",),
            "amount": ("Importe",),
            "debit": ("Cargo", "Cargos"),
            "credit": ("Abono", "Abonos"),
            "balance": ("Saldo",),
        },
        opening=("Saldo anterior", "Saldo inicial"),
        closing=("Saldo final",),
        title="Extracto de cuenta",
        account_template="Número de cuenta {number}",
        period_template="Periodo del {start} al {end}",
        banks=(("Banco del Sur", "del_sur"), ("Banco Mediterraneo", "mediterraneo")),
    ),
    "nl": _Language(
        headers={
            "date": ("Datum", "Boekdatum"),
            "post_date": ("Valutadatum", "Rentedatum"),
            "description": ("Omschrijving", "Mededelingen"),
            "ref": ("Referentie",),
            "type": ("Soort",),
            "amount": ("Bedrag",),
            "debit": ("Af",),
            "credit": ("Bij",),
            "balance": ("Saldo",),
        },
        opening=("Beginsaldo", "Vorig saldo"),
        closing=("Eindsaldo", "Nieuw saldo"),
        title="Rekeningafschrift",
        account_template="Rekeningnummer {number}",
        period_template="Periode {start} tot {end}",
        banks=(("Polderbank", "polderbank"), ("Zuiderbank", "zuiderbank")),
    ),
}
_GRAMMAR_MONEY = (
    COMMA_MINUS, COMMA_PARENS, COMMA_TRAILING_MINUS, DOT_DECIMAL_COMMA, SPACE_DECIMAL_COMMA,
    MoneyStyle(thousands="'"),
    MoneyStyle(thousands="'", decimal=",", negative_prefix="", negative_suffix="-"),
    COMMA_DR_CR,
)
# Day-first and named-month dates only: a numeric month-first date needs "$" evidence, which
# the hand-written American layouts cover.
_GRAMMAR_DATES = ("DD/MM/YYYY", "DD.MM.YYYY", "YYYY-MM-DD", "DD-Mon-YY", "DD Mon YYYY", "D Month YYYY")
_GRAMMAR_POOLS = (GB_POOL, DE_POOL, FR_POOL, AU_POOL, IN_POOL, NO_POOL)
_GRAMMAR_WIDTHS = {
    "date": 20.0, "post_date": 20.0, "type": 11.0, "ref": 20.0, "money": 25.0, "description": 40.0,
}  # fmt: skip
_PAGE_LEFT, _PAGE_RIGHT = 12.0, 198.0
_MM_PER_CHAR = 0.21  # a bold Helvetica character is about 0.6 em: 0.21 mm per point of size
_MM_PER_CHAR_UNICODE = 0.25  # DejaVu Sans (UNICODE_FONT) is wider

# Variations added for issue 7 (each drawn from its own random stream, see _grammar_features,
# so the choices above stay what they were for every seed).
GRAMMAR_FEATURES = (
    "balance_only", "stacked_headers", "carry_rows", "date_once_per_day", "money_marks",
    "currency", "three_decimals", "account_format", "split_description",
)
# Headers printed on two or three lines, per language and column key.
_STACKED_HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "date": ("Transaction\ndate", "Date\nof\ntransaction"),
        "post_date": ("Value\ndate", "Effective\ndate"),
        "description": ("Transaction\ndetails", "Details\nof\ntransactions", "Payment type\nand details"),
        "amount": ("Transaction\namount",),
        "debit": ("Paid\nout", "Money\nout", "Debit\namount"),
        "credit": ("Paid\nin", "Money\nin", "Credit\namount"),
        "balance": ("Running\nbalance", "Balance\namount"),
    },
    "de": {"amount": ("Betrag\nEUR",), "debit": ("Soll\nEUR",), "credit": ("Haben\nEUR",),
           "balance": ("Saldo\nEUR", "Kontostand\nin EUR")},
    "fr": {"date": ("Date\nopération",), "post_date": ("Date\nvaleur",), "debit": ("Débit\neuros",),
           "credit": ("Crédit\neuros",)},
    "es": {"date": ("Fecha\noperación",), "post_date": ("Fecha\nvalor",)},
    "nl": {"amount": ("Bedrag\nEUR",), "debit": ("Af\nEUR",), "credit": ("Bij\nEUR",),
           "balance": ("Saldo\nEUR",)},
}
# (carried forward, brought forward) rows at page breaks, per language.
_CARRY_LABELS: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (("Balance carried forward", "Balance brought forward"), ("Carried forward", "Brought forward")),
    "de": (("Übertrag auf Folgeseite", "Übertrag von Vorseite"),),
    "fr": (("Solde à reporter", "Solde reporté"),),
    "es": (("Suma y sigue", "Suma anterior"),),
    "nl": (("Saldo naar volgende pagina", "Saldo van vorige pagina"),),
}
# Number formats beyond _GRAMMAR_MONEY: thin-space and typographic-apostrophe thousands, Cr/Dr
# marks with and without a space.
_MARKED_MONEY = (
    MoneyStyle(thousands="\u2009", decimal=","),
    MoneyStyle(thousands="\u2019"),
    MoneyStyle(negative_prefix="", negative_suffix=" Dr", positive_suffix=" Cr"),
    MoneyStyle(negative_prefix="", negative_suffix="Dr", positive_suffix="Cr"),
    MoneyStyle(negative_prefix="", negative_suffix="DR", positive_suffix="CR"),
)
_CURRENCIES = ("€", "£", "$", "EUR", "CHF", "GBP")
_THREE_DECIMAL_CURRENCIES = ("KWD", "BHD", "OMR")
# How the account number is printed: (template, number) from a seeded 11-digit number.
_SORT_CODE_WORDS = {"en": "Sort code", "de": "BLZ", "fr": "Code banque", "es": "Entidad", "nl": "Bankcode"}


def _grammar_features(seed: int) -> random.Random:
    """The random stream of the issue-7 variations (independent of the layout's main stream)."""
    return random.Random(seed * 1_000_003 + 7)


def _stacked_headers(extra: random.Random, language: str, headers: dict[str, str]) -> bool:
    """Replace some headers with ones printed on two or three lines; whether any was."""
    options = _STACKED_HEADERS[language]
    stacked = False
    for key in headers:
        if key in options and extra.random() < 0.6:
            headers[key] = extra.choice(options[key])
            stacked = True
    return stacked


def _money_variation(
    extra: random.Random, date_style: str
) -> tuple[Callable[[MoneyStyle], MoneyStyle], list[str]]:
    """Marks, a currency, three decimals: the number format's issue-7 variations, drawn now and
    applied to the layout's number format later; and their feature names."""
    features = []
    marked = extra.choice(_MARKED_MONEY) if extra.random() < 0.2 else None
    if marked is not None:
        features.append("money_marks")
    # "$" reads as American (month-first) dates: only with dates that say which is which (and
    # the period is then printed YYYY-MM-DD, see random_layout).
    currencies = [c for c in _CURRENCIES if c != "$" or date_style not in ("DD/MM/YYYY", "DD.MM.YYYY")]
    currency, decimals = None, 2
    if extra.random() < 0.1:
        currency, decimals = extra.choice(_THREE_DECIMAL_CURRENCIES), 3
        features.append("three_decimals")
    elif extra.random() < 0.2:
        currency = extra.choice(currencies)
        features.append("currency")
    before = extra.random() < 0.5

    def apply(money: MoneyStyle) -> MoneyStyle:
        money = marked or money
        if decimals == 3 and money.decimal != ".":
            money = replace(money, thousands=",", decimal=".")
        if currency is None:
            return money
        spaced = f"{currency} " if len(currency) == 3 else currency
        if before or money.negative_suffix.strip(")") or money.positive_suffix:  # "1.00- EUR" is not printed
            return replace(money, decimals=decimals, currency_before=spaced)
        return replace(money, decimals=decimals, currency_after=f" {currency}")

    return apply, features


def _account_format(extra: random.Random, language: str, template: str) -> tuple[str, str]:
    """(template, number) of an account number printed long, grouped, masked or after a sort code."""
    digits = f"{extra.randint(10**9, 10**11 - 1):011d}"
    style = extra.choice(("long", "grouped", "masked", "sort_code"))
    if style == "long":
        return template, digits.rjust(15, "0")
    if style == "grouped":
        return template, " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))
    if style == "masked":
        return template, extra.choice(("****", "XXXX XXXX ", "******")) + digits[-4:]
    sort_code = f"{extra.randint(10, 99)}-{extra.randint(10, 99)}-{extra.randint(10, 99)}"
    return f"{_SORT_CODE_WORDS[language]} {sort_code}    {template}", digits[-8:]


def random_layout(seed: int) -> tuple[LayoutSpec, Scenario]:
    """One statement layout and its transactions, every choice drawn from ``seed``."""
    rng = random.Random(seed)
    extra = _grammar_features(seed)
    features: list[str] = []
    language_code = rng.choice(sorted(_LANGUAGES))
    language = _LANGUAGES[language_code]
    bank_name, bank_source = rng.choice(language.banks)
    split_money = rng.random() < 0.5
    has_balance = rng.random() < 0.6
    keys = ["date", *(key for key in ("post_date", "type", "ref") if rng.random() < 0.25), "description"]
    money = ["debit", "credit"] if split_money else ["amount"]
    if has_balance:
        money.append("balance")
    if has_balance and extra.random() < 0.2:  # a running balance only: amounts are its deltas
        money = ["balance"]
        features.append("balance_only")
    order = keys + money if rng.random() < 0.85 else [key for key in keys if key != "date"] + money + ["date"]
    font_size = rng.choice((7.5, 8.0, 8.5, 9.0))
    date_style = rng.choice(_GRAMMAR_DATES)
    headers = {key: rng.choice(language.headers[key]) for key in order}
    if extra.random() < 0.25 and _stacked_headers(extra, language_code, headers):
        features.append("stacked_headers")
    carry = has_balance and extra.random() < 0.3
    carry_labels = extra.choice(_CARRY_LABELS[language_code]) if carry else None
    date_once = extra.random() < 0.2
    money_variation, money_features = _money_variation(extra, date_style)
    features += money_features
    extra_money_width = 8.0 if {"currency", "three_decimals"} & set(money_features) else 0.0
    unicode_font = _needs_unicode(money_variation(COMMA_MINUS))  # the variations decide it
    mm_per_char = _MM_PER_CHAR_UNICODE if unicode_font else _MM_PER_CHAR

    def width_of(key: str) -> float:  # wide enough for its header and its longest date
        base = _GRAMMAR_WIDTHS["money" if key in money else key]
        if key in ("date", "post_date"):
            base = max(base, len(DATE_STYLES[date_style](date(2024, 9, 28))) * font_size * mm_per_char + 3)
        if key == "type":  # "EFTPOS" must not run into the description
            base = max(base, len("EFTPOS") * font_size * mm_per_char + 3)
        if key in money and extra_money_width:
            base += extra_money_width
        return max(base, max(map(len, headers[key].split("\n"))) * font_size * mm_per_char + 3)

    account_format = None
    if extra.random() < 0.4:
        account_format = _account_format(extra, language_code, language.account_template)
    if account_format is not None:
        features.append("account_format")
    split_rows = carry_labels is None and extra.random() < 0.3
    features += ["carry_rows"] * bool(carry_labels) + ["date_once_per_day"] * date_once
    features += ["split_description"] * split_rows
    fixed = sum(width_of(key) for key in order if key != "description")
    room = _PAGE_RIGHT - _PAGE_LEFT - fixed - 2 * len(order)
    description_width = max(min(room, rng.uniform(42.0, 80.0)), width_of("description"))
    if split_rows:  # narrow descriptions wrap, so a page break more often falls inside one
        header_width = max(map(len, headers["description"].split("\n"))) * font_size * mm_per_char + 3
        description_width = max(28.0, header_width)
    columns, x = [], _PAGE_LEFT
    for key in order:
        width = description_width if key == "description" else width_of(key)
        columns.append(Column(key, headers[key], x, width, "R" if key in money else "L"))
        x += width + 2
    balances_in_table = has_balance and rng.random() < 0.6
    opening_label, closing_label = rng.choice(language.opening), rng.choice(language.closing)
    money_style = money_variation(rng.choice(_GRAMMAR_MONEY))
    start = date(2023, 1, 1) + timedelta(days=rng.randint(0, 700))
    street = rng.randint(1, 99)
    drawn_account = str(rng.randint(10**7, 10**9))  # drawn even when unused: later choices stay as they were
    account_template, account_number = account_format or (language.account_template, drawn_account)
    spec = LayoutSpec(
        bank_name=bank_name,
        bank_source=bank_source,
        address_lines=(bank_name, f"{street} Market Street", "service line 0800 123 456"),
        title=language.title,
        customer_lines=("A. N. OTHER", "1 TEST ROAD"),
        account_template=account_template,
        account_number=account_number,
        period_template=language.period_template,
        period_date_style=_period_style(rng.choice(("DD/MM/YYYY", "DD.MM.YYYY", "YYYY-MM-DD")), money_style),
        columns=tuple(columns),
        date_style=date_style,
        money=money_style,
        footer_lines=(f"{bank_name}. Registered office: 1 Market Street.",),
        font=UNICODE_FONT if unicode_font else "Helvetica",
        font_size=font_size,
        line_height=rng.choice((3.8, 4.2, 4.6)),
        row_gap=rng.choice((0.8, 1.5, 2.5)),
        summary_title="" if balances_in_table else language.title,
        summary=()
        if balances_in_table
        else (SummaryLine(opening_label, "opening"), SummaryLine(closing_label, "closing")),
        opening_row=BalanceRow(opening_label, "balance") if balances_in_table else None,
        closing_row=BalanceRow(closing_label, "balance") if balances_in_table else None,
        # Some banks' printed running balance goes wrong from one row on: "mismatch".
        balance_drift=(rng.randint(1, 5), Decimal("10.00")) if has_balance and rng.random() < 0.1
        and "balance_only" not in features else None,  # deltas of a drifting balance are no amounts
        carry_labels=carry_labels,
        date_once_per_day=date_once,
        split_rows=split_rows,
        features=tuple(f for f in GRAMMAR_FEATURES if f in features),
    )
    scenario = Scenario(
        period_start=start,
        period_end=start + timedelta(days=rng.randint(27, 33)),
        opening=Decimal(rng.randint(50_000, 900_000)) / 100,
        transaction_count=max(rng.randint(6, 70), 60 if split_rows else 0),  # pages to break
        seed=seed,
        pool=rng.choice(_GRAMMAR_POOLS),
        decimals=money_style.decimals,
    )
    return spec, scenario


def _period_style(drawn: str, money: MoneyStyle) -> str:
    """The period's date format: a day-first numeric one is read month-first next to "$"."""
    return "YYYY-MM-DD" if "$" in money.currency_before + money.currency_after else drawn


def _needs_unicode(money: MoneyStyle) -> bool:
    """Whether amounts print characters outside latin-1 (the core PDF fonts)."""
    sample = money.format(Decimal("-1234.5")) + money.format(Decimal("1234.5"))
    return not all(ord(char) < 256 for char in sample)


def write_random_layout(path: Path, seed: int) -> StatementTruth:
    """Render :func:`random_layout` for ``seed`` at ``path`` and return what it prints."""
    spec, scenario = random_layout(seed)
    drafts = generate_transactions(scenario, scenario.transaction_count)
    return render_statement(Path(path), f"grammar_{seed}", spec, scenario, drafts)


def write_bundle(path: Path, seeds: Sequence[int]) -> list[StatementTruth]:
    """Several statements of one account in one PDF (issue 7, "Documents"), one after the other.

    The layout, bank and account are the first seed's :func:`random_layout`; each statement
    takes its transactions from its own seed and covers the period after the previous one,
    opening at the previous closing balance (as a bank prints consecutive statements). Each
    statement is rendered on its own pages and the pages are joined. Returns each statement's
    truth, in document order.
    """
    spec, first = random_layout(seeds[0])
    truths: list[StatementTruth] = []
    parts: list[Path] = []
    for index, seed in enumerate(seeds):
        scenario = first
        if truths:
            previous, own = truths[-1], random_layout(seed)[1]
            # Every grammar layout prints its period and closing balance.
            assert previous.period_end is not None and previous.closing_balance is not None
            start = previous.period_end + timedelta(days=1)
            scenario = replace(
                own, period_start=start, period_end=start + (own.period_end - own.period_start),
                opening=previous.closing_balance, decimals=first.decimals,  # the account's currency
            )
        parts.append(Path(path).with_name(f"{Path(path).stem}.part{index}.pdf"))
        drafts = generate_transactions(scenario, scenario.transaction_count)
        truths.append(render_statement(parts[-1], f"bundle_{seed}", spec, scenario, drafts))
    join_pdfs(Path(path), parts)
    for part in parts:
        part.unlink()
    return truths


# ------------------------------------------------- ambiguous layouts (issue 7, item 2)
#
# Documents that a template cannot read without knowing the bank, and that a human reads by
# checking that they add up: numeric dates that read both day-first and month-first, money
# columns whose headers do not say which is money out, description lines printed above the
# line with the date and amounts (a whole line, or the amounts half a line down between a
# description's first two lines, with rows evenly spaced or set apart). Each is
# :func:`random_layout`'s spec with one ambiguity applied (a second one now and then), so the
# rest of the grammar varies as usual.

AMBIGUITIES = ("date_order", "column_roles", "description_above")
# Money-column headers that do not say which side they are on (the same label twice).
_NEUTRAL_MONEY_HEADERS = ("EUR", "GBP", "CHF", "NOK")


def _ambiguous_dates(
    rng: random.Random, spec: LayoutSpec, scenario: Scenario
) -> tuple[LayoutSpec, Scenario]:
    """Numeric dates, day-first or month-first, in a period whose every day is at most 12."""
    day_first = rng.random() < 0.5
    date_style = "DD/MM/YYYY" if day_first else rng.choice(("MM/DD/YYYY", "MM/DD"))
    start = date(2023 + rng.randint(0, 1), rng.randint(1, 12), rng.randint(1, 3))
    scenario = replace(scenario, period_start=start, period_end=start + timedelta(days=rng.randint(5, 9)))
    return (
        replace(spec, date_style=date_style, period_date_style="DD/MM/YYYY" if day_first else "MM/DD/YYYY"),
        scenario,
    )


def _ambiguous_columns(rng: random.Random, spec: LayoutSpec) -> LayoutSpec:
    """Debit and credit columns under headers that do not say their side, or that say the wrong one.

    Neutral: the same currency code over both columns, in either order. Swapped: the
    headers of the holder's ledger, where money leaving the bank account is a credit.
    Neither can be read without checking the sums, so a drifting balance ("mismatch") is
    only kept where the headers' usual order (money out first) is the truth.
    """
    debit, credit = spec.column("debit"), spec.column("credit")
    if rng.random() < 0.5:
        label = rng.choice(_NEUTRAL_MONEY_HEADERS)
        debit, credit = replace(debit, header=label), replace(credit, header=label)
        if rng.random() < 0.5:  # money in first
            debit, credit = (
                replace(debit, x=credit.x, width=credit.width),
                replace(credit, x=debit.x, width=debit.width),
            )
            spec = replace(spec, balance_drift=None)
    else:
        debit, credit = replace(debit, header=credit.header), replace(credit, header=debit.header)
        spec = replace(spec, balance_drift=None)
    columns = tuple({"debit": debit, "credit": credit}.get(c.key, c) for c in spec.columns)
    return replace(spec, columns=tuple(sorted(columns, key=lambda c: c.x)))


# Reference tails that make descriptions wrap to 2-4 lines (card, mandate, terminal numbers).
_DESCRIPTION_TAILS = ("", "REF 0042-7781", "CARD 4471 REF 0042-7781 ONLINE",
                      "MANDATE GB-2024-0033 CREDITOR ID GB98ZZZ0999 TERMINAL 00481 ONLINE PURCHASE")


def _long_descriptions(pool: MerchantPool) -> MerchantPool:
    """``pool`` with a reference tail after most descriptions, so that they wrap."""

    def longer(entries: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
        return tuple(
            (kind, f"{text} {_DESCRIPTION_TAILS[index % len(_DESCRIPTION_TAILS)]}".strip())
            for index, (kind, text) in enumerate(entries)
        )

    return replace(pool, debits=longer(pool.debits), credits=longer(pool.credits))


def random_ambiguous_layout(seed: int) -> tuple[LayoutSpec, Scenario, tuple[str, ...]]:
    """:func:`random_layout` with ambiguities applied, every choice drawn from ``seed``.

    Returns the spec, the scenario and the names of the ambiguities applied (from
    :data:`AMBIGUITIES`; ``seed % 3`` picks the first, so every kind recurs every 3 seeds).
    """
    rng = random.Random(f"ambiguous-{seed}")
    first = AMBIGUITIES[seed % len(AMBIGUITIES)]
    chosen = [first, *(other for other in AMBIGUITIES if other != first and rng.random() < 0.25)]
    base = seed
    spec, scenario = random_layout(base)
    while "column_roles" in chosen and "debit" not in spec.column_keys:  # needs two money columns
        base += 1_000_003
        spec, scenario = random_layout(base)
    if "date_order" in chosen:
        spec, scenario = _ambiguous_dates(rng, spec, scenario)
    if "column_roles" in chosen:
        spec = _ambiguous_columns(rng, spec)
    if "description_above" in chosen:  # a whole line above, or the amounts centred on the first two lines
        # A page break between a description's first line and its dated line would leave nothing
        # on the first page to tell the two apart: such rows are kept whole.
        spec = replace(spec, split_rows=False)
        if rng.random() < 0.5:
            spec = replace(spec, description_above=True)
        else:
            spec = replace(spec, dated_offset=0.5, row_gap=rng.choice((0.0, spec.row_gap)))
        scenario = replace(scenario, pool=_long_descriptions(scenario.pool))
    return spec, scenario, tuple(chosen)


def write_ambiguous_layout(path: Path, seed: int) -> StatementTruth:
    """Render :func:`random_ambiguous_layout` for ``seed`` at ``path`` and return what it prints."""
    spec, scenario, _ = random_ambiguous_layout(seed)
    drafts = generate_transactions(scenario, scenario.transaction_count)
    return render_statement(Path(path), f"ambiguous_{seed}", spec, scenario, drafts)


# ------------------------------------------ card statements with cardholder sections

_CARDHOLDERS = ("J SMITH", "A SMITH", "M GARCIA", "L CHEN", "R PATEL")
_CARD_DATE_STYLES = ("MM/DD", "DD Mon", "MM/DD/YYYY")
# How the card prints credits: unsigned in their own section, "CR" after them, a minus before.
_CARD_CREDIT_STYLES = ("section", "cr", "minus")


def write_card_statement(path: Path, seed: int) -> StatementTruth:
    """A credit-card statement with a payments/credits section and one section per cardholder.

    Each cardholder section starts with a heading ``Card ending 1234 - J SMITH`` and ends with
    a ``Total card ending 1234`` line; payments (and, depending on the credit style, refunds)
    are listed in a "Payments and credits" section, first or last, with its own total. Card
    convention: balances are owed amounts (negative in truth), purchases money out.
    """
    rng = random.Random(f"card-{seed}")
    holders = rng.sample(_CARDHOLDERS, rng.randint(2, 3))
    cards = [f"{rng.randint(1000, 9999)}" for _ in holders]
    credit_style = rng.choice(_CARD_CREDIT_STYLES)
    money = {"section": COMMA_MINUS, "cr": COMMA_CR_CREDITS, "minus": COMMA_MINUS}[credit_style]
    date_style = rng.choice(_CARD_DATE_STYLES)
    dated = [Column("date", "Trans date", 14, 20)]
    if rng.random() < 0.5:
        dated.append(Column("post_date", "Post date", 36, 20))
    description_x = dated[-1].x + dated[-1].width + 2
    columns = (*dated, Column("description", "Description", description_x, rng.uniform(70.0, 100.0)),
               Column("amount", "Amount", 166, 36, "R"))
    start = date(2023, 1, 1) + timedelta(days=rng.randint(0, 700))
    spec = LayoutSpec(
        bank_name="Summit Card Services",
        bank_source="summit_card",
        address_lines=("PO Box 6000", "Wilmington, DE 19850", "summitcard.com"),
        title="Summit Rewards Visa Statement",
        customer_lines=(holders[0], "88 HARBOR VIEW DR", "SEATTLE WA 98121"),
        account_template="Card number: {number}",
        account_number=f"XXXX XXXX XXXX {cards[0]}",
        period_template="Statement period: {start} - {end}",
        period_date_style="MM/DD/YYYY",
        columns=columns,
        date_style=date_style,
        money=money,
        footer_lines=("Summit Card Services is a division of Summit National Bank, N.A. Member FDIC.",),
        page_format="Letter",
        font_size=rng.choice((7.5, 8.0, 8.5)),
        row_gap=rng.choice((0.8, 1.2, 2.0)),
        sign_view=-1,
        currency_prefix="$",
        summary_title="Account summary",
        summary=(SummaryLine("Previous balance", "opening"), SummaryLine("Payments and credits", "money_in"),
                 SummaryLine("Purchases", "money_out"), SummaryLine("New balance", "closing"),
                 SummaryLine("Credit limit", text="$8,000.00"),
                 SummaryLine("Minimum payment due", text="$40.00")),
    )
    scenario = Scenario(
        period_start=start, period_end=start + timedelta(days=rng.randint(27, 31)),
        opening=-Decimal(rng.randint(10_000, 400_000)) / 100, transaction_count=rng.randint(8, 60),
        seed=seed, pool=CARD_POOL, credit_ratio=0.12, balance_floor=None,
        scripted=(ScriptedTransaction(rng.randint(0, 10), "PAY", "PAYMENT - THANK YOU", "500.00"),),
    )
    drafts = generate_transactions(scenario, scenario.transaction_count)
    owner = [rng.randrange(len(holders)) for _ in drafts]
    writer = _StatementPdf(spec, (scenario.period_start, scenario.period_end))
    ledger = _build_ledger(spec, scenario, drafts)

    def rows(indices: Sequence[int], heading: str, total_label: str) -> list[Block]:
        blocks = [Block(lines=((("_heading", heading),),), keep_with_next=True)]
        blocks += [_transaction_block(writer, drafts[i], ledger.transactions[i], ledger.chain[i],
                                      credit_style == "section") for i in indices]
        total = sum((-drafts[i].amount for i in indices), Decimal("0.00"))  # as the card prints it
        text = money.unsigned(total) if credit_style == "section" else money.format(total)
        blocks.append(_label_block(spec, total_label, (("amount", "$" + text),)))
        return blocks

    in_payments = [
        i for i, d in enumerate(drafts) if d.amount > 0 and (credit_style == "section" or d.kind == "PAY")
    ]
    sections: list[tuple[list[int], str, str]] = [
        ([i for i in range(len(drafts)) if owner[i] == n and i not in in_payments],
         f"Card ending {card} - {holder}", f"Total card ending {card}")
        for n, (holder, card) in enumerate(zip(holders, cards, strict=True))
    ]
    payments = (in_payments, "Payments and credits", "Total payments and credits")
    sections = [payments, *sections] if rng.random() < 0.6 else [*sections, payments]
    sections = [section for section in sections if section[0]]
    blocks = [block for section in sections for block in rows(*section)]
    printed = tuple(ledger.transactions[i] for section in sections for i in section[0])
    pages = writer.paginate(blocks)
    writer.render(pages, ledger, Path(path))
    status, breaking_rows = evaluate_balance_chain(ledger.opening, ledger.closing, printed)
    return StatementTruth(
        layout=f"card_{seed}", bank_source=spec.bank_source, account_last4=cards[0],
        period_start=scenario.period_start, period_end=scenario.period_end,
        opening_balance=ledger.opening, closing_balance=ledger.closing, balance_check=status,
        balance_mismatch_rows=breaking_rows, page_count=len(pages), transactions=printed,
        bank_name=spec.bank_name,
    )


def redownloaded(content: bytes, download: int = 1) -> bytes:
    """The same statement PDF as the bank serves it on another ``download``: another creation
    date and document id, the pages untouched. Each value keeps its length, so the file's
    cross-reference offsets still hold; the bytes (and their SHA-256) differ."""
    import hashlib
    import re

    fresh = hashlib.sha256(content + str(download).encode()).hexdigest().upper()

    def creation(match: re.Match[bytes]) -> bytes:
        digits = match.group(2)
        # Another day of the same month: a valid date, same length.
        day = (int(digits[6:8]) + download - 1) % 28 + 1 if len(digits) >= 8 else 1
        return match.group(1) + digits[:6] + f"{day:02d}".encode() + digits[8:]

    def document_id(match: re.Match[bytes]) -> bytes:
        return match.group(1) + fresh[: len(match.group(2))].encode()

    changed = re.sub(rb"(/CreationDate\s*\(D:)(\d{8,14})", creation, content)
    changed = re.sub(rb"(/ID\s*\[\s*<)([0-9A-Fa-f]+)", document_id, changed)
    if changed == content:
        raise ValueError("no creation date or document id to change in this PDF")
    return changed


def write_layout_with(
    path: Path, name: str, extra: Sequence[ScriptedTransaction]
) -> StatementTruth:
    """Write the ``name`` statement of LAYOUTS with ``extra`` transactions printed among its
    own: a description a test can look for (in a log, say)."""
    spec, scenario = _CATALOGUE[name]
    scenario = replace(scenario, scripted=(*scenario.scripted, *extra),
                       transaction_count=scenario.transaction_count + len(extra))
    drafts = generate_transactions(scenario, scenario.transaction_count)
    return render_statement(Path(path), name, spec, scenario, drafts)
