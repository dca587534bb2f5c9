"""Parsing a bank or card statement PDF: the entry point used by the Celery task."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from ..document_text.layout import Line, read_page_lines
from ..pdf_words import TextLayer
from .bundle import read_statements
from .hints import parser_hints
from .models import ParsedStatement

ProgressCallback = Callable[[int, int], None]


def parse_statement(
    path: str | Path,
    on_page: ProgressCallback | None = None,
    *,
    date_order: str | None = None,
    decimal: str | None = None,
    layer: TextLayer = "pdfium",
) -> ParsedStatement:
    """Parse the statement PDF at ``path``.

    Each page's words are extracted once (by PDFium where it matches pdfplumber's
    ``extract_words``, or by pdfplumber: ``layer``, see ``pdf_words``), read, and the page closed;
    ``on_page(pages_done, page_count)`` is called after each page. ``date_order``
    (``DMY``/``MDY``/``YMD``) and ``decimal`` (``.``/``,``) override the parser's guesses for
    the rare document that does not show them; the result's ``warnings`` say what was guessed.

    Raises:
        InvalidInputError: a hint outside those values, or the PDF is encrypted, corrupt,
            has no text (scanned), or has no transaction table. Its message is safe to show
            to the user.
    """
    hints = parser_hints(date_order, decimal)

    def pages() -> Iterator[list[Line]]:
        for index, page_count, lines in read_page_lines(path, layer):
            yield lines
            if on_page is not None:
                on_page(index + 1, page_count)

    return read_statements(pages(), hints)
