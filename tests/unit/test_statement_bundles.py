"""Several statements in one PDF (issue 7, "Documents"): each read and reconciled on its own,
whether they share one layout (one account's consecutive statements) or each has its bank's."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from fpdf import FPDF

from backend.services.document_text.layout import Line, Word, read_page_lines
from backend.services.statements import bundle, parse_statement
from backend.services.statements.bundle import unread_pages_warning
from tests.support.joined_pdfs import write_joined
from tests.support.shaped_documents import statement_differences
from tests.support.statement_pdfs import TRUTH_FIELDS, write_bundle
from tests.unit.test_bank_shaped_statements import NOT_YET_EXACT, WRITERS
from tests.unit.test_statement_parts import split_parse


@pytest.mark.parametrize("seeds", [(3, 1003), (11, 1011), (40, 1040, 2040)])
def test_each_statement_of_a_bundle_is_returned_exactly(tmp_path, seeds):
    path = tmp_path / "bundle.pdf"
    truths = write_bundle(path, seeds)
    parsed = parse_statement(path)
    assert len(parsed.statements) == len(seeds)
    for statement, truth in zip(parsed.statements, truths, strict=True):
        fields = [field for field in TRUTH_FIELDS if field not in ("page_count", "transactions")]
        assert {f: getattr(statement, f) for f in fields} == {f: getattr(truth, f) for f in fields}
        assert [(t.date, t.description, t.amount, t.balance) for t in statement.transactions] == [
            (t.date, t.description, t.amount, t.balance) for t in truth.transactions
        ]
    # Consecutive statements: each opens where the one before it closed.
    openings = [statement.opening_balance for statement in parsed.statements[1:]]
    assert openings == [statement.closing_balance for statement in parsed.statements[:-1]]
    assert parsed.statements[0].period_start < parsed.statements[1].period_start



# ------------------------------------------------ statements of different banks in one PDF
#
# Each bank-shaped statement read exactly on its own (tests/unit/test_bank_shaped_statements.py)
# joined with the next one in WRITERS order, the last with the first. A statement followed by
# itself is left out (no upload prints one statement twice); one account's consecutive statements
# in one layout are write_bundle's, above.
EXACT_ALONE = [name for name in WRITERS if name not in NOT_YET_EXACT]
ADJACENT_PAIRS = list(zip(EXACT_ALONE, [*EXACT_ALONE[1:], EXACT_ALONE[0]], strict=True))

# The run of every adjacent pair is tests/accuracy/test_statement_bundle_accuracy.py. These cover
# the ways they failed when the document was read as one table: the whole upload refused (the
# second table read in the first one's columns: "has no transactions"), the second statement's
# rows lost with balance_check "ok" (its pages read nothing, or part of its rows), both merged
# into one statement ("mismatch"), and both balancing as one, the first read under the second's
# sign convention (a bank account then a card) or the second's rows read under the first's.
SAMPLE_PAIRS = [
    ("commbank", "volksbank"), ("bbva_mexico", "sparkasse"), ("mufg", "itau"), ("westpac_nz", "erste"),
    ("kotak", "truist"), ("revolut", "n26"), ("kbc", "nubank"), ("italian", "amex"),
    ("paypal", "wise"), ("truist", "nab"), ("ziraat", "kbc"), ("ally", "discover"),
    ("capital_one", "monzo"), ("schwab", "chase_card"), ("maybank", "bbva_mexico"),
    ("chase", "bank_of_america"),
]


def pair_differences(first: str, second: str, path: Path) -> list[str]:
    """What the parser read differently from two bank-shaped statements joined into ``path``."""
    truths = write_joined(path, [WRITERS[first], WRITERS[second]])
    parsed = parse_statement(path)
    if len(parsed.statements) != len(truths):
        return [f"{len(parsed.statements)} statements read, 2 printed"]
    return [
        f"{name}: {difference}"
        for name, truth, statement in zip((first, second), truths, parsed.statements, strict=True)
        for difference in statement_differences(truth, statement)
    ]


def test_the_sample_pairs_are_adjacent_pairs() -> None:
    assert set(SAMPLE_PAIRS) <= set(ADJACENT_PAIRS)


@pytest.mark.parametrize(("first", "second"), SAMPLE_PAIRS, ids=[f"{a}+{b}" for a, b in SAMPLE_PAIRS])
def test_statements_of_two_banks_in_one_pdf_are_each_read_exactly(
    first: str, second: str, tmp_path: Path
) -> None:
    assert pair_differences(first, second, tmp_path / "pair.pdf") == []


def test_a_pair_read_in_parts_is_the_serial_parse(tmp_path: Path) -> None:
    """The parallel parse of long documents merges page ranges through the same reading."""
    path = tmp_path / "pair.pdf"
    write_joined(path, [WRITERS["kotak"], WRITERS["truist"]])
    serial = parse_statement(path)
    assert len(serial.statements) == 2
    assert split_parse(path, 1) == serial


def _write_unreadable_statement(path: Path) -> None:
    """A page of another bank's statement whose table the parser cannot read: its rows' dates
    are weekday names (no date), so it reads no transaction on its own."""
    pdf = FPDF()
    pdf.set_font("Helvetica", size=9)
    pdf.add_page()
    lines = [
        [(15, "Northwind Savings Bank")], [(15, "Account number 9876 5432")],
        [(15, "Statement period 01/02/2024 to 29/02/2024")],
        [(15, "Date"), (45, "Description"), (147, "Amount"), (182, "Balance")],
        *([(15, day), (45, "Card purchase"), (150, "12.50"), (185, "987.50")] for day in ("Mon", "Fri")),
    ]
    for number, cells in enumerate(lines):
        for x, text in cells:
            pdf.text(x, 20 + 6 * number, text)
    pdf.output(str(path))


def test_a_statement_that_cannot_be_read_after_one_that_can_is_said(tmp_path: Path) -> None:
    """Joined after Chase's statement, a statement the parser cannot read is no rows of Chase's,
    and the result says so rather than balancing Chase's rows alone as "ok"."""
    path = tmp_path / "pair.pdf"
    chase = write_joined(path, [WRITERS["chase"], _write_unreadable_statement])[0]
    parsed = parse_statement(path)
    assert len(parsed.statements) == 1
    assert [(t.date, t.amount) for t in parsed.transactions] == [(r.date, r.amount) for r in chase.rows]
    assert parsed.balance_check == "mismatch"
    assert parsed.warnings[-1] == unread_pages_warning(range(2, 3))
    assert parsed.warnings[-1].startswith("page 3 prints another statement")


def _write_alternating_headers(path: Path, pages: int, rows_per_page: int = 12) -> int:
    """One statement whose table header names its description column differently on every other
    page ("Description", "Details"): each page a possible start of another statement. Returns
    the number of rows printed."""
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=8)
    balance = 1000.0
    for page in range(pages):
        pdf.add_page()
        pdf.text(15, 15, "Example Bank - Statement of account")
        for x, label in ((15, "Date"), (40, ("Description", "Details")[page % 2]), (150, "Amount"),
                         (183, "Balance")):
            pdf.text(x, 30, label)
        for row in range(rows_per_page):
            amount = 12.5 if row % 3 == 0 else -3.25 * (row % 7 + 1)
            balance += amount
            y = 36 + 6 * row
            pdf.text(15, y, f"{page % 28 + 1:02d}/01/2024")
            pdf.text(40, y, f"CARD PAYMENT {page}-{row}")
            pdf.text(160 - pdf.get_string_width(f"{amount:.2f}"), y, f"{amount:.2f}")
            pdf.text(195 - pdf.get_string_width(f"{balance:,.2f}"), y, f"{balance:,.2f}")
    pdf.output(str(path))
    return pages * rows_per_page


def test_a_document_of_many_possible_starts_is_read_in_linear_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page that may begin another statement is read again on its own with the pages before it:
    a crafted document making every page such a page read its pages again for every one of them
    (80 pages: 40 s instead of 2). The extra reading has a budget in pages; candidates past it
    are not examined, and the result says so."""
    from backend.services.statements import rows

    path = tmp_path / "alternating.pdf"
    pages = 60
    printed = _write_alternating_headers(path, pages)
    reads = 0
    read_page = rows.TableReader.read_page

    def counted(self: rows.TableReader, *args: object, **kwargs: object) -> None:
        nonlocal reads
        reads += 1
        read_page(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(rows.TableReader, "read_page", counted)
    parsed = parse_statement(path)
    assert reads <= pages + bundle.EXTRA_PAGE_READS_PER_PAGE * pages + bundle.EXTRA_PAGE_READS_MINIMUM
    assert sum(len(statement.transactions) for statement in parsed.statements) == printed
    assert any("not examined" in warning for warning in parsed.warnings)


def _words_in(lines: Iterable[Line]) -> Iterator[Word]:
    """The words of ``lines`` and the pieces they may be cut into."""
    for line in lines:
        for word in line.words:
            yield word
            yield from word.pieces


def test_the_parse_holds_the_lines_of_a_page_or_two_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Memory stays flat however long the document (issue 9): while it is read, and while the
    pages that may begin another statement are read again, the parse holds the words of the page
    being read, not every page's. Every page of this document may begin a statement, so ranges
    of pages are read again. Words are counted as live objects; those of the text lines a
    reading keeps for the statement (its letterhead, its footers) are its own."""
    from backend.services.statements import rows

    path = tmp_path / "alternating.pdf"
    _write_alternating_headers(path, 20)
    page_words = max(len(list(_words_in(lines))) for _, _, lines in read_page_lines(path))
    reads = 0
    read_page = rows.TableReader.read_page

    def live_words() -> int:
        """Live words, less those of the text lines a reading keeps."""
        gc.collect()
        objects = gc.get_objects()
        kept = {
            id(word) for reader in objects if isinstance(reader, rows.TableReader)
            for word in _words_in([*reader.text_lines, *(line for line, _ in reader._leads)])
        }
        return sum(isinstance(o, Word) and id(o) not in kept for o in objects)

    before = live_words()  # other tests' (a module's example lines)
    held: list[int] = []  # live words the parse holds, after every 5th page read

    def counted(self: rows.TableReader, *args: object, **kwargs: object) -> None:
        nonlocal reads
        read_page(self, *args, **kwargs)  # type: ignore[arg-type]
        reads += 1
        if reads % 5 == 0:
            held.append(live_words() - before)

    monkeypatch.setattr(rows.TableReader, "read_page", counted)
    assert parse_statement(path).transactions
    assert reads > 2 * 20  # ranges of pages were read again
    assert max(held) <= 2 * page_words, (held, page_words)
