"""Statements drawn the way PDF producers draw text (``tests.support.producer_shaped_pdfs``).

Each is a plausible bank statement whose text drawing has the quirks of a real report engine:
glyphs positioned one by one, pdfTeX ``TJ`` arrays, fake bold, column-by-column or bottom-up
drawing order, Form XObjects, a ``/Rotate 90`` page with odd boxes, an OCR text layer in
invisible mode, subset CID fonts without space glyphs, ``Tz`` / ``Tc`` / ``Tw`` and content split
across streams. The first test reads each exactly (a strict xfail while ``NOT_YET_EXACT`` names
it); the others check that each PDF really carries its quirks, so none can silently vanish.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_raw
import pytest

from tests.support import producer_shaped_pdfs as producers
from tests.support.bank_shaped_pdfs import Truth
from tests.support.shaped_documents import shaped_cases, statement_misreadings

WRITERS: dict[str, Callable[[Path], Truth]] = {
    "golden1_crystal": producers.write_golden1_crystal,
    "gls_pdftex": producers.write_gls_pdftex,
    "axis_bi_publisher": producers.write_axis_bi_publisher,
    "santander_cl_jasper": producers.write_santander_cl_jasper,
    "metro_landscape": producers.write_metro_landscape,
    "bendigo_ocr": producers.write_bendigo_ocr,
    "bunq_chrome": producers.write_bunq_chrome,
    "handelsbanken_itext": producers.write_handelsbanken_itext,
    "ocbc_oracle": producers.write_ocbc_oracle,
    "citizens_ghostscript": producers.write_citizens_ghostscript,
}

# name -> why the parser does not read it exactly yet (each a strict xfail).
NOT_YET_EXACT: dict[str, str] = {}


@pytest.mark.parametrize("name", shaped_cases(WRITERS, NOT_YET_EXACT))
def test_producer_shaped_statement_is_read_exactly(name: str, tmp_path: Path) -> None:
    assert statement_misreadings(WRITERS[name], tmp_path / f"{name}.pdf") == []


# --- What each PDF is made of --------------------------------------------------------------------


def _objects(path: Path) -> dict[int, bytes]:
    return {
        int(number): body
        for number, body in re.findall(rb"(\d+) 0 obj\s*(.*?)endobj", path.read_bytes(), re.S)
    }


def _inflated(body: bytes) -> bytes:
    found = re.search(rb"stream\r?\n(.*?)\r?\nendstream", body, re.S)
    assert found is not None
    return zlib.decompress(found.group(1)) if b"/FlateDecode" in body else found.group(1)


def _page_streams(path: Path) -> list[list[bytes]]:
    """Each page's content streams, inflated, in /Contents order."""
    objects = _objects(path)
    pages = []
    for body in objects.values():
        if re.search(rb"/Type\s*/Page\b(?!s)", body):
            found = re.search(rb"/Contents\s*\[?((?:\s*\d+ 0 R)+)", body)
            assert found is not None
            pages.append([_inflated(objects[int(ref)]) for ref in re.findall(rb"(\d+) 0 R", found.group(1))])
    return pages


def _all_inflated(path: Path) -> bytes:
    return b"\n".join(
        _inflated(body) for body in _objects(path).values() if b"stream" in body and b"/Image" not in body
    )


def _drawn_spaces(path: Path) -> int:
    """Space characters that come from a glyph in the file (pdfium generates the others)."""
    count = 0
    for page in pypdfium2.PdfDocument(path):
        text = page.get_textpage()
        for index in range(text.count_chars()):
            if text.get_text_range(index, 1) == " " and not pdfium_raw.FPDFText_IsGenerated(text.raw, index):
                count += 1
    return count


def _shown(content: bytes) -> list[list[bytes]]:
    """The six ``Tm`` operands of every ``Tj`` / ``TJ`` in a raw content stream, in drawing order."""
    found = re.findall(rb"((?:[\d.-]+ ){6})Tm\s+(?:\(.*?\) Tj|\[.*?\] TJ)", content, re.S)
    return [operands.split() for operands in found]


def _write(name: str, tmp_path: Path) -> Path:
    path = tmp_path / f"{name}.pdf"
    WRITERS[name](path)
    return path


def test_golden1_draws_every_glyph_alone_and_fakes_bold(tmp_path: Path) -> None:
    path = _write("golden1_crystal", tmp_path)
    content = b"\n".join(s for page in _page_streams(path) for s in page)
    strings = re.findall(rb"\((\\.|[^)])\) Tj", content)
    assert len(strings) == content.count(b" Tj") > 1000  # one glyph per Tj
    assert _drawn_spaces(path) == 0
    places = re.findall(rb"/F1 8 Tf 1 0 0 1 ([\d.]+) ([\d.]+) Tm\s+(\(.*?\)) Tj", content)
    drawn = {(float(x), float(y), glyph) for x, y, glyph in places}
    assert any((round(x + 0.3, 2), y, glyph) in drawn for x, y, glyph in drawn)  # the same glyph 0.3 pt right


def test_gls_uses_tj_arrays_with_kerning_and_word_gaps_and_sizes_in_the_matrix(tmp_path: Path) -> None:
    path = _write("gls_pdftex", tmp_path)
    content = b"\n".join(s for page in _page_streams(path) for s in page)
    assert re.search(rb"\) -333 \(", content)  # a word gap made by a number
    assert re.search(rb"\) [1-9]\d* \(", content)  # a kerning number inside a word
    assert b"/F1 1 Tf 8 0 0 8 " in content and b" Tj" not in content
    assert _drawn_spaces(path) == 0


def _rows_straddle_cuts(path: Path, streams: int) -> None:
    """Every page's content is in ``streams`` streams, and at each cut a row's text (a baseline)
    is on both sides: before the cut and in the very next stream."""
    for page in _page_streams(path):
        assert len(page) == streams
        for cut in range(1, streams):
            before = {operands[5] for stream in page[:cut] for operands in _shown(stream)}
            after = {operands[5] for operands in _shown(page[cut])}
            assert before & after


def test_axis_is_drawn_column_by_column_in_three_streams(tmp_path: Path) -> None:
    path = _write("axis_bi_publisher", tmp_path)
    _rows_straddle_cuts(path, 3)
    first_page = b"\n".join(_page_streams(path)[0])
    last_date = max(m.end() for m in re.finditer(rb"\(\d\d-04-2024\) Tj", first_page))
    assert last_date < first_page.index(b"(UPI/P2M/409112345678/SWIGGY/YESB/Payment) Tj")


def test_santander_draws_its_table_in_a_scaled_form_with_condensed_amounts(tmp_path: Path) -> None:
    path = _write("santander_cl_jasper", tmp_path)
    assert b"/Subtype /Form" in path.read_bytes()
    assert all(b"0.9 0 0 0.9 30 42 cm /Tbl Do" in b"".join(page) for page in _page_streams(path))
    assert b"85 Tz" in _all_inflated(path)


def test_metro_is_a_landscape_page_stored_portrait_with_odd_boxes(tmp_path: Path) -> None:
    path = _write("metro_landscape", tmp_path)
    raw = path.read_bytes()
    assert raw.count(b"/Rotate 90") == 2
    assert b"/MediaBox [-18 -24 577.28 817.89] /CropBox [-6 -12 565.28 805.89]" in raw
    assert all(b"0 1 -1 0 595.28 0 cm" in page[0] for page in _page_streams(path))
    assert pypdfium2.PdfDocument(path)[0].get_size()[0] > pypdfium2.PdfDocument(path)[0].get_size()[1]


def test_bendigo_is_a_scan_under_an_invisible_stretched_cid_text_layer(tmp_path: Path) -> None:
    path = _write("bendigo_ocr", tmp_path)
    raw = path.read_bytes()
    assert b"/Subtype /Image" in raw and b"/Identity-H" in raw and b"/ToUnicode" in raw
    content = b"\n".join(s for page in _page_streams(path) for s in page)
    assert content.count(b" 3 Tr ") > 100 and re.search(rb"BT (?!100\.00)\d+\.\d+ Tz ET", content)
    assert _drawn_spaces(path) == 0
    assert "Opening Balance" in pypdfium2.PdfDocument(path)[0].get_textpage().get_text_range()


def test_bunq_draws_words_in_a_cid_font_with_letter_spaced_headings(tmp_path: Path) -> None:
    path = _write("bunq_chrome", tmp_path)
    assert b"/Identity-H" in path.read_bytes()
    assert b"BT 1.20 Tc ET" in b"".join(_page_streams(path)[0])
    assert _drawn_spaces(path) == 0


def test_handelsbanken_justifies_spaces_amounts_and_splits_rows_across_streams(tmp_path: Path) -> None:
    path = _write("handelsbanken_itext", tmp_path)
    _rows_straddle_cuts(path, 2)
    content = _all_inflated(path)
    assert re.search(rb"\b(?!0 )\d+(\.\d+)? Tw", content) and b"0.4 Tc" in content


def test_ocbc_draws_rows_bottom_up_in_tj_arrays_inside_a_crop_box(tmp_path: Path) -> None:
    path = _write("ocbc_oracle", tmp_path)
    assert b"/CropBox [20 20 575.28 821.89]" in path.read_bytes()
    first_page = b"\n".join(_page_streams(path)[0])
    assert re.search(rb"\) -333 \(", first_page) and b" Tj" not in first_page
    assert first_page.index(b"[(NETS)] TJ") > first_page.index(b"[(FAST) -333 (PAYMENT)] TJ")
    assert _drawn_spaces(path) == 0


def test_citizens_pages_are_forms_of_single_glyphs_sized_by_the_matrix(tmp_path: Path) -> None:
    path = _write("citizens_ghostscript", tmp_path)
    pages = _page_streams(path)
    assert all(page == [b"q 1 0 0 1 0 0 cm\nq 0.96 0 0 0.96 12.24 15.84 cm /Pg Do Q\nQ"] for page in pages)
    forms = _all_inflated(path)
    assert b"/F1 1 Tf 8 0 0 8 " in forms
    assert len(re.findall(rb"\((\\.|[^)])\) Tj", forms)) == forms.count(b" Tj")
    assert _drawn_spaces(path) == 0
