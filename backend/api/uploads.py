"""PDF uploads read straight off the request stream, so limits hold before the body is in.

Starlette's form parsing would spool the whole file before the endpoint could look
at it; here every chunk goes through ``IncomingPdf`` as it arrives, which stops at
the size limit (413) and at the first kilobyte that is not a PDF (415). Everything
else in the body (boundaries, part headers, other parts) counts against a small
allowance of its own, so a flood of parts or huge part headers is refused (413) while
it streams in instead of being parsed for as long as the client keeps sending.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fastapi import HTTPException, Request, status
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from backend.config import Settings
from backend.services.storage import FileTooLarge, IncomingPdf, NotAPdf, StoredFile

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

FIELD_NAME = "file"
# Room for the multipart boundaries, part headers and any other parts around the file:
# a browser's form needs well under 1 KB.
MULTIPART_OVERHEAD_BYTES = 64 * 1024
# Per part: a browser sends 2 headers (Content-Disposition, Content-Type). python-multipart
# refuses more, or a longer header line, with a parse error (its defaults, pinned here).
MAX_PART_HEADERS = 8
MAX_PART_HEADER_BYTES = 4096 + 128

# Marks the routes that read their body with receive_pdf (main.py exempts them from the
# general body limit: they enforce MAX_UPLOAD_MB themselves).
PDF_UPLOAD_MARKER = "x-ledgerflow-pdf-upload"


def pdf_upload_openapi(fields: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """The OpenAPI request body of a PDF upload: ``file``, and the optional text ``fields``."""
    properties: dict[str, Any] = {FIELD_NAME: {"type": "string", "format": "binary"}}
    properties.update(fields or {})
    return {
        PDF_UPLOAD_MARKER: True,
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {"type": "object", "required": [FIELD_NAME], "properties": properties}
                }
            },
        },
    }


def is_pdf_upload(openapi_extra: dict[str, Any] | None) -> bool:
    return bool(openapi_extra and openapi_extra.get(PDF_UPLOAD_MARKER))


def _unprocessable(detail: str) -> HTTPException:
    return HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail=detail)


def _too_large(detail: str) -> HTTPException:
    return HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, detail=detail)


OTHER_PARTS_TOO_LARGE = (
    f"The parts of the upload other than '{FIELD_NAME}' are larger than "
    f"{MULTIPART_OVERHEAD_BYTES // 1024} KB; send only the PDF"
)


@dataclass(frozen=True)
class PdfUpload:
    """The stored PDF and the upload's other (small, text) form fields."""

    file: StoredFile
    fields: dict[str, str]


class _FilePart:
    """Collects the bytes of the ``file`` part while the parser walks the body, and the
    values of the other parts (bounded by MULTIPART_OVERHEAD_BYTES in receive_pdf)."""

    def __init__(self) -> None:
        self.headers: dict[bytes, bytes] = {}
        self._field = b""
        self._value = b""
        self.in_file = False
        self.found = False
        self.pending: list[bytes] = []
        self._field_name: str | None = None
        self._field_value = b""
        self.fields: dict[str, bytes] = {}

    def callbacks(self) -> MultipartCallbacks:
        return {
            "on_part_begin": self._begin,
            "on_header_field": lambda data, start, end: self._add("_field", data[start:end]),
            "on_header_value": lambda data, start, end: self._add("_value", data[start:end]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._data,
            "on_part_end": self._end,
        }

    def _add(self, attribute: str, data: bytes) -> None:
        setattr(self, attribute, getattr(self, attribute) + data)

    def _begin(self) -> None:
        self.headers = {}

    def _header_end(self) -> None:
        self.headers[self._field.lower()] = self._value
        self._field = self._value = b""

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self.headers.get(b"content-disposition", b""))
        name = options.get(b"name", b"")
        self.in_file = not self.found and name == FIELD_NAME.encode()
        self._field_name = None if self.in_file else name.decode("utf-8", "replace")
        self._field_value = b""

    def _data(self, data: bytes, start: int, end: int) -> None:
        if self.in_file:
            self.pending.append(data[start:end])
        elif self._field_name is not None:
            self._field_value += data[start:end]

    def _end(self) -> None:
        if self.in_file:
            self.found, self.in_file = True, False
        elif self._field_name is not None:
            self.fields[self._field_name] = self._field_value
            self._field_name = None

    def take(self) -> list[bytes]:
        chunks, self.pending = self.pending, []
        return chunks


async def receive_pdf(
    request: Request, settings: Settings, owner_id: int, fields: Collection[str] = ()
) -> PdfUpload:
    """Store the PDF sent in the multipart field ``file``, with the text ``fields`` it may
    carry beside it (others are refused); 413, 415 or 422 when it can't be."""
    content_type, options = parse_options_header(request.headers.get("content-type", ""))
    if content_type != b"multipart/form-data" or not options.get(b"boundary"):
        raise _unprocessable(f"Send the PDF as multipart/form-data in the field '{FIELD_NAME}'")
    declared = request.headers.get("content-length", "")
    limit = settings.max_upload_bytes
    if declared.isdigit() and int(declared) > limit + MULTIPART_OVERHEAD_BYTES:
        raise _too_large(str(FileTooLarge(limit)))
    part = _FilePart()
    parser = MultipartParser(
        options[b"boundary"],
        part.callbacks(),
        max_header_count=MAX_PART_HEADERS,
        max_header_size=MAX_PART_HEADER_BYTES,
    )
    incoming = IncomingPdf(settings.storage_dir, limit)
    received = 0
    try:
        async for chunk in request.stream():
            received += len(chunk)
            parser.write(chunk)
            for data in part.take():
                incoming.write(data)
            if received - incoming.size > MULTIPART_OVERHEAD_BYTES:
                raise _too_large(OTHER_PARTS_TOO_LARGE)
        parser.finalize()
        if not part.found:
            raise _unprocessable(f"No file in the multipart field '{FIELD_NAME}'")
        values = _text_fields(part.fields, fields)
        return PdfUpload(incoming.store(owner_id), values)
    except FileTooLarge as exc:
        raise _too_large(str(exc)) from None
    except NotAPdf:
        raise HTTPException(
            status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
            detail="The file is not a PDF (its content has no %PDF- header)",
        ) from None
    except MultipartParseError as exc:
        # The parser's own words say which rule broke ("Maximum header count exceeded").
        raise _unprocessable(f"The multipart body is malformed: {exc}") from None
    finally:
        incoming.discard()  # a no-op once stored


def _text_fields(received: dict[str, bytes], allowed: Collection[str]) -> dict[str, str]:
    """The upload's form fields as text; 422 for a field the route does not take."""
    unknown = sorted(set(received) - set(allowed))
    if unknown:
        takes = ", ".join(allowed) if allowed else "none"
        raise _unprocessable(
            f"Unknown form field(s) {', '.join(map(repr, unknown))}: this upload takes "
            f"'{FIELD_NAME}' and, besides it, {takes}"
        )
    try:
        return {name: value.decode() for name, value in received.items()}
    except UnicodeDecodeError:
        raise _unprocessable("Form fields must be UTF-8 text") from None
