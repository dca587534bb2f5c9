"""Generate small invoice PDFs (fpdf2) for the invoice extraction tests."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import EncryptionMethod

_LEFT_MARGIN = 20
_TOP = 25
_LINE_HEIGHT = 7


def write_text_pdf(path: Path, lines: Sequence[str]) -> Path:
    """A one-page PDF printing ``lines`` top to bottom (Helvetica: latin-1 text only)."""
    pdf = _pdf_with_lines(lines)
    pdf.output(str(path))
    return path


def write_encrypted_pdf(path: Path, lines: Sequence[str]) -> Path:
    """Like :func:`write_text_pdf`, but it opens only with the user password "secret"."""
    pdf = _pdf_with_lines(lines)
    pdf.set_encryption(
        owner_password="owner", user_password="secret", encryption_method=EncryptionMethod.RC4
    )
    pdf.output(str(path))
    return path


def write_textless_pdf(path: Path) -> Path:
    """A valid PDF with a drawing but no text at all, like a scan without OCR."""
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")
    pdf.output(str(path))
    return path


def _pdf_with_lines(lines: Sequence[str]) -> FPDF:
    """An FPDF document with one page holding ``lines``."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for number, line in enumerate(lines):
        pdf.text(_LEFT_MARGIN, _TOP + number * _LINE_HEIGHT, line)
    return pdf
