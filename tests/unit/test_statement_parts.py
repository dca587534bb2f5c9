"""A long statement read in parts and merged gives exactly the serial parse (issue 9, item 4).

Split points that cut a table, a description continuing onto the next page, the header
repeated at each page top, the opening and closing balances on the first and last page:
whatever the cut, ``merge_parts`` of ``read_part`` per range equals ``parse_statement``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from backend.services.errors import InvalidInputError
from backend.services.statements import ParsedStatement, parse_statement
from backend.services.statements.parts import PageLines, merge_parts, part_ranges, read_part
from tests.support import SAMPLES_DIR
from tests.support.samples import parsed_sample
from tests.support.statement_pdfs import make_long_statement, write_random_layout


def split_parse(path: Path, per_part: int, **hints: str | None) -> ParsedStatement:
    """Read ``path`` in parts of ``per_part`` pages, each through JSON as a part task stores it."""
    document = pdfium.PdfDocument(str(path))
    total = len(document)
    document.close()
    pages = [
        PageLines.from_json(json.loads(json.dumps(page.to_json())))
        for pages in part_ranges(total, per_part)
        for page in read_part(path, pages)
    ]
    return merge_parts(pages, total, **hints)


def test_part_ranges_cover_every_page_once() -> None:
    assert part_ranges(7, 3) == [range(0, 3), range(3, 6), range(6, 7)]
    assert part_ranges(6, 3) == [range(0, 3), range(3, 6)]
    assert part_ranges(2, 20) == [range(0, 2)]


@pytest.fixture(scope="module")
def long_statement(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("long") / "long.pdf"
    make_long_statement(path, 9)
    return path


@pytest.mark.parametrize("per_part", [1, 2, 4, 5, 8, 9])
def test_a_long_statement_merged_from_parts_is_the_serial_parse(long_statement: Path, per_part: int) -> None:
    serial = parse_statement(long_statement)
    assert serial.page_count == 9 and len(serial.transactions) > 100
    assert serial.balance_check == "ok"
    assert split_parse(long_statement, per_part) == serial


# Grammar layouts that span 2-3 pages (languages, column orders, wrapped descriptions,
# balances as rows or as a summary); the test checks that each does.
MULTI_PAGE_SEEDS = [0, 5, 15, 25, 45, 55, 70, 85, 100, 150, 250, 295]


@pytest.mark.parametrize("seed", MULTI_PAGE_SEEDS)
def test_grammar_layouts_merged_from_single_pages_are_the_serial_parse(tmp_path: Path, seed: int) -> None:
    path = tmp_path / f"grammar_{seed}.pdf"
    write_random_layout(path, seed)
    serial = parse_statement(path)
    assert serial.page_count > 1
    assert split_parse(path, 1) == serial
    if serial.page_count > 2:
        assert split_parse(path, 2) == serial


REAL = sorted((SAMPLES_DIR / "statements").glob("*.pdf"))


@pytest.mark.skipif(not REAL, reason="the shared real samples are not on this machine")
@pytest.mark.parametrize("path", REAL, ids=lambda path: path.stem)
def test_real_statements_merged_from_single_pages_are_the_serial_parse(path: Path) -> None:
    # Real text layers: pages left to pdfplumber, spaceless layers, rotated pages.
    try:
        serial: ParsedStatement | str = parsed_sample(path)  # the run's one serial parse
    except InvalidInputError as error:
        serial = str(error)
    try:
        merged: ParsedStatement | str = split_parse(path, 1)
    except InvalidInputError as error:
        merged = str(error)
    assert merged == serial


def test_parts_that_miss_a_page_are_refused(long_statement: Path) -> None:
    pages = list(read_part(long_statement, range(0, 4)))
    with pytest.raises(ValueError, match="not 0..8"):
        merge_parts(pages, 9)


def test_a_bad_hint_fails_the_merge_as_it_fails_the_serial_parse(long_statement: Path) -> None:
    with pytest.raises(InvalidInputError) as serial:
        parse_statement(long_statement, date_order="XYZ")
    with pytest.raises(InvalidInputError) as merged:
        split_parse(long_statement, 4, date_order="XYZ")
    assert str(merged.value) == str(serial.value)
