"""A page's lines kept compactly, to be read again later as the very same lines.

A :class:`~.layout.Word` costs ~220 bytes (the object, its text, four float objects); a page of
a statement prints ~400 of them. A reading that may need a page's lines again after the page is
done (the statement parser reading a range of pages on its own, ``statements/bundle.py``)
keeps them here instead: the texts in one string, the boxes in an array of doubles (~45 bytes
a word), so the whole document's pages cost a few MB at 200 pages rather than ~20 MB.
:meth:`PackedLines.lines` gives back lines equal to those packed (the same texts, the same
floats), on the page asked for.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass

from .layout import Line, Word


@dataclass(frozen=True, slots=True)
class PackedLines:
    """One page's lines: every word's text, and its box, in page order (see the module doc)."""

    texts: str  # the words' texts, one after the other
    lengths: array[int]  # each word's text length
    boxes: array[float]  # x0, x1, top, bottom of each word
    line_boxes: array[float]  # top, bottom of each line
    line_sizes: array[int]  # how many words each line has
    # The words cut into pieces (rare: ``layout._overlapping_digit_pieces``), by word index.
    pieces: tuple[tuple[int, tuple[Word, ...]], ...]

    @classmethod
    def pack(cls, lines: Sequence[Line]) -> PackedLines:
        """``lines`` kept compactly (their page number is not kept: :meth:`lines` is given one)."""
        words = [word for line in lines for word in line.words]
        return cls(
            "".join(word.text for word in words),
            array("I", [len(word.text) for word in words]),
            array("d", [edge for word in words for edge in (word.x0, word.x1, word.top, word.bottom)]),
            array("d", [edge for line in lines for edge in (line.top, line.bottom)]),
            array("I", [len(line.words) for line in lines]),
            tuple((index, word.pieces) for index, word in enumerate(words) if word.pieces),
        )

    def lines(self, page: int) -> list[Line]:
        """The lines packed, on page ``page``."""
        pieces = dict(self.pieces)
        texts, boxes = self.texts, self.boxes
        lines: list[Line] = []
        first = start = 0  # the line's first word, its text's start
        for number, size in enumerate(self.line_sizes):
            words = []
            for index in range(first, first + size):
                end = start + self.lengths[index]
                x0, x1, top, bottom = boxes[4 * index : 4 * index + 4]
                words.append(Word(texts[start:end], x0, x1, top, bottom, pieces.get(index, ())))
                start = end
            first += size
            top, bottom = self.line_boxes[2 * number : 2 * number + 2]
            lines.append(Line(tuple(words), top, bottom, page))
        return lines
