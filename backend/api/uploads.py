"""PDF uploads read straight off the request stream, so limits hold before the body is in.

Starlette's form parsing would spool the whole file before the endpoint could look
at it; here every chunk goes through ``IncomingPdf`` as it arrives, which stops at
the size limit (413) and at the first kilobyte that is not a PDF (415). Everything
else in the body (boundaries, part headers, other parts) counts against a small
allowance of its own, so a flood of parts or huge part headers is refused (413) while
it streams in instead of being parsed for as long as the client keeps sending. A body
that ends before its closing boundary is refused (422): its last file is cut short.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fastapi import HTTPException, Request, status
from python_multipart.exceptions import FormParserError
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


def pdf_upload_openapi(
    fields: dict[str, dict[str, Any]] | None = None, file_field: str = FIELD_NAME, many: bool = False
) -> dict[str, Any]:
    """The OpenAPI request body of a PDF upload: ``file_field`` (repeated when ``many``),
    and the optional text ``fields``."""
    binary: dict[str, Any] = {"type": "string", "format": "binary"}
    properties: dict[str, Any] = {file_field: {"type": "array", "items": binary} if many else binary}
    properties.update(fields or {})
    return {
        PDF_UPLOAD_MARKER: True,
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {"type": "object", "required": [file_field], "properties": properties}
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


def _other_parts_too_large(file_field: str) -> str:
    return (
        f"The parts of the upload other than '{file_field}' are larger than "
        f"{MULTIPART_OVERHEAD_BYTES // 1024} KB; send only the PDF"
    )


OTHER_PARTS_TOO_LARGE = _other_parts_too_large(FIELD_NAME)
CUT_OFF = (
    "The multipart body ends before its closing boundary: the upload was cut off; "
    "send it again"
)
NOT_A_PDF = "The file is not a PDF (its content has no %PDF- header)"
EMPTY_FILE = "The file is empty"
# A client's file name is only ever shown back to it, never used as a path.
MAX_FILENAME_LENGTH = 255


@dataclass(frozen=True)
class PdfUpload:
    """The stored PDF and the upload's other (small, text) form fields."""

    file: StoredFile
    fields: dict[str, str]
    # The file's name as the client sent it (no folder), for display only.
    filename: str = ""


@dataclass(frozen=True)
class ReceivedFile:
    """One file of a multi-file upload: stored, or refused with a reason its owner can read."""

    filename: str
    file: StoredFile | None
    error: str | None = None


@dataclass(frozen=True)
class PdfUploads:
    """The files of a multi-file upload, in the order sent, and its text form fields."""

    files: list[ReceivedFile]
    fields: dict[str, str]


class _IncomingFile:
    """One file part being written to disk. In a lenient upload (a batch) a file that
    breaks a rule keeps the reason and drops the rest of its bytes; otherwise the
    rule's exception ends the request."""

    def __init__(self, filename: str, incoming: IncomingPdf, lenient: bool) -> None:
        self.filename = filename
        self.incoming = incoming
        self.lenient = lenient
        self.error: str | None = None

    def write(self, data: bytes) -> None:
        if self.error is not None:
            return
        try:
            self.incoming.write(data)
        except (FileTooLarge, NotAPdf) as exc:
            if not self.lenient:
                raise
            self.error = str(exc) if isinstance(exc, FileTooLarge) else NOT_A_PDF
            self.incoming.discard()

    def store(self, owner_id: int) -> ReceivedFile:
        """Keep the file under its hash (NotAPdf for a non-PDF unless lenient)."""
        if self.error is None:
            try:
                return ReceivedFile(self.filename, self.incoming.store(owner_id))
            except NotAPdf:
                if not self.lenient:
                    raise
                self.error = EMPTY_FILE if self.incoming.size == 0 else NOT_A_PDF
        return ReceivedFile(self.filename, None, self.error)


class _Parts:
    """Walks the multipart body: each part named ``file_field`` (up to ``max_files``)
    streams into its own IncomingPdf while the parser goes, the other parts are kept as
    text values (bounded by MULTIPART_OVERHEAD_BYTES in _receive)."""

    def __init__(
        self, file_field: str, max_files: int, lenient: bool, settings: Settings
    ) -> None:
        self.file_field = file_field.encode()
        self.max_files = max_files
        self.lenient = lenient
        self.settings = settings
        self.headers: dict[bytes, bytes] = {}
        self._field = b""
        self._value = b""
        self.files: list[_IncomingFile] = []
        self.current: _IncomingFile | None = None
        self.file_bytes = 0
        self._field_name: str | None = None
        self._field_value = b""
        self.fields: dict[str, bytes] = {}
        # Text fields sent more than once: refused once the body has been read (a flood of
        # parts is a 413 first), where the last value used to win silently.
        self.repeated: list[str] = []
        # Set at the closing boundary: until then the last part may be cut short.
        self.ended = False

    def callbacks(self) -> MultipartCallbacks:
        return {
            "on_part_begin": self._begin,
            "on_header_field": lambda data, start, end: self._add("_field", data[start:end]),
            "on_header_value": lambda data, start, end: self._add("_value", data[start:end]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._data,
            "on_part_end": self._end,
            "on_end": self._body_end,
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
        self.current, self._field_name = None, None
        if name == self.file_field and len(self.files) < self.max_files:
            filename = _client_filename(options.get(b"filename"), len(self.files) + 1)
            incoming = IncomingPdf(self.settings.storage_dir, self.settings.max_upload_bytes)
            self.current = _IncomingFile(filename, incoming, self.lenient)
            self.files.append(self.current)
        elif name == self.file_field and self.lenient:
            raise _unprocessable(
                f"Too many files: one upload takes at most {self.max_files} "
                f"(MAX_BATCH_FILES); send the rest in another"
            )
        else:  # a second file in a single-file upload is refused as an unknown field
            self._field_name = name.decode("utf-8", "replace")
            self._field_value = b""
            if self._field_name in self.fields:
                self.repeated.append(self._field_name)

    def _data(self, data: bytes, start: int, end: int) -> None:
        if self.current is not None:
            self.file_bytes += end - start
            self.current.write(data[start:end])
        elif self._field_name is not None:
            self._field_value += data[start:end]

    def _end(self) -> None:
        if self._field_name is not None:
            self.fields[self._field_name] = self._field_value
        self.current, self._field_name = None, None

    def _body_end(self) -> None:
        self.ended = True

    def discard(self) -> None:
        for part in self.files:
            part.incoming.discard()  # a no-op once stored


def _client_filename(raw: bytes | None, number: int) -> str:
    """The file's name as the client sent it, without any folder, for display only."""
    name = (raw or b"").decode("utf-8", "replace").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if char.isprintable()).strip()
    return name[:MAX_FILENAME_LENGTH] or f"file-{number}"


async def receive_pdf(
    request: Request, settings: Settings, owner_id: int, fields: Collection[str] = ()
) -> PdfUpload:
    """Store the PDF sent in the multipart field ``file``, with the text ``fields`` it may
    carry beside it (others are refused); 413, 415 or 422 when it can't be."""
    try:
        files, values = await _receive(request, settings, owner_id, FIELD_NAME, 1, fields, False)
    except FileTooLarge as exc:
        raise _too_large(str(exc)) from None
    except NotAPdf:
        raise HTTPException(status.HTTP_415_UNSUPPORTED_MEDIA_TYPE, detail=NOT_A_PDF) from None
    stored = files[0].file
    if stored is None:  # unreachable: a single-file upload raises instead of keeping a reason
        raise _unprocessable(files[0].error or NOT_A_PDF)
    return PdfUpload(stored, values, files[0].filename)


async def receive_pdfs(
    request: Request,
    settings: Settings,
    owner_id: int,
    file_field: str,
    max_files: int,
    fields: Collection[str] = (),
) -> PdfUploads:
    """Store the PDFs sent in the repeated multipart field ``file_field`` (at most
    ``max_files``), with the text ``fields`` beside them. A file that is too big, empty
    or not a PDF is kept as a ReceivedFile with its reason, not refused; the request
    fails (413, 422) only for a malformed body, too many files or other bad fields."""
    files, values = await _receive(
        request, settings, owner_id, file_field, max_files, fields, True
    )
    return PdfUploads(files, values)


async def _receive(
    request: Request,
    settings: Settings,
    owner_id: int,
    file_field: str,
    max_files: int,
    fields: Collection[str],
    lenient: bool,
) -> tuple[list[ReceivedFile], dict[str, str]]:
    """The one streaming multipart reader behind receive_pdf and receive_pdfs."""
    content_type, options = parse_options_header(request.headers.get("content-type", ""))
    if content_type != b"multipart/form-data" or not options.get(b"boundary"):
        raise _unprocessable(f"Send the PDF as multipart/form-data in the field '{file_field}'")
    declared = request.headers.get("content-length", "")
    # A lenient upload reads (and drops) a file past the limit, within this total.
    most = settings.max_upload_bytes * max_files + MULTIPART_OVERHEAD_BYTES
    if declared.isdigit() and int(declared) > most:
        raise _too_large(
            str(FileTooLarge(settings.max_upload_bytes)) if max_files == 1
            else f"The upload is larger than {max_files} files of {settings.max_upload_mb} MB"
        )
    parts = _Parts(file_field, max_files, lenient, settings)
    received = 0
    try:
        # Inside the try: the constructor refuses a boundary longer than the parser takes.
        parser = MultipartParser(
            options[b"boundary"],
            parts.callbacks(),
            max_header_count=MAX_PART_HEADERS,
            max_header_size=MAX_PART_HEADER_BYTES,
        )
        async for chunk in request.stream():
            received += len(chunk)
            parser.write(chunk)
            if received - parts.file_bytes > MULTIPART_OVERHEAD_BYTES:
                raise _too_large(_other_parts_too_large(file_field))
            if received > most:
                raise _too_large(f"The upload is larger than {max_files} files of "
                                 f"{settings.max_upload_mb} MB")
        parser.finalize()
        if not parts.files:
            raise _unprocessable(f"No file in the multipart field '{file_field}'")
        # finalize() does not check that the body was complete: a client that stopped
        # mid-file would otherwise have the part it sent stored as the whole PDF.
        if not parts.ended:
            raise _unprocessable(CUT_OFF)
        if parts.repeated:
            # Two values contradict each other (date_order=DMY and date_order=MDY).
            raise _unprocessable(
                f"The form field {parts.repeated[0]!r} was sent twice; send each field once"
            )
        values = _text_fields(parts.fields, fields, file_field)
        return [part.store(owner_id) for part in parts.files], values
    except FormParserError as exc:
        # The parser's own words say which rule broke ("Maximum header count exceeded",
        # "Boundary length 300 exceeds maximum of 256").
        raise _unprocessable(f"The multipart body is malformed: {exc}") from None
    finally:
        parts.discard()


def _text_fields(
    received: dict[str, bytes], allowed: Collection[str], file_field: str = FIELD_NAME
) -> dict[str, str]:
    """The upload's form fields as text; 422 for a field the route does not take."""
    unknown = sorted(set(received) - set(allowed))
    if unknown:
        takes = ", ".join(allowed) if allowed else "none"
        raise _unprocessable(
            f"Unknown form field(s) {', '.join(map(repr, unknown))}: this upload takes "
            f"'{file_field}' and, besides it, {takes}"
        )
    try:
        return {name: value.decode() for name, value in received.items()}
    except UnicodeDecodeError:
        raise _unprocessable("Form fields must be UTF-8 text") from None
