"""The API contract from a client's side, and JSON logs that follow a request into its task.

openapi-python-client generates a Python client from app.openapi() into a temporary
folder; the test imports it and drives upload → status → result against a live API
(uvicorn) and a live worker, both started here with LOG_FORMAT=json on a Redis of their
own (so the session's worker cannot take the task). Their output must then be JSON lines
in which the client's X-Request-ID follows the work from the API into the worker's lines
of that task, and in which no password, token or secret appears.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from types import ModuleType

import pytest

from backend.api.main import create_app
from tests.conftest import REPO_ROOT, WORKER_QUEUES
from tests.support.net import OutputCollector, PrivateRedis, free_port, wait_until_answers
from tests.support.statement_pdfs import LAYOUTS

PACKAGE = "ledgerflow_client"
FINAL = {"SUCCESS", "FAILED", "REVOKED"}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The client package generated from the app's schema, imported."""
    folder = tmp_path_factory.mktemp("generated")
    spec = folder / "openapi.json"
    spec.write_text(json.dumps(create_app().openapi()))
    venv_bin = Path(sys.executable).parent
    # Its post-generation hook runs ruff, which the dev dependencies install beside it.
    env = dict(os.environ, PATH=f"{venv_bin}{os.pathsep}{os.environ.get('PATH', '')}")
    done = subprocess.run(
        [str(venv_bin / "openapi-python-client"), "generate", "--path", str(spec),
         "--meta", "none", "--output-path", str(folder / PACKAGE)],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def load(name: str) -> ModuleType:
    """A module of the generated package, e.g. ``api.tasks.task_status_tasks_task_id_status_get``."""
    return importlib.import_module(f"{PACKAGE}.{name}")


@dataclass
class LiveStack:
    api: str
    api_output: OutputCollector
    worker_output: OutputCollector
    secret: str


@pytest.fixture
def live(database: None, tmp_path: Path) -> Iterator[LiveStack]:
    """uvicorn and a Celery worker logging JSON, over the test database and a private Redis."""
    with PrivateRedis(tmp_path / "redis") as redis_server:
        secret = "jwt-secret-" + uuid.uuid4().hex
        env = dict(
            os.environ, LOG_FORMAT="json", REDIS_URL=redis_server.url,
            CELERY_BROKER_URL=redis_server.url, CELERY_RESULT_BACKEND=redis_server.url,
            STORAGE_DIR=str(tmp_path / "storage"), JWT_SECRET_KEY=secret,
        )
        port = free_port()
        commands = {
            "api": [sys.executable, "-m", "uvicorn", "backend.api.main:create_app", "--factory",
                    "--host", "127.0.0.1", "--port", str(port)],
            "worker": [sys.executable, "-m", "celery", "-A", "celery_app", "worker",
                       "-Q", WORKER_QUEUES, "--concurrency", "1", "--loglevel", "INFO",
                       "-n", f"json-{uuid.uuid4().hex[:8]}@%h", "--without-gossip",
                       "--without-mingle"],
        }
        processes = {
            name: subprocess.Popen(command, cwd=REPO_ROOT, env=env, text=True,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            for name, command in commands.items()
        }
        outputs = {name: OutputCollector(process.stdout) for name, process in processes.items()}
        try:
            wait_until_answers(f"http://127.0.0.1:{port}/health", timeout=60)
            yield LiveStack(f"http://127.0.0.1:{port}", outputs["api"], outputs["worker"], secret)
        finally:
            for process in processes.values():
                process.terminate()
            for process in processes.values():
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def wait_for_lines(output: OutputCollector, found, what: str, timeout: float = 30) -> list[dict]:
    """The JSON lines of ``output`` once ``found(lines)`` holds (lines arrive a little late)."""
    deadline = time.monotonic() + timeout
    while True:
        lines = json_lines(output.text)
        if found(lines):
            return lines
        if time.monotonic() > deadline:
            raise AssertionError(f"no {what} in:\n{output.text[-4000:]}")
        time.sleep(0.1)


def test_a_generated_client_uploads_and_reads_status_and_result(generated, live, tmp_path):
    models, types = load("models"), load("types")
    anonymous = generated.Client(base_url=live.api)
    email, password = f"client-{uuid.uuid4().hex[:8]}@example.com", "pw-" + uuid.uuid4().hex

    user = load("api.auth.register_auth_register_post").sync(
        client=anonymous, body=models.RegisterIn(email=email, password=password))
    assert isinstance(user, models.UserOut) and user.email == email
    token = load("api.auth.login_auth_token_post").sync(
        client=anonymous, body=models.BodyLoginAuthTokenPost(username=email, password=password))
    assert isinstance(token, models.TokenOut)

    request_id = f"client-test-{uuid.uuid4().hex}"
    client = generated.AuthenticatedClient(
        base_url=live.api, token=token.access_token, headers={"X-Request-ID": request_id})
    truth = LAYOUTS["northgate_uk"](tmp_path / "statement.pdf")
    body = models.UploadStatementUploadPdfAsyncPostBody(file=types.File(
        payload=BytesIO((tmp_path / "statement.pdf").read_bytes()), file_name="statement.pdf",
        mime_type="application/pdf"))
    submitted = load("api.statements.upload_statement_upload_pdf_async_post").sync_detailed(
        client=client, body=body)
    assert submitted.status_code == 202, submitted.content
    assert isinstance(submitted.parsed, models.TaskSubmitted)
    assert submitted.headers["X-Request-ID"] == request_id
    task_id = submitted.parsed.task_id

    status_of = load("api.tasks.task_status_tasks_task_id_status_get")
    deadline = time.monotonic() + 120
    status = status_of.sync(task_id, client=client)
    while status.status.value not in FINAL:  # a TaskState enum: the schema says so
        assert time.monotonic() < deadline, f"the task never finished: {status}"
        time.sleep(0.2)
        status = status_of.sync(task_id, client=client)
    assert isinstance(status.status, models.TaskState)
    assert status.status == models.TaskState.SUCCESS, status.error_message

    result = load("api.tasks.task_result_tasks_task_id_result_get").sync(task_id, client=client)
    assert isinstance(result, models.TaskResultOut)
    assert result.result["transaction_count"] == len(truth.transactions)

    # Errors come back as the declared error model.
    missing = status_of.sync(str(uuid.uuid4()), client=client)
    assert isinstance(missing, models.ErrorOut) and missing.code == "not_found"

    # The request id, from the API's access line into every worker line of the task.
    api_lines = wait_for_lines(
        live.api_output, lambda lines: any(line.get("request_id") == request_id for line in lines),
        "API line with the request id")
    worker_lines = wait_for_lines(
        live.worker_output,
        lambda lines: any("succeeded" in line["message"] and line.get("task_id") == task_id
                          for line in lines),
        "worker line saying the task succeeded")
    uploads = [line for line in api_lines if line.get("request_id") == request_id
               and "/upload_pdf_async" in line["message"]]
    assert uploads and uploads[0]["logger"] == "uvicorn.access"
    assert {"time", "level", "logger", "message"} <= set(uploads[0])
    of_task = [line for line in worker_lines if line.get("task_id") == task_id]
    assert len(of_task) >= 2  # received (main process) and succeeded (pool process) at least
    assert all(line.get("request_id") == request_id for line in of_task), of_task

    # One JSON object per line from the API; on the worker, every line about the task.
    for line in live.api_output.text.splitlines():
        if line.strip():
            json.loads(line)
    for line in live.worker_output.text.splitlines():
        if task_id in line:
            assert json.loads(line)["task_id"] == task_id, line

    everything = live.api_output.text + live.worker_output.text
    for secret in (password, token.access_token, live.secret):
        assert secret not in everything
