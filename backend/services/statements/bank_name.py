"""The bank's name as printed on a statement's first page, and a stable slug of it.

A name is a short run of words in title or upper case that ends before an address (a comma,
a digit, a separator) and says it is an organisation: a bank word ("Bank", "Banque",
"Sparkasse", "...bank"), a well-known bank, or a legal form / organisation word ("plc", "eG",
"N.A.", "Services", "Trust") backed by letterhead evidence. Candidates are scored on that
evidence and where they are printed: a larger type than the page's text, the top of page 1,
a web address or BIC/SWIFT code beside them. A customer's name (after a salutation), a
product or document title ("TD Emerald Flex Rate Card", "Current Account Statement"), a
label ("Postbank Direkt-Service:") and running text never qualify. Where nothing qualifies
(the name drawn as a logo), a well-known bank whose web or e-mail domain the letterhead prints
("33999@cic.fr" under CIC's drawn logo) is the name, spelt as the table of known banks spells
it. Otherwise ``None``: a logo drawn as an image has no text to read, and a guess would be a
wrong name ("www.mercurycards.com" names no bank the parser knows).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from statistics import median

from ..document_text.layout import Line, Word, word_runs
from ..document_text.names import (
    BANK_WORDS,
    CONTACT_LINE,
    GENERIC_BANK_WORDS,
    KNOWN_BANK_DOMAINS,
    KNOWN_BANKS,
    LEGAL_FORMS,
    NAME_PARTICLES,
    ORGANISATION_ENDINGS,
    PRODUCT_ENDINGS,
    SALUTATIONS,
    WEB_HOST,
)

_SLUG_WORDS = re.compile(r"[a-z0-9]+")
_NAME_SEPARATORS = frozenset({"-", "–", "—", "|", "•", "·"})
# A name is at most this many words; a longer run is a sentence or a title.
_MAX_NAME_WORDS = 6
# Printed at least this many times the page's typical word height: letterhead type.
_LARGE = 1.3
# The letterhead: the top quarter of page 1's text.
_TOP_SHARE = 0.25
# A web address or BIC/SWIFT code at most this many lines away is the bank's contact block.
_CONTACT_LINES = 3
# Words of one visual line: centres within half a word height, heights within this ratio.
_SAME_ROW_HEIGHTS = 1.5


def bank_slug(name: str) -> str | None:
    """A short identifier for a bank name: ``"First Prairie National Bank"`` -> ``"first_prairie"``."""
    words = [word for word in _SLUG_WORDS.findall(name.lower()) if word not in GENERIC_BANK_WORDS]
    return "_".join(words) or None


def find_bank_name(lines: Sequence[Line]) -> str | None:
    """The bank's name as printed on page 1 (see the module docstring), or ``None`` if none qualifies."""
    page = _visual_lines([line for line in lines if line.page == 0])
    if not page:
        return None
    typical = median(word.bottom - word.top for line in page for word in line.words)
    first_top, last_bottom = page[0].top, max(line.bottom for line in page)
    top_limit = first_top + (last_bottom - first_top) * _TOP_SHARE
    contacts = [index for index, line in enumerate(page) if CONTACT_LINE.search(line.text)]
    best: tuple[int, str] | None = None
    earlier: list[list[Word]] = []
    for index, line in enumerate(page):
        for run in word_runs(line, 1.0):
            words = _name_words(run)
            if words and bank_slug(" ".join(_clean(word.text) for word in words)) is None:
                # "BANK" alone: the rest of the name is stacked above it
                words = [w for group in _stacked_above(earlier, words) for w in group]
            earlier.append(run)
            if not words:
                continue
            large = min(word.bottom - word.top for word in words) >= _LARGE * typical
            near_contact = any(abs(index - other) <= _CONTACT_LINES for other in contacts)
            score = _evidence(words, large or near_contact)
            if score is None:
                continue
            score += large + near_contact + (line.top <= top_limit)
            if best is None or score > best[0]:
                best = (score, " ".join(_clean(word.text) for word in words))
    if best is not None:
        return best[1]
    return _bank_of_domain([line for line in page if line.top <= top_limit])


def _bank_of_domain(letterhead: Sequence[Line]) -> str | None:
    """The known bank whose web or e-mail domain ``letterhead`` prints ("33999@cic.fr": CIC)."""
    for line in letterhead:
        for found in WEB_HOST.finditer(line.text):
            for label in found.group("host").casefold().split("."):
                if label in KNOWN_BANK_DOMAINS:
                    return KNOWN_BANK_DOMAINS[label]
    return None


def _name_words(run: Sequence[Word]) -> list[Word]:
    """The words of ``run`` that can be a name: up to an address, none if the run is a label or a title."""
    ordered = sorted(run, key=lambda w: w.x0)
    if _clean(ordered[-1].text).lower() in PRODUCT_ENDINGS:
        return []  # "OCBC 365 CREDIT CARD": a product's title, not a name followed by an address
    words: list[Word] = []
    for word in ordered:
        text = word.text
        if text in _NAME_SEPARATORS or any(char.isdigit() for char in text):
            break
        if text.endswith(":"):
            return []  # a label: "Postbank Direkt-Service:"
        words.append(word)
        if text.endswith((",", ";")) or (text.endswith(".") and text not in LEGAL_FORMS):
            break
    return words


def _evidence(words: Sequence[Word], letterhead: bool) -> int | None:
    """How strongly ``words`` read as a bank's name, or ``None`` if they cannot be one."""
    texts = [_clean(word.text) for word in words]
    if not texts or len(texts) > _MAX_NAME_WORDS or texts[0].lower().rstrip(".") in SALUTATIONS:
        return None
    if texts[-1].lower() in PRODUCT_ENDINGS or not all(_title_like(text) for text in texts):
        return None
    name = " ".join(texts)
    if bank_slug(name) is None:
        return None
    bank, brand = bool(BANK_WORDS.search(name)), bool(KNOWN_BANKS.search(name))
    legal, organisation = texts[-1] in LEGAL_FORMS, texts[-1].lower() in ORGANISATION_ENDINGS
    if not (bank or brand or ((legal or organisation) and letterhead)):
        return None
    return 2 * bank + 2 * legal + brand + organisation


def _title_like(word: str) -> bool:
    """A word of a printed name: capitalised, a particle ("du", "of"), a legal form ("eG")."""
    lowered = word.lower()
    if lowered in NAME_PARTICLES or word in LEGAL_FORMS:
        return True
    if lowered.startswith(("d'", "l'", "d’", "l’")):
        word = word[2:]
    return bool(word) and word[0].isupper()


def _clean(text: str) -> str:
    """A word as part of a name: without the comma or full stop after it (kept in "N.A.", "Inc.")."""
    text = text.rstrip(",;")
    return text if text in LEGAL_FORMS else text.rstrip(".")


def _stacked_above(runs: Sequence[list[Word]], last: list[Word]) -> list[list[Word]]:
    """``last`` and the runs printed right above it, left-aligned with it (a name on several lines)."""
    stacked = [last]
    for run in reversed(runs):
        top = stacked[0]
        height = top[0].bottom - top[0].top
        aligned = abs(run[0].x0 - top[0].x0) <= height
        if aligned and 0 <= top[0].top - run[0].bottom <= height:
            stacked.insert(0, run)
        elif run[0].bottom <= top[0].top - height:
            break
    return stacked


def _visual_lines(lines: Sequence[Line]) -> list[Line]:
    """``lines`` with any line that mixes rows of different type split into its visual rows.

    A tall logo glyph spanning a letterhead block makes the line grouping put the block's
    lines into one ("I OCBC 65 Chulia Bank Street, ..."); the name must come out alone.
    """
    result: list[Line] = []
    for line in lines:
        words = line.words
        lowest = min(word.bottom - word.top for word in words)
        if max(word.top for word in words) - min(word.top for word in words) <= lowest / 2:
            result.append(line)
            continue
        rows: list[list[Word]] = []
        for word in sorted(words, key=lambda w: w.x0):
            row = next((row for row in rows if _same_row(row[0], word)), None)
            if row is None:
                rows.append([word])
            else:
                row.append(word)
        result.extend(Line.of_words(row, line.page) for row in rows)
    return sorted(result, key=lambda line: line.top)


def _same_row(first: Word, word: Word) -> bool:
    heights = sorted((first.bottom - first.top, word.bottom - word.top))
    centre_gap = abs((first.top + first.bottom) - (word.top + word.bottom)) / 2
    return heights[1] <= heights[0] * _SAME_ROW_HEIGHTS and centre_gap <= heights[0] / 2
