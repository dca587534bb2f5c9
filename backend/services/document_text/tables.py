"""Character classes and tables shared by the money and date readers (the DRY home for them)."""

from __future__ import annotations

import re
from collections.abc import Iterable

# Spaces used as thousands separators: plain, no-break, narrow no-break, thin.
SPACES = " \u00a0\u202f\u2009"
# Apostrophes used as thousands separators (Swiss ``1'234.50``, typographic ``1’234.50``).
APOSTROPHES = "'\u2019"
# Minus signs: hyphen-minus, the real minus sign, an en dash used as one.
MINUS_SIGNS = "-\u2212\u2013"

# Currency symbols and the ISO 4217 code they stand for. A bare "$" is read as USD by the invoice
# reader: documents in other dollars print a prefixed symbol ("CA$", "A$", "S$") or an ISO code,
# which win. Statements treat it as :data:`AMBIGUOUS_DOLLAR` (see ``statements.currency``).
CURRENCY_SYMBOLS: dict[str, str] = {
    "US$": "USD",
    "CA$": "CAD",
    "C$": "CAD",
    "AU$": "AUD",
    "A$": "AUD",
    "S$": "SGD",
    "HK$": "HKD",
    "NZ$": "NZD",
    "R$": "BRL",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
    "₩": "KRW",
    "₽": "RUB",
    "₺": "TRY",
    "₪": "ILS",
    "$": "USD",
}
# Currencies printed as a letter before an amount ("R 12 345,00": the South African rand), with the
# ISO 4217 code each stands for. Only before an amount with decimals, and not inside a word: a lone
# "R" before a whole number is as often a reference or a row. Kept out of the symbols, whose last
# characters make a character class (a letter there would read "EUR" as a symbol).
CURRENCY_LETTER_PREFIXES: dict[str, str] = {"R": "ZAR"}
# The single characters among the symbols (for character classes).
SYMBOL_CHARACTERS = "".join(sorted({symbol[-1] for symbol in CURRENCY_SYMBOLS}))
CURRENCY_CODES = (
    "EUR", "USD", "GBP", "CHF", "CAD", "AUD", "NZD", "JPY", "SEK", "NOK", "DKK", "PLN", "CZK",
    "HUF", "SGD", "HKD", "INR", "ZAR", "MXN", "BRL", "CNY", "KWD", "BHD", "OMR", "JOD", "TND",
    "AED", "TRY",
    "CLP", "KRW",
)  # fmt: skip
# ISO 4217 minor units of the currencies above that have not two: how many decimals their
# amounts print (none: "48.230" is 48230 pesos; three: 48.230 dinars).
MINOR_UNITS = {"JPY": 0, "KRW": 0, "CLP": 0, "KWD": 3, "BHD": 3, "OMR": 3, "JOD": 3, "TND": 3}

# Currencies printed in letters after an amount ("-1 284,50 Kč", "87,64 zł", "12 500 Ft", Turkish
# "30.000,00 TL"), with the ISO 4217 code each stands for; ``None`` where the word names several
# (:data:`AMBIGUOUS_KRONE`). Only beside an amount: "Ft" or "lei" alone in a text names nothing.
CURRENCY_SUFFIXES: dict[str, str | None] = {
    "Kč": "CZK", "zł": "PLN", "Ft": "HUF", "lei": "RON", "лв": "BGN", "₴": "UAH", "kr": None,
    "TL": "TRY",
}  # fmt: skip
# "kr": the Swedish krona, the Norwegian and Danish krone; Norway and Denmark print it before the
# amount too ("kr 10 500,00"). Only a VAT registration tells which (``money.krone_from_tax_ids``).
AMBIGUOUS_KRONE = "kr"

# Currencies named in words beside a foreign amount ("45.00 Euro", "1 EURO = 1,1035 USD"). Lower case.
CURRENCY_NAMES = (
    "euro", "euros", "dollar", "dollars", "pound", "pounds", "sterling", "franc", "francs", "yen",
    "rupee", "rupees", "krone", "kroner", "kronor", "zloty",
)  # fmt: skip


# The symbol every dollar currency prints: on a statement it names no currency by itself.
AMBIGUOUS_DOLLAR = "$"
# The currencies a bare "$" can stand for.
DOLLAR_CURRENCIES = frozenset({"USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN"})
# A dollar named in words ("payable in U.S. dollars", "All charges are in Singapore Dollars").
DOLLAR_NAMES: dict[str, str] = {
    "u.s.": "USD", "us": "USD", "american": "USD", "canadian": "CAD", "australian": "AUD",
    "new zealand": "NZD", "singapore": "SGD", "hong kong": "HKD",
}  # fmt: skip


def alternation(options: Iterable[str]) -> str:
    """A regex alternation of literal options, longest first so prefixes never win."""
    return "|".join(re.escape(option) for option in sorted(options, key=len, reverse=True))
