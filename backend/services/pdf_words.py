"""Reading the words of a PDF page by page, with one user-safe error for every bad PDF.

pdfminer raises dozens of unrelated exception types on malformed files (PSEOF,
PDFSyntaxError, KeyError...). Statement parsing and invoice extraction both read
PDFs through here, so a bad upload always ends with the same clear message.

Two text layers give the same words (``extract_words(use_text_flow=True, return_chars=True)``):
PDFium's character boxes (:mod:`backend.services.pdfium_words`, ~20x faster) and pdfplumber's.
The file is always opened with pdfplumber first, because the decompression budgets
(:mod:`backend.services.pdf_limits`) are checked through pdfminer's view of it before any
library inflates a stream; then each page is read by PDFium unless

* PDFium cannot open the document (pdfplumber then reports what is wrong with it), or its
  streams decode to a quarter of the worker's memory limit or more (:func:`_pdfium_may_read`),
* the page is rotated (``/Rotate``: pdfminer turns the coordinates, PDFium's are unrotated), or
* PDFium's characters cannot surely be grouped as pdfplumber would group them
  (:class:`~backend.services.pdfium_words.NotLikePdfplumber`: a space PDFium inferred inside a
  word that no page object explains, as in text layers without space glyphs and OCR layers; a
  gap within a point of pdfplumber's 3-point tolerance, where the two libraries' glyph widths
  may disagree; a glyph without text or box),

in which case pdfplumber reads that page. Measured on the samples (docs/performance.md): every
generated layout is read by PDFium whole; of the real samples' 32 pages, 6.

Either layer's words drawn more than once over themselves (fake bold: a word drawn two or three
times a fraction of a point apart) are kept once here (:func:`_without_overprints`): PDFium's
text page drops a text object that repeats one of the five before it, pdfplumber keeps every
copy, and neither is the text. Either layer's words lose any control character (a NUL a
ToUnicode map gave a glyph) and lone surrogate here, before anything reads or stores them;
PDFium's two halves of a character past U+FFFF are joined into it (``pdfium_words``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import pdfplumber
import pypdfium2 as pdfium
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

from backend.config import get_settings
from backend.services.errors import InvalidInputError
from backend.services.pdf_limits import MB, OUT_OF_MEMORY, check_decompressed_size, check_page_budgets
from backend.services.pdfium_words import NotLikePdfplumber, UnicodeNorm, page_words

ENCRYPTED = "The PDF is password-protected; please upload an unprotected copy."
UNREADABLE = "The file could not be read as a PDF (it may be corrupt or truncated)."
NO_TEXT = "The PDF contains no text (scanned image?); OCR is not supported."

Words = list[dict[str, Any]]
# The one extract_words call both layers make. ``use_text_flow`` keeps the PDF's own drawing
# order, so a cell whose text overflows onto its neighbours is not interleaved with them
# character by character; ``return_chars`` gives each word's glyphs (the layout splits glyphs
# that overlap).
EXTRACT_WORDS_OPTIONS: dict[str, Any] = {"use_text_flow": True, "return_chars": True}
TextLayer = Literal["pdfium", "pdfplumber"]
# PDFium reads documents whose streams decode to under 1/4 of the worker's memory limit.
_PDFIUM_SHARE_OF_LIMIT = 4
# Control characters (C0, DEL, C1), which a text layer gives a glyph it has no text for
# (a ToUnicode map sending it to U+0000, say). No statement prints one, and the stores
# differ on them: PostgreSQL text refuses a NUL (the import failed as an internal error)
# where SQLite kept it, and the CSV and QIF exports then carried it. Also lone surrogates
# (a ToUnicode map giving half of a UTF-16 pair), which neither store can encode.
_UNSTORABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
# A word with an earlier one's text whose box lies within this many word heights of it, and at
# most this many points, is the same word drawn again (fake bold strokes: 0.2-0.5 pt at 8-10 pt);
# two printed words of the same text lie at least a glyph's width apart.
_OVERPRINT, _OVERPRINT_MAX = 0.15, 2.0
_CELL = 10 * _OVERPRINT_MAX  # points: earlier words are looked up in a grid of such cells



def _caused_by(error: BaseException, *kinds: type[BaseException]) -> bool:
    """Whether ``error``, or the error pdfminer or pdfplumber wrapped in it, is one of ``kinds``."""
    causes = (error, *error.args, error.__cause__)
    return any(isinstance(cause, kinds) for cause in causes)


def _user_message(error: BaseException) -> str:
    if _caused_by(error, MemoryError):  # past the worker's memory limit (WORKER_MEMORY_LIMIT_MB)
        return OUT_OF_MEMORY
    if _caused_by(error, PDFPasswordIncorrect, PDFEncryptionError):
        return ENCRYPTED
    return UNREADABLE


def _open_within_limits(path: str | Path, unicode_norm: UnicodeNorm | None) -> tuple[pdfplumber.PDF, int]:
    """Open the PDF once its streams are known to stay inside the decompression budgets.

    Returns the PDF and what its pages' streams decode to in all.
    """
    check_decompressed_size(path)  # the raw bytes, before pdfminer inflates anything
    pdf = pdfplumber.open(path, unicode_norm=unicode_norm)
    try:
        decoded = check_page_budgets(page.page_obj for page in pdf.pages)  # decrypted, page by page
    except BaseException:
        pdf.close()
        raise
    return pdf, decoded


def _pdfium_may_read(decoded_bytes: int) -> bool:
    """Whether PDFium may read a document whose streams decode to ``decoded_bytes``.

    PDFium allocates in C: past the worker's address-space limit (WORKER_MEMORY_LIMIT_MB) it
    aborts the whole process, where pdfminer raises MemoryError and the task ends FAILED with a
    message. So a document that could come near the limit (budgets raised, a bomb they let
    through) is left to pdfplumber: PDFium only reads one that decodes to under a quarter of it.
    """
    limit_mb = get_settings().worker_memory_limit_mb
    return limit_mb == 0 or decoded_bytes * _PDFIUM_SHARE_OF_LIMIT <= limit_mb * MB


@contextmanager
def _bad_pdf_is_invalid_input() -> Iterator[None]:
    try:
        yield
    except (InvalidInputError, OSError):
        raise  # a missing or unreadable file is the caller's problem, not a bad PDF
    except Exception as error:  # whatever pdfminer raised for this file, or MemoryError
        raise InvalidInputError(_user_message(error)) from error


def _open_pdfium(path: str | Path) -> pdfium.PdfDocument | None:
    """PDFium's view of a document pdfplumber has opened within the budgets (None if it refuses)."""
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        return None


def _pdfium_words(
    document: pdfium.PdfDocument, index: int, page: Any, unicode_norm: UnicodeNorm | None
) -> tuple[Words, bool] | None:
    """The page's words from PDFium and whether it draws a space glyph, or None where pdfplumber
    must read it (see the module doc)."""
    if page.rotation:
        return None
    try:
        pdfium_page = document[index]
    except pdfium.PdfiumError:
        return None
    try:
        return page_words(pdfium_page, page.height, unicode_norm)
    except (NotLikePdfplumber, pdfium.PdfiumError):
        return None
    finally:
        pdfium_page.close()


def _storable(words: Words) -> Words:
    """``words`` with no control character or lone surrogate in their text or their glyphs'
    (one left with none is dropped), whichever layer read them: the one place both layers'
    words pass."""
    if not any(_UNSTORABLE.search(word["text"]) for word in words):
        return words
    kept = []
    for word in words:
        text = _UNSTORABLE.sub("", word["text"])
        if text:
            chars = [{**char, "text": _UNSTORABLE.sub("", char["text"])} for char in word["chars"]]
            kept.append({**word, "text": text, "chars": [char for char in chars if char["text"]]})
    return kept


def _near_cells(position: float, reach: float) -> tuple[int, ...]:
    """The grid cells within ``reach`` of ``position`` on one axis: its own, or it and a neighbour."""
    cell = int(position // _CELL)
    offset = position - cell * _CELL
    if offset < reach:
        return cell - 1, cell
    return (cell, cell + 1) if offset > _CELL - reach else (cell,)


def _drawn_over(word: dict[str, Any], drawn: dict[tuple[str, int, int], list[dict[str, Any]]]) -> bool:
    """Whether ``word`` repeats one of ``drawn`` (by text and grid cell) within its reach."""
    text, x0, top = word["text"], word["x0"], word["top"]
    reach = min((word["bottom"] - top) * _OVERPRINT, _OVERPRINT_MAX)
    for column in _near_cells(x0, reach):
        for row in _near_cells(top, reach):
            for other in drawn.get((text, column, row), ()):
                if abs(x0 - other["x0"]) <= reach and abs(top - other["top"]) <= reach:
                    return True
    return False


def _without_overprints(words: Words) -> Words:
    """``words`` without those that repeat an earlier word drawn over it (fake bold), whichever
    layer read them. Per word, not per glyph: a copy drawn over a word starts left of its last
    glyph, so both layers always give it as a word of its own. Earlier words are looked up by
    text and grid cell, so a page repeating one word thousands of times costs no more than any."""
    drawn: dict[tuple[str, int, int], list[dict[str, Any]]] = {}
    kept = []
    for word in words:
        if not _drawn_over(word, drawn):
            cell = (word["text"], int(word["x0"] // _CELL), int(word["top"] // _CELL))
            drawn.setdefault(cell, []).append(word)
            kept.append(word)
    return kept


def iter_page_words(
    path: str | Path,
    unicode_norm: UnicodeNorm | None = None,
    layer: TextLayer = "pdfium",
    pages: range | None = None,
) -> Iterator[tuple[int, int, Words, bool]]:
    """Yield ``(page_index, page_count, words, draws_spaces)`` for each page of the PDF at ``path``.

    ``words`` is what pdfplumber's ``extract_words(**EXTRACT_WORDS_OPTIONS)`` returns, read by
    PDFium where it gives the same words (``layer="pdfium"``, see the module doc) or always by
    pdfplumber (``layer="pdfplumber"``); each page is closed once read, so memory stays flat
    however long the document. ``draws_spaces`` tells whether the page draws any space glyph
    (both layers agree on it): a layer that never does separates words only by distance, which
    ``document_text.layout`` then reads. Raises ``InvalidInputError`` for an encrypted or corrupt PDF,
    and (after the last page) for one without any text.

    ``pages`` reads only those pages (a part of a long statement, see
    ``services/statements/parts.py``); then whether the document has text at all is for
    the caller to decide, from every part.
    """
    saw_text = False
    with _bad_pdf_is_invalid_input():
        pdf, decoded_bytes = _open_within_limits(path, unicode_norm)
    fast = _open_pdfium(path) if layer == "pdfium" and _pdfium_may_read(decoded_bytes) else None
    try:
        with pdf:
            with _bad_pdf_is_invalid_input():
                page_count = len(pdf.pages)
            for index in range(page_count) if pages is None else pages:
                with _bad_pdf_is_invalid_input():
                    page = pdf.pages[index]
                    try:
                        read = None if fast is None else _pdfium_words(fast, index, page, unicode_norm)
                        if read is None:
                            words = page.extract_words(**EXTRACT_WORDS_OPTIONS)
                            draws_spaces = any(char["text"].isspace() for char in page.chars)
                        else:
                            words, draws_spaces = read
                    finally:
                        page.close()  # drops the page's cached objects
                words = _without_overprints(_storable(words))
                saw_text = saw_text or bool(words)
                yield index, page_count, words, draws_spaces
    finally:
        if fast is not None:
            fast.close()
    if not saw_text and pages is None:
        raise InvalidInputError(NO_TEXT)
