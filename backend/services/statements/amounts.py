"""Reading money amounts as banks print them.

Everything here works on strings and returns :class:`~decimal.Decimal`; floats are never used.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

Marker = Literal["CR", "DR"]

# Spaces used as thousands separators: plain, no-break, narrow no-break, thin.
_SPACES = " \u00a0\u202f\u2009"
_CURRENCY_SYMBOLS = "$€£¥₹₩₽₺₪"
# A whitespace run before an end-anchored suffix starts only where the run starts
# (``(?<!\s)``): otherwise a search tries every space of a long run, O(n^2).
_CURRENCY = re.compile(
    rf"^(?:[A-Z]{{1,2}}[{_CURRENCY_SYMBOLS}]|[{_CURRENCY_SYMBOLS}]|[A-Z]{{3}}(?=[\s\d]))\s*"
    rf"|(?<!\s)\s*(?:[{_CURRENCY_SYMBOLS}]|\b[A-Z]{{3}})$"
)
_MARKER = re.compile(r"(?<!\s)\s*\b(CR|DR|C|D)\.?$", re.IGNORECASE)
_MINUS = "-\u2212\u2013"
# A number with optional thousands groups, before the locale's decimal separator is known.
_NUMBER = {
    False: re.compile(rf"^(?:\d{{1,3}}(?:([,{_SPACES}'])\d{{3}}(?:\1\d{{3}})*)?|\d+)(?:\.\d{{1,2}})?$"),
    True: re.compile(rf"^(?:\d{{1,3}}(?:([.{_SPACES}'])\d{{3}}(?:\1\d{{3}})*)?|\d+)(?:,\d{{1,2}})?$"),
}
_DECIMAL_TAIL = re.compile(r"\d([.,])\d{2}(?:\s*(?:CR|DR)\.?|[)\-])?$", re.IGNORECASE)
# Words that are part of an amount without being one: CR/DR, a currency, a lone sign.
_AMOUNT_PIECE = re.compile(
    rf"^(?:(?i:CR|DR|C|D)\.?|[A-Z]{{3}}|[A-Z]{{0,2}}[{_CURRENCY_SYMBOLS}]|[()+{_MINUS}])$"
)


@dataclass(frozen=True)
class PrintedAmount:
    """An amount as printed: ``value`` carries the printed sign, ``marker`` a CR/DR suffix."""

    value: Decimal
    marker: Marker | None = None

    def signed(self, polarity: int) -> Decimal:
        """The amount with money in positive.

        A CR/DR marker is absolute (CR = in, DR = out); otherwise the printed sign is
        multiplied by ``polarity`` (-1 where unsigned means money out, as on card statements).
        """
        if self.marker == "CR":
            return abs(self.value)
        if self.marker == "DR":
            return -abs(self.value)
        return self.value * polarity


def parse_amount(text: str, decimal_comma: bool = False) -> PrintedAmount | None:
    """Parse ``text`` as an amount, or return ``None`` if it is not one.

    Accepts ``-1.00``, ``(1.00)``, ``1.00-``, ``1.00 DR`` / ``CR``, currency symbols or codes
    (``$``, ``S$``, ``EUR``), thousands separators (comma, dot, space, apostrophe) and, when
    ``decimal_comma`` is true, ``1.234,56``.
    """
    text = text.strip()
    marker: Marker | None = None
    found = _MARKER.search(text)
    if found and found.start() > 0:
        marker = "CR" if found.group(1).upper().startswith("C") else "DR"
        text = text[: found.start()].rstrip()
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1].strip()
    text = _CURRENCY.sub("", text).strip()
    if text[:1] in _MINUS or text[-1:] in _MINUS:
        negative = True
        text = text[1:] if text[:1] in _MINUS else text[:-1]
    elif text[:1] == "+":
        text = text[1:]
    text = _CURRENCY.sub("", text).strip()
    match = _NUMBER[decimal_comma].match(text)
    if not match:
        return None
    digits = text.replace(match.group(1) or "\0", "")
    if decimal_comma:
        digits = digits.replace(",", ".")
    value = Decimal(digits)
    return PrintedAmount(-value if negative else value, marker)


def is_amount(text: str) -> bool:
    """Whether ``text`` reads as an amount with either decimal separator."""
    return parse_amount(text) is not None or parse_amount(text, decimal_comma=True) is not None


def looks_like_amount_piece(word: str) -> bool:
    """Whether ``word`` can be (part of) a printed amount: a number, a sign, a currency, CR/DR."""
    return bool(_AMOUNT_PIECE.match(word)) or is_amount(word)


def uses_decimal_comma(samples: Iterable[str]) -> bool:
    """Decide the statement's decimal separator from the amounts it prints.

    Counts amounts ending in ``,dd`` against those ending in ``.dd``; a tie means a decimal point.
    """
    comma = dot = 0
    for sample in samples:
        found = _DECIMAL_TAIL.search(sample.strip())
        if found:
            if found.group(1) == ",":
                comma += 1
            else:
                dot += 1
    return comma > dot
