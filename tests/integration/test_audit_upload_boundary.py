"""Audit repro: a multipart boundary longer than python-multipart's maximum (256 bytes)
answers 500 on every PDF upload route: MultipartParser() raises FormParserError in its
constructor, which backend/api/uploads.py builds outside the try that turns parse
errors into 422.

Product rule: bad input gets a 4xx with a JSON detail, never a 500.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

BODY = b"--x\r\n"


@pytest.mark.parametrize("path", ["/upload_pdf_async", "/invoices/extract_async", "/batches"])
def test_an_overlong_boundary_is_a_4xx(client, auth_headers, path):
    answering = TestClient(client.app, raise_server_exceptions=False)
    content_type = "multipart/form-data; boundary=" + "b" * 257
    response = answering.post(
        path, headers={**auth_headers, "Content-Type": content_type}, content=BODY
    )
    assert 400 <= response.status_code < 500, (response.status_code, response.text)
    assert response.json()["detail"]
