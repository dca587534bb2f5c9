"""Invoice metadata extraction: parsing helpers, real sample invoices, generated invoices."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pdfplumber.page import Page

from backend.services.document_text.dates import find_date, numeric_date_order
from backend.services.document_text.money import Money, find_money
from backend.services.errors import InvalidInputError
from backend.services.invoices import (
    InvoiceMetadata,
    extract_invoice_metadata,
    parse_date,
    parse_money,
)
from tests.support import SAMPLES_DIR
from tests.support.invoice_pdfs import write_encrypted_pdf, write_text_pdf, write_textless_pdf

INVOICES_DIR = SAMPLES_DIR / "invoices"

# --- parse_money / find_money ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$ 42.00", "42.00"),
        ("€ 399,00", "399.00"),
        ("€3.50", "3.50"),
        ("1.234,56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("1,234,567.89", "1234567.89"),
        ("EUR 34,73", "34.73"),
        ("15,00 EUR", "15.00"),
        ("€ -9,32", "-9.32"),
        ("-$5.00", "-5.00"),
        ("12,5", "12.50"),
        ("1.234", "1234.00"),
        ("42", "42.00"),
        # Both separators: the last, printed once, is the decimal one, whatever its digits
        # (KWD, BHD and OMR have three decimals; read as thousands it was 1,142,553.00).
        ("KWD 1,142.553", "1142.553"),
        ("1.142,553 BHD", "1142.553"),
        ("1,234,567.891", "1234567.891"),
    ],
)
def test_parse_money(text: str, expected: str) -> None:
    assert parse_money(text) == Decimal(expected)


@pytest.mark.parametrize(
    "text", ["", "abc", "15%", "1.234.56", "1,234.567,890", "12/03/2023", "NL810433941B01", "21.05.14"]
)
def test_parse_money_rejects_non_amounts(text: str) -> None:
    assert parse_money(text) is None


def test_find_money_reads_currency_and_skips_percentages() -> None:
    assert find_money("Tax 15% on $ 112.90 $ 16.94") == [
        Money(Decimal("112.90"), "USD"),
        Money(Decimal("16.94"), "USD"),
    ]
    assert find_money("Total EUR 34,73") == [Money(Decimal("34.73"), "EUR")]
    assert find_money("Total CA$ 10.00") == [Money(Decimal("10.00"), "CAD")]


@pytest.mark.parametrize(
    "text",
    ["UStId DE 232 446 240", "Zahlungsbedingungen 14 Tage netto", "Seite 2", "01.05.14-31.05.14"],
)
def test_find_money_ignores_bare_integers_and_dates(text: str) -> None:
    assert find_money(text) == []


# --- parse_date / find_date ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2014-05-07", date(2014, 5, 7)),
        ("07.05.2014", date(2014, 5, 7)),
        ("21.05.14", date(2014, 5, 21)),
        ("7. Mai 2014", date(2014, 5, 7)),
        ("3. März 2015", date(2015, 3, 3)),
        ("19 april 2014", date(2014, 4, 19)),
        ("18 mei 2014", date(2014, 5, 18)),
        ("3 maart 2015", date(2015, 3, 3)),
        ("March 20, 2023", date(2023, 3, 20)),
        ("20 Mar 2023", date(2023, 3, 20)),
        ("03/20/2023", date(2023, 3, 20)),
        ("20/03/2023", date(2023, 3, 20)),
        ("04/04/2023", date(2023, 4, 4)),
    ],
)
def test_parse_date(text: str, expected: date) -> None:
    assert parse_date(text) == expected


def test_parse_date_uses_the_documents_order_for_ambiguous_numeric_dates() -> None:
    assert parse_date("04/05/2024", day_first=False) == date(2024, 4, 5)
    assert parse_date("04/05/2024", day_first=True) == date(2024, 5, 4)
    assert parse_date("04/05/2024") is None  # order unknown: not guessed


@pytest.mark.parametrize(
    "text", ["", "foo", "31.02.2024", "01.05.14-31.05.14", "Mai 2014", "7. Mai 2014 extra"]
)
def test_parse_date_rejects_non_dates(text: str) -> None:
    assert parse_date(text) is None


def test_find_date_returns_the_first_date_in_text() -> None:
    assert find_date("Rechnungsdatum 7. Mai 2014 Lieferung 2014-05-09") == date(2014, 5, 7)
    assert find_date("Payment terms: 15 Days") is None


def test_numeric_date_order() -> None:
    assert numeric_date_order(["03/20/2023"], currency="EUR") is False  # evidence wins
    assert numeric_date_order(["20/03/2023"], currency="USD") is True
    assert numeric_date_order(["04/05/2024"], currency="USD") is False  # US: month first
    assert numeric_date_order(["04/05/2024"], currency="EUR") is True
    assert numeric_date_order(["04/05/2024"], currency=None) is None
    assert numeric_date_order(["20/03/2023", "03/20/2023"], currency="USD") is None


# --- InvoiceMetadata ---------------------------------------------------------------------


def test_to_json_formats_dates_and_money_and_keeps_none() -> None:
    metadata = InvoiceMetadata(
        invoice_number="A-1",
        invoice_date=date(2024, 3, 5),
        due_date=None,
        vendor="Acme Ltd",
        currency="GBP",
        subtotal=Decimal("42"),
        tax=None,
        total=Decimal("50.40"),
    )
    assert metadata.to_json() == {
        "invoice_number": "A-1",
        "invoice_date": "2024-03-05",
        "due_date": None,
        "vendor": "Acme Ltd",
        "currency": "GBP",
        "subtotal": "42.00",
        "tax": None,
        "total": "50.40",
    }


# --- real sample invoices ----------------------------------------------------------------

SAMPLES = {
    "AzureInterior": InvoiceMetadata(
        invoice_number="INV/2023/03/0008",
        invoice_date=date(2023, 3, 20),
        due_date=date(2023, 4, 4),
        vendor="Azure Interior",
        currency="USD",
        subtotal=Decimal("262.90"),
        tax=Decimal("16.94"),
        total=Decimal("279.84"),
    ),
    "QualityHosting": InvoiceMetadata(
        invoice_number="30064443",
        invoice_date=date(2014, 5, 7),
        due_date=date(2014, 5, 21),  # "Zahlungsziel 21.05.14": printed, absent from the JSON
        vendor="QualityHosting AG",
        currency="EUR",
        subtotal=None,  # see NOT_PRINTED
        tax=None,  # no tax line at all
        total=Decimal("34.73"),
    ),
    "coolblue1": InvoiceMetadata(
        invoice_number="993548900",
        invoice_date=date(2014, 4, 19),
        due_date=None,  # paid by iDEAL, no due date printed
        vendor="Coolblue B.V.",
        currency="EUR",
        subtotal=Decimal("593.36"),  # "Exclusief BTW", not "Subtotaal € 717,97" (incl. BTW)
        tax=Decimal("124.61"),  # "BTW 21% € 124,61": printed, absent from the JSON
        total=Decimal("717.97"),
    ),
}
# invoice2data's JSON field -> our field.
JSON_FIELDS = {
    "invoice_number": "invoice_number",
    "date": "invoice_date",
    "date_due": "due_date",
    "issuer": "vendor",
    "currency": "currency",
    "amount_untaxed": "subtotal",
    "amount_tax": "tax",
    "amount": "total",
}
# Fields the invoice2data JSON states but the PDF does not print. QualityHosting prints only
# "Total EUR 34,73" (line amounts are "ohne MwSt."); invoice2data's template copies the total
# into amount_untaxed, which would be deriving a value, so we return None.
NOT_PRINTED = {"QualityHosting": {"subtotal"}}


def _json_expectations(name: str) -> dict[str, object]:
    """The invoice2data expected values for ``name``, as our field names and types."""
    (raw,) = json.loads((INVOICES_DIR / f"{name}.expected.json").read_text(encoding="utf-8"))
    expected: dict[str, object] = {}
    for json_field, field in JSON_FIELDS.items():
        if json_field in raw and field not in NOT_PRINTED.get(name, set()):
            value = raw[json_field]
            if field in {"invoice_date", "due_date"}:
                value = date.fromisoformat(value)
            elif field in {"subtotal", "tax", "total"}:
                value = Decimal(str(value)).quantize(Decimal("0.01"))
            expected[field] = value
    return expected


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_expectations_agree_with_invoice2data(name: str) -> None:
    theirs = _json_expectations(name)
    ours = vars(SAMPLES[name])
    assert {field: ours[field] for field in theirs} == theirs


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_extracts_sample_invoice(name: str) -> None:
    assert extract_invoice_metadata(INVOICES_DIR / f"{name}.pdf") == SAMPLES[name]


def test_extract_closes_every_page(monkeypatch: pytest.MonkeyPatch) -> None:
    closed: list[int] = []
    original_close = Page.close

    def counting_close(page: Page) -> None:
        closed.append(page.page_number)
        original_close(page)

    monkeypatch.setattr(Page, "close", counting_close)
    extract_invoice_metadata(INVOICES_DIR / "QualityHosting.pdf")
    assert closed[:2] == [1, 2]  # each page as soon as it is read (PDF.close() repeats it)


# --- generated invoices ------------------------------------------------------------------


def test_extracts_generated_german_invoice_with_every_field(tmp_path: Path) -> None:
    path = write_text_pdf(
        tmp_path / "de.pdf",
        [
            "Acme Supplies GmbH - Hauptstraße 1 - 10115 Berlin",
            "Max Mustermann, Beispielweg 5, 80331 München",
            "Rechnungsnummer: RE-2024-0042",
            "Rechnungsdatum: 15.03.2024",
            "Fällig am: 14.04.2024",
            "Pos. Beschreibung Betrag",
            "1 Beratung 1.000,00 EUR",
            "2 Software 234,56 EUR",
            "Nettobetrag 1.234,56 EUR",
            "MwSt. 19% 234,57 EUR",
            "Gesamtbetrag 1.469,13 EUR",
        ],
    )
    assert extract_invoice_metadata(path) == InvoiceMetadata(
        invoice_number="RE-2024-0042",
        invoice_date=date(2024, 3, 15),
        due_date=date(2024, 4, 14),
        vendor="Acme Supplies GmbH",
        currency="EUR",
        subtotal=Decimal("1234.56"),
        tax=Decimal("234.57"),
        total=Decimal("1469.13"),
    )


def test_extracts_generated_invoice_with_french_month_names(tmp_path: Path) -> None:
    """French months used to parse on statements only: the two date readers had drifted."""
    path = write_text_pdf(
        tmp_path / "fr.pdf",
        [
            "Atelier Dupont SARL",
            "Invoice number: FA-2024-017",
            "Invoice date: 3 février 2024",
            "Due date: 4 mars 2024",
            "Total 120,00 EUR",
        ],
    )
    metadata = extract_invoice_metadata(path)
    assert (metadata.invoice_date, metadata.due_date) == (date(2024, 2, 3), date(2024, 3, 4))
    assert metadata.total == Decimal("120.00")


def test_extracts_generated_us_invoice_with_every_field(tmp_path: Path) -> None:
    path = write_text_pdf(
        tmp_path / "us.pdf",
        [
            "Northwind Traders Inc.",
            "INVOICE",
            "Invoice #: 10482",
            "Invoice Date: March 5, 2024   Due Date: 04/05/2024",
            "Subtotal $1,234.56",
            "Sales Tax 8.25% $101.85",
            "Total $1,336.41",
        ],
    )
    metadata = extract_invoice_metadata(path)
    assert metadata.to_json() == {
        "invoice_number": "10482",
        "invoice_date": "2024-03-05",
        "due_date": "2024-04-05",  # a US-dollar document: month first
        "vendor": "Northwind Traders Inc.",
        "currency": "USD",
        "subtotal": "1234.56",
        "tax": "101.85",
        "total": "1336.41",
    }


def test_extracts_generated_dutch_invoice_with_net_and_gross_totals(tmp_path: Path) -> None:
    path = write_text_pdf(
        tmp_path / "nl.pdf",
        [
            "Bakkerij De Vries B.V.",
            "Factuurnr.: F-1001",
            "Datum: 3 maart 2024",
            "Vervaldatum: 2 april 2024",
            "Totaal excl. BTW 100,00",
            "BTW 21% 21,00",
            "Totaal incl. BTW EUR 121,00",
        ],
    )
    assert extract_invoice_metadata(path) == InvoiceMetadata(
        invoice_number="F-1001",
        invoice_date=date(2024, 3, 3),
        due_date=date(2024, 4, 2),
        vendor="Bakkerij De Vries B.V.",
        currency="EUR",
        subtotal=Decimal("100.00"),
        tax=Decimal("21.00"),
        total=Decimal("121.00"),
    )


def test_generated_invoice_with_only_a_total_leaves_the_rest_none(tmp_path: Path) -> None:
    lines = ["Thank you for your business.", "Total: 42.00 EUR"]
    path = write_text_pdf(tmp_path / "total-only.pdf", lines)
    empty = InvoiceMetadata(None, None, None, None, None, None, None, None)
    assert extract_invoice_metadata(path) == replace(empty, currency="EUR", total=Decimal("42.00"))


@pytest.mark.parametrize("lines", [
    ["Dear customer,", "your new card is on its way.", "Acme Bank GmbH, Berlin"],
    ["Meeting notes", "Agenda: 3 items, room 12, 10:30", "Next meeting in two weeks"],
])
def test_a_document_without_any_invoice_field_fails_clearly(tmp_path: Path, lines: list[str]) -> None:
    """A letter sent to the invoice endpoint by mistake: FAILED with a message that says
    so, not a SUCCESS whose every field is null."""
    path = write_text_pdf(tmp_path / "letter.pdf", lines)
    with pytest.raises(InvalidInputError, match="does not look like an invoice"):
        extract_invoice_metadata(path)


def test_several_tax_rates_without_a_tax_total_give_no_tax(tmp_path: Path) -> None:
    path = write_text_pdf(
        tmp_path / "two-rates.pdf",
        [
            "Nettobetrag 200,00 EUR",
            "MwSt. 7% 7,00 EUR",
            "MwSt. 19% 19,00 EUR",
            "Gesamtbetrag 226,00 EUR",
        ],
    )
    metadata = extract_invoice_metadata(path)
    assert metadata.subtotal == Decimal("200.00")
    assert metadata.tax is None  # two rates, their sum is not printed
    assert metadata.total == Decimal("226.00")


# --- unreadable input ---------------------------------------------------------------------


def test_corrupt_bytes_raise_invalid_input(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.pdf"
    path.write_bytes(b"%PDF-1.7\n\x00\x01 this is not a pdf body")
    with pytest.raises(InvalidInputError, match="could not be read as a PDF"):
        extract_invoice_metadata(path)


def test_truncated_pdf_raises_invalid_input(tmp_path: Path) -> None:
    path = tmp_path / "truncated.pdf"
    path.write_bytes((INVOICES_DIR / "coolblue1.pdf").read_bytes()[:3000])
    with pytest.raises(InvalidInputError, match="corrupt or truncated"):
        extract_invoice_metadata(path)


def test_textless_pdf_raises_invalid_input(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="no text"):
        extract_invoice_metadata(write_textless_pdf(tmp_path / "scan.pdf"))


def test_encrypted_pdf_raises_invalid_input(tmp_path: Path) -> None:
    path = write_encrypted_pdf(tmp_path / "locked.pdf", ["Total: 1.00 EUR"])
    with pytest.raises(InvalidInputError, match="password-protected"):
        extract_invoice_metadata(path)


def test_missing_file_is_not_blamed_on_the_document(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        extract_invoice_metadata(tmp_path / "missing.pdf")
