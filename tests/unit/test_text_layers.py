"""PDFium's words are pdfplumber's words (issue 9, item 3).

Every page that :mod:`backend.services.pdfium_words` accepts must give the words pdfplumber's
``extract_words(use_text_flow=True, return_chars=True)`` gives: the same texts in the same order,
the same glyphs per word, and boxes within :data:`TOLERANCE` points (PDFium takes a font's descent
from the font program, pdfminer from its descriptor). Checked on every real sample in
``../shared/samples/statements/`` (globbed) and on the generated layouts; the pages PDFium
declines are read by pdfplumber, so ``iter_page_words`` gives pdfplumber's words on every page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
import pytest

from backend.services import pdfium_words
from backend.services.document_text.layout import UNICODE_NORM
from backend.services.errors import InvalidInputError
from backend.services.pdf_words import EXTRACT_WORDS_OPTIONS, iter_page_words
from backend.services.pdfium_words import NotLikePdfplumber, page_words
from tests.support.hostile_pdfs import FONT, assemble, stream
from tests.support.producer_shaped_pdfs import Cell, Geometry, Producer, write_raw
from tests.support.statement_pdfs import LAYOUTS, write_random_layout
from tests.unit.test_bank_shaped_statements import WRITERS as BANK_SHAPES
from tests.unit.test_real_statements import STATEMENTS_DIR

# Points; measured worst case 2.36 (a font whose descriptor's descent differs from its program's).
TOLERANCE = 2.5
GRAMMAR_SEEDS = range(0, 300, 10)
# Real samples as measured: PDFium reads the first whole, some pages of the second (where the
# spaces it inferred stand for space glyphs drawn on their own, as Mercury draws every glyph),
# and none of the last: a text layer without spaces (TD), an OCR layer (OCBC), gaps near the
# 3-point tolerance or spaces PDFium infers inside pdfplumber's words (Postbank, CIC).
READ_BY_PDFIUM = {"dkb_mustermann"}
PARTLY_READ_BY_PDFIUM = {
    "mercury_statement_20241105",
    "monopoly_example_credit_card",
    "usaa_sample_statement",
}
DECLINED = {
    "td_visa_2014",
    "ocbc_365_example",
    "cic_anonymised_2012-10-03",
    "PB_KAZ_KtoNr_9999999999_06-04-2017_1200",
}


def real_samples() -> list[str]:
    return sorted(pdf.stem for pdf in STATEMENTS_DIR.glob("*.pdf"))


def _box(word: dict[str, Any]) -> tuple[float, float, float, float]:
    return word["x0"], word["x1"], word["top"], word["bottom"]


def _distance(one: dict[str, Any], other: dict[str, Any]) -> float:
    return max(abs(a - b) for a, b in zip(_box(one), _box(other), strict=True))


Words = list[dict[str, Any]]


def assert_same_words(pdfium_words: Words, plumber_words: Words, where: str) -> None:
    """The same words (texts and glyphs) with boxes within TOLERANCE, in any order.

    PDFium orders a few text objects differently from the content stream (the USAA sample's
    header); the parser orders words by position, so only the words themselves must agree.
    Words of the same text are paired closest first.
    """
    assert sorted(w["text"] for w in pdfium_words) == sorted(w["text"] for w in plumber_words), where
    by_text: dict[str, tuple[list[dict[str, Any]], list[dict[str, Any]]]] = defaultdict(lambda: ([], []))
    for word in pdfium_words:
        by_text[word["text"]][0].append(word)
    for word in plumber_words:
        by_text[word["text"]][1].append(word)
    for mine, theirs in by_text.values():
        pairs = sorted((_distance(a, b), i, j) for i, a in enumerate(mine) for j, b in enumerate(theirs))
        used_mine, used_theirs = set(), set()
        for distance, i, j in pairs:
            if i in used_mine or j in used_theirs:
                continue
            used_mine.add(i)
            used_theirs.add(j)
            assert distance <= TOLERANCE, f"{where}: {mine[i]['text']!r} {_box(mine[i])} vs {_box(theirs[j])}"
            assert [c["text"] for c in mine[i]["chars"]] == [c["text"] for c in theirs[j]["chars"]], where


def compare_pages(path: Path) -> Iterator[tuple[int, bool]]:
    """Check every page PDFium accepts against pdfplumber (its words, and whether it draws a space
    glyph); yield ``(page, accepted)``."""
    document = pdfium.PdfDocument(str(path))
    try:
        with pdfplumber.open(path, unicode_norm=UNICODE_NORM) as pdf:
            for index, page in enumerate(pdf.pages):
                pdfium_page = document[index]
                try:
                    read = None if page.rotation else page_words(pdfium_page, page.height, UNICODE_NORM)
                except NotLikePdfplumber:
                    read = None
                finally:
                    pdfium_page.close()
                if read is not None:
                    words, draws_spaces = read
                    plumber_words = page.extract_words(**EXTRACT_WORDS_OPTIONS)
                    assert_same_words(words, plumber_words, f"{path.name} p{index}")
                    assert draws_spaces == any(char["text"].isspace() for char in page.chars), path.name
                yield index, read is not None
    finally:
        document.close()


@pytest.mark.parametrize("name", real_samples())
def test_real_sample_pages_pdfium_reads_have_pdfplumbers_words(name: str) -> None:
    accepted = [ok for _, ok in compare_pages(STATEMENTS_DIR / f"{name}.pdf")]
    if name in READ_BY_PDFIUM:
        assert all(accepted)
    if name in PARTLY_READ_BY_PDFIUM:
        assert any(accepted)
    if name in DECLINED:
        assert not any(accepted)


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_fixed_layouts_are_read_by_pdfium_with_pdfplumbers_words(name: str, tmp_path: Path) -> None:
    LAYOUTS[name](tmp_path / f"{name}.pdf")
    assert all(ok for _, ok in compare_pages(tmp_path / f"{name}.pdf"))


@pytest.mark.parametrize("name", sorted(BANK_SHAPES))
def test_bank_shaped_layouts_are_read_by_pdfium_with_pdfplumbers_words(name: str, tmp_path: Path) -> None:
    """HDFC's narration lines end in a hyphen ("UPI-SWIGGY LIMITED-SWIGGY@ICICI-"), which PDFium
    marks as a line-end hyphen (U+0002): that mark is the hyphen pdfplumber reads."""
    BANK_SHAPES[name](tmp_path / f"{name}.pdf")
    assert any(accepted for _, accepted in compare_pages(tmp_path / f"{name}.pdf"))


@pytest.mark.parametrize("seed", GRAMMAR_SEEDS)
def test_grammar_layouts_are_read_by_pdfium_with_pdfplumbers_words(seed: int, tmp_path: Path) -> None:
    write_random_layout(tmp_path / f"grammar_{seed}.pdf", seed)
    assert all(ok for _, ok in compare_pages(tmp_path / f"grammar_{seed}.pdf"))


def _all_words(path: Path, layer: str) -> list[Words]:
    return [words for _, _, words, _ in iter_page_words(path, UNICODE_NORM, layer=layer)]  # type: ignore[arg-type]


@pytest.mark.parametrize("name", real_samples())
def test_iter_page_words_gives_pdfplumbers_words_on_every_page(name: str) -> None:
    """Both layers through the public reader: declined pages fall back to pdfplumber."""
    path = STATEMENTS_DIR / f"{name}.pdf"
    pages = zip(_all_words(path, "pdfium"), _all_words(path, "pdfplumber"), strict=True)
    for index, (fast, plumber) in enumerate(pages):
        assert_same_words(fast, plumber, f"{name} p{index}")


def test_a_rotated_page_is_read_by_pdfplumber(tmp_path: Path) -> None:
    """PDFium's boxes are unrotated, pdfminer's turned with the page: pdfplumber reads it."""
    LAYOUTS["northgate_uk"](tmp_path / "upright.pdf")
    document = pdfium.PdfDocument(str(tmp_path / "upright.pdf"))
    document[1].set_rotation(90)
    document.save(str(tmp_path / "rotated.pdf"))
    document.close()
    rotated = tmp_path / "rotated.pdf"
    assert _all_words(rotated, "pdfium")[1] == _all_words(rotated, "pdfplumber")[1]  # exactly: one library
    assert list(compare_pages(rotated)) == [(0, True), (1, False), (2, True)]


def test_a_generated_statement_is_read_by_pdfium_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fast path is really taken: with pdfplumber's extract_words broken, every page reads."""

    def no_pdfplumber_words(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("pdfplumber read a page PDFium should have read")

    LAYOUTS["northgate_uk"](tmp_path / "statement.pdf")
    monkeypatch.setattr(pdfplumber.page.Page, "extract_words", no_pdfplumber_words)
    assert all(_all_words(tmp_path / "statement.pdf", "pdfium"))
    with pytest.raises(InvalidInputError) as refused:  # the reader's message for any failed read
        _all_words(tmp_path / "statement.pdf", "pdfplumber")
    assert "pdfplumber read a page" in str(refused.value.__cause__)


@pytest.mark.parametrize("glyphs", ["line", "glyph"])
@pytest.mark.parametrize("layer", ["pdfium", "pdfplumber"])
def test_fake_bold_words_are_read_once_by_either_layer(glyphs: str, layer: str, tmp_path: Path) -> None:
    """Fake bold: a word drawn three times, 0.3 pt apart. PDFium's text page drops a text object
    repeating one of the five before it, pdfplumber keeps every copy: the reader keeps one, so
    both layers give each word once, whether a cell is one ``Tj`` or one ``Tj`` per glyph (one
word a cell: a layer without space glyphs is split into words above, in ``document_text``)."""
    cells = [
        Cell(40, 100, "Date", bold=True),
        Cell(100, 100, "Description", bold=True),
        Cell(400, 100, "Balance", bold=True, right=True),
        Cell(40, 112, "01/02/2024"),
        Cell(100, 112, "SAFEWAY"),
        Cell(400, 112, "3,100.45", right=True),
    ]
    path = tmp_path / f"fake_bold_{glyphs}.pdf"
    write_raw(path, [cells], Producer(glyphs=glyphs, fake_bold=True), Geometry())
    (words,) = _all_words(path, layer)
    expected = ["Date", "Description", "Balance", "01/02/2024", "SAFEWAY", "3,100.45"]
    assert [w["text"] for w in words] == expected
    # the copies PDFium leaves out of its text page are no spaces it left out: none is drawn
    assert [draws for _, _, _, draws in iter_page_words(path, UNICODE_NORM, layer=layer)] == [False]  # type: ignore[arg-type]


def test_a_form_drawn_twice_in_a_row_at_two_scales_gives_each_glyph_its_own_size(tmp_path: Path) -> None:
    """The matrix and font size are read once per run of one text object's glyphs: a form drawn
    twice, the second copy twice as large and starting where the first ends (no space between),
    holds the same text object twice, and each glyph keeps its own copy's size."""
    form = stream(
        b"BT /F1 10 Tf 0 0 Td (AB) Tj ET",
        b"/Type /XObject /Subtype /Form /BBox [0 0 100 20] /Resources << /Font << /F1 3 0 R >> >>",
    )
    # Helvetica's A and B are 0.667 em wide: the first copy's "AB" ends 13.34 pt right of 72.
    content = stream(b"q 1 0 0 1 72 700 cm /Fm Do Q q 2 0 0 2 85.34 700 cm /Fm Do Q", b"")
    (tmp_path / "form_twice.pdf").write_bytes(
        assemble(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
                FONT,
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                b"/Resources << /Font << /F1 3 0 R >> /XObject << /Fm 6 0 R >> >> /Contents 5 0 R >>",
                content,
                form,
            ]
        )
    )
    document = pdfium.PdfDocument(str(tmp_path / "form_twice.pdf"))
    try:
        words, _ = page_words(document[0], 792.0, UNICODE_NORM)
    finally:
        document.close()
    assert [(char["text"], round(char["size"], 2)) for word in words for char in word["chars"]] == [
        ("A", 10.0),
        ("B", 10.0),
        ("A", 20.0),
        ("B", 20.0),
    ]
    assert list(compare_pages(tmp_path / "form_twice.pdf")) == [(0, True)]


@pytest.mark.parametrize("name", ["hdfc", "hsbc", "n26"])
def test_pages_whose_text_does_not_hold_a_code_per_glyph_are_read_glyph_by_glyph(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Codes come from the page text in one call where it holds one per glyph; otherwise each
    glyph's code is read on its own, and the words are the same (HDFC's line-end hyphens too)."""
    BANK_SHAPES[name](tmp_path / f"{name}.pdf")
    at_once = _all_words(tmp_path / f"{name}.pdf", "pdfium")
    monkeypatch.setattr(pdfium_words, "_page_codes", lambda _raw, _count: None)
    assert _all_words(tmp_path / f"{name}.pdf", "pdfium") == at_once


def _spaced_words_pdf(path: Path, font: bytes, gaps: list[float], word: bytes = b"fifth") -> None:
    """One line of ``word`` at 10 pt in the standard ``font`` drawn without its program or widths
    (as PDF 1.4 allows), one text-showing operator each (a text object each to PDFium), each word
    ``gap`` points after the previous one's advance: moved by a TJ offset alone."""
    moves = [b"(%s) Tj [%d] TJ" % (word, round(-gap * 100)) for gap in gaps]
    content = stream(b"BT /F1 10 Tf 72 700 Td " + b" ".join(moves) + b" (%s) Tj ET" % word, b"")
    path.write_bytes(
        assemble(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
                b"<< /Type /Font /Subtype /Type1 /BaseFont /%s >>" % font,
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                b"/Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>",
                content,
            ]
        )
    )


def test_word_gaps_hidden_by_italic_ink_are_read_as_pdfplumber_reads_them(tmp_path: Path) -> None:
    """Gaps of 2.95, 3.05, 2.9 and 3.1 pt between words set by positioning, no space glyph:
    pdfplumber joins the first and third pairs and splits the others. PDFium's loose box takes
    in a glyph's ink, and an italic f's passes its origin by ~1.5 pt at 10 pt, so the 3.05-pt
    gap read as 1.5 pt on loose boxes and PDFium joined words pdfplumber splits. On the advance
    boxes (the f's origin) the gaps are near the tolerance, and pdfplumber reads the page."""
    path = tmp_path / "italic_gaps.pdf"
    _spaced_words_pdf(path, b"Times-Italic", [2.95, 3.05, 2.9, 3.1])
    (words,) = _all_words(path, "pdfium")
    assert [word["text"] for word in words] == ["fifthfifth", "fifthfifth", "fifth"]
    assert list(compare_pages(path)) == [(0, False)]


def test_a_word_gap_after_ink_passing_its_advance_is_read_as_pdfplumber_reads_it(tmp_path: Path) -> None:
    """An italic f's ink passes its advance on the right too: after "off", a 3.05-pt gap read
    ~1.5 pt on loose boxes, and PDFium joined the words. Its advance's right edge (its origin
    plus its width, once the font's widths are checked on glyphs whose ink stops short) puts
    the gap near the tolerance again, and pdfplumber reads the page."""
    path = tmp_path / "italic_off.pdf"
    _spaced_words_pdf(path, b"Times-Italic", [3.05, 2.95], word=b"off")
    (words,) = _all_words(path, "pdfium")
    assert [word["text"] for word in words] == ["off", "offoff"]
