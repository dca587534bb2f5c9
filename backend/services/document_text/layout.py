"""Words and text lines of a page, built from one ``extract_words``-shaped word list per page.

Both parsers read documents as :class:`Line` objects made here: positioned words grouped by
baseline, numbers printed with space thousands separators joined back into one word.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from pathlib import Path
from statistics import median
from typing import Any

from ..pdf_words import TextLayer, UnicodeNorm, iter_page_words
from .tables import SYMBOL_CHARACTERS

# Composed characters (``é`` as one code point), whatever the PDF's font encoding did.
UNICODE_NORM: UnicodeNorm = "NFC"
# In a text layer without spaces, glyphs further apart than this many font sizes start a new
# word (measured: 0.20-0.35 between words, under 0.16 for kerning and OCR noise)...
_WORD_GAP = 0.17
# ...on a page where such gaps are at least this common (per word; 0-2 % on pages with spaces)
# among its first words.
_SPACELESS_SHARE, _SPACELESS_SAMPLE = 0.05, 300
# Words taller than this many times the page's median word height, and than this many points
# (so a page of tiny print keeps its normal text), are a watermark: Postbank's are 160-210 pt.
_WATERMARK_HEIGHT, _WATERMARK_MIN = 5.0, 50.0
# Words closer than this many points (touching, not overlapping) are one run of text.
_TOUCHING = 0.01
# Letter-spaced text: at least this many single letters in a row, each at most this many
# word heights from the next; a gap this many times the typical one between them ends a word.
_MIN_SPACED_LETTERS, _LETTER_SPACING, _SPACED_WORD_GAP = 3, 2.0, 2.0
# A skewed page (a sheet scanned askew, its OCR layer with it): its slope is read from runs of
# words drawn one after another left to right on one baseline (each within half a word height of
# the last) spanning at least this many points...
_SKEW_RUN_SPAN = 150.0
# ...and its words are turned straight (:func:`deskewed`) when at least this many runs agree, this
# share of them slopes the same way, and their median slope is at least this (0.2 degrees; a
# straight page's runs are flat, baseline jitter slopes either way).
_SKEW_MIN_RUNS, _SKEW_AGREEMENT, _SKEW_MIN_SLOPE = 5, 0.8, math.tan(math.radians(0.2))
# Two digits drawn over each other by more than this are separate numbers printed touching.
_OVERLAP_SPLIT = 0.3
# A number's first digit group may carry a sign or a currency symbol ("-€1 234,56"), its last
# group up to three decimals and a closing mark ("234,56-", "234.500)", "234,56Cr").
_DIGIT_GROUP_HEAD = re.compile(rf"^[(\-\u2212]?[{SYMBOL_CHARACTERS}]?\d{{1,3}}(?: \d{{3}})*$")
_DIGIT_GROUP_TAIL = re.compile(r"^\d{3}(?:[.,]\d{1,3})?(?:[)\-]|(?i:CR|DR))?$")


@dataclass(frozen=True, slots=True)
class Word:
    """One word and its box (PDF points, origin top-left).

    ``pieces`` is set when the word may really be several numbers printed touching each other
    (see :func:`_overlapping_digit_pieces`); the column reader decides whether to use them.
    """

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    pieces: tuple[Word, ...] = ()


@dataclass(frozen=True, slots=True)
class Line:
    """Words sharing a baseline, left to right, on page ``page`` (0-based)."""

    words: tuple[Word, ...]
    top: float
    bottom: float
    page: int = 0
    # The words joined by single spaces: read tens of times per line by the parser, so joined once.
    text: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", " ".join(word.text for word in self.words))

    @classmethod
    def of_words(cls, words: Sequence[Word], page: int = 0) -> Line:
        """``words`` (left to right, at least one) as one line, from its highest top to its lowest bottom."""
        return cls(tuple(words), min(word.top for word in words), max(word.bottom for word in words), page)

    def x_at(self, offset: int) -> float:
        """Left edge of the word holding character ``offset`` of :attr:`text` (``inf`` past the end).

        The space after a word counts as the word's.
        """
        if offset >= len(self.text):
            return math.inf
        next_start = 0
        for word in self.words:
            next_start += len(word.text) + 1
            if offset < next_start:
                return word.x0
        return math.inf

    def text_between(self, x_min: float, x_max: float) -> str:
        """The words whose left edge lies in ``[x_min, x_max)``."""
        return " ".join(word.text for word in self.words if x_min <= word.x0 < x_max)


def _overlapping_digit_pieces(chars: Sequence[Mapping[str, Any]]) -> tuple[Word, ...]:
    """The word split where one digit is drawn over the previous one (empty if it never is).

    Two right-aligned numbers that touch (``29.01.2016`` ending a description and ``1074935``
    starting an amount column) come out of pdfplumber as one word; the only trace of the
    boundary is that the second number's first glyph overlaps the first number's last one.
    Tight fonts overlap digits too, hence pieces are only used for words that straddle columns.
    """
    cuts = [
        index
        for index in range(1, len(chars))
        if chars[index]["x0"] < chars[index - 1]["x1"] - _OVERLAP_SPLIT
        and chars[index - 1]["text"].isdigit()
        and chars[index]["text"].isdigit()
    ]
    if not cuts:
        return ()
    bounds = [0, *cuts, len(chars)]
    return tuple(_word_from_chars(chars[low:high]) for low, high in pairwise(bounds))


def _word_from_chars(chars: Sequence[Mapping[str, Any]]) -> Word:
    return Word(
        "".join(char["text"] for char in chars),
        min(char["x0"] for char in chars),
        max(char["x1"] for char in chars),
        min(char["top"] for char in chars),
        max(char["bottom"] for char in chars),
    )


def _gap_cuts(chars: Sequence[Mapping[str, Any]]) -> list[int]:
    """Indexes where a glyph starts clearly apart from the previous one: a word boundary."""
    return [
        index
        for index in range(1, len(chars))
        if chars[index]["x0"] - chars[index - 1]["x1"]
        >= _WORD_GAP * (chars[index - 1].get("size") or chars[index - 1]["bottom"] - chars[index - 1]["top"])
    ]


class PageWordReader:
    """Turns each page's words (``extract_words`` with ``pdf_words.EXTRACT_WORDS_OPTIONS``) into words.

    Some text layers have no space characters at all (``PAYMENT-THANKYOU``): words are only
    told apart by a gap narrower than pdfplumber's 3-point tolerance. Once a page shows such
    gaps often, the document has that kind of text layer, and words are split at them on
    that page and every later one; on pages with spaces they are kerning or OCR noise, kept.
    A page that draws no space glyph at all (an OCR layer whose words are mostly far apart, so
    the narrow gaps after short words are rare: ``S de`` read ``Sde``) is split at them too,
    whatever the other pages are.
    """

    def __init__(self) -> None:
        self.spaceless = False

    def words(self, raw_words: Iterable[Mapping[str, Any]], draws_spaces: bool = True) -> list[Word]:
        """The page's words (see the class docstring for the splitting); ``draws_spaces``:
        whether the page draws any space glyph (``iter_page_words``)."""
        raw_words = [raw for raw in raw_words if raw["text"].strip()]
        if not self.spaceless:  # the page's first words tell; no need to measure every glyph
            sample = raw_words[:_SPACELESS_SAMPLE]
            gaps = sum(len(_gap_cuts(raw["chars"])) for raw in sample)
            self.spaceless = gaps >= _SPACELESS_SHARE * len(sample) > 0
        words: list[Word] = []
        for raw in raw_words:
            chars = raw["chars"]
            cuts = _gap_cuts(chars) if self.spaceless or not draws_spaces else []
            if cuts:
                for low, high in pairwise([0, *cuts, len(chars)]):
                    piece = chars[low:high]
                    words.append(replace(_word_from_chars(piece), pieces=_overlapping_digit_pieces(piece)))
            else:
                pieces = _overlapping_digit_pieces(chars)
                words.append(Word(raw["text"], raw["x0"], raw["x1"], raw["top"], raw["bottom"], pieces))
        return words


def _join_touching(words: list[Word]) -> list[Word]:
    """Join words that touch exactly: one run of text that the PDF drew in two pieces."""
    joined: list[Word] = []
    for word in words:
        if joined and abs(word.x0 - joined[-1].x1) < _TOUCHING:
            joined[-1] = _merged([joined[-1], word])
        else:
            joined.append(word)
    return joined


def _join_digit_groups(words: list[Word]) -> list[Word]:
    """Join numbers printed with spaces as thousands separators (``1 234,56``) into one word."""
    joined: list[Word] = []
    for word in words:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and _DIGIT_GROUP_HEAD.match(previous.text)
            and _DIGIT_GROUP_TAIL.match(word.text)
            and 0 <= word.x0 - previous.x1 <= (word.bottom - word.top) * 0.5
        ):
            joined[-1] = _merged([previous, word], " ")
        else:
            joined.append(word)
    return joined


def _merged(words: Sequence[Word], separator: str = "") -> Word:
    return Word(
        separator.join(word.text for word in words),
        words[0].x0,
        words[-1].x1,
        min(word.top for word in words),
        max(word.bottom for word in words),
    )


def _join_spaced_letters(words: list[Word]) -> list[Word]:
    """Re-form words printed letter-spaced (``A M Z N  M k t p  C A`` -> ``AMZN Mktp CA``).

    A run of at least three single letters, each close to the next, is letter-spaced text;
    inside it, a gap clearly wider than the typical one between letters separates words.
    """
    joined: list[Word] = []
    index = 0
    while index < len(words):
        end = index
        while (
            end + 1 < len(words)
            and _is_letter(words[end])
            and _is_letter(words[end + 1])
            and words[end + 1].x0 - words[end].x1 <= (words[end].bottom - words[end].top) * _LETTER_SPACING
        ):
            end += 1
        if end - index + 1 < _MIN_SPACED_LETTERS:
            joined.append(words[index])
            index += 1
            continue
        run = words[index : end + 1]
        gaps = [right.x0 - left.x1 for left, right in pairwise(run)]
        typical = median(gaps)
        start = 0
        for position, gap in enumerate(gaps, start=1):
            if gap > typical * _SPACED_WORD_GAP:
                joined.append(_merged(run[start:position]))
                start = position
        joined.append(_merged(run[start:]))
        index = end + 1
    return joined


def _is_letter(word: Word) -> bool:
    return len(word.text) == 1 and word.text.isalpha()


def _run_slopes(words: Sequence[Word]) -> Iterator[float]:
    """The slope (points down per point right) of each long run of words drawn one after another
    left to right on one baseline (``words`` in the PDF's drawing order)."""
    start = previous = None
    for word in [*words, None]:
        if (
            word is not None
            and previous is not None
            and word.x0 >= previous.x1
            and abs(word.bottom - previous.bottom) <= (previous.bottom - previous.top) / 2
        ):
            previous = word
            continue
        if start is not None and previous is not None and previous.x0 - start.x0 >= _SKEW_RUN_SPAN:
            yield (previous.bottom - start.bottom) / (previous.x0 - start.x0)
        start = previous = word


def page_slope(words: Sequence[Word]) -> float:
    """How far a baseline falls per point rightwards across the page: 0 unless the page is
    clearly skewed (see ``_SKEW_*``)."""
    slopes = list(_run_slopes(words))
    if len(slopes) < _SKEW_MIN_RUNS:
        return 0.0
    slope = median(slopes)
    agreeing = sum(1 for other in slopes if other * slope > 0)
    if abs(slope) < _SKEW_MIN_SLOPE or agreeing < _SKEW_AGREEMENT * len(slopes):
        return 0.0
    return slope


def deskewed(words: Sequence[Word], slope: float) -> list[Word]:
    """The words as they lie on the sheet turned straight: rotated by the page's ``slope``
    (:func:`page_slope`) about the middle of their extent, so baselines run level and columns
    straight down, header and foot of the page alike.

    Each word's ends lie on the skewed baseline through its middle, and its height is kept: words
    that touched still touch, and distances along a row keep their length.
    """
    if not words:
        return []
    pivot_x = (min(w.x0 for w in words) + max(w.x1 for w in words)) / 2
    pivot_y = (min(w.top for w in words) + max(w.bottom for w in words)) / 2
    cos, sin = math.cos(math.atan(slope)), math.sin(math.atan(slope))

    def turned(word: Word) -> Word:
        middle = (word.top + word.bottom) / 2 - pivot_y
        rise = slope * (word.x1 - word.x0) / 2  # how much lower the word's right end lies than its middle
        x0 = pivot_x + (word.x0 - pivot_x) * cos + (middle - rise) * sin
        x1 = pivot_x + (word.x1 - pivot_x) * cos + (middle + rise) * sin
        y = pivot_y + middle * cos - ((word.x0 + word.x1) / 2 - pivot_x) * sin
        half = (word.bottom - word.top) / 2
        return Word(word.text, x0, x1, y - half, y + half, tuple(turned(piece) for piece in word.pieces))

    return [turned(word) for word in words]


def group_lines(words: Iterable[Word], page: int = 0) -> list[Line]:
    """Group words into lines (a word joins a line if its vertical middle falls inside it).

    Within a line, numbers split by thousands spaces are joined back into one word, and
    letter-spaced words are re-formed. Glyphs many times taller than the page's text (a
    watermark across the page) are left out. A clearly skewed page (:func:`page_slope`,
    ``words`` in drawing order) is turned straight first (:func:`deskewed`): its lines and
    every word's position in them are the straightened ones, so a row whose left end lies a few
    points below its right is still one line, and an amount at the foot of the page lies under
    its column's header as it does at the top. Any other page's words keep their positions.
    """
    words = list(words)
    if words:  # a watermark's letters are many times taller than the text: not text lines
        tallest = max(median(word.bottom - word.top for word in words) * _WATERMARK_HEIGHT, _WATERMARK_MIN)
        words = [word for word in words if word.bottom - word.top <= tallest]
    slope = page_slope(words)
    if slope:
        words = deskewed(words, slope)
    lines: list[list[Word]] = []
    band = (0.0, -1.0)
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        middle = (word.top + word.bottom) / 2
        if lines and band[0] <= middle <= band[1]:
            lines[-1].append(word)
        else:
            lines.append([word])
            band = (word.top, word.bottom)
    return [
        Line(
            tuple(_join_spaced_letters(_join_digit_groups(_join_touching(sorted(line, key=lambda w: w.x0))))),
            min(w.top for w in line),
            max(w.bottom for w in line),
            page,
        )
        for line in lines
    ]


def read_page_lines(path: str | Path, layer: TextLayer = "pdfium") -> Iterator[tuple[int, int, list[Line]]]:
    """Yield ``(page_index, page_count, lines)`` for each page of the PDF at ``path``.

    One word extraction per page, by PDFium where it gives pdfplumber's words (see
    :func:`~backend.services.pdf_words.iter_page_words` for the layers and the errors a bad PDF
    raises); each page is closed once read.
    """
    reader = PageWordReader()
    pages = iter_page_words(path, unicode_norm=UNICODE_NORM, layer=layer)
    for index, count, raw_words, draws_spaces in pages:
        yield index, count, group_lines(reader.words(raw_words, draws_spaces), index)


def word_runs(line: Line, max_gap: float) -> list[list[Word]]:
    """Split a line into runs of words (a label, a value) at gaps wider than ``max_gap`` word heights.

    Words stacked above each other (a two-line table header) fall in the same run where they
    overlap across: a word only near one on the other line stays apart (a group label such as
    "SALDO" over "OPERACIÓN  LIQUIDACIÓN" ends a word space right of the label "ABONOS" under
    the line it is on, and heads only the columns it is printed over).
    """
    runs: list[list[Word]] = []
    bands: list[list[float]] = []  # top, bottom and right edge of the last run's words, per printed line
    for word in sorted(line.words, key=lambda w: w.x0):
        band = next((b for b in bands if word.top < b[1] and b[0] < word.bottom), None)
        reach = (word.bottom - word.top) * max_gap
        # on its own line within reach of the run's right edge, or across one printed above or below
        joins = (band is not None and word.x0 - band[2] <= reach) or any(
            word.x0 < other[2] for other in bands if other is not band
        )
        if runs and joins:
            runs[-1].append(word)
            if band is None:
                bands.append([word.top, word.bottom, word.x1])
            else:
                band[2] = max(band[2], word.x1)
        else:
            runs.append([word])
            bands = [[word.top, word.bottom, word.x1]]
    return runs


def run_text(run: Sequence[Word]) -> str:
    """The words of a run in reading order: line by line, left to right."""
    top, height = min(w.top for w in run), run[0].bottom - run[0].top
    return " ".join(w.text for w in sorted(run, key=lambda w: (round((w.top - top) / height), w.x0)))


def stack(upper: Line, lower: Line) -> Line:
    """One line made of two (for a table header printed on two lines)."""
    return Line(
        tuple(sorted(upper.words + lower.words, key=lambda w: w.x0)), upper.top, lower.bottom, upper.page
    )


def typical_height(lines: Sequence[Line]) -> float:
    """The median word height on these lines (10 points if there are none)."""
    heights = [word.bottom - word.top for line in lines for word in line.words]
    return median(heights) if heights else 10.0
