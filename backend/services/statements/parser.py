"""Parsing a bank or card statement PDF: the entry point used by the Celery task."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..pdf_words import iter_page_words
from .assemble import assemble
from .layout import EXTRACT_WORDS_OPTIONS, group_lines, words_from_pdfplumber
from .models import ParsedStatement
from .rows import TableReader

ProgressCallback = Callable[[int, int], None]


def parse_statement(path: str | Path, on_page: ProgressCallback | None = None) -> ParsedStatement:
    """Parse the statement PDF at ``path``.

    Each page's words are extracted once (``extract_words``), read, and the page closed;
    ``on_page(pages_done, page_count)`` is called after each page.

    Raises:
        InvalidInputError: the PDF is encrypted, corrupt, has no text (scanned), or has no
            transaction table. Its message is safe to show to the user.
    """
    reader = TableReader()
    page_count = 0
    for index, page_count, raw_words in iter_page_words(path, **EXTRACT_WORDS_OPTIONS):
        reader.read_page(index, group_lines(words_from_pdfplumber(raw_words)))
        if on_page is not None:
            on_page(index + 1, page_count)
    return assemble(reader, page_count)
