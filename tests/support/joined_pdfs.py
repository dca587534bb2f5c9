"""PDFs joined page after page into one, as a user's "all my statements" upload, an accountant's
client pack or a bank's combined statement of two accounts prints several statements."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

Truth = TypeVar("Truth")


def join_pdfs(path: Path, sources: Sequence[Path]) -> None:
    """Write to ``path`` every page of ``sources``, in order (PDFium's page import: each page
    keeps its own fonts and drawing, as a PDF tool's merge does)."""
    import pypdfium2  # the PDF joiner; the statements are drawn by fpdf2 as always

    joined = pypdfium2.PdfDocument.new()
    try:
        for source_path in sources:
            source = pypdfium2.PdfDocument(source_path)
            try:
                joined.import_pages(source)
            finally:
                source.close()
        joined.save(str(path))
    finally:
        joined.close()


def write_joined(path: Path, writers: Sequence[Callable[[Path], Truth]]) -> list[Truth]:
    """Draw each writer's document on its own, join them into ``path`` in order, and return each
    one's truth (the drawn parts are removed)."""
    parts = [Path(path).with_name(f"{Path(path).stem}.part{index}.pdf") for index in range(len(writers))]
    truths = [write(part) for write, part in zip(writers, parts, strict=True)]
    join_pdfs(Path(path), parts)
    for part in parts:
        part.unlink()
    return truths
