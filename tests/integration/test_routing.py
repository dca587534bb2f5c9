"""Each task's message lands once, in its own queue, in the real Redis broker."""

from __future__ import annotations

import uuid

import pytest
import redis

from backend.config import get_settings
from backend.tasks.app import QUEUES, TASK_QUEUES, create_celery_app


@pytest.mark.parametrize("task_name", sorted(TASK_QUEUES))
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
    assert lengths == {queue: int(queue == TASK_QUEUES[task_name]) for queue in QUEUES}
