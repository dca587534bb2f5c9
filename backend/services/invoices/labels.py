"""Find field labels ("Invoice number", "MwSt", "Totaal"...) in invoice lines.

Each field has label groups in order of preference. A label's value is the text after
it up to the next label on the same line (its *segment*), or, for column layouts
(labels on one line, values under them), the words below it on the next line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from backend.services.document_text.layout import Line


class Field(Enum):
    """The invoice fields found through labels."""

    INVOICE_NUMBER = "invoice_number"
    INVOICE_DATE = "invoice_date"
    DUE_DATE = "due_date"
    VENDOR = "vendor"
    SUBTOTAL = "subtotal"
    TAX = "tax"
    TOTAL = "total"


# Per field, groups of labels, most specific group first. A leading "^" marks a generic
# label: it only counts at the start of a line and never reads the value under it
# (a bare "Date" mid-line is usually "Order date", one at the top of a table a column).
# fmt: off
_LABELS: dict[Field, tuple[tuple[str, ...], ...]] = {
    Field.INVOICE_NUMBER: (
        ("invoice number", "invoice no.", "invoice no", "invoice #", "invoice nr.", "invoice id",
         "rechnungsnummer", "rechnungsnr.", "rechnungs-nr.", "rechnung nr.",
         "factuurnummer", "factuurnr.", "factuur nr."),
        ("^invoice",),
    ),
    Field.INVOICE_DATE: (
        ("invoice date", "date of invoice", "issue date", "date of issue", "rechnungsdatum",
         "factuurdatum", "datum factuur"),
        ("^date", "^dated", "^datum"),
    ),
    Field.DUE_DATE: (
        ("due date", "date due", "payment due", "due by", "pay by", "fälligkeitsdatum", "fällig am",
         "fällig", "zahlbar bis", "zahlungsziel", "vervaldatum", "uiterste betaaldatum",
         "te betalen voor"),
    ),
    Field.VENDOR: (("vendor:", "supplier:", "seller:", "lieferant:", "leverancier:"),),
    Field.SUBTOTAL: (
        ("total excl. vat", "total excl. tax", "total excluding vat", "total excluding tax",
         "total before tax", "amount before tax", "untaxed amount", "net amount", "net total",
         "total net", "excl. vat", "excl. tax", "nettobetrag", "summe netto", "gesamt netto",
         "netto", "ohne mwst.", "exkl. mwst.", "totaal excl. btw", "exclusief btw", "excl. btw",
         "zonder btw"),
        ("subtotal", "sub-total", "subtotaal", "zwischensumme"),
    ),
    Field.TAX: (
        ("total tax", "total vat", "tax amount", "vat amount", "summe mwst.", "mwst.-betrag",
         "totaal btw", "btw-bedrag"),
        ("tax", "vat", "sales tax", "gst", "mwst.", "mwst", "mehrwertsteuer", "umsatzsteuer",
         "btw"),
    ),
    Field.TOTAL: (
        ("grand total", "invoice total", "total incl. vat", "total incl. tax", "total amount",
         "gesamtbetrag", "rechnungsbetrag", "endbetrag", "bruttobetrag", "gesamtsumme",
         "summe brutto", "totaal incl. btw", "totaalbedrag", "factuurbedrag"),
        ("total", "totaal", "gesamt", "summe"),
        ("amount due", "balance due", "total due", "zu zahlen", "te betalen"),
    ),
}
# fmt: on


@dataclass(frozen=True)
class LabelSpec:
    """One label of a field: its compiled pattern and preference rank (0 is best)."""

    field: Field
    rank: int
    pattern: re.Pattern[str]
    generic: bool


@dataclass(frozen=True)
class LabelHit:
    """A label found on a line, with the text that may hold its value."""

    spec: LabelSpec
    line_index: int
    x0: float
    column_end: float
    segment: str


def _label_pattern(label: str) -> re.Pattern[str]:
    """Compile a label, tolerating a stray space inside words (``F actuurnummer``)."""
    generic = label.startswith("^")
    label = label.lstrip("^")
    words = (r"\s?".join(re.escape(char) for char in word) for word in label.split())
    body = r"\s*".join(words)
    prefix = r"^\s*" if generic else (r"(?<!\w)" if label[0].isalnum() else "")
    suffix = r"(?!\w)" if label[-1].isalnum() else ""
    return re.compile(prefix + body + suffix, re.IGNORECASE)


_SPECS = tuple(
    LabelSpec(field, rank, _label_pattern(label), label.startswith("^"))
    for field, groups in _LABELS.items()
    for rank, group in enumerate(groups)
    for label in group
)


def find_hits(lines: Sequence[Line]) -> list[LabelHit]:
    """Every label in ``lines`` (in reading order), overlapping labels resolved."""
    return [hit for index, line in enumerate(lines) for hit in _line_hits(line, index)]


def _line_hits(line: Line, line_index: int) -> list[LabelHit]:
    """Labels of one line: earliest first, the longest label winning an overlap.

    So "Exclusief BTW" is one subtotal label, not also a "BTW" tax label, and
    "Total excl. VAT" is not a "Total".
    """
    candidates = sorted(
        ((match.start(), match.end(), spec) for spec in _SPECS for match in spec.pattern.finditer(line.text)),
        key=lambda candidate: (candidate[0], candidate[0] - candidate[1]),
    )
    chosen: list[tuple[int, int, LabelSpec]] = []
    for candidate in candidates:
        if not chosen or candidate[0] >= chosen[-1][1]:
            chosen.append(candidate)
    ends = [start for start, _, _ in chosen[1:]] + [len(line.text)]
    return [
        LabelHit(spec, line_index, line.x_at(start), line.x_at(stop), line.text[end:stop])
        for (start, end, spec), stop in zip(chosen, ends, strict=False)  # ends has one more when empty
    ]


def text_below(hit: LabelHit, lines: Sequence[Line]) -> str:
    """The words on the next line of the same page under ``hit``'s column.

    The column runs from the label's left edge to where the next label on its line starts.
    Empty for generic labels, which never read a column.
    """
    below = hit.line_index + 1
    if hit.spec.generic or below >= len(lines) or lines[below].page != lines[hit.line_index].page:
        return ""
    return lines[below].text_between(hit.x0 - 2, hit.column_end)
