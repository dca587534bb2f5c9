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

from backend.services.document_text.layout import Line, Word, word_runs
from backend.services.document_text.money import find_money
from backend.services.document_text.tables import APOSTROPHES, CURRENCY_CODES, CURRENCY_SUFFIXES, alternation


class Field(Enum):
    """The invoice fields found through labels."""

    INVOICE_NUMBER = "invoice_number"
    INVOICE_DATE = "invoice_date"
    DUE_DATE = "due_date"
    VENDOR = "vendor"
    SUBTOTAL = "subtotal"
    TAX = "tax"
    TOTAL = "total"
    TAX_PART = "tax_part"
    REGIONAL_TAX = "regional_tax"
    TAXABLE_SHARE = "taxable_share"
    CURRENCY = "currency"


# A credit note's own number. On a credit note, labels naming an invoice's number or date
# ("Invoice date:", "Rechnungsnummer") cite the invoice it credits: see :func:`own_hits`.
_CREDIT_NOTE_NUMBER = (
    "credit note no", "credit note no.", "credit note number", "credit note #", "credit memo no",
    "credit memo no.", "credit memo number", "credit memo #", "gutschriftsnummer", "gutschrift nr.",
)  # fmt: skip
# Words that name an invoice inside a label ("rechnungsdatum", "date de facture").
_INVOICE_WORDS = ("invoice", "rechnung", "factuur", "factur", "fattura", "faktura", "fatura")


# Per field, groups of labels, most specific group first. A leading "^" marks a generic
# label: it only counts where a line or a column starts (after a gap of a few word heights,
# "Globex Corporation      Date 2024-03-15") and never reads the value under it (a bare
# "Date" mid-sentence is usually "Order date", one at the top of a table a column). A "…"
# stands for up to six words between ("Zahlbar innerhalb von 14 Tagen ohne Abzug bis zum").
# An apostrophe matches either one ("Date d'échéance", "Date d’échéance").
# TAX_PART labels name parts of one tax that together make it (India's CGST + SGST): their
# amounts are summed when no tax line prints the whole. REGIONAL_TAX labels name a province's
# sales tax printed beside the national one (Canada's PST or QST beside its GST): the two lines
# together are the tax, unless a total-tax line prints it.
# fmt: off
_LABELS: dict[Field, tuple[tuple[str, ...], ...]] = {
    Field.INVOICE_NUMBER: (
        ("invoice number", "invoice no.", "invoice no", "invoice #", "invoice nr.", "invoice id",
         "rechnungsnummer", "rechnungsnr.", "rechnungs-nr.", "rechnung nr.",
         "factuurnummer", "factuurnr.", "factuur nr.", "n° de facture", "nº de facture",
         "no de facture", "numéro de facture", "facture n°", "facture nº", "fattura n.", "fattura n°",
         "fattura nr.", "fattura numero", "numero fattura",
         "nº factura", "n° factura", "no. factura", "número de factura", "numero de factura",
         "factura nº", "factura n°", "factura no.", "número da fatura", "numero da fatura", "nº da fatura",
         "fatura nº", "fatura n°", "faktura vat nr", "faktura nr", "numer faktury", "fakturanummer",
         "fakturanr.", "serie y folio",
         "faktura č.", "daňový doklad č.", "číslo faktury", "faktura číslo",
         "fatura no",
         *_CREDIT_NOTE_NUMBER),
        # The invoice's number under a name of its own (Sage Pastel's "Document No", a hotel
        # folio's "Bill No." among its room, folio and confirmation numbers).
        ("document no", "document no.", "document number", "bill no", "bill no.", "bill number"),
        ("^invoice",
         "^fatura"),
    ),
    Field.INVOICE_DATE: (
        ("invoice date", "date of invoice", "issue date", "date of issue", "rechnungsdatum",
         "factuurdatum", "datum factuur", "date d'émission", "date de facture", "date de facturation",
         "data fattura", "data documento", "data emissione", "bill date", "billing date",
         "credit note date", "date of credit note", "fecha de factura", "fecha de emisión",
         "fecha factura", "data de emissão", "data da fatura", "data wystawienia", "fakturadatum",
         "fakturadato",
         "datum vystavení",
         "fatura tarihi", "düzenlenme tarihi"),
        ("^date", "^dated", "^datum", "^fecha"),
    ),
    Field.DUE_DATE: (
        ("due date", "date due", "payment due", "due by", "due on", "pay by", "fälligkeitsdatum",
         "fällig am", "fällig", "zahlbar … bis", "zahlungsziel", "vervaldatum", "uiterste betaaldatum",
         "te betalen voor", "date d'échéance", "échéance", "date limite de paiement", "scadenza",
         "data scadenza", "fecha de vencimiento", "vencimiento", "data de vencimento", "vencimento",
         "termin płatności", "förfallodatum", "förfallodag",
         "forfallsdato", "forfallsdag", "betalingsfrist",
         "datum splatnosti", "splatnost",
         "son ödeme tarihi", "vade tarihi"),
        ("^due",),
    ),
    Field.VENDOR: (("vendor:", "supplier:", "seller:", "lieferant:", "leverancier:"),),
    Field.SUBTOTAL: (
        ("total excl. vat", "total excl. tax", "total excluding vat", "total excluding tax",
         "total before tax", "amount before tax", "untaxed amount", "net amount", "net total",
         "total net", "excl. vat", "excl. tax", "nettobetrag", "summe netto", "gesamt netto",
         "netto", "ohne mwst.", "exkl. mwst.", "totaal excl. btw", "exclusief btw", "excl. btw",
         "zonder btw", "total ht", "montant ht", "total hors taxes", "total hors tva", "imponibile",
         "totale imponibile", "total taxable value", "ex gst", "ex. gst", "excl. gst", "excluding gst",
         "base imponible", "valor dos serviços", "exkl. moms", "summa exkl. moms", "total exclusive",
         "ekskl. mva", "sum ekskl. mva",
         "celkem bez dph", "základ daně",
         "total ilíquido",
         "mal hizmet toplam tutarı"),
        ("subtotal", "sub-total", "subtotaal", "zwischensumme",
         "základ",
         "ara toplam"),
        ("^net",),
        # A utility bill's charges for its service: the amount its sales tax is on.
        ("electric charges", "electricity charges", "gas charges", "water charges", "energy charges"),
    ),
    Field.TAX: (
        ("total tax", "total vat", "tax amount", "vat amount", "summe mwst.", "mwst.-betrag",
         "totaal btw", "btw-bedrag", "total gst", "total tva", "montant tva", "totale iva",
         "kwota vat", "summa moms",
         "sum mva",
         "celkem dph", "částka dph",
         "total iva",
         "hesaplanan kdv", "toplam kdv"),
        ("tax", "taxes", "vat", "sales tax", "gst", "mwst.", "mwst", "mehrwertsteuer", "umsatzsteuer", "ust.",
         "ust", "btw", "tva", "iva", "iss", "moms",
         "mva",
         "dph",
         "kdv"),
    ),
    Field.TAX_PART: (("cgst", "sgst", "utgst", "igst"),),
    Field.REGIONAL_TAX: (("pst", "qst"),),
    # The share of the lines a sales tax is on (QuickBooks' "TAXABLE SUBTOTAL"): never the
    # subtotal, which it would be read as by its last word. Found so that it is not, never read.
    Field.TAXABLE_SHARE: (
        ("taxable subtotal", "non-taxable subtotal", "nontaxable subtotal", "exempt subtotal"),
    ),
    # A currency field ("Moneda: MXN", "Currency: EUR"): it names the currency of amounts
    # printed with a bare "$" or no currency at all; read only when an ISO code follows it, and
    # only where a line or column starts ("Total in invoice currency 1,000.00" keeps its total).
    Field.CURRENCY: (("^currency", "^moneda", "^moeda", "^währung", "^devise", "^valuta", "^waluta"),),
    Field.TOTAL: (
        ("grand total", "invoice total", "total incl. vat", "total incl. tax", "total amount",
         "total including vat", "total including tax",
         "gesamtbetrag", "rechnungsbetrag", "endbetrag", "bruttobetrag", "gesamtsumme",
         "summe brutto", "totaal incl. btw", "totaalbedrag", "factuurbedrag", "total ttc",
         "montant ttc", "net à payer", "totale documento", "totale fattura", "totale da pagare",
         "total inc. gst", "total inc gst", "total incl. gst", "total including gst",
         "importe total", "total factura", "valor total", "total a pagar", "do zapłaty",
         "summa inkl. moms",
         "celkem k úhradě", "k úhradě", "celkem s dph",
         "vergiler dahil toplam tutar", "genel toplam"),
        ("total", "totaal", "gesamt", "summe", "totale", "summa", "totalt",
         "celkem"),
        ("amount due", "balance due", "total due", "zu zahlen", "te betalen", "att betala", "a pagar",
         "å betale",
         "ödenecek tutar"),
    ),
}
# A table's totals row opens with one of these: under a header of amount columns ("Netto",
# "Kwota VAT"), its amounts are the columns' totals ("Razem 1 234,00 283,82 1 517,82").
_TOTALS_ROW_WORDS = ("razem", "total", "totals", "totaal", "totale", "summe", "summa", "suma", "gesamt",
                     "celkem")
# A VAT summary by rate opens its header with the rate's column ("Sazba  Základ  DPH  Celkem"): with
# one rate only, its one row is its totals row.
# Not a bare "Tipo" or "Tarief": a line items' table opens with a type or an hourly rate.
_RATE_HEADINGS = ("vat rate", "tax rate", "steuersatz", "mwst.-satz", "taux", "taux de tva", "btw-tarief",
                  "aliquota", "aliquota iva", "tipo de iva", "taxa", "taxa de iva", "stawka", "stawka vat",
                  "sazba", "sazba dph")
# fmt: on
_TOTALS_ROW = re.compile(rf"^(?:{alternation(_TOTALS_ROW_WORDS)})(?!\w)", re.IGNORECASE)
_RATE_HEADING = re.compile(rf"^(?:{alternation(_RATE_HEADINGS)})(?!\w)", re.IGNORECASE)
_MONEY_FIELDS = frozenset({Field.SUBTOTAL, Field.TAX, Field.TOTAL, Field.TAX_PART})
# Fields whose labels read an amount: a word of a description naming one is no label (:func:`summary_hits`).
_AMOUNT_FIELDS = _MONEY_FIELDS | {Field.REGIONAL_TAX}
# Words a label may carry in its cell beside a rate or an amount, naming the amount's currency.
_CURRENCY_WORDS = frozenset(CURRENCY_CODES) | frozenset(CURRENCY_SUFFIXES)
# A row's cells are apart by more than this many word heights (a grouping space is far less).
_CELL_GAP = 1.0
_ANY_WORDS = "…"
_MAX_SKIPPED_WORDS = 6
# A gap this many word heights wide before a generic label starts a column.
_COLUMN_GAP = 2.0


@dataclass(frozen=True)
class LabelSpec:
    """One label of a field: its compiled pattern and preference rank (0 is best)."""

    field: Field
    rank: int
    pattern: re.Pattern[str]
    generic: bool
    label: str

    @property
    def credit_note(self) -> bool:
        """A credit note's own number label: the document is a credit note."""
        return self.label in _CREDIT_NOTE_NUMBER

    @property
    def names_invoice(self) -> bool:
        """A number or date label naming an invoice ("Invoice date"): on a credit note, the credited one's."""
        return (
            self.field in (Field.INVOICE_NUMBER, Field.INVOICE_DATE)
            and not self.credit_note
            and any(word in self.label for word in _INVOICE_WORDS)
        )


@dataclass(frozen=True)
class LabelHit:
    """A label found on a line, with the text that may hold its value."""

    spec: LabelSpec
    line_index: int
    x0: float
    x1: float
    column_end: float
    segment: str


def _label_pattern(label: str) -> re.Pattern[str]:
    """Compile a label, tolerating a stray space inside words (``F actuurnummer``).

    A generic label matches anywhere a word starts; :func:`_line_hits` keeps it only where a
    line or a column starts.
    """
    label = label.lstrip("^")
    body = ""
    for word in label.split():
        if word == _ANY_WORDS:
            body += rf"(?:\s+\S+){{0,{_MAX_SKIPPED_WORDS}}}?\s+"
            continue
        chars = (f"[{APOSTROPHES}]" if char in APOSTROPHES else re.escape(char) for char in word)
        body += (r"\s*" if body and not body.endswith(r"\s+") else "") + r"\s?".join(chars)
    prefix = r"(?<!\w)" if label[0].isalnum() else ""
    suffix = r"(?!\w)" if label[-1].isalnum() else ""
    return re.compile(prefix + body + suffix, re.IGNORECASE)


_SPECS = tuple(
    LabelSpec(field, rank, _label_pattern(label), label.startswith("^"), label.lstrip("^"))
    for field, groups in _LABELS.items()
    for rank, group in enumerate(groups)
    for label in group
)


def find_hits(lines: Sequence[Line]) -> list[LabelHit]:
    """Every label in ``lines`` (in reading order), overlapping labels resolved."""
    return [hit for index, line in enumerate(lines) for hit in _line_hits(line, index)]


def own_hits(hits: Sequence[LabelHit]) -> list[LabelHit]:
    """``hits`` without those citing another document: on a credit note (its number labelled as
    one), an "Invoice date:" or "Invoice No:" is the credited invoice's, not the note's."""
    if not any(hit.spec.credit_note for hit in hits):
        return list(hits)
    return [hit for hit in hits if not hit.spec.names_invoice]


def _line_hits(line: Line, line_index: int) -> list[LabelHit]:
    """Labels of one line: earliest first, the longest label winning an overlap.

    So "Exclusief BTW" is one subtotal label, not also a "BTW" tax label, and
    "Total excl. VAT" is not a "Total".
    """
    candidates = sorted(
        (
            (match.start(), match.end(), spec)
            for spec in _SPECS
            for match in spec.pattern.finditer(line.text)
            if not spec.generic or _starts_column(line, match.start())
        ),
        key=lambda candidate: (candidate[0], candidate[0] - candidate[1]),
    )
    chosen: list[tuple[int, int, LabelSpec]] = []
    for candidate in candidates:
        if not chosen or candidate[0] >= chosen[-1][1]:
            chosen.append(candidate)
    ends = [start for start, _, _ in chosen[1:]] + [len(line.text)]
    return [
        LabelHit(spec, line_index, line.x_at(start), line.x_at(end), line.x_at(stop), line.text[end:stop])
        for (start, end, spec), stop in zip(chosen, ends, strict=False)  # ends has one more when empty
    ]


def _starts_column(line: Line, offset: int) -> bool:
    """Whether character ``offset`` of the line's text starts it, or starts a word printed a
    wide gap right of the one before it (a second column: "Globex Corporation      Date")."""
    if not line.text[:offset].strip():
        return True
    start = 0
    for previous, word in zip(line.words, line.words[1:], strict=False):
        start += len(previous.text) + 1
        if start == offset:
            return word.x0 - previous.x1 > _COLUMN_GAP * (word.bottom - word.top)
    return False


def summary_hits(hits: Sequence[LabelHit], lines: Sequence[Line]) -> list[LabelHit]:
    """``hits`` without the amount labels that are words of a description or a name.

    "Self-assessment tax return  £450.00", "Total care package  1  £1,200.00" (a line item) and
    "Total Energies SE au capital de 6 584 102 907,50 €" (a letterhead) print a tax or total word
    inside words of their own: a label there is not read where its field also has a label standing
    alone in its cell with an amount ("VAT 20%  £148.00", "Tax (8.25%)", "Total", a column's "VAT"
    over its totals row): that is the document's own. A label with words of its own is still read
    when its field has no such label ("Total for this invoice  USD 1,234.56", "zzgl. USt. 19 %").
    """
    alone = [_alone_in_cell(hit, lines[hit.line_index]) for hit in hits]
    # Fields with a label alone in its cell that prints an amount (beside it, or its column's total).
    bare = {
        hit.spec.field
        for hit, by_itself in zip(hits, alone, strict=True)
        if by_itself and hit.spec.field in _AMOUNT_FIELDS
        and (find_money(hit.segment) or column_total(hit, hits, lines))
    }
    return [hit for hit, by_itself in zip(hits, alone, strict=True)
            if by_itself or hit.spec.field not in bare]


def _alone_in_cell(hit: LabelHit, line: Line) -> bool:
    """Whether no word of its own shares the label's cell: none before it, and after it no word of
    text straight away ("VAT 20%", "Tax (8.25%):", "Total EUR", "VAT 20% on £740.00"), as a
    description's or a name's ("Self-assessment tax return", "Total care package", "Total Energies
    SE"). A field's most specific labels (its first group: "Total amount", "Grand total", "Total
    tax") may go on with words ("Total Amount Payable (USD)"): no description opens with them."""
    cell = next((run for run in word_runs(line, _CELL_GAP) if any(word.x0 == hit.x0 for word in run)), [])
    after = [word for word in cell if hit.x1 < word.x0 < hit.column_end]
    wording = hit.spec.rank > 0 and bool(after) and _is_wording(after[0])
    return not wording and not any(word.x0 < hit.x0 for word in cell)


def _is_wording(word: Word) -> bool:
    """A word of text: two letters or more and nothing else (not "20%", "US$"), not a currency's
    code or sign ("USD", "kr")."""
    text = word.text.strip("()[]:.,;-")
    return len(text) >= 2 and text.isalpha() and text not in _CURRENCY_WORDS


def text_below(hit: LabelHit, lines: Sequence[Line]) -> str:
    """The words on the next line of the same page under ``hit``'s column.

    The column runs from the label's left edge to where the next label on its line starts.
    Empty for generic labels, which never read a column.
    """
    below = hit.line_index + 1
    if hit.spec.generic or below >= len(lines) or lines[below].page != lines[hit.line_index].page:
        return ""
    return lines[below].text_between(hit.x0 - 2, hit.column_end)


def column_total(hit: LabelHit, hits: Sequence[LabelHit], lines: Sequence[Line]) -> str:
    """The amount under ``hit``'s column on its table's totals row, when ``hit`` heads an amount column.

    ``hit`` heads one when its line holds labels of two money fields or more (a table header:
    "Netto  VAT  Kwota VAT  Brutto"; not "BTW  Prijs incl. BTW", both the tax). The totals row is
    found by :func:`_totals_row`; the column's amount is the run of words there that overlaps the
    label across (right-aligned, left-aligned or centred under it). Empty otherwise: a line item's
    amount under the header is no total.
    """
    header = {other.spec.field for other in hits if other.line_index == hit.line_index} & _MONEY_FIELDS
    if hit.spec.generic or len(header) < 2:
        return ""
    row = _totals_row(lines, hit.line_index)
    if row is None:
        return ""
    return " ".join(text for text, x0, x1 in _cells(row) if x0 < hit.x1 and x1 > hit.x0)


def _totals_row(lines: Sequence[Line], header_index: int) -> Line | None:
    """The totals row of the table headed by line ``header_index``, if it prints one.

    The first line below the header on its page that opens with a totals word
    (:data:`_TOTALS_ROW_WORDS`) and prints two amounts or more: a row of the table, not a summary
    line such as "Total excl. VAT 100.00". Under a VAT summary's header (opening with the rate's
    column, :data:`_RATE_HEADINGS`), a single row of amounts is its totals: one rate's amounts are
    the whole's. Several rates' rows are not summed: without a totals row there is none.
    """
    page = lines[header_index].page
    below = [line for line in lines[header_index + 1 :] if line.page == page]
    if _RATE_HEADING.match(lines[header_index].text) and below and _amount_cells(below[0]) >= 2:
        return below[0] if len(below) == 1 or _amount_cells(below[1]) < 2 else None
    return next((line for line in below if _TOTALS_ROW.match(line.text) and _amount_cells(line) >= 2), None)


def _cells(line: Line) -> list[tuple[str, float, float]]:
    """A table row's cells: each run of words apart by a cell gap, with its left and right edge."""
    runs = word_runs(line, _CELL_GAP)
    return [(" ".join(word.text for word in run), run[0].x0, run[-1].x1) for run in runs]


def _amount_cells(line: Line) -> int:
    """How many of a row's cells print an amount."""
    return sum(bool(find_money(text)) for text, _, _ in _cells(line))
