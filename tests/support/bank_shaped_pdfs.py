"""Statements in the shapes of real banks' statements, drawn word by word at explicit positions.

Written from what public sample statements of each bank look like (section headings, column
headers, date and amount formats, page furniture), not from the parser's own layout grammar
(``statement_pdfs``): each one carries the quirks its bank prints, e.g. per-section totals and a
daily-balance grid (Chase), a check-number column and a balance only on a day's last row (Wells
Fargo), a date only on the first row of a day and carried/brought-forward lines (Barclays, HSBC),
payment-type codes (HSBC), value-date lines under rows (N26), trailing currency signs, decimal
commas, reference and exchange-rate lines (Amex, Revolut), and a year that turns inside the
period (Chase, Capital One). A second set, drawn the same way, adds Monzo, NatWest, TD Canada Trust,
Commonwealth Bank, a German Volksbank, BNP Paribas, UBS, HDFC Bank, DBS and Navy Federal: one signed
amount column, amounts on a description's last line, the date after the amounts, CR/DR/OD and S/H
balance suffixes, Übertrag and carried-forward lines, and ``1 234,56`` / ``1'234.50`` /
``1,23,456.78`` digit grouping. A fifth set adds currencies, languages and page furniture the
others lack: ANZ, Emirates NBD, ABN AMRO, SEB, Crédit Agricole, Commerzbank, State Bank of India,
Bancolombia, PNC and BCA (AUD, AED, SEK, INR, COP, IDR; ``mrt`` / ``janv.`` dates; page totals, a
column header left alone at a page's foot, an amount column before the description). A sixth set
adds U.S. Bank, Ally, Discover, Apple Card, Standard Bank, Standard Chartered, Bank Leumi, Deutsche
Bank, OTP and Nordea: HUF without decimals, ``05JAN24`` and ``2024-01-05`` dates, ``(123.45)`` money
out, brought-forward lines on four pages, a summary by category after the transactions, three-line
descriptions and card statements with separate payment and purchase sections. A seventh set adds
Bank of Ireland, Raiffeisen, BMO, Kotak, Truist, NAB, AIB, KB Kookmin, MUFG and Itaú: ``18 Dec``
dates with the year only in the period, ``EUR -1.234,56`` amount cells, a balance column before the
amount, a Dr/Cr indicator column, a section continued on a page with no header, a description line
above its date line, overdrawn ``681.55 DR`` / ``-1.307,85`` balances, and KRW / JPY with no decimals.
An eighth set adds Desjardins, Société Générale, Chime, Starling, Bank of China (Hong Kong), UOB, First
Citizens, SoFi, Česká spořitelna and mBank: French Canadian ``05 JANV`` dates, a ``Sous-total`` line on
every page, a pending table after the posted rows (not in the Truth), a foreign amount and rate on the
description's line, ``CR`` only on credits, a balance only at a day's end, digits-only tokens in
descriptions, ``Jan 05, 2024`` dates and ``Kč`` / ``zł`` amount suffixes. A ninth set adds Westpac (NZ),
Erste Bank, GTBank, Axis Bank, Vietcombank, Absa, Fifth Third, DNB, bunq and BDO: a statement dated only
``as at 17 January 2024`` over ``18 DEC`` rows, booking and value date columns, ``5-Jan-2024`` and two-digit
year ``01/05/24`` dates, cheque numbers and branch codes beside the money, the description as the last
column, Vietnamese descriptions, ``1,234.56-`` debits and balances, an original amount and rate on the next
line, interest and fee summaries before the transactions, opening balances only in a box at the top, Ut
before Inn, a last page with two rows and the closing line, and rows grouped under per-day headings.

Each ``write_*`` function draws its PDF and returns the :class:`Truth`: every transaction as the
samples README defines the expected output (date ISO, description lines joined by spaces with
reference/card-number/exchange-rate lines left out, money out negative, document order), the
running balance where the row prints one, and the opening and closing balances the document
prints (a card's balance owed negative).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from fpdf import FPDF

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


@dataclass(frozen=True)
class Row:
    date: date
    description: str
    amount: Decimal
    balance: Decimal | None = None


@dataclass(frozen=True)
class Truth:
    rows: tuple[Row, ...]
    opening: Decimal | None
    closing: Decimal | None


def D(text: str | int) -> Decimal:
    return Decimal(text)


def us(amount: Decimal, sign: str = "", dollar: str = "") -> str:
    """``1,234.56``; ``sign`` ``-`` prints a leading minus for negatives; ``dollar`` a currency prefix."""
    text = f"{abs(amount):,.2f}"
    return f"{'-' if amount < 0 and sign else ''}{dollar}{text}"


def eu(amount: Decimal, signed: bool = False) -> str:
    """``1.234,56`` (``-1.234,56`` when ``signed`` and negative)."""
    text = f"{abs(amount):,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"-{text}" if signed and amount < 0 else text


class Sheet:
    """An fpdf2 document where every word is placed at an explicit x (mm) on a baseline y (mm)."""

    def __init__(self, fmt: str = "A4", size: float = 8) -> None:
        self.pdf = FPDF(unit="mm", format=fmt)
        self.pdf.set_auto_page_break(False)
        self.pdf.alias_nb_pages()
        self.pdf.add_font("Sans", "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.pdf.add_font("Sans", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.size = size
        self.pages = 0

    def new_page(self) -> int:
        self.pdf.add_page()
        self.pages += 1
        return self.pages

    def text(self, x: float, y: float, text: str, bold: bool = False, size: float | None = None) -> None:
        self.pdf.set_font("Sans", "B" if bold else "", size or self.size)
        self.pdf.text(x, y, text)

    def right(self, x: float, y: float, text: str, bold: bool = False, size: float | None = None) -> None:
        """Right-aligned at ``x``, as banks print amount columns."""
        self.pdf.set_font("Sans", "B" if bold else "", size or self.size)
        self.pdf.text(x - self.pdf.get_string_width(text), y, text)

    def save(self, path: Path) -> None:
        self.pdf.output(str(path))


class Flow:
    """A y cursor down the pages: a new page (header, footer, carried/brought lines) when full."""

    def __init__(
        self,
        sheet: Sheet,
        header: Callable[[int], float],
        bottom: float,
        leave: Callable[[float], None] | None = None,
        enter: Callable[[float], float] | None = None,
        first_bottom: float | None = None,
    ) -> None:
        self.sheet, self.header, self.bottom, self.leave, self.enter = sheet, header, bottom, leave, enter
        self.first_bottom = first_bottom or bottom
        self.y = header(sheet.new_page())

    def need(self, height: float) -> float:
        if self.y + height > (self.first_bottom if self.sheet.pages == 1 else self.bottom):
            if self.leave is not None:
                self.leave(self.y)
            self.y = self.header(self.sheet.new_page())
            if self.enter is not None:
                self.y = self.enter(self.y)
        y = self.y
        self.y += height
        return y


def running(opening: Decimal, items: Sequence[tuple[date, str, Decimal]]) -> list[Row]:
    rows, balance = [], opening
    for day, text, amount in items:
        balance += amount
        rows.append(Row(day, text, amount, balance))
    return rows


def last_balance(rows: Sequence[Row]) -> Decimal:
    balance = rows[-1].balance
    assert balance is not None
    return balance


# --- Chase (US checking): sections give the sign, per-section totals, a daily balance grid --------


def write_chase(path: Path) -> Truth:
    s = Sheet("Letter", 8)
    opening = D("5432.10")
    deposits = [
        (date(2023, 12, 15), ["Remote Online Deposit 1"], D("1250.00")),
        (date(2023, 12, 29), ["Payroll Acme Corp PPD ID: 9111111101"], D("2875.40")),
        (date(2024, 1, 5), ["Zelle Payment From Jane Doe Jpm99a1b2c3d"], D("150.00")),
        (date(2024, 1, 12), ["Payroll Acme Corp PPD ID: 9111111101"], D("2875.40")),
    ]
    withdrawals = [
        (date(2023, 12, 18), ["Card Purchase 12/16 Whole Foods Mkt #10234 Seattle WA Card 1234"], D("87.23")),
        (
            date(2023, 12, 20),
            [
                "Orig CO Name:Comcast Orig ID:0000123456 Desc Date:231219 CO Entry",
                "Descr:Cable Sec:Web Trace#:021000021234567 Eed:231220 Ind ID:",
                "Ind Name:John Doe",
            ],
            D("129.99"),
        ),
        (date(2023, 12, 22), ["Zelle Payment To John Landlord 19384756"], D("1800.00")),
        (
            date(2023, 12, 26),
            ["Card Purchase 12/23 Amazon.Com*Rt4Yu6 Amzn.Com/Bill WA Card 1234"],
            D("45.67"),
        ),
        (
            date(2024, 1, 2),
            [
                "Orig CO Name:Geico Orig ID:9876543210 Desc Date:240102 CO Entry",
                "Descr:Prem Coll Sec:PPD Trace#:021000029876543 Eed:240102 Ind ID:",
            ],
            D("212.50"),
        ),
        (date(2024, 1, 3), ["Card Purchase 01/02 Shell Oil 57444 Seattle WA Card 1234"], D("61.08")),
        (date(2024, 1, 8), ["Online Payment 18273645 To Chase Card 01/08"], D("1000.00")),
        (date(2024, 1, 10), ["Card Purchase 01/09 Starbucks Store 0251 Seattle WA Card 1234"], D("6.45")),
        (date(2024, 1, 11), ["Atm Withdrawal 01/11 1st Ave Seattle WA Card 1234"], D("200.00")),
    ]
    total_in = sum((a for _, _, a in deposits), D(0))
    total_out = sum((a for _, _, a in withdrawals), D(0))
    closing = opening + total_in - total_out
    account = "000000123456789"

    def header(page: int) -> float:
        s.text(15, 15, "JPMorgan Chase Bank, N.A.", bold=True)
        s.text(15, 19, "P O Box 182051")
        s.text(15, 23, "Columbus, OH 43218 - 2051")
        s.text(130, 15, "December 14, 2023 through January 12, 2024")
        s.text(130, 19, f"Account Number: {account}")
        s.right(200, 268, f"Page {page}")
        if page == 1:
            s.text(15, 35, "JOHN DOE")
            s.text(15, 39, "123 MAIN ST")
            s.text(15, 43, "SEATTLE WA 98101-1234")
            s.text(15, 58, "CHECKING SUMMARY", bold=True)
            s.text(60, 58, "Chase Total Checking", bold=True)
            s.text(120, 63, "INSTANCES")
            s.right(195, 63, "AMOUNT")
            summary = [
                ("Beginning Balance", "", us(opening, dollar="$")),
                ("Deposits and Additions", str(len(deposits)), us(total_in)),
                ("Electronic Withdrawals", str(len(withdrawals)), us(-total_out, sign="-")),
                ("Ending Balance", str(len(deposits) + len(withdrawals)), us(closing, dollar="$")),
            ]
            for i, (label, count, amount) in enumerate(summary):
                s.text(15, 68 + 4 * i, label)
                s.right(135, 68 + 4 * i, count)
                s.right(195, 68 + 4 * i, amount)
            return 95
        return 32

    flow = Flow(s, header, 255, first_bottom=150)

    def section(title: str, items: list[tuple[date, list[str], Decimal]], total_label: str) -> None:
        y = flow.need(14)
        s.text(15, y, title, bold=True)
        s.text(15, y + 6, "DATE", bold=True)
        s.text(35, y + 6, "DESCRIPTION", bold=True)
        s.right(195, y + 6, "AMOUNT", bold=True)
        for index, (day, lines, amount) in enumerate(items):
            y = flow.need(4 * len(lines) + 1)
            s.text(15, y, day.strftime("%m/%d"))
            for k, line in enumerate(lines):
                s.text(35, y + 4 * k, line)
            s.right(195, y, us(amount, dollar="$" if index == 0 else ""))
        y = flow.need(6)
        s.text(15, y + 1, total_label, bold=True)
        s.right(195, y + 1, us(sum((a for _, _, a in items), D(0)), dollar="$"), bold=True)

    section("DEPOSITS AND ADDITIONS", deposits, "Total Deposits and Additions")
    flow.need(4)
    section("ELECTRONIC WITHDRAWALS", withdrawals, "Total Electronic Withdrawals")
    # The daily ending balance grid: dates and amounts three to a line, not transactions.
    events = sorted([(d, a) for d, _, a in deposits] + [(d, -a) for d, _, a in withdrawals])
    daily: dict[date, Decimal] = {}
    balance = opening
    for day, amount in events:
        balance += amount
        daily[day] = balance
    y = flow.need(14)
    s.text(15, y, "DAILY ENDING BALANCE", bold=True)
    for col in range(3):
        s.text(15 + 62 * col, y + 6, "DATE", bold=True)
        s.right(70 + 62 * col, y + 6, "AMOUNT", bold=True)
    cells = list(daily.items())
    for start in range(0, len(cells), 3):
        y = flow.need(4)
        for col, (day, amount) in enumerate(cells[start : start + 3]):
            s.text(15 + 62 * col, y, day.strftime("%m/%d"))
            s.right(70 + 62 * col, y, us(amount, dollar="$" if start == 0 and col == 0 else ""))
    y = flow.need(10)
    s.text(15, y + 4, "SERVICE CHARGE SUMMARY", bold=True)
    s.save(path)
    rows = [Row(d, " ".join(lines), a) for d, lines, a in deposits]
    rows += [Row(d, " ".join(lines), -a) for d, lines, a in withdrawals]
    return Truth(tuple(rows), opening, closing)


# --- Bank of America (US checking): signed amounts, "- continued" section on the next page ----------


def write_bank_of_america(path: Path) -> Truth:
    s = Sheet("Letter", 8)
    opening = D("2345.67")
    deposits = [
        (date(2023, 12, 1), "ZELLE FROM JANE DOE ON 12/01 REF # PP0ABC1234 DINNER", D("60.00")),
        (
            date(2023, 12, 15),
            "ACME CORP DES:PAYROLL ID:XXXXX12345 INDN:DOE,JOHN CO ID:XXXXX98765 PPD",
            D("2450.00"),
        ),
        (
            date(2023, 12, 29),
            "ACME CORP DES:PAYROLL ID:XXXXX12345 INDN:DOE,JOHN CO ID:XXXXX98765 PPD",
            D("2450.00"),
        ),
        (date(2023, 12, 29), "Online Banking transfer from SAV 4567 Confirmation# 1234567890", D("1000.00")),
    ]
    withdrawals = [
        (
            date(2023, 12, 1),
            "CHECKCARD 1129 TRADER JOE S #123 SAN FRANCISCO CA 24431063334100001234567",
            D("-64.21"),
        ),
        (
            date(2023, 12, 4),
            "PGE DES:WEB ONLINE ID:XXXXX3412 INDN:JOHN DOE CO ID:XXXXX40640 WEB",
            D("-112.48"),
        ),
        (
            date(2023, 12, 5),
            "CHECKCARD 1204 UBER *TRIP HELP.UBER.COM CA 24492153338728394756102",
            D("-18.92"),
        ),
        (date(2023, 12, 8), 'Zelle payment to LANDLORD LLC for "Dec rent"; Conf# a1b2c3d4e', D("-2100.00")),
        (
            date(2023, 12, 11),
            "BKOFAMERICA ATM 12/11 #000001234 WITHDRWL MARKET ST SAN FRANCISCO CA",
            D("-200.00"),
        ),
        (
            date(2023, 12, 12),
            "CHECKCARD 1211 NETFLIX.COM NETFLIX.COM CA 24692163345000112233445",
            D("-15.49"),
        ),
        (
            date(2023, 12, 14),
            "AMERICAN EXPRESS DES:ACH PMT ID:A1234 INDN:JOHN DOE CO ID:XXXXX31001 WEB",
            D("-1423.65"),
        ),
        (date(2023, 12, 18), "PURCHASE 1216 SAFEWAY #1234 SAN FRANCISCO CA", D("-87.30")),
        (
            date(2023, 12, 20),
            "CHECKCARD 1219 SQ *BLUE BOTTLE COFFEE San Francisco CA 24011343353000",
            D("-6.50"),
        ),
        (
            date(2023, 12, 22),
            "VERIZON WIRELESS DES:PAYMENTS ID:XXXXX5678 INDN:JOHN DOE CO ID:XXXXX WEB",
            D("-89.99"),
        ),
        (
            date(2023, 12, 26),
            "CHECKCARD 1223 AMAZON.COM*RT4YU6 AMZN.COM/BILLWA 24431063359000123",
            D("-45.67"),
        ),
        (
            date(2023, 12, 27),
            "CHASE CREDIT CRD DES:EPAY ID:XXXXX8899 INDN:JOHN DOE CO ID:XXXXX WEB",
            D("-350.00"),
        ),
        (date(2023, 12, 28), "CHECKCARD 1227 SHELL OIL 57444 SAN FRANCISCO CA 24055233361000", D("-52.10")),
    ]
    fees = [(date(2023, 12, 29), "Monthly Maintenance Fee", D("-12.00"))]
    total_in = sum((a for _, _, a in deposits), D(0))
    total_out = sum((a for _, _, a in withdrawals), D(0))
    total_fees = sum((a for _, _, a in fees), D(0))
    closing = opening + total_in + total_out + total_fees

    def header(page: int) -> float:
        s.text(15, 14, "Bank of America, N.A.", bold=True)
        s.text(15, 18, "P.O. Box 15284")
        s.text(15, 22, "Wilmington, DE 19850")
        s.text(110, 14, "Your Adv Plus Banking", bold=True)
        s.text(110, 18, "for December 1, 2023 to December 31, 2023")
        s.text(110, 22, "Account number: 1234 5678 9012")
        s.text(15, 266, "Page " + str(page))
        if page == 1:
            s.text(15, 36, "JOHN DOE")
            s.text(15, 40, "742 EVERGREEN TER")
            s.text(15, 44, "SAN FRANCISCO, CA 94110")
            s.text(15, 58, "Account summary", bold=True)
            summary = [
                ("Beginning balance on December 1, 2023", us(opening, dollar="$")),
                ("Deposits and other additions", us(total_in)),
                ("Withdrawals and other subtractions", us(total_out, sign="-")),
                ("Checks", "-0.00"),
                ("Service fees", us(total_fees, sign="-")),
                ("Ending balance on December 31, 2023", us(closing, dollar="$")),
            ]
            for i, (label, amount) in enumerate(summary):
                s.text(15, 64 + 4 * i, label)
                s.right(110, 64 + 4 * i, amount)
            return 96
        return 34

    def leave(y: float) -> None:
        s.right(200, 258, "continued on the next page")

    flow = Flow(s, header, 250, leave=leave)
    current = {"title": ""}

    def enter(y: float) -> float:
        s.text(15, y, f"{current['title']} - continued", bold=True)
        s.text(15, y + 5, "Date", bold=True)
        s.text(38, y + 5, "Description", bold=True)
        s.right(200, y + 5, "Amount", bold=True)
        return y + 10

    flow.enter = enter

    def section(title: str, items: list[tuple[date, str, Decimal]], total: str) -> None:
        current["title"] = title
        y = flow.need(12)
        s.text(15, y, title, bold=True)
        s.text(15, y + 5, "Date", bold=True)
        s.text(38, y + 5, "Description", bold=True)
        s.right(200, y + 5, "Amount", bold=True)
        for day, text, amount in items:
            # long descriptions wrap after about 60 characters, as BofA's narrow column does
            words, lines, line = text.split(), [], ""
            for word in words:
                if line and len(line) + 1 + len(word) > 60:
                    lines.append(line)
                    line = word
                else:
                    line = f"{line} {word}".strip()
            lines.append(line)
            y = flow.need(4 * len(lines) + 1)
            s.text(15, y, day.strftime("%m/%d/%y"))
            for k, part in enumerate(lines):
                s.text(38, y + 4 * k, part)
            s.right(200, y, us(amount, sign="-"))
        y = flow.need(8)
        s.text(15, y + 1, total, bold=True)
        s.right(200, y + 1, us(sum((a for _, _, a in items), D(0)), sign="-", dollar="$"), bold=True)

    section("Deposits and other additions", deposits, "Total deposits and other additions")
    section("Withdrawals and other subtractions", withdrawals, "Total withdrawals and other subtractions")
    section("Service fees", fees, "Total service fees")
    s.save(path)
    rows = [Row(d, t, a) for d, t, a in deposits + withdrawals + fees]
    return Truth(tuple(rows), opening, closing)


# --- Wells Fargo (US checking): check number column, two amount columns, daily balance on some rows ---


def write_wells_fargo(path: Path) -> Truth:
    s = Sheet("Letter", 7.5)
    opening = D("1234.56")
    # (date, check number, description lines, credit, debit)
    items: list[tuple[date, str, list[str], Decimal, Decimal]] = [
        (
            date(2024, 1, 2),
            "",
            ["Purchase authorized on 12/30 Safeway #1234 Oakland CA", "S383365123456789 Card 1234"],
            D(0),
            D("76.54"),
        ),
        (
            date(2024, 1, 2),
            "",
            ["Online Transfer From Doe J Everyday Checking xxxxxx4567", "Ref #Ib0Lqrwxyz on 01/02/24"],
            D("500.00"),
            D(0),
        ),
        (date(2024, 1, 3), "1234", ["Check"], D(0), D("150.00")),
        (date(2024, 1, 5), "", ["Acme Corp Payroll 240105 0000123456 Doe John"], D("2104.33"), D(0)),
        (
            date(2024, 1, 5),
            "",
            [
                "Recurring Payment authorized on 01/04 Spotify USA",
                "877-7781161 NY S464004567890123 Card 1234",
            ],
            D(0),
            D("10.99"),
        ),
        (date(2024, 1, 5), "", ["PG&E Web Online 010424 12345678901234 John Doe"], D(0), D("98.20")),
        (date(2024, 1, 9), "1235", ["Check"], D(0), D("1200.00")),
        (
            date(2024, 1, 10),
            "",
            ["ATM Withdrawal authorized on 01/10 1 Broadway Oakland CA", "0001234 ATM ID 0123A Card 1234"],
            D(0),
            D("100.00"),
        ),
        (
            date(2024, 1, 12),
            "",
            ["Purchase authorized on 01/11 Trader Joe's #123 Oakland CA", "S584011234567890 Card 1234"],
            D(0),
            D("54.12"),
        ),
        (
            date(2024, 1, 16),
            "",
            ["Zelle From Smith Jane on 01/16 Ref # Wfct0Abc1234 Dinner"],
            D("45.00"),
            D(0),
        ),
        (date(2024, 1, 16), "", ["Comcast 8773 Xfinity 240115 123456789 John Doe"], D(0), D("89.99")),
        (date(2024, 1, 19), "", ["Acme Corp Payroll 240119 0000123456 Doe John"], D("2104.33"), D(0)),
        (date(2024, 1, 22), "1236", ["Check"], D(0), D("64.00")),
        (
            date(2024, 1, 23),
            "",
            ["Purchase authorized on 01/22 Amazon.com*Rt4Yu6 Amzn.com/bill", "WA S304022345678901 Card 1234"],
            D(0),
            D("45.67"),
        ),
        (date(2024, 1, 26), "", ["Wells Fargo Card Ccpymt 240126 1234567890 Doe John"], D(0), D("750.00")),
        (date(2024, 1, 31), "", ["Monthly Service Fee"], D(0), D("10.00")),
    ]
    total_in = sum((c for *_, c, _ in items), D(0))
    total_out = sum((d for *_, d in items), D(0))
    closing = opening + total_in - total_out
    columns = (15, 30, 48, 152, 176, 200)

    def table_header(y: float) -> float:
        s.text(columns[0], y + 4, "Date", bold=True)
        s.text(columns[1] - 2, y, "Check", bold=True)
        s.text(columns[1] - 2, y + 4, "Number", bold=True)
        s.text(columns[2], y + 4, "Description", bold=True)
        s.right(columns[3], y, "Deposits/", bold=True)
        s.right(columns[3], y + 4, "Credits", bold=True)
        s.right(columns[4], y, "Withdrawals/", bold=True)
        s.right(columns[4], y + 4, "Debits", bold=True)
        s.right(columns[5], y, "Ending daily", bold=True)
        s.right(columns[5], y + 4, "balance", bold=True)
        return y + 9

    def header(page: int) -> float:
        s.text(15, 14, "Wells Fargo Everyday Checking", bold=True, size=11)
        s.text(15, 20, "January 31, 2024")
        s.right(200, 20, "Page " + str(page))
        if page == 1:
            s.text(15, 32, "JOHN DOE")
            s.text(15, 36, "1 BROADWAY")
            s.text(15, 40, "OAKLAND CA 94607-1234")
            s.text(15, 52, "Statement period activity summary", bold=True)
            summary = [
                ("Beginning balance on 1/1", us(opening, dollar="$")),
                ("Deposits/Additions", us(total_in)),
                ("Withdrawals/Subtractions", "- " + us(total_out)),
                ("Ending balance on 1/31", us(closing, dollar="$")),
            ]
            for i, (label, amount) in enumerate(summary):
                s.text(15, 58 + 4 * i, label)
                s.right(95, 58 + 4 * i, amount)
            s.text(110, 58, "Account number: 1234567890")
            s.text(110, 62, "JOHN DOE")
            s.text(15, 84, "Transaction history", bold=True)
            return table_header(90)
        s.text(15, 30, "Transaction history (continued)", bold=True)
        return table_header(36)

    flow = Flow(s, header, 250, first_bottom=140)
    balance = opening
    rows: list[Row] = []
    for i, (day, check, lines, credit, debit) in enumerate(items):
        balance += credit - debit
        last_of_day = i + 1 == len(items) or items[i + 1][0] != day
        y = flow.need(3.6 * len(lines) + 1)
        s.text(columns[0], y, f"{day.month}/{day.day}")
        if check:
            s.right(columns[1] + 8, y, check)
        for k, line in enumerate(lines):
            s.text(columns[2], y + 3.6 * k, line)
        if credit:
            s.right(columns[3], y, us(credit))
        if debit:
            s.right(columns[4], y, us(debit))
        if last_of_day:
            s.right(columns[5], y, us(balance))
        rows.append(Row(day, " ".join(lines), credit - debit, balance if last_of_day else None))
    y = flow.need(10)
    s.text(columns[2], y + 1, "Ending balance on 1/31", bold=True)
    s.right(columns[5], y + 1, us(closing), bold=True)
    s.text(columns[2], y + 5, "Totals", bold=True)
    s.right(columns[3], y + 5, us(total_in, dollar="$"), bold=True)
    s.right(columns[4], y + 5, us(total_out, dollar="$"), bold=True)
    s.text(
        15,
        y + 12,
        "The Ending Daily Balance does not reflect any pending withdrawals or holds on deposited funds",
    )
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- Barclays (UK current account): date on a day's first row only, balance on its last -----------


def write_barclays(path: Path, more: Sequence[tuple[date, list[str], Decimal]] = ()) -> Truth:
    """``more``: rows added to the statement, each after the rows of its day (undated there)."""
    s = Sheet("A4", 8)
    opening = D("1234.56")
    items = [
        (date(2024, 1, 2), ["Card Payment to Tesco Stores 3456", "On 31 Dec"], D("-23.45")),
        (date(2024, 1, 2), ["Direct Debit to Thames Water"], D("-45.00")),
        (date(2024, 1, 3), ["Contactless Payment Pret A Manger", "On 02 Jan"], D("-6.20")),
        (date(2024, 1, 5), ["Bill Payment to J Smith"], D("-650.00")),
        (date(2024, 1, 8), ["Direct Credit From Acme Ltd", "Salary"], D("2345.67")),
        (date(2024, 1, 8), ["Card Payment to Sainsburys S/Mkt", "On 06 Jan"], D("-54.30")),
        (date(2024, 1, 8), ["Direct Debit to Vodafone Ltd"], D("-32.00")),
        (
            date(2024, 1, 10),
            ["Cash Machine Withdrawal at Barclays Bank", "Bank Street On 10 Jan"],
            D("-100.00"),
        ),
        (date(2024, 1, 12), ["Card Payment to Amazon.co.uk*AB12C", "On 11 Jan"], D("-1299.99")),
        (date(2024, 1, 15), ["Direct Debit to British Gas"], D("-88.00")),
        (date(2024, 1, 15), ["Standing Order to Savings"], D("-200.00")),
        (date(2024, 1, 19), ["Received From Jane Smith", "Dinner"], D("25.00")),
        (date(2024, 1, 22), ["Card Payment to Uber Trip", "On 20 Jan"], D("-14.75")),
        (date(2024, 1, 26), ["Direct Debit to Council Tax"], D("-142.00")),
        (date(2024, 1, 29), ["Card Payment to Tfl Travel Ch", "On 27 Jan"], D("-8.40")),
        (date(2024, 1, 31), ["Interest Paid Gross"], D("0.42")),
    ]
    items = sorted([*items, *more], key=lambda item: item[0])  # stable: a day's own rows first
    rows = running(opening, [(d, " ".join(lines), a) for d, lines, a in items])
    closing = last_balance(rows)
    cols = (18, 36, 150, 172, 194)

    def table_header(y: float) -> float:
        s.text(cols[0], y, "Date", bold=True)
        s.text(cols[1], y, "Description", bold=True)
        s.right(cols[2], y, "Money out £", bold=True)
        s.right(cols[3], y, "Money in £", bold=True)
        s.right(cols[4], y, "Balance £", bold=True)
        return y + 6

    def header(page: int) -> float:
        s.text(18, 14, "Barclays Bank UK PLC", bold=True)
        s.text(18, 18, "Mr J Smith")
        s.text(130, 14, "Sort Code 20-00-00  Account No 12345678")
        s.text(130, 18, "1 Jan - 31 Jan 2024")
        s.right(194, 285, f"Page {page}")
        s.text(18, 285, "Barclays Bank UK PLC. Authorised by the Prudential Regulation Authority.", size=6)
        if page == 1:
            s.text(18, 32, "Your transactions", bold=True, size=10)
            y = table_header(40)
            s.text(cols[0], y, "1 Jan")
            s.text(cols[1], y, "Start balance")
            s.right(cols[4], y, us(opening))
            return y + 5
        return table_header(30)

    balance_at_break = {"value": opening}

    def leave(y: float) -> None:
        s.text(cols[1], y + 1, "Balance carried forward", bold=True)
        s.right(cols[4], y + 1, us(balance_at_break["value"]), bold=True)

    def enter(y: float) -> float:
        s.text(cols[1], y, "Balance brought forward", bold=True)
        s.right(cols[4], y, us(balance_at_break["value"]), bold=True)
        return y + 5

    flow = Flow(s, header, 150, leave=leave, enter=enter)
    previous_day = None
    for i, ((day, lines, amount), row) in enumerate(zip(items, rows, strict=True)):
        last_of_day = i + 1 == len(items) or items[i + 1][0] != day
        y = flow.need(4 * len(lines) + 1)
        if day != previous_day or flow.sheet.pages > 1 and y < 40:
            s.text(cols[0], y, f"{day.day} {day:%b}")
        previous_day = day
        for k, line in enumerate(lines):
            s.text(cols[1], y + 4 * k, line)
        s.right(cols[2] if amount < 0 else cols[3], y, us(amount))
        if last_of_day:
            s.right(cols[4], y, us(last_balance([row])))
        balance_at_break["value"] = last_balance([row])
    y = flow.need(6)
    s.text(cols[0], y, "31 Jan")
    s.text(cols[1], y, "End balance", bold=True)
    s.right(cols[4], y, us(closing), bold=True)
    s.save(path)
    shown = [
        Row(
            r.date,
            r.description,
            r.amount,
            r.balance if i + 1 == len(items) or items[i + 1][0] != r.date else None,
        )
        for i, r in enumerate(rows)
    ]
    return Truth(tuple(shown), opening, closing)


# --- HSBC UK: payment-type codes, date once per day, overdrawn balances with a D suffix ------------


def write_hsbc(path: Path) -> Truth:
    s = Sheet("A4", 8)
    opening = D("412.30")
    items = [
        (date(2024, 2, 1), "VIS", ["TESCO STORES 2345", "LONDON"], D("-12.34")),
        (date(2024, 2, 1), ")))", ["PRET A MANGER", "LONDON"], D("-4.85")),
        (date(2024, 2, 2), "DD", ["THAMES WATER"], D("-45.00")),
        (date(2024, 2, 2), "BP", ["J SMITH", "RENT FEB"], D("-650.00")),
        (date(2024, 2, 5), "VIS", ["AMAZON.CO.UK*AB1CD", "AMAZON.CO.UK"], D("-23.99")),
        (date(2024, 2, 6), "CR", ["ACME LTD", "SALARY"], D("2150.00")),
        (date(2024, 2, 6), "DD", ["VODAFONE LTD"], D("-32.00")),
        (date(2024, 2, 9), "ATM", ["HSBC CASH 09FEB", "LONDON"], D("-50.00")),
        (date(2024, 2, 12), "SO", ["SAVINGS ACCOUNT"], D("-300.00")),
        (date(2024, 2, 14), ")))", ["TFL TRAVEL CH", "TFL.GOV.UK/CP"], D("-7.20")),
        (date(2024, 2, 16), "VIS", ["SAINSBURYS S/MKT", "LONDON"], D("-61.47")),
        (date(2024, 2, 20), "DD", ["BRITISH GAS"], D("-95.00")),
        (date(2024, 2, 23), "CR", ["J BLOGGS", "CONCERT TICKETS"], D("40.00")),
        (date(2024, 2, 26), "VIS", ["ARGOS LTD", "LONDON"], D("-89.99")),
        (date(2024, 2, 28), "DD", ["COUNCIL TAX"], D("-142.00")),
    ]
    rows = running(opening, [(d, f"{code} {' '.join(lines)}", a) for d, code, lines, a in items])
    closing = last_balance(rows)
    cols = (16, 36, 47, 150, 172, 196)

    def bal(amount: Decimal | None) -> str:
        assert amount is not None
        return us(amount) + (" D" if amount < 0 else "")

    def table_header(y: float) -> float:
        s.text(cols[0], y, "Date", bold=True)
        s.text(cols[1], y, "Payment type and details", bold=True)
        s.right(cols[3], y, "Paid out", bold=True)
        s.right(cols[4], y, "Paid in", bold=True)
        s.right(cols[5], y, "Balance", bold=True)
        return y + 6

    def header(page: int) -> float:
        s.text(16, 14, "HSBC UK Bank plc", bold=True, size=10)
        s.text(16, 19, "Your Statement")
        s.text(120, 14, "Account Name  MR JOHN SMITH")
        s.text(120, 18, "Sortcode 40-11-22  Account Number 81234567")
        s.text(120, 22, "01 February to 29 February 2024")
        s.text(16, 286, "HSBC UK Bank plc. Registered in England number 9928412.", size=6)
        s.right(196, 286, f"Page {page}", size=6)
        if page == 1:
            s.text(16, 34, "Your Bank Account details", bold=True)
            return table_header(42)
        return table_header(32)

    carried = {"value": opening}

    def leave(y: float) -> None:
        s.text(cols[1], y + 1, "BALANCE CARRIED FORWARD", bold=True)
        s.right(cols[5], y + 1, bal(carried["value"]), bold=True)

    def enter(y: float) -> float:
        s.text(cols[1], y, "BALANCE BROUGHT FORWARD", bold=True)
        s.right(cols[5], y, bal(carried["value"]), bold=True)
        return y + 5

    flow = Flow(s, header, 140, leave=leave, enter=enter)
    y = flow.need(5)
    s.text(cols[0], y, "01 Feb 24")
    s.text(cols[1], y, "BALANCE BROUGHT FORWARD", bold=True)
    s.right(cols[5], y, bal(opening), bold=True)
    previous = None
    for i, ((day, code, lines, amount), row) in enumerate(zip(items, rows, strict=True)):
        last_of_day = i + 1 == len(items) or items[i + 1][0] != day
        pages = s.pages
        y = flow.need(4 * len(lines) + 1)
        if day != previous or s.pages != pages:
            s.text(cols[0], y, day.strftime("%d %b %y"))
        previous = day
        s.text(cols[1], y, code)
        for k, line in enumerate(lines):
            s.text(cols[2], y + 4 * k, line)
        s.right(cols[3] if amount < 0 else cols[4], y + 4 * (len(lines) - 1), us(amount))
        if last_of_day:
            s.right(cols[5], y + 4 * (len(lines) - 1), bal(row.balance))
        carried["value"] = last_balance([row])
    y = flow.need(6)
    s.text(cols[0], y, "29 Feb 24")
    s.text(cols[1], y, "BALANCE CARRIED FORWARD", bold=True)
    s.right(cols[5], y, bal(closing), bold=True)
    s.save(path)
    shown = [
        Row(
            r.date,
            r.description,
            r.amount,
            r.balance if i + 1 == len(items) or items[i + 1][0] != r.date else None,
        )
        for i, r in enumerate(rows)
    ]
    return Truth(tuple(shown), opening, closing)


# --- Revolut (GBP account): £ amounts, a balance on every row, card and exchange-rate lines --------


def write_revolut(path: Path) -> Truth:
    s = Sheet("A4", 8)
    opening = D("1000.00")
    # (date, description, extra lines (left out of the truth), amount)
    items = [
        (date(2024, 1, 2), "Tesco Metro", ["Card: 459675******1234"], D("-12.34")),
        (date(2024, 1, 3), "Transfer from ACME LTD", [], D("2000.00")),
        (
            date(2024, 1, 5),
            "Amazon.com",
            ["Card: 459675******1234", "USD 45.00", "Revolut Rate £1.00 = $1.2650"],
            D("-35.57"),
        ),
        (date(2024, 1, 8), "To JOHN LANDLORD", [], D("-1200.00")),
        (date(2024, 1, 10), "Uber", ["Card: 459675******1234"], D("-18.40")),
        (date(2024, 1, 15), "Exchanged to EUR", [], D("-200.00")),
        (date(2024, 1, 19), "Netflix", ["Card: 459675******1234"], D("-10.99")),
        (date(2024, 1, 24), "Refund from Amazon.com", ["Card: 459675******1234"], D("35.57")),
        (date(2024, 1, 29), "Pret A Manger", ["Card: 459675******1234"], D("-5.25")),
    ]
    rows = running(opening, [(d, t, a) for d, t, _, a in items])
    closing = last_balance(rows)
    assert closing is not None
    money_out = -sum((a for *_, a in items if a < 0), D(0))
    money_in = sum((a for *_, a in items if a > 0), D(0))
    cols = (15, 45, 150, 172, 196)

    def gbp(amount: Decimal) -> str:
        return us(amount, dollar="£")

    def table_header(y: float) -> float:
        s.text(cols[0], y, "Date", bold=True)
        s.text(cols[1], y, "Description", bold=True)
        s.right(cols[2], y, "Money out", bold=True)
        s.right(cols[3], y, "Money in", bold=True)
        s.right(cols[4], y, "Balance", bold=True)
        return y + 6

    def header(page: int) -> float:
        s.text(15, 14, "GBP Statement", bold=True, size=14)
        s.text(15, 20, "Generated on the 2 February 2024")
        s.text(150, 14, "Revolut Ltd", bold=True)
        s.text(15, 286, "Revolut Ltd is registered in England and Wales (No. 08804411)", size=6)
        s.right(196, 286, "Page " + str(page), size=6)
        if page == 1:
            s.text(15, 30, "JOHN SMITH")
            s.text(15, 34, "1 High Street, London, E1 6AN")
            s.text(15, 46, "Balance summary", bold=True)
            s.text(15, 52, "Product", bold=True)
            for x, label in (
                (95, "Opening balance"),
                (125, "Money out"),
                (155, "Money in"),
                (190, "Closing balance"),
            ):
                s.right(x, 52, label, bold=True)
            s.text(15, 57, "Account (Current Account)")
            for x, amount in ((95, opening), (125, money_out), (155, money_in), (190, closing)):
                s.right(x, 57, gbp(amount))
            s.text(15, 62, "Total")
            for x, amount in ((95, opening), (125, money_out), (155, money_in), (190, closing)):
                s.right(x, 62, gbp(amount))
            s.text(15, 74, "Account transactions from 1 January 2024 to 31 January 2024", bold=True)
            return table_header(82)
        return table_header(30)

    flow = Flow(s, header, 270, first_bottom=140)
    for (day, text, extra, amount), row in zip(items, rows, strict=True):
        y = flow.need(4 + 3.5 * len(extra) + 1.5)
        s.text(cols[0], y, f"{day:%b} {day.day}, {day.year}")
        s.text(cols[1], y, text)
        for k, line in enumerate(extra):
            s.text(cols[1], y + 3.5 * (k + 1), line, size=6.5)
        s.right(cols[2] if amount < 0 else cols[3], y, gbp(amount))
        assert row.balance is not None
        s.right(cols[4], y, gbp(row.balance))
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- N26 (DE): booking date column, amounts -12,50€, value-date and purpose lines under rows -------


def write_n26(path: Path) -> Truth:
    s = Sheet("A4", 8)
    opening = D("1523.40")
    # (booking date, name, purpose lines (in the truth), value date, amount)
    items = [
        (date(2024, 1, 2), "REWE Markt GmbH", ["Mastercard • Lebensmittel"], date(2024, 1, 2), D("-23.45")),
        (
            date(2024, 1, 3),
            "Max Mustermann",
            ["Verwendungszweck Miete Januar"],
            date(2024, 1, 3),
            D("-850.00"),
        ),
        (date(2024, 1, 4), "Spotify AB", ["Mastercard • Medien & Elektronik"], date(2024, 1, 3), D("-9.99")),
        (
            date(2024, 1, 5),
            "Arbeitgeber GmbH",
            ["Verwendungszweck Gehalt Januar 2024"],
            date(2024, 1, 5),
            D("3250.00"),
        ),
        (date(2024, 1, 9), "Deutsche Bahn", ["Mastercard • Reisen & Urlaub"], date(2024, 1, 8), D("-129.90")),
        (
            date(2024, 1, 12),
            "Stadtwerke München",
            ["Verwendungszweck Abschlag Strom", "Kundennummer 123456"],
            date(2024, 1, 12),
            D("-78.00"),
        ),
        (date(2024, 1, 15), "Erika Musterfrau", ["Verwendungszweck Pizza"], date(2024, 1, 15), D("12.50")),
        (
            date(2024, 1, 22),
            "Amazon EU S.a.r.L.",
            ["Mastercard • Shopping"],
            date(2024, 1, 20),
            D("-1045.99"),
        ),
        (date(2024, 1, 29), "Bargeldabhebung ATM", ["Mastercard • Bargeld"], date(2024, 1, 29), D("-100.00")),
    ]
    closing = opening + sum((a for *_, a in items), D(0))

    def euro(amount: Decimal) -> str:
        return ("+" if amount > 0 else "") + eu(amount, signed=True) + "€"

    def header(page: int) -> float:
        s.text(15, 14, "N26", bold=True, size=16)
        s.text(120, 14, "Max Mustermann")
        s.text(120, 18, "IBAN: DE12 1001 1001 2345 6789 01")
        s.text(120, 22, "BIC: NTSBDEB1XXX")
        s.text(15, 286, "N26 Bank AG, Voltairestraße 8, 10179 Berlin", size=6)
        s.right(196, 286, f"{page}", size=6)
        if page == 1:
            s.text(15, 36, "Kontoauszug", bold=True, size=12)
            s.text(15, 42, "01.01.2024 bis 31.01.2024")
            s.right(196, 42, "Erstellt am 01.02.2024")
            y = 54
        else:
            y = 32
        s.text(15, y, "Beschreibung", bold=True)
        s.text(120, y, "Verbuchungsdatum", bold=True)
        s.right(196, y, "Betrag", bold=True)
        return y + 7

    flow = Flow(s, header, 270, first_bottom=150)
    for booked, name, lines, valued, amount in items:
        y = flow.need(4.5 + 3.5 * (len(lines) + 1) + 2)
        s.text(15, y, name, bold=True)
        s.text(120, y, booked.strftime("%d.%m.%Y"))
        s.right(196, y, euro(amount), bold=True)
        for k, line in enumerate(lines):
            s.text(15, y + 4 + 3.5 * k, line, size=7)
        s.text(15, y + 4 + 3.5 * len(lines), f"Wertstellung {valued:%d.%m.%Y}", size=7)
    y = flow.need(20)
    s.text(15, y + 4, "Dein alter Kontostand", bold=True)
    s.right(196, y + 4, eu(opening) + "€")
    s.text(15, y + 9, "Ausgänge")
    s.right(196, y + 9, eu(sum((a for *_, a in items if a < 0), D(0)), signed=True) + "€")
    s.text(15, y + 13, "Eingänge")
    s.right(196, y + 13, "+" + eu(sum((a for *_, a in items if a > 0), D(0))) + "€")
    s.text(15, y + 18, "Dein neuer Kontostand", bold=True)
    s.right(196, y + 18, eu(closing) + "€", bold=True)
    s.save(path)
    rows = [Row(b, " ".join([n, *lines]), a) for b, n, lines, _, a in items]
    return Truth(tuple(rows), opening, closing)


# --- ING (NL): Af / Bij columns, dd-mm-yyyy, a code column, 2-3 line descriptions ------------------


def write_ing(path: Path) -> Truth:
    s = Sheet("A4", 7.5)
    opening = D("2310.15")
    items = [
        (
            date(2024, 3, 1),
            "BA",
            ["Albert Heijn 1403 AMSTERDAM", "Pasvolgnr: 003 01-03-2024 12:14"],
            D("-34.67"),
        ),
        (
            date(2024, 3, 1),
            "IC",
            [
                "Vattenfall Klantenservice N.V.",
                "Omschrijving: Termijnbedrag maart",
                "Machtiging ID: 100234567",
            ],
            D("-125.00"),
        ),
        (date(2024, 3, 4), "GT", ["J. de Vries", "Omschrijving: Huur maart"], D("-1150.00")),
        (date(2024, 3, 5), "OV", ["Werkgever B.V.", "Omschrijving: Salaris maart 2024"], D("3412.88")),
        (date(2024, 3, 8), "BA", ["NS Groep IZ NS Reizigers", "UTRECHT"], D("-24.40")),
        (date(2024, 3, 12), "IC", ["Ziggo Services BV", "Omschrijving: Factuur 20240312"], D("-62.50")),
        (date(2024, 3, 15), "OV", ["M. Jansen", "Omschrijving: Terugbetaling etentje"], D("18.75")),
        (date(2024, 3, 20), "GM", ["ING Amsterdam Centraal", "Geldautomaat"], D("-50.00")),
        (date(2024, 3, 27), "BA", ["Bol.com", "UTRECHT"], D("-1249.00")),
    ]
    closing = opening + sum((a for *_, a in items), D(0))
    cols = (15, 38, 128, 160, 190)

    def header(page: int) -> float:
        s.text(15, 14, "ING Bank N.V.", bold=True, size=11)
        s.text(120, 14, "Rekeningoverzicht", bold=True, size=10)
        s.text(120, 19, "IBAN NL12 INGB 0001 2345 67")
        s.text(120, 23, "Periode 01-03-2024 t/m 31-03-2024")
        s.right(190, 286, f"Blad {page}", size=6)
        if page == 1:
            s.text(15, 34, "Dhr J. Jansen")
            s.text(15, 46, "Beginsaldo per 01-03-2024")
            s.right(190, 46, eu(opening))
            s.text(15, 50, "Eindsaldo per 31-03-2024")
            s.right(190, 50, eu(closing))
            y = 62
        else:
            y = 32
        s.text(cols[0], y, "Datum", bold=True)
        s.text(cols[1], y, "Naam / Omschrijving", bold=True)
        s.text(cols[2] - 10, y, "Code", bold=True)
        s.right(cols[3], y, "Af", bold=True)
        s.right(cols[4], y, "Bij", bold=True)
        return y + 6

    flow = Flow(s, header, 270, first_bottom=110)
    rows = []
    for day, code, lines, amount in items:
        y = flow.need(3.6 * len(lines) + 1.5)
        s.text(cols[0], y, day.strftime("%d-%m-%Y"))
        for k, line in enumerate(lines):
            s.text(cols[1], y + 3.6 * k, line)
        s.text(cols[2] - 10, y, code)
        s.right(cols[3] if amount < 0 else cols[4], y, eu(amount))
        rows.append(Row(day, " ".join(lines), amount))
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- Santander (ES): Fecha Operación / Fecha Valor / Concepto / Importe / Saldo ---------------------


def write_santander(path: Path) -> Truth:
    s = Sheet("A4", 7.5)
    opening = D("3456.78")
    items = [
        (
            date(2024, 4, 1),
            date(2024, 4, 1),
            ["Compra Mercadona Calle Mayor, Madrid, Tarjeta 4176xxxxxxxx1234,", "Comision 0,00"],
            D("-56.32"),
        ),
        (
            date(2024, 4, 2),
            date(2024, 4, 2),
            ["Recibo Iberdrola Clientes S.A.U. Nº Recibo 0049 1234 567890123"],
            D("-87.45"),
        ),
        (
            date(2024, 4, 3),
            date(2024, 4, 3),
            ["Transferencia Inmediata De Garcia Lopez Juan, Concepto Cena"],
            D("25.00"),
        ),
        (date(2024, 4, 5), date(2024, 4, 5), ["Nomina Recibida Empresa Ejemplo S.L."], D("2150.00")),
        (
            date(2024, 4, 8),
            date(2024, 4, 6),
            ["Pago Movil En Renfe Viajeros, Madrid, Tarj. :*1234"],
            D("-48.90"),
        ),
        (
            date(2024, 4, 10),
            date(2024, 4, 10),
            ["Transferencia A Favor De Inmobiliaria Sol S.L. Concepto: Alquiler", "Abril 2024"],
            D("-1100.00"),
        ),
        (
            date(2024, 4, 15),
            date(2024, 4, 15),
            ["Retirada De Efectivo En Cajero Santander, Tarj. :*1234"],
            D("-200.00"),
        ),
        (date(2024, 4, 22), date(2024, 4, 22), ["Bizum De Maria Perez Concepto Regalo"], D("30.00")),
        (
            date(2024, 4, 29),
            date(2024, 4, 29),
            ["Compra El Corte Ingles, Madrid, Tarjeta 4176xxxxxxxx1234"],
            D("-1234.56"),
        ),
        (date(2024, 4, 30), date(2024, 4, 30), ["Comision Mantenimiento"], D("-5.00")),
    ]
    rows = running(opening, [(d, " ".join(lines), a) for d, _, lines, a in items])
    closing = last_balance(rows)
    cols = (15, 35, 55, 170, 195)

    def header(page: int) -> float:
        s.text(15, 14, "Banco Santander, S.A.", bold=True, size=11)
        s.text(120, 14, "Extracto de cuenta")
        s.text(120, 18, "Cuenta: ES12 0049 1234 5612 3456 7890")
        s.text(120, 22, "Periodo: 01/04/2024 - 30/04/2024")
        s.text(15, 286, "Banco Santander, S.A. Paseo de Pereda 9-12, 39004 Santander. CIF A39000013", size=6)
        s.right(195, 286, f"Pág. {page}", size=6)
        y = 36 if page == 1 else 30
        s.text(cols[0], y, "Fecha", bold=True)
        s.text(cols[0], y + 3.5, "Operación", bold=True)
        s.text(cols[1], y, "Fecha", bold=True)
        s.text(cols[1], y + 3.5, "Valor", bold=True)
        s.text(cols[2], y + 3.5, "Concepto", bold=True)
        s.right(cols[3], y + 3.5, "Importe", bold=True)
        s.right(cols[4], y + 3.5, "Saldo", bold=True)
        y += 9
        if page == 1:
            s.text(cols[2], y, "Saldo anterior")
            s.right(cols[4], y, eu(opening))
            y += 5
        return y

    flow = Flow(s, header, 270, first_bottom=90)
    for (booked, valued, lines, amount), row in zip(items, rows, strict=True):
        y = flow.need(3.6 * len(lines) + 1.5)
        s.text(cols[0], y, booked.strftime("%d/%m/%Y"))
        s.text(cols[1], y, valued.strftime("%d/%m/%Y"))
        for k, line in enumerate(lines):
            s.text(cols[2], y + 3.6 * k, line)
        s.right(cols[3], y, eu(amount, signed=True))
        assert row.balance is not None
        s.right(cols[4], y, eu(row.balance, signed=True))
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- An Italian bank: Data contabile / Data valuta / Dare / Avere, SALDO INIZIALE/FINALE rows -------


def write_italian(path: Path) -> Truth:
    s = Sheet("A4", 7.5)
    opening = D("4210.33")
    items = [
        (
            date(2024, 5, 2),
            date(2024, 5, 2),
            ["PAGAMENTO POS 23,45 EUR DEL 30.04.2024 A (ITA)", "ESSELUNGA MILANO CARTA N. *1234"],
            D("-23.45"),
        ),
        (
            date(2024, 5, 3),
            date(2024, 5, 3),
            ["BONIFICO A VOSTRO FAVORE", "DA: ROSSI MARIO", "PER: RIMBORSO CENA"],
            D("40.00"),
        ),
        (
            date(2024, 5, 6),
            date(2024, 5, 6),
            ["ADDEBITO DIRETTO SDD", "ENEL ENERGIA S.P.A. BOLLETTA 004512"],
            D("-98.70"),
        ),
        (
            date(2024, 5, 10),
            date(2024, 5, 10),
            ["ACCREDITO STIPENDIO", "DA: AZIENDA ESEMPIO SRL"],
            D("2480.00"),
        ),
        (date(2024, 5, 13), date(2024, 5, 11), ["PRELIEVO BANCOMAT ATM 1234 DEL 11.05.2024"], D("-250.00")),
        (
            date(2024, 5, 20),
            date(2024, 5, 20),
            ["BONIFICO DISPOSTO A FAVORE DI", "IMMOBILIARE ESEMPIO SRL", "PER: AFFITTO MAGGIO"],
            D("-1150.00"),
        ),
        (
            date(2024, 5, 27),
            date(2024, 5, 27),
            ["PAGAMENTO POS 1.120,00 EUR DEL 25.05.2024 A (ITA)", "MEDIAWORLD MILANO CARTA N. *1234"],
            D("-1120.00"),
        ),
        (date(2024, 5, 31), date(2024, 5, 31), ["CANONE MENSILE CONTO"], D("-7.50")),
    ]
    closing = opening + sum((a for *_, a in items), D(0))
    cols = (15, 35, 55, 170, 195)

    def header(page: int) -> float:
        s.text(15, 14, "Banca Esempio S.p.A.", bold=True, size=11)
        s.text(120, 14, "ESTRATTO CONTO CORRENTE")
        s.text(120, 18, "Conto corrente n. 000012345678")
        s.text(120, 22, "Periodo dal 01.05.2024 al 31.05.2024")
        s.right(195, 286, f"Pagina {page}", size=6)
        y = 36 if page == 1 else 30
        s.text(cols[0], y, "Data", bold=True)
        s.text(cols[0], y + 3.5, "contabile", bold=True)
        s.text(cols[1], y, "Data", bold=True)
        s.text(cols[1], y + 3.5, "valuta", bold=True)
        s.text(cols[2], y + 3.5, "Descrizione operazioni", bold=True)
        s.right(cols[3], y + 3.5, "Dare", bold=True)
        s.right(cols[4], y + 3.5, "Avere", bold=True)
        return y + 9

    carried = {"value": opening}

    def leave(y: float) -> None:
        s.text(cols[2], y + 1, "SALDO A RIPORTARE", bold=True)
        s.right(cols[4], y + 1, eu(carried["value"]), bold=True)

    def enter(y: float) -> float:
        s.text(cols[2], y, "SALDO RIPORTATO", bold=True)
        s.right(cols[4], y, eu(carried["value"]), bold=True)
        return y + 5

    flow = Flow(s, header, 270, leave=leave, enter=enter, first_bottom=75)
    y = flow.need(5)
    s.text(cols[0], y, "30.04.2024")
    s.text(cols[2], y, "SALDO INIZIALE", bold=True)
    s.right(cols[4], y, eu(opening), bold=True)
    for booked, valued, lines, amount in items:
        y = flow.need(3.6 * len(lines) + 1.5)
        s.text(cols[0], y, booked.strftime("%d.%m.%Y"))
        s.text(cols[1], y, valued.strftime("%d.%m.%Y"))
        for k, line in enumerate(lines):
            s.text(cols[2], y + 3.6 * k, line)
        s.right(cols[3] if amount < 0 else cols[4], y, eu(amount))
        carried["value"] += amount
    y = flow.need(5)
    s.text(cols[0], y, "31.05.2024")
    s.text(cols[2], y, "SALDO FINALE", bold=True)
    s.right(cols[4], y, eu(closing), bold=True)
    s.save(path)
    rows = [Row(d, " ".join(lines), a) for d, _, lines, a in items]
    return Truth(tuple(rows), opening, closing)


# --- American Express (US card): MM/DD/YY, posting-date stars, multi-line merchants, -$ credits -----


def write_amex(path: Path) -> Truth:
    s = Sheet("Letter", 7.5)
    previous = D("845.20")
    payments: list[tuple[date, list[str], list[str], Decimal]] = [
        (date(2024, 1, 5), ["ONLINE PAYMENT - THANK YOU"], [], D("845.20"))
    ]
    credits = [
        (date(2024, 1, 12), ["AMAZON MARKETPLACE NA PA AMZN.COM/BILL WA"], ["MERCHANDISE"], D("23.99"))
    ]
    # (date, description lines, left-out lines (reference numbers, foreign currency), charge)
    charges = [
        (
            date(2023, 12, 27),
            ["DELTA AIR LINES ATLANTA GA", "DELTA AIR LINES"],
            ["Ticket Number: 00612345678901"],
            D("412.60"),
        ),
        (date(2023, 12, 29), ["UBER TRIP HELP.UBER.COM CA"], [], D("23.45")),
        (
            date(2024, 1, 2),
            ["CAFE DE FLORE PARIS", "RESTAURANT"],
            ["01/02/24 EURO", "45.00 Euro", "1.09222 exchange rate"],
            D("49.15"),
        ),
        (date(2024, 1, 6), ["WHOLEFDS SEA 10234 SEATTLE WA", "GROCERY STORE"], [], D("134.72")),
        (
            date(2024, 1, 9),
            ["AMAZON MARKETPLACE NA PA AMZN.COM/BILL WA", "MERCHANDISE"],
            ["Reference: 320240090123456789"],
            D("23.99"),
        ),
        (
            date(2024, 1, 14),
            ["HILTON HOTELS NEW YORK NY", "LODGING"],
            ["Arrival Date: 01/12/24 Departure Date: 01/14/24"],
            D("1289.34"),
        ),
        (date(2024, 1, 18), ["STARBUCKS STORE 00251 SEATTLE WA"], [], D("6.45")),
        (date(2024, 1, 21), ["NETFLIX.COM LOS GATOS CA", "DIGITAL SERVICES"], [], D("15.49")),
    ]
    new_charges = sum((a for *_, a in charges), D(0))
    total_credits = sum((a for *_, a in payments + credits), D(0))
    new_balance = previous - total_credits + new_charges

    def header(page: int) -> float:
        s.text(15, 14, "American Express", bold=True, size=11)
        s.text(15, 19, "The Platinum Card®")
        s.text(130, 14, "JOHN DOE")
        s.text(130, 18, "Closing Date 01/25/24")
        s.text(130, 22, "Account Ending 1-01001")
        s.right(200, 268, f"p. {page}", size=6)
        if page == 1:
            s.text(15, 34, "Account Summary", bold=True)
            summary = [
                ("Previous Balance", us(previous, dollar="$")),
                ("Payments/Credits", "-" + us(total_credits, dollar="$")),
                ("New Charges", "+" + us(new_charges, dollar="$")),
                ("Fees", "+$0.00"),
                ("Interest Charged", "+$0.00"),
                ("New Balance", "=" + us(new_balance, dollar="$")),
            ]
            for i, (label, amount) in enumerate(summary):
                s.text(15, 40 + 4 * i, label)
                s.right(90, 40 + 4 * i, amount)
            s.text(110, 40, "Payment Due Date 02/19/24")
            s.text(110, 44, "Minimum Payment Due $40.00")
            return 72
        return 32

    flow = Flow(s, header, 255, first_bottom=140)

    def section(
        title: str, items: list[tuple[date, list[str], list[str], Decimal]], sign: str, star: bool
    ) -> None:
        y = flow.need(11)
        s.text(15, y, title, bold=True)
        s.text(15, y + 5, "Detail", bold=True)
        if star:
            s.text(40, y + 5, "*Indicates posting date", size=6)
        s.right(200, y + 5, "Amount", bold=True)
        for day, lines, extra, amount in items:
            y = flow.need(3.6 * (len(lines) + len(extra)) + 1.5)
            s.text(15, y, day.strftime("%m/%d/%y") + ("*" if star else ""))
            for k, line in enumerate(lines):
                s.text(40, y + 3.6 * k, line)
            for k, line in enumerate(extra):
                s.text(40 if ":" in line else 110, y + 3.6 * (len(lines) + k), line)
            s.right(200, y, sign + us(amount, dollar="$"))
        y = flow.need(6)
        s.text(40, y + 1, f"Total {title}", bold=True)
        s.right(200, y + 1, sign + us(sum((a for *_, a in items), D(0)), dollar="$"), bold=True)

    section("Payments", payments, "-", True)
    section("Credits", credits, "-", False)
    y = flow.need(6)
    s.text(15, y, "JOHN DOE", bold=True)
    s.text(60, y, "Card Ending 1-01001")
    section("New Charges", charges, "", False)
    s.save(path)
    rows = [Row(d, " ".join(lines), a) for d, lines, _, a in payments + credits]
    rows += [Row(d, " ".join(lines), -a) for d, lines, _, a in charges]
    return Truth(tuple(rows), -previous, -new_balance)


# --- Capital One (US card): Trans Date / Post Date "Dec 28", "- $500.00" payments, year turns --------


def write_capital_one(path: Path, credit_limit: bool = True) -> Truth:
    """``credit_limit=False`` leaves out the Credit Limit / Available Credit lines (a card whose
    statement prints none: a charge card, or a layout that prints them on another page)."""
    s = Sheet("Letter", 7.5)
    previous = D("1204.77")
    payments = [
        (date(2023, 12, 28), date(2023, 12, 28), "CAPITAL ONE MOBILE PYMT Authdate 28-Dec", D("1204.77"))
    ]
    transactions = [
        (date(2023, 12, 15), date(2023, 12, 16), "SAFEWAY #1234 OAKLAND CA", D("84.12")),
        (date(2023, 12, 18), date(2023, 12, 19), "SHELL OIL 57444 OAKLAND CA", D("52.30")),
        (date(2023, 12, 22), date(2023, 12, 23), "AMAZON.COM*RT4YU6 AMZN.COM/BILLWA", D("1345.67")),
        (date(2023, 12, 31), date(2024, 1, 2), "SPOTIFY USA 877-7781161NY", D("10.99")),
        (date(2024, 1, 3), date(2024, 1, 4), "TST* BLUE BOTTLE COFFEE OAKLAND CA", D("7.25")),
        (date(2024, 1, 6), date(2024, 1, 7), "TOTAL WINE & MORE 1234 OAKLAND CA", D("42.17")),
        (date(2024, 1, 8), date(2024, 1, 9), "UBER *TRIP HELP.UBER.COMCA", D("21.48")),
        (date(2024, 1, 11), date(2024, 1, 12), "TARGET 00012345 OAKLAND CA", D("63.09")),
    ]
    fees = D(0)
    total_tx = sum((a for *_, a in transactions), D(0))
    total_pay = sum((a for *_, a in payments), D(0))
    new_balance = previous - total_pay + total_tx + fees
    cols = (15, 35, 55, 200)

    def table_header(y: float) -> float:
        s.text(cols[0], y, "Trans Date", bold=True)
        s.text(cols[1], y, "Post Date", bold=True)
        s.text(cols[2], y, "Description", bold=True)
        s.right(cols[3], y, "Amount", bold=True)
        return y + 5

    def header(page: int) -> float:
        s.text(15, 14, "Capital One", bold=True, size=12)
        s.text(120, 14, "Quicksilver Card | World Elite Mastercard ending in 5678")
        s.text(120, 18, "Dec 14, 2023 - Jan 13, 2024 | 31 days in Billing Cycle")
        s.right(200, 268, f"Page {page}", size=6)
        if page == 1:
            s.text(15, 30, "Payment Information", bold=True)
            s.text(15, 35, "New Balance")
            s.right(80, 35, us(new_balance, dollar="$"))
            s.text(15, 39, "Minimum Payment Due")
            s.right(80, 39, "$41.00")
            if credit_limit:
                s.text(15, 47, "Credit Limit")
                s.right(80, 47, "$5,000.00")
                s.text(15, 51, "Available Credit")
                s.right(80, 51, us(D("5000.00") - new_balance, dollar="$"))
            s.text(110, 30, "Account Summary", bold=True)
            summary = [
                ("Previous Balance", us(previous, dollar="$")),
                ("Payments", "- " + us(total_pay, dollar="$")),
                ("Other Credits", "- $0.00"),
                ("Transactions", "+ " + us(total_tx, dollar="$")),
                ("Cash Advances", "+ $0.00"),
                ("Fees Charged", "+ $0.00"),
                ("Interest Charged", "+ $0.00"),
                ("New Balance", "= " + us(new_balance, dollar="$")),
            ]
            for i, (label, amount) in enumerate(summary):
                s.text(110, 35 + 4 * i, label)
                s.right(200, 35 + 4 * i, amount)
            return 80
        return 30

    flow = Flow(s, header, 255, first_bottom=130)
    y = flow.need(8)
    s.text(15, y, "Transactions", bold=True, size=10)
    y = flow.need(6)
    s.text(15, y, "Visit capitalone.com to see detailed transactions.", size=6)
    y = flow.need(6)
    s.text(15, y, "Payments, Credits and Adjustments", bold=True)
    flow.y = table_header(flow.y)
    for tdate, pdate, text, amount in payments:
        y = flow.need(4)
        s.text(cols[0], y, f"{tdate:%b} {tdate.day}")
        s.text(cols[1], y, f"{pdate:%b} {pdate.day}")
        s.text(cols[2], y, text)
        s.right(cols[3], y, "- " + us(amount, dollar="$"))
    y = flow.need(8)
    s.text(15, y + 2, "JOHN DOE #5678: Transactions", bold=True)
    flow.y = table_header(flow.y)
    for tdate, pdate, text, amount in transactions:
        y = flow.need(4)
        s.text(cols[0], y, f"{tdate:%b} {tdate.day}")
        s.text(cols[1], y, f"{pdate:%b} {pdate.day}")
        s.text(cols[2], y, text)
        s.right(cols[3], y, us(amount, dollar="$"))
    y = flow.need(6)
    s.text(cols[2], y + 1, "JOHN DOE #5678: Total Transactions", bold=True)
    s.right(cols[3], y + 1, us(total_tx, dollar="$"), bold=True)
    y = flow.need(12)
    s.text(15, y + 2, "Fees", bold=True)
    s.text(cols[2], y + 6, "Total Fees for This Period", bold=True)
    s.right(cols[3], y + 6, "$0.00", bold=True)
    y = flow.need(12)
    s.text(15, y + 2, "Interest Charged", bold=True)
    s.text(cols[2], y + 6, "Total Interest for This Period", bold=True)
    s.right(cols[3], y + 6, "$0.00", bold=True)
    s.save(path)
    rows = [Row(t, text, a) for t, _, text, a in payments]
    rows += [Row(t, text, -a) for t, _, text, a in transactions]
    return Truth(tuple(rows), -previous, -new_balance)


# --- Amount spellings of the banks below ------------------------------------------------------------


def lakh(amount: Decimal) -> str:
    """Indian grouping: ``1,23,456.78`` (thousands, then pairs of digits)."""
    whole, cents = f"{abs(amount):.2f}".split(".")
    head, tail = whole[:-3], whole[-3:]
    pairs = []
    while len(head) > 2:
        pairs.insert(0, head[-2:])
        head = head[:-2]
    return ",".join([p for p in [head, *pairs] if p] + [tail]) + "." + cents


def swiss(amount: Decimal) -> str:
    """Swiss grouping: ``1'234.50``."""
    return f"{abs(amount):,.2f}".replace(",", "'")


def french(amount: Decimal) -> str:
    """French grouping: ``1 234,56`` (a space between thousands, a decimal comma)."""
    return f"{abs(amount):,.2f}".replace(",", " ").replace(".", ",")


def _page_footer(s: Sheet, text: str, page_label: str, y: float = 286, right: float = 196) -> None:
    s.text(15, y, text, size=6)
    s.right(right, y, page_label, size=6)


# --- Monzo (UK app bank): dd/mm/yyyy, one signed amount, a balance on every row, conversion lines ---


def write_monzo(path: Path) -> Truth:
    s = Sheet("A4", 8)
    opening = D("842.17")
    # (date, description lines, left-out lines (conversion rate), signed amount)
    items: list[tuple[date, list[str], list[str], Decimal]] = [
        (date(2023, 12, 18), ["TESCO STORES 3456", "LONDON GBR"], [], D("-23.40")),
        (date(2023, 12, 20), ["ACME LTD", "SALARY DEC"], [], D("2450.00")),
        (date(2023, 12, 22), ["Savings Pot"], [], D("-300.00")),
        (
            date(2023, 12, 27),
            ["AMAZON.COM", "SEATTLE USA"],
            ["Amount: USD -56.99. Conversion rate: 1.265."],
            D("-45.05"),
        ),
        (date(2024, 1, 2), ["TFL TRAVEL CH", "TFL.GOV.UK/CP GBR"], [], D("-7.20")),
        (date(2024, 1, 5), ["J SMITH", "RENT JAN"], [], D("-950.00")),
        (date(2024, 1, 8), ["PRET A MANGER", "LONDON GBR"], [], D("-4.85")),
        (date(2024, 1, 12), ["Savings Pot"], [], D("150.00")),
        (date(2024, 1, 15), ["DELIVEROO", "LONDON GBR"], [], D("-18.60")),
        (date(2024, 1, 19), ["JANE DOE", "DINNER"], [], D("25.00")),
        (date(2024, 1, 24), ["SPOTIFY", "STOCKHOLM SWE"], [], D("-10.99")),
        (date(2024, 1, 29), ["CURRYS", "LONDON GBR"], [], D("-1299.00")),
    ]
    rows = running(opening, [(d, " ".join(lines), a) for d, lines, _, a in items])
    closing = last_balance(rows)
    outgoings = sum((a for *_, a in items if a < 0), D(0))
    deposits = sum((a for *_, a in items if a > 0), D(0))
    cols = (15, 40, 165, 195)

    def header(page: int) -> float:
        s.text(15, 14, "Monzo Bank Limited", bold=True, size=11)
        s.text(15, 19, "Personal Account statement")
        s.text(120, 14, "Sort code: 04-00-04   Account number: 12345678")
        s.text(120, 18, "IBAN: GB12 MONZ 0400 0412 3456 78")
        s.text(120, 22, "01/12/2023 - 31/01/2024")
        _page_footer(
            s,
            "Monzo Bank Limited is a company registered in England No. 09446231. "
            "Registered Office: Broadwalk House, 5 Appold St, London EC2A 2AG",
            f"Page {page}",
        )
        y = 34
        if page == 1:
            s.text(15, 32, "JOHN SMITH")
            s.text(15, 36, "1 HIGH STREET, LONDON, E1 6AN")
            s.text(120, 32, "Personal Account balance")
            s.right(195, 32, us(closing, sign="-", dollar="£"), bold=True)
            s.text(120, 36, "Total outgoings")
            s.right(195, 36, "-" + us(outgoings, dollar="£"))
            s.text(120, 40, "Total deposits")
            s.right(195, 40, us(deposits, dollar="£"))
            y = 52
        s.text(cols[0], y, "Date", bold=True)
        s.text(cols[1], y, "Description", bold=True)
        s.right(cols[2], y, "(GBP) Amount", bold=True)
        s.right(cols[3], y, "(GBP) Balance", bold=True)
        return y + 6

    flow = Flow(s, header, 270, first_bottom=120)
    for (day, lines, extra, amount), row in zip(items, rows, strict=True):
        y = flow.need(4 * len(lines) + 3.5 * len(extra) + 2)
        s.text(cols[0], y, day.strftime("%d/%m/%Y"))
        for k, line in enumerate(lines):
            s.text(cols[1], y + 4 * k, line)
        for k, line in enumerate(extra):
            s.text(cols[1], y + 4 * len(lines) + 3.5 * k, line, size=6.5)
        s.right(cols[2], y, us(amount, sign="-"))
        s.right(cols[3], y, us(last_balance([row]), sign="-"))
    s.save(path)
    return Truth(tuple(rows), None, closing)


# --- NatWest (UK): date once per day, amounts on a description's last line, OD balances ------------


def write_natwest(path: Path) -> Truth:
    s = Sheet("A4", 8)
    opening = D("612.38")
    items = [
        (
            date(2023, 12, 18),
            ["Automated Credit HOUGHTON R&M Y", "FP 18/12/23 1046 4NJBRZ78GT3X"],
            D("150.00"),
        ),
        (date(2023, 12, 18), ["Card Transaction 1234 16DEC23 C", "TESCO STORES 3456 LONDON GB"], D("-34.12")),
        (date(2023, 12, 19), ["Direct Debit THAMES WATER", "REF 00123456789"], D("-45.00")),
        (
            date(2023, 12, 21),
            ["OnLine Transaction J SMITH RENT", "VIA MOBILE - PYMT FP 21/12/23 10"],
            D("-1100.00"),
        ),
        (date(2023, 12, 22), ["Automated Credit ACME LTD SALARY", "FP 22/12/23 0000 SAL DEC"], D("2310.55")),
        (
            date(2023, 12, 27),
            ["Card Transaction 1234 24DEC23", "AMAZON.CO.UK*AB12C AMAZON.CO.UK"],
            D("-67.99"),
        ),
        (date(2023, 12, 29), ["Direct Debit VODAFONE LTD"], D("-32.00")),
        (date(2024, 1, 2), ["Cash Withdrawal NATWEST 02JAN"], D("-100.00")),
        (date(2024, 1, 2), ["Card Transaction 1234 31DEC23", "SAINSBURYS S/MKT LONDON GB"], D("-58.40")),
        (date(2024, 1, 8), ["Automated Credit J BLOGGS", "FP 08/01/24 TICKETS"], D("40.00")),
        (date(2024, 1, 10), ["Standing Order SAVINGS ACCOUNT"], D("-250.00")),
        (date(2024, 1, 15), ["Direct Debit BRITISH GAS", "REF 98765432"], D("-95.00")),
        (date(2024, 1, 17), ["Charges ACCOUNT FEE"], D("-2.00")),
    ]
    rows = running(opening, [(d, " ".join(lines), a) for d, lines, a in items])
    closing = last_balance(rows)
    assert min(last_balance([r]) for r in rows) < 0  # an overdrawn stretch, printed with OD
    paid_in = sum((a for *_, a in items if a > 0), D(0))
    withdrawn = -sum((a for *_, a in items if a < 0), D(0))
    cols = (15, 42, 140, 166, 195)

    def bal(amount: Decimal) -> str:
        return us(amount) + (" OD" if amount < 0 else "")

    def header(page: int) -> float:
        s.text(15, 14, "NatWest", bold=True, size=12)
        s.text(120, 14, "Statement", bold=True)
        s.text(120, 18, "Account Name  MR JOHN SMITH")
        s.text(120, 22, "Sort Code 60-12-12   Account No 27104001")
        _page_footer(
            s,
            "National Westminster Bank Plc. Registered Office: 250 Bishopsgate, London EC2M 4AA. "
            "Registered in England and Wales No. 929027",
            f"Page {page}",
        )
        y = 32
        if page == 1:
            s.text(15, 32, "Period Covered 18 DEC 2023 to 17 JAN 2024")
            summary = [
                ("Previous Balance", us(opening, dollar="£")),
                ("Paid In", us(paid_in, dollar="£")),
                ("Withdrawn", us(withdrawn, dollar="£")),
                ("New Balance", us(closing, dollar="£")),
            ]
            for i, (label, amount) in enumerate(summary):
                s.text(15, 38 + 4 * i, label)
                s.right(80, 38 + 4 * i, amount)
            y = 62
        s.text(cols[0], y, "Date", bold=True)
        s.text(cols[1], y, "Description", bold=True)
        s.right(cols[2], y, "Paid In(£)", bold=True)
        s.right(cols[3], y, "Withdrawn(£)", bold=True)
        s.right(cols[4], y, "Balance(£)", bold=True)
        return y + 6

    carried = {"value": opening}
    shown_day: dict[str, date | None] = {"day": None}

    def enter(y: float) -> float:
        s.text(cols[1], y, "BROUGHT FORWARD")
        s.right(cols[4], y, bal(carried["value"]))
        shown_day["day"] = None
        return y + 5

    flow = Flow(s, header, 270, enter=enter, first_bottom=110)
    y = flow.need(5)
    s.text(cols[0], y, "18 DEC 2023")
    s.text(cols[1], y, "BROUGHT FORWARD")
    s.right(cols[4], y, bal(opening))
    shown_day["day"] = date(2023, 12, 18)
    for (day, lines, amount), row in zip(items, rows, strict=True):
        y = flow.need(4 * len(lines) + 1)
        if day != shown_day["day"]:
            s.text(cols[0], y, f"{day.day:02d} {day:%b} {day.year}".upper())
        shown_day["day"] = day
        for k, line in enumerate(lines):
            s.text(cols[1], y + 4 * k, line)
        last = y + 4 * (len(lines) - 1)
        s.right(cols[2] if amount > 0 else cols[3], last, us(amount))
        s.right(cols[4], last, bal(last_balance([row])))
        carried["value"] = last_balance([row])
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- TD Canada Trust (CA chequing): description first, date after the amounts (JAN02), day balances -


def write_td_canada(path: Path) -> Truth:
    s = Sheet("Letter", 8)
    opening = D("1834.27")
    items = [
        (date(2023, 12, 29), "FPOS LOBLAWS #1234", D("-87.16")),
        (date(2023, 12, 29), "SEND E-TFR ***Bxy", D("-40.00")),
        (date(2024, 1, 2), "ROGERS BPY", D("-95.40")),
        (date(2024, 1, 2), "TD ATM W/D 004567", D("-100.00")),
        (date(2024, 1, 5), "PAYROLL DEP", D("2245.18")),
        (date(2024, 1, 8), "TFR-TO C/C", D("-650.00")),
        (date(2024, 1, 10), "HYDRO ONE _V", D("-112.35")),
        (date(2024, 1, 15), "E-TRANSFER ***dGh", D("75.00")),
        (date(2024, 1, 15), "GC 1234-WITHDRAW", D("-60.00")),
        (date(2024, 1, 19), "PAYROLL DEP", D("2245.18")),
        (date(2024, 1, 22), "INS PREM", D("-143.20")),
        (date(2024, 1, 26), "MORTGAGE PAYMENT", D("-1675.44")),
        (date(2024, 1, 31), "MONTHLY ACCOUNT FEE", D("-16.95")),
    ]
    rows = running(opening, items)
    cols = (15, 120, 145, 152, 195)

    def mmmdd(day: date) -> str:
        return f"{day:%b}{day.day:02d}".upper()

    def header(page: int) -> float:
        s.text(15, 14, "TD Canada Trust", bold=True, size=12)
        s.text(120, 14, "STATEMENT OF ACCOUNT")
        s.text(120, 18, "Branch No. 1234   Account No. 5678901")
        s.text(120, 22, "Statement From - To  DEC 29/23 - JAN 31/24")
        s.right(195, 268, f"Page {page}", size=6)
        s.text(15, 268, "TD Canada Trust", size=6)
        y = 32
        if page == 1:
            s.text(15, 30, "JOHN DOE")
            s.text(15, 34, "100 KING ST W")
            s.text(15, 38, "TORONTO ON  M5X 1A9")
            s.text(120, 34, "EVERY DAY CHEQUING ACCOUNT", bold=True)
            y = 50
        s.text(cols[0], y, "DESCRIPTION", bold=True)
        s.right(cols[1], y, "WITHDRAWALS", bold=True)
        s.right(cols[2], y, "DEPOSITS", bold=True)
        s.text(cols[3], y, "DATE", bold=True)
        s.right(cols[4], y, "BALANCE", bold=True)
        return y + 6

    flow = Flow(s, header, 250, first_bottom=95)
    y = flow.need(5)
    s.text(cols[0], y, "BALANCE FORWARD")
    s.text(cols[3], y, "DEC29")
    s.right(cols[4], y, us(opening))
    shown = []
    for i, ((day, text, amount), row) in enumerate(zip(items, rows, strict=True)):
        last_of_day = i + 1 == len(items) or items[i + 1][0] != day
        y = flow.need(4.5)
        s.text(cols[0], y, text)
        s.right(cols[1] if amount < 0 else cols[2], y, us(amount))
        s.text(cols[3], y, mmmdd(day))
        if last_of_day:
            s.right(cols[4], y, us(last_balance([row])))
        shown.append(Row(day, text, amount, row.balance if last_of_day else None))
    s.save(path)
    return Truth(tuple(shown), opening, None)


# --- Commonwealth Bank (AU): Debit / Credit / Balance with CR and DR, card and value-date lines -----


def write_commbank(path: Path) -> Truth:
    s = Sheet("A4", 7.5)
    opening = D("412.85")
    # (date, description lines, left-out lines (card, value date, foreign amount), signed amount)
    items: list[tuple[date, list[str], list[str], Decimal]] = [
        (
            date(2023, 12, 18),
            ["WOOLWORTHS 1234 SYDNEY NS AUS"],
            ["Card xx1234", "Value Date: 16/12/2023"],
            D("-86.40"),
        ),
        (date(2023, 12, 19), ["Transfer To J Smith", "NetBank Rent Dec"], [], D("-520.00")),
        (date(2023, 12, 21), ["Direct Credit 012345 ACME PTY LTD", "SALARY"], [], D("3105.66")),
        (
            date(2023, 12, 27),
            ["AMAZON MKTPLC US SEATTLE WA USA"],
            ["Card xx1234", "USD 45.00"],
            D("-68.95"),
        ),
        (date(2023, 12, 27), ["International Transaction Fee"], [], D("-2.07")),
        (date(2024, 1, 2), ["Wdl ATM CBA ATM TOWN HALL SYD NSW AUS"], ["Card xx1234"], D("-200.00")),
        (date(2024, 1, 3), ["BPAY AGL ENERGY", "Ref 123456789"], [], D("-412.33")),
        (date(2024, 1, 8), ["Fast Transfer From J Bloggs", "dinner"], [], D("45.00")),
        (date(2024, 1, 10), ["Transfer to xx9876 CommBank app", "Savings"], [], D("-1000.00")),
        (
            date(2024, 1, 12),
            ["JB HI FI MOORE PARK NS AUS"],
            ["Card xx1234", "Value Date: 10/01/2024"],
            D("-1399.00"),
        ),
        (date(2024, 1, 15), ["Account Fee"], [], D("-4.00")),
    ]
    rows = running(opening, [(d, " ".join(lines), a) for d, lines, _, a in items])
    closing = last_balance(rows)
    assert min(last_balance([r]) for r in rows) < 0  # overdrawn at the end: a DR balance
    cols = (15, 33, 140, 163, 196)

    def bal(amount: Decimal) -> str:
        return us(amount, dollar="$") + (" DR" if amount < 0 else " CR")

    def header(page: int) -> float:
        s.text(15, 14, "CommBank", bold=True, size=12)
        s.text(120, 14, "Smart Access")
        s.text(120, 18, "Account Number  06 2000 12345678")
        s.text(120, 22, "Period  16 Dec 2023 - 15 Jan 2024")
        s.right(196, 286, f"Statement 12 (Page {page})", size=6)
        s.text(
            15,
            286,
            "Commonwealth Bank of Australia ABN 48 123 123 124 AFSL and Australian credit licence 234945",
            size=6,
        )
        y = 34
        if page == 1:
            s.text(15, 32, "MR JOHN SMITH")
            s.text(15, 36, "1 GEORGE ST, SYDNEY NSW 2000")
            y = 50
        s.text(cols[0], y, "Date", bold=True)
        s.text(cols[1], y, "Transaction", bold=True)
        s.right(cols[2], y, "Debit", bold=True)
        s.right(cols[3], y, "Credit", bold=True)
        s.right(cols[4], y, "Balance", bold=True)
        return y + 6

    flow = Flow(s, header, 270, first_bottom=105)
    y = flow.need(5)
    s.text(cols[0], y, "16 Dec 2023")
    s.text(cols[1], y, "OPENING BALANCE", bold=True)
    s.right(cols[4], y, bal(opening))
    for (day, lines, extra, amount), row in zip(items, rows, strict=True):
        y = flow.need(3.6 * (len(lines) + len(extra)) + 1.5)
        s.text(cols[0], y, f"{day.day:02d} {day:%b}")
        for k, line in enumerate(lines + extra):
            s.text(cols[1], y + 3.6 * k, line)
        s.right(cols[2] if amount < 0 else cols[3], y, us(amount))
        s.right(cols[4], y, bal(last_balance([row])))
    y = flow.need(6)
    s.text(cols[0], y + 1, "15 Jan 2024")
    s.text(cols[1], y + 1, "CLOSING BALANCE", bold=True)
    s.right(cols[4], y + 1, bal(closing), bold=True)
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- A German Volksbank: Bu-Tag / Wert without a year, S and H suffixes, Übertrag between pages ----


def write_volksbank(path: Path) -> Truth:
    s = Sheet("A4", 8)
    opening = D("1873.42")
    items = [
        (
            date(2023, 12, 29),
            date(2023, 12, 29),
            ["Kartenzahlung girocard", "EDEKA Markt Musterstadt"],
            D("-54.21"),
        ),
        (
            date(2023, 12, 29),
            date(2023, 12, 29),
            ["Dauerauftrag", "Hausverwaltung Schmidt", "Miete Januar"],
            D("-890.00"),
        ),
        (
            date(2024, 1, 2),
            date(2024, 1, 2),
            ["Basislastschrift", "Stadtwerke Musterstadt GmbH", "Abschlag Strom Januar"],
            D("-78.00"),
        ),
        (date(2024, 1, 3), date(2024, 1, 2), ["Kartenzahlung girocard", "DB Vertrieb GmbH"], D("-129.90")),
        (
            date(2024, 1, 5),
            date(2024, 1, 5),
            ["Überweisungsgutschr.", "Arbeitgeber GmbH", "Gehalt Januar 2024"],
            D("3250.00"),
        ),
        (date(2024, 1, 9), date(2024, 1, 9), ["Auszahlung Geldautomat", "VR-Bank GA 1234"], D("-200.00")),
        (date(2024, 1, 15), date(2024, 1, 15), ["Gutschrift", "Erika Musterfrau", "Pizza"], D("12.50")),
        (
            date(2024, 1, 22),
            date(2024, 1, 20),
            ["Basislastschrift", "Amazon EU S.a.r.L.", "Bestellung 302-1234567"],
            D("-1045.99"),
        ),
        (date(2024, 1, 31), date(2024, 1, 31), ["Abschluss", "Kontoführungsentgelt"], D("-6.90")),
    ]
    closing = opening + sum((a for *_, a in items), D(0))
    cols = (15, 30, 46, 192)

    def sh(amount: Decimal) -> str:
        return eu(amount) + (" S" if amount < 0 else " H")

    def header(page: int) -> float:
        s.text(15, 14, "Volksbank Musterstadt eG", bold=True, size=11)
        s.text(120, 14, f"Kontoauszug 1/2024   Blatt {page}")
        s.text(120, 18, "IBAN DE12 1234 5678 0001 2345 67")
        s.text(120, 22, "erstellt am 31.01.2024")
        s.text(15, 286, "Bitte beachten Sie die Hinweise auf der Rückseite.", size=6)
        s.right(196, 286, f"Blatt {page}", size=6)
        y = 34 if page == 1 else 30
        s.text(cols[0], y, "Bu-Tag", bold=True)
        s.text(cols[1], y, "Wert", bold=True)
        s.text(cols[2], y, "Vorgang", bold=True)
        return y + 6

    carried = {"value": opening}

    def leave(y: float) -> None:
        s.right(150, y + 1, f"Übertrag auf Blatt {s.pages + 1}", bold=True)
        s.right(cols[3], y + 1, sh(carried["value"]), bold=True)

    def enter(y: float) -> float:
        s.right(150, y, f"Übertrag von Blatt {s.pages - 1}", bold=True)
        s.right(cols[3], y, sh(carried["value"]), bold=True)
        return y + 6

    flow = Flow(s, header, 265, leave=leave, enter=enter, first_bottom=100)
    y = flow.need(6)
    s.right(150, y, "alter Kontostand vom 28.12.2023", bold=True)
    s.right(cols[3], y, sh(opening), bold=True)
    for booked, valued, lines, amount in items:
        y = flow.need(3.8 * len(lines) + 1.5)
        s.text(cols[0], y, booked.strftime("%d.%m."))
        s.text(cols[1], y, valued.strftime("%d.%m."))
        for k, line in enumerate(lines):
            s.text(cols[2], y + 3.8 * k, line)
        s.right(cols[3], y, sh(amount))
        carried["value"] += amount
    y = flow.need(8)
    s.right(150, y + 2, "neuer Kontostand vom 31.01.2024", bold=True)
    s.right(cols[3], y + 2, sh(closing), bold=True)
    s.save(path)
    rows = [Row(b, " ".join(lines), a) for b, _, lines, a in items]
    return Truth(tuple(rows), opening, closing)


# --- BNP Paribas (FR): Date / Nature / Valeur / Débit / Crédit, dd.mm, 1 234,56, SOLDE CREDITEUR ----


def write_bnp(path: Path) -> Truth:
    s = Sheet("A4", 7.5)
    opening = D("1523.64")
    # (date, value date, description lines, left-out lines (exchange rate), signed amount)
    items: list[tuple[date, date, list[str], list[str], Decimal]] = [
        (
            date(2023, 12, 11),
            date(2023, 12, 9),
            ["FACTURE CARTE DU 081223 CARREFOUR CITY PARIS 11"],
            [],
            D("-23.45"),
        ),
        (
            date(2023, 12, 14),
            date(2023, 12, 14),
            ["PRLV SEPA EDF CLIENTS PARTICULIERS", "ECHEANCE DECEMBRE 2023"],
            [],
            D("-87.00"),
        ),
        (date(2023, 12, 20), date(2023, 12, 20), ["RETRAIT DAB 201223 PARIS BNP 0123"], [], D("-60.00")),
        (
            date(2023, 12, 22),
            date(2023, 12, 22),
            ["VIR SEPA RECU /DE ACME SAS /MOTIF SALAIRE", "DECEMBRE 2023"],
            [],
            D("2845.12"),
        ),
        (
            date(2023, 12, 29),
            date(2023, 12, 28),
            ["FACTURE CARTE DU 271223 AMAZON US SEATTLE"],
            ["USD 56,99 1 EURO = 1,1035 USD"],
            D("-51.64"),
        ),
        (
            date(2024, 1, 2),
            date(2024, 1, 2),
            ["VIREMENT SEPA EMIS /MOTIF LOYER JANVIER", "/BEN SCI DES LILAS"],
            [],
            D("-1150.00"),
        ),
        (date(2024, 1, 3), date(2024, 1, 3), ["PRLV SEPA FREE MOBILE"], [], D("-19.99")),
        (
            date(2024, 1, 5),
            date(2024, 1, 5),
            ["VIR SEPA RECU /DE DUPONT MARIE", "/MOTIF REMBOURSEMENT RESTAURANT"],
            [],
            D("35.00"),
        ),
        (date(2024, 1, 8), date(2024, 1, 8), ["COMMISSIONS", "COTISATION ESPRIT LIBRE"], [], D("-8.30")),
    ]
    closing = opening + sum((a for *_, a in items), D(0))
    debits = -sum((a for *_, a in items if a < 0), D(0))
    credits = sum((a for *_, a in items if a > 0), D(0))
    cols = (15, 30, 135, 172, 196)

    def header(page: int) -> float:
        s.text(15, 14, "BNP PARIBAS", bold=True, size=12)
        s.text(110, 14, "RELEVE DE COMPTE CHEQUES", bold=True)
        s.text(110, 18, "du 9 décembre 2023 au 8 janvier 2024")
        s.text(110, 22, "IBAN : FR76 3000 4012 3400 0123 4567 890")
        _page_footer(s, "BNP PARIBAS SA au capital de 2 294 954 818 € - 662 042 449 RCS Paris", f"P. {page}")
        y = 34 if page == 1 else 30
        s.text(cols[0], y, "Date", bold=True)
        s.text(cols[1], y, "Nature des opérations", bold=True)
        s.text(cols[2], y, "Valeur", bold=True)
        s.right(cols[3], y, "Débit", bold=True)
        s.right(cols[4], y, "Crédit", bold=True)
        return y + 6

    flow = Flow(s, header, 270, first_bottom=90)
    y = flow.need(5)
    s.text(cols[1], y, "SOLDE CREDITEUR AU 08.12.2023", bold=True)
    s.right(cols[4], y, french(opening), bold=True)
    for booked, valued, lines, extra, amount in items:
        y = flow.need(3.6 * (len(lines) + len(extra)) + 1.5)
        s.text(cols[0], y, booked.strftime("%d.%m"))
        for k, line in enumerate(lines + extra):
            s.text(cols[1], y + 3.6 * k, line)
        s.text(cols[2], y, valued.strftime("%d.%m"))
        s.right(cols[3] if amount < 0 else cols[4], y, french(amount))
    y = flow.need(12)
    s.text(cols[1], y + 1, "TOTAL DES OPERATIONS", bold=True)
    s.right(cols[3], y + 1, french(debits), bold=True)
    s.right(cols[4], y + 1, french(credits), bold=True)
    s.text(cols[1], y + 6, "SOLDE CREDITEUR AU 08.01.2024", bold=True)
    s.right(cols[4], y + 6, french(closing), bold=True)
    s.save(path)
    rows = [Row(b, " ".join(lines), a) for b, _, lines, _, a in items]
    return Truth(tuple(rows), opening, closing)


# --- UBS (CH): Datum / Text / Belastung / Gutschrift / Valuta / Saldo, 1'234.50, Saldovortrag ------


def write_ubs(path: Path) -> Truth:
    s = Sheet("A4", 7.5)
    opening = D("8412.35")
    # (date, value date, text lines, left-out lines (foreign amount and rate), signed amount)
    items: list[tuple[date, date, list[str], list[str], Decimal]] = [
        (date(2024, 1, 3), date(2024, 1, 3), ["Zahlung Debit Card", "Migros Zürich HB"], [], D("-46.85")),
        (
            date(2024, 1, 4),
            date(2024, 1, 4),
            ["e-banking-Auftrag", "Vermieter AG, 8001 Zürich", "Miete Februar"],
            [],
            D("-2350.00"),
        ),
        (date(2024, 1, 8), date(2024, 1, 8), ["Bezug Bancomat", "UBS Zürich Paradeplatz"], [], D("-300.00")),
        (
            date(2024, 1, 10),
            date(2024, 1, 9),
            ["Zahlung Debit Card", "Amazon.de Luxemburg"],
            ["EUR 89.90 Kurs 0.9612"],
            D("-86.41"),
        ),
        (
            date(2024, 1, 25),
            date(2024, 1, 25),
            ["Gutschrift", "Arbeitgeber AG", "Lohn Januar"],
            [],
            D("7845.60"),
        ),
        (
            date(2024, 1, 26),
            date(2024, 1, 26),
            ["e-banking-Auftrag", "Krankenkasse Beispiel AG", "Prämie Januar"],
            [],
            D("-412.70"),
        ),
        (date(2024, 1, 29), date(2024, 1, 29), ["Zahlung Debit Card", "Coop Pronto Bern"], [], D("-12.40")),
        (date(2024, 1, 31), date(2024, 1, 31), ["Saldo Dienstleistungspreise"], [], D("-15.00")),
    ]
    rows = running(opening, [(d, " ".join(lines), a) for d, _, lines, _, a in items])
    closing = last_balance(rows)
    debits = -sum((a for *_, a in items if a < 0), D(0))
    credits = sum((a for *_, a in items if a > 0), D(0))
    cols = (15, 34, 132, 155, 160, 196)

    def header(page: int) -> float:
        s.text(15, 14, "UBS Switzerland AG", bold=True, size=11)
        s.text(115, 14, "Kontoauszug Privatkonto CHF", bold=True)
        s.text(115, 18, "IBAN CH12 0023 0230 1234 5678 A")
        s.text(115, 22, "01.01.2024 - 31.01.2024")
        _page_footer(s, "UBS Switzerland AG, Postfach, 8098 Zürich", f"Seite {page}")
        y = 34 if page == 1 else 30
        s.text(cols[0], y, "Datum", bold=True)
        s.text(cols[1], y, "Text", bold=True)
        s.right(cols[2], y, "Belastung", bold=True)
        s.right(cols[3], y, "Gutschrift", bold=True)
        s.text(cols[4], y, "Valuta", bold=True)
        s.right(cols[5], y, "Saldo", bold=True)
        return y + 6

    flow = Flow(s, header, 270, first_bottom=85)
    y = flow.need(5)
    s.text(cols[0], y, "01.01.2024")
    s.text(cols[1], y, "Saldovortrag")
    s.right(cols[5], y, swiss(opening))
    for (booked, valued, lines, extra, amount), row in zip(items, rows, strict=True):
        y = flow.need(3.6 * (len(lines) + len(extra)) + 1.5)
        s.text(cols[0], y, booked.strftime("%d.%m.%Y"))
        for k, line in enumerate(lines + extra):
            s.text(cols[1], y + 3.6 * k, line)
        s.right(cols[2] if amount < 0 else cols[3], y, swiss(amount))
        s.text(cols[4], y, valued.strftime("%d.%m.%Y"))
        s.right(cols[5], y, swiss(last_balance([row])))
    y = flow.need(12)
    s.text(cols[1], y + 1, "Umsatztotal", bold=True)
    s.right(cols[2], y + 1, swiss(debits), bold=True)
    s.right(cols[3], y + 1, swiss(credits), bold=True)
    s.text(cols[0], y + 6, "31.01.2024")
    s.text(cols[1], y + 6, "Schlusssaldo", bold=True)
    s.right(cols[5], y + 6, swiss(closing), bold=True)
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- HDFC Bank (IN): dd/mm/yy, Chq./Ref.No., lakh grouping, wrapped narrations, summary at the end --


def write_hdfc(path: Path) -> Truth:
    s = Sheet("A4", 6.5)
    opening = D("184520.35")
    # (date, narration lines, reference, value date, signed amount)
    items = [
        (
            date(2023, 12, 16),
            ["UPI-SWIGGY LIMITED-SWIGGY@ICICI-", "ICIC0DC0099-PAYMENT FROM PHONE"],
            "0000335012345678",
            date(2023, 12, 16),
            D("-486.00"),
        ),
        (
            date(2023, 12, 20),
            ["NEFT CR-CITI0000004-ACME TECHNOLOGIES", "PVT LTD-RAHUL SHARMA-CITIN23456789"],
            "CITIN23456789",
            date(2023, 12, 20),
            D("125000.00"),
        ),
        (
            date(2023, 12, 22),
            ["ATW-416021XXXXXX1234-S1ANMU12-MUMBAI"],
            "0000000000004512",
            date(2023, 12, 22),
            D("-10000.00"),
        ),
        (
            date(2023, 12, 28),
            ["IMPS-335812345678-PRIYA LANDLORD-", "HDFC-XXXXXXX5678-RENT DEC"],
            "0000335812345678",
            date(2023, 12, 28),
            D("-35000.00"),
        ),
        (
            date(2024, 1, 2),
            ["POS 416021XXXXXX1234 AMAZON PAY INDIA"],
            "0000000000002233",
            date(2024, 1, 2),
            D("-2349.00"),
        ),
        (
            date(2024, 1, 5),
            ["SI-HDFC LIFE INSURANCE-POLICY 12345678"],
            "0000000000000988",
            date(2024, 1, 5),
            D("-18500.00"),
        ),
        (
            date(2024, 1, 8),
            ["UPI-RAVI KUMAR-RAVIK@OKAXIS-UTIB0001234-", "DINNER SHARE"],
            "0000400812345678",
            date(2024, 1, 8),
            D("1250.00"),
        ),
        (
            date(2024, 1, 10),
            ["ACH D- TP ACH ICICIPRULIFE-1234567890"],
            "0000000000007788",
            date(2024, 1, 10),
            D("-5000.00"),
        ),
        (
            date(2024, 1, 13),
            ["CREDIT INTEREST CAPITALISED"],
            "0000000000000000",
            date(2024, 1, 13),
            D("1023.55"),
        ),
    ]
    rows = running(opening, [(d, " ".join(lines), a) for d, lines, _, _, a in items])
    closing = last_balance(rows)
    debits = -sum((a for *_, a in items if a < 0), D(0))
    credits = sum((a for *_, a in items if a > 0), D(0))
    cols = (10, 26, 94, 120, 155, 178, 202)

    def header(page: int) -> float:
        s.text(10, 12, "HDFC BANK LIMITED", bold=True, size=10)
        s.right(202, 12, f"Page No .: {page}")
        s.text(10, 18, "MR. RAHUL SHARMA")
        s.text(10, 22, "FLAT 12, SEA VIEW APTS, MUMBAI 400050")
        s.text(120, 18, "Account No : 50100123456789  SAVINGS A/C")
        s.text(120, 22, "Statement From : 15/12/2023 To : 14/01/2024")
        s.text(
            10,
            287,
            "HDFC BANK LIMITED  *Closing balance includes funds earmarked for hold and uncleared funds",
            size=5.5,
        )
        y = 32 if page == 1 else 30
        s.text(10, y - 3, "Statement of account", bold=True)
        s.text(cols[0], y + 3, "Date", bold=True)
        s.text(cols[1], y + 3, "Narration", bold=True)
        s.text(cols[2], y + 3, "Chq./Ref.No.", bold=True)
        s.text(cols[3], y + 3, "Value Dt", bold=True)
        s.right(cols[4], y + 3, "Withdrawal Amt.", bold=True)
        s.right(cols[5], y + 3, "Deposit Amt.", bold=True)
        s.right(cols[6], y + 3, "Closing Balance", bold=True)
        return y + 9

    flow = Flow(s, header, 272, first_bottom=70)
    for (day, lines, ref, valued, amount), row in zip(items, rows, strict=True):
        y = flow.need(3.2 * len(lines) + 1.5)
        s.text(cols[0], y, day.strftime("%d/%m/%y"))
        for k, line in enumerate(lines):
            s.text(cols[1], y + 3.2 * k, line)
        s.text(cols[2], y, ref)
        s.text(cols[3], y, valued.strftime("%d/%m/%y"))
        s.right(cols[4] if amount < 0 else cols[5], y, lakh(amount))
        s.right(cols[6], y, lakh(last_balance([row])))
    y = flow.need(16)
    s.text(10, y + 2, "STATEMENT SUMMARY :-", bold=True)
    labels = ("Opening Balance", "Dr Count", "Cr Count", "Debits", "Credits", "Closing Bal")
    values = (
        lakh(opening),
        str(sum(1 for *_, a in items if a < 0)),
        str(sum(1 for *_, a in items if a > 0)),
        lakh(debits),
        lakh(credits),
        lakh(closing),
    )
    for k, (label, value) in enumerate(zip(labels, values, strict=True)):
        s.right(45 + 31 * k, y + 7, label, bold=True)
        s.right(45 + 31 * k, y + 11, value)
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- DBS (SG): Withdrawal (-) / Deposit (+), Balance Carried Forward on each page and at the end ----


def write_dbs(path: Path) -> Truth:
    s = Sheet("A4", 8)
    opening = D("6234.10")
    items = [
        (date(2024, 3, 1), ["Debit Card Transaction", "NTUC FP-BEDOK SINGAPORE SGP"], D("-84.35")),
        (date(2024, 3, 4), ["FAST Payment / Receipt", "JOHN TAN", "OTHR dinner"], D("42.00")),
        (date(2024, 3, 5), ["GIRO - Standing Instruction", "SP DIGITAL PTE LTD"], D("-132.80")),
        (date(2024, 3, 8), ["Cash Withdrawal", "DBS ATM BEDOK MALL"], D("-200.00")),
        (date(2024, 3, 11), ["Debit Card Transaction", "GRAB *A-5TGH2 SINGAPORE SGP"], D("-18.60")),
        (date(2024, 3, 15), ["Funds Transfer", "TOP-UP TO PAYLAH!"], D("-50.00")),
        (date(2024, 3, 20), ["Inward Credit-FAST", "ACME PTE LTD SALARY"], D("5800.00")),
        (
            date(2024, 3, 22),
            ["Advice FAST Payment / Receipt", "LIM PROPERTY MGMT", "OTHR rent april"],
            D("-2600.00"),
        ),
        (date(2024, 3, 28), ["Debit Card Transaction", "COURTS MEGASTORE SINGAPORE SGP"], D("-1499.00")),
        (date(2024, 3, 31), ["Interest Earned"], D("2.35")),
    ]
    rows = running(opening, [(d, " ".join(lines), a) for d, lines, a in items])
    closing = last_balance(rows)
    withdrawals = -sum((a for *_, a in items if a < 0), D(0))
    deposits = sum((a for *_, a in items if a > 0), D(0))
    cols = (15, 38, 142, 168, 196)

    def header(page: int) -> float:
        s.text(15, 14, "DBS", bold=True, size=14)
        s.text(110, 14, "Consolidated Statement", bold=True)
        s.text(110, 18, "01 Mar 2024 to 31 Mar 2024")
        _page_footer(s, "DBS Bank Ltd  Co. Reg. No. 196800306E", f"Page {page}")
        y = 32
        if page == 1:
            s.text(15, 32, "MR TAN AH KOW")
            s.text(15, 36, "BLK 123 BEDOK NORTH AVE 1 #01-23 SINGAPORE 460123")
            s.text(15, 48, "DBS Multiplier Account   Account No. 123-456789-0", bold=True)
            s.text(15, 52, "Currency: SINGAPORE DOLLAR")
            y = 60
        s.text(cols[0], y, "Date", bold=True)
        s.text(cols[1], y, "Description", bold=True)
        s.right(cols[2], y, "Withdrawal (-)", bold=True)
        s.right(cols[3], y, "Deposit (+)", bold=True)
        s.right(cols[4], y, "Balance", bold=True)
        return y + 6

    carried = {"value": opening}

    def leave(y: float) -> None:
        s.text(cols[1], y + 1, "Balance Carried Forward", bold=True)
        s.right(cols[4], y + 1, us(carried["value"]), bold=True)

    def enter(y: float) -> float:
        s.text(cols[1], y, "Balance Brought Forward", bold=True)
        s.right(cols[4], y, us(carried["value"]), bold=True)
        return y + 5

    flow = Flow(s, header, 265, leave=leave, enter=enter, first_bottom=115)
    y = flow.need(5)
    s.text(cols[1], y, "Balance Brought Forward", bold=True)
    s.right(cols[4], y, us(opening), bold=True)
    for (day, lines, amount), row in zip(items, rows, strict=True):
        y = flow.need(4 * len(lines) + 1)
        s.text(cols[0], y, day.strftime("%d/%m/%Y"))
        for k, line in enumerate(lines):
            s.text(cols[1], y + 4 * k, line)
        s.right(cols[2] if amount < 0 else cols[3], y, us(amount))
        s.right(cols[4], y, us(last_balance([row])))
        carried["value"] = last_balance([row])
    y = flow.need(12)
    s.text(cols[1], y + 1, "Total", bold=True)
    s.right(cols[2], y + 1, us(withdrawals), bold=True)
    s.right(cols[3], y + 1, us(deposits), bold=True)
    s.text(cols[1], y + 6, "Balance Carried Forward", bold=True)
    s.right(cols[4], y + 6, us(closing), bold=True)
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- Navy Federal Credit Union (US): MM-DD dates, trailing-minus debits, Beginning/Ending Balance rows


def write_navy_federal(path: Path) -> Truth:
    s = Sheet("Letter", 7.5)
    opening = D("1934.62")
    items = [
        (date(2023, 12, 15), "POS Debit- Debit Card 1234 12-13-23 Safeway #1234 Oakland CA", D("-45.67")),
        (date(2023, 12, 18), "Deposit - ACH Paid From ACME CORP PAYROLL", D("1875.40")),
        (date(2023, 12, 18), "Transfer To Shares", D("-200.00")),
        (date(2023, 12, 22), "Paid To - Verizon Wireless", D("-89.99")),
        (date(2023, 12, 26), "ATM Withdrawal - 1 Broadway Oakland CA", D("-100.00")),
        (
            date(2023, 12, 29),
            "POS Debit- Debit Card 1234 12-28-23 Amazon.com*Rt4Yu6 Amzn.com/bill WA",
            D("-63.14"),
        ),
        (date(2024, 1, 2), "Deposit - ACH Paid From ACME CORP PAYROLL", D("1875.40")),
        (date(2024, 1, 3), "Paid To - Navy Federal Credit Card", D("-750.00")),
        (date(2024, 1, 8), "Zelle Transfer To John Landlord Conf# 1a2b3c", D("-1600.00")),
        (date(2024, 1, 10), "POS Credit Adjustment 1234 Transaction 01-09-24 Safeway #1234", D("12.30")),
        (date(2024, 1, 12), "Dividend", D("0.42")),
    ]
    rows = running(opening, items)
    closing = last_balance(rows)
    credits = sum((a for *_, a in items if a > 0), D(0))
    debits = -sum((a for *_, a in items if a < 0), D(0))
    cols = (15, 30, 172, 200)

    def trailing(amount: Decimal) -> str:
        return us(amount) + ("-" if amount < 0 else "")

    def header(page: int) -> float:
        s.text(15, 14, "Navy Federal Credit Union", bold=True, size=11)
        s.text(120, 14, "Statement of Account")
        s.text(120, 18, "Statement Period 12/15/23 - 01/14/24")
        s.text(120, 22, "Access No. 1234567")
        s.text(15, 268, "Navy Federal Credit Union, PO Box 3000, Merrifield VA 22119-3000", size=6)
        s.right(200, 268, f"Page {page}", size=6)
        y = 32
        if page == 1:
            s.text(15, 32, "Summary of your deposit accounts", bold=True)
            labels = (
                "Previous Balance",
                "Deposits/Credits",
                "Withdrawals/Debits",
                "Ending Balance",
                "YTD Dividends",
            )
            values = (
                us(opening, dollar="$"),
                us(credits, dollar="$"),
                us(debits, dollar="$"),
                us(closing, dollar="$"),
                "$4.87",
            )
            s.text(15, 41, "Everyday Checking")
            for k, (label, value) in enumerate(zip(labels, values, strict=True)):
                s.right(85 + 28 * k, 37, label, bold=True, size=6.5)
                s.right(85 + 28 * k, 41, value)
            s.text(15, 54, "Everyday Checking - 1234567890", bold=True)
            y = 60
        s.text(cols[0], y, "Date", bold=True)
        s.text(cols[1], y, "Transaction Detail", bold=True)
        s.right(cols[2], y, "Amount($)", bold=True)
        s.right(cols[3], y, "Balance($)", bold=True)
        return y + 6

    flow = Flow(s, header, 255, first_bottom=110)
    y = flow.need(5)
    s.text(cols[0], y, "12-15")
    s.text(cols[1], y, "Beginning Balance")
    s.right(cols[3], y, us(opening))
    for (day, text, amount), row in zip(items, rows, strict=True):
        y = flow.need(4.5)
        s.text(cols[0], y, day.strftime("%m-%d"))
        s.text(cols[1], y, text)
        s.right(cols[2], y, trailing(amount))
        s.right(cols[3], y, us(last_balance([row])))
    y = flow.need(6)
    s.text(cols[0], y + 1, "01-14")
    s.text(cols[1], y + 1, "Ending Balance")
    s.right(cols[3], y + 1, us(closing))
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- A third set: ten more banks, drawn from what their public sample statements look like ---------


def day_end_balances(rows: Sequence[Row]) -> tuple[Row, ...]:
    """The rows with a balance only on each day's last row, as statements printing day balances show."""
    return tuple(
        Row(
            r.date,
            r.description,
            r.amount,
            r.balance if i + 1 == len(rows) or rows[i + 1].date != r.date else None,
        )
        for i, r in enumerate(rows)
    )


def polish(amount: Decimal, signed: bool = True) -> str:
    """Polish grouping: ``-1 234,56`` (a space between thousands, a decimal comma, a leading minus)."""
    return ("-" if signed and amount < 0 else "") + french(amount)


# --- Citibank (US checking): Amount Subtracted / Amount Added / Balance, MM/DD, year turns, totals ----


def write_citibank(path: Path) -> Truth:
    s = Sheet("Letter", 7.5)
    opening = D("1263.77")
    items = [
        (
            date(2023, 12, 14),
            ["Debit Card Purchase 12/13 05:32p #1234", "TRADER JOE S #555 NEW YORK NY"],
            D("-64.18"),
        ),
        (date(2023, 12, 15), ["ACH Electronic Credit", "ACME CORP PAYROLL PPD"], D("2150.00")),
        (date(2023, 12, 18), ["Check # 1045"], D("-350.00")),
        (date(2023, 12, 19), ["ACH Electronic Debit", "CON ED OF NY INTELL CK 1234567"], D("-112.43")),
        (date(2023, 12, 22), ["Zelle To: MARIA LOPEZ", "Ref # CTIxyz7Q2 Rent share"], D("-800.00")),
        (
            date(2023, 12, 27),
            ["ATM Withdrawal 12/27 10:14a #1234", "CITIBANK ATM 0123 BROADWAY NY"],
            D("-200.00"),
        ),
        (date(2023, 12, 29), ["ACH Electronic Credit", "ACME CORP PAYROLL PPD"], D("2150.00")),
        (
            date(2024, 1, 2),
            ["Debit Card Purchase 12/31 11:02a #1234", "NETFLIX.COM LOS GATOS CA"],
            D("-15.49"),
        ),
        (date(2024, 1, 3), ["Online Transfer to Savings 40501305071"], D("-1000.00")),
        (date(2024, 1, 5), ["Zelle From: DAVID KIM", "Ref # CTI82kdq1 Concert tickets"], D("85.00")),
        (
            date(2024, 1, 9),
            ["Debit Card Purchase 01/08 07:45p #1234", "WHOLEFDS HOU 10236 NEW YORK NY"],
            D("-132.67"),
        ),
        (date(2024, 1, 11), ["Monthly Service Fee"], D("-25.00")),
    ]
    rows = running(opening, [(d, " ".join(lines), a) for d, lines, a in items])
    closing = last_balance(rows)
    subtracted = -sum((a for *_, a in items if a < 0), D(0))
    added = sum((a for *_, a in items if a > 0), D(0))
    cols = (15, 30, 148, 174, 200)

    def table_header(y: float) -> float:
        s.text(cols[0], y, "Date", bold=True)
        s.text(cols[1], y, "Description", bold=True)
        s.right(cols[2], y, "Amount Subtracted", bold=True)
        s.right(cols[3], y, "Amount Added", bold=True)
        s.right(cols[4], y, "Balance", bold=True)
        return y + 6

    def header(page: int) -> float:
        s.text(15, 14, "Citibank, N.A.", bold=True, size=11)
        s.text(130, 14, "Statement Period")
        s.text(130, 18, "Dec. 13 - Jan. 12, 2024")
        s.text(130, 22, "Account 123456789")
        s.text(15, 268, "Citibank, N.A. Member FDIC. Equal Housing Lender.", size=6)
        s.right(200, 268, f"Page {page}", size=6)
        if page == 1:
            s.text(15, 32, "JANE Q CUSTOMER")
            s.text(15, 36, "100 MAIN ST APT 4B  NEW YORK NY 10001")
            s.text(15, 48, "CHECKING ACTIVITY", bold=True, size=9)
            s.text(15, 53, "Regular Checking", bold=True)
            s.text(15, 57, "123456789")
            s.text(60, 57, f"Beginning Balance: {us(opening, dollar='$')}")
            s.text(60, 61, f"Ending Balance: {us(closing, dollar='$')}")
            return table_header(70)
        s.text(15, 32, "CHECKING ACTIVITY - Regular Checking (continued)", bold=True)
        return table_header(38)

    flow = Flow(s, header, 255, first_bottom=140)
    y = flow.need(5)
    s.text(cols[0], y, "12/13")
    s.text(cols[1], y, "Beginning Balance")
    s.right(cols[4], y, us(opening))
    for (day, lines, amount), row in zip(items, rows, strict=True):
        y = flow.need(3.8 * len(lines) + 1.5)
        s.text(cols[0], y, day.strftime("%m/%d"))
        for k, line in enumerate(lines):
            s.text(cols[1], y + 3.8 * k, line)
        s.right(cols[2] if amount < 0 else cols[3], y, us(amount))
        s.right(cols[4], y, us(last_balance([row])))
    y = flow.need(12)
    s.text(cols[1], y + 1, "Total Subtracted/Added", bold=True)
    s.right(cols[2], y + 1, us(subtracted), bold=True)
    s.right(cols[3], y + 1, us(added), bold=True)
    s.text(cols[0], y + 6, "01/12")
    s.text(cols[1], y + 6, "Ending Balance", bold=True)
    s.right(cols[4], y + 6, us(closing), bold=True)
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- Lloyds Bank (UK): Date / Description / Type / Money In / Money Out / Balance, "02 Jan 24" ------


def write_lloyds(path: Path) -> Truth:
    s = Sheet("A4", 7.5)
    opening = D("1265.34")
    # (date, description, type code in its own column, signed amount)
    items = [
        (date(2024, 1, 2), "TESCO STORES 3456 CD 1234", "DEB", D("-23.45")),
        (date(2024, 1, 2), "THAMES WATER UTILITI", "DD", D("-38.00")),
        (date(2024, 1, 3), "J SMITH RENT JAN", "FPO", D("-650.00")),
        (date(2024, 1, 5), "PRET A MANGER CD 1234", "DEB", D("-7.85")),
        (date(2024, 1, 8), "LLOYDS BANK BRISTOL", "CPT", D("-50.00")),
        (date(2024, 1, 10), "HMRC CHILD BENEFIT", "BGC", D("102.40")),
        (date(2024, 1, 12), "VODAFONE LTD", "DD", D("-29.00")),
        (date(2024, 1, 15), "SAVINGS 30-96-73 12345678", "SO", D("-200.00")),
        (date(2024, 1, 18), "A JONES DINNER", "FPI", D("24.50")),
        (date(2024, 1, 22), "AMAZON.CO.UK*AB12CD CD 1234", "DEB", D("-45.99")),
        (date(2024, 1, 25), "ACME LTD SALARY", "BGC", D("2187.63")),
        (date(2024, 1, 26), "COUNCIL TAX BRISTOL", "DD", D("-156.00")),
        (date(2024, 1, 29), "SAINSBURYS S/MKT CD 1234", "DEB", D("-62.14")),
        (date(2024, 1, 31), "CLUB LLOYDS FEE", "PAY", D("-3.00")),
    ]
    rows = running(opening, [(d, text, a) for d, text, _, a in items])
    closing = last_balance(rows)
    money_in = sum((a for *_, a in items if a > 0), D(0))
    money_out = -sum((a for *_, a in items if a < 0), D(0))
    cols = (15, 37, 112, 145, 172, 196)

    def table_header(y: float) -> float:
        s.text(cols[0], y, "Date", bold=True)
        s.text(cols[1], y, "Description", bold=True)
        s.text(cols[2], y, "Type", bold=True)
        s.right(cols[3], y, "Money In (£)", bold=True)
        s.right(cols[4], y, "Money Out (£)", bold=True)
        s.right(cols[5], y, "Balance (£)", bold=True)
        return y + 6

    def header(page: int) -> float:
        s.text(15, 14, "Lloyds Bank", bold=True, size=12)
        s.text(120, 14, "Statement number 96")
        s.text(120, 18, "Sort Code 30-96-73  Account Number 67458460")
        s.text(15, 286, "Lloyds Bank plc, 25 Gresham Street, London, EC2V 7HN.", size=6)
        s.right(196, 286, f"Page {page}", size=6)
        if page == 1:
            s.text(15, 30, "CLASSIC ACCOUNT  01 January 2024 to 31 January 2024", bold=True)
            s.text(15, 38, "Your Account", bold=True)
            summary = [
                ("Balance on 01 January 2024", us(opening, dollar="£")),
                ("Money In", us(money_in, dollar="£")),
                ("Money Out", us(money_out, dollar="£")),
                ("Balance on 31 January 2024", us(closing, dollar="£")),
            ]
            for k, (label, value) in enumerate(summary):
                s.text(15, 43 + 4 * k, label)
                s.right(90, 43 + 4 * k, value)
            s.text(15, 66, "Your Transactions", bold=True, size=9)
            return table_header(73)
        return table_header(30)

    flow = Flow(s, header, 272, first_bottom=120)
    y = flow.need(5)
    s.text(cols[0], y, "01 Jan 24")
    s.text(cols[1], y, "BALANCE BROUGHT FORWARD")
    s.right(cols[5], y, us(opening))
    for (day, text, code, amount), row in zip(items, rows, strict=True):
        y = flow.need(5)
        s.text(cols[0], y, day.strftime("%d %b %y"))
        s.text(cols[1], y, text)
        s.text(cols[2], y, code)
        s.right(cols[3] if amount > 0 else cols[4], y, us(amount))
        s.right(cols[5], y, us(last_balance([row])))
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- FNB (ZA): "02 Jan", Cr on credits and balances only, an Accrued Bank Charges column ------------


def write_fnb(path: Path) -> Truth:
    s = Sheet("A4", 7.5)
    opening = D("8432.15")
    # (date, description lines, signed amount, accrued bank charge printed beside it)
    items = [
        (date(2023, 12, 15), ["POS Purchase Checkers Sandton", "412345*1234 14 Dec"], D("-612.48"), ""),
        (date(2023, 12, 18), ["FNB App Payment To", "Landlord Rent Jan"], D("-7500.00"), "2.10"),
        (date(2023, 12, 20), ["Magtape Credit ACME Pty Ltd Salary"], D("24850.00"), ""),
        (date(2023, 12, 22), ["ATM Cash", "Sandton City 412345*1234"], D("-1000.00"), "10.00"),
        (date(2023, 12, 27), ["Debit Order Discovery Health", "12345678"], D("-4312.00"), ""),
        (date(2023, 12, 29), ["Internet Pmt To Eskom Prepaid", "Meter 0412345678"], D("-500.00"), "2.10"),
        (date(2024, 1, 2), ["#Monthly Account Fee"], D("-115.00"), ""),
        (date(2024, 1, 3), ["POS Purchase Woolworths Rosebank", "412345*1234 02 Jan"], D("-1243.90"), ""),
        (date(2024, 1, 8), ["FNB App Transfer From Savings"], D("2000.00"), ""),
        (date(2024, 1, 10), ["Send Money App Dr", "Thabo M 0821234567"], D("-350.00"), "1.00"),
        (date(2024, 1, 12), ["Interest Credit"], D("3.48"), ""),
    ]
    rows = running(opening, [(d, " ".join(lines), a) for d, lines, a, _ in items])
    closing = last_balance(rows)
    cols = (13, 28, 148, 174, 198)

    def rand(amount: Decimal) -> str:
        return us(amount) + ("Cr" if amount > 0 else "")

    def balance(amount: Decimal) -> str:
        return us(amount) + ("Cr" if amount >= 0 else "Dr")

    def header(page: int) -> float:
        s.text(13, 14, "First National Bank", bold=True, size=12)
        s.text(120, 14, "Tax Invoice / Statement", bold=True)
        s.text(120, 18, "Gold Cheque Account : 62123456789")
        s.text(120, 22, "Statement Period : 15 December 2023 to 14 January 2024")
        s.text(
            13,
            287,
            "First National Bank - a division of FirstRand Bank Limited. An Authorised Financial",
            size=5.5,
        )
        s.text(13, 290, "Services and Credit Provider (NCRCP20).", size=5.5)
        s.right(198, 287, f"Page {page}", size=6)
        y = 34
        if page == 1:
            s.text(13, 32, "MR T NKOSI")
            s.text(13, 36, "12 OXFORD ROAD ROSEBANK 2196")
            s.text(13, 46, "Opening Balance")
            s.right(80, 46, balance(opening))
            s.text(13, 50, "Closing Balance")
            s.right(80, 50, balance(closing))
            y = 62
        s.text(13, y - 5, "Transactions in RAND (ZAR)", bold=True)
        s.text(cols[0], y, "Date", bold=True)
        s.text(cols[1], y, "Description", bold=True)
        s.right(cols[2], y, "Amount", bold=True)
        s.right(cols[3], y, "Balance", bold=True)
        s.right(cols[4], y - 3.5, "Accrued", bold=True)
        s.right(cols[4], y, "Bank Charges", bold=True)
        return y + 6

    flow = Flow(s, header, 270, first_bottom=125)
    y = flow.need(5)
    s.text(cols[1], y, "Opening Balance")
    s.right(cols[3], y, balance(opening))
    for (day, lines, amount, charge), row in zip(items, rows, strict=True):
        y = flow.need(3.8 * len(lines) + 1.5)
        s.text(cols[0], y, f"{day.day:02d} {day:%b}")
        for k, line in enumerate(lines):
            s.text(cols[1], y + 3.8 * k, line)
        s.right(cols[2], y, rand(amount))
        s.right(cols[3], y, balance(last_balance([row])))
        if charge:
            s.right(cols[4], y, charge)
    y = flow.need(6)
    s.text(cols[1], y + 1, "Closing Balance", bold=True)
    s.right(cols[3], y + 1, balance(closing), bold=True)
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- Maybank (MY): bilingual headers, dd/mm/yy, trailing + and - on amounts, TOTAL CREDIT / DEBIT ---


def write_maybank(path: Path) -> Truth:
    s = Sheet("A4", 7.5)
    opening = D("3412.56")
    items = [
        (date(2024, 1, 2), ["SALE DEBIT", "TESCO STORES (M) SDN BHD"], D("-87.40")),
        (date(2024, 1, 3), ["FPX PAYMENT FR A/", "TNB * 0123456789"], D("-156.30")),
        (date(2024, 1, 5), ["TRANSFER FR A/C", "AHMAD BIN ALI *", "duit makan"], D("45.00")),
        (date(2024, 1, 8), ["CASH WITHDRAWAL", "MBB ATM KL SENTRAL"], D("-300.00")),
        (date(2024, 1, 10), ["TRANSFER TO A/C", "SITI BINTI OMAR *", "sewa rumah jan"], D("-950.00")),
        (date(2024, 1, 15), ["DEBIT ADVICE", "ANNUAL CARD FEE"], D("-8.00")),
        (date(2024, 1, 25), ["IBG CREDIT", "SYARIKAT MAJU SDN BHD", "GAJI JAN 2024"], D("4850.00")),
        (date(2024, 1, 26), ["SALE DEBIT", "SHELL MALAYSIA TRADING", "PETALING JAYA"], D("-120.00")),
        (date(2024, 1, 29), ["DUITNOW QR", "NASI KANDAR PELITA *"], D("-23.50")),
        (date(2024, 1, 31), ["PROFIT PAID"], D("1.27")),
    ]
    rows = running(opening, [(d, " ".join(lines), a) for d, lines, a in items])
    closing = last_balance(rows)
    credits = sum((a for *_, a in items if a > 0), D(0))
    debits = -sum((a for *_, a in items if a < 0), D(0))
    cols = (15, 38, 160, 196)

    def header(page: int) -> float:
        s.text(15, 14, "Maybank Islamic Berhad (787435-M)", bold=True, size=10)
        s.text(120, 14, "STATEMENT DATE : 31/01/24")
        s.text(120, 18, "ACCOUNT NUMBER : 1621 2345 6789")
        s.text(120, 22, "SAVINGS ACCOUNT-i")
        s.text(15, 286, "PROTECTED BY PIDM UP TO RM250,000 FOR EACH DEPOSITOR", size=6)
        s.right(196, 286, f"MUKA/ PAGE : {page}", size=6)
        y = 36
        if page == 1:
            s.text(15, 30, "NUR AISYAH BINTI HASSAN")
            y = 44
        s.text(cols[0], y, "TARIKH MASUK", bold=True, size=6.5)
        s.text(cols[1], y, "BUTIR URUSNIAGA", bold=True, size=6.5)
        s.right(cols[2], y, "JUMLAH URUSNIAGA", bold=True, size=6.5)
        s.right(cols[3], y, "BAKI PENYATA", bold=True, size=6.5)
        s.text(cols[0], y + 3.5, "ENTRY DATE", bold=True, size=6.5)
        s.text(cols[1], y + 3.5, "TRANSACTION DESCRIPTION", bold=True, size=6.5)
        s.right(cols[2], y + 3.5, "TRANSACTION AMOUNT", bold=True, size=6.5)
        s.right(cols[3], y + 3.5, "STATEMENT BALANCE", bold=True, size=6.5)
        return y + 9

    flow = Flow(s, header, 272, first_bottom=110)
    y = flow.need(5)
    s.text(cols[1], y, "BEGINNING BALANCE")
    s.right(cols[3], y, us(opening))
    for (day, lines, amount), row in zip(items, rows, strict=True):
        y = flow.need(3.6 * len(lines) + 1.5)
        s.text(cols[0], y, day.strftime("%d/%m/%y"))
        for k, line in enumerate(lines):
            s.text(cols[1], y + 3.6 * k, line)
        s.right(cols[2], y, us(amount) + ("-" if amount < 0 else "+"))
        s.right(cols[3], y, us(last_balance([row])))
    y = flow.need(16)
    s.text(cols[1], y + 1, "ENDING BALANCE :", bold=True)
    s.right(cols[3], y + 1, us(closing), bold=True)
    s.text(cols[1], y + 5, "TOTAL CREDIT :", bold=True)
    s.right(cols[3], y + 5, us(credits), bold=True)
    s.text(cols[1], y + 9, "TOTAL DEBIT :", bold=True)
    s.right(cols[3], y + 9, us(debits), bold=True)
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- BBVA México: FECHA OPER / LIQ "18/DIC", CARGOS / ABONOS, two balance columns on a day's last row


SPANISH_MONTHS = ("ENE", "FEB", "MAR", "ABR", "MAY", "JUN", "JUL", "AGO", "SEP", "OCT", "NOV", "DIC")


def write_bbva_mexico(path: Path) -> Truth:
    s = Sheet("Letter", 6.5)
    opening = D("18452.30")
    # (date, description lines, reference column, signed amount)
    items = [
        (
            date(2023, 12, 18),
            ["T17 SPEI ENVIADO BANORTE", "0181223RENTA DICIEMBRE"],
            "0012345678",
            D("-8000.00"),
        ),
        (date(2023, 12, 18), ["A15 OXXO GAS SUC 1234"], "", D("-650.00")),
        (date(2023, 12, 20), ["W02 DEPOSITO DE TERCERO", "REFBNTC00012345 BMRCASH"], "", D("1500.00")),
        (date(2023, 12, 22), ["P14 PAGO CUENTA DE TERCERO", "BNET 0123456789 NOMINA"], "", D("21350.75")),
        (date(2023, 12, 26), ["A15 WALMART SUPERCENTER"], "", D("-2184.60")),
        (
            date(2023, 12, 26),
            ["T20 SPEI RECIBIDOSANTANDER", "0261223REEMBOLSO CENA"],
            "0087654321",
            D("480.00"),
        ),
        (date(2023, 12, 29), ["S39 SERV BANCA INTERNET", "OPCOMISION"], "", D("-17.40")),
        (date(2024, 1, 2), ["G30 RECIBO CFE 0123456789"], "", D("-845.00")),
        (date(2024, 1, 5), ["T17 SPEI ENVIADO AZTECA", "0050124PRESTAMO MAMA"], "0011223344", D("-3000.00")),
        (date(2024, 1, 8), ["A15 AMAZON MX MARKETPLACE"], "", D("-1299.00")),
        (date(2024, 1, 12), ["P14 PAGO CUENTA DE TERCERO", "BNET 0123456789 NOMINA"], "", D("21350.75")),
    ]
    rows = running(opening, [(d, " ".join(lines), a) for d, lines, _, a in items])
    closing = last_balance(rows)
    shown = day_end_balances(rows)
    charges = [a for *_, a in items if a < 0]
    deposits = [a for *_, a in items if a > 0]
    cols = (14, 27, 42, 110, 144, 165, 186, 207)

    def mx_date(day: date) -> str:
        return f"{day.day:02d}/{SPANISH_MONTHS[day.month - 1]}"

    def header(page: int) -> float:
        s.text(
            14, 12, "BBVA MÉXICO, S.A., INSTITUCIÓN DE BANCA MÚLTIPLE, GRUPO FINANCIERO BBVA MÉXICO", size=5.5
        )
        s.text(14, 18, "Estado de Cuenta", bold=True, size=10)
        s.text(14, 22, "Libretón Básico Cuenta Digital")
        s.text(130, 18, "Periodo DEL 15/12/2023 AL 14/01/2024")
        s.text(130, 22, "No. de Cuenta 0123456789")
        s.right(204, 12, f"PAGINA {page}", size=6)
        y = 32
        if page == 1:
            s.text(14, 30, "Comportamiento", bold=True)
            summary = [
                ("Saldo Anterior", "", us(opening)),
                ("Depósitos / Abonos (+)", str(len(deposits)), us(sum(deposits, D(0)))),
                ("Retiros / Cargos (-)", str(len(charges)), us(-sum(charges, D(0)))),
                ("Saldo Final (+)", "", us(closing)),
            ]
            for k, (label, count, value) in enumerate(summary):
                s.text(14, 35 + 3.6 * k, label)
                s.right(80, 35 + 3.6 * k, count)
                s.right(110, 35 + 3.6 * k, value)
            y = 56
        s.text(14, y, "Detalle de Movimientos Realizados", bold=True)
        s.text(cols[0], y + 5, "FECHA", bold=True)
        s.text(cols[6] - 20, y + 5, "SALDO", bold=True)
        s.text(cols[0], y + 8.5, "OPER", bold=True)
        s.text(cols[1], y + 8.5, "LIQ", bold=True)
        s.text(cols[2], y + 8.5, "COD. DESCRIPCIÓN", bold=True)
        s.text(cols[3], y + 8.5, "REFERENCIA", bold=True)
        s.right(cols[4], y + 8.5, "CARGOS", bold=True)
        s.right(cols[5], y + 8.5, "ABONOS", bold=True)
        s.right(cols[6], y + 8.5, "OPERACIÓN", bold=True)
        s.right(cols[7], y + 8.5, "LIQUIDACIÓN", bold=True)
        return y + 14

    flow = Flow(s, header, 255, first_bottom=120)
    for (day, lines, reference, amount), row in zip(items, shown, strict=True):
        y = flow.need(3.4 * len(lines) + 1.5)
        s.text(cols[0], y, mx_date(day))
        s.text(cols[1], y, mx_date(day))
        for k, line in enumerate(lines):
            s.text(cols[2], y + 3.4 * k, line)
        if reference:
            s.text(cols[3], y, reference)
        s.right(cols[4] if amount < 0 else cols[5], y, us(amount))
        if row.balance is not None:
            s.right(cols[6], y, us(row.balance))
            s.right(cols[7], y, us(row.balance))
    y = flow.need(14)
    s.text(14, y + 1, "Total de Movimientos", bold=True)
    s.text(14, y + 5, "TOTAL IMPORTE CARGOS")
    s.right(90, y + 5, us(-sum(charges, D(0))))
    s.text(100, y + 5, "TOTAL MOVIMIENTOS CARGOS")
    s.right(160, y + 5, str(len(charges)))
    s.text(14, y + 9, "TOTAL IMPORTE ABONOS")
    s.right(90, y + 9, us(sum(deposits, D(0))))
    s.text(100, y + 9, "TOTAL MOVIMIENTOS ABONOS")
    s.right(160, y + 9, str(len(deposits)))
    s.save(path)
    return Truth(shown, opening, closing)


# --- Sparkasse (DE): Datum / Erläuterung / Betrag Soll EUR / Betrag Haben EUR, Kontostand lines -----


def write_sparkasse(path: Path) -> Truth:
    s = Sheet("A4", 8)
    opening = D("2318.44")
    items = [
        (date(2023, 12, 1), ["Dauerauftrag", "Max Vermieter", "Miete Dezember Whg 3 OG"], D("-895.00")),
        (date(2023, 12, 4), ["Kartenzahlung girocard", "REWE Markt GmbH//Koeln/DE"], D("-54.37")),
        (
            date(2023, 12, 5),
            ["Lastschrift", "Stadtwerke Koeln GmbH", "Abschlag Strom Dezember 2023"],
            D("-78.00"),
        ),
        (date(2023, 12, 8), ["Bargeldauszahlung", "GA NR00001234 BLZ37050198 0"], D("-100.00")),
        (date(2023, 12, 11), ["Gutschrift Überweisung", "Anna Schmidt", "Geschenk Weihnachten"], D("50.00")),
        (
            date(2023, 12, 14),
            ["Lastschrift", "Telekom Deutschland GmbH", "Festnetz Rechnung 12/2023"],
            D("-39.95"),
        ),
        (date(2023, 12, 18), ["Kartenzahlung girocard", "DM Drogerie Markt//Koeln/DE"], D("-23.15")),
        (date(2023, 12, 27), ["Gehalt/Rente", "ACME GmbH", "Lohn/Gehalt 12/2023"], D("3245.80")),
        (
            date(2023, 12, 28),
            ["Lastschrift", "HUK-COBURG Versicherung", "Kfz-Versicherung 2024"],
            D("-412.60"),
        ),
        (date(2023, 12, 29), ["Entgeltabrechnung", "siehe Anlage"], D("-8.90")),
    ]
    closing = opening + sum((a for *_, a in items), D(0))
    cols = (15, 36, 165, 196)

    def header(page: int) -> float:
        s.text(15, 14, "Sparkasse KölnBonn", bold=True, size=12)
        s.text(120, 14, "Kontoauszug 12/2023", bold=True)
        s.text(120, 18, "Giro Komfort, IBAN DE12 3705 0198 0012 3456 78")
        s.text(120, 22, "Frau Erika Mustermann")
        _page_footer(s, "Sparkasse KölnBonn · Hahnenstraße 57 · 50667 Köln", f"Blatt {page}")
        y = 36 if page == 1 else 32
        s.text(cols[0], y, "Datum", bold=True)
        s.text(cols[1], y, "Erläuterung", bold=True)
        s.right(cols[2], y, "Betrag Soll EUR", bold=True)
        s.right(cols[3], y, "Betrag Haben EUR", bold=True)
        return y + 6

    flow = Flow(s, header, 270, first_bottom=95)
    y = flow.need(6)
    s.text(cols[1], y, "Kontostand am 30.11.2023, Auszug Nr. 11", bold=True)
    s.right(cols[3], y, eu(opening), bold=True)
    rows = []
    for day, lines, amount in items:
        y = flow.need(3.8 * len(lines) + 2)
        s.text(cols[0], y, day.strftime("%d.%m.%Y"))
        for k, line in enumerate(lines):
            s.text(cols[1], y + 3.8 * k, line)
        s.right(cols[2] if amount < 0 else cols[3], y, eu(amount))
        rows.append(Row(day, " ".join(lines), amount))
    y = flow.need(8)
    s.text(cols[1], y + 2, "Kontostand am 31.12.2023 um 20:14 Uhr", bold=True)
    s.right(cols[3], y + 2, eu(closing), bold=True)
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- Danske Bank (DK): Dato / Tekst / Rentedato / Beløb / Saldo, dd.mm.yy, a negative balance, FX line -


def write_danske(path: Path) -> Truth:
    s = Sheet("A4", 7.5)
    opening = D("1834.50")
    # (date, text lines, left-out lines (foreign amount and rate), signed amount)
    items: list[tuple[date, list[str], list[str], Decimal]] = [
        (date(2023, 12, 18), ["Dankort-køb Netto Vesterbro"], [], D("-312.75")),
        (date(2023, 12, 19), ["Visa/Dankort køb ZALANDO SE BERLIN"], ["EUR 45,00 kurs 746,12"], D("-335.75")),
        (date(2023, 12, 21), ["Husleje Boligselskabet Nord"], [], D("-6450.00")),
        (date(2023, 12, 22), ["MobilePay: Jens Hansen", "Julefrokost"], [], D("250.00")),
        (date(2023, 12, 28), ["Løn ACME A/S"], [], D("28412.37")),
        (date(2023, 12, 29), ["Overførsel til opsparing"], [], D("-5000.00")),
        (date(2024, 1, 2), ["Betalingsservice TDC NET", "Bredbånd januar"], [], D("-299.00")),
        (date(2024, 1, 5), ["Visa/Dankort køb AMAZON EU SARL"], ["EUR 62,99 kurs 746,28"], D("-470.08")),
        (date(2024, 1, 8), ["Kontant hævning Danske Bank Nørreport"], [], D("-1000.00")),
        (date(2024, 1, 12), ["Gebyr Danske Konto"], [], D("-35.00")),
    ]
    rows = running(opening, [(d, " ".join(lines), a) for d, lines, _, a in items])
    closing = last_balance(rows)
    cols = (15, 34, 132, 168, 196)

    def header(page: int) -> float:
        s.text(15, 14, "Danske Bank", bold=True, size=12)
        s.text(120, 14, "Kontoudskrift", bold=True)
        s.text(120, 18, "Konto 1234-1234567890 Danske Konto")
        s.text(120, 22, "Periode 15.12.23 - 14.01.24")
        _page_footer(
            s, "Danske Bank A/S · Holmens Kanal 2-12 · 1092 København K · CVR-nr. 61 12 62 28", f"Side {page}"
        )
        y = 34 if page == 1 else 30
        s.text(cols[0], y, "Dato", bold=True)
        s.text(cols[1], y, "Tekst", bold=True)
        s.text(cols[2], y, "Rentedato", bold=True)
        s.right(cols[3], y, "Beløb", bold=True)
        s.right(cols[4], y, "Saldo", bold=True)
        return y + 6

    flow = Flow(s, header, 270, first_bottom=80)
    y = flow.need(5)
    s.text(cols[0], y, "15.12.23")
    s.text(cols[1], y, "Saldo primo")
    s.right(cols[4], y, eu(opening, signed=True))
    for (day, lines, extra, amount), row in zip(items, rows, strict=True):
        y = flow.need(3.6 * (len(lines) + len(extra)) + 1.5)
        s.text(cols[0], y, day.strftime("%d.%m.%y"))
        for k, line in enumerate(lines + extra):
            s.text(cols[1], y + 3.6 * k, line)
        s.text(cols[2], y, day.strftime("%d.%m.%y"))
        s.right(cols[3], y, eu(amount, signed=True))
        s.right(cols[4], y, eu(last_balance([row]), signed=True))
    y = flow.need(6)
    s.text(cols[0], y + 1, "14.01.24")
    s.text(cols[1], y + 1, "Saldo ultimo", bold=True)
    s.right(cols[4], y + 1, eu(closing, signed=True), bold=True)
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- PKO Bank Polski (PL): Data operacji / waluty stacked, Kwota and Saldo before Opis transakcji ----


def write_pko_bp(path: Path) -> Truth:
    s = Sheet("A4", 7)
    opening = D("4512.37")
    # (operation date, value date, type, description lines, left-out lines, signed amount)
    items: list[tuple[date, date, str, list[str], list[str], Decimal]] = [
        (
            date(2024, 2, 1),
            date(2024, 2, 1),
            "Przelew z rachunku",
            ["Nazwa odbiorcy: Jan Kowalski", "Tytuł: Czynsz luty 2024"],
            [],
            D("-2100.00"),
        ),
        (
            date(2024, 2, 2),
            date(2024, 2, 5),
            "Płatność kartą",
            ["Lokalizacja: Adres: ŻABKA Z1234 K.1", "Miasto: WARSZAWA Kraj: POLSKA"],
            [],
            D("-34.97"),
        ),
        (
            date(2024, 2, 5),
            date(2024, 2, 5),
            "Przelew na rachunek",
            ["Nazwa nadawcy: ACME SP. Z O.O.", "Tytuł: Wynagrodzenie za 01/2024"],
            [],
            D("8640.15"),
        ),
        (
            date(2024, 2, 7),
            date(2024, 2, 9),
            "Płatność kartą",
            ["Lokalizacja: Adres: SPOTIFY P2A3B4", "Miasto: STOCKHOLM Kraj: SZWECJA"],
            ["Oryginalna kwota operacji: 5,99 EUR"],
            D("-26.11"),
        ),
        (
            date(2024, 2, 12),
            date(2024, 2, 12),
            "Wypłata z bankomatu",
            ["Lokalizacja: Adres: Marszałkowska 104", "Miasto: WARSZAWA Kraj: POLSKA"],
            [],
            D("-400.00"),
        ),
        (
            date(2024, 2, 15),
            date(2024, 2, 15),
            "Zlecenie stałe",
            ["Nazwa odbiorcy: PGE OBRÓT S.A.", "Tytuł: Prąd nr klienta 1234567"],
            [],
            D("-185.40"),
        ),
        (
            date(2024, 2, 20),
            date(2024, 2, 20),
            "Przelew na telefon przychodz.",
            ["Nazwa nadawcy: Anna Nowak", "Tytuł: Za bilety do kina"],
            [],
            D("60.00"),
        ),
        (
            date(2024, 2, 29),
            date(2024, 2, 29),
            "Opłata",
            ["Tytuł: Opłata za prowadzenie rachunku"],
            [],
            D("-7.00"),
        ),
    ]
    rows = running(opening, [(d, " ".join([kind, *lines]), a) for d, _, kind, lines, _, a in items])
    closing = last_balance(rows)
    credits = [a for *_, a in items if a > 0]
    debits = [a for *_, a in items if a < 0]
    cols = (15, 36, 103, 130, 136)

    def header(page: int) -> float:
        s.text(15, 14, "PKO BANK POLSKI", bold=True, size=12)
        s.text(115, 14, "Wyciąg z rachunku nr 2/2024", bold=True)
        s.text(115, 18, "Nr rachunku 12 1020 1026 0000 1202 0123 4567")
        s.text(115, 22, "Za okres od 01.02.2024 do 29.02.2024")
        _page_footer(
            s,
            "Powszechna Kasa Oszczędności Bank Polski Spółka Akcyjna, ul. Puławska 15, 02-515 Warszawa",
            f"Strona {page}",
        )
        y = 36
        if page == 1:
            s.text(15, 32, f"Saldo początkowe: {polish(opening)} PLN")
            s.text(15, 36, f"Suma uznań ({len(credits)}): {polish(sum(credits, D(0)))} PLN")
            s.text(15, 40, f"Suma obciążeń ({len(debits)}): {polish(-sum(debits, D(0)))} PLN")
            s.text(15, 44, f"Saldo końcowe: {polish(closing)} PLN")
            y = 54
        s.text(cols[0], y, "Data operacji", bold=True)
        s.text(cols[0], y + 3.5, "Data waluty", bold=True)
        s.text(cols[1], y, "Typ transakcji", bold=True)
        s.right(cols[2], y, "Kwota", bold=True)
        s.right(cols[3], y, "Saldo po", bold=True)
        s.right(cols[3], y + 3.5, "transakcji", bold=True)
        s.text(cols[4], y, "Opis transakcji", bold=True)
        return y + 9

    flow = Flow(s, header, 272, first_bottom=110)
    for (day, valued, kind, lines, extra, amount), row in zip(items, rows, strict=True):
        y = flow.need(3.4 * max(2, len(lines) + len(extra)) + 2)
        s.text(cols[0], y, day.strftime("%d.%m.%Y"))
        s.text(cols[0], y + 3.4, valued.strftime("%d.%m.%Y"))
        s.text(cols[1], y, kind)
        s.right(cols[2], y, polish(amount))
        s.right(cols[3], y, polish(last_balance([row])))
        for k, line in enumerate(lines + extra):
            s.text(cols[4], y + 3.4 * k, line)
    y = flow.need(6)
    s.text(cols[1], y + 1, f"Saldo końcowe: {polish(closing)} PLN", bold=True)
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- Banco do Brasil: Dt. balancete / Ag. origem / Lote / Histórico / Documento / Valor C-D / Saldo --


def write_banco_do_brasil(path: Path) -> Truth:
    s = Sheet("A4", 6.8)
    opening = D("2345.67")
    # (date, history lines, agency, batch, document, signed amount)
    items = [
        (
            date(2024, 3, 1),
            ["Pix - Enviado", "01/03 09:12 Maria Souza"],
            "0000",
            "99021",
            "10101",
            D("-150.00"),
        ),
        (
            date(2024, 3, 1),
            ["Compra com Cartão", "01/03 12:31 PAO DE ACUCAR"],
            "0000",
            "14020",
            "723104",
            D("-287.45"),
        ),
        (
            date(2024, 3, 4),
            ["Pagamento de Boleto", "ENEL DISTRIBUICAO SP"],
            "0000",
            "13105",
            "30401",
            D("-212.38"),
        ),
        (date(2024, 3, 5), ["Proventos", "EMPRESA EXEMPLO LTDA"], "1234", "09903", "500101", D("4850.00")),
        (
            date(2024, 3, 5),
            ["Pagamento de Boleto", "ALUGUEL IMOBILIARIA SOL"],
            "0000",
            "13105",
            "30402",
            D("-2600.00"),
        ),
        (date(2024, 3, 8), ["Pix - Recebido", "08/03 18:40 Joao Lima"], "0000", "99020", "80801", D("75.50")),
        (
            date(2024, 3, 11),
            ["Saque c/cartão", "11/03 10:05 TAA 12345"],
            "3456",
            "15005",
            "111001",
            D("-300.00"),
        ),
        (
            date(2024, 3, 15),
            ["Compra com Cartão", "14/03 20:17 MAGAZINE LUIZA"],
            "0000",
            "14020",
            "723988",
            D("-3899.00"),
        ),
        (
            date(2024, 3, 20),
            ["Pix - Recebido", "20/03 08:02 Carlos Pereira"],
            "0000",
            "99020",
            "82001",
            D("1200.00"),
        ),
        (
            date(2024, 3, 28),
            ["Tarifa Pacote de Serviços", "Cobrança referente 03/2024"],
            "0000",
            "13113",
            "32801",
            D("-32.50"),
        ),
    ]
    rows = running(opening, [(d, " ".join(lines), a) for d, lines, *_, a in items])
    closing = last_balance(rows)
    shown = day_end_balances(rows)
    cols = (12, 30, 48, 64, 77, 142, 170, 198)

    def brl(amount: Decimal) -> str:
        return f"{eu(amount)} {'D' if amount < 0 else 'C'}"

    def header(page: int) -> float:
        s.text(12, 14, "Banco do Brasil", bold=True, size=12)
        s.text(115, 14, "Extrato de conta corrente", bold=True)
        s.text(115, 18, "Agência 1234-5  Conta corrente 12345-6")
        s.text(115, 22, "Período: 01/03/2024 a 31/03/2024")
        _page_footer(
            s, "Serviço de Atendimento ao Consumidor - SAC 0800 729 0722", f"Página {page}", right=198
        )
        y = 34 if page == 1 else 30
        s.text(12, y - 4, "Lançamentos", bold=True)
        for x, label in zip(
            cols[:5], ("Dt. balancete", "Dt. movimento", "Ag. origem", "Lote", "Histórico"), strict=True
        ):
            s.text(x, y, label, bold=True, size=6)
        s.right(cols[5], y, "Documento", bold=True)
        s.right(cols[6], y, "Valor R$", bold=True)
        s.right(cols[7], y, "Saldo", bold=True)
        return y + 6

    flow = Flow(s, header, 272, first_bottom=85)
    y = flow.need(5)
    s.text(cols[0], y, "29/02/2024")
    s.text(cols[3], y, "0")
    s.text(cols[4], y, "Saldo Anterior")
    s.right(cols[7], y, brl(opening))
    for (day, lines, agency, batch, document, amount), row in zip(items, shown, strict=True):
        y = flow.need(3.4 * len(lines) + 1.5)
        s.text(cols[0], y, day.strftime("%d/%m/%Y"))
        s.text(cols[1], y, day.strftime("%d/%m/%Y"))
        s.text(cols[2], y, agency)
        s.text(cols[3], y, batch)
        for k, line in enumerate(lines):
            s.text(cols[4], y + 3.4 * k, line)
        s.right(cols[5], y, document)
        s.right(cols[6], y, brl(amount))
        if row.balance is not None:
            s.right(cols[7], y, brl(row.balance))
    y = flow.need(6)
    s.text(cols[0], y + 1, "31/03/2024")
    s.text(cols[4], y + 1, "S A L D O", bold=True)
    s.right(cols[7], y + 1, brl(closing), bold=True)
    s.save(path)
    return Truth(shown, opening, closing)


# --- RBC Royal Bank (CA): date on a day's first row, balance on its last, "-" overdrawn balances ----


def write_rbc(path: Path) -> Truth:
    s = Sheet("Letter", 7.5)
    opening = D("1254.36")
    items = [
        (date(2023, 12, 15), ["Interac purchase - 3456", "SHOPPERS DRUG MART"], D("-42.17")),
        (date(2023, 12, 15), ["e-Transfer sent", "John Smith 8HJ2KQ"], D("-120.00")),
        (date(2023, 12, 18), ["Online Banking payment - 1234", "ROGERS"], D("-95.40")),
        (date(2023, 12, 20), ["Online Banking transfer - 5678", "to Savings"], D("-1100.00")),
        (date(2023, 12, 21), ["Interac purchase - 7788", "LOBLAWS #1123"], D("-186.92")),
        (date(2023, 12, 22), ["Payroll Deposit", "ACME INC"], D("2384.51")),
        (date(2023, 12, 22), ["Mortgage payment", "RBC ROYAL MTG"], D("-1650.00")),
        (date(2023, 12, 29), ["ATM withdrawal - PY123456"], D("-200.00")),
        (date(2024, 1, 2), ["Monthly fee"], D("-16.95")),
        (date(2024, 1, 5), ["e-Transfer received", "Mary Chen 9KD7PL"], D("60.00")),
        (date(2024, 1, 5), ["Interac purchase - 1122", "TIM HORTONS #2041"], D("-8.45")),
        (date(2024, 1, 12), ["Payroll Deposit", "ACME INC"], D("2384.51")),
    ]
    rows = running(opening, [(d, " ".join(lines), a) for d, lines, a in items])
    closing = last_balance(rows)
    shown = day_end_balances(rows)
    deposits = sum((a for *_, a in items if a > 0), D(0))
    withdrawals = -sum((a for *_, a in items if a < 0), D(0))
    cols = (15, 33, 132, 168, 200)

    def table_header(y: float) -> float:
        s.text(cols[0], y, "Date", bold=True)
        s.text(cols[1], y, "Description", bold=True)
        s.right(cols[2], y, "Cheques & Debits ($)", bold=True)
        s.right(cols[3], y, "Deposits & Credits ($)", bold=True)
        s.right(cols[4], y, "Balance ($)", bold=True)
        return y + 6

    def header(page: int) -> float:
        s.text(15, 14, "Royal Bank of Canada", bold=True, size=11)
        s.text(120, 14, "RBC Day to Day Banking", bold=True)
        s.text(120, 18, "Your account number: 01234-5678901")
        s.text(120, 22, "From December 15, 2023 to January 14, 2024")
        s.text(
            15,
            268,
            "® / ™ Trademark(s) of Royal Bank of Canada. RBC and Royal Bank are registered trademarks.",
            size=5.5,
        )
        s.right(200, 268, f"{page}", size=6)
        if page == 1:
            s.text(15, 32, "Summary of your account for this period", bold=True)
            summary = [
                ("Your opening balance on December 15, 2023", us(opening, dollar="$")),
                ("Total deposits into your account", "+ " + us(deposits)),
                ("Total withdrawals from your account", "- " + us(withdrawals)),
                ("Your closing balance on January 14, 2024", "= " + us(closing, dollar="$")),
            ]
            for k, (label, value) in enumerate(summary):
                s.text(15, 37 + 4 * k, label)
                s.right(120, 37 + 4 * k, value)
            s.text(15, 58, "Details of your account activity", bold=True)
            return table_header(64)
        s.text(15, 32, "Details of your account activity - continued", bold=True)
        return table_header(38)

    flow = Flow(s, header, 255, first_bottom=120)
    y = flow.need(5)
    s.text(cols[0], y, "15 Dec")
    s.text(cols[1], y, "Opening Balance")
    s.right(cols[4], y, us(opening, sign="-"))
    previous: date | None = date(2023, 12, 15)
    for (day, lines, amount), row in zip(items, shown, strict=True):
        pages = s.pages
        y = flow.need(3.8 * len(lines) + 1.5)
        if day != previous or s.pages != pages:
            s.text(cols[0], y, f"{day.day} {day:%b}")
        previous = day
        for k, line in enumerate(lines):
            s.text(cols[1], y + 3.8 * k, line)
        s.right(cols[2] if amount < 0 else cols[3], y, us(amount))
        if row.balance is not None:
            s.right(cols[4], y, us(row.balance, sign="-"))
    y = flow.need(6)
    s.text(cols[1], y + 1, "Closing Balance", bold=True)
    s.right(cols[4], y + 1, us(closing, sign="-"), bold=True)
    s.save(path)
    return Truth(shown, opening, closing)


# --- A fourth set: payment apps, a broker, card issuers and banks not drawn above ----------------


def number_pages(s: Sheet, label: str, x: float, y: float) -> None:
    """``label`` (e.g. ``"Page {page} of {pages}"``) right-aligned at ``x`` on every page, once the
    page count is known."""
    for page in range(1, s.pages + 1):
        s.pdf.page = page
        s.pdf.font_family = ""  # fpdf2 keeps one font state, not each page's: select it again
        s.right(x, y, label.format(page=page, pages=s.pages), size=6)
    s.pdf.page = s.pages


# --- PayPal (US monthly account statement): Gross / Fee / Net per row, no running balance ------------


def write_paypal(path: Path) -> Truth:
    s = Sheet("Letter", 7.5)
    opening = D("512.40")
    # (date, type line, counterparty line, transaction ID (left out), gross, fee)
    items = [
        (date(2024, 1, 2), "Mobile Payment", "From: Jane Smith", "1AB23456CD7890123", D("120.00"), D("0")),
        (date(2024, 1, 4), "Express Checkout Payment", "eBay Inc.", "2CD34567EF8901234", D("-45.99"), D("0")),
        (
            date(2024, 1, 6),
            "Payment Received",
            "Sarah Lee - Invoice 1043",
            "3EF45678GH9012345",
            D("250.00"),
            D("-9.22"),
        ),
        (
            date(2024, 1, 9),
            "PreApproved Payment Bill User Payment",
            "Spotify USA",
            "4GH56789JK0123456",
            D("-10.99"),
            D("0"),
        ),
        (
            date(2024, 1, 12),
            "General Withdrawal",
            "Bank Account ****1234",
            "5JK67890LM1234567",
            D("-300.00"),
            D("0"),
        ),
        (date(2024, 1, 15), "Payment Refund", "eBay Inc.", "6LM78901NP2345678", D("45.99"), D("0")),
        (date(2024, 1, 20), "Mobile Payment", "To: Mike Brown", "7NP89012QR3456789", D("-60.00"), D("0")),
        (
            date(2024, 1, 26),
            "Payment Received",
            "Tom Green - Invoice 1044",
            "8QR90123ST4567890",
            D("80.00"),
            D("-3.28"),
        ),
        (
            date(2024, 1, 29),
            "Bank Deposit to PP Account",
            "Bank Account ****1234",
            "9ST01234UV5678901",
            D("100.00"),
            D("0"),
        ),
    ]
    rows = [Row(d, f"{kind} {who}", gross + fee) for d, kind, who, _, gross, fee in items]
    money_in = sum((g for *_, g, _ in items if g > 0), D(0))
    money_out = sum((g for *_, g, _ in items if g < 0), D(0))
    fees = sum((f for *_, f in items), D(0))
    closing = opening + money_in + money_out + fees
    cols = (15, 38, 128, 152, 174, 200)

    def header(page: int) -> float:
        s.text(15, 14, "PayPal", bold=True, size=14)
        s.text(120, 14, "Monthly account statement", bold=True)
        s.text(120, 18, "January 1, 2024 - January 31, 2024")
        s.text(120, 22, "Account ID: K7QPZ3XW2M9LY  john.doe@example.com")
        s.text(15, 262, "PayPal, Inc. 2211 North First Street, San Jose, CA 95131", size=6)
        y = 34
        if page == 1:
            s.text(15, 32, "JOHN DOE")
            s.text(15, 36, "42 ELM STREET, PORTLAND, OR 97201")
            s.text(15, 46, "Balance summary (USD)", bold=True)
            summary = [
                ("Beginning balance", us(opening, sign="-", dollar="$")),
                ("Money in", us(money_in, dollar="$")),
                ("Fees", us(fees, sign="-", dollar="$")),
                ("Money out", us(money_out, sign="-", dollar="$")),
                ("Ending balance", us(closing, sign="-", dollar="$")),
            ]
            for k, (label, value) in enumerate(summary):
                s.text(15, 51 + 4 * k, label)
                s.right(85, 51 + 4 * k, value)
            s.text(110, 51, "Holds and pending transactions are not shown on this statement.", size=6)
            y = 80
        s.text(15, y, "Activity", bold=True, size=9)
        y += 5
        s.text(cols[0], y, "DATE", bold=True)
        s.text(cols[1], y, "DESCRIPTION", bold=True)
        s.text(cols[2] - 14, y, "CURRENCY", bold=True)
        s.right(cols[3], y, "AMOUNT", bold=True)
        s.right(cols[4], y, "FEES", bold=True)
        s.right(cols[5], y, "TOTAL", bold=True)
        return y + 6

    flow = Flow(s, header, 250, first_bottom=135)
    for d, kind, who, ref, gross, fee in items:
        y = flow.need(12)
        s.text(cols[0], y, d.strftime("%m/%d/%Y"))
        s.text(cols[1], y, kind)
        s.text(cols[1], y + 3.6, who)
        s.text(cols[1], y + 7.2, f"ID: {ref}", size=6)
        s.text(cols[2] - 14, y, "USD")
        s.right(cols[3], y, us(gross, sign="-"))
        s.right(cols[4], y, us(fee, sign="-"))
        s.right(cols[5], y, us(gross + fee, sign="-"))
    number_pages(s, "Page {page} of {pages}", 200, 262)
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- Wise (EUR balance statement): printed newest first, the date under each description ----------
# Wise's PDF statements list a balance's activity newest first, each row's date (and the transfer
# or card reference) on a small line under its description, and the balance after it in "Amount".


def write_wise(path: Path) -> Truth:
    s = Sheet("A4", 8)
    opening = D("1840.25")
    # oldest first: (date, description, reference line (left out), signed amount)
    items = [
        (
            date(2024, 1, 3),
            "Card transaction of 23.40 EUR issued by Rewe Berlin",
            "Transaction: CARD-1183920441",
            D("-23.40"),
        ),
        (
            date(2024, 1, 5),
            "Received money from Acme GmbH with reference INV-2024-001",
            "Transaction: TRANSFER-902113847",
            D("1500.00"),
        ),
        (
            date(2024, 1, 8),
            "Converted 200.00 GBP to 232.26 EUR",
            "Transaction: BALANCE-71829304  Exchange rate: 1.1613",
            D("232.26"),
        ),
        (
            date(2024, 1, 10),
            "Sent money to Maria Rossi",
            "Transaction: TRANSFER-903377120  Reference: January rent",
            D("-450.00"),
        ),
        (
            date(2024, 1, 14),
            "Card transaction of 15.00 USD issued by Netflix.com Los Gatos",
            "Transaction: CARD-1190082713  Exchange rate: 1.0815",
            D("-13.87"),
        ),
        (
            date(2024, 1, 20),
            "Direct debit payment to Vodafone GmbH",
            "Transaction: DIRECT_DEBIT-5521098",
            D("-39.99"),
        ),
        (
            date(2024, 1, 27),
            "Cash withdrawal of 100.00 EUR issued by Sparkasse Berlin",
            "Transaction: CARD-1201187456",
            D("-100.00"),
        ),
    ]
    chronological = running(opening, [(d, text, a) for d, text, _, a in items])
    closing = last_balance(chronological)
    printed = list(zip(items, chronological, strict=True))[::-1]
    cols = (15, 150, 172, 196)

    def header(page: int) -> float:
        s.text(15, 15, "Wise", bold=True, size=16)
        s.right(196, 15, "EUR statement", bold=True, size=11)
        s.right(196, 20, "1 January 2024 [GMT+01:00] - 31 January 2024 [GMT+01:00]")
        s.right(196, 24, "Generated on: 2 February 2024")
        s.text(15, 284, "Wise Europe SA, Rue du Trône 100, 3rd floor, Brussels, 1050, Belgium", size=6)
        y = 36
        if page == 1:
            s.text(15, 34, "Account Holder", bold=True)
            s.text(15, 38, "Jane Doe")
            s.text(15, 42, "Torstraße 12, 10119 Berlin, Germany")
            s.text(120, 34, "IBAN  BE12 9670 1234 5678", size=7)
            s.text(120, 38, "Swift/BIC  TRWIBEB1XXX", size=7)
            s.text(15, 54, "EUR on 31 January 2024 [GMT+01:00]", bold=True, size=10)
            s.right(196, 54, f"{us(closing)} EUR", bold=True, size=10)
            y = 64
        s.text(cols[0], y, "Description", bold=True)
        s.right(cols[1], y, "Incoming", bold=True)
        s.right(cols[2], y, "Outgoing", bold=True)
        s.right(cols[3], y, "Amount", bold=True)
        return y + 7

    flow = Flow(s, header, 272, first_bottom=150)
    for (day, text, ref, amount), row in printed:
        y = flow.need(12)
        s.text(cols[0], y, text, bold=True)
        s.text(cols[0], y + 4, f"{day.day} {day:%B %Y}", size=6.5)
        s.text(cols[0] + 30, y + 4, ref, size=6.5)
        s.right(cols[1] if amount > 0 else cols[2], y, us(amount, sign="-"))
        s.right(cols[3], y, us(last_balance([row])))
    y = flow.need(10)
    s.text(
        cols[0],
        y + 3,
        "This is not a bank statement issued by a credit institution. Wise Europe SA is an",
        size=6,
    )
    s.text(cols[0], y + 6, "electronic money institution authorised by the National Bank of Belgium.", size=6)
    number_pages(s, "{page} / {pages}", 196, 284)
    s.save(path)
    return Truth(tuple(row for _, row in printed), None, closing)


# --- Charles Schwab (US brokerage): Transaction Detail, MM/DD settle/trade dates, (1,234.56) -------


def write_schwab(path: Path) -> Truth:
    s = Sheet("Letter", 7)
    opening = D("3250.00")
    # (settle, trade, transaction, description, quantity, unit price, charges, total)
    items: list[tuple[date, date | None, str, str, str, str, str, Decimal]] = [
        (date(2023, 12, 1), None, "Deposit", "TRANSFER FUNDS FROM BANK ****6789", "", "", "", D("2000.00")),
        (
            date(2023, 12, 5),
            date(2023, 12, 1),
            "Purchase",
            "VANGUARD TOTAL STOCK MKT ETF: VTI",
            "8.0000",
            "221.4500",
            "",
            D("-1771.60"),
        ),
        (
            date(2023, 12, 12),
            date(2023, 12, 8),
            "Sale",
            "APPLE INC: AAPL",
            "(5.0000)",
            "195.7100",
            "(0.02)",
            D("978.53"),
        ),
        (date(2023, 12, 14), None, "Qualified Dividend", "MICROSOFT CORP: MSFT", "", "", "", D("7.50")),
        (date(2023, 12, 22), None, "Withdrawal", "FUNDS TRANSFER TO BANK ****6789", "", "", "", D("-500.00")),
        (
            date(2023, 12, 28),
            date(2023, 12, 27),
            "Purchase",
            "SCHWAB S&P 500 INDEX: SWPPX",
            "25.0000",
            "72.3000",
            "",
            D("-1807.50"),
        ),
        (
            date(2023, 12, 29),
            None,
            "Bank Interest",
            "BANK INT 120123-122923 SCHWAB BANK",
            "",
            "",
            "",
            D("1.23"),
        ),
    ]
    rows = [Row(d, f"{kind} {text}", total) for d, _, kind, text, *_, total in items]
    closing = opening + sum((r.amount for r in rows), D(0))

    def paren(amount: Decimal) -> str:
        return f"({us(amount)})" if amount < 0 else us(amount)

    cols = (15, 30, 45, 72, 140, 158, 180, 203)

    def header(page: int) -> float:
        s.text(15, 14, "charles", bold=True, size=12)
        s.text(15, 19, "SCHWAB", bold=True, size=12)
        s.text(60, 14, "Schwab One® Account of", size=7)
        s.text(60, 18, "JOHN Q DOE", bold=True)
        s.text(140, 14, "Statement Period")
        s.text(140, 18, "December 1-31, 2023", bold=True)
        s.text(140, 22, "Account Number 1234-5678")
        s.text(15, 268, "Schwab One® Account of JOHN Q DOE  Account Number 1234-5678", size=6)
        if page == 1:
            s.text(15, 36, "Cash Transactions Summary", bold=True, size=9)
            summary = [
                ("Starting Cash*", paren(opening)),
                ("Deposits", paren(D("2000.00"))),
                ("Withdrawals", paren(D("-500.00"))),
                ("Purchases", paren(D("-3579.10"))),
                ("Sales/Redemptions", paren(D("978.53"))),
                ("Dividends/Interest", paren(D("8.73"))),
                ("Ending Cash*", paren(closing)),
            ]
            for k, (label, value) in enumerate(summary):
                s.text(15, 42 + 4 * k, label)
                s.right(90, 42 + 4 * k, value)
            s.text(
                15,
                72,
                "*Cash (or cash equivalents) includes Bank Sweep deposits held at Schwab Bank.",
                size=6,
            )
            y = 84
        else:
            y = 34
        s.text(15, y, "Transaction Detail", bold=True, size=9)
        y += 5
        s.text(cols[0], y, "Settle", bold=True)
        s.text(cols[1], y, "Trade", bold=True)
        s.text(cols[0], y + 3.5, "Date", bold=True)
        s.text(cols[1], y + 3.5, "Date", bold=True)
        s.text(cols[2], y + 3.5, "Transaction", bold=True)
        s.text(cols[3], y + 3.5, "Description", bold=True)
        s.right(cols[4], y + 3.5, "Quantity", bold=True)
        s.right(cols[5], y, "Unit", bold=True)
        s.right(cols[5], y + 3.5, "Price", bold=True)
        s.right(cols[6], y, "Charges and", bold=True)
        s.right(cols[6], y + 3.5, "Interest", bold=True)
        s.right(cols[7], y, "Total", bold=True)
        s.right(cols[7], y + 3.5, "Amount", bold=True)
        return y + 9

    flow = Flow(s, header, 255)
    for settle, trade, kind, text, qty, price, charges, total in items:
        y = flow.need(5)
        s.text(cols[0], y, settle.strftime("%m/%d"))
        if trade is not None:
            s.text(cols[1], y, trade.strftime("%m/%d"))
        s.text(cols[2], y, kind)
        s.text(cols[3], y, text)
        s.right(cols[4], y, qty)
        s.right(cols[5], y, price)
        s.right(cols[6], y, charges)
        s.right(cols[7], y, paren(total))
    y = flow.need(8)
    s.text(cols[3], y + 2, "Total Transactions", bold=True)
    s.right(cols[7], y + 2, paren(closing - opening), bold=True)
    number_pages(s, "{page} of {pages}", 203, 268)
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- Chase credit card (US): ACCOUNT ACTIVITY by section, MM/DD, EXCHG RATE lines, an interest table -


def write_chase_card(path: Path) -> Truth:
    s = Sheet("Letter", 7.5)
    previous = D("1204.77")
    # (date, description, left-out lines (foreign currency), amount as printed: credits negative)
    payments = [(date(2023, 12, 28), "Payment Thank You-Mobile", [], D("-1204.77"))]
    purchases = [
        (date(2023, 12, 16), "SAFEWAY #1234 OAKLAND CA", [], D("84.12")),
        (date(2023, 12, 21), "UNITED 0162345678901 800-932-2732 TX", [], D("386.40")),
        (
            date(2023, 12, 27),
            "LE PETIT CAFE PARIS",
            ["12/27 EURO", "50.00 X 1.092200 (EXCHG RATE)"],
            D("54.61"),
        ),
        (date(2023, 12, 30), "AMAZON MKTPL*R47TY2QW0 Amzn.com/bill WA", [], D("29.99")),
        (date(2024, 1, 3), "NETFLIX.COM 866-579-7172 CA", [], D("15.49")),
        (date(2024, 1, 9), "TST* BLUE BOTTLE COFFEE OAKLAND CA", [], D("6.75")),
    ]
    fees = [(date(2023, 12, 27), "FOREIGN TRANSACTION FEE", [], D("1.64"))]
    interest = [(date(2024, 1, 14), "PURCHASE INTEREST CHARGE", [], D("8.21"))]
    everything = payments + purchases + fees + interest
    total = {
        name: sum((a for *_, a in group), D(0))
        for name, group in (("pay", payments), ("buy", purchases), ("fee", fees), ("int", interest))
    }
    new_balance = previous + sum(total.values(), D(0))

    def header(page: int) -> float:
        s.text(15, 14, "CHASE FREEDOM: ULTIMATE REWARDS® SUMMARY", bold=True)
        s.text(130, 14, "Manage your account online at: www.chase.com/cardhelp", size=6)
        s.text(15, 266, "JOHN DOE", size=6)
        s.text(60, 266, "Statement Date: 01/14/24", size=6)
        if page == 1:
            s.text(15, 24, "ACCOUNT SUMMARY", bold=True, size=9)
            s.text(15, 29, "Account Number: XXXX XXXX XXXX 4321")
            summary = [
                ("Previous Balance", us(previous, dollar="$")),
                ("Payment, Credits", "-" + us(-total["pay"], dollar="$")),
                ("Purchases", "+" + us(total["buy"], dollar="$")),
                ("Cash Advances", "$0.00"),
                ("Balance Transfers", "$0.00"),
                ("Fees Charged", "+" + us(total["fee"], dollar="$")),
                ("Interest Charged", "+" + us(total["int"], dollar="$")),
                ("New Balance", us(new_balance, dollar="$")),
                ("Opening/Closing Date", "12/15/23 - 01/14/24"),
                ("Credit Access Line", "$7,500"),
                ("Available Credit", "$6,912"),
            ]
            for k, (label, value) in enumerate(summary):
                s.text(15, 34 + 3.8 * k, label)
                s.right(95, 34 + 3.8 * k, value)
            s.text(115, 24, "PAYMENT INFORMATION", bold=True, size=9)
            s.text(115, 29, "New Balance")
            s.right(196, 29, us(new_balance, dollar="$"))
            s.text(115, 33, "Minimum Payment Due")
            s.right(196, 33, "$40.00")
            s.text(115, 37, "Payment Due Date")
            s.right(196, 37, "02/08/24")
            y = 86
        else:
            y = 24
        s.text(15, y, "ACCOUNT ACTIVITY" + ("" if page == 1 else " (CONTINUED)"), bold=True, size=9)
        s.text(15, y + 5, "Date of", bold=True)
        s.text(15, y + 8.5, "Transaction", bold=True)
        s.text(40, y + 8.5, "Merchant Name or Transaction Description", bold=True)
        s.right(200, y + 8.5, "$ Amount", bold=True)
        return y + 14

    flow = Flow(s, header, 255, first_bottom=150)

    def section(title: str, items: list[tuple[date, str, list[str], Decimal]]) -> None:
        y = flow.need(5)
        s.text(15, y, title, bold=True)
        for day, text, extra, amount in items:
            y = flow.need(4 + 3.4 * len(extra))
            s.text(15, y, day.strftime("%m/%d"))
            s.text(40, y, text)
            s.right(200, y, us(amount, sign="-"))
            for k, line in enumerate(extra):
                s.text(40, y + 3.4 * (k + 1), line, size=6.5)

    section("PAYMENTS AND OTHER CREDITS", payments)
    section("PURCHASE", purchases)
    section("FEES CHARGED", fees)
    y = flow.need(5)
    s.text(40, y, "TOTAL FEES FOR THIS PERIOD", bold=True)
    s.right(200, y, us(total["fee"], dollar="$"), bold=True)
    section("INTEREST CHARGED", interest)
    y = flow.need(5)
    s.text(40, y, "TOTAL INTEREST FOR THIS PERIOD", bold=True)
    s.right(200, y, us(total["int"], dollar="$"), bold=True)
    y = flow.need(16)
    s.text(60, y + 3, "2024 Totals Year-to-Date", bold=True)
    s.text(60, y + 7, "Total fees charged in 2024")
    s.right(150, y + 7, "$0.00")
    s.text(60, y + 11, "Total interest charged in 2024")
    s.right(150, y + 11, us(total["int"], dollar="$"))
    y = flow.need(22)
    s.text(15, y + 3, "INTEREST CHARGES", bold=True, size=9)
    s.text(15, y + 8, "Balance Type", bold=True)
    s.text(55, y + 8, "Annual Percentage Rate (APR)", bold=True)
    s.text(110, y + 8, "Balance Subject To Interest Rate", bold=True)
    s.right(200, y + 8, "Interest Charges", bold=True)
    s.text(15, y + 13, "Purchases")
    s.text(55, y + 13, "24.99%(v)(d)")
    s.right(150, y + 13, "$399.70")
    s.right(200, y + 13, us(total["int"], dollar="$"))
    s.text(15, y + 17, "Cash Advances")
    s.text(55, y + 17, "29.99%(v)(d)")
    s.right(150, y + 17, "- 0 -")
    s.right(200, y + 17, "- 0 -")
    number_pages(s, "Page {page} of {pages}", 200, 266)
    s.save(path)
    rows = [Row(d, text, -a) for d, text, _, a in everything]
    return Truth(tuple(rows), -previous, -new_balance)


# --- Nationwide (UK FlexAccount): £Out / £In / £Balance, date once a day, brought/carried forward ---


def write_nationwide(path: Path) -> Truth:
    s = Sheet("A4", 8)
    opening = D("1203.44")
    items: list[tuple[date, list[str], Decimal]] = [
        (date(2023, 12, 15), ["Contactless Payment TESCO STORES 2345 LONDON"], D("-14.62")),
        (date(2023, 12, 15), ["Direct debit to THAMES WATER"], D("-36.00")),
        (date(2023, 12, 18), ["Visa purchase AMAZON.CO.UK*RT4Y6 AMAZON.CO.UK"], D("-59.99")),
        (date(2023, 12, 20), ["Bank credit ACME LTD SALARY DEC"], D("2310.55")),
        (date(2023, 12, 20), ["Transfer to 040004 12345678 SAVINGS"], D("-400.00")),
        (date(2023, 12, 22), ["Cash Withdrawal NATIONWIDE CROYDON"], D("-80.00")),
        (date(2023, 12, 27), ["Standing order J SMITH RENT"], D("-825.00")),
        (date(2023, 12, 29), ["Contactless Payment PRET A MANGER LONDON"], D("-6.45")),
        (date(2023, 12, 29), ["Bank credit HMRC CHILD BENEFIT"], D("102.40")),
        (date(2024, 1, 2), ["Direct debit to BRITISH GAS"], D("-88.00")),
        (date(2024, 1, 2), ["Direct debit to VIRGIN MEDIA"], D("-49.50")),
        (date(2024, 1, 5), ["Payment to A JONES DINNER"], D("-32.00")),
        (date(2024, 1, 8), ["Visa purchase SAINSBURYS S/MKT LONDON"], D("-71.23")),
        (date(2024, 1, 10), ["Bank credit A JONES REPAYMENT"], D("32.00")),
        (date(2024, 1, 12), ["Direct debit to COUNCIL TAX LAMBETH"], D("-145.00")),
        (date(2024, 1, 12), ["Contactless Payment TFL TRAVEL CH LONDON"], D("-8.10")),
    ]
    full = running(opening, [(d, " ".join(lines), a) for d, lines, a in items])
    rows = day_end_balances(full)
    closing = last_balance(full)
    money_in = sum((a for *_, a in items if a > 0), D(0))
    money_out = -sum((a for *_, a in items if a < 0), D(0))
    cols = (15, 32, 150, 172, 196)

    def header(page: int) -> float:
        s.text(15, 14, "Nationwide", bold=True, size=14)
        s.text(15, 19, "Building Society", size=7)
        s.text(120, 14, "Current Account Statement", bold=True)
        s.text(120, 18, "FlexAccount   Statement no: 87")
        s.text(120, 22, "Sort code 07-01-16   Account no 12345678")
        s.text(
            15,
            284,
            "Nationwide Building Society. Head Office: Nationwide House, Pipers Way, Swindon SN38 1NW",
            size=6,
        )
        y = 34
        if page == 1:
            s.text(15, 32, "MISS A SAMPLE")
            s.text(15, 36, "11A SAMPLE STREET, SAMPLEVILLE AB12 3CD")
            s.text(120, 32, "Statement date: 14 January 2024", bold=True)
            box = [
                ("Start balance", us(opening, dollar="£")),
                ("Payments in", us(money_in, dollar="£")),
                ("Payments out", us(money_out, dollar="£")),
                ("End balance", us(closing, dollar="£")),
                ("Average credit balance", "£1,412.80"),
                ("Average debit balance", "£0.00"),
            ]
            for k, (label, value) in enumerate(box):
                s.text(120, 38 + 4 * k, label, size=7)
                s.right(196, 38 + 4 * k, value, size=7)
            s.text(15, 48, "Your FlexAccount transactions", bold=True, size=9)
            s.text(15, 52, "15 December 2023 to 14 January 2024", size=7)
            y = 70
        s.text(cols[0], y, "Date", bold=True)
        s.text(cols[1], y, "Description", bold=True)
        s.right(cols[2], y, "£Out", bold=True)
        s.right(cols[3], y, "£In", bold=True)
        s.right(cols[4], y, "£Balance", bold=True)
        return y + 6

    state = {"balance": opening}

    def leave(y: float) -> None:
        s.text(cols[1], y + 1, "Balance carried forward", bold=True)
        s.right(cols[4], y + 1, us(state["balance"]), bold=True)

    def enter(y: float) -> float:
        s.text(cols[1], y, "Balance brought forward", bold=True)
        s.right(cols[4], y, us(state["balance"]), bold=True)
        return y + 5

    flow = Flow(s, header, 270, leave=leave, enter=enter, first_bottom=150)
    y = flow.need(5)
    s.text(cols[0], y, "15 Dec")
    s.text(cols[1], y, "Balance from statement 86 dated 14/12/2023")
    s.right(cols[4], y, us(opening))
    previous_day: date | None = None
    page = s.pages
    for (day, lines, amount), row, shown in zip(items, full, rows, strict=True):
        y = flow.need(4 * len(lines) + 1.5)
        if day != previous_day or s.pages != page:
            s.text(cols[0], y, f"{day.day:02d} {day:%b}")
        previous_day, page = day, s.pages
        for k, line in enumerate(lines):
            s.text(cols[1], y + 4 * k, line)
        last = y
        s.right(cols[2] if amount < 0 else cols[3], last, us(amount))
        if shown.balance is not None:
            s.right(cols[4], last, us(shown.balance))
        state["balance"] = last_balance([row])
    y = flow.need(6)
    s.text(cols[1], y + 1, "Balance carried forward", bold=True)
    s.right(cols[4], y + 1, us(closing), bold=True)
    number_pages(s, "Page {page} of {pages}", 196, 284)
    s.save(path)
    return Truth(rows, opening, closing)


# --- ICICI Bank (IN savings e-statement): DATE / MODE / PARTICULARS / DEPOSITS before WITHDRAWALS, B/F -


def write_icici(path: Path) -> Truth:
    s = Sheet("A4", 7.5)
    opening = D("124560.50")
    items: list[tuple[date, str, list[str], Decimal]] = [
        (date(2023, 12, 16), "UPI", ["UPI/335012345678/SWIGGY/", "swiggy@icici/Payment"], D("-486.00")),
        (date(2023, 12, 18), "", ["BIL/INFT/EDC1234567/", "Rent Dec/RAJESH KUMAR"], D("-22000.00")),
        (date(2023, 12, 20), "ATM", ["ATM/CASH WDL/20-12-23/", "ANDHERI EAST MUMBAI"], D("-10000.00")),
        (
            date(2023, 12, 22),
            "NEFT",
            ["NEFT-HDFCN52023122212345-", "ACME TECHNOLOGIES PVT LTD-SALARY"],
            D("185432.00"),
        ),
        (date(2023, 12, 26), "UPI", ["UPI/335912345679/AMAZON/", "amazon@apl/Payment"], D("-3499.00")),
        (date(2023, 12, 28), "", ["CMS/ CREDIT CARD PAYMENT", "ICICI CARD XX1234"], D("-45210.75")),
        (date(2023, 12, 31), "", ["123456789:Int.Pd:", "01-10-2023 to 31-12-2023"], D("1289.00")),
        (date(2024, 1, 2), "UPI", ["UPI/400212345680/BESCOM/", "bescom@ybl/Electricity"], D("-2345.00")),
        (date(2024, 1, 4), "UPI", ["UPI/400412345681/PRIYA S/", "priya.s@okhdfc/Dinner"], D("750.00")),
        (date(2024, 1, 8), "", ["MMT/IMPS/400812345682/", "SIP/ZERODHA BROKING"], D("-15000.00")),
        (
            date(2024, 1, 10),
            "UPI",
            ["UPI/401012345683/BIGBASKET/", "bigbasket@icici/Groceries"],
            D("-1876.40"),
        ),
        (date(2024, 1, 12), "", ["ACH/LIC OF INDIA/", "LIC PREMIUM JAN"], D("-8420.00")),
    ]
    rows = running(opening, [(d, " ".join(lines), a) for d, _, lines, a in items])
    closing = last_balance(rows)
    deposits = sum((a for *_, a in items if a > 0), D(0))
    withdrawals = -sum((a for *_, a in items if a < 0), D(0))
    cols = (15, 37, 52, 142, 170, 198)

    def header(page: int) -> float:
        s.text(15, 14, "ICICI Bank", bold=True, size=14)
        s.text(110, 14, "Savings Account  XXXXXXXX4567", size=7)
        s.text(110, 18, "Customer ID  5XXXXX12", size=7)
        s.text(15, 286, "Please call from your registered mobile number. www.icicibank.com", size=6)
        y = 30
        if page == 1:
            s.text(15, 28, "MR. ARJUN MEHTA")
            s.text(15, 32, "FLAT 12, SUNRISE APTS, ANDHERI EAST, MUMBAI 400069")
            s.text(
                15, 42, "Statement of Transactions in Savings Account Number: 000401234567 in INR", bold=True
            )
            s.text(15, 46, "for the period December 15, 2023 - January 14, 2024", bold=True)
            y = 56
        s.text(cols[0], y, "DATE", bold=True)
        s.text(cols[1], y, "MODE**", bold=True)
        s.text(cols[2], y, "PARTICULARS", bold=True)
        s.right(cols[3], y, "DEPOSITS", bold=True)
        s.right(cols[4], y, "WITHDRAWALS", bold=True)
        s.right(cols[5], y, "BALANCE", bold=True)
        return y + 6

    flow = Flow(s, header, 262, first_bottom=120)
    y = flow.need(5)
    s.text(cols[0], y, "15-12-2023")
    s.text(cols[2], y, "B/F")
    s.right(cols[5], y, lakh(opening))
    for (day, mode, lines, amount), row in zip(items, rows, strict=True):
        y = flow.need(3.8 * len(lines) + 1.5)
        s.text(cols[0], y, day.strftime("%d-%m-%Y"))
        s.text(cols[1], y, mode)
        for k, line in enumerate(lines):
            s.text(cols[2], y + 3.8 * k, line)
        s.right(cols[3] if amount > 0 else cols[4], y, lakh(amount))
        s.right(cols[5], y, lakh(last_balance([row])))
    y = flow.need(14)
    s.text(cols[2], y + 1, "TOTAL", bold=True)
    s.right(cols[3], y + 1, lakh(deposits), bold=True)
    s.right(cols[4], y + 1, lakh(withdrawals), bold=True)
    s.text(
        15, y + 7, "**Legends for transactions in the MODE column: UPI - Unified Payments Interface;", size=6
    )
    s.text(15, y + 10, "NEFT - National Electronic Funds Transfer; ATM - Cash withdrawal at an ATM", size=6)
    number_pages(s, "Page {page} of {pages}", 196, 286)
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- Ziraat Bankası (TR): Tarih / Saat / Açıklama / Borç / Alacak / Bakiye, dd.mm.yyyy, 1.234,56 TL ---


def write_ziraat(path: Path) -> Truth:
    s = Sheet("A4", 7.5)
    opening = D("18452.30")
    # (date, time, description lines, left-out lines (foreign amount), signed amount)
    items: list[tuple[date, str, list[str], list[str], Decimal]] = [
        (date(2023, 12, 18), "09:14", ["ATM PARA ÇEKME", "KIZILAY ŞUBESİ ATM"], [], D("-2000.00")),
        (date(2023, 12, 20), "14:32", ["POS SATIŞ MİGROS TİCARET A.Ş.", "ANKARA"], [], D("-1247.85")),
        (date(2023, 12, 22), "10:05", ["GELEN EFT AHMET YILMAZ", "KİRA PAYI ARALIK"], [], D("7500.00")),
        (date(2023, 12, 26), "23:41", ["YURTDIŞI POS NETFLIX.COM"], ["USD 15,49 KUR 29,4512"], D("-456.20")),
        (date(2023, 12, 29), "08:00", ["MAAŞ ÖDEMESİ", "ANKARA BÜYÜKŞEHİR BELEDİYESİ"], [], D("38250.00")),
        (date(2024, 1, 2), "11:18", ["FATURA ÖDEMESİ", "BAŞKENT DOĞALGAZ"], [], D("-1840.60")),
        (date(2024, 1, 3), "16:47", ["GİDEN FAST ZEYNEP KAYA", "DOĞUM GÜNÜ"], [], D("-750.00")),
        (date(2024, 1, 5), "12:09", ["KREDİ KARTI ÖDEMESİ", "BANKKART **** 5678"], [], D("-12480.35")),
        (date(2024, 1, 9), "19:26", ["POS SATIŞ TRENDYOL", "İSTANBUL"], [], D("-899.99")),
        (date(2024, 1, 12), "00:00", ["HESAP İŞLETİM ÜCRETİ", "BSMV DAHİL"], [], D("-52.50")),
    ]
    rows = running(opening, [(d, " ".join(lines), a) for d, _, lines, _, a in items])
    closing = last_balance(rows)
    debit = -sum((a for *_, a in items if a < 0), D(0))
    credit = sum((a for *_, a in items if a > 0), D(0))
    cols = (15, 34, 46, 140, 167, 196)

    def header(page: int) -> float:
        s.text(15, 14, "T.C. ZİRAAT BANKASI A.Ş.", bold=True, size=11)
        s.text(120, 14, "HESAP EKSTRESİ", bold=True)
        s.text(120, 18, "Dönem: 15.12.2023 - 14.01.2024")
        s.text(120, 22, "IBAN: TR12 0001 0012 3456 7890 1234 56", size=7)
        s.text(
            15,
            286,
            "Ziraat Bankası A.Ş. Genel Müdürlük: Finanskent Mah. Finans Cad. No:44A Ümraniye/İSTANBUL",
            size=6,
        )
        y = 32
        if page == 1:
            s.text(15, 30, "Müşteri Adı: MEHMET DEMİR")
            s.text(15, 34, "Müşteri No: 123456789   Şube: KIZILAY / ANKARA (0123)")
            s.text(15, 38, "Hesap Türü: VADESİZ TL   Para Birimi: TL")
            s.text(120, 30, "Önceki Bakiye")
            s.right(196, 30, f"{eu(opening)} TL")
            s.text(120, 34, "Toplam Borç")
            s.right(196, 34, f"{eu(debit)} TL")
            s.text(120, 38, "Toplam Alacak")
            s.right(196, 38, f"{eu(credit)} TL")
            s.text(120, 42, "Son Bakiye", bold=True)
            s.right(196, 42, f"{eu(closing)} TL", bold=True)
            y = 54
        s.text(cols[0], y, "Tarih", bold=True)
        s.text(cols[1], y, "Saat", bold=True)
        s.text(cols[2], y, "Açıklama", bold=True)
        s.right(cols[3], y, "Borç", bold=True)
        s.right(cols[4], y, "Alacak", bold=True)
        s.right(cols[5], y, "Bakiye", bold=True)
        return y + 6

    state = {"balance": opening}

    def leave(y: float) -> None:
        s.text(cols[2], y + 1, "NAKLİ YEKÜN", bold=True)
        s.right(cols[5], y + 1, eu(state["balance"]), bold=True)

    def enter(y: float) -> float:
        s.text(cols[2], y, "NAKLİ YEKÜN", bold=True)
        s.right(cols[5], y, eu(state["balance"]), bold=True)
        return y + 5

    flow = Flow(s, header, 272, leave=leave, enter=enter, first_bottom=115)
    y = flow.need(5)
    s.text(cols[0], y, "15.12.2023")
    s.text(cols[2], y, "DEVİR BAKİYESİ")
    s.right(cols[5], y, eu(opening))
    for (day, time, lines, extra, amount), row in zip(items, rows, strict=True):
        y = flow.need(3.8 * (len(lines) + len(extra)) + 1.5)
        s.text(cols[0], y, day.strftime("%d.%m.%Y"))
        s.text(cols[1], y, time)
        for k, line in enumerate(lines + extra):
            s.text(cols[2], y + 3.8 * k, line, size=6.5 if line in extra else None)
        s.right(cols[3] if amount < 0 else cols[4], y, eu(amount))
        s.right(cols[5], y, eu(last_balance([row])))
        state["balance"] = last_balance([row])
    y = flow.need(6)
    s.text(cols[2], y + 1, "TOPLAM", bold=True)
    s.right(cols[3], y + 1, eu(debit), bold=True)
    s.right(cols[4], y + 1, eu(credit), bold=True)
    number_pages(s, "Sayfa {page} / {pages}", 196, 286)
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- KBC (BE): numbered entries, Datum / Valuta, trailing +/- signs, Vorig / Nieuw saldo ------------


def write_kbc(path: Path) -> Truth:
    s = Sheet("A4", 7.5)
    opening = D("2345.67")
    # (date, value date, description lines, signed amount)
    items: list[tuple[date, date, list[str], Decimal]] = [
        (
            date(2023, 12, 29),
            date(2023, 12, 29),
            ["BETALING MET DEBETKAART NUMMER 4871 04XX XXXX 1234", "DELHAIZE LEUVEN 28-12-2023 OM 17.32 UUR"],
            D("-64.18"),
        ),
        (
            date(2024, 1, 2),
            date(2024, 1, 2),
            [
                "EUROPESE OVERSCHRIJVING NAAR BE71 0961 2345 6769",
                "MEVR. AN JANSSENS",
                "MEDEDELING: HUUR JANUARI",
            ],
            D("-850.00"),
        ),
        (
            date(2024, 1, 3),
            date(2024, 1, 2),
            ["EUROPESE DOMICILIERING", "PROXIMUS NV  REF. 1234567890"],
            D("-52.99"),
        ),
        (
            date(2024, 1, 5),
            date(2024, 1, 5),
            ["STORTING VAN BE68 5390 0754 7034", "ACME BELGIUM NV", "MEDEDELING: LOON DECEMBER"],
            D("2680.45"),
        ),
        (
            date(2024, 1, 8),
            date(2024, 1, 6),
            ["GELDOPNEMING AAN ONZE AUTOMATEN", "KBC LEUVEN LADEUZEPLEIN 06-01-2024"],
            D("-100.00"),
        ),
        (
            date(2024, 1, 9),
            date(2024, 1, 9),
            [
                "BETALING MET DEBETKAART NUMMER 4871 04XX XXXX 1234",
                "BOL.COM UTRECHT NL 08-01-2024 OM 21.04 UUR",
            ],
            D("-37.50"),
        ),
        (
            date(2024, 1, 10),
            date(2023, 12, 31),
            ["AANREKENING BEHEERSKOSTEN", "KBC-PLUSREKENING 4E KWARTAAL 2023"],
            D("-7.50"),
        ),
    ]
    rows = [Row(d, " ".join(lines), a) for d, _, lines, a in items]
    closing = opening + sum((a for *_, a in items), D(0))

    def signed(amount: Decimal) -> str:
        return eu(amount) + (" -" if amount < 0 else " +")

    cols = (15, 28, 48, 152, 196)
    s.new_page()
    s.text(15, 15, "KBC", bold=True, size=16)
    s.text(15, 20, "KBC Bank NV, Havenlaan 2, 1080 Brussel  BTW BE 0462.920.226", size=6)
    s.text(120, 15, "Rekeninguittreksel nr. 1 van 2024", bold=True)
    s.text(120, 19, "KBC-Plusrekening  BE68 7340 1234 5634")
    s.text(120, 23, "BIC KREDBEBB   Munt EUR")
    s.text(15, 32, "DHR. PIETER PEETERS")
    s.text(15, 36, "NAAMSESTRAAT 12, 3000 LEUVEN")
    y = 50
    s.text(cols[0], y, "Vorig saldo op 28-12-2023", bold=True)
    s.right(cols[4], y, signed(opening), bold=True)
    y += 8
    s.text(cols[0], y, "Nr.", bold=True)
    s.text(cols[1], y, "Datum", bold=True)
    s.text(cols[2], y, "Omschrijving", bold=True)
    s.text(cols[3] - 12, y, "Valuta", bold=True)
    s.right(cols[4], y, "Bedrag", bold=True)
    y += 6
    for number, (day, value, lines, amount) in enumerate(items, start=1):
        s.text(cols[0], y, f"{number:04d}")
        s.text(cols[1], y, day.strftime("%d-%m-%Y"))
        for k, line in enumerate(lines):
            s.text(cols[2], y + 3.8 * k, line)
        s.text(cols[3] - 12, y, value.strftime("%d-%m"))
        s.right(cols[4], y, signed(amount))
        y += 3.8 * len(lines) + 2
    y += 3
    s.text(cols[0], y, "Nieuw saldo op 10-01-2024", bold=True)
    s.right(cols[4], y, signed(closing), bold=True)
    y += 5
    total_debit = -sum((a for *_, a in items if a < 0), D(0))
    total_credit = sum((a for *_, a in items if a > 0), D(0))
    s.text(cols[2], y, "Totaal debet")
    s.right(cols[4], y, eu(total_debit))
    s.text(cols[2], y + 4, "Totaal credit")
    s.right(cols[4], y + 4, eu(total_credit))
    s.text(15, 284, "Bewaar dit uittreksel. Vragen? KBC Live 016 43 25 92", size=6)
    s.right(196, 284, "Blad 1/1", size=6)
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- Nubank (BR card, fatura): "18 DEZ" dates, R$ 1.234,56, installments, an IOF line, year turns ---


def write_nubank(path: Path) -> Truth:
    s = Sheet("A4", 8)
    previous = D("980.10")
    # (date, description, left-out line (foreign amount), amount as printed: credits negative)
    items: list[tuple[date, str, str, Decimal]] = [
        (date(2023, 12, 10), "Pagamento recebido", "", D("-980.10")),
        (date(2023, 12, 11), "Ifood *Ifood", "", D("45.90")),
        (date(2023, 12, 14), "Magazine Luiza - Parcela 3/10", "", D("129.90")),
        (date(2023, 12, 18), "Uber *Trip", "", D("23.47")),
        (date(2023, 12, 22), "Netflix.Com", "USD 9,99  Conversão: USD 1 = R$ 4,9370", D("49.32")),
        (date(2023, 12, 22), 'IOF de "Netflix.Com"', "", D("2.16")),
        (date(2023, 12, 27), "Pão de Açúcar - Pinheiros", "", D("187.64")),
        (date(2024, 1, 2), "Posto Ipiranga Av Reboucas", "", D("210.00")),
        (date(2024, 1, 5), "Estorno Uber *Trip", "", D("-23.47")),
        (date(2024, 1, 6), "Spotify", "", D("21.90")),
    ]
    total = previous + sum((a for *_, a in items), D(0))
    purchases = sum((a for *_, a in items if a > 0), D(0))
    months = ["JAN", "FEV", "MAR", "ABR", "MAI", "JUN", "JUL", "AGO", "SET", "OUT", "NOV", "DEZ"]

    def brl(amount: Decimal) -> str:
        return ("-" if amount < 0 else "") + "R$ " + eu(amount)

    def footer(page: int) -> None:
        s.text(15, 285, "Nu Pagamentos S.A. - Instituição de Pagamento. CNPJ 18.236.120/0001-58", size=6)

    footer(s.new_page())
    s.text(15, 16, "nu", bold=True, size=20)
    s.text(120, 14, "FATURA 08 JAN 2024", bold=True)
    s.text(120, 18, "EMISSÃO E ENVIO 01 JAN 2024")
    s.text(15, 32, "Olá, Maria.", bold=True, size=10)
    s.text(15, 38, f"Esta é a sua fatura de janeiro, no valor de {brl(total)}")
    s.text(15, 44, "Data do vencimento: 15 JAN 2024")
    s.text(15, 48, "Limite total do cartão de crédito: R$ 5.000,00")
    s.text(15, 60, "RESUMO DA FATURA ATUAL", bold=True)
    summary = [
        ("Fatura anterior", brl(previous)),
        ("Pagamento recebido", brl(D("-980.10"))),
        ("Total de compras de todos os cartões", brl(purchases)),
        ("Outros lançamentos", brl(D("-23.47"))),
        ("Total a pagar", brl(total)),
    ]
    for k, (label, value) in enumerate(summary):
        s.text(15, 66 + 4.5 * k, label, bold=k == len(summary) - 1)
        s.right(110, 66 + 4.5 * k, value, bold=k == len(summary) - 1)
    s.text(15, 100, "Pagamento mínimo: R$ 184,95", size=7)
    footer(s.new_page())
    s.text(15, 16, "nu", bold=True, size=14)
    s.text(15, 26, "TRANSAÇÕES", bold=True, size=10)
    s.text(15, 31, "DE 08 DEZ A 08 JAN", size=7)
    s.right(196, 31, "VALORES EM R$", size=7)
    y = 42
    for day, text, extra, amount in items:
        s.text(15, y, f"{day.day:02d} {months[day.month - 1]}")
        s.text(36, y, "•••• 4321" if amount > 0 and not text.startswith("IOF") else "", size=6.5)
        s.text(56, y, text)
        s.right(196, y, eu(amount) if amount > 0 else "-" + eu(amount))
        if extra:
            s.text(56, y + 3.6, extra, size=6.5)
            y += 3.6
        y += 6
    number_pages(s, "{page} de {pages}", 196, 285)
    s.save(path)
    rows = [Row(d, text, -a) for d, text, _, a in items]
    return Truth(tuple(rows), -previous, -total)


# --- Halifax (UK credit card): Date of transaction / Date entered / Reference, CR credits, year turns -


def write_halifax_card(path: Path) -> Truth:
    s = Sheet("A4", 7.5)
    previous = D("1045.20")
    # (transaction date, date entered, reference, description, left-out lines, amount: credits negative)
    items: list[tuple[date, date, str, str, list[str], Decimal]] = [
        (date(2023, 12, 16), date(2023, 12, 18), "24492163352", "SAINSBURYS S/MKT CROYDON", [], D("43.18")),
        (
            date(2023, 12, 19),
            date(2023, 12, 19),
            "00000000000",
            "PAYMENT RECEIVED - THANK YOU",
            [],
            D("-1045.20"),
        ),
        (
            date(2023, 12, 21),
            date(2023, 12, 22),
            "74254643362",
            "AMAZON.DE AMAZON.DE LU",
            ["EUR 45.00 @ 1.1612 (EXCHANGE RATE)"],
            D("38.75"),
        ),
        (
            date(2023, 12, 22),
            date(2023, 12, 22),
            "00000000000",
            "NON-STERLING TRANSACTION FEE",
            [],
            D("1.07"),
        ),
        (
            date(2023, 12, 28),
            date(2023, 12, 29),
            "24492163998",
            "JOHN LEWIS OXFORD ST LONDON",
            [],
            D("249.00"),
        ),
        (
            date(2024, 1, 3),
            date(2024, 1, 4),
            "24492164421",
            "JOHN LEWIS OXFORD ST LONDON REFUND",
            [],
            D("-49.00"),
        ),
        (date(2024, 1, 6), date(2024, 1, 8), "74254644187", "TRAINLINE.COM LONDON", [], D("87.40")),
        (date(2024, 1, 10), date(2024, 1, 11), "24492164877", "COSTA COFFEE 43012 CROYDON", [], D("4.35")),
    ]
    new_balance = previous + sum((a for *_, a in items), D(0))
    credits = -sum((a for *_, a in items if a < 0), D(0))
    debits = sum((a for *_, a in items if a > 0), D(0))

    def owed(amount: Decimal) -> str:
        return us(amount) + ("CR" if amount < 0 else "")

    cols = (15, 38, 60, 85, 196)

    def header(page: int) -> float:
        s.text(15, 14, "HALIFAX", bold=True, size=14)
        s.text(120, 14, "Credit Card Statement", bold=True)
        s.text(120, 18, "Statement date 14 January 2024")
        s.text(120, 22, "Card number 5213 **** **** 9876")
        s.text(
            15,
            286,
            "Halifax is a division of Bank of Scotland plc. Registered in Scotland No. SC327000.",
            size=6,
        )
        y = 34
        if page == 1:
            s.text(15, 32, "MR DAVID EVANS")
            s.text(15, 36, "4 CHURCH ROAD, CROYDON CR0 1AB")
            box = [
                ("Previous balance", "£" + us(previous)),
                ("Payments and credits", "£" + us(credits)),
                ("New transactions, fees and interest", "£" + us(debits)),
                ("New balance", "£" + us(new_balance)),
                ("Credit limit", "£4,500.00"),
                ("Available credit", "£" + us(D("4500") - new_balance)),
                ("Minimum payment", "£25.00"),
                ("Payment due by", "08 February 2024"),
            ]
            for k, (label, value) in enumerate(box):
                s.text(120, 32 + 4 * k, label, size=7)
                s.right(196, 32 + 4 * k, value, size=7)
            s.text(15, 72, "Your transactions", bold=True, size=9)
            y = 80
        s.text(cols[0], y, "Date of", bold=True)
        s.text(cols[1], y, "Date", bold=True)
        s.text(cols[0], y + 3.5, "transaction", bold=True)
        s.text(cols[1], y + 3.5, "entered", bold=True)
        s.text(cols[2], y + 3.5, "Reference", bold=True)
        s.text(cols[3], y + 3.5, "Description", bold=True)
        s.right(cols[4], y + 3.5, "Amount £", bold=True)
        return y + 9

    flow = Flow(s, header, 272, first_bottom=125)
    for tdate, entered, ref, text, extra, amount in items:
        y = flow.need(4.5 + 3.4 * len(extra))
        s.text(cols[0], y, tdate.strftime("%d %b %y"))
        s.text(cols[1], y, entered.strftime("%d %b %y"))
        s.text(cols[2], y, ref)
        s.text(cols[3], y, text)
        s.right(cols[4], y, owed(amount))
        for k, line in enumerate(extra):
            s.text(cols[3], y + 3.4 * (k + 1), line, size=6.5)
    y = flow.need(16)
    s.text(cols[3], y + 2, "Interest rates", bold=True)
    s.text(cols[3], y + 6, "Purchases  23.94%  Monthly 1.803%", size=7)
    s.text(cols[3], y + 10, "Interest charged this month  £0.00", size=7)
    number_pages(s, "Page {page} of {pages}", 196, 286)
    s.save(path)
    rows = [Row(t, text, -a) for t, _, _, text, _, a in items]
    return Truth(tuple(rows), -previous, -new_balance)


# --- A fifth set: banks of other currencies and languages, page furniture that interrupts tables ---


def page_totals_flow(
    s: Sheet,
    header: Callable[[int], float],
    bottom: float,
    first_bottom: float,
    draw: Callable[[float], None],
) -> tuple[Flow, dict[str, Decimal]]:
    """A :class:`Flow` whose ``leave`` hands ``draw`` the y of a page's totals line; the dict holds the
    page's sums (``out``, ``in``), reset on each new page."""
    sums = {"out": D(0), "in": D(0)}

    def leave(y: float) -> None:
        draw(y)
        sums["out"], sums["in"] = D(0), D(0)

    return Flow(s, header, bottom, leave=leave, first_bottom=first_bottom), sums


# --- ANZ (AU): Withdrawals ($) / Deposits ($) / Balance ($), "18 DEC", totals at the end of each page -


def write_anz(path: Path) -> Truth:
    s = Sheet("A4", 7.5)
    opening = D("2841.09")
    # (date, description lines, left-out lines (effective date), signed amount)
    items: list[tuple[date, list[str], list[str], Decimal]] = [
        (
            date(2023, 12, 18),
            ["VISA DEBIT PURCHASE CARD 4567", "WOOLWORTHS 1234 SYDNEY"],
            ["EFFECTIVE DATE 16/12/2023"],
            D("-112.46"),
        ),
        (date(2023, 12, 18), ["PAYMENT TO SYDNEY WATER"], [], D("-98.50")),
        (date(2023, 12, 20), ["PAY/SALARY FROM ACME PTY LTD", "SALARY 0001234567"], [], D("3412.80")),
        (
            date(2023, 12, 20),
            ["ANZ INTERNET BANKING FUNDS TFER", "TRANSFER 482913 TO 012345678"],
            [],
            D("-500.00"),
        ),
        (
            date(2023, 12, 22),
            ["VISA DEBIT PURCHASE CARD 4567", "UBER *TRIP HELP.UBER.COM"],
            ["EFFECTIVE DATE 21/12/2023"],
            D("-23.90"),
        ),
        (date(2023, 12, 27), ["ANZ ATM CIRCULAR QUAY NSW"], [], D("-200.00")),
        (date(2023, 12, 28), ["TRANSFER FROM J CITIZEN", "XMAS DINNER"], [], D("65.00")),
        (date(2023, 12, 29), ["DIRECT DEBIT 123456 AGL SALES PTY"], [], D("-187.35")),
        (
            date(2024, 1, 2),
            ["VISA DEBIT PURCHASE CARD 4567", "COLES 0456 BONDI JUNCTION"],
            ["EFFECTIVE DATE 31/12/2023"],
            D("-86.12"),
        ),
        (date(2024, 1, 2), ["PAYMENT TO RAY WHITE RENTALS", "RENT JAN UNIT 4"], [], D("-2380.00")),
        (date(2024, 1, 3), ["EFTPOS PURCHASE OPAL TRANSPORT", "CHATSWOOD AU"], [], D("-50.00")),
        (date(2024, 1, 4), ["PAY/SALARY FROM ACME PTY LTD", "SALARY 0001234567"], [], D("3412.80")),
        (date(2024, 1, 5), ["DIRECT DEBIT 998877 TELSTRA CORP"], [], D("-89.00")),
        (
            date(2024, 1, 8),
            ["VISA DEBIT PURCHASE CARD 4567", "JB HI FI BROADWAY"],
            ["EFFECTIVE DATE 06/01/2024"],
            D("-1299.00"),
        ),
        (date(2024, 1, 9), ["ANZ INTERNET BANKING BPAY", "NRMA INSURANCE {123456}"], [], D("-642.18")),
        (date(2024, 1, 10), ["TRANSFER FROM SAVINGS 012345678"], [], D("400.00")),
        (
            date(2024, 1, 11),
            ["VISA DEBIT PURCHASE CARD 4567", "DAN MURPHYS 4312 ALEXANDRIA"],
            [],
            D("-54.99"),
        ),
        (date(2024, 1, 12), ["OSKO PAYMENT TO M NGUYEN", "CONCERT TICKETS"], [], D("-120.00")),
        (date(2024, 1, 15), ["ACCOUNT SERVICING FEE"], [], D("-5.00")),
        (date(2024, 1, 15), ["CREDIT INTEREST PAID"], [], D("0.87")),
    ]
    rows = running(opening, [(d, " ".join(lines), a) for d, lines, _, a in items])
    closing = last_balance(rows)
    withdrawals = -sum((a for *_, a in items if a < 0), D(0))
    deposits = sum((a for *_, a in items if a > 0), D(0))
    cols = (15, 33, 142, 168, 196)

    def header(page: int) -> float:
        s.text(15, 14, "ANZ", bold=True, size=16)
        s.text(110, 14, "Statement", bold=True, size=10)
        s.text(110, 19, "Statement starts 16 December 2023")
        s.text(110, 23, "Statement ends 15 January 2024")
        s.text(110, 27, "ANZ ACCESS ADVANTAGE  BSB 012-345  Account 1234-56789")
        _page_footer(
            s, "Australia and New Zealand Banking Group Limited ABN 11 005 357 522", f"Page {page} of 3"
        )
        y = 38
        if page == 1:
            s.text(15, 34, "MR JOHN CITIZEN")
            s.text(15, 38, "12 SAMPLE ST, SURRY HILLS NSW 2010")
            summary = [
                ("Opening Balance", us(opening, dollar="$")),
                ("Total Deposits", "+ " + us(deposits, dollar="$")),
                ("Total Withdrawals", "- " + us(withdrawals, dollar="$")),
                ("Closing Balance", "= " + us(closing, dollar="$")),
            ]
            for k, (label, value) in enumerate(summary):
                s.text(110, 36 + 4 * k, label)
                s.right(196, 36 + 4 * k, value)
            s.text(15, 60, "Transaction Details", bold=True, size=9)
            y = 66
        s.text(cols[0], y, "Date", bold=True)
        s.text(cols[1], y, "Transaction Details", bold=True)
        s.right(cols[2], y, "Withdrawals ($)", bold=True)
        s.right(cols[3], y, "Deposits ($)", bold=True)
        s.right(cols[4], y, "Balance ($)", bold=True)
        return y + 6

    def totals(y: float) -> None:
        s.text(cols[1], y + 1, "TOTALS AT END OF PAGE", bold=True)
        s.right(cols[2], y + 1, us(sums["out"], dollar="$"), bold=True)
        s.right(cols[3], y + 1, us(sums["in"], dollar="$"), bold=True)

    flow, sums = page_totals_flow(s, header, 150, 130, totals)
    y = flow.need(5)
    s.text(cols[0], y, "16 DEC")
    s.text(cols[1], y, "OPENING BALANCE")
    s.right(cols[4], y, us(opening))
    for (day, lines, extra, amount), row in zip(items, rows, strict=True):
        y = flow.need(3.8 * (len(lines) + len(extra)) + 1.5)
        s.text(cols[0], y, f"{day.day:02d} {day:%b}".upper())
        for k, line in enumerate(lines):
            s.text(cols[1], y + 3.8 * k, line)
        for k, line in enumerate(extra):
            s.text(cols[1], y + 3.8 * (len(lines) + k), line, size=6.5)
        s.right(cols[2] if amount < 0 else cols[3], y, us(amount))
        s.right(cols[4], y, us(last_balance([row])))
        sums["out" if amount < 0 else "in"] += abs(amount)
    y = flow.need(12)
    s.text(cols[1], y + 1, "TOTALS AT END OF PERIOD", bold=True)
    s.right(cols[2], y + 1, us(withdrawals, dollar="$"), bold=True)
    s.right(cols[3], y + 1, us(deposits, dollar="$"), bold=True)
    s.text(cols[0], y + 6, "15 JAN")
    s.text(cols[1], y + 6, "CLOSING BALANCE", bold=True)
    s.right(cols[4], y + 6, us(closing), bold=True)
    assert s.pages == 3
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- Emirates NBD (AE): AED, Posting / Value columns with no "Date" label, the header repeated as a
# page's last line with its rows on the next page ---------------------------------------------------


def write_emirates_nbd(path: Path) -> Truth:
    s = Sheet("A4", 7.5)
    opening = D("18250.40")
    items: list[tuple[date, date, list[str], Decimal]] = [
        (
            date(2024, 1, 2),
            date(2024, 1, 1),
            ["POS-PURCHASE CARD NO.4XXXXXXXXXXX1234", "CARREFOUR MOE DUBAI:AE"],
            D("-412.75"),
        ),
        (date(2024, 1, 3), date(2024, 1, 3), ["DEWA BILL PAYMENT 2001234567"], D("-685.20")),
        (date(2024, 1, 4), date(2024, 1, 4), ["SALIK RECHARGE 30112233"], D("-200.00")),
        (
            date(2024, 1, 5),
            date(2024, 1, 5),
            ["ATM CASH WITHDRAWAL ENBD ATM 0456", "DUBAI MALL"],
            D("-1000.00"),
        ),
        (
            date(2024, 1, 8),
            date(2024, 1, 8),
            ["IPP OUTWARD TRANSFER REF 24008123456", "TO AHMED KHAN RENT SHARE"],
            D("-3500.00"),
        ),
        (
            date(2024, 1, 10),
            date(2024, 1, 9),
            ["POS-PURCHASE CARD NO.4XXXXXXXXXXX1234", "NOON.COM DUBAI:AE"],
            D("-249.00"),
        ),
        (date(2024, 1, 12), date(2024, 1, 12), ["ETISALAT POSTPAID 0501234567"], D("-375.00")),
        (
            date(2024, 1, 15),
            date(2024, 1, 15),
            ["INWARD REMITTANCE REF FT24015778812", "FROM PRIYA NAIR"],
            D("1500.00"),
        ),
        (
            date(2024, 1, 22),
            date(2024, 1, 21),
            ["POS-PURCHASE CARD NO.4XXXXXXXXXXX1234", "ENOC 1024 AL BARSHA DUBAI:AE"],
            D("-160.50"),
        ),
        (
            date(2024, 1, 25),
            date(2024, 1, 25),
            ["SALARY CREDIT ACME FZ LLC", "JAN 2024 PAYROLL"],
            D("24500.00"),
        ),
        (date(2024, 1, 28), date(2024, 1, 28), ["CREDIT CARD PAYMENT 5XXXXXXXXXXX9876"], D("-6120.35")),
        (date(2024, 1, 31), date(2024, 1, 31), ["VAT ON CHARGES"], D("-1.25")),
    ]
    rows = running(opening, [(d, " ".join(lines), a) for d, _, lines, a in items])
    closing = last_balance(rows)
    debits = -sum((a for *_, a in items if a < 0), D(0))
    credits = sum((a for *_, a in items if a > 0), D(0))
    cols = (15, 36, 57, 140, 166, 196)

    def table_header(y: float) -> None:
        s.text(cols[0], y, "Posting", bold=True)
        s.text(cols[1], y, "Value", bold=True)
        s.text(cols[2], y, "Description", bold=True)
        s.right(cols[3], y, "Debit", bold=True)
        s.right(cols[4], y, "Credit", bold=True)
        s.right(cols[5], y, "Balance", bold=True)

    def header(page: int) -> float:
        s.text(15, 14, "Emirates NBD", bold=True, size=13)
        s.text(120, 14, "STATEMENT OF ACCOUNT", bold=True)
        s.text(120, 18, "Account Number 1012345678901  Currency AED")
        s.text(120, 22, "From 01/01/2024 To 31/01/2024")
        _page_footer(s, "Emirates NBD Bank (P.J.S.C.), P.O. Box 777, Dubai, UAE", f"Page {page}")
        if page == 1:
            s.text(15, 32, "MR SAMEER KHAN")
            s.text(15, 36, "P.O. BOX 12345, DUBAI, UNITED ARAB EMIRATES")
            s.text(120, 30, "IBAN AE07 0260 0010 1234 5678 901", size=7)
            summary = [
                ("Opening Balance", us(opening)),
                ("Total Debits", us(debits)),
                ("Total Credits", us(credits)),
                ("Closing Balance", us(closing)),
            ]
            for k, (label, value) in enumerate(summary):
                s.text(120, 36 + 4 * k, label)
                s.right(196, 36 + 4 * k, f"AED {value}")
            table_header(62)
            return 68
        return 34  # the rows go on under the header printed at the foot of the page before

    def leave(y: float) -> None:
        table_header(y + 2)

    flow = Flow(s, header, 270, leave=leave, first_bottom=110)
    y = flow.need(5)
    s.text(cols[2], y, "Opening Balance", bold=True)
    s.right(cols[5], y, us(opening), bold=True)
    for (day, valued, lines, amount), row in zip(items, rows, strict=True):
        y = flow.need(3.8 * len(lines) + 1.8)
        s.text(cols[0], y, day.strftime("%d/%m/%Y"))
        s.text(cols[1], y, valued.strftime("%d/%m/%Y"))
        for k, line in enumerate(lines):
            s.text(cols[2], y + 3.8 * k, line)
        s.right(cols[3] if amount < 0 else cols[4], y, us(amount))
        s.right(cols[5], y, us(last_balance([row])))
    y = flow.need(6)
    s.text(cols[2], y + 1, "Closing Balance", bold=True)
    s.right(cols[5], y + 1, us(closing), bold=True)
    assert s.pages == 2
    s.save(path)
    return Truth(tuple(rows), opening, closing)


DUTCH_MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


# --- ABN AMRO (NL): Boekdatum "04 mrt", Bij before Af, SEPA detail lines, Vorig / Nieuw saldo -------


def write_abn_amro(path: Path) -> Truth:
    s = Sheet("A4", 7.5)
    opening = D("1874.52")
    items: list[tuple[date, list[str], Decimal]] = [
        (
            date(2024, 3, 1),
            ["BEA, Betaalpas", "Albert Heijn 1234,PAS123", "NR:AB12C3, 01.03.24/17:42", "AMSTERDAM"],
            D("-42.18"),
        ),
        (
            date(2024, 3, 1),
            [
                "SEPA Overboeking  IBAN: NL91RABO0315273637",
                "BIC: RABONL2U  Naam: J DE VRIES",
                "Omschrijving: HUUR MAART",
            ],
            D("-1125.00"),
        ),
        (
            date(2024, 3, 4),
            [
                "SEPA Incasso algemeen doorlopend  Incassant: NL71ZZZ302086390000",
                "Naam: VATTENFALL KLANTENSERVICE",
                "Omschrijving: TERMIJNBEDRAG MAART",
            ],
            D("-118.00"),
        ),
        (
            date(2024, 3, 5),
            [
                "SEPA Overboeking  IBAN: NL20INGB0001234567",
                "BIC: INGBNL2A  Naam: WERKGEVER BV",
                "Omschrijving: SALARIS MAART",
            ],
            D("3288.41"),
        ),
        (date(2024, 3, 8), ["BEA, Betaalpas", "NS GROEP IZ NS REIZIGERS", "UTRECHT"], D("-23.60")),
        (
            date(2024, 3, 12),
            ["GEA, Betaalpas", "ABN AMRO BANK AMSTERDAM", "NR:S1A123, 12.03.24/10:05"],
            D("-70.00"),
        ),
        (
            date(2024, 3, 18),
            [
                "SEPA Overboeking  IBAN: NL44RABO0123456789",
                "BIC: RABONL2U  Naam: M JANSEN",
                "Omschrijving: ETENTJE",
            ],
            D("31.50"),
        ),
        (date(2024, 3, 25), ["BEA, Betaalpas", "BOL.COM", "UTRECHT"], D("-899.00")),
        (date(2024, 3, 29), ["ABN AMRO Bank N.V.", "BasisPakket", "Kosten 1 feb t/m 29 feb"], D("-3.95")),
    ]
    closing = opening + sum((a for *_, a in items), D(0))
    paid_out = -sum((a for *_, a in items if a < 0), D(0))
    paid_in = sum((a for *_, a in items if a > 0), D(0))
    cols = (15, 34, 140, 168)

    def header(page: int) -> float:
        s.text(15, 14, "ABN·AMRO", bold=True, size=13)
        s.text(110, 14, "Rekeningafschrift", bold=True, size=10)
        s.text(110, 19, "Rekeningnummer NL02 ABNA 0123 4567 89")
        s.text(110, 23, "Periode 1 maart 2024 t/m 31 maart 2024")
        _page_footer(s, "ABN AMRO Bank N.V., Gustav Mahlerlaan 10, 1082 PP Amsterdam", f"Blad {page}")
        y = 32
        if page == 1:
            s.text(15, 32, "DHR J JANSEN")
            s.text(15, 36, "KERKSTRAAT 1, 1017 GA AMSTERDAM")
            y = 48
        s.text(cols[0], y, "Boekdatum", bold=True)
        s.text(cols[1], y, "Omschrijving", bold=True)
        s.right(cols[2], y, "Bij", bold=True)
        s.right(cols[3], y, "Af", bold=True)
        return y + 6

    flow = Flow(s, header, 270, first_bottom=110)
    y = flow.need(6)
    s.text(cols[1], y, "Vorig saldo", bold=True)
    s.right(cols[2], y, eu(opening), bold=True)
    for day, lines, amount in items:
        y = flow.need(3.7 * len(lines) + 2)
        s.text(cols[0], y, f"{day.day:02d} {DUTCH_MONTHS[day.month - 1]}")
        for k, line in enumerate(lines):
            s.text(cols[1], y + 3.7 * k, line)
        s.right(cols[3] if amount < 0 else cols[2], y, eu(amount))
    y = flow.need(12)
    s.text(cols[1], y + 1, "Totaal", bold=True)
    s.right(cols[2], y + 1, eu(paid_in), bold=True)
    s.right(cols[3], y + 1, eu(paid_out), bold=True)
    s.text(cols[1], y + 6, "Nieuw saldo", bold=True)
    s.right(cols[2], y + 6, eu(closing), bold=True)
    s.save(path)
    rows = [Row(d, " ".join(lines), a) for d, lines, a in items]
    return Truth(tuple(rows), opening, closing)


# --- SEB (SE): ISO dates, Bokförd / Valutadag / Text / Belopp / Saldo, "-1 234,56" SEK ----------------


def write_seb(path: Path) -> Truth:
    s = Sheet("A4", 8)
    opening = D("14385.20")
    items: list[tuple[date, date, str, Decimal]] = [
        (date(2024, 2, 1), date(2024, 2, 1), "KORTKÖP 240130 ICA NARA SODERMALM", D("-412.35")),
        (date(2024, 2, 1), date(2024, 2, 1), "AUTOGIRO TELIA SVERIGE AB", D("-399.00")),
        (date(2024, 2, 2), date(2024, 2, 2), "SWISH BETALNING 0701234567 ERIK", D("-250.00")),
        (date(2024, 2, 5), date(2024, 2, 5), "BG 5050-1055 HYRESGÄSTFÖR", D("-8950.00")),
        (date(2024, 2, 7), date(2024, 2, 6), "KORTKÖP 240205 SL CENTRALEN", D("-970.00")),
        (date(2024, 2, 12), date(2024, 2, 12), "SWISH INBETALNING ANNA LINDQVIST", D("180.00")),
        (date(2024, 2, 16), date(2024, 2, 15), "KORTKÖP 240214 SYSTEMBOLAGET", D("-389.50")),
        (date(2024, 2, 23), date(2024, 2, 25), "LÖN ACME AB", D("32450.00")),
        (date(2024, 2, 26), date(2024, 2, 26), "ÖVERFÖRING 5357-12 345 67 SPAR", D("-5000.00")),
        (date(2024, 2, 27), date(2024, 2, 27), "BG 5127-5477 VATTENFALL", D("-1245.00")),
        (date(2024, 2, 29), date(2024, 2, 29), "KORTKÖP 240228 ELGIGANTEN", D("-11990.00")),
    ]
    rows = running(opening, [(d, text, a) for d, _, text, a in items])
    closing = last_balance(rows)
    cols = (15, 38, 61, 165, 196)

    def header(page: int) -> float:
        s.text(15, 14, "SEB", bold=True, size=16)
        s.text(110, 14, "Kontoutdrag", bold=True, size=10)
        s.text(110, 19, "Privatkonto 5357 12 345 67  Valuta SEK")
        s.text(110, 23, "Period 2024-02-01 - 2024-02-29")
        _page_footer(s, "Skandinaviska Enskilda Banken AB (publ), 106 40 Stockholm", f"Sida {page}")
        y = 32
        if page == 1:
            s.text(15, 32, "ANNA SVENSSON")
            s.text(15, 36, "GÖTGATAN 12, 116 46 STOCKHOLM")
            y = 48
        s.text(cols[0], y, "Bokförd", bold=True)
        s.text(cols[1], y, "Valutadag", bold=True)
        s.text(cols[2], y, "Text/mottagare", bold=True)
        s.right(cols[3], y, "Belopp", bold=True)
        s.right(cols[4], y, "Saldo", bold=True)
        return y + 6

    flow = Flow(s, header, 270, first_bottom=95)
    y = flow.need(5)
    s.text(cols[2], y, "Ingående saldo 2024-02-01", bold=True)
    s.right(cols[4], y, polish(opening), bold=True)
    for (day, valued, text, amount), row in zip(items, rows, strict=True):
        y = flow.need(5)
        s.text(cols[0], y, day.isoformat())
        s.text(cols[1], y, valued.isoformat())
        s.text(cols[2], y, text)
        s.right(cols[3], y, polish(amount))
        s.right(cols[4], y, polish(last_balance([row])))
    y = flow.need(6)
    s.text(cols[2], y + 1, "Utgående saldo 2024-02-29", bold=True)
    s.right(cols[4], y + 1, polish(closing), bold=True)
    s.save(path)
    return Truth(tuple(rows), opening, closing)


FRENCH_MONTHS = (
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
)


# --- Crédit Agricole (FR): "16 janv." operation dates, dd.mm value dates, Débit / Crédit, soldes ------


def write_credit_agricole(path: Path) -> Truth:
    s = Sheet("A4", 7.5)
    opening = D("1523.88")
    # (operation date, value date, description lines, left-out lines (references), signed amount)
    items: list[tuple[date, date, list[str], list[str], Decimal]] = [
        (
            date(2024, 1, 16),
            date(2024, 1, 15),
            ["PAIEMENT PAR CARTE", "X4821 CARREFOUR MARKET 14/01"],
            [],
            D("-67.42"),
        ),
        (
            date(2024, 1, 18),
            date(2024, 1, 18),
            ["PRELEVEMENT", "EDF clients particuliers"],
            ["Réf. : 000123456789 ICS FR12ZZZ123456"],
            D("-94.00"),
        ),
        (
            date(2024, 1, 22),
            date(2024, 1, 22),
            ["RETRAIT AU DISTRIBUTEUR", "X4821 CA TOULOUSE 21/01"],
            [],
            D("-60.00"),
        ),
        (
            date(2024, 1, 26),
            date(2024, 1, 26),
            ["VIREMENT EN VOTRE FAVEUR", "ACME SAS SALAIRE JANVIER"],
            ["Réf. : VIR2401261234"],
            D("2415.30"),
        ),
        (date(2024, 1, 29), date(2024, 1, 29), ["VIREMENT PERMANENT", "LOYER M. DURAND"], [], D("-780.00")),
        (
            date(2024, 2, 2),
            date(2024, 2, 1),
            ["PAIEMENT PAR CARTE", "X4821 SNCF INTERNET 01/02"],
            [],
            D("-128.50"),
        ),
        (date(2024, 2, 5), date(2024, 2, 5), ["REMISE DE CHEQUE", "N° 8123456"], [], D("150.00")),
        (
            date(2024, 2, 9),
            date(2024, 2, 9),
            ["PRELEVEMENT", "FREE MOBILE"],
            ["Réf. : FM2402091122 ICS FR65ZZZ487421"],
            D("-19.99"),
        ),
        (
            date(2024, 2, 12),
            date(2024, 2, 12),
            ["PAIEMENT PAR CARTE", "X4821 FNAC TOULOUSE 10/02"],
            [],
            D("-1049.00"),
        ),
        (
            date(2024, 2, 15),
            date(2024, 2, 15),
            ["COTISATION OFFRE", "GLOBALE FORMULE ESSENTIEL"],
            [],
            D("-7.30"),
        ),
    ]
    closing = opening + sum((a for *_, a in items), D(0))
    debit = -sum((a for *_, a in items if a < 0), D(0))
    credit = sum((a for *_, a in items if a > 0), D(0))
    cols = (15, 33, 54, 163, 192)

    def fr_date(day: date) -> str:
        return f"{day.day:02d} {FRENCH_MONTHS[day.month - 1]}"

    def header(page: int) -> float:
        s.text(15, 14, "CRÉDIT AGRICOLE", bold=True, size=12)
        s.text(15, 19, "Caisse Régionale de Crédit Agricole Mutuel Toulouse 31", size=6.5)
        s.text(115, 14, "Relevé de compte", bold=True, size=10)
        s.text(115, 19, "Compte de Dépôt n° 12345678901")
        s.text(115, 23, "du 16 janv. 2024 au 15 févr. 2024")
        _page_footer(
            s, "Crédit Agricole Toulouse 31 - Société coopérative à capital variable", f"Page {page}"
        )
        y = 34
        if page == 1:
            s.text(15, 32, "M. PIERRE MARTIN")
            s.text(15, 36, "12 RUE DES LILAS, 31000 TOULOUSE")
            y = 48
        s.text(cols[0], y, "Date opé.", bold=True)
        s.text(cols[1], y, "Date valeur", bold=True)
        s.text(cols[2], y, "Libellé des opérations", bold=True)
        s.right(cols[3], y, "Débit", bold=True)
        s.right(cols[4], y, "Crédit", bold=True)
        return y + 6

    flow = Flow(s, header, 270, first_bottom=110)
    y = flow.need(6)
    s.text(cols[2], y, "Ancien solde créditeur au 15.01.2024", bold=True)
    s.right(cols[4], y, french(opening), bold=True)
    for day, valued, lines, extra, amount in items:
        y = flow.need(3.7 * (len(lines) + len(extra)) + 2)
        s.text(cols[0], y, fr_date(day))
        s.text(cols[1], y, valued.strftime("%d.%m"))
        for k, line in enumerate(lines):
            s.text(cols[2], y + 3.7 * k, line)
        for k, line in enumerate(extra):
            s.text(cols[2], y + 3.7 * (len(lines) + k), line, size=6.5)
        s.right(cols[3] if amount < 0 else cols[4], y, french(amount))
    y = flow.need(12)
    s.text(cols[2], y + 1, "Total des opérations", bold=True)
    s.right(cols[3], y + 1, french(debit), bold=True)
    s.right(cols[4], y + 1, french(credit), bold=True)
    s.text(cols[2], y + 6, "Nouveau solde créditeur au 15.02.2024", bold=True)
    s.right(cols[4], y + 6, french(closing), bold=True)
    s.save(path)
    rows = [Row(d, " ".join(lines), a) for d, _, lines, _, a in items]
    return Truth(tuple(rows), opening, closing)


# --- Commerzbank (DE): dd.mm dates across the year end, one amount column with a trailing minus ----


def write_commerzbank(path: Path) -> Truth:
    s = Sheet("A4", 8)
    opening = D("1642.35")
    # (booking date, value date, description lines, left-out lines (references), signed amount)
    items: list[tuple[date, date, list[str], list[str], Decimal]] = [
        (
            date(2023, 12, 29),
            date(2023, 12, 29),
            ["Lastschrift", "Vodafone GmbH", "Kd-Nr 123456789 Rechnung 12/2023"],
            ["Mandatsref. V123456789  Gläubiger-ID DE17ZZZ00000012345"],
            D("-39.99"),
        ),
        (
            date(2024, 1, 2),
            date(2024, 1, 2),
            ["Dauerauftrag", "Hausverwaltung Krause", "Miete Januar 2024"],
            [],
            D("-920.00"),
        ),
        (
            date(2024, 1, 3),
            date(2024, 1, 2),
            ["Kartenzahlung", "REWE Markt GmbH//Frankfurt/DE"],
            ["2024-01-02T18:14:05 Karte Nr. 4871 78XX XXXX 1234"],
            D("-63.27"),
        ),
        (
            date(2024, 1, 5),
            date(2024, 1, 5),
            ["Gutschrift", "Muster Consulting GmbH", "Gehalt Dezember 2023"],
            ["End-to-End-Ref. LOHN-2023-12-0042"],
            D("3184.50"),
        ),
        (
            date(2024, 1, 8),
            date(2024, 1, 8),
            ["Lastschrift", "Mainova AG", "Abschlag Strom/Gas 01/2024"],
            ["Mandatsref. MN-887766  Gläubiger-ID DE98ZZZ09999999999"],
            D("-142.00"),
        ),
        (
            date(2024, 1, 10),
            date(2024, 1, 10),
            ["Bargeldauszahlung", "Commerzbank 0040 Frankfurt Zeil"],
            [],
            D("-200.00"),
        ),
        (
            date(2024, 1, 15),
            date(2024, 1, 14),
            ["Kartenzahlung", "AMAZON EU S.A R.L., NIEDERL//Muenchen/DE"],
            ["2024-01-13T21:40:11 Karte Nr. 4871 78XX XXXX 1234"],
            D("-84.90"),
        ),
        (
            date(2024, 1, 19),
            date(2024, 1, 19),
            ["Gutschrift", "Lena Vogel", "Anteil Geschenk Oma"],
            [],
            D("25.00"),
        ),
        (
            date(2024, 1, 24),
            date(2024, 1, 24),
            ["Lastschrift", "Allianz Versicherungs-AG", "Beitrag Hausrat 2024"],
            ["Mandatsref. AZ0099887  Gläubiger-ID DE44ZZZ00000033333"],
            D("-96.40"),
        ),
        (
            date(2024, 1, 31),
            date(2023, 12, 31),
            ["Entgelt", "Kontoführung 12/2023"],
            [],
            D("-9.90"),
        ),
    ]
    rows = [Row(d, " ".join(lines), a) for d, _, lines, _, a in items]
    closing = opening + sum((a for *_, a in items), D(0))
    cols = (15, 38, 150, 196)

    def trailing(amount: Decimal) -> str:
        return eu(amount) + ("-" if amount < 0 else "")

    def header(page: int) -> float:
        s.text(15, 14, "COMMERZBANK", bold=True, size=12)
        s.text(120, 14, "Kontoauszug vom 31.01.2024", bold=True)
        s.text(120, 18, "Auszug 1 / 2024   Blatt " + str(page) + " / 2")
        s.text(120, 22, "IBAN DE12 5004 0000 0123 4567 00")
        _page_footer(s, "Commerzbank AG, Kaiserplatz, 60311 Frankfurt am Main", f"Blatt {page}")
        y = 34
        if page == 1:
            s.text(15, 32, "Herrn Thomas Becker")
            s.text(15, 36, "Bergerstraße 21, 60316 Frankfurt")
            y = 48
        s.text(cols[0], y, "Buchungstag", bold=True)
        s.text(cols[1], y, "Angaben zu den Umsätzen", bold=True)
        s.text(cols[2] - 14, y, "Valuta", bold=True)
        s.right(cols[3], y, "Betrag in EUR", bold=True)
        return y + 6

    state = {"balance": opening}

    def leave(y: float) -> None:
        s.text(cols[1], y + 1, "Übertrag auf Blatt 2", bold=True)
        s.right(cols[3], y + 1, trailing(state["balance"]), bold=True)

    def enter(y: float) -> float:
        s.text(cols[1], y, "Übertrag von Blatt 1", bold=True)
        s.right(cols[3], y, trailing(state["balance"]), bold=True)
        return y + 6

    flow = Flow(s, header, 270, leave=leave, enter=enter, first_bottom=110)
    y = flow.need(6)
    s.text(cols[1], y, "Alter Kontostand vom 28.12.2023", bold=True)
    s.right(cols[3], y, trailing(opening), bold=True)
    for day, valued, lines, extra, amount in items:
        y = flow.need(3.8 * (len(lines) + len(extra)) + 2)
        s.text(cols[0], y, day.strftime("%d.%m"))
        for k, line in enumerate(lines):
            s.text(cols[1], y + 3.8 * k, line)
        for k, line in enumerate(extra):
            s.text(cols[1], y + 3.8 * (len(lines) + k), line, size=6.5)
        s.text(cols[2] - 14, y, valued.strftime("%d.%m"))
        s.right(cols[3], y, trailing(amount))
        state["balance"] += amount
    y = flow.need(7)
    s.text(cols[1], y + 2, "Neuer Kontostand vom 31.01.2024", bold=True)
    s.right(cols[3], y + 2, trailing(closing), bold=True)
    assert s.pages == 2
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- State Bank of India (IN): "Statement From : dd/mm/yyyy To : dd/mm/yyyy", "1 Apr 2024", a
# reference column of words (TRANSFER TO ...), narrations wrapped in a narrow column -----------------


def write_sbi(path: Path) -> Truth:
    s = Sheet("A4", 6.5)
    opening = D("45678.90")
    # (date, value date, description lines, reference lines, signed amount)
    items: list[tuple[date, date, list[str], list[str], Decimal]] = [
        (
            date(2024, 4, 1),
            date(2024, 4, 1),
            ["TO TRANSFER-", "UPI/DR/409112345678/SWIGGY/", "YESB/swiggy@ybl/Payment-"],
            ["TRANSFER TO", "4897691162095"],
            D("-412.00"),
        ),
        (
            date(2024, 4, 1),
            date(2024, 4, 1),
            ["BY TRANSFER-", "NEFT*HDFC0000001*N0921234567*", "ACME TECHNOLOGIES--"],
            ["TRANSFER FROM", "3199412044304"],
            D("98500.00"),
        ),
        (
            date(2024, 4, 3),
            date(2024, 4, 3),
            ["ATM WDL-ATM CASH 1234 SBI", "MG ROAD BANGALORE"],
            ["1234"],
            D("-10000.00"),
        ),
        (
            date(2024, 4, 5),
            date(2024, 4, 5),
            ["TO TRANSFER-", "INB Rent April to Suresh Rao--"],
            ["TRANSFER TO", "4897690000012"],
            D("-28000.00"),
        ),
        (
            date(2024, 4, 8),
            date(2024, 4, 8),
            ["DEBIT-", "ATMCard AMC 123456*Classic"],
            ["", ""],
            D("-236.00"),
        ),
        (
            date(2024, 4, 10),
            date(2024, 4, 10),
            ["TO TRANSFER-", "UPI/DR/410198765432/BESCOM/", "UTIB/bescom@axl/Electricit-"],
            ["TRANSFER TO", "4897691162095"],
            D("-1845.00"),
        ),
        (
            date(2024, 4, 12),
            date(2024, 4, 12),
            ["BY TRANSFER-", "UPI/CR/410312345099/ANITA S/", "SBIN/anita.s@oksbi/Dinner-"],
            ["TRANSFER FROM", "4897736162094"],
            D("650.00"),
        ),
        (
            date(2024, 4, 15),
            date(2024, 4, 15),
            ["TO TRANSFER-", "INB SIP ZERODHA BROKING--"],
            ["TRANSFER TO", "4897690000099"],
            D("-15000.00"),
        ),
        (
            date(2024, 4, 18),
            date(2024, 4, 18),
            ["TO TRANSFER-", "UPI/DR/410887654321/AMAZON/", "YESB/amazon@apl/Payment-"],
            ["TRANSFER TO", "4897691162095"],
            D("-3299.00"),
        ),
        (
            date(2024, 4, 22),
            date(2024, 4, 22),
            ["CHEQUE DEPOSIT-", "CLG/ICICI BANK/000345--"],
            ["000345"],
            D("12000.00"),
        ),
        (
            date(2024, 4, 25),
            date(2024, 4, 25),
            ["DEBIT-", "ACH LIC OF INDIA PREMIUM--"],
            ["ACH12345678"],
            D("-8420.00"),
        ),
        (
            date(2024, 4, 30),
            date(2024, 4, 30),
            ["CREDIT-", "INTEREST CREDIT"],
            ["", ""],
            D("312.00"),
        ),
    ]
    rows = running(opening, [(d, " ".join(lines), a) for d, _, lines, _, a in items])
    cols = (12, 31, 50, 104, 150, 174, 200)

    def sbi_date(day: date) -> str:
        return f"{day.day} {day:%b} {day.year}"

    def header(page: int) -> float:
        s.text(12, 13, "State Bank of India", bold=True, size=11)
        s.right(200, 13, f"Page {page}")
        y = 24
        if page == 1:
            details = [
                ("Account Name", ":  Mr. RAVI KUMAR"),
                ("Address", ":  12 4TH CROSS, INDIRANAGAR, BANGALORE 560038"),
                ("Account Number", ":  00000012345678901"),
                ("Account Description", ":  SAVINGS ACCOUNT"),
                ("Branch", ":  MG ROAD BANGALORE"),
                ("IFS Code", ":  SBIN0001234"),
                ("Balance as on 1 Apr 2024", f":  {lakh(opening)}"),
            ]
            for k, (label, value) in enumerate(details):
                s.text(12, 22 + 3.6 * k, label)
                s.text(50, 22 + 3.6 * k, value)
            s.text(12, 52, "Account Statement from 1 Apr 2024 to 30 Apr 2024", bold=True)
            s.text(120, 52, "Statement From : 01/04/2024 To : 30/04/2024")
            y = 60
        s.text(cols[0], y, "Txn Date", bold=True)
        s.text(cols[1], y, "Value", bold=True)
        s.text(cols[1], y + 3, "Date", bold=True)
        s.text(cols[2], y, "Description", bold=True)
        s.text(cols[3], y, "Ref No./Cheque", bold=True)
        s.text(cols[3], y + 3, "No.", bold=True)
        s.right(cols[4], y, "Debit", bold=True)
        s.right(cols[5], y, "Credit", bold=True)
        s.right(cols[6], y, "Balance", bold=True)
        return y + 8

    flow = Flow(s, header, 275, first_bottom=110)
    for (day, valued, lines, refs, amount), row in zip(items, rows, strict=True):
        y = flow.need(3.2 * max(len(lines), len(refs)) + 1.5)
        s.text(cols[0], y, sbi_date(day))
        s.text(cols[1], y, sbi_date(valued))
        for k, line in enumerate(lines):
            s.text(cols[2], y + 3.2 * k, line)
        for k, line in enumerate(refs):
            s.text(cols[3], y + 3.2 * k, line)
        s.right(cols[4] if amount < 0 else cols[5], y, lakh(amount))
        s.right(cols[6], y, lakh(last_balance([row])))
    y = flow.need(8)
    s.text(12, y + 3, "**This is a computer generated statement and does not require a signature.", size=5.5)
    assert s.pages == 2
    s.save(path)
    return Truth(tuple(rows), opening, None)


# --- Bancolombia (CO): COP in millions, d/mm dates, FECHA / DESCRIPCIÓN / SUCURSAL / DCTO. / VALOR /
# SALDO with a leading minus, a summary of SALDO ANTERIOR / ABONOS / CARGOS / SALDO ACTUAL ---------


def write_bancolombia(path: Path) -> Truth:
    s = Sheet("Letter", 7.5)
    opening = D("3245120.50")
    # (date, description, branch, document, signed amount)
    items: list[tuple[date, str, str, str, Decimal]] = [
        (date(2024, 1, 2), "COMPRA EN EXITO COLINA", "", "", D("-185430.00")),
        (date(2024, 1, 2), "IMPTO GOBIERNO 4X1000", "", "", D("-741.72")),
        (date(2024, 1, 4), "PAGO PSE EPM SERVICIOS PUBLICOS", "", "3345120", D("-312870.00")),
        (date(2024, 1, 5), "RETIRO CAJERO UNICENTRO", "UNICENTRO", "", D("-400000.00")),
        (date(2024, 1, 10), "TRANSFERENCIA DESDE NEQUI", "", "", D("150000.00")),
        (date(2024, 1, 15), "PAGO DE NOMINA ACME SAS", "", "0001234", D("4850000.00")),
        (date(2024, 1, 16), "PAGO PSE ARRENDAMIENTOS SANTAFE", "", "3360987", D("-2100000.00")),
        (date(2024, 1, 16), "IMPTO GOBIERNO 4X1000", "", "", D("-8400.00")),
        (date(2024, 1, 22), "COMPRA INTL NETFLIX.COM", "", "", D("-38900.00")),
        (date(2024, 1, 25), "TRANSFERENCIA CTA SUC VIRTUAL", "", "", D("-500000.00")),
        (date(2024, 1, 31), "CUOTA MANEJO TARJETA DEBITO", "", "", D("-15900.00")),
        (date(2024, 1, 31), "ABONO INTERESES AHORROS", "", "", D("412.35")),
    ]
    rows = running(opening, [(d, text, a) for d, text, _, _, a in items])
    closing = last_balance(rows)
    credits = sum((a for *_, a in items if a > 0), D(0))
    debits = -sum((a for *_, a in items if a < 0), D(0))
    cols = (15, 30, 105, 135, 172, 200)

    def header(page: int) -> float:
        s.text(15, 14, "Bancolombia", bold=True, size=13)
        s.text(120, 14, "ESTADO DE CUENTA", bold=True)
        s.text(120, 18, "CUENTA DE AHORROS No. 123-456789-01")
        s.text(120, 22, "DESDE: 2024/01/01  HASTA: 2024/01/31")
        _page_footer(
            s,
            "Bancolombia S.A. Establecimiento Bancario. NIT 890.903.938-8",
            f"Página {page}",
            y=268,
            right=200,
        )
        y = 34
        if page == 1:
            s.text(15, 32, "MARIA FERNANDA GOMEZ")
            s.text(15, 36, "CL 85 # 15-20 APTO 402, BOGOTA")
            s.text(15, 46, "RESUMEN", bold=True)
            summary = [
                ("SALDO ANTERIOR", us(opening, dollar="$ ")),
                ("TOTAL ABONOS", us(credits, dollar="$ ")),
                ("TOTAL CARGOS", us(debits, dollar="$ ")),
                ("SALDO ACTUAL", us(closing, dollar="$ ")),
                ("SALDO PROMEDIO", "$ 2,904,215.33"),
            ]
            for k, (label, value) in enumerate(summary):
                s.text(15, 51 + 4 * k, label)
                s.right(90, 51 + 4 * k, value)
            s.text(15, 78, "MOVIMIENTOS", bold=True)
            y = 84
        s.text(cols[0], y, "FECHA", bold=True)
        s.text(cols[1], y, "DESCRIPCIÓN", bold=True)
        s.text(cols[2], y, "SUCURSAL", bold=True)
        s.text(cols[3], y, "DCTO.", bold=True)
        s.right(cols[4], y, "VALOR", bold=True)
        s.right(cols[5], y, "SALDO", bold=True)
        return y + 6

    flow = Flow(s, header, 255, first_bottom=135)
    for (day, text, branch, document, amount), row in zip(items, rows, strict=True):
        y = flow.need(4.5)
        s.text(cols[0], y, f"{day.day}/{day.month:02d}")
        s.text(cols[1], y, text)
        s.text(cols[2], y, branch)
        s.text(cols[3], y, document)
        s.right(cols[4], y, us(amount, sign="-"))
        s.right(cols[5], y, us(last_balance([row]), sign="-"))
    y = flow.need(10)
    s.text(cols[1], y + 3, "FIN ESTADO DE CUENTA", bold=True)
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- PNC (US Virtual Wallet): Date posted / Amount / Transaction description / Reference number, the
# amount before the description, "There were N ... totaling $x." lines, a daily balance detail ------


def write_pnc(path: Path) -> Truth:
    s = Sheet("Letter", 7.5)
    opening = D("1876.54")
    # (date, amount (unsigned, the section gives the sign), description, reference)
    deposits = [
        (date(2024, 1, 5), D("2150.00"), "Direct Deposit - Payroll Acme Corp", "00000123456789"),
        (date(2024, 1, 19), D("2150.00"), "Direct Deposit - Payroll Acme Corp", "00000123456790"),
        (date(2024, 1, 22), D("45.00"), "Zelle From Kim D Concert", "00000987654321"),
    ]
    card = [
        (date(2024, 1, 3), D("64.18"), "1234 Debit Card Purchase Trader Joe S #555", "00000000441122"),
        (date(2024, 1, 8), D("15.49"), "1234 Recurring Debit Card Netflix.Com", "00000000441188"),
        (date(2024, 1, 12), D("200.00"), "ATM Withdrawal 1234 PNC Bank Market St", "00000000441201"),
        (date(2024, 1, 26), D("88.37"), "1234 Debit Card Purchase Giant Eagle #61", "00000000441277"),
    ]
    electronic = [
        (date(2024, 1, 2), D("1450.00"), "Web Pmt - Single Property Mgmt Rent", "00000555000111"),
        (date(2024, 1, 10), D("132.45"), "Duquesne Light Elec Pymt", "00000555000212"),
        (date(2024, 1, 16), D("250.00"), "Online Transfer To Savings XXXXXX6789", "00000555000318"),
        (date(2024, 1, 29), D("500.00"), "Capital One Crcardpmt", "00000555000433"),
    ]
    total_in = sum((a for _, a, _, _ in deposits), D(0))
    total_out = sum((a for _, a, _, _ in card + electronic), D(0))
    closing = opening + total_in - total_out
    cols = (15, 48, 54, 160)

    def header(page: int) -> float:
        s.text(15, 14, "PNC", bold=True, size=14)
        s.text(110, 14, "Virtual Wallet Spend Statement", bold=True)
        s.text(110, 18, "For the period 01/01/2024 to 01/31/2024")
        s.text(110, 22, "Primary account number: XX-XXXX-1234")
        s.text(15, 268, "PNC Bank, National Association. Member FDIC", size=6)
        if page == 1:
            s.text(15, 30, "JOHN Q PUBLIC")
            s.text(15, 34, "500 GRANT ST, PITTSBURGH PA 15219")
            s.text(15, 46, "Balance Summary", bold=True)
            labels = (
                "Beginning balance",
                "Deposits and other additions",
                "Checks and other deductions",
                "Ending balance",
            )
            values = (us(opening), us(total_in), us(total_out), us(closing))
            for k, (label, value) in enumerate(zip(labels, values, strict=True)):
                s.right(60 + 44 * k, 51, label, bold=True, size=6.5)
                s.right(60 + 44 * k, 55, value)
            s.text(15, 66, "Activity Detail", bold=True, size=9)
            return 74
        return 32

    flow = Flow(s, header, 250, first_bottom=150)

    def section(title: str, items: list[tuple[date, Decimal, str, str]], noun: str) -> None:
        y = flow.need(18)
        total = sum((a for _, a, _, _ in items), D(0))
        s.text(15, y, title, bold=True)
        s.text(15, y + 4, f"There were {len(items)} {noun} totaling {us(total, dollar='$')}.", size=7)
        s.text(cols[0], y + 9, "Date", bold=True)
        s.text(cols[0], y + 12, "posted", bold=True)
        s.right(cols[1], y + 12, "Amount", bold=True)
        s.text(cols[2], y + 12, "Transaction description", bold=True)
        s.text(cols[3], y + 12, "Reference number", bold=True)
        for day, amount, text, reference in items:
            y = flow.need(4.2)
            s.text(cols[0], y, day.strftime("%m/%d"))
            s.right(cols[1], y, us(amount))
            s.text(cols[2], y, text)
            s.text(cols[3], y, reference)
        flow.need(3)

    section("Deposits and Other Additions", deposits, "Deposits and Other Additions")
    section(
        "Banking/Debit Card Withdrawals and Purchases", card, "Banking/Debit Card Withdrawals and Purchases"
    )
    section("Online and Electronic Banking Deductions", electronic, "other Banking Deductions")
    events = sorted(
        [(d, a) for d, a, _, _ in deposits] + [(d, -a) for d, a, _, _ in card + electronic],
        key=lambda e: e[0],
    )
    daily: dict[date, Decimal] = {}
    balance = opening
    for day, amount in events:
        balance += amount
        daily[day] = balance
    y = flow.need(14)
    s.text(15, y, "Daily Balance Detail", bold=True)
    for col in range(3):
        s.text(15 + 62 * col, y + 5, "Date", bold=True)
        s.right(70 + 62 * col, y + 5, "Balance", bold=True)
    cells = list(daily.items())
    for start in range(0, len(cells), 3):
        y = flow.need(4)
        for col, (day, amount) in enumerate(cells[start : start + 3]):
            s.text(15 + 62 * col, y, day.strftime("%m/%d"))
            s.right(70 + 62 * col, y, us(amount))
    number_pages(s, "Page {page} of {pages}", 200, 268)
    s.save(path)
    rows = [Row(d, text, a) for d, a, text, _ in deposits]
    rows += [Row(d, text, -a) for d, a, text, _ in card + electronic]
    return Truth(tuple(rows), opening, closing)


INDONESIAN_MONTHS = (
    "JANUARI", "FEBRUARI", "MARET", "APRIL", "MEI", "JUNI", "JULI", "AGUSTUS", "SEPTEMBER", "OKTOBER",
    "NOVEMBER", "DESEMBER",
)  # fmt: skip


# --- BCA (ID): TANGGAL / KETERANGAN / CBG / MUTASI / SALDO, "DB" debits, IDR, three pages ----------


def write_bca(path: Path) -> Truth:
    s = Sheet("A4", 7)
    opening = D("12450000.00")
    # (date, description lines, branch code, signed amount)
    items: list[tuple[date, list[str], str, Decimal]] = [
        (date(2024, 1, 2), ["TRSF E-BANKING DB", "0201/FTSCY/WS95031", "BUDI SANTOSO"], "", D("-150000.00")),
        (date(2024, 1, 2), ["KARTU DEBIT", "INDOMARET CIPUTAT"], "", D("-87500.00")),
        (date(2024, 1, 3), ["TARIKAN ATM 03/01"], "0123", D("-1000000.00")),
        (date(2024, 1, 4), ["TRANSAKSI DEBIT", "TGL: 0401 QR 014", "KOPI KENANGAN"], "", D("-38000.00")),
        (date(2024, 1, 5), ["SWITCHING DB", "TRANSFER KE 008", "ANDI WIJAYA"], "", D("-500000.00")),
        (date(2024, 1, 8), ["KARTU DEBIT", "ALFAMART PAMULANG"], "", D("-64300.00")),
        (date(2024, 1, 8), ["BYR VIA E-BANKING", "PLN PRABAYAR 1234567890"], "", D("-203000.00")),
        (date(2024, 1, 10), ["TRSF E-BANKING CR", "1001/FTFVA/WS95051", "SITI RAHAYU"], "", D("250000.00")),
        (date(2024, 1, 12), ["TRANSAKSI DEBIT", "TGL: 1201 QR 014", "GRAB INDONESIA"], "", D("-42000.00")),
        (date(2024, 1, 15), ["TARIKAN ATM 15/01"], "0456", D("-500000.00")),
        (date(2024, 1, 16), ["BYR VIA E-BANKING", "TELKOMSEL HALO 08121234567"], "", D("-185000.00")),
        (date(2024, 1, 18), ["KARTU DEBIT", "TOKOPEDIA JAKARTA"], "", D("-1249000.00")),
        (date(2024, 1, 19), ["SWITCHING DB", "TRANSFER KE 009", "IBU SRI"], "", D("-2000000.00")),
        (date(2024, 1, 22), ["TRANSAKSI DEBIT", "TGL: 2201 QR 014", "SHOPEEPAY"], "", D("-75000.00")),
        (date(2024, 1, 25), ["KR OTOMATIS", "LLG-ANZ INDONESIA", "GAJI JANUARI"], "", D("15750000.00")),
        (date(2024, 1, 25), ["TRSF E-BANKING DB", "2501/FTSCY/WS95031", "KOS MELATI"], "", D("-2500000.00")),
        (date(2024, 1, 26), ["KARTU DEBIT", "HERO SUPERMARKET"], "", D("-612400.00")),
        (date(2024, 1, 29), ["TARIKAN ATM 29/01"], "0123", D("-1500000.00")),
        (date(2024, 1, 31), ["BIAYA ADM"], "", D("-15000.00")),
        (date(2024, 1, 31), ["BUNGA"], "", D("8215.00")),
        (date(2024, 1, 31), ["PAJAK BUNGA"], "", D("-1643.00")),
    ]
    full = running(opening, [(d, " ".join(lines), a) for d, lines, _, a in items])
    rows = day_end_balances(full)
    closing = last_balance(full)
    credits = [a for *_, a in items if a > 0]
    debits = [-a for *_, a in items if a < 0]
    cols = (15, 32, 108, 160, 196)

    def header(page: int) -> float:
        s.text(15, 14, "BCA", bold=True, size=16)
        s.text(60, 14, "REKENING TAHAPAN", bold=True, size=10)
        s.text(60, 19, "KCU SUDIRMAN")
        s.text(130, 14, "NO. REKENING : 1234567890")
        s.text(130, 18, "HALAMAN : " + str(page) + " / 3")
        s.text(130, 22, "PERIODE : JANUARI 2024")
        s.text(130, 26, "MATA UANG : IDR")
        s.text(15, 26, "BUDI HARTONO")
        s.text(15, 30, "JL. MELATI NO. 12, PAMULANG, TANGERANG SELATAN")
        s.text(
            15,
            40,
            "CATATAN: Apabila nasabah tidak melakukan sanggahan terhadap Laporan Mutasi Rekening ini",
            size=6,
        )
        s.text(
            15,
            43,
            "sampai dengan akhir bulan berikutnya, nasabah dianggap telah menyetujui isi laporan.",
            size=6,
        )
        s.text(cols[0], 52, "TANGGAL", bold=True)
        s.text(cols[1], 52, "KETERANGAN", bold=True)
        s.text(cols[2], 52, "CBG", bold=True)
        s.right(cols[3], 52, "MUTASI", bold=True)
        s.right(cols[4], 52, "SALDO", bold=True)
        return 58

    def leave(y: float) -> None:
        s.text(15, 272, "Bersambung ke Halaman berikut", bold=True, size=6.5)

    flow = Flow(s, header, 150, leave=leave)
    y = flow.need(4.5)
    s.text(cols[0], y, "01/01")
    s.text(cols[1], y, "SALDO AWAL")
    s.right(cols[4], y, us(opening))
    for (day, lines, branch, amount), row in zip(items, rows, strict=True):
        y = flow.need(3.5 * len(lines) + 1.5)
        s.text(cols[0], y, day.strftime("%d/%m"))
        for k, line in enumerate(lines):
            s.text(cols[1], y + 3.5 * k, line)
        s.text(cols[2], y, branch)
        s.right(cols[3], y, us(amount) + (" DB" if amount < 0 else ""))
        if row.balance is not None:
            s.right(cols[4], y, us(row.balance))
    y = flow.need(22)
    summary = [
        ("SALDO AWAL", us(opening), ""),
        ("MUTASI CR", us(sum(credits, D(0))), str(len(credits))),
        ("MUTASI DB", us(sum(debits, D(0))), str(len(debits))),
        ("SALDO AKHIR", us(closing), ""),
    ]
    for k, (label, value, count) in enumerate(summary):
        s.text(cols[1], y + 3 + 4 * k, label, bold=True)
        s.text(cols[1] + 25, y + 3 + 4 * k, ":")
        s.right(cols[2] + 20, y + 3 + 4 * k, value)
        s.right(cols[2] + 30, y + 3 + 4 * k, count)
    assert s.pages == 3
    s.save(path)
    return Truth(rows, opening, closing)


# --- A sixth set: ten more banks and card issuers, with shapes the sets above do not draw ---------


def forint(amount: Decimal, signed: bool = True) -> str:
    """A currency with no minor unit: ``-1 234 567`` (HUF, JPY), spaces between thousands."""
    text = f"{abs(amount):,.0f}".replace(",", " ")
    return f"-{text}" if signed and amount < 0 else text


def parens(amount: Decimal) -> str:
    """``(1,234.56)`` for money out, ``1,234.56`` for money in."""
    return f"({us(amount)})" if amount < 0 else us(amount)


# --- U.S. Bank (US checking): Customer Deposits / Other Withdrawals / Card Withdrawals sections, trailing
# minus on withdrawals, "Jan 5" dates, a Ref Number column, a Balance Summary grid -----------------------


def write_us_bank(path: Path) -> Truth:
    s = Sheet("Letter", 7.5)
    opening = D("3127.44")
    sections: list[tuple[str, list[tuple[date, str, str, Decimal]]]] = [
        (
            "Customer Deposits",
            [
                (date(2024, 1, 5), "Electronic Deposit From ACME CORP PAYROLL", "", D("2210.16")),
                (date(2024, 1, 16), "Mobile Check Deposit", "8654321", D("125.00")),
                (date(2024, 1, 19), "Electronic Deposit From ACME CORP PAYROLL", "", D("2210.16")),
            ],
        ),
        (
            "Other Withdrawals",
            [
                (date(2024, 1, 3), "Electronic Withdrawal To XCEL ENERGY-MN", "", D("-96.41")),
                (date(2024, 1, 8), "Web Authorized Pmt VERIZON WIRELESS", "", D("-84.22")),
                (date(2024, 1, 12), "Internet Banking Transfer To Savings 1234", "", D("-500.00")),
                (date(2024, 1, 29), "Electronic Withdrawal To PROG DIRECT INS", "", D("-131.07")),
            ],
        ),
        (
            "Card Withdrawals",
            [
                (
                    date(2024, 1, 4),
                    "Debit Purchase - VISA On 010324 CUB FOODS MINNEAPOLIS MN",
                    "",
                    D("-72.19"),
                ),
                (
                    date(2024, 1, 10),
                    "Debit Purchase - VISA On 010924 TARGET T-1375 ST PAUL MN",
                    "",
                    D("-44.86"),
                ),
                (date(2024, 1, 22), "ATM Withdrawal U.S. BANK 800 NICOLLET MALL", "", D("-100.00")),
            ],
        ),
    ]
    items = [item for _, entries in sections for item in entries]
    closing = opening + sum((a for *_, a in items), D(0))
    cols = (15, 32, 150, 196)

    def header(page: int) -> float:
        s.text(15, 14, "U.S. BANK", bold=True, size=13)
        s.text(120, 14, "Statement Period:", bold=True)
        s.text(150, 14, "Jan 2, 2024 through Jan 31, 2024")
        s.text(120, 18, "Account Number: 1 234 5678 9012")
        if page == 1:
            s.text(15, 30, "JANE Q SAMPLE")
            s.text(15, 34, "1234 MAIN ST, MINNEAPOLIS MN 55401")
            s.text(15, 46, "EASY CHECKING", bold=True, size=9)
            s.text(15, 51, "Account Summary", bold=True)
            summary = [
                ("Beginning Balance on Jan 2", us(opening, dollar="$")),
                ("Customer Deposits", us(sum((a for *_, a in sections[0][1]), D(0)))),
                ("Other Withdrawals", us(sum((a for *_, a in sections[1][1]), D(0)), sign="-")),
                ("Card Withdrawals", us(sum((a for *_, a in sections[2][1]), D(0)), sign="-")),
                ("Ending Balance on Jan 31, 2024", us(closing, dollar="$")),
            ]
            for k, (label, value) in enumerate(summary):
                s.text(15, 56 + 4 * k, label)
                s.right(110, 56 + 4 * k, value)
            return 84
        return 30

    flow = Flow(s, header, 255)
    for title, entries in sections:
        y = flow.need(10)
        s.text(cols[0], y, title, bold=True, size=8.5)
        s.text(cols[0], y + 5, "Date", bold=True)
        s.text(cols[1], y + 5, "Description of Transaction", bold=True)
        s.right(cols[2], y + 5, "Ref Number", bold=True)
        s.right(cols[3], y + 5, "Amount", bold=True)
        flow.y += 1
        for day, text, ref, amount in entries:
            y = flow.need(4.2)
            s.text(cols[0], y, f"{day:%b} {day.day}")
            s.text(cols[1], y, text)
            s.right(cols[2], y, ref)
            s.right(cols[3], y, us(amount) + ("-" if amount < 0 else ""))
        y = flow.need(7)
        total = sum((a for *_, a in entries), D(0))
        s.text(cols[1] + 60, y + 1, f"Total {title}", bold=True)
        s.right(cols[3], y + 1, us(total, dollar="$") + ("-" if total < 0 else ""), bold=True)
    y = flow.need(14)
    s.text(cols[0], y + 2, "Balance Summary", bold=True, size=8.5)
    s.text(cols[0], y + 7, "Date", bold=True)
    s.right(cols[0] + 45, y + 7, "Ending Balance", bold=True)
    for day in sorted({d for d, *_ in items}):
        balance = opening + sum((a for d, _, _, a in items if d <= day), D(0))
        y = flow.need(4)
        s.text(cols[0], y, f"{day:%b} {day.day}")
        s.right(cols[0] + 45, y, us(balance))
    number_pages(s, "Page {page} of {pages}", 200, 268)
    s.save(path)
    rows = [Row(d, text, a) for d, text, _, a in items]
    return Truth(tuple(rows), opening, closing)


# --- Ally Bank (US online savings): Date / Description / Credits / Debits / Balance, "-$45.00" debits,
# an Activity Summary by category printed after the transactions ------------------------------------


def write_ally(path: Path) -> Truth:
    s = Sheet("Letter", 7.5)
    opening = D("8412.63")
    # (date, category, description, signed amount)
    items: list[tuple[date, str, str, Decimal]] = [
        (date(2024, 2, 1), "Deposits", "ACH Deposit ACME CORP DIR DEP", D("1850.00")),
        (date(2024, 2, 2), "Transfers", "Internet transfer to Interest Checking *4821", D("-600.00")),
        (date(2024, 2, 7), "Deposits", "Mobile Deposit Check 1042", D("240.00")),
        (date(2024, 2, 12), "Transfers", "Zelle payment to MARIA LOPEZ", D("-75.00")),
        (date(2024, 2, 15), "Deposits", "ACH Deposit ACME CORP DIR DEP", D("1850.00")),
        (date(2024, 2, 20), "Withdrawals", "ACH Withdrawal VANGUARD BUY INVESTMENT", D("-1000.00")),
        (date(2024, 2, 26), "Fees", "Excessive Transactions Fee", D("-10.00")),
        (date(2024, 2, 29), "Interest", "Interest Paid", D("29.87")),
    ]
    rows = running(opening, [(d, text, a) for d, _, text, a in items])
    closing = last_balance(rows)
    cols = (15, 40, 140, 168, 200)

    def header(page: int) -> float:
        s.text(15, 14, "ally", bold=True, size=16)
        s.text(120, 14, "Statement Date 02/29/2024", bold=True)
        s.text(120, 18, "Online Savings Account ••••5569")
        s.right(200, 268, f"Page {page}", size=6)
        if page == 1:
            s.text(15, 28, "ALEX MORGAN")
            s.text(15, 32, "500 WOODWARD AVE, DETROIT MI 48226")
            s.text(15, 44, "Account Activity", bold=True, size=9)
            return 52
        return 30

    flow = Flow(s, header, 255)
    y = flow.need(6)
    for k, label in enumerate(("Date", "Description", "Credits", "Debits", "Balance")):
        (s.text if k < 2 else s.right)(cols[k], y, label, bold=True)
    y = flow.need(4.5)
    s.text(cols[0], y, "02/01/2024")
    s.text(cols[1], y, "Beginning Balance")
    s.right(cols[4], y, us(opening, dollar="$"))
    for (day, _, text, amount), row in zip(items, rows, strict=True):
        y = flow.need(4.5)
        s.text(cols[0], y, day.strftime("%m/%d/%Y"))
        s.text(cols[1], y, text)
        s.right(cols[2] if amount > 0 else cols[3], y, us(amount, sign="-", dollar="$"))
        s.right(cols[4], y, us(last_balance([row]), dollar="$"))
    y = flow.need(4.5)
    s.text(cols[0], y, "02/29/2024")
    s.text(cols[1], y, "Ending Balance")
    s.right(cols[4], y, us(closing, dollar="$"))
    y = flow.need(34)
    s.text(cols[0], y + 4, "Activity Summary", bold=True, size=9)
    s.text(cols[0], y + 9, "Category", bold=True)
    s.right(110, y + 9, "Count", bold=True)
    s.right(150, y + 9, "Total", bold=True)
    for k, category in enumerate(("Deposits", "Transfers", "Withdrawals", "Fees", "Interest")):
        amounts = [a for _, c, _, a in items if c == category]
        s.text(cols[0], y + 13 + 4 * k, category)
        s.right(110, y + 13 + 4 * k, str(len(amounts)))
        s.right(150, y + 13 + 4 * k, us(sum(amounts, D(0)), sign="-", dollar="$"))
    s.text(cols[0], y + 35, "Annual Percentage Yield Earned 4.25%", size=6.5)
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- Discover (US card): Trans. Date / Post Date, PAYMENTS AND CREDITS then PURCHASES by merchant
# category, a minimum payment box, "-$500.00" payments ----------------------------------------------


def write_discover(path: Path) -> Truth:
    s = Sheet("Letter", 7.5)
    previous = D("842.16")
    payments = [(date(2024, 1, 9), date(2024, 1, 9), "INTERNET PAYMENT - THANK YOU", D("-842.16"))]
    purchases: list[tuple[str, list[tuple[date, date, str, Decimal]]]] = [
        (
            "Supermarkets",
            [
                (date(2023, 12, 29), date(2023, 12, 30), "KROGER #0456 COLUMBUS OH", D("112.48")),
                (date(2024, 1, 11), date(2024, 1, 12), "ALDI 72021 COLUMBUS OH", D("54.31")),
            ],
        ),
        (
            "Restaurants",
            [(date(2024, 1, 3), date(2024, 1, 4), "CHIPOTLE 1123 COLUMBUS OH", D("14.85"))],
        ),
        (
            "Merchandise",
            [
                (date(2024, 1, 6), date(2024, 1, 6), "AMAZON.COM AMZN.COM/BILL WA", D("67.99")),
                (date(2024, 1, 15), date(2024, 1, 16), "BEST BUY 00011223 COLUMBUS OH", D("329.99")),
            ],
        ),
        (
            "Gasoline",
            [(date(2024, 1, 18), date(2024, 1, 18), "SPEEDWAY 03412 DUBLIN OH", D("41.20"))],
        ),
    ]
    charges = [item for _, entries in purchases for item in entries]
    new_balance = previous + sum((a for *_, a in payments + charges), D(0))
    cols = (15, 35, 55, 200)

    def header(page: int) -> float:
        s.text(15, 14, "DISCOVER", bold=True, size=14)
        s.text(120, 14, "Discover it Card  Account ending in 4321")
        s.text(120, 18, "Open Date: Dec 24, 2023 - Close Date: Jan 23, 2024")
        if page == 1:
            s.text(15, 28, "Account Summary", bold=True)
            summary = [
                ("Previous Balance", us(previous, dollar="$")),
                ("Payments and Credits", "-" + us(-sum((a for *_, a in payments), D(0)), dollar="$")),
                ("Purchases", "+" + us(sum((a for *_, a in charges), D(0)), dollar="$")),
                ("Interest Charged", "+$0.00"),
                ("New Balance", us(new_balance, dollar="$")),
            ]
            for k, (label, value) in enumerate(summary):
                s.text(15, 33 + 4 * k, label)
                s.right(90, 33 + 4 * k, value)
            s.text(120, 28, "Payment Information", bold=True)
            box = [
                ("New Balance", us(new_balance, dollar="$")),
                ("Minimum Payment Due", "$35.00"),
                ("Payment Due Date", "February 20, 2024"),
            ]
            for k, (label, value) in enumerate(box):
                s.text(120, 33 + 4 * k, label)
                s.right(200, 33 + 4 * k, value)
            s.text(120, 47, "Late Payment Warning: If we do not receive your minimum payment", size=6)
            s.text(120, 50, "by the date listed above, you may have to pay a late fee of up to $41.", size=6)
            s.text(
                15, 62, "Credit Line $6,000  Credit Line Available " + us(D(6000) - new_balance, dollar="$")
            )
            return 72
        return 30

    flow = Flow(s, header, 255)
    y = flow.need(8)
    s.text(cols[0], y, "Transactions", bold=True, size=9)
    s.text(cols[0], y + 5, "Trans. Date", bold=True)
    s.text(cols[1], y + 5, "Post Date", bold=True)
    s.text(cols[2], y + 5, "Description", bold=True)
    s.right(cols[3], y + 5, "Amount", bold=True)
    flow.y += 2
    y = flow.need(5)
    s.text(cols[2], y, "PAYMENTS AND CREDITS", bold=True)
    for tdate, pdate, text, amount in payments:
        y = flow.need(4.2)
        s.text(cols[0], y, tdate.strftime("%m/%d"))
        s.text(cols[1], y, pdate.strftime("%m/%d"))
        s.text(cols[2], y, text)
        s.right(cols[3], y, "-" + us(-amount, dollar="$"))
    y = flow.need(6)
    s.text(cols[2], y + 1, "PURCHASES", bold=True)
    for category, entries in purchases:
        for tdate, pdate, text, amount in entries:
            y = flow.need(4.2)
            s.text(cols[0], y, tdate.strftime("%m/%d"))
            s.text(cols[1], y, pdate.strftime("%m/%d"))
            s.text(cols[2], y, text)
            s.text(cols[2] + 90, y, category, size=6.5)
            s.right(cols[3], y, us(amount, dollar="$"))
    y = flow.need(8)
    s.text(cols[2], y + 2, "TOTAL FEES FOR THIS PERIOD", bold=True)
    s.right(cols[3], y + 2, "$0.00", bold=True)
    s.text(cols[2], y + 6, "TOTAL INTEREST FOR THIS PERIOD", bold=True)
    s.right(cols[3], y + 6, "$0.00", bold=True)
    number_pages(s, "Page {page} of {pages}", 200, 268)
    s.save(path)
    rows = [Row(t, text, -a) for t, _, text, a in payments + charges]
    return Truth(tuple(rows), -previous, -new_balance)


# --- Apple Card (Goldman Sachs, US card): Payments, then Transactions with a Daily Cash column, a
# Minimum Payment Due box, MM/DD/YYYY dates ----------------------------------------------------------


def write_apple_card(path: Path) -> Truth:
    s = Sheet("Letter", 7.5)
    previous = D("1318.42")
    payments = [
        (date(2024, 3, 4), "ACH Deposit Internet transfer from account ending in 7788", D("-1000.00")),
        (date(2024, 3, 22), "ACH Deposit Internet transfer from account ending in 7788", D("-318.42")),
    ]
    # (date, description, daily cash %, amount)
    transactions = [
        (date(2024, 3, 2), "APPLE.COM/BILL ONE APPLE PARK WAY 866-712-7753 95014 CA USA", 3, D("9.99")),
        (date(2024, 3, 5), "UBER *EATS 1455 MARKET ST SAN FRANCISCO 94103 CA USA", 2, D("32.64")),
        (date(2024, 3, 9), "WALGREENS #3172 2690 MISSION ST SAN FRANCISCO 94110 CA USA", 2, D("18.27")),
        (date(2024, 3, 14), "NIKE.COM ONE BOWERMAN DR BEAVERTON 97005 OR USA", 3, D("120.00")),
        (date(2024, 3, 18), "TRADER JOE S #236 555 9TH ST SAN FRANCISCO 94103 CA USA", 1, D("64.51")),
        (date(2024, 3, 27), "SHELL OIL 57544 1298 HOWARD ST SAN FRANCISCO 94103 CA USA", 1, D("48.10")),
    ]
    new_balance = (
        previous + sum((a for *_, a in payments), D(0)) + sum((a for *_, _, a in transactions), D(0))
    )
    cols = (15, 42, 160, 200)

    def header(page: int) -> float:
        s.text(15, 14, "Apple Card", bold=True, size=14)
        s.text(120, 14, "Statement  Mar 1 — Mar 31, 2024")
        s.text(120, 18, "Issued by Goldman Sachs Bank USA, Salt Lake City Branch", size=6.5)
        if page == 1:
            s.text(15, 28, "Taylor Reed")
            s.text(15, 32, "88 Valencia St, San Francisco, CA 94103")
            s.text(15, 42, "Previous Monthly Balance")
            s.right(90, 42, us(previous, dollar="$"))
            s.text(15, 46, "Payments & Credits")
            s.right(90, 46, us(sum((a for *_, a in payments), D(0)), sign="-", dollar="$"))
            s.text(15, 50, "Total Charges, Credits & Returns")
            s.right(90, 50, us(sum((a for *_, _, a in transactions), D(0)), dollar="$"))
            s.text(15, 54, "Total Balance", bold=True)
            s.right(90, 54, us(new_balance, dollar="$"), bold=True)
            s.text(120, 42, "Minimum Payment Due", bold=True)
            s.right(200, 42, "$25.00", bold=True)
            s.text(120, 46, "Payment Due Date")
            s.right(200, 46, "Apr 30, 2024")
            s.text(120, 50, "Credit Limit")
            s.right(200, 50, "$8,000.00")
            s.text(120, 54, "Available Credit")
            s.right(200, 54, us(D(8000) - new_balance, dollar="$"))
            return 68
        return 30

    flow = Flow(s, header, 255)
    y = flow.need(11)
    s.text(cols[0], y, "Payments", bold=True, size=9)
    s.text(cols[0], y + 5, "Date", bold=True)
    s.text(cols[1], y + 5, "Description", bold=True)
    s.right(cols[3], y + 5, "Amount", bold=True)
    for day, text, amount in payments:
        y = flow.need(4.2)
        s.text(cols[0], y, day.strftime("%m/%d/%Y"))
        s.text(cols[1], y, text)
        s.right(cols[3], y, us(amount, sign="-", dollar="$"))
    y = flow.need(6)
    s.text(cols[1], y + 1, "Total payments for this period", bold=True)
    s.right(cols[3], y + 1, us(sum((a for *_, a in payments), D(0)), sign="-", dollar="$"), bold=True)
    y = flow.need(14)
    s.text(cols[0], y + 3, "Transactions", bold=True, size=9)
    s.text(cols[0], y + 8, "Date", bold=True)
    s.text(cols[1], y + 8, "Description", bold=True)
    s.right(cols[2], y + 8, "Daily Cash", bold=True)
    s.right(cols[3], y + 8, "Amount", bold=True)
    for day, text, pct, amount in transactions:
        y = flow.need(4.2)
        s.text(cols[0], y, day.strftime("%m/%d/%Y"))
        s.text(cols[1], y, text)
        cash = (amount * pct / 100).quantize(D("0.01"))
        s.right(cols[2] - 14, y, f"{pct}%", size=6.5)
        s.right(cols[2], y, us(cash, dollar="$"))
        s.right(cols[3], y, us(amount, dollar="$"))
    y = flow.need(6)
    s.text(cols[1], y + 1, "Total charges, credits and returns", bold=True)
    s.right(cols[3], y + 1, us(sum((a for *_, _, a in transactions), D(0)), dollar="$"), bold=True)
    number_pages(s, "Page {page} /{pages}", 200, 268)
    s.save(path)
    rows = [Row(d, text, -a) for d, text, a in payments] + [
        Row(d, text, -a) for d, text, _, a in transactions
    ]
    return Truth(tuple(rows), -previous, -new_balance)


# --- Standard Bank (ZA): Details / Service Fee / Debits / Credits / Date / Balance, "01 05" month-day
# dates after the amounts, trailing-minus debits, BALANCE BROUGHT FORWARD on each of four pages -------


def write_standard_bank(path: Path) -> Truth:
    s = Sheet("A4", 7.5)
    opening = D("6420.55")
    shops = (
        ("POS PURCHASE WOOLWORTHS ROSEBANK", "-312.45"),
        ("POS PURCHASE CHECKERS HYPER SANDTON", "-84.59"),
        ("IB PAYMENT TO CITY OF JHB 5012345678", "-121.00"),
        ("PREPAID MOBILE PURCHASE VODACOM 0821234567", "-99.00"),
        ("AUTOBANK CASH WITHDRAWAL SANDTON CITY", "-500.00"),
        ("IB TRANSFER FROM SAVINGS 012345678", "1500.00"),
        ("POS PURCHASE ENGEN MELROSE", "-620.35"),
        ("DEBIT ORDER DISCOVERY HEALTH 1234567", "-234.00"),
        ("CREDIT TRANSFER T MOKOENA LUNCH", "250.00"),
        ("POS PURCHASE TAKEALOT.COM CAPE TOWN", "-149.90"),
    )
    items: list[tuple[date, str, Decimal]] = [(date(2024, 1, 2), "SALARY ACME SA PTY LTD", D("28500.00"))]
    for k in range(95):
        text, amount = shops[k % len(shops)]
        items.append((date(2024, 1, 3 + k * 28 // 95), text, D(amount)))
    rows = running(opening, items)
    closing = last_balance(rows)
    cols = (15, 120, 145, 168, 178, 198)

    def money(amount: Decimal) -> str:
        return us(amount) + ("-" if amount < 0 else "")

    def header(page: int) -> float:
        s.text(15, 14, "Standard Bank", bold=True, size=13)
        s.text(115, 14, "CURRENT ACCOUNT STATEMENT", bold=True)
        s.text(115, 18, "Account Number 10 12 345 678 9")
        s.text(115, 22, "Statement from 01 January 2024 to 31 January 2024")
        _page_footer(
            s, "The Standard Bank of South Africa Limited Reg. No. 1962/000738/06", f"Page {page} of 4"
        )
        y = 34
        if page == 1:
            s.text(15, 32, "MR T NKOSI")
            s.text(15, 36, "14 OXFORD ROAD, ROSEBANK 2196")
            y = 48
        for k, label in enumerate(("Details", "Service Fee", "Debits", "Credits", "Date", "Balance")):
            if k in (0, 4):
                s.text(cols[k] if k == 0 else cols[3] + 3, y, label, bold=True)
            else:
                s.right(cols[k], y, label, bold=True)
        return y + 6

    state = {"balance": opening}

    def enter(y: float) -> float:
        s.text(cols[0], y, "BALANCE BROUGHT FORWARD", bold=True)
        s.right(cols[5], y, money(state["balance"]), bold=True)
        return y + 5

    flow = Flow(s, header, 200, enter=enter, first_bottom=150)
    y = flow.need(5)
    s.text(cols[0], y, "BALANCE BROUGHT FORWARD", bold=True)
    s.text(cols[3] + 3, y, "01 01")
    s.right(cols[5], y, money(opening), bold=True)
    for (day, text, amount), row in zip(items, rows, strict=True):
        y = flow.need(4.4)
        s.text(cols[0], y, text)
        s.right(cols[2] if amount < 0 else cols[3], y, money(amount))
        s.text(cols[3] + 3, y, f"{day.month:02d} {day.day:02d}")
        s.right(cols[5], y, money(last_balance([row])))
        state["balance"] = last_balance([row])
    y = flow.need(6)
    s.text(cols[0], y + 1, "CLOSING BALANCE", bold=True)
    s.right(cols[5], y + 1, money(closing), bold=True)
    assert s.pages == 4, s.pages
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- Standard Chartered (HK): Date / Value Date / Description / Deposit / Withdrawal / Balance, "05JAN24"
# dates, HKD, deposits before withdrawals -------------------------------------------------------------


def write_standard_chartered(path: Path) -> Truth:
    s = Sheet("A4", 7.5)
    opening = D("48215.30")
    items: list[tuple[date, list[str], Decimal]] = [
        (date(2024, 1, 2), ["FPS TRANSFER TO CHAN TAI MAN", "BIRTHDAY GIFT"], D("-1200.00")),
        (date(2024, 1, 3), ["EPS PURCHASE PARKNSHOP CAUSEWAY BAY"], D("-486.50")),
        (date(2024, 1, 5), ["AUTOPAY HK ELECTRIC CO LTD"], D("-742.00")),
        (date(2024, 1, 8), ["SALARY ACME HK LTD JAN24"], D("38500.00")),
        (date(2024, 1, 10), ["ATM WITHDRAWAL 1234 QUEENSWAY"], D("-2000.00")),
        (date(2024, 1, 15), ["CREDIT CARD PAYMENT 4XXX XXXX XXXX 7788"], D("-9316.45")),
        (date(2024, 1, 22), ["FPS TRANSFER FROM WONG SIU MING", "DINNER SHARE"], D("380.00")),
        (date(2024, 1, 26), ["STANDING INSTRUCTION RENT FLAT 12B"], D("-16800.00")),
        (date(2024, 1, 31), ["INTEREST CREDIT"], D("3.92")),
    ]
    rows = running(opening, [(d, " ".join(lines), a) for d, lines, a in items])
    closing = last_balance(rows)
    cols = (15, 33, 51, 150, 172, 196)

    def sc(day: date) -> str:
        return day.strftime("%d%b%y").upper()

    def header(page: int) -> float:
        s.text(15, 14, "Standard Chartered", bold=True, size=12)
        s.text(120, 14, "STATEMENT OF ACCOUNT", bold=True)
        s.text(120, 18, "Statement Date 31JAN24")
        s.text(120, 22, "Integrated Account 368-1-234567-8  HKD")
        _page_footer(s, "Standard Chartered Bank (Hong Kong) Limited", f"Page {page}")
        y = 34
        if page == 1:
            s.text(15, 32, "MR LEE KA WAI")
            s.text(15, 36, "FLAT 12B, 8 QUEEN'S ROAD EAST, WAN CHAI")
            y = 48
        labels = ("Date", "Value Date", "Description", "Deposit", "Withdrawal", "Balance")
        for k, label in enumerate(labels):
            (s.text if k < 3 else s.right)(cols[k], y, label, bold=True)
        return y + 6

    flow = Flow(s, header, 270)
    y = flow.need(5)
    s.text(cols[0], y, "01JAN24")
    s.text(cols[2], y, "BALANCE FORWARD")
    s.right(cols[5], y, us(opening))
    for (day, lines, amount), row in zip(items, rows, strict=True):
        y = flow.need(3.7 * len(lines) + 1.5)
        s.text(cols[0], y, sc(day))
        s.text(cols[1], y, sc(day))
        for k, line in enumerate(lines):
            s.text(cols[2], y + 3.7 * k, line)
        s.right(cols[3] if amount > 0 else cols[4], y, us(amount))
        s.right(cols[5], y, us(last_balance([row])))
    y = flow.need(6)
    s.text(cols[2], y + 1, "CLOSING BALANCE", bold=True)
    s.right(cols[5], y + 1, us(closing), bold=True)
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- Bank Leumi (IL, English): Date / Value Date / Description / Reference / Amount / Balance, dd/mm/yy,
# money out in parentheses "(1,234.56)", NIS ------------------------------------------------------------


def write_bank_leumi(path: Path) -> Truth:
    s = Sheet("A4", 7.5)
    opening = D("12840.75")
    items: list[tuple[date, str, str, Decimal]] = [
        (date(2024, 1, 1), "VISA LEUMI CARD CHARGE", "45123", D("-3412.60")),
        (date(2024, 1, 2), "STANDING ORDER ARNONA TEL AVIV", "80011", D("-684.00")),
        (date(2024, 1, 4), "BIT TRANSFER FROM DANA COHEN", "99214", D("150.00")),
        (date(2024, 1, 7), "CHECK WITHDRAWAL", "1042", D("-4500.00")),
        (date(2024, 1, 9), "SALARY ACME ISRAEL LTD", "10001", D("17850.00")),
        (date(2024, 1, 10), "DIRECT DEBIT ELECTRIC CORP", "80432", D("-512.35")),
        (date(2024, 1, 15), "ATM WITHDRAWAL DIZENGOFF CENTER", "71123", D("-1000.00")),
        (date(2024, 1, 21), "TRANSFER TO MORTGAGE LOAN 12345", "60012", D("-5230.40")),
        (date(2024, 1, 31), "ACCOUNT MANAGEMENT FEE", "00931", D("-11.90")),
    ]
    rows = running(opening, [(d, text, a) for d, text, _, a in items])
    closing = last_balance(rows)
    cols = (15, 33, 51, 130, 165, 196)

    def header(page: int) -> float:
        s.text(15, 14, "BANK LEUMI", bold=True, size=13)
        s.text(120, 14, "Current Account Statement", bold=True)
        s.text(120, 18, "Branch 800  Account 12345/67  Currency NIS")
        s.text(120, 22, "Period 01/01/24 - 31/01/24")
        _page_footer(s, "Bank Leumi le-Israel B.M.", f"Page {page}")
        y = 34
        if page == 1:
            s.text(15, 32, "MR YOSSI LEVI")
            s.text(15, 36, "14 ROTHSCHILD BLVD, TEL AVIV")
            y = 48
        labels = ("Date", "Value Date", "Description", "Reference", "Amount", "Balance")
        for k, label in enumerate(labels):
            (s.text if k < 3 else s.right)(cols[k], y, label, bold=True)
        return y + 6

    flow = Flow(s, header, 270)
    y = flow.need(5)
    s.text(cols[2], y, "Opening Balance", bold=True)
    s.right(cols[5], y, parens(opening), bold=True)
    for (day, text, ref, amount), row in zip(items, rows, strict=True):
        y = flow.need(4.5)
        s.text(cols[0], y, day.strftime("%d/%m/%y"))
        s.text(cols[1], y, day.strftime("%d/%m/%y"))
        s.text(cols[2], y, text)
        s.right(cols[3], y, ref)
        s.right(cols[4], y, parens(amount))
        s.right(cols[5], y, parens(last_balance([row])))
    y = flow.need(6)
    s.text(cols[2], y + 1, "Closing Balance", bold=True)
    s.right(cols[5], y + 1, parens(closing), bold=True)
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- Deutsche Bank (DE): Buchung / Valuta / Vorgang / Soll / Haben, "02.01." dates, three-line
# descriptions, signed "- 45,00" / "+ 2.500,00" amounts, Kontostand lines ------------------------------


def write_deutsche_bank(path: Path) -> Truth:
    s = Sheet("A4", 7.5)
    opening = D("2318.64")
    items: list[tuple[date, date, list[str], Decimal]] = [
        (
            date(2024, 1, 2),
            date(2024, 1, 2),
            ["SEPA-Lastschrift von", "Stadtwerke München GmbH", "Abschlag Strom Kd-Nr 4711 01/2024"],
            D("-86.00"),
        ),
        (
            date(2024, 1, 3),
            date(2024, 1, 3),
            ["Dauerauftrag an", "Immobilien Huber GmbH & Co. KG", "Miete Wohnung 3. OG links Januar"],
            D("-1150.00"),
        ),
        (
            date(2024, 1, 5),
            date(2024, 1, 4),
            ["Kartenzahlung", "EDEKA Center Schwabing", "2024-01-04 Debitk. 12 VISA Debit"],
            D("-54.37"),
        ),
        (
            date(2024, 1, 10),
            date(2024, 1, 10),
            ["SEPA-Überweisung von", "Beispiel Software AG", "Lohn/Gehalt 01/2024 Pers-Nr 00815"],
            D("3420.18"),
        ),
        (
            date(2024, 1, 15),
            date(2024, 1, 15),
            ["SEPA-Lastschrift von", "Techniker Krankenkasse", "Beitrag Zusatzversicherung 2024"],
            D("-27.50"),
        ),
        (
            date(2024, 1, 19),
            date(2024, 1, 19),
            ["Auszahlung Geldautomat", "Deutsche Bank Filiale", "Muenchen Marienplatz"],
            D("-200.00"),
        ),
        (
            date(2024, 1, 24),
            date(2024, 1, 24),
            ["SEPA-Überweisung an", "Max Mustermann", "Anteil Urlaub Gardasee 2024"],
            D("-350.00"),
        ),
        (
            date(2024, 1, 31),
            date(2024, 1, 31),
            ["Kontoführungsentgelt", "Aktivkonto Januar 2024", "Details siehe Entgeltaufstellung"],
            D("-11.90"),
        ),
    ]
    closing = opening + sum((a for *_, a in items), D(0))
    cols = (15, 33, 51, 165, 196)

    def signed(amount: Decimal) -> str:
        return ("- " if amount < 0 else "+ ") + eu(amount)

    def header(page: int) -> float:
        s.text(15, 14, "Deutsche Bank", bold=True, size=12)
        s.text(120, 14, "Kontoauszug vom 01.01.2024 bis 31.01.2024", bold=True)
        s.text(120, 18, "Kontonummer 1234567 00  BLZ 700 700 24")
        s.text(120, 22, "IBAN DE89 7007 0024 0123 4567 00")
        _page_footer(s, "Deutsche Bank AG, Taunusanlage 12, 60325 Frankfurt am Main", f"Seite {page}")
        y = 34
        if page == 1:
            s.text(15, 32, "Frau Anna Schmidt")
            s.text(15, 36, "Leopoldstraße 50, 80802 München")
            y = 48
        for k, label in enumerate(("Buchung", "Valuta", "Vorgang", "Soll", "Haben")):
            (s.text if k < 3 else s.right)(cols[k], y, label, bold=True)
        return y + 6

    flow = Flow(s, header, 270, first_bottom=110)
    y = flow.need(6)
    s.text(cols[2], y, "Kontostand am 31.12.2023", bold=True)
    s.right(cols[4], y, signed(opening), bold=True)
    for day, valued, lines, amount in items:
        y = flow.need(3.7 * len(lines) + 2)
        s.text(cols[0], y, day.strftime("%d.%m."))
        s.text(cols[1], y, valued.strftime("%d.%m."))
        for k, line in enumerate(lines):
            s.text(cols[2], y + 3.7 * k, line)
        s.right(cols[3] if amount < 0 else cols[4], y, signed(amount))
    y = flow.need(7)
    s.text(cols[2], y + 2, "Kontostand am 31.01.2024", bold=True)
    s.right(cols[4], y + 2, signed(closing), bold=True)
    s.save(path)
    rows = [Row(d, " ".join(lines), a) for d, _, lines, a in items]
    return Truth(tuple(rows), opening, closing)


# --- OTP Bank (HU): Könyvelés dátuma / Értéknap / Megnevezés / Összeg / Egyenleg, "2024.01.05." dates,
# HUF with no decimals, "-12 500" -----------------------------------------------------------------------


def write_otp(path: Path) -> Truth:
    s = Sheet("A4", 7.5)
    opening = D("384250")
    items: list[tuple[date, str, Decimal]] = [
        (date(2024, 1, 2), "VÁSÁRLÁS KÁRTYÁVAL SPAR 1234 BUDAPEST", D("-12490")),
        (date(2024, 1, 3), "CSOPORTOS BESZEDÉS MVM NEXT ENERGIAKERESKEDELMI", D("-18765")),
        (date(2024, 1, 5), "ÁTUTALÁS JÓVÁÍRÁS MINTA KFT MUNKABÉR", D("612300")),
        (date(2024, 1, 8), "KÉSZPÉNZFELVÉTEL ATM OTP DEÁK TÉR", D("-50000")),
        (date(2024, 1, 10), "AZONNALI ÁTUTALÁS KOVÁCS PÉTER ALBÉRLET", D("-220000")),
        (date(2024, 1, 15), "VÁSÁRLÁS KÁRTYÁVAL MOL TÖLTŐÁLLOMÁS", D("-23840")),
        (date(2024, 1, 22), "ÁTUTALÁS JÓVÁÍRÁS NAGY ÉVA", D("15000")),
        (date(2024, 1, 31), "SZÁMLAVEZETÉSI DÍJ", D("-1495")),
    ]
    rows = running(opening, items)
    closing = last_balance(rows)
    cols = (15, 40, 62, 168, 196)

    def hu(day: date) -> str:
        return day.strftime("%Y.%m.%d.")

    def header(page: int) -> float:
        s.text(15, 14, "OTP Bank", bold=True, size=13)
        s.text(115, 14, "Számlakivonat", bold=True, size=10)
        s.text(115, 19, "Számlaszám 11773016-12345678-00000000")
        s.text(115, 23, "Időszak 2024.01.01. - 2024.01.31.  Devizanem HUF")
        _page_footer(s, "OTP Bank Nyrt. 1051 Budapest, Nádor utca 16.", f"{page}. oldal")
        y = 34
        if page == 1:
            s.text(15, 32, "SZABÓ ANNA")
            s.text(15, 36, "1052 BUDAPEST, VÁCI UTCA 10.")
            y = 48
        labels = ("Könyvelés", "Értéknap", "Megnevezés", "Összeg", "Egyenleg")
        for k, label in enumerate(labels):
            (s.text if k < 3 else s.right)(cols[k], y, label, bold=True)
        return y + 6

    flow = Flow(s, header, 270)
    y = flow.need(5)
    s.text(cols[2], y, "Nyitó egyenleg", bold=True)
    s.right(cols[4], y, forint(opening), bold=True)
    for (day, text, amount), row in zip(items, rows, strict=True):
        y = flow.need(4.5)
        s.text(cols[0], y, hu(day))
        s.text(cols[1], y, hu(day))
        s.text(cols[2], y, text)
        s.right(cols[3], y, forint(amount))
        s.right(cols[4], y, forint(last_balance([row])))
    y = flow.need(12)
    s.text(cols[2], y + 1, "Jóváírások összesen", bold=True)
    s.right(cols[3], y + 1, forint(sum((a for *_, a in items if a > 0), D(0))), bold=True)
    s.text(cols[2], y + 5, "Terhelések összesen", bold=True)
    s.right(cols[3], y + 5, forint(sum((a for *_, a in items if a < 0), D(0))), bold=True)
    s.text(cols[2], y + 9, "Záró egyenleg", bold=True)
    s.right(cols[4], y + 9, forint(closing), bold=True)
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- Nordea (FI): Kirjauspäivä "2024-01-05" / Arvopäivä "05.01" / Maksupäivä, Saaja/Maksaja and
# Viesti lines, "+1 234,56" / "-45,00" EUR, Saldo -------------------------------------------------------


def write_nordea(path: Path) -> Truth:
    s = Sheet("A4", 7.5)
    opening = D("3204.18")
    # (booking date, value date, description lines, signed amount)
    items: list[tuple[date, date, list[str], Decimal]] = [
        (date(2024, 1, 2), date(2024, 1, 2), ["KORTTIOSTO", "K-CITYMARKET HELSINKI ITÄKESKUS"], D("-78.45")),
        (date(2024, 1, 3), date(2024, 1, 3), ["E-LASKU", "HELEN OY", "Viite 12345 67890"], D("-64.20")),
        (date(2024, 1, 5), date(2024, 1, 5), ["PALKKA", "ESIMERKKI OYJ"], D("2875.33")),
        (date(2024, 1, 8), date(2024, 1, 5), ["KORTTIOSTO", "HSL MOBIILI"], D("-64.70")),
        (
            date(2024, 1, 10),
            date(2024, 1, 10),
            ["TILISIIRTO", "ASUNTO OY KALLION HELMI", "Vuokra tammikuu"],
            D("-980.00"),
        ),
        (date(2024, 1, 16), date(2024, 1, 16), ["MOBILEPAY", "VIRTANEN MATTI"], D("25.00")),
        (date(2024, 1, 22), date(2024, 1, 22), ["KÄTEISNOSTO", "OTTO HELSINKI KAMPPI"], D("-100.00")),
        (date(2024, 1, 31), date(2024, 1, 31), ["PALVELUMAKSU", "NORDEA ASIAKKUUS"], D("-6.90")),
    ]
    rows = running(opening, [(d, " ".join(lines), a) for d, _, lines, a in items])
    closing = last_balance(rows)
    cols = (15, 38, 56, 165, 196)

    def signed(amount: Decimal) -> str:
        return ("+" if amount > 0 else "") + polish(amount)

    def header(page: int) -> float:
        s.text(15, 14, "Nordea", bold=True, size=14)
        s.text(115, 14, "Tiliote", bold=True, size=10)
        s.text(115, 19, "Tili FI12 1234 5600 0007 85  EUR")
        s.text(115, 23, "Ajalta 2024-01-01 - 2024-01-31")
        _page_footer(s, "Nordea Bank Abp, Satamaradankatu 5, 00020 NORDEA", f"Sivu {page}")
        y = 34
        if page == 1:
            s.text(15, 32, "LIISA KORHONEN")
            s.text(15, 36, "MANNERHEIMINTIE 10 A 5, 00100 HELSINKI")
            y = 48
        labels = ("Kirjauspäivä", "Arvopäivä", "Tapahtuma", "Määrä EUR", "Saldo")
        for k, label in enumerate(labels):
            (s.text if k < 3 else s.right)(cols[k], y, label, bold=True)
        return y + 6

    flow = Flow(s, header, 270)
    y = flow.need(5)
    s.text(cols[2], y, "Alkusaldo 2024-01-01", bold=True)
    s.right(cols[4], y, polish(opening), bold=True)
    for (day, valued, lines, amount), row in zip(items, rows, strict=True):
        y = flow.need(3.7 * len(lines) + 1.5)
        s.text(cols[0], y, day.isoformat())
        s.text(cols[1], y, valued.strftime("%d.%m"))
        for k, line in enumerate(lines):
            s.text(cols[2], y + 3.7 * k, line)
        s.right(cols[3], y, signed(amount))
        s.right(cols[4], y, polish(last_balance([row])))
    y = flow.need(6)
    s.text(cols[2], y + 1, "Loppusaldo 2024-01-31", bold=True)
    s.right(cols[4], y + 1, polish(closing), bold=True)
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- Seventh set helpers ---------------------------------------------------------------------------


def whole(amount: Decimal, signed: bool = True) -> str:
    """A currency with no minor unit grouped by commas: ``-1,234,567`` (KRW, JPY)."""
    text = f"{abs(amount):,.0f}"
    return f"-{text}" if signed and amount < 0 else text


def _simple_header(s: Sheet, lines: Sequence[tuple[str, bool]], footer: str, page_label: str) -> None:
    for k, (line, bold) in enumerate(lines):
        s.text(115 if k else 15, 14 + (4 * (k - 1) if k else 0), line, bold=bold, size=None if k else 12)
    _page_footer(s, footer, page_label)


# --- Bank of Ireland (IE): Date / Transaction details / Payments - out / Payments - in / Balance, "18 Dec"
# dates whose year prints only in the period, rows from December into January ---------------------------


def write_bank_of_ireland(path: Path) -> Truth:
    s = Sheet("A4", 7.5)
    opening = D("1842.36")
    items: list[tuple[date, str, Decimal]] = [
        (date(2023, 12, 18), "POS DUNNES STORES CORK", D("-86.42")),
        (date(2023, 12, 20), "D/D ELECTRIC IRELAND", D("-112.60")),
        (date(2023, 12, 22), "365 ONLINE TO SEAN MURPHY", D("-50.00")),
        (date(2023, 12, 27), "SALARY ACME IRELAND LTD", D("3120.55")),
        (date(2023, 12, 29), "POS TESCO DOUGLAS", D("-64.18")),
        (date(2024, 1, 2), "S/O RENT PATRICK ST APTS", D("-1450.00")),
        (date(2024, 1, 5), "ATM PATRICK STREET CORK", D("-100.00")),
        (date(2024, 1, 9), "POS CIRCLE K BLACKPOOL", D("-58.90")),
        (date(2024, 1, 12), "INT ACCOUNT FEES", D("-6.00")),
    ]
    rows = running(opening, items)
    closing = last_balance(rows)
    cols = (15, 35, 140, 168, 196)

    def header(page: int) -> float:
        _simple_header(
            s,
            [
                ("Bank of Ireland", True),
                ("Current Account Statement", True),
                ("Your account name  MS AOIFE O'BRIEN", False),
                ("IBAN IE29 BOFI 9000 1712 3456 78", False),
                ("Statement period 15 December 2023 to 14 January 2024", False),
            ],
            "Bank of Ireland is regulated by the Central Bank of Ireland.",
            f"Page {page}",
        )
        labels = ("Date", "Transaction details", "Payments - out", "Payments - in", "Balance")
        for k, label in enumerate(labels):
            (s.text if k < 2 else s.right)(cols[k], 40, label, bold=True)
        return 46

    flow = Flow(s, header, 270)
    y = flow.need(4.5)
    s.text(cols[0], y, "15 Dec")
    s.text(cols[1], y, "BALANCE FORWARD")
    s.right(cols[4], y, us(opening))
    for (day, text, amount), row in zip(items, rows, strict=True):
        y = flow.need(4.5)
        s.text(cols[0], y, day.strftime("%d %b"))
        s.text(cols[1], y, text)
        s.right(cols[2] if amount < 0 else cols[3], y, us(amount))
        s.right(cols[4], y, us(last_balance([row])))
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- Raiffeisen (AT): Buchungsdatum / Buchungstext / Valuta / Betrag / Saldo, a currency code in every
# amount cell "EUR -1.234,56", Alter Saldo / Neuer Saldo -------------------------------------------------


def write_raiffeisen(path: Path) -> Truth:
    s = Sheet("A4", 7.5)
    opening = D("2456.80")
    items: list[tuple[date, str, Decimal]] = [
        (date(2024, 2, 1), "Dauerauftrag Miete Wohnbau GmbH", D("-890.00")),
        (date(2024, 2, 2), "Bezahlung Karte BILLA DANKT 1234 Wien", D("-47.36")),
        (date(2024, 2, 5), "Gutschrift Gehalt Muster AG Februar", D("2784.12")),
        (date(2024, 2, 9), "Lastschrift Wien Energie GmbH", D("-96.00")),
        (date(2024, 2, 14), "Behebung Bankomat Raiffeisen Graben", D("-200.00")),
        (date(2024, 2, 20), "Überweisung an Huber Thomas Ski", D("-125.50")),
        (date(2024, 2, 29), "Kontoführung Februar", D("-8.90")),
    ]
    rows = running(opening, items)
    closing = last_balance(rows)
    cols = (15, 42, 132, 165, 196)

    def money(amount: Decimal) -> str:
        return "EUR " + eu(amount, signed=True)

    def header(page: int) -> float:
        _simple_header(
            s,
            [
                ("Raiffeisenbank", True),
                ("Kontoauszug Nr. 2/2024", True),
                ("IBAN AT61 3200 0000 1234 5678", False),
                ("Zeitraum 01.02.2024 bis 29.02.2024", False),
            ],
            "Raiffeisenlandesbank Niederösterreich-Wien AG",
            f"Seite {page}",
        )
        for k, label in enumerate(("Buchungsdatum", "Buchungstext", "Valuta", "Betrag", "Saldo")):
            (s.text if k < 3 else s.right)(cols[k], 40, label, bold=True)
        return 46

    flow = Flow(s, header, 270)
    y = flow.need(5)
    s.text(cols[1], y, "Alter Saldo", bold=True)
    s.right(cols[4], y, money(opening), bold=True)
    for (day, text, amount), row in zip(items, rows, strict=True):
        y = flow.need(4.5)
        s.text(cols[0], y, day.strftime("%d.%m.%Y"))
        s.text(cols[1], y, text)
        s.text(cols[2], y, day.strftime("%d.%m."))
        s.right(cols[3], y, money(amount))
        s.right(cols[4], y, money(last_balance([row])))
    y = flow.need(6)
    s.text(cols[1], y + 1, "Neuer Saldo", bold=True)
    s.right(cols[4], y + 1, money(closing), bold=True)
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- BMO (CA): Date / Description / Balance / Amount, the balance column before a signed amount,
# "Jan 05" dates ---------------------------------------------------------------------------------------


def write_bmo(path: Path) -> Truth:
    s = Sheet("Letter", 7.5)
    opening = D("3187.42")
    items: list[tuple[date, str, Decimal]] = [
        (date(2024, 1, 3), "INTERAC e-Transfer Sent to L CHEN", D("-240.00")),
        (date(2024, 1, 5), "Debit Card Purchase LOBLAWS #1021 TORONTO", D("-132.87")),
        (date(2024, 1, 12), "Payroll Deposit ACME CANADA INC", D("2650.00")),
        (date(2024, 1, 15), "Pre-Authorized Payment ROGERS WIRELESS", D("-95.31")),
        (date(2024, 1, 19), "ABM Withdrawal BMO KING & BAY", D("-100.00")),
        (date(2024, 1, 24), "Bill Payment TORONTO HYDRO", D("-118.45")),
        (date(2024, 1, 31), "Plan Fee Performance Plan", D("-17.95")),
    ]
    rows = running(opening, items)
    closing = last_balance(rows)
    cols = (15, 35, 165, 196)

    def header(page: int) -> float:
        _simple_header(
            s,
            [
                ("BMO Bank of Montreal", True),
                ("Everyday Banking Statement", True),
                ("Primary Chequing Account # 1234 5678-901", False),
                ("For the period ending January 31, 2024", False),
            ],
            "BMO Bank of Montreal. Trademarks of Bank of Montreal.",
            f"Page {page}",
        )
        for k, label in enumerate(("Date", "Description", "Balance ($)", "Amount ($)")):
            (s.text if k < 2 else s.right)(cols[k], 40, label, bold=True)
        return 46

    flow = Flow(s, header, 255)
    y = flow.need(4.5)
    s.text(cols[0], y, "Jan 01")
    s.text(cols[1], y, "Opening balance")
    s.right(cols[2], y, us(opening))
    for (day, text, amount), row in zip(items, rows, strict=True):
        y = flow.need(4.5)
        s.text(cols[0], y, day.strftime("%b %d"))
        s.text(cols[1], y, text)
        s.right(cols[2], y, us(last_balance([row])))
        s.right(cols[3], y, us(amount, sign="-"))
    y = flow.need(4.5)
    s.text(cols[0], y, "Jan 31")
    s.text(cols[1], y, "Closing balance")
    s.right(cols[2], y, us(closing))
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- Kotak Mahindra Bank (IN): Date / Narration / Chq/Ref No. / Amount / Dr/Cr / Balance, one amount
# column with a separate Dr/Cr indicator --------------------------------------------------------------


def write_kotak(path: Path) -> Truth:
    s = Sheet("A4", 7.5)
    opening = D("48210.55")
    items: list[tuple[date, str, str, Decimal]] = [
        (date(2024, 1, 2), "UPI/SWIGGY/400212345678/Food order", "UPI-400212345678", D("-486.00")),
        (date(2024, 1, 4), "NEFT ACME TECHNOLOGIES PVT LTD SALARY", "NEFTINW-0012345", D("92500.00")),
        (date(2024, 1, 5), "IMPS/P2A/401512/RAHUL SHARMA/Rent", "IMPS-401512", D("-25000.00")),
        (date(2024, 1, 9), "ATL/ATM WDL ANDHERI EAST MUMBAI", "ATM-9021", D("-10000.00")),
        (date(2024, 1, 15), "BIL/ONL/TATA POWER MUMBAI", "BIL-88123", D("-2340.75")),
        (date(2024, 1, 20), "UPI/AMIT PATEL/401900987654/Dinner", "UPI-401900987654", D("1200.00")),
        (date(2024, 1, 31), "Int.Pd:1234567890:01-10-2023 to 31-12-2023", "INT-Q3", D("612.00")),
    ]
    rows = running(opening, [(d, text, a) for d, text, _, a in items])
    closing = last_balance(rows)
    cols = (15, 36, 118, 162, 170, 196)

    def header(page: int) -> float:
        _simple_header(
            s,
            [
                ("kotak", True),
                ("Account Statement", True),
                ("Account No. 1234567890  Savings  INR", False),
                ("Period 01-01-2024 to 31-01-2024", False),
            ],
            "Kotak Mahindra Bank Ltd. This is a computer generated statement.",
            f"Page {page}",
        )
        labels = ("Date", "Narration", "Chq/Ref No.", "Amount", "Dr/Cr", "Balance")
        for k, label in enumerate(labels):
            (s.right if k in (3, 5) else s.text)(cols[k], 40, label, bold=True)
        return 46

    flow = Flow(s, header, 270)
    y = flow.need(4.5)
    s.text(cols[1], y, "OPENING BALANCE", bold=True)
    s.right(cols[5], y, us(opening), bold=True)
    for (day, text, ref, amount), row in zip(items, rows, strict=True):
        y = flow.need(4.5)
        s.text(cols[0], y, day.strftime("%d-%m-%Y"))
        s.text(cols[1], y, text, size=6.5)
        s.text(cols[2], y, ref, size=6.5)
        s.right(cols[3], y, us(amount))
        s.text(cols[4], y, "DR" if amount < 0 else "CR")
        s.right(cols[5], y, us(last_balance([row])))
    y = flow.need(6)
    s.text(cols[1], y + 1, "CLOSING BALANCE", bold=True)
    s.right(cols[5], y + 1, us(closing), bold=True)
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- Truist (US checking): Deposits and Other withdrawals sections of DATE / DESCRIPTION / AMOUNT that
# run onto the next page without repeating the column header, no running balance ------------------------


def write_truist(path: Path) -> Truth:
    s = Sheet("Letter", 7.5)
    opening = D("2604.11")
    deposits = [
        (date(2024, 1, 2), "DEPOSIT MOBILE 240102", D("350.00")),
        (date(2024, 1, 12), "ACME CORP PAYROLL 011224 CCD ID: 1234567890", D("2214.37")),
        (date(2024, 1, 26), "ACME CORP PAYROLL 012624 CCD ID: 1234567890", D("2214.37")),
    ]
    shops = (
        ("POS DEBIT FOOD LION #1234 RALEIGH NC", "41.27"),
        ("POS DEBIT HARRIS TEETER 0321 CARY NC", "63.80"),
        ("DEBIT CARD PURCHASE SHEETZ 0458 DURHAM NC", "38.15"),
        ("ZELLE TRANSFER TO SMITH JOHN CONF# Q8A1B2", "25.00"),
        ("DEBIT CARD PURCHASE AMAZON MKTPL AMZN.COM/BILL WA", "19.99"),
        ("DUKE ENERGY BILL PAY 240115 PPD", "142.63"),
    )
    withdrawals = [
        (date(2024, 1, 2 + k * 29 // 60), shops[k % len(shops)][0], D(shops[k % len(shops)][1]))
        for k in range(60)
    ]
    total_in = sum((a for *_, a in deposits), D(0))
    total_out = sum((a for *_, a in withdrawals), D(0))
    closing = opening + total_in - total_out
    cols = (15, 35, 200)

    def header(page: int) -> float:
        s.text(15, 14, "TRUIST", bold=True, size=13)
        s.text(120, 14, "TRUIST ONE CHECKING 1100012345678")
        s.text(120, 18, "Statement period 01/01/2024 - 01/31/2024")
        if page == 1:
            s.text(15, 28, "JORDAN BAKER")
            s.text(15, 32, "410 FAYETTEVILLE ST, RALEIGH NC 27601")
            s.text(15, 42, "Account summary", bold=True)
            summary = [
                ("Your previous balance as of 12/31/2023", us(opening, dollar="$")),
                ("Deposits, credits and interest", "+ " + us(total_in)),
                ("Checks, withdrawals and debits", "- " + us(total_out)),
                ("Your new balance as of 01/31/2024", "= " + us(closing, dollar="$")),
            ]
            for k, (label, value) in enumerate(summary):
                s.text(15, 47 + 4 * k, label)
                s.right(120, 47 + 4 * k, value)
            return 70
        return 28

    flow = Flow(s, header, 255)
    for title, entries, total_label, total in (
        ("Deposits, credits and interest", deposits, "Total deposits, credits and interest", total_in),
        ("Other withdrawals, debits and service charges", withdrawals, "Total other withdrawals", total_out),
    ):
        y = flow.need(10)
        s.text(cols[0], y, title, bold=True, size=8.5)
        s.text(cols[0], y + 5, "DATE", bold=True)
        s.text(cols[1], y + 5, "DESCRIPTION", bold=True)
        s.right(cols[2], y + 5, "AMOUNT($)", bold=True)
        flow.y += 1
        for day, text, amount in entries:
            y = flow.need(4.2)
            s.text(cols[0], y, day.strftime("%m/%d"))
            s.text(cols[1], y, text)
            s.right(cols[2], y, us(amount))
        y = flow.need(6)
        s.text(cols[1], y + 1, total_label, bold=True)
        s.right(cols[2], y + 1, us(total, dollar="$"), bold=True)
    number_pages(s, "Page {page} of {pages}", 200, 268)
    s.save(path)
    rows = [Row(d, t, a) for d, t, a in deposits] + [Row(d, t, -a) for d, t, a in withdrawals]
    return Truth(tuple(rows), opening, closing)


# --- NAB (AU): Date / Particulars / Debits / Credits / Balance, "2 Jan 2024" dates, a merchant line printed
# above its date line, balances with a "Cr" suffix ---------------------------------------------------------


def write_nab(path: Path) -> Truth:
    s = Sheet("A4", 7.5)
    opening = D("5230.40")
    # (date, line above the date line or "", line on the date line, signed amount)
    items: list[tuple[date, str, str, Decimal]] = [
        (date(2024, 1, 2), "WOOLWORTHS 1234 SYDNEY", "EFTPOS PURCHASE", D("-87.45")),
        (date(2024, 1, 4), "", "SALARY ACME PTY LTD", D("3412.80")),
        (date(2024, 1, 8), "ORIGIN ENERGY 9876543", "BPAY PAYMENT", D("-214.60")),
        (date(2024, 1, 11), "", "TRANSFER TO J SMITH RENT", D("-1900.00")),
        (date(2024, 1, 16), "CALTEX STAR MART NEWTOWN", "EFTPOS PURCHASE", D("-72.10")),
        (date(2024, 1, 23), "", "ATM WITHDRAWAL NAB HOUSE", D("-200.00")),
        (date(2024, 1, 31), "", "ACCOUNT FEE", D("-5.00")),
    ]
    rows = running(opening, [(d, f"{above} {line}".strip(), a) for d, above, line, a in items])
    closing = last_balance(rows)
    cols = (15, 38, 140, 165, 196)

    def header(page: int) -> float:
        _simple_header(
            s,
            [
                ("NAB", True),
                ("NAB Classic Banking Statement", True),
                ("BSB 082-001  Account 12-345-6789", False),
                ("Statement period 1 Jan 2024 to 31 Jan 2024", False),
            ],
            "National Australia Bank Limited ABN 12 004 044 937",
            f"Page {page}",
        )
        for k, label in enumerate(("Date", "Particulars", "Debits", "Credits", "Balance")):
            (s.text if k < 2 else s.right)(cols[k], 40, label, bold=True)
        return 46

    flow = Flow(s, header, 270)
    y = flow.need(5)
    s.text(cols[0], y, "1 Jan 2024")
    s.text(cols[1], y, "Brought forward")
    s.right(cols[4], y, us(opening) + " Cr")
    for (day, above, line, amount), row in zip(items, rows, strict=True):
        y = flow.need(8.5 if above else 5) + (3.7 if above else 0)
        if above:
            s.text(cols[1], y - 3.7, above)
        s.text(cols[0], y, f"{day.day} {day:%b %Y}")
        s.text(cols[1], y, line)
        s.right(cols[2] if amount < 0 else cols[3], y, us(amount))
        s.right(cols[4], y, us(last_balance([row])) + " Cr")
    y = flow.need(6)
    s.text(cols[0], y + 1, "31 Jan 2024")
    s.text(cols[1], y + 1, "Carried forward")
    s.right(cols[4], y + 1, us(closing) + " Cr")
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- AIB (IE): Date / Details / Debit € / Credit € / Balance €, the account overdrawn mid-period with
# balances printed "123.45 DR" -------------------------------------------------------------------------


def write_aib(path: Path) -> Truth:
    s = Sheet("A4", 7.5)
    opening = D("412.30")
    items: list[tuple[date, str, Decimal]] = [
        (date(2024, 1, 2), "D/D VIRGIN MEDIA IRELAND", D("-79.00")),
        (date(2024, 1, 3), "VDP-SUPERVALU RATHMINES", D("-64.85")),
        (date(2024, 1, 5), "S/O RENT J KELLY", D("-950.00")),
        (date(2024, 1, 8), "VDC-LIDL DUBLIN 6", D("-38.22")),
        (date(2024, 1, 15), "OVERDRAFT INTEREST", D("-4.17")),
        (date(2024, 1, 19), "SALARY ACME DUBLIN LTD", D("2845.60")),
        (date(2024, 1, 24), "ATM O'CONNELL ST", D("-100.00")),
    ]
    rows = running(opening, items)
    closing = last_balance(rows)
    cols = (15, 40, 140, 165, 196)

    def bal(amount: Decimal) -> str:
        return us(amount) + (" DR" if amount < 0 else "")

    def header(page: int) -> float:
        _simple_header(
            s,
            [
                ("AIB", True),
                ("Statement of Account", True),
                ("Account Name  MR CIARAN WALSH  NSC 93-11-52", False),
                ("Date of Statement 31 Jan 2024  Account Number 12345-678", False),
            ],
            "Allied Irish Banks, p.l.c. is regulated by the Central Bank of Ireland.",
            f"Page {page}",
        )
        for k, label in enumerate(("Date", "Details", "Debit €", "Credit €", "Balance €")):
            (s.text if k < 2 else s.right)(cols[k], 40, label, bold=True)
        return 46

    flow = Flow(s, header, 270)
    y = flow.need(4.5)
    s.text(cols[0], y, "01 Jan 2024")
    s.text(cols[1], y, "BALANCE FORWARD")
    s.right(cols[4], y, bal(opening))
    for (day, text, amount), row in zip(items, rows, strict=True):
        y = flow.need(4.5)
        s.text(cols[0], y, day.strftime("%d %b %Y"))
        s.text(cols[1], y, text)
        s.right(cols[2] if amount < 0 else cols[3], y, us(amount))
        s.right(cols[4], y, bal(last_balance([row])))
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- KB Kookmin Bank (KR, English): Date / Description / Withdrawal / Deposit / Balance, "2024.01.05"
# dates, KRW with no decimals "1,234,567" ----------------------------------------------------------------


def write_kb_kookmin(path: Path) -> Truth:
    s = Sheet("A4", 7.5)
    opening = D("1845300")
    items: list[tuple[date, str, Decimal]] = [
        (date(2024, 1, 2), "CHECK CARD GS25 GANGNAM", D("-12400")),
        (date(2024, 1, 5), "AUTO TRANSFER KT MOBILE", D("-65890")),
        (date(2024, 1, 10), "SALARY ACME KOREA CO LTD", D("3850000")),
        (date(2024, 1, 12), "INTERNET BANKING TRANSFER KIM MINJI", D("-500000")),
        (date(2024, 1, 18), "CHECK CARD E-MART SEONGSU", D("-87320")),
        (date(2024, 1, 25), "RENT MONTHLY LEE APT 101", D("-950000")),
        (date(2024, 1, 31), "DEPOSIT INTEREST", D("215")),
    ]
    rows = running(opening, items)
    closing = last_balance(rows)
    cols = (15, 38, 150, 173, 196)

    def header(page: int) -> float:
        _simple_header(
            s,
            [
                ("KB Kookmin Bank", True),
                ("Transaction History (Statement)", True),
                ("Account No. 123456-01-234567  KRW", False),
                ("Inquiry Period 2024.01.01 ~ 2024.01.31", False),
            ],
            "KB Kookmin Bank, 26 Gukjegeumyung-ro 8-gil, Yeongdeungpo-gu, Seoul",
            f"Page {page}",
        )
        for k, label in enumerate(("Date", "Description", "Withdrawal", "Deposit", "Balance")):
            (s.text if k < 2 else s.right)(cols[k], 40, label, bold=True)
        return 46

    flow = Flow(s, header, 270)
    y = flow.need(4.5)
    s.text(cols[1], y, "Previous Balance", bold=True)
    s.right(cols[4], y, whole(opening), bold=True)
    for (day, text, amount), row in zip(items, rows, strict=True):
        y = flow.need(4.5)
        s.text(cols[0], y, day.strftime("%Y.%m.%d"))
        s.text(cols[1], y, text)
        s.right(cols[2] if amount < 0 else cols[3], y, whole(amount, signed=False))
        s.right(cols[4], y, whole(last_balance([row])))
    y = flow.need(6)
    s.text(cols[1], y + 1, "Current Balance", bold=True)
    s.right(cols[4], y + 1, whole(closing), bold=True)
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- MUFG Bank (JP, English): Date / Description / Withdrawals / Deposits / Balance, "2024/01/05" dates,
# JPY with no decimals and a leading "¥" on the balances ---------------------------------------------------


def write_mufg(path: Path) -> Truth:
    s = Sheet("A4", 7.5)
    opening = D("684250")
    items: list[tuple[date, str, Decimal]] = [
        (date(2024, 1, 4), "CARD LAWSON SHIBUYA", D("-1280")),
        (date(2024, 1, 5), "TOKYO GAS AUTO DEBIT", D("-6842")),
        (date(2024, 1, 10), "TRANSFER TANAKA HIROSHI RENT", D("-115000")),
        (date(2024, 1, 15), "ATM WITHDRAWAL SHINJUKU", D("-30000")),
        (date(2024, 1, 25), "SALARY ACME JAPAN KK", D("385400")),
        (date(2024, 1, 29), "NTT DOCOMO AUTO DEBIT", D("-8910")),
        (date(2024, 1, 31), "TRANSFER FEE", D("-330")),
    ]
    rows = running(opening, items)
    closing = last_balance(rows)
    cols = (15, 38, 150, 173, 196)

    def header(page: int) -> float:
        _simple_header(
            s,
            [
                ("MUFG Bank", True),
                ("Statement of Ordinary Deposit Account", True),
                ("Branch Shibuya (135)  Account No. 1234567  JPY", False),
                ("Period 2024/01/01 - 2024/01/31", False),
            ],
            "MUFG Bank, Ltd. 2-7-1 Marunouchi, Chiyoda-ku, Tokyo",
            f"Page {page}",
        )
        for k, label in enumerate(("Date", "Description", "Withdrawals", "Deposits", "Balance")):
            (s.text if k < 2 else s.right)(cols[k], 40, label, bold=True)
        return 46

    flow = Flow(s, header, 270)
    y = flow.need(4.5)
    s.text(cols[0], y, "2024/01/01")
    s.text(cols[1], y, "BALANCE BROUGHT FORWARD")
    s.right(cols[4], y, "¥" + whole(opening))
    for (day, text, amount), row in zip(items, rows, strict=True):
        y = flow.need(4.5)
        s.text(cols[0], y, day.strftime("%Y/%m/%d"))
        s.text(cols[1], y, text)
        s.right(cols[2] if amount < 0 else cols[3], y, whole(amount, signed=False))
        s.right(cols[4], y, "¥" + whole(last_balance([row])))
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- Itaú (BR): data / lançamentos / valor (R$) / saldo (R$), "dd/mm" dates, SALDO ANTERIOR, the account
# going into cheque especial with balances printed "-1.234,56" ----------------------------------------------


def write_itau(path: Path) -> Truth:
    s = Sheet("A4", 7.5)
    opening = D("842.15")
    items: list[tuple[date, str, Decimal]] = [
        (date(2024, 1, 2), "PIX TRANSF MARIA S02/01", D("-350.00")),
        (date(2024, 1, 3), "ALUGUEL IMOB CENTRAL", D("-1800.00")),
        (date(2024, 1, 5), "DA ENEL SP 12345678", D("-214.37")),
        (date(2024, 1, 8), "CARTAO ITAUCARD FATURA", D("-1120.90")),
        (date(2024, 1, 10), "JUROS LIMITE DA CONTA", D("-38.42")),
        (date(2024, 1, 15), "SISPAG ACME BRASIL LTDA SALARIO", D("5420.00")),
        (date(2024, 1, 22), "PIX QRS PADARIA BELA VISTA", D("-27.50")),
    ]
    rows = running(opening, items)
    closing = last_balance(rows)
    cols = (15, 35, 160, 196)

    def header(page: int) -> float:
        _simple_header(
            s,
            [
                ("Itaú", True),
                ("extrato conta corrente", True),
                ("agência 0123  conta 45678-9", False),
                ("período de visualização: 01/01/2024 até 31/01/2024", False),
            ],
            "Itaú Unibanco S.A. SAC 0800 728 0728",
            f"{page}",
        )
        for k, label in enumerate(("data", "lançamentos", "valor (R$)", "saldo (R$)")):
            (s.text if k < 2 else s.right)(cols[k], 40, label, bold=True)
        return 46

    flow = Flow(s, header, 270)
    y = flow.need(4.5)
    s.text(cols[0], y, "29/12")
    s.text(cols[1], y, "SALDO ANTERIOR")
    s.right(cols[3], y, eu(opening, signed=True))
    for (day, text, amount), row in zip(items, rows, strict=True):
        y = flow.need(4.5)
        s.text(cols[0], y, day.strftime("%d/%m"))
        s.text(cols[1], y, text)
        s.right(cols[2], y, eu(amount, signed=True))
        s.right(cols[3], y, eu(last_balance([row]), signed=True))
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- Eighth set helpers ---------------------------------------------------------------------------------


def _labels(s: Sheet, cols: Sequence[float], labels: Sequence[str], right_from: int, y: float = 40) -> None:
    """A bold header row: labels before index ``right_from`` left-aligned, the rest right-aligned."""
    for k, label in enumerate(labels):
        (s.text if k < right_from else s.right)(cols[k], y, label, bold=True)


FRENCH_CANADIAN_MONTHS = (
    "JANV", "FÉVR", "MARS", "AVR", "MAI", "JUIN", "JUIL", "AOÛT", "SEPT", "OCT", "NOV", "DÉC",
)


# --- Desjardins (CA, French): Date / Description / Retraits / Dépôts / Solde, "05 JANV" dates, "1 234,56"
# amounts, Solde d'ouverture / Solde de fermeture ---------------------------------------------------------


def write_desjardins(path: Path) -> Truth:
    s = Sheet("Letter", 7.5)
    opening = D("1873.25")
    items: list[tuple[date, str, Decimal]] = [
        (date(2024, 1, 3), "Paiement facture Hydro-Québec /AccèsD", D("-142.87")),
        (date(2024, 1, 5), "Achat IGA EXTRA #8123 MONTRÉAL QC", D("-96.42")),
        (date(2024, 1, 11), "Dépôt paie ACME CANADA INC", D("2418.60")),
        (date(2024, 1, 15), "Virement Interac à M TREMBLAY", D("-850.00")),
        (date(2024, 1, 19), "Retrait GA Caisse du Plateau", D("-120.00")),
        (date(2024, 1, 25), "Dépôt paie ACME CANADA INC", D("2418.60")),
        (date(2024, 1, 31), "Frais mensuels forfait", D("-10.95")),
    ]
    rows = running(opening, items)
    closing = last_balance(rows)
    cols = (15, 35, 150, 173, 200)

    def header(page: int) -> float:
        _simple_header(
            s,
            [
                ("Desjardins", True),
                ("Relevé de compte", True),
                ("Caisse Desjardins du Plateau-Mont-Royal  Folio 123456", False),
                ("Période du 1er janvier 2024 au 31 janvier 2024", False),
            ],
            "Fédération des caisses Desjardins du Québec",
            f"Page {page}",
        )
        _labels(s, cols, ("Date", "Description", "Retraits", "Dépôts", "Solde"), 2)
        return 46

    flow = Flow(s, header, 255)
    y = flow.need(4.5)
    s.text(cols[0], y, "01 JANV")
    s.text(cols[1], y, "Solde d'ouverture")
    s.right(cols[4], y, french(opening))
    for (day, text, amount), row in zip(items, rows, strict=True):
        y = flow.need(4.5)
        s.text(cols[0], y, f"{day.day:02d} {FRENCH_CANADIAN_MONTHS[day.month - 1]}")
        s.text(cols[1], y, text)
        s.right(cols[2] if amount < 0 else cols[3], y, french(amount))
        s.right(cols[4], y, french(last_balance([row])))
    y = flow.need(4.5)
    s.text(cols[0], y, "31 JANV")
    s.text(cols[1], y, "Solde de fermeture")
    s.right(cols[4], y, french(closing))
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- Société Générale (FR): Date / Valeur / Nature de l'opération / Débit / Crédit, no running balance,
# a "Sous-total" line of the page's débits and crédits at the foot of every page, SOLDE PRÉCÉDENT /
# NOUVEAU SOLDE -----------------------------------------------------------------------------------------


def write_societe_generale(path: Path) -> Truth:
    s = Sheet("A4", 7.5)
    opening = D("3518.40")
    shops = (
        ("CARTE X1234 CARREFOUR CITY PARIS 11", "-23.84"),
        ("PRLV SEPA EDF CLIENTS PARTICULIERS", "-74.00"),
        ("CARTE X1234 SNCF INTERNET", "-58.00"),
        ("VIR RECU ACME FRANCE SAS SALAIRE", "2612.35"),
        ("CARTE X1234 MONOPRIX PARIS", "-41.17"),
        ("PRLV SEPA FREE MOBILE", "-19.99"),
        ("RETRAIT DAB SG PARIS BASTILLE", "-60.00"),
    )
    items = [(date(2024, 1, 2 + k * 29 // 50), shops[k % 7][0], D(shops[k % 7][1])) for k in range(50)]
    closing = opening + sum((a for *_, a in items), D(0))
    cols = (15, 35, 55, 170, 198)

    def header(page: int) -> float:
        _simple_header(
            s,
            [
                ("SOCIETE GENERALE", True),
                ("RELEVÉ DE COMPTE", True),
                ("Compte courant n° 30003 01234 00050123456 78", False),
                ("du 01/01/2024 au 31/01/2024", False),
            ],
            "Société Générale S.A. au capital de 1 003 724 927,50 EUR - 552 120 222 RCS Paris",
            f"Page {page}",
        )
        _labels(s, cols, ("Date", "Valeur", "Nature de l'opération", "Débit", "Crédit"), 3)
        return 46

    def subtotal(y: float) -> None:
        s.text(cols[2], y + 1, "Sous-total", bold=True)
        s.right(cols[3], y + 1, french(sums["out"]), bold=True)
        s.right(cols[4], y + 1, french(sums["in"]), bold=True)

    flow, sums = page_totals_flow(s, header, 265, 265, subtotal)
    y = flow.need(5)
    s.text(cols[2], y, "SOLDE PRÉCÉDENT AU 31/12/2023", bold=True)
    s.right(cols[4], y, french(opening), bold=True)
    for day, text, amount in items:
        y = flow.need(4.5)
        s.text(cols[0], y, day.strftime("%d/%m/%Y"))
        s.text(cols[1], y, day.strftime("%d/%m/%Y"))
        s.text(cols[2], y, text)
        s.right(cols[3] if amount < 0 else cols[4], y, french(amount))
        sums["out" if amount < 0 else "in"] += abs(amount)
    y = flow.need(12)
    subtotal(y)
    s.text(cols[2], y + 7, "NOUVEAU SOLDE AU 31/01/2024", bold=True)
    s.right(cols[4], y + 7, french(closing), bold=True)
    s.save(path)
    rows = [Row(d, t, a) for d, t, a in items]
    return Truth(tuple(rows), opening, closing)


# --- Chime (US): Transaction Date / Description / Type / Amount / Settlement Date, signed "-$12.34"
# amounts, and a "Pending Transactions" table after the posted ones. Pending rows have not settled
# and are not in the period's balance, so the Truth leaves them out. -------------------------------------


def write_chime(path: Path) -> Truth:
    s = Sheet("Letter", 7.5)
    opening = D("612.48")
    items: list[tuple[date, str, str, Decimal]] = [
        (date(2024, 1, 2), "Walmart Supercenter Houston TX", "Purchase", D("-54.31")),
        (date(2024, 1, 5), "ACME LOGISTICS PAYROLL", "Direct Deposit", D("1287.66")),
        (date(2024, 1, 8), "Uber Trip help.uber.com CA", "Purchase", D("-18.94")),
        (date(2024, 1, 12), "Transfer to Chime Savings", "Transfer", D("-100.00")),
        (date(2024, 1, 16), "Netflix.com Los Gatos CA", "Purchase", D("-15.49")),
        (date(2024, 1, 19), "ACME LOGISTICS PAYROLL", "Direct Deposit", D("1287.66")),
        (date(2024, 1, 24), "ATM Withdrawal 7-Eleven Houston TX", "ATM Withdrawal", D("-62.50")),
    ]
    pending = [
        (date(2024, 1, 30), "Kroger #412 Houston TX", "Purchase", D("-73.12")),
        (date(2024, 1, 31), "Shell Oil 5744 Houston TX", "Purchase", D("-41.00")),
    ]
    closing = opening + sum((a for *_, a in items), D(0))
    cols = (15, 42, 120, 170, 200)

    def money(amount: Decimal) -> str:
        return us(amount, sign="-", dollar="$")

    def header(page: int) -> float:
        _simple_header(
            s,
            [
                ("Chime", True),
                ("Checking Account Statement", True),
                ("Account number 1234567890  Member TAYLOR REED", False),
                ("Statement period January 1, 2024 - January 31, 2024", False),
            ],
            "Banking services provided by The Bancorp Bank, N.A. or Stride Bank, N.A., Members FDIC.",
            f"Page {page}",
        )
        s.text(15, 34, f"Beginning balance {money(opening)}    Ending balance {money(closing)}")
        return 42

    flow = Flow(s, header, 255)
    for title, entries in (("Transactions", items), ("Pending Transactions", pending)):
        y = flow.need(11)
        s.text(cols[0], y, title, bold=True, size=9)
        _labels(s, cols, ("Transaction Date", "Description", "Type", "Amount", "Settlement Date"), 3, y + 5)
        flow.y += 1
        for day, text, kind, amount in entries:
            y = flow.need(4.5)
            s.text(cols[0], y, day.strftime("%m/%d/%Y"))
            s.text(cols[1], y, text)
            s.text(cols[2], y, kind)
            s.right(cols[3], y, money(amount))
            s.right(cols[4], y, day.strftime("%m/%d/%Y") if entries is items else "Pending")
        flow.y += 3
    s.save(path)
    rows = [Row(d, t, a) for d, t, _, a in items]
    return Truth(tuple(rows), opening, closing)


# --- Starling (UK): Date / Type / Transaction / In / Out / Balance, a card payment abroad printing its
# original amount and rate on the description's own line "AMAZON.DE EUR 45.00 @ 1.0850" (kept in the
# description: it is one cell), "05/01/2024" dates ------------------------------------------------------


def write_starling(path: Path) -> Truth:
    s = Sheet("A4", 7.5)
    opening = D("1204.37")
    items: list[tuple[date, str, str, Decimal]] = [
        (date(2024, 1, 3), "CARD", "TESCO STORES 2211 LEEDS", D("-32.18")),
        (date(2024, 1, 5), "CARD", "AMAZON.DE EUR 45.00 @ 1.0850", D("-41.47")),
        (date(2024, 1, 8), "FASTER PAYMENT", "ACME LTD SALARY JAN", D("2310.44")),
        (date(2024, 1, 10), "DIRECT DEBIT", "YORKSHIRE WATER", D("-38.60")),
        (date(2024, 1, 14), "CARD", "BOOKING.COM EUR 212.40 @ 1.1612", D("-182.91")),
        (date(2024, 1, 20), "FASTER PAYMENT", "J PATEL RENT", D("-750.00")),
        (date(2024, 1, 27), "CARD", "PRET A MANGER LEEDS", D("-7.45")),
    ]
    rows = running(opening, [(d, text, a) for d, _, text, a in items])
    closing = last_balance(rows)
    cols = (15, 36, 66, 150, 173, 198)

    def header(page: int) -> float:
        _simple_header(
            s,
            [
                ("Starling Bank", True),
                ("Personal Account Statement", True),
                ("Sort code 60-83-71  Account number 12345678", False),
                ("01/01/2024 - 31/01/2024", False),
            ],
            "Starling Bank Limited, 3rd Floor, 2 Finsbury Avenue, London EC2M 2PP",
            f"Page {page}",
        )
        _labels(s, cols, ("Date", "Type", "Transaction", "In", "Out", "Balance"), 3)
        return 46

    flow = Flow(s, header, 270)
    y = flow.need(4.5)
    s.text(cols[0], y, "01/01/2024")
    s.text(cols[2], y, "Opening Balance")
    s.right(cols[5], y, us(opening, dollar="£"))
    for (day, kind, text, amount), row in zip(items, rows, strict=True):
        y = flow.need(4.5)
        s.text(cols[0], y, day.strftime("%d/%m/%Y"))
        s.text(cols[1], y, kind, size=6)
        s.text(cols[2], y, text)
        s.right(cols[4] if amount < 0 else cols[3], y, us(amount, dollar="£"))
        s.right(cols[5], y, us(last_balance([row]), dollar="£"))
    y = flow.need(4.5)
    s.text(cols[0], y, "31/01/2024")
    s.text(cols[2], y, "Closing Balance")
    s.right(cols[5], y, us(closing, dollar="£"))
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- Bank of China (Hong Kong): Transaction Date / Particulars / Amount / Balance, one amount column where
# only credits carry a trailing "CR" and debits nothing, HKD --------------------------------------------


def write_boc_hk(path: Path) -> Truth:
    s = Sheet("A4", 7.5)
    opening = D("24518.60")
    items: list[tuple[date, str, Decimal]] = [
        (date(2024, 1, 2), "EPS PARKNSHOP TAIKOO SHING", D("-386.40")),
        (date(2024, 1, 4), "AUTOPAY HK ELECTRIC CO LTD", D("-612.00")),
        (date(2024, 1, 8), "FPS TRANSFER FROM CHAN TAI MAN", D("1500.00")),
        (date(2024, 1, 10), "ATM WITHDRAWAL CENTRAL BR", D("-2000.00")),
        (date(2024, 1, 15), "PAYROLL ACME HONG KONG LTD", D("38250.00")),
        (date(2024, 1, 18), "RENT PAYMENT WONG KA YAN", D("-16800.00")),
        (date(2024, 1, 31), "INTEREST", D("3.12")),
    ]
    rows = running(opening, items)
    closing = last_balance(rows)
    cols = (15, 42, 165, 198)

    def header(page: int) -> float:
        _simple_header(
            s,
            [
                ("BANK OF CHINA (HONG KONG)", True),
                ("Consolidated Statement  HKD Savings", True),
                ("Account Number 012-345-6-789012-3", False),
                ("Statement Period 01/01/2024 - 31/01/2024", False),
            ],
            "Bank of China (Hong Kong) Limited, Bank of China Tower, 1 Garden Road, Hong Kong",
            f"Page {page}",
        )
        _labels(s, cols, ("Transaction Date", "Particulars", "Amount (HKD)", "Balance (HKD)"), 2)
        return 46

    flow = Flow(s, header, 270)
    y = flow.need(4.5)
    s.text(cols[1], y, "B/F BALANCE")
    s.right(cols[3], y, us(opening))
    for (day, text, amount), row in zip(items, rows, strict=True):
        y = flow.need(4.5)
        s.text(cols[0], y, day.strftime("%d/%m/%Y"))
        s.text(cols[1], y, text)
        s.right(cols[2], y, us(amount) + (" CR" if amount > 0 else ""))
        s.right(cols[3], y, us(last_balance([row])))
    y = flow.need(4.5)
    s.text(cols[1], y, "C/F BALANCE")
    s.right(cols[3], y, us(closing))
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- UOB (SG): Date / Description / Withdrawals / Deposits / Balance, "02 Jan" dates, the balance printed
# only on each day's last row -----------------------------------------------------------------------------


def write_uob(path: Path) -> Truth:
    s = Sheet("A4", 7.5)
    opening = D("8420.15")
    items: list[tuple[date, str, Decimal]] = [
        (date(2024, 1, 2), "NETS FAIRPRICE FINEST BUKIT TIMAH", D("-64.30")),
        (date(2024, 1, 2), "GIRO SP SERVICES LTD", D("-182.45")),
        (date(2024, 1, 2), "PAYNOW TRANSFER FROM LIM WEI MING", D("50.00")),
        (date(2024, 1, 9), "SALARY ACME SINGAPORE PTE LTD", D("6250.00")),
        (date(2024, 1, 11), "FAST TRANSFER TO TAN AH KOW RENT", D("-2800.00")),
        (date(2024, 1, 11), "NETS GRAB SINGAPORE", D("-23.60")),
        (date(2024, 1, 23), "CASH WITHDRAWAL UOB PLAZA ATM", D("-300.00")),
        (date(2024, 1, 31), "INTEREST CREDIT", D("4.21")),
    ]
    rows = day_end_balances(running(opening, items))
    closing = opening + sum((a for *_, a in items), D(0))
    cols = (15, 35, 150, 173, 198)

    def header(page: int) -> float:
        _simple_header(
            s,
            [
                ("UOB", True),
                ("Statement of Account", True),
                ("One Account  123-456-789-0  SGD", False),
                ("Period: 01 Jan 2024 to 31 Jan 2024", False),
            ],
            "United Overseas Bank Limited Co. Reg. No. 193500026Z",
            f"Page {page}",
        )
        _labels(s, cols, ("Date", "Description", "Withdrawals", "Deposits", "Balance"), 2)
        return 46

    flow = Flow(s, header, 270)
    y = flow.need(4.5)
    s.text(cols[0], y, "01 Jan")
    s.text(cols[1], y, "BALANCE B/F")
    s.right(cols[4], y, us(opening))
    for row in rows:
        y = flow.need(4.5)
        s.text(cols[0], y, row.date.strftime("%d %b"))
        s.text(cols[1], y, row.description)
        s.right(cols[2] if row.amount < 0 else cols[3], y, us(row.amount))
        if row.balance is not None:
            s.right(cols[4], y, us(row.balance))
    y = flow.need(6)
    s.text(cols[1], y + 1, "Total", bold=True)
    s.right(cols[2], y + 1, us(sum((-r.amount for r in rows if r.amount < 0), D(0))), bold=True)
    s.right(cols[3], y + 1, us(sum((r.amount for r in rows if r.amount > 0), D(0))), bold=True)
    s.right(cols[4], y + 1, us(closing), bold=True)
    s.save(path)
    return Truth(rows, opening, closing)


# --- First Citizens Bank (US): Date / Description / Debits / Credits / Balance, descriptions holding
# digits-only tokens that look like amounts (check numbers, "REF 000123456", ACH trace numbers) ------------


def write_first_citizens(path: Path) -> Truth:
    s = Sheet("Letter", 7.5)
    opening = D("4102.56")
    items: list[tuple[date, str, Decimal]] = [
        (date(2024, 1, 3), "CHECK 1043", D("-250.00")),
        (date(2024, 1, 4), "ACH DEBIT DUKE ENERGY REF 000123456", D("-131.77")),
        (date(2024, 1, 8), "DEPOSIT 4455 BRANCH 0217", D("600.00")),
        (date(2024, 1, 12), "ACH CREDIT ACME INC PAYROLL 240112 091000019", D("1984.22")),
        (date(2024, 1, 16), "CHECK 1044", D("-1450.00")),
        (date(2024, 1, 22), "POS 0121 FOOD LION 1123 RALEIGH NC", D("-58.09")),
        (date(2024, 1, 29), "WIRE OUT 20240129 000457 J SMITH", D("-500.00")),
    ]
    rows = running(opening, items)
    closing = last_balance(rows)
    cols = (15, 35, 150, 173, 200)

    def header(page: int) -> float:
        _simple_header(
            s,
            [
                ("First Citizens Bank", True),
                ("Free Checking Statement", True),
                ("Account number 001234567890", False),
                ("Statement period 01/01/2024 - 01/31/2024", False),
            ],
            "First-Citizens Bank & Trust Company. Member FDIC.",
            f"Page {page}",
        )
        _labels(s, cols, ("Date", "Description", "Debits", "Credits", "Balance"), 2)
        return 46

    flow = Flow(s, header, 255)
    y = flow.need(4.5)
    s.text(cols[0], y, "01/01")
    s.text(cols[1], y, "Beginning Balance")
    s.right(cols[4], y, us(opening))
    for (day, text, amount), row in zip(items, rows, strict=True):
        y = flow.need(4.5)
        s.text(cols[0], y, day.strftime("%m/%d"))
        s.text(cols[1], y, text)
        s.right(cols[2] if amount < 0 else cols[3], y, us(amount))
        s.right(cols[4], y, us(last_balance([row])))
    y = flow.need(4.5)
    s.text(cols[0], y, "01/31")
    s.text(cols[1], y, "Ending Balance")
    s.right(cols[4], y, us(closing))
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- SoFi (US): Date / Description / Type / Amount / Balance, "Jan 05, 2024" dates, signed "-$12.34"
# amounts -------------------------------------------------------------------------------------------------


def write_sofi(path: Path) -> Truth:
    s = Sheet("Letter", 7.5)
    opening = D("2315.90")
    items: list[tuple[date, str, str, Decimal]] = [
        (date(2024, 1, 2), "Trader Joe's #552 San Francisco CA", "Debit Card", D("-76.18")),
        (date(2024, 1, 5), "ACME CORP DIRECT DEP", "Direct Deposit", D("3105.27")),
        (date(2024, 1, 9), "PG&E WEB ONLINE", "ACH", D("-164.32")),
        (date(2024, 1, 12), "Transfer to Vault Emergency Fund", "Transfer", D("-500.00")),
        (date(2024, 1, 17), "Spotify USA", "Debit Card", D("-11.99")),
        (date(2024, 1, 22), "Venmo Cashout", "ACH", D("85.00")),
        (date(2024, 1, 31), "Interest Earned", "Interest", D("6.48")),
    ]
    rows = running(opening, [(d, text, a) for d, text, _, a in items])
    closing = last_balance(rows)
    cols = (15, 42, 120, 170, 200)

    def header(page: int) -> float:
        _simple_header(
            s,
            [
                ("SoFi", True),
                ("Checking Account Statement", True),
                ("Account ending in 4821", False),
                ("Jan 01, 2024 - Jan 31, 2024", False),
            ],
            "SoFi Bank, N.A. Member FDIC.",
            f"Page {page}",
        )
        _labels(s, cols, ("Date", "Description", "Type", "Amount", "Balance"), 3)
        return 46

    flow = Flow(s, header, 255)
    y = flow.need(4.5)
    s.text(cols[0], y, "Jan 01, 2024")
    s.text(cols[1], y, "Beginning Balance")
    s.right(cols[4], y, us(opening, dollar="$"))
    for (day, text, kind, amount), row in zip(items, rows, strict=True):
        y = flow.need(4.5)
        s.text(cols[0], y, day.strftime("%b %d, %Y"))
        s.text(cols[1], y, text)
        s.text(cols[2], y, kind)
        s.right(cols[3], y, us(amount, sign="-", dollar="$"))
        s.right(cols[4], y, us(last_balance([row]), dollar="$"))
    y = flow.need(4.5)
    s.text(cols[0], y, "Jan 31, 2024")
    s.text(cols[1], y, "Ending Balance")
    s.right(cols[4], y, us(closing, dollar="$"))
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- Česká spořitelna / Erste (CZ): Datum / Popis transakce / Částka / Zůstatek, "05.01.2024" dates,
# "-1 234,56 Kč" amounts, Počáteční zůstatek / Konečný zůstatek ------------------------------------------


def write_ceska_sporitelna(path: Path) -> Truth:
    s = Sheet("A4", 7.5)
    opening = D("28450.30")
    items: list[tuple[date, str, Decimal]] = [
        (date(2024, 1, 2), "Platba kartou ALBERT HYPERMARKET PRAHA", D("-1284.50")),
        (date(2024, 1, 5), "Trvalý příkaz NÁJEM NOVÁK", D("-14500.00")),
        (date(2024, 1, 10), "Příchozí platba ACME CZ S.R.O. MZDA", D("42180.00")),
        (date(2024, 1, 12), "Inkaso PRE ELEKTŘINA", D("-1890.00")),
        (date(2024, 1, 18), "Výběr z bankomatu PRAHA ANDĚL", D("-3000.00")),
        (date(2024, 1, 24), "Platba kartou ROHLIK.CZ", D("-976.40")),
        (date(2024, 1, 31), "Poplatek za vedení účtu", D("-99.00")),
    ]
    rows = running(opening, items)
    closing = last_balance(rows)
    cols = (15, 38, 165, 198)

    def kc(amount: Decimal) -> str:
        return polish(amount) + " Kč"

    def header(page: int) -> float:
        _simple_header(
            s,
            [
                ("Česká spořitelna", True),
                ("Výpis z účtu", True),
                ("Číslo účtu 1234567890/0800  CZK", False),
                ("Období 01.01.2024 - 31.01.2024", False),
            ],
            "Česká spořitelna, a.s., Olbrachtova 1929/62, 140 00 Praha 4",
            f"Strana {page}",
        )
        _labels(s, cols, ("Datum", "Popis transakce", "Částka", "Zůstatek"), 2)
        return 46

    flow = Flow(s, header, 270)
    y = flow.need(4.5)
    s.text(cols[1], y, "Počáteční zůstatek", bold=True)
    s.right(cols[3], y, kc(opening), bold=True)
    for (day, text, amount), row in zip(items, rows, strict=True):
        y = flow.need(4.5)
        s.text(cols[0], y, day.strftime("%d.%m.%Y"))
        s.text(cols[1], y, text)
        s.right(cols[2], y, kc(amount))
        s.right(cols[3], y, kc(last_balance([row])))
    y = flow.need(6)
    s.text(cols[1], y + 1, "Konečný zůstatek", bold=True)
    s.right(cols[3], y + 1, kc(closing), bold=True)
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- mBank (PL): Data operacji / Data księgowania / Opis operacji / Kwota / Saldo po operacji, "2024-01-05"
# dates, "-1 234,56 zł" amounts ------------------------------------------------------------------------------


def write_mbank(path: Path) -> Truth:
    s = Sheet("A4", 7.5)
    opening = D("6312.75")
    items: list[tuple[date, str, Decimal]] = [
        (date(2024, 1, 2), "ZAKUP PRZY UŻYCIU KARTY BIEDRONKA 3421 WARSZAWA", D("-87.64")),
        (date(2024, 1, 4), "PRZELEW ZEWNĘTRZNY WYCHODZĄCY CZYNSZ KOWALSKI", D("-2400.00")),
        (date(2024, 1, 10), "PRZELEW ZEWNĘTRZNY PRZYCHODZĄCY ACME SP. Z O.O. WYNAGRODZENIE", D("8245.10")),
        (date(2024, 1, 12), "BLIK ZAKUP ALLEGRO.PL", D("-159.99")),
        (date(2024, 1, 17), "WYPŁATA W BANKOMACIE EURONET WARSZAWA", D("-300.00")),
        (date(2024, 1, 23), "PRZELEW NA TELEFON BLIK OD ANNA NOWAK", D("120.00")),
        (date(2024, 1, 31), "OPŁATA ZA KARTĘ", D("-9.00")),
    ]
    rows = running(opening, items)
    closing = last_balance(rows)
    cols = (15, 38, 60, 170, 198)

    def zl(amount: Decimal) -> str:
        return polish(amount) + " zł"

    def header(page: int) -> float:
        _simple_header(
            s,
            [
                ("mBank", True),
                ("Elektroniczne zestawienie operacji", True),
                ("eKonto  PL 12 1140 2004 0000 3102 1234 5678", False),
                ("za okres od 2024-01-01 do 2024-01-31", False),
            ],
            "mBank S.A. z siedzibą w Warszawie, ul. Prosta 18, 00-850 Warszawa",
            f"Strona {page}",
        )
        _labels(s, cols, ("Data operacji", "Data księg.", "Opis operacji", "Kwota", "Saldo po operacji"), 3)
        return 46

    flow = Flow(s, header, 270)
    y = flow.need(4.5)
    s.text(cols[2], y, "Saldo początkowe", bold=True)
    s.right(cols[4], y, zl(opening), bold=True)
    for (day, text, amount), row in zip(items, rows, strict=True):
        y = flow.need(4.5)
        s.text(cols[0], y, day.isoformat())
        s.text(cols[1], y, day.isoformat())
        s.text(cols[2], y, text, size=6.5)
        s.right(cols[3], y, zl(amount))
        s.right(cols[4], y, zl(last_balance([row])))
    y = flow.need(6)
    s.text(cols[2], y + 1, "Saldo końcowe", bold=True)
    s.right(cols[4], y + 1, zl(closing), bold=True)
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- Ninth set ------------------------------------------------------------------------------------------


# --- Westpac (NZ): Date / Transaction Description / Debits / Credits / Balance, "18 DEC" dates whose year
# prints only in "Statement as at 17 January 2024", an "OPENING BALANCE" first row with no amount, and
# two-line descriptions whose amounts print on the first line ----------------------------------------------


def write_westpac_nz(path: Path) -> Truth:
    s = Sheet("A4", 7.5)
    opening = D("2184.60")
    items: list[tuple[date, list[str], Decimal]] = [
        (date(2023, 12, 18), ["EFTPOS TRANSACTION", "COUNTDOWN PONSONBY"], D("-96.34")),
        (date(2023, 12, 20), ["AUTOMATIC PAYMENT", "MERCURY ENERGY 4471920"], D("-182.50")),
        (date(2023, 12, 22), ["DIRECT CREDIT", "ACME NZ LTD SALARY"], D("3215.75")),
        (date(2023, 12, 27), ["VISA DEBIT", "Z ENERGY GREY LYNN"], D("-78.12")),
        (date(2024, 1, 3), ["BILL PAYMENT", "AUCKLAND COUNCIL RATES"], D("-640.00")),
        (date(2024, 1, 9), ["ONLINE BANKING TRANSFER", "TO 03-0104-0987654-01 RENT"], D("-1650.00")),
        (date(2024, 1, 15), ["MONTHLY A/C FEE"], D("-5.00")),
    ]
    rows = running(opening, [(d, " ".join(lines), a) for d, lines, a in items])
    closing = last_balance(rows)
    cols = (15, 35, 150, 173, 198)

    def header(page: int) -> float:
        _simple_header(
            s,
            [
                ("Westpac", True),
                ("Choice Everyday Statement", True),
                ("Account 03-0104-0123456-00  MS AROHA PARATA", False),
                ("Statement as at 17 January 2024", False),
            ],
            "Westpac New Zealand Limited. 16 Takutai Square, Auckland.",
            f"Page {page}",
        )
        _labels(s, cols, ("Date", "Transaction Description", "Debits", "Credits", "Balance"), 2)
        return 46

    flow = Flow(s, header, 270)
    y = flow.need(4.5)
    s.text(cols[0], y, "18 DEC")
    s.text(cols[1], y, "OPENING BALANCE")
    s.right(cols[4], y, us(opening))
    for (day, lines, amount), row in zip(items, rows, strict=True):
        y = flow.need(3.6 * len(lines) + 1)
        s.text(cols[0], y, f"{day:%d %b}".upper())
        for k, line in enumerate(lines):
            s.text(cols[1], y + 3.6 * k, line)
        s.right(cols[2] if amount < 0 else cols[3], y, us(amount))
        s.right(cols[4], y, us(last_balance([row])))
    y = flow.need(4.5)
    s.text(cols[0], y, "17 JAN")
    s.text(cols[1], y, "CLOSING BALANCE")
    s.right(cols[4], y, us(closing))
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- Erste Bank (AT): Buchung / Valuta / Buchungstext / Betrag, a value date that differs from
# the booking date after a weekend, three-line texts with the amount on the first line, no running balance,
# Alter / Neuer Kontostand ----------------------------------------------------------------------------------


def write_erste(path: Path) -> Truth:
    s = Sheet("A4", 7.5)
    opening = D("3127.45")
    # (booking date, value date, text lines, signed amount)
    items: list[tuple[date, date, list[str], Decimal]] = [
        (
            date(2024, 1, 2),
            date(2024, 1, 2),
            ["SEPA Lastschrift", "WIEN ENERGIE GMBH", "Teilbetrag Jänner 2024"],
            D("-89.00"),
        ),
        (
            date(2024, 1, 8),
            date(2024, 1, 6),
            ["Bezahlung Karte", "BILLA DANKT 1070 WIEN", "Neubaugasse 12"],
            D("-54.37"),
        ),
        (
            date(2024, 1, 10),
            date(2024, 1, 10),
            ["Gutschrift", "ACME AUSTRIA GMBH", "Gehalt Jänner"],
            D("2946.20"),
        ),
        (date(2024, 1, 15), date(2024, 1, 15), ["Dauerauftrag", "Hausverwaltung Gruber Miete"], D("-980.00")),
        (
            date(2024, 1, 22),
            date(2024, 1, 20),
            ["Behebung Bankomat", "ERSTE BANK GRABEN"],
            D("-200.00"),
        ),
        (date(2024, 1, 31), date(2024, 1, 31), ["Kontoführung"], D("-7.90")),
    ]
    closing = opening + sum((a for *_, a in items), D(0))
    cols = (15, 38, 62, 198)

    def header(page: int) -> float:
        _simple_header(
            s,
            [
                ("ERSTE Bank", True),
                ("Kontoauszug Nr. 1/2024", True),
                ("IBAN AT12 2011 1000 1234 5678  Girokonto", False),
                ("Zeitraum 01.01.2024 bis 31.01.2024", False),
            ],
            "Erste Bank der oesterreichischen Sparkassen AG, Am Belvedere 1, 1100 Wien",
            f"Seite {page}",
        )
        _labels(s, cols, ("Buchung", "Valuta", "Buchungstext", "Betrag EUR"), 3)
        return 46

    flow = Flow(s, header, 270)
    y = flow.need(5)
    s.text(cols[2], y, "Alter Kontostand", bold=True)
    s.right(cols[3], y, eu(opening, signed=True), bold=True)
    for booked, value, lines, amount in items:
        y = flow.need(3.6 * len(lines) + 1.2)
        s.text(cols[0], y, booked.strftime("%d.%m.%Y"))
        s.text(cols[1], y, value.strftime("%d.%m.%Y"))
        for k, line in enumerate(lines):
            s.text(cols[2], y + 3.6 * k, line)
        s.right(cols[3], y, eu(amount, signed=True))
    y = flow.need(6)
    s.text(cols[2], y + 1, "Neuer Kontostand", bold=True)
    s.right(cols[3], y + 1, eu(closing, signed=True), bold=True)
    s.save(path)
    rows = [Row(booked, " ".join(lines), amount) for booked, _, lines, amount in items]
    return Truth(tuple(rows), opening, closing)


# --- GTBank (NG): Trans. Date / Reference / Value Date / Debits / Credits / Balance / Remarks, "5-Jan-2024"
# dates without a leading zero, the description (Remarks) as the last column right of the balance, an
# "Opening Balance" first row -------------------------------------------------------------------------------


def write_gtbank(path: Path) -> Truth:
    s = Sheet("A4", 7)
    opening = D("184250.00")
    # (date, value date, reference, remarks, signed amount)
    items: list[tuple[date, date, str, str, Decimal]] = [
        (date(2024, 1, 2), date(2024, 1, 2), "GT/240102/0041", "POS PURCHASE SHOPRITE LEKKI", D("-23450.00")),
        (
            date(2024, 1, 5),
            date(2024, 1, 5),
            "NIP/240105/7781",
            "NIP TRF FROM ADEBAYO OLUWASEUN",
            D("50000.00"),
        ),
        (date(2024, 1, 8), date(2024, 1, 6), "ATM/240106/1190", "ATM WDL GTB VI BRANCH", D("-20000.00")),
        (date(2024, 1, 12), date(2024, 1, 12), "BIL/240112/3302", "IKEDC PREPAID TOKEN", D("-15000.00")),
        (
            date(2024, 1, 25),
            date(2024, 1, 25),
            "SAL/240125/0007",
            "SALARY ACME NIGERIA LTD JAN",
            D("420000.00"),
        ),
        (
            date(2024, 1, 26),
            date(2024, 1, 26),
            "NIP/240126/5512",
            "NIP TRF TO CHUKWU EMEKA RENT",
            D("-250000.00"),
        ),
        (date(2024, 1, 31), date(2024, 1, 31), "CHG/240131/0001", "SMS ALERT CHARGES JAN", D("-280.00")),
    ]
    rows = running(opening, [(d, text, a) for d, _, _, text, a in items])
    closing = last_balance(rows)
    cols = (12, 32, 58, 100, 123, 148, 152)

    def day(when: date) -> str:
        return f"{when.day}-{when:%b-%Y}"

    def header(page: int) -> float:
        _simple_header(
            s,
            [
                ("GTBank", True),
                ("Customer Statement", True),
                ("Account No. 0123456789  NGN  SAVINGS", False),
                ("Period 1-Jan-2024 to 31-Jan-2024", False),
            ],
            "Guaranty Trust Bank Ltd. Plot 635 Akin Adesola Street, Victoria Island, Lagos",
            f"Page {page}",
        )
        labels = ("Trans. Date", "Reference", "Value Date", "Debits", "Credits", "Balance", "Remarks")
        for k, label in enumerate(labels):
            (s.right if 3 <= k <= 5 else s.text)(cols[k], 40, label, bold=True)
        return 46

    flow = Flow(s, header, 270)
    y = flow.need(4.5)
    s.text(cols[0], y, "1-Jan-2024")
    s.text(cols[2], y, "1-Jan-2024")
    s.right(cols[5], y, us(opening))
    s.text(cols[6], y, "Opening Balance")
    for (booked, value, reference, text, amount), row in zip(items, rows, strict=True):
        y = flow.need(4.5)
        s.text(cols[0], y, day(booked))
        s.text(cols[1], y, reference)
        s.text(cols[2], y, day(value))
        s.right(cols[3] if amount < 0 else cols[4], y, us(amount))
        s.right(cols[5], y, us(last_balance([row])))
        s.text(cols[6], y, text)
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- Axis Bank (IN): Tran Date / Chq No / Particulars / Debit / Credit / Balance / Init. Br, cheque numbers
# and a branch code that look like amounts ("1250", "482150", "1234") either side of the money, an
# "OPENING BALANCE" first row with no date and no amount, "05-01-2024" dates, lakh grouping -----------------


def write_axis(path: Path) -> Truth:
    s = Sheet("A4", 7)
    opening = D("148230.55")
    # (date, cheque number or "", particulars, signed amount, initiating branch)
    items: list[tuple[date, str, str, Decimal, str]] = [
        (date(2024, 1, 2), "", "UPI/P2M/400212345678/SWIGGY", D("-486.00"), "248"),
        (date(2024, 1, 4), "1250", "CLG/RAMESH PROPERTIES/HDFC", D("-35000.00"), "1234"),
        (date(2024, 1, 6), "", "NEFT/AXISN24006123456/ACME INDIA PVT LTD", D("125400.00"), "248"),
        (date(2024, 1, 9), "482150", "TRANSFER TO SELF FD 917040012345678", D("-50000.00"), "1234"),
        (date(2024, 1, 15), "", "ACH-DR-LIC OF INDIA PREMIUM", D("-12846.00"), "248"),
        (date(2024, 1, 20), "", "ATM-CASH/AXIS BANK ANDHERI", D("-10000.00"), "1102"),
        (date(2024, 1, 31), "", "CONSOLIDATED CHARGES FOR SMS", D("-17.70"), "248"),
    ]
    rows = running(opening, [(d, text, a) for d, _, text, a, _ in items])
    closing = last_balance(rows)
    cols = (12, 33, 48, 138, 160, 184, 198)

    def header(page: int) -> float:
        _simple_header(
            s,
            [
                ("AXIS BANK", True),
                ("Statement of Account", True),
                ("Account No. 917010012345678  INR  Savings Account", False),
                ("Statement period From 01-01-2024 To 31-01-2024", False),
            ],
            "Axis Bank Ltd. Registered Office: Trishul, Ahmedabad 380006",
            f"Page {page}",
        )
        _labels(s, cols, ("Tran Date", "Chq No", "Particulars", "Debit", "Credit", "Balance", "Init. Br"), 3)
        return 46

    flow = Flow(s, header, 270)
    y = flow.need(4.5)
    s.text(cols[2], y, "OPENING BALANCE")
    s.right(cols[5], y, lakh(opening))
    for (day, cheque, text, amount, branch), row in zip(items, rows, strict=True):
        y = flow.need(4.5)
        s.text(cols[0], y, day.strftime("%d-%m-%Y"))
        s.right(cols[1] + 12, y, cheque)
        s.text(cols[2], y, text)
        s.right(cols[3] if amount < 0 else cols[4], y, lakh(amount))
        s.right(cols[5], y, lakh(last_balance([row])))
        s.right(cols[6], y, branch)
    y = flow.need(6)
    s.text(cols[2], y + 1, "TRANSACTION TOTAL", bold=True)
    s.right(cols[3], y + 1, lakh(sum((-a for *_, a, _ in items if a < 0), D(0))), bold=True)
    s.right(cols[4], y + 1, lakh(sum((a for *_, a, _ in items if a > 0), D(0))), bold=True)
    s.text(cols[2], y + 5.5, "CLOSING BALANCE", bold=True)
    s.right(cols[5], y + 5.5, lakh(closing), bold=True)
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- Vietcombank (VN): bilingual headers Ngày GD / Số tham chiếu / Ghi nợ / Ghi có / Số dư / Mô tả, VND
# without decimals, references "5213 - 67190" made of digits, Vietnamese descriptions as the last column,
# the opening and closing balances only in a box above the table ---------------------------------------------


def write_vietcombank(path: Path) -> Truth:
    s = Sheet("A4", 7)
    opening = D("18450000")
    # (date, reference, description, signed amount)
    items: list[tuple[date, str, str, Decimal]] = [
        (date(2024, 1, 2), "5213 - 67190", "Thanh toán tiền điện EVN HÀ NỘI", D("-845000")),
        (date(2024, 1, 4), "5078 - 40212", "CHUYỂN TIỀN ĐẾN NGUYỄN VĂN AN tiền nhà", D("-6500000")),
        (date(2024, 1, 5), "5092 - 11873", "Nhận lương tháng 1 CÔNG TY TNHH ACME", D("28750000")),
        (date(2024, 1, 9), "5105 - 30041", "Thanh toán thẻ CIRCLE K QUẬN 1", D("-126000")),
        (date(2024, 1, 15), "5166 - 82319", "Rút tiền ATM VCB HOÀN KIẾM", D("-3000000")),
        (date(2024, 1, 22), "5201 - 09987", "Trả tiền Grab Việt Nam", D("-89000")),
        (date(2024, 1, 31), "5240 - 00125", "Phí duy trì dịch vụ SMS Banking", D("-11000")),
    ]
    rows = running(opening, [(d, text, a) for d, _, text, a in items])
    closing = last_balance(rows)
    cols = (12, 32, 80, 104, 130, 134)

    def header(page: int) -> float:
        _simple_header(
            s,
            [
                ("Vietcombank", True),
                ("SAO KÊ TÀI KHOẢN / ACCOUNT STATEMENT", True),
                ("Số tài khoản / Account No. 0011004123456  VND", False),
                ("Từ ngày / From 01/01/2024 đến ngày / to 31/01/2024", False),
            ],
            "Ngân hàng TMCP Ngoại thương Việt Nam, 198 Trần Quang Khải, Hà Nội",
            f"Trang {page}",
        )
        y = 34
        if page == 1:
            s.text(12, 34, "Số dư đầu kỳ / Opening balance")
            s.right(90, 34, whole(opening))
            s.text(12, 38, "Số dư cuối kỳ / Closing balance")
            s.right(90, 38, whole(closing))
            y = 48
        top = ("Ngày GD", "Số tham chiếu", "Ghi nợ", "Ghi có", "Số dư", "Mô tả")
        bottom = ("Date", "Reference No.", "Debit", "Credit", "Balance", "Description")
        for line, labels in ((y, top), (y + 3.5, bottom)):
            for k, label in enumerate(labels):
                (s.right if 2 <= k <= 4 else s.text)(cols[k], line, label, bold=True)
        return y + 9

    flow = Flow(s, header, 270)
    for (day, reference, text, amount), row in zip(items, rows, strict=True):
        y = flow.need(4.5)
        s.text(cols[0], y, day.strftime("%d/%m/%Y"))
        s.text(cols[1], y, reference)
        s.right(cols[2] if amount < 0 else cols[3], y, whole(amount, signed=False))
        s.right(cols[4], y, whole(last_balance([row])))
        s.text(cols[5], y, text)
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- Absa (ZA): Date / Transaction Description / Charge / Debit Amount / Credit Amount / Balance, debits and
# an overdrawn balance printed with a trailing minus "1,234.56-", a charge-type letter column, a card purchase
# abroad with its original amount and rate on the next line, "5/01/2024" dates -------------------------------


def write_absa(path: Path) -> Truth:
    s = Sheet("A4", 7.5)
    opening = D("3412.80")
    # (date, description, left-out line, charge letter, signed amount)
    items: list[tuple[date, str, str, str, Decimal]] = [
        (date(2024, 1, 2), "Digital Payment Dt Settlement City Of Joburg", "", "S", D("-1245.60")),
        (date(2024, 1, 4), "Pos Purchase Checkers Sandton", "", "", D("-612.45")),
        (date(2024, 1, 6), "Cashsend Mobile Rent T Nkosi", "", "T", D("-4500.00")),
        (date(2024, 1, 9), "Pos Purchase Amazon Web Services", "USD 45.00 @ 18.7200", "", D("-842.40")),
        (date(2024, 1, 12), "Int Foreign Trans Fee", "", "A", D("-23.17")),
        (date(2024, 1, 25), "Acb Credit Acme Sa Salary", "", "", D("18650.00")),
        (date(2024, 1, 31), "Monthly Acc Fee", "", "A", D("-115.00")),
    ]
    rows = running(opening, [(d, text, a) for d, text, _, _, a in items])
    closing = last_balance(rows)
    cols = (15, 35, 110, 148, 173, 198)

    def money(amount: Decimal) -> str:
        return us(amount) + ("-" if amount < 0 else "")

    def header(page: int) -> float:
        _simple_header(
            s,
            [
                ("ABSA", True),
                ("Cheque Account Statement", True),
                ("Account 40-1234-5678  Gold Value Bundle", False),
                ("Statement period 1 Jan 2024 to 31 Jan 2024", False),
            ],
            "Absa Bank Limited, Reg No 1986/004794/06. Authorised Financial Services Provider.",
            f"Page {page}",
        )
        labels = ("Date", "Transaction Description", "Charge", "Debit Amount", "Credit Amount", "Balance")
        _labels(s, cols, labels, 3)
        return 46

    flow = Flow(s, header, 270)
    y = flow.need(4.5)
    s.text(cols[0], y, "1/01/2024")
    s.text(cols[1], y, "Bal Brought Forward")
    s.right(cols[5], y, money(opening))
    for (day, text, extra, charge, amount), row in zip(items, rows, strict=True):
        y = flow.need(8 if extra else 4.5)
        s.text(cols[0], y, f"{day.day}/{day:%m/%Y}")
        s.text(cols[1], y, text)
        if extra:
            s.text(cols[1], y + 3.5, extra)
        s.text(cols[2], y, charge)
        s.right(cols[3] if amount < 0 else cols[4], y, money(amount))
        s.right(cols[5], y, money(last_balance([row])))
    s.text(15, 262, "Charge: A = Administration  T = Transaction  S = Cash deposit fee", size=6)
    s.save(path)
    return Truth(tuple(rows), opening, closing)


# --- Fifth Third (US): the beginning balance only in the summary box at the top, an interest summary and a
# fee summary (amounts this period and year to date) BEFORE the transactions, Withdrawals / Debits and
# Deposits / Credits sections headed Date / Amount / Description ---------------------------------------------


def write_fifth_third(path: Path) -> Truth:
    s = Sheet("Letter", 7.5)
    opening = D("2846.19")
    withdrawals = [
        (date(2024, 1, 3), "DEBIT CARD PURCHASE KROGER #947 CINCINNATI OH", D("84.27")),
        (date(2024, 1, 5), "DUKE ENERGY OH WEB PAY", D("131.40")),
        (date(2024, 1, 10), "ZELLE TO MILLER SARAH", D("60.00")),
        (date(2024, 1, 16), "DEBIT CARD PURCHASE SPEEDWAY 2214 MASON OH", D("42.91")),
        (date(2024, 1, 22), "CHECK 1187", D("1250.00")),
    ]
    deposits = [
        (date(2024, 1, 12), "ACME CORP DIRECT DEP", D("1918.64")),
        (date(2024, 1, 26), "ACME CORP DIRECT DEP", D("1918.64")),
        (date(2024, 1, 31), "INTEREST PAID", D("0.42")),
    ]
    total_out = sum((a for *_, a in withdrawals), D(0))
    total_in = sum((a for *_, a in deposits), D(0))
    closing = opening - total_out + total_in

    def header(page: int) -> float:
        _simple_header(
            s,
            [
                ("Fifth Third Bank", True),
                ("Fifth Third Momentum Checking", True),
                ("Account Number: 7654321098", False),
                ("Statement Period: 01/01/2024 - 01/31/2024", False),
            ],
            "Fifth Third Bank, National Association. Member FDIC.",
            f"Page {page}",
        )
        return 34

    flow = Flow(s, header, 255)
    s.text(15, 34, "Account Summary", bold=True, size=8.5)
    summary = [
        ("01/01 Beginning Balance", us(opening, dollar="$")),
        (f"{len(deposits)} Deposits/Credits", us(total_in, dollar="$")),
        (f"{len(withdrawals)} Withdrawals/Debits", us(total_out, dollar="$")),
        ("01/31 Ending Balance", us(closing, dollar="$")),
    ]
    for k, (label, value) in enumerate(summary):
        s.text(15, 39 + 4 * k, label)
        s.right(95, 39 + 4 * k, value)
    s.text(110, 34, "Interest Summary", bold=True, size=8.5)
    interest = [
        ("Interest Paid This Period", "$0.42"),
        ("Interest Paid Year-to-Date", "$0.42"),
        ("Annual Percentage Yield Earned", "0.01%"),
        ("Average Collected Balance", "$3,102.55"),
    ]
    for k, (label, value) in enumerate(interest):
        s.text(110, 39 + 4 * k, label)
        s.right(200, 39 + 4 * k, value)
    s.text(15, 60, "Fee Summary", bold=True, size=8.5)
    s.right(150, 60, "Total for this period", bold=True)
    s.right(200, 60, "Total year-to-date", bold=True)
    for k, (label, period, year) in enumerate(
        (("Total Overdraft Fees", "$0.00", "$0.00"), ("Total Returned Item Fees", "$0.00", "$37.00"))
    ):
        s.text(15, 65 + 4 * k, label)
        s.right(150, 65 + 4 * k, period)
        s.right(200, 65 + 4 * k, year)
    flow.y = 82
    for title, entries, total in (
        ("Withdrawals / Debits", withdrawals, total_out),
        ("Deposits / Credits", deposits, total_in),
    ):
        y = flow.need(10)
        s.text(15, y, f"{title} - {len(entries)} items totaling {us(total, dollar='$')}", bold=True, size=8.5)
        s.text(15, y + 5, "Date", bold=True)
        s.right(60, y + 5, "Amount", bold=True)
        s.text(70, y + 5, "Description", bold=True)
        flow.y += 1
        for day, text, amount in entries:
            y = flow.need(4.2)
            s.text(15, y, day.strftime("%m/%d"))
            s.right(60, y, us(amount))
            s.text(70, y, text)
        flow.y += 4
    s.save(path)
    rows = [Row(d, t, -a) for d, t, a in withdrawals] + [Row(d, t, a) for d, t, a in deposits]
    return Truth(tuple(rows), opening, closing)


# --- DNB (NO): Dato / Forklaring / Rentedato / Ut fra konto / Inn på konto, "02.01" dates with the year
# only in the period, a value date (Rentedato) right of the description, Ut (out) before Inn (in), no
# running balance, a last page holding only the last two rows and the closing line ----------------------


def write_dnb(path: Path) -> Truth:
    s = Sheet("A4", 7.5)
    opening = D("14382.50")
    shops = (
        ("Varekjøp REMA 1000 GRÜNERLØKKA", "-312.40"),
        ("Giro Fjordkraft AS strøm", "-684.00"),
        ("Varekjøp KIWI 512 MAJORSTUEN", "-148.90"),
        ("Overføring Vipps Ola Nordmann", "250.00"),
        ("Varekjøp Ruter AS billett", "-39.00"),
    )
    # 50 rows: 48 fill the first page, the last two and the closing line are alone on the second
    items = [(date(2024, 1, 2 + k * 29 // 50), shops[k % 5][0], D(shops[k % 5][1])) for k in range(50)]
    items[22] = (items[22][0], "Lønn ACME NORGE AS", D("38450.00"))
    closing = opening + sum((a for *_, a in items), D(0))
    cols = (15, 32, 120, 165, 196)

    def header(page: int) -> float:
        _simple_header(
            s,
            [
                ("DNB", True),
                ("Kontoutskrift nr. 1 for perioden 01.01.2024 - 31.01.2024", True),
                ("Kontonummer 1234.56.78901  Brukskonto", False),
                ("Side " + str(page), False),
            ],
            "DNB Bank ASA, Dronning Eufemias gate 30, 0191 Oslo. Org.nr. 984 851 006",
            "",
        )
        _labels(s, cols, ("Dato", "Forklaring", "Rentedato", "Ut fra konto", "Inn på konto"), 3)
        return 46

    flow = Flow(s, header, 270)
    y = flow.need(5)
    s.text(cols[1], y, "Saldo fra kontoutskrift 29.12.2023", bold=True)
    s.right(cols[4], y, french(opening), bold=True)
    for day, text, amount in items:
        y = flow.need(4.5)
        s.text(cols[0], y, day.strftime("%d.%m"))
        s.text(cols[1], y, text)
        s.text(cols[2], y, day.strftime("%d.%m"))
        s.right(cols[3] if amount < 0 else cols[4], y, french(amount))
    y = flow.need(6)
    s.text(cols[1], y + 1, "Saldo i Deres favør", bold=True)
    s.right(cols[4], y + 1, french(closing), bold=True)
    s.save(path)
    rows = [Row(d, t, a) for d, t, a in items]
    return Truth(tuple(rows), opening, closing)


# --- bunq (NL, English): transactions grouped under per-day headings "Tuesday 2 January 2024" with no date
# in the rows, signed "-€12.34" amounts, a card payment in dollars with its original amount and rate on the
# next line, the opening and closing balances only in the summary at the top ---------------------------------


def write_bunq(path: Path) -> Truth:
    s = Sheet("A4", 7.5)
    opening = D("1642.18")
    # (date, description, left-out line, signed amount)
    items: list[tuple[date, str, str, Decimal]] = [
        (date(2024, 1, 2), "Albert Heijn 1432 Amsterdam", "", D("-23.85")),
        (date(2024, 1, 2), "NS Reizigers Utrecht", "", D("-17.40")),
        (date(2024, 1, 5), "ACME B.V. Salaris januari", "", D("3184.26")),
        (date(2024, 1, 8), "Steam Purchase Bellevue", "USD 59.99 · 1 EUR = 1.0968 USD", D("-54.70")),
        (date(2024, 1, 8), "Vattenfall Klantenservice", "", D("-142.00")),
        (date(2024, 1, 8), "J. de Vries Huur januari", "", D("-1250.00")),
        (date(2024, 1, 15), "Tikkie van M. Jansen", "", D("12.50")),
        (date(2024, 1, 29), "bunq Easy Green abonnement", "", D("-17.99")),
    ]
    closing = opening + sum((a for *_, a in items), D(0))

    def money(amount: Decimal) -> str:
        return us(amount, sign="-", dollar="€")

    def header(page: int) -> float:
        _simple_header(
            s,
            [
                ("bunq", True),
                ("Account statement", True),
                ("NL12 BUNQ 2034 5678 90  Mila Bakker", False),
                ("1 January 2024 - 31 January 2024", False),
            ],
            "bunq B.V., Naritaweg 131-133, 1043 BS Amsterdam. De Nederlandsche Bank licence.",
            f"Page {page}",
        )
        if page == 1:
            s.text(15, 34, "Opening balance")
            s.right(80, 34, money(opening))
            s.text(15, 38, "Closing balance")
            s.right(80, 38, money(closing))
            return 48
        return 34

    flow = Flow(s, header, 270)
    shown: date | None = None
    for day, text, extra, amount in items:
        if day != shown:
            y = flow.need(7)
            s.text(15, y + 1.5, f"{day:%A} {day.day} {day:%B %Y}", bold=True, size=8)
            shown = day
        y = flow.need(8 if extra else 4.5)
        s.text(20, y, text)
        if extra:
            s.text(20, y + 3.5, extra, size=6.5)
        s.right(196, y, money(amount))
    s.save(path)
    rows = [Row(d, t, a) for d, t, _, a in items]
    return Truth(tuple(rows), opening, closing)


# --- BDO (PH): Posting Date / Description / Check No. / Debit / Credit / Balance, two-digit years
# "01/05/24" (month first), check numbers beside the money, BALANCE FORWARD, interest and its withholding
# tax ---------------------------------------------------------------------------------------------------


def write_bdo(path: Path) -> Truth:
    s = Sheet("A4", 7.5)
    opening = D("45218.30")
    # (date, description, check number or "", signed amount)
    items: list[tuple[date, str, str, Decimal]] = [
        (date(2024, 1, 3), "ATM WITHDRAWAL BDO MAKATI AVE", "", D("-5000.00")),
        (date(2024, 1, 5), "CHECK ENCASHMENT", "1045", D("-12500.00")),
        (date(2024, 1, 10), "PAYROLL CREDIT ACME PHILS INC", "", D("38420.00")),
        (date(2024, 1, 12), "BILLS PAYMENT MERALCO", "", D("-4318.75")),
        (date(2024, 1, 18), "CHECK CLEARING", "1046", D("-20000.00")),
        (date(2024, 1, 31), "INTEREST EARNED", "", D("7.52")),
        (date(2024, 1, 31), "TAX WITHHELD", "", D("-1.50")),
    ]
    rows = running(opening, [(d, text, a) for d, text, _, a in items])
    closing = last_balance(rows)
    cols = (15, 38, 112, 148, 172, 198)

    def header(page: int) -> float:
        _simple_header(
            s,
            [
                ("BDO", True),
                ("Statement of Account  Peso Savings", True),
                ("Account Number 001230123456  JUAN DELA CRUZ", False),
                ("Period Covered 01/01/24 - 01/31/24", False),
            ],
            "BDO Unibank, Inc. is regulated by the Bangko Sentral ng Pilipinas.",
            f"Page {page}",
        )
        _labels(s, cols, ("Posting Date", "Description", "Check No.", "Debit", "Credit", "Balance"), 3)
        return 46

    flow = Flow(s, header, 270)
    y = flow.need(4.5)
    s.text(cols[0], y, "01/01/24")
    s.text(cols[1], y, "BALANCE FORWARD")
    s.right(cols[5], y, us(opening))
    for (day, text, check, amount), row in zip(items, rows, strict=True):
        y = flow.need(4.5)
        s.text(cols[0], y, day.strftime("%m/%d/%y"))
        s.text(cols[1], y, text)
        s.right(cols[2] + 12, y, check)
        s.right(cols[3] if amount < 0 else cols[4], y, us(amount))
        s.right(cols[5], y, us(last_balance([row])))
    y = flow.need(6)
    s.text(cols[1], y + 1, "ENDING BALANCE", bold=True)
    s.right(cols[5], y + 1, us(closing), bold=True)
    s.save(path)
    return Truth(tuple(rows), opening, closing)
