"""Extract :class:`InvoiceMetadata` from an invoice PDF, label by label.

Only printed values are returned: nothing is computed (no tax = total - subtotal, no
due date from payment terms) and a field without a recognisable label and value is None.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import TypeVar

from backend.services.document_text.dates import find_date, leading_date, numeric_date_order, place_and_date
from backend.services.document_text.layout import Line, read_page_lines
from backend.services.document_text.money import (
    Money,
    currency_from_vat_ids,
    currency_named_in_label,
    dollar_from_tax_ids,
    find_money,
    krone_from_tax_ids,
    leading_currency_code,
)
from backend.services.document_text.tables import (
    AMBIGUOUS_DOLLAR,
    AMBIGUOUS_KRONE,
    CURRENCY_CODES,
    DOLLAR_CURRENCIES,
)
from backend.services.errors import InvalidInputError
from backend.services.invoices.labels import (
    Field,
    LabelHit,
    column_total,
    find_hits,
    own_hits,
    summary_hits,
    text_below,
)
from backend.services.invoices.model import InvoiceMetadata
from backend.services.invoices.vendor import find_vendor

T = TypeVar("T")

# An invoice number is the first token after its label and holds a digit; "Invoice 1 of 2"
# (pagination) is too short to be one.
# The leading run starts only where a run starts: one try per run, not per character.
_INVOICE_NUMBER_RE = re.compile(r"(?<![\s:#])[\s:#]*([A-Za-z0-9][\w/.-]*)")
_MIN_INVOICE_NUMBER_LENGTH = 3
# A document's number after its type's code, as Portuguese certified software prints it (the
# SAF-T document number): "FT 2024A/153" (a fatura of series 2024A, number 153), "FR A/12".
_SERIES_NUMBER_RE = re.compile(r"[\s:#]*([A-Z]{2,3} [\w.-]*/\d+)(?!\S)")
# Between an invoice number and its date on one line: at most one short word ("Fattura n. 123
# del 15/03/2024", "Rechnung Nr. 12 vom 01.03.2024", "Invoice 123 of 15 March 2024").
_NUMBER_DATE_LINK_RE = re.compile(r"\s*(?:[^\W\d_]{1,4}\.?\s+)?")
_DATE_FIELDS = frozenset({Field.INVOICE_DATE, Field.DUE_DATE})
# What joins a label to its translation: "Bill To / العميل".
_TRANSLATION_JOINERS = frozenset({"/", "|"})
NOT_AN_INVOICE_MESSAGE = (
    "This document does not look like an invoice: no invoice number, date or amount "
    "could be found in it. Upload an invoice PDF with selectable text."
)


def extract_invoice_metadata(path: str | Path) -> InvoiceMetadata:
    """Read the invoice PDF at ``path`` and return the metadata it prints.

    Raises ``InvalidInputError`` for encrypted, corrupt or image-only (text-less) PDFs,
    and for a document that prints none of an invoice's fields (no number, date or
    amount): a letter or a bank statement sent here by mistake is told so, not answered
    with a row of nulls that looks like an invoice nobody could read.
    """
    printed = (line for _, _, page_lines in read_page_lines(path) for line in page_lines)
    lines = _without_right_to_left_words(printed)
    hits = own_hits(find_hits(lines))
    # The total first: amounts in another currency than its own are for information (a
    # Singapore invoice's SGD equivalents of its US$ amounts), never its subtotal or tax.
    # Amounts only from labels that are the document's own, not words of a line item's description.
    summary = summary_hits(hits, lines)
    total_amounts = _label_amounts(summary, lines, Field.TOTAL)
    row = _net_tax_gross(total_amounts)
    total = row[2] if row else next(iter(total_amounts), None)
    tax = _tax(summary, lines, total) or (row[1] if row else None)
    subtotal = _subtotal(summary, lines, tax, total) or (row[0] if row else None)
    currency_field = _first_value(hits, lines, Field.CURRENCY, leading_currency_code)
    currency = _currency((total, subtotal, tax), lines, currency_field)
    day_first = numeric_date_order((line.text for line in lines), currency)
    date_in = partial(find_date, day_first=day_first)
    date_after_number = partial(_date_after_number, day_first=day_first)

    metadata = InvoiceMetadata(
        invoice_number=_first_value(hits, lines, Field.INVOICE_NUMBER, _invoice_number),
        invoice_date=(
            _first_value(hits, lines, Field.INVOICE_DATE, date_in)
            or _first_value(hits, [], Field.INVOICE_NUMBER, date_after_number)
            or _letter_date(lines, day_first)
        ),
        due_date=_first_value(hits, lines, Field.DUE_DATE, date_in),
        vendor=find_vendor(lines, hits),
        currency=currency,
        subtotal=_decimal(subtotal),
        tax=_decimal(tax),
        total=_decimal(total),
    )
    # The vendor and currency alone say nothing: any letterhead names a company.
    invoice_fields = (
        metadata.invoice_number, metadata.invoice_date, metadata.due_date,
        metadata.subtotal, metadata.tax, metadata.total,
    )
    if all(value is None for value in invoice_fields):
        raise InvalidInputError(NOT_AN_INVOICE_MESSAGE)
    return metadata


def _without_right_to_left_words(lines: Iterable[Line]) -> list[Line]:
    """``lines`` without their words in a right-to-left script (Arabic, Hebrew), and without the
    "/" or "|" that joins one to the label before it; lines left empty are dropped.

    A bilingual invoice prints each label's translation beside it ("Invoice No.  رقم الفاتورة
    INV-2024-0311", "Bill To / العميل"): set aside, the English label meets its value.
    """
    kept: list[Line] = []
    for line in lines:
        foreign = [_right_to_left(word.text) for word in line.words]
        words = tuple(
            word
            for index, word in enumerate(line.words)
            if not foreign[index]
            and not (word.text in _TRANSLATION_JOINERS and index + 1 < len(foreign) and foreign[index + 1])
        )
        if words:
            kept.append(Line(words, line.top, line.bottom, line.page))
    return kept


def _right_to_left(word: str) -> bool:
    """A word written in a right-to-left script: some of its letters are, none Latin or a digit."""
    return any(unicodedata.bidirectional(char) in ("R", "AL") for char in word) and not any(
        char.isascii() and char.isalnum() for char in word
    )


def _ranked(hits: Sequence[LabelHit], field: Field) -> list[list[LabelHit]]:
    """The field's hits grouped by label rank, best rank first: group ``n`` holds rank ``n``'s."""
    field_hits = [hit for hit in hits if hit.spec.field is field]
    ranks = range(max((hit.spec.rank for hit in field_hits), default=-1) + 1)
    return [[hit for hit in field_hits if hit.spec.rank == rank] for rank in ranks]


def _first_value(
    hits: Sequence[LabelHit], lines: Sequence[Line], field: Field, parse: Callable[[str], T | None]
) -> T | None:
    """The first value ``parse`` accepts, best labels first: beside the label, else under it."""
    for group in _ranked(hits, field):
        for hit in group:
            value = parse(hit.segment)
            if value is None:
                value = parse(text_below(hit, lines))
            if value is not None:
                return value
    return None


def _invoice_number(text: str) -> str | None:
    """The invoice number at the start of ``text``: a series code and its number, else the first
    token if it looks like one."""
    series = _SERIES_NUMBER_RE.match(text)
    if series:
        return series[1]
    match = _INVOICE_NUMBER_RE.match(text)
    if not match:
        return None
    value = match[1].rstrip(".-/")
    has_digit = any(char.isdigit() for char in value)
    return value if has_digit and len(value) >= _MIN_INVOICE_NUMBER_LENGTH else None


def _date_after_number(text: str, day_first: bool | None) -> date | None:
    """The date printed right after the invoice number in its label's ``text``, if any."""
    number = _INVOICE_NUMBER_RE.match(text)
    if not number or _invoice_number(text) is None:
        return None
    link = _NUMBER_DATE_LINK_RE.match(text, number.end())
    return leading_date(text[link.end() if link else number.end() :], day_first)


def _letter_date(lines: Sequence[Line], day_first: bool | None) -> date | None:
    """The date of a letter's place-and-date line ("Zürich, 15. März 2024") in the first page's
    head, above its first amount: a letter-style invoice's issue date when no label dates it."""
    for line in lines:
        if line.page != 0 or find_money(line.text):
            return None
        found = place_and_date(line.text, day_first)
        if found is not None:
            return found
    return None


def _label_amounts(
    hits: Sequence[LabelHit], lines: Sequence[Line], field: Field, total: Money | None = None
) -> list[Money]:
    """The amounts after the field's last label that prints one (best label group that has one),
    only those that can be in the currency of ``total`` (:func:`_beside`).

    The last label: totals come after the lines, and running subtotals end with the overall one.
    """
    return next((group[-1] for group in _grouped_amounts(hits, lines, field, total) if group), [])


def _grouped_amounts(
    hits: Sequence[LabelHit], lines: Sequence[Line], field: Field, total: Money | None
) -> Iterator[list[list[Money]]]:
    """Per label group of the field, best first: the amounts of each label printing any in the
    total's currency (those in another are for information: :func:`_beside`)."""
    for group in _ranked(hits, field):
        per_hit = ([money for money in _money_of(hit, hits, lines) if _beside(money, total)] for hit in group)
        yield [amounts for amounts in per_hit if amounts]


def _net_tax_gross(amounts: Sequence[Money]) -> tuple[Money, Money, Money] | None:
    """A total's line printing three amounts of which the first two add up to the third (a VAT
    summary's "Total 679,44 54,32 733,76"): net, tax and gross, the gross the total."""
    if len(amounts) != 3 or amounts[0].amount + amounts[1].amount != amounts[2].amount:
        return None
    return amounts[0], amounts[1], amounts[2]


def _subtotal(
    hits: Sequence[LabelHit], lines: Sequence[Line], tax: Money | None, total: Money | None
) -> Money | None:
    """The amount before tax: of the subtotal labels' amounts, the reading under which subtotal +
    tax = total, as printed (a Sage "Sub Total" after the VAT includes it); else, when none adds
    up (a discount or shipping between them), the first amount after the best label's last."""
    if tax is not None and total is not None:
        for group in _grouped_amounts(hits, lines, Field.SUBTOTAL, total):
            adding = [money[0] for money in group if money[0].amount + tax.amount == total.amount]
            if adding:
                return adding[-1]
    return next(iter(_label_amounts(hits, lines, Field.SUBTOTAL, total)), None)


def _beside(money: Money, total: Money | None) -> bool:
    """Whether ``money`` can be in the total's currency: either prints none, the same one, or
    one of them a bare "$" that the other's dollar may be printed as."""
    if total is None or money.currency is None or total.currency is None or money.currency == total.currency:
        return True
    return any(
        one.printed == AMBIGUOUS_DOLLAR and other.currency in DOLLAR_CURRENCIES
        for one, other in ((money, total), (total, money))
    )


def _money_of(hit: LabelHit, hits: Sequence[LabelHit], lines: Sequence[Line]) -> list[Money]:
    """The amounts of a money label: in its segment, else after the date of a date label that
    follows it on its line ("TOTAL AMOUNT DUE ON May 2, 2024 $1,234.56"), else, for a label
    heading an amount column, on its table's totals row (:func:`column_total`). An amount
    without a currency, or with only a symbol, takes the code its label names ("Total (USD)
    2,400.00", "Total (CAD) $1,120.00": the code is more specific than the symbol)."""
    text = hit.segment
    following = [other for other in hits if other.line_index == hit.line_index and other.x0 > hit.x0]
    if not find_money(text) and following and following[0].spec.field in _DATE_FIELDS:
        text += " " + following[0].segment
    if not find_money(text):
        text += " " + column_total(hit, hits, lines)
    named = currency_named_in_label(text)
    return [
        money if not named or money.printed in CURRENCY_CODES else Money(money.amount, named, named)
        for money in find_money(text)
    ]


def _tax(hits: Sequence[LabelHit], lines: Sequence[Line], total: Money | None) -> Money | None:
    """The printed tax amount: the last amount on a tax label's line segment.

    Last, because tax lines print the taxed base first ("Tax 15% on $ 112.90 $ 16.94").
    Several different tax amounts (one per rate) without a printed total tax -> None:
    summing them would be computing, not reading. Two sums read what the document prints as
    parts: a province's tax beside the national one (Canada's GST + PST) without a total-tax
    line, and, without any tax line, the parts of one tax (CGST and SGST, which Indian GST
    invoices print instead of it). Amounts in another currency than the total's are not read.
    """
    regional = _last_amounts(hits, lines, Field.REGIONAL_TAX, total)
    for rank, group in enumerate(_grouped_amounts(hits, lines, Field.TAX, total)):
        amounts = [money[-1] for money in group]
        if amounts:
            if len({money.amount for money in amounts}) > 1:
                return None
            total_tax = rank == 0
            return amounts[-1] if total_tax or not regional else _sum([amounts[-1], *regional])
    return _sum(_last_amounts(hits, lines, Field.TAX_PART, total) or regional)


def _last_amounts(
    hits: Sequence[LabelHit], lines: Sequence[Line], field: Field, total: Money | None
) -> list[Money]:
    """The last amount of each of the field's labels that prints one in the total's currency."""
    return [money[-1] for group in _grouped_amounts(hits, lines, field, total) for money in group]


def _sum(amounts: Sequence[Money]) -> Money | None:
    """The sum of amounts in one currency; ``None`` for none, or for several currencies."""
    if not amounts or len({money.currency for money in amounts}) > 1:
        return None
    first = amounts[0]
    return Money(sum((money.amount for money in amounts), Decimal(0)), first.currency, first.printed)


def _currency(amounts: Iterable[Money | None], lines: Sequence[Line], field: str | None) -> str | None:
    """The currency printed with the total (else subtotal, tax) as a code, else the one a
    currency ``field`` names ("Moneda: MXN" beside "$" amounts), else the one printed with the
    total as a symbol, else the document's only one.

    A document printing no currency at all but a euro-area VAT id (an Italian fattura's
    "P.IVA 01234567890") is in EUR, a bare "$" beside an Australian Business Number and
    GST is AUD, and a bare "kr" beside a Norwegian, Danish or Swedish VAT registration is that
    country's krone or krona: inferences from tax registrations, evidence that strong only.
    """
    texts = [line.text for line in lines]
    printed = [money for money in amounts if money]
    found = [money for money in printed if money.currency]
    if found and found[0].printed in CURRENCY_CODES:
        return found[0].currency
    if field:
        return field
    if not found:
        found = [money for text in texts for money in find_money(text) if money.currency]
        if len({money.currency for money in found}) > 1:
            return None
    if not found and printed and printed[0].printed == AMBIGUOUS_KRONE:
        return krone_from_tax_ids(texts)
    if not found:
        return currency_from_vat_ids(texts)
    if found[0].printed == AMBIGUOUS_DOLLAR:
        return dollar_from_tax_ids(texts) or found[0].currency
    return found[0].currency


def _decimal(money: Money | None) -> Decimal | None:
    """The amount of ``money``, or ``None``."""
    return None if money is None else money.amount
