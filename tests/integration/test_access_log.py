"""The API's access log, as uvicorn writes it: the path and the status, not the query."""

from __future__ import annotations

import httpx

from tests.support.net import running_api


def test_a_search_s_text_stays_out_of_the_access_log(client, auth_headers, tmp_path):
    # A search or a filter names what the user looks for in their statements (a merchant,
    # an amount): user data, which the access line printed whole.
    log = tmp_path / "api.log"
    with running_api(log=log, log_level="info") as api:
        answer = httpx.get(f"{api.base}/transactions", params={"q": "PRIVATE-CLINIC"},
                           headers=auth_headers, timeout=30)
        assert answer.status_code == 200
    written = log.read_text()
    assert '"GET /transactions?… HTTP/1.1" 200' in written, written[-2000:]
    assert "PRIVATE-CLINIC" not in written
