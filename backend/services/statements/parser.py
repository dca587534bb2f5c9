"""Parsing a bank or card statement PDF: the entry point used by the Celery task."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from ..errors import InvalidInputError
from .assemble import assemble
from .layout import EXTRACT_WORDS_OPTIONS, group_lines, words_from_pdfplumber
from .models import ParsedStatement
from .rows import TableReader

ProgressCallback = Callable[[int, int], None]

_ENCRYPTED = "The PDF is password-protected; please upload an unprotected copy."
_UNREADABLE = "The file could not be read as a PDF (it may be corrupt or not a PDF)."
_NO_TEXT = "The PDF contains no text (scanned image?); OCR is not supported."


def _is_password_error(error: BaseException) -> bool:
    """Whether ``error``, or the pdfminer error it wraps, says the PDF needs a password."""
    wrapped = error.args[0] if isinstance(error, PdfminerException) and error.args else error
    return isinstance(wrapped, (PDFPasswordIncorrect, PDFEncryptionError))


@contextmanager
def _pdf_errors() -> Iterator[None]:
    """Turn whatever pdfminer / pdfplumber raise for a bad PDF into :class:`InvalidInputError`."""
    try:
        yield
    except (InvalidInputError, FileNotFoundError, IsADirectoryError, PermissionError):
        raise  # a missing file is the caller's problem, not a bad PDF
    except Exception as error:  # pdfminer raises many unrelated types (PSEOF, KeyError...)
        raise InvalidInputError(_ENCRYPTED if _is_password_error(error) else _UNREADABLE) from error


def parse_statement(path: str | Path, on_page: ProgressCallback | None = None) -> ParsedStatement:
    """Parse the statement PDF at ``path``.

    Each page's words are extracted once (``extract_words``), read, and the page closed;
    ``on_page(pages_done, page_count)`` is called after each page.

    Raises:
        InvalidInputError: the PDF is encrypted, corrupt, has no text (scanned), or has no
            transaction table. Its message is safe to show to the user.
    """
    reader = TableReader()
    saw_text = False
    with _pdf_errors():
        pdf = pdfplumber.open(path)
    with pdf:
        with _pdf_errors():
            page_count = len(pdf.pages)
        for index in range(page_count):
            with _pdf_errors():
                page = pdf.pages[index]
                words = words_from_pdfplumber(page.extract_words(**EXTRACT_WORDS_OPTIONS))
                page.close()  # drops the page's cached objects: memory stays flat
            saw_text = saw_text or bool(words)
            reader.read_page(index, group_lines(words))
            if on_page is not None:
                on_page(index + 1, page_count)
    if not saw_text:
        raise InvalidInputError(_NO_TEXT)
    return assemble(reader, page_count)
