"""A PDF printing two statements (issue 7, "Documents"), through the API and the real worker:
two statements saved, listed, exported and reported on one by one."""

from __future__ import annotations

import csv
import io

from sqlalchemy import func, select

from backend.db import get_engine
from backend.models import Transaction
from tests.support import is_final
from tests.support.statement_pdfs import write_bundle

SEEDS = (3, 1003)


def _parse(client, headers, wait_for, content: bytes) -> dict:
    submitted = client.post(
        "/upload_pdf_async", headers=headers, files={"file": ("bundle.pdf", content, "application/pdf")}
    )
    assert submitted.status_code == 202, submitted.text
    task_id = submitted.json()["task_id"]
    final = wait_for(task_id, headers, is_final, timeout=60)
    assert final["status"] == "SUCCESS", final
    return client.get(f"/tasks/{task_id}/result", headers=headers).json()["result"]


def test_two_statements_in_one_pdf_are_two_statements(client, auth_headers, worker, wait_for, tmp_path):
    path = tmp_path / "bundle.pdf"
    truths = write_bundle(path, SEEDS)
    result = _parse(client, auth_headers, wait_for, path.read_bytes())

    ids = result["statement_ids"]
    assert len(ids) == 2 and result["statement_id"] == ids[0]
    assert result["transaction_count"] == len(truths[0].transactions)
    listing = client.get("/statements", headers=auth_headers).json()
    assert listing["total"] == 2 and sorted(item["id"] for item in listing["items"]) == sorted(ids)
    for part, (statement_id, truth) in enumerate(zip(ids, truths, strict=True)):
        statement = client.get(f"/statements/{statement_id}", headers=auth_headers).json()
        assert statement["part"] == part
        assert (
            statement["period_start"], statement["period_end"],
            statement["opening_balance"], statement["closing_balance"],
            statement["balance_check"], statement["transaction_count"], statement["account_last4"],
        ) == (
            str(truth.period_start), str(truth.period_end),
            str(truth.opening_balance), str(truth.closing_balance),
            "ok", len(truth.transactions), truth.account_last4,
        )
        export = client.get(f"/statements/{statement_id}/export", params={"format": "csv"},
                            headers=auth_headers)
        assert export.status_code == 200, export.text
        rows = list(csv.DictReader(io.StringIO(export.text)))
        assert [row["description"] for row in rows] == [t.description for t in truth.transactions]
        report = client.post("/reports/generate_async", json={"statement_id": statement_id},
                             headers=auth_headers)
        assert report.status_code == 202, report.text
        report_id = report.json()["task_id"]
        assert wait_for(report_id, auth_headers, is_final)["status"] == "SUCCESS"
        report_result = client.get(f"/tasks/{report_id}/result", headers=auth_headers).json()["result"]
        assert report_result["row_count"] == len(truth.transactions)

    # The same file again: the same statements, nothing saved twice.
    again = _parse(client, auth_headers, wait_for, path.read_bytes())
    assert again["statement_ids"] == ids
    with get_engine().connect() as conn:
        saved = conn.scalar(select(func.count()).select_from(Transaction))
    assert saved == sum(len(truth.transactions) for truth in truths)
