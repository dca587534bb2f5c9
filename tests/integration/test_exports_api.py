"""Exports end to end: statements parsed by the real worker, exported in every format
through the API and read back with real parsers (csv, json, ofxtools, quiffen)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest
from ofxtools.Parser import OFXTree
from quiffen import Qif

from backend.services.exports import ROWS_PER_CHUNK, formula_safe
from tests.support import is_final
from tests.support.seed import seed_statement
from tests.support.statement_pdfs import LAYOUTS

FORMATS = ("csv", "ofx", "qif", "json")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "ofx": "application/x-ofx",
    "qif": "application/x-qif",
    "json": "application/json",
}


def import_statement(client, headers, wait_for, tmp_path, layout: str) -> int:
    """Upload a generated statement, let the worker parse it, return its id."""
    path = tmp_path / f"{layout}.pdf"
    LAYOUTS[layout](path)
    submitted = client.post(
        "/upload_pdf_async", headers=headers,
        files={"file": (path.name, path.read_bytes(), "application/pdf")},
    )
    assert submitted.status_code == 202, submitted.text
    task_id = submitted.json()["task_id"]
    final = wait_for(task_id, headers, is_final, timeout=60)
    assert final["status"] == "SUCCESS", final
    return client.get(f"/tasks/{task_id}/result", headers=headers).json()["result"]["statement_id"]


def api_transactions(client, headers, statement_id: int) -> list[dict]:
    page = client.get(
        f"/statements/{statement_id}/transactions", params={"limit": 1000}, headers=headers
    ).json()
    assert len(page["items"]) == page["total"] > 0
    return page["items"]


def read_back(export_format: str, content: bytes, tmp_path) -> list[dict]:
    """(date, description, amount, category, category_source) of each exported
    transaction, per its parser.

    OFX has no category field: its ``category`` is None; only CSV and JSON say who set
    the category (QIF and OFX have no standard field for it): elsewhere ``category_source``
    is None.
    """
    if export_format == "json":
        return [
            {**item, "amount": Decimal(item["amount"])}
            for item in json.loads(content)["transactions"]
        ]
    if export_format == "csv":
        return [
            {**row, "amount": Decimal(row["amount"]), "category": row["category"] or None,
             "category_source": row["category_source"] or None, "id": int(row["id"])}
            for row in csv.DictReader(io.StringIO(content.decode("utf-8"), newline=""))
        ]
    if export_format == "qif":
        path = tmp_path / "export.qif"
        path.write_bytes(content)
        qif = Qif.parse(path, day_first=False)
        accounts = list(qif.accounts.values())
        transactions = accounts[0].transactions.get("Bank", []) if accounts else []
        return [
            {"date": t.date.date().isoformat(), "description": t.payee, "amount": t.amount,
             "category": t.category.name if t.category else None, "category_source": None}
            for t in transactions
        ]
    tree = OFXTree()
    tree.parse(io.BytesIO(content))
    ofx = tree.convert()
    return [
        {"date": t.dtposted.date().isoformat(), "description": t.memo or t.name,
         "amount": t.trnamt, "category": None, "category_source": None, "fitid": t.fitid}
        for statement in ofx.statements
        for t in statement.banktranlist
    ]


def expected(export_format: str, transactions: list[dict]) -> list[dict]:
    """What the API's transactions should look like once read back from ``export_format``."""
    rows = []
    for t in transactions:
        row = {"date": t["date"], "description": t["description"], "amount": Decimal(t["amount"]),
               "category": t["category"], "category_source": t["category_source"]}
        if export_format == "csv":
            row["description"] = formula_safe(row["description"])
            row["category"] = formula_safe(row["category"]) if row["category"] else None
        if export_format == "ofx":
            row["category"] = None
        if export_format in ("qif", "ofx"):
            row["category_source"] = None
        rows.append(row)
    return rows


def comparable(rows: list[dict]) -> list[tuple]:
    return [(r["date"], r["description"], r["amount"], r["category"], r["category_source"])
            for r in rows]


def export(client, headers, path: str, export_format: str, **params):
    response = client.get(path, params={"format": export_format, **params}, headers=headers)
    assert response.status_code == 200, response.text
    return response


@pytest.fixture
def statements(client, auth_headers, wait_for, tmp_path) -> list[int]:
    return [
        import_statement(client, auth_headers, wait_for, tmp_path, layout)
        for layout in ("northgate_uk", "rheinufer_de")
    ]


def test_a_statement_exports_in_every_format_as_the_api_shows_it(
    client, auth_headers, statements, tmp_path
):
    statement_id = statements[0]
    transactions = api_transactions(client, auth_headers, statement_id)
    first, last = transactions[0], transactions[-1]
    for transaction, category in ((first, "=Groceries & Café"), (last, "Reisen über Land")):
        patched = client.patch(
            f"/transactions/{transaction['id']}", json={"category": category}, headers=auth_headers
        )
        assert patched.status_code == 200, patched.text
        assert patched.json() == {**transaction, "category": category, "category_source": "manual"}
    transactions = api_transactions(client, auth_headers, statement_id)
    assert transactions[0]["category"] == "=Groceries & Café"

    for export_format in FORMATS:
        response = export(client, auth_headers, f"/statements/{statement_id}/export", export_format)
        assert response.headers["content-type"] == MEDIA_TYPES[export_format]
        assert response.headers["content-disposition"] == (
            f'attachment; filename="ledgerflow-statement-{statement_id}.{export_format}"'
        )
        got = read_back(export_format, response.content, tmp_path)
        assert comparable(got) == comparable(expected(export_format, transactions)), export_format
        if export_format in ("csv", "json"):
            assert [row["id"] for row in got] == [t["id"] for t in transactions]
        if export_format == "ofx":
            fitids = [row["fitid"] for row in got]
            assert len(set(fitids)) == len(transactions)
            again = export(client, auth_headers, f"/statements/{statement_id}/export", "ofx")
            assert [row["fitid"] for row in read_back("ofx", again.content, tmp_path)] == fitids

    # The CSV cell a spreadsheet would have run is text.
    csv_text = export(client, auth_headers, f"/statements/{statement_id}/export", "csv").text
    assert "'=Groceries & Café" in csv_text


def test_the_csv_and_json_say_who_set_each_category(client, auth_headers, statements, wait_for):
    """A category set by a rule says ``rule``, one picked or cleared by hand ``manual``,
    no category nothing: what a user reconciling the books needs to tell their picks."""
    statement_id = statements[0]
    by_rule, picked, cleared = api_transactions(client, auth_headers, statement_id)[:3]
    rule = {"pattern": by_rule["description"], "match_type": "exact", "category": "+By rule"}
    submitted = client.post("/bulk_categorize_async", json={"rules": [rule]}, headers=auth_headers)
    assert submitted.status_code == 202, submitted.text
    assert wait_for(submitted.json()["task_id"], auth_headers, is_final)["status"] == "SUCCESS"
    for transaction, category in ((picked, "Mine"), (cleared, None)):
        patched = client.patch(
            f"/transactions/{transaction['id']}", json={"category": category}, headers=auth_headers
        )
        assert patched.status_code == 200, patched.text
    transactions = api_transactions(client, auth_headers, statement_id)
    by_id = {t["id"]: t for t in transactions}
    assert [(by_id[t["id"]]["category"], by_id[t["id"]]["category_source"])
            for t in (by_rule, picked, cleared)] == [
        ("+By rule", "rule"), ("Mine", "manual"), (None, "manual"),
    ]
    assert any(t["category"] is None and t["category_source"] is None for t in transactions)

    everything = [t for sid in statements for t in api_transactions(client, auth_headers, sid)]
    for path, shown in (
        (f"/statements/{statement_id}/export", transactions), ("/transactions/export", everything),
    ):
        csv_text = export(client, auth_headers, path, "csv").text
        assert csv_text.splitlines()[0] == (
            "id,statement_id,date,description,amount,balance,category,category_source"
        )
        rows = list(csv.DictReader(io.StringIO(csv_text, newline="")))
        assert [(int(r["id"]), r["category"], r["category_source"]) for r in rows] == [
            (t["id"], formula_safe(t["category"] or ""), t["category_source"] or "")
            for t in shown
        ]
        items = export(client, auth_headers, path, "json").json()["transactions"]
        assert list(items[0])[6:] == ["category", "category_source"]
        assert [(i["id"], i["category"], i["category_source"]) for i in items] == [
            (t["id"], t["category"], t["category_source"]) for t in shown
        ]
        # QIF and OFX carry no such field; neither grows a made-up one.
        for export_format in ("qif", "ofx"):
            assert "manual" not in export(client, auth_headers, path, export_format).text


def test_the_ofx_describes_the_statements_account_and_period(client, auth_headers, statements):
    statement = client.get(f"/statements/{statements[0]}", headers=auth_headers).json()
    content = export(client, auth_headers, f"/statements/{statements[0]}/export", "ofx").content
    tree = OFXTree()
    tree.parse(io.BytesIO(content))
    ofx = tree.convert()
    (ofx_statement,) = ofx.statements
    assert ofx.signonmsgsrsv1.sonrs.fi.org == (statement["bank_name"] or statement["bank_source"])[:32]
    assert ofx_statement.account.acctid == f"XXXX{statement['account_last4']}"
    assert ofx_statement.banktranlist.dtstart.date().isoformat() == statement["period_start"]
    assert ofx_statement.banktranlist.dtend.date().isoformat() == statement["period_end"]
    assert ofx_statement.ledgerbal.balamt == Decimal(statement["closing_balance"])


def test_the_transactions_export_filters_by_dates_and_category(
    client, auth_headers, statements, tmp_path
):
    everything = [t for sid in statements for t in api_transactions(client, auth_headers, sid)]
    for export_format in FORMATS:
        response = export(client, auth_headers, "/transactions/export", export_format)
        assert response.headers["content-type"] == MEDIA_TYPES[export_format]
        assert response.headers["content-disposition"].startswith(
            'attachment; filename="ledgerflow-transactions-'
        )
        got = read_back(export_format, response.content, tmp_path)
        assert comparable(got) == comparable(expected(export_format, everything)), export_format

    dates = sorted({t["date"] for t in everything})
    date_from, date_to = dates[1], dates[-2]
    in_range = [t for t in everything if date_from <= t["date"] <= date_to]
    assert 0 < len(in_range) < len(everything)
    response = export(client, auth_headers, "/transactions/export", "json",
                      date_from=date_from, date_to=date_to)
    assert comparable(read_back("json", response.content, tmp_path)) == comparable(
        expected("json", in_range)
    )
    # The OFX of a date range says so in DTSTART/DTEND.
    tree = OFXTree()
    tree.parse(io.BytesIO(export(client, auth_headers, "/transactions/export", "ofx",
                                 date_from=date_from, date_to=date_to).content))
    for ofx_statement in tree.convert().statements:
        assert ofx_statement.banktranlist.dtstart.date() >= date.fromisoformat(date_from)
        assert ofx_statement.banktranlist.dtend.date() <= date.fromisoformat(date_to)

    picked = [everything[0], everything[-1]]
    for transaction in picked:
        client.patch(f"/transactions/{transaction['id']}", json={"category": "Rent"},
                     headers=auth_headers)
    for export_format in FORMATS:
        response = export(client, auth_headers, "/transactions/export", export_format,
                          category="Rent")
        got = read_back(export_format, response.content, tmp_path)
        want = expected(
            export_format, [{**t, "category": "Rent", "category_source": "manual"} for t in picked]
        )
        assert comparable(got) == comparable(want), export_format


def test_exports_and_edits_are_the_owners_only(client, auth_headers, register, statements):
    bob = register()
    transaction = api_transactions(client, auth_headers, statements[0])[0]
    for export_format in FORMATS:
        response = client.get(
            f"/statements/{statements[0]}/export", params={"format": export_format}, headers=bob
        )
        assert response.status_code == 404
        assert response.json() == {"detail": "Statement not found", "code": "not_found"}
    patched = client.patch(f"/transactions/{transaction['id']}", json={"category": "Mine"}, headers=bob)
    assert patched.status_code == 404
    assert patched.json() == {"detail": "Transaction not found", "code": "not_found"}
    assert api_transactions(client, auth_headers, statements[0])[0]["category"] == transaction["category"]
    assert export(client, bob, "/transactions/export", "json").json() == {"transactions": []}
    assert export(client, bob, "/transactions/export", "csv").text.count("\n") == 1  # the header


def test_bad_export_and_category_requests_are_clear_4xx(client, auth_headers, statements):
    statement_id = statements[0]
    for path in (f"/statements/{statement_id}/export", "/transactions/export"):
        response = client.get(path, params={"format": "xlsx"}, headers=auth_headers)
        assert response.status_code == 422
        assert "'csv', 'ofx', 'qif' or 'json'" in response.json()["errors"][0]["msg"]
    reversed_range = client.get(
        "/transactions/export", params={"date_from": "2026-02-01", "date_to": "2026-01-01"},
        headers=auth_headers,
    )
    assert reversed_range.status_code == 422
    assert reversed_range.json() == {
        "detail": "The start date (2026-02-01) must not be after the end date (2026-01-01)",
        "code": "validation_error",
        "errors": [{"loc": [], "type": "value_error",
                    "msg": "The start date (2026-02-01) must not be after the end date (2026-01-01)"}]}
    nul = client.get("/transactions/export", params={"category": "a\x00b"}, headers=auth_headers)
    assert nul.status_code == 422 and "NUL" in nul.json()["detail"]
    assert client.get("/statements/999999/export", headers=auth_headers).status_code == 404

    transaction_id = api_transactions(client, auth_headers, statement_id)[0]["id"]
    url = f"/transactions/{transaction_id}"
    for bad in ("", "   ", "x" * 101, "a\x00b", 5):
        response = client.patch(url, json={"category": bad}, headers=auth_headers)
        assert response.status_code == 422, bad
        assert response.json()["detail"]
    assert client.patch(url, json={"category": "x" * 100}, headers=auth_headers).status_code == 200
    cleared = client.patch(url, json={"category": None}, headers=auth_headers)
    assert cleared.status_code == 200 and cleared.json()["category"] is None
    assert client.patch("/transactions/999999999", json={"category": "a"},
                        headers=auth_headers).status_code == 404


def test_a_large_export_is_streamed_in_chunks(client, auth_headers, tmp_path):
    """Rows go out as they are read (many chunks), and a statement that showed no period
    or closing balance still makes a valid OFX (its transactions' dates, balance 0)."""
    user_id = client.get("/auth/me", headers=auth_headers).json()["id"]
    count = 3 * ROWS_PER_CHUNK + 7
    rows = [
        (f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}", f"Payee {i} ü", f"-{i % 500}.{i % 100:02d}")
        for i in range(count)
    ]
    statement_id = seed_statement(user_id, rows)
    for export_format in FORMATS:
        with client.stream(
            "GET", f"/statements/{statement_id}/export", params={"format": export_format},
            headers=auth_headers,
        ) as response:
            assert response.status_code == 200
            chunks = list(response.iter_raw())
        assert len(chunks) > 3, export_format
        got = read_back(export_format, b"".join(chunks), tmp_path)
        assert len(got) == count, export_format
        assert [(row["description"], row["amount"]) for row in got] == [
            (text, Decimal(amount)) for _, text, amount in rows
        ], export_format
    tree = OFXTree()
    tree.parse(io.BytesIO(export(client, auth_headers, f"/statements/{statement_id}/export", "ofx").content))
    (ofx_statement,) = tree.convert().statements
    dates = sorted(date.fromisoformat(day) for day, _, _ in rows)
    assert ofx_statement.banktranlist.dtstart.date() == dates[0]
    assert ofx_statement.banktranlist.dtend.date() == dates[-1]
    assert ofx_statement.ledgerbal.balamt == Decimal("0.00")
    assert ofx_statement.account.acctid == "XXXX0001"
