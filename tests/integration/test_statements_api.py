"""Statement PDFs through the API: checks before queueing, parsing by the worker, results."""

from __future__ import annotations

import hashlib
import traceback
from dataclasses import replace
from decimal import Decimal

import pytest
from fpdf import FPDF
from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import DBAPIError, OperationalError

from backend.config import get_settings
from backend.db import get_engine
from backend.models import Statement, TaskStatus, Transaction, utcnow
from backend.services.errors import InvalidInputError
from backend.services.statement_store import save_statement
from backend.services.statements import parse_statement
from tests.conftest import WORKER_LOG
from tests.support import SAMPLES_DIR, is_final, statement_pdfs
from tests.support.statement_pdfs import LAYOUTS, write_random_layout


def upload(client, headers, content: bytes, name: str = "statement.pdf"):
    return client.post(
        "/upload_pdf_async", headers=headers,
        files={"file": (name, content, "application/pdf")},
    )


def upload_hinted(client, headers, content: bytes, **hints: str):
    """Upload with the parser hints as form fields."""
    return client.post(
        "/upload_pdf_async", headers=headers, data=hints,
        files={"file": ("statement.pdf", content, "application/pdf")},
    )


def parse(client, headers, wait_for, content: bytes, **hints: str) -> dict:
    submitted = upload_hinted(client, headers, content, **hints)
    assert submitted.status_code == 202, submitted.text
    assert submitted.json()["status"] == "submitted"
    task_id = submitted.json()["task_id"]
    final = wait_for(task_id, headers, is_final, timeout=60)
    return {**client.get(f"/tasks/{task_id}/result", headers=headers).json(), "status_row": final}


def task_rows() -> int:
    with get_engine().connect() as conn:
        return conn.scalar(select(func.count()).select_from(TaskStatus))


@pytest.fixture
def statement_pdf(tmp_path) -> tuple[bytes, object]:
    truth = LAYOUTS["northgate_uk"](tmp_path / "northgate.pdf")
    return (tmp_path / "northgate.pdf").read_bytes(), truth


def test_a_statement_is_parsed_into_its_transactions(client, auth_headers, worker, wait_for, statement_pdf):
    content, truth = statement_pdf
    outcome = parse(client, auth_headers, wait_for, content)
    assert outcome["status"] == "SUCCESS", outcome
    result = outcome["result"]
    assert result["transaction_count"] == len(truth.transactions)
    assert result["account_last4"] == truth.account_last4
    assert result["balance_check"] == truth.balance_check
    assert result["opening_balance"] == str(truth.opening_balance)
    assert outcome["status_row"]["progress_message"] == "Done"

    statement_id = result["statement_id"]
    statement = client.get(f"/statements/{statement_id}", headers=auth_headers).json()
    assert statement["transaction_count"] == len(truth.transactions)
    page = client.get(
        f"/statements/{statement_id}/transactions", params={"limit": 1000}, headers=auth_headers
    ).json()
    assert page["total"] == len(truth.transactions)
    got = [(t["date"], t["description"], t["amount"], t["balance"]) for t in page["items"]]
    want = [
        (str(t.date), t.description, str(t.amount), None if t.balance is None else str(t.balance))
        for t in truth.transactions
    ]
    assert got == want
    listing = client.get("/statements", headers=auth_headers).json()
    assert listing["total"] == 1 and listing["items"][0]["id"] == statement_id


def test_each_statement_is_listed_with_the_name_of_the_file_it_was_uploaded_as(
    client, auth_headers, worker, wait_for, tmp_path
):
    """Statements that print no bank or account are told apart by their file's name, sent
    alone or in a batch; the same file sent again under another name keeps the first."""
    alone = LAYOUTS["northgate_uk"](tmp_path / "a.pdf")
    LAYOUTS["prairie_us"](tmp_path / "b.pdf")
    submitted = upload(client, auth_headers, (tmp_path / "a.pdf").read_bytes(), "scans/march.pdf")
    assert submitted.status_code == 202, submitted.text
    assert wait_for(submitted.json()["task_id"], auth_headers, is_final, timeout=60)["status"] == "SUCCESS"
    batch = client.post("/batches", headers=auth_headers, files=[
        ("files", ("april statement.pdf", (tmp_path / "b.pdf").read_bytes(), "application/pdf")),
        ("files", ("copy of march.pdf", (tmp_path / "a.pdf").read_bytes(), "application/pdf")),
    ])
    assert batch.status_code == 202, batch.text
    for item in client.get(f"/batches/{batch.json()['batch_id']}", headers=auth_headers).json()["items"]:
        assert wait_for(item["task_id"], auth_headers, is_final, timeout=60)["status"] == "SUCCESS"

    listing = client.get("/statements", headers=auth_headers).json()
    named = {item["account_last4"]: item["filename"] for item in listing["items"]}
    assert named[alone.account_last4] == "march.pdf"  # no folder, the first name kept
    assert sorted(named.values()) == ["april statement.pdf", "march.pdf"]
    one = client.get(f"/statements/{listing['items'][0]['id']}", headers=auth_headers).json()
    assert one["filename"] == "april statement.pdf"


def test_the_same_file_twice_gives_the_same_statement_and_no_duplicates(
    client, auth_headers, worker, wait_for, statement_pdf, submit
):
    content, truth = statement_pdf
    first = parse(client, auth_headers, wait_for, content)["result"]
    second = parse(client, auth_headers, wait_for, content)["result"]
    assert second["statement_id"] == first["statement_id"]
    # A redelivered message runs the task again with the same arguments.
    with get_engine().connect() as conn:
        kwargs = conn.scalar(select(TaskStatus.kwargs).where(TaskStatus.task_name == "parse_pdf_async"))
    again = submit(auth_headers, "parse_pdf_async", **kwargs)
    wait_for(again, auth_headers, is_final, timeout=60)
    with get_engine().connect() as conn:
        count = conn.scalar(select(func.count()).select_from(Transaction))
    assert count == len(truth.transactions)


def test_the_same_file_again_says_its_statement_was_already_imported(
    client, auth_headers, worker, wait_for, statement_pdf
):
    """As a re-download of the statement does: named in already_imported, with the
    warning that nothing was added (it read as a new import: already_imported [])."""
    content, _ = statement_pdf
    first = parse(client, auth_headers, wait_for, content)["result"]
    assert first["already_imported"] == []
    assert not any("already imported" in warning for warning in first["warnings"])
    again = parse(client, auth_headers, wait_for, content)
    assert again["status"] == "SUCCESS", again
    result = again["result"]
    assert result["statement_id"] == first["statement_id"]
    assert result["already_imported"] == [first["statement_id"]]
    assert result["warnings"][-1] == (
        f"This statement was already imported as statement {first['statement_id']} "
        "(same account, period and transactions); nothing was added"
    )


def test_the_real_credit_card_sample_parses_to_its_52_transactions(client, auth_headers, worker, wait_for):
    content = (SAMPLES_DIR / "statements" / "monopoly_example_credit_card.pdf").read_bytes()
    outcome = parse(client, auth_headers, wait_for, content)
    assert outcome["status"] == "SUCCESS", outcome
    assert outcome["result"]["transaction_count"] == 52


def test_a_non_pdf_is_415_before_anything_is_queued(client, auth_headers):
    response = upload(client, auth_headers, b"PK\x03\x04 this is a zip, not a pdf" * 100, "looks.pdf")
    assert response.status_code == 415
    assert "not a PDF" in response.json()["detail"]
    assert task_rows() == 0
    assert not list(get_settings().storage_dir.glob("*/*.pdf"))


def test_an_empty_file_is_415(client, auth_headers):
    assert upload(client, auth_headers, b"").status_code == 415


def test_too_big_is_413_even_without_a_content_length(client, auth_headers):
    limit = get_settings().max_upload_bytes
    boundary = "lfboundary"

    def body():
        yield (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.pdf\"\r\n"
               "Content-Type: application/pdf\r\n\r\n%PDF-1.4\n").encode()
        chunk = b"0" * (1024 * 1024)
        for _ in range(limit // len(chunk) + 2):
            yield chunk
        yield f"\r\n--{boundary}--\r\n".encode()

    response = client.post(
        "/upload_pdf_async",
        headers={**auth_headers, "Content-Type": f"multipart/form-data; boundary={boundary}"},
        content=body(),
    )
    assert response.status_code == 413
    assert f"{limit // (1024 * 1024)} MB" in response.json()["detail"]
    assert task_rows() == 0
    assert not list((get_settings().storage_dir / "incoming").glob("*"))


def test_too_big_by_content_length_is_refused_without_reading(client, auth_headers):
    big = b"%PDF-1.4\n" + b"0" * (get_settings().max_upload_bytes + 1)
    assert upload(client, auth_headers, big).status_code == 413


@pytest.mark.parametrize(
    "kwargs, detail",
    [
        ({"json": {"file": "x"}}, "multipart/form-data"),
        ({"files": {"document": ("a.pdf", b"%PDF-1.4", "application/pdf")}}, "field 'file'"),
    ],
)
def test_missing_file_field_is_422(client, auth_headers, kwargs, detail):
    response = client.post("/upload_pdf_async", headers=auth_headers, **kwargs)
    assert response.status_code == 422
    assert detail in response.json()["detail"]


def _text_less_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")
    return bytes(pdf.output())


def _text_pdf(*lines: str) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in lines:
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _empty_statement_pdf() -> bytes:
    """A statement whose table has its header and nothing under it."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.text(20, 20, "Northgate Bank   Statement period: 01/03/2024 to 31/03/2024")
    for x, word in ((20, "Date"), (50, "Description"), (130, "Amount"), (170, "Balance")):
        pdf.text(x, 40, word)
    pdf.text(20, 50, "No transactions this period.")
    return bytes(pdf.output())


def _encrypted_pdf() -> bytes:
    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="user")
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(text="Secret statement")
    return bytes(pdf.output())


@pytest.mark.parametrize(
    "content, words",
    [
        (b"%PDF-1.4\n1 0 obj garbage that is no pdf at all\n%%EOF", "corrupt"),
        (_text_less_pdf(), "no text"),
        (_encrypted_pdf(), "password"),
        (_text_pdf("Dear customer,", "Thank you for your letter of 3 March."), "no transaction table"),
        (_empty_statement_pdf(), "no transactions"),
    ],
    ids=["corrupt", "image-only", "encrypted", "not-a-statement", "empty-statement"],
)
def test_unreadable_pdfs_fail_once_with_a_message_that_says_why(
    client, auth_headers, worker, wait_for, content, words
):
    outcome = parse(client, auth_headers, wait_for, content)
    assert outcome["status"] == "FAILED"
    assert words in outcome["error_message"].lower()
    assert outcome["status_row"]["attempts"] == 1
    ping = client.post("/tasks/ping", headers=auth_headers).json()["task_id"]
    assert wait_for(ping, auth_headers, is_final)["status"] == "SUCCESS"


def test_another_users_statement_is_404(client, register, worker, wait_for, statement_pdf):
    alice, bob = register(), register()
    statement_id = parse(client, alice, wait_for, statement_pdf[0])["result"]["statement_id"]
    for path in (f"/statements/{statement_id}", f"/statements/{statement_id}/transactions"):
        response = client.get(path, headers=bob)
        assert response.status_code == 404
        assert response.json() == {"detail": "Statement not found", "code": "not_found"}
    assert client.get("/statements", headers=bob).json()["total"] == 0


def test_the_bank_name_as_printed_and_the_parsers_warnings_are_kept(
    client, auth_headers, worker, wait_for, statement_pdf
):
    outcome = parse(client, auth_headers, wait_for, statement_pdf[0])
    assert outcome["status"] == "SUCCESS", outcome
    result = outcome["result"]
    assert result["bank_name"] == "Northgate Bank plc"
    assert isinstance(result["warnings"], list)
    statement = client.get(f"/statements/{result['statement_id']}", headers=auth_headers).json()
    assert statement["bank_name"] == "Northgate Bank plc"
    assert statement["warnings"] == result["warnings"]
    listing = client.get("/statements", headers=auth_headers).json()
    assert listing["items"][0]["bank_name"] == "Northgate Bank plc"


def test_parser_hints_travel_with_the_upload_and_bad_ones_are_422(
    client, auth_headers, worker, wait_for, statement_pdf
):
    content = statement_pdf[0]

    def upload_with(**fields: str):
        return client.post(
            "/upload_pdf_async", headers=auth_headers, data=fields,
            files={"file": ("statement.pdf", content, "application/pdf")},
        )

    bad_order, bad_mark, unknown = (
        upload_with(date_order="DDMM"), upload_with(decimal=";"), upload_with(currency="GBP"),
    )
    assert bad_order.status_code == bad_mark.status_code == unknown.status_code == 422
    assert "DMY, MDY, YMD" in bad_order.json()["detail"]
    assert "'currency'" in unknown.json()["detail"]
    assert task_rows() == 0
    assert not list(get_settings().storage_dir.rglob("*.pdf")), "a refused upload left its file"

    submitted = upload_with(date_order="DMY", decimal=".")
    assert submitted.status_code == 202
    task_id = submitted.json()["task_id"]
    final = wait_for(task_id, auth_headers, is_final, timeout=60)
    assert final["status"] == "SUCCESS", final
    with get_engine().connect() as conn:
        kwargs = conn.scalar(select(TaskStatus.kwargs).where(TaskStatus.task_id == task_id))
    assert kwargs["date_order"] == "DMY" and kwargs["decimal"] == "."


def transaction_rows() -> int:
    with get_engine().connect() as conn:
        return conn.scalar(select(func.count()).select_from(Transaction))


def test_a_statement_is_deleted_with_its_transactions_by_its_owner_only(
    client, register, worker, wait_for, statement_pdf
):
    """DELETE /statements/{id} answered 405: a statement read with a wrong hint could never go."""
    alice, bob = register(), register()
    content, truth = statement_pdf
    statement_id = parse(client, alice, wait_for, content)["result"]["statement_id"]
    assert transaction_rows() == len(truth.transactions)

    assert client.delete(f"/statements/{statement_id}").status_code == 401
    refused = client.delete(f"/statements/{statement_id}", headers=bob)
    assert refused.status_code == 404
    assert refused.json() == {"detail": "Statement not found", "code": "not_found"}
    assert client.get(f"/statements/{statement_id}", headers=alice).status_code == 200

    deleted = client.delete(f"/statements/{statement_id}", headers=alice)
    assert deleted.status_code == 204 and deleted.content == b""
    assert transaction_rows() == 0
    for path in (f"/statements/{statement_id}", f"/statements/{statement_id}/transactions"):
        assert client.get(path, headers=alice).status_code == 404
    assert client.get("/statements", headers=alice).json()["total"] == 0
    assert client.delete(f"/statements/{statement_id}", headers=alice).status_code == 404


def test_the_same_file_with_other_hints_is_refused_until_its_statement_is_deleted(
    client, auth_headers, worker, wait_for, statement_pdf, submit
):
    """QA: the same PDF sent again with corrected hints got the old parse back, silently."""
    content, truth = statement_pdf
    first = parse(client, auth_headers, wait_for, content, date_order="MDY")
    assert first["status"] == "SUCCESS", first
    statement_id = first["result"]["statement_id"]
    assert first["result"]["parser_hints"] == {"date_order": "MDY"}
    statement = client.get(f"/statements/{statement_id}", headers=auth_headers).json()
    assert statement["parser_hints"] == {"date_order": "MDY"}

    # The same hints (in any case) are the same request: the same statement, nothing added.
    again = parse(client, auth_headers, wait_for, content, date_order="mdy")
    assert again["result"]["statement_id"] == statement_id
    tasks_before = task_rows()

    for other in ({"date_order": "DMY"}, {}, {"date_order": "MDY", "decimal": "."}):
        refused = upload_hinted(client, auth_headers, content, **other)
        assert refused.status_code == 409, (other, refused.text)
        detail = refused.json()["detail"]
        assert f"already imported as statement {statement_id}, read with date_order=MDY" in detail
        assert f"DELETE /statements/{statement_id} to import it again" in detail
    assert task_rows() == tasks_before, "a refused upload queued a task"
    assert list(get_settings().storage_dir.rglob("*.pdf")), "the refusal removed the file in use"

    # An upload that got past that check (one racing the first, a batch's) fails in the task.
    with get_engine().connect() as conn:
        kwargs = conn.scalar(select(TaskStatus.kwargs).where(TaskStatus.task_name == "parse_pdf_async"))
    racing = submit(auth_headers, "parse_pdf_async", **{**kwargs, "date_order": "DMY"})
    failed = wait_for(racing, auth_headers, is_final, timeout=60)
    assert failed["status"] == "FAILED" and failed["attempts"] == 1
    assert f"DELETE /statements/{statement_id} to import it again" in failed["error_message"]
    assert transaction_rows() == len(truth.transactions)

    assert client.delete(f"/statements/{statement_id}", headers=auth_headers).status_code == 204
    fresh = parse(client, auth_headers, wait_for, content, date_order="DMY")
    assert fresh["status"] == "SUCCESS", fresh
    assert fresh["result"]["parser_hints"] == {"date_order": "DMY"}
    assert transaction_rows() == len(truth.transactions)


def test_rows_left_out_for_their_date_are_a_warning_and_a_wrong_hint_a_failure(
    client, auth_headers, worker, wait_for, tmp_path
):
    """QA: an MDY hint on a DMY statement dropped 17 of 29 rows with warnings []."""
    from tests.unit.test_statement_parser import _day_first_statement

    few = _day_first_statement(tmp_path / "few.pdf", [1, 2, 3, 13, 4]).read_bytes()
    outcome = parse(client, auth_headers, wait_for, few, date_order="MDY")
    assert outcome["status"] == "SUCCESS", outcome
    warning = (
        "1 transaction row skipped: its printed date cannot be read as MDY (the date_order hint), "
        "e.g. '13/03/2024'"
    )
    assert outcome["result"]["transaction_count"] == 4
    assert outcome["result"]["warnings"] == [warning]
    statement = client.get(f"/statements/{outcome['result']['statement_id']}", headers=auth_headers)
    assert statement.json()["warnings"] == [warning]

    most = _day_first_statement(tmp_path / "most.pdf", [1, 13, 14, 15, 2]).read_bytes()
    failed = parse(client, auth_headers, wait_for, most, date_order="MDY")
    assert failed["status"] == "FAILED"
    assert failed["error_message"].startswith("The date_order hint MDY does not fit this statement")
    assert "(e.g. '13/03/2024')" in failed["error_message"]
    assert failed["status_row"]["attempts"] == 1
    assert parse(client, auth_headers, wait_for, most, date_order="DMY")["status"] == "SUCCESS"


def test_a_statement_imported_before_hints_were_recorded_matches_only_an_upload_without(
    client, auth_headers, statement_pdf, tmp_path
):
    content = statement_pdf[0]
    user_id = client.get("/auth/me", headers=auth_headers).json()["id"]
    parsed = parse_statement(tmp_path / "northgate.pdf")
    with get_engine().begin() as conn:
        statement_id = save_statement(conn, user_id, hashlib.sha256(content).hexdigest(), parsed).first
        conn.execute(update(Statement).values(parser_hints=None))
    assert client.get(f"/statements/{statement_id}", headers=auth_headers).json()["parser_hints"] is None

    assert upload_hinted(client, auth_headers, content).status_code == 202
    refused = upload_hinted(client, auth_headers, content, decimal=",")
    assert refused.status_code == 409
    assert "read with parser hints that were not recorded" in refused.json()["detail"]
    assert "this upload gives decimal=','" in refused.json()["detail"]


def test_an_upload_whose_check_finds_the_database_away_is_503_and_leaves_no_file(
    client, auth_headers, statement_pdf, monkeypatch
):
    """The check for an earlier import reads the database before anything is queued."""
    import backend.api.statements

    def database_away(*_: object) -> None:
        raise OperationalError("SELECT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(backend.api.statements, "_imported_with", database_away)
    response = upload_hinted(client, auth_headers, statement_pdf[0], date_order="DMY")
    assert response.status_code == 503 and response.json()["code"] == "database_unavailable"
    assert task_rows() == 0
    assert not list(get_settings().storage_dir.rglob("*.pdf")), "the refused upload left its file"


# A generated layout (tests/support/statement_pdfs.py random_layout) in a currency that
# counts thousandths (KWD, BHD, OMR): its amounts print three decimals.
THREE_DECIMAL_LAYOUT_SEED = 0


def test_a_three_decimal_currency_keeps_its_thousandths_from_the_pdf_to_the_api(
    client, auth_headers, worker, wait_for, tmp_path
):
    """Saved as NUMERIC(18, 2), 1,142.553 came back as 1142.55 and the rows no longer added
    up to the balances (migration 0016)."""
    path = tmp_path / "dinars.pdf"
    truth = write_random_layout(path, THREE_DECIMAL_LAYOUT_SEED)
    assert any(t.amount != t.amount.quantize(Decimal("0.01")) for t in truth.transactions)
    outcome = parse(client, auth_headers, wait_for, path.read_bytes())
    assert outcome["status"] == "SUCCESS", outcome
    statement_id = outcome["result"]["statement_id"]
    page = client.get(
        f"/statements/{statement_id}/transactions", params={"limit": 1000}, headers=auth_headers
    ).json()
    got = [(Decimal(t["amount"]), None if t["balance"] is None else Decimal(t["balance"]))
           for t in page["items"]]
    assert got == [(t.amount, t.balance) for t in truth.transactions]
    statement = client.get(f"/statements/{statement_id}", headers=auth_headers).json()
    assert Decimal(statement["closing_balance"]) == truth.closing_balance
    assert outcome["result"]["balance_check"] == "ok"


def test_amounts_of_two_decimal_currencies_read_back_with_two(clean_db):
    """NUMERIC(18, 3) pads to 12.300: ``Money`` gives 12.30 back, and 12.345 as it is."""
    money = Transaction.__table__.c.amount.type
    assert money.process_result_value(Decimal("12.300"), None) == Decimal("12.30")
    assert str(money.process_result_value(Decimal("12.300"), None)) == "12.30"
    assert str(money.process_result_value(Decimal("-0.005"), None)) == "-0.005"
    assert money.process_result_value(None, None) is None


def test_an_amount_no_account_holds_is_the_file_s_error_and_nothing_is_saved(
    client, auth_headers, statement_pdf, tmp_path
):
    """A 16-digit number read as an amount would overflow the column as a database error
    (a FAILED task saying an internal error happened); it is the file's, said plainly."""
    content = statement_pdf[0]
    user_id = client.get("/auth/me", headers=auth_headers).json()["id"]
    parsed = parse_statement(tmp_path / "northgate.pdf")
    first, *others = parsed.transactions
    absurd = replace(parsed, transactions=(replace(first, amount=Decimal("-1234567890123456.00")), *others))
    refused = pytest.raises(InvalidInputError, match="larger than 999,999,999,999.999")
    with get_engine().begin() as conn, refused:
        save_statement(conn, user_id, hashlib.sha256(content).hexdigest(), absurd)
    with get_engine().connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Statement)) == 0
        assert conn.scalar(select(func.count()).select_from(Transaction)) == 0


@pytest.mark.parametrize(
    ("amount", "why"),
    [
        # 16 significant digits: SQLite kept the double 98765432109876.546875, read back as .547.
        ("-98765432109876.54", "larger than 999,999,999,999.999"),
        ("-1000000000000.00", "larger than 999,999,999,999.999"),
        ("-12.3456", "more than three decimals"),
    ],
)
def test_an_amount_a_database_would_not_give_back_exactly_is_refused_naming_its_row(
    client, auth_headers, statement_pdf, tmp_path, amount, why
):
    """"Right numbers": an amount is saved as read or not at all. Past 999,999,999,999.999
    SQLite (a double) rounds thousandths, and a fourth decimal either database rounds:
    such a statement is refused, naming the row, with the same limit as rule bounds."""
    content = statement_pdf[0]
    user_id = client.get("/auth/me", headers=auth_headers).json()["id"]
    parsed = parse_statement(tmp_path / "northgate.pdf")
    first, second, *others = parsed.transactions
    odd = replace(second, amount=Decimal(amount))
    refused = pytest.raises(InvalidInputError, match=f"row 2 [(]{odd.date.isoformat()}.*{why}")
    with get_engine().begin() as conn, refused:
        save_statement(conn, user_id, hashlib.sha256(content).hexdigest(),
                       replace(parsed, transactions=(first, odd, *others)))
    with get_engine().connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Statement)) == 0
        assert conn.scalar(select(func.count()).select_from(Transaction)) == 0


def _statement_with_a_bank_name_of(path, name: str) -> object:
    """The northgate layout with ``name`` printed as its bank's name."""
    spec, scenario = statement_pdfs._CATALOGUE["northgate_uk"]
    spec = replace(
        spec, bank_name=name,
        address_lines=tuple(line.replace(spec.bank_name, name) for line in spec.address_lines),
    )
    drafts = statement_pdfs.generate_transactions(scenario, scenario.transaction_count)
    return statement_pdfs.render_statement(path, "northgate_uk", spec, scenario, drafts)


def test_a_bank_name_longer_than_its_column_is_imported_shortened(
    client, auth_headers, worker, wait_for, tmp_path
):
    """A printed name of 244 characters overflowed String(200) on PostgreSQL: the task
    failed as an internal error that "retrying can help", and the worker logged the
    INSERT's parameters (balances, account digits). The name is the statement's to show,
    not a reason to refuse it."""
    name = "Northgate" + "x" * 230 + " Bank"  # one long 'word' and "Bank": a bank's name
    truth = _statement_with_a_bank_name_of(tmp_path / "statement.pdf", name)
    log_start = WORKER_LOG.stat().st_size if WORKER_LOG.exists() else 0
    outcome = parse(client, auth_headers, wait_for, (tmp_path / "statement.pdf").read_bytes())
    assert outcome["status"] == "SUCCESS", outcome
    shortened = outcome["result"]["bank_name"]
    assert len(shortened) == 200 and shortened.endswith("…") and name.startswith(shortened[:-1])
    assert any("kept shortened" in warning for warning in outcome["result"]["warnings"])
    statement = client.get(f"/statements/{outcome['result']['statement_id']}", headers=auth_headers)
    assert statement.json()["bank_name"] == shortened
    assert Decimal(statement.json()["closing_balance"]) == truth.closing_balance
    log = WORKER_LOG.read_bytes()[log_start:].decode(errors="replace")
    # What the failed INSERT's parameters showed in the worker's log.
    shown = (f"'closing_balance': Decimal('{truth.closing_balance}')",
             f"'account_last4': '{truth.account_last4}'")
    assert not [text for text in shown if text in log], log


def test_a_failing_statement_s_error_holds_none_of_its_values(clean_db):
    """An error's text, traceback included, is what the logs get: the engine keeps the
    statement's parameters (a user's balances and account digits) out of it."""
    row = {"user_id": 987654, "file_sha256": "f" * 64, "bank_name": "Secretbank",
           "account_last4": "4567", "opening_balance": Decimal("2418.07"),
           "balance_check": "ok", "warnings": [], "created_at": utcnow()}
    with pytest.raises(DBAPIError) as failed, get_engine().begin() as conn:
        conn.execute(insert(Statement).values(row))  # no such user: a foreign-key error
    told = "".join(traceback.format_exception(failed.value))
    leaked = [value for value in ("Secretbank", "4567", "2418.07") if value in told]
    assert not leaked, f"the error shows the statement's values {leaked}:\n{told}"
