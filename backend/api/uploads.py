"""PDF uploads read straight off the request stream, so limits hold before the body is in.

Starlette's form parsing would spool the whole file before the endpoint could look
at it; here every chunk goes through ``IncomingPdf`` as it arrives, which stops at
the size limit (413) and at the first kilobyte that is not a PDF (415). Everything
else in the body (boundaries, part headers, other parts) counts against a small
allowance of its own, so a flood of parts or huge part headers is refused (413) while
it streams in instead of being parsed for as long as the client keeps sending.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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

PDF_UPLOAD_OPENAPI = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": [FIELD_NAME],
                    "properties": {FIELD_NAME: {"type": "string", "format": "binary"}},
                }
            }
        },
    }
}


def _unprocessable(detail: str) -> HTTPException:
    return HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail=detail)


def _too_large(detail: str) -> HTTPException:
    return HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, detail=detail)


OTHER_PARTS_TOO_LARGE = (
    f"The parts of the upload other than '{FIELD_NAME}' are larger than "
    f"{MULTIPART_OVERHEAD_BYTES // 1024} KB; send only the PDF"
)


class _FilePart:
    """Collects the bytes of the ``file`` part while the parser walks the body."""

    def __init__(self) -> None:
        self.headers: dict[bytes, bytes] = {}
        self._field = b""
        self._value = b""
        self.in_file = False
        self.found = False
        self.pending: list[bytes] = []

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
        self.in_file = not self.found and options.get(b"name") == FIELD_NAME.encode()

    def _data(self, data: bytes, start: int, end: int) -> None:
        if self.in_file:
            self.pending.append(data[start:end])

    def _end(self) -> None:
        if self.in_file:
            self.found, self.in_file = True, False

    def take(self) -> list[bytes]:
        chunks, self.pending = self.pending, []
        return chunks


async def receive_pdf(request: Request, settings: Settings, owner_id: int) -> StoredFile:
    """Store the PDF sent in the multipart field ``file``; 413, 415 or 422 when it can't be."""
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
        return incoming.store(owner_id)
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
