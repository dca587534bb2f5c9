"""Request bodies are limited before anything parses them (issue 6, item 10).

The memory figures come from a real uvicorn process: its peak RSS (``VmHWM``) must not
grow by much more than the limit while it refuses a 49 MB body. Before the limit, the
same body sent without a token cost 226 MB before the 401.
"""

from __future__ import annotations

import json
import select
import socket
from collections.abc import Iterable, Iterator
from pathlib import Path

import psutil
import pytest

from backend.config import get_settings
from tests.support.net import running_api

# Bodies are refused before anything reads them, let alone a database.
pytestmark = pytest.mark.backend_independent

BOMB_BYTES = 49 * 1024 * 1024
CHUNK_BYTES = 64 * 1024
# A guard, not a benchmark: the limit (1 MB) plus the noise of a Python process.
MAX_PEAK_GROWTH_BYTES = 24 * 1024 * 1024


def json_body_chunks(total: int) -> Iterator[bytes]:
    """A syntactically valid JSON document of ``total`` bytes, in chunks."""
    yield b'{"pattern": "'
    sent = len(b'{"pattern": "') + len(b'"}')
    while sent < total:
        chunk = b"x" * min(CHUNK_BYTES, total - sent)
        sent += len(chunk)
        yield chunk
    yield b'"}'


def peak_rss(pid: int) -> int:
    """The peak resident set size of ``pid`` so far, in bytes (Linux ``VmHWM``)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc/<pid>/status")


def raw_post(port: int, path: str, chunks: Iterable[bytes], content_length: int | None) -> tuple[int, dict]:
    """POST a body over a plain socket and return (status, JSON body) of the answer.

    Stops sending as soon as the server answers: a server that refuses a body early
    closes the connection, and an HTTP client library would report that as an error.
    """
    framing = (
        f"Content-Length: {content_length}" if content_length is not None
        else "Transfer-Encoding: chunked"
    )
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: application/json\r\n{framing}\r\nConnection: close\r\n\r\n"
    )
    answer = b""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(head.encode())
        for chunk in chunks:
            if select.select([sock], [], [], 0)[0]:
                break  # the server has answered
            payload = chunk if content_length is not None else b"%x\r\n%s\r\n" % (len(chunk), chunk)
            try:
                sock.sendall(payload)
            except (BrokenPipeError, ConnectionResetError):
                break
        else:
            if content_length is None:
                sock.sendall(b"0\r\n\r\n")
        try:
            while data := sock.recv(65536):
                answer += data
        except ConnectionResetError:
            pass
    head_bytes, _, body = answer.partition(b"\r\n\r\n")
    status = int(head_bytes.split(b" ", 2)[1])
    if b"transfer-encoding: chunked" in head_bytes.lower():
        size, _, rest = body.partition(b"\r\n")
        body = rest[: int(size, 16)]
    return status, json.loads(body)


@pytest.fixture(scope="module")
def api_server(database) -> Iterator[tuple[int, int]]:
    """A real uvicorn process serving the API: yields (port, pid)."""
    with running_api() as api:
        yield api.port, api.pid


@pytest.mark.parametrize("framing", ["content-length", "chunked"])
def test_a_49_mb_body_without_a_token_is_refused_without_being_held(api_server, framing):
    port, pid = api_server
    # Warm up the code paths, so the measurement sees only the body.
    raw_post(port, "/rules", [b'{"pattern": "x"}'], 16)
    before = peak_rss(pid)

    length = BOMB_BYTES if framing == "content-length" else None
    status, body = raw_post(port, "/rules", json_body_chunks(BOMB_BYTES), length)

    grown = peak_rss(pid) - before
    print(f"\n{framing}: {status}, server peak RSS grew by {grown / 2**20:.1f} MB")
    assert status == 413, body
    assert "larger than the 1 MB" in body["detail"]
    assert grown < MAX_PEAK_GROWTH_BYTES
    assert psutil.Process(pid).is_running()


def test_bodies_under_the_limit_still_work(client, auth_headers):
    rule = {"pattern": "coffee", "category": "Eating out"}
    assert client.post("/rules", json=rule, headers=auth_headers).status_code == 201


def test_an_announced_oversized_body_is_413_before_authentication(client):
    limit = get_settings().max_request_body_bytes
    response = client.post(
        "/bulk_categorize_async",
        content=b"{" + b" " * limit + b"}",
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["detail"] == "The request body is larger than the 1 MB this endpoint accepts"


def test_a_chunked_oversized_body_is_413_with_a_token(client, auth_headers):
    response = client.post(
        "/bulk_categorize_async",
        content=json_body_chunks(2 * get_settings().max_request_body_bytes),
        headers={**auth_headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert "larger than the 1 MB" in response.json()["detail"]


def _multipart(parts: list[tuple[str, bytes, str]], boundary: str = "b0undary") -> tuple[bytes, dict]:
    body = b""
    for headers, content, _ in parts:
        body += f"--{boundary}\r\n{headers}\r\n\r\n".encode() + content + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


PDF = b"%PDF-1.4\n" + b"0" * 2000
FILE_HEADERS = (
    'Content-Disposition: form-data; name="file"; filename="s.pdf"\r\nContent-Type: application/pdf'
)


def test_upload_parts_other_than_the_file_count_against_a_small_limit(client, auth_headers):
    extra = ('Content-Disposition: form-data; name="note"', b"n" * 200 * 1024, "")
    body, headers = _multipart([(FILE_HEADERS, PDF, ""), extra])
    response = client.post("/upload_pdf_async", content=body, headers={**auth_headers, **headers})
    assert response.status_code == 413
    assert "other than 'file'" in response.json()["detail"]


def test_a_flood_of_small_upload_parts_is_refused(client, auth_headers):
    flood = [('Content-Disposition: form-data; name="x"', b"", "")] * 5000
    body, headers = _multipart([*flood, (FILE_HEADERS, PDF, "")])
    response = client.post("/upload_pdf_async", content=body, headers={**auth_headers, **headers})
    assert response.status_code == 413
    assert "other than 'file'" in response.json()["detail"]


@pytest.mark.parametrize(
    "part_headers",
    [
        FILE_HEADERS + "\r\nX-Pad: " + "p" * 8000,
        FILE_HEADERS + "".join(f"\r\nX-Extra-{n}: y" for n in range(20)),
    ],
    ids=["a huge part header", "too many part headers"],
)
def test_oversized_part_headers_are_refused(client, auth_headers, part_headers):
    body, headers = _multipart([(part_headers, PDF, "")])
    response = client.post("/upload_pdf_async", content=body, headers={**auth_headers, **headers})
    assert response.status_code == 422
    assert "Maximum header" in response.json()["detail"]


@pytest.mark.parametrize("path", ["/upload_pdf_async", "/invoices/extract_async", "/batches"])
def test_a_boundary_longer_than_the_parser_takes_is_422(client, auth_headers, path):
    """python-multipart takes a boundary of at most 256 bytes (RFC 2046 allows 70): its
    constructor refused a longer one outside the handling of its parse errors, a 500."""
    body, headers = _multipart([(FILE_HEADERS, PDF, "")], boundary="b" * 257)
    response = client.post(path, content=body, headers={**auth_headers, **headers})
    assert response.status_code == 422, response.text
    assert "malformed" in response.json()["detail"]
