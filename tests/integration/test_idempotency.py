"""Idempotent submits (the same Idempotency-Key gives the first answer and creates nothing)
and fair share (a user with USER_MAX_ACTIVE_TASKS unfinished tasks gets 429)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from backend.config import get_settings
from backend.db import get_engine
from backend.models import Statement, TaskStatus
from backend.tasks.kinds import PARSE_STATEMENT_PART
from tests.support import is_final
from tests.support.seed import seed_task
from tests.support.statement_pdfs import LAYOUTS


def task_count() -> int:
    with get_engine().connect() as conn:
        return conn.scalar(select(func.count()).select_from(TaskStatus)) or 0


def keyed(headers: dict[str, str], key: str | bytes) -> dict[str, str | bytes]:
    return {**headers, "Idempotency-Key": key}


def test_the_same_key_twice_gives_one_task(client, auth_headers, worker, wait_for):
    first = client.post("/tasks/ping", headers=keyed(auth_headers, "ping-1"))
    again = client.post("/tasks/ping", headers=keyed(auth_headers, "ping-1"))

    assert first.status_code == again.status_code == 202
    assert again.json() == first.json()
    assert task_count() == 1
    assert wait_for(first.json()["task_id"], auth_headers, is_final)["status"] == "SUCCESS"
    # Once the task has run, the key still answers with it (and queues nothing).
    assert client.post("/tasks/ping", headers=keyed(auth_headers, "ping-1")).json() == first.json()
    assert task_count() == 1


def test_without_a_key_every_submit_is_new(client, auth_headers):
    ids = {client.post("/tasks/ping", headers=auth_headers).json()["task_id"] for _ in range(2)}
    assert len(ids) == 2


def test_the_same_key_with_another_request_is_422(client, auth_headers):
    headers = keyed(auth_headers, "categorize-1")
    rules = [{"pattern": "tesco", "match_type": "contains", "category": "Groceries"}]
    first = client.post("/bulk_categorize_async", json={"rules": rules}, headers=headers)
    other = client.post(
        "/bulk_categorize_async", json={"rules": rules, "overwrite": True}, headers=headers
    )
    elsewhere = client.post("/tasks/ping", headers=headers)

    assert first.status_code == 202
    assert other.status_code == elsewhere.status_code == 422
    assert "different request" in other.json()["detail"]
    assert task_count() == 1


def test_keys_belong_to_their_user(client, register):
    alice, bob = register(), register()
    a = client.post("/tasks/ping", headers=keyed(alice, "shared-name"))
    b = client.post("/tasks/ping", headers=keyed(bob, "shared-name"))
    assert a.status_code == b.status_code == 202
    assert a.json()["task_id"] != b.json()["task_id"]


def test_a_repeated_upload_creates_nothing_and_another_file_is_refused(
    client, auth_headers, tmp_path
):
    LAYOUTS["northgate_uk"](tmp_path / "a.pdf")
    content = (tmp_path / "a.pdf").read_bytes()
    headers = keyed(auth_headers, "upload-1")

    def upload(data: bytes):
        return client.post(
            "/upload_pdf_async", headers=headers,
            files={"file": ("statement.pdf", data, "application/pdf")},
        )

    first, again = upload(content), upload(content)
    different = upload(content + b"\n% another file\n")

    assert first.status_code == again.status_code == 202
    assert again.json() == first.json()
    assert different.status_code == 422
    assert task_count() == 1
    stored = list(get_settings().storage_dir.rglob("*.pdf"))
    assert len(stored) == 1, "the refused upload left its file behind"


def test_the_same_file_with_other_parser_hints_is_another_request(
    client, auth_headers, tmp_path, wait_for
):
    LAYOUTS["northgate_uk"](tmp_path / "a.pdf")
    content = (tmp_path / "a.pdf").read_bytes()

    def upload(key: str = "hinted-1", **hints: str):
        return client.post(
            "/upload_pdf_async", headers=keyed(auth_headers, key), data=hints,
            files={"file": ("statement.pdf", content, "application/pdf")},
        )

    first, again = upload(date_order="DMY"), upload(date_order="DMY")
    assert first.status_code == again.status_code == 202 and again.json() == first.json()
    # Imported by now: the file read with other hints is refused (409) for a new key, but
    # the key used before answers as its first use decided, before the file is judged.
    wait_for(first.json()["task_id"], auth_headers, lambda s: s["status"] == "SUCCESS")
    for other in ({"date_order": "MDY"}, {}, {"date_order": "DMY", "decimal": ","}):
        refused = upload(**other)
        assert refused.status_code == 422, (other, refused.text)
        assert refused.json()["code"] == "idempotency_key_reused"
    assert upload(date_order="DMY").json() == first.json()
    assert upload("hinted-2", date_order="MDY").status_code == 409
    assert task_count() == 1


@pytest.mark.parametrize("key", ["", "x" * 256])
def test_a_key_that_is_empty_or_too_long_is_422(client, auth_headers, key):
    response = client.post("/tasks/ping", headers=keyed(auth_headers, key))
    assert response.status_code == 422
    assert task_count() == 0


def test_a_key_is_limited_in_bytes_and_the_422_says_so(client, auth_headers):
    """A header is bytes: how a client encodes a non-ASCII character (UTF-8 from curl,
    ISO-8859-1 from a browser) is not known, so the limit counts the bytes sent."""
    at_limit = ("é" * 127 + "x").encode()  # 255 bytes in UTF-8, 128 characters
    over = ("é" * 128).encode()  # 256 bytes, 128 characters

    first = client.post("/tasks/ping", headers=keyed(auth_headers, at_limit))
    again = client.post("/tasks/ping", headers=keyed(auth_headers, at_limit))
    refused = client.post("/tasks/ping", headers=keyed(auth_headers, over))

    assert first.status_code == again.status_code == 202
    assert again.json() == first.json()
    assert refused.status_code == 422
    assert "at most 255 bytes" in refused.json()["detail"]
    assert task_count() == 1


def test_a_key_is_compared_byte_for_byte(client, auth_headers):
    """No collation, case folding, Unicode normalization or truncation: keys that differ
    in a byte are two keys, and the full 255 bytes are kept (two keys differing only in
    their last byte). (The TestClient sends str headers as UTF-8, so it cannot send the
    ISO-8859-1 bytes a browser would.)"""
    keys = [b"Key", b"key", "é".encode(), "e\u0301".encode(), b"k" * 254 + b"a", b"k" * 254 + b"b"]
    ids = {client.post("/tasks/ping", headers=keyed(auth_headers, key)).json()["task_id"] for key in keys}
    assert len(ids) == len(keys) == task_count()
    assert client.post("/tasks/ping", headers=keyed(auth_headers, b"k" * 254 + b"a")).json()[
        "task_id"] in ids
    assert task_count() == len(keys)


@pytest.mark.parametrize("key", [b"a\x00b", b"a\x1fb", b"a\tb", b"a\x7fb"])
def test_a_key_with_a_control_character_is_422(client, auth_headers, key):
    """A NUL cannot be stored on PostgreSQL (it was a 500 there); no control character is
    part of a key, on either back end."""
    response = client.post("/tasks/ping", headers=keyed(auth_headers, key))
    assert response.status_code == 422
    assert "control character" in response.json()["detail"]
    assert task_count() == 0


def test_concurrent_requests_with_one_key_queue_one_task(client, auth_headers):
    answers: list[tuple[int, dict]] = []

    def send() -> None:
        response = client.post("/tasks/ping", headers=keyed(auth_headers, "race-1"))
        answers.append((response.status_code, response.json()))

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert task_count() == 1
    # A one-task submit records its key with its answer in one transaction: the others
    # waited for it and got its answer (no 409 "still being handled").
    assert [status for status, _ in answers] == [202] * 6
    assert len({body["task_id"] for _, body in answers}) == 1


def _pending_tasks(user_id: int, count: int) -> None:
    for _ in range(count):
        seed_task(user_id, "PENDING")


def test_a_user_at_the_active_task_limit_gets_429_and_others_do_not(
    client, register, monkeypatch
):
    monkeypatch.setattr(get_settings(), "user_max_active_tasks", 3)
    busy, other = register(), register()
    busy_id = client.get("/auth/me", headers=busy).json()["id"]
    _pending_tasks(busy_id, 3)

    refused = client.post("/tasks/ping", headers=keyed(busy, "over-limit"))
    accepted = client.post("/tasks/ping", headers=other)

    assert refused.status_code == 429
    assert refused.headers["retry-after"]
    assert "3 tasks" in refused.json()["detail"]
    assert accepted.status_code == 202
    # The refused key was not used up: once a task finishes, the same key goes through.
    with get_engine().begin() as conn:
        conn.execute(
            TaskStatus.__table__.update()
            .where(TaskStatus.user_id == busy_id)
            .values(status="SUCCESS")
        )
    assert client.post("/tasks/ping", headers=keyed(busy, "over-limit")).status_code == 202


def test_a_repeated_request_that_got_through_gets_its_answer_even_at_the_limit(
    client, register, monkeypatch
):
    monkeypatch.setattr(get_settings(), "user_max_active_tasks", 3)
    user = register()
    first = client.post("/tasks/ping", headers=keyed(user, "got-through"))
    assert first.status_code == 202
    # At the limit now, whether or not a worker ran the first ping meanwhile.
    _pending_tasks(client.get("/auth/me", headers=user).json()["id"], 3)

    # The client did not see the first answer (a timeout) and sends the request again.
    again = client.post("/tasks/ping", headers=keyed(user, "got-through"))
    assert (again.status_code, again.json()) == (202, first.json())
    assert client.post("/tasks/ping", headers=keyed(user, "a-new-one")).status_code == 429


def test_a_long_statements_parts_do_not_count_against_the_limit(client, register, monkeypatch):
    monkeypatch.setattr(get_settings(), "user_max_active_tasks", 2)
    user = register()
    user_id = client.get("/auth/me", headers=user).json()["id"]
    seed_task(user_id, "PROCESSING")  # the parse task, waiting for its parts...
    for _ in range(4):  # ...which are its work, not more tasks of the user
        seed_task(user_id, "PENDING", task_name=PARSE_STATEMENT_PART.name)

    assert client.post("/tasks/ping", headers=user).status_code == 202


def test_uploads_over_the_limit_leave_no_file(client, auth_headers, monkeypatch, tmp_path):
    monkeypatch.setattr(get_settings(), "user_max_active_tasks", 1)
    _pending_tasks(client.get("/auth/me", headers=auth_headers).json()["id"], 1)
    LAYOUTS["northgate_uk"](tmp_path / "a.pdf")

    response = client.post(
        "/upload_pdf_async", headers=auth_headers,
        files={"file": ("statement.pdf", (tmp_path / "a.pdf").read_bytes(), "application/pdf")},
    )

    assert response.status_code == 429
    assert not list(get_settings().storage_dir.rglob("*.pdf"))
    with get_engine().connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Statement)) == 0
