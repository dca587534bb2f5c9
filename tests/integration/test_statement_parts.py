"""Long statements parsed in parts on the worker's processes, merged once (issue 9, item 4).

The test environment (tests/conftest.py) reads a statement of 21+ pages in parts of 6 pages:
a 22-page statement becomes 4 part tasks and a merge on the real worker (2 pool processes).
The result must be the serial parse of the same file, field for field and row for row.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import select

from backend.config import get_settings
from backend.db import get_engine
from backend.models import Statement, TaskState, TaskStatus, Transaction
from backend.services import task_records
from backend.services.statements import parse_statement
from backend.tasks import statement_parts
from backend.tasks.kinds import MERGE_STATEMENT_PARTS, PARSE_STATEMENT, PARSE_STATEMENT_PART
from backend.tasks.statement_parts import STORAGE_LOST, part_task_id, record_parts, send_parts
from backend.tasks.submission import record_task
from tests.support import FINAL_STATES, is_final
from tests.support.statement_pdfs import make_long_statement

PAGES = 22  # parts of 6, 6, 6 and 4 pages


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("parts") / "long.pdf"
    make_long_statement(path, PAGES)
    return path


def upload(client, headers, path: Path) -> str:
    response = client.post(
        "/upload_pdf_async", headers=headers,
        files={"file": ("long.pdf", path.read_bytes(), "application/pdf")},
    )
    assert response.status_code == 202, response.text
    return response.json()["task_id"]


def helper_rows(parent: str) -> list[TaskStatus]:
    """The part and merge rows of a parse task, parts in page order."""
    with get_engine().connect() as conn:
        rows = conn.execute(
            select(TaskStatus).where(
                TaskStatus.task_name.in_([PARSE_STATEMENT_PART.name, MERGE_STATEMENT_PARTS.name])
            )
        ).all()
    parts = {part_task_id(parent, index): index for index in range(PAGES)}
    return sorted(
        (row for row in rows if row.task_id in parts or row.kwargs.get("parent_task_id") == parent),
        key=lambda row: parts.get(row.task_id, PAGES),
    )


def test_the_thresholds_of_the_test_environment_split_this_statement() -> None:
    settings = get_settings()
    assert settings.parallel_parse_min_pages <= PAGES
    assert settings.parallel_parse_pages_per_part == 6


def test_a_long_statement_parsed_in_parts_is_the_serial_parse(
    client, auth_headers, worker, wait_for, long_pdf: Path
) -> None:
    serial = parse_statement(long_pdf)
    task_id = upload(client, auth_headers, long_pdf)
    seen: list[int] = []

    def done(status: dict) -> bool:
        seen.append(status["progress_percent"])
        return is_final(status)

    final = wait_for(task_id, auth_headers, done, timeout=120)
    assert final["status"] == "SUCCESS", final
    assert final["progress_percent"] == 100
    assert seen == sorted(seen), "progress went back"

    # Four parts and one merge ran, each to SUCCESS; the parts cover the pages in order.
    rows = wait_until_helpers_end(task_id)  # the merge finishes the parse task, then itself
    assert [row.task_name for row in rows] == [PARSE_STATEMENT_PART.name] * 4 + [MERGE_STATEMENT_PARTS.name]
    assert all(row.status == TaskState.SUCCESS.value and row.attempts >= 1 for row in rows)
    read = [page["index"] for row in rows[:4] for page in row.result["pages"]]
    assert read == list(range(PAGES))

    # The result is the serial parse's, transaction for transaction.
    result = client.get(f"/tasks/{task_id}/result", headers=auth_headers).json()["result"]
    assert result["transaction_count"] == len(serial.transactions)
    assert result["opening_balance"] == str(serial.opening_balance)
    assert result["closing_balance"] == str(serial.closing_balance)
    assert result["balance_check"] == serial.balance_check == "ok"
    assert result["account_last4"] == serial.account_last4
    assert result["bank_name"] == serial.bank_name
    with get_engine().connect() as conn:
        statement = conn.execute(select(Statement).where(Statement.id == result["statement_id"])).one()
        stored = conn.execute(
            select(Transaction.date, Transaction.description, Transaction.amount, Transaction.balance)
            .where(Transaction.statement_id == statement.id)
            .order_by(Transaction.id)
        ).all()
    assert statement.page_count == PAGES
    assert statement.filename == "long.pdf"  # the merge saves it with the upload's name
    assert [tuple(row) for row in stored] == [
        (t.date, t.description, t.amount, t.balance) for t in serial.transactions
    ]

    # The parts are the parse task's work, not tasks of the user's own.
    listed = client.get("/tasks", headers=auth_headers).json()
    assert [item["task_id"] for item in listed["items"]] == [task_id]


def handed_over_parse(client, headers, file_path: str) -> tuple[str, list]:
    """A parse task's row, run and handed to its parts as a worker would (not yet sent)."""
    engine = get_engine()
    user_id = client.get("/auth/me", headers=headers).json()["id"]
    with engine.begin() as conn:
        task_id = record_task(
            conn, user_id, PARSE_STATEMENT.name,
            {"user_id": user_id, "file_path": file_path, "file_sha256": "0" * 64},
        )
    started = task_records.mark_processing(engine, task_id, "node@test", 60, 3)
    assert started.outcome.value == "tracked"
    sends = record_parts(engine, task_id, "node@test", started.attempt, user_id, file_path, PAGES, 6)
    assert sends is not None and len(sends) == 4
    return task_id, sends


def wait_until_helpers_end(parent: str) -> list[TaskStatus]:
    deadline = time.monotonic() + 60
    while any(row.status not in FINAL_STATES for row in helper_rows(parent)):
        assert time.monotonic() < deadline, [row.status for row in helper_rows(parent)]
        time.sleep(0.1)
    return helper_rows(parent)


def test_cancelling_a_statement_read_in_parts_stops_its_parts(
    client, auth_headers, worker, wait_for, long_pdf: Path
) -> None:
    task_id, sends = handed_over_parse(client, auth_headers, str(long_pdf))
    assert task_records.request_cancel(get_engine(), task_id)  # as DELETE /tasks/{id} does
    send_parts(sends)
    final = wait_for(task_id, auth_headers, is_final, timeout=60)
    assert final["status"] == "REVOKED", final
    rows = wait_until_helpers_end(task_id)
    assert [row.status for row in rows] == ["REVOKED"] * 4  # no page read, no merge
    with get_engine().connect() as conn:
        assert conn.scalar(select(Statement.id)) is None


def test_a_part_that_fails_fails_the_statement_with_its_message(
    client, auth_headers, worker, wait_for, tmp_path: Path
) -> None:
    # The upload is gone by the time the parts run (storage lost it).
    task_id, sends = handed_over_parse(client, auth_headers, str(tmp_path / "gone.pdf"))
    send_parts(sends)
    final = wait_for(task_id, auth_headers, is_final, timeout=60)
    assert final["status"] == "FAILED", final
    assert final["error_message"] == STORAGE_LOST
    rows = wait_until_helpers_end(task_id)
    assert MERGE_STATEMENT_PARTS.name not in {row.task_name for row in rows}
    assert {row.status for row in rows} <= {"FAILED", "REVOKED"}


def running_parse_task(user_id: int) -> tuple[str, task_records.Start]:
    """A parse task of a file that is nowhere, leased by node@test (not sent to a worker)."""
    engine = get_engine()
    with engine.begin() as conn:
        task_id = record_task(
            conn, user_id, PARSE_STATEMENT.name,
            {"user_id": user_id, "file_path": "/nowhere.pdf", "file_sha256": "0" * 64},
        )
    return task_id, task_records.mark_processing(engine, task_id, "node@test", 60, 3)


def test_the_reaper_leaves_a_task_handed_to_its_parts_alone(clean_db, register, client) -> None:
    # A handed-over row holds no lease: however old, it is not a lost run to send again.
    engine = get_engine()
    user_id = client.get("/auth/me", headers=register()).json()["id"]
    task_id, started = running_parse_task(user_id)
    assert started.outcome.value == "tracked"
    assert [d.task_id for d in task_records.expired_leases(engine, 0)] == [task_id]
    with engine.begin() as conn:
        assert task_records.hand_over(
            conn, task_id, "node@test", started.attempt, "Parsing 50 pages in 3 parts"
        )
        assert not task_records.hand_over(conn, task_id, "node@test", started.attempt, "again")
    assert task_records.expired_leases(engine, 0) == []
    assert task_records.reclaim_expired_lease(engine, task_id, 0, 3) is None
    # ...nor does a redelivered copy of its message run it again.
    assert task_records.mark_processing(engine, task_id, "other@test", 0, 3).outcome.value == "busy"
    assert task_records.record_handed_over_progress(engine, task_id, 40, "Parsing page 20/50")
    assert task_records.record_handed_over_progress(engine, task_id, 30, "back")  # not written
    assert task_records.current_state(engine, task_id) is TaskState.PROCESSING
    assert task_records.request_cancel(engine, task_id)
    assert not task_records.record_handed_over_progress(engine, task_id, 50, "Parsing page 25/50")
    with engine.connect() as conn:
        row = conn.execute(select(TaskStatus).where(TaskStatus.task_id == task_id)).one()
    assert (row.status, row.progress_percent, row.worker) == ("PROCESSING", 50, None)


def test_a_merge_waiting_in_the_queue_says_so(clean_db, register, client, monkeypatch) -> None:
    """All pages read, the merge sent but not started (behind other work on its queue): the
    parse task says it waits, not "Merging" for as long as the queue is long (found by QA)."""
    engine = get_engine()
    task_id, sends, sent = parts_all_succeeded(client, register(), monkeypatch)
    statement_parts._start_merge(engine, sends[-1][1])  # what the last part's end runs

    assert sent == [MERGE_STATEMENT_PARTS.name]
    with engine.connect() as conn:
        row = conn.execute(select(TaskStatus).where(TaskStatus.task_id == task_id)).one()
    assert row.progress_message == "All 12 pages read; waiting for a worker to merge them"
    assert row.progress_percent == statement_parts.MERGE_WAITING
    # The merge says it merges once it runs (and progress only rises).
    assert task_records.record_handed_over_progress(
        engine, task_id, statement_parts.MERGING, "Merging 12 pages"
    )


def test_a_long_statement_in_a_batch_finishes_the_batch(client, auth_headers, worker, long_pdf: Path) -> None:
    # No beat runs here: the batch moves on when the merge finishes its parse task.
    answer = client.post(
        "/batches", headers=auth_headers,
        files=[("files", ("long.pdf", long_pdf.read_bytes(), "application/pdf"))],
    )
    assert answer.status_code == 202, answer.text
    batch_id = answer.json()["batch_id"]
    deadline = time.monotonic() + 90
    while (body := client.get(f"/batches/{batch_id}", headers=auth_headers).json())["status"] not in {
        "SUCCESS", "PARTIAL", "FAILED", "REVOKED"
    }:
        assert time.monotonic() < deadline, body
        time.sleep(0.1)
    assert body["status"] == "SUCCESS", body
    parent = body["items"][0]["task_id"]
    assert len([row for row in helper_rows(parent) if row.task_name == PARSE_STATEMENT_PART.name]) == 4


def test_a_part_failed_outside_a_run_fails_the_statement_at_the_reapers_next_round(
    client, auth_headers, long_pdf: Path
) -> None:
    # The part's worker died for the last allowed time: the worker's main process (or the
    # reaper) failed it, and no task_postrun ran to move the parse task on.
    from backend.tasks.recovery import reap

    engine = get_engine()
    task_id, sends = handed_over_parse(client, auth_headers, str(long_pdf))
    assert reap()["parts_settled"] == 0  # parts still to run: nothing to do
    assert task_records.current_state(engine, task_id) is TaskState.PROCESSING
    message = task_records.lost_worker_message(3)
    assert task_records.mark_failed(engine, sends[2][0], message)
    assert reap()["parts_settled"] == 1
    row = client.get(f"/tasks/{task_id}/status", headers=auth_headers).json()
    assert (row["status"], row["error_message"]) == ("FAILED", message)
    assert reap()["parts_settled"] == 0


def parts_all_succeeded(client, headers, monkeypatch) -> tuple[str, list, list[str]]:
    """A parse task of 12 pages whose two parts both succeeded, before any merge was set
    up; the messages sent from then on are recorded in the list returned, not sent."""
    engine = get_engine()
    user_id = client.get("/auth/me", headers=headers).json()["id"]
    task_id, started = running_parse_task(user_id)
    sends = record_parts(engine, task_id, "node@test", started.attempt, user_id, "/nowhere.pdf", 12, 6)
    assert sends is not None and len(sends) == 2
    for part_id, _kwargs in sends:
        assert task_records.mark_processing(engine, part_id, "node@test", 60, 3).attempt == 1
        assert task_records.mark_success(engine, part_id, {"pages": []})
    sent: list[str] = []
    monkeypatch.setattr(statement_parts, "dispatch", lambda name, *_args: sent.append(name))
    return task_id, sends, sent


def parts_all_succeeded_then_cancelled(client, headers, monkeypatch) -> tuple[str, list, list[str]]:
    """The same (``parts_all_succeeded``), cancelled (DELETE's flag) before any merge was set up."""
    task_id, sends, sent = parts_all_succeeded(client, headers, monkeypatch)
    assert task_records.request_cancel(get_engine(), task_id)  # what DELETE /tasks/{id} does first
    return task_id, sends, sent


def test_a_statement_cancelled_once_its_last_part_succeeded_is_revoked_not_merged(
    clean_db, register, client, monkeypatch
) -> None:
    # The cancel came after the last part's last progress write (where a part sees it) and
    # before that part's end set up the merge. No part is left to see it and no merge is
    # set up for a cancelled task: it stayed PROCESSING for ever, and every DELETE said 202.
    # The statement is saved by the merge, so the work is not done: REVOKED, as for a
    # cancel that a running merge sees.
    headers = register()
    task_id, sends, sent = parts_all_succeeded_then_cancelled(client, headers, monkeypatch)

    statement_parts._after_helper(  # the last part's task_postrun
        task_id=sends[-1][0], task=statement_parts.parse_statement_part, kwargs=sends[-1][1]
    )

    assert sent == []  # no merge
    status = client.get(f"/tasks/{task_id}/status", headers=headers).json()
    assert (status["status"], status["progress_message"]) == ("REVOKED", "Cancelled")
    assert client.delete(f"/tasks/{task_id}", headers=headers).json() == {
        "message": "Task result deleted"
    }


def test_a_statement_cancelled_once_its_parts_succeeded_is_revoked_by_the_reaper(
    clean_db, register, client, monkeypatch
) -> None:
    # The same, the last part's process killed before its task_postrun: the reaper's next
    # round settles the parse task.
    from backend.tasks.recovery import reap

    headers = register()
    task_id, _sends, sent = parts_all_succeeded_then_cancelled(client, headers, monkeypatch)

    assert reap()["parts_settled"] == 1

    assert sent == []
    assert task_records.current_state(get_engine(), task_id) is TaskState.REVOKED
