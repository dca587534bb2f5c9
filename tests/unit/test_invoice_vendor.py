"""The invoice vendor rule (``backend.services.invoices.vendor``), on hand-placed lines.

The vendor is the issuer: never a party introduced by a recipient label ("Bill to", "Kunde",
"Client :") or an attention line ("Attn:", "z. Hd."), whatever the order the text comes in.
Each test places words at explicit positions (PDF points, 8 pt type unless said), so the
layout is what decides, as it does on a drawn page.
"""

from __future__ import annotations

from backend.services.document_text.layout import Line, Word
from backend.services.invoices.labels import find_hits
from backend.services.invoices.vendor import find_vendor

_CHAR_WIDTH = 0.5  # of the type size, per character: close enough to Helvetica for layout


def _line(top: float, *runs: tuple[float, str], size: float = 8) -> Line:
    """One text line: each run ``(x, text)`` starts at ``x``, its words one space apart."""
    words: list[Word] = []
    for x, text in runs:
        left = x
        for token in text.split():
            right = left + len(token) * size * _CHAR_WIDTH
            words.append(Word(token, left, right, top, top + size))
            left = right + size * 0.28
    return Line(tuple(words), top, top + size)


def _vendor(*lines: Line) -> str | None:
    return find_vendor(lines, find_hits(lines))


def test_a_company_under_a_bill_to_label_is_the_customer_not_the_vendor() -> None:
    """Google Workspace's shape: the customer first, the issuer under 'Details' below it."""
    assert _vendor(
        _line(40, (43, "Google Workspace"), (397, "Invoice")),
        _line(79, (43, "Bill to"), (397, "Invoice date: 31 Mar 2024")),
        _line(90, (43, "Beispiel Handels GmbH"), (397, "Billing ID: 1234-5678-9012")),
        _line(101, (43, "10117 Berlin, Germany")),
        _line(153, (43, "Details"), (397, "Total in EUR")),
        _line(167, (43, "Google Ireland Limited")),
        _line(178, (43, "Gordon House, Barrow Street")),
    ) == "Google Ireland Limited"


def test_recipient_labels_in_other_languages_and_with_a_colon() -> None:
    for label in ("Billed to:", "Invoice to:", "Customer:", "Sold to", "Rechnungsempfänger:", "Kunde:",
                  "Client :", "Destinataire", "Cliente:", "Klant:", "Bill to Address:", "Spett.le",
                  "Nabywca", "Tomador de serviços", "Kund"):
        assert _vendor(
            _line(40, (43, label)),
            _line(51, (43, "Kapoor Garments LLP")),
            _line(62, (43, "22 Linking Road")),
            _line(90, (43, "Sharma Textiles Ltd")),
        ) == "Sharma Textiles Ltd", label


def test_a_word_like_customer_number_is_not_a_recipient_label() -> None:
    assert _vendor(
        _line(40, (43, "Customer number: 10023")),
        _line(51, (43, "Acme Supplies GmbH")),
    ) == "Acme Supplies GmbH"


def test_a_block_with_an_attention_line_is_the_recipient_even_unlabelled() -> None:
    """The Japanese shape: the customer (Attn: below it) first, the issuer on the right below."""
    assert _vendor(
        _line(35, (241, "INVOICE"), size=14),
        _line(72, (57, "Tanaka Trading Co., Ltd."), (368, "Invoice No.: SC-24-0315"), size=10),
        _line(85, (57, "Attn: Purchasing Department"), (368, "Issue Date: 2024/03/15")),
        _line(123, (368, "Sakura Components K.K."), size=10),
        _line(139, (368, "2-1-1 Shibuya, Shibuya-ku, Tokyo")),
    ) == "Sakura Components K.K."
    for attention in ("z. Hd. Frau Schmidt", "t.a.v. de administratie", "ATTN: Accounts Payable"):
        assert _vendor(
            _line(51, (57, "Beispiel AG")),
            _line(62, (57, attention)),
            _line(120, (57, "Müller Söhne GmbH")),
        ) == "Müller Söhne GmbH", attention


def test_a_recipient_label_beside_the_issuer_marks_only_its_own_column() -> None:
    """Stripe's shape: 'Linear Orbit, Inc.' and the 'Bill to' heading share one text line."""
    assert _vendor(
        _line(39, (43, "Invoice"), size=16),
        _line(130, (43, "Linear Orbit, Inc."), (255, "Bill to")),
        _line(141, (43, "228 Park Ave S"), (255, "Hooli Labs Inc.")),
    ) == "Linear Orbit, Inc."


def test_a_name_is_printed_with_its_comma_and_a_multi_word_legal_form() -> None:
    aws = _line(32, (43, "Amazon Web Services, Inc."), (368, "Invoice"))
    assert _vendor(aws) == "Amazon Web Services, Inc."
    assert _vendor(
        _line(60, (43, "Sharma Textiles Pvt. Ltd."), (354, "Invoice No.: ST/2023-24/0456")),
    ) == "Sharma Textiles Pvt. Ltd."
    assert _vendor(_line(60, (43, "Tanaka Trading Co., Ltd."))) == "Tanaka Trading Co., Ltd."


def test_a_name_never_runs_into_the_next_column() -> None:
    assert _vendor(_line(60, (43, "Remit to"), (300, "Northwind Traders Inc."))) == "Northwind Traders Inc."
    assert _vendor(_line(60, (43, "Invoice No.: 42"), (300, "Acme Ltd"))) == "Acme Ltd"


def test_without_a_legal_form_the_unlabelled_party_above_the_recipient_is_the_vendor() -> None:
    """The freelancer's shape: the issuer top right, its address interleaved with 'INVOICE'."""
    assert _vendor(
        _line(38, (456, "Jane Cooper Design"), size=10),
        _line(46, (43, "INVOICE"), (486, "84 Elm Street, Apt 3"), size=22),
        _line(65, (489, "Portland, OR 97205")),
        _line(124, (43, "Bill To"), (368, "Invoice #"), (547, "0042")),
        _line(139, (43, "Globex Corporation"), (368, "Date"), (520, "2024-03-15")),
        _line(150, (43, "Attn: Hank Scorpio")),
    ) == "Jane Cooper Design"


def test_a_document_title_beside_the_name_is_not_part_of_it() -> None:
    """Shopify's shape: the store name and 'Tax Invoice' on the first line."""
    assert _vendor(
        _line(42, (57, "Maple & Moss Goods"), (425, "Tax Invoice"), size=12),
        _line(59, (57, "7 Smith Street, Fitzroy VIC 3065, Australia")),
        _line(71, (57, "ABN 51 824 753 556"), (368, "Invoice No. MM-1042")),
        _line(119, (57, "Ship to"), (255, "Bill to")),
        _line(130, (57, "Olivia Nguyen"), (255, "Olivia Nguyen")),
    ) == "Maple & Moss Goods"


def test_without_a_recipient_label_an_unlabelled_name_is_not_guessed() -> None:
    """Two unlabelled parties and no legal form, website or recipient label: no evidence."""
    assert _vendor(
        _line(38, (43, "Jane Cooper Design")),
        _line(60, (43, "Globex Corporate Services")),
        _line(90, (43, "Invoice #"), (200, "0042")),
    ) is None


def test_among_unlabelled_companies_the_one_printing_its_tax_id_is_the_vendor() -> None:
    """A recipient window first, unlabelled; the issuer below it with its VAT number."""
    assert _vendor(
        _line(40, (340, "Bianchi Costruzioni S.p.A.")),
        _line(51, (340, "Corso Vittorio Emanuele 10")),
        _line(62, (340, "10121 Torino")),
        _line(100, (57, "Rossi Forniture S.r.l.")),
        _line(111, (57, "Via Roma 45, 20121 Milano")),
        _line(122, (57, "P.IVA 01234567890")),
    ) == "Rossi Forniture S.r.l."
    assert _vendor(
        _line(40, (57, "Oakwood Lettings Ltd")),
        _line(51, (57, "18 Castle Street, Reading")),
        _line(700, (57, "Thames Valley Plumbing Ltd VAT Reg No: GB 123 4567 89"), size=6),
    ) == "Thames Valley Plumbing Ltd"


def test_a_tax_id_in_a_recipient_block_is_the_customers() -> None:
    assert _vendor(
        _line(30, (43, "Bill to")),
        _line(41, (43, "Beispiel Handels GmbH")),
        _line(52, (43, "VAT number: DE987654321")),
        _line(100, (43, "Google Ireland Limited")),
    ) == "Google Ireland Limited"


def test_a_recipient_block_runs_on_past_lines_of_another_column_between_its_lines() -> None:
    """The right column's lines fall between the block's: the block still holds all of its own."""
    assert _vendor(
        _line(100, (43, "Bill to"), (300, "Details")),
        _line(105, (300, "Order 1042")),
        _line(111, (43, "Hooli Labs")),
        _line(116, (300, "Ref 77")),
        _line(122, (43, "Kapoor Garments LLP")),
        _line(160, (43, "Sharma Textiles Ltd")),
    ) == "Sharma Textiles Ltd"


def test_a_field_label_is_not_taken_for_the_name_above_the_recipient() -> None:
    assert _vendor(
        _line(38, (43, "Total"), (300, "Jane Cooper Design")),
        _line(60, (43, "Bill To")),
        _line(71, (43, "Globex Corporate Services")),
    ) == "Jane Cooper Design"


def test_a_utility_bills_service_for_heading_opens_the_customer() -> None:
    """A utility bill names its customer under 'Service For:': the issuer is the name above it."""
    assert _vendor(
        _line(40, (43, "Riverside Power & Light"), (370, "Account Number"), (520, "1234567890-1")),
        _line(52, (43, "PO Box 4000, Riverside, CA 92502")),
        _line(100, (43, "Service For:")),
        _line(111, (43, "DANIEL OKAFOR")),
        _line(122, (43, "2210 MAGNOLIA AVE, RIVERSIDE CA 92506")),
    ) == "Riverside Power & Light"


def test_seller_and_buyer_headings_side_by_side() -> None:
    """A Polish faktura: 'Sprzedawca' heads the issuer's block, 'Nabywca' the buyer's."""
    assert _vendor(
        _line(40, (57, "Faktura VAT nr FV/2024/03/015")),
        _line(136, (57, "Sprzedawca"), (312, "Nabywca")),
        _line(147, (57, "Kowalski i Wspólnicy Sp. z o.o."), (312, "Nowak Handel S.A.")),
        _line(158, (57, "NIP: 525-000-12-34"), (312, "NIP: 727-000-56-78")),
    ) == "Kowalski i Wspólnicy Sp. z o.o."


def test_provider_and_taker_headings_and_a_title_that_is_no_name() -> None:
    """A Brazilian fatura: 'Prestador de serviços' heads the issuer, 'Tomador de serviços' the customer."""
    for issuer_heading in ("Prestador de serviços", None):
        lines = [_line(40, (57, "FATURA DE SERVIÇOS"))]
        if issuer_heading:
            lines.append(_line(74, (57, issuer_heading)))
        lines += [
            _line(85, (57, "Tecnologia Paulista Ltda.")),
            _line(96, (57, "CNPJ: 12.345.678/0001-90")),
            _line(136, (57, "Tomador de serviços")),
            _line(147, (57, "Comercial Carioca S.A.")),
        ]
        assert _vendor(*lines) == "Tecnologia Paulista Ltda.", issuer_heading


def test_a_seller_heading_without_a_name_under_it_names_nobody() -> None:
    assert _vendor(
        _line(40, (57, "Sprzedawca")),
        _line(51, (57, "NIP: 525-000-12-34")),
    ) is None


def test_a_czech_supplier_heading_beside_the_customers() -> None:
    """Dodavatel (the supplier) and Odběratel (the customer) side by side, each over its party."""
    assert _vendor(
        _line(40, (43, "Dodavatel:"), (300, "Odběratel:")),
        _line(51, (43, "Vltava Software s.r.o."), (300, "Moravská strojírna a.s.")),
        _line(62, (43, "IČO: 27654321 DIČ: CZ27654321"), (300, "IČO: 45678901 DIČ: CZ45678901")),
    ) == "Vltava Software s.r.o."


def test_odberatel_is_a_recipient_label() -> None:
    assert _vendor(
        _line(40, (300, "Odběratel:")),
        _line(51, (300, "Moravská strojírna a.s.")),
        _line(90, (43, "Vltava Software s.r.o.")),
    ) == "Vltava Software s.r.o."


def test_a_salutation_introduces_the_recipient() -> None:
    """Portuguese 'Exmo(s). Sr(s).' and Turkish 'SAYIN' address the customer named under them."""
    for salutation in ("Exmo(s). Sr(s).", "Exmos. Srs.", "SAYIN", "Sayın"):
        assert _vendor(
            _line(40, (43, "Tejo Consultoria, Lda.")),
            _line(51, (43, "NIF: 509876543")),
            _line(80, (43, salutation)),
            _line(91, (43, "Atlântico Hotéis, S.A.")),
            _line(102, (43, "NIF: 501234567")),
        ) == "Tejo Consultoria, Lda.", salutation


def test_turkish_and_uppercase_legal_forms_of_several_words() -> None:
    assert _vendor(
        _line(40, (43, "ANADOLU YAZILIM TEKNOLOJİLERİ LTD. ŞTİ."), (300, "e-Arşiv Fatura")),
        _line(51, (43, "Vergi Dairesi: KADIKÖY VKN: 0680123456")),
    ) == "ANADOLU YAZILIM TEKNOLOJİLERİ LTD. ŞTİ."


def test_a_legal_form_of_several_words_is_read_to_its_end() -> None:
    """Mexico's 'S.A. de C.V.' and Germany's 'GmbH & Co. KG' each open with a legal form of its own."""
    assert _vendor(
        _line(40, (43, "Servicios Digitales del Bajío, S.A. de C.V.")), _line(51, (43, "RFC: SDB180312AB4")),
    ) == "Servicios Digitales del Bajío, S.A. de C.V."
    assert _vendor(_line(40, (43, "Müller Logistik GmbH & Co. KG"))) == "Müller Logistik GmbH & Co. KG"


def _folio(*footer: Line, letterhead_size: float = 13) -> str | None:
    """A hotel folio: its name in large type at the top, its guest below, its operator in small print."""
    return _vendor(
        _line(40, (57, "Hotel Marienhof Berlin"), (400, "INVOICE / RECHNUNG"), size=letterhead_size),
        _line(60, (57, "Marienstraße 21, 10117 Berlin")),
        _line(96, (57, "Ms. Laura Chen")),
        _line(108, (57, "Brightwater Consulting Ltd")),
        _line(125, (57, "22 Quay Street, Dublin 2, Ireland")),
        _line(468, (57, "Total 679,44 54,32 733,76")),
        *footer,
    )


def test_the_letterhead_name_wins_over_the_operating_company_in_the_footer() -> None:
    assert _folio(
        _line(761, (57, "Marienhof Hotelbetriebs GmbH · HRB 123456 B · USt-IdNr. DE 812345678"), size=6),
    ) == "Hotel Marienhof Berlin"


def test_a_letterhead_in_body_type_is_no_evidence_over_the_footers_company() -> None:
    assert _folio(
        _line(761, (57, "Marienhof Hotelbetriebs GmbH · HRB 123456 B · USt-IdNr. DE 812345678"), size=6),
        letterhead_size=8,
    ) == "Marienhof Hotelbetriebs GmbH"


def test_a_footer_company_also_printed_above_the_footer_keeps_its_full_name() -> None:
    """Azure's shape: 'Microsoft' large at the top, 'Microsoft Corporation' under it and in the footer."""
    assert _vendor(
        _line(40, (43, "Microsoft"), (300, "Invoice"), size=14),
        _line(56, (43, "Microsoft Corporation")),
        _line(382, (43, "Total $2,556.04")),
        _line(738, (43, "Microsoft Corporation · Federal Tax ID 91-1144442 · Page 1 of 1"), size=6),
    ) == "Microsoft Corporation"


# Companies whose names open with a word invoices print as a label or a title.
_LABEL_WORD_NAMES = ("Invoice Ninja Ltd", "Net Solutions GmbH", "Datev eG", "Due Diligence Partners LLP",
                     "Total Energies SE", "Billing Bros Ltd", "Tax Angels Ltd", "Order Of Things Ltd",
                     "Amount Audit Ltd")


def test_a_name_opening_with_a_label_or_title_word_is_read_whole() -> None:
    for name in _LABEL_WORD_NAMES:
        letterhead = _vendor(_line(40, (43, name), size=12), _line(56, (43, "4 Canal Wharf, Leeds LS11 5PS")))
        assert letterhead == name, name
        top_right = _vendor(_line(40, (43, "INVOICE"), (380, name)), _line(60, (43, "Bill to")),
                            _line(71, (43, "Kestrel Outdoor")))
        assert top_right == name, name
        assert _vendor(_line(60, (43, f"From: {name}"))) == name, name
        assert _vendor(_line(60, (43, "From:")), _line(71, (43, name))) == name, name


def test_a_title_before_a_name_is_still_no_part_of_it() -> None:
    assert _vendor(_line(60, (43, "Invoice from Acme Supplies Ltd"))) == "Acme Supplies Ltd"
    assert _vendor(_line(60, (43, "Tax Invoice Acme Supplies Ltd"))) == "Acme Supplies Ltd"
    assert _vendor(_line(60, (43, "INVOICE Acme Supplies Ltd"))) == "Acme Supplies Ltd"
    assert _vendor(_line(60, (43, "INVOICE ACME SUPPLIES LTD"))) == "ACME SUPPLIES LTD"
    assert _vendor(_line(60, (43, "Rechnung von Müller Söhne GmbH"))) == "Müller Söhne GmbH"


def _above_bill_to(text: str, size: float = 12) -> str | None:
    """``text`` alone at the top, then a labelled customer and a body of 8 pt lines."""
    return _vendor(
        _line(40, (43, text), size=size),
        _line(80, (43, "Bill to"), (380, "Invoice No.: 1043")),
        _line(91, (43, "Sophie Turner"), (380, "Payment terms: Net 30")),
        _line(102, (43, "5 Orchard Close, Bath BA2 4QP")),
    )


def test_a_letterhead_opening_with_a_label_word_is_the_name_above_the_recipient() -> None:
    for name in ("Net Craft Joinery", "Date Palm Catering", "Due North Studio", "Total Body Fitness"):
        assert _above_bill_to(name) == name, name


def test_label_lines_are_never_the_name_above_the_recipient() -> None:
    """Whatever their type: a label with its value, a label alone, labels only, a title word first."""
    for text in ("Date: 12/03/2024", "Net 30", "Due date", "Total due", "Total Due", "Due Date", "Net Amount",
                 "Invoice Date", "Total Amount Due", "Date", "Tax Point", "Invoice Summary"):
        for size in (8, 12):
            assert _above_bill_to(text, size) is None, (text, size)


def test_a_name_opening_with_a_label_word_in_body_type_is_no_evidence() -> None:
    """Printed like the body, "Due Upon Receipt" or "Net Craft Joinery" may be terms as well as a name."""
    assert _above_bill_to("Due Upon Receipt", size=8) is None
    assert _above_bill_to("Net Craft Joinery", size=8) is None


def test_a_short_capitals_legal_form_inside_a_capitals_phrase_is_no_company() -> None:
    headings = ("PAYMENT AS AGREED", "SERVICES AS LISTED BELOW", "PRICES AS QUOTED", "SHIPPED AS ORDERED")
    for heading in headings:
        assert _vendor(
            _line(40, (43, "HARBOUR LIGHT STUDIO"), size=12),
            _line(60, (43, heading)),
            _line(80, (43, "Bill to")),
            _line(91, (43, "Corrib Events")),
        ) == "HARBOUR LIGHT STUDIO", heading
        assert _vendor(_line(60, (43, heading)), _line(700, (43, "Harbour Light Ltd"), size=6)) == (
            "Harbour Light Ltd"
        ), heading


def test_a_capitals_legal_form_still_ends_a_name_before_a_tax_id_a_title_or_punctuation() -> None:
    assert _vendor(_line(40, (43, "FJORDLYS REGNSKAP AS"))) == "FJORDLYS REGNSKAP AS"
    assert _vendor(_line(40, (43, "FJORDLYS REGNSKAP AS FAKTURA"))) == "FJORDLYS REGNSKAP AS"
    assert _vendor(_line(40, (43, "FJORDLYS REGNSKAP AS ORG.NR. 912 345 678 MVA"))) == "FJORDLYS REGNSKAP AS"
    assert _vendor(_line(40, (43, "THAMES PLUMBING LTD VAT REG NO GB 123 4567 89"))) == "THAMES PLUMBING LTD"
    assert _vendor(_line(40, (43, "NORDBYGG AS, BERGEN"))) == "NORDBYGG AS"
    assert _vendor(_line(40, (43, "PAYMENT AS AGREED."))) is None
    assert _vendor(_line(40, (43, "SERVICIOS DIGITALES SA DE C.V."))) == "SERVICIOS DIGITALES SA DE C.V."
