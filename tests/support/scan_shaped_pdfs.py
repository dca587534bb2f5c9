"""Statements as scanned and OCR'd: a page image under an invisible text layer with OCR quirks.

``producer_shaped_pdfs.write_bendigo_ocr`` is a clean OCR layer: straight baselines, whole words,
reading order. Real OCR layers (Tesseract / ocrmypdf, ABBYY FineReader, Adobe Scan) are messier.
Each statement here is a plausible bank statement (opening and closing balances printed, every
row adding up), rendered to a greyscale page image, and its words drawn again over the image in
invisible rendering mode (``3 Tr``, standard-14 Helvetica) with two or three OCR quirks:

- ``tesco_tesseract_skewed`` (UK, ocrmypdf): the sheet lay 0.6 degrees askew on the glass, so
  every baseline climbs across the page (a row's right end ~5 pt higher than its left) and each
  word is drawn rotated with it; every word stretched to its image width with ``Tz``. One page.
- ``pnc_jitter_fragments`` (US, Tesseract): each word's baseline off by up to 1.2 pt at random
  (seeded) and its size off by up to 10 %; some long words split into two abutting fragments
  (``PAYRO`` + ``LL``). Two pages.
- ``rabobank_abbyy_blocks`` (Dutch, ABBYY FineReader): the layer written block by block, the
  table column by column (all dates, then all descriptions, then all amounts); OCR confusions in
  descriptions (``0``/``O``, ``l``/``1``, ``rn``/``m``). One page, ``1.234,56`` with Af/Bij.
- ``suncorp_adobe_lowres`` (Australian, Adobe Scan): scanned at 100 dpi: the layer's sizes not
  integral (7.3 pt for 8 pt print), positions on the 0.72 pt pixel grid, no ``Tz`` so word gaps
  come out odd; a -0.4 degree skew with upright words. One page.
- ``kbc_upside_down`` (Belgian, ocrmypdf ``--rotate-pages``): page 2 fed upside down, stored
  that way and shown upright by ``/Rotate 180``; words stretched with ``Tz``; baseline jitter.
  Two pages, signed ``-1.234,56``.
- ``td_sideways`` (Canadian): page 2 fed sideways, stored landscape with ``/Rotate 90``; OCR
  confusions in descriptions; words stretched with ``Tz``. Two pages.
- ``standard_bank_fragments`` (South African, Tesseract): a 1.0 degree skew (rows ~9 pt lower at
  their right end) with rotated words, long words split into fragments, ``Tz`` on every word.
  One page, signed amounts with a running balance.
- ``usbank_abbyy_lowres`` (US, ABBYY at 120 dpi): the table column by column, ``Tz``, sizes not
  integral, positions on the pixel grid, OCR confusions in descriptions. One page.

The Truth is what ``bank_shaped_pdfs`` defines, over the text as the layer reads: a word split
into abutting fragments reads as the word; an OCR confusion stays in the description (a reader
cannot know better), and none is ever put into a date or an amount.
"""

from __future__ import annotations

import math
import random
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from tests.support.bank_shaped_pdfs import FONT_DIR, D, Truth, eu, us
from tests.support.hostile_pdfs import assemble, stream
from tests.support.producer_shaped_pdfs import (
    Cell,
    Column,
    Item,
    Pages,
    Values,
    advance,
    balances,
    headings,
    items,
    letterhead,
    pdf_string,
    split_columns,
    table_row,
    truth,
)

A4 = (595.28, 841.89)
Matrix = tuple[float, float, float, float, float, float]


@dataclass(frozen=True)
class Scan:
    """How the sheet was scanned and how the OCR engine wrote its text layer."""

    dpi: float = 150
    skew: float = 0.0  # degrees the sheet lay rotated on the glass (positive: counter-clockwise)
    rotate_words: bool = True  # each word drawn along the skewed baseline (False: upright)
    jitter: float = 0.0  # each word's baseline off by up to this many points
    heights: float = 0.0  # each word's size off by up to this fraction
    stretch: bool = True  # each word stretched with ``Tz`` to its width in the image
    size_scale: float = 1.0  # the layer's size relative to the printed size
    grid: bool = False  # positions snapped to the image's pixel grid
    fragments: float = 0.0  # the share of long words split into two abutting fragments
    blocks: bool = False  # the table written column by column, as ABBYY writes blocks
    misreads: Mapping[str, str] = field(default_factory=dict)  # description word -> as OCR'd
    page_rotation: Mapping[int, int] = field(default_factory=dict)  # page index -> /Rotate
    seed: int = 1


@dataclass(frozen=True)
class Word:
    """One word of the text layer, in reading coordinates (points, y down from the page top)."""

    x: float
    y: float  # the baseline
    width: float  # in the image
    text: str
    size: float
    order: tuple[int, ...]  # where the engine writes it


def misread(text: str, misreads: Mapping[str, str]) -> str:
    return " ".join(misreads.get(word, word) for word in text.split(" "))


def _skewed(x: float, y: float, degrees: float) -> tuple[float, float]:
    """Where (x, y) lands when the sheet lies rotated ``degrees`` about the page's centre."""
    cx, cy = A4[0] / 2, A4[1] / 2
    angle = math.radians(degrees)
    dx, dy = x - cx, y - cy
    return cx + dx * math.cos(angle) + dy * math.sin(angle), cy - dx * math.sin(angle) + dy * math.cos(angle)


def _page_image(
    cells: Sequence[Cell], scan: Scan, columns: Sequence[str]
) -> tuple[bytes, int, int, list[Word]]:
    """The page as a greyscale image (Flate data, width, height) and the words the OCR finds on it;
    ``columns`` the table's columns from left to right (the order of ABBYY's blocks)."""
    from PIL import Image, ImageDraw, ImageFont

    rank = {column: k for k, column in enumerate(columns)}
    scale = scan.dpi / 72
    image = Image.new("L", (round(A4[0] * scale), round(A4[1] * scale)), 250)
    draw = ImageDraw.Draw(image)
    words: list[Word] = []
    rng = random.Random(scan.seed)
    for number, cell in enumerate(cells):
        name = "DejaVuSans-Bold.ttf" if cell.bold else "DejaVuSans.ttf"
        font = ImageFont.truetype(str(FONT_DIR / name), round(cell.size * scale))
        x = cell.x * scale
        if cell.right:
            x -= draw.textlength(cell.text, font=font)
        draw.text((x, cell.y * scale), cell.text, fill=30, font=font, anchor="ls")
        shown = misread(cell.text, scan.misreads) if cell.column == "description" else cell.text
        block = (
            (rank.get(cell.column, len(rank)), cell.row, number)
            if scan.blocks and cell.row >= 0
            else (-1, number, 0)
        )
        for index, (word, ocr) in enumerate(zip(cell.text.split(" "), shown.split(" "), strict=True)):
            for k, (part, offset) in enumerate(_fragments(ocr, scan.fragments, rng) if word else []):
                whole = len(part) == len(ocr)
                left = x + draw.textlength(ocr[:offset], font=font)
                width = draw.textlength(word if whole else part, font=font)
                words.append(Word(left / scale, cell.y, width / scale, part, cell.size, (*block, index, k)))
            x += draw.textlength(word + " ", font=font)
    if scan.skew:
        image = image.rotate(scan.skew, center=(A4[0] * scale / 2, A4[1] * scale / 2), fillcolor=250)
    return zlib.compress(image.tobytes()), image.width, image.height, words


def _fragments(word: str, share: float, rng: random.Random) -> list[tuple[str, int]]:
    """``word`` whole, or (rarely, and only a long one) split where a recogniser might break it."""
    if share and len(word) >= 7 and word.isalpha() and rng.random() < share:
        cut = rng.randint(3, len(word) - 2)
        return [(word[:cut], 0), (word[cut:], cut)]
    return [(word, 0)]


# how the reading page (points, y up) maps onto the stored page, per /Rotate
def _placement(rotate: int) -> tuple[Matrix, tuple[float, float]]:
    w, h = A4
    if rotate == 180:
        return (-1, 0, 0, -1, w, h), (w, h)
    if rotate == 90:
        return (0, 1, -1, 0, h, 0), (h, w)
    return (1, 0, 0, 1, 0, 0), (w, h)


def _times(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n`` (PDF row-vector convention)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def _number(value: float) -> bytes:
    return (b"%.2f" % value).rstrip(b"0").rstrip(b".") or b"0"


def _text_layer(words: Sequence[Word], scan: Scan, placement: Matrix) -> bytes:
    """The words in invisible mode, one ``Tm`` each, in the order the engine writes them."""
    rng = random.Random(scan.seed * 7919 + len(words))
    angle = math.radians(scan.skew) if scan.rotate_words else 0.0
    pitch = 72 / scan.dpi
    ops = [b"BT", b"3 Tr"]
    for word in sorted(words, key=lambda w: w.order):
        size = round(word.size * scan.size_scale * (1 + rng.uniform(-scan.heights, scan.heights)), 1)
        x, y = _skewed(word.x, word.y + rng.uniform(-scan.jitter, scan.jitter), scan.skew)
        if scan.grid:
            x, y = round(x / pitch) * pitch, round(y / pitch) * pitch
        cos, sin = math.cos(angle), math.sin(angle)
        matrix = _times((cos, sin, -sin, cos, x, A4[1] - y), placement)
        natural = sum(advance(char, False) for char in word.text) * size / 1000
        stretch = b" %s Tz" % _number(100 * word.width / natural) if scan.stretch else b""
        ops.append(
            b"/F1 %s Tf %s Tm%s %s Tj"
            % (_number(size), b" ".join(b"%.3f" % v for v in matrix), stretch, pdf_string(word.text))
        )
    ops.append(b"ET")
    return b"\n".join(ops)


def write_scan(path: Path, pages: Sequence[Sequence[Cell]], scan: Scan, columns: Sequence[str] = ()) -> None:
    """The cells as a scanned PDF: each page an image, the OCR'd words invisible over it
    (``columns``: the table's columns from left to right, for ``scan.blocks``)."""
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    kids = []
    for index, cells in enumerate(pages):
        data, width, height, words = _page_image(cells, replace(scan, seed=scan.seed + index), columns)
        objects.append(
            stream(
                data,
                b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                b"/BitsPerComponent 8 /Filter /FlateDecode" % (width, height),
            )
        )
        image = len(objects)
        rotate = scan.page_rotation.get(index, 0)
        placement, (wide, tall) = _placement(rotate)
        drawn = _times((A4[0], 0, 0, A4[1], 0, 0), placement)
        body = b"q %s cm /Im Do Q\n" % b" ".join(b"%.3f" % v for v in drawn)
        body += _text_layer(words, scan, placement)
        objects.append(stream(zlib.compress(body)))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %s %s]%s /Resources << /Font << /F1 3 0 R >> "
            b"/XObject << /Im %d 0 R >> >> /Contents %d 0 R >>"
            % (_number(wide), _number(tall), b" /Rotate %d" % rotate if rotate else b"", image, len(objects))
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    path.write_bytes(assemble(objects))


# --- The statements ------------------------------------------------------------------------------


def misread_truth(result: Truth, misreads: Mapping[str, str]) -> Truth:
    """The truth with the descriptions as OCR'd."""
    rows = tuple(replace(row, description=misread(row.description, misreads)) for row in result.rows)
    return replace(result, rows=rows)


AMOUNT_COLUMNS = frozenset({"out", "in", "amount", "balance"})


def table_columns(*columns: tuple[str, str, float]) -> list[Column]:
    """``(key, title, x)`` columns, the amounts right-aligned at ``x``."""
    return [Column(key, title, x, right=key in AMOUNT_COLUMNS) for key, title, x in columns]


@dataclass(frozen=True)
class Layout:
    """What one bank prints: its letterhead, table columns, date and money formats."""

    bank: tuple[str, float]  # the name and its size
    address: Sequence[str]
    particulars: Sequence[str]
    columns: Sequence[Column]
    day: Callable[[Item], str]
    money: Callable[[Decimal], str]  # amounts and balances (signed when ``signed``)
    opening: tuple[str, str]  # the opening balance row's date and label
    closing: tuple[str, str]
    signed: bool = False  # one signed amount column instead of money out and money in
    page_label: str = ""  # a footer like ``Page {page} of 2``
    particulars_x: float = 340
    bottom: float = 780  # where the table breaks to a new page
    line: float = 12
    table_top: float = 130  # the header row's baseline (above 100: no letterhead, the table fills the page)
    gap: float = 3  # between the rows


def draw_statement(
    path: Path, layout: Layout, opening: Decimal, entries: Sequence[Item], scan: Scan
) -> Truth:
    """The statement printed, scanned and OCR'd; its truth (descriptions as printed)."""
    columns = layout.columns

    def header(pages: Pages, page: int) -> float:
        if layout.table_top >= 100:
            letterhead(pages, 60, layout.bank, layout.address, (layout.particulars_x, layout.particulars))
        if layout.page_label:
            pages.right(550, 810, layout.page_label.format(page=page))
        headings(pages, layout.table_top, columns)
        return layout.table_top + 4

    pages = Pages(header, layout.bottom, size=8)

    def balance_row(printed: tuple[str, str], amount: Decimal) -> None:
        day, label = printed
        values: Values = {"date": day, "description": label, "balance": layout.money(amount)}
        table_row(pages, columns, values, line=layout.line)

    result = truth(opening, entries)
    balance_row(layout.opening, opening)
    for item, running in zip(entries, balances(opening, entries), strict=True):
        if layout.signed:
            values: Values = {"description": item.lines, "amount": layout.money(item.amount)}
            values["balance"] = layout.money(running)
        else:
            values = split_columns(item, running, layout.money)
        values["date"] = layout.day(item)
        table_row(pages, columns, values, line=layout.line, gap=layout.gap)
    balance_row(layout.closing, result.closing if result.closing is not None else opening)
    left_to_right = sorted(columns, key=lambda column: column.x)
    write_scan(path, pages.pages, scan, [column.key for column in left_to_right])
    return result


def us_signed(amount: Decimal) -> str:
    return us(amount, sign="-")


def eu_signed(amount: Decimal) -> str:
    return eu(amount, signed=True)


def write_tesco_tesseract_skewed(path: Path) -> Truth:
    opening = D("1248.37")
    entries = items(
        2024,
        [
            ("03-01", "CARD PAYMENT TO SAINSBURYS S/MKTS", "-64.18"),
            ("03-01", "DIRECT DEBIT COUNCIL TAX LEEDS CC", "-142.00"),
            ("03-04", "FASTER PAYMENT FROM J HARGREAVES", "250.00"),
            ("03-05", "CARD PAYMENT TO BOOTS 1121", "-12.49"),
            ("03-06", "DIRECT DEBIT YORKSHIRE WATER", "-38.60"),
            ("03-07", "CARD PAYMENT TO GREGGS PLC", "-4.85"),
            ("03-08", "STANDING ORDER RENT FLAT 2", "-675.00"),
            ("03-11", "CARD PAYMENT TO SHELL HEADINGLEY", "-58.21"),
            ("03-12", "DIRECT DEBIT OCTOPUS ENERGY", "-96.40"),
            ("03-14", "CASH WITHDRAWAL TESCO LEEDS", "-40.00"),
            ("03-15", "BANK GIRO CREDIT ACME PAYROLL", "1986.52"),
            ("03-18", "CARD PAYMENT TO AMAZON UK RETAIL", "-27.99"),
            ("03-19", "DIRECT DEBIT VIRGIN MEDIA", "-49.50"),
            ("03-20", "CARD PAYMENT TO ASDA STORES", "-83.74"),
            ("03-22", "FASTER PAYMENT TO M OKAFOR", "-35.00"),
            ("03-25", "CARD PAYMENT TO NANDOS LEEDS", "-31.40"),
            ("03-27", "DIRECT DEBIT TV LICENCE", "-13.25"),
            ("03-28", "INTEREST PAID", "0.37"),
        ],
    )
    layout = Layout(
        ("Tesco Bank", 16),
        ["Mr D Whitaker, 14 Otley Road, Leeds LS6 3PX"],
        ["Current Account Statement", "Sort code 77-46-12  Account 30118842", "1 March to 31 March 2024"],
        table_columns(
            ("date", "Date", 40),
            ("description", "Description", 100),
            ("out", "Money out", 400),
            ("in", "Money in", 470),
            ("balance", "Balance", 550),
        ),
        lambda item: item.day.strftime("%d/%m/%Y"),
        us,
        ("01/03/2024", "Balance brought forward"),
        ("31/03/2024", "Balance carried forward"),
        particulars_x=330,
    )
    return draw_statement(path, layout, opening, entries, Scan(skew=0.6, seed=11))


def write_pnc_jitter_fragments(path: Path) -> Truth:
    opening = D("3412.08")
    entries = items(
        2024,
        [
            ("05-01", "ACH CREDIT ALLEGHENY HEALTH PAYROLL", "2215.40"),
            ("05-01", "DEBIT CARD PURCHASE GIANT EAGLE PITTSBURGH", "-118.62"),
            ("05-02", "ONLINE TRANSFER TO SAVINGS XXXXXX4471", "-300.00"),
            ("05-03", "DEBIT CARD PURCHASE SHEETZ MONROEVILLE", "-46.18"),
            ("05-03", "ACH DEBIT DUQUESNE LIGHT ELECTRIC", "-132.77"),
            ("05-06", "CHECK 1042", "-85.00"),
            ("05-06", "DEBIT CARD PURCHASE STARBUCKS SHADYSIDE", "-7.45"),
            ("05-07", "ACH DEBIT PEOPLES NATURAL GAS", "-64.30"),
            ("05-08", "ATM WITHDRAWAL FORBES AVENUE", "-100.00"),
            ("05-09", "DEBIT CARD PURCHASE TARGET WATERFRONT", "-73.16"),
            ("05-10", "ZELLE PAYMENT FROM KIMBERLY ROSSI", "60.00"),
            ("05-13", "ACH DEBIT VERIZON WIRELESS", "-91.22"),
            ("05-14", "DEBIT CARD PURCHASE PRIMANTI BROTHERS", "-38.90"),
            ("05-15", "ACH CREDIT ALLEGHENY HEALTH PAYROLL", "2215.40"),
            ("05-15", "ACH DEBIT CHASE CARD AUTOPAY", "-450.00"),
            ("05-16", "DEBIT CARD PURCHASE WHOLE FOODS MARKET", "-102.35"),
            ("05-17", "ACH DEBIT PENNSYLVANIA AMERICAN WATER", "-48.13"),
            ("05-20", "DEBIT CARD PURCHASE HOME DEPOT 4121", "-156.09"),
            ("05-21", "CHECK 1043", "-1450.00"),
            ("05-22", "DEBIT CARD PURCHASE NETFLIX COM", "-15.49"),
            ("05-23", "ACH DEBIT STATE FARM INSURANCE", "-127.50"),
            ("05-24", "DEBIT CARD PURCHASE GETGO FUEL", "-52.64"),
            ("05-28", "DEBIT CARD PURCHASE GIANT EAGLE PITTSBURGH", "-96.31"),
            ("05-29", "ZELLE PAYMENT TO MARCUS LEE", "-40.00"),
            ("05-30", "DEBIT CARD PURCHASE CVS PHARMACY", "-22.87"),
            ("05-31", "SERVICE CHARGE MAINTENANCE FEE", "-7.00"),
        ],
    )
    layout = Layout(
        ("PNC Bank", 15),
        ["JOANNA M KOWALSKI", "2217 MURRAY AVE PITTSBURGH PA 15217"],
        ["Virtual Wallet Spend Statement", "Account number XX-XXXX-8823", "May 1, 2024 - May 31, 2024"],
        table_columns(
            ("date", "Date", 40),
            ("description", "Transaction description", 85),
            ("out", "Withdrawals", 400),
            ("in", "Deposits", 470),
            ("balance", "Balance", 550),
        ),
        lambda item: item.day.strftime("%m/%d"),
        us,
        ("05/01", "Beginning balance"),
        ("05/31", "Ending balance"),
        page_label="Page {page} of 2",
        bottom=420,
    )
    return draw_statement(
        path, layout, opening, entries, Scan(jitter=1.2, heights=0.1, fragments=0.12, seed=23)
    )


RABOBANK_MISREADS = {
    "Albert": "A1bert",
    "Betaalautomaat": "Betaa1automaat",
    "OV-chipkaart": "0V-chipkaart",
    "Vodafone": "Vodaf0ne",
    "Gemeente": "Gerneente",
    "Zorgverzekering": "Z0rgverzekering",
}


def write_rabobank_abbyy_blocks(path: Path) -> Truth:
    opening = D("2184.55")
    entries = items(
        2024,
        [
            ("02-01", "Betaalautomaat Albert Heijn 1412 Utrecht", "-54.23"),
            ("02-01", "Salaris Stichting Zorggroep Utrecht", "2874.16"),
            ("02-02", "Incasso Zorgverzekering Zilveren Kruis", "-142.95"),
            ("02-05", "Huur februari Woonstichting Portaal", "-912.40"),
            ("02-05", "Betaalautomaat Jumbo Overvecht", "-37.81"),
            ("02-06", "Incasso Vodafone Libertel", "-42.50"),
            ("02-07", "iDEAL Bol.com bestelling 4471", "-29.99"),
            ("02-08", "Betaalautomaat Albert Heijn 1412 Utrecht", "-61.07"),
            ("02-09", "Overboeking van S de Vries", "35.00"),
            ("02-12", "Incasso Eneco energie", "-118.00"),
            ("02-13", "Opname geldautomaat Neude", "-50.00"),
            ("02-14", "Betaalautomaat HEMA Hoog Catharijne", "-14.95"),
            ("02-15", "Incasso Gemeente Utrecht belastingen", "-66.12"),
            ("02-16", "Betaalautomaat Kruidvat 7731", "-9.48"),
            ("02-19", "OV-chipkaart automatisch opladen", "-20.00"),
            ("02-20", "Incasso Ziggo", "-56.95"),
            ("02-22", "Betaalautomaat Albert Heijn 1412 Utrecht", "-48.66"),
            ("02-26", "Overboeking naar spaarrekening", "-250.00"),
            ("02-28", "Kosten Rabo BasisPakket", "-4.60"),
            ("02-29", "Rente", "0.84"),
        ],
    )
    layout = Layout(
        ("Rabobank", 16),
        ["Dhr. P.J. Bakker, Biltstraat 88, 3572 BH Utrecht"],
        ["Rekeningoverzicht", "NL42 RABO 0312 4478 90", "1 februari t/m 29 februari 2024"],
        table_columns(
            ("date", "Datum", 40),
            ("description", "Omschrijving", 95),
            ("out", "Af", 400),
            ("in", "Bij", 470),
            ("balance", "Saldo", 550),
        ),
        lambda item: item.day.strftime("%d-%m-%Y"),
        eu,
        ("01-02-2024", "Beginsaldo"),
        ("29-02-2024", "Eindsaldo"),
    )
    scan = Scan(blocks=True, misreads=RABOBANK_MISREADS, stretch=False, seed=5)
    return misread_truth(draw_statement(path, layout, opening, entries, scan), RABOBANK_MISREADS)


def write_suncorp_adobe_lowres(path: Path) -> Truth:
    opening = D("1877.90")
    entries = items(
        2024,
        [
            ("04-02", "EFTPOS WDL WOOLWORTHS 1203 TOOWONG", "-87.42"),
            ("04-02", "DEPOSIT BRISBANE CITY COUNCIL PAY", "2410.33"),
            ("04-03", "BPAY URBAN UTILITIES", "-164.20"),
            ("04-04", "VISA PURCHASE BP PADDINGTON", "-71.05"),
            ("04-05", "DIRECT DEBIT AAMI INSURANCE", "-88.16"),
            ("04-08", "ATM WDL SUNCORP QUEEN ST", "-100.00"),
            ("04-09", "VISA PURCHASE COLES MILTON", "-112.74"),
            ("04-10", "INTERNET TRANSFER RENT APRIL", "-1820.00"),
            ("04-11", "VISA PURCHASE CHEMIST WAREHOUSE", "-24.95"),
            ("04-12", "DIRECT DEBIT OPTUS MOBILE", "-65.00"),
            ("04-15", "VISA PURCHASE BUNNINGS ROCKLEA", "-143.60"),
            ("04-16", "DEPOSIT BRISBANE CITY COUNCIL PAY", "2410.33"),
            ("04-17", "BPAY ORIGIN ENERGY", "-203.48"),
            ("04-18", "VISA PURCHASE UBER EATS", "-36.20"),
            ("04-22", "EFTPOS WDL ALDI INDOOROOPILLY", "-68.39"),
            ("04-24", "INTERNET TRANSFER TO L NGUYEN", "-150.00"),
            ("04-29", "VISA PURCHASE TRANSLINK GO CARD", "-50.00"),
            ("04-30", "INTEREST CREDIT", "1.12"),
        ],
    )
    layout = Layout(
        ("Suncorp Bank", 15),
        ["MR T NGUYEN, 9 SYLVAN RD, TOOWONG QLD 4066"],
        ["Everyday Options Statement", "BSB 484-799  Account 0051 2273", "02 Apr 2024 to 30 Apr 2024"],
        table_columns(
            ("date", "Date", 40),
            ("description", "Transaction details", 100),
            ("out", "Withdrawal", 400),
            ("in", "Deposit", 470),
            ("balance", "Balance", 550),
        ),
        lambda item: item.day.strftime("%d %b"),
        us,
        ("02 Apr", "OPENING BALANCE"),
        ("30 Apr", "CLOSING BALANCE"),
    )
    scan = Scan(dpi=100, size_scale=0.913, grid=True, stretch=False, skew=-0.4, rotate_words=False, seed=3)
    return draw_statement(path, layout, opening, entries, scan)


def write_kbc_upside_down(path: Path) -> Truth:
    opening = D("4120.75")
    entries = items(
        2024,
        [
            ("06-03", "Betaling Bancontact Delhaize Leuven", "-73.12"),
            ("06-03", "Overschrijving loon KU Leuven", "3318.64"),
            ("06-04", "Domiciliering Proximus", "-54.99"),
            ("06-05", "Betaling Bancontact Colruyt Heverlee", "-96.47"),
            ("06-06", "Domiciliering Luminus energie", "-142.00"),
            ("06-07", "Geldopname Bancontact Ladeuzeplein", "-60.00"),
            ("06-10", "Overschrijving huur juni", "-985.00"),
            ("06-11", "Betaling Bancontact Action Leuven", "-18.35"),
            ("06-12", "Domiciliering DKV hospitalisatie", "-41.20"),
            ("06-13", "Instantoverschrijving van A Peeters", "45.00"),
            ("06-14", "Betaling Bancontact Q8 Kessel-Lo", "-62.18"),
            ("06-17", "Domiciliering De Watergroep", "-37.44"),
            ("06-18", "Betaling Bancontact Kruidvat Leuven", "-12.67"),
            ("06-19", "Overschrijving naar spaarrekening", "-500.00"),
            ("06-20", "Betaling Bancontact Aldi Wilsele", "-58.03"),
            ("06-21", "Betaling online Bol.com", "-34.99"),
            ("06-24", "Domiciliering Telenet", "-66.00"),
            ("06-25", "Betaling Bancontact Delhaize Leuven", "-81.54"),
            ("06-26", "Overschrijving naar K Janssens", "-120.00"),
            ("06-27", "Betaling Bancontact De Lijn", "-24.00"),
            ("06-28", "Beheerskosten rekening", "-2.50"),
            ("06-28", "Betaling Bancontact Fnac Leuven", "-49.99"),
        ],
    )
    layout = Layout(
        ("KBC", 18),
        ["Mevr. E. Claes, Naamsestraat 41, 3000 Leuven"],
        ["Rekeninguittreksel 6", "BE71 7340 1188 2269", "03-06-2024 tot 28-06-2024"],
        table_columns(
            ("date", "Datum", 40),
            ("description", "Omschrijving", 100),
            ("amount", "Bedrag", 460),
            ("balance", "Saldo", 550),
        ),
        lambda item: item.day.strftime("%d-%m-%Y"),
        eu_signed,
        ("03-06-2024", "Vorig saldo"),
        ("28-06-2024", "Nieuw saldo"),
        signed=True,
        page_label="Blad {page}/2",
        bottom=360,
        line=11,
    )
    return draw_statement(path, layout, opening, entries, Scan(jitter=0.8, page_rotation={1: 180}, seed=17))


TD_MISREADS = {"Hydro": "Hydr0", "Loblaws": "Lob1aws", "Bell": "Be1l", "Tim": "Tirn", "Costco": "C0stco"}


def write_td_sideways(path: Path) -> Truth:
    opening = D("2650.19")
    entries = items(
        2024,
        [
            ("07-02", "Payroll Dep Ontario Public Service", "2640.58"),
            ("07-02", "Visa Debit Loblaws 1024 Toronto", "-132.44"),
            ("07-03", "Pre-auth Pymt Toronto Hydro", "-98.20"),
            ("07-04", "Visa Debit Tim Hortons 2231", "-6.85"),
            ("07-05", "Interac e-Transfer to R Singh", "-75.00"),
            ("07-08", "Pre-auth Pymt Bell Canada", "-89.27"),
            ("07-09", "Visa Debit Shoppers Drug Mart", "-27.16"),
            ("07-10", "Withdrawal ATM Yonge and Bloor", "-80.00"),
            ("07-11", "Online Bill Pymt Enbridge Gas", "-61.50"),
            ("07-12", "Visa Debit Costco Wholesale 524", "-214.87"),
            ("07-15", "Visa Debit Tim Hortons 2231", "-4.35"),
            ("07-16", "Payroll Dep Ontario Public Service", "2640.58"),
            ("07-16", "Transfer to TFSA", "-500.00"),
            ("07-17", "Pre-auth Pymt Intact Insurance", "-143.92"),
            ("07-18", "Visa Debit Loblaws 1024 Toronto", "-97.63"),
            ("07-19", "Interac e-Transfer from M Chen", "120.00"),
            ("07-22", "Visa Debit Presto Fare", "-50.00"),
            ("07-23", "Online Bill Pymt Rogers Internet", "-85.00"),
            ("07-24", "Visa Debit LCBO 217", "-38.45"),
            ("07-25", "Mortgage Pymt TD Canada Trust", "-1876.40"),
            ("07-26", "Visa Debit Costco Wholesale 524", "-168.22"),
            ("07-29", "Visa Debit Canadian Tire 0412", "-57.09"),
            ("07-30", "Interac e-Transfer to R Singh", "-40.00"),
            ("07-31", "Monthly Plan Fee", "-16.95"),
        ],
    )
    layout = Layout(
        ("TD Canada Trust", 15),
        ["PRIYA SINGH, 55 HARBORD ST, TORONTO ON M5S 1G2"],
        ["Statement of Account", "Branch 1842  Account 6218-5540912", "Jul 2/24 - Jul 31/24"],
        table_columns(  # TD prints the date between the deposits and the balance
            ("description", "Description", 40),
            ("out", "Withdrawals", 340),
            ("in", "Deposits", 410),
            ("date", "Date", 430),
            ("balance", "Balance", 550),
        ),
        lambda item: item.day.strftime("%b%d").upper(),
        us,
        ("JUL02", "Balance Forward"),
        ("JUL31", "Closing Balance"),
        page_label="Page {page} of 2",
        bottom=440,
    )
    scan = Scan(misreads=TD_MISREADS, page_rotation={1: 90}, seed=29)
    return misread_truth(draw_statement(path, layout, opening, entries, scan), TD_MISREADS)


def write_standard_bank_fragments(path: Path) -> Truth:
    opening = D("18420.66")
    entries = items(
        2024,
        [
            ("08-01", "SALARY CREDIT DEPARTMENT OF EDUCATION", "24815.20"),
            ("08-01", "DEBIT ORDER DISCOVERY MEDICAL AID", "-4386.00"),
            ("08-02", "POS PURCHASE PICK N PAY ROSEBANK", "-812.45"),
            ("08-02", "DEBIT ORDER VODACOM CONTRACT", "-649.00"),
            ("08-05", "IB PAYMENT TO CITY OF JOHANNESBURG", "-2134.88"),
            ("08-05", "POS PURCHASE ENGEN PARKTOWN", "-950.00"),
            ("08-06", "AUTOBANK CASH WITHDRAWAL MELVILLE", "-1000.00"),
            ("08-07", "DEBIT ORDER OLD MUTUAL INSURANCE", "-1275.30"),
            ("08-08", "POS PURCHASE WOOLWORTHS HYDE PARK", "-674.19"),
            ("08-09", "IB TRANSFER FROM SAVINGS", "3000.00"),
            ("08-12", "DEBIT ORDER HOME LOAN INSTALMENT", "-11240.00"),
            ("08-13", "POS PURCHASE CLICKS PARKHURST", "-233.60"),
            ("08-14", "PREPAID ELECTRICITY CITY POWER", "-500.00"),
            ("08-15", "POS PURCHASE CHECKERS HYPER SANDTON", "-1487.22"),
            ("08-19", "IB PAYMENT TO NKOSI PROPERTIES", "-3200.00"),
            ("08-20", "POS PURCHASE DISCHEM ROSEBANK", "-318.75"),
            ("08-23", "DEBIT ORDER NETFLIX SUBSCRIPTION", "-199.00"),
            ("08-27", "POS PURCHASE SPAR MELVILLE", "-426.34"),
            ("08-30", "MONTHLY MANAGEMENT FEE", "-115.00"),
        ],
    )
    layout = Layout(
        ("Standard Bank", 15),
        ["MS L MOKOENA, 22 4TH AVE, MELVILLE 2092"],
        [
            "Current Account Statement",
            "Account number 10 0847 335 1",
            "Statement period 01/08/2024 - 31/08/2024",
        ],
        table_columns(
            ("date", "Date", 40),
            ("description", "Details", 90),
            ("amount", "Amount", 450),
            ("balance", "Balance", 550),
        ),
        lambda item: item.day.strftime("%d %b"),
        us_signed,
        ("01 Aug", "BALANCE BROUGHT FORWARD"),
        ("31 Aug", "CLOSING BALANCE"),
        signed=True,
        particulars_x=330,
        line=11,
    )
    return draw_statement(path, layout, opening, entries, Scan(skew=-1.0, fragments=0.15, seed=41))


USBANK_MISREADS = {"Kroger": "Kr0ger", "Mobile": "Mobi1e", "Comcast": "C0mcast", "Payment": "Payrnent"}


def write_usbank_abbyy_lowres(path: Path) -> Truth:
    opening = D("962.14")
    entries = items(
        2024,
        [
            ("09-03", "Electronic Deposit Cincinnati Childrens", "1842.77"),
            ("09-03", "Debit Purchase Kroger 0412 Cincinnati", "-96.38"),
            ("09-04", "Mobile Banking Payment to Duke Energy", "-118.40"),
            ("09-05", "Debit Purchase Speedway 9921", "-41.26"),
            ("09-06", "Electronic Withdrawal Comcast Cable", "-79.99"),
            ("09-09", "Debit Purchase Kroger 0412 Cincinnati", "-62.15"),
            ("09-10", "ATM Withdrawal Vine Street", "-60.00"),
            ("09-11", "Electronic Withdrawal Progressive Ins", "-112.80"),
            ("09-12", "Mobile Check Deposit", "250.00"),
            ("09-13", "Debit Purchase Skyline Chili", "-18.47"),
            ("09-16", "Electronic Withdrawal Rent Payment", "-1150.00"),
            ("09-17", "Electronic Deposit Cincinnati Childrens", "1842.77"),
            ("09-18", "Debit Purchase Target 1192", "-54.61"),
            ("09-19", "Mobile Banking Payment to Greater Cincinnati Water", "-47.33"),
            ("09-20", "Debit Purchase Kroger 0412 Cincinnati", "-88.92"),
            ("09-23", "Zelle Instant Pmt to A Brooks", "-30.00"),
            ("09-25", "Electronic Withdrawal Sallie Mae", "-210.00"),
            ("09-30", "Maintenance Fee", "-6.95"),
        ],
    )
    layout = Layout(
        ("U.S. Bank", 15),
        ["DANIEL R FOSTER", "412 ELM ST CINCINNATI OH 45202"],
        ["Easy Checking", "Account Number 1 528 7741 0934", "Sep 3, 2024 through Sep 30, 2024"],
        table_columns(
            ("date", "Date", 40),
            ("description", "Description", 90),
            ("amount", "Amount", 470),
            ("balance", "Balance", 550),
        ),
        lambda item: item.day.strftime("%b %-d"),
        us_signed,
        ("Sep 3", "Beginning Balance"),
        ("Sep 30", "Ending Balance"),
        signed=True,
        line=11,
    )
    scan = Scan(dpi=120, size_scale=0.92, grid=True, blocks=True, misreads=USBANK_MISREADS, seed=53)
    return misread_truth(draw_statement(path, layout, opening, entries, scan), USBANK_MISREADS)


# --- Whole pages scanned askew -------------------------------------------------------------------

# A month of a current account, 40 rows: enough to fill a page from the header to its foot.
_FULL_PAGE_ENTRIES = [
    ("10-01", "SALARY NORTHWIND LOGISTICS LTD", "2846.15"),
    ("10-01", "DIRECT DEBIT LANDLORD RENT", "-950.00"),
    ("10-02", "CARD PAYMENT CORNER GROCER", "-23.47"),
    ("10-02", "DIRECT DEBIT CITY WATER", "-41.80"),
    ("10-03", "CARD PAYMENT FUEL STATION 112", "-62.30"),
    ("10-04", "TRANSFER FROM J MORGAN", "120.00"),
    ("10-04", "CARD PAYMENT PHARMACY PLUS", "-8.99"),
    ("10-05", "DIRECT DEBIT MOBILE NETWORK", "-35.00"),
    ("10-07", "CASH WITHDRAWAL HIGH STREET", "-100.00"),
    ("10-07", "CARD PAYMENT BOOKSHOP CENTRAL", "-17.25"),
    ("10-08", "DIRECT DEBIT ENERGY SUPPLY CO", "-118.42"),
    ("10-08", "CARD PAYMENT COFFEE HOUSE", "-4.60"),
    ("10-09", "REFUND ONLINE RETAILER", "56.99"),
    ("10-10", "CARD PAYMENT SUPERMARKET 0419", "-87.36"),
    ("10-11", "STANDING ORDER SAVINGS POT", "-250.00"),
    ("10-11", "CARD PAYMENT RAILWAY TICKETS", "-44.10"),
    ("10-12", "DIRECT DEBIT HOME INSURANCE", "-27.83"),
    ("10-14", "CARD PAYMENT HARDWARE DEPOT", "-139.99"),
    ("10-14", "TRANSFER FROM SAVINGS POT", "400.00"),
    ("10-15", "CARD PAYMENT CINEMA ODEON", "-22.00"),
    ("10-15", "SALARY NORTHWIND LOGISTICS LTD", "2846.15"),
    ("10-16", "DIRECT DEBIT GYM MEMBERSHIP", "-29.99"),
    ("10-17", "CARD PAYMENT SUPERMARKET 0419", "-64.21"),
    ("10-18", "CARD PAYMENT TAKEAWAY PIZZA", "-18.50"),
    ("10-18", "DIRECT DEBIT BROADBAND", "-32.00"),
    ("10-19", "TRANSFER TO A KOWALCZYK", "-75.00"),
    ("10-21", "CARD PAYMENT FUEL STATION 112", "-58.74"),
    ("10-21", "CARD PAYMENT GARDEN CENTRE", "-36.45"),
    ("10-22", "DIRECT DEBIT COUNCIL TAX", "-156.00"),
    ("10-23", "CARD PAYMENT PHARMACY PLUS", "-12.35"),
    ("10-23", "INTEREST ON CREDIT BALANCE", "1.84"),
    ("10-24", "CARD PAYMENT ONLINE RETAILER", "-249.00"),
    ("10-25", "CASH WITHDRAWAL STATION ROAD", "-60.00"),
    ("10-26", "CARD PAYMENT SUPERMARKET 0419", "-102.68"),
    ("10-27", "TRANSFER FROM J MORGAN", "35.00"),
    ("10-28", "DIRECT DEBIT STREAMING SERVICE", "-10.99"),
    ("10-29", "CARD PAYMENT CORNER GROCER", "-15.82"),
    ("10-29", "STANDING ORDER CHARITY", "-20.00"),
    ("10-30", "CARD PAYMENT RESTAURANT ROMA", "-73.40"),
    ("10-31", "ACCOUNT FEE", "-5.00"),
]


def write_full_page_skewed(
    degrees: float, signed: bool = False, top: bool = False
) -> Callable[[Path], Truth]:
    """A writer of one full page of 40 rows scanned ``degrees`` askew (positive: counter-clockwise),
    words rotated with the sheet: Debit, Credit and Balance columns 50-55 points apart (``signed``: one
    signed Amount column beside the Balance), under a header row at the page's top (``top``: no
    letterhead, the table runs from the page's top edge to its foot). At 1 degree the last row's date
    lies 10 points left or right of the header's, at 2 degrees 22 points."""

    def write(path: Path) -> Truth:
        amounts = [("amount", "Amount", 490)] if signed else [("out", "Debit", 440), ("in", "Credit", 490)]
        layout = Layout(
            ("Northwind Bank", 15),
            ["MS R ADEYEMI, 7 QUARRY LANE, HALIFAX HX1 2QB"],
            ["Current Account Statement", "Account 40-12-77  31228790", "1 October to 31 October 2024"],
            table_columns(
                ("date", "Date", 40),
                ("description", "Description", 90),
                *amounts,
                ("balance", "Balance", 545),
            ),
            lambda item: item.day.strftime("%d/%m/%Y"),
            us_signed if signed else us,
            ("01/10/2024", "Balance brought forward"),
            ("31/10/2024", "Balance carried forward"),
            signed=signed,
            bottom=810,
            table_top=40 if top else 130,
            gap=6 if top else 3,
        )
        opening = D("1530.62")
        entries = items(2024, _FULL_PAGE_ENTRIES)
        return draw_statement(path, layout, opening, entries, Scan(skew=degrees, seed=61))

    return write
