"""Stored task arguments stay readable by the next release; a submit's are checked strictly."""

from __future__ import annotations

import pytest
from celery.signals import before_task_publish
from pydantic import ValidationError
from sqlalchemy import func, select

from backend.db import get_engine
from backend.models import TaskStatus, utcnow
from backend.tasks.app import celery_app
from backend.tasks.arguments import OLDER_RELEASE_MESSAGE
from backend.tasks.base import unknown_task_message
from backend.tasks.kinds import CATEGORIZE, DEFAULT_QUEUE, PARSE_STATEMENT
from backend.tasks.submission import dispatch, submit_task
from tests.support import SAMPLES_DIR, is_final
from tests.support.seed import seed_statement, seed_task


def me(client, headers) -> int:
    return client.get("/auth/me", headers=headers).json()["id"]


def stored_kwargs(task_id: str) -> dict:
    with get_engine().connect() as conn:
        return conn.scalar(select(TaskStatus.kwargs).where(TaskStatus.task_id == task_id))


def test_a_task_stored_by_an_older_release_is_retried_with_its_arguments_read_by_this_one(
    client, auth_headers, worker, wait_for
):
    user_id = me(client, auth_headers)
    statement_id = seed_statement(user_id, [
        ("2024-03-01", "COFFEE HOUSE", "-3.20"), ("2024-03-02", "RENT", "-900.00"),
    ])
    # As an older release stored it: a key this one dropped ("dry_run"), and none of the
    # keys it added since ("overwrite", "statement_ids", "include_manual").
    old = seed_task(
        user_id, "FAILED", CATEGORIZE.name, queue=CATEGORIZE.queue, completed_at=utcnow(),
        error_message="A service the task needs was unavailable",
        kwargs={"user_id": user_id, "statement_id": statement_id, "dry_run": False,
                "rules": [{"pattern": "coffee", "category": "Eating out"}]},
    )
    retried = client.post(f"/tasks/{old}/retry", headers=auth_headers)
    assert retried.status_code == 202, retried.json()
    task_id = retried.json()["task_id"]
    final = wait_for(task_id, auth_headers, is_final)
    assert final["status"] == "SUCCESS", final["error_message"]
    result = client.get(f"/tasks/{task_id}/result", headers=auth_headers).json()["result"]
    assert result["categorized"] == 1 and result["by_category"] == {"Eating out": 1}
    # The new row holds the arguments as this release reads them, defaults filled in.
    rule = {"pattern": "coffee", "match_type": "contains", "category": "Eating out",
            "amount_min": None, "amount_max": None, "direction": None, "priority": 0}
    assert stored_kwargs(task_id) == {
        "user_id": user_id, "statement_id": statement_id, "overwrite": False,
        "statement_ids": None, "rules": [rule], "include_manual": False,
    }


def test_arguments_that_cannot_be_read_end_the_task_failed_with_a_plain_message(
    client, auth_headers, worker, wait_for
):
    user_id = me(client, auth_headers)
    garbage = {"user_id": "the owner", "rules": "all of them"}
    # A message re-sent from its row (the reaper does so), as an older release wrote it.
    task_id = seed_task(user_id, "PENDING", CATEGORIZE.name, queue=CATEGORIZE.queue, kwargs=garbage)
    dispatch(CATEGORIZE.name, task_id, garbage)
    final = wait_for(task_id, auth_headers, is_final)
    assert final["status"] == "FAILED"
    assert final["error_message"] == OLDER_RELEASE_MESSAGE

    # Its retry is refused at once, with the same message.
    retried = client.post(f"/tasks/{task_id}/retry", headers=auth_headers)
    assert retried.status_code == 409
    assert retried.json()["detail"] == OLDER_RELEASE_MESSAGE


def test_the_platforms_own_tasks_are_neither_listed_nor_retried(client, auth_headers):
    user_id = me(client, auth_headers)
    chore = seed_task(user_id, "FAILED", "cleanup_old_results", completed_at=utcnow())
    ping = seed_task(user_id, "FAILED", "ping", completed_at=utcnow())
    listed = client.get("/tasks", headers=auth_headers).json()
    assert [task["task_id"] for task in listed["items"]] == [ping] and listed["total"] == 1
    assert client.get("/tasks?task_name=cleanup_old_results", headers=auth_headers).json()["total"] == 0
    refused = client.post(f"/tasks/{chore}/retry", headers=auth_headers)
    assert refused.status_code == 409
    assert "can no longer be run" in refused.json()["detail"]


def test_a_submit_with_a_mistyped_argument_fails_loudly_and_records_nothing(clean_db):
    with pytest.raises(ValidationError, match="overwirte"):
        submit_task(get_engine(), 1, CATEGORIZE.name, {"user_id": 1, "overwirte": True})
    with get_engine().connect() as conn:
        assert conn.scalar(select(func.count()).select_from(TaskStatus)) == 0


def test_a_message_no_worker_knows_ends_its_task_failed_with_a_message(
    client, auth_headers, worker, wait_for
):
    # Found by QA: `celery -A celery_app call <unknown name>` was dropped by the worker
    # with a log line, and a row of it (an older release's kind) stayed PENDING for ever.
    task_id = seed_task(me(client, auth_headers), "PENDING", "tests.no_such_task")
    celery_app.send_task("tests.no_such_task", task_id=task_id, queue=DEFAULT_QUEUE)

    final = wait_for(task_id, auth_headers, is_final)
    assert final["status"] == "FAILED"
    assert final["error_message"] == unknown_task_message("tests.no_such_task")
    assert "'tests.no_such_task'" in final["error_message"]


SAMPLE = SAMPLES_DIR / "statements" / "dkb_mustermann.pdf"


def test_monitoring_sees_a_tasks_ids_and_flags_but_not_the_users_data(client, auth_headers):
    """Flower (``-E``) and Celery's events show a message's ``kwargsrepr``: the file's name
    and path and a rule's pattern stay out of it; the message itself still carries them."""
    published: list[dict] = []

    def record(sender=None, headers=None, body=None, **_):
        published.append({"task": sender, "headers": dict(headers or {}), "kwargs": body[1]})

    before_task_publish.connect(record, weak=False)
    try:
        uploaded = client.post(
            "/upload_pdf_async", headers=auth_headers,
            files={"file": ("Jane Doe salary march.pdf", SAMPLE.read_bytes(), "application/pdf")},
        )
        categorized = client.post(
            "/bulk_categorize_async", headers=auth_headers,
            json={"rules": [{"pattern": "DR SMITH CLINIC", "category": "Health"}]},
        )
    finally:
        before_task_publish.disconnect(record)
    assert (uploaded.status_code, categorized.status_code) == (202, 202), (uploaded.text, categorized.text)
    by_task = {message["task"]: message for message in published}
    parse, categorize = by_task[PARSE_STATEMENT.name], by_task[CATEGORIZE.name]
    # What the worker runs is whole...
    assert parse["kwargs"]["filename"] == "Jane Doe salary march.pdf"
    assert categorize["kwargs"]["rules"][0]["pattern"] == "DR SMITH CLINIC"
    # ...what monitoring shows names the arguments and keeps ids and flags only.
    shown = parse["headers"]["kwargsrepr"] + categorize["headers"]["kwargsrepr"]
    for private in ("Jane Doe", "salary", parse["kwargs"]["file_path"], parse["kwargs"]["file_sha256"],
                    "SMITH", "Health"):
        assert private not in shown
    assert f"'user_id': {me(client, auth_headers)}" in parse["headers"]["kwargsrepr"]
    assert "'filename': '<text>'" in parse["headers"]["kwargsrepr"]
    assert "'rules': '<1 item>'" in categorize["headers"]["kwargsrepr"]
    assert "'overwrite': False" in categorize["headers"]["kwargsrepr"]
