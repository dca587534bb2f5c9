"""Reading money amounts as documents print them.

Two readers share one set of tables (:mod:`.tables`):

* :func:`parse_amount` reads one table cell of a statement (``1.234,56-``, ``(1,234.56)``,
  ``1'234.50 Cr``) once the statement's decimal separator is known (:func:`uses_decimal_comma`);
* :func:`find_money` / :func:`parse_money` find amounts in running text (invoices), where each
  amount must tell its own decimal separator.

Everything returns :class:`~decimal.Decimal`; floats are never used.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from .memo import remembered
from .tables import (
    APOSTROPHES,
    CURRENCY_CODES,
    CURRENCY_LETTER_PREFIXES,
    CURRENCY_SUFFIXES,
    CURRENCY_SYMBOLS,
    MINUS_SIGNS,
    SPACES,
    SYMBOL_CHARACTERS,
    alternation,
)

Marker = Literal["CR", "DR"]


# ---------------------------------------------------------------- statement cells

# A currency printed in letters after an amount ("Kč", "zł"; any case: "KČ").
_SUFFIX = rf"(?i:{alternation(CURRENCY_SUFFIXES)})"
# A whitespace run before an end-anchored suffix starts only where the run starts
# (``(?<!\s)``): otherwise a search tries every space of a long run, O(n^2).
_CELL_CURRENCY = re.compile(
    rf"^(?:[A-Z]{{1,2}}[{SYMBOL_CHARACTERS}]|[{SYMBOL_CHARACTERS}]|[A-Z]{{3}}(?=[\s\d]))\s*"
    rf"|(?<!\s)\s*(?:[{SYMBOL_CHARACTERS}]|\b[A-Z]{{3}}|(?<=[\d\s]){_SUFFIX})$"
)
# Suffixes that say an amount's side: money in (credit; H, Haben) or out (debit; S, Soll; DB,
# debet, BCA's "150,000.00 DB"; "OD", overdrawn, is a balance owed: NatWest's "416.74 OD").
_IN_MARKERS, _OUT_MARKERS = ("CR", "C", "H"), ("DR", "D", "DB", "OD", "S")
_MARKERS = alternation((*_IN_MARKERS, *_OUT_MARKERS))
_TWO_LETTER_MARKERS = alternation(m for m in (*_IN_MARKERS, *_OUT_MARKERS) if len(m) == 2)
# "1.00 CR", "1.00 d", or touching the number: "1.00Cr" (two letters only: "3D" is no amount).
_MARKER = re.compile(
    rf"(?<!\s)(?:\s*\b({_MARKERS})|(?<=\d)({_TWO_LETTER_MARKERS}))\.?$", re.IGNORECASE
)
# A number with optional thousands groups (one separator throughout), 1-3 decimals; with a
# decimal point also Indian grouping, lakh and crore in pairs of digits ("1,84,034.35", HDFC).
_CELL_NUMBER = {
    False: re.compile(
        rf"^(?:\d{{1,3}}(?:([,{SPACES}{APOSTROPHES}])\d{{3}}(?:\1\d{{3}})*)?|\d{{1,2}}(?:(,)\d{{2}})+,\d{{3}}|\d+)"
        r"(?:\.\d{1,3})?$"
    ),
    True: re.compile(
        rf"^(?:\d{{1,3}}(?:([.{SPACES}{APOSTROPHES}])\d{{3}}(?:\1\d{{3}})*)?|\d+)(?:,\d{{1,3}})?$"
    ),
}
# Two decimals, or three (KWD, BHD, OMR: too ambiguous with thousands to tell the separator).
# A currency may follow ("1.234,56 €", "(12.50 EUR)", "-1 284,50 Kč").
_DECIMAL_TAIL = re.compile(
    rf"\d([.,])(\d{{2,3}})(?:\s*(?:{_MARKERS})\.?)?(?:\s*(?:[A-Z]{{3}}|[{SYMBOL_CHARACTERS}]|{_SUFFIX}))?[)\-+]?$",
    re.IGNORECASE,
)
# Words that are part of an amount without being one: CR/DR, a currency (closing the
# parentheses of "(198.91 €)"; "zł" of "87,64 zł"), a lone sign.
_AMOUNT_PIECE = re.compile(
    rf"^(?:(?i:{_MARKERS})\.?|(?:[A-Z]{{3}}|[A-Z]{{0,2}}[{SYMBOL_CHARACTERS}]|{_SUFFIX})\)?|[()+{MINUS_SIGNS}])$"
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


@remembered
def parse_amount(text: str, decimal_comma: bool = False) -> PrintedAmount | None:
    """Parse ``text`` as an amount, or return ``None`` if it is not one.

    Accepts ``-1.00``, ``(1.00)``, ``1.00-``, ``1.00+``, ``- 125,80``, ``1.00 DR`` / ``CR``, currency
    symbols or codes (``$``, ``S$``, ``EUR``), thousands separators (comma, dot, space,
    apostrophe) and, when ``decimal_comma`` is true, ``1.234,56``.
    """
    text = text.strip()
    marker: Marker | None = None
    found = _MARKER.search(text)
    if found and found.start() > 0:
        marker = "CR" if (found.group(1) or found.group(2)).upper() in _IN_MARKERS else "DR"
        text = text[: found.start()].rstrip()
    negative = False
    text = _CELL_CURRENCY.sub("", text).strip()  # "CHF (54.67)"
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1].strip()
    text = _CELL_CURRENCY.sub("", text).strip()
    if text[:1] in MINUS_SIGNS or text[-1:] in MINUS_SIGNS:
        negative = True
        text = (text[1:] if text[:1] in MINUS_SIGNS else text[:-1]).strip()
    elif text[:1] == "+" or text[-1:] == "+":  # "+45.00", or its side after it: "45.00+" (Maybank)
        text = (text[1:] if text[:1] == "+" else text[:-1]).strip()
    text = _CELL_CURRENCY.sub("", text).strip()
    match = _CELL_NUMBER[decimal_comma].match(text)
    if not match:
        return None
    separator = next((group for group in match.groups() if group), "\0")
    digits = text.replace(separator, "")
    if decimal_comma:
        digits = digits.replace(",", ".")
    value = Decimal(digits)
    return PrintedAmount(-value if negative else value, marker)


# "= $1,627.07": the sum of a summary box's lines, printed after its operator.
_SUM_SIGN = re.compile(r"^\s*=\s*")
# The last separator before an amount's final two digits (a currency or CR may follow).
_LAST_DECIMALS = re.compile(r"[.,](?=\d{2}\D*$)")


def parse_amount_leniently(text: str, decimal_comma: bool = False) -> PrintedAmount | None:
    """:func:`parse_amount`, else with the separator before the final two digits read as the
    decimal one: a figure printed once with the other separator (``+ 2.853.82`` on a statement
    of ``1.830,00``). Only for a figure its label names (a balance), never for a table cell.
    An equals sign before it is a summary's sum ("New Balance =$1,931.20"), not part of it."""
    text = _SUM_SIGN.sub("", text)
    amount = parse_amount(text, decimal_comma)
    found = _LAST_DECIMALS.search(text) if amount is None else None
    if found is None:
        return amount
    separator = "," if decimal_comma else "."
    return parse_amount(f"{text[: found.start()]}{separator}{text[found.end() :]}", decimal_comma)


def side_marker(text: str) -> Marker | None:
    """The side a word printed apart from its amount says, in a column of its own ("Dr/Cr",
    Kotak): the suffixes :func:`parse_amount` reads ("DR", "Cr", "D", "C.") or the whole word
    ("Debit", "Credit"); ``None`` for any other word."""
    word = text.strip().rstrip(".").upper()
    if word in (*_IN_MARKERS, "CREDIT"):
        return "CR"
    if word in (*_OUT_MARKERS, "DEBIT"):
        return "DR"
    return None


def is_amount(text: str) -> bool:
    """Whether ``text`` reads as an amount with either decimal separator."""
    return parse_amount(text) is not None or parse_amount(text, decimal_comma=True) is not None


def prints_sign(text: str) -> bool:
    """Whether ``text`` is an amount printed with its sign: negative, or with CR/DR."""
    amount = parse_amount(text) or parse_amount(text, decimal_comma=True)
    return amount is not None and (amount.marker is not None or amount.value < 0)


def looks_like_amount_piece(word: str) -> bool:
    """Whether ``word`` can be (part of) a printed amount: a number, a sign, a currency, CR/DR."""
    opened = word[1:] if word[:1] == "(" and word[-1:] != ")" else None  # "(198.91" of "(198.91 €)"
    return bool(_AMOUNT_PIECE.match(word)) or is_amount(word) or (opened is not None and is_amount(opened))


def has_decimal_part(text: str) -> bool:
    """Whether ``text`` ends like an amount with 2 or 3 decimals (``12,90``, ``1.00 CR``, ``(3.15)``)."""
    return _DECIMAL_TAIL.search(text.strip()) is not None


def decimal_tails(samples: Iterable[str]) -> tuple[list[str], list[str]]:
    """The amounts among ``samples`` that end in ``,dd`` and those that end in ``.dd``: two
    decimals, which no thousands separator is followed by, so each shows its decimal mark."""
    comma: list[str] = []
    dot: list[str] = []
    for sample in samples:
        found = _DECIMAL_TAIL.search(sample.strip())
        if found and len(found.group(2)) == 2:
            (comma if found.group(1) == "," else dot).append(sample.strip())
    return comma, dot


def uses_decimal_comma(samples: Iterable[str], minor_units: int | None = None) -> bool:
    """Decide a document's decimal separator from the amounts it prints.

    Counts amounts ending in ``,dd`` against those ending in ``.dd``; a tie means a decimal
    point. Where none does (a currency without cents: pesos, yen; or with three decimals:
    dinars), a dot is a thousands separator (read as with a decimal comma) when the currency
    has no minor unit (``minor_units`` 0, ISO 4217) and amounts print dots; else when that
    reading reads every amount and a decimal point does not ("1.236.080", "1.234,567").
    """
    samples = [sample.strip() for sample in samples]
    comma, dot = decimal_tails(samples)
    if comma or dot:
        return len(comma) > len(dot)
    if minor_units == 0:
        return any("." in sample for sample in samples)
    return all(parse_amount(sample, decimal_comma=True) is not None for sample in samples) and any(
        parse_amount(sample) is None for sample in samples
    )


# ---------------------------------------------------------------- amounts in running text

_CODE = alternation(CURRENCY_CODES)
_SYMBOL = alternation(CURRENCY_SYMBOLS)
# A letter that stands for a currency only right before a number ("R 12 345,00", "R1,234.50").
_LETTER_PREFIX = rf"(?:{alternation(CURRENCY_LETTER_PREFIXES)})(?=\s?-?\d)"
_CURRENCY_MARKS = {**CURRENCY_SYMBOLS, **CURRENCY_LETTER_PREFIXES}
# Thousands groups with one separator throughout ("." "," an apostrophe or a space: plain,
# no-break, narrow or thin, as French and Swiss amounts print "1 234,56"), then 1-3 decimals
# (three only after groups, "1,142.553": alone, three digits are a group); or Indian grouping,
# lakh and crore in pairs of digits before a decimal point ("1,04,623.73"); or no groups.
# A plain space cannot tell "1 850,00" (quantity 1, price 850,00) from 1850.00: text read by
# label (an invoice's totals) prints no quantity before its amount.
_TEXT_NUMBER = (
    rf"\d{{1,3}}(?P<group>[.,{APOSTROPHES}{SPACES}])\d{{3}}(?:(?P=group)\d{{3}})*(?:[.,]\d{{1,3}})?"
    r"|\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d{1,2})?"
    r"|\d+(?:[.,]\d{1,2})?"
)
# A currency in letters, as printed (case kept: "25 ft" is a length, not forints).
_WORD = alternation(CURRENCY_SUFFIXES)
_MONEY_RE = re.compile(
    rf"(?<![\w.,/])(?P<sign>-\s?)?(?:(?P<code>{_CODE})\s?|(?P<word>{_WORD})\.?\s)?"
    rf"(?:(?P<symbol>{_SYMBOL}|{_LETTER_PREFIX})\s?)?"
    rf"(?P<sign2>-)?(?P<number>{_TEXT_NUMBER})(?![\w%/]|[.,]\d)"
    # A trailing currency, unless it is the prefix of the next amount ("$ 112.90 $ 16.94").
    rf"(?:\s?(?P<post>{_CODE}|{_SYMBOL}|{_WORD})(?![A-Za-z])(?!\s?-?\d))?"
)
_RATE_SIGN = re.compile(r"\s?=")
_DECIMALS_RE = re.compile(r"([.,])(\d{1,2})$")
_NON_DIGITS = re.compile(r"\D")


@dataclass(frozen=True)
class Money:
    """An amount found in text, with the currency printed next to it (if any).

    ``printed`` is that currency's code or symbol as printed (``"$"``, ``"S$"``, ``"EUR"``):
    ``currency`` reads a bare ``"$"`` as USD, which a statement must not (``statements.currency``).
    """

    amount: Decimal
    currency: str | None
    printed: str | None = field(default=None, compare=False)


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

    Bare integers ("15 days", "Seite 2", VAT ids) are not money, nor a whole number after a
    letter that can stand for a currency ("R 12" is more often a reference than 12 rand), nor
    the unit an exchange rate converts ("USD 1 = SGD 1.3425": no amount charged).
    """
    found = []
    for match in _MONEY_RE.finditer(text):
        money = _money_from_match(match)
        has_decimals = _DECIMALS_RE.search(match["number"]) is not None
        by_symbol = money is not None and money.printed not in CURRENCY_LETTER_PREFIXES
        rate_unit = _RATE_SIGN.match(text, match.end()) is not None
        if money and not rate_unit and (has_decimals or (money.currency and by_symbol)):
            found.append(money)
    return found


# A currency code a label names for its amounts: "Total (USD)", "Subtotal in EUR".
_LABEL_CURRENCY_RE = re.compile(rf"^[^\d]*?(?:\(\s*|\bin\s+)({_CODE})\b\s*\)?")


_LEADING_CODE_RE = re.compile(rf"^[\s:]*({_CODE})\b")


def leading_currency_code(text: str) -> str | None:
    """The ISO code a currency field's value opens with: ``": MXN"`` -> MXN; ``": pesos"`` -> None."""
    found = _LEADING_CODE_RE.match(text)
    return found[1] if found else None


def currency_named_in_label(text: str) -> str | None:
    """The ISO code a label's text names before any number: ``" (USD) 2,400.00"`` -> USD."""
    found = _LABEL_CURRENCY_RE.match(text)
    return found[1] if found else None


# VAT ids of euro-area countries, in their exact national shapes: a document carrying one and
# printing no currency at all is in euros (a domestic invoice; one in another currency must
# say which). Italian invoices print the VAT id as "P.IVA" / "Partita IVA" and 11 digits, and
# often no currency sign at all ("Totale documento 1.220,00").
_EURO_VAT_ID_RE = re.compile(
    r"(?<![A-Za-z0-9])(?:IT\d{11}|DE\d{9}|ATU\d{8}|NL\d{9}B\d{2}|BE[01]\d{9}"
    r"|FR[0-9A-HJ-NP-Z]{2}\s?\d{9}|ES[0-9A-Z]\d{7}[0-9A-Z])(?![A-Za-z0-9])"
    r"|(?i:\bP\.\s?IVA|\bPartita\s+IVA)\s*(?:n\.\s*)?:?\s*(?:IT\s?)?\d{11}(?!\d)"
)


def currency_from_vat_ids(texts: Iterable[str]) -> str | None:
    """EUR when ``texts`` carry a euro-area VAT id (``IT01234567890``, ``P.IVA 01234567890``),
    else ``None``. Only for a document that prints no currency itself."""
    return "EUR" if any(_EURO_VAT_ID_RE.search(text) for text in texts) else None


# An Australian Business Number as printed ("ABN 12 345 678 901": 11 digits, grouped 2-3-3-3 or
# not) and the GST an Australian tax invoice charges: with both, the invoice's bare "$" is the
# Australian dollar (its issuer is registered for Australian GST). The same kind of evidence as a
# euro-area VAT id, and only for a "$" printed without a code.
_ABN_RE = re.compile(r"\bABN\b[:.]?\s*\d{2}\s?\d{3}\s?\d{3}\s?\d{3}(?!\d|\s\d)")
_GST_RE = re.compile(r"\bGST\b")


def dollar_from_tax_ids(texts: Iterable[str]) -> str | None:
    """AUD when ``texts`` carry an ABN and charge GST, else ``None``. Only for a bare ``$``."""
    texts = list(texts)
    has_abn = any(_ABN_RE.search(text) for text in texts)
    return "AUD" if has_abn and any(_GST_RE.search(text) for text in texts) else None


# VAT registrations as Norway, Denmark and Sweden print them, and the currency "kr" is there:
# Norway's organisation number with "MVA" after it ("Org.nr. 912 345 678 MVA", "NO 912345678
# MVA"), Denmark's CVR number ("CVR-nr. 12345678", "DK12345678"), Sweden's VAT number
# ("SE556677889901"). An organisation number without "MVA" is no VAT registration.
_KRONE_TAX_IDS = (
    (re.compile(r"(?<!\d)(?:NO\s?)?\d{3}\s?\d{3}\s?\d{3}\s?MVA\b"), "NOK"),
    (re.compile(r"\bCVR(?:-?\s?nr\.?|-nummer)?[:.]?\s*\d{8}(?!\d)|(?<![A-Za-z0-9])DK\s?\d{8}(?!\d)"), "DKK"),
    (re.compile(r"(?<![A-Za-z0-9])SE\s?\d{10}01(?!\d)"), "SEK"),
)


def krone_from_tax_ids(texts: Iterable[str]) -> str | None:
    """NOK, DKK or SEK when ``texts`` carry that country's VAT registration (and no other's), else
    ``None``. Only for amounts printed with a bare "kr"."""
    texts = list(texts)
    found = {code for pattern, code in _KRONE_TAX_IDS if any(pattern.search(text) for text in texts)}
    return found.pop() if len(found) == 1 else None


def _money_from_match(match: re.Match[str]) -> Money | None:
    """Build a Money from a ``_MONEY_RE`` match; ``None`` if its separators are inconsistent."""
    amount = _number_to_decimal(match["number"])
    if amount is None:
        return None
    if match["sign"] or match["sign2"]:
        amount = -amount
    # An ISO code is more specific than a symbol beside it: "$174.00 AUD" is in AUD.
    post_code = match["post"] if match["post"] in CURRENCY_CODES else None
    marker = match["code"] or post_code or match["symbol"] or match["post"] or match["word"]
    if marker in CURRENCY_SUFFIXES:  # a word: "Kč" is CZK, "kr" names no one currency
        return Money(amount, CURRENCY_SUFFIXES[marker], marker)
    return Money(amount, _CURRENCY_MARKS.get(marker, marker) if marker else None, marker)


def _number_to_decimal(number: str) -> Decimal | None:
    """``"1.234,56"`` -> ``Decimal("1234.56")``; always at least two decimal places.

    Where both ``.`` and ``,`` are printed, the last one, printed once, is the decimal
    separator whatever the digits after it: ``1,142.553`` (KWD, BHD and OMR print three
    decimals) is 1142.553. With one of them only, three digits after it are a thousands
    group (``1.234`` is 1234.00): the text alone cannot tell.
    """
    integer, decimals = number, ""
    separators = [char for char in number if char in ".,"]
    tail = _DECIMALS_RE.search(number)
    if tail is None and len(set(separators)) == 2:
        if separators.count(separators[-1]) > 1:  # "1,234.567,890": groups of both kinds
            return None
        cut = number.rindex(separators[-1])
        integer, decimals = number[:cut], number[cut + 1 :]
    elif tail:
        integer, decimals = number[: tail.start()], tail.group(2)
        if tail.group(1) in integer:  # "1.234.56": one separator cannot be both
            return None
    digits = _NON_DIGITS.sub("", integer)
    return Decimal(f"{digits}.{decimals.ljust(2, '0')}")
