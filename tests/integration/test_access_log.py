"""The API's access log, as uvicorn writes it: the path and the status, not the query."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx

from tests.conftest import REPO_ROOT
from tests.support.net import free_port, wait_until_answers


def test_a_search_s_text_stays_out_of_the_access_log(client, auth_headers, tmp_path):
    # A search or a filter names what the user looks for in their statements (a merchant,
    # an amount): user data, which the access line printed whole.
    port, log = free_port(), tmp_path / "api.log"
    api = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "backend.api.main:create_app", "--factory",
         "--port", str(port)],
        cwd=REPO_ROOT, env=dict(os.environ), stdout=log.open("w"), stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_answers(f"{base}/health")
        answer = httpx.get(f"{base}/transactions", params={"q": "PRIVATE-CLINIC"},
                           headers=auth_headers, timeout=30)
        assert answer.status_code == 200
    finally:
        api.terminate()
        api.wait(timeout=10)
    written = log.read_text()
    assert '"GET /transactions?… HTTP/1.1" 200' in written, written[-2000:]
    assert "PRIVATE-CLINIC" not in written
