"""The reaper's re-sends, against the real database and broker (no worker: nothing runs them)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from celery.signals import before_task_publish

from backend.logs import REQUEST_ID_MESSAGE_HEADER, valid_request_id
from backend.models import utcnow
from backend.tasks.recovery import REAPER_REQUEST_ID_PREFIX, reap
from tests.support.seed import seed_task


def test_a_message_the_reaper_sends_again_carries_a_request_id_of_the_reapers(
    client, auth_headers
):
    # A PENDING task whose message never started (lost with the broker) a day ago.
    user_id = client.get("/auth/me", headers=auth_headers).json()["id"]
    task_id = seed_task(user_id, "PENDING", dispatched_at=utcnow() - timedelta(days=1))
    published: dict[str, Any] = {}

    def remember(headers: dict[str, Any] | None = None, **_kwargs: Any) -> None:
        if headers:
            published[headers["id"]] = headers.get(REQUEST_ID_MESSAGE_HEADER)

    before_task_publish.connect(remember, weak=False)
    try:
        counts = reap()
    finally:
        before_task_publish.disconnect(remember)

    assert counts["redispatched"] == 1
    request_id = published[task_id]
    assert request_id.startswith(REAPER_REQUEST_ID_PREFIX) and valid_request_id(request_id)
