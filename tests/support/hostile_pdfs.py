"""Hostile PDFs for the tests: decompression bombs, written object by object.

Each builder returns the bytes of a small, valid PDF whose streams inflate far beyond
their stored size: ``deflate_bomb`` compresses whitespace at ~1000:1, so a 200 KB file
holds 200 MB. The bombs are compressed chunk by chunk, so building one costs no more
memory than its compressed size.
"""

from __future__ import annotations

import struct
import zlib

MB = 1024 * 1024
TEXT = b"BT /F1 12 Tf 72 720 Td (Statement of account) Tj ET\n"
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def deflate_bomb(inflated_bytes: int, prefix: bytes = b"", filler: bytes = b" ") -> bytes:
    """zlib data that inflates to ``prefix`` followed by ``filler`` up to ``inflated_bytes``."""
    compressor = zlib.compressobj(9)
    parts = [compressor.compress(prefix)]
    block = filler * (MB // len(filler))
    remaining = inflated_bytes - len(prefix)
    while remaining > 0:
        piece = block[: min(len(block), remaining)]
        parts.append(compressor.compress(piece))
        remaining -= len(piece)
    parts.append(compressor.flush())
    return b"".join(parts)


def stream(data: bytes, entries: bytes = b"/Filter /FlateDecode") -> bytes:
    """A stream object's body: its dictionary (with /Length) and data."""
    return b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(data), entries, data)


def assemble(objects: list[bytes]) -> bytes:
    """A PDF with a classic cross-reference table; object 1 is the catalog."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref_at)
    return bytes(out)


def pages_pdf(contents: list[bytes]) -> bytes:
    """A PDF with one page per stream body in ``contents`` (objects 1-3 fixed, pages after)."""
    first_page = 4
    kids = b" ".join(b"%d 0 R" % (first_page + 2 * index) for index in range(len(contents)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(contents)),
        FONT,
    ]
    for index, content in enumerate(contents):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (first_page + 2 * index + 1)
        )
        objects.append(content)
    return assemble(objects)


def content_bomb_pdf(inflated_bytes: int = 200 * MB) -> bytes:
    """One page of text whose content stream inflates to ``inflated_bytes`` (200 KB → 200 MB)."""
    return pages_pdf([stream(deflate_bomb(inflated_bytes, prefix=TEXT))])


def many_pages_pdf(pages: int, inflated_bytes_per_page: int) -> bytes:
    """``pages`` pages of text, each content stream inflating to ``inflated_bytes_per_page``."""
    return pages_pdf([stream(deflate_bomb(inflated_bytes_per_page, prefix=TEXT))] * pages)


def double_deflate_bomb_pdf(inflated_bytes: int = 1024 * MB) -> bytes:
    """A bomb compressed twice (/Filter [/FlateDecode /FlateDecode]): 1 GB in a few KB."""
    data = zlib.compress(deflate_bomb(inflated_bytes, prefix=TEXT), 9)
    return pages_pdf([stream(data, b"/Filter [/FlateDecode /FlateDecode]")])


def hidden_length_bomb_pdf(inflated_bytes: int = 200 * MB) -> bytes:
    """A content bomb whose data holds the word ``endstream`` long before its real end.

    The zlib data starts with a stored (uncompressed) block carrying the word, then
    continues with ordinary deflate blocks; the stream's true extent is only in its
    indirect /Length, which pdfminer follows. A scanner that stops at the first
    ``endstream`` would see a few harmless bytes.
    """
    decoy = TEXT + b"% endstream\n"
    stored = zlib.compressobj(0)
    data = [stored.compress(decoy), stored.flush(zlib.Z_FULL_FLUSH)]  # header + stored block
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw blocks continue the same stream
    checksum = zlib.adler32(decoy)
    filler = b" " * MB
    for _ in range(inflated_bytes // MB):
        data.append(deflate.compress(filler))
        checksum = zlib.adler32(filler, checksum)
    data += [deflate.flush(), struct.pack(">I", checksum)]
    content = b"".join(data)
    return assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        FONT,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>",
        b"<< /Length 6 0 R /Filter /FlateDecode >>\nstream\n%s\nendstream" % content,
        b"%d" % len(content),
    ])


def split_page_pdf(streams: int, inflated_bytes_each: int) -> bytes:
    """One page whose /Contents is ``streams`` streams, each inflating to ``inflated_bytes_each``:
    every stream small enough on its own, the page as a whole not."""
    parts = [stream(deflate_bomb(inflated_bytes_each, prefix=TEXT))] * streams
    first_part = 5
    refs = b" ".join(b"%d 0 R" % (first_part + index) for index in range(streams))
    return assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        FONT,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 3 0 R >> >> /Contents [%s] >>" % refs,
        *parts,
    ])


def encrypted_dense_pdf(path, lines: int) -> None:
    """An RC4-encrypted PDF (empty user password, as many banks send them) with one page
    drawing ``lines`` lines of text: ~40 bytes of content stream each once decrypted."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font("Helvetica", size=8)
    for line in range(lines):
        pdf.text(10, 10 + line % 270, f"Line {line} of a dense page")
    pdf.set_encryption(owner_password="owner-secret", user_password="")
    pdf.output(str(path))


def statement_with_descriptions(
    descriptions: list[str],
    dates: list[str] | None = None,
    period: str = "01/03/2024 to 31/03/2024",
    opening: float = 1000.0,
) -> bytes:
    """A one-page statement (DejaVu Sans, so any character it has a glyph for is drawn with
    its text) whose transactions carry ``descriptions`` as printed: the hostile ones hold
    what a text layer can hand the parser, a NUL or a character outside the BMP. ``dates``
    (DD/MM/YYYY) are printed instead of 02/03/2024, 03/03/2024..."""
    from fpdf import FPDF

    from tests.support.statement_pdfs import _add_unicode_font

    pdf = FPDF()
    pdf.add_page()
    _add_unicode_font(pdf)
    pdf.set_font("DejaVu", size=16)
    pdf.text(20, 20, "Northgate Bank plc")
    pdf.set_font("DejaVu", size=10)
    pdf.text(20, 30, f"Statement period {period}")
    y, balance = 50, opening
    for x, heading in [(20, "Date"), (50, "Description"), (140, "Amount"), (170, "Balance")]:
        pdf.text(x, y, heading)
    y += 8
    pdf.text(50, y, "Opening balance")
    pdf.text(170, y, f"{balance:.2f}")
    for number, description in enumerate(descriptions, start=1):
        y, amount = y + 7, -1.25 * number
        balance += amount
        pdf.text(20, y, dates[number - 1] if dates else f"{number + 1:02d}/03/2024")
        pdf.text(50, y, description)
        pdf.text(140, y, f"{amount:.2f}")
        pdf.text(170, y, f"{balance:.2f}")
    pdf.text(50, y + 7, "Closing balance")
    pdf.text(170, y + 7, f"{balance:.2f}")
    return bytes(pdf.output())
