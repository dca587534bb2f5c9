"""Refusing PDF decompression bombs before a PDF library inflates them.

pdfminer (under pdfplumber) inflates every stream it touches in one call, with no
limit: a 200 KB upload whose streams expand to 200 MB costs 200 MB of worker memory,
and a 20 MB one (the upload limit) could ask for 20 GB. So before pdfplumber opens a
file, ``check_decompressed_size`` walks the raw bytes of every stream (content
streams, fonts, forms, object and cross-reference streams alike) through the
stream's own filters, counting the output in small chunks and throwing it away, and
refuses the file as soon as one stream passes the per-page budget or all of them
together pass the per-document budget. Memory stays at one chunk; time is bounded
by the budgets.

Image streams count at their stored size: text extraction never decodes them, and a
real statement's images do inflate (a 0.3 MB sample holds a 20 MB bitmap). The scan
reads dictionaries from raw bytes, so where it can it does not let them lower a count:
data that looks like zlib is inflated even when the dictionary names no such filter,
and the longer of two candidate extents is taken.
Once pdfplumber has opened the file, ``check_page_budgets`` counts again, page by page,
through pdfminer's own view of the document: the streams each page draws from (its
contents, forms, fonts), decrypted with the document's key, summed per page. That
catches what the raw scan cannot see: encrypted streams, and a page split into many
streams that are each small enough. What neither sees (a stream disguised as an
image, a bomb in an encrypted object stream) is left to the worker's memory limit
(WORKER_MEMORY_LIMIT_MB), which ends such a task FAILED as well.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from pdfminer.ascii85 import ascii85decode, asciihexdecode
from pdfminer.lzw import LZWDecoder
from pdfminer.pdfpage import PDFPage
from pdfminer.pdftypes import PDFStream, resolve1
from pdfminer.psparser import PSLiteral

from backend.services.errors import InvalidInputError

MB = 1024 * 1024
CHUNK_BYTES = 256 * 1024

OUT_OF_MEMORY = (
    "The PDF needs more memory to read than a worker may use; it is too large or "
    "too complex to process (is it a decompression bomb?)."
)

# "stream" + end of line starts a stream's data; "endstream" is not a start.
_STREAM_START = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
_OBJECT_START = re.compile(rb"\d+\s+\d+\s+obj\b")
_LENGTH = re.compile(rb"/Length\s+(\d+)(\s+(\d+)\s+R)?")
_FILTER_NAME = re.compile(rb"/(FlateDecode|Fl|LZWDecode|LZW|RunLengthDecode|RL|ASCIIHexDecode|AHx"
                          rb"|ASCII85Decode|A85|DCTDecode|DCT|JPXDecode|JBIG2Decode|CCITTFaxDecode"
                          rb"|CCF|Crypt)\b")
_FILTER_ENTRY = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9]+)")
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
# An integer object: what an indirect /Length points to.
_INTEGER_OBJECT = re.compile(rb"(\d+)\s+(\d+)\s+obj\s*(\d+)\s*endobj")
# How far back from "stream" to look for the stream's dictionary (a longer dictionary
# only loses its filters, and zlib data is inflated anyway).
_DICTIONARY_WINDOW = 4 * 1024
FLATE = b"FlateDecode"


@dataclass(frozen=True)
class DecompressionLimits:
    """How many bytes a PDF's streams may decode to: one page's worth, and in all."""

    max_page_bytes: int
    max_document_bytes: int

    @classmethod
    def from_settings(cls) -> DecompressionLimits:
        from backend.config import get_settings

        settings = get_settings()
        return cls(
            max_page_bytes=settings.pdf_max_page_decompressed_mb * MB,
            max_document_bytes=settings.pdf_max_document_decompressed_mb * MB,
        )


class PdfTooLarge(InvalidInputError):
    """The PDF expands past a decompression budget: refused, never retried."""

    def __init__(self, limit_bytes: int, scope: str) -> None:
        super().__init__(
            f"The PDF expands to more than {limit_bytes // MB} MB {scope} when decompressed "
            f"(is it a decompression bomb?); it was not processed."
        )


class _OverBudget(Exception):
    pass


def _inflate(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """FlateDecode, a chunk at a time; stops quietly at corrupt data, as pdfminer does."""
    inflater = zlib.decompressobj()
    try:
        for chunk in chunks:
            pending = chunk
            while pending and not inflater.eof:
                out = inflater.decompress(pending, CHUNK_BYTES)
                pending = inflater.unconsumed_tail
                if out:
                    yield out
            if inflater.eof:
                return
    except zlib.error:
        return


def _joined(chunks: Iterator[bytes], cap: int) -> bytes:
    """All of ``chunks`` as one bytes object; _OverBudget past ``cap`` bytes."""
    parts, size = [], 0
    for chunk in chunks:
        size += len(chunk)
        if size > cap:
            raise _OverBudget()
        parts.append(chunk)
    return b"".join(parts)


def _run_length(data: bytes) -> Iterator[bytes]:
    """RunLengthDecode (PDF 32000-1, 7.4.5), a run at a time."""
    index = 0
    while index < len(data):
        length = data[index]
        if length == 128:
            return
        if length < 128:
            yield data[index + 1 : index + 2 + length]
            index += length + 2
        else:
            yield data[index + 1 : index + 2] * (257 - length)
            index += 2


def _decoded(raw: bytes, filters: list[bytes], budget: int) -> Iterator[bytes]:
    """The stream's decoded bytes as chunks, filter after filter.

    Filters whose output is never larger than their input (ASCII hex and 85) read their
    whole input; an input past twice the budget could only decode past it anyway.
    Filters that text extraction never applies (images) pass the data through.
    """
    chunks: Iterator[bytes] = iter([raw])
    for name in filters:
        if name in (FLATE, b"Fl"):
            chunks = _inflate(chunks)
        elif name in (b"LZWDecode", b"LZW"):
            chunks = LZWDecoder(BytesIO(_joined(chunks, 2 * budget))).run()
        elif name in (b"RunLengthDecode", b"RL"):
            chunks = _run_length(_joined(chunks, 2 * budget))
        elif name in (b"ASCIIHexDecode", b"AHx"):
            chunks = iter([asciihexdecode(_joined(chunks, 2 * budget))])
        elif name in (b"ASCII85Decode", b"A85"):
            chunks = iter([ascii85decode(_joined(chunks, 2 * budget))])
    return chunks


def decoded_size(raw: bytes, filters: list[bytes], budget: int) -> int:
    """How many bytes ``raw`` decodes to through ``filters``, counting to ``budget`` at most.

    Returns a number above ``budget`` as soon as the output passes it, without
    holding more than a chunk of the output at any time.
    """
    size = 0
    try:
        for chunk in _decoded(raw, filters, budget):
            size += len(chunk)
            if size > budget:
                return size
    except _OverBudget:
        return budget + 1
    return size


def _looks_like_zlib(data: bytes) -> bool:
    """Whether ``data`` starts with a zlib header (RFC 1950: deflate, checksum of 31)."""
    return len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0


@dataclass(frozen=True)
class RawStream:
    """A stream found in a PDF's bytes: its data and what its dictionary says about it."""

    data: bytes
    filters: list[bytes]
    is_image: bool

    def decoded_size(self, budget: int) -> int:
        """Bytes the stream costs a text reader (see ``decoded_size``); zlib data is
        inflated whatever the dictionary says, images count as stored."""
        if self.is_image:
            return len(self.data)
        size = decoded_size(self.data, self.filters, budget)
        if size <= budget and self.filters != [FLATE] and _looks_like_zlib(self.data):
            size = max(size, decoded_size(self.data, [FLATE], budget))
        return size


def _integer_objects(pdf: bytes) -> dict[tuple[int, int], int]:
    return {(int(m[1]), int(m[2])): int(m[3]) for m in _INTEGER_OBJECT.finditer(pdf)}


def raw_streams(pdf: bytes) -> Iterator[RawStream]:
    """Every stream in the bytes of a PDF, found the way a forgiving reader finds them.

    The data runs from the end of line after ``stream`` up to the ``endstream`` that
    follows its declared /Length (or the first one, without a usable /Length); when
    the two disagree the longer extent is taken, since a reader may use either.
    """
    lengths: dict[tuple[int, int], int] | None = None
    for match in _STREAM_START.finditer(pdf):
        start = match.end()
        window = pdf[max(0, match.start() - _DICTIONARY_WINDOW) : match.start()]
        headers = list(_OBJECT_START.finditer(window))
        dictionary = window[headers[-1].end() :] if headers else window
        declared = None
        if length := _LENGTH.search(dictionary):
            if length[2]:  # an indirect /Length: look up the integer object it names
                lengths = _integer_objects(pdf) if lengths is None else lengths
                declared = lengths.get((int(length[1]), int(length[3])))
            else:
                declared = int(length[1])
        end = pdf.find(b"endstream", start + min(declared or 0, len(pdf)))
        filters: list[bytes] = []
        if entry := _FILTER_ENTRY.search(dictionary):
            filters = _FILTER_NAME.findall(entry[1])
        yield RawStream(
            data=pdf[start : end if end >= 0 else len(pdf)],
            filters=filters,
            is_image=bool(_IMAGE.search(dictionary)),
        )


def check_decompressed_size(path: str | Path, limits: DecompressionLimits | None = None) -> None:
    """Raise PdfTooLarge when a stream of the PDF at ``path`` decodes past the limits."""
    limits = limits or DecompressionLimits.from_settings()
    pdf = Path(path).read_bytes()  # at most MAX_UPLOAD_MB
    total = 0
    for stream in raw_streams(pdf):
        size = stream.decoded_size(min(limits.max_page_bytes, limits.max_document_bytes - total))
        if size > limits.max_page_bytes:
            raise PdfTooLarge(limits.max_page_bytes, "per page")
        total += size
        if total > limits.max_document_bytes:
            raise PdfTooLarge(limits.max_document_bytes, "in all")


def _as_dict(value: Any) -> dict:
    value = resolve1(value)
    return value if isinstance(value, dict) else {}


def _as_list(value: Any) -> list:
    value = resolve1(value)
    return value if isinstance(value, list) else []


def _name(value: Any) -> str | None:
    value = resolve1(value)
    if not isinstance(value, PSLiteral):
        return None
    return value.name if isinstance(value.name, str) else value.name.decode("latin-1")


def _page_streams(page: PDFPage) -> Iterator[PDFStream]:
    """The streams a text reader may decode to read ``page``: its contents, the forms it
    draws and their resources, its fonts' programs, ToUnicode maps and glyph procedures.

    Images are left out (never decoded for text). Anything malformed is skipped here;
    pdfminer reports it when it reads the page.
    """
    pending: list[Any] = list(page.contents)
    resources: list[Any] = [page.resources]
    expanded: set[int] = set()
    while pending or resources:
        if pending:
            stream = resolve1(pending.pop())
            if isinstance(stream, PDFStream):
                yield stream
            continue
        resource = _as_dict(resources.pop())
        if id(resource) in expanded:
            continue
        expanded.add(id(resource))
        for xobject in _as_dict(resource.get("XObject")).values():
            form = resolve1(xobject)
            if isinstance(form, PDFStream) and _name(form.get("Subtype")) != "Image":
                pending.append(form)
                resources.append(form.get("Resources"))
        for font_ref in _as_dict(resource.get("Font")).values():
            font = _as_dict(font_ref)
            for part in (font, *map(_as_dict, _as_list(font.get("DescendantFonts")))):
                descriptor = _as_dict(part.get("FontDescriptor"))
                pending += [part.get("ToUnicode"), *_as_dict(part.get("CharProcs")).values()]
                pending += [descriptor.get(key) for key in ("FontFile", "FontFile2", "FontFile3")]
                resources.append(part.get("Resources"))


def _stream_decoded_size(stream: PDFStream, budget: int) -> int:
    """What ``stream`` decodes to (up to ``budget``), decrypted as pdfminer would."""
    if stream.rawdata is None:  # pdfminer has decoded it already
        return len(stream.data or b"")
    data = stream.rawdata
    if stream.decipher is not None and stream.objid is not None and stream.genno is not None:
        data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
    names = [name.encode() for name in (_name(f) for f, _ in stream.get_filters()) if name]
    return decoded_size(data, names, budget)


def check_page_budgets(pages: Iterable[PDFPage], limits: DecompressionLimits | None = None) -> int:
    """Raise PdfTooLarge when one page's streams, or all pages' together, decode past the limits.

    A stream shared by many pages (a font) counts on each page, and once for the document.
    Returns what the document's streams decode to in all (each stream once).
    """
    limits = limits or DecompressionLimits.from_settings()
    sizes: dict[int, int] = {}  # per stream, for the whole document
    document_total = 0
    for page in pages:
        on_page: set[int] = set()
        page_total = 0
        for stream in _page_streams(page):
            key = stream.objid if stream.objid is not None else id(stream)
            if key in on_page:
                continue
            on_page.add(key)
            if key not in sizes:
                sizes[key] = _stream_decoded_size(stream, limits.max_page_bytes - page_total)
                document_total += sizes[key]
            page_total += sizes[key]
            if page_total > limits.max_page_bytes:
                raise PdfTooLarge(limits.max_page_bytes, "per page")
            if document_total > limits.max_document_bytes:
                raise PdfTooLarge(limits.max_document_bytes, "in all")
    return document_total
