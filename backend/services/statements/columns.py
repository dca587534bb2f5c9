"""Finding the transaction table's columns from its header words, and splitting rows by them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..document_text.layout import Line, Word, run_text, word_runs
from ..document_text.money import is_amount, looks_like_amount_piece

DATE, VALUE_DATE, DESCRIPTION, OTHER = "date", "value_date", "description", "other"
DEBIT, CREDIT, AMOUNT, BALANCE = "debit", "credit", "amount", "balance"
MONEY_ROLES = (DEBIT, CREDIT, AMOUNT, BALANCE)

_ROLE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (role, re.compile(rf"^(?:{pattern})$"))
    for role, pattern in (
        (VALUE_DATE, r"(?:value|val|valuta|effective) date"),
        (
            DATE,
            (
                r"(?:(?:transaction|trans|txn|tran|trx|posting|post|posted|booking|entry|vr|voucher|"
                r"processed|process|sale) )?date|date (?:posted|of transaction)"
            ),
        ),
        (
            DESCRIPTION,
            (
                r"(?:transaction |payment )?(?:description|details|narrative|particulars|memo|payee)"
                r"(?: of transaction)?|transactions?|reference and description"
            ),
        ),
        (DEBIT, r"debits?|withdrawals?|money out|paid out|out|dr|dr amt|(?:debit|withdrawal) amount"),
        (CREDIT, r"credits?|deposits?|money in|paid in|in|cr|cr amt|(?:credit|deposit) amount"),
        (AMOUNT, r"(?:transaction )?(?:amount|amt)"),
        (BALANCE, r"(?:running )?balance|bal|balance amount"),
    )
)
# Words of one header label are closer than this many word heights; labels are further apart.
_LABEL_GAP = 0.5
_PARENTHESES = re.compile(r"\([^)]*\)?")
_CURRENCY_WORDS = re.compile(r"[$€£¥₹]|\b(?:in|of)?\s*\b[a-z]{3}\b$")


@dataclass
class Column:
    """A table column: its role and x-extent (header extent, widened by the numbers under it)."""

    role: str
    x0: float
    x1: float
    header_x0: float = field(init=False)
    header_x1: float = field(init=False)

    def __post_init__(self) -> None:
        self.header_x0, self.header_x1 = self.x0, self.x1

    def overlap(self, word: Word) -> float:
        """How much of ``word``'s width lies inside this column."""
        return min(self.x1, word.x1) - max(self.x0, word.x0)

    def gap(self, word: Word) -> float:
        """Horizontal distance between ``word`` and this column (0 if they overlap)."""
        return max(self.x0 - word.x1, word.x0 - self.x1, 0.0)


def classify_label(label: str) -> str:
    """The column role of a header label such as ``Money out (£)`` or ``Vr.Date``."""
    text = _PARENTHESES.sub(" ", label.lower().replace(".", " ").replace("_", " ").replace(":", " "))
    # Stray single letters ("AMOUNT (SGD)I") are layout debris, not part of the label.
    text = " ".join(word for word in text.split() if len(word) > 1 or not word.isalpha())
    for candidate in (text, _CURRENCY_WORDS.sub("", text).strip()):
        for role, pattern in _ROLE_PATTERNS:
            if pattern.match(candidate):
                return role
    return OTHER


def detect_header(line: Line) -> list[Column] | None:
    """The columns if ``line`` is a transaction table header, else ``None``.

    A header has a date column, at least one money column (debit, credit, amount) and more
    recognised labels than unrecognised ones.
    """
    columns = [
        Column(classify_label(run_text(run)), min(w.x0 for w in run), max(w.x1 for w in run))
        for run in word_runs(line, _LABEL_GAP)
    ]
    roles = [column.role for column in columns]
    if DATE not in roles and VALUE_DATE in roles:
        columns[roles.index(VALUE_DATE)].role = DATE
        roles = [column.role for column in columns]
    known = sum(role not in (OTHER, VALUE_DATE) for role in roles)
    if DATE not in roles or not {DEBIT, CREDIT, AMOUNT} & set(roles) or known <= len(roles) - known:
        return None
    seen: set[str] = set()
    for column in columns:  # a second column with the same role (e.g. two dates) is extra info
        if column.role in seen or column.role == VALUE_DATE:
            column.role = OTHER
        seen.add(column.role)
    return columns


@dataclass
class Cells:
    """A line split by column: ``texts`` per role, and every role a word fell in (``landed``)."""

    texts: dict[str, list[str]] = field(default_factory=dict)
    landed: set[str] = field(default_factory=set)


class ColumnLayout:
    """The columns of one table on one page, and the assignment of words to them."""

    def __init__(self, columns: Sequence[Column]) -> None:
        self.columns = sorted(columns, key=lambda c: c.x0)
        self.has_description = any(c.role == DESCRIPTION for c in self.columns)

    def learn(self, lines: Sequence[Line]) -> None:
        """Widen money columns to the numbers printed under them.

        Right-aligned numbers often stick out of their header; a number that overlaps exactly
        one money header widens that column, never into the neighbouring headers.
        """
        money = [c for c in self.columns if c.role in MONEY_ROLES]
        for word in (w for line in lines for w in line.words):
            hits = [c for c in self.columns if c.header_x1 > word.x0 and c.header_x0 < word.x1]
            if len(hits) == 1 and hits[0] in money and is_amount(word.text):
                column = hits[0]
                index = self.columns.index(column)
                low = self.columns[index - 1].header_x1 if index else float("-inf")
                high = self.columns[index + 1].header_x0 if index + 1 < len(self.columns) else float("inf")
                column.x0 = max(min(column.x0, word.x0), low)
                column.x1 = min(max(column.x1, word.x1), high)

    def _column_for(self, word: Word) -> Column:
        best = max(self.columns, key=lambda c: c.overlap(word))
        if best.overlap(word) > 0:
            return best
        if looks_like_amount_piece(word.text) and not any(ch.isdigit() for ch in word.text):
            left = [c for c in self.columns if c.role in MONEY_ROLES and c.x1 <= word.x0]
            if left:  # a lone "CR", "-" or currency code belongs to the number before it
                return max(left, key=lambda c: c.x1)
        # Text is left-aligned under its header: prefer the nearest text column starting on the left.
        text_columns = [c for c in self.columns if c.role not in MONEY_ROLES] or self.columns
        left = [c for c in text_columns if c.x0 <= word.x0]
        return max(left, key=lambda c: c.x0) if left else min(text_columns, key=lambda c: c.gap(word))

    def split(self, line: Line) -> Cells:
        """The texts of ``line`` per column role, left to right.

        Words that cannot be part of an amount but fall in a money column (a description
        overflowing its cell) go to the description.
        """
        cells = Cells()
        pending = list(reversed(line.words))
        while pending:
            word = pending.pop()
            role = self._column_for(word).role
            cells.landed.add(role)
            if role in MONEY_ROLES and not looks_like_amount_piece(word.text):
                if word.pieces:  # numbers printed touching: read them one by one
                    pending.extend(reversed(word.pieces))
                    continue
                if self.has_description:
                    role = DESCRIPTION
            cells.texts.setdefault(role, []).append(word.text)
        return cells
