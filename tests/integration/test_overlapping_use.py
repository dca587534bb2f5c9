"""Operations on the same user data that overlap, with the real worker: what one request
removes while another is half-way must not be what the other needed.

Each race is made deterministic by pausing one request between two of its own steps (an
``threading.Event`` in the API process, which the tests run in-process) while the other
runs whole."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, insert, select, text, update

from backend.api import reports as reports_api
from backend.api import statements as statements_api
from backend.api import tasks as tasks_api
from backend.config import get_settings
from backend.db import get_engine
from backend.models import Batch, CategoryRule, Schedule, Statement, TaskStatus, Transaction, utcnow
from backend.services import batches, task_records
from backend.services.categorization import MAX_RULES
from backend.services.retention import nightly_cleanup
from backend.services.statement_store import delete_statement
from backend.tasks import batches as batch_tasks
from backend.tasks.kinds import CATEGORIZE, PARSE_STATEMENT
from tests.support import is_final
from tests.support.seed import seed_batch, seed_statement, seed_task
from tests.support.statement_pdfs import LAYOUTS

UPLOAD = "/upload_pdf_async"


def _upload(client, headers: dict[str, str], content: bytes, **hints: str):
    return client.post(
        UPLOAD, headers=headers, data=hints,
        files={"file": ("statement.pdf", content, "application/pdf")},
    )


class PausedUpload:
    """A statement upload running in its own thread, held after its file is stored and
    its checks are done, before its task is submitted."""

    def __init__(self, client, headers: dict[str, str], content: bytes) -> None:
        self.stored = threading.Event()
        self.go = threading.Event()
        self.response = None
        self._thread = threading.Thread(
            target=lambda: setattr(self, "response", _upload(client, headers, content))
        )

    def start(self) -> None:
        self._thread.start()
        assert self.stored.wait(30), "the upload never got to its submit"

    def finish(self):
        self.go.set()
        self._thread.join(60)
        assert not self._thread.is_alive(), "the upload never answered"
        return self.response


@pytest.fixture
def paused_upload(client, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., PausedUpload]]:
    """Makes the next statement upload stop between storing its file and submitting its
    task (the API's check of the file's earlier imports is its last step before that)."""
    made: list[PausedUpload] = []
    original = statements_api._imported_with

    def pausing(*args):
        original(*args)
        upload = made[-1]
        upload.stored.set()
        assert upload.go.wait(60), "the test never let the upload go on"

    def make(headers: dict[str, str], content: bytes) -> PausedUpload:
        monkeypatch.setattr(statements_api, "_imported_with", pausing)
        made.append(PausedUpload(client, headers, content))
        return made[-1]

    yield make
    for upload in made:  # never leave a request thread waiting
        upload.go.set()


@pytest.mark.parametrize("deleter", ["refused_upload", "deleted_task"])
def test_an_upload_keeps_its_file_when_another_request_removes_the_same_file_meanwhile(
    client, auth_headers, worker, wait_for, paused_upload, tmp_path, deleter
) -> None:
    """Uploads are stored by owner and content hash, so two requests can name the same
    file. A request that removes a file checked that no task row refers to it, but an
    upload stores its file before it records its task: removed in between, the upload
    answered 202 and its task then FAILED saying the file is no longer stored.
    The removers: another upload of the same bytes that is refused (a bad hint: 422),
    and DELETE /tasks/{id} of an earlier, finished task of the same file (the user
    deleted the statement to import it again, and clears the old task meanwhile)."""
    LAYOUTS["northgate_uk"](tmp_path / "statement.pdf")
    content = (tmp_path / "statement.pdf").read_bytes()
    earlier = None
    if deleter == "deleted_task":
        first = _upload(client, auth_headers, content)
        assert first.status_code == 202, first.text
        earlier = first.json()["task_id"]
        assert wait_for(earlier, auth_headers, is_final, timeout=60)["status"] == "SUCCESS"
        result = client.get(f"/tasks/{earlier}/result", headers=auth_headers).json()["result"]
        gone = client.delete(f"/statements/{result['statement_id']}", headers=auth_headers)
        assert gone.status_code == 204

    upload = paused_upload(auth_headers, content)
    upload.start()
    if deleter == "refused_upload":
        refused = _upload(client, auth_headers, content, date_order="day-first")
        assert refused.status_code == 422, refused.text
    else:
        removed = client.delete(f"/tasks/{earlier}", headers=auth_headers)
        assert removed.status_code == 200, removed.text
    submitted = upload.finish()

    assert submitted.status_code == 202, submitted.text
    task_id = submitted.json()["task_id"]
    final = wait_for(task_id, auth_headers, is_final, timeout=60)
    assert (final["status"], final["error_message"]) == ("SUCCESS", None)
    result = client.get(f"/tasks/{task_id}/result", headers=auth_headers).json()["result"]
    assert result["already_imported"] == [] and result["transaction_count"] > 0


@pytest.fixture
def imported_statement(client, auth_headers, worker, wait_for, tmp_path) -> int:
    """A statement of the user's, imported by the worker; the id."""
    LAYOUTS["northgate_uk"](tmp_path / "statement.pdf")
    submitted = _upload(client, auth_headers, (tmp_path / "statement.pdf").read_bytes())
    assert submitted.status_code == 202, submitted.text
    task_id = submitted.json()["task_id"]
    assert wait_for(task_id, auth_headers, is_final, timeout=60)["status"] == "SUCCESS"
    return client.get(f"/tasks/{task_id}/result", headers=auth_headers).json()["result"]["statement_id"]


# Work on one statement, which the API checks is the user's when it is submitted (404).
WORK_ON_ONE_STATEMENT = {
    "report": ("/reports/generate_async", {}),
    "categorization": ("/bulk_categorize_async", {"overwrite": True}),
}


@pytest.mark.parametrize("work", list(WORK_ON_ONE_STATEMENT))
def test_work_on_a_statement_deleted_while_it_waited_fails_saying_so(
    client, auth_headers, session_worker, wait_for, imported_statement, work
) -> None:
    """A report or a categorization of one statement is refused at submit (404) when the
    statement is not the user's. Deleted while the task waited in the queue (the worker
    busy, or away: here stopped), the task ran on nothing and SUCCEEDED: an empty report,
    "0 categorized". A schedule naming a statement the user deleted (to import it again
    with other hints: it gets another id) made such an empty report every week, each a
    SUCCESS."""
    path, body = WORK_ON_ONE_STATEMENT[work]
    statement = imported_statement
    rule = client.post("/rules", headers=auth_headers,
                       json={"pattern": "zzz-never", "category": "Never"})
    assert rule.status_code == 201, rule.text
    session_worker.stop()
    try:
        submitted = client.post(path, headers=auth_headers,
                                json={**body, "statement_id": statement})
        assert submitted.status_code == 202, submitted.text
        gone = client.delete(f"/statements/{statement}", headers=auth_headers)
        assert gone.status_code == 204, gone.text
    finally:
        session_worker.start()
    task_id = submitted.json()["task_id"]
    final = wait_for(task_id, auth_headers, is_final, timeout=60)
    assert final["status"] == "FAILED", final
    assert final["error_message"].startswith(f"Statement {statement} was deleted"), final
    assert final["retryable"] is False


class RequestInThread:
    """A request sent from a thread of its own, started at once, while the test holds
    what it waits for."""

    def __init__(self, send: Callable[[], Any]) -> None:
        self._outcome: dict[str, Any] = {}

        def run() -> None:
            try:
                self._outcome["response"] = send()
            except Exception as exc:  # handed to the test's thread
                self._outcome["error"] = exc

        self._thread = threading.Thread(target=run)
        self._thread.start()

    def is_alive(self) -> bool:
        return self._thread.is_alive()

    def response(self, what: str) -> Any:
        """Its response once it answered (within 60 s); what it raised is raised here."""
        self._thread.join(60)
        assert not self._thread.is_alive(), f"{what} never answered"
        if "error" in self._outcome:
            raise self._outcome["error"]
        return self._outcome["response"]


def _wait_until_a_session_waits_for_a_lock(engine, still_running: Callable[[], bool]) -> None:
    """Return once some session of the test database waits for a lock (PostgreSQL)."""
    deadline = time.monotonic() + 30
    with engine.connect() as conn:
        while not conn.scalar(text(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )):
            assert still_running() and time.monotonic() < deadline, "nothing ever waited"
            time.sleep(0.05)
            conn.rollback()  # a fresh snapshot of pg_stat_activity each time


@pytest.mark.postgres_only
def test_an_ofx_export_reads_its_transactions_and_their_statements_at_one_moment(
    client, auth_headers, imported_statement
) -> None:
    """An OFX export reads the transactions (a server-side cursor), then the statements
    they come from (each one's account, period, closing balance). Each query saw what was
    committed when it began (READ COMMITTED): a statement deleted between the two left
    rows whose statement the second did not find, and the download broke off half-way
    (KeyError in the writer after its first bytes were sent). Held here: the statements
    table is locked while the export runs, so that its second query waits; the statement
    is deleted meanwhile. On SQLite a read transaction sees one snapshot already."""
    engine = get_engine()
    with engine.connect() as holder:
        holder.execute(text("LOCK TABLE statements IN ACCESS EXCLUSIVE MODE"))
        running = RequestInThread(lambda: client.get(
            "/transactions/export", params={"format": "ofx"}, headers=auth_headers
        ))
        _wait_until_a_session_waits_for_a_lock(engine, running.is_alive)
        transactions = holder.scalar(
            select(func.count()).select_from(Transaction)
            .where(Transaction.statement_id == imported_statement)
        )
        delete_statement(holder, imported_statement)
        holder.commit()
    response = running.response("the export")
    assert response.status_code == 200, response.text
    # The export as it was when it began: the statement whole, with every transaction.
    assert response.text.rstrip().endswith("</OFX>"), response.text[-200:]
    assert response.text.count("<STMTTRN>") == transactions


def _a_rule(client, headers) -> tuple[type, int]:
    made = client.post("/rules", headers=headers, json={"pattern": "tesco", "category": "Food"})
    assert made.status_code == 201, made.text
    return CategoryRule, made.json()["id"]


def _a_schedule(client, headers) -> tuple[type, int]:
    made = client.post("/schedules", headers=headers, json={
        "task": "categorize", "cron": "0 6 * * 1", "params": {"overwrite": False},
    })
    assert made.status_code == 201, made.text
    return Schedule, made.json()["id"]


# A change of one row, and the row made for it: (make it, the request, its body, the 404).
CHANGES = {
    "rule": (_a_rule, "PUT", "/rules/{id}", {"pattern": "tesco", "category": "Groceries"},
             "Rule not found"),
    "schedule": (_a_schedule, "PATCH", "/schedules/{id}", {"enabled": False},
                 "Schedule not found"),
}


@pytest.mark.postgres_only
@pytest.mark.parametrize("change", list(CHANGES))
def test_a_change_to_a_row_deleted_meanwhile_is_404_not_500(
    client, auth_headers, change
) -> None:
    """PUT /rules/{id} and PATCH /schedules/{id} read the row, then write it. Deleted by
    another request in between (DELETE of the same row), the write matched no row and
    the ORM raised StaleDataError: 500. Held here: the row is locked by another
    transaction, which deletes it and commits while the change waits. On SQLite a writing
    session holds the database's write lock from its first read."""
    make, method, path, body, missing = CHANGES[change]
    model, row_id = make(client, auth_headers)
    engine = get_engine()
    with engine.connect() as holder:
        holder.execute(select(model.id).where(model.id == row_id).with_for_update())
        running = RequestInThread(lambda: client.request(
            method, path.format(id=row_id), headers=auth_headers, json=body
        ))
        _wait_until_a_session_waits_for_a_lock(engine, running.is_alive)
        holder.execute(delete(model).where(model.id == row_id))
        holder.commit()
    response = running.response("the change")
    assert (response.status_code, response.json()["detail"]) == (404, missing), response.text


@pytest.mark.postgres_only
def test_a_category_picked_for_a_transaction_whose_statement_is_deleted_meanwhile_is_404(
    client, auth_headers, imported_statement
) -> None:
    """PATCH /transactions/{id} reads the transaction, then writes its category; DELETE
    /statements/{id} of its statement committed in between made the write match no row:
    StaleDataError, 500. Held as above: the transaction's row locked by the deletion."""
    listed = client.get(f"/statements/{imported_statement}/transactions", headers=auth_headers)
    transaction_id = listed.json()["items"][0]["id"]
    engine = get_engine()
    with engine.connect() as holder:
        holder.execute(
            select(Transaction.id)
            .where(Transaction.statement_id == imported_statement).with_for_update()
        )
        running = RequestInThread(lambda: client.patch(
            f"/transactions/{transaction_id}", headers=auth_headers, json={"category": "Rent"}
        ))
        _wait_until_a_session_waits_for_a_lock(engine, running.is_alive)
        delete_statement(holder, imported_statement)
        holder.commit()
    response = running.response("the change")
    assert (response.status_code, response.json()["detail"]) == (404, "Transaction not found")


@pytest.mark.postgres_only
def test_an_import_whose_statement_is_deleted_as_it_finishes_succeeds_and_stays_deleted(
    client, auth_headers, worker, wait_for, tmp_path
) -> None:
    """The statement task saved the statement and its transactions, committed, then read
    the statement again for its result. Deleted by its owner in between (DELETE
    /statements/{id}: the list shows it as soon as it committed), that read found nothing:
    the task FAILED with "Internal error" and as retryable, and a retry imported the
    statement its owner had just deleted.
    Held here, with locks only: another transaction's uncommitted row with the same file
    key makes the task's INSERT wait; the statements table is then locked (its request
    queued behind the task's transaction), the blocking row rolled back, so that the task
    commits and its next read of the statements waits behind that lock, whose holder
    deletes the statement first."""
    LAYOUTS["northgate_uk"](tmp_path / "statement.pdf")
    content = (tmp_path / "statement.pdf").read_bytes()
    user_id = client.get("/auth/me", headers=auth_headers).json()["id"]
    engine = get_engine()
    locked, deleted = threading.Event(), threading.Event()

    def lock_then_delete() -> None:
        with engine.connect() as holder:
            holder.execute(text("LOCK TABLE statements IN ACCESS EXCLUSIVE MODE"))
            locked.set()
            assert waiting_or_done.wait(60)
            for statement_id in holder.scalars(select(Statement.id).where(Statement.user_id == user_id)):
                delete_statement(holder, statement_id)
            holder.commit()
        deleted.set()

    waiting_or_done = threading.Event()
    with engine.connect() as blocker:
        blocker.execute(insert(Statement).values(
            user_id=user_id, file_sha256=hashlib.sha256(content).hexdigest(), part=0,
            balance_check="unknown", warnings=[], created_at=utcnow(),
        ))
        submitted = _upload(client, auth_headers, content)
        assert submitted.status_code == 202, submitted.text
        task_id = submitted.json()["task_id"]
        _wait_until_waiting(engine, 1)  # the task's INSERT, behind the uncommitted row
        deleter = threading.Thread(target=lock_then_delete)
        deleter.start()
        _wait_until_waiting(engine, 2)  # and the lock of the table, behind the task
        blocker.rollback()
    assert locked.wait(60), "the statements table was never locked"
    # The task's read after its commit waits behind the lock (or, reading inside its
    # transaction, it has finished already).
    deadline = time.monotonic() + 30
    while not _waiting(engine) and not is_final(
        client.get(f"/tasks/{task_id}/status", headers=auth_headers).json()
    ):
        assert time.monotonic() < deadline, "the task neither waited nor finished"
        time.sleep(0.05)
    waiting_or_done.set()
    deleter.join(60)
    assert deleted.is_set(), "the statement was never deleted"

    final = wait_for(task_id, auth_headers, is_final, timeout=60)
    assert (final["status"], final["error_message"]) == ("SUCCESS", None), final
    result = client.get(f"/tasks/{task_id}/result", headers=auth_headers).json()["result"]
    assert result["transaction_count"] > 0
    assert client.get("/statements", headers=auth_headers).json()["total"] == 0


def _waiting(engine) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(text(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )))


def _wait_until_waiting(engine, sessions: int) -> None:
    deadline = time.monotonic() + 30
    while _waiting(engine) < sessions:
        assert time.monotonic() < deadline, f"fewer than {sessions} session(s) ever waited"
        time.sleep(0.05)


@pytest.mark.postgres_only
def test_two_rules_saved_at_once_do_not_take_a_user_past_the_most_one_keeps(
    client, auth_headers
) -> None:
    """POST /rules counted the user's rules, then inserted one. Two requests at once both
    counted MAX_RULES - 1 and both saved: MAX_RULES + 1 rules (a burst of n, n - 1 over),
    past the bound that caps a categorization's regex memory. Held here: the rules table
    is locked against writes while both requests run, so that each has counted before
    either writes (POST /schedules serializes its count on the user's row for this)."""
    user_id = client.get("/auth/me", headers=auth_headers).json()["id"]
    engine = get_engine()
    with engine.begin() as conn:
        conn.execute(insert(CategoryRule), [
            {"user_id": user_id, "pattern": f"shop {n}", "match_type": "contains",
             "category": "Shops", "priority": 0, "created_at": utcnow()}
            for n in range(MAX_RULES - 1)
        ])
    answers: list = []

    def save() -> None:
        answers.append(client.post("/rules", headers=auth_headers,
                                   json={"pattern": "tesco", "category": "Food"}))

    with engine.connect() as holder:
        holder.execute(text("LOCK TABLE category_rules IN SHARE MODE"))
        savers = [threading.Thread(target=save) for _ in range(2)]
        for saver in savers:
            saver.start()
        _wait_until_waiting(engine, 2)
        holder.commit()
    for saver in savers:
        saver.join(60)
    assert sorted(answer.status_code for answer in answers) == [201, 422], [a.text for a in answers]
    with engine.connect() as conn:
        kept = conn.scalar(select(func.count()).select_from(CategoryRule)
                           .where(CategoryRule.user_id == user_id))
    assert kept == MAX_RULES


def test_a_report_deleted_as_its_download_starts_is_404_not_500(
    client, auth_headers, worker, wait_for, imported_statement, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GET /reports/{id}/download checked that the file was there, then handed its path to
    Starlette's FileResponse, which looks it up again as the response starts. Deleted in
    between (DELETE /tasks/{id} of the report, or the nightly cleanup of an old one), the
    second look raised RuntimeError: 500. Held here: the download stops right after its
    first look at the file (whichever it is) until the report is deleted."""
    submitted = client.post("/reports/generate_async", headers=auth_headers, json={})
    assert submitted.status_code == 202, submitted.text
    report_id = submitted.json()["task_id"]
    assert wait_for(report_id, auth_headers, is_final, timeout=60)["status"] == "SUCCESS"

    looked, go = threading.Event(), threading.Event()

    def pause() -> None:
        if not looked.is_set():
            looked.set()
            assert go.wait(30), "the test never let the download go on"

    class PausingPath(type(Path())):  # type: ignore[misc]
        """The download's path: it stops once the route first touched the file."""

        def is_file(self, *args, **kwargs):
            found = super().is_file(*args, **kwargs)
            pause()
            return found

        def open(self, *args, **kwargs):
            pause()
            return super().open(*args, **kwargs)

    monkeypatch.setattr(reports_api, "Path", PausingPath)
    running = RequestInThread(
        lambda: client.get(f"/reports/{report_id}/download", headers=auth_headers)
    )
    try:
        assert looked.wait(30), "the download never looked at its file"
        assert client.delete(f"/tasks/{report_id}", headers=auth_headers).status_code == 200
    finally:
        go.set()
    response = running.response("the download")
    assert (response.status_code, response.json()["detail"]) == (
        404, "The report file no longer exists"
    ), response.text


def _an_old_batch_with_a_failure_to_retry(
    user_id: int, days_ago: float, files: Path | None = None
) -> tuple[int, int, str]:
    """A batch with the categorize pipeline, finished ``days_ago`` days ago: its first item
    SUCCEEDED then (a statement), its second FAILED retryable (``seed_batch``). (its row
    id, the first item's statement id, the second item's task id)"""
    seeded = seed_batch(user_id, "categorize", files)
    then = utcnow() - timedelta(days=days_ago)
    with get_engine().begin() as conn:
        conn.execute(update(TaskStatus).where(TaskStatus.task_id.in_([seeded.succeeded, seeded.failed]))
                     .values(completed_at=then))
        conn.execute(update(Batch).where(Batch.id == seeded.row_id).values(finished_at=then))
    return seeded.row_id, seeded.statement_id, seeded.failed


def test_a_batch_retried_as_its_items_expire_keeps_them_for_its_pipeline(
    client, auth_headers, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch retried (POST /batches/{id}/retry_failed) on the day its items reach the
    retention: the nightly cleanup then removed its SUCCEEDED items' tasks, old enough,
    while the retried one still ran (the batch, open again, was kept), and the pipeline
    that started once the retried item ended categorized its statement alone, leaving
    out those it had imported before. A task of a batch now goes with its batch."""
    engine = get_engine()
    user_id = client.get("/auth/me", headers=auth_headers).json()["id"]
    row_id, imported_before, failed = _an_old_batch_with_a_failure_to_retry(user_id, 8)
    sent: list[tuple[str, str, dict]] = []
    monkeypatch.setattr(batch_tasks, "dispatch", lambda *message: sent.append(message))

    assert batch_tasks.retry_failed(engine, row_id) == {"retried": 1, "not_retryable": 0}
    settings = get_settings()
    removed = nightly_cleanup(engine, settings.storage_dir, utcnow(),
                              settings.task_retention_days, settings.failed_task_retention_days)

    [(_, retried, _)] = sent
    task_records.mark_processing(engine, retried, "node@test", 60, 3)
    imported_now = seed_statement(user_id, [("2024-04-01", "Tea", "-2.50")])
    assert task_records.mark_success(engine, retried, {"statement_id": imported_now})
    batch_tasks.advance_batch(engine, row_id)

    [(name, _, kwargs)] = sent[1:]
    assert (name, kwargs["statement_ids"]) == (CATEGORIZE.name, [imported_before, imported_now])
    assert (removed["tasks_removed"], removed["batches_removed"]) == (0, 0), removed


def test_a_retry_whose_task_and_file_are_deleted_meanwhile_is_404_not_a_task_that_fails(
    client, auth_headers, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """POST /tasks/{id}/retry of a FAILED statement task read the task, then recorded the
    new one with the same stored file. DELETE /tasks/{id} of that task in between removed
    its row and, no row referring to it any more, its file: the retry answered 202 and its
    task FAILED "The uploaded file is no longer stored; ... retry once the storage is back",
    marked retryable, which no retry could help (the file was deleted on purpose, not lost
    by the storage). Held here: the retry stops once it read the task, until the DELETE
    answered. Now the retry records its task holding the file's lock and finds the file
    removed with its task: the task is gone, 404, and nothing is queued."""
    user_id = client.get("/auth/me", headers=auth_headers).json()["id"]
    LAYOUTS["northgate_uk"](tmp_path / "statement.pdf")
    content = (tmp_path / "statement.pdf").read_bytes()
    digest = hashlib.sha256(content).hexdigest()
    stored = get_settings().storage_dir / str(user_id) / f"{digest}.pdf"
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_bytes(content)
    failed = seed_task(
        user_id, "FAILED", PARSE_STATEMENT.name, file_path=str(stored), retryable=True,
        kwargs={"user_id": user_id, "file_path": str(stored), "file_sha256": digest},
        error_message="Temporary failure", completed_at=utcnow(),
    )

    read, go = threading.Event(), threading.Event()
    original = tasks_api.kind_named

    def pausing(name: str):
        kind = original(name)
        read.set()
        assert go.wait(30), "the test never let the retry go on"
        return kind

    monkeypatch.setattr(tasks_api, "kind_named", pausing)
    running = RequestInThread(lambda: client.post(f"/tasks/{failed}/retry", headers=auth_headers))
    try:
        assert read.wait(30), "the retry never read its task"
        removed = client.delete(f"/tasks/{failed}", headers=auth_headers)
        assert removed.status_code == 200, removed.text
        assert not stored.exists()
    finally:
        go.set()
    response = running.response("the retry")
    assert (response.status_code, response.json().get("detail")) == (404, "Task not found"), response.text
    with get_engine().connect() as conn:
        assert conn.scalar(select(func.count()).select_from(TaskStatus)
                           .where(TaskStatus.user_id == user_id)) == 0


@pytest.mark.postgres_only
def test_a_batch_item_whose_task_is_deleted_as_the_batch_is_retried_is_not_run_again(
    client, auth_headers, monkeypatch: pytest.MonkeyPatch
) -> None:
    """POST /batches/{id}/retry_failed read the FAILED items, then recorded their new tasks
    with the same files. DELETE /tasks/{id} of an item's task in between removed the file
    too (no other row had it), and the new task FAILED "no longer stored", retryable.
    Held here: the retry stops once it read its plan while the task is deleted. On SQLite
    the retry's write transaction holds the database's write lock from its start."""
    engine = get_engine()
    user_id = client.get("/auth/me", headers=auth_headers).json()["id"]
    files = get_settings().storage_dir / str(user_id)
    row_id, _, failed = _an_old_batch_with_a_failure_to_retry(user_id, 1, files)
    sent: list[tuple[str, str, dict]] = []
    monkeypatch.setattr(batch_tasks, "dispatch", lambda *message: sent.append(message))
    original = batches.plan_retry

    def delete_the_task_after(conn, batch_row_id):
        plan = original(conn, batch_row_id)
        removed = client.delete(f"/tasks/{failed}", headers=auth_headers)
        assert removed.status_code == 200, removed.text
        return plan

    monkeypatch.setattr(batches, "plan_retry", delete_the_task_after)
    answer = batch_tasks.retry_failed(engine, row_id)

    assert not (files / "2.pdf").exists()
    assert (answer, sent) == ({"retried": 0, "not_retryable": 1}, [])
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(TaskStatus)
                           .where(TaskStatus.task_name == PARSE_STATEMENT.name)) == 1
