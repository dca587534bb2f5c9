"""Audit repro: a multipart body that stops in the middle of the file (no closing
boundary) is accepted with 202: python-multipart's finalize() does not check that the
body ended, and backend/api/uploads.py _receive stores whatever part of the file came,
so a task is queued on a silently truncated copy of the PDF.

Product rule: bad input gets a 4xx with a JSON detail, never a half-written row (or file).
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from backend.db import get_engine
from backend.models import TaskStatus

PDF = b"%PDF-1.4\n" + b"A" * 5000 + b"\n%%EOF\n"
PART_HEAD = b'--B\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n'


@pytest.mark.parametrize("path", ["/upload_pdf_async", "/invoices/extract_async"])
def test_a_body_cut_off_inside_the_file_is_refused(client, auth_headers, path):
    response = client.post(
        path,
        headers={**auth_headers, "Content-Type": "multipart/form-data; boundary=B"},
        content=PART_HEAD + PDF[:3000],  # no "\r\n--B--": the body ends mid-file
    )
    assert response.status_code == 422, (response.status_code, response.text)
    assert response.json()["detail"]
    with get_engine().connect() as conn:
        assert conn.scalar(select(func.count()).select_from(TaskStatus)) == 0
