"""A long statement read in parts (page ranges, on several workers) and merged.

Reading a page's words is what costs (~all of :func:`parse_statement`'s time); turning lines
into rows is cheap but carries state from page to page (the table's columns, a description
continued on the next page, the usual line pitch, the section being read). So a part reads
only the words and lines of its pages (:func:`read_part`, JSON-able), and the merge feeds
every page's lines, in page order, through the very :func:`~.bundle.read_statements` of the
serial parse (:func:`merge_parts`): the result is the serial one.

The one piece of word-level state that crosses pages is :class:`PageWordReader`'s
"spaceless text layer" switch, which a page may turn on for every later page. A part does
not know whether an earlier part turned it on, so for each page it also keeps the lines the
switched-on reading gives, where they differ, and the merge replays the switch.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..document_text.layout import UNICODE_NORM, Line, PageWordReader, Word, group_lines
from ..errors import InvalidInputError
from ..pdf_words import NO_TEXT, TextLayer, iter_page_words
from .bundle import read_statements
from .hints import parser_hints
from .models import ParsedStatement


def part_ranges(pages: int, per_part: int) -> list[range]:
    """The page ranges of the parts: ``per_part`` pages each, the last one what remains."""
    return [range(first, min(first + per_part, pages)) for first in range(0, pages, per_part)]


@dataclass(frozen=True)
class PageLines:
    """One page as a part read it: its lines, and what the merge needs to replay the
    document-wide word splitting (see the module docstring)."""

    index: int
    has_words: bool
    lines: list[Line]
    # This page turns on the splitting of spaceless text for itself and every later page.
    turns_spaceless: bool = False
    # The page's lines when an earlier page turned the splitting on (None: the same lines).
    spaceless_lines: list[Line] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index, "has_words": self.has_words, "lines": _lines_json(self.lines),
            "turns_spaceless": self.turns_spaceless,
            "spaceless_lines": None if self.spaceless_lines is None else _lines_json(self.spaceless_lines),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PageLines:
        index = data["index"]
        spaceless = data["spaceless_lines"]
        return cls(
            index, data["has_words"], _lines(data["lines"], index), data["turns_spaceless"],
            None if spaceless is None else _lines(spaceless, index),
        )


def read_part(path: str | Path, pages: range, layer: TextLayer = "pdfium") -> Iterable[PageLines]:
    """Yield the lines of each page in ``pages`` (one word extraction per page)."""
    reader = PageWordReader()  # the splitting as if no earlier page had turned it on
    for index, _, raw_words, draws_spaces in iter_page_words(
        path, unicode_norm=UNICODE_NORM, layer=layer, pages=pages
    ):
        was_spaceless = reader.spaceless
        words = reader.words(raw_words, draws_spaces)
        lines = group_lines(words, index)
        turns = reader.spaceless and not was_spaceless
        spaceless_lines = None
        if not reader.spaceless:  # an earlier part may have turned the splitting on
            split = PageWordReader()
            split.spaceless = True
            split_words = split.words(raw_words, draws_spaces)
            if split_words != words:
                spaceless_lines = group_lines(split_words, index)
        yield PageLines(index, bool(raw_words), lines, turns, spaceless_lines)


def merge_parts(
    pages: Sequence[PageLines],
    page_total: int,
    *,
    date_order: str | None = None,
    decimal: str | None = None,
) -> ParsedStatement:
    """The statement read from every page of it (in any order), exactly as
    :func:`~backend.services.statements.parse_statement` reads it; same errors."""
    hints = parser_hints(date_order, decimal)
    ordered = sorted(pages, key=lambda page: page.index)
    if [page.index for page in ordered] != list(range(page_total)):
        raise ValueError(f"parts cover pages {[page.index for page in ordered]}, not 0..{page_total - 1}")
    if not any(page.has_words for page in ordered):
        raise InvalidInputError(NO_TEXT)
    page_lines: list[list[Line]] = []
    spaceless = False
    for page in ordered:
        spaceless = spaceless or page.turns_spaceless
        split = page.spaceless_lines if spaceless else None
        page_lines.append(page.lines if split is None else split)
    return read_statements(page_lines, hints)


# Lines as JSON: [top, bottom, [word, ...]], a word [text, x0, x1, top, bottom, [piece, ...]].
# Floats survive JSON exactly (shortest repr), so the merge reads the very same boxes.
def _word_json(word: Word) -> list[Any]:
    return [word.text, word.x0, word.x1, word.top, word.bottom, [_word_json(p) for p in word.pieces]]


def _word(data: list[Any]) -> Word:
    text, x0, x1, top, bottom, pieces = data
    return Word(text, x0, x1, top, bottom, tuple(_word(piece) for piece in pieces))


def _lines_json(lines: Sequence[Line]) -> list[Any]:
    return [[line.top, line.bottom, [_word_json(word) for word in line.words]] for line in lines]


def _lines(data: list[Any], page: int) -> list[Line]:
    return [Line(tuple(_word(word) for word in words), top, bottom, page) for top, bottom, words in data]
