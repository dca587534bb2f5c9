"""Reading the words of a PDF page by page, with one user-safe error for every bad PDF.

pdfminer raises dozens of unrelated exception types on malformed files (PSEOF,
PDFSyntaxError, KeyError...). Statement parsing and invoice extraction both read
PDFs through here, so a bad upload always ends with the same clear message.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

from backend.services.errors import InvalidInputError
from backend.services.pdf_limits import OUT_OF_MEMORY, check_decompressed_size, check_page_budgets

ENCRYPTED = "The PDF is password-protected; please upload an unprotected copy."
UNREADABLE = "The file could not be read as a PDF (it may be corrupt or truncated)."
NO_TEXT = "The PDF contains no text (scanned image?); OCR is not supported."

Words = list[dict[str, Any]]


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


UnicodeNorm = Literal["NFC", "NFKC", "NFD", "NFKD"]


def _open_within_limits(path: str | Path, unicode_norm: UnicodeNorm | None) -> pdfplumber.PDF:
    """Open the PDF once its streams are known to stay inside the decompression budgets."""
    check_decompressed_size(path)  # the raw bytes, before pdfminer inflates anything
    pdf = pdfplumber.open(path, unicode_norm=unicode_norm)
    try:
        check_page_budgets(page.page_obj for page in pdf.pages)  # decrypted, page by page
    except BaseException:
        pdf.close()
        raise
    return pdf


@contextmanager
def _bad_pdf_is_invalid_input() -> Iterator[None]:
    try:
        yield
    except (InvalidInputError, OSError):
        raise  # a missing or unreadable file is the caller's problem, not a bad PDF
    except Exception as error:  # whatever pdfminer raised for this file, or MemoryError
        raise InvalidInputError(_user_message(error)) from error


def iter_page_words(
    path: str | Path, unicode_norm: UnicodeNorm | None = None, **extract_options: Any
) -> Iterator[tuple[int, int, Words]]:
    """Yield ``(page_index, page_count, words)`` for each page of the PDF at ``path``.

    ``words`` is pdfplumber's ``extract_words(**extract_options)``; each page is closed
    once read, so memory stays flat however long the document. Raises
    ``InvalidInputError`` for an encrypted or corrupt PDF, and (after the last page)
    for one without any text.
    """
    saw_text = False
    with _bad_pdf_is_invalid_input():
        pdf = _open_within_limits(path, unicode_norm)
    with pdf:
        with _bad_pdf_is_invalid_input():
            page_count = len(pdf.pages)
        for index in range(page_count):
            with _bad_pdf_is_invalid_input():
                page = pdf.pages[index]
                try:
                    words = page.extract_words(**extract_options)
                finally:
                    page.close()  # drops the page's cached objects
            saw_text = saw_text or bool(words)
            yield index, page_count, words
    if not saw_text:
        raise InvalidInputError(NO_TEXT)
