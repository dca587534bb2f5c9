"""The bank's name as printed (issue 7, item 1): what qualifies as a name, and which name wins.

The real samples (``test_real_statements.py``) and the layout grammar check the whole parser;
these pin the rules one at a time on hand-made page-1 lines.
"""

from __future__ import annotations

import pytest

from backend.services.document_text.layout import Line, Word
from backend.services.statements.bank_name import find_bank_name


def row(text: str, top: float, height: float = 8.0, x: float = 50.0, page: int = 0) -> Line:
    """One printed line: words ``height`` points tall, a third of a height apart, from ``x``."""
    words: list[Word] = []
    for part in text.split():
        width = 0.55 * height * len(part)
        words.append(Word(part, x, x + width, top, top + height))
        x += width + height / 3
    return Line(tuple(words), top, top + height, page)


def body(top: float = 300.0) -> list[Line]:
    """Ordinary 8-pt text further down page 1 (it sets the page's typical type size)."""
    return [row(f"Statement period 01/0{n}/2024 to 31/0{n}/2024", top + 12 * n) for n in range(1, 8)]


def test_the_letterhead_wins_over_the_footer_and_the_customer() -> None:
    lines = [
        row("Westmoor Bank plc", 20, height=15),
        row("MR JAMES A SMITH", 80),
        row("12 ELM ROAD", 92),
        *body(),
        row("Harbour Savings Bank. Registered office: 1 Market Street.", 760),
    ]
    assert find_bank_name(lines) == "Westmoor Bank plc"


def test_a_product_title_is_not_the_bank_even_with_a_known_brand() -> None:
    lines = [
        row("TD EMERALD FLEX RATE CARD", 87, height=12),
        row("OCBC 365 CREDIT CARD", 100),
        *body(),
        row("TD CANADA TRUST", 593, height=7),
        row("P.O.B /C.P.611", 601, height=7),
    ]
    assert find_bank_name(lines) == "TD CANADA TRUST"


def cic_letterhead(contact: str) -> list[Line]:
    """CIC's page 1: the name a drawn logo, only "Est" text, then the agency and its contacts."""
    return [
        row("Est", 34, height=20),
        row("AGENCE DE QUELQUEPART", 62, height=9),
        row("28 RUE DE MATIGNON 28200 TOUILLON", 72, height=9),
        row(contact, 82, height=9),
        row("M ENN UNO", 162, height=10),
        row("RELEVE ET INFORMATIONS BANCAIRES", 290, height=12),
        *body(),
    ]


def test_a_logo_without_text_gives_none_not_a_guess() -> None:
    """Nothing in the text names a bank: no name, not a guess."""
    assert find_bank_name(cic_letterhead("08 01 02 03 04 FAX 03 01 02 03 04 BIC : XXXXX")) is None


@pytest.mark.parametrize(
    ("contact", "name"),
    [
        ("08 01 02 03 04 FAX 03 01 02 03 04 33999@cic.fr BIC : XXXXX", "CIC"),
        ("Online: https://www.wellsfargo.com/help", "Wells Fargo"),
        ("www.mercurycards.com", None),  # a domain, but of no bank the parser knows
        ("ecrivez-nous: m.dupont@gmail.com", None),
    ],
)
def test_a_logo_s_bank_is_named_by_the_domain_of_its_letterhead(contact: str, name: str | None) -> None:
    """CIC's logo is drawn, but the contact line under it prints the bank's e-mail domain."""
    assert find_bank_name(cic_letterhead(contact)) == name


def test_a_known_bank_s_domain_below_the_letterhead_names_nothing() -> None:
    """A domain in the running text ("pay at www.hsbc.com") is not the letterhead's."""
    lines = [*cic_letterhead("BIC : XXXXX"), row("Payments to your HSBC card: www.hsbc.com", 700)]
    assert find_bank_name(lines) is None


@pytest.mark.parametrize(
    "customer",
    ["MRS HELEN BANKS SPARKASSE", "Frau Petra Postbank", "ACME TRADING LTD", "Northwind Services"],
)
def test_a_customer_or_an_unbacked_company_is_never_the_bank(customer: str) -> None:
    """A salutation marks the customer; a legal form or "Services" alone needs letterhead evidence."""
    lines = [row(customer, 80), row("1 High Street", 92), *body()]
    assert find_bank_name(lines) is None


def test_a_label_and_running_text_are_not_names() -> None:
    lines = [
        row("Postbank Direkt-Service:", 150),
        row("If payment is not received in full by OCBC Bank by the due date", 160),
        *body(),
    ]
    assert find_bank_name(lines) is None


@pytest.mark.parametrize(
    ("lines", "name"),
    [
        ([row("Summit Card Services", 20, height=15), *body()], "Summit Card Services"),
        ([row("Rhein Invest AG", 20), row("BIC RHINDE33XXX", 30), *body()], "Rhein Invest AG"),
        ([row("Rhein Invest AG", 20), *body()], None),
    ],
)
def test_a_legal_form_or_organisation_word_counts_with_letterhead_evidence(
    lines: list[Line], name: str | None
) -> None:
    """Large type or a BIC/SWIFT/web address beside it makes "AG" or "Services" the bank's."""
    assert find_bank_name(lines) == name


def test_a_name_ends_before_its_address() -> None:
    lines = [row("Deutsche Kreditbank, Taubenstr. 7-9, 10117 Berlin", 77, height=9), *body()]
    assert find_bank_name(lines) == "Deutsche Kreditbank"


def test_a_name_stacked_over_several_lines() -> None:
    lines = [
        row(word, 26 + 10 * n, height=9, x=126)
        for n, word in enumerate(["USAA", "FEDERAL", "SAVINGS", "BANK"])
    ]
    assert find_bank_name([*lines, *body()]) == "USAA FEDERAL SAVINGS BANK"


def test_a_letterhead_block_merged_into_one_line_by_a_tall_glyph() -> None:
    """OCBC's red bar (a 35-pt "I" in the text layer) spans its address block: the name comes out alone."""
    bar = Word("I", 393, 397, 21, 56)
    blocks = [
        row("OCBC Bank", 23, height=7, x=406),
        row("65 Chulia Street, OCBC Centre", 33, height=7, x=406),
    ]
    merged = Line((bar, *sorted((w for b in blocks for w in b.words), key=lambda w: w.x0)), 21, 56)
    assert find_bank_name([row("Qocec", 20, height=29, x=56), merged, *body()]) == "OCBC Bank"


def test_only_page_one_counts() -> None:
    assert find_bank_name([*body(), row("Westmoor Bank plc", 20, height=15, page=1)]) is None
