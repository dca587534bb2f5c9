"""Nothing a user would not want in a log reaches one: the API's, the worker's and beat's
output, as real processes write it, after a day's work driven through the API with a
distinctive canary value in every secret and every piece of the user's data.

The work: register (the same address twice, and twice at once: the unique constraint), sign
in (a wrong password, a bad token), upload a statement whose description is a canary under a
canary file name with a canary Idempotency-Key, a corrupt PDF (a FAILED task), an invoice of
canary fields, a rule of a canary pattern and a categorization with canary rules in its
body, a report, a webhook whose URL carries a canary in its path and query (its deliveries
fail: nothing listens), a task whose INSERT breaks the unique constraint on another
user's address (a database error inside a task: PostgreSQL's DETAIL names the address), and
one reading a value as an integer (its message quotes the value, its LINE the query).

At INFO, the level every deployment runs (deploy/run_stack.py, docker-compose.yml), in
both LOG_FORMATs; and at DEBUG, where Celery writes each task's message (its arguments)
and kombu its traffic: see "What the logs hold" in BACKGROUND_JOBS_GUIDE.md.
"""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

import tests.support.tasks  # noqa: F401 (declares the test-only task kinds)
from backend.db import get_engine
from backend.logs import secure_handlers
from backend.tasks.logs import HIDDEN_MESSAGE
from backend.tasks.submission import submit_task
from tests.conftest import REPO_ROOT, WORKER_QUEUES, SessionWorker
from tests.support import is_final
from tests.support.invoice_pdfs import write_text_pdf
from tests.support.net import free_port, running_api, stop_process
from tests.support.statement_pdfs import ScriptedTransaction, write_layout_with

pytestmark = pytest.mark.usefixtures("clean_db")

def canaries() -> dict[str, str]:
    """One distinctive value per thing a user would not want in a log, each looked for whole
    (case aside) in every line of every process; new ones per run, as the sign-in limits
    count attempts per address across runs. The access token and the webhook's signing
    secret are added once known."""
    run = uuid.uuid4().hex[:6]
    return {
        "password": f"Pw-canary-{run}-sesame",
        "email": f"canary.mail.{run}@example.com",
        "other email": f"canary.other.{run}@example.com",
        "bad token": f"canarybadtoken{run}",
        "statement file name": f"canary-statement-{run}.pdf",
        "corrupt file name": f"canary-corrupt-{run}.pdf",
        "invoice file name": f"canary-invoice-{run}.pdf",
        "statement description": f"QZXCANARYSHOP{run.upper()}",
        "corrupt PDF text": f"canary-corrupt-body-{run}",
        "invoice number": f"CANINV-{run.upper()}-77",
        "invoice vendor": "Canaryvendor Holdings",
        "webhook path": f"hook-canary-{run}",
        "webhook query": f"canarysig{run}",
        "rule pattern": f"canaryrule{run}",
        "rule in a request body": f"canarybodyrule{run}",
        "idempotency key": f"idem-canary-{run}",
        "value PostgreSQL refused": f"canary-count-{run}",
    }


@dataclass
class Logs:
    api: Path
    worker: Path
    beat: Path

    def leaks(self, canaries: dict[str, str]) -> list[str]:
        """'<what> in <process>: <line>' for every line that holds a canary."""
        found = []
        for process, path in (("API", self.api), ("worker", self.worker), ("beat", self.beat)):
            for line in path.read_text(errors="replace").splitlines():
                found += [f"{what} in {process}: {line.strip()[:300]}"
                          for what, value in canaries.items() if value.lower() in line.lower()]
        return found


@dataclass
class Stack:
    api: str
    logs: Logs
    level: str


def _celery(*args: str, log: Path) -> subprocess.Popen:
    with log.open("w") as output:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "celery_app", *args], cwd=REPO_ROOT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"}, stdout=output, stderr=subprocess.STDOUT,
            start_new_session=True,
        )


@pytest.fixture(params=[("INFO", "text"), ("INFO", "json"), ("DEBUG", "text")],
                ids=lambda param: "-".join(param))
def stack(request, session_worker: SessionWorker, tmp_path: Path,
          monkeypatch: pytest.MonkeyPatch) -> Iterator[Stack]:
    """The API, a worker (with the test-only tasks) and beat as real processes, at one log
    level and format, each writing its own log. The session's worker is stopped meanwhile:
    every task of the test runs on this one, and is logged here."""
    level, log_format = request.param
    monkeypatch.setenv("LOG_FORMAT", log_format)
    logs = Logs(tmp_path / "api.log", tmp_path / "worker.log", tmp_path / "beat.log")
    session_worker.stop()
    worker = _celery("worker", "-Q", WORKER_QUEUES, "--include", "tests.support.tasks",
                     "--concurrency", "2", "--loglevel", level, "-n", f"logs-{uuid.uuid4().hex[:8]}@%h",
                     "--without-gossip", "--without-mingle", log=logs.worker)
    beat = _celery("beat", "--loglevel", level, "--schedule", str(tmp_path / "schedule"),
                   log=logs.beat)
    try:
        with running_api(log=logs.api, log_level=level.lower()) as api:
            yield Stack(api.base, logs, level)
    finally:
        stop_process(beat, timeout=20)
        stop_process(worker, timeout=30)


def _wait(http: httpx.Client, task_id: str, headers: dict[str, str], timeout: float = 90) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        status = http.get(f"/tasks/{task_id}/status", headers=headers).json()
        if is_final(status):
            return status
        assert time.monotonic() < deadline, f"task {task_id} never ended: {status}"
        time.sleep(0.2)


def _register(base: str, email: str, password: str) -> int:
    return httpx.post(f"{base}/auth/register", json={"email": email, "password": password},
                      timeout=30).status_code


def test_no_secret_and_no_user_data_in_any_log(stack: Stack, tmp_path: Path) -> None:
    values = canaries()
    password, email = values["password"], values["email"]
    with httpx.Client(base_url=stack.api, timeout=30) as http:
        # Registration, the address taken (the route's check), then at once from four
        # clients (the unique constraint: "Key (email)=(...) already exists").
        assert _register(stack.api, email, password) == 201
        assert _register(stack.api, email, password) == 409
        with ThreadPoolExecutor(4) as pool:
            racing = list(pool.map(lambda _: _register(stack.api, values["other email"], password),
                                   range(4)))
        assert sorted(racing) == [201, 409, 409, 409], racing
        assert http.post("/auth/token", data={"username": email, "password": password + "x"}
                         ).status_code == 401
        token = http.post("/auth/token", data={"username": email, "password": password}).json()
        values["access token"] = token["access_token"]
        values["access token's signature"] = token["access_token"].rsplit(".", 1)[1]
        user = {"Authorization": f"Bearer {token['access_token']}"}
        bad = http.get("/auth/me", headers={"Authorization": f"Bearer {values['bad token']}"})
        assert bad.status_code == 401

        # A webhook told of every task; nothing listens at its address.
        hook_url = (f"http://127.0.0.1:{free_port()}/{values['webhook path']}"
                    f"?sig={values['webhook query']}")
        hook = http.post("/webhooks", headers=user,
                         json={"url": hook_url, "events": ["task.succeeded", "task.failed"]})
        assert hook.status_code == 201, hook.text
        values["webhook signing secret"] = hook.json()["secret"]

        # A statement, under a canary name and Idempotency-Key, with a canary description.
        write_layout_with(tmp_path / "statement.pdf", "northgate_uk", [
            ScriptedTransaction(3, "POS", f"{values['statement description']} LONDON", "-12.34")])
        uploaded = http.post(
            "/upload_pdf_async",
            headers={**user, "Idempotency-Key": values["idempotency key"]},
            files={"file": (values["statement file name"], (tmp_path / "statement.pdf").read_bytes(),
                            "application/pdf")},
        )
        assert uploaded.status_code == 202, uploaded.text
        assert _wait(http, uploaded.json()["task_id"], user)["status"] == "SUCCESS"

        # A corrupt PDF: a FAILED task.
        corrupt = b"%PDF-1.4\n" + values["corrupt PDF text"].encode() * 100 + b"\n%%EOF\n"
        failing = http.post("/upload_pdf_async", headers=user,
                            files={"file": (values["corrupt file name"], corrupt, "application/pdf")})
        assert failing.status_code == 202, failing.text
        assert _wait(http, failing.json()["task_id"], user)["status"] == "FAILED"

        # An invoice of canary fields.
        write_text_pdf(tmp_path / "invoice.pdf", [
            values["invoice vendor"], "INVOICE", f"Invoice #: {values['invoice number']}",
            "Invoice Date: March 5, 2024   Due Date: 04/05/2024", "Total $1,234.56",
        ])
        invoice = http.post("/invoices/extract_async", headers=user, files={
            "file": (values["invoice file name"], (tmp_path / "invoice.pdf").read_bytes(),
                     "application/pdf")})
        assert invoice.status_code == 202, invoice.text
        assert _wait(http, invoice.json()["task_id"], user)["status"] == "SUCCESS"
        read = http.get(f"/tasks/{invoice.json()['task_id']}/result", headers=user).json()
        assert read["result"]["invoice_number"] == values["invoice number"], read

        # A saved rule, and a categorization by rules sent in its body; then a report.
        rule = http.post("/rules", headers=user,
                         json={"pattern": values["rule pattern"], "category": "Canaries"})
        assert rule.status_code == 201, rule.text
        categorized = http.post("/bulk_categorize_async", headers=user, json={"rules": [
            {"pattern": values["rule in a request body"], "category": "Canaries"}]})
        assert categorized.status_code == 202, categorized.text
        assert _wait(http, categorized.json()["task_id"], user)["status"] == "SUCCESS"
        report = http.post("/reports/generate_async", headers=user, json={})
        assert report.status_code == 202, report.text
        assert _wait(http, report.json()["task_id"], user)["status"] == "SUCCESS"

        # Another user's task breaks the unique constraint on this user's address: it fails,
        # and what its owner reads names nobody's address.
        intruder = http.post("/auth/token", data={"username": values["other email"],
                                                  "password": password}).json()["access_token"]
        other = {"Authorization": f"Bearer {intruder}"}
        other_id = http.get("/auth/me", headers=other).json()["id"]
        broken = submit_task(get_engine(), other_id, "tests.register_again", {"email": email})
        failed = _wait(http, broken, other)
        assert failed["status"] == "FAILED", failed
        assert email not in str(failed), failed
        # A value PostgreSQL refuses, which its message quotes in its main line and LINE
        # (SQLite reads it as 0).
        refused = submit_task(get_engine(), other_id, "tests.count_as_integer",
                              {"value": values["value PostgreSQL refused"]})
        postgres = get_engine().dialect.name == "postgresql"
        assert _wait(http, refused, other)["status"] == ("FAILED" if postgres else "SUCCESS")

        # The webhook's deliveries have been tried (and failed) at least once.
        deadline = time.monotonic() + 30
        while not any(d["attempts"] for d in http.get(
                f"/webhooks/{hook.json()['id']}/deliveries", headers=user).json()):
            assert time.monotonic() < deadline, "no webhook delivery was tried"
            time.sleep(0.3)
    time.sleep(1)  # the last lines of the worker's pool processes
    # The logs were written (a search of empty files would prove nothing).
    assert "POST /upload_pdf_async" in stack.logs.api.read_text()
    worker_log = stack.logs.worker.read_text()
    assert f"[{uploaded.json()['task_id']}] received" in worker_log
    assert f"Task {broken} failed with an unexpected error" in worker_log
    if get_engine().dialect.name == "postgresql":  # SQLite's error names no value
        assert "DETAIL: [redacted]" in worker_log
        assert f"Task {refused} failed with an unexpected error" in worker_log
        assert "invalid input syntax for type integer: [redacted]" in worker_log
    if stack.level == "DEBUG":
        assert "TaskPool: Apply" in worker_log and HIDDEN_MESSAGE in worker_log
    leaks = stack.logs.leaks(values)
    assert not leaks, "\n".join(leaks)


@dataclass(frozen=True)
class Refusal:
    query: str
    value: str  # what a user sent, which PostgreSQL refuses
    kept: str  # what the log keeps of the message
    secrets: tuple[str, ...] = ()  # what must not be in the log besides the value's lines

    def leaks(self) -> set[str]:
        return {self.value, *self.value.split("\n"), *self.secrets} - {""}


def _postgres_refusals(run: str) -> list[Refusal]:
    """Values PostgreSQL refuses: each message quotes the value (or part of it) in its main
    line, and its LINE quotes the query with the value in it (psycopg2 sends the parameters
    inside the query's text)."""
    letters = "".join(chr(ord("G") + int(c, 16)) for c in run[:4])  # four letters, new per run
    # Letters only: PostgreSQL's date/time parser splits a token at digits, and about one run
    # in 80 of "Canary<hex>/Zone" then parsed as a time (the query did not fail: a flaky test).
    zone = "".join(chr(ord("G") + int(c, 16)) for c in run)
    return [
        Refusal("SELECT CAST(:v AS integer)", f"canary-int-{run}",
                "invalid input syntax for type integer: [redacted]"),
        Refusal("SELECT CAST(:v AS integer)", f'canary "quoted"\nsecond line {run}',
                "invalid input syntax for type integer: [redacted]"),
        Refusal("SELECT CAST(:v AS bigint)", f"9{int(run, 16):020d}",
                "value [redacted] is out of range for type bigint"),
        Refusal("SELECT CAST(:v AS uuid)", f"canary-uuid-{run}",
                "invalid input syntax for type uuid: [redacted]"),
        Refusal("SELECT CAST(:v AS date)", f"canary-date-{run}",
                "invalid input syntax for type date: [redacted]"),
        Refusal("SELECT CAST(:v AS date)", "2024-13-45",
                "date/time field value out of range: [redacted]"),
        Refusal("SELECT CAST(:v AS timestamptz)", f"2024-01-01 12:00 Canary{zone}/Zone",
                "time zone [redacted] not recognized", (f"canary{zone.lower()}",)),  # PostgreSQL lowers it
        Refusal("SELECT to_date(:v, 'YYYY-MM-DD')", f"{letters}-01-01",
                'invalid value [redacted] for "YYYY"', (letters,)),
        Refusal("SELECT CAST(:v AS jsonb)", f'{{"canary{run}": ', "invalid input syntax for type json",
                (f"canary{run}",)),
        Refusal("SELECT convert_from(CAST(:v AS bytea), 'UTF8')", f"\\x41{run[:2]}ff",
                'invalid byte sequence for encoding "UTF8": [redacted]', ("0xff",)),
    ]


@pytest.mark.postgres_only
@pytest.mark.parametrize("log_format", ["text", "json"])
def test_a_value_postgresql_quotes_in_its_error_is_not_logged(log_format: str) -> None:
    """PostgreSQL's message quotes the value it refused in its main line ('invalid input
    syntax for type integer: "..."', 'value "..." is out of range for type bigint') and the
    query it was in on its LINE, which psycopg2 sends with the parameters written in: a
    user's value, whatever hide_parameters does. Real errors of a real connection, logged
    as the platform logs an exception (a traceback, and the repr in Celery's failure line),
    through a handler secured as every one of the API's and the workers' is."""
    run = uuid.uuid4().hex[:8]
    stream = io.StringIO()
    logger = logging.getLogger(f"backend.test_postgres_errors_{run}")
    logger.propagate = False
    logger.addHandler(logging.StreamHandler(stream))
    secure_handlers(logger, log_format)
    refusals = _postgres_refusals(run)
    for refusal in refusals:
        with pytest.raises(DBAPIError) as refused, get_engine().connect() as conn:
            conn.execute(text(refusal.query), {"v": refusal.value})
        try:
            raise RuntimeError("the task failed") from refused.value
        except RuntimeError:
            logger.exception("Query failed")
        logger.error("Task tests.cast[%s] raised unexpected: %r", run, refused.value)
        logger.error("Query failed: %s", refused.value.orig)
    written = stream.getvalue()
    if log_format == "json":
        written = "\n".join(  # each line is a JSON object: its texts, as written
            value for line in written.splitlines() for value in json.loads(line).values()
            if isinstance(value, str)
        )
    for refusal in refusals:
        for secret in refusal.leaks():
            assert secret.lower() not in written.lower(), f"{secret!r} is in the log:\n{written}"
        assert refusal.kept in written, f"{refusal.kept!r} is not in the log:\n{written}"
    assert "LINE 1: [redacted]" in written
