"""Batches end to end: many statements in one upload, tracked per item, retried, cancelled,
and run through the categorize → report pipeline, with a real worker and broker.

Some tests pause the worker's ``pdf_processing`` consumer (Celery's remote control, as an
operator would) so that a batch waits in the queue while the test does something to it:
removes two stored files before they are parsed, cancels the batch.
"""

from __future__ import annotations

import io
import logging
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, event, func, select, text

from backend.config import get_settings
from backend.db import get_engine
from backend.models import Batch, TaskState, TaskStatus
from backend.services import batches, task_records
from backend.tasks import batches as batch_tasks
from backend.tasks.app import celery_app
from backend.tasks.batches import advance_batch
from backend.tasks.kinds import CATEGORIZE, FINISH_BATCHES, PARSE_STATEMENT, REPORT
from tests.support import is_final
from tests.support.invoice_pdfs import write_text_pdf
from tests.support.seed import seed_batch, seed_task
from tests.support.statement_pdfs import LAYOUTS, StatementTruth

FINAL_BATCH_STATES = {"SUCCESS", "PARTIAL", "FAILED", "REVOKED"}
NOT_A_PDF = "The file is not a PDF (its content has no %PDF- header)"


def statement(tmp_path: Path, layout: str) -> tuple[bytes, StatementTruth]:
    path = tmp_path / f"{layout}.pdf"
    truth = LAYOUTS[layout](path)
    return path.read_bytes(), truth


def files_part(named: list[tuple[str, bytes]]) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (name, content, "application/pdf")) for name, content in named]


def task_rows(name: str = PARSE_STATEMENT.name) -> int:
    with get_engine().connect() as conn:
        return conn.scalar(
            select(func.count()).select_from(TaskStatus).where(TaskStatus.task_name == name)
        ) or 0


def batch_rows() -> int:
    with get_engine().connect() as conn:
        return conn.scalar(select(func.count()).select_from(Batch)) or 0


@pytest.fixture
def wait_batch(client, worker) -> Callable[..., dict]:
    """Poll GET /batches/{id} until the batch is final (or ``done`` holds)."""

    def _wait(
        batch_id: str, headers: dict[str, str], done: Callable[[dict], bool] | None = None,
        timeout: float = 90,
    ) -> dict:
        done = done or (lambda body: body["status"] in FINAL_BATCH_STATES)
        deadline = time.monotonic() + timeout
        while True:
            body = client.get(f"/batches/{batch_id}", headers=headers).json()
            if done(body):
                return body
            if time.monotonic() > deadline:
                pytest.fail(f"The batch never got there; last seen: {body}")
            time.sleep(0.1)

    return _wait


@contextmanager
def statement_queue_paused() -> Iterator[None]:
    """The worker stops taking statement messages (they wait in the queue) until the end."""
    queue = PARSE_STATEMENT.queue
    assert celery_app.control.cancel_consumer(queue, reply=True, timeout=5), "no worker answered"
    try:
        yield
    finally:
        assert celery_app.control.add_consumer(
            queue, exchange=queue, routing_key=queue, reply=True, timeout=5
        ), "no worker answered"


def test_a_batch_of_ten_with_two_failures_is_partial_and_retry_runs_exactly_those(
    client, auth_headers, worker, wait_batch, tmp_path
):
    layouts = list(LAYOUTS)[:10]
    pdfs = [statement(tmp_path, layout) for layout in layouts]
    # Two files fail for a reason the test can take away: the storage loses them between
    # the upload and the parse (a volume that was not mounted), and they come back later.
    with statement_queue_paused():
        answer = client.post(
            "/batches", files=files_part([(f"{name}.pdf", pdf) for name, (pdf, _) in zip(
                layouts, pdfs, strict=True)]), headers=auth_headers,
        )
        assert answer.status_code == 202, answer.text
        submitted = answer.json()
        assert submitted["status"] == "submitted"
        assert submitted["item_count"] == 10
        assert [item["filename"] for item in submitted["items"]] == [f"{n}.pdf" for n in layouts]
        batch_id = submitted["batch_id"]
        assert client.get(f"/batches/{batch_id}", headers=auth_headers).json()["status"] == "PENDING"
        user_dir = get_settings().storage_dir / str(client.get("/auth/me", headers=auth_headers).json()["id"])
        lost = sorted(user_dir.glob("*.pdf"))[:2]
        assert len(lost) == 2
        for path in lost:
            shutil.move(path, tmp_path / f"kept-{path.name}")

    first = wait_batch(batch_id, auth_headers)
    assert first["status"] == "PARTIAL"
    assert (first["total"], first["succeeded"], first["failed"], first["pending"]) == (10, 8, 2, 0)
    assert first["progress_percent"] == 100
    failed = [item for item in first["items"] if item["status"] == "FAILED"]
    assert len(failed) == 2
    assert all("no longer stored" in item["error_message"] for item in failed)
    assert all(item["statement_id"] is None for item in failed)
    succeeded = [item for item in first["items"] if item["status"] == "SUCCESS"]
    assert len({item["statement_id"] for item in succeeded}) == 8
    # Each item carries its task's progress: one read of the batch follows every file.
    assert all((item["progress_percent"], item["progress_message"]) == (100, "Done") for item in succeeded)
    before = {item["task_id"]: client.get(f"/tasks/{item['task_id']}/status", headers=auth_headers).json()
              for item in succeeded}

    for path in lost:  # the storage is back
        shutil.move(tmp_path / f"kept-{path.name}", path)
    retried = client.post(f"/batches/{batch_id}/retry_failed", headers=auth_headers)
    assert retried.status_code == 202
    assert retried.json() == {"retried": 2, "not_retryable": 0}

    second = wait_batch(batch_id, auth_headers)
    assert second["status"] == "SUCCESS", second
    assert (second["succeeded"], second["failed"]) == (10, 0)
    by_id = {item["item_id"]: item for item in second["items"]}
    # Exactly the two failed items ran again, as new tasks; the others were not touched.
    for item in failed:
        again = by_id[item["item_id"]]
        assert again["task_id"] != item["task_id"]
        assert again["statement_id"] is not None
        old = client.get(f"/tasks/{item['task_id']}/status", headers=auth_headers).json()
        assert old["status"] == "FAILED"
    for item in succeeded:
        assert by_id[item["item_id"]]["task_id"] == item["task_id"]
        now = client.get(f"/tasks/{item['task_id']}/status", headers=auth_headers).json()
        assert now == before[item["task_id"]]
    assert task_rows() == 12
    assert client.get("/statements", headers=auth_headers).json()["total"] == 10

    # Nothing failed now: another retry re-runs nothing.
    assert client.post(f"/batches/{batch_id}/retry_failed", headers=auth_headers).json() == {
        "retried": 0, "not_retryable": 0,
    }
    assert task_rows() == 12


def test_retry_failed_runs_only_the_failures_another_run_can_help(
    client, auth_headers, worker, wait_batch, tmp_path
):
    """A letter is no statement however often it runs; a file the storage lost may be back.
    retry_failed runs the second again and counts the first in not_retryable."""
    good, _ = statement(tmp_path, "northgate_uk")
    letter = write_text_pdf(tmp_path / "letter.pdf", ["Dear customer,", "thank you."]).read_bytes()
    with statement_queue_paused():
        answer = client.post(
            "/batches", files=files_part([("letter.pdf", letter), ("good.pdf", good)]),
            headers=auth_headers,
        )
        assert answer.status_code == 202, answer.text
        batch_id = answer.json()["batch_id"]
        user_dir = get_settings().storage_dir / str(client.get("/auth/me", headers=auth_headers).json()["id"])
        stored_good = next(path for path in user_dir.glob("*.pdf") if path.read_bytes() == good)
        shutil.move(stored_good, tmp_path / "kept.pdf")

    first = wait_batch(batch_id, auth_headers)
    assert (first["failed"], first["succeeded"]) == (2, 0), first
    verdicts = {
        item["filename"]: client.get(f"/tasks/{item['task_id']}/status", headers=auth_headers).json()
        for item in first["items"]
    }
    assert verdicts["letter.pdf"]["retryable"] is False
    assert verdicts["good.pdf"]["retryable"] is True, verdicts["good.pdf"]["error_message"]

    shutil.move(tmp_path / "kept.pdf", stored_good)  # the storage is back
    retried = client.post(f"/batches/{batch_id}/retry_failed", headers=auth_headers)
    assert retried.json() == {"retried": 1, "not_retryable": 1}
    second = wait_batch(batch_id, auth_headers)
    assert (second["failed"], second["succeeded"]) == (1, 1), second
    assert task_rows() == 3


def test_refused_uploads_are_failed_items_and_cannot_be_rerun(
    client, auth_headers, worker, wait_batch, tmp_path
):
    good, _ = statement(tmp_path, "northgate_uk")
    too_big = b"%PDF-1.4\n" + b"0" * (get_settings().max_upload_bytes + 1)
    answer = client.post(
        "/batches",
        files=files_part([
            ("good.pdf", good), ("notes.txt", b"just some text, not a PDF at all"),
            ("empty.pdf", b""), ("huge.pdf", too_big), ("C:\\Users\\ann\\again.pdf", good),
        ]),
        headers=auth_headers,
    )
    assert answer.status_code == 202, answer.text
    assert [item["filename"] for item in answer.json()["items"]] == [
        "good.pdf", "notes.txt", "empty.pdf", "huge.pdf", "again.pdf",
    ]
    body = wait_batch(answer.json()["batch_id"], auth_headers)

    assert body["status"] == "PARTIAL"
    items = {item["filename"]: item for item in body["items"]}
    assert items["notes.txt"]["error_message"] == NOT_A_PDF
    assert items["empty.pdf"]["error_message"] == "The file is empty"
    assert "larger than the" in items["huge.pdf"]["error_message"]
    for name in ("notes.txt", "empty.pdf", "huge.pdf"):
        assert (items[name]["status"], items[name]["task_id"]) == ("FAILED", None)
    # The same file twice in one batch is one statement (deduplicated by its hash).
    assert items["good.pdf"]["status"] == items["again.pdf"]["status"] == "SUCCESS"
    assert items["good.pdf"]["statement_id"] == items["again.pdf"]["statement_id"]
    assert task_rows() == 2

    retried = client.post(f"/batches/{body['batch_id']}/retry_failed", headers=auth_headers)
    assert retried.status_code == 202
    assert retried.json() == {"retried": 0, "not_retryable": 3}
    assert task_rows() == 2


def test_a_batch_of_only_refused_uploads_is_failed_at_once(client, auth_headers, wait_batch):
    answer = client.post("/batches", files=files_part([("a.txt", b"x"), ("b.txt", b"y")]),
                         headers=auth_headers)
    assert answer.status_code == 202
    body = wait_batch(answer.json()["batch_id"], auth_headers)
    assert (body["status"], body["failed"], body["progress_percent"]) == ("FAILED", 2, 100)


def test_then_categorize_report_runs_on_the_batch_statements(
    client, auth_headers, worker, wait_for, wait_batch, tmp_path
):
    outside, _ = statement(tmp_path, "fjord_no")
    outside_task = client.post("/upload_pdf_async", files={"file": ("o.pdf", outside, "application/pdf")},
                               headers=auth_headers).json()["task_id"]
    assert wait_for(outside_task, auth_headers, is_final)["status"] == "SUCCESS"
    outside_id = client.get(f"/tasks/{outside_task}/result", headers=auth_headers).json()[
        "result"]["statement_id"]
    rule = {"pattern": ".", "match_type": "regex", "category": "Batched"}
    assert client.post("/rules", json=rule, headers=auth_headers).status_code == 201
    (first, first_truth), (second, second_truth) = (
        statement(tmp_path, "northgate_uk"), statement(tmp_path, "rheinufer_de")
    )

    answer = client.post(
        "/batches",
        files=files_part([("a.pdf", first), ("b.pdf", second), ("bad.pdf", b"%PDF-1.4 broken")]),
        data={"then": "categorize,report"},
        headers=auth_headers,
    )
    assert answer.status_code == 202, answer.text
    body = wait_batch(answer.json()["batch_id"], auth_headers)

    # A failed item does not block the pipeline: it ran on what imported, and says so.
    assert body["status"] == "PARTIAL"
    assert body["then"] == "categorize,report"
    assert [(step["step"], step["status"]) for step in body["steps"]] == [
        ("categorize", "SUCCESS"), ("report", "SUCCESS"),
    ]
    assert "2 statement(s) that imported" in body["pipeline_note"]
    assert body["report_id"] == body["steps"][1]["task_id"]
    assert task_rows(CATEGORIZE.name) == task_rows(REPORT.name) == 1  # each step ran once
    download = client.get(f"/reports/{body['report_id']}/download", headers=auth_headers)
    assert download.status_code == 200
    rows = list(load_workbook(io.BytesIO(download.content))["Transactions"].iter_rows(
        min_row=2, values_only=True))
    expected = sorted(t.description for t in first_truth.transactions + second_truth.transactions)
    assert sorted(row[1] for row in rows) == expected
    assert {row[3] for row in rows} == {"Batched"}
    # The statement outside the batch was neither categorized nor reported.
    outside_rows = client.get(f"/statements/{outside_id}/transactions", headers=auth_headers).json()
    assert outside_rows["total"] > 0
    assert {row["category"] for row in outside_rows["items"]} == {None}


def test_delete_cancels_what_has_not_finished(client, auth_headers, worker, wait_batch, wait_for,
                                              tmp_path):
    pdfs = [statement(tmp_path, layout)[0] for layout in ("northgate_uk", "littoral_fr", "coral_au")]
    with statement_queue_paused():
        answer = client.post("/batches", files=files_part(
            [(f"{n}.pdf", pdf) for n, pdf in enumerate(pdfs)]), data={"then": "categorize"},
            headers=auth_headers)
        batch_id = answer.json()["batch_id"]
        cancelled = client.delete(f"/batches/{batch_id}", headers=auth_headers)
        assert cancelled.status_code == 200
        assert cancelled.json() == {"message": "Batch cancelled", "cancelled": 3}

    body = client.get(f"/batches/{batch_id}", headers=auth_headers).json()
    assert body["status"] == "REVOKED"
    assert {item["status"] for item in body["items"]} == {"REVOKED"}
    assert (body["failed"], body["cancelled"], body["pending"]) == (0, 3, 0)
    assert body["finished_at"] is not None
    assert body["steps"] == [
        {"step": "categorize", "task_id": None, "status": None, "error_message": None}
    ]
    assert client.delete(f"/batches/{batch_id}", headers=auth_headers).status_code == 409
    assert client.post(f"/batches/{batch_id}/retry_failed", headers=auth_headers).status_code == 409
    # The worker takes statements again: a later upload runs, the cancelled items never did.
    later = client.post("/upload_pdf_async", files={"file": ("x.pdf", pdfs[0], "application/pdf")},
                        headers=auth_headers).json()["task_id"]
    assert wait_for(later, auth_headers, is_final)["status"] == "SUCCESS"
    for item in client.get(f"/batches/{batch_id}", headers=auth_headers).json()["items"]:
        status = client.get(f"/tasks/{item['task_id']}/status", headers=auth_headers).json()
        assert (status["status"], status["attempts"]) == ("REVOKED", 0)


def test_the_sweep_finishes_a_batch_whose_last_item_ended_outside_a_run(
    client, auth_headers, worker, wait_batch, wait_for, tmp_path
):
    pdf, _ = statement(tmp_path, "northgate_uk")
    # Everything up to the sweep happens while the worker takes no statements: the item's
    # message is still queued, so nothing but the sweep can finish the batch. Once the
    # queue was resumed first, the message reached the worker and only Celery's revoke
    # broadcast arriving before it kept the worker from running it (SKIP, whose
    # task_postrun finishes the batch as the sweep would), which nothing orders: RabbitMQ
    # keeps no order between the API's connection and the test's.
    with statement_queue_paused():
        batch_id = client.post("/batches", files=files_part([("a.pdf", pdf)]),
                               headers=auth_headers).json()["batch_id"]
        item = client.get(f"/batches/{batch_id}", headers=auth_headers).json()["items"][0]
        # Cancelling the item itself (not the batch) ends it in the API, not in a worker.
        assert client.delete(f"/tasks/{item['task_id']}", headers=auth_headers).status_code == 200
        body = client.get(f"/batches/{batch_id}", headers=auth_headers).json()
        assert (body["status"], body["pending"], body["finished_at"]) == ("PROCESSING", 0, None)

        celery_app.send_task(FINISH_BATCHES.name)  # what beat sends every REAPER_INTERVAL_SECONDS
        body = wait_batch(batch_id, auth_headers)
        # Cancelled, not failed (found by QA: the summary counted a cancelled item as failed).
        assert (body["status"], body["failed"], body["cancelled"]) == ("REVOKED", 0, 1)
    # The item's message, delivered now, changes nothing (discarded as revoked, or skipped).
    later = client.post("/upload_pdf_async", files={"file": ("x.pdf", pdf, "application/pdf")},
                        headers=auth_headers).json()["task_id"]
    assert wait_for(later, auth_headers, is_final)["status"] == "SUCCESS"
    assert client.get(f"/batches/{batch_id}", headers=auth_headers).json() == body


def test_someone_elses_batch_is_not_found(client, register, tmp_path):
    owner, other = register(), register()
    batch_id = client.post("/batches", files=files_part([("a.txt", b"x")]),
                           headers=owner).json()["batch_id"]

    assert client.get(f"/batches/{batch_id}", headers=owner).status_code == 200
    for call in (client.get, client.delete):
        assert call(f"/batches/{batch_id}", headers=other).status_code == 404
    assert client.post(f"/batches/{batch_id}/retry_failed", headers=other).status_code == 404
    assert client.get("/batches", headers=other).json() == {"items": [], "total": 0}
    assert client.get("/batches/not-a-batch", headers=owner).status_code == 404
    assert client.get("/batches", headers={}).status_code == 401


def test_the_list_is_newest_first_and_paginated(client, auth_headers):
    ids = [client.post("/batches", files=files_part([("a.txt", b"x")]),
                       headers=auth_headers).json()["batch_id"] for _ in range(3)]
    page = client.get("/batches?limit=2", headers=auth_headers).json()
    assert page["total"] == 3
    assert [batch["batch_id"] for batch in page["items"]] == ids[::-1][:2]
    rest = client.get("/batches?limit=2&offset=2", headers=auth_headers).json()
    assert [batch["batch_id"] for batch in rest["items"]] == ids[:1]


def test_the_same_idempotency_key_twice_gives_one_batch(client, auth_headers, worker, tmp_path):
    pdf, _ = statement(tmp_path, "northgate_uk")
    headers = {**auth_headers, "Idempotency-Key": "batch-1"}
    first = client.post("/batches", files=files_part([("a.pdf", pdf), ("b.txt", b"x")]),
                        headers=headers)
    again = client.post("/batches", files=files_part([("a.pdf", pdf), ("b.txt", b"x")]),
                        headers=headers)
    other = client.post("/batches", files=files_part([("a.pdf", pdf)]), headers=headers)

    assert first.status_code == again.status_code == 202
    assert again.json() == first.json()
    assert other.status_code == 422
    assert batch_rows() == 1
    assert task_rows() == 1


def test_a_batch_past_the_users_allowance_is_refused_whole(client, auth_headers, tmp_path):
    limit = get_settings().user_max_active_tasks
    pdf, _ = statement(tmp_path, "northgate_uk")
    answer = client.post("/batches", files=files_part([(f"{n}.pdf", pdf) for n in range(limit + 1)]),
                         headers=auth_headers)

    assert answer.status_code == 429
    assert f"would add {limit + 1}" in answer.json()["detail"]
    assert answer.headers["Retry-After"]
    assert batch_rows() == task_rows() == 0
    assert list(get_settings().storage_dir.glob("*/*.pdf")) == []


def test_bad_batch_requests_are_4xx(client, auth_headers):
    most = get_settings().max_batch_files
    too_many = client.post("/batches", files=files_part([(f"{n}.txt", b"x") for n in range(most + 1)]),
                           headers=auth_headers)
    assert too_many.status_code == 422
    assert f"at most {most}" in too_many.json()["detail"]
    assert client.post("/batches", data={"then": "report"}, files={"other": ("a", b"x")},
                       headers=auth_headers).status_code == 422
    bad_then = client.post("/batches", files=files_part([("a.txt", b"x")]), data={"then": "report"},
                           headers=auth_headers)
    assert bad_then.status_code == 422
    assert "'then' must be" in bad_then.json()["detail"]
    assert batch_rows() == 0


def seeded_batch(user_id: int, pipeline: str | None, states: list[str]) -> tuple[int, str]:
    """A batch whose items' tasks are already in ``states`` (no message, no worker)."""
    with get_engine().begin() as conn:
        row_id, batch_id = batches.create_batch(conn, user_id, pipeline)
    for position, state in enumerate(states, start=1):
        result = {"statement_id": position} if state == "SUCCESS" else None
        task_id = seed_task(user_id, state, PARSE_STATEMENT.name, batch_id=row_id, result=result)
        with get_engine().begin() as conn:
            batches.add_item(conn, row_id, position, f"{position}.pdf", task_id)
    return row_id, batch_id


def in_threads(count: int, work: Callable[[], None]) -> None:
    """Run ``work`` in ``count`` threads released together."""
    start = threading.Barrier(count)

    def run() -> None:
        start.wait()
        work()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_a_tasks_status_names_its_batch_without_a_query_of_its_own(client, auth_headers):
    user_id = client.get("/auth/me", headers=auth_headers).json()["id"]
    _, batch_id = seeded_batch(user_id, None, ["SUCCESS"])
    in_batch = client.get(f"/batches/{batch_id}", headers=auth_headers).json()["items"][0]["task_id"]
    alone = seed_task(user_id, "SUCCESS", PARSE_STATEMENT.name)

    def status_read(task_id: str) -> tuple[dict, list[str]]:
        """GET /tasks/{id}/status, and the SQL statements the API ran for it."""
        statements: list[str] = []

        def record(conn, cursor, statement, parameters, context, executemany) -> None:
            statements.append(statement)

        event.listen(Engine, "before_cursor_execute", record)
        try:
            body = client.get(f"/tasks/{task_id}/status", headers=auth_headers).json()
        finally:
            event.remove(Engine, "before_cursor_execute", record)
        return body, statements

    (in_batch_body, statements), (alone_body, _) = status_read(in_batch), status_read(alone)
    assert (in_batch_body["batch_id"], alone_body["batch_id"]) == (batch_id, None)
    # The batch's id came in the row's own SELECT: one statement reads either table.
    assert len([sql for sql in statements if "task_status" in sql or "batches" in sql]) == 1
    listed = client.get("/tasks", headers=auth_headers).json()["items"]
    assert {item["task_id"]: item["batch_id"] for item in listed} == {in_batch: batch_id, alone: None}


def test_racing_completions_finish_a_batch_exactly_once(client, auth_headers, caplog):
    user_id = client.get("/auth/me", headers=auth_headers).json()["id"]
    row_id, batch_id = seeded_batch(user_id, None, ["SUCCESS", "FAILED", "SUCCESS", "SUCCESS"])
    assert client.get(f"/batches/{batch_id}", headers=auth_headers).json()["status"] == "PROCESSING"

    with caplog.at_level(logging.INFO, logger=batches.__name__):
        in_threads(8, lambda: advance_batch(get_engine(), row_id))

    finishes = [record for record in caplog.records if f"Batch {batch_id} finished" in record.getMessage()]
    assert len(finishes) == 1  # on_batch_finished ran once
    body = client.get(f"/batches/{batch_id}", headers=auth_headers).json()
    assert (body["status"], body["succeeded"], body["failed"]) == ("PARTIAL", 3, 1)


def test_racing_completions_start_a_pipeline_step_exactly_once(
    client, auth_headers, worker, wait_batch
):
    user_id = client.get("/auth/me", headers=auth_headers).json()["id"]
    row_id, batch_id = seeded_batch(user_id, "categorize", ["SUCCESS", "SUCCESS", "FAILED"])

    in_threads(8, lambda: advance_batch(get_engine(), row_id))

    assert task_rows(CATEGORIZE.name) == 1
    body = wait_batch(batch_id, auth_headers)
    assert body["status"] == "PARTIAL"
    assert body["steps"][0]["status"] == "SUCCESS"
    assert task_rows(CATEGORIZE.name) == 1


def _until_it_waits_for_the_retry(finisher: threading.Thread, began: threading.Event) -> None:
    """Return once ``finisher`` waits for the lock the retry's transaction holds."""
    engine = get_engine()
    assert began.wait(10), "advance_batch never ran a statement"
    if engine.dialect.name == "sqlite":
        # Its BEGIN IMMEDIATE waits for the retry's write lock (the busy timeout, 10 s);
        # SQLite lists no waits, so give it the time to get there.
        time.sleep(0.3)
        return
    deadline = time.monotonic() + 10
    with engine.connect() as conn:
        while not conn.scalar(text(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )):
            assert finisher.is_alive() and time.monotonic() < deadline, "advance_batch never waited"
            time.sleep(0.05)
            conn.rollback()  # a fresh snapshot of pg_stat_activity each time


def _retry_while_the_other_item_moves_the_batch_on(
    client, headers: dict[str, str], monkeypatch: pytest.MonkeyPatch, pipeline: str | None
) -> tuple[int, str, list[str]]:
    """A batch of two items: the first has just succeeded, the second failed (retryable).
    POST /batches/{id}/retry_failed runs while the first item's task_postrun moves the
    batch on (``advance_batch``): that call comes to the batch row while the retry's
    transaction, which recorded the new PENDING task and opened the batch again, has not
    committed yet. Returns (the batch's row id, its public id, the task ids sent)."""
    engine = get_engine()
    user_id = client.get("/auth/me", headers=headers).json()["id"]
    seeded = seed_batch(user_id, pipeline)
    row_id, batch_id = seeded.row_id, seeded.batch_id
    sent: list[str] = []
    monkeypatch.setattr(batch_tasks, "dispatch", lambda name, task_id, _kw: sent.append(task_id))

    finisher = threading.Thread(target=batch_tasks.advance_batch, args=(engine, row_id))
    began = threading.Event()

    def note_its_first_statement(*_args) -> None:
        if threading.current_thread() is finisher:
            began.set()

    def record_answer(_conn, _answer) -> None:
        # Inside retry_failed's transaction, after it opened the batch again.
        finisher.start()
        _until_it_waits_for_the_retry(finisher, began)

    event.listen(engine, "before_cursor_execute", note_its_first_statement)
    try:
        answer = batch_tasks.retry_failed(engine, row_id, record_answer)
        finisher.join(timeout=30)
    finally:
        event.remove(engine, "before_cursor_execute", note_its_first_statement)
    assert not finisher.is_alive()
    assert answer == {"retried": 1, "not_retryable": 0}
    return row_id, batch_id, sent


def test_a_batch_does_not_finish_while_an_item_retried_a_moment_ago_is_still_pending(
    client, auth_headers, monkeypatch, caplog
) -> None:
    with caplog.at_level(logging.INFO, logger=batches.__name__):
        row_id, batch_id, sent = _retry_while_the_other_item_moves_the_batch_on(
            client, auth_headers, monkeypatch, None
        )

    [retried] = sent
    assert task_records.current_state(get_engine(), retried) is TaskState.PENDING
    with get_engine().connect() as conn:
        finished_at = conn.scalar(select(Batch.finished_at).where(Batch.id == row_id))
    view = client.get(f"/batches/{batch_id}", headers=auth_headers).json()
    assert finished_at is None, (
        f"batch marked finished at {finished_at} while its retried item {retried} is PENDING; "
        f"GET /batches says status={view['status']} progress={view['progress_percent']} "
        f"pending={view['pending']}"
    )
    assert (view["status"], view["pending"], view["progress_percent"]) == ("PROCESSING", 1, 50)
    assert not [record for record in caplog.records if "finished" in record.getMessage()]


def test_a_pipeline_step_does_not_start_while_an_item_retried_a_moment_ago_is_still_pending(
    client, auth_headers, monkeypatch
) -> None:
    row_id, batch_id, sent = _retry_while_the_other_item_moves_the_batch_on(
        client, auth_headers, monkeypatch, "categorize"
    )

    retried = sent[0]
    assert task_records.current_state(get_engine(), retried) is TaskState.PENDING
    view = client.get(f"/batches/{batch_id}", headers=auth_headers).json()
    assert view["steps"] == [
        {"step": "categorize", "task_id": None, "status": None, "error_message": None}
    ], f"the categorize step started while the retried item {retried} is PENDING"
    assert sent == [retried] and task_rows(CATEGORIZE.name) == 0
    assert (view["status"], view["pending"], view["finished_at"]) == ("PROCESSING", 1, None)
