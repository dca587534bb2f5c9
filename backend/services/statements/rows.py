"""Turning the lines of each page into raw table rows and free-text lines.

:class:`TableReader` is fed one page at a time and keeps no page objects: only the rows it
found (still as text, since amounts and dates are read once the whole statement has been seen)
and the lines outside any table (with their page, for the metadata: bank, account, period, balances).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import median

from ..document_text.dates import RawDate, read_date
from ..document_text.layout import Line, stack, typical_height
from ..document_text.money import has_decimal_part, prints_sign
from .columns import AMOUNT, DATE, DESCRIPTION, MONEY_ROLES, OTHER, Cells, Column, ColumnLayout, detect_header
from .keywords import RowKind, is_foreign_currency_note, row_kind, section_sign

# Every header has a date column: a cheap test before reading a line as a header.
_HEADER_DATE_WORD = re.compile(r"dat[aeu]|\btag\b|fecha|buchung|wert|valeur|valuta", re.IGNORECASE)
# The lines of a header printed on several lines are closer than this many word heights.
_STACKED_GAP = 0.6
_HEADER_LINES = 3
# A continuation line's words are within this share of the row's word height, and it is at
# most this many times the usual distance between table lines below the last one (measured
# over the last lines of the table, once there are enough of them).
_SIZE_TOLERANCE = 0.15
_PITCH_TOLERANCE, _PITCH_WINDOW, _MIN_PITCHES = 1.25, 50, 3
# A table ends where the next line is further below the previous one than this many word heights.
_TABLE_GAP = 3.0


def _find_header(lines: Sequence[Line], index: int) -> tuple[list[Column], int] | None:
    """The table header starting at ``lines[index]`` (on up to three lines), and the index after it.

    A header read on its first lines takes in the close lines under it when with them it still
    makes a header, with no fewer named columns and no more unnamed ones ("Date  Effective  ...
    Credit" over "date  amount": the second line alone reads as a header too, and would replace
    the real one; "Date" / "of" / "transaction" reads as a date column on three lines, not on
    two; a "Money in" section heading under a header adds nothing).
    """
    candidates = lines[index : index + _HEADER_LINES]
    if not any(_HEADER_DATE_WORD.search(line.text) for line in candidates):  # cheap test first
        return None
    header = candidates[0]
    found: tuple[list[Column], int] | None = None
    for count, line in enumerate(candidates, start=1):
        if count > 1:
            previous = candidates[count - 2]
            if line.top - previous.bottom >= (previous.bottom - previous.top) * _STACKED_GAP:
                return found
            header = stack(header, line)
        columns = detect_header(header)
        if columns is not None and (found is None or _header_score(columns) >= _header_score(found[0])):
            found = (columns, index + count)
    return found


def _header_score(columns: Sequence[Column]) -> tuple[int, int]:
    """Named columns, and minus the unnamed ones: a better reading of a header scores higher."""
    unnamed = sum(column.role == OTHER for column in columns)
    return len(columns) - unnamed, -unnamed


@dataclass
class RawRow:
    """One table row as printed: its date, description lines and money cells (role -> text)."""

    date: RawDate | None
    description: list[str]
    money: dict[str, str]
    section: int | None = None
    # How many text lines (outside the table) were read before this row: where the row sits
    # among them, so a document printing several statements can be cut between rows.
    line_index: int = 0

    @property
    def description_text(self) -> str:
        """The description, wrapped lines joined with one space."""
        return " ".join(self.description)


@dataclass
class TableReader:
    """Reads the transaction rows of a statement, page after page."""

    rows: list[RawRow] = field(default_factory=list)
    text_lines: list[Line] = field(default_factory=list)
    _layout: ColumnLayout | None = None
    _active: bool = False
    _row: RawRow | None = None
    _row_height: float = 0.0
    _last_top: float | None = None  # top of the last table line on this page
    _line_top: float = 0.0  # top of the line being read (its cells' words: no margin text)
    _pitches: deque[float] = field(default_factory=lambda: deque(maxlen=_PITCH_WINDOW))
    _section: int | None = None
    _signed_amounts: bool = False  # an amount of the table was printed with its sign

    @property
    def found_table(self) -> bool:
        """Whether a transaction table's header was seen (even if no row followed it)."""
        return self._layout is not None

    def read_page(self, page: int, lines: Sequence[Line]) -> None:
        """Read one page's lines (top to bottom)."""
        gap_limit = _TABLE_GAP * typical_height(lines)
        # The last row of the previous page may continue under this page's first header.
        carried, self._row = self._row, None
        self._active, self._last_top = False, None
        last_bottom = 0.0
        skip_to = 0
        for index, line in enumerate(lines):
            if index < skip_to:
                continue
            sign = section_sign(line.text)
            if sign is not None and self._continues_description(line):
                sign = None  # "NEFT/INTEREST" / "CREDIT": a wrapped description, not a heading
            if sign is not None:
                self._section, self._row = sign, None
            elif (header := _find_header(lines, index)) is not None:
                columns, skip_to = header
                self._layout = ColumnLayout(columns)
                self._layout.learn(lines[skip_to:])
                self._active, self._row, carried = True, carried, None
                last_bottom, self._last_top = lines[skip_to - 1].bottom, None
                continue
            near = self._active and line.top - last_bottom <= gap_limit
            if sign is None and self._layout is not None and self._read_row(self._layout, line, near):
                self._active, last_bottom = True, line.bottom
                if self._last_top is not None:
                    self._pitches.append(self._line_top - self._last_top)
                self._last_top = self._line_top
                continue
            self.text_lines.append(line)
            if near:
                last_bottom = line.bottom
            else:
                self._active = False

    def _continues_description(self, line: Line) -> bool:
        """Whether ``line`` prints only description words in the place of the current row's next line.

        Only in a table whose columns or printed signs give each amount's sign: a heading such as
        "Money out" signs the unsigned amounts of one amount column.
        """
        if not self._active or self._row is None or self._layout is None:
            return False
        if self._layout.has_role(AMOUNT) and not self._signed_amounts:
            return False
        cells = self._layout.split(line)
        if cells.landed != {DESCRIPTION}:
            return False
        self._line_top = cells.top
        return self._continues_row(cells)

    def _continues_row(self, cells: Cells) -> bool:
        """Whether a line of description words only (``cells``) is the next line of the current row.

        It must be printed in the row's type size and no further below the last table line
        than table lines usually are: a page footer is smaller, or set apart.
        """
        if abs(median(cells.heights) - self._row_height) > self._row_height * _SIZE_TOLERANCE:
            return False
        if self._last_top is None or len(self._pitches) < _MIN_PITCHES:
            return True
        return self._line_top - self._last_top <= median(self._pitches) * _PITCH_TOLERANCE

    def _read_row(self, layout: ColumnLayout, line: Line, near: bool) -> bool:
        """Add ``line`` to the rows (new row or continuation); false if it is not part of the table.

        A line without a date continues the current row if all its words are in the
        description column, or starts a row dated like the previous one if it prints an
        amount and nothing in the date column (or reads as a balance or total row). Footers
        spanning the page width are neither.
        """
        cells = layout.split(line)
        self._line_top = cells.top if cells.heights else line.top
        date_words = cells.texts.get(DATE, [])
        date = read_date(" ".join(date_words)) if date_words else None
        description = cells.texts.get(DESCRIPTION, [])
        if date_words and date is None and row_kind(" ".join(description)) is RowKind.TRANSACTION:
            description = date_words + description  # not a date after all ("-1234 SHOP")
        text = " ".join(description)
        money = {role: " ".join(cells.texts[role]) for role in MONEY_ROLES if role in cells.texts}
        if not near:
            if not (date and money):
                return False
        elif date is None:
            if (
                money
                and self._row is not None
                and not self._row.money
                and cells.landed <= {DESCRIPTION, *money}
            ):
                self._row.money.update(money)  # a wrapped row printing its amounts on its last line
                self._row.description.extend([text] if text else [])
                return True
            if money and DATE in cells.landed and row_kind(text) is RowKind.TRANSACTION:
                return False
            if money and not text:
                return False  # an amount with neither date nor description: a subtotal
            if money and not any(has_decimal_part(cell) for cell in money.values()):
                return False  # "Page 1" in a footer: without a date, only a real amount makes a row
            if not money:
                if self._row is None or cells.landed != {DESCRIPTION} or not self._continues_row(cells):
                    return False
                if not is_foreign_currency_note(text):
                    self._row.description.append(text)
                return True
        self._signed_amounts = self._signed_amounts or (AMOUNT in money and prints_sign(money[AMOUNT]))
        self._row = RawRow(date, [text] if text else [], money, self._section, len(self.text_lines))
        self._row_height = median(cells.heights) if cells.heights else 0.0
        self.rows.append(self._row)
        return True
