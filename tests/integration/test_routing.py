"""Each task's message lands once, in its own queue, in the real Redis broker; unknown task
names and queues are errors, not the default queue."""

from __future__ import annotations

import uuid

import pytest
import redis

from backend.config import get_settings
from backend.tasks.app import create_celery_app
from backend.tasks.arguments import NoArguments
from backend.tasks.kinds import QUEUES, UnknownTask, declare, declared, kind_named


@pytest.mark.redis_broker  # reads the queues as Redis lists
@pytest.mark.parametrize("task_name", sorted(kind.name for kind in declared()))
def test_a_message_goes_to_exactly_its_queue(redis_server, task_name):
    prefix = f"routing-test-{uuid.uuid4().hex}:"
    app = create_celery_app()
    # A key prefix of its own keeps the running test worker from consuming these messages.
    app.conf.broker_transport_options = {
        **app.conf.broker_transport_options, "global_keyprefix": prefix,
    }
    client = redis.Redis.from_url(get_settings().redis_url)
    try:
        with app.connection_for_write() as connection:  # bind every queue, as a worker does
            for queue in app.amqp.queues.values():
                queue.bind(connection.default_channel).declare()
        app.send_task(task_name, kwargs={})
        lengths = {queue: client.llen(prefix + queue) for queue in QUEUES}
    finally:
        client.delete(*client.keys(prefix + "*") or [prefix])
        app.close()
    assert lengths == {queue: int(queue == kind_named(task_name).queue) for queue in QUEUES}


@pytest.mark.redis_broker
def test_a_redis_channel_sends_its_commands_through_one_client_of_its_pool(redis_server):
    # backend/tasks/broker.py: kombu would make a new redis-py client per command (~90 µs
    # of CPU per submit); ours keeps one per channel, made by kombu's ``_create_client``
    # (which this pins, with ``conn_or_acquire``) and made again with a new pool.
    app = create_celery_app()
    try:
        with app.connection_for_write() as connection:
            channel = connection.default_channel
            with channel.conn_or_acquire() as first, channel.conn_or_acquire() as second:
                assert first is second
                assert first.connection_pool is channel.pool
                assert first.ping()
            channel._disconnect_pools()  # what kombu does after a connection error
            with channel.conn_or_acquire() as after:
                assert after is not first
                assert after.connection_pool is channel.pool
                assert after.ping()
    finally:
        app.close()


def test_unknown_task_names_and_queues_fail_loudly(clean_db):
    from backend.db import get_engine
    from backend.tasks.submission import submit_task

    with pytest.raises(UnknownTask, match="parse_pdf_asnyc"):
        submit_task(get_engine(), 1, "parse_pdf_asnyc", {})
    with pytest.raises(ValueError, match="unknown queue 'pdf'"):
        declare("tests.misrouted", "pdf", NoArguments, user_visible=False)
    with pytest.raises(ValueError, match="declared twice"):
        declare("ping", "default", NoArguments, user_visible=True)


def test_retrying_a_task_of_a_kind_this_release_does_not_run_is_409(client, auth_headers):
    from backend.models import utcnow
    from tests.support.seed import seed_task

    user_id = client.get("/auth/me", headers=auth_headers).json()["id"]
    task_id = seed_task(user_id, "FAILED", "retired_task_async", completed_at=utcnow())
    response = client.post(f"/tasks/{task_id}/retry", headers=auth_headers)
    assert response.status_code == 409
    assert "can no longer be run" in response.json()["detail"]
