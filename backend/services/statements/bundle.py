"""Statements of different layouts printed one after another in one PDF.

A user's "all my statements" upload, an accountant's client pack or a bank's combined checking
and savings statement joins statements each printed in its own layout: its own letterhead,
column header, date and number formats and balances. Read as one table, a later statement's
lines are read in the earlier one's columns (its rows lost, or read as the earlier one's) and
under the earlier one's decimal mark, date order and sign convention. So the pages are first cut
into ranges where a new statement begins, and each range is read on its own, by its own
:class:`TableReader` and :func:`assemble` (its columns, formats, header, reconciliation);
:func:`~.split.split_statements` still cuts consecutive statements of one layout inside a range.

A page *may* begin a statement when, after pages that printed transactions, it prints a column
header that the pages before it (since the last cut) did not, a bank name, account number or
period other than theirs, or no transaction under their columns (a table with no header is found
only where no columns are known yet). Such a page is a candidate only: a statement may print a
second table under another header (a card's payments, then its purchases), or end on a page of
terms. The cut is made when the two ranges, each read on its own, account for more rows than
the pages read as one: more rows in statements whose balances check, else, as many of those,
more rows read; on a tie, only where the page begins another statement by its print (another
bank, account or period, or an opening balance other than the closing balance before it), so that a
statement reading the same either way is read as before. Where the pages from a candidate on
cannot be read on their own, they stay with the pages before; if they print another bank,
account, period or table header, the statement before them says so
(:func:`unread_pages_warning`) and its ``balance_check`` is ``mismatch``: rows are never
dropped without a word. Reading lines into rows costs about what reading the words does, but
only a document with a candidate page is read more than once. The pages read again are not
read from the PDF again: each page's lines are kept until the end of the document, packed
(:class:`~backend.services.document_text.packed_lines.PackedLines`, ~45 bytes a word where a
word object costs ~220), so that memory stays near flat however long the document.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from itertools import pairwise
from typing import TypeVar

from ..document_text.layout import Line
from ..document_text.packed_lines import PackedLines
from ..errors import InvalidInputError
from .assemble import assemble
from .bank_name import find_bank_name
from .hints import ParserHints
from .keywords import RowKind, row_kind
from .metadata import find_account_last4, find_period
from .models import ParsedStatement
from .reconcile import MISMATCH
from .rows import TableReader


@dataclass(frozen=True)
class _PageSigns:
    """What one page prints that tells statements apart, as the document-wide reading saw it."""

    headers: frozenset[str]  # its table headers' texts, case and spacing folded
    transactions: int  # transaction rows read on it
    bank: str | None  # a bank name printed at its top (read as a first page's letterhead)
    account: str | None  # an account number's last four digits printed outside its table
    period: tuple[date, date] | None  # a statement period printed outside its table


_Reading = ParsedStatement | InvalidInputError
_Sign = TypeVar("_Sign")

# Reading ranges again costs page reads; a document whose every page may begin a statement (a
# header worded differently on every other page, crafted or not) made each candidate read every
# page since the last cut again: quadratic (80 pages: 40 s instead of 2). The extra page reads
# have this budget, per page of the document, plus a minimum for short ones; candidates past it
# are not examined (their pages stay with the statement before them, which says so).
EXTRA_PAGE_READS_PER_PAGE = 4
EXTRA_PAGE_READS_MINIMUM = 100


def read_statements(pages: Iterable[Sequence[Line]], hints: ParserHints) -> ParsedStatement:
    """The statements printed on ``pages`` (each page's lines, every page in page order).

    Raises:
        InvalidInputError: as :func:`assemble` does, for the document or a range of it that
            cannot be read on its own nor with the pages beside it.
    """
    reader = TableReader()
    all_lines, signs = _read_pages(reader, pages)
    candidates = _candidate_starts(signs)
    if not candidates:
        return assemble(reader, len(all_lines), hints)
    ranges = _Ranges(all_lines, hints, reader)
    starts = [0]
    unread: list[range] = []  # pages printing another statement that no reading could read
    unexamined: list[int] = []  # pages that may begin one, past the budget for reading again
    for position, candidate in enumerate(candidates):
        end = candidates[position + 1].page if position + 1 < len(candidates) else len(all_lines)
        if not ranges.affordable((candidate.page, end), (starts[-1], end), (starts[-1], candidate.page)):
            unexamined = [c.page for c in candidates[position:] if c.names_another or c.new_table]
            break
        after = ranges.read(candidate.page, end)
        if isinstance(after, InvalidInputError):  # no cut can read better: the pages stay together
            if candidate.names_another or candidate.new_table:
                unread.append(range(candidate.page, end))
            continue
        whole = ranges.read(starts[-1], end)
        if _cut_reads_better(whole, [ranges.read(starts[-1], candidate.page), after], candidate):
            starts.append(candidate.page)
    by_range: list[list[ParsedStatement]] = []
    for start, end in pairwise([*starts, len(all_lines)]):
        reading = ranges.read(start, end)
        if isinstance(reading, InvalidInputError):
            raise reading  # as a document that cannot be read: a cut is made where both sides read
        by_range.append([replace(s, page_count=len(all_lines), more=()) for s in reading.statements])
    for pages_unread in unread:  # said by the statement read last before them, which cannot check
        _say(by_range[bisect_right(starts, pages_unread.start) - 1], unread_pages_warning(pages_unread))
    if unexamined:
        _say(by_range[-1], unexamined_pages_warning(unexamined))
    statements = [statement for statements in by_range for statement in statements]
    return replace(statements[0], more=tuple(statements[1:]))


def _read_pages(
    reader: TableReader, pages: Iterable[Sequence[Line]]
) -> tuple[list[PackedLines], list[_PageSigns]]:
    """Read every page of ``pages`` with ``reader``: each page's lines packed (kept to read
    ranges again, compactly: memory stays near flat), and each page's signs. Only the page being
    read is held as lines."""
    packed: list[PackedLines] = []
    signs: list[_PageSigns] = []
    for index, lines in enumerate(pages):
        headers, rows, text_lines = len(reader.header_texts), len(reader.rows), len(reader.text_lines)
        reader.read_page(index, lines)
        packed.append(PackedLines.pack(lines))
        signs.append(_page_signs(reader, headers, rows, text_lines))
    return packed, signs


def _say(statements: list[ParsedStatement], warning: str) -> None:
    """The last of ``statements`` gets ``warning`` and no longer checks: rows of another
    statement may be missing from it, or read in its columns."""
    statements[-1] = replace(
        statements[-1], balance_check=MISMATCH, warnings=(*statements[-1].warnings, warning)
    )


def unexamined_pages_warning(pages: Sequence[int]) -> str:
    """The warning that ``pages`` (0-based) may each begin another statement but were not
    examined apart (past the budget for reading pages again)."""
    shown = ", ".join(str(page + 1) for page in pages[:5]) + (", …" if len(pages) > 5 else "")
    return (
        f"{len(pages)} pages (page {shown}) may each begin another statement but were not examined"
        " apart (the document has more possible statement starts than are read again): they are"
        " read with the statement before them, so its balances cannot be checked"
    )


def unread_pages_warning(pages: range) -> str:
    """The warning that ``pages`` (0-based) print a statement that could not be read."""
    first, last = pages.start + 1, pages.stop
    where = f"page {first} prints" if first == last else f"pages {first}-{last} print"
    return (
        f"{where} another statement (another bank, account, period or transaction table) that could "
        "not be read: its transactions are not included, so this document's balances cannot be checked"
    )


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())


def _page_signs(reader: TableReader, headers: int, rows: int, text_lines: int) -> _PageSigns:
    """The signs of the page ``reader`` just read (``headers``, ``rows``, ``text_lines``: how many
    it had read before that page)."""
    lines = reader.text_lines[text_lines:]
    first_page = [replace(line, page=0) for line in lines]
    return _PageSigns(
        headers=frozenset(_folded(text) for text in reader.header_texts[headers:]),
        transactions=sum(row_kind(row.description_text) is RowKind.TRANSACTION for row in reader.rows[rows:]),
        bank=find_bank_name(first_page),
        account=find_account_last4(lines),
        period=_period(lines),
    )


def _period(lines: Sequence[Line]) -> tuple[date, date] | None:
    """The statement period ``lines`` print, day first or else month first (the document's date
    order is not known yet; two periods compared are read the same way round)."""
    for day_first in (True, False):
        start, end = find_period(lines, day_first)
        if start is not None and end is not None:
            return start, end
    return None


def _differs(seen: set[_Sign], new: _Sign | None) -> bool:
    """A sign printed on the page and none of the ones printed since the last cut (a sign not
    printed tells nothing)."""
    return new is not None and bool(seen) and new not in seen


@dataclass(frozen=True)
class _Candidate:
    """A page that may begin a statement, and what it prints that the pages before it did not."""

    page: int
    names_another: bool  # another bank, account or period than the pages before it
    new_table: bool  # it prints a table header the pages before it did not


def _candidate_starts(signs: Sequence[_PageSigns]) -> list[_Candidate]:
    """The pages that may begin a statement (see the module docstring), in page order."""
    candidates: list[_Candidate] = []
    headers: set[str] = set()
    banks: set[str] = set()
    accounts: set[str] = set()
    periods: set[tuple[date, date]] = set()
    transactions = 0
    for index, page in enumerate(signs):
        names_another = (
            _differs(banks, page.bank) or _differs(accounts, page.account) or _differs(periods, page.period)
        )
        new_table = bool(page.headers - headers)
        # A page reading no row under the columns of the pages before it may print a table
        # of its own (one with no header, found only where no columns were known yet).
        if transactions and (names_another or new_table or not page.transactions):
            candidates.append(_Candidate(index, names_another, new_table))
            headers, banks, accounts, periods, transactions = set(), set(), set(), set(), 0
        headers |= page.headers
        banks |= {page.bank} if page.bank else set()
        accounts |= {page.account} if page.account else set()
        periods |= {page.period} if page.period else set()
        transactions += page.transactions
    return candidates


@dataclass
class _Ranges:
    """Page ranges of one document, each read on its own (once: readings are kept)."""

    pages: Sequence[PackedLines]
    hints: ParserHints
    whole: TableReader  # the reader that read every page: the range of all of them

    def __post_init__(self) -> None:
        self._read: dict[tuple[int, int], _Reading] = {}
        self._budget = EXTRA_PAGE_READS_PER_PAGE * len(self.pages) + EXTRA_PAGE_READS_MINIMUM
        self._spent = 0

    def _cost(self, start: int, end: int) -> int:
        """Page reads that reading pages ``start`` to ``end`` would add (none if read already)."""
        return 0 if (start, end) in self._read or (start, end) == (0, len(self.pages)) else end - start

    def affordable(self, *spans: tuple[int, int]) -> bool:
        """Whether reading every range of ``spans`` stays within the budget of extra page reads."""
        return self._spent + sum(self._cost(*span) for span in set(spans)) <= self._budget

    def read(self, start: int, end: int) -> _Reading:
        """Pages ``start`` to ``end`` (excluded) read as a document of their own, numbered from 0
        (a statement's letterhead is found on its first page), or the error that reading raises."""
        if (start, end) not in self._read:
            self._spent += self._cost(start, end)
            reader = self.whole
            if (start, end) != (0, len(self.pages)):
                reader = TableReader()
                for index in range(start, end):
                    reader.read_page(index - start, self.pages[index].lines(index - start))
            try:
                self._read[start, end] = assemble(reader, end - start, self.hints)
            except InvalidInputError as error:
                self._read[start, end] = error
        return self._read[start, end]


def _score(readings: Sequence[_Reading]) -> tuple[int, int]:
    """How much of its pages a reading accounts for: rows in statements whose balances check,
    then rows read. A range that cannot be read scores below any that can."""
    if any(isinstance(reading, InvalidInputError) for reading in readings):
        return (-1, -1)
    statements = [s for read in readings if isinstance(read, ParsedStatement) for s in read.statements]
    checked = sum(len(s.transactions) for s in statements if s.balance_check == "ok")
    return checked, sum(len(s.transactions) for s in statements)


def _cut_reads_better(whole: _Reading, apart: Sequence[_Reading], candidate: _Candidate) -> bool:
    """Whether the pages read as two ranges (``apart``) beat them read as one (``whole``).

    A higher :func:`_score` wins. On a tie the cut is made only where the page begins another
    statement by its print: it names another bank, account or period, or the range after it opens at a
    balance other than the one the range before it closed on (one statement's pages chain).
    """
    cut, kept = _score(apart), _score([whole])
    if cut != kept:
        return cut > kept
    before, after = apart
    if cut[0] < 0 or not isinstance(before, ParsedStatement) or not isinstance(after, ParsedStatement):
        return False
    closed, opened = before.statements[-1].closing_balance, after.opening_balance
    return candidate.names_another or (closed is not None and opened is not None and closed != opened)
