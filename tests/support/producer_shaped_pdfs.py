"""Statements drawn the way real PDF producers draw text, not the clean fpdf2 way.

``bank_shaped_pdfs`` draws one text object per word with space glyphs between words, in reading
order. Banks' report engines do not: each statement here is laid out like a plausible bank
statement (dates, descriptions, money out / in or signed amounts, a running balance, opening and
closing balances printed) and then drawn with two or three producer quirks:

- ``golden1_crystal`` (Crystal Reports, US credit union): every glyph its own ``Tj`` at its own x,
  no space glyphs; fake bold headings and totals (drawn three times 0.3 pt apart). Two pages.
- ``gls_pdftex`` (pdfTeX, German bank): ``TJ`` arrays with kerning numbers and word gaps made by
  ``-333`` instead of spaces; the font size in the text matrix (``/F1 1 Tf 8 0 0 8 x y Tm``).
  No running balance, Alter / Neuer Kontostand.
- ``axis_bi_publisher`` (Oracle BI Publisher, Indian bank): the table drawn column by column
  (all dates of a page, then all particulars, debits, credits, balances); the page content split
  across three ``/Contents`` streams, each split in the middle of a row. Two pages, lakh grouping.
- ``santander_cl_jasper`` (JasperReports, Chilean bank): the table inside a Form XObject drawn
  with ``0.9 0 0 0.9 30 42 cm``, its column header a band of the table; amount columns condensed
  with ``85 Tz``. CLP without decimals.
- ``metro_landscape`` (Ghostscript, UK business account): a landscape statement stored on a
  portrait page with ``/Rotate 90``, content drawn in rotated coordinates; a MediaBox starting at
  ``-18 -24`` and a CropBox inside it; fake bold headings. Two pages.
- ``bendigo_ocr`` (a scanned statement with an OCR text layer, Tesseract style): each page an
  image, the words drawn over it in invisible rendering mode (``3 Tr``), each word stretched with
  ``Tz`` to the width it has in the image, in an embedded subset CID font (Identity-H with a
  ToUnicode map) that holds no space glyph. Two pages.
- ``bunq_chrome`` (Chrome print-to-PDF of an online-banking page): a subset CID font without a
  space glyph, every word its own text object; letter-spaced (``Tc``) headings. One page.
- ``handelsbanken_itext`` (iText, Swedish bank): justified descriptions (``Tw`` word spacing),
  character spacing ``Tc`` on amounts; the content split across two ``/Contents`` streams in the
  middle of a row. Two pages, ISO dates, ``-1 234,56``.
- ``ocbc_oracle`` (Oracle Reports, Singapore bank): rows drawn bottom-up; ``TJ`` arrays with
  word gaps as numbers; a CropBox smaller than the MediaBox. Two pages.
- ``citizens_ghostscript`` (a statement re-distilled by Ghostscript): every page's content inside
  a Form XObject scaled 0.96; every glyph positioned separately with the font size 1 and the size
  in the text matrix. Two pages, signed amounts.

The raw PDFs use the standard-14 Helvetica (``/WinAnsiEncoding``, nothing embedded) with glyph
widths from fpdf2, so right-aligned amounts line up. The Truth is what ``bank_shaped_pdfs``
defines: date ISO, description lines joined by spaces, money out negative, document order, the
running balance where the row prints one, the opening and closing balances as printed.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import TextMode

from tests.support.bank_shaped_pdfs import FONT_DIR, D, Row, Truth, eu, lakh, us
from tests.support.hostile_pdfs import assemble, stream

# --- A page as cells: what is printed where, before a producer decides how to draw it -----------


@dataclass(frozen=True)
class Cell:
    x: float  # the left edge, or the right edge when ``right``
    y: float  # the baseline, in points from the page's top
    text: str
    column: str = ""  # the table column, "" for page furniture
    row: int = -1  # the table row, -1 for page furniture
    bold: bool = False
    right: bool = False
    size: float = 8


class Pages:
    """Cells page by page, with a y cursor that starts a new page (and its header) when full."""

    def __init__(self, header: Callable[[Pages, int], float], bottom: float, size: float = 8) -> None:
        self.pages: list[list[Cell]] = []
        self.header, self.bottom, self.size = header, bottom, size
        self.rows = 0
        self.y = self._new_page()

    def _new_page(self) -> float:
        self.pages.append([])
        return self.header(self, len(self.pages))

    def need(self, height: float) -> float:
        if self.y + height > self.bottom:
            self.y = self._new_page()
        y, self.y = self.y, self.y + height
        return y

    def next_row(self) -> int:
        self.rows += 1
        return self.rows

    def text(self, x: float, y: float, text: str, **options: object) -> None:
        self.pages[-1].append(Cell(x, y, text, **{"size": self.size, **options}))  # type: ignore[arg-type]

    def right(self, x: float, y: float, text: str, **options: object) -> None:
        self.text(x, y, text, right=True, **options)


@dataclass(frozen=True)
class Item:
    day: date
    lines: tuple[str, ...]
    amount: Decimal


def items(year: int, entries: Sequence[tuple[str, str, str]], month_first: bool = True) -> list[Item]:
    """``("01-05", "DESCRIPTION | second line", "-12.34")`` entries as items of ``year``."""
    found = []
    for when, text, amount in entries:
        month, day = (int(part) for part in when.split("-"))
        found.append(Item(date(year, month, day), tuple(text.split(" | ")), D(amount)))
    return found


def truth(opening: Decimal, entries: Sequence[Item], balances: bool = True) -> Truth:
    rows, balance = [], opening
    for item in entries:
        balance += item.amount
        rows.append(Row(item.day, " ".join(item.lines), item.amount, balance if balances else None))
    return Truth(tuple(rows), opening, balance)


# --- Drawing cells as a producer does ------------------------------------------------------------


@dataclass(frozen=True)
class Producer:
    """How text is drawn: the quirks of one report engine."""

    glyphs: str = "line"  # "line": one Tj per cell; "glyph": one Tj per character; "tj": TJ arrays
    unit_font: bool = False  # ``/F1 1 Tf`` with the size in the text matrix
    fake_bold: bool = False  # bold drawn three times with the regular font, 0.3 pt apart
    order: str = "reading"  # "reading", "columns" (column by column), "bottom_up" (last row first)
    condensed: frozenset[str] = frozenset()  # columns drawn with 85 % horizontal scaling
    spaced: frozenset[str] = frozenset()  # columns drawn with 0.4 pt character spacing
    justified: dict[str, float] = field(default_factory=dict)  # column -> width filled by word spacing


@dataclass(frozen=True)
class Geometry:
    """Where the content goes: the page boxes, a rotation, a Form XObject, several streams."""

    width: float = 595.28
    height: float = 841.89
    rotate: bool = False  # a landscape page stored portrait with /Rotate 90
    origin: tuple[float, float] = (0, 0)  # the MediaBox's lower-left corner
    crop: float = 0  # how far the CropBox lies inside the MediaBox
    table_form: tuple[float, float, float] | None = None  # (scale, dx, dy): table cells in a Form XObject
    page_form: float | None = None  # scale: the whole page in a Form XObject
    streams: int = 1  # /Contents split in this many streams, each split in the middle of a row


KERNING = {"AV": 70, "VA": 70, "To": 80, "Ta": 80, "Te": 70, "Yo": 90, "LT": 74, "Pa": 40, "We": 40, "r.": 40}
WORD_GAP = 333  # pdfTeX's interword glue, in thousandths of the font size


@cache
def advance(char: str, bold: bool) -> float:
    """Helvetica's advance of ``char`` in thousandths of the font size."""
    pdf = FPDF(unit="pt")
    pdf.set_font("helvetica", "B" if bold else "", 1000)
    return float(pdf.get_string_width(char))


def pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _fmt(value: float) -> bytes:
    return (b"%.2f" % value).rstrip(b"0").rstrip(b".")


class Drawer:
    """Turns cells into content-stream operators the way ``producer`` does."""

    def __init__(self, producer: Producer, height: float) -> None:
        self.producer, self.height = producer, height

    def _tj_array(self, text: str, bold: bool) -> tuple[bytes, float]:
        parts, width = [], 0.0
        for index, word in enumerate(text.split()):
            if index:
                parts.append(b"-%d" % WORD_GAP)
                width += WORD_GAP
            chunk = ""
            for char in word:
                kern = KERNING.get(chunk[-1:] + char) if chunk else None
                if kern:
                    parts += [pdf_string(chunk), b"%d" % kern]
                    width -= kern
                    chunk = ""
                chunk += char
                width += advance(char, bold)
            parts.append(pdf_string(chunk))
        return b"[" + b" ".join(parts) + b"] TJ", width

    def cell(self, cell: Cell) -> list[bytes]:
        p = self.producer
        fake = cell.bold and p.fake_bold
        bold = cell.bold and not fake
        scale = 85.0 if cell.column in p.condensed else 100.0
        char_spacing = 0.4 if cell.column in p.spaced else 0.0
        natural = sum(advance(c, bold) for c in cell.text) * cell.size / 1000
        word_spacing = 0.0
        fill = p.justified.get(cell.column)
        if fill and cell.text.count(" ") and natural > 0.6 * fill:
            word_spacing = (fill - natural) / cell.text.count(" ")
        if p.glyphs == "tj":
            shown, units = self._tj_array(cell.text, bold)
            width = units * cell.size / 1000
        else:
            width = natural
        width = (width + char_spacing * len(cell.text) + word_spacing * cell.text.count(" ")) * scale / 100
        x = cell.x - width if cell.right else cell.x
        y = self.height - cell.y
        font = b"/F2" if bold else b"/F1"
        state = []
        if scale != 100:
            state.append(b"%s Tz" % _fmt(scale))
        if char_spacing:
            state.append(b"%s Tc" % _fmt(char_spacing))
        if word_spacing:
            state.append(b"%s Tw" % _fmt(word_spacing))

        def at(px: float, py: float) -> bytes:
            if p.unit_font:
                return b"%s 1 Tf %s 0 0 %s %s %s Tm" % (
                    font,
                    _fmt(cell.size),
                    _fmt(cell.size),
                    _fmt(px),
                    _fmt(py),
                )
            return b"%s %s Tf 1 0 0 1 %s %s Tm" % (font, _fmt(cell.size), _fmt(px), _fmt(py))

        def draw(dx: float, dy: float) -> list[bytes]:
            ops = [b"BT", *state]
            if p.glyphs == "glyph":
                px = x + dx
                for char in cell.text:
                    if char != " ":
                        ops += [at(px, y + dy), pdf_string(char) + b" Tj"]
                    px += (advance(char, bold) * cell.size / 1000 + char_spacing) * scale / 100
            else:
                ops.append(at(x + dx, y + dy))
                ops.append(shown if p.glyphs == "tj" else pdf_string(cell.text) + b" Tj")
            return [*ops, b"ET"]

        strokes = [(0.0, 0.0), (0.3, 0.0), (0.3, 0.3)] if fake else [(0.0, 0.0)]
        ops = [op for dx, dy in strokes for op in draw(dx, dy)]
        return [b"q", *ops, b"Q"] if state else ops

    def ordered(self, cells: Sequence[Cell]) -> list[Cell]:
        furniture = [c for c in cells if c.row < 0]
        table = [c for c in cells if c.row >= 0]
        if self.producer.order == "columns":
            left = {
                column: min(c.x for c in table if c.column == column) for column in {c.column for c in table}
            }
            table = sorted(table, key=lambda c: (left[c.column], c.row, c.y))
        elif self.producer.order == "bottom_up":
            table = sorted(table, key=lambda c: -c.row)
        return furniture + table


def _split_mid_row(blocks: list[tuple[Cell, list[bytes]]], parts: int) -> list[bytes]:
    """The blocks' operators in ``parts`` streams, each cut between two cells of the table that share
    a row (drawn row by row) or a column (drawn column by column), so a row straddles the cut."""

    def inside(a: Cell, b: Cell) -> bool:
        return a.row >= 0 and b.row >= 0 and (a.row == b.row or a.column == b.column)

    cuts = [i for i in range(1, len(blocks)) if inside(blocks[i - 1][0], blocks[i][0])]
    chosen = [cuts[len(cuts) * k // parts] for k in range(1, parts)] if cuts else []
    bounds = [0, *chosen, len(blocks)]
    return [
        b"\n".join(op for _, ops in blocks[a:b] for op in ops)
        for a, b in zip(bounds, bounds[1:], strict=False)
    ]


def write_raw(path: Path, pages: Sequence[Sequence[Cell]], producer: Producer, geometry: Geometry) -> None:
    """The cells as a raw PDF: standard-14 Helvetica, drawn by ``producer`` into ``geometry``."""
    g = geometry
    drawer = Drawer(producer, g.height)
    helvetica = b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding >>"
    objects: list[bytes] = [b"", b"", helvetica % b"Helvetica", helvetica % b"Helvetica-Bold"]
    fonts = b"<< /Font << /F1 3 0 R /F2 4 0 R >> >>"
    kids = []
    wide, tall = (g.height, g.width) if g.rotate else (g.width, g.height)
    ox, oy = g.origin
    for cells in pages:
        blocks = [(cell, drawer.cell(cell)) for cell in drawer.ordered(cells)]
        # what places the reading page on the stored one
        place = b"1 0 0 1 %s %s cm" % (_fmt(ox), _fmt(oy))
        if g.rotate:
            place += b" 0 1 -1 0 %s 0 cm" % _fmt(wide)
        xobjects = b""
        if g.table_form is not None:
            scale, dx, dy = g.table_form
            table = [ops for cell, ops in blocks if cell.row >= 0]
            form = b"\n".join(op for ops in table for op in ops)
            objects.append(
                stream(
                    zlib.compress(form),
                    b"/Type /XObject /Subtype /Form /BBox [0 0 %s %s] /Resources %s /Filter /FlateDecode"
                    % (_fmt(g.width), _fmt(g.height), fonts),
                )
            )
            xobjects = b"/XObject << /Tbl %d 0 R >>" % len(objects)
            call = b"q %s 0 0 %s %s %s cm /Tbl Do Q" % (_fmt(scale), _fmt(scale), _fmt(dx), _fmt(dy))
            blocks = [(c, ops) for c, ops in blocks if c.row < 0] + [(Cell(0, 0, ""), [call])]
        if g.page_form is not None:
            form = b"\n".join(op for _, ops in blocks for op in ops)
            objects.append(
                stream(
                    zlib.compress(form),
                    b"/Type /XObject /Subtype /Form /BBox [0 0 %s %s] /Resources %s /Filter /FlateDecode"
                    % (_fmt(g.width), _fmt(g.height), fonts),
                )
            )
            xobjects = b"/XObject << /Pg %d 0 R >>" % len(objects)
            s = g.page_form
            shift = (1 - s) / 2
            call = b"q %s 0 0 %s %s %s cm /Pg Do Q" % (
                _fmt(s),
                _fmt(s),
                _fmt(shift * g.width),
                _fmt(shift * g.height),
            )
            blocks = [(Cell(0, 0, ""), [call])]
        bodies = _split_mid_row(blocks, g.streams)
        bodies[0] = b"q " + place + b"\n" + bodies[0]
        bodies[-1] += b"\nQ"
        contents = []
        for body in bodies:
            objects.append(stream(zlib.compress(body)))
            contents.append(b"%d 0 R" % len(objects))
        media = b"[%s %s %s %s]" % (_fmt(ox), _fmt(oy), _fmt(ox + wide), _fmt(oy + tall))
        crop = b""
        if g.crop:
            c = g.crop
            crop = b" /CropBox [%s %s %s %s]" % (
                _fmt(ox + c),
                _fmt(oy + c),
                _fmt(ox + wide - c),
                _fmt(oy + tall - c),
            )
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox %s%s%s /Resources << /Font << /F1 3 0 R /F2 4 0 R >> "
            b"%s >> "
            b"/Contents [%s] >>"
            % (media, crop, b" /Rotate 90" if g.rotate else b"", xobjects, b" ".join(contents))
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    path.write_bytes(assemble(objects))


def write_fpdf(
    path: Path, pages: Sequence[Sequence[Cell]], scan: bool = False, spaced_headings: bool = False
) -> None:
    """The cells word by word in an embedded subset CID font (no space glyph is ever drawn).

    ``scan``: each page an image of the text, the words over it invisible and stretched to their
    width in the image, as OCR tools write their text layer.
    """
    pdf = FPDF(unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_font("Sans", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("Sans", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    for cells in pages:
        pdf.add_page()
        if scan:
            _scan_page(pdf, cells)
            continue
        for cell in cells:
            pdf.set_font("Sans", "B" if cell.bold else "", cell.size)
            pdf.set_char_spacing(1.2 if spaced_headings and cell.bold else 0)
            x = cell.x - pdf.get_string_width(cell.text) if cell.right else cell.x
            for word in cell.text.split(" "):
                if word:
                    pdf.text(x, cell.y, word)
                x += pdf.get_string_width(word + " ")
    pdf.output(str(path))


def _scan_page(pdf: FPDF, cells: Sequence[Cell]) -> None:
    """A 150 dpi greyscale image of the cells, and their words again invisible over it."""
    from PIL import Image, ImageDraw, ImageFont

    dpi = 150 / 72
    image = Image.new("L", (int(pdf.w * dpi), int(pdf.h * dpi)), 250)
    draw = ImageDraw.Draw(image)
    words = []  # left, baseline, width in points, word, size
    for cell in cells:
        name = "DejaVuSerif-Bold.ttf" if cell.bold else "DejaVuSerif.ttf"
        font = ImageFont.truetype(str(FONT_DIR / name), round(cell.size * dpi))
        # a scan sits a little skewed and shifted on the glass
        x = (cell.x + 2.5 + cell.y * 0.004) * dpi
        base = (cell.y + 1.5) * dpi
        if cell.right:
            x -= draw.textlength(cell.text, font=font)
        draw.text((x, base), cell.text, fill=30, font=font, anchor="ls")
        for word in cell.text.split(" "):
            if word:
                words.append((x / dpi, base / dpi, draw.textlength(word, font=font) / dpi, word, cell.size))
            x += draw.textlength(word + " ", font=font)
    png = io.BytesIO()
    image.save(png, format="PNG")
    pdf.image(png, x=0, y=0, w=pdf.w, h=pdf.h)
    pdf.text_mode = TextMode.INVISIBLE
    for left, base, width, word, size in words:
        pdf.set_font("Sans", "", size)
        pdf.set_stretching(100)  # fpdf2 measures with the stretching in force
        pdf.set_stretching(100 * width / pdf.get_string_width(word))
        pdf.text(left, base, word)
    pdf.set_stretching(100)
    pdf.text_mode = TextMode.FILL


# --- Tables --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    x: float
    right: bool = False


Values = dict[str, "str | Sequence[str]"]


def headings(pages: Pages, y: float, columns: Sequence[Column]) -> None:
    for column in columns:
        (pages.right if column.right else pages.text)(column.x, y, column.title, bold=True)


def table_row(pages: Pages, columns: Sequence[Column], values: Values, line: float, gap: float = 3) -> None:
    """One table row: each column's lines one under the other, the first on the row's baseline."""
    cells = {key: [value] if isinstance(value, str) else list(value) for key, value in values.items()}
    y = pages.need(line * max(len(lines) for lines in cells.values()) + gap) + line
    row = pages.next_row()
    for column in columns:
        for k, text in enumerate(cells.get(column.key, [])):
            if text:
                draw = pages.right if column.right else pages.text
                draw(column.x, y + line * k, text, column=column.key, row=row)


def letterhead(
    pages: Pages,
    top: float,
    bank: tuple[str, float],
    left: Sequence[str],
    right: tuple[float, Sequence[str]],
    step: float = 12,
) -> None:
    """The bank's name (bold, at its size) over lines of its address on the left, the statement's
    particulars in a block at ``right[0]``, lines ``step`` apart from ``top``."""
    pages.text(40, top, bank[0], bold=True, size=bank[1])
    for k, line in enumerate(left, start=1):
        pages.text(40, top + step * k, line)
    x, particulars = right
    for k, line in enumerate(particulars):
        pages.text(x, top + step * k, line)


def split_columns(item: Item, balance: Decimal, money: Callable[[Decimal], str]) -> Values:
    """Money out and money in in their own columns, unsigned, and the running balance."""
    out = money(-item.amount) if item.amount < 0 else ""
    into = money(item.amount) if item.amount > 0 else ""
    return {"description": item.lines, "out": out, "in": into, "balance": money(balance)}


def balances(opening: Decimal, entries: Sequence[Item]) -> list[Decimal]:
    found, balance = [], opening
    for item in entries:
        balance += item.amount
        found.append(balance)
    return found


def clp(amount: Decimal) -> str:
    """Chilean pesos: ``1.234.567``, no decimals."""
    return f"{abs(amount):,.0f}".replace(",", ".")


def sek(amount: Decimal) -> str:
    """Swedish kronor: ``-1 234,56``."""
    return f"{amount:,.2f}".replace(",", " ").replace(".", ",")


# --- Golden 1 Credit Union (Crystal Reports): every glyph positioned alone, fake bold ------------


def write_golden1_crystal(path: Path) -> Truth:
    opening = D("3184.62")
    entries = items(
        2024,
        [
            ("01-02", "POS PURCHASE | SAFEWAY #1734 SACRAMENTO CA", "-84.17"),
            ("01-02", "ACH DEBIT | PG&E WEB ONLINE 0148821", "-142.36"),
            ("01-03", "SHARE DRAFT #1043", "-1650.00"),
            ("01-05", "ACH CREDIT | STATE OF CALIFORNIA PAYROLL", "2318.44"),
            ("01-05", "POS PURCHASE | RALEYS #321 ROSEVILLE CA", "-63.09"),
            ("01-08", "ATM WITHDRAWAL | GOLDEN 1 BRANCH 016 FOLSOM", "-200.00"),
            ("01-08", "VISA DEBIT | NETFLIX.COM LOS GATOS CA", "-15.49"),
            ("01-09", "TRANSFER TO SHARE 0001 | ONLINE BANKING", "-250.00"),
            ("01-10", "POS PURCHASE | CHEVRON 0094512 FOLSOM CA", "-58.71"),
            ("01-11", "ACH DEBIT | GEICO AUTO PREM COLL", "-131.20"),
            ("01-12", "VISA DEBIT | AMAZON MKTPL*R82KL1 SEATTLE WA", "-37.84"),
            ("01-15", "DIVIDEND DEPOSIT", "1.27"),
            ("01-16", "POS PURCHASE | COSTCO WHSE #0465 FOLSOM CA", "-212.55"),
            ("01-17", "SHARE DRAFT #1044", "-85.00"),
            ("01-19", "ACH CREDIT | STATE OF CALIFORNIA PAYROLL", "2318.44"),
            ("01-19", "ACH DEBIT | SMUD ELECTRIC WEB PMT", "-96.38"),
            ("01-22", "VISA DEBIT | TARGET 00021 ROSEVILLE CA", "-74.12"),
            ("01-22", "ZELLE TO MARIA LOPEZ | BABYSITTING", "-120.00"),
            ("01-23", "POS PURCHASE | TRADER JOE S #194 SACRAMENTO", "-52.63"),
            ("01-24", "ACH DEBIT | GOLDEN 1 VISA PAYMENT", "-600.00"),
            ("01-25", "MOBILE DEPOSIT", "185.00"),
            ("01-26", "VISA DEBIT | SPOTIFY USA NEW YORK NY", "-11.99"),
            ("01-29", "ATM WITHDRAWAL | GOLDEN 1 BRANCH 016 FOLSOM", "-100.00"),
            ("01-30", "ACH DEBIT | COMCAST CALIFORNIA 8155", "-89.99"),
            ("01-31", "POS PURCHASE | SAFEWAY #1734 SACRAMENTO CA", "-47.26"),
        ],
    )
    result = truth(opening, entries)
    columns = [
        Column("date", "Date", 40),
        Column("description", "Transaction Description", 100),
        Column("out", "Withdrawals", 420, right=True),
        Column("in", "Deposits", 495, right=True),
        Column("balance", "Balance", 572, right=True),
    ]

    def header(pages: Pages, page: int) -> float:
        address = ["PO Box 15966, Sacramento, CA 95852-0966  |  1-877-GOLDEN 1"]
        period = ["Statement Period: 01/01/2024 - 01/31/2024", "Member Number: ******4471"]
        letterhead(pages, 50, ("GOLDEN 1 CREDIT UNION", 12), address, (380, period))
        pages.right(572, 765, f"Page {page}")
        y = 90.0
        if page == 1:
            pages.text(40, 90, "ROBERT J MARTINEZ")
            pages.text(40, 101, "4120 GLENWOOD DR, FOLSOM CA 95630")
            pages.text(40, 130, "REGULAR CHECKING  0001-09", bold=True, size=10)
            pages.text(40, 146, "Beginning Balance")
            pages.right(200, 146, us(opening))
            pages.text(40, 157, "Ending Balance")
            pages.right(200, 157, us(result.closing or D(0)))
            y = 180
        headings(pages, y, columns)
        return y + 4

    pages = Pages(header, 740)
    for item, balance in zip(entries, balances(opening, entries), strict=True):
        values = split_columns(item, balance, us)
        values["date"] = item.day.strftime("%m/%d/%Y")
        table_row(pages, columns, values, line=10)
    y = pages.need(30) + 14
    pages.text(100, y, "Ending Balance", bold=True)
    pages.right(420, y, us(-sum((i.amount for i in entries if i.amount < 0), D(0))), bold=True)
    pages.right(495, y, us(sum((i.amount for i in entries if i.amount > 0), D(0))), bold=True)
    pages.right(572, y, us(result.closing or D(0)), bold=True)
    write_raw(path, pages.pages, Producer(glyphs="glyph", fake_bold=True), Geometry(612, 792))
    return result


# --- GLS Bank (pdfTeX): TJ arrays with kerning and gaps, the font size in the text matrix --------


def write_gls_pdftex(path: Path) -> Truth:
    opening = D("2746.18")
    entries = items(
        2024,
        [
            (
                "01-02",
                "Dauerauftrag | Miete Januar Wohnung Herner Str. 12 | Vermietung Kowalski GbR",
                "-780.00",
            ),
            ("01-02", "Lastschrift | Stadtwerke Bochum GmbH Abschlag Strom Gas", "-118.00"),
            ("01-03", "Kartenzahlung | REWE Markt GmbH Bochum", "-46.37"),
            ("01-04", "Lastschrift | Techniker Krankenkasse Beitrag", "-24.90"),
            ("01-05", "Kartenzahlung | dm-drogerie markt Bochum", "-18.45"),
            ("01-08", "Überweisung | Anna Becker Anteil Urlaub Ostsee", "250.00"),
            ("01-09", "Lastschrift | Telefonica Germany GmbH O2 Rechnung", "-29.99"),
            ("01-10", "Kartenzahlung | Aral Tankstelle Wittener Str.", "-61.20"),
            ("01-11", "Lastschrift | Verkehrsverbund Rhein-Ruhr Ticket", "-49.00"),
            ("01-12", "Kartenzahlung | Bioland Hof Vorwerk Hofladen", "-32.80"),
            ("01-15", "Überweisung | Finanzamt Bochum-Mitte Einkommensteuer 2022", "-412.00"),
            ("01-16", "Kartenzahlung | Thalia Bücher GmbH Bochum", "-27.95"),
            ("01-17", "Lastschrift | Rundfunk ARD ZDF Deutschlandradio", "-55.08"),
            ("01-18", "Kartenzahlung | Lidl Dienstleistung Bochum", "-38.14"),
            ("01-19", "Überweisung | VfL Bochum Dauerkarte", "-189.00"),
            ("01-22", "Bargeldauszahlung | GA Sparkasse Bochum Husemannplatz", "-100.00"),
            ("01-24", "Lastschrift | PayPal Europe S.a.r.l. et Cie S.C.A", "-64.99"),
            ("01-26", "Gehalt | Ruhr-Universität Bochum Bezüge Januar", "3412.57"),
            ("01-29", "Kartenzahlung | REWE Markt GmbH Bochum", "-71.48"),
            ("01-30", "Lastschrift | GLS Gemeinschaftsbank Kontoführung", "-5.00"),
            ("01-31", "Lastschrift | Hansemerkur Versicherung", "-37.62"),
        ],
    )
    result = truth(opening, entries, balances=False)
    columns = [
        Column("date", "Buchungstag", 56),
        Column("value", "Wert", 112),
        Column("description", "Vorgang / Buchungsinformation", 150),
        Column("amount", "Betrag EUR", 540, right=True),
    ]

    def header(pages: Pages, page: int) -> float:
        account = [
            "Kontoauszug 1/2024",
            "IBAN DE12 4306 0967 1234 5678 00",
            "Zeitraum 01.01.2024 bis 31.01.2024",
        ]
        letterhead(
            pages, 60, ("GLS Gemeinschaftsbank eG", 11), ["Christstraße 9, 44789 Bochum"], (340, account)
        )
        pages.right(540, 800, f"Blatt {page}")
        y = 110.0
        if page == 1:
            pages.text(56, 110, "Herrn Jonas Weber, Herner Straße 12, 44787 Bochum")
            pages.text(150, 140, "Alter Kontostand vom 31.12.2023", bold=True)
            pages.right(540, 140, eu(opening), bold=True)
            y = 165
        headings(pages, y, columns)
        return y + 4

    pages = Pages(header, 760)
    for item in entries:
        values: Values = {
            "date": item.day.strftime("%d.%m.%Y"),
            "value": item.day.strftime("%d.%m."),
            "description": item.lines,
            "amount": eu(item.amount, signed=True),
        }
        table_row(pages, columns, values, line=10.5, gap=4)
    y = pages.need(30) + 16
    pages.text(150, y, "Neuer Kontostand vom 31.01.2024", bold=True)
    pages.right(540, y, eu(result.closing or D(0)), bold=True)
    write_raw(path, pages.pages, Producer(glyphs="tj", unit_font=True), Geometry())
    return result


# --- Axis Bank (Oracle BI Publisher): drawn column by column, three content streams -------------


def write_axis_bi_publisher(path: Path) -> Truth:
    opening = D("184532.40")
    entries = items(
        2024,
        [
            ("04-01", "UPI/P2M/409112345678/SWIGGY/YESB/Payment", "-486.00"),
            ("04-01", "NEFT/AXISP00412345/INFOSYS LIMITED/SALARY APR", "142350.00"),
            ("04-02", "ACH-DR/HDFCLTD/HOME LOAN EMI 0432", "-38412.00"),
            ("04-03", "UPI/P2A/409312233445/RAHUL SHARMA/SBIN/Rent", "-25000.00"),
            ("04-03", "POS/BIGBAZAAR KORAMANGALA/BANGALORE", "-3214.55"),
            ("04-05", "ATM-WDL/AXIS ATM HSR LAYOUT/S1ANBG12", "-10000.00"),
            ("04-06", "UPI/P2M/409612398765/BESCOM/ICIC/Electricity", "-2184.00"),
            ("04-08", "BIL/ONL/AIRTEL POSTPAID/9845012345", "-999.00"),
            ("04-09", "UPI/P2M/409912376543/ZOMATO/HDFC/Order", "-612.40"),
            ("04-10", "INT.PD:910010012345678:01-01-2024 TO 31-03-2024", "1284.00"),
            ("04-11", "POS/RELIANCE DIGITAL/BANGALORE", "-18990.00"),
            ("04-12", "IMPS/P2A/410312345678/PRIYA NAIR/Shared trip", "6500.00"),
            ("04-14", "CLG/LIC OF INDIA/CHQ 004512", "-14820.00"),
            ("04-15", "UPI/P2M/410512312312/BBNOW/AIRP/Groceries", "-1847.20"),
            ("04-16", "ECS/ZERODHA BROKING/SIP APR", "-15000.00"),
            ("04-17", "UPI/P2M/410712345111/UBER INDIA/UTIB/Ride", "-342.00"),
            ("04-18", "BIL/ONL/BWSSB WATER/KA0123456", "-740.00"),
            ("04-19", "POS/DECATHLON SARJAPUR/BANGALORE", "-4599.00"),
            ("04-21", "UPI/P2A/411112390001/AMMA/SBIN/Monthly", "-20000.00"),
            ("04-22", "NEFT/ICIC00012345/ACME CONSULTING/INVOICE 118", "35000.00"),
            ("04-23", "UPI/P2M/411312345222/SWIGGY/YESB/Payment", "-523.00"),
            ("04-24", "ATM-WDL/AXIS ATM BTM LAYOUT/S1ANBG19", "-5000.00"),
            ("04-25", "ACH-DR/BAJAJ FINANCE/EMI 7712", "-6215.00"),
            ("04-26", "UPI/P2M/411612345333/IRCTC/HDFC/Ticket", "-2375.45"),
            ("04-27", "POS/MORE SUPERMARKET/BANGALORE", "-2712.30"),
            ("04-28", "CHQ DEP/CTS/SBI KORAMANGALA/004881", "12000.00"),
            ("04-29", "UPI/P2M/411912345444/BOOKMYSHOW/ICIC/Movie", "-960.00"),
            ("04-30", "GST @18% ON CHARGES/SMS ALERT", "-17.70"),
            ("04-30", "SMS ALERT CHARGES JAN-MAR", "-15.00"),
        ],
    )
    result = truth(opening, entries)
    columns = [
        Column("date", "Tran Date", 30),
        Column("cheque", "Chq No", 82),
        Column("description", "Particulars", 118),
        Column("out", "Debit", 405, right=True),
        Column("in", "Credit", 475, right=True),
        Column("balance", "Balance", 552, right=True),
        Column("branch", "Init. Br", 558),
    ]

    def header(pages: Pages, page: int) -> float:
        pages.text(30, 50, "AXIS BANK LTD", bold=True, size=12)
        pages.text(
            30,
            62,
            "Statement of Account No :910010012345678 for the period (From : 01-04-2024 To : 30-04-2024)",
        )
        pages.text(
            30, 80, "Customer ID :812345678   IFSC Code :UTIB0000249   Branch : KORAMANGALA, BANGALORE"
        )
        pages.right(565, 812, f"Page {page}")
        legend = [
            "Unless the constituent of the Bank is notified immediately of any discrepancy found by",
            "him/her in this statement of account, it will be taken that he/she has found the account",
            "correct.",
            "REGISTERED OFFICE - AXIS BANK LTD, TRISHUL, OPP. SAMARTHESHWAR TEMPLE, ELLISBRIDGE,",
            "AHMEDABAD 380006.",
        ]
        for k, line in enumerate(legend):
            pages.text(30, 700 + 10 * k, line, size=7)
        y = 100.0
        if page == 1:
            pages.text(
                30, 100, "MR ARJUN KRISHNAMURTHY, 14 3RD CROSS, 5TH BLOCK, KORAMANGALA, BANGALORE 560095"
            )
            y = 125
        headings(pages, y, columns)
        return y + 4

    pages = Pages(header, 560)
    pages.y += 2
    table_row(pages, columns, {"description": "OPENING BALANCE", "balance": lakh(opening)}, line=10)
    cheques = {"CLG/LIC OF INDIA/CHQ 004512": "004512", "CHQ DEP/CTS/SBI KORAMANGALA/004881": "004881"}
    for item, balance in zip(entries, balances(opening, entries), strict=True):
        values = split_columns(item, balance, lakh)
        values.update(date=item.day.strftime("%d-%m-%Y"), cheque=cheques.get(item.lines[0], ""), branch="249")
        table_row(pages, columns, values, line=10, gap=6)
    table_row(
        pages, columns, {"description": "CLOSING BALANCE", "balance": lakh(result.closing or D(0))}, line=10
    )
    write_raw(path, pages.pages, Producer(order="columns"), Geometry(streams=3))
    return result


# --- Santander Chile (JasperReports): the table in a scaled Form XObject, condensed amounts ------


def write_santander_cl_jasper(path: Path) -> Truth:
    opening = D("1284310")
    entries = items(
        2024,
        [
            ("03-01", "Pago Automático Cuenta | ENEL DISTRIBUCION CHILE", "-48230"),
            ("03-01", "Compra Nacional | JUMBO LA REINA", "-87412"),
            ("03-04", "Transferencia a Tercero | CAMILA ROJAS SOTO", "-150000"),
            ("03-05", "Abono Remuneraciones | CODELCO CHILE", "2145800"),
            ("03-05", "Pago Tarjeta de Crédito", "-612450"),
            ("03-06", "Giro Cajero Automático | REDBANC PROVIDENCIA", "-100000"),
            ("03-07", "Compra Nacional | COPEC APOQUINDO", "-42100"),
            ("03-08", "Pago Automático Cuenta | AGUAS ANDINAS", "-21870"),
            ("03-11", "Compra Internet | FALABELLA.COM", "-59990"),
            ("03-12", "Transferencia de Tercero | PABLO MUÑOZ", "35000"),
            ("03-13", "Pago Dividendo Hipotecario", "-485320"),
            ("03-14", "Compra Nacional | LIDER EXPRESS ÑUÑOA", "-23640"),
            ("03-15", "Pago Automático Cuenta | MOVISTAR CHILE", "-27990"),
            ("03-18", "Compra Nacional | FARMACIAS AHUMADA", "-15480"),
            ("03-19", "Comisión Mantención Plan", "-8900"),
            ("03-20", "Compra Internet | NETFLIX.COM", "-7990"),
            ("03-21", "Giro Cajero Automático | REDBANC LAS CONDES", "-60000"),
            ("03-22", "Transferencia a Tercero | COLEGIO SAN IGNACIO", "-320000"),
            ("03-25", "Compra Nacional | UNIMARC VITACURA", "-38215"),
            ("03-26", "Abono Transferencia | DEVOLUCION SII", "184200"),
            ("03-27", "Pago en Línea | AUTOPISTA CENTRAL TAG", "-18650"),
            ("03-28", "Compra Nacional | SODIMAC HOMECENTER", "-76330"),
            ("03-29", "Pago Automático Cuenta | METROGAS", "-31410"),
        ],
    )
    result = truth(opening, entries)
    columns = [
        Column("date", "Fecha", 40),
        Column("description", "Descripción", 95),
        Column("document", "N° Documento", 300),
        Column("out", "Cargos", 410, right=True),
        Column("in", "Abonos", 480, right=True),
        Column("balance", "Saldo", 555, right=True),
    ]

    def header(pages: Pages, page: int) -> float:
        account = ["Cuenta N° 0-000-71-23456-8", "Desde 01/03/2024 Hasta 31/03/2024"]
        letterhead(
            pages, 50, ("Banco Santander Chile", 12), ["CARTOLA HISTÓRICA CUENTA CORRIENTE"], (340, account)
        )
        pages.right(555, 810, f"Página {page}")
        y = 110.0
        if page == 1:
            pages.text(40, 84, "Sr(a). FELIPE ANDRÉS GONZÁLEZ TAPIA")
            pages.text(40, 100, "Saldo Inicial")
            pages.right(200, 100, clp(opening))
            pages.text(230, 100, "Saldo Final")
            pages.right(380, 100, clp(result.closing or D(0)))
            y = 130
        row = pages.next_row()  # Jasper prints the column header in the table's own band
        for column in columns:
            draw = pages.right if column.right else pages.text
            draw(column.x, y + 10, column.title, bold=True, column=column.key, row=row)
        return y + 14

    pages = Pages(header, 760)
    for item, balance in zip(entries, balances(opening, entries), strict=True):
        values = split_columns(item, balance, clp)
        values.update(date=item.day.strftime("%d/%m/%Y"), document=f"{int(abs(item.amount)) % 97 + 1000:07d}")
        table_row(pages, columns, values, line=11, gap=6)
    write_raw(
        path,
        pages.pages,
        Producer(condensed=frozenset({"out", "in", "balance"})),
        Geometry(table_form=(0.9, 30, 42)),
    )
    return result


# --- Metro Bank business account (Ghostscript): landscape on a /Rotate 90 page, odd boxes -------


def write_metro_landscape(path: Path) -> Truth:
    opening = D("18452.09")
    entries = items(
        2024,
        [
            ("02-01", "Card|AMAZON BUSINESS EU SARL", "-312.48"),
            ("02-01", "Faster Payment|HARGREAVES JOINERY LTD INV 2231", "4860.00"),
            ("02-02", "Direct Debit|HMRC VAT 123456789", "-3214.60"),
            ("02-02", "Card|SCREWFIX DIRECT YEOVIL", "-148.92"),
            ("02-05", "BACS|PAYROLL FEB TEAM", "-9412.33"),
            ("02-05", "Direct Debit|BT GROUP PLC BUSINESS", "-86.40"),
            ("02-06", "Faster Payment|CORNWALL HOMES LTD DEPOSIT", "7500.00"),
            ("02-07", "Card|SHELL HOLBORN", "-92.17"),
            ("02-08", "Standing Order|LANDLORD UNIT 4 RENT", "-2250.00"),
            ("02-09", "Card|TRAVIS PERKINS CROYDON", "-1184.55"),
            ("02-12", "Faster Payment|MRS J ADEBAYO KITCHEN FIT", "3200.00"),
            ("02-12", "Direct Debit|XERO UK LTD", "-42.00"),
            ("02-13", "Card|TOOLSTATION LEWISHAM", "-67.38"),
            ("02-14", "Direct Debit|AVIVA VAN INSURANCE", "-118.27"),
            ("02-15", "Faster Payment|WICKES BUILDING SUPPLIES", "-2460.00"),
            ("02-16", "Cash Deposit|METRO BANK STORE BOROUGH", "640.00"),
            ("02-19", "Card|COSTA COFFEE LONDON BRIDGE", "-11.85"),
            ("02-19", "BACS|SUBCONTRACTOR P NOWAK", "-1800.00"),
            ("02-20", "Faster Payment|GREENWICH COUNCIL INV 0092", "5120.00"),
            ("02-21", "Card|HOWDENS JOINERY DEPTFORD", "-2310.14"),
            ("02-22", "Direct Debit|EDF ENERGY UNIT 4", "-214.66"),
            ("02-23", "Card|TFL CONGESTION CHARGE", "-15.00"),
            ("02-26", "Faster Payment|D SINGH BATHROOM FINAL", "2750.00"),
            ("02-26", "Direct Debit|VODAFONE LTD", "-64.80"),
            ("02-27", "Card|SELCO BUILDERS WAREHOUSE", "-438.21"),
            ("02-27", "BACS|PENSION NEST CONTRIBUTIONS", "-612.44"),
            ("02-28", "Account Fee|MONTHLY MAINTENANCE FEE", "-6.00"),
            ("02-28", "Faster Payment|TRANSFER TO SAVINGS 12345678", "-5000.00"),
            ("02-29", "Interest|CREDIT INTEREST", "3.71"),
        ],
    )
    result = truth(opening, entries)
    columns = [
        Column("date", "Date", 40),
        Column("type", "Transaction type", 110),
        Column("description", "Description", 200),
        Column("out", "Money out (£)", 600, right=True),
        Column("in", "Money in (£)", 690, right=True),
        Column("balance", "Balance (£)", 795, right=True),
    ]

    def header(pages: Pages, page: int) -> float:
        account = [
            "Sort code 23-05-80   Account number 41234567",
            "Statement period 01 Feb 2024 to 29 Feb 2024",
        ]
        letterhead(
            pages, 45, ("Metro Bank PLC", 12), ["Business Current Account statement"], (520, account), 13
        )
        pages.right(795, 565, f"Page {page}")
        y = 90.0
        if page == 1:
            pages.text(40, 80, "HARGREAVES & NOWAK BUILDERS LTD")
            pages.text(40, 105, "Opening balance", bold=True)
            pages.right(250, 105, us(opening), bold=True)
            pages.text(300, 105, "Closing balance", bold=True)
            pages.right(520, 105, us(result.closing or D(0)), bold=True)
            y = 135
        headings(pages, y, columns)
        return y + 4

    pages = Pages(header, 545)
    for item, balance in zip(entries, balances(opening, entries), strict=True):
        kind, text = item.lines[0].split("|")
        values = split_columns(item, balance, us)
        values.update(date=item.day.strftime("%d %b %Y"), type=kind, description=text)
        table_row(pages, columns, values, line=10, gap=5)
    geometry = Geometry(841.89, 595.28, rotate=True, origin=(-18, -24), crop=12)
    write_raw(path, pages.pages, Producer(fake_bold=True), geometry)
    rows = tuple(replace(row, description=row.description.split("|")[1]) for row in result.rows)
    return replace(result, rows=rows)


# --- Bendigo Bank, scanned (an OCR text layer): page images, invisible stretched words ----------


def write_bendigo_ocr(path: Path) -> Truth:
    opening = D("2961.35")
    entries = items(
        2024,
        [
            ("01-02", "EFTPOS PURCHASE | WOOLWORTHS 3342 BENDIGO AU", "-112.46"),
            ("01-03", "DIRECT CREDIT | CENTRELINK FAMILY TAX BEN", "428.70"),
            ("01-04", "BPAY PAYMENT | COLIBAN WATER 7712301", "-96.15"),
            ("01-05", "EFTPOS PURCHASE | BUNNINGS 6701 EPSOM AU", "-64.80"),
            ("01-08", "ATM WITHDRAWAL | BENDIGO BANK HARGREAVES ST", "-200.00"),
            ("01-09", "DIRECT DEBIT | TELSTRA LIMITED 4431102", "-89.00"),
            ("01-10", "DIRECT CREDIT | BENDIGO HEALTH SALARY", "2284.16"),
            ("01-11", "EFTPOS PURCHASE | COLES 0782 KANGAROO FLAT", "-143.28"),
            ("01-12", "TRANSFER TO | 154-872 SAVINGS ACCOUNT", "-500.00"),
            ("01-15", "BPAY PAYMENT | POWERSHOP AUSTRALIA", "-211.37"),
            ("01-16", "EFTPOS PURCHASE | CALTEX EAGLEHAWK AU", "-78.55"),
            ("01-17", "OSKO PAYMENT | J THOMPSON SOCCER FEES", "-120.00"),
            ("01-18", "EFTPOS PURCHASE | KMART 1044 BENDIGO AU", "-56.00"),
            ("01-19", "DIRECT DEBIT | RACV INSURANCE 99812", "-74.92"),
            ("01-22", "EFTPOS PURCHASE | ALDI STORES 52 BENDIGO AU", "-91.63"),
            ("01-24", "DIRECT CREDIT | BENDIGO HEALTH SALARY", "2284.16"),
            ("01-25", "DIRECT DEBIT | HOME LOAN REPAYMENT 4412", "-1650.00"),
            ("01-29", "EFTPOS PURCHASE | CHEMIST WAREHOUSE BENDIGO", "-38.97"),
            ("01-30", "ACCOUNT FEE | MONTHLY ACCOUNT FEE", "-6.00"),
            ("01-31", "INTEREST | CREDIT INTEREST", "0.42"),
        ],
    )
    result = truth(opening, entries)
    columns = [
        Column("date", "Date", 40),
        Column("description", "Transaction", 100),
        Column("out", "Withdrawals", 390, right=True),
        Column("in", "Deposits", 465, right=True),
        Column("balance", "Balance", 555, right=True),
    ]

    def header(pages: Pages, page: int) -> float:
        account = [
            "Everyday Account statement",
            "BSB 633-000 Account 154 872 391",
            "1 Jan 2024 to 31 Jan 2024",
        ]
        owner = ["Bendigo and Adelaide Bank Limited ABN 11 068 049 178"]
        letterhead(pages, 60, ("Bendigo Bank", 14), owner, (350, account), 14)
        pages.right(555, 800, f"Page {page} of 2")
        y = 120.0
        if page == 1:
            pages.text(40, 105, "MS SARAH L THOMPSON, 18 MYERS ST, BENDIGO VIC 3550")
            y = 140
        headings(pages, y, columns)
        return y + 4

    pages = Pages(header, 700, size=9)
    table_row(
        pages,
        columns,
        {"date": "01 Jan 24", "description": "Opening Balance", "balance": us(opening)},
        line=11,
    )
    for item, balance in zip(entries, balances(opening, entries), strict=True):
        values = split_columns(item, balance, us)
        values["date"] = item.day.strftime("%d %b %y")
        table_row(pages, columns, values, line=11, gap=7)
    closing = us(result.closing or D(0))
    table_row(
        pages, columns, {"date": "31 Jan 24", "description": "Closing Balance", "balance": closing}, line=11
    )
    write_fpdf(path, pages.pages, scan=True)
    return result


# --- bunq (Chrome print-to-PDF): a subset CID font with no space glyph, letter-spaced headings ---


def write_bunq_chrome(path: Path) -> Truth:
    opening = D("1523.40")
    entries = items(
        2024,
        [
            ("01-02", "Albert Heijn 1432 Amsterdam", "-34.18"),
            ("01-02", "NS Groep IDEAL Reizen", "-22.40"),
            ("01-03", "Salaris december Booking.com BV", "3685.22"),
            ("01-04", "Huur januari Stichting De Key", "-1124.00"),
            ("01-05", "Vattenfall Klantenservice NV", "-142.00"),
            ("01-08", "Jumbo Amsterdam Oost", "-56.73"),
            ("01-09", "Tikkie van Sanne de Vries Etentje", "27.50"),
            ("01-10", "Zilveren Kruis Zorgverzekering", "-148.35"),
            ("01-11", "Bol.com BV Utrecht", "-79.99"),
            ("01-12", "Transfer to savings Vakantie", "-400.00"),
            ("01-15", "Ziggo Services BV", "-62.50"),
            ("01-16", "Coffeecompany Wibautstraat", "-4.60"),
            ("01-17", "Belastingdienst Toeslagen Zorgtoeslag", "123.00"),
            ("01-19", "Gemeente Amsterdam Afvalstoffenheffing", "-35.42"),
            ("01-22", "HEMA Kalverstraat", "-18.95"),
            ("01-24", "Thuisbezorgd.nl Takeaway", "-31.20"),
            ("01-26", "Odido Netherlands BV", "-25.00"),
            ("01-29", "bunq Easy Green abonnement", "-17.99"),
        ],
    )
    result = truth(opening, entries)
    columns = [
        Column("date", "DATE", 40),
        Column("description", "DESCRIPTION", 110),
        Column("amount", "AMOUNT", 460, right=True),
        Column("balance", "BALANCE", 555, right=True),
    ]

    def header(pages: Pages, page: int) -> float:
        pages.text(40, 50, "bunq", bold=True, size=16)
        pages.text(40, 70, "Account statement  NL12 BUNQ 2045 6789 01")
        pages.text(40, 82, "L. van den Berg  ·  1 January 2024 – 31 January 2024")
        pages.text(40, 110, "STARTING BALANCE", bold=True)
        pages.right(250, 110, f"€ {eu(opening, signed=True)}")
        pages.text(300, 110, "ENDING BALANCE", bold=True)
        pages.right(555, 110, f"€ {eu(result.closing or D(0), signed=True)}")
        pages.right(555, 815, f"{page}/1")
        headings(pages, 140, columns)
        return 144

    pages = Pages(header, 790)
    for item, balance in zip(entries, balances(opening, entries), strict=True):
        values: Values = {
            "date": item.day.strftime("%d-%m-%Y"),
            "description": item.lines,
            "amount": f"€ {eu(item.amount, signed=True)}",
            "balance": f"€ {eu(balance, signed=True)}",
        }
        table_row(pages, columns, values, line=10, gap=10)
    write_fpdf(path, pages.pages, spaced_headings=True)
    return result


# --- Handelsbanken (iText): justified descriptions, spaced amounts, two content streams ----------


def write_handelsbanken_itext(path: Path) -> Truth:
    opening = D("24318.75")
    entries = items(
        2024,
        [
            ("02-01", "LÖN FEBRUARI | REGION SKÅNE", "31240.00"),
            ("02-01", "HYRA LGH 1102 | MKB FASTIGHETS AB", "-8745.00"),
            ("02-02", "ICA KVANTUM MALMBORGS LUND", "-642.18"),
            ("02-02", "SWISH BETALNING ANNA SVENSSON", "-250.00"),
            ("02-05", "BG 5050-1055 TELIA SVERIGE AB", "-399.00"),
            ("02-05", "SL ACCESS MÅNADSKORT SKÅNETRAFIKEN", "-795.00"),
            ("02-06", "SYSTEMBOLAGET LUND", "-312.00"),
            ("02-07", "SWISH INBETALNING ERIK LINDQVIST", "480.00"),
            ("02-08", "PG 90 01 22-3 FÖRSÄKRINGSKASSAN", "1250.00"),
            ("02-09", "COOP FORUM MALMÖ", "-1184.37"),
            ("02-12", "BG 5555-1234 E.ON ENERGIDISTRIBUTION", "-1426.50"),
            ("02-12", "CIRCLE K LUND NORRA", "-689.40"),
            ("02-13", "ÖVERFÖRING TILL SPARKONTO", "-5000.00"),
            ("02-14", "APOTEK HJÄRTAT LUND", "-186.90"),
            ("02-15", "BG 5132-7710 IF SKADEFÖRSÄKRING", "-347.00"),
            ("02-16", "SWISH BETALNING LUNDS NATION", "-150.00"),
            ("02-19", "CLAS OHLSON MALMÖ", "-459.00"),
            ("02-20", "AVANZA BANK MÅNADSSPAR", "-2000.00"),
            ("02-21", "ICA KVANTUM MALMBORGS LUND", "-538.62"),
            ("02-22", "SPOTIFY AB STOCKHOLM", "-129.00"),
            ("02-23", "BG 5280-4121 CSN STUDIELÅN", "-1412.00"),
            ("02-26", "IKEA MALMÖ SVÅGERTORP", "-2245.00"),
            ("02-26", "SWISH INBETALNING KARIN HOLM", "325.00"),
            ("02-27", "PRESSBYRÅN LUND C", "-48.50"),
            ("02-28", "HANDELSBANKEN KONTOAVGIFT", "-25.00"),
            ("02-29", "HEMKÖP LUND CENTRUM", "-412.77"),
        ],
    )
    result = truth(opening, entries)
    columns = [
        Column("date", "Reskontradatum", 40),
        Column("value", "Transaktionsdatum", 115),
        Column("description", "Text", 200),
        Column("amount", "Belopp", 470, right=True),
        Column("balance", "Saldo", 555, right=True),
    ]

    def header(pages: Pages, page: int) -> float:
        account = ["Period 2024-02-01 - 2024-02-29", "Kontohavare: Lina Bergström"]
        letterhead(
            pages, 50, ("Handelsbanken", 13), ["Kontoutdrag Allkonto 6123-123 456 789"], (340, account), 14
        )
        pages.right(555, 810, f"Sida {page}")
        pages.text(40, 520, "Räntesats inlåning 0,00 %. Kontrollera kontoutdraget och meddela oss")
        pages.text(40, 530, "eventuella fel inom 30 dagar.")
        pages.text(
            40, 790, "Svenska Handelsbanken AB (publ)  Org.nr 502007-7862  Säte Stockholm  handelsbanken.se"
        )
        y = 95.0
        if page == 1:
            pages.text(200, 95, "Ingående saldo 2024-02-01", bold=True)
            pages.right(555, 95, sek(opening), bold=True)
            y = 120
        headings(pages, y, columns)
        return y + 4

    pages = Pages(header, 495)
    for item, balance in zip(entries, balances(opening, entries), strict=True):
        values: Values = {
            "date": item.day.isoformat(),
            "value": item.day.isoformat(),
            "description": item.lines,
            "amount": sek(item.amount),
            "balance": sek(balance),
        }
        table_row(pages, columns, values, line=10, gap=6)
    y = pages.need(24) + 14
    pages.text(200, y, "Utgående saldo 2024-02-29", bold=True)
    pages.right(555, y, sek(result.closing or D(0)), bold=True)
    producer = Producer(spaced=frozenset({"amount", "balance"}), justified={"description": 185})
    write_raw(path, pages.pages, producer, Geometry(streams=2))
    return result


# --- OCBC (Oracle Reports): rows drawn bottom-up, TJ word gaps, a CropBox inside the MediaBox ----


def write_ocbc_oracle(path: Path) -> Truth:
    opening = D("8412.55")
    entries = items(
        2024,
        [
            ("01-02", "NETS | NTUC FP-BEDOK MALL", "-86.45"),
            ("01-02", "GIRO | SP SERVICES LTD", "-142.80"),
            ("01-03", "FAST PAYMENT | to TAN WEI MING | OTHR-Dinner", "-45.00"),
            ("01-04", "DEBIT PURCHASE | GRAB *TRANSPORT SINGAPORE", "-18.70"),
            ("01-05", "SALARY | DBS SHIPPING PTE LTD", "6240.00"),
            ("01-05", "GIRO | IRAS INCOME TAX", "-415.00"),
            ("01-08", "ATM WITHDRAWAL | OCBC TAMPINES CENTRAL", "-200.00"),
            ("01-09", "DEBIT PURCHASE | COLD STORAGE JELITA", "-112.34"),
            ("01-10", "CHEQUE DEPOSIT", "1500.00"),
            ("01-11", "GIRO | SINGTEL MOBILE", "-58.85"),
            ("01-12", "PAYNOW TRANSFER | to LIM HUI LING | Rent Jan", "-1800.00"),
            ("01-15", "DEBIT PURCHASE | SHOPEE SINGAPORE", "-64.90"),
            ("01-16", "CHEQUE 000418", "-320.00"),
            ("01-17", "DEBIT PURCHASE | KOPITIAM TAMPINES 1", "-9.60"),
            ("01-18", "FAST PAYMENT | from ONG KAH SENG | OTHR-Loan", "300.00"),
            ("01-19", "GIRO | AIA SINGAPORE PREMIUM", "-268.40"),
            ("01-22", "DEBIT PURCHASE | UNIQLO ION ORCHARD", "-119.80"),
            ("01-23", "GIRO | TOWN COUNCIL S&CC", "-76.50"),
            ("01-24", "DEBIT PURCHASE | SHELL TAMPINES AVE 10", "-95.22"),
            ("01-25", "INTEREST CREDIT", "2.87"),
            ("01-26", "DEBIT PURCHASE | FAIRPRICE XTRA", "-154.63"),
            ("01-29", "PAYNOW TRANSFER | from ZHANG LEI | Durian", "45.00"),
            ("01-30", "FUND TRANSFER | to OCBC 360 SAVINGS", "-2000.00"),
            ("01-31", "SERVICE CHARGE | FALL BELOW FEE", "-2.00"),
        ],
    )
    result = truth(opening, entries)
    columns = [
        Column("date", "Transaction Date", 40),
        Column("value", "Value Date", 110),
        Column("description", "Description", 165),
        Column("cheque", "Cheque", 340),
        Column("out", "Withdrawal", 425, right=True),
        Column("in", "Deposit", 490, right=True),
        Column("balance", "Balance", 555, right=True),
    ]

    def header(pages: Pages, page: int) -> float:
        pages.text(40, 60, "OCBC Bank", bold=True, size=13)
        pages.text(
            40,
            73,
            "Oversea-Chinese Banking Corporation Limited  65 Chulia Street OCBC Centre Singapore 049513",
        )
        pages.text(40, 95, "STATEMENT OF ACCOUNT", bold=True)
        pages.text(340, 95, "1 JAN 2024 TO 31 JAN 2024")
        pages.text(40, 107, "OCBC 360 ACCOUNT  Account No. 601-234567-001")
        pages.right(555, 790, f"Page {page} of 2")
        y = 135.0
        if page == 1:
            pages.text(40, 120, "MR CHUA BOON KIAT, BLK 512 TAMPINES CENTRAL 1 #08-221 SINGAPORE 520512")
            y = 145
        headings(pages, y, columns)
        return y + 4

    pages = Pages(header, 520)
    table_row(pages, columns, {"description": "BALANCE B/F", "balance": us(opening)}, line=10)
    for item, balance in zip(entries, balances(opening, entries), strict=True):
        values = split_columns(item, balance, us)
        day = item.day.strftime("%d %b %Y").upper()
        values.update(date=day, value=day, cheque="000418" if item.lines[0] == "CHEQUE 000418" else "")
        table_row(pages, columns, values, line=10, gap=5)
    table_row(pages, columns, {"description": "BALANCE C/F", "balance": us(result.closing or D(0))}, line=10)
    write_raw(path, pages.pages, Producer(glyphs="tj", order="bottom_up"), Geometry(crop=20))
    rows = []
    for row in result.rows:
        kept = [part for part in row.description.split(" | ") if not part.startswith("OTHR-")]
        rows.append(replace(row, description=" ".join(kept)))
    return replace(result, rows=tuple(rows))


# --- Citizens (re-distilled by Ghostscript): pages in Form XObjects, glyph by glyph, Tm sizes -----


def write_citizens_ghostscript(path: Path) -> Truth:
    opening = D("1906.44")
    entries = items(
        2024,
        [
            ("01-02", "DEBIT CARD PURCHASE | STOP & SHOP 0412 PROVIDENCE RI", "-96.23"),
            ("01-02", "ONLINE TRANSFER FROM SAVINGS XXXXXX5521", "500.00"),
            ("01-03", "ACH WITHDRAWAL | NATIONAL GRID WEB PMT", "-184.61"),
            ("01-03", "DEBIT CARD PURCHASE | DUNKIN #348812 CRANSTON RI", "-7.48"),
            ("01-04", "CHECK 2217", "-1450.00"),
            ("01-05", "ACH DEPOSIT | LIFESPAN CORP PAYROLL", "2086.32"),
            ("01-05", "DEBIT CARD PURCHASE | CVS/PHARMACY #02134 WARWICK RI", "-22.19"),
            ("01-08", "ATM WITHDRAWAL | CITIZENS ATM 1 CITIZENS PLZ", "-160.00"),
            ("01-08", "ACH WITHDRAWAL | VERIZON WIRELESS PAYMENTS", "-118.42"),
            ("01-09", "DEBIT CARD PURCHASE | SHELL 57441 JOHNSTON RI", "-48.90"),
            ("01-10", "ZELLE PAYMENT TO | KEVIN OBRIEN", "-60.00"),
            ("01-11", "DEBIT CARD PURCHASE | AMAZON.COM*2K4LM1 AMZN.COM/BILL", "-31.57"),
            ("01-12", "ACH WITHDRAWAL | PROGRESSIVE INS PREM", "-142.00"),
            ("01-15", "DEBIT CARD PURCHASE | WHOLE FOODS MKT PROVIDENCE", "-87.34"),
            ("01-16", "MOBILE CHECK DEPOSIT", "250.00"),
            ("01-16", "DEBIT CARD PURCHASE | HOME DEPOT 3901 CRANSTON RI", "-213.88"),
            ("01-17", "ACH WITHDRAWAL | CITIZENS CARD PAYMENT", "-400.00"),
            ("01-18", "DEBIT CARD PURCHASE | STARBUCKS STORE 11872", "-6.25"),
            ("01-19", "ACH DEPOSIT | LIFESPAN CORP PAYROLL", "2086.32"),
            ("01-19", "ACH WITHDRAWAL | RI ENERGY GAS", "-97.15"),
            ("01-22", "DEBIT CARD PURCHASE | TARGET T-1889 WARWICK RI", "-64.71"),
            ("01-22", "CHECK 2218", "-75.00"),
            ("01-23", "DEBIT CARD PURCHASE | STOP & SHOP 0412 PROVIDENCE RI", "-121.06"),
            ("01-24", "ONLINE TRANSFER TO SAVINGS XXXXXX5521", "-700.00"),
            ("01-25", "DEBIT CARD PURCHASE | NETFLIX.COM LOS GATOS CA", "-15.49"),
            ("01-26", "ACH WITHDRAWAL | COX COMMUNICATIONS", "-109.99"),
            ("01-29", "DEBIT CARD PURCHASE | SHAWS 7731 CRANSTON RI", "-54.12"),
            ("01-29", "ZELLE PAYMENT FROM | MEGAN HART", "45.00"),
            ("01-30", "ATM WITHDRAWAL | CITIZENS ATM WARWICK MALL", "-100.00"),
            ("01-31", "MONTHLY MAINTENANCE FEE", "-9.99"),
            ("01-31", "MAINTENANCE FEE WAIVER", "9.99"),
        ],
    )
    result = truth(opening, entries)
    columns = [
        Column("date", "Date", 40),
        Column("description", "Description", 90),
        Column("amount", "Amount", 470, right=True),
        Column("balance", "Balance", 570, right=True),
    ]

    def header(pages: Pages, page: int) -> float:
        account = [
            "Citizens Checking Statement",
            "January 1, 2024 - January 31, 2024",
            "Account Number xxxxxx4417",
        ]
        letterhead(pages, 50, ("Citizens", 14), ["One Citizens Plaza, Providence, RI 02903"], (330, account))
        pages.right(570, 770, f"Page {page}")
        y = 100.0
        if page == 1:
            pages.text(40, 95, "DANIEL P MURPHY, 88 ELMWOOD AVE, CRANSTON RI 02910")
            pages.text(40, 120, "Previous Balance", bold=True)
            pages.right(230, 120, us(opening, sign="-", dollar="$"))
            pages.text(40, 132, "Current Balance", bold=True)
            pages.right(230, 132, us(result.closing or D(0), sign="-", dollar="$"))
            y = 160
        pages.text(40, y - 14, "Transaction Details", bold=True)
        headings(pages, y, columns)
        return y + 4

    pages = Pages(header, 740)
    for item, balance in zip(entries, balances(opening, entries), strict=True):
        values: Values = {
            "date": item.day.strftime("%m/%d"),
            "description": item.lines,
            "amount": us(item.amount, sign="-"),
            "balance": us(balance, sign="-"),
        }
        table_row(pages, columns, values, line=10, gap=4)
    write_raw(path, pages.pages, Producer(glyphs="glyph", unit_font=True), Geometry(612, 792, page_form=0.96))
    return result
