"""Webhooks end to end: a receiver on 127.0.0.1, the real API, a real worker and broker.

The receiver is a small threaded HTTP server inside the test process; every address any
test here registers or calls is on the loopback (127.0.0.0/8). The test configuration
sets WEBHOOK_ALLOW_PRIVATE_NETWORKS=true (tests/conftest.py) so that the worker may call
it, and WEBHOOK_RETRY_SCHEDULE=0.5,0.5 (three tries, half a second apart).
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import event, insert, update

from backend.config import get_settings
from backend.db import get_engine
from backend.models import Webhook, WebhookDelivery, utcnow
from backend.services import task_records, webhooks
from backend.tasks.app import celery_app
from backend.tasks.kinds import SWEEP_WEBHOOKS
from tests.conftest import REPO_ROOT
from tests.support import is_final
from tests.support.net import free_port
from tests.support.seed import seed_task
from tests.support.statement_pdfs import LAYOUTS

ALL_EVENTS = ["task.succeeded", "task.failed", "batch.finished"]


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """Answers each POST with the next status scripted for its path (200 once the script
    runs out); an answer given as a float is a delay in seconds before answering 200, and
    "trickle" sends the status line one byte a second (each byte within the timeout)."""

    url: str
    path: str
    script: dict[str, list[int | float | str]] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)

    def wait_for(self, count: int, timeout: float = 30) -> list[Received]:
        with self.changed:
            if not self.changed.wait_for(lambda: len(self.received) >= count, timeout):
                pytest.fail(f"the receiver got {len(self.received)} requests, expected {count}")
            return list(self.received)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver(url="", path="/hooks/ledgerflow")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            with state.changed:
                answers = state.script.get(self.path)
                answer = answers.pop(0) if answers else 200
                state.received.append(Received(self.path, dict(self.headers), body))
                state.changed.notify_all()
            if answer == "trickle":
                try:
                    for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n":
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(1)
                except OSError:
                    pass  # the worker gave up on it
                return
            if isinstance(answer, float):
                time.sleep(answer)
                answer = 200
            try:
                self.send_response(answer)
                self.send_header("Content-Length", "0")
                self.end_headers()
            except OSError:
                pass  # the worker gave up waiting (the timeout test)

        def log_message(self, *_args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}{state.path}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def register_webhook(client) -> Callable[..., dict]:
    def _register(headers: dict[str, str], url: str, events: list[str] | None = None) -> dict:
        response = client.post(
            "/webhooks", json={"url": url, "events": events or ALL_EVENTS}, headers=headers
        )
        assert response.status_code == 201, response.text
        return response.json()

    return _register


def verify(secret: str, request: Received) -> dict:
    """The receiver's check, as BACKGROUND_JOBS_GUIDE.md documents it."""
    timestamp = request.headers["X-Ledgerflow-Timestamp"]
    expected = hmac.new(
        secret.encode(), timestamp.encode() + b"." + request.body, hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(request.headers["X-Ledgerflow-Signature"], "sha256=" + expected)
    assert abs(time.time() - int(timestamp)) < 300
    return json.loads(request.body)


def deliveries_when(client, headers, webhook_id, done: Callable[[list[dict]], bool]) -> list[dict]:
    deadline = time.monotonic() + 30
    while True:
        response = client.get(f"/webhooks/{webhook_id}/deliveries", headers=headers)
        assert response.status_code == 200
        if done(response.json()):
            return response.json()
        if time.monotonic() > deadline:
            pytest.fail(f"deliveries never reached the expected state: {response.json()}")
        time.sleep(0.05)


def test_a_finished_task_is_delivered_signed_and_a_500_is_retried(
    client, auth_headers, wait_for, receiver, register_webhook
):
    hook = register_webhook(auth_headers, receiver.url, ["task.succeeded", "task.failed"])
    assert hook["secret"].startswith("whsec_") and hook["events"] == ["task.succeeded", "task.failed"]
    receiver.script = {receiver.path: [500]}

    task_id = client.post("/tasks/ping", headers=auth_headers).json()["task_id"]
    assert wait_for(task_id, auth_headers, is_final)["status"] == "SUCCESS"
    first, second = receiver.wait_for(2)

    for request in (first, second):
        assert request.path == "/hooks/ledgerflow"
        assert request.headers["X-Ledgerflow-Event"] == "task.succeeded"
        assert request.headers["Content-Type"] == "application/json"
        payload = verify(hook["secret"], request)
        assert payload["event"] == "task.succeeded"
        assert payload["task_id"] == task_id
        assert payload["status"] == "SUCCESS"
        assert payload["result"] == "pong"
        assert payload["occurred_at"]
    assert first.body == second.body  # the same event, sent again
    assert first.headers["X-Ledgerflow-Delivery"] == second.headers["X-Ledgerflow-Delivery"]

    [delivery] = deliveries_when(
        client, auth_headers, hook["id"], lambda rows: rows and rows[0]["status"] == "delivered"
    )
    assert delivery["event"] == "task.succeeded"
    assert delivery["attempts"] == 2
    assert delivery["status_code"] == 200
    assert delivery["next_retry_at"] is None
    assert len(receiver.received) == 2


def test_a_failed_task_goes_only_to_webhooks_that_asked_for_it(
    client, auth_headers, submit, wait_for, receiver, register_webhook
):
    wants_failures = register_webhook(auth_headers, receiver.url + "?failures", ["task.failed"])
    wants_successes = register_webhook(auth_headers, receiver.url + "?ok", ["task.succeeded"])

    task_id = submit(auth_headers, "tests.invalid_input", counter_key=f"wh-{time.time_ns()}")
    assert wait_for(task_id, auth_headers, is_final)["status"] == "FAILED"
    [request] = receiver.wait_for(1)
    assert request.path == "/hooks/ledgerflow?failures"
    payload = verify(wants_failures["secret"], request)
    assert payload["event"] == "task.failed" and payload["status"] == "FAILED"
    assert payload["task_id"] == task_id and payload["result"] is None
    assert payload["error"] == "The document is not a bank statement"
    # Both webhooks' deliveries would have been written in the one transaction.
    deliveries_when(client, auth_headers, wants_failures["id"], lambda rows: len(rows) == 1)
    assert client.get(
        f"/webhooks/{wants_successes['id']}/deliveries", headers=auth_headers
    ).json() == []


def test_a_client_error_is_not_retried_and_server_errors_stop_after_the_schedule(
    client, auth_headers, wait_for, receiver, register_webhook
):
    gone = register_webhook(auth_headers, receiver.url + "?gone", ["task.succeeded"])
    broken = register_webhook(auth_headers, receiver.url + "?broken", ["task.succeeded"])
    receiver.script = {receiver.path + "?gone": [410], receiver.path + "?broken": [503] * 5}
    task_id = client.post("/tasks/ping", headers=auth_headers).json()["task_id"]
    wait_for(task_id, auth_headers, is_final)

    def failed(rows: list[dict]) -> bool:
        return bool(rows) and rows[0]["status"] == "failed"

    [refused] = deliveries_when(client, auth_headers, gone["id"], failed)
    assert (refused["attempts"], refused["status_code"]) == (1, 410)
    [given_up] = deliveries_when(client, auth_headers, broken["id"], failed)
    assert (given_up["attempts"], given_up["status_code"]) == (3, 503)
    assert given_up["next_retry_at"] is None
    paths = [request.path for request in receiver.received]
    assert paths.count(receiver.path + "?gone") == 1
    assert paths.count(receiver.path + "?broken") == 3


def test_tries_that_get_no_answer_are_retried(
    client, auth_headers, wait_for, receiver, register_webhook
):
    # First try: the receiver answers only after the worker's 2 s timeout; second: at once.
    hook = register_webhook(auth_headers, receiver.url, ["task.succeeded"])
    receiver.script = {receiver.path: [4.0]}
    task_id = client.post("/tasks/ping", headers=auth_headers).json()["task_id"]
    wait_for(task_id, auth_headers, is_final)
    [delivery] = deliveries_when(
        client, auth_headers, hook["id"], lambda rows: rows and rows[0]["status"] == "delivered"
    )
    assert delivery["attempts"] == 2 and delivery["status_code"] == 200
    assert len(receiver.wait_for(2)) == 2


def test_a_receiver_that_trickles_its_answer_is_cut_off_and_retried(
    client, auth_headers, wait_for, receiver, register_webhook
):
    # Every byte comes within the 2 s socket timeout; the try as a whole is cut off at 6 s.
    hook = register_webhook(auth_headers, receiver.url, ["task.succeeded"])
    receiver.script = {receiver.path: ["trickle"]}
    task_id = client.post("/tasks/ping", headers=auth_headers).json()["task_id"]
    wait_for(task_id, auth_headers, is_final)
    [delivery] = deliveries_when(
        client, auth_headers, hook["id"], lambda rows: rows and rows[0]["status"] == "delivered"
    )
    assert (delivery["attempts"], delivery["status_code"]) == (2, 200)


def test_a_closed_port_is_retried_then_given_up(
    client, auth_headers, wait_for, register_webhook
):
    hook = register_webhook(auth_headers, f"http://127.0.0.1:{free_port()}/", ["task.succeeded"])
    task_id = client.post("/tasks/ping", headers=auth_headers).json()["task_id"]
    wait_for(task_id, auth_headers, is_final)
    [delivery] = deliveries_when(
        client, auth_headers, hook["id"], lambda rows: rows and rows[0]["status"] == "failed"
    )
    assert delivery["attempts"] == 3  # one try and the two retries of the test schedule
    assert delivery["status_code"] is None
    assert delivery["error"].startswith("connection failed")
    assert delivery["next_retry_at"] is None


def test_a_lost_message_is_sent_again_by_the_sweep(
    client, auth_headers, worker, receiver, register_webhook
):
    hook = register_webhook(auth_headers, receiver.url, ["task.succeeded"])
    user_id = client.get("/auth/me", headers=auth_headers).json()["id"]
    # An event whose delivery row committed but whose message never reached the broker.
    with get_engine().begin() as conn:
        [delivery_id] = webhooks.enqueue(
            conn, user_id, "task.succeeded", {"task_id": "lost-message", "status": "SUCCESS"}
        )
        long_ago = utcnow() - timedelta(seconds=get_settings().redispatch_after_seconds + 60)
        conn.execute(
            update(WebhookDelivery).where(WebhookDelivery.id == delivery_id)
            .values(dispatched_at=long_ago)
        )
    celery_app.send_task(SWEEP_WEBHOOKS.name)
    [request] = receiver.wait_for(1)
    assert verify(hook["secret"], request)["task_id"] == "lost-message"
    deliveries_when(
        client, auth_headers, hook["id"], lambda rows: rows and rows[0]["status"] == "delivered"
    )


def test_private_addresses_are_refused_when_the_flag_is_off(
    client, auth_headers, receiver, monkeypatch
):
    # The API process's own settings object; the worker is not involved in a refusal.
    monkeypatch.setattr(get_settings(), "webhook_allow_private_networks", False)
    port = receiver.url.split(":")[2].split("/")[0]
    for url in (
        receiver.url,
        f"http://localhost:{port}/hook",
        f"http://[::1]:{port}/hook",
        f"http://[::ffff:127.0.0.1]:{port}/hook",
        f"http://2130706433:{port}/hook",  # 127.0.0.1 as one number
    ):  # (other inward addresses: tests/unit/test_webhooks.py, no address registered)
        response = client.post(
            "/webhooks", json={"url": url, "events": ["task.succeeded"]}, headers=auth_headers
        )
        assert response.status_code == 422, url
        assert "non-public address" in response.json()["detail"], url
    assert client.get("/webhooks", headers=auth_headers).json() == []
    assert receiver.received == []


@pytest.mark.parametrize(
    "body",
    [
        {"url": "http://127.0.0.1:9/", "events": ["task.exploded"]},
        {"url": "http://127.0.0.1:9/", "events": []},
        {"url": "ftp://127.0.0.1:9/", "events": ["task.failed"]},
        {"url": "http://127.0.0.1:99999/", "events": ["task.failed"]},
        {"url": "http://user:secret@127.0.0.1:9/", "events": ["task.failed"]},
        {"url": "", "events": ["task.failed"]},
        {"events": ["task.failed"]},
    ],
)
def test_bad_registrations_get_422(client, auth_headers, body):
    response = client.post("/webhooks", json=body, headers=auth_headers)
    assert response.status_code == 422
    assert response.json()["detail"]


def test_webhooks_are_their_owners_only(client, register, register_webhook):
    ann, bob = register(), register()
    hook = register_webhook(ann, "http://127.0.0.1:9/ann", ["task.failed"])
    listed = client.get("/webhooks", headers=ann).json()
    assert [(item["id"], item["url"]) for item in listed] == [(hook["id"], "http://127.0.0.1:9/ann")]
    assert "secret" not in listed[0]
    assert client.get("/webhooks", headers=bob).json() == []
    assert client.get(f"/webhooks/{hook['id']}/deliveries", headers=bob).status_code == 404
    assert client.delete(f"/webhooks/{hook['id']}", headers=bob).status_code == 404
    assert client.get("/webhooks").status_code == 401
    assert client.get(f"/webhooks/{hook['id']}/deliveries").status_code == 401

    assert client.delete(f"/webhooks/{hook['id']}", headers=ann).status_code == 204
    assert client.get("/webhooks", headers=ann).json() == []
    assert client.get(f"/webhooks/{hook['id']}/deliveries", headers=ann).status_code == 404
    assert client.delete(f"/webhooks/{hook['id']}", headers=ann).status_code == 404


def test_a_finished_batch_is_delivered_once_by_the_sweep(
    client, auth_headers, worker, receiver, register_webhook, tmp_path
):
    hook = register_webhook(auth_headers, receiver.url, ["batch.finished"])
    layout = sorted(LAYOUTS)[0]
    LAYOUTS[layout](tmp_path / "a.pdf")
    files = [
        ("files", ("a.pdf", (tmp_path / "a.pdf").read_bytes(), "application/pdf")),
        ("files", ("b.pdf", b"not a pdf", "application/pdf")),
    ]
    answer = client.post("/batches", files=files, headers=auth_headers)
    assert answer.status_code == 202, answer.text
    batch_id = answer.json()["batch_id"]
    # The delivery is written in the transaction that finishes the batch (in the worker)...
    [pending] = deliveries_when(client, auth_headers, hook["id"], lambda rows: len(rows) == 1)
    assert pending["event"] == "batch.finished"
    # ...and sent by beat's sweep (every WEBHOOK_SWEEP_SECONDS; the tests run no beat).
    celery_app.send_task(SWEEP_WEBHOOKS.name)
    [request] = receiver.wait_for(1)
    assert request.headers["X-Ledgerflow-Event"] == "batch.finished"
    payload = verify(hook["secret"], request)
    assert payload["batch_id"] == batch_id
    assert payload["status"] == client.get(f"/batches/{batch_id}", headers=auth_headers).json()["status"]
    assert payload["status"] == "PARTIAL"
    result = payload["result"]
    assert (result["total"], result["succeeded"], result["failed"]) == (2, 1, 1)
    [delivered] = deliveries_when(
        client, auth_headers, hook["id"], lambda rows: rows[0]["status"] == "delivered"
    )
    assert (delivered["attempts"], delivered["status_code"]) == (1, 200)


def documented_receiver(secret: str) -> type[BaseHTTPRequestHandler]:
    """The receiver printed in BACKGROUND_JOBS_GUIDE.md's Webhooks section, with ``secret``."""
    guide = (REPO_ROOT / "BACKGROUND_JOBS_GUIDE.md").read_text()
    code = guide.split("\n## Webhooks\n", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    assert len([line for line in code.splitlines() if line.strip()]) <= 10
    serve = 'http.server.HTTPServer(("", 8080), Receiver).serve_forever()'
    assert serve in code and 'b"whsec_..."' in code
    code = code.replace(serve, "").replace('b"whsec_..."', repr(secret.encode()))
    namespace: dict = {}
    exec(compile(code, "BACKGROUND_JOBS_GUIDE.md", "exec"), namespace)  # noqa: S102 (our own docs)
    return namespace["Receiver"]


def test_the_guides_receiver_accepts_a_real_delivery_and_refuses_forgeries(
    client, auth_headers, wait_for, register_webhook
):
    # The port is needed for the URL before the secret exists: the handler comes after.
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    hook = register_webhook(auth_headers, url, ["task.succeeded"])
    server.RequestHandlerClass = documented_receiver(hook["secret"])
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        task_id = client.post("/tasks/ping", headers=auth_headers).json()["task_id"]
        wait_for(task_id, auth_headers, is_final)
        [delivery] = deliveries_when(
            client, auth_headers, hook["id"], lambda rows: rows and rows[0]["status"] != "pending"
        )
        assert (delivery["status"], delivery["status_code"]) == ("delivered", 204)

        def answer(timestamp: str, signature: str) -> int:
            connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=5)
            connection.request("POST", "/", body=b"{}", headers={
                "X-Ledgerflow-Timestamp": timestamp, "X-Ledgerflow-Signature": signature,
            })
            status = connection.getresponse().status
            connection.close()
            return status

        now, old = str(int(time.time())), str(int(time.time()) - 3600)
        assert answer(now, webhooks.sign(hook["secret"], now, b"{}")) == 204
        assert answer(now, webhooks.sign("whsec_guessed", now, b"{}")) == 401
        assert answer(old, webhooks.sign(hook["secret"], old, b"{}")) == 401  # a replay
    finally:
        server.shutdown()
        server.server_close()


def test_only_a_task_whose_owner_has_a_webhook_looks_them_up(client, register):
    """The final transition's RETURNING says whether the owner has a webhook
    (``webhooks.exist_for``); only then does it read them. On SQLite that column once
    said yes for every task as soon as anybody had a webhook (a bare ``user_id = user_id``)."""
    other, owner = (client.get("/auth/me", headers=register()).json()["id"] for _ in range(2))
    with get_engine().begin() as conn:
        conn.execute(insert(Webhook).values(
            user_id=owner, url="https://example.com/hook", events=ALL_EVENTS, secret="s" * 32,
        ))
    lookups: list[str] = []

    def count(_conn, _cursor, statement: str, *_args) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "webhooks" in statement:
            lookups.append(statement)

    event.listen(get_engine(), "before_cursor_execute", count)
    try:
        assert task_records.mark_success(get_engine(), seed_task(other, "PENDING"), "pong")
        assert lookups == []  # its owner has none: no second statement
        assert task_records.mark_success(get_engine(), seed_task(owner, "PENDING"), "pong")
        assert len(lookups) == 1
    finally:
        event.remove(get_engine(), "before_cursor_execute", count)


def test_a_url_with_non_ascii_characters_is_delivered_percent_encoded(
    client, auth_headers, wait_for, receiver, register_webhook
):
    """A URL such as .../hé?q=例 was registered (201), then every try crashed in the worker
    (http.client writes the request line in ASCII): the delivery stayed pending with no
    error, was sent again by the sweep every REDISPATCH_AFTER_SECONDS, and each crash
    logged the URL's path and query, where receivers often keep a token."""
    hook = register_webhook(auth_headers, receiver.url + "/h\u00e9?q=\u00e9\u4f8b", ["task.succeeded"])
    task_id = client.post("/tasks/ping", headers=auth_headers).json()["task_id"]
    assert wait_for(task_id, auth_headers, is_final)["status"] == "SUCCESS"
    [request] = receiver.wait_for(1)
    assert request.path == f"{receiver.path}/h%C3%A9?q=%C3%A9%E4%BE%8B"
    [delivery] = deliveries_when(
        client, auth_headers, hook["id"], lambda rows: rows and rows[0]["status"] == "delivered"
    )
    assert delivery["attempts"] == 1
