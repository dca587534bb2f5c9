"""Invoices in the shapes of real vendors' and countries' invoices, drawn word by word at explicit positions.

Written from what public invoices of each vendor or country look like (labels, date and amount
formats, page furniture), not from the extractor's own label lists: an AWS monthly bill (``TOTAL
AMOUNT DUE ON April 2, 2024``, a service table, remit-to bank lines), a Stripe-generated invoice
(``Date of issue`` / ``Date due`` / ``Amount due``, a ``$107.79 USD due …`` banner), Google
Workspace (EUR, VAT 19 %, Billing ID and domain), a German Rechnung (``Rechnungsnummer``,
``Nettobetrag``, ``zzgl. USt. 19 %``, ``Gesamtbetrag``, a ``Leistungsdatum`` beside the invoice date,
IBAN / USt-IdNr. / HRB footer), a French facture (``N° de facture``, ``Date d'émission``, ``Total
HT`` / ``TVA 20 %`` / ``Total TTC``, ``1 234,56 €``, SIRET), a Dutch factuur (``Factuurnummer``,
``15-03-2024``, KvK / BTW-nr / IBAN), an Indian GST tax invoice (GSTIN, HSN codes, CGST + SGST,
a round-off line, ``₹1,23,456.00``), a UK VAT invoice (``VAT Reg No``, a ``Tax point`` date beside
the invoice date, ``Payment terms: Net 30``), an Italian fattura (``Fattura n. 123/2024 del
15/03/2024`` on one line, ``Imponibile`` / ``IVA 22%`` / ``Totale documento``, no currency sign at
all), a Japanese-style invoice in English (``2024/03/15``, ``¥123,456`` without decimals, a
registration number), a freelancer template (the vendor top right, the ``Bill To`` client on the
left, ISO dates, ``USD`` only as a code, no tax line) and a Shopify order invoice (line items,
a discount code, shipping, GST included in the prices, ``$174.00 AUD``).

A second set, drawn the same way and again without reading the extractor, varies the layouts
(labels left of their values, labels stacked above them, a totals box at the bottom right, the
totals on page 2) and the languages: Microsoft Azure (``Billing period`` / ``Invoice date`` /
``Invoice number`` / ``Due date`` stacked, ``Amount due``, a PO number), an Adobe-style SaaS
receipt (``Receipt``, ``PAID``, ``Order Number``, ``15-MAR-2024``, ``Taxes (8.875%)``, ``Balance Due
0.00``), a Spanish factura (``Nº Factura: 2024/0153``, ``Fecha: 15 de marzo de 2024``,
``Vencimiento``, ``Base imponible`` / ``IVA 21 %`` / ``Total``, ``1.234,56 €``), a Brazilian fatura
de serviços (``Número da fatura``, ``Data de emissão``, Prestador / Tomador de serviços with CNPJs,
``Valor dos serviços`` / ``ISS (5%)`` / ``Valor total``, ``R$ 1.207,50``), a Polish faktura VAT
(``Faktura VAT nr FV/2024/03/015``, ``Data wystawienia`` beside ``Data sprzedaży``, ``Termin
płatności``, Sprzedawca / Nabywca side by side with NIPs, a ``Razem`` row under Netto / VAT / Kwota
VAT / Brutto, ``Do zapłaty: 1 517,82 PLN``), a Swiss Rechnung (the recipient on the right, the date
only as ``Zürich, 15. März 2024``, ``MWST 8.1 %``, ``CHF 1'234.50``, ``Zahlbar bis 14. April
2024``), a Swedish faktura (stacked ``Fakturanummer`` / ``Fakturadatum`` / ``Förfallodatum`` /
``OCR-nummer`` boxes, ``Belopp exkl. moms`` / ``Moms 25 %`` / ``Att betala``, ``12 345,00 SEK``,
Org.nr / Bankgiro), an Australian tax invoice (``INV-2024/03-0042``, ``15 March 2024``, ABN, a
framed totals box at the page's foot: ``Subtotal (ex GST)`` / ``GST 10%`` / ``Total inc. GST`` /
``Amount Due``, ``$`` only), a Canadian (BC) invoice (``GST (5%)`` and ``PST (7%)`` lines, ``Total
(CAD)``), a US utility bill (account number beside the invoice number, ``Bill Date``, a service
period, previous balance and payment lines, a framed ``Amount Due`` / ``Due Date`` box, a remittance
stub), a two-page French facture (``FA-24-03/0315``, ``15 mars 2024``, 36 line items with their
amounts on page 1, ``Montant HT`` / ``TVA (20 %)`` / ``Net à payer`` on page 2) and a UK credit note
(``CN-2024-0007``, the original invoice's number and ``Invoice date`` printed too, ``-£300.00``).

Each ``write_*`` function draws its PDF and returns the truth as an :class:`InvoiceMetadata`, by
these rules (the model's: a field the document does not print is ``None``):

- ``invoice_number``: the invoice's own number as printed, without its label or a ``#``; never an
  order, customer, account, billing, VAT/GST or bank number.
- ``invoice_date``: the issue date; not a tax point, service (Leistungsdatum) or period date.
- ``due_date``: only a due date printed as a date (``Date due``, ``TOTAL AMOUNT DUE ON <date>``,
  ``bis zum 29.03.2024``, ``Scadenza``); payment terms alone (``Net 30``, ``30 jours``) leave it
  ``None``: computing it would be deriving a value the document does not print.
- ``vendor``: the issuer's name as printed, never the bill-to customer.
- ``currency``: ISO 4217, from a code, a symbol, or (the Italian fattura) the country alone.
- ``subtotal``: the amount before tax as printed (the Shopify one: ``Subtotal`` before its
  discount and shipping lines, as printed).
- ``tax``: the tax amount printed; on the Indian GST invoice the sum of its CGST and SGST lines
  (it prints no total-tax line); on the Shopify one the GST its prices include.
- ``total``: the invoice's total (after round-off on the Indian one), not a line item's amount.

Decisions for the second set, each what a user filing the document would expect:

- A receipt (the Adobe one) is a settled invoice and is read as one: its invoice number (not the
  order number), its amounts; no due date (it prints none), the total is the amount paid.
- A credit note is read like an invoice: its own number and date, not the original invoice's it
  cites; its amounts negative, as it prints them (``-£300.00``), so it offsets the invoice.
- ``invoice_date`` without a label: the Swiss letter's ``Zürich, 15. März 2024`` is its issue date;
  the utility bill's ``Bill Date`` is, its service period is not.
- ``tax`` on the Canadian invoice: GST + PST (two lines, no total-tax line), as CGST + SGST; on the
  Polish one the ``Razem`` row's Kwota VAT (with its Netto as the subtotal and Brutto the total).
- ``subtotal`` on the utility bill: its ``Electric Charges``, the amount the sales tax is on; its
  total the current charges, which its previous balance (paid) leaves equal to the amount due.
- ``currency``: the Australian invoice's bare ``$`` is AUD (ABN, GST, NSW addresses); the
  Canadian's is CAD (``Total (CAD)``); the Brazilian ``R$`` is BRL.

A third set of 12, drawn the same way without reading the extractor, goes to other countries and
shapes: an Atlassian-style SaaS invoice (``Mar 15, 2024``, usage lines, ``Credit applied`` and an
``Amount due`` below the total), a Norwegian faktura (``Fakturanr.``, ``15.03.2024``, ``Sum ekskl.
mva`` / ``Mva 25 %`` / ``Å betale``, ``kr 10 500,00``, a KID payment box), a Czech faktura – daňový
doklad (Dodavatel / Odběratel with IČO / DIČ, ``Datum vystavení 15. 3. 2024`` beside ``Datum
zdanitelného plnění``, a Sazba / Základ / DPH row, ``Celkem k úhradě 58 685,00 Kč``), a Portuguese
fatura (``Fatura FT 2024A/153``, ATCUD, NIF, ``2024-03-15``, a Resumo de IVA, ``Total ilíquido``), a
Turkish e-Arşiv fatura (VKN / Vergi Dairesi, ``Fatura No: ANY2024000000153``, ETTN, ``Hesaplanan
KDV (%20)``, ``Ödenecek Tutar 30.000,00 TL``), a Mexican CFDI (``Serie y Folio: A-1523``, the Folio
fiscal UUID, RFC, ``Fecha de emisión: 2024-03-15T10:22:31``, ``IVA Trasladado 16%``, ``$`` with
``Moneda: MXN``), a South African tax invoice in Sage Pastel's shape (``Document No``,
``2024/03/15``, ``Total Exclusive`` / ``Total VAT`` / ``Sub Total`` / ``Grand Total``, ``R 12
345,00``), a Singapore GST tax invoice in USD (UEN, ``15/03/24``, ``US$``, then the SGD equivalents
GST rules require), a bilingual English / Arabic UAE tax invoice (TRN, ``15-Mar-2024``, a proforma
reference, ``AED 10,500.00``), an Amazon marketplace invoice (``Sold by``, an order number, a shipping
line, ``Total before tax``, paid by card, ``Amount due $0.00``), a Berlin hotel folio in English
(``Bill No.`` among Room / Folio / Confirmation numbers, nightly charges, city tax, a card payment,
``Balance 0,00 EUR``, a 7 % / 19 % / 0 % VAT summary) and a QuickBooks-style US invoice (``INVOICE
#``, a taxable ``T`` marker on some lines, ``DISCOUNT 10%``, ``TAXABLE SUBTOTAL``, ``BALANCE DUE``).

Decisions for the third set:

- ``total``: the invoice's own total. A credit note or payment applied to it (Atlassian's ``Credit
  applied``, Amazon's card payment, the folio's Visa line) lowers only the amount due; the folio's
  total is its gross total (charges including city tax).
- ``subtotal``: the amount before tax. Where several lines could be it: Amazon's ``Total before
  tax`` (items and shipping), not its ``Item(s) subtotal``; the South African ``Total Exclusive``, not
  its ``Sub Total`` (printed after the VAT, which it includes); the folio's net from its VAT summary;
  the US invoice's printed ``SUBTOTAL`` (before its discount, as Shopify's), not its ``TAXABLE
  SUBTOTAL``. ``tax`` likewise the VAT summary's total on the folio (city tax is not VAT).
- ``invoice_number``: whatever its label (``Document No``, ``Bill No.``, ``Serie y Folio``), never a
  fiscal UUID / ETTN / ATCUD, KID, OCR, variable symbol, order, folio, confirmation or proforma number;
  the Portuguese ``FT 2024A/153`` keeps its series prefix, as printed.
- ``invoice_date``: the date part of the CFDI's timestamp; the Czech ``Datum vystavení``, not the DUZP.
- ``currency``: the invoice's own, not one shown for information (the Singapore invoice's SGD
  equivalents); ``kr`` on the Norwegian invoice is NOK, ``R`` on the South African one ZAR, ``$`` with
  ``Moneda: MXN`` MXN.
- ``vendor``: the seller a marketplace names (``Sold by``), not the marketplace; the hotel's name in
  its letterhead, not the operating company in its footer; the Turkish seller in the capitals printed.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from backend.services.invoices import InvoiceMetadata
from tests.support.bank_shaped_pdfs import D, Sheet, eu, french, lakh, swiss, us


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _table(
    s: Sheet, y: float, columns: list[tuple[float, str]], rows: list[list[str]], step: float = 5
) -> float:
    """Header then rows; a column whose x is negative is right-aligned at ``-x``. Returns the next y."""
    for x, title in columns:
        (s.right if x < 0 else s.text)(abs(x), y, title, bold=True)
    for row in rows:
        y += step
        for (x, _), cell in zip(columns, row, strict=True):
            (s.right if x < 0 else s.text)(abs(x), y, cell)
    return y + step


# --- AWS (US): a monthly bill, the due date inside the total line -------------------------------


def write_aws(path: Path) -> InvoiceMetadata:
    s = Sheet("Letter", 8)
    s.new_page()
    s.text(15, 15, "Amazon Web Services, Inc.", bold=True, size=11)
    s.text(15, 20, "410 Terry Avenue North")
    s.text(15, 24, "Seattle, WA 98109-5210, US")
    s.text(130, 15, "Invoice", bold=True, size=14)
    s.text(130, 24, "Account number: 123456789012")
    s.text(130, 28, "Invoice Number: 1487263950")
    s.text(130, 32, "Invoice Date: April 2, 2024")
    s.text(15, 38, "Bill to Address:", bold=True)
    s.text(15, 42, "ATTN: Accounts Payable")
    s.text(15, 46, "Acme Analytics LLC")
    s.text(15, 50, "500 Market Street, San Francisco, CA 94105")
    s.text(15, 62, "TOTAL AMOUNT DUE ON May 2, 2024", bold=True, size=10)
    s.right(200, 62, "$1,234.56", bold=True, size=10)
    s.text(15, 72, "This invoice is for the billing period March 1 - March 31, 2024")
    s.text(15, 82, "Summary", bold=True)
    s.text(15, 87, "AWS Service Charges")
    s.right(200, 87, "$1,170.32")
    s.text(20, 91, "Charges")
    s.right(200, 91, "$1,200.32")
    s.text(20, 95, "Credits")
    s.right(200, 95, "-$30.00")
    s.text(20, 99, "Tax")
    s.right(200, 99, "$64.24")
    s.text(15, 104, "Net Charges (After Credits/Discounts, excl. Tax)")
    s.right(200, 104, "USD 1,170.32")
    s.text(15, 108, "Total for this invoice", bold=True)
    s.right(200, 108, "USD 1,234.56", bold=True)
    y = _table(
        s,
        120,
        [(15, "Detail"), (-200, "Amount")],
        [
            ["Amazon Elastic Compute Cloud", "$812.44"],
            ["Amazon Simple Storage Service", "$203.18"],
            ["Amazon Relational Database Service", "$184.70"],
            ["AWS Support (Business)", "$0.00"],
        ],
    )
    s.text(15, y + 6, "Remit to:", bold=True)
    s.text(15, y + 10, "Bank: JPMorgan Chase Bank, N.A.  Account Number: 600123456789  ABA: 021000021")
    s.text(15, y + 14, "Please include your Account number and Invoice Number with your payment.")
    s.text(15, 260, "Amazon Web Services, Inc. Tax ID: 20-4938068", size=6)
    s.save(path)
    return InvoiceMetadata(
        invoice_number="1487263950",
        invoice_date=date(2024, 4, 2),
        due_date=date(2024, 5, 2),
        vendor="Amazon Web Services, Inc.",
        currency="USD",
        subtotal=D("1170.32"),
        tax=D("64.24"),
        total=D("1234.56"),
    )


# --- Stripe-generated invoice -------------------------------------------------------------------


def write_stripe(path: Path) -> InvoiceMetadata:
    s = Sheet("Letter", 8)
    s.new_page()
    subtotal = D("99.00")
    tax = _cents(subtotal * D("0.08875"))
    total = subtotal + tax
    s.text(15, 18, "Invoice", bold=True, size=16)
    s.text(15, 28, "Invoice number")
    s.text(50, 28, "3F2A1B0C-0001")
    s.text(15, 32, "Date of issue")
    s.text(50, 32, "March 15, 2024")
    s.text(15, 36, "Date due")
    s.text(50, 36, "April 14, 2024")
    s.text(15, 48, "Linear Orbit, Inc.", bold=True)
    s.text(15, 52, "228 Park Ave S")
    s.text(15, 56, "New York, New York 10003")
    s.text(15, 60, "United States")
    s.text(15, 64, "billing@linearorbit.example")
    s.text(90, 48, "Bill to", bold=True)
    s.text(90, 52, "Hooli Labs")
    s.text(90, 56, "1 Hacker Way")
    s.text(90, 60, "Palo Alto, California 94301")
    s.text(90, 64, "ap@hooli.example")
    s.text(15, 78, f"{us(total, dollar='$')} USD due April 14, 2024", bold=True, size=12)
    s.text(15, 84, "Pay online")
    y = _table(
        s,
        98,
        [(15, "Description"), (-140, "Qty"), (-170, "Unit price"), (-200, "Amount")],
        [
            ["Pro plan (× 3 seats)", "3", "$30.00", "$90.00"],
            ["Add-on storage", "1", "$9.00", "$9.00"],
        ],
    )
    s.text(30, y - 1, "Mar 15 – Apr 15, 2024", size=6)
    y += 4
    for label, value in (
        ("Subtotal", us(subtotal, dollar="$")),
        ("Tax (8.875% on $99.00)", us(tax, dollar="$")),
        ("Total", us(total, dollar="$")),
    ):
        s.text(120, y, label)
        s.right(200, y, value)
        y += 5
    s.text(120, y, "Amount due", bold=True)
    s.right(200, y, f"{us(total, dollar='$')} USD", bold=True)
    s.text(15, 262, f"3F2A1B0C-0001 · {us(total, dollar='$')} USD due April 14, 2024", size=6)
    s.right(200, 262, "Page 1 of 1", size=6)
    s.save(path)
    return InvoiceMetadata(
        invoice_number="3F2A1B0C-0001",
        invoice_date=date(2024, 3, 15),
        due_date=date(2024, 4, 14),
        vendor="Linear Orbit, Inc.",
        currency="USD",
        subtotal=subtotal,
        tax=tax,
        total=total,
    )


# --- Google Workspace (IE, EUR, VAT) ------------------------------------------------------------


def write_google_workspace(path: Path) -> InvoiceMetadata:
    s = Sheet("A4", 8)
    s.new_page()
    subtotal = D("138.00")
    tax = _cents(subtotal * D("0.19"))
    total = subtotal + tax
    s.text(15, 18, "Google Workspace", bold=True, size=12)
    s.text(140, 18, "Invoice", bold=True, size=14)
    s.text(140, 26, "Invoice number: 5123456789")
    s.text(140, 30, "Invoice date: 31 Mar 2024")
    s.text(140, 34, "Billing ID: 1234-5678-9012")
    s.text(140, 38, "Domain name: example.de")
    s.text(15, 30, "Bill to", bold=True)
    s.text(15, 34, "Beispiel Handels GmbH")
    s.text(15, 38, "Friedrichstraße 12")
    s.text(15, 42, "10117 Berlin, Germany")
    s.text(15, 46, "VAT number: DE987654321")
    s.text(15, 56, "Details", bold=True)
    s.text(15, 61, "Google Ireland Limited")
    s.text(15, 65, "Gordon House, Barrow Street")
    s.text(15, 69, "Dublin 4, Ireland")
    s.text(15, 73, "VAT number: IE6388047V")
    s.text(140, 56, "Total in EUR", bold=True)
    s.text(140, 63, f"€{us(total)}", bold=True, size=14)
    s.text(15, 88, "Summary for Mar 1, 2024 - Mar 31, 2024", bold=True)
    y = _table(
        s,
        96,
        [(15, "Description"), (-150, "Users"), (-195, "Amount (€)")],
        [
            ["Google Workspace Business Standard: Mar 1 - 31", "10", "115.00"],
            ["Google Workspace Business Starter: Mar 1 - 31", "4", "23.00"],
        ],
    )
    for label, value in (
        ("Subtotal in EUR", f"€{subtotal}"),
        ("VAT (19%)", f"€{tax}"),
        ("Total in EUR", f"€{total}"),
    ):
        y += 5
        s.text(120, y, label, bold=label.startswith("Total"))
        s.right(195, y, value, bold=label.startswith("Total"))
    s.text(15, y + 14, "You will be automatically charged for any amount due.", size=7)
    s.text(15, 280, "Google Ireland Limited, Gordon House, Barrow Street, Dublin 4, Ireland", size=6)
    s.save(path)
    return InvoiceMetadata(
        invoice_number="5123456789",
        invoice_date=date(2024, 3, 31),
        due_date=None,
        vendor="Google Ireland Limited",
        currency="EUR",
        subtotal=subtotal,
        tax=tax,
        total=total,
    )


# --- German Rechnung ----------------------------------------------------------------------------


def write_german_rechnung(path: Path) -> InvoiceMetadata:
    s = Sheet("A4", 8)
    s.new_page()
    subtotal = D("1234.56")
    tax = _cents(subtotal * D("0.19"))
    total = subtotal + tax
    s.text(130, 18, "Müller & Söhne GmbH", bold=True, size=12)
    s.text(130, 23, "Hauptstraße 5")
    s.text(130, 27, "10115 Berlin")
    s.text(130, 31, "Tel. 030 1234567")
    s.text(20, 45, "Müller & Söhne GmbH · Hauptstraße 5 · 10115 Berlin", size=6)
    s.text(20, 51, "Beispiel AG")
    s.text(20, 55, "z. Hd. Frau Schmidt")
    s.text(20, 59, "Lindenallee 23")
    s.text(20, 63, "80331 München")
    s.text(130, 51, "Rechnungsnummer:")
    s.text(165, 51, "2024-0315")
    s.text(130, 55, "Rechnungsdatum:")
    s.text(165, 55, "15.03.2024")
    s.text(130, 59, "Leistungsdatum:")
    s.text(165, 59, "14.03.2024")
    s.text(130, 63, "Kundennummer:")
    s.text(165, 63, "10023")
    s.text(20, 80, "Rechnung", bold=True, size=12)
    s.text(20, 88, "Sehr geehrte Damen und Herren,")
    s.text(20, 92, "wir erlauben uns, Ihnen folgende Leistungen in Rechnung zu stellen:")
    y = _table(
        s,
        102,
        [(20, "Pos."), (32, "Menge"), (48, "Bezeichnung"), (-165, "Einzelpreis"), (-190, "Gesamt")],
        [
            ["1", "8 Std.", "Beratung Netzwerkplanung", "95,00 €", "760,00 €"],
            ["2", "1 Stk.", "Switch 24 Port", "349,90 €", "349,90 €"],
            ["3", "2 Stk.", "Patchkabel-Set", "62,33 €", "124,66 €"],
        ],
    )
    for label, value, bold in (
        ("Nettobetrag", f"{eu(subtotal)} €", False),
        ("zzgl. USt. 19 %", f"{eu(tax)} €", False),
        ("Gesamtbetrag", f"{eu(total)} €", True),
    ):
        y += 5
        s.text(120, y, label, bold=bold)
        s.right(190, y, value, bold=bold)
    s.text(20, y + 12, "Zahlbar innerhalb von 14 Tagen ohne Abzug bis zum 29.03.2024.")
    s.text(20, y + 16, "Mit freundlichen Grüßen")
    court = "Amtsgericht Berlin HRB 12345 · Geschäftsführer: Hans Müller"
    s.text(20, 275, f"Müller & Söhne GmbH · {court}", size=6)
    s.text(20, 279, "Commerzbank · IBAN: DE89 3704 0044 0532 0130 00 · BIC: COBADEFFXXX", size=6)
    s.text(20, 283, "USt-IdNr.: DE123456789 · Steuernummer: 27/123/45678", size=6)
    s.save(path)
    return InvoiceMetadata(
        invoice_number="2024-0315",
        invoice_date=date(2024, 3, 15),
        due_date=date(2024, 3, 29),
        vendor="Müller & Söhne GmbH",
        currency="EUR",
        subtotal=subtotal,
        tax=tax,
        total=total,
    )


# --- French facture -----------------------------------------------------------------------------


def write_french_facture(path: Path) -> InvoiceMetadata:
    s = Sheet("A4", 8)
    s.new_page()
    subtotal = D("1234.56")
    tax = _cents(subtotal * D("0.20"))
    total = subtotal + tax
    s.text(20, 18, "Atelier Lumière SARL", bold=True, size=12)
    s.text(20, 23, "12 rue des Lilas")
    s.text(20, 27, "69003 Lyon")
    s.text(20, 31, "SIRET : 123 456 789 00012")
    s.text(20, 35, "TVA intracom. : FR12 123456789")
    s.text(120, 45, "Client :", bold=True)
    s.text(120, 49, "Boulangerie Martin")
    s.text(120, 53, "4 place Bellecour")
    s.text(120, 57, "69002 Lyon")
    s.text(20, 70, "FACTURE", bold=True, size=14)
    s.text(20, 78, "N° de facture : F-2024-0042")
    s.text(20, 82, "Date d'émission : 15/03/2024")
    s.text(20, 86, "Date d'échéance : 14/04/2024")
    s.text(110, 78, "Réf. client : CL-0087")
    y = _table(
        s,
        98,
        [(20, "Désignation"), (-120, "Qté"), (-150, "P.U. HT"), (-190, "Montant HT")],
        [
            ["Installation éclairage boutique", "1", "850,00 €", "850,00 €"],
            ["Luminaires suspendus LED (lot de 3)", "1", "384,56 €", "384,56 €"],
        ],
    )
    for label, value, bold in (
        ("Total HT", f"{french(subtotal)} €", False),
        ("TVA 20 %", f"{french(tax)} €", False),
        ("Total TTC", f"{french(total)} €", True),
    ):
        y += 5
        s.text(125, y, label, bold=bold)
        s.right(190, y, value, bold=bold)
    s.text(20, y + 12, "Conditions de paiement : 30 jours. Pas d'escompte pour paiement anticipé.")
    late = "pénalité de 3 fois le taux d'intérêt légal et indemnité forfaitaire de 40 €."
    s.text(20, y + 16, f"En cas de retard, {late}")
    s.text(20, 280, "IBAN : FR76 3000 6000 0112 3456 7890 189 · BIC : AGRIFRPP", size=6)
    s.text(20, 284, "Atelier Lumière SARL au capital de 10 000 € · RCS Lyon 123 456 789", size=6)
    s.save(path)
    return InvoiceMetadata(
        invoice_number="F-2024-0042",
        invoice_date=date(2024, 3, 15),
        due_date=date(2024, 4, 14),
        vendor="Atelier Lumière SARL",
        currency="EUR",
        subtotal=subtotal,
        tax=tax,
        total=total,
    )


# --- Dutch factuur ------------------------------------------------------------------------------


def write_dutch_factuur(path: Path) -> InvoiceMetadata:
    s = Sheet("A4", 8)
    s.new_page()
    subtotal = D("850.00")
    tax = _cents(subtotal * D("0.21"))
    total = subtotal + tax
    s.text(20, 18, "Studio Noord B.V.", bold=True, size=12)
    s.text(20, 23, "Keizersgracht 100")
    s.text(20, 27, "1015 CX Amsterdam")
    s.text(130, 18, "KvK 12345678")
    s.text(130, 22, "BTW-nr NL123456789B01")
    s.text(130, 26, "IBAN NL91 ABNA 0417 1643 00")
    s.text(20, 42, "Jansen Installatietechniek")
    s.text(20, 46, "t.a.v. de administratie")
    s.text(20, 50, "Industrieweg 8")
    s.text(20, 54, "3542 AD Utrecht")
    s.text(20, 68, "FACTUUR", bold=True, size=14)
    for i, (label, value) in enumerate(
        (("Factuurnummer", "2024-117"), ("Factuurdatum", "15-03-2024"), ("Vervaldatum", "14-04-2024"),
         ("Klantnummer", "C-2291"))
    ):
        s.text(20, 76 + 4 * i, label)
        s.text(55, 76 + 4 * i, value)
    y = _table(
        s,
        100,
        [(20, "Omschrijving"), (-130, "Aantal"), (-160, "Prijs"), (-190, "Bedrag")],
        [
            ["Huisstijl ontwerp", "1", "€ 600,00", "€ 600,00"],
            ["Drukproef visitekaartjes", "2", "€ 125,00", "€ 250,00"],
        ],
    )
    for label, value, bold in (
        ("Subtotaal", f"€ {eu(subtotal)}", False),
        ("BTW 21%", f"€ {eu(tax)}", False),
        ("Totaal", f"€ {eu(total)}", True),
    ):
        y += 5
        s.text(130, y, label, bold=bold)
        s.right(190, y, value, bold=bold)
    s.text(20, y + 12, "Wij verzoeken u het totaalbedrag voor 14-04-2024 over te maken op")
    s.text(20, y + 16, "IBAN NL91 ABNA 0417 1643 00 t.n.v. Studio Noord B.V. o.v.v. factuurnummer 2024-117.")
    s.save(path)
    return InvoiceMetadata(
        invoice_number="2024-117",
        invoice_date=date(2024, 3, 15),
        due_date=date(2024, 4, 14),
        vendor="Studio Noord B.V.",
        currency="EUR",
        subtotal=subtotal,
        tax=tax,
        total=total,
    )


# --- Indian GST tax invoice ---------------------------------------------------------------------


def write_indian_gst(path: Path) -> InvoiceMetadata:
    """Tax = CGST + SGST (the invoice prints no total-tax line); total after the round-off."""
    s = Sheet("A4", 7.5)
    s.new_page()
    taxable = D("104623.73")
    cgst = _cents(taxable * D("0.09"))
    sgst = cgst
    exact = taxable + cgst + sgst
    total = exact.quantize(D(1), rounding=ROUND_HALF_UP)
    round_off = total - exact
    s.text(80, 14, "TAX INVOICE", bold=True, size=12)
    s.text(15, 24, "Sharma Textiles Pvt. Ltd.", bold=True, size=11)
    s.text(15, 29, "Plot 14, MIDC Industrial Area, Bhiwandi, Thane 421302")
    s.text(15, 33, "GSTIN: 27AABCS1234F1Z5   PAN: AABCS1234F")
    s.text(15, 37, "State: Maharashtra, Code: 27")
    s.text(125, 24, "Invoice No.: ST/2023-24/0456")
    s.text(125, 28, "Invoice Date: 15-Mar-2024")
    s.text(125, 32, "Place of Supply: Maharashtra (27)")
    s.text(125, 36, "Reverse Charge: No")
    s.text(15, 46, "Bill To:", bold=True)
    s.text(15, 50, "Kapoor Garments LLP")
    s.text(15, 54, "22 Linking Road, Bandra West, Mumbai 400050")
    s.text(15, 58, "GSTIN: 27AAKFK9876L1Z2")
    y = _table(
        s,
        70,
        [
            (15, "Sr."), (24, "Description of Goods"), (90, "HSN"), (-120, "Qty"), (-145, "Rate"),
            (-195, "Taxable Value"),
        ],
        [
            ["1", "Cotton Shirting Fabric", "5208", "850 m", "84.50", lakh(D("71825.00"))],
            ["2", "Polyester Suiting Fabric", "5407", "312 m", "105.12", lakh(D("32797.44"))],
            ["3", "Packing & Forwarding", "9965", "1", "1.29", "1.29"],
        ],
    )
    for label, value in (
        ("Total Taxable Value", f"₹{lakh(taxable)}"),
        ("CGST @ 9%", f"₹{lakh(cgst)}"),
        ("SGST @ 9%", f"₹{lakh(sgst)}"),
        ("Round Off", f"(-){round_off.copy_abs()}" if round_off < 0 else f"{round_off}"),
        ("Grand Total", f"₹{lakh(total)}"),
    ):
        y += 5
        s.text(120, y, label, bold=label == "Grand Total")
        s.right(195, y, value, bold=label == "Grand Total")
    s.text(15, y + 10, "Amount in words: Rupees One Lakh Twenty Three Thousand Four Hundred Fifty Six Only")
    s.text(15, y + 18, "Bank Details: HDFC Bank, A/c No. 50100123456789, IFSC HDFC0001234", size=7)
    declaration = "We declare that this invoice shows the actual price of the goods described."
    s.text(15, y + 22, f"Declaration: {declaration}", size=6)
    s.text(140, y + 34, "For Sharma Textiles Pvt. Ltd.")
    s.text(150, y + 46, "Authorised Signatory")
    s.save(path)
    return InvoiceMetadata(
        invoice_number="ST/2023-24/0456",
        invoice_date=date(2024, 3, 15),
        due_date=None,
        vendor="Sharma Textiles Pvt. Ltd.",
        currency="INR",
        subtotal=taxable,
        tax=cgst + sgst,
        total=total,
    )


# --- UK VAT invoice -----------------------------------------------------------------------------


def write_uk_vat(path: Path) -> InvoiceMetadata:
    s = Sheet("A4", 8)
    s.new_page()
    subtotal = D("1250.00")
    tax = _cents(subtotal * D("0.20"))
    total = subtotal + tax
    s.text(20, 18, "Thames Valley Plumbing Ltd", bold=True, size=12)
    s.text(20, 23, "Unit 4, Riverside Estate, Reading RG1 8AA")
    s.text(20, 27, "VAT Reg No: GB 123 4567 89")
    s.text(20, 31, "Company No. 01234567")
    s.text(150, 18, "VAT INVOICE", bold=True, size=12)
    s.text(130, 28, "Invoice No: TVP-1043")
    s.text(130, 32, "Invoice Date: 15 Mar 2024")
    s.text(130, 36, "Tax point: 12 Mar 2024")
    s.text(130, 40, "Your ref: PO 7781")
    s.text(20, 44, "Invoice to:", bold=True)
    s.text(20, 48, "Oakwood Lettings Ltd")
    s.text(20, 52, "18 Castle Street, Reading RG1 7RD")
    y = _table(
        s,
        66,
        [(20, "Description"), (-120, "Qty"), (-145, "Unit £"), (-165, "VAT %"), (-190, "Net £")],
        [
            ["Boiler replacement, labour", "1", "650.00", "20", "650.00"],
            ["Combi boiler 30kW", "1", "540.00", "20", "540.00"],
            ["Fittings and sundries", "1", "60.00", "20", "60.00"],
        ],
    )
    for label, value, bold in (
        ("Net total", f"£{us(subtotal)}", False),
        ("VAT @ 20%", f"£{us(tax)}", False),
        ("Total due", f"£{us(total)}", True),
    ):
        y += 5
        s.text(130, y, label, bold=bold)
        s.right(190, y, value, bold=bold)
    s.text(20, y + 12, "Payment terms: Net 30")
    s.text(20, y + 16, "Please pay by bank transfer: Sort code 20-00-00  Account 12345678  Ref TVP-1043")
    s.text(20, 282, "Registered in England and Wales No. 01234567. Registered office as above.", size=6)
    s.save(path)
    return InvoiceMetadata(
        invoice_number="TVP-1043",
        invoice_date=date(2024, 3, 15),
        due_date=None,
        vendor="Thames Valley Plumbing Ltd",
        currency="GBP",
        subtotal=subtotal,
        tax=tax,
        total=total,
    )


# --- Italian fattura: number and date on one line, no currency printed --------------------------


def write_italian_fattura(path: Path) -> InvoiceMetadata:
    s = Sheet("A4", 8)
    s.new_page()
    subtotal = D("1000.00")
    tax = _cents(subtotal * D("0.22"))
    total = subtotal + tax
    s.text(20, 18, "Rossi Forniture S.r.l.", bold=True, size=12)
    s.text(20, 23, "Via Roma 45, 20121 Milano (MI)")
    s.text(20, 27, "P.IVA 01234567890 - C.F. 01234567890")
    s.text(20, 31, "REA MI-1234567 - Cap. soc. 10.000,00 i.v.")
    s.text(120, 42, "Spett.le", size=7)
    s.text(120, 46, "Bianchi Costruzioni S.p.A.")
    s.text(120, 50, "Corso Vittorio Emanuele 10")
    s.text(120, 54, "10121 Torino (TO)")
    s.text(120, 58, "P.IVA 09876543210")
    s.text(20, 70, "Fattura n. 123/2024 del 15/03/2024", bold=True, size=11)
    y = _table(
        s,
        82,
        [(20, "Descrizione"), (-120, "Q.tà"), (-145, "Prezzo"), (-165, "IVA"), (-190, "Importo")],
        [
            ["Cemento Portland 25 kg", "40", "9,50", "22", "380,00"],
            ["Tondino acciaio 12 mm", "100", "6,20", "22", "620,00"],
        ],
    )
    for label, value, bold in (
        ("Imponibile", eu(subtotal), False),
        ("IVA 22%", eu(tax), False),
        ("Totale documento", eu(total), True),
    ):
        y += 5
        s.text(125, y, label, bold=bold)
        s.right(190, y, value, bold=bold)
    s.text(20, y + 12, "Modalità di pagamento: Bonifico bancario")
    s.text(20, y + 16, "Scadenza: 15/04/2024")
    s.text(20, y + 20, "IBAN: IT60 X054 2811 1010 0000 0123 456")
    s.save(path)
    return InvoiceMetadata(
        invoice_number="123/2024",
        invoice_date=date(2024, 3, 15),
        due_date=date(2024, 4, 15),
        vendor="Rossi Forniture S.r.l.",
        currency="EUR",
        subtotal=subtotal,
        tax=tax,
        total=total,
    )


# --- Japanese-style invoice in English: yen without decimals, YYYY/MM/DD ------------------------


def write_japanese(path: Path) -> InvoiceMetadata:
    s = Sheet("A4", 8)
    s.new_page()
    subtotal = D("112233")
    tax = (subtotal * D("0.10")).quantize(D(1), rounding="ROUND_DOWN")
    total = subtotal + tax
    s.text(85, 16, "INVOICE", bold=True, size=14)
    s.text(20, 28, "Tanaka Trading Co., Ltd.", size=10)
    s.text(20, 33, "Attn: Purchasing Department")
    s.text(130, 28, "Invoice No.: SC-24-0315")
    s.text(130, 32, "Issue Date: 2024/03/15")
    s.text(130, 36, "Payment Due: 2024/04/30")
    s.text(130, 46, "Sakura Components K.K.", bold=True, size=10)
    s.text(130, 51, "2-1-1 Shibuya, Shibuya-ku, Tokyo 150-0002")
    s.text(130, 55, "Registration No. T1234567890123")
    s.text(20, 66, "Total Amount Due", bold=True, size=11)
    s.text(70, 66, f"¥{total:,}", bold=True, size=11)
    y = _table(
        s,
        78,
        [(20, "Item"), (-120, "Qty"), (-150, "Unit Price"), (-190, "Amount")],
        [
            ["Precision bearing 608ZZ", "300", "¥187", "¥56,100"],
            ["Stepper motor NEMA17", "19", "¥2,890", "¥54,910"],
            ["Shipping", "1", "¥1,223", "¥1,223"],
        ],
    )
    for label, value, bold in (
        ("Subtotal", f"¥{subtotal:,}", False),
        ("Consumption Tax (10%)", f"¥{tax:,}", False),
        ("Total", f"¥{total:,}", True),
    ):
        y += 5
        s.text(120, y, label, bold=bold)
        s.right(190, y, value, bold=bold)
    s.text(20, y + 12, "Bank transfer to: MUFG Bank, Shibuya Branch (135), Ordinary Account 1234567")
    s.text(20, y + 16, "Account name: Sakura Components K.K. Transfer fees are borne by the customer.")
    s.save(path)
    return InvoiceMetadata(
        invoice_number="SC-24-0315",
        invoice_date=date(2024, 3, 15),
        due_date=date(2024, 4, 30),
        vendor="Sakura Components K.K.",
        currency="JPY",
        subtotal=subtotal,
        tax=tax,
        total=total,
    )


# --- Freelancer template: vendor top right, Bill To on the left, no tax -------------------------


def write_freelancer(path: Path) -> InvoiceMetadata:
    s = Sheet("Letter", 8)
    s.new_page()
    s.text(15, 22, "INVOICE", bold=True, size=22)
    s.right(200, 16, "Jane Cooper Design", bold=True, size=10)
    s.right(200, 21, "84 Elm Street, Apt 3")
    s.right(200, 25, "Portland, OR 97205")
    s.right(200, 29, "jane@janecooper.example")
    s.right(200, 33, "(503) 555-0142")
    s.text(15, 46, "Bill To", bold=True)
    s.text(15, 51, "Globex Corporation")
    s.text(15, 55, "Attn: Hank Scorpio")
    s.text(15, 59, "1 Globex Way, Cypress Creek, OR 97000")
    s.text(130, 46, "Invoice #")
    s.right(200, 46, "0042")
    s.text(130, 51, "Date")
    s.right(200, 51, "2024-03-15")
    s.text(130, 55, "Due")
    s.right(200, 55, "2024-04-14")
    y = _table(
        s,
        74,
        [(15, "Description"), (-140, "Hours"), (-170, "Rate"), (-200, "Amount")],
        [
            ["Brand identity workshop", "6", "80.00", "480.00"],
            ["Logo design, three rounds", "16", "80.00", "1,280.00"],
            ["Website mockups", "8", "80.00", "640.00"],
        ],
    )
    for label, value, bold in (("Subtotal", "2,400.00", False), ("Total (USD)", "2,400.00", True)):
        y += 5
        s.text(140, y, label, bold=bold)
        s.right(200, y, value, bold=bold)
    ach = "Routing 123000848, Account 9876543210"
    s.text(15, y + 12, f"Payment by ACH: {ach}, or PayPal jane@janecooper.example")
    s.text(15, y + 16, "Thank you for your business!")
    s.save(path)
    return InvoiceMetadata(
        invoice_number="0042",
        invoice_date=date(2024, 3, 15),
        due_date=date(2024, 4, 14),
        vendor="Jane Cooper Design",
        currency="USD",
        subtotal=D("2400.00"),
        tax=None,
        total=D("2400.00"),
    )


# --- Shopify order invoice (AU): line items, discount, shipping, GST included -------------------


def write_shopify(path: Path) -> InvoiceMetadata:
    s = Sheet("A4", 8)
    s.new_page()
    subtotal = D("180.00")
    discount = D("18.00")
    shipping = D("12.00")
    total = subtotal - discount + shipping
    gst = _cents(total / 11)
    s.text(20, 18, "Maple & Moss Goods", bold=True, size=12)
    s.text(20, 23, "7 Smith Street, Fitzroy VIC 3065, Australia")
    s.text(20, 27, "ABN 51 824 753 556")
    s.text(150, 18, "Tax Invoice", bold=True, size=12)
    s.text(130, 28, "Invoice No. MM-1042")
    s.text(130, 32, "Order #1042")
    s.text(130, 36, "Date 15/03/2024")
    s.text(20, 44, "Ship to", bold=True)
    s.text(20, 48, "Olivia Nguyen")
    s.text(20, 52, "31 Beach Road, St Kilda VIC 3182")
    s.text(90, 44, "Bill to", bold=True)
    s.text(90, 48, "Olivia Nguyen")
    s.text(90, 52, "31 Beach Road, St Kilda VIC 3182")
    y = _table(
        s,
        66,
        [(20, "Item"), (-130, "Qty"), (-160, "Price"), (-190, "Total")],
        [
            ["Linen Throw – Sage", "1", "$89.00", "$89.00"],
            ["Soy Candle 300g – Fig", "2", "$28.50", "$57.00"],
            ["Ceramic Mug – Speckle", "2", "$17.00", "$34.00"],
        ],
    )
    for label, value, bold in (
        ("Subtotal", f"${subtotal}", False),
        ("Discount (SPRING10)", f"-${discount}", False),
        ("Shipping (Standard)", f"${shipping}", False),
        ("Total", f"${total} AUD", True),
        ("Including GST", f"${gst}", False),
    ):
        y += 5
        s.text(120, y, label, bold=bold)
        s.right(190, y, value, bold=bold)
    s.text(20, y + 12, "Paid by Visa ending in 4242 on 15/03/2024")
    s.text(20, y + 16, "Questions? hello@maplemoss.example · maplemoss.example")
    s.save(path)
    return InvoiceMetadata(
        invoice_number="MM-1042",
        invoice_date=date(2024, 3, 15),
        due_date=None,
        vendor="Maple & Moss Goods",
        currency="AUD",
        subtotal=subtotal,
        tax=gst,
        total=total,
    )


# === Second set ================================================================================


# --- Microsoft Azure (US): labels stacked above their values, "Billing period", "Amount due" -----


def write_azure(path: Path) -> InvoiceMetadata:
    s = Sheet("Letter", 8)
    s.new_page()
    subtotal = D("2318.40")
    tax = _cents(subtotal * D("0.1025"))
    total = subtotal + tax
    s.text(15, 16, "Microsoft", bold=True, size=14)
    s.text(15, 22, "Microsoft Corporation")
    s.text(15, 26, "One Microsoft Way, Redmond, WA 98052-6399")
    s.text(140, 16, "Invoice", bold=True, size=14)
    for x, label, value in (
        (15, "Billing period", "03/01/2024 - 03/31/2024"),
        (70, "Invoice date", "04/04/2024"),
        (110, "Invoice number", "E0400PQRSTU"),
        (150, "Due date", "05/04/2024"),
    ):
        s.text(x, 38, label, bold=True)
        s.text(x, 43, value)
    for x, label, value in (
        (15, "Billing account", "8f2c-41d7-9a3e"),
        (70, "Billing profile", "Contoso Cloud Ops"),
        (150, "PO number", "PO-77812"),
    ):
        s.text(x, 52, label, bold=True)
        s.text(x, 57, value)
    s.text(15, 68, "Sold to", bold=True)
    s.text(15, 72, "Contoso Cloud Ops LLC")
    s.text(15, 76, "1200 Fifth Avenue, Seattle, WA 98101")
    s.text(110, 68, "Amount due", bold=True, size=10)
    s.text(110, 75, f"${us(total)} USD", bold=True, size=14)
    y = _table(
        s,
        92,
        [(15, "Service family"), (-120, "Usage"), (-200, "Charges")],
        [
            ["Compute: Virtual Machines", "1,488 hrs", "$1,402.56"],
            ["Storage: Managed Disks", "12 disks", "$611.04"],
            ["Networking: Bandwidth", "2.4 TB", "$304.80"],
        ],
    )
    for label, value, bold in (
        ("Charges", f"${us(subtotal)}", False),
        ("Credits", "$0.00", False),
        ("Subtotal", f"${us(subtotal)}", False),
        ("Tax", f"${us(tax)}", False),
        ("Total", f"${us(total)}", True),
    ):
        y += 5
        s.text(130, y, label, bold=bold)
        s.right(200, y, value, bold=bold)
    s.text(15, y + 12, "Pay by wire: Bank of America, Account 1234567890, ABA 026009593, ref E0400PQRSTU")
    s.text(15, 262, "Microsoft Corporation · Federal Tax ID 91-1144442 · Page 1 of 1", size=6)
    s.save(path)
    return InvoiceMetadata(
        invoice_number="E0400PQRSTU",
        invoice_date=date(2024, 4, 4),
        due_date=date(2024, 5, 4),
        vendor="Microsoft Corporation",
        currency="USD",
        subtotal=subtotal,
        tax=tax,
        total=total,
    )


# --- Adobe-style SaaS receipt: "Receipt", "PAID", an order number beside the invoice number -----


def write_adobe_receipt(path: Path) -> InvoiceMetadata:
    """A paid receipt is read as an invoice (the bill, settled): no due date, the amount paid is the total."""
    s = Sheet("Letter", 8)
    s.new_page()
    subtotal = D("54.99")
    tax = D("4.88")
    total = subtotal + tax
    s.text(15, 18, "Adobe Inc.", bold=True, size=12)
    s.text(15, 23, "345 Park Avenue, San Jose, CA 95110-2704")
    s.text(150, 18, "Receipt", bold=True, size=16)
    s.text(150, 26, "PAID", bold=True, size=12)
    s.text(15, 38, "Invoice Number")
    s.text(55, 38, "IN012345678")
    s.text(15, 42, "Order Number")
    s.text(55, 42, "AD009988776")
    s.text(15, 46, "Invoice Date")
    s.text(55, 46, "15-MAR-2024")
    s.text(15, 50, "Payment Method")
    s.text(55, 50, "Visa ending 4242, charged 15-MAR-2024")
    s.text(120, 38, "Bill To", bold=True)
    s.text(120, 42, "Rivera Creative Studio")
    s.text(120, 46, "Maria Rivera")
    s.text(120, 50, "77 Mission Street, San Francisco, CA 94105")
    y = _table(
        s,
        64,
        [(15, "Product"), (-130, "Qty"), (-160, "Unit Price"), (-200, "Net Amount")],
        [["Creative Cloud All Apps (monthly)", "1", "54.99", "54.99"]],
    )
    for label, value, bold in (
        ("Net Amount", "54.99", False),
        ("Taxes (8.875%)", "4.88", False),
        ("Total Amount (USD)", f"{total}", True),
        ("Amount Paid", f"{total}", False),
        ("Balance Due", "0.00", False),
    ):
        y += 5
        s.text(120, y, label, bold=bold)
        s.right(200, y, value, bold=bold)
    s.text(15, y + 12, "Thank you for your purchase. This receipt was charged to your card on file.")
    s.save(path)
    return InvoiceMetadata(
        invoice_number="IN012345678",
        invoice_date=date(2024, 3, 15),
        due_date=None,
        vendor="Adobe Inc.",
        currency="USD",
        subtotal=subtotal,
        tax=tax,
        total=total,
    )


# --- Spanish factura: Nº Factura, a long-form Spanish date, Base imponible / IVA 21 % -----------


def write_spanish_factura(path: Path) -> InvoiceMetadata:
    s = Sheet("A4", 8)
    s.new_page()
    subtotal = D("1020.30")
    tax = _cents(subtotal * D("0.21"))
    total = subtotal + tax
    s.text(20, 18, "Construcciones Levante S.L.", bold=True, size=12)
    s.text(20, 23, "C/ de Colón 22, 46004 Valencia")
    s.text(20, 27, "NIF: B12345678")
    s.text(130, 18, "FACTURA", bold=True, size=14)
    s.text(130, 26, "Nº Factura: 2024/0153")
    s.text(130, 30, "Fecha: 15 de marzo de 2024")
    s.text(130, 34, "Vencimiento: 14 de abril de 2024")
    s.text(20, 42, "Cliente:", bold=True)
    s.text(20, 46, "Inmobiliaria Turia S.A.")
    s.text(20, 50, "Av. del Puerto 180, 46023 Valencia")
    s.text(20, 54, "CIF: A87654321")
    y = _table(
        s,
        68,
        [(20, "Concepto"), (-125, "Cantidad"), (-155, "Precio"), (-190, "Importe")],
        [
            ["Reparación de fachada", "1", "720,30 €", "720,30 €"],
            ["Pintura exterior (m²)", "40", "7,50 €", "300,00 €"],
        ],
    )
    for label, value, bold in (
        ("Base imponible", f"{eu(subtotal)} €", False),
        ("IVA 21 %", f"{eu(tax)} €", False),
        ("Total", f"{eu(total)} €", True),
    ):
        y += 5
        s.text(125, y, label, bold=bold)
        s.right(190, y, value, bold=bold)
    s.text(20, y + 12, "Forma de pago: transferencia bancaria")
    s.text(20, y + 16, "IBAN: ES91 2100 0418 4502 0005 1332")
    s.save(path)
    return InvoiceMetadata(
        invoice_number="2024/0153",
        invoice_date=date(2024, 3, 15),
        due_date=date(2024, 4, 14),
        vendor="Construcciones Levante S.L.",
        currency="EUR",
        subtotal=subtotal,
        tax=tax,
        total=total,
    )


# --- Brazilian fatura de serviços: R$ 1.234,56, Prestador / Tomador, "Valor total" --------------


def write_brazilian_fatura(path: Path) -> InvoiceMetadata:
    s = Sheet("A4", 8)
    s.new_page()
    subtotal = D("1150.00")
    tax = _cents(subtotal * D("0.05"))
    total = subtotal + tax
    s.text(20, 16, "FATURA DE SERVIÇOS", bold=True, size=13)
    s.text(20, 26, "Prestador de serviços", bold=True)
    s.text(20, 30, "Tecnologia Paulista Ltda.")
    s.text(20, 34, "CNPJ: 12.345.678/0001-90")
    s.text(20, 38, "Av. Paulista 1000, São Paulo - SP, 01310-100")
    s.text(120, 26, "Número da fatura: 2024-000315")
    s.text(120, 30, "Data de emissão: 15/03/2024")
    s.text(120, 34, "Vencimento: 15/04/2024")
    s.text(20, 48, "Tomador de serviços", bold=True)
    s.text(20, 52, "Comercial Carioca S.A.")
    s.text(20, 56, "CNPJ: 98.765.432/0001-10")
    s.text(20, 60, "Rua do Ouvidor 50, Rio de Janeiro - RJ")
    y = _table(
        s,
        74,
        [(20, "Discriminação dos serviços"), (-150, "Qtd."), (-190, "Valor")],
        [
            ["Suporte técnico mensal", "1", "R$ 850,00"],
            ["Hospedagem de servidores", "2", "R$ 300,00"],
        ],
    )
    for label, value, bold in (
        ("Valor dos serviços", f"R$ {eu(subtotal)}", False),
        ("ISS (5%)", f"R$ {eu(tax)}", False),
        ("Valor total", f"R$ {eu(total)}", True),
    ):
        y += 5
        s.text(120, y, label, bold=bold)
        s.right(190, y, value, bold=bold)
    s.text(20, y + 12, "Pagamento via boleto ou PIX: financeiro@tecpaulista.example")
    s.save(path)
    return InvoiceMetadata(
        invoice_number="2024-000315",
        invoice_date=date(2024, 3, 15),
        due_date=date(2024, 4, 15),
        vendor="Tecnologia Paulista Ltda.",
        currency="BRL",
        subtotal=subtotal,
        tax=tax,
        total=total,
    )


# --- Polish faktura VAT: Sprzedawca / Nabywca, Netto / VAT 23% / Brutto, "Do zapłaty" -----------


def write_polish_faktura(path: Path) -> InvoiceMetadata:
    s = Sheet("A4", 8)
    s.new_page()
    subtotal = D("1234.00")
    tax = _cents(subtotal * D("0.23"))
    total = subtotal + tax
    s.text(20, 16, "Faktura VAT nr FV/2024/03/015", bold=True, size=13)
    for i, (label, value) in enumerate(
        (("Data wystawienia:", "2024-03-15"), ("Data sprzedaży:", "2024-03-14"),
         ("Termin płatności:", "2024-03-29"), ("Sposób płatności:", "przelew"))
    ):
        s.text(120, 26 + 4 * i, label)
        s.text(155, 26 + 4 * i, value)
    s.text(20, 48, "Sprzedawca", bold=True)
    s.text(20, 52, "Kowalski i Wspólnicy Sp. z o.o.")
    s.text(20, 56, "ul. Marszałkowska 10, 00-590 Warszawa")
    s.text(20, 60, "NIP: 525-000-12-34")
    s.text(110, 48, "Nabywca", bold=True)
    s.text(110, 52, "Nowak Handel S.A.")
    s.text(110, 56, "ul. Piotrkowska 5, 90-001 Łódź")
    s.text(110, 60, "NIP: 727-000-56-78")
    y = _table(
        s,
        74,
        [
            (20, "Nazwa"), (-110, "Ilość"), (-135, "Netto"), (-150, "VAT"), (-170, "Kwota VAT"),
            (-192, "Brutto"),
        ],
        [
            ["Usługi programistyczne", "10", "1 000,00", "23%", "230,00", "1 230,00"],
            ["Licencja oprogramowania", "1", "234,00", "23%", "53,82", "287,82"],
        ],
    )
    s.text(20, y, "Razem", bold=True)
    s.right(135, y, french(subtotal), bold=True)
    s.right(170, y, french(tax), bold=True)
    s.right(192, y, french(total), bold=True)
    s.text(20, y + 12, "Do zapłaty:", bold=True, size=10)
    s.text(55, y + 12, f"{french(total)} PLN", bold=True, size=10)
    s.text(20, y + 17, "Słownie: jeden tysiąc pięćset siedemnaście złotych 82/100")
    s.text(20, y + 21, "Nr konta: PL61 1090 1014 0000 0712 1981 2874")
    s.save(path)
    return InvoiceMetadata(
        invoice_number="FV/2024/03/015",
        invoice_date=date(2024, 3, 15),
        due_date=date(2024, 3, 29),
        vendor="Kowalski i Wspólnicy Sp. z o.o.",
        currency="PLN",
        subtotal=subtotal,
        tax=tax,
        total=total,
    )


# --- Swiss Rechnung: CHF 1'234.50, MWST 8.1 %, "Zürich, 15. März 2024", recipient on the right ---


def write_swiss_rechnung(path: Path) -> InvoiceMetadata:
    s = Sheet("A4", 8)
    s.new_page()
    subtotal = D("1142.00")
    tax = _cents(subtotal * D("0.081"))
    total = subtotal + tax
    s.text(20, 18, "Alpenblick Software AG", bold=True, size=12)
    s.text(20, 23, "Bahnhofstrasse 21, 8001 Zürich")
    s.text(20, 27, "CHE-123.456.789 MWST")
    s.text(120, 42, "Bergsee Hotel GmbH")
    s.text(120, 46, "Seestrasse 3")
    s.text(120, 50, "6006 Luzern")
    s.text(20, 62, "Zürich, 15. März 2024")
    s.text(20, 72, "Rechnung Nr. 2024-0315", bold=True, size=11)
    s.text(20, 77, "Kundennummer: K-4410")
    y = _table(
        s,
        88,
        [(20, "Bezeichnung"), (-130, "Menge"), (-160, "Preis"), (-190, "Betrag CHF")],
        [
            ["Wartungsvertrag Q1/2024", "1", "900.00", "900.00"],
            ["Schulung vor Ort (Stunden)", "2", "121.00", "242.00"],
        ],
    )
    for label, value, bold in (
        ("Zwischensumme", f"CHF {swiss(subtotal)}", False),
        ("MWST 8.1 %", f"CHF {swiss(tax)}", False),
        ("Total", f"CHF {swiss(total)}", True),
    ):
        y += 5
        s.text(120, y, label, bold=bold)
        s.right(190, y, value, bold=bold)
    s.text(20, y + 12, "Zahlbar bis 14. April 2024 auf IBAN CH93 0076 2011 6238 5295 7.")
    s.save(path)
    return InvoiceMetadata(
        invoice_number="2024-0315",
        invoice_date=date(2024, 3, 15),
        due_date=date(2024, 4, 14),
        vendor="Alpenblick Software AG",
        currency="CHF",
        subtotal=subtotal,
        tax=tax,
        total=total,
    )


# --- Swedish faktura: stacked header boxes, OCR number, Moms 25 %, "Att betala" ----------------


def write_swedish_faktura(path: Path) -> InvoiceMetadata:
    s = Sheet("A4", 8)
    s.new_page()
    subtotal = D("9876.00")
    tax = _cents(subtotal * D("0.25"))
    total = subtotal + tax
    s.text(20, 18, "Nordljus Design AB", bold=True, size=12)
    s.text(20, 23, "Götgatan 14, 118 46 Stockholm")
    s.text(150, 18, "FAKTURA", bold=True, size=14)
    for x, label, value in (
        (20, "Fakturanummer", "10234"),
        (60, "Fakturadatum", "2024-03-15"),
        (100, "Förfallodatum", "2024-04-14"),
        (140, "OCR-nummer", "1023400000017"),
    ):
        s.text(x, 34, label, size=6.5)
        s.text(x, 39, value, bold=True)
    s.text(20, 50, "Kund", size=6.5)
    s.text(20, 55, "Fjällbacka Rederi AB")
    s.text(20, 59, "Hamngatan 2, 457 40 Fjällbacka")
    s.text(110, 50, "Vår referens", size=6.5)
    s.text(110, 55, "Karin Lind")
    s.text(150, 50, "Er referens", size=6.5)
    s.text(150, 55, "Per Ek")
    y = _table(
        s,
        72,
        [(20, "Beskrivning"), (-130, "Antal"), (-160, "À-pris"), (-190, "Belopp")],
        [
            ["Logotyp och grafisk profil", "1", "7 500,00", "7 500,00"],
            ["Trycksaker, korrektur", "4", "594,00", "2 376,00"],
        ],
    )
    for label, value, bold in (
        ("Belopp exkl. moms", french(subtotal), False),
        ("Moms 25 %", french(tax), False),
        ("Att betala", f"{french(total)} SEK", True),
    ):
        y += 5
        s.text(120, y, label, bold=bold)
        s.right(190, y, value, bold=bold)
    s.text(20, 276, "Org.nr 556123-4567 · Momsreg.nr SE556123456701 · Bankgiro 123-4567", size=6)
    s.text(20, 280, "Innehar F-skattsedel", size=6)
    s.save(path)
    return InvoiceMetadata(
        invoice_number="10234",
        invoice_date=date(2024, 3, 15),
        due_date=date(2024, 4, 14),
        vendor="Nordljus Design AB",
        currency="SEK",
        subtotal=subtotal,
        tax=tax,
        total=total,
    )


# --- Australian tax invoice: ABN, INV-2024/03-0042, a totals box at the bottom right, "$" only ---


def write_australian_tax_invoice(path: Path) -> InvoiceMetadata:
    """Currency AUD: the dollars are Australian (ABN, GST, an Australian address); no code printed."""
    s = Sheet("A4", 8)
    s.new_page()
    subtotal = D("1122.33")
    tax = _cents(subtotal * D("0.10"))
    total = subtotal + tax
    s.text(20, 18, "Koala Electrical Services Pty Ltd", bold=True, size=12)
    s.text(20, 23, "42 George Street, Parramatta NSW 2150")
    s.text(20, 27, "ABN 12 345 678 901")
    s.text(140, 18, "TAX INVOICE", bold=True, size=13)
    for i, (label, value) in enumerate(
        (("Invoice Number", "INV-2024/03-0042"), ("Invoice Date", "15 March 2024"),
         ("Due Date", "29 March 2024"), ("Reference", "Job 5512"))
    ):
        s.text(130, 28 + 4 * i, label)
        s.right(195, 28 + 4 * i, value)
    s.text(20, 48, "Bill To", bold=True)
    s.text(20, 52, "Harbour View Strata")
    s.text(20, 56, "PO Box 88, Sydney NSW 2001")
    y = _table(
        s,
        70,
        [(20, "Description"), (-120, "Qty"), (-150, "Unit Price"), (-170, "GST"), (-195, "Amount")],
        [
            ["Switchboard upgrade", "1", "780.00", "10%", "780.00"],
            ["LED downlights installed (12)", "1", "342.33", "10%", "342.33"],
        ],
    )
    s.text(20, y + 6, "Payment: BSB 062-000  Account 1234 5678  Ref INV-2024/03-0042")
    s.text(20, y + 10, "Thank you for your business.")
    top = 236
    s.pdf.rect(125, top, 72, 26)
    for i, (label, value, bold) in enumerate(
        (("Subtotal (ex GST)", f"${us(subtotal)}", False), ("GST 10%", f"${us(tax)}", False),
         ("Total inc. GST", f"${us(total)}", True), ("Amount Due", f"${us(total)}", True))
    ):
        s.text(128, top + 6 + 5 * i, label, bold=bold)
        s.right(195, top + 6 + 5 * i, value, bold=bold)
    s.save(path)
    return InvoiceMetadata(
        invoice_number="INV-2024/03-0042",
        invoice_date=date(2024, 3, 15),
        due_date=date(2024, 3, 29),
        vendor="Koala Electrical Services Pty Ltd",
        currency="AUD",
        subtotal=subtotal,
        tax=tax,
        total=total,
    )


# --- Canadian (BC) invoice: GST and PST on separate lines ---------------------------------------


def write_canadian_invoice(path: Path) -> InvoiceMetadata:
    """Tax = GST + PST (two lines, no total-tax line), as the Indian invoice's CGST + SGST."""
    s = Sheet("Letter", 8)
    s.new_page()
    subtotal = D("1000.00")
    gst = _cents(subtotal * D("0.05"))
    pst = _cents(subtotal * D("0.07"))
    total = subtotal + gst + pst
    s.text(15, 18, "Cascade Outdoor Supply Ltd.", bold=True, size=12)
    s.text(15, 23, "1550 West Broadway, Vancouver, BC V6J 1W6")
    s.text(15, 27, "GST Reg. No. 123456789 RT0001   PST No. PST-1234-5678")
    s.text(150, 18, "INVOICE", bold=True, size=14)
    s.text(140, 28, "Invoice #: 2024-0315")
    s.text(140, 32, "Date: March 15, 2024")
    s.text(140, 36, "Due: April 14, 2024")
    s.text(15, 42, "Sold To", bold=True)
    s.text(15, 46, "Whistler Adventure Tours Inc.")
    s.text(15, 50, "4205 Village Stroll, Whistler, BC V8E 1H0")
    y = _table(
        s,
        64,
        [(15, "Item"), (-130, "Qty"), (-160, "Price"), (-200, "Amount")],
        [
            ["Kayak, 12 ft touring", "2", "$400.00", "$800.00"],
            ["Paddle, carbon", "2", "$100.00", "$200.00"],
        ],
    )
    for label, value, bold in (
        ("Subtotal", f"${us(subtotal)}", False),
        ("GST (5%)", f"${us(gst)}", False),
        ("PST (7%)", f"${us(pst)}", False),
        ("Total (CAD)", f"${us(total)}", True),
    ):
        y += 5
        s.text(130, y, label, bold=bold)
        s.right(200, y, value, bold=bold)
    s.text(15, y + 12, "Payment by e-Transfer to accounts@cascadeoutdoor.example")
    s.save(path)
    return InvoiceMetadata(
        invoice_number="2024-0315",
        invoice_date=date(2024, 3, 15),
        due_date=date(2024, 4, 14),
        vendor="Cascade Outdoor Supply Ltd.",
        currency="CAD",
        subtotal=subtotal,
        tax=gst + pst,
        total=total,
    )


# --- US utility bill: an account number beside the invoice number, previous balance lines --------


def write_us_utility(path: Path) -> InvoiceMetadata:
    """Total = the current charges (the amount due, the previous balance having been paid)."""
    s = Sheet("Letter", 8)
    s.new_page()
    subtotal = D("171.25")
    tax = _cents(subtotal * D("0.0944"))
    total = subtotal + tax
    s.text(15, 18, "Riverside Power & Light", bold=True, size=13)
    s.text(15, 23, "PO Box 4000, Riverside, CA 92502")
    s.text(15, 27, "Customer Service 1-800-555-0199")
    s.text(130, 18, "Account Number", bold=True)
    s.right(200, 18, "1234567890-1")
    s.text(130, 22, "Invoice Number", bold=True)
    s.right(200, 22, "908172635")
    s.text(130, 26, "Bill Date", bold=True)
    s.right(200, 26, "03/15/2024")
    s.text(130, 30, "Service Period", bold=True)
    s.right(200, 30, "02/12/2024 - 03/13/2024")
    s.text(15, 40, "Service For:", bold=True)
    s.text(15, 44, "DANIEL OKAFOR")
    s.text(15, 48, "2210 MAGNOLIA AVE, RIVERSIDE CA 92506")
    s.pdf.rect(125, 36, 75, 18)
    s.text(128, 42, "Amount Due", bold=True, size=10)
    s.right(197, 42, f"${us(total)}", bold=True, size=10)
    s.text(128, 49, "Due Date", bold=True)
    s.right(197, 49, "04/05/2024", bold=True)
    s.text(15, 64, "Account Summary", bold=True, size=10)
    for i, (label, value) in enumerate(
        (("Previous Balance", "$165.10"), ("Payment Received 02/28/2024 - Thank You", "-$165.10"),
         ("Balance Forward", "$0.00"), ("Electric Charges", f"${us(subtotal)}"),
         ("Sales Tax (9.44%)", f"${us(tax)}"), ("Total Current Charges", f"${us(total)}"),
         ("Total Amount Due", f"${us(total)}"))
    ):
        s.text(15, 70 + 5 * i, label, bold=i == 6)
        s.right(120, 70 + 5 * i, value, bold=i == 6)
    s.text(15, 112, "Meter 88-201934   Previous read 40112   Current read 40998   Usage 886 kWh")
    s.text(15, 250, "Return this portion with your payment.  Account Number 1234567890-1", size=7)
    s.text(15, 254, f"Amount Due ${us(total)}   Due Date 04/05/2024", size=7)
    s.save(path)
    return InvoiceMetadata(
        invoice_number="908172635",
        invoice_date=date(2024, 3, 15),
        due_date=date(2024, 4, 5),
        vendor="Riverside Power & Light",
        currency="USD",
        subtotal=subtotal,
        tax=tax,
        total=total,
    )


# --- Two-page French facture: line items with amounts on page 1, totals on page 2 ---------------


def write_two_page_facture(path: Path) -> InvoiceMetadata:
    s = Sheet("A4", 8)
    items = [
        (f"Ramette papier A4 80 g, lot {i + 1}", D(5 + i % 4), D("4.90") + D(i % 7)) for i in range(44)
    ]
    amounts = [qty * price for _, qty, price in items]
    subtotal = sum(amounts, D("0"))
    tax = _cents(subtotal * D("0.20"))
    total = subtotal + tax

    def header(page: int) -> float:
        s.new_page()
        s.text(20, 16, "Papeterie du Rhône SAS", bold=True, size=12)
        s.text(20, 21, "12 quai Saint-Antoine, 69002 Lyon")
        s.text(130, 16, "FACTURE", bold=True, size=13)
        s.text(130, 23, "Facture N° FA-24-03/0315")
        s.text(130, 27, "Date : 15 mars 2024")
        s.right(195, 287, f"Page {page}/2", size=6)
        if page == 1:
            s.text(130, 31, "Échéance : 14 avril 2024")
            s.text(20, 36, "Client :", bold=True)
            s.text(20, 40, "Lycée Ampère")
            s.text(20, 44, "31 rue de la Bourse, 69002 Lyon")
            return 56
        return 40

    columns = [(20, "Désignation"), (-130, "Qté"), (-155, "P.U. HT"), (-190, "Montant HT")]
    rows = [[name, str(qty), french(price), french(qty * price)] for name, qty, price in items]
    y = _table(s, header(1), columns, rows[:36])
    y = _table(s, header(2), columns, rows[36:])
    for label, value, bold in (
        ("Montant HT", f"{french(subtotal)} €", False),
        ("TVA (20 %)", f"{french(tax)} €", False),
        ("Net à payer", f"{french(total)} €", True),
    ):
        y += 5
        s.text(125, y, label, bold=bold)
        s.right(190, y, value, bold=bold)
    s.text(20, y + 12, "Règlement par virement : IBAN FR76 1027 8073 0000 0123 4567 890")
    s.save(path)
    return InvoiceMetadata(
        invoice_number="FA-24-03/0315",
        invoice_date=date(2024, 3, 15),
        due_date=date(2024, 4, 14),
        vendor="Papeterie du Rhône SAS",
        currency="EUR",
        subtotal=subtotal,
        tax=tax,
        total=total,
    )


# --- Credit note (UK): negative amounts as printed, the original invoice's number referenced -----


def write_credit_note(path: Path) -> InvoiceMetadata:
    """A credit note is read like an invoice: its own number, its amounts negative as it prints them."""
    s = Sheet("A4", 8)
    s.new_page()
    subtotal = D("-250.00")
    tax = _cents(subtotal * D("0.20"))
    total = subtotal + tax
    s.text(20, 18, "Northwind Traders Ltd", bold=True, size=12)
    s.text(20, 23, "8 Canal Street, Manchester M1 3HE")
    s.text(20, 27, "VAT Reg No: GB 987 6543 21")
    s.text(150, 18, "CREDIT NOTE", bold=True, size=12)
    s.text(130, 28, "Credit Note No: CN-2024-0007")
    s.text(130, 32, "Date: 15 March 2024")
    s.text(130, 36, "Original invoice: NT-2024-0815")
    s.text(130, 40, "Invoice date: 01 March 2024")
    s.text(20, 44, "Customer:", bold=True)
    s.text(20, 48, "Pennine Cafés Ltd")
    s.text(20, 52, "40 Oldham Street, Manchester M4 1LE")
    y = _table(
        s,
        66,
        [(20, "Description"), (-130, "Qty"), (-160, "Unit £"), (-190, "Net £")],
        [["Returned: espresso grinder (damaged in transit)", "-1", "250.00", "-250.00"]],
    )
    for label, value, bold in (
        ("Net", f"-£{us(subtotal)}", False),
        ("VAT @ 20%", f"-£{us(tax)}", False),
        ("Total credit", f"-£{us(total)}", True),
    ):
        y += 5
        s.text(130, y, label, bold=bold)
        s.right(190, y, value, bold=bold)
    s.text(20, y + 12, "This credit will be offset against your next invoice.")
    s.save(path)
    return InvoiceMetadata(
        invoice_number="CN-2024-0007",
        invoice_date=date(2024, 3, 15),
        due_date=None,
        vendor="Northwind Traders Ltd",
        currency="GBP",
        subtotal=subtotal,
        tax=tax,
        total=total,
    )


# --- Third set ----------------------------------------------------------------------------------


def _totals(
    s: Sheet, y: float, label_x: float, value_x: float, rows: list[tuple[str, str, bool]]
) -> float:
    """Each (label, right-aligned value, bold) on its own line below ``y``; returns the last y."""
    for label, value, bold in rows:
        y += 5
        s.text(label_x, y, label, bold=bold)
        s.right(value_x, y, value, bold=bold)
    return y


def _fields(
    s: Sheet,
    y: float,
    label_x: float,
    value_x: float,
    pairs: list[tuple[str, str]],
    bold_labels: bool = False,
) -> None:
    """Header fields 4 mm apart from ``y``: labels at ``label_x``, values right-aligned at ``value_x``."""
    for i, (label, value) in enumerate(pairs):
        s.text(label_x, y + 4 * i, label, bold=bold_labels)
        s.right(value_x, y + 4 * i, value)


def _priced(net: str, rate: str) -> tuple[Decimal, Decimal, Decimal]:
    """Net amount, its tax at ``rate`` (to the cent) and their sum: an invoice's three amounts."""
    subtotal = D(net)
    tax = _cents(subtotal * D(rate))
    return subtotal, tax, subtotal + tax


# --- Atlassian-style SaaS invoice: usage lines, a prior credit applied, "Amount due" below the total


def write_atlassian_saas(path: Path) -> InvoiceMetadata:
    """The total is the invoice's own total; the credit note applied to it only lowers the amount due."""
    s = Sheet("Letter", 8)
    s.new_page()
    lines = [
        ("Jira Software (Cloud) Standard", "50 users", "$7.75", D("387.50")),
        ("Confluence (Cloud) Standard", "50 users", "$6.05", D("302.50")),
        ("Bitbucket Pipelines build minutes (usage)", "10,000 min over 2,500 incl.", "$0.001", D("10.00")),
    ]
    subtotal = sum((amount for *_, amount in lines), D("0"))
    tax = _cents(subtotal * D("0.0825"))
    total = subtotal + tax
    credit = D("200.00")
    s.text(15, 18, "ATLASSIAN", bold=True, size=14)
    s.text(15, 24, "Atlassian Pty Ltd", bold=True)
    s.text(15, 28, "Level 6, 341 George Street, Sydney NSW 2000, Australia")
    s.text(15, 32, "ABN 53 000 000 001")
    s.text(140, 18, "Invoice", bold=True, size=16)
    _fields(
        s, 28, 120, 200,
        [("Invoice number", "AT-198765432"), ("Invoice date", "Mar 15, 2024"), ("Due date", "Apr 14, 2024"),
         ("Billing period", "Mar 15, 2024 - Apr 14, 2024"), ("Support entitlement number", "SEN-L19283746")],
    )
    s.text(15, 46, "Bill to", bold=True)
    s.text(15, 50, "Bluebonnet Robotics Inc.")
    s.text(15, 54, "900 Congress Ave, Austin, TX 78701, United States")
    s.text(15, 58, "Technical contact: devops@bluebonnet.example")
    y = _table(
        s,
        72,
        [(15, "Description"), (95, "Quantity"), (-165, "Unit price"), (-200, "Amount (USD)")],
        [[name, quantity, unit, us(amount)] for name, quantity, unit, amount in lines],
    )
    s.text(15, y + 2, "Usage is billed in arrears for the previous billing period.", size=6.5)
    y = _totals(s, y + 4, 120, 200, [
        ("Subtotal", us(subtotal, dollar="$"), False),
        ("Sales tax (TX 8.25%)", us(tax, dollar="$"), False),
        ("Total (USD)", us(total, dollar="$"), True),
        ("Credit applied (CN-00412)", f"-{us(credit, dollar='$')}", False),
        ("Amount due (USD)", us(total - credit, dollar="$"), True),
    ])
    s.text(15, y + 12, "Pay by card at my.atlassian.com or by wire: JPMorgan Chase, Account 000123456789, "
           "ABA 021000021")
    s.text(15, y + 16, "Questions? Quote your invoice number and SEN when contacting Atlassian billing.")
    s.save(path)
    return InvoiceMetadata(
        invoice_number="AT-198765432",
        invoice_date=date(2024, 3, 15),
        due_date=date(2024, 4, 14),
        vendor="Atlassian Pty Ltd",
        currency="USD",
        subtotal=subtotal,
        tax=tax,
        total=total,
    )


# --- Norwegian faktura: KID, "kr" only, Sum ekskl. mva / Mva 25 % / Å betale -----------------------


def write_norwegian_faktura(path: Path) -> InvoiceMetadata:
    """Currency NOK: amounts print only ``kr``, the country is Norway (Org.nr … MVA, Norwegian labels)."""
    s = Sheet("A4", 8)
    s.new_page()
    subtotal, tax, total = _priced("8400.00", "0.25")
    s.text(20, 18, "Fjordlys Regnskap AS", bold=True, size=12)
    s.text(20, 23, "Strandgaten 18, 5013 Bergen")
    s.text(20, 27, "Org.nr. 912 345 678 MVA")
    s.text(150, 18, "FAKTURA", bold=True, size=14)
    _fields(
        s, 30, 130, 195,
        [("Fakturanr.", "24031"), ("Fakturadato", "15.03.2024"), ("Forfallsdato", "29.03.2024"),
         ("Kundenr.", "10087"), ("Deres ref.", "Ingrid Solberg")],
    )
    s.text(20, 40, "Hardanger Sjømat AS", bold=True)
    s.text(20, 44, "Kaigaten 3")
    s.text(20, 48, "5600 Norheimsund")
    y = _table(
        s,
        64,
        [(20, "Beskrivelse"), (-120, "Antall"), (-145, "Pris"), (-165, "Mva"), (-195, "Beløp")],
        [
            ["Regnskapsføring februar 2024", "12", "650,00", "25 %", "7 800,00"],
            ["Lønnskjøring", "1", "600,00", "25 %", "600,00"],
        ],
    )
    y = _totals(s, y + 2, 120, 195, [
        ("Sum ekskl. mva", f"kr {french(subtotal)}", False),
        ("Mva 25 %", f"kr {french(tax)}", False),
        ("Å betale", f"kr {french(total)}", True),
    ])
    s.pdf.rect(18, 250, 177, 24)
    s.text(20, 256, "Betalingsinformasjon", bold=True)
    s.text(20, 261, "Kontonr. 1503.12.34567")
    s.text(20, 265, "KID 2403100015")
    s.text(90, 261, "Beløp kr")
    s.right(140, 261, french(total))
    s.text(90, 265, "Betalingsfrist 29.03.2024")
    s.save(path)
    return InvoiceMetadata(
        invoice_number="24031",
        invoice_date=date(2024, 3, 15),
        due_date=date(2024, 3, 29),
        vendor="Fjordlys Regnskap AS",
        currency="NOK",
        subtotal=subtotal,
        tax=tax,
        total=total,
    )


# --- Czech faktura – daňový doklad: Dodavatel / Odběratel, DUZP beside the issue date, Kč --------


def write_czech_faktura(path: Path) -> InvoiceMetadata:
    """The issue date is ``Datum vystavení``; ``Datum zdanitelného plnění`` is a tax point, not it."""
    s = Sheet("A4", 8)
    s.new_page()
    subtotal, tax, total = _priced("48500.00", "0.21")
    s.text(20, 18, "Faktura – daňový doklad č. 2024031", bold=True, size=13)
    s.text(20, 30, "Dodavatel:", bold=True)
    s.text(20, 35, "Vltava Software s.r.o.", bold=True)
    s.text(20, 39, "Na Poříčí 1041/12, 110 00 Praha 1")
    s.text(20, 43, "IČO: 27654321   DIČ: CZ27654321")
    s.text(20, 47, "Zapsáno v OR u MS v Praze, oddíl C, vložka 123456", size=6.5)
    s.text(110, 30, "Odběratel:", bold=True)
    s.text(110, 35, "Moravská strojírna a.s.", bold=True)
    s.text(110, 39, "Hlavní 55, 602 00 Brno")
    s.text(110, 43, "IČO: 45678901   DIČ: CZ45678901")
    for i, (label, value) in enumerate(
        (("Datum vystavení:", "15. 3. 2024"), ("Datum zdanitelného plnění:", "29. 2. 2024"),
         ("Datum splatnosti:", "29. 3. 2024"), ("Forma úhrady:", "převodem"),
         ("Variabilní symbol:", "2024031"), ("Bankovní účet:", "2801234567/2010"))
    ):
        s.text(20, 58 + 4 * i, label)
        s.text(65, 58 + 4 * i, value)
    y = _table(
        s,
        90,
        [(20, "Označení dodávky"), (-115, "Množství"), (-140, "Cena za MJ"), (-155, "DPH"),
         (-195, "Celkem bez DPH")],
        [
            ["Vývoj modulu skladové evidence (únor 2024)", "40 h", "1 100,00", "21 %", "44 000,00"],
            ["Hosting a správa serveru", "1 měs.", "4 500,00", "21 %", "4 500,00"],
        ],
    )
    y = _table(
        s,
        y + 4,
        [(110, "Sazba"), (-150, "Základ"), (-170, "DPH"), (-195, "Celkem")],
        [["21 %", french(subtotal), french(tax), french(total)]],
    )
    s.text(110, y + 4, "Celkem k úhradě", bold=True, size=10)
    s.right(195, y + 4, f"{french(total)} Kč", bold=True, size=10)
    s.text(20, 270, "Vystavil: Jana Dvořáková, tel. +420 777 123 456", size=6.5)
    s.save(path)
    return InvoiceMetadata(
        invoice_number="2024031",
        invoice_date=date(2024, 3, 15),
        due_date=date(2024, 3, 29),
        vendor="Vltava Software s.r.o.",
        currency="CZK",
        subtotal=subtotal,
        tax=tax,
        total=total,
    )


# --- Portuguese fatura: FT 2024A/153, ATCUD, NIF, ISO dates, a VAT summary table --------------------


def write_portuguese_fatura(path: Path) -> InvoiceMetadata:
    """The number is the document's series and number (``FT 2024A/153``); the ATCUD is a code beside it."""
    s = Sheet("A4", 8)
    s.new_page()
    subtotal, tax, total = _priced("1250.00", "0.23")
    s.text(20, 18, "Tejo Consultoria, Lda.", bold=True, size=12)
    s.text(20, 23, "Rua Augusta 120, 2.º, 1100-053 Lisboa")
    s.text(20, 27, "NIF: 509876543   Capital social: 5.000,00 €")
    s.text(140, 18, "Fatura FT 2024A/153", bold=True, size=11)
    s.text(140, 23, "Original", size=7)
    s.text(140, 28, "ATCUD: JFM3K7PB-153")
    s.text(20, 40, "Exmo(s). Sr(s).", size=7)
    s.text(20, 44, "Atlântico Hotéis, S.A.", bold=True)
    s.text(20, 48, "Avenida da Liberdade 44, 1250-145 Lisboa")
    s.text(20, 52, "NIF: 501234567")
    _fields(
        s, 40, 120, 195,
        [("Data de emissão", "2024-03-15"), ("Data de vencimento", "2024-04-14"),
         ("Condições de pagamento", "30 dias"), ("V/ Ref.", "Enc. 2024/0877")],
    )
    y = _table(
        s,
        66,
        [(20, "Descrição"), (-120, "Qtd."), (-145, "Preço unit."), (-160, "IVA"), (-195, "Valor")],
        [
            ["Auditoria de processos de faturação", "10 h", "95,00", "23%", "950,00"],
            ["Formação da equipa (sessão)", "2", "150,00", "23%", "300,00"],
        ],
    )
    y = _table(
        s,
        y + 4,
        [(20, "Resumo de IVA"), (-70, "Taxa"), (-95, "Incidência"), (-118, "Valor IVA")],
        [["IVA normal", "23%", eu(subtotal), eu(tax)]],
    )
    _totals(s, y - 10, 140, 195, [
        ("Total ilíquido", f"{eu(subtotal)} €", False),
        ("Total IVA", f"{eu(tax)} €", False),
        ("Total (EUR)", f"{eu(total)} €", True),
    ])
    s.text(20, 266, "IBAN PT50 0035 0123 0001 2345 6789 0", size=6.5)
    s.text(20, 272, "JFM3-Processado por programa certificado n.º 2345/AT", size=6)
    s.save(path)
    return InvoiceMetadata(
        invoice_number="FT 2024A/153",
        invoice_date=date(2024, 3, 15),
        due_date=date(2024, 4, 14),
        vendor="Tejo Consultoria, Lda.",
        currency="EUR",
        subtotal=subtotal,
        tax=tax,
        total=total,
    )


# --- Turkish e-Arşiv fatura: VKN / Vergi Dairesi, ETTN, KDV %20, "Ödenecek Tutar", TL ---------------


def write_turkish_fatura(path: Path) -> InvoiceMetadata:
    """The seller's name is printed in capitals, as e-Arşiv invoices do; the ETTN is not the number."""
    s = Sheet("A4", 8)
    s.new_page()
    subtotal, tax, total = _priced("25000.00", "0.20")
    s.text(20, 18, "ANADOLU YAZILIM TEKNOLOJİLERİ LTD. ŞTİ.", bold=True, size=10)
    s.text(20, 23, "Bağdat Cad. No:212 Kadıköy / İSTANBUL")
    s.text(20, 27, "Vergi Dairesi: KADIKÖY   VKN: 0680123456")
    s.text(20, 31, "Mersis No: 0068012345600015")
    s.text(150, 18, "e-Arşiv Fatura", bold=True, size=11)
    s.text(20, 42, "SAYIN", bold=True)
    s.text(20, 46, "EGE TEKSTİL SANAYİ A.Ş.")
    s.text(20, 50, "Atatürk Cad. No:45 Konak / İZMİR")
    s.text(20, 54, "Vergi Dairesi: KONAK   VKN: 3250987654")
    _fields(
        s, 42, 125, 195,
        [("Özelleştirme No:", "TR1.2"), ("Senaryo:", "EARSIVFATURA"), ("Fatura Tipi:", "SATIS"),
         ("Fatura No:", "ANY2024000000153"), ("Fatura Tarihi:", "15.03.2024"),
         ("Son Ödeme Tarihi:", "15.04.2024")],
    )
    s.text(20, 70, "ETTN: 7b1e4c2a-93f0-4d6e-a5b2-3c8d9e0f1a24", size=7)
    y = _table(
        s,
        80,
        [(20, "Sıra No"), (33, "Mal Hizmet"), (-98, "Miktar"), (-120, "Birim Fiyat"), (-138, "KDV Oranı"),
         (-160, "KDV Tutarı"), (-195, "Mal Hizmet Tutarı")],
        [
            ["1", "Yazılım lisansı (yıllık)", "1 Adet", "20.000,00 TL", "%20", "4.000,00 TL", "20.000,00 TL"],
            ["2", "Kurulum ve eğitim", "2 Gün", "2.500,00 TL", "%20", "1.000,00 TL", "5.000,00 TL"],
        ],
    )
    _totals(s, y + 2, 110, 195, [
        ("Mal Hizmet Toplam Tutarı", f"{eu(subtotal)} TL", False),
        ("Toplam İskonto", "0,00 TL", False),
        ("Hesaplanan KDV (%20)", f"{eu(tax)} TL", False),
        ("Vergiler Dahil Toplam Tutar", f"{eu(total)} TL", False),
        ("Ödenecek Tutar", f"{eu(total)} TL", True),
    ])
    s.text(20, 250, "Yalnız: OTUZBİNTÜRKLİRASI", size=7)
    s.text(20, 254, "IBAN: TR12 0006 2000 1230 0006 2987 65", size=7)
    s.save(path)
    return InvoiceMetadata(
        invoice_number="ANY2024000000153",
        invoice_date=date(2024, 3, 15),
        due_date=date(2024, 4, 15),
        vendor="ANADOLU YAZILIM TEKNOLOJİLERİ LTD. ŞTİ.",
        currency="TRY",
        subtotal=subtotal,
        tax=tax,
        total=total,
    )


# --- Mexican CFDI factura: Serie y Folio, Folio fiscal (UUID), RFC, a timestamp date, IVA 16 % -----


def write_mexican_cfdi(path: Path) -> InvoiceMetadata:
    """The number is the Serie y Folio, not the Folio fiscal (the SAT's UUID); the date a timestamp's."""
    s = Sheet("Letter", 8)
    s.new_page()
    subtotal, tax, total = _priced("18500.00", "0.16")
    s.text(15, 18, "Servicios Digitales del Bajío, S.A. de C.V.", bold=True, size=11)
    s.text(15, 23, "RFC: SDB180312AB4")
    s.text(15, 27, "Régimen fiscal: 601 General de Ley Personas Morales")
    s.text(15, 31, "Lugar de expedición: 76000")
    s.text(145, 18, "FACTURA", bold=True, size=14)
    _fields(
        s, 26, 120, 200,
        [("Serie y Folio:", "A-1523"), ("Fecha de emisión:", "2024-03-15T10:22:31"),
         ("Tipo de comprobante:", "I - Ingreso"), ("Moneda:", "MXN")],
    )
    s.text(15, 44, "Receptor", bold=True)
    s.text(15, 48, "Comercializadora Norteña, S.A. de C.V.")
    s.text(15, 52, "RFC: CNO150709KL2   Uso CFDI: G03 Gastos en general")
    s.text(15, 60, "Folio fiscal (UUID): 5FB2822E-396D-4725-8521-CDC4BDD20CCF", size=7)
    y = _table(
        s,
        72,
        [(15, "Clave"), (40, "Descripción"), (-130, "Cantidad"), (-150, "Unidad"), (-175, "Valor unitario"),
         (-200, "Importe")],
        [
            ["81112100", "Servicio de hospedaje web anual", "1", "E48", "12,000.00", "12,000.00"],
            ["81111500", "Desarrollo de integración", "10", "HUR", "650.00", "6,500.00"],
        ],
    )
    s.text(15, y + 7, "Importe con letra:", bold=True)
    s.text(15, y + 11, "VEINTIÚN MIL CUATROCIENTOS SESENTA PESOS 00/100 M.N.")
    y = _totals(s, y + 2, 140, 200, [
        ("Subtotal", us(subtotal, dollar="$"), False),
        ("IVA Trasladado 16%", us(tax, dollar="$"), False),
        ("Total", us(total, dollar="$"), True),
    ])
    s.text(15, y + 8, "Forma de pago: 03 Transferencia electrónica   "
           "Método de pago: PUE Pago en una sola exhibición")
    s.text(15, 240, "Sello digital del CFDI: kQ3s9X2w...==", size=6)
    s.text(15, 244, "Fecha y hora de certificación: 2024-03-15T10:23:05   No. de serie del certificado SAT: "
           "00001000000505211329", size=6)
    s.text(15, 248, "Este documento es una representación impresa de un CFDI", size=6)
    s.save(path)
    return InvoiceMetadata(
        invoice_number="A-1523",
        invoice_date=date(2024, 3, 15),
        due_date=None,
        vendor="Servicios Digitales del Bajío, S.A. de C.V.",
        currency="MXN",
        subtotal=subtotal,
        tax=tax,
        total=total,
    )


# --- South African tax invoice (Sage Pastel style): "Document No", R 12 345,00, "Sub Total" incl. VAT


def write_south_african_tax_invoice(path: Path) -> InvoiceMetadata:
    """Its ``Sub Total`` follows the VAT (it includes it): the subtotal is ``Total Exclusive``."""
    s = Sheet("A4", 8)
    s.new_page()
    subtotal, tax, total = _priced("12345.00", "0.15")
    s.text(20, 18, "Karoo Engineering Supplies (Pty) Ltd", bold=True, size=11)
    s.text(20, 23, "14 Voortrekker Road, Bellville, 7530")
    s.text(20, 27, "Reg No: 2015/123456/07   VAT No: 4123456789")
    s.text(150, 18, "TAX INVOICE", bold=True, size=13)
    _fields(
        s, 26, 140, 195,
        [("Document No", "INV10482"), ("Date", "2024/03/15"), ("Your Reference", "PO-7781"),
         ("Sales Code", "JV"), ("Page", "1")],
    )
    s.text(20, 40, "Customer", bold=True)
    s.text(20, 44, "Table Bay Fabrication CC")
    s.text(20, 48, "Unit 3, Montague Park, Montague Gardens, 7441")
    s.text(20, 52, "Customer VAT No: 4987654321")
    y = _table(
        s,
        64,
        [(20, "Code"), (40, "Description"), (-112, "Quantity"), (-133, "Excl. Price"), (-148, "Disc %"),
         (-164, "VAT %"), (-195, "Exclusive Total")],
        [
            ["SS-316-12", "Stainless flat bar 316, 12 mm", "20", "412,25", "0,00", "15,00", "8 245,00"],
            ["WLD-ARG", "Argon cylinder refill", "5", "820,00", "0,00", "15,00", "4 100,00"],
        ],
    )
    _totals(s, y + 2, 130, 195, [
        ("Total Discount", "R 0,00", False),
        ("Total Exclusive", f"R {french(subtotal)}", False),
        ("Total VAT", f"R {french(tax)}", False),
        ("Sub Total", f"R {french(total)}", False),
        ("Grand Total", f"R {french(total)}", True),
    ])
    s.text(20, y + 8, "Terms: 30 days from statement")
    s.text(20, 262, "Banking details: FNB Bellville, Acc 62123456789, Branch 250655", size=6.5)
    s.save(path)
    return InvoiceMetadata(
        invoice_number="INV10482",
        invoice_date=date(2024, 3, 15),
        due_date=None,
        vendor="Karoo Engineering Supplies (Pty) Ltd",
        currency="ZAR",
        subtotal=subtotal,
        tax=tax,
        total=total,
    )


# --- Singapore GST tax invoice in USD, with the SGD equivalents printed as GST rules require -------


def write_singapore_gst_usd(path: Path) -> InvoiceMetadata:
    """Invoiced in USD: the SGD amounts are a required conversion for information, not the invoice's own."""
    s = Sheet("A4", 8)
    s.new_page()
    subtotal, tax, total = _priced("4560.00", "0.09")
    rate = D("1.3425")
    s.text(20, 18, "Merlion Data Pte. Ltd.", bold=True, size=12)
    s.text(20, 23, "71 Robinson Road, #14-01, Singapore 068895")
    s.text(20, 27, "UEN / GST Reg No: 201912345K")
    s.text(150, 18, "TAX INVOICE", bold=True, size=13)
    _fields(
        s, 26, 140, 195,
        [("Invoice No.", "MD/24/0088"), ("Date", "15/03/24"), ("Due Date", "14/04/24"), ("Terms", "30 days")],
    )
    s.text(20, 40, "Bill To:", bold=True)
    s.text(20, 44, "Pacific Rim Logistics Inc.")
    s.text(20, 48, "1 Harbor Point, Long Beach, CA 90802, USA")
    y = _table(
        s,
        62,
        [(20, "Description"), (-130, "Qty"), (-160, "Unit Price (USD)"), (-195, "Amount (USD)")],
        [
            ["Data pipeline maintenance, March 2024", "1", "3,600.00", "3,600.00"],
            ["Dashboard development", "8", "120.00", "960.00"],
        ],
    )
    y = _totals(s, y + 2, 120, 195, [
        ("Sub-total", f"US$ {us(subtotal)}", False),
        ("GST @ 9%", f"US$ {us(tax)}", False),
        ("Total Amount Payable (USD)", f"US$ {us(total)}", True),
    ])
    s.text(20, y + 10, f"For GST purposes only: exchange rate USD 1 = SGD {rate}", size=7)
    _totals(s, y + 10, 120, 195, [
        ("Sub-total (SGD)", f"S$ {us(_cents(subtotal * rate))}", False),
        ("GST @ 9% (SGD)", f"S$ {us(_cents(tax * rate))}", False),
        ("Total (SGD)", f"S$ {us(_cents(total * rate))}", False),
    ])
    s.text(20, 262, "Please remit to DBS Bank Ltd, USD Account 072-123456-7, SWIFT DBSSSGSG", size=6.5)
    s.save(path)
    return InvoiceMetadata(
        invoice_number="MD/24/0088",
        invoice_date=date(2024, 3, 15),
        due_date=date(2024, 4, 14),
        vendor="Merlion Data Pte. Ltd.",
        currency="USD",
        subtotal=subtotal,
        tax=tax,
        total=total,
    )


# --- UAE tax invoice: bilingual English / Arabic labels, TRN, AED, a proforma it replaces ----------


def write_uae_tax_invoice(path: Path) -> InvoiceMetadata:
    """Its number is the tax invoice's, not the proforma's it cites; the customer's TRN is not its own."""
    s = Sheet("A4", 8)
    s.new_page()
    subtotal, tax, total = _priced("10000.00", "0.05")
    s.text(20, 18, "Al Noor Facilities Management L.L.C.", bold=True, size=11)
    s.text(20, 23, "Office 1204, Business Bay, Dubai, United Arab Emirates")
    s.text(20, 27, "TRN: 100123456700003")
    s.text(150, 18, "Tax Invoice", bold=True, size=13)
    s.text(150, 24, "فاتورة ضريبية", bold=True, size=11)
    for i, (label, arabic, value) in enumerate(
        (("Invoice No.", "رقم الفاتورة", "INV-2024-0311"), ("Invoice Date", "تاريخ الفاتورة", "15-Mar-2024"),
         ("Due Date", "تاريخ الاستحقاق", "14-Apr-2024"),
         ("Proforma Ref.", "مرجع الفاتورة المبدئية", "PI-2024-0098"))
    ):
        s.text(110, 34 + 4 * i, label)
        s.text(135, 34 + 4 * i, arabic, size=6.5)
        s.right(195, 34 + 4 * i, value)
    s.text(20, 38, "Bill To / العميل", bold=True)
    s.text(20, 42, "Gulf Horizon Trading FZE")
    s.text(20, 46, "Jebel Ali Free Zone, Dubai")
    s.text(20, 50, "Customer TRN: 100987654300003")
    y = _table(
        s,
        64,
        [(20, "Description / الوصف"), (-125, "Qty"), (-150, "Unit Price"), (-170, "VAT 5%"),
         (-195, "Amount AED")],
        [
            ["Annual HVAC maintenance contract, Q1 2024", "1", "8,500.00", "425.00", "8,500.00"],
            ["Emergency call-out, 12 Mar 2024", "3", "500.00", "75.00", "1,500.00"],
        ],
    )
    _totals(s, y + 2, 90, 195, [
        ("Total excluding VAT / المجموع بدون الضريبة", f"AED {us(subtotal)}", False),
        ("VAT 5% / ضريبة القيمة المضافة", f"AED {us(tax)}", False),
        ("Total including VAT / المجموع شامل الضريبة", f"AED {us(total)}", True),
    ])
    s.text(20, 262, "Bank: Emirates NBD, IBAN AE07 0331 2345 6789 0123 456", size=6.5)
    s.save(path)
    return InvoiceMetadata(
        invoice_number="INV-2024-0311",
        invoice_date=date(2024, 3, 15),
        due_date=date(2024, 4, 14),
        vendor="Al Noor Facilities Management L.L.C.",
        currency="AED",
        subtotal=subtotal,
        tax=tax,
        total=total,
    )


# --- Amazon marketplace invoice: "Sold by" a third-party seller, order number, shipping line ------


def write_amazon_marketplace(path: Path) -> InvoiceMetadata:
    """The vendor is the seller (``Sold by``), not the marketplace; the subtotal the ``Total before tax``."""
    s = Sheet("Letter", 8)
    s.new_page()
    items = [
        ("HP 67XL Black Ink Cartridge, 2 pack", 2, D("54.99")),
        ("Ergonomic Adjustable Footrest", 1, D("89.00")),
    ]
    item_subtotal = sum((qty * price for _, qty, price in items), D("0"))
    shipping = D("12.99")
    subtotal = item_subtotal + shipping
    tax = _cents(subtotal * D("0.08265"))
    total = subtotal + tax
    s.text(15, 16, "amazon business", bold=True, size=14)
    s.text(140, 16, "Invoice", bold=True, size=16)
    s.text(15, 26, "Sold by: Kestrel Office Supplies LLC", bold=True)
    s.text(15, 30, "1200 Industrial Pkwy, Reno, NV 89502")
    _fields(
        s, 26, 120, 200,
        [("Invoice date", "March 15, 2024"), ("Invoice #", "KST-INV-2403-1187"),
         ("Order #", "112-4839201-7731456"), ("Order date", "March 13, 2024")],
    )
    s.text(15, 46, "Billing address", bold=True)
    s.text(15, 50, "Sierra Dental Group")
    s.text(15, 54, "455 W Plumb Ln, Reno, NV 89509")
    s.text(110, 46, "Shipping address", bold=True)
    s.text(110, 50, "Sierra Dental Group, Front desk")
    s.text(110, 54, "455 W Plumb Ln, Reno, NV 89509")
    y = _table(
        s,
        68,
        [(15, "Description"), (-140, "Qty"), (-170, "Unit price"), (-200, "Amount")],
        [[name, str(qty), us(price, dollar="$"), us(qty * price, dollar="$")] for name, qty, price in items],
    )
    y = _totals(s, y + 2, 120, 200, [
        ("Item(s) subtotal", us(item_subtotal, dollar="$"), False),
        ("Shipping & handling", us(shipping, dollar="$"), False),
        ("Total before tax", us(subtotal, dollar="$"), False),
        ("Sales tax (8.265%)", us(tax, dollar="$"), False),
        ("Total", us(total, dollar="$"), True),
        ("Paid by Visa ending in 4417", f"-{us(total, dollar='$')}", False),
        ("Amount due", "$0.00", False),
    ])
    s.text(15, y + 12, "Sales tax collected by Amazon.com Services LLC as a marketplace facilitator.", size=7)
    s.text(15, y + 16, "Amazon.com Services LLC, 410 Terry Ave N, Seattle, WA 98109", size=7)
    s.save(path)
    return InvoiceMetadata(
        invoice_number="KST-INV-2403-1187",
        invoice_date=date(2024, 3, 15),
        due_date=None,
        vendor="Kestrel Office Supplies LLC",
        currency="USD",
        subtotal=subtotal,
        tax=tax,
        total=total,
    )


# --- Hotel folio (Berlin, in English): nightly lines, city tax, a card payment, Balance 0.00 -------


def write_hotel_folio(path: Path) -> InvoiceMetadata:
    """Total = the folio's gross total (the payment settles it); subtotal and tax from its VAT summary."""
    s = Sheet("A4", 7.5)
    s.new_page()
    room, breakfast = D("149.00"), D("24.00")
    nights = [date(2024, 3, day) for day in (11, 12, 13, 14)]
    city_tax_per_night = _cents(room / D("1.07") * D("0.075"))
    room_gross, breakfast_gross = room * len(nights), breakfast * len(nights)
    city_tax = city_tax_per_night * len(nights)
    room_net, breakfast_net = _cents(room_gross / D("1.07")), _cents(breakfast_gross / D("1.19"))
    subtotal = room_net + breakfast_net + city_tax
    total = room_gross + breakfast_gross + city_tax
    tax = total - subtotal
    s.text(20, 18, "Hotel Marienhof Berlin", bold=True, size=13)
    s.text(20, 23, "Marienstraße 21, 10117 Berlin")
    s.text(140, 18, "INVOICE / RECHNUNG", bold=True, size=11)
    s.text(20, 36, "Ms. Laura Chen")
    s.text(20, 40, "Brightwater Consulting Ltd")
    s.text(20, 44, "22 Quay Street, Dublin 2, Ireland")
    _fields(
        s, 30, 130, 195,
        [("Room", "412"), ("Arrival", "11.03.24"), ("Departure", "15.03.24"),
         ("Confirmation No.", "88217654"), ("Folio No.", "7"), ("Bill No.", "48213"), ("Cashier", "MKR"),
         ("Invoice Date", "15.03.2024")],
    )
    rows = []
    for night in nights:
        day = night.strftime("%d.%m.%y")
        rows += [[day, "Accommodation", eu(room), ""], [day, "Breakfast", eu(breakfast), ""],
                 [day, "City Tax Berlin 7.5%", eu(city_tax_per_night), ""]]
    rows.append(["15.03.24", "Visa XXXXXXXXXXXX4417", "", eu(total)])
    columns = [(20, "Date"), (40, "Description"), (-160, "Charges EUR"), (-195, "Credits EUR")]
    y = _table(s, 70, columns, rows, 4.5)
    s.text(40, y + 1, "Total", bold=True)
    s.right(160, y + 1, eu(total), bold=True)
    s.right(195, y + 1, eu(total), bold=True)
    s.text(40, y + 6, "Balance", bold=True)
    s.right(195, y + 6, "0,00 EUR", bold=True)
    _table(
        s,
        y + 16,
        [(40, "VAT"), (-110, "Net"), (-135, "VAT"), (-160, "Gross")],
        [
            ["7 %", eu(room_net), eu(room_gross - room_net), eu(room_gross)],
            ["19 %", eu(breakfast_net), eu(breakfast_gross - breakfast_net), eu(breakfast_gross)],
            ["0 % (City Tax)", eu(city_tax), "0,00", eu(city_tax)],
            ["Total", eu(subtotal), eu(tax), eu(total)],
        ],
        4.5,
    )
    s.text(20, 270, "Marienhof Hotelbetriebs GmbH · Amtsgericht Charlottenburg HRB 123456 B · "
           "USt-IdNr. DE 812345678", size=6)
    s.text(20, 274, "We hope you enjoyed your stay. Wir danken für Ihren Besuch.", size=6)
    s.save(path)
    return InvoiceMetadata(
        invoice_number="48213",
        invoice_date=date(2024, 3, 15),
        due_date=None,
        vendor="Hotel Marienhof Berlin",
        currency="EUR",
        subtotal=subtotal,
        tax=tax,
        total=total,
    )


# --- US small-business invoice (QuickBooks style): tax on part of the lines, a discount, Balance due


def write_us_partial_sales_tax(path: Path) -> InvoiceMetadata:
    """Subtotal as printed (before the discount, as Shopify's); tax only on the lines marked taxable."""
    s = Sheet("Letter", 8)
    s.new_page()
    lines = [
        ("Website redesign (service)", 1, D("1200.00"), False),
        ("Laptop stand", 2, D("45.00"), True),
        ("Wireless keyboard", 3, D("60.00"), True),
    ]
    subtotal = sum((qty * price for _, qty, price, _ in lines), D("0"))
    discount = _cents(subtotal * D("0.10"))
    taxable = sum((qty * price for _, qty, price, taxed in lines if taxed), D("0")) * D("0.90")
    tax = _cents(taxable * D("0.0825"))
    total = subtotal - discount + tax
    s.text(15, 18, "Lone Star Web Works", bold=True, size=13)
    s.text(15, 23, "2100 S Lamar Blvd, Austin, TX 78704")
    s.text(15, 27, "hello@lonestarweb.example  (512) 555-0147")
    s.text(15, 40, "INVOICE", bold=True, size=16)
    s.text(15, 50, "BILL TO", bold=True)
    s.text(15, 54, "Pecan Street Bakery")
    s.text(15, 58, "512 E 6th St, Austin, TX 78701")
    _fields(
        s, 50, 140, 200,
        [("INVOICE #", "1053"), ("DATE", "03/15/2024"), ("DUE DATE", "04/14/2024"), ("TERMS", "Net 30")],
        bold_labels=True,
    )
    y = _table(
        s,
        74,
        [(15, "ACTIVITY"), (-130, "QTY"), (-155, "RATE"), (-185, "AMOUNT"), (190, "")],
        [
            [name, str(qty), us(price), us(qty * price), "T" if taxed else ""]
            for name, qty, price, taxed in lines
        ],
    )
    _totals(s, y + 2, 120, 185, [
        ("SUBTOTAL", us(subtotal), False),
        ("DISCOUNT 10%", f"-{us(discount)}", False),
        ("TAXABLE SUBTOTAL", us(taxable), False),
        ("TAX (8.25%)", us(tax), False),
        ("TOTAL", us(total), False),
        ("BALANCE DUE", us(total, dollar="$"), True),
    ])
    s.text(15, y + 6, "T = taxable item")
    s.text(15, 250, "Thank you for your business! Pay online via the link in your email.", size=7)
    s.save(path)
    return InvoiceMetadata(
        invoice_number="1053",
        invoice_date=date(2024, 3, 15),
        due_date=date(2024, 4, 14),
        vendor="Lone Star Web Works",
        currency="USD",
        subtotal=subtotal,
        tax=tax,
        total=total,
    )


# --- Fourth set: vendor names that open with a label word, and capitals that are no company ------
#
# Real companies whose names begin with a word invoices also print as a label or title (Invoice
# Ninja, Net Solutions, Datev, Due Diligence Partners, TotalEnergies printed "Total Energies", Tax
# Angels), and capitals headings whose words include a short legal form ("PAYMENT AS AGREED",
# "SERVICES AS LISTED BELOW"). Each also prints the labels such a name could be taken for, as
# labels: "Date: 12/03/2024", "Net 30", "Due date", "Total due", which are never the vendor.
#
# Decisions: the vendor is the name as printed, its label word included ("Invoice Ninja Ltd", not
# "Ninja Ltd"); a capitals heading is never a company, even when one of its words is a legal form.


def _service_lines(
    s: Sheet, y: float, rows: list[tuple[str, str]], money: str, rate: str, rate_label: str, total_label: str
) -> tuple[tuple[Decimal, Decimal, Decimal], float]:
    """A two-column service table (description, net amount) and its subtotal / tax / total lines at
    x 130..195, amounts grouped as in the US and placed in ``money`` ("£{}"); returns the three
    amounts and the next y."""
    subtotal = sum((D(amount) for _, amount in rows), D("0"))
    tax = _cents(subtotal * D(rate))
    total = subtotal + tax
    cells = [[name, money.format(us(D(amount)))] for name, amount in rows]
    y = _table(s, y, [(20, "Description"), (-195, "Amount")], cells)
    y = _totals(s, y, 130, 195, [
        ("Subtotal", money.format(us(subtotal)), False),
        (rate_label, money.format(us(tax)), False),
        (total_label, money.format(us(total)), True),
    ])
    return (subtotal, tax, total), y + 10


def _saved(
    s: Sheet, path: Path, number: str, issued: date, due: date | None, vendor: str, currency: str,
    amounts: tuple[Decimal, Decimal, Decimal],
) -> InvoiceMetadata:
    """Save the drawn invoice at ``path`` and return its truth."""
    s.save(path)
    subtotal, tax, total = amounts
    return InvoiceMetadata(
        invoice_number=number, invoice_date=issued, due_date=due, vendor=vendor, currency=currency,
        subtotal=subtotal, tax=tax, total=total,
    )


def write_invoice_ninja_letterhead(path: Path) -> InvoiceMetadata:
    """Letterhead top left, its first word "Invoice"; a bare "Date:" label on the right."""
    s = Sheet("A4", 8)
    s.new_page()
    s.text(20, 18, "Invoice Ninja Ltd", bold=True, size=13)
    s.text(20, 24, "4 Canal Wharf, Leeds LS11 5PS")
    s.text(20, 28, "VAT Reg No: GB 298 7711 04")
    s.text(150, 18, "INVOICE", bold=True, size=16)
    _fields(s, 30, 130, 195, [("Invoice No:", "IN-2024-0042"), ("Date:", "12/03/2024"),
                              ("Due date:", "11/04/2024")])
    s.text(20, 44, "Bill to", bold=True)
    s.text(20, 48, "Kestrel Outdoor Ltd")
    s.text(20, 52, "9 Mill Lane, York YO1 7HH")
    amounts, y = _service_lines(
        s, 66, [("Invoicing platform, annual plan", "480.00"), ("Onboarding session", "120.00")],
        "£{}", "0.20", "VAT 20%", "Total due",
    )
    s.text(20, y, "Payment terms: Net 30")
    return _saved(
        s, path, "IN-2024-0042", date(2024, 3, 12), date(2024, 4, 11), "Invoice Ninja Ltd", "GBP", amounts,
    )


def write_net_solutions_top_right(path: Path) -> InvoiceMetadata:
    """Letterhead top right, its first word "Net" (a subtotal label); "Net 30" terms below the total."""
    s = Sheet("A4", 8)
    s.new_page()
    s.right(195, 18, "Net Solutions GmbH", bold=True, size=12)
    s.right(195, 23, "Schanzenstraße 22, 20357 Hamburg")
    s.right(195, 27, "USt-IdNr.: DE 311 742 980")
    s.text(20, 22, "Invoice", bold=True, size=16)
    s.text(20, 40, "Bill to", bold=True)
    s.text(20, 44, "Lindqvist Media AB")
    s.text(20, 48, "Götgatan 14, 116 46 Stockholm")
    _fields(s, 40, 130, 195, [("Invoice number", "NS-24-0315"), ("Invoice date", "15.03.2024")])
    amounts, y = _service_lines(
        s, 64, [("Managed network, March 2024", "1500.00"), ("Firewall licence", "240.00")],
        "€{}", "0.19", "VAT 19%", "Total",
    )
    s.text(20, y, "Net 30")
    return _saved(s, path, "NS-24-0315", date(2024, 3, 15), None, "Net Solutions GmbH", "EUR", amounts)


def write_from_block_due_diligence(path: Path) -> InvoiceMetadata:
    """A "From:" block beside a "Bill to:" block, the issuer's name opening with "Due"."""
    s = Sheet("A4", 8)
    s.new_page()
    s.text(20, 20, "INVOICE", bold=True, size=16)
    _fields(s, 16, 130, 195, [("Invoice number:", "DDP-7781"), ("Invoice date:", "15 March 2024"),
                              ("Due date:", "14 April 2024")])
    s.text(20, 36, "From:", bold=True)
    s.text(20, 40, "Due Diligence Partners LLP")
    s.text(20, 44, "30 Crown Place, London EC2A 4ES")
    s.text(110, 36, "Bill to:", bold=True)
    s.text(110, 40, "Harrowgate Holdings Ltd")
    s.text(110, 44, "1 Park Row, Leeds LS1 5AB")
    amounts, y = _service_lines(
        s, 60, [("Vendor due diligence report", "6000.00"), ("Data room review", "1500.00")],
        "£{}", "0.20", "VAT 20%", "Total due",
    )
    return _saved(
        s, path, "DDP-7781", date(2024, 3, 15), date(2024, 4, 14), "Due Diligence Partners LLP", "GBP",
        amounts,
    )


def write_footer_only_total_energies(path: Path) -> InvoiceMetadata:
    """No letterhead: the company is named only in the footer, opening with "Total"; a capitals
    heading with "AS" in it above the table."""
    s = Sheet("A4", 8)
    s.new_page()
    s.text(20, 20, "INVOICE", bold=True, size=16)
    _fields(s, 30, 20, 80, [("Invoice No.", "TE-240315"), ("Invoice date", "15/03/2024")])
    s.text(120, 30, "Bill to", bold=True)
    s.text(120, 34, "Boulangerie Martin SARL")
    s.text(120, 38, "12 rue des Lilas, 69003 Lyon")
    s.text(20, 56, "SERVICES AS LISTED BELOW", bold=True)
    amounts, _ = _service_lines(
        s, 64, [("Electricity supply, February 2024", "842.10"), ("Network access", "131.40")],
        "{} EUR", "0.20", "TVA 20%", "Total",
    )
    s.text(20, 280, "Total Energies SE · 2 place Jean Millier, 92400 Courbevoie, France", size=6)
    return _saved(s, path, "TE-240315", date(2024, 3, 15), None, "Total Energies SE", "EUR", amounts)


def write_fallback_due_north(path: Path) -> InvoiceMetadata:
    """The freelancer's shape (no legal form, the name top right above "Bill To"), the name opening
    with "Due"; bare "Date" and "Due" labels beside their values."""
    s = Sheet("Letter", 8)
    s.new_page()
    s.text(15, 22, "INVOICE", bold=True, size=22)
    s.right(200, 16, "Due North Studio", bold=True, size=11)
    s.right(200, 21, "310 Pine Street, Seattle, WA 98101")
    s.right(200, 25, "hello@duenorth.example")
    s.text(15, 46, "Bill To", bold=True)
    s.text(15, 51, "Maya Okafor")
    s.text(15, 55, "77 Lake Drive, Tacoma, WA 98402")
    _fields(s, 46, 130, 200, [("Invoice #", "0117"), ("Date", "2024-03-15"), ("Due", "2024-04-14")])
    amounts, _ = _service_lines(
        s, 70, [("Brand photography, half day", "900.00"), ("Retouching, 20 images", "400.00")],
        "${}", "0", "Tax", "Total due",
    )
    return _saved(s, path, "0117", date(2024, 3, 15), date(2024, 4, 14), "Due North Studio", "USD", amounts)


def write_fallback_net_craft(path: Path) -> InvoiceMetadata:
    """Letterhead top left with no legal form, opening with "Net"; "Date:" and "Net 30" as labels."""
    s = Sheet("A4", 8)
    s.new_page()
    s.text(20, 18, "Net Craft Joinery", bold=True, size=13)
    s.text(20, 24, "Unit 7, Tanner Row, Bristol BS1 6HQ")
    s.text(150, 18, "INVOICE", bold=True, size=14)
    _fields(s, 30, 130, 195, [("Invoice No:", "NCJ-1043"), ("Date:", "12/03/2024"), ("Terms:", "Net 30")])
    s.text(20, 40, "Bill to", bold=True)
    s.text(20, 44, "Sophie Turner")
    s.text(20, 48, "5 Orchard Close, Bath BA2 4QP")
    amounts, _ = _service_lines(
        s, 62, [("Oak shelving, fitted", "1150.00"), ("Materials", "350.00")],
        "£{}", "0.20", "VAT 20%", "Total due",
    )
    return _saved(s, path, "NCJ-1043", date(2024, 3, 12), None, "Net Craft Joinery", "GBP", amounts)


def write_fallback_date_palm(path: Path) -> InvoiceMetadata:
    """Letterhead top right with no legal form, opening with "Date"; a "Due date" label left."""
    s = Sheet("A4", 8)
    s.new_page()
    s.right(195, 18, "Date Palm Catering", bold=True, size=12)
    s.right(195, 23, "41 Clifton Street, Cardiff CF24 1LS")
    s.text(20, 20, "INVOICE", bold=True, size=16)
    _fields(s, 30, 20, 80, [("Invoice number", "DPC-0388"), ("Invoice date", "15/03/2024"),
                            ("Due date", "29/03/2024")])
    s.text(120, 34, "Invoice to:", bold=True)
    s.text(120, 38, "Glamorgan Rowing Club")
    s.text(120, 42, "Riverside Walk, Cardiff CF11 6AA")
    amounts, _ = _service_lines(
        s, 60, [("Buffet for 60 guests", "1080.00"), ("Staff, 4 hours", "240.00")],
        "£{}", "0.20", "VAT 20%", "Total due",
    )
    return _saved(
        s, path, "DPC-0388", date(2024, 3, 15), date(2024, 3, 29), "Date Palm Catering", "GBP", amounts,
    )


def write_capitals_payment_as_agreed(path: Path) -> InvoiceMetadata:
    """A letterhead in capitals with no legal form, and a capitals heading "PAYMENT AS AGREED"
    ("AS" is Norway's legal form too) printed above the customer."""
    s = Sheet("A4", 8)
    s.new_page()
    s.text(20, 18, "HARBOUR LIGHT STUDIO", bold=True, size=13)
    s.text(20, 24, "22 Quay Street, Galway H91 T2X7, Ireland")
    s.text(150, 18, "INVOICE", bold=True, size=14)
    s.text(20, 34, "PAYMENT AS AGREED", bold=True)
    _fields(s, 30, 130, 195, [("Invoice No:", "HLS-2024-09"), ("Date:", "15/03/2024")])
    s.text(20, 44, "Bill to", bold=True)
    s.text(20, 48, "Corrib Events")
    s.text(20, 52, "3 Dock Road, Galway")
    amounts, _ = _service_lines(
        s, 66, [("Stage lighting design", "2200.00"), ("Equipment hire, 2 days", "800.00")],
        "€{}", "0.23", "VAT 23%", "Total due",
    )
    return _saved(s, path, "HLS-2024-09", date(2024, 3, 15), None, "HARBOUR LIGHT STUDIO", "EUR", amounts)


def write_tax_angels_letterhead(path: Path) -> InvoiceMetadata:
    """Letterhead top left opening with "Tax" (a tax label), its address right under the word."""
    s = Sheet("A4", 8)
    s.new_page()
    s.text(20, 18, "Tax Angels Ltd", bold=True, size=12)
    s.text(20, 23, "12 Harbour Road, Poole BH15 1AA")
    s.text(20, 27, "Company No. 08812345")
    s.text(150, 18, "INVOICE", bold=True, size=14)
    _fields(s, 30, 130, 195, [("Invoice No:", "TA-3310"), ("Invoice date:", "15 Mar 2024"),
                              ("Due date:", "29 Mar 2024")])
    s.text(20, 40, "Bill to", bold=True)
    s.text(20, 44, "Billing Bros Ltd")
    s.text(20, 48, "8 Market Street, Poole BH15 1NF")
    amounts, _ = _service_lines(
        s, 62, [("Self-assessment return 2022/23", "450.00"), ("Bookkeeping, Q4", "300.00")],
        "£{}", "0.20", "VAT 20%", "Total due",
    )
    return _saved(s, path, "TA-3310", date(2024, 3, 15), date(2024, 3, 29), "Tax Angels Ltd", "GBP", amounts)


# --- Fifth set: tax and total words inside line items' descriptions, and in a letterhead ----------
#
# Accountants, carers and tax advisers bill services named after what the extractor reads as labels
# ("Self-assessment tax return", "VAT registration service", "Total care package", "GST filing
# support", "Sales tax consulting", "Subtotal adjustments workshop"), each with its amount in the
# line items' amount column, and print a correctly labelled summary below (Subtotal / VAT 20% /
# Total). A French company's letterhead opens with "Total" and prints its share capital; a "Tax"
# letterhead prints a phone and a company number. Two invoices print only plain items and the tax
# lines the others must keep reading ("Sales Tax", "GST 10%").
#
# Decisions: a line item's amount is never the tax, subtotal or total, whatever its description
# says; a share capital is never the total.


def _item_columns(
    s: Sheet, y: float, rows: list[tuple[str, int, str]], money: str, rate: str, labels: tuple[str, str, str],
) -> tuple[Decimal, Decimal, Decimal]:
    """A line items' table (Description, Qty, Unit price, Amount) and its summary at x 130..195:
    subtotal, tax at ``rate`` and total under ``labels``; returns the three amounts."""
    subtotal = sum((D(price) * quantity for _, quantity, price in rows), D("0"))
    tax = _cents(subtotal * D(rate))
    total = subtotal + tax
    cells = [
        [name, str(quantity), money.format(us(D(price))), money.format(us(D(price) * quantity))]
        for name, quantity, price in rows
    ]
    y = _table(s, y, [(20, "Description"), (-120, "Qty"), (-155, "Unit price"), (-195, "Amount")], cells)
    _totals(s, y, 130, 195, [
        (labels[0], money.format(us(subtotal)), False),
        (labels[1], money.format(us(tax)), False),
        (labels[2], money.format(us(total)), True),
    ])
    return subtotal, tax, total


def write_tax_return_service_lines(path: Path) -> InvoiceMetadata:
    """A two-column service table whose items name a tax ("Self-assessment tax return", "VAT
    registration service"); the summary's "VAT 20%" is the tax."""
    s = Sheet("A4", 8)
    s.new_page()
    s.text(20, 18, "Ridgeway Accountants Ltd", bold=True, size=12)
    s.text(20, 23, "3 Chapel Street, Guildford GU1 3UH")
    s.text(150, 18, "INVOICE", bold=True, size=14)
    _fields(s, 30, 130, 195, [("Invoice No:", "RA-2207"), ("Invoice date:", "15/03/2024")])
    s.text(20, 40, "Bill to", bold=True)
    s.text(20, 44, "Helen Marsh")
    amounts, _ = _service_lines(
        s, 58,
        [("Self-assessment tax return 2022/23", "450.00"), ("VAT registration service", "200.00"),
         ("Payroll, March", "90.00")],
        "£{}", "0.20", "VAT 20%", "Total",
    )
    return _saved(s, path, "RA-2207", date(2024, 3, 15), None, "Ridgeway Accountants Ltd", "GBP", amounts)


def write_care_package_item_columns(path: Path) -> InvoiceMetadata:
    """Line items with a quantity and unit price whose descriptions open with "Total", "GST",
    "Sales tax" and "Subtotal"; the summary's "Total due" (a weaker label than "Total") is the total."""
    s = Sheet("A4", 8)
    s.new_page()
    s.text(20, 18, "Bramble Home Care Ltd", bold=True, size=12)
    s.text(20, 23, "14 Elm Road, Reading RG1 5AB")
    s.text(150, 18, "INVOICE", bold=True, size=14)
    _fields(s, 30, 130, 195, [("Invoice No:", "BHC-0412"), ("Invoice date:", "15/03/2024")])
    amounts = _item_columns(
        s, 50,
        [("Total care package, March", 1, "1200.00"), ("GST filing support", 2, "75.00"),
         ("Sales tax consulting", 3, "60.00"), ("Subtotal adjustments workshop", 1, "150.00")],
        "£{}", "0.20", ("Subtotal", "VAT 20%", "Total due"),
    )
    return _saved(s, path, "BHC-0412", date(2024, 3, 15), None, "Bramble Home Care Ltd", "GBP", amounts)


def write_tax_advice_left_summary(path: Path) -> InvoiceMetadata:
    """A US adviser's items naming taxes, the summary under them at the descriptions' left edge
    ("Subtotal", "Tax (8.25%)", "Total")."""
    s = Sheet("Letter", 8)
    s.new_page()
    s.text(15, 18, "Lakeside Advisory LLC", bold=True, size=12)
    s.text(15, 23, "200 Lake Street, Austin, TX 78701")
    s.text(140, 18, "INVOICE", bold=True, size=14)
    _fields(s, 30, 130, 200, [("Invoice #", "LTA-5521"), ("Date", "03/15/2024")])
    rows = [("Sales tax consulting, Q1", "800.00"), ("Tax return preparation", "350.00")]
    subtotal = sum((D(amount) for _, amount in rows), D("0"))
    tax = _cents(subtotal * D("0.0825"))
    y = _table(s, 50, [(15, "Description"), (-200, "Amount")], [[name, f"${us(D(a))}"] for name, a in rows])
    _totals(s, y, 15, 200, [("Subtotal", f"${us(subtotal)}", False), ("Tax (8.25%)", f"${us(tax)}", False),
                            ("Total", f"${us(subtotal + tax)}", True)])
    return _saved(
        s, path, "LTA-5521", date(2024, 3, 15), None, "Lakeside Advisory LLC", "USD",
        (subtotal, tax, subtotal + tax),
    )


def write_total_energies_share_capital(path: Path) -> InvoiceMetadata:
    """A letterhead opening with "Total" whose second line prints the share capital, a phone and
    the RCS number; the summary's "Total due" is the total."""
    s = Sheet("A4", 8)
    s.new_page()
    s.text(20, 18, "Total Energies SE", bold=True, size=12)
    s.text(20, 23, "Total Energies SE au capital de 6 584 102 907,50 € · Tél. +33 1 47 44 45 46")
    s.text(20, 27, "2 place Jean Millier, 92400 Courbevoie · RCS Nanterre 542 051 180")
    s.text(150, 18, "INVOICE", bold=True, size=14)
    _fields(s, 32, 130, 195, [("Invoice No.", "TE-240316"), ("Invoice date", "15/03/2024")])
    amounts, _ = _service_lines(
        s, 52, [("Electricity supply, February 2024", "842.10")], "{} EUR", "0.20", "TVA 20%", "Total due",
    )
    return _saved(s, path, "TE-240316", date(2024, 3, 15), None, "Total Energies SE", "EUR", amounts)


def write_tax_angels_phone_letterhead(path: Path) -> InvoiceMetadata:
    """A letterhead opening with "Tax", its line also printing a street number, a phone and a company
    number; the summary's "VAT 20%" is the tax."""
    s = Sheet("A4", 8)
    s.new_page()
    s.text(20, 18, "Tax Angels Ltd · 12 Harbour Road, Poole · Tel. 01202 555 123 · Company No. 08812345")
    s.text(150, 26, "INVOICE", bold=True, size=14)
    _fields(s, 34, 130, 195, [("Invoice No:", "TA-3311"), ("Invoice date:", "15/03/2024")])
    amounts, _ = _service_lines(s, 54, [("Bookkeeping, Q4", "300.00")], "£{}", "0.20", "VAT 20%", "Total")
    return _saved(s, path, "TA-3311", date(2024, 3, 15), None, "Tax Angels Ltd", "GBP", amounts)


def write_sales_tax_summary(path: Path) -> InvoiceMetadata:
    """Plain items and a "Sales Tax" summary line: a tax label that must keep being read."""
    s = Sheet("Letter", 8)
    s.new_page()
    s.text(15, 18, "Cedar Row Print Shop LLC", bold=True, size=12)
    s.text(15, 23, "18 Cedar Row, Portland, OR 97205")
    s.text(140, 18, "INVOICE", bold=True, size=14)
    _fields(s, 30, 130, 200, [("Invoice #", "CR-0907"), ("Date", "03/15/2024")])
    subtotal, tax = D("640.00"), D("52.80")
    y = _table(s, 50, [(15, "Description"), (-200, "Amount")],
               [["Business cards, 2,000", "$240.00"], ["Banner, 3 x 1 m", "$400.00"]])
    _totals(s, y, 130, 200, [("Subtotal", f"${us(subtotal)}", False), ("Sales Tax", f"${us(tax)}", False),
                             ("Total", f"${us(subtotal + tax)}", True)])
    return _saved(
        s, path, "CR-0907", date(2024, 3, 15), None, "Cedar Row Print Shop LLC", "USD",
        (subtotal, tax, subtotal + tax),
    )


def write_gst_ten_percent_summary(path: Path) -> InvoiceMetadata:
    """Items with a quantity and unit price, and a "GST 10%" line: a tax label that must keep being read."""
    s = Sheet("A4", 8)
    s.new_page()
    s.text(20, 18, "Wattle Creek Landscaping Pty Ltd", bold=True, size=12)
    s.text(20, 23, "ABN 51 824 753 556 · 5 Gum Tree Lane, Penrith NSW 2750")
    s.text(150, 18, "TAX INVOICE", bold=True, size=12)
    _fields(s, 30, 130, 195, [("Invoice No:", "WC-1184"), ("Invoice date:", "15/03/2024")])
    amounts = _item_columns(
        s, 50, [("Lawn mowing, fortnightly", 2, "85.00"), ("Hedge trimming", 1, "240.00")],
        "${}", "0.10", ("Subtotal", "GST 10%", "Total"),
    )
    return _saved(
        s, path, "WC-1184", date(2024, 3, 15), None, "Wattle Creek Landscaping Pty Ltd", "AUD", amounts,
    )
