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
from itertools import pairwise
from statistics import median

from ..document_text.dates import RawDate, read_date, read_day_heading, repaired_date_text
from ..document_text.layout import Line, stack, typical_height
from ..document_text.money import has_decimal_part, prints_sign
from .columns import (
    AMOUNT,
    DATE,
    DESCRIPTION,
    MONEY_ROLES,
    OTHER,
    Cells,
    Column,
    ColumnLayout,
    day_headed_columns,
    detect_header,
    headerless_columns,
    is_balance_grid_header,
    leading_date_words,
)
from .keywords import (
    RowKind,
    is_card_note,
    is_card_section_heading,
    is_foreign_currency_note,
    is_pending_heading,
    is_posted_heading,
    is_reference_note,
    is_value_date_note,
    row_kind,
    section_sign,
    starts_with_label,
)

# Every header has a date column: a cheap test before reading a line as a header.
_HEADER_DATE_WORD = re.compile(
    r"dat[aeu]|\btag\b|fecha|buchung|wert|valeur|valuta|\bdato\b|\bdt\b|\bpost(?:ing|ed)\b|bokf|tanggal|\btgl\b",
    re.IGNORECASE,
)
# The lines of a header printed on several lines are closer than this many word heights.
_STACKED_GAP = 0.6
_HEADER_LINES = 3
# A continuation line's words are within this share of the row's word height, and it is at
# most this many times the usual distance between table lines below the last one (measured
# over the last lines of the table, once there are enough of them).
_SIZE_TOLERANCE = 0.15
_PITCH_TOLERANCE, _PITCH_WINDOW, _MIN_PITCHES = 1.25, 50, 3
# Row boundaries between two dated lines: where the gap between table lines is wider than every
# other gap of that stretch by more than this many word heights (see ``_lines_above``).
_BOUNDARY_GAP = 0.15
# A description line printed above a row's dated line is at most this many word heights above it.
_ABOVE_PITCH = 1.8
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
    # Cheap tests first: a date label, or (for a header labelling no date) a date under the line,
    # or under the row under it (a date printed under each row's description), where the line
    # itself starts with a label, not a date: every row of a table starts with a date, and reading
    # each as a possible header cost a quarter of a parse.
    if not any(_HEADER_DATE_WORD.search(line.text) for line in candidates) and (
        leading_date_words(candidates[0])
        or not any(leading_date_words(below) for below in lines[index + 1 : index + 3])
    ):
        return None
    header = candidates[0]
    found: tuple[list[Column], int] | None = None
    for count, line in enumerate(candidates, start=1):
        if count > 1:
            previous = candidates[count - 2]
            if line.top - previous.bottom >= (previous.bottom - previous.top) * _STACKED_GAP:
                return found
            header = stack(header, line)
        columns = detect_header(header, lines[index + count :])
        if columns is not None and (found is None or _header_score(columns) >= _header_score(found[0])):
            found = (columns, index + count)
    return found


def _is_note(text: str) -> bool:
    """Whether a line under a row only gives its foreign amount, value date, references or card:
    no first line of a row's description."""
    return (
        is_foreign_currency_note(text) or is_value_date_note(text) or is_reference_note(text)
        or is_card_note(text)
    )


def _describes(cells: Cells) -> bool:
    """Whether a line prints description words and nothing else a row is read from.

    Words in a column of no role may stand right of them (State Bank of India's reference column,
    "TRANSFER TO" over the account number: its second line is printed beside the description's),
    not left of them (Mercury's "NEW TRANSACTIONS" heading, starting in a date column), nor words
    drawn across the columns (a footer, a rule), nor amounts (Citibank's "Total Subtracted/Added
    2,699.77  4,385.00" in columns it does not read: a total, not a row's line).
    """
    if cells.landed == {DESCRIPTION}:
        return True
    return (
        cells.landed == {DESCRIPTION, OTHER} and not cells.spanned and cells.other_x0 > cells.text_x1
        and not any(has_decimal_part(text) for text in cells.texts.get(OTHER, []))
    )


def _header_score(columns: Sequence[Column]) -> tuple[int, int]:
    """Roles named, and minus the columns naming none or one named already (a second description
    column): a better reading of a header scores higher."""
    named = {column.role for column in columns if column.role != OTHER}
    return len(named), len(named) - len(columns)


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
    date_text: str = ""  # the date as printed, for a warning when it cannot be resolved
    # The date as read when the printed one had to be read in the shape of the date above it
    # (an OCR text layer's "07107" under "06/07": "07/07"), for the statement's warning.
    date_read_as: str = ""
    # Printed under a heading of rows not yet settled ("Pending Transactions"): not in the
    # period's balance, so left out of the statement (and said in its warnings).
    pending: bool = False

    @property
    def description_text(self) -> str:
        """The description, wrapped lines joined with one space."""
        return " ".join(self.description)


@dataclass
class TableReader:
    """Reads the transaction rows of a statement, page after page."""

    rows: list[RawRow] = field(default_factory=list)
    text_lines: list[Line] = field(default_factory=list)
    # Table lines that print an amount and a description but no readable date, left out of the
    # rows: (their place among ``text_lines``, the date column's text), for the statement's
    # warning that rows were skipped.
    undated: list[tuple[int, str]] = field(default_factory=list)
    # The text of each table header (for the statement's currency: "AMOUNT (SGD)").
    header_texts: list[str] = field(default_factory=list)
    # Foreign-currency lines under rows ("FOREIGN CURRENCY 22.54 USD"): not the statement's currency.
    foreign_notes: list[str] = field(default_factory=list)
    # Whether a table's debit and credit columns were told apart by position only.
    sides_guessed: bool = False
    _layout: ColumnLayout | None = None
    _active: bool = False
    _row: RawRow | None = None
    _row_height: float = 0.0
    _last_top: float | None = None  # top of the last table line on this page
    _line_top: float = 0.0  # top of the line being read (its cells' words: no margin text)
    _pitches: deque[float] = field(default_factory=lambda: deque(maxlen=_PITCH_WINDOW))
    _section: int | None = None
    # Row boundaries (see ``_lines_above``): the top of the current row's dated line on this page
    # (None for a row carried over from the previous page), the (text, top) of the description
    # lines read below it (text None for a foreign-currency note), description lines waiting for
    # the row under them, and how often the document's gaps put lines above / below a dated line.
    _dated_top: float | None = None
    _tail: list[tuple[str | None, float]] = field(default_factory=list)
    _leads: list[tuple[Line, str]] = field(default_factory=list)
    _above: int = 0  # wrapped rows read with a line above their dated line
    _below: int = 0  # wrapped rows read with every line below it
    _row_above: bool = False  # the current row has a line above its dated line
    _signed_amounts: bool = False  # an amount of the table was printed with its sign
    _last_date_text: str = ""  # the date column's text of the last dated row, as printed
    _text_right: float | None = None  # where the current row's description ends (x), if it has one
    _labelled_descriptions: bool = False  # a description line read so far starts with "Label:"
    _second_date_due: bool = False  # the next line may print the current row's second date
    _pending: bool = False  # under a heading of pending rows, until the next section's heading
    # A table of rows printing no date, under headings of their day ("Tuesday 2 January 2024"):
    # the last heading's date and its text, for the rows under it.
    _day_headed: bool = False
    _day: tuple[RawDate, str] | None = None

    @property
    def found_table(self) -> bool:
        """Whether a transaction table's header was seen (even if no row followed it)."""
        return bool(self.header_texts)

    def read_page(self, page: int, lines: Sequence[Line]) -> None:
        """Read one page's lines (top to bottom)."""
        gap_limit = _TABLE_GAP * typical_height(lines)
        # The last row of the previous page may continue under this page's first header.
        carried, self._row = self._row, None
        self._active, self._last_top, self._dated_top, self._tail = False, None, None, []
        last_bottom = 0.0
        skip_to = 0
        for index, line in enumerate(lines):
            if index < skip_to:
                continue
            sign = section_sign(line.text)
            following = lines[index + 1] if index + 1 < len(lines) else None
            # "NEFT/INTEREST" / "CREDIT": a wrapped description, not a heading; but in a table
            # that has printed a section heading ("PAYMENTS AND CREDITS", Discover), a line
            # reading as one heads the next section ("PURCHASES" under a payment).
            if sign is not None and self._section is None and self._continues_description(line):
                sign = None
            pending = None if sign is not None else self._pending_turn(line)
            if sign is not None:
                self._flush_leads()
                self._section, self._row, self._pending = sign, None, False
            elif pending is not None:  # pending rows start, or posted ones again
                self._flush_leads()
                self._pending, self._row = pending, None
            elif (header := _find_header(lines, index)) is not None:
                columns, skip_to = header
                self.header_texts.append(" ".join(line.text for line in lines[index:skip_to]))
                self.sides_guessed |= any(column.side_guessed for column in columns)
                self._layout = ColumnLayout(columns)
                self._layout.learn(lines[skip_to:])
                self._day_headed, self._day = False, None  # a header's rows print their dates
                self._active, self._row, carried = True, carried, None
                last_bottom, self._last_top = lines[skip_to - 1].bottom, None
                continue
            elif self._layout is None and (unheaded := headerless_columns(lines[index:])) is not None:
                # No header printed so far, and a list of dated amounts starts here: its own table.
                self.header_texts.append("")
                self._layout = ColumnLayout(unheaded)
                self._layout.learn(lines[index:])
                self._active, self._row, carried = True, carried, None
                last_bottom, self._last_top = line.top, None
            elif self._layout is None and (by_day := day_headed_columns(lines[index:])) is not None:
                # No header printed so far, and undated rows under a day's heading start here.
                self.header_texts.append("")
                self._layout = ColumnLayout(by_day)
                self._layout.learn(lines[index + 1 :])
                self._day_headed, self._active, self._row, carried = True, True, carried, None
                last_bottom, self._last_top = line.top, None
            elif self._layout is not None and _HEADER_DATE_WORD.search(line.text) and is_balance_grid_header(
                line
            ):  # a grid of daily balances ends the transaction table: its dated figures are no rows
                self._flush_leads()
                self._layout, self._row, self._active = None, None, False
            day = read_day_heading(line.text) if self._day_headed else None
            if day is not None:  # the next day's rows start
                self._flush_leads()
                self._day, self._row = (day, " ".join(line.text.split())), None
            near = self._active and line.top - last_bottom <= gap_limit
            layout = self._layout
            heading = sign is not None or pending is not None or day is not None
            if not heading and layout is not None and self._read_row(layout, line, near, following):
                self._active, last_bottom = True, line.bottom
                # Only lines stacked clear of each other measure the pitch: an amount drawn
                # between two lines of its description (half a line down) does not.
                if self._last_top is not None and self._line_top - self._last_top >= self._row_height:
                    self._pitches.append(self._line_top - self._last_top)
                self._last_top = self._line_top
                continue
            self._flush_leads()
            self.text_lines.append(line)
            if near:
                last_bottom = line.bottom
            else:
                self._active = False
        self._flush_leads()

    def _pending_turn(self, line: Line) -> bool | None:
        """True if ``line`` heads rows not yet settled ("Pending Transactions"), False if it heads
        posted rows after them ("Transactions"), None if it is neither (or a wrapped description)."""
        if is_pending_heading(line.text):
            turn = True
        elif self._pending and is_posted_heading(line.text):
            turn = False
        else:
            return None
        return None if self._continues_description(line) else turn

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

    def _continues_row(self, cells: Cells, smaller: bool = False) -> bool:
        """Whether a line of description words only (``cells``) is the next line of the current row.

        It must be printed in the row's type size (or, with ``smaller``, a smaller one) and no
        further below the last table line than table lines usually are: a page footer is
        smaller, or set apart.
        """
        difference = median(cells.heights) - self._row_height
        if difference > self._row_height * _SIZE_TOLERANCE or (
            not smaller and -difference > self._row_height * _SIZE_TOLERANCE
        ):
            return False
        if self._last_top is None or len(self._pitches) < _MIN_PITCHES:
            return True
        return self._line_top - self._last_top <= median(self._pitches) * _PITCH_TOLERANCE

    def _details_transaction(self, cells: Cells, smaller: bool = False) -> bool:
        """Whether a description-only line (``cells``) is printed as the next line of the current
        transaction row: a card purchase's "Card xx1234" is that row's detail, not a card section's
        heading (which follows a header, a section heading or a total, not a purchase).
        ``smaller``: the line may be printed in a smaller type than the row (a note's)."""
        row = self._row
        return (
            row is not None and bool(row.money) and self._dated_top is not None
            and row_kind(row.description_text) is RowKind.TRANSACTION
            and cells.landed == {DESCRIPTION} and self._continues_row(cells, smaller)
        )

    def _same_size(self, cells: Cells) -> bool:
        """Whether ``cells`` are in the type size of the table's rows (any size before the first row)."""
        if not self._row_height:
            return True
        return abs(median(cells.heights) - self._row_height) <= self._row_height * _SIZE_TOLERANCE

    def _starts_row_below(self, layout: ColumnLayout, line: Line, following: Line | None) -> bool:
        """Whether ``following`` starts a row (amounts, and a date or none), a line's pitch under ``line``."""
        if following is None or following.page != line.page:
            return False
        height = median(word.bottom - word.top for word in line.words)
        if following.top - line.top > height * _ABOVE_PITCH:
            return False
        cells = layout.split(following)
        amounts = [" ".join(cells.texts[role]) for role in MONEY_ROLES if role in cells.texts]
        date_words = cells.texts.get(DATE)
        dated = self._date_of(date_words, layout)[0] is not None if date_words else DATE not in cells.landed
        return dated and any(has_decimal_part(amount) for amount in amounts)

    def _date_of(
        self, date_words: Sequence[str], layout: ColumnLayout | None = None
    ) -> tuple[RawDate | None, str]:
        """The date a date cell of ``layout`` prints (words starting a line, without it), and the
        text it was read as when that is not the printed one: a scan's text layer that read a
        separator as a digit ("07107" under "06/07") is read in the shape of the date above it
        (``repaired_date_text``)."""
        read = layout.read_date if layout is not None else read_date
        printed = " ".join(date_words)
        date = read(printed)
        if date is not None or not self._last_date_text:
            return date, ""
        repaired = repaired_date_text(printed, self._last_date_text)
        if repaired is None:
            return None, ""
        date = read(repaired)
        return (date, repaired) if date is not None else (None, "")

    def _continue_row(self, text: str, cells: Cells) -> None:
        """Add a description-only line to the current row (a note only to its geometry).

        Notes are foreign-currency and value-date lines, a line printed beside the description
        (starting right of where each of its lines ends: a wrapped line starts at the
        description's left, Amex's "MERCHANDISE" under a credit is its category), and lines of
        labelled references ("Reference: 3202400901"), unless the document prints its
        descriptions as labelled lines (ING's "Omschrijving: Huur maart" over "Machtiging ID:
        100234567": then each is part of it).
        """
        if self._row is None:
            return
        foreign = is_foreign_currency_note(text)
        if foreign:
            self.foreign_notes.append(text)
        aside = self._text_right is not None and cells.text_x0 > self._text_right
        reference = is_reference_note(text) and not self._labelled_descriptions
        note = aside or reference or foreign or is_value_date_note(text) or is_card_note(text)
        if not note:
            self._row.description.append(text)
            self._labelled_descriptions |= starts_with_label(text)
            self._widen_text(cells)
        if self._dated_top is not None:
            self._tail.append((None if note else text, self._line_top))

    def _widen_text(self, cells: Cells) -> None:
        """Take the description words of ``cells``, a line of the current row, into where its
        description ends (unknown stays unknown: lines above the dated line were not measured)."""
        if self._text_right is not None:
            self._text_right = max(self._text_right, cells.text_x1)

    def _flush_leads(self) -> None:
        """Lines that waited for a row under them and got none: as they were read before.

        Under a page's first header they continue the row carried over from the previous page;
        anywhere else they are text outside the table.
        """
        leads, self._leads = self._leads, []
        for line, text in leads:
            if self._row is not None and self._dated_top is None:
                self._row.description.append(text)
            else:
                self.text_lines.append(line)

    def _lines_above(self, top: float, transaction: bool) -> list[str]:
        """The description lines that belong to the row whose dated line starts at ``top``.

        Lines read below the previous row's dated line (``_tail``) are split at the widest gap
        of that stretch when it is clearly wider than every other (rows are set apart more than
        a row's lines are): the lines after it move to this row. Failing that, a last line
        clearly closer to this dated line than the description lines are to each other is this
        row's (amounts drawn between a description's first two lines, half a line down). Evenly
        spaced lines stay with the row above (the common layout): gaps are the only evidence,
        since the amounts, and so reconciliation, are the same either way.

        Lines waiting right above it (``_leads``: nothing on this page to continue, or too far
        below the row before, and a line's pitch above this dated line) are its first lines,
        unless they may continue the row carried over from the previous page: then the
        document's habit decides, counted over its wrapped rows so far (``_above`` with a line
        above the dated line, ``_below`` without); continuing the carried row wins a tie.
        """
        if self._leads:
            leads, self._leads = self._leads, []
            carried = self._row is not None and self._dated_top is None
            if transaction and (not carried or self._above > self._below):
                return [text for _, text in leads]
            self._leads = leads
            self._flush_leads()
            return []
        cut = self._tail_cut(top)
        if self._row is None or cut is None:
            return []
        moved = [text for text, _ in self._tail[cut:] if text is not None]
        del self._row.description[len(self._row.description) - len(moved) :]
        return moved

    def _tail_cut(self, top: float) -> int | None:
        """Where the lines below the current row's dated line end, for a row starting at ``top``.

        The index in ``_tail`` of the first line that belongs to the new row (see
        :meth:`_lines_above`), or ``None`` when they all stay.
        """
        if self._row is None or self._dated_top is None or not self._tail:
            return None
        chain = [self._dated_top, *(top_ for _, top_ in self._tail), top]
        gaps = [lower - upper for upper, lower in pairwise(chain)]
        tolerance = self._row_height * _BOUNDARY_GAP
        widest = max(range(len(gaps)), key=gaps.__getitem__)
        if gaps[widest] - max(gap for index, gap in enumerate(gaps) if index != widest) > tolerance:
            cut = widest  # rows set apart: the row ends at the widest gap
        elif len(gaps) > 2 and gaps[-1] < min(gaps[1:-1]) - tolerance:
            cut = len(gaps) - 2  # the last line hugs the next dated line, closer than lines stack
        else:
            return None
        return None if cut == len(gaps) - 1 else cut

    def _date_under_row(self, line: Line, cells: Cells) -> bool:
        """Whether ``line`` gives the current row its date, printed under its description (a
        table whose date column is there, ``Column.under_description``): the row is still
        undated, and the line starts with a date and prints no amount. The rest of the line
        (Wise's "Transaction: CARD-…  Exchange rate: 1.0815") is the row's detail, left out of
        its description like any note."""
        row = self._row
        if row is None or row.date is not None or not row.money or {*MONEY_ROLES} & cells.landed:
            return False
        printed = [word.text for word in line.words[: leading_date_words(line)]]
        date, date_read_as = self._date_of(printed) if printed else (None, "")
        if date is None:
            return False
        row.date, row.date_text, row.date_read_as = date, " ".join(printed), date_read_as
        self._last_date_text = date_read_as or row.date_text
        if self._dated_top is not None:
            self._tail.append((None, self._line_top))
        return True

    def _read_row(self, layout: ColumnLayout, line: Line, near: bool, following: Line | None = None) -> bool:
        """Add ``line`` to the rows (new row or continuation); false if it is not part of the table.

        A line without a date continues the current row if all its words are in the
        description column, or starts a row dated like the previous one if it prints an
        amount and nothing in the date column (or reads as a balance or total row). Footers
        spanning the page width are neither. A description-only line right above a line that
        starts a row (``following``) may be that row's first line: it waits for it, and
        :meth:`_lines_above` decides. A line naming a card starts a card's section.
        """
        cells = layout.split(line)
        self._line_top = cells.top if cells.heights else line.top
        date_words = cells.texts.get(DATE, [])
        date, date_read_as = self._date_of(date_words, layout) if date_words else (None, "")
        second_date_due, self._second_date_due = self._second_date_due, False
        if second_date_due and date is not None and not {*MONEY_ROLES} & cells.landed:
            # The row's value date, under its date where the header stacks the two: no new row.
            date, date_words = None, []
            cells.landed.discard(DATE)
            if not cells.landed:
                return True
        if layout.dates_under_description and near and self._date_under_row(line, cells):
            return True
        description = cells.texts.get(DESCRIPTION, [])
        if date_words and date is None and row_kind(" ".join(description)) is RowKind.TRANSACTION:
            description = date_words + description  # not a date after all ("-1234 SHOP")
        text = " ".join(description)
        money = {role: " ".join(cells.texts[role]) for role in MONEY_ROLES if role in cells.texts}
        if date is None and self._day is not None and any(has_decimal_part(cell) for cell in money.values()):
            # a row under its day's heading; a footer's "Page 1" is no amount of that day
            date, date_words = self._day[0], [self._day[1]]
        if (
            near and date is None and not money and self._details_transaction(cells, smaller=True)
            and _is_note(text) and not (self._labelled_descriptions and is_reference_note(text))
        ):
            # A note under a transaction (its card, references, value date) is that row's detail,
            # printed in its type or a smaller one ("2024-01-02T18:14:05 Karte Nr. 4871 78XX XXXX
            # 1234", Commerzbank): neither a card section's heading nor text outside the table.
            self._continue_row(text, cells)
            return True
        if (
            near and date is None and not money and is_card_section_heading(line.text)
            and not self._details_transaction(cells)
        ):
            # one card's section starts: no sign, no row to continue, no pending rows
            self._section, self._row, self._pending = None, None, False
            return False
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
                self._widen_text(cells)
                self._dated_top, self._tail = self._line_top, []
                return True
            if money and DATE in cells.landed and row_kind(text) is RowKind.TRANSACTION:
                if not self._pending:  # a pending row is left out for being pending, said so
                    self.undated.append((len(self.text_lines), " ".join(date_words)))
                return False
            worded = any(char.isalpha() for char in text)  # figures alone describe nothing
            if money and not worded and not self._leads and self._tail_cut(self._line_top) is None:
                # An amount with neither date nor description (nor lines above): a subtotal, or a
                # summary's figures under their labels (HDFC's "1,84,520.35  6  3  71,335.00 ...").
                return False
            if money and not any(has_decimal_part(cell) for cell in money.values()):
                return False  # "Page 1" in a footer: without a date, only a real amount makes a row
            if not money:
                if not _describes(cells) or not self._same_size(cells):
                    return False
                if self._row is not None and self._dated_top is not None and self._continues_row(cells):
                    self._continue_row(text, cells)
                    return True
                if not _is_note(text) and self._starts_row_below(layout, line, following):
                    self._leads.append((line, text))
                    return True
                if self._row is None or not self._continues_row(cells):
                    return False
                self._continue_row(text, cells)
                return True
        above = self._lines_above(self._line_top, row_kind(text) is RowKind.TRANSACTION)
        self._flush_leads()
        if self._row is not None and len(self._row.description) > 1:  # a wrapped row is complete
            self._above += self._row_above
            self._below += not self._row_above
        self._row_above = bool(above)
        self._signed_amounts = self._signed_amounts or (AMOUNT in money and prints_sign(money[AMOUNT]))
        description = [*above, *([text] if text else [])]
        self._row = RawRow(
            date, description, money, self._section, len(self.text_lines), " ".join(date_words),
            date_read_as, self._pending,
        )
        if date is not None:
            # As read: a scan that misreads one date's separators misreads the next one's too.
            self._last_date_text = date_read_as or " ".join(date_words)
        self._row_height = median(cells.heights) if cells.heights else 0.0
        self._dated_top, self._tail = self._line_top, []
        self._text_right = cells.text_x1 if text and not above else None
        self._second_date_due = date is not None and any(
            column.dates_stacked for column in layout.columns if column.role == DATE
        )
        self.rows.append(self._row)
        return True
