"""Audit repro: the web app's static route answers 500 to a path holding a NUL
(``Path.resolve`` raises ValueError) or a file name longer than the file system takes
(``Path.is_file`` raises OSError ENAMETOOLONG) in backend/api/web.py file_response.
These routes are not in the OpenAPI schema, so tests/integration/test_fuzz_api.py never
sends them anything.

Product rule: bad input gets a 4xx with a JSON detail, never a 500.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize(
    "path",
    ["/web/a%00b.js", "/web/%00", "/web/" + "a" * 300 + ".js", "/web/" + "a" * 300 + "/x.js"],
    ids=["nul", "bare-nul", "long-name", "long-folder"],
)
def test_an_odd_static_path_is_404(client, path):
    answering = TestClient(client.app, raise_server_exceptions=False)
    response = answering.get(path)
    assert response.status_code == 404, (response.status_code, response.text)
    assert response.json()["detail"]
