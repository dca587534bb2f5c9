"""QA: the same statement imported twice doubled the user's transactions. A statement
downloaded again from the bank is another file (creation date, document id), so the file
hash let it in again; it is now recognised by what it says (statement_store.content_fingerprint)."""

from __future__ import annotations

import hashlib
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from backend.db import get_engine
from backend.models import Statement, Transaction, User
from backend.services.statement_store import save_statement
from backend.services.statements import parse_statement
from tests.integration.test_statement_parts import PAGES
from tests.support import is_final
from tests.support.statement_pdfs import LAYOUTS, make_long_statement, redownloaded, write_bundle

SAME = "(same account, period and transactions)"


def _submit(client, headers, content: bytes, **hints: str) -> str:
    response = client.post(
        "/upload_pdf_async", headers=headers, data=hints,
        files={"file": ("statement.pdf", content, "application/pdf")},
    )
    assert response.status_code == 202, response.text
    return response.json()["task_id"]


def _outcome(client, headers, wait_for, task_id: str, timeout: float = 60) -> dict:
    final = wait_for(task_id, headers, is_final, timeout=timeout)
    assert final["status"] == "SUCCESS", final
    return client.get(f"/tasks/{task_id}/result", headers=headers).json()["result"]


def _parse(client, headers, wait_for, content: bytes, **hints: str) -> dict:
    return _outcome(client, headers, wait_for, _submit(client, headers, content, **hints))


def _counts() -> tuple[int, int]:
    with get_engine().connect() as conn:
        return (
            conn.scalar(select(func.count()).select_from(Statement)) or 0,
            conn.scalar(select(func.count()).select_from(Transaction)) or 0,
        )


def _two_downloads(path: Path) -> tuple[bytes, bytes]:
    first = path.read_bytes()
    second = redownloaded(first)
    assert hashlib.sha256(first).digest() != hashlib.sha256(second).digest()
    return first, second


def test_a_statement_downloaded_again_is_not_imported_again(
    client, auth_headers, worker, wait_for, tmp_path
) -> None:
    truth = LAYOUTS["northgate_uk"](tmp_path / "northgate.pdf")
    first, second = _two_downloads(tmp_path / "northgate.pdf")
    imported = _parse(client, auth_headers, wait_for, first)
    statement_id = imported["statement_id"]
    assert imported["already_imported"] == []
    assert not any("already imported" in warning for warning in imported["warnings"])

    again = _parse(client, auth_headers, wait_for, second)
    assert again["statement_id"] == statement_id and again["statement_ids"] == [statement_id]
    assert again["already_imported"] == [statement_id]
    assert again["warnings"][-1] == (
        f"This statement was already imported as statement {statement_id} {SAME}; nothing was added"
    )
    assert again["transaction_count"] == len(truth.transactions)
    assert _counts() == (1, len(truth.transactions))
    listing = client.get("/statements", headers=auth_headers).json()
    assert [item["id"] for item in listing["items"]] == [statement_id]
    # Its own hints do not make it another statement when they read it the same way.
    hinted = _parse(client, auth_headers, wait_for, redownloaded(first, 2), date_order="DMY")
    assert hinted["already_imported"] == [statement_id]
    assert _counts() == (1, len(truth.transactions))

    # The same file with other hints is still refused (409), not read beside itself.
    refused = client.post(
        "/upload_pdf_async", headers=auth_headers, data={"decimal": ","},
        files={"file": ("statement.pdf", first, "application/pdf")},
    )
    assert refused.status_code == 409, refused.text


def test_another_user_imports_the_same_statement_as_their_own(
    client, auth_headers, register, worker, wait_for, tmp_path
) -> None:
    LAYOUTS["littoral_fr"](tmp_path / "littoral.pdf")
    content = (tmp_path / "littoral.pdf").read_bytes()
    mine = _parse(client, auth_headers, wait_for, content)
    theirs = _parse(client, register("bob@example.com"), wait_for, redownloaded(content))
    assert theirs["already_imported"] == [] and theirs["statement_id"] != mine["statement_id"]


def test_a_pdf_with_some_known_statements_imports_only_the_new_ones(
    client, auth_headers, worker, wait_for, tmp_path
) -> None:
    two = write_bundle(tmp_path / "two.pdf", (3, 1003))
    three = write_bundle(tmp_path / "three.pdf", (3, 1003, 2003))  # the same two, then the next
    assert [t.transactions for t in three[:2]] == [t.transactions for t in two]
    first = _parse(client, auth_headers, wait_for, (tmp_path / "two.pdf").read_bytes())
    known = first["statement_ids"]
    assert len(known) == 2 and first["already_imported"] == []

    result = _parse(client, auth_headers, wait_for, (tmp_path / "three.pdf").read_bytes())
    assert result["statement_ids"][:2] == known and result["already_imported"] == known
    new = result["statement_ids"][2]
    assert new not in known
    assert result["warnings"][-2:] == [
        f"Statement {index + 1} of 3 in this file was already imported as statement {known[index]} "
        f"{SAME}; nothing was added for it"
        for index in range(2)
    ]
    assert _counts() == (3, sum(len(truth.transactions) for truth in three))
    statement = client.get(f"/statements/{new}", headers=auth_headers).json()
    assert statement["part"] == 2 and statement["period_start"] == str(three[2].period_start)


def test_two_downloads_uploaded_at_once_are_imported_once(
    client, auth_headers, worker, wait_for, tmp_path
) -> None:
    truth = LAYOUTS["rheinufer_de"](tmp_path / "rheinufer.pdf")
    first, second = _two_downloads(tmp_path / "rheinufer.pdf")
    tasks = [_submit(client, auth_headers, content) for content in (first, second)]
    results = [_outcome(client, auth_headers, wait_for, task_id) for task_id in tasks]
    assert results[0]["statement_id"] == results[1]["statement_id"]
    assert sorted(len(result["already_imported"]) for result in results) == [0, 1]
    assert _counts() == (1, len(truth.transactions))


def test_racing_saves_of_the_same_statement_insert_it_once(clean_db, register, tmp_path) -> None:
    """The unique (user, fingerprint) key: a save waits for a racing one's commit, then
    finds its statement, on either back end."""
    register("racer@example.com")
    with get_engine().connect() as conn:
        user_id = conn.scalar(select(User.id).where(User.email == "racer@example.com"))
    LAYOUTS["prairie_us"](tmp_path / "prairie.pdf")
    parsed = parse_statement(tmp_path / "prairie.pdf")
    outcome: dict[str, object] = {}
    with get_engine().begin() as conn:  # the first save, not yet committed
        first = save_statement(conn, user_id, "a" * 64, parsed)

        def second_save() -> None:
            with get_engine().begin() as other:
                outcome["saved"] = save_statement(other, user_id, "b" * 64, parsed)

        racer = threading.Thread(target=second_save)
        racer.start()
        racer.join(timeout=1)
        assert racer.is_alive(), "the second save did not wait for the first's commit"
    racer.join(timeout=30)
    assert not racer.is_alive()
    saved = outcome["saved"]
    assert saved.ids == first.ids and saved.known == first.ids  # type: ignore[attr-defined]
    assert _counts() == (1, len(parsed.transactions))


@pytest.fixture
def long_downloads(tmp_path: Path) -> tuple[bytes, bytes]:
    make_long_statement(tmp_path / "long.pdf", PAGES)
    return _two_downloads(tmp_path / "long.pdf")


def test_a_long_statement_read_in_parts_is_recognised_too(
    client, auth_headers, worker, wait_for, long_downloads
) -> None:
    first, second = long_downloads
    imported = _outcome(client, auth_headers, wait_for, _submit(client, auth_headers, first), timeout=120)
    counts = _counts()
    assert counts[0] == 1
    again = _outcome(client, auth_headers, wait_for, _submit(client, auth_headers, second), timeout=120)
    assert again["already_imported"] == [imported["statement_id"]]
    assert again["warnings"][-1].startswith(
        f"This statement was already imported as statement {imported['statement_id']}"
    )
    assert _counts() == counts


def test_a_batch_with_the_statement_in_two_files_imports_it_once(
    client, auth_headers, worker, tmp_path
) -> None:
    truth = LAYOUTS["coral_au"](tmp_path / "coral.pdf")
    first, second = _two_downloads(tmp_path / "coral.pdf")
    answer = client.post(
        "/batches", headers=auth_headers,
        files=[("files", (name, content, "application/pdf"))
               for name, content in (("march.pdf", first), ("march (1).pdf", second))],
    )
    assert answer.status_code == 202, answer.text
    batch_id = answer.json()["batch_id"]
    deadline = time.monotonic() + 90
    while (body := client.get(f"/batches/{batch_id}", headers=auth_headers).json())["status"] != "SUCCESS":
        assert time.monotonic() < deadline and body["status"] in ("PENDING", "PROCESSING"), body
        time.sleep(0.2)
    ids = {item["statement_id"] for item in body["items"]}
    assert len(ids) == 1 and None not in ids
    assert _counts() == (1, len(truth.transactions))
