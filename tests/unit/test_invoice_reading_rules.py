"""Invoice reading rules beyond the English / German / Dutch basics, one rule per test.

Number grouping (space and lakh), an ISO code beside a symbol, year-first slashed dates, long
dates with their connecting words ("15 de marzo de 2024"), a currency named in a total's label,
French / Italian / Indian / German / Spanish / Portuguese / Polish / Swedish label vocabulary, a
due date inside the total line, generic labels starting a column, amount columns read on their
table's totals row ("Razem"), the currency of an Italian VAT id; Norwegian, Czech, Portuguese and
Turkish labels, "kr" from a VAT registration, a VAT summary's one rate row, a series and number,
Arabic translations beside English labels: each was a vendor-shaped invoice's miss
(``tests/unit/test_vendor_shaped_invoices.py``).
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


# --- the third vendor-shaped set: Norwegian, Czech, Portuguese, Turkish, UAE ----------------


# Each a vendor-shaped invoice's wording, its fields all read: (lines, fields as JSON).
_THIRD_SET_WORDINGS: dict[str, tuple[list[str], dict[str, str | None]]] = {
    "norwegian": (
        [
            "Fjordlys Regnskap AS",
            "Org.nr. 912 345 678 MVA",
            "Fakturanr. 24031",
            "Fakturadato 15.03.2024",
            "Forfallsdato 29.03.2024",
            "Sum ekskl. mva kr 8 400,00",
            "Mva 25 % kr 2 100,00",
            "Å betale kr 10 500,00",
        ],
        {
            "invoice_number": "24031", "invoice_date": "2024-03-15", "due_date": "2024-03-29",
            "vendor": "Fjordlys Regnskap AS", "currency": "NOK", "subtotal": "8400.00", "tax": "2100.00",
            "total": "10500.00",
        },
    ),
    "czech": (
        [
            "Faktura – daňový doklad č. 2024031",
            "Datum vystavení: 15. 3. 2024",
            "Datum zdanitelného plnění: 29. 2. 2024",
            "Datum splatnosti: 29. 3. 2024",
            "Variabilní symbol: 2024031",
            "Celkem bez DPH 48 500,00 Kč",
            "DPH 21 % 10 185,00 Kč",
            "Celkem k úhradě 58 685,00 Kč",
        ],
        {
            "invoice_number": "2024031", "invoice_date": "2024-03-15", "due_date": "2024-03-29",
            "vendor": None, "currency": "CZK", "subtotal": "48500.00", "tax": "10185.00", "total": "58685.00",
        },
    ),
    "turkish": (
        [
            "Fatura Tipi: SATIS",
            "Fatura No: ANY2024000000153",
            "Fatura Tarihi: 15.03.2024",
            "Son Ödeme Tarihi: 15.04.2024",
            "ETTN: 7b1e4c2a-93f0-4d6e-a5b2-3c8d9e0f1a24",
            "Mal Hizmet Toplam Tutarı 25.000,00 TL",
            "Toplam İskonto 0,00 TL",
            "Hesaplanan KDV (%20) 5.000,00 TL",
            "Vergiler Dahil Toplam Tutar 30.000,00 TL",
            "Ödenecek Tutar 30.000,00 TL",
        ],
        {
            "invoice_number": "ANY2024000000153", "invoice_date": "2024-03-15", "due_date": "2024-04-15",
            "vendor": None, "currency": "TRY", "subtotal": "25000.00", "tax": "5000.00", "total": "30000.00",
        },
    ),
    # Each English label with its Arabic translation beside it (after a '/' or before the value).
    "bilingual": (
        [
            "Al Noor Facilities Management L.L.C.",
            "TRN: 100123456700003",
            "Tax Invoice فاتورة ضريبية",
            "Invoice No. رقم الفاتورة INV-2024-0311",
            "Invoice Date تاريخ الفاتورة 15-Mar-2024",
            "Bill To / العميل",
            "Gulf Horizon Trading FZE",
            "Total excluding VAT / المجموع بدون الضريبة AED 10,000.00",
            "VAT 5% / ضريبة القيمة المضافة AED 500.00",
            "Total including VAT / المجموع شامل الضريبة AED 10,500.00",
        ],
        {
            "invoice_number": "INV-2024-0311", "invoice_date": "2024-03-15", "due_date": None,
            "vendor": "Al Noor Facilities Management L.L.C.", "currency": "AED", "subtotal": "10000.00",
            "tax": "500.00", "total": "10500.00",
        },
    ),
}


@pytest.mark.parametrize("wording", list(_THIRD_SET_WORDINGS))
def test_third_set_wordings_are_read(tmp_path: Path, wording: str) -> None:
    """Norwegian, Czech and Turkish labels; Arabic translations beside English ones set aside."""
    lines, expected = _THIRD_SET_WORDINGS[wording]
    assert _read(tmp_path, lines).to_json() == expected


@pytest.mark.parametrize(
    ("registration", "currency"),
    [("Org.nr. 912 345 678 MVA", "NOK"), ("MVA-nr. NO 912345678 MVA", "NOK"), ("CVR-nr. 12345678", "DKK"),
     ("Momsreg.nr. SE556677889901", "SEK"), ("Org.nr. 912 345 678", None), ("", None)],
)
def test_kr_is_the_krone_or_krona_of_the_vat_registration_printed(
    tmp_path: Path, registration: str, currency: str | None
) -> None:
    """'kr' alone names three currencies: a national VAT registration tells which, nothing weaker."""
    metadata = _read(tmp_path, ["Fakturanr. 24031", registration, "Å betale kr 10 500,00"])
    assert (metadata.total, metadata.currency) == (Decimal("10500.00"), currency)


# --- the third set's shapes: other number labels, currencies and totals that must add up ---------


@pytest.mark.parametrize(
    ("line", "number"),
    [("Document No INV10482", "INV10482"), ("Bill No. 48213", "48213"), ("Serie y Folio: A-1523", "A-1523")],
)
def test_document_bill_and_serie_y_folio_number_labels(tmp_path: Path, line: str, number: str) -> None:
    metadata = _read(tmp_path, ["Folio No. 7", "Confirmation No. 88217654", line, "Total 100.00"])
    assert metadata.invoice_number == number


def test_a_fiscal_folio_or_a_folio_number_is_no_invoice_number(tmp_path: Path) -> None:
    metadata = _read(tmp_path, [
        "Folio fiscal (UUID): 5FB2822E-396D-4725-8521-CDC4BDD20CCF", "Folio No. 7", "Total 100.00",
    ])
    assert metadata.invoice_number is None


def test_total_exclusive_is_the_subtotal_and_r_is_the_rand(tmp_path: Path) -> None:
    """Sage Pastel's totals: 'Total Exclusive', then a 'Sub Total' after the VAT that includes it."""
    metadata = _read(tmp_path, [
        "Document No INV10482", "Total Discount R 0,00", "Total Exclusive R 12 345,00",
        "Total VAT R 1 851,75", "Sub Total R 14 196,75", "Grand Total R 14 196,75",
    ])
    assert (metadata.currency, metadata.subtotal, metadata.tax, metadata.total) == (
        "ZAR", Decimal("12345.00"), Decimal("1851.75"), Decimal("14196.75"))


def test_a_subtotal_that_already_includes_the_tax_is_not_the_subtotal(tmp_path: Path) -> None:
    """Of two subtotals, the one under which subtotal + tax = total is the amount before tax."""
    metadata = _read(tmp_path, [
        "Invoice No. 42", "Subtotal 1,000.00", "VAT 15% 150.00", "Subtotal 1,150.00", "Total 1,150.00",
    ])
    assert metadata.subtotal == Decimal("1000.00")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("kr 10 500,00", Money(Decimal("10500.00"), None, "kr")),
     ("12 345,00 kr", Money(Decimal("12345.00"), None, "kr")),
     ("58 685,00 Kč", Money(Decimal("58685.00"), "CZK", "Kč")),
     ("30.000,00 TL", Money(Decimal("30000.00"), "TRY", "TL")),
     ("AED 10,500.00", Money(Decimal("10500.00"), "AED", "AED"))],
)
def test_find_money_reads_currency_words_and_more_codes(text: str, expected: Money) -> None:
    assert find_money(text) == [expected]
    assert find_money(text)[0].printed == expected.printed


@pytest.mark.parametrize("text", ["15. 3. 2024", "15.3.2024", "Datum vystavení: 15. 3. 2024"])
def test_czech_dates_with_a_space_after_each_dot(text: str) -> None:
    assert find_date(text) == date(2024, 3, 15)


def _vat_summary_invoice(tmp_path: Path, rows: list[list[str]]) -> InvoiceMetadata:
    """A VAT summary by rate (Sazba / Základ / DPH / Celkem) with ``rows``, then the amount to pay."""
    sheet = Sheet("A4", 8)
    sheet.new_page()
    sheet.text(20, 20, "Faktura – daňový doklad č. 2024031")
    columns = [(110, "Sazba"), (-150, "Základ"), (-170, "DPH"), (-195, "Celkem")]
    for y, row in zip((40, 45, 50), [[title for _, title in columns], *rows], strict=False):
        for (x, _), cell in zip(columns, row, strict=True):
            (sheet.right if x < 0 else sheet.text)(abs(x), y, cell)
    sheet.text(110, 62, "Celkem k úhradě")
    sheet.right(195, 62, "58 685,00 Kč")
    path = tmp_path / "faktura.pdf"
    sheet.save(path)
    return extract_invoice_metadata(path)


def test_a_vat_summarys_only_rate_row_is_its_totals(tmp_path: Path) -> None:
    metadata = _vat_summary_invoice(tmp_path, [["21 %", "48 500,00", "10 185,00", "58 685,00"]])
    assert (metadata.subtotal, metadata.tax, metadata.total) == (
        Decimal("48500.00"), Decimal("10185.00"), Decimal("58685.00"))


def test_a_vat_summary_of_several_rates_without_a_totals_row_gives_no_amount(tmp_path: Path) -> None:
    """Summing the rates' rows would be computing: only a printed totals row is read."""
    metadata = _vat_summary_invoice(tmp_path, [["21 %", "40 000,00", "8 400,00", "48 400,00"],
                                               ["12 %", "8 500,00", "1 020,00", "9 520,00"]])
    assert (metadata.subtotal, metadata.tax) == (None, None)


def test_a_portuguese_fatura_numbered_in_its_title_with_its_series(tmp_path: Path) -> None:
    """'Fatura FT 2024A/153': the document type's code, its series and number, as printed."""
    metadata = _read(tmp_path, [
        "Fatura FT 2024A/153",
        "ATCUD: JFM3K7PB-153",
        "Data de emissão 2024-03-15",
        "Total ilíquido 1.250,00 €",
        "Total IVA 287,50 €",
        "Total (EUR) 1.537,50 €",
    ])
    assert (metadata.invoice_number, metadata.subtotal, metadata.tax, metadata.total) == (
        "FT 2024A/153", Decimal("1250.00"), Decimal("287.50"), Decimal("1537.50"))


@pytest.mark.parametrize("line", ["Fatura de serviços", "Fatura 12", "Invoice No: Ft 2024/1"])
def test_a_series_and_number_need_a_code_of_capitals(tmp_path: Path, line: str) -> None:
    assert _read(tmp_path, [line, "Total 10,00 €"]).invoice_number is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Total R 1 234,50", [Money(Decimal("1234.50"), "ZAR")]),
     ("Paid R1,234.50", [Money(Decimal("1234.50"), "ZAR")]),
     ("Total R$ 1.234,50", [Money(Decimal("1234.50"), "BRL")])],
)
def test_r_before_an_amount_is_the_rand(text: str, expected: list[Money]) -> None:
    assert find_money(text) == expected


@pytest.mark.parametrize("text", ["Room R 12", "BAR 12.00", "Ref R12"])
def test_r_before_a_number_without_decimals_or_inside_a_word_is_no_rand(text: str) -> None:
    assert all(money.currency != "ZAR" for money in find_money(text))


def test_amounts_in_another_currency_than_the_total_are_for_information(tmp_path: Path) -> None:
    """A Singapore invoice in US$ prints its SGD equivalents below: the invoice's own are in US$."""
    metadata = _read(tmp_path, [
        "Invoice No. MD/24/0088", "Sub-total US$ 4,560.00", "GST @ 9% US$ 410.40",
        "Total Amount Payable (USD) US$ 4,970.40", "For GST purposes only: exchange rate USD 1 = SGD 1.3425",
        "Sub-total (SGD) S$ 6,121.80", "GST @ 9% (SGD) S$ 550.96", "Total (SGD) S$ 6,672.76",
    ])
    assert (metadata.currency, metadata.subtotal, metadata.tax, metadata.total) == (
        "USD", Decimal("4560.00"), Decimal("410.40"), Decimal("4970.40"))


@pytest.mark.parametrize(
    ("lines", "currency"),
    [(["Moneda: MXN", "Subtotal $18,500.00", "Total $21,460.00"], "MXN"),
     (["Currency: EUR", "Subtotal 100,00", "Total 119,00"], "EUR"),
     (["Currency: EUR", "Total 119,00 GBP"], "GBP"),  # a code printed with the total wins
     (["Moneda: pesos", "Total $21,460.00"], "USD")],  # only a code names a currency
)
def test_a_printed_currency_field_names_the_currency_of_bare_amounts(
    tmp_path: Path, lines: list[str], currency: str
) -> None:
    assert _read(tmp_path, ["Invoice No. 42", *lines]).currency == currency


def test_the_unit_of_an_exchange_rate_is_no_amount() -> None:
    assert find_money("exchange rate USD 1 = SGD 1.3425") == []
    assert find_money("Total USD 1.00") == [Money(Decimal("1.00"), "USD")]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        pytest.param(  # QuickBooks: the share of the lines a sales tax is on is no subtotal
            ["INVOICE # 1053", "SUBTOTAL 1,470.00", "DISCOUNT 10% -147.00", "TAXABLE SUBTOTAL 243.00",
             "TAX (8.25%) 20.05", "TOTAL 1,343.05"],
            ("1470.00", "20.05", "1343.05"), id="taxable-subtotal",
        ),
        pytest.param(  # a hotel folio: charges and credits on its first Total, then its VAT summary's
            ["Bill No. 48213", "Total 733,76 733,76", "Balance 0,00 EUR", "VAT Net VAT Gross",
             "7 % 557,01 38,99 596,00", "Total 679,44 54,32 733,76"],
            ("679.44", "54.32", "733.76"), id="net-tax-gross-row",
        ),
        pytest.param(  # three amounts that do not add up are no net / tax / gross row
            ["Invoice No. 42", "Total 2.00 5.00 10.00"], (None, None, "2.00"), id="row-not-adding-up",
        ),
    ],
)
def test_subtotal_tax_and_total_as_printed(
    tmp_path: Path, lines: list[str], expected: tuple[str | None, ...]
) -> None:
    metadata = _read(tmp_path, lines)
    amounts = (metadata.subtotal, metadata.tax, metadata.total)
    assert tuple(None if amount is None else str(amount) for amount in amounts) == expected


def test_a_currency_word_mid_line_is_no_currency_field(tmp_path: Path) -> None:
    metadata = _read(tmp_path, ["Invoice No. 42", "Total in invoice currency 1,000.00 EUR"])
    assert (metadata.total, metadata.currency) == (Decimal("1000.00"), "EUR")


@pytest.mark.parametrize(
    "description",
    ["Self-assessment tax return", "VAT registration service", "GST filing", "Sales tax consulting",
     "Total care package", "Subtotal adjustments workshop"],
)
def test_a_label_word_in_a_line_items_description_is_no_label(tmp_path: Path, description: str) -> None:
    """A line item named after a tax or a total keeps its amount: the summary's labels are the document's."""
    metadata = _read(tmp_path, [
        "Invoice No: RA-2207", f"{description} £450.00", "Bookkeeping £300.00",
        "Subtotal £750.00", "VAT 20% £150.00", "Total £900.00",
    ])
    assert (metadata.subtotal, metadata.tax, metadata.total) == (
        Decimal("750.00"), Decimal("150.00"), Decimal("900.00"))


@pytest.mark.parametrize(
    "label", ["Tax (8.25%)", "VAT 20%", "GST 10%", "Sales Tax", "Tax:", "VAT 20% on £750.00"]
)
def test_a_tax_line_beside_a_description_naming_a_tax_is_read(tmp_path: Path, label: str) -> None:
    metadata = _read(tmp_path, [
        "Invoice No: RA-2207", "Tax return preparation £450.00", "Bookkeeping £300.00",
        "Subtotal £750.00", f"{label} £150.00", "Total £900.00",
    ])
    assert (metadata.tax, metadata.total) == (Decimal("150.00"), Decimal("900.00"))


def test_a_label_with_words_of_its_own_is_read_without_a_bare_one(tmp_path: Path) -> None:
    """'Sales tax on taxable items' goes on with words, but no other tax label stands alone: it is the tax."""
    metadata = _read(tmp_path, [
        "Invoice No: LS-1053", "Consulting $300.00", "Sales tax on taxable items $24.75", "Total $324.75",
    ])
    assert (metadata.tax, metadata.total) == (Decimal("24.75"), Decimal("324.75"))


def test_a_footer_naming_a_company_after_a_label_word_is_no_total(tmp_path: Path) -> None:
    """A share capital in a footer whose company name opens with "Total", after the summary: no total."""
    metadata = _read(tmp_path, [
        "Invoice No: TE-240316", "Electricity supply 842,10 EUR", "TVA 20% 168,42 EUR", "Total 1 010,52 EUR",
        "Total Energies SE au capital de 6 584 102 907,50 EUR",
    ])
    assert (metadata.tax, metadata.total) == (Decimal("168.42"), Decimal("1010.52"))
