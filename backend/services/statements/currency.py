"""The currency a statement's amounts are in (ISO 4217), when the document shows it.

Evidence, strongest first; the first kind that shows any currency decides:

1. the table: currency codes and symbols in its header (``AMOUNT (SGD)``, ``Belastung in EUR``,
   ``AMOUNT($)``) and printed with its amounts, also in letters after them (``-1 284,50 Kč``;
   ``kr``, a krona or a krone, names none);
2. the text outside the table: amounts printed with a currency (``Neuer Kontostand EUR
   + 5.314,05``, ``S$22,058.11``), read by :func:`~..document_text.money.find_money`, and
   currency symbols printed alone (a form's ``BALANCE THIS STATEMENT $``).

Foreign-currency lines ("FOREIGN CURRENCY 22.54 USD") name what a row was converted *from*:
never the statement's currency, nor evidence for it.

Two different currencies in the deciding evidence: unknown. A bare ``$`` names no currency
by itself (USD, CAD, SGD, AUD...): it is decided only by a dollar named in words ("in U.S.
dollars", "Singapore Dollars") or by a bank whose statements' ``$`` is its home dollar
(:data:`~..document_text.names.DOLLAR_BANKS`), and only when those agree and the dollar
is not a foreign one of the same document. Otherwise the currency is unknown (``None``):
never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ..document_text.money import find_money
from ..document_text.names import DOLLAR_BANKS
from ..document_text.tables import (
    AMBIGUOUS_DOLLAR,
    CURRENCY_CODES,
    CURRENCY_SUFFIXES,
    CURRENCY_SYMBOLS,
    DOLLAR_CURRENCIES,
    DOLLAR_NAMES,
    alternation,
)
from .keywords import is_foreign_currency_note

# A currency code or symbol printed as a token of its own (header labels, amount cells).
_TOKEN = re.compile(
    rf"(?<![A-Za-z])(?P<symbol>{alternation(CURRENCY_SYMBOLS)})|\b(?P<code>{alternation(CURRENCY_CODES)})\b"
)
# A currency printed in letters after an amount ("-1 284,50 Kč", "87,64 zł"): only after a digit.
_SUFFIX = re.compile(rf"(?<=\d)\s?(?P<suffix>{alternation(CURRENCY_SUFFIXES)})(?!\w)", re.IGNORECASE)
_SUFFIX_CODES = {word.lower(): code for word, code in CURRENCY_SUFFIXES.items()}
_DOLLAR_NAME = re.compile(rf"\b(?P<name>{alternation(DOLLAR_NAMES)})\s+dollars?\b", re.IGNORECASE)
_BANK = re.compile(rf"\b(?:{alternation(DOLLAR_BANKS)})\b")


def _tokens(texts: Iterable[str], codes: bool = True) -> set[str]:
    """Every currency printed as a token in ``texts`` (only symbols unless ``codes``); a bare
    ``$`` as :data:`AMBIGUOUS_DOLLAR`."""
    found: set[str] = set()
    for text in texts:
        for match in _TOKEN.finditer(text):
            symbol = match["symbol"]
            if symbol == AMBIGUOUS_DOLLAR:
                found.add(AMBIGUOUS_DOLLAR)
            elif symbol:
                found.add(CURRENCY_SYMBOLS[symbol])
            elif codes:
                found.add(match["code"])
        found.update(
            code for match in _SUFFIX.finditer(text) if (code := _SUFFIX_CODES[match["suffix"].lower()])
        )
    return found


def _with_amounts(texts: Iterable[str]) -> set[str]:
    """Every currency printed next to an amount in ``texts``; a bare ``$`` as :data:`AMBIGUOUS_DOLLAR`."""
    return {
        AMBIGUOUS_DOLLAR if money.printed == AMBIGUOUS_DOLLAR else money.currency
        for text in texts
        for money in find_money(text)
        if money.currency
    }


def _named_dollar(texts: Sequence[str], bank_name: str | None, foreign: set[str]) -> str | None:
    """The one dollar the words (other than a foreign one) and the bank name agree on, else ``None``."""
    named = {DOLLAR_NAMES[m["name"].lower()] for text in texts for m in _DOLLAR_NAME.finditer(text)} - foreign
    bank = _BANK.search(bank_name.lower()) if bank_name else None
    candidates = {named.pop()} if len(named) == 1 else set()
    if bank is not None:
        candidates.add(DOLLAR_BANKS[bank.group()])
    return candidates.pop() if len(candidates) == 1 else None


def _decide(found: set[str], texts: Sequence[str], bank_name: str | None, foreign: set[str]) -> str | None:
    """One kind of evidence's currency (see the module docstring)."""
    specific = found - {AMBIGUOUS_DOLLAR}
    if len(specific) > 1:
        return None
    if specific:
        currency = specific.pop()
        return None if AMBIGUOUS_DOLLAR in found and currency not in DOLLAR_CURRENCIES else currency
    dollar = _named_dollar(texts, bank_name, foreign)
    return None if dollar is None or dollar in foreign else dollar


def find_currency(
    header_texts: Sequence[str],
    money_texts: Sequence[str],
    text_lines: Sequence[str],
    foreign_notes: Sequence[str] = (),
    bank_name: str | None = None,
) -> str | None:
    """The statement's ISO 4217 currency code, or ``None`` when the document does not show it.

    ``header_texts``: the table headers; ``money_texts``: the table's money cells;
    ``text_lines``: the text outside the table; ``foreign_notes``: the foreign-currency lines
    under rows; ``bank_name``: as :func:`~.bank_name.find_bank_name` read it.
    """
    notes = [*foreign_notes, *(text for text in text_lines if is_foreign_currency_note(text))]
    foreign = _with_amounts(notes) - {AMBIGUOUS_DOLLAR}
    outside = [text for text in text_lines if not is_foreign_currency_note(text)]
    texts = [*outside, *header_texts]
    table = _tokens([*header_texts, *money_texts])
    for found in (table, _with_amounts(outside) | _tokens(outside, codes=False)):
        if found:
            return _decide(found, texts, bank_name, foreign)
    return None
