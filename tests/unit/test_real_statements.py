"""Real statements from public sources, parsed with the real parser (issue 7, item 4).

Every ``<name>.pdf`` that has a ``<name>.expected.csv`` in ``../shared/samples/statements/``
is a test case, picked up by globbing (see that folder's README for the format and what makes
each document hard). Date, description (case- and whitespace-insensitive) and amount are
compared row by row in document order; a failure prints a readable diff. Where the expected
file has an ``account`` column (a PDF printing several statements), each row must also come
from the statement of that account (its last four digits), and every statement must reconcile.

A sample the parser does not read exactly yet is listed in :data:`NOT_YET_EXACT` with the
concrete cause, as a strict xfail: once a fix makes it exact the XPASS fails, and the entry
must go.
"""

from __future__ import annotations

import csv
import difflib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from backend.services.errors import InvalidInputError
from backend.services.statements import ParsedStatement
from tests.support import REPO_ROOT
from tests.support.samples import parsed_sample

STATEMENTS_DIR = REPO_ROOT.parent / "shared" / "samples" / "statements"
# The one expected file that starts with a balance row (monopoly's own output), per the README.
_BALANCE_ROW_PREFIXES = ("last month's balance",)

# name -> why the parser does not read it exactly yet (each entry is a strict xfail).
NOT_YET_EXACT: dict[str, str] = {
    "ocbc_365_example": (
        "scanned statement with an OCR text layer: the printed CAFÉ is CAFE in the text (4 rows); a "
        "fresh OCR of the page images does not fix it either (tesseract 5.3, eng, at 300 dpi: CAFE as "
        "well, 2026-11-30). Its date 07107 (07/07) is read in the shape of the date above since 2026-12-01"
    ),
}

# Documents whose printed figures do not add up: balance_check must say so.
MISMATCHED = {"td_visa_2019"}
# Documents whose printed balances the parser reads and checks (DKB prints none).
RECONCILED = {
    "PB_KAZ_KtoNr_9999999999_06-04-2017_1200",
    "cic_anonymised_2012-10-03",
    "mercury_statement_20241105",
    "monopoly_example_credit_card",
    "td_visa_2014",
    "usaa_sample_statement",
}
# Per statement, in document order: (account last 4, period start, period end, opening balance,
# closing balance), as printed outside the rows (money in positive: a card's balance owed is
# negative); None where the document prints none. Read off each PDF's text layer.
Figures = tuple[str | None, date | None, date | None, Decimal | None, Decimal | None]
STATEMENT_FIGURES: dict[str, list[Figures]] = {
    # "vom 01.01.2020 bis 02.02.2020"; in a box "Alter Kontostand  EUR + 2.853.82" (the decimal
    # comma misprinted as a dot) and "Neuer Kontostand  EUR + 5.314,05", the number right of
    # the column its label heads
    "PB_KAZ_KtoNr_9999999999_06-04-2017_1200": [
        ("9999", date(2020, 1, 1), date(2020, 2, 2), Decimal("2853.82"), Decimal("5314.05")),
    ],
    # balance rows "SOLDE CREDITEUR AU 03/09/2012" / "SOLDE NUL"; no period printed as one
    "cic_anonymised_2012-10-03": [
        ("9902", None, None, Decimal("1968.07"), Decimal("926.30")),
        ("9905", None, None, Decimal(0), Decimal("2400.00")),
    ],
    # "vom 31.12.2019 bis 03.01.2020"; no balances
    "dkb_mustermann": [("7899", date(2019, 12, 31), date(2020, 1, 3), None, None)],
    # "October 06, 2024 - November 05, 2024", "Previous Balance" / "New Balance"
    "mercury_statement_20241105": [
        ("0123", date(2024, 10, 6), date(2024, 11, 5), Decimal("-2452.23"), Decimal("-2461.81")),
    ],
    # only a STATEMENT DATE (01-07-2023) printed: no period
    "monopoly_example_credit_card": [("9473", None, None, Decimal("-412.16"), Decimal("-702.10"))],
    "ocbc_365_example": [("9473", None, None, Decimal("-412.16"), Decimal("-702.10"))],
    # "STATEMENT DATE: August 15, 2014" under "PREVIOUS STATEMENT: July 14, 2014": the period
    # runs from the day after the previous statement (as 2019's prints it: previous November 14,
    # period November 15 to December 16)
    "td_visa_2014": [(None, date(2014, 7, 15), date(2014, 8, 15), Decimal("-6619.48"), Decimal("-6967.31"))],
    "td_visa_2019": [
        (None, date(2019, 11, 15), date(2019, 12, 16), Decimal("-5982.67"), Decimal("-6054.12")),
    ],
    # a summary box: "BALANCE / LAST STATEMENT" over 217.00, "BALANCE THIS / STATEMENT" over
    # 75.79 (labels on two lines); only a STATEMENT DATE (01/09/14): no period
    "usaa_sample_statement": [("6789", None, None, Decimal("217.00"), Decimal("75.79"))],
}
# The bank's name as the parser must return it, for every sample. The expected CSVs carry no
# bank name, so the truth is read off page 1 of each PDF (rendered and its text layer), with the
# bank named in the README's "bank / country" column. ``None`` where page 1 prints the name only
# as a drawn logo or image (and no known bank's web or e-mail domain in its letterhead): the text
# layer has no name to read, and any answer would be a guess.
BANK_NAMES: dict[str, str | None] = {
    # letterhead, top right of page 1 (Postbank demo account, DE)
    "PB_KAZ_KtoNr_9999999999_06-04-2017_1200": "Postbank Hamburg",
    # CIC, FR: the "CIC" of the "CIC Est" logo is drawn, only "Est" is text; the letterhead's
    # contact line under it ("... 33999@cic.fr BIC : XXXXX") gives the bank by its domain
    "cic_anonymised_2012-10-03": "CIC",
    # the sender line above the address window, "Deutsche Kreditbank, Taubenstr. 7-9, 10117 Berlin"
    "dkb_mustermann": "Deutsche Kreditbank",
    # Mercury card, US: an "m" logo image; the name appears only inside www.mercurycards.com
    "mercury_statement_20241105": None,
    # fictional OCBC-style card, SG: the "Monopoly" logo is an image; no bank named in text on page 1
    "monopoly_example_credit_card": None,
    # OCBC 365 card, SG: the letterhead block at the top right ("OCBC Bank", then its address)
    "ocbc_365_example": "OCBC Bank",
    # TD Visa, CA: the TD logo is an image and "TD EMERALD ..." the card's name; the remittance
    # address on page 1 prints "TD CANADA TRUST / P.O.B /C.P.611 / AGINCOURT, ONTARIO"
    "td_visa_2014": "TD CANADA TRUST",
    "td_visa_2019": "TD CANADA TRUST",
    # USAA checking, US: the letterhead stacked on four lines beside the logo
    "usaa_sample_statement": "USAA FEDERAL SAVINGS BANK",
}


@dataclass(frozen=True)
class ExpectedRow:
    """One transaction of an expected CSV."""

    date: date
    description: str
    amount: Decimal
    account_last4: str | None = None  # the statement it belongs to, where the CSV says

    def line(self, with_account: bool = False) -> str:
        """The row as compared: ``date | amount | description`` (normalised description), and
        ``| account`` (last four digits) where the expected file tells the statements apart."""
        cents = self.amount.quantize(Decimal("0.01"))
        amount = cents if cents == self.amount else self.amount
        text = f"{self.date.isoformat()} | {amount:>12} | {_normalised(self.description)}"
        return f"{text} | {self.account_last4}" if with_account else text


def _normalised(description: str) -> str:
    return " ".join(description.split()).casefold()


def read_expected(path: Path) -> list[ExpectedRow]:
    """The expected transactions of one sample, balance rows left out."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [
            ExpectedRow(
                date.fromisoformat(row["date"]), row["description"], Decimal(row["amount"]),
                row["account"][-4:] if row.get("account") else None,
            )
            for row in csv.DictReader(handle)
        ]
    return [row for row in rows if not _normalised(row.description).startswith(_BALANCE_ROW_PREFIXES)]


def parsed_rows(statement: ParsedStatement) -> list[ExpectedRow]:
    """Every statement's rows, in document order, each with its statement's account."""
    return [
        ExpectedRow(t.date, t.description, t.amount, part.account_last4)
        for part in statement.statements
        for t in part.transactions
    ]


def readable_diff(expected: list[ExpectedRow], got: list[ExpectedRow], with_account: bool = False) -> str:
    """A unified diff of the two row lists, one row per line (``date | amount | description``)."""
    lines = difflib.unified_diff(
        [row.line(with_account) for row in expected],
        [row.line(with_account) for row in got],
        fromfile="expected",
        tofile="parsed",
        lineterm="",
        n=1,
    )
    return "\n".join(lines)


def sample_names() -> list[str]:
    return sorted(
        pdf.stem for pdf in STATEMENTS_DIR.glob("*.pdf") if pdf.with_suffix(".expected.csv").exists()
    )


def _case(name: str) -> object:
    if name in NOT_YET_EXACT:
        return pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=NOT_YET_EXACT[name]))
    return name


def test_samples_are_found() -> None:
    """The shared folder is where the README says; an empty glob would pass silently."""
    assert len(sample_names()) >= 9, f"no samples found in {STATEMENTS_DIR}"


@pytest.mark.parametrize("name", [_case(name) for name in sample_names()])
def test_real_statement_is_read_exactly(name: str) -> None:
    expected = read_expected(STATEMENTS_DIR / f"{name}.expected.csv")
    try:
        statement = parsed_sample(STATEMENTS_DIR / f"{name}.pdf")
    except InvalidInputError as error:
        pytest.fail(f"{name}: the parser refused the document: {error}")
    got = parsed_rows(statement)
    accounts = any(row.account_last4 for row in expected)  # the CSV tells statements apart
    if [row.line(accounts) for row in got] != [row.line(accounts) for row in expected]:
        pytest.fail(
            f"{name}: {len(got)} rows parsed, {len(expected)} expected "
            f"(descriptions compared case- and whitespace-insensitively)\n"
            f"{readable_diff(expected, got, accounts)}"
        )
    expected_accounts = list(dict.fromkeys(row.account_last4 for row in expected))
    assert len(statement.statements) == (len(expected_accounts) if accounts else 1)
    for part in statement.statements:
        if name in MISMATCHED:
            assert part.balance_check == "mismatch", "the document does not add up"
        elif name in RECONCILED:
            assert (part.balance_check, part.balance_mismatch_rows) == ("ok", 0)
        else:
            assert part.balance_check != "mismatch", part.balance_mismatch_rows


def test_every_sample_has_its_bank_name_recorded() -> None:
    """A new sample needs its bank name (or ``None``) read off its page 1 into :data:`BANK_NAMES`,
    and its printed figures into :data:`STATEMENT_FIGURES`."""
    assert sorted(BANK_NAMES) == sample_names()
    assert sorted(STATEMENT_FIGURES) == sample_names()


@pytest.mark.parametrize("name", sorted(STATEMENT_FIGURES))
def test_printed_period_and_balances(name: str) -> None:
    """Each statement's account, period and opening and closing balances, as printed."""
    statement = parsed_sample(STATEMENTS_DIR / f"{name}.pdf")
    assert [
        (part.account_last4, part.period_start, part.period_end, part.opening_balance, part.closing_balance)
        for part in statement.statements
    ] == STATEMENT_FIGURES[name]


@pytest.mark.parametrize("name", sorted(BANK_NAMES))
def test_bank_name_as_printed(name: str) -> None:
    """The bank's name exactly as printed, or ``None`` where only a logo image names it."""
    assert parsed_sample(STATEMENTS_DIR / f"{name}.pdf").bank_name == BANK_NAMES[name]


def test_two_accounts_in_one_pdf_are_two_statements() -> None:
    """CIC prints two accounts' statements in one PDF (README): each is read and reconciled on
    its own, with its own balances; the second's opening balance is printed as ``SOLDE NUL``."""
    statement = parsed_sample(STATEMENTS_DIR / "cic_anonymised_2012-10-03.pdf")
    assert [
        (part.account_last4, part.opening_balance, part.closing_balance, len(part.transactions))
        for part in statement.statements
    ] == [("9902", Decimal("1968.07"), Decimal("926.30"), 23), ("9905", Decimal(0), Decimal("2400.00"), 6)]


# The pdfplumber ledger has no expected CSV (README: "none shipped"); its rows, transcribed from
# the text layer: (date, particulars, amount, balance; Dr. out, Cr. in). Two parties' ledgers,
# one a page, each from its own "Opening Balance" row. The first row's particulars run on as
# one line under the amount columns and past the balance (drawn clipped, whole in the text).
LEDGER = STATEMENTS_DIR / "pdfplumber_issue_912_ledger.pdf"
LEDGER_STATEMENTS: list[tuple[Decimal, list[tuple[date, str, Decimal, Decimal]]]] = [
    (
        Decimal("27614207"),
        [
            (
                date(2016, 5, 13),
                "Chq. No. 085900 BILL NO.133, 132, 139, ,138, 143, 140, 142, 141, 144, 156, 155, 154, 164, "
                "163, 165, 166, 167, 176, 175, 179, 178, 186, 185, 187, 192, 193 DT.16.12.2015 RICE PAYMENT",
                Decimal("-26406576"),
                Decimal("1207631"),
            ),
            (date(2016, 6, 25), "Chq. No. 086352 BEING COMMISSION RETURNED TO PARTY", Decimal("-132696"),
             Decimal("1074935")),
            (date(2016, 8, 19), "Chq. No. 086866 Being Payment against bill no.197 dated 29.01.2016",
             Decimal("-1074935"), Decimal(0)),
        ],
    ),
    (
        Decimal("24274200"),
        [
            (date(2015, 8, 17), "BEING EXCHANGE RATE DIFF", Decimal("979400"), Decimal("25253600")),
            (date(2015, 8, 17), "BEING TRF", Decimal("-6530000"), Decimal("18723600")),
            (date(2015, 9, 7), "280000,$,@66.87, B.Ref-, Inv- BEING TRF", Decimal("-18723600"),
             Decimal(0)),
            (date(2015, 9, 7), "0,$,@0, B.Ref-, Inv- BEING INTERST PAID", Decimal(0), Decimal(0)),
            (date(2015, 10, 20),
             "610,$,@65.22, B.Ref-, Inv- Being the amount vide performa no DS03/13/D111161",
             Decimal("39784"), Decimal("39784")),
            (date(2015, 10, 20), "610,$,@65.22, B.Ref-, Inv- BEING IMPORT PYMNET FOR LICENSE KEY",
             Decimal("-39784"), Decimal(0)),
        ],
    ),
]  # fmt: skip


def test_ledgers_one_a_page_are_separate_statements_with_whole_particulars() -> None:
    """Page 2 starts another party's ledger with its own opening balance (not the balance page 1
    ended on): a statement of its own, not page 1's continued. A particulars cell printed on
    past the table's last column is read whole, not cut where the column ends."""
    statement = parsed_sample(LEDGER)
    got = [
        (part.opening_balance, [(t.date, t.description, t.amount, t.balance) for t in part.transactions])
        for part in statement.statements
    ]
    assert got == LEDGER_STATEMENTS
    checks = [(part.balance_check, part.balance_mismatch_rows) for part in statement.statements]
    assert checks == [("ok", 0), ("ok", 0)]


# Every sample PDF (with or without an expected CSV) -> the currency of each of its statements,
# and the evidence for it. ``None``: the document does not show it, and the parser does not guess.
CURRENCIES: dict[str, tuple[str | None, ...]] = {
    # "Alter Kontostand  EUR + 2.853.82", "Neuer Kontostand  EUR + 5.314,05"
    "PB_KAZ_KtoNr_9999999999_06-04-2017_1200": ("EUR",),
    # "en euros", "€" and "EUR +1.600,00" outside the table: both accounts
    "cic_anonymised_2012-10-03": ("EUR", "EUR"),
    # header "Belastung in EUR  Gutschrift in EUR"
    "dkb_mustermann": ("EUR",),
    # "$" only, with "payable ... in U.S. dollars" the one dollar named
    "mercury_statement_20241105": ("USD",),
    # header "AMOUNT (SGD)", "S$22,058.11"
    "monopoly_example_credit_card": ("SGD",),
    "ocbc_365_example": ("SGD",),
    # an Indian party ledger printing no currency (the "$" of "280000,$,@66.87" is in a row's
    # particulars, a foreign payment): unknown, not INR or USD
    "pdfplumber_issue_912_ledger": (None, None),
    # header "AMOUNT($)" and "$" amounts on a TD CANADA TRUST card; its USD are foreign-currency
    # lines ("FOREIGN CURRENCY 22.54 USD"), and its words name several dollars
    "td_visa_2014": ("CAD",),
    "td_visa_2019": ("CAD",),
    # a "$" only on the reconciliation form, USAA FEDERAL SAVINGS BANK (US dollars only)
    "usaa_sample_statement": ("USD",),
}


def test_every_sample_has_its_currency_recorded() -> None:
    """A new sample PDF needs its currency (or ``None``) in :data:`CURRENCIES`."""
    assert sorted(CURRENCIES) == sorted(pdf.stem for pdf in STATEMENTS_DIR.glob("*.pdf"))


@pytest.mark.parametrize("name", sorted(CURRENCIES))
def test_currency_as_printed(name: str) -> None:
    """Each statement's ISO 4217 currency, from what the document prints."""
    statement = parsed_sample(STATEMENTS_DIR / f"{name}.pdf")
    assert tuple(part.currency for part in statement.statements) == CURRENCIES[name]
