"""Invoice reading rules beyond the English / German / Dutch basics, one rule per test.

Number grouping (space and lakh), an ISO code beside a symbol, year-first slashed dates, long
dates with their connecting words ("15 de marzo de 2024"), a currency named in a total's label,
French / Italian / Indian / German / Spanish / Portuguese / Polish / Swedish label vocabulary, a
due date inside the total line, generic labels starting a column, amount columns read on their
table's totals row ("Razem") and the currency of an Italian VAT id: each was a vendor-shaped
invoice's miss (``tests/unit/test_vendor_shaped_invoices.py``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from backend.services.document_text.dates import find_date, parse_date
from backend.services.document_text.money import Money, currency_named_in_label, find_money
from backend.services.invoices import InvoiceMetadata, extract_invoice_metadata
from tests.support.bank_shaped_pdfs import Sheet

# --- money in running text ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Total TTC 1 481,47 €", [Money(Decimal("1481.47"), "EUR")]),  # space-grouped thousands
        ("Capital 10 000 €", [Money(Decimal("10000.00"), "EUR")]),
        ("Total 1 234 567,89 EUR", [Money(Decimal("1234567.89"), "EUR")]),
        ("Grand Total ₹1,23,456.00", [Money(Decimal("123456.00"), "INR")]),  # lakh grouping
        ("Taxable ₹1,04,623.73", [Money(Decimal("104623.73"), "INR")]),
        ("Total INR 12,34,56,789.50", [Money(Decimal("123456789.50"), "INR")]),  # crore
        ("Total $174.00 AUD", [Money(Decimal("174.00"), "AUD")]),  # the code wins over "$"
        ("AUD $174.00", [Money(Decimal("174.00"), "AUD")]),
    ],
)
def test_find_money_reads_grouping_and_codes(text: str, expected: list[Money]) -> None:
    assert find_money(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "SIRET : 123 456 789 00012",  # space-grouped digits without decimals or currency
        "1,234 5,678",  # no decimals, no currency
        "TVA 20 % 246,91",  # the rate is no thousands group of the amount
    ],
)
def test_space_grouping_does_not_join_what_is_not_one_amount(text: str) -> None:
    assert all(money.amount < 1000 for money in find_money(text))


def test_inconsistent_groups_are_not_one_amount() -> None:
    assert Decimal("1234.56") not in [money.amount for money in find_money("1 234,567.56")]


@pytest.mark.parametrize(
    ("label", "code"),
    [(" (USD) 2,400.00", "USD"), (" in EUR €12.00", "EUR"), (" (EUR)", "EUR"), (" 2,400.00", None),
     (" in total 12.00", None), (" (incl. VAT) 12.00", None)],
)
def test_currency_named_in_label(label: str, code: str | None) -> None:
    assert currency_named_in_label(label) == code


# --- dates -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["2024/03/15", "2024.03.15", "2024-03-15"])
def test_year_first_dates_with_any_one_separator(text: str) -> None:
    assert parse_date(text) == date(2024, 3, 15)
    assert find_date(f"Issue Date: {text}") == date(2024, 3, 15)


@pytest.mark.parametrize("text", ["2024/03-15", "2024/13/01", "12024/03/15"])
def test_year_first_dates_reject_mixed_separators_and_bad_months(text: str) -> None:
    assert parse_date(text) is None


# --- labels, by language -----------------------------------------------------------------


def _read(tmp_path: Path, lines: list[str]) -> InvoiceMetadata:
    """Extract an invoice printing ``lines`` top to bottom (a Unicode font: ``₹``, ``’``)."""
    sheet = Sheet("A4", 9)
    sheet.new_page()
    for number, line in enumerate(lines):
        sheet.text(15, 20 + 6 * number, line)
    path = tmp_path / "invoice.pdf"
    sheet.save(path)
    return extract_invoice_metadata(path)


def test_german_ust_and_zahlbar_bis_with_words_between(tmp_path: Path) -> None:
    metadata = _read(tmp_path, [
        "Rechnungsnummer: 2024-0315",
        "Nettobetrag 1.234,56 EUR",
        "zzgl. USt. 19 % 234,57 EUR",
        "Gesamtbetrag 1.469,13 EUR",
        "Zahlbar innerhalb von 14 Tagen ohne Abzug bis zum 29.03.2024.",
        "USt-IdNr.: DE123456789",
    ])
    assert (metadata.tax, metadata.due_date) == (Decimal("234.57"), date(2024, 3, 29))


def test_german_leistungszeitraum_bis_is_no_due_date(tmp_path: Path) -> None:
    metadata = _read(tmp_path, [
        "Rechnungsnummer: 2024-0315",
        "Leistungszeitraum 01.03.2024 bis zum 31.03.2024",
        "Gesamtbetrag 1.469,13 EUR",
    ])
    assert metadata.due_date is None


def test_french_labels(tmp_path: Path) -> None:
    metadata = _read(tmp_path, [
        "FACTURE",
        "N° de facture : F-2024-0042 Réf. client : CL-0087",
        "Date d'émission : 15/03/2024",
        "Date d’échéance : 14/04/2024",
        "Total HT 1 234,56 EUR",
        "TVA 20 % 246,91 EUR",
        "Total TTC 1 481,47 EUR",
    ])
    assert metadata.to_json() == {
        "invoice_number": "F-2024-0042", "invoice_date": "2024-03-15", "due_date": "2024-04-14",
        "vendor": None, "currency": "EUR", "subtotal": "1234.56", "tax": "246.91", "total": "1481.47",
    }


def test_italian_labels_and_the_date_after_the_number(tmp_path: Path) -> None:
    metadata = _read(tmp_path, [
        "Fattura n. 123/2024 del 15/03/2024",
        "Imponibile 1.000,00 EUR",
        "IVA 22% 220,00 EUR",
        "Totale documento 1.220,00 EUR",
        "Scadenza: 15/04/2024",
    ])
    assert metadata.to_json() == {
        "invoice_number": "123/2024", "invoice_date": "2024-03-15", "due_date": "2024-04-15",
        "vendor": None, "currency": "EUR", "subtotal": "1000.00", "tax": "220.00", "total": "1220.00",
    }


def test_a_labelled_invoice_date_wins_over_the_date_after_the_number(tmp_path: Path) -> None:
    metadata = _read(tmp_path, ["Rechnung Nr. 4711 vom 01.03.2024", "Rechnungsdatum: 02.03.2024",
                                "Gesamtbetrag 10,00 EUR"])
    assert (metadata.invoice_number, metadata.invoice_date) == ("4711", date(2024, 3, 2))


def test_indian_gst_parts_are_summed_and_taxable_value_is_the_subtotal(tmp_path: Path) -> None:
    metadata = _read(tmp_path, [
        "Invoice No.: ST/2023-24/0456",
        "Sr. Description HSN Qty Rate Taxable Value",
        "1 Cotton Fabric 5208 850 84.50 71,825.00",
        "Total Taxable Value INR 1,04,623.73",
        "CGST @ 9% INR 9,416.14",
        "SGST @ 9% INR 9,416.14",
        "Round Off (-)0.01",
        "Grand Total INR 1,23,456.00",
    ])
    assert (metadata.subtotal, metadata.tax, metadata.total) == (
        Decimal("104623.73"), Decimal("18832.28"), Decimal("123456.00"))


def test_a_printed_total_gst_wins_over_its_parts(tmp_path: Path) -> None:
    metadata = _read(tmp_path, [
        "Invoice No.: ST-0456",
        "CGST @ 9% INR 9.00",
        "SGST @ 9% INR 9.00",
        "Total Tax INR 18.00",
        "Grand Total INR 118.00",
    ])
    assert metadata.tax == Decimal("18.00")


def test_due_date_inside_the_total_line(tmp_path: Path) -> None:
    metadata = _read(tmp_path, [
        "Invoice Number: 1487263950",
        "TOTAL AMOUNT DUE ON May 2, 2024 $1,234.56",
    ])
    assert (metadata.due_date, metadata.total) == (date(2024, 5, 2), Decimal("1234.56"))


def test_currency_from_a_code_in_the_total_label(tmp_path: Path) -> None:
    metadata = _read(tmp_path, ["Invoice # 0042", "Subtotal 2,400.00", "Total (USD) 2,400.00"])
    assert (metadata.currency, metadata.total) == ("USD", Decimal("2400.00"))


# --- receipts, GST / PST, utility bills, credit notes, letter dates --------------------------


def test_plural_taxes_is_a_tax_label(tmp_path: Path) -> None:
    metadata = _read(tmp_path, ["Invoice Number IN012345678", "Net Amount 54.99", "Taxes (8.875%) 4.88",
                                "Total Amount (USD) 59.87"])
    assert (metadata.subtotal, metadata.tax, metadata.total) == (
        Decimal("54.99"), Decimal("4.88"), Decimal("59.87"))


def test_a_code_the_total_label_names_beats_a_bare_dollar(tmp_path: Path) -> None:
    metadata = _read(tmp_path, ["Invoice #: 2024-0315", "Subtotal $1,000.00", "Total (CAD) $1,120.00"])
    assert (metadata.currency, metadata.total) == ("CAD", Decimal("1120.00"))


def test_gst_and_pst_lines_are_summed_as_one_tax(tmp_path: Path) -> None:
    metadata = _read(tmp_path, ["Invoice #: 2024-0315", "Subtotal $1,000.00", "GST (5%) $50.00",
                                "PST (7%) $70.00", "Total (CAD) $1,120.00"])
    assert metadata.tax == Decimal("120.00")


def test_a_printed_total_tax_wins_over_gst_and_pst(tmp_path: Path) -> None:
    metadata = _read(tmp_path, ["Invoice #: 2024-0315", "GST (5%) $50.00", "PST (7%) $70.00",
                                "Total Tax $120.00", "Total (CAD) $1,120.00"])
    assert metadata.tax == Decimal("120.00")


def test_a_gst_line_alone_is_the_tax(tmp_path: Path) -> None:
    metadata = _read(tmp_path, ["Invoice #: 2024-0315", "GST (5%) $50.00", "Total (CAD) $1,050.00"])
    assert metadata.tax == Decimal("50.00")


def test_gst_qualified_subtotal_and_total_labels(tmp_path: Path) -> None:
    metadata = _read(tmp_path, ["Invoice Number INV-2024/03-0042", "Subtotal (ex GST) $1,122.33",
                                "GST 10% $112.23", "Total inc. GST $1,234.56", "Amount Due $1,234.56"])
    assert (metadata.subtotal, metadata.tax, metadata.total) == (
        Decimal("1122.33"), Decimal("112.23"), Decimal("1234.56"))


def test_an_australian_business_number_and_gst_make_a_bare_dollar_aud(tmp_path: Path) -> None:
    metadata = _read(tmp_path, ["Koala Electrical Services Pty Ltd", "ABN 12 345 678 901",
                                "Invoice Number INV-0042", "GST 10% $10.00", "Total $110.00"])
    assert (metadata.currency, metadata.total) == ("AUD", Decimal("110.00"))


@pytest.mark.parametrize(
    ("lines", "currency"),
    [
        (["ABN 12 345 678 901", "Invoice Number INV-0042", "Total $110.00"], "USD"),  # no GST
        (["ABN 12 345 678", "Invoice Number INV-0042", "GST 10% $10.00", "Total $110.00"], "USD"),  # no ABN
        (["ABN 12 345 678 901", "Invoice Number INV-0042", "GST 10% $10.00", "Total $110.00 USD"], "USD"),
        (["ABN 12 345 678 901", "Invoice Number INV-0042", "GST 10% NZ$10.00", "Total NZ$110.00"], "NZD"),
    ],
)
def test_a_dollar_is_aud_only_with_an_abn_gst_and_no_printed_code(
    tmp_path: Path, lines: list[str], currency: str
) -> None:
    assert _read(tmp_path, lines).currency == currency


def test_bill_date_is_the_invoice_date_and_a_service_period_is_not(tmp_path: Path) -> None:
    metadata = _read(tmp_path, ["Invoice Number 908172635", "Service Period 02/12/2024 - 03/13/2024",
                                "Bill Date 03/15/2024", "Total Amount Due $187.42"])
    assert metadata.invoice_date == date(2024, 3, 15)


def test_a_utility_bills_service_charges_are_its_subtotal(tmp_path: Path) -> None:
    metadata = _read(tmp_path, ["Invoice Number 908172635", "Previous Balance $165.10",
                                "Electric Charges $171.25", "Sales Tax (9.44%) $16.17",
                                "Total Current Charges $187.42", "Total Amount Due $187.42"])
    assert (metadata.subtotal, metadata.tax, metadata.total) == (
        Decimal("171.25"), Decimal("16.17"), Decimal("187.42"))


def test_a_printed_subtotal_wins_over_service_charges(tmp_path: Path) -> None:
    metadata = _read(tmp_path, ["Invoice Number 908172635", "Electric Charges $100.00",
                                "Water Charges $71.25", "Subtotal $171.25", "Total $187.42"])
    assert metadata.subtotal == Decimal("171.25")


def test_a_credit_note_reads_its_own_number_date_and_net(tmp_path: Path) -> None:
    metadata = _read(tmp_path, [
        "CREDIT NOTE",
        "Credit Note No: CN-2024-0007",
        "Date: 15 March 2024",
        "Original invoice: NT-2024-0815",
        "Invoice date: 01 March 2024",
        "Net -£250.00",
        "VAT @ 20% -£50.00",
        "Total credit -£300.00",
    ])
    assert metadata.to_json() == {
        "invoice_number": "CN-2024-0007", "invoice_date": "2024-03-15", "due_date": None,
        "vendor": None, "currency": "GBP", "subtotal": "-250.00", "tax": "-50.00", "total": "-300.00",
    }


def test_on_an_invoice_the_invoice_date_still_wins_over_a_bare_date(tmp_path: Path) -> None:
    metadata = _read(tmp_path, ["Invoice No: NT-2024-0815", "Date: 15 March 2024",
                                "Invoice date: 01 March 2024", "Total £300.00"])
    assert metadata.invoice_date == date(2024, 3, 1)


def test_payment_terms_net_30_are_no_subtotal(tmp_path: Path) -> None:
    metadata = _read(tmp_path, ["Invoice No: NT-2024-0815", "Net 30", "Total £300.00"])
    assert metadata.subtotal is None


@pytest.mark.parametrize("place", ["Zürich", "St. Gallen", "Frankfurt am Main", "La Chaux-de-Fonds"])
def test_a_place_and_date_line_dates_an_unlabelled_letter(tmp_path: Path, place: str) -> None:
    metadata = _read(tmp_path, ["Alpenblick Software AG", f"{place}, 15. März 2024",
                                "Rechnung Nr. 2024-0315", "Total CHF 1'234.50"])
    assert metadata.invoice_date == date(2024, 3, 15)


@pytest.mark.parametrize(
    "line",
    [
        "Bahnhofstrasse 21, 8001 Zürich, 15. März 2024",  # an address, not a place
        "Delivered to Zürich, 15. März 2024 onwards",  # a sentence
        "Visa ending 4242, charged 15-MAR-2024",
        "Zürich 15. März 2024",  # no comma
        "Leistungszeitraum, 15. März 2024 - 31. März 2024",  # more than one date
    ],
)
def test_only_a_line_of_a_place_a_comma_and_a_date_dates_a_letter(tmp_path: Path, line: str) -> None:
    metadata = _read(tmp_path, [line, "Rechnung Nr. 2024-0315", "Total CHF 1'234.50"])
    assert metadata.invoice_date is None


def test_a_labelled_date_wins_over_the_place_and_date_line(tmp_path: Path) -> None:
    metadata = _read(tmp_path, ["Zürich, 15. März 2024", "Rechnung Nr. 2024-0315", "Datum: 01.03.2024",
                                "Total CHF 1'234.50"])
    assert metadata.invoice_date == date(2024, 3, 1)


# --- currency from an Italian VAT id -----------------------------------------------------


@pytest.mark.parametrize("vat_id", ["P.IVA 01234567890", "Partita IVA: 01234567890", "VAT IT01234567890"])
def test_an_italian_vat_id_without_any_printed_currency_means_eur(tmp_path: Path, vat_id: str) -> None:
    metadata = _read(tmp_path, ["Rossi S.r.l.", vat_id, "Fattura n. 123/2024 del 15/03/2024",
                                "Totale documento 1.220,00"])
    assert (metadata.currency, metadata.total) == ("EUR", Decimal("1220.00"))


@pytest.mark.parametrize(
    "lines",
    [
        ["Fattura n. 123/2024 del 15/03/2024", "Totale documento 1.220,00"],  # no evidence
        ["P.IVA 0123456789", "Totale documento 1.220,00"],  # ten digits: no Italian VAT id
        ["P.IVA 01234567890", "Totale documento 1.220,00 CHF"],  # printed currency wins
    ],
)
def test_currency_is_not_inferred_without_strong_evidence(tmp_path: Path, lines: list[str]) -> None:
    currency = _read(tmp_path, lines).currency
    assert currency == ("CHF" if "CHF" in lines[-1] else None)


# --- generic labels starting a column ----------------------------------------------------


def test_generic_labels_start_a_column_after_a_wide_gap(tmp_path: Path) -> None:
    """'Date' and 'Due' printed right of the client's block read as labels; 'Order date' does not."""
    sheet = Sheet("Letter", 8)
    sheet.new_page()
    sheet.text(15, 40, "Bill To")
    sheet.text(130, 40, "Invoice # 0042")
    sheet.text(15, 45, "Globex Corporation")
    sheet.text(130, 45, "Date 2024-03-15")
    sheet.text(15, 50, "Attn: Hank Scorpio")
    sheet.text(130, 50, "Due 2024-04-14")
    sheet.text(15, 60, "Thanks for your order date 2024-01-01")
    sheet.text(15, 70, "Total (USD) 2,400.00")
    path = tmp_path / "columns.pdf"
    sheet.save(path)
    metadata = extract_invoice_metadata(path)
    assert (metadata.invoice_date, metadata.due_date) == (date(2024, 3, 15), date(2024, 4, 14))


def test_a_generic_label_mid_sentence_is_not_read(tmp_path: Path) -> None:
    metadata = _read(tmp_path, ["Invoice # 0042", "Please note the order date 2024-01-01 and due 2024-02-01",
                                "Total 10.00 EUR"])
    assert (metadata.invoice_date, metadata.due_date) == (None, None)


# --- Spanish, Portuguese, Polish and Swedish labels ---------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15 de marzo de 2024", date(2024, 3, 15)),  # Spanish, "de" before month and year
        ("1 de septiembre del 2024", date(2024, 9, 1)),
        ("15 de março de 2024", date(2024, 3, 15)),  # Portuguese
        ("3 de fevereiro de 2024", date(2024, 2, 3)),
        ("15 marca 2024", date(2024, 3, 15)),  # Polish, the month's genitive as printed
        ("1 października 2024", date(2024, 10, 1)),
        ("15th of March 2024", date(2024, 3, 15)),
    ],
)
def test_long_dates_with_their_connecting_words_and_months(text: str, expected: date) -> None:
    assert parse_date(text) == expected
    assert find_date(f"Fecha: {text}") == expected


def test_a_connecting_word_alone_makes_no_date() -> None:
    assert find_date("Pedido 15 de 2024") is None


def test_spanish_labels(tmp_path: Path) -> None:
    metadata = _read(tmp_path, [
        "FACTURA",
        "Nº Factura: 2024/0153",
        "Fecha: 15 de marzo de 2024",
        "Vencimiento: 14 de abril de 2024",
        "Base imponible 1.020,30 €",
        "IVA 21 % 214,26 €",
        "Total 1.234,56 €",
    ])
    assert metadata.to_json() == {
        "invoice_number": "2024/0153", "invoice_date": "2024-03-15", "due_date": "2024-04-14",
        "vendor": None, "currency": "EUR", "subtotal": "1020.30", "tax": "214.26", "total": "1234.56",
    }


def test_portuguese_labels(tmp_path: Path) -> None:
    metadata = _read(tmp_path, [
        "Número da fatura: 2024-000315",
        "Data de emissão: 15/03/2024",
        "Vencimento: 15/04/2024",
        "Valor dos serviços R$ 1.150,00",
        "ISS (5%) R$ 57,50",
        "Valor total R$ 1.207,50",
    ])
    assert metadata.to_json() == {
        "invoice_number": "2024-000315", "invoice_date": "2024-03-15", "due_date": "2024-04-15",
        "vendor": None, "currency": "BRL", "subtotal": "1150.00", "tax": "57.50", "total": "1207.50",
    }


def test_polish_labels(tmp_path: Path) -> None:
    metadata = _read(tmp_path, [
        "Faktura VAT nr FV/2024/03/015",
        "Data sprzedaży: 2024-03-14",
        "Data wystawienia: 2024-03-15",
        "Termin płatności: 2024-03-29",
        "Do zapłaty: 1 517,82 PLN",
    ])
    assert (metadata.invoice_number, metadata.invoice_date, metadata.due_date, metadata.total) == (
        "FV/2024/03/015", date(2024, 3, 15), date(2024, 3, 29), Decimal("1517.82"))


def test_swedish_labels_stacked_above_their_values(tmp_path: Path) -> None:
    sheet = Sheet("A4", 8)
    sheet.new_page()
    for x, label, value in ((20, "Fakturanummer", "10234"), (60, "Fakturadatum", "2024-03-15"),
                            (100, "Förfallodatum", "2024-04-14"), (140, "OCR-nummer", "1023400000017")):
        sheet.text(x, 34, label, size=6.5)
        sheet.text(x, 39, value)
    for y, label, value in ((80, "Belopp exkl. moms", "9 876,00"), (85, "Moms 25 %", "2 469,00"),
                            (90, "Att betala", "12 345,00 SEK")):
        sheet.text(120, y, label)
        sheet.right(190, y, value)
    path = tmp_path / "faktura.pdf"
    sheet.save(path)
    assert extract_invoice_metadata(path).to_json() == {
        "invoice_number": "10234", "invoice_date": "2024-03-15", "due_date": "2024-04-14",
        "vendor": None, "currency": "SEK", "subtotal": "9876.00", "tax": "2469.00", "total": "12345.00",
    }


def _totals_row_invoice(
    tmp_path: Path, header: list[tuple[float, str]], totals_label: str
) -> InvoiceMetadata:
    """A table whose amount columns (right-aligned at -x) end in a totals row, then 'Do zapłaty'."""
    sheet = Sheet("A4", 8)
    sheet.new_page()
    sheet.text(20, 20, "Faktura VAT nr FV/2024/03/015")
    rows = [["Usługi programistyczne", "1 000,00", "23%", "230,00", "1 230,00"],
            ["Licencja oprogramowania", "234,00", "23%", "53,82", "287,82"],
            [totals_label, "1 234,00", "", "283,82", "1 517,82"]]
    for y, row in zip((40, 45, 50, 55), [[title for _, title in header], *rows], strict=True):
        for (x, _), cell in zip(header, row, strict=True):
            (sheet.right if x < 0 else sheet.text)(abs(x), y, cell)
    sheet.text(20, 70, "Do zapłaty: 1 517,82 PLN")
    path = tmp_path / "faktura.pdf"
    sheet.save(path)
    return extract_invoice_metadata(path)


_POLISH_COLUMNS = [(20, "Nazwa"), (-135, "Netto"), (-150, "VAT"), (-170, "Kwota VAT"), (-192, "Brutto")]


def test_amount_columns_are_read_on_their_totals_row(tmp_path: Path) -> None:
    """'Razem' under Netto / Kwota VAT: the subtotal and the tax, the column's own amount each."""
    metadata = _totals_row_invoice(tmp_path, _POLISH_COLUMNS, "Razem")
    assert (metadata.subtotal, metadata.tax, metadata.total) == (
        Decimal("1234.00"), Decimal("283.82"), Decimal("1517.82"))


def test_amount_columns_without_a_totals_row_give_no_amount(tmp_path: Path) -> None:
    """A line item's amounts under the columns are no subtotal or tax."""
    metadata = _totals_row_invoice(tmp_path, _POLISH_COLUMNS, "Rabat")
    assert (metadata.subtotal, metadata.tax) == (None, None)


def test_columns_naming_one_field_twice_are_no_amount_header(tmp_path: Path) -> None:
    """Coolblue's 'BTW  Prijs incl. BTW' header (both the tax): its 'Totaal' row is no tax."""
    sheet = Sheet("A4", 8)
    sheet.new_page()
    sheet.text(20, 20, "Factuurnummer: 0123456")
    for x, title in ((20, "Artikel"), (-150, "BTW"), (-192, "Prijs incl. BTW")):
        (sheet.right if x < 0 else sheet.text)(abs(x), 40, title)
    sheet.text(20, 45, "Koffiezetapparaat")
    sheet.right(150, 45, "21%")
    sheet.right(192, 45, "€ 717,97")
    sheet.text(20, 55, "Totaal € 717,97")
    sheet.right(192, 55, "€ 717,97")
    path = tmp_path / "factuur.pdf"
    sheet.save(path)
    assert extract_invoice_metadata(path).tax is None
