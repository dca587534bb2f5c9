"""Money, currency and date parsing for invoice text (pure functions, no PDF access).

Candidates for sharing with the statement parser (``backend/services/statements/``),
which parses the same kinds of amounts and dates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

# Symbols and the ISO 4217 code they stand for. A bare "$" is read as USD: documents in
# other dollars print a prefixed symbol ("CA$", "A$") or an ISO code, which win here.
_CURRENCY_SYMBOLS = {
    "US$": "USD",
    "CA$": "CAD",
    "C$": "CAD",
    "AU$": "AUD",
    "A$": "AUD",
    "€": "EUR",
    "£": "GBP",
    "$": "USD",
}
_CURRENCY_CODES = (
    "EUR", "USD", "GBP", "CHF", "CAD", "AUD", "NZD", "JPY",
    "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "SGD", "HKD",
)


def _alternation(options: Iterable[str]) -> str:
    """A regex alternation of literal options, longest first so prefixes never win."""
    return "|".join(re.escape(option) for option in sorted(options, key=len, reverse=True))


_CODE = _alternation(_CURRENCY_CODES)
_SYMBOL = _alternation(_CURRENCY_SYMBOLS)
# Thousands groups separated by "." "," "'" or a non-breaking space, then 1-2 decimals.
_NUMBER = r"\d{1,3}(?:[.,'\u00a0\u202f]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_MONEY_RE = re.compile(
    rf"(?<![\w.,/])(?P<sign>-\s?)?(?:(?P<code>{_CODE})\s?)?(?:(?P<symbol>{_SYMBOL})\s?)?"
    rf"(?P<sign2>-)?(?P<number>{_NUMBER})(?![\w%/]|[.,]\d)"
    # A trailing currency, unless it is the prefix of the next amount ("$ 112.90 $ 16.94").
    rf"(?:\s?(?P<post>{_CODE}|{_SYMBOL})(?![A-Za-z])(?!\s?-?\d))?"
)
_DECIMALS_RE = re.compile(r"([.,])(\d{1,2})$")
_NON_DIGITS = re.compile(r"\D")


@dataclass(frozen=True)
class Money:
    """An amount found in text, with the currency printed next to it (if any)."""

    amount: Decimal
    currency: str | None


def parse_money(text: str) -> Decimal | None:
    """Parse one printed amount: ``"$ 42.00"``, ``"€ 399,00"``, ``"1.234,56"``, ``"1,234.56"``.

    Returns ``None`` when ``text`` is not exactly one amount. A separator followed by
    exactly three digits is a thousands separator (``"1.234"`` is 1234.00).
    """
    match = _MONEY_RE.fullmatch(text.strip())
    money = _money_from_match(match) if match else None
    return money.amount if money else None


def find_money(text: str) -> list[Money]:
    """All amounts in ``text`` that are recognisably money: with decimals or a currency.

    Bare integers ("15 days", "Seite 2", VAT ids) are not money.
    """
    found = []
    for match in _MONEY_RE.finditer(text):
        money = _money_from_match(match)
        has_decimals = _DECIMALS_RE.search(match["number"]) is not None
        if money and (has_decimals or money.currency):
            found.append(money)
    return found


def _money_from_match(match: re.Match[str]) -> Money | None:
    """Build a Money from a ``_MONEY_RE`` match; ``None`` if its separators are inconsistent."""
    amount = _number_to_decimal(match["number"])
    if amount is None:
        return None
    if match["sign"] or match["sign2"]:
        amount = -amount
    marker = match["code"] or match["symbol"] or match["post"]
    return Money(amount, _CURRENCY_SYMBOLS.get(marker, marker) if marker else None)


def _number_to_decimal(number: str) -> Decimal | None:
    """``"1.234,56"`` -> ``Decimal("1234.56")``; always at least two decimal places."""
    integer, decimals = number, ""
    tail = _DECIMALS_RE.search(number)
    if tail:
        integer, decimals = number[: tail.start()], tail.group(2)
        if tail.group(1) in integer:  # "1.234.56": one separator cannot be both
            return None
    digits = _NON_DIGITS.sub("", integer)
    return Decimal(f"{digits}.{decimals.ljust(2, '0')}")


_MONTHS = {
    # English
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    # German
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "maerz": 3, "mai": 5, "juni": 6,
    "juli": 7, "oktober": 10, "dezember": 12, "jän": 1, "mär": 3, "okt": 10, "dez": 12,
    # Dutch
    "januari": 1, "februari": 2, "maart": 3, "mei": 5, "augustus": 8, "mrt": 3,
}
_MONTH = _alternation(_MONTHS)
_ISO_RE = re.compile(r"(?<!\d)(?<!\d[./-])(\d{4})-(\d{1,2})-(\d{1,2})(?!\d|[./-]\d)")
_NUMERIC_RE = re.compile(
    r"(?<!\d)(?<!\d[./-])(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?!\d|[./-]\d)"
)
_DAY_MONTH_RE = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:\.|st|nd|rd|th)?[\s-]*({_MONTH})(?!\w)\.?[\s,-]*(\d{{4}})(?!\d)",
    re.IGNORECASE,
)
_MONTH_DAY_RE = re.compile(
    rf"(?<!\w)({_MONTH})(?!\w)\.?\s*(\d{{1,2}})(?:st|nd|rd|th)?,?\s*(\d{{4}})(?!\d)",
    re.IGNORECASE,
)


def parse_date(text: str, day_first: bool | None = None) -> date | None:
    """Parse one printed date; ``None`` if ``text`` is not exactly a (valid) date.

    Understands ISO ``2014-05-07``, ``07.05.2014`` / ``07.05.14`` (always day first),
    ``05/07/2014`` and ``05-07-2014`` (order from ``day_first``; when it is ``None``
    only unambiguous dates such as ``03/20/2023`` parse), and month names in English,
    German and Dutch: ``7. Mai 2014``, ``19 april 2014``, ``March 20, 2023``.
    """
    stripped = text.strip()
    return next(
        (found for start, end, found in _dates_in(stripped, day_first)
         if (start, end) == (0, len(stripped))),
        None,
    )


def find_date(text: str, day_first: bool | None = None) -> date | None:
    """The first date printed in ``text`` (see :func:`parse_date` for the formats)."""
    candidates = sorted(_dates_in(text, day_first), key=lambda found: found[0])
    return candidates[0][2] if candidates else None


def numeric_date_order(texts: Iterable[str], currency: str | None) -> bool | None:
    """Whether ``a/b/yyyy`` (and ``a-b-yyyy``) dates in a document are day first.

    Evidence in the document wins (a first part above 12 means day first, a second part
    above 12 month first). Without it: US-dollar documents write month first, documents
    in any other known currency day first; unknown currency -> ``None`` (ambiguous).
    """
    day_first_seen = month_first_seen = False
    for text in texts:
        for match in _NUMERIC_RE.finditer(text):
            if match[2] != ".":
                day_first_seen |= int(match[1]) > 12
                month_first_seen |= int(match[3]) > 12
    if day_first_seen != month_first_seen:
        return day_first_seen
    if day_first_seen or currency is None:
        return None
    return currency != "USD"


def _dates_in(text: str, day_first: bool | None) -> Iterator[tuple[int, int, date]]:
    """Every valid date in ``text`` as ``(start, end, date)``."""
    for match in _ISO_RE.finditer(text):
        yield from _located(match, _safe_date(int(match[1]), int(match[2]), int(match[3])))
    for match in _NUMERIC_RE.finditer(text):
        yield from _located(match, _numeric_date(match, day_first))
    for match in _DAY_MONTH_RE.finditer(text):
        month = _MONTHS[match[2].lower()]
        yield from _located(match, _safe_date(int(match[3]), month, int(match[1])))
    for match in _MONTH_DAY_RE.finditer(text):
        month = _MONTHS[match[1].lower()]
        yield from _located(match, _safe_date(int(match[3]), month, int(match[2])))


def _located(match: re.Match[str], found: date | None) -> Iterator[tuple[int, int, date]]:
    """Yield ``found`` with the span of ``match``, unless it is not a valid date."""
    if found is not None:
        yield match.start(), match.end(), found


def _numeric_date(match: re.Match[str], day_first: bool | None) -> date | None:
    """Resolve ``a<sep>b<sep>year``; dotted dates are always day first."""
    first, second, year = int(match[1]), int(match[3]), _full_year(match[4])
    if match[2] == "." or first > 12 or first == second:
        day_first = True
    elif second > 12:
        day_first = False
    if day_first is None:
        return None
    day, month = (first, second) if day_first else (second, first)
    return _safe_date(year, month, day)


def _full_year(year: str) -> int:
    """Two-digit years: 00-69 -> 2000s, 70-99 -> 1900s (the ``strptime('%y')`` pivot)."""
    value = int(year)
    if len(year) == 4:
        return value
    return 2000 + value if value < 70 else 1900 + value


def _safe_date(year: int, month: int, day: int) -> date | None:
    """``date(year, month, day)``, or ``None`` when that day does not exist."""
    try:
        return date(year, month, day)
    except ValueError:
        return None
