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
        "scanned statement with an OCR text layer: the printed CAFÉ is CAFE in the text (4 rows), and "
        "the date 07/07 is 07107, so that row cannot be dated; a fresh OCR of the page images does not "
        "fix it either (tesseract 5.3, eng, at 300 dpi reads 07/07 but CAFE as well, 2026-11-30)"
    ),
}

# Documents whose printed figures do not add up: balance_check must say so.
MISMATCHED = {"td_visa_2019"}
# Documents whose printed balances the parser reads and checks (the others print none it
# can use: DKB none at all, USAA only in a summary box, Postbank its old balance misprinted).
RECONCILED = {
    "cic_anonymised_2012-10-03",
    "mercury_statement_20241105",
    "monopoly_example_credit_card",
    "td_visa_2014",
}
# The bank's name as the parser must return it, for every sample. The expected CSVs carry no
# bank name, so the truth is read off page 1 of each PDF (rendered and its text layer), with the
# bank named in the README's "bank / country" column. ``None`` where page 1 prints the name only
# as a drawn logo or image: the text layer has no name to read, and any answer would be a guess.
BANK_NAMES: dict[str, str | None] = {
    # letterhead, top right of page 1 (Postbank demo account, DE)
    "PB_KAZ_KtoNr_9999999999_06-04-2017_1200": "Postbank Hamburg",
    # CIC, FR: the "CIC" of the "CIC Est" logo is drawn, only "Est" is text; then an agency address
    "cic_anonymised_2012-10-03": None,
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
    """A new sample needs its bank name (or ``None``) read off its page 1 into :data:`BANK_NAMES`."""
    assert sorted(BANK_NAMES) == sample_names()


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
