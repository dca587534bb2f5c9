"""Read a PDF's text as lines of positioned words (pdfplumber), with user-safe errors."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from backend.services.pdf_words import iter_page_words

# Words whose tops differ by at most this many points are on the same line.
_LINE_TOLERANCE = 3.0


@dataclass(frozen=True)
class Word:
    """A word of a line: its text, left edge, and where it starts in the line's text."""

    text: str
    x0: float
    offset: int


@dataclass(frozen=True)
class Line:
    """One visual line of a page: words left to right, joined by single spaces."""

    page: int
    text: str
    words: tuple[Word, ...]

    def x_at(self, offset: int) -> float:
        """Left edge of the word containing character ``offset`` (``inf`` past the end)."""
        if offset >= len(self.text):
            return math.inf
        return next(word.x0 for word in reversed(self.words) if word.offset <= offset)

    def text_between(self, x_min: float, x_max: float) -> str:
        """The words whose left edge lies in ``[x_min, x_max)``."""
        return " ".join(word.text for word in self.words if x_min <= word.x0 < x_max)


def read_lines(path: str | Path) -> list[Line]:
    """All text lines of the PDF at ``path``, page by page, top to bottom.

    Raises ``InvalidInputError`` for encrypted, corrupt or text-less (scanned) PDFs.
    ``OSError`` (missing file, I/O trouble) is not the document's fault and propagates.
    """
    return [
        line
        for index, _, words in iter_page_words(path, unicode_norm="NFC")
        for line in _group_lines(words, index)
    ]


def _group_lines(words: list[dict[str, Any]], page_index: int) -> list[Line]:
    """Group a page's words into lines, top to bottom, each left to right."""
    rows: list[list[dict[str, Any]]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if rows and word["top"] - rows[-1][0]["top"] <= _LINE_TOLERANCE:
            rows[-1].append(word)
        else:
            rows.append([word])
    return [_make_line(sorted(row, key=lambda w: w["x0"]), page_index) for row in rows]


def _make_line(row: list[dict[str, Any]], page_index: int) -> Line:
    """Join a row of pdfplumber words into a Line, remembering each word's offset."""
    words, offset = [], 0
    for word in row:
        words.append(Word(word["text"], word["x0"], offset))
        offset += len(word["text"]) + 1
    return Line(page_index, " ".join(word.text for word in words), tuple(words))
