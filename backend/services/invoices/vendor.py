"""Find the vendor (issuer) name of an invoice.

In order of evidence: a "Vendor:"-style label; else the first company name on the first
page carrying a legal form ("QualityHosting AG", "Coolblue B.V."); else a first-page
line spelling the vendor's printed website ("Azure Interior" for www.azure-interior.com).
Nothing found -> ``None``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from backend.services.document_text.layout import Line, Word
from backend.services.document_text.names import LEGAL_FORMS
from backend.services.invoices.labels import Field, LabelHit

# Words that end a company name when reading backwards from its legal form.
_TITLE_WORDS = frozenset({"invoice", "rechnung", "factuur", "facture", "from", "von", "van"})
_SEPARATORS = frozenset({"-", "–", "|", "•", "·"})
_MAX_NAME_WORDS = 5
_LETTER = re.compile(r"[^\W\d_]")
_NOT_ALPHANUMERIC = re.compile(r"[\W_]")
_WEBSITE_RE = re.compile(r"(?:https?://(?:www\.)?|(?<![\w@.])www\.)([a-z0-9-]+)\.[a-z]{2,}", re.IGNORECASE)


def find_vendor(lines: Sequence[Line], hits: Sequence[LabelHit]) -> str | None:
    """The vendor's name, or ``None`` when the document gives no evidence of it."""
    first_page = [line for line in lines if line.page == 0]
    return _labelled_vendor(hits) or _legal_entity(first_page) or _website_name(first_page)


def _labelled_vendor(hits: Sequence[LabelHit]) -> str | None:
    """The text after the first "Vendor:"-style label that has any."""
    values = (hit.segment.strip(" :") for hit in hits if hit.spec.field is Field.VENDOR)
    return next((value for value in values if _LETTER.search(value)), None)


def _legal_entity(lines: Sequence[Line]) -> str | None:
    """The first "<Name> <legal form>" in reading order."""
    for line in lines:
        words = [word.text for word in line.words]
        for position, word in enumerate(words):
            if word.rstrip(",;") in LEGAL_FORMS:
                name = _name_before(words[:position])
                if name:
                    return f"{' '.join(name)} {word.rstrip(',;')}"
    return None


def _name_before(words: Sequence[str]) -> list[str]:
    """The words of a company name ending just before its legal form (maybe none)."""
    name: list[str] = []
    for word in reversed(words):
        ends_phrase = word[-1] in ".:;,"
        if (
            ends_phrase
            or word in _SEPARATORS
            or word.lower() in _TITLE_WORDS
            or any(char.isdigit() for char in word)
            or len(name) == _MAX_NAME_WORDS
        ):
            break
        name.insert(0, word)
    return name


def _website_name(lines: Sequence[Line]) -> str | None:
    """A run of words on a line that spells a printed website's name."""
    names = {_squash(match[1]) for line in lines for match in _WEBSITE_RE.finditer(line.text)}
    if not names:
        return None
    for line in lines:
        for start in range(len(line.words)):
            run = _run_spelling(line.words[start:], names)
            if run:
                return run
    return None


def _run_spelling(words: Sequence[Word], names: set[str]) -> str | None:
    """The shortest run of ``words`` (from the first) whose letters spell one of ``names``."""
    letters = ""
    for end, word in enumerate(words, start=1):
        letters += _squash(word.text)
        if not letters:  # a run never starts with punctuation
            return None
        if letters in names:
            return " ".join(w.text for w in words[:end])
        if not any(name.startswith(letters) for name in names):
            return None
    return None


def _squash(text: str) -> str:
    """Lower-case letters and digits only: "Azure Interior" -> "azureinterior"."""
    return _NOT_ALPHANUMERIC.sub("", text).lower()
