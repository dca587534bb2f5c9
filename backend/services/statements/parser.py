"""Parsing a bank or card statement PDF: the entry point used by the Celery task."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..document_text.layout import read_page_lines
from .assemble import assemble
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
    for index, page_count, lines in read_page_lines(path):
        reader.read_page(index, lines)
        if on_page is not None:
            on_page(index + 1, page_count)
    return assemble(reader, page_count)
