"""JSON log lines, the request id (header in, header out, into the task's message), and
secrets kept out of the lines."""

from __future__ import annotations

import json
import logging
import sys

import pytest
from fastapi.testclient import TestClient

from backend.api.main import create_app
from backend.logs import (
    REQUEST_ID_HEADER,
    REQUEST_ID_MESSAGE_HEADER,
    JsonFormatter,
    RedactSecrets,
    redact,
    remember_request_id,
    request_id_var,
    task_id_var,
    valid_request_id,
)
from backend.tasks.logs import message_headers


def line(message: str, *args: object, name: str = "backend.test", exc: bool = False) -> dict:
    exc_info = None
    if exc:
        try:
            raise RuntimeError("failed with password=hunter2")
        except RuntimeError:
            exc_info = sys.exc_info()
    record = logging.LogRecord(name, logging.WARNING, __file__, 1, message, args or None, exc_info)
    assert RedactSecrets().filter(record)  # as on every handler of the API and the workers
    text = JsonFormatter().format(record)
    assert "\n" not in text  # one object, one line
    return json.loads(text)


def test_a_line_has_time_level_logger_message():
    entry = line("Queued %s", "ping")
    assert entry["level"] == "WARNING" and entry["logger"] == "backend.test"
    assert entry["message"] == "Queued ping"
    assert entry["time"].endswith("+00:00")
    assert "request_id" not in entry and "task_id" not in entry


def test_the_request_and_task_ids_in_context_go_into_the_line():
    request_token, task_token = request_id_var.set("req-1"), task_id_var.set("task-1")
    try:
        entry = line("working")
    finally:
        request_id_var.reset(request_token)
        task_id_var.reset(task_token)
    assert entry["request_id"] == "req-1" and entry["task_id"] == "task-1"


def test_a_celery_line_naming_a_task_gets_its_task_and_request_id():
    remember_request_id("t-42", "req-42")
    entry = line("Task %(name)s[%(id)s] received", {"name": "ping", "id": "t-42"},
                 name="celery.worker.strategy")
    assert entry["task_id"] == "t-42" and entry["request_id"] == "req-42"


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("Authorization: Bearer abc.def-ghi", "abc.def-ghi"),
        ("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl in a message", "c2lnbmF0dXJl"),
        ("could not connect to postgresql://ledgerflow:s3cr3t@db:5432/ledgerflow", "s3cr3t"),
        ("login form password=correct-horse&username=a", "correct-horse"),
        ('{"access_token": "opaque-value", "x": 1}', "opaque-value"),
        ("FLOWER_BASIC_AUTH=admin:pw JWT_SECRET_KEY=k3y", "k3y"),
        # PostgreSQL's DETAIL names the row at fault, in a traceback's line and in the repr
        # of the exception that Celery's failure line writes.
        ('duplicate key value violates unique constraint "users_email_key"\n'
         "DETAIL:  Key (email)=(ann@example.com) already exists.\n[SQL: INSERT INTO users]",
         "ann@example.com"),
        ("raised unexpected: IntegrityError('(psycopg2.errors.UniqueViolation) duplicate key\\n"
         "DETAIL:  Key (email)=(ann@example.com) already exists.\\n')", "ann@example.com"),
        ('new row violates check constraint "amount"\nDETAIL:  Failing row contains (7, 12.50)',
         "12.50"),
        ("CONTEXT:  COPY transactions, line 3, column description: \"DR SMITH CLINIC\"",
         "SMITH"),
        # PostgreSQL's main line quotes the value it refused, and its LINE the query with
        # the values psycopg2 wrote into it; a value may hold quotes and line breaks.
        ('(psycopg2.errors.InvalidTextRepresentation) invalid input syntax for type integer: '
         '"ann-4111"\nLINE 1: SELECT CAST(\'ann-4111\' AS integer)\n                    ^\n\n'
         "[SQL: SELECT CAST(%(v)s AS integer)]", "ann-4111"),
        ("raised unexpected: DataError('(psycopg2.errors.InvalidTextRepresentation) invalid "
         'input syntax for type integer: "ann \\"x\\"\\nsecond-line-secret"\\nLINE 1: '
         "SELECT CAST(\\'ann \"x\"\\n                    ^\\n')", "second-line-secret"),
        ('invalid input syntax for type integer: "ann "x"\nsecond-line-secret"\nLINE 1: '
         "SELECT CAST('ann \"x\"\n       ^\n", "second-line-secret"),
        ('value "40000000001" is out of range for type integer\nLINE 1: ...', "40000000001"),
        ('invalid input value for enum mood: "furious-ann"', "furious-ann"),
        ('malformed array literal: "{ann-4111"\nDETAIL:  Unexpected end of input.', "ann-4111"),
        ('date/time field value out of range: "2024-13-45"', "2024-13-45"),
        ('time zone "ann/home" not recognized', "ann/home"),
        ('invalid value "Anne" for "YYYY"\nDETAIL:  Value must be an integer.', "Anne"),
        ('invalid byte sequence for encoding "UTF8": 0xe9 0x41', "0xe9"),
    ],
)
def test_secrets_are_blanked(text, secret):
    assert secret not in redact(text)
    assert secret not in line(text)["message"]


def test_secrets_in_a_traceback_are_blanked():
    entry = line("crashed", exc=True)
    assert "RuntimeError" in entry["exc_info"] and "hunter2" not in entry["exc_info"]


def test_secrets_are_blanked_in_text_lines_too(caplog):
    """The filter is on the handler, whatever its formatter: text is the default format."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    handler.addFilter(RedactSecrets())
    error = "insert failed\nDETAIL:  Key (email)=(ann@example.com) already exists."
    try:
        raise RuntimeError(error)
    except RuntimeError:
        record = logging.LogRecord("backend.test", logging.ERROR, __file__, 1,
                                   "login password=%s", ("hunter2",), sys.exc_info())
    assert handler.filter(record)
    text = handler.format(record)
    assert "hunter2" not in text and "ann@example.com" not in text, text
    assert "RuntimeError: insert failed" in text and "DETAIL: [redacted]" in text, text


@pytest.mark.parametrize("text", [
    # The schema's names PostgreSQL quotes stay: what broke is still said.
    'duplicate key value violates unique constraint "uq_users_email"',
    'null value in column "email" of relation "users" violates not-null constraint',
    'relation "transactions" does not exist',
    'column "amount" is of type numeric but expression is of type text',
    "value too long for type character varying(255)",
    'Task ping[1] succeeded in 0.1s: {"value": 3}',
])
def test_what_postgresql_says_of_the_schema_stays(text):
    assert redact(text) == text


def test_ordinary_text_is_left_alone():
    text = "Task parse_statement[3f2a] succeeded in 0.5s: 52 transactions, tokens of 3"
    assert redact(text).startswith("Task parse_statement[3f2a] succeeded in 0.5s: 52 transactions")


@pytest.mark.parametrize("value", ["3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b", "lb.abc:123_x"])
def test_plain_request_ids_are_kept(value):
    assert valid_request_id(value)


@pytest.mark.parametrize("value", ["", "two words", "a\nforged line", "x" * 129, "-leading", "é"])
def test_request_ids_that_could_forge_or_flood_lines_are_not(value):
    assert not valid_request_id(value)


def test_the_request_id_goes_into_the_message_headers():
    assert message_headers() == {}
    token = request_id_var.set("req-7")
    try:
        assert message_headers() == {REQUEST_ID_MESSAGE_HEADER: "req-7"}
    finally:
        request_id_var.reset(token)


@pytest.fixture(scope="module")
def api() -> TestClient:
    return TestClient(create_app())


def test_a_valid_incoming_request_id_is_sent_back(api):
    response = api.get("/health", headers={REQUEST_ID_HEADER: "lb-1234"})
    assert response.headers[REQUEST_ID_HEADER] == "lb-1234"


@pytest.mark.parametrize("sent", [None, "bad id with spaces", "x" * 200])
def test_otherwise_one_is_made(api, sent):
    headers = {REQUEST_ID_HEADER: sent} if sent else {}
    made = api.get("/health", headers=headers).headers[REQUEST_ID_HEADER]
    assert valid_request_id(made) and made != sent and len(made) == 32
    assert api.get("/health", headers=headers).headers[REQUEST_ID_HEADER] != made


def test_error_answers_carry_it_too(api):
    response = api.get("/no/such/route", headers={REQUEST_ID_HEADER: "err-1"})
    assert response.status_code == 404 and response.headers[REQUEST_ID_HEADER] == "err-1"


def test_a_crash_answers_500_with_the_request_id():
    app = create_app()

    def boom() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/boom", boom)
    with TestClient(app, raise_server_exceptions=False) as crashing:
        response = crashing.get("/boom", headers={REQUEST_ID_HEADER: "crash-1"})
    assert response.status_code == 500
    assert response.json()["code"] == "internal_error"
    assert response.headers[REQUEST_ID_HEADER] == "crash-1"
