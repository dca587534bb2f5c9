"""Bad input anywhere gets a 4xx with a JSON detail saying what is wrong, never a 500."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import func, select

from backend.config import get_settings
from backend.db import get_engine
from backend.models import Batch, CategoryRule, TaskStatus

RULE = {"pattern": "coffee", "category": "Eating out"}

TYPOS = [
    ("POST", "/bulk_categorize_async", {"json": {"statment_id": 2, "overwrite": True}}, 422),
    ("POST", "/reports/generate_async", {"json": {"statment_id": 2}}, 422),
    ("POST", "/rules/preview", {"json": {**RULE, "directon": "debit"}}, 422),
    ("POST", "/rules", {"json": {**RULE, "priorty": 5}}, 422),
    ("PUT", "/rules/1", {"json": {**RULE, "catgory": "Food"}}, 422),
    ("POST", "/bulk_categorize_async", {"json": {"rules": [{**RULE, "amount_mni": 5}]}}, 422),
]

CASES = [
    ("POST", "/bulk_categorize_async", {"json": {"statement_id": "abc", "rules": [RULE]}}, 422),
    ("POST", "/bulk_categorize_async", {"json": {"overwrite": "maybe", "rules": [RULE]}}, 422),
    ("POST", "/bulk_categorize_async", {"json": {"statement_id": 999999, "rules": [RULE]}}, 404),
    ("POST", "/bulk_categorize_async", {"json": {"rules": [RULE] * 1001}}, 422),
    ("POST", "/bulk_categorize_async",
     {"content": b"not json", "headers": {"Content-Type": "application/json"}}, 422),
    ("POST", "/rules", {"json": {**RULE, "priority": "high"}}, 422),
    ("POST", "/rules", {"json": {**RULE, "amount_min": "ten"}}, 422),
    ("POST", "/rules", {"json": [RULE]}, 422),
    ("PUT", "/rules/999999", {"json": RULE}, 404),
    ("DELETE", "/rules/999999", {}, 404),
    ("GET", "/rules/abc", {}, 422),
    ("POST", "/reports/generate_async", {"json": {"statement_id": 999999}}, 404),
    ("POST", "/reports/generate_async", {"json": {"date_to": "2024-02-30"}}, 422),
    ("GET", "/reports/not-a-report/download", {}, 404),
    ("GET", "/statements/abc", {}, 422),
    ("GET", "/statements/999999", {}, 404),
    ("GET", "/statements/999999/transactions", {}, 404),
    ("GET", "/statements", {"params": {"limit": 0}}, 422),
    ("GET", "/tasks", {"params": {"limit": "many"}}, 422),
    ("POST", "/upload_pdf_async", {"data": {"file": "just a string field"}}, 422),
    # Every field is bounded by what its column holds: no 500 from an overflow or a NUL.
    ("POST", "/rules", {"json": {**RULE, "amount_max": "1e999999"}}, 422),
    ("POST", "/rules", {"json": {**RULE, "amount_min": 1e300}}, 422),
    ("POST", "/rules", {"json": {**RULE, "amount_max": "NaN"}}, 422),
    ("POST", "/rules", {"json": {**RULE, "priority": 10**30}}, 422),
    ("POST", "/rules", {"json": {**RULE, "priority": 2**31}}, 422),
    ("POST", "/rules", {"json": {**RULE, "category": "Food\x00"}}, 422),
    ("POST", "/rules", {"json": {**RULE, "pattern": "cof\x00fee"}}, 422),
    ("POST", "/rules", {"json": {**RULE, "pattern": "a\x00", "match_type": "regex"}}, 422),
    ("POST", "/rules", {"json": {**RULE, "category": "x" * 101}}, 422),
    ("POST", "/rules", {"json": {**RULE, "pattern": "x" * 501}}, 422),
    ("POST", "/rules", {"json": {**RULE, "pattern": "(?=x)", "match_type": "regex"}}, 422),
    ("PUT", "/rules/1", {"json": {**RULE, "priority": -(2**31) - 1}}, 422),
    ("GET", "/rules/99999999999", {}, 422),
    ("GET", "/rules/0", {}, 422),
    ("POST", "/bulk_categorize_async", {"json": {"rules": [{**RULE, "category": "\x00"}]}}, 422),
    ("POST", "/bulk_categorize_async", {"json": {"statement_id": 10**30, "rules": [RULE]}}, 422),
    ("POST", "/reports/generate_async", {"json": {"statement_id": 2**63}}, 422),
    ("GET", "/reports/%00/download", {}, 404),
    ("GET", "/statements/99999999999999999999", {}, 422),
    ("GET", "/statements", {"params": {"offset": 10**30}}, 422),
    ("GET", "/statements/1/transactions", {"params": {"offset": 2**63}}, 422),
    ("POST", "/auth/register",
     {"json": {"email": "nul@example.com", "password": "correct\x00horse"}}, 422),
    # A key the body does not know (a typo) is refused, not ignored: ignored, "statment_id"
    # would widen a categorization with overwrite, or a report, to every transaction.
    *TYPOS,
]


@pytest.mark.parametrize(
    "method, path, kwargs, expected", CASES, ids=[f"{c[0]} {c[1]} {c[3]}" for c in CASES]
)
def test_bad_input_is_a_clear_4xx_and_writes_nothing(client, auth_headers, method, path, kwargs, expected):
    headers = {**auth_headers, **kwargs.pop("headers", {})}
    response = client.request(method, path, headers=headers, **kwargs)
    assert response.status_code == expected, response.text
    assert response.json()["detail"]
    with get_engine().connect() as conn:
        assert conn.scalar(select(func.count()).select_from(TaskStatus)) == 0
        assert conn.scalar(select(func.count()).select_from(CategoryRule)) == 0


CUT_OFF_PDF = b"%PDF-1.4\n" + b"A" * 5000 + b"\n%%EOF\n"


@pytest.mark.parametrize(
    "path, field",
    [("/upload_pdf_async", "file"), ("/invoices/extract_async", "file"), ("/batches", "files")],
)
def test_a_body_cut_off_inside_the_file_stores_and_queues_nothing(client, auth_headers, path, field):
    """A body that stops mid-file (no closing boundary: a client or proxy gave up) was
    taken as complete: 202, and a task queued on the truncated copy of the PDF."""
    head = (f'--B\r\nContent-Disposition: form-data; name="{field}"; filename="a.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n").encode()
    response = client.post(
        path, content=head + CUT_OFF_PDF[:3000],  # no "\r\n--B--"
        headers={**auth_headers, "Content-Type": "multipart/form-data; boundary=B"},
    )
    assert response.status_code == 422, response.text
    assert "cut off" in response.json()["detail"]
    with get_engine().connect() as conn:
        assert conn.scalar(select(func.count()).select_from(TaskStatus)) == 0
        assert conn.scalar(select(func.count()).select_from(Batch)) == 0
    assert not list(get_settings().storage_dir.rglob("*.pdf")), "the cut-off upload left its file"


@pytest.mark.parametrize(
    "path",
    ["/tasks/a%00b/status", "/tasks/a%00b/result", "/tasks/a%00b/events", "/tasks/not-a-uuid/status"],
)
def test_a_task_id_that_cannot_be_one_is_404(client, auth_headers, path):
    response = client.get(path, headers=auth_headers)
    assert response.status_code == 404
    assert response.json() == {"detail": "Task not found", "code": "not_found"}


@pytest.mark.parametrize(
    "params", [{"task_name": "a\x00b"}, {"offset": str(2**63)}, {"task_name": "x" * 101}]
)
def test_task_list_filters_out_of_range_are_422(client, auth_headers, params):
    response = client.get("/tasks", params=params, headers=auth_headers)
    assert response.status_code == 422
    assert response.json()["detail"]


@pytest.mark.parametrize("method, path, kwargs, expected", TYPOS, ids=[f"{c[0]} {c[1]}" for c in TYPOS])
def test_an_unknown_key_is_named_in_the_422(client, auth_headers, method, path, kwargs, expected):
    response = client.request(method, path, headers=auth_headers, **kwargs)
    assert response.status_code == 422, response.text
    typo = next(key for key in ("statment_id", "directon", "priorty", "catgory", "amount_mni")
                if key in str(kwargs["json"]))
    assert any(error["loc"][-1] == typo and error["type"] == "extra_forbidden"
               for error in response.json()["errors"]), response.json()


def _import_statement(
    client, headers, wait_for, descriptions: list[str], **printed: Any
) -> tuple[dict, list[str]]:
    """Upload a statement printing ``descriptions`` (and ``printed``: its dates, its period);
    its final status and the descriptions saved."""
    from tests.support.hostile_pdfs import statement_with_descriptions

    pdf = statement_with_descriptions(descriptions, **printed)
    response = client.post("/upload_pdf_async", headers=headers,
                           files={"file": ("statement.pdf", pdf, "application/pdf")})
    assert response.status_code == 202, response.text
    final = wait_for(response.json()["task_id"], headers,
                     lambda status: status["status"] in ("SUCCESS", "FAILED"), timeout=60)
    saved = client.get("/transactions", params={"sort": "date"}, headers=headers).json()["items"]
    return final, [row["description"] for row in saved]


def test_a_nul_in_a_statements_text_is_left_out_on_both_back_ends(client, auth_headers, wait_for):
    """A text layer can give a glyph the text U+0000. PostgreSQL text cannot hold it: the
    import ended FAILED "Internal error" (retryable, though every run fails alike), while
    SQLite saved it and the CSV and QIF exports carried the raw NUL byte."""
    final, saved = _import_statement(client, auth_headers, wait_for, ["COFFEE\x00SHOP", "TESCO STORES"])
    assert final["status"] == "SUCCESS", final
    assert saved == ["COFFEESHOP", "TESCO STORES"]
    for export_format in ("csv", "qif", "json"):
        export = client.get("/transactions/export", params={"format": export_format}, headers=auth_headers)
        assert export.status_code == 200
        assert b"\x00" not in export.content and b"\\u0000" not in export.content, export_format


def test_a_character_outside_the_bmp_in_a_statement_is_read_whole(client, auth_headers, wait_for):
    """PDFium names a character past U+FFFF as two UTF-16 halves, one per character index:
    each became a lone surrogate in the description, which neither back end can encode,
    and the import ended FAILED "Internal error" (an emoji in a card payment's text)."""
    final, saved = _import_statement(
        client, auth_headers, wait_for, ["CAFE \U0001d538BC SHOP", "TESCO STORES"]
    )
    assert final["status"] == "SUCCESS", final
    assert saved == ["CAFE \U0001d538BC SHOP", "TESCO STORES"]


@pytest.mark.parametrize(
    "path, file_field, fields",
    [
        ("/upload_pdf_async", "file", [("date_order", b"DMY"), ("date_order", b"MDY")]),
        ("/upload_pdf_async", "file", [("decimal", b","), ("decimal", b".")]),
        ("/batches", "files", [("then", b"categorize,report"), ("then", b"categorize")]),
    ],
)
def test_a_form_field_sent_twice_is_422_not_the_last_value(client, auth_headers, path, file_field, fields):
    """Two values for one parser hint (or pipeline) contradict each other: the last one
    silently won, and the statement was read with a date order the client also denied."""
    parts = [(file_field, ("a.pdf", CUT_OFF_PDF, "application/pdf"))]
    parts += [(name, (None, value)) for name, value in fields]
    response = client.post(path, files=parts, headers=auth_headers)
    assert response.status_code == 422, response.text
    assert f"'{fields[0][0]}'" in response.json()["detail"]
    with get_engine().connect() as conn:
        assert conn.scalar(select(func.count()).select_from(TaskStatus)) == 0
        assert conn.scalar(select(func.count()).select_from(Batch)) == 0
    assert not list(get_settings().storage_dir.rglob("*.pdf"))


@pytest.mark.parametrize(
    "bound",
    ["999999999999999.999", "123456789012345.678", "99999999999999.999", "999999999999.999",
     "0e999999999", "1E+2", "0.001"],
)
def test_a_rule_bound_the_api_accepts_reads_back_as_it_answered(client, auth_headers, bound):
    """SQLite keeps a NUMERIC as a double (15 significant digits): a bound up to the
    documented 999999999999999.999 was saved rounded (123456789012345.678 read back as
    .672), and one past 10^15 after rounding made GET /rules a 500 for good (the stored
    value broke the output's own limit). An exponent was echoed as sent ("0E+999999999")
    where the rule then reads "0.00"."""
    created = client.post("/rules", headers=auth_headers,
                          json={"pattern": "big", "category": "Big", "amount_max": bound})
    if created.status_code == 422:
        return  # refused, saying why: nothing to read back
    assert created.status_code == 201, created.text
    one = client.get(f"/rules/{created.json()['id']}", headers=auth_headers)
    listed = client.get("/rules", headers=auth_headers)
    assert one.status_code == 200 and listed.status_code == 200, (one.text, listed.text)
    assert one.json()["amount_max"] == created.json()["amount_max"]
    assert listed.json()["items"][0]["amount_max"] == created.json()["amount_max"]


def test_a_date_printed_before_1900_is_a_row_that_cannot_be_read(client, auth_headers, wait_for):
    """A misprinted year (0001) was saved as it is: the OFX export then wrote DTPOSTED
    "10102120000.000" (strftime gives year 1 one digit, not four), the summary's month
    "1-01", and the report an Excel date before 1900, which Excel cannot show."""
    final, saved = _import_statement(
        client, auth_headers, wait_for, ["COFFEE SHOP", "MISPRINTED", "TESCO STORES"],
        dates=["02/03/2024", "03/03/0001", "04/03/2024"],
    )
    assert final["status"] == "SUCCESS", final
    assert saved == ["COFFEE SHOP", "TESCO STORES"]
    result = client.get(f"/tasks/{final['task_id']}/result", headers=auth_headers).json()["result"]
    assert any("03/03/0001" in warning for warning in result["warnings"]), result["warnings"]
    ofx = client.get("/transactions/export", params={"format": "ofx"}, headers=auth_headers).text
    assert re.findall(r"<DTPOSTED>(\d+)", ofx) == ["20240302120000", "20240304120000"]
    months = client.get("/transactions/summary", headers=auth_headers).json()["months"]
    assert [month["month"] for month in months] == ["2024-03"]


def test_a_decimal_hint_the_amounts_contradict_fails_saying_so(client, auth_headers, wait_for):
    """decimal=',' on a statement printing -1.25 and 998.75 made every amount unreadable, and
    the task failed with "The statement's transaction table has no transactions.", which
    says nothing of the hint (a date_order the dates contradict is named in its message)."""
    from tests.support.hostile_pdfs import statement_with_descriptions

    pdf = statement_with_descriptions(["COFFEE SHOP", "TESCO STORES", "PLAIN SHOP"])
    response = client.post("/upload_pdf_async", headers=auth_headers, data={"decimal": ","},
                           files={"file": ("statement.pdf", pdf, "application/pdf")})
    assert response.status_code == 202, response.text
    final = wait_for(response.json()["task_id"], auth_headers,
                     lambda status: status["status"] in ("SUCCESS", "FAILED"), timeout=60)
    assert final["status"] == "FAILED"
    assert "decimal hint ','" in final["error_message"], final["error_message"]
    assert "'-1.25'" in final["error_message"] or "'1000.00'" in final["error_message"]
    assert final["retryable"] is False


def test_a_refused_statement_leaves_its_amounts_out_of_the_worker_log(client, auth_headers, wait_for):
    """The worker logged every refusal's message ("Task … refused its input: <message>"), and
    the messages quote the document: an amount its decimal hint misreads, an amount past what
    a column holds, a date the date_order hint misreads. Balances are a user's data, kept out
    of the log (task results are replaced by a placeholder for that reason)."""
    from tests.conftest import WORKER_LOG
    from tests.support.hostile_pdfs import statement_with_descriptions

    pdf = statement_with_descriptions(["COFFEE SHOP", "TESCO STORES"], opening=73519.42)
    response = client.post("/upload_pdf_async", headers=auth_headers, data={"decimal": ","},
                           files={"file": ("statement.pdf", pdf, "application/pdf")})
    task_id = response.json()["task_id"]
    final = wait_for(task_id, auth_headers, lambda status: status["status"] in ("SUCCESS", "FAILED"),
                     timeout=60)
    assert final["status"] == "FAILED" and "73519.42" in final["error_message"]  # the user is told
    refusals = [line for line in WORKER_LOG.read_text().splitlines() if task_id in line]
    assert refusals and not any("73519" in line for line in refusals), refusals
