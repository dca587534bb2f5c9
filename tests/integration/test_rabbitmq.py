"""RabbitMQ as the broker (LEDGERFLOW_TEST_BROKER=rabbitmq, the third pass of `make test`):
quorum queues on topic exchanges of their own, publisher confirms, countdowns through
Celery's native delayed delivery."""

from __future__ import annotations

import uuid

import pytest
from amqp.exceptions import NotFound, PreconditionFailed
from kombu import Connection

from backend.tasks.app import celery_app, create_celery_app
from backend.tasks.kinds import DEFAULT_QUEUE, PING, QUEUES
from tests.conftest import TEST_RABBITMQ_URL

pytestmark = pytest.mark.rabbitmq_only


def refused(declare) -> bool:
    """Whether RabbitMQ refuses a declaration (it does when the arguments differ from the
    existing queue's or exchange's: that is how it tells what they are)."""
    with Connection(TEST_RABBITMQ_URL) as connection:
        try:
            declare(connection.channel())
        except PreconditionFailed:
            return True
    return False


@pytest.mark.parametrize("queue", QUEUES)
def test_every_queue_is_a_durable_quorum_queue_on_a_topic_exchange_of_its_own(worker, queue):
    def as_queue(queue_type: str):
        return lambda channel: channel.queue_declare(
            queue, durable=True, auto_delete=False, arguments={"x-queue-type": queue_type}
        )

    def as_exchange(exchange_type: str):
        return lambda channel: channel.exchange_declare(
            queue, exchange_type, durable=True, auto_delete=False
        )

    assert not refused(as_queue("quorum")) and refused(as_queue("classic"))
    # Native delayed delivery routes through topic exchanges only; direct would hold a
    # countdown in the worker's memory instead.
    assert not refused(as_exchange("topic")) and refused(as_exchange("direct"))


def test_a_message_rabbitmq_refuses_fails_the_send_instead_of_vanishing(redis_server):
    # With publisher confirms the send waits for RabbitMQ's answer: an exchange that does
    # not exist is an error here (so the submit answers 503 and removes its row).
    nowhere = f"no-such-exchange-{uuid.uuid4().hex[:8]}"
    with pytest.raises(NotFound):
        celery_app.send_task(PING.name, exchange=nowhere, routing_key=DEFAULT_QUEUE)

    # Without confirms the same send "succeeds" and the message is gone.
    unconfirmed = create_celery_app()
    unconfirmed.conf.broker_transport_options = {"confirm_publish": False}
    try:
        unconfirmed.send_task(PING.name, exchange=nowhere, routing_key=DEFAULT_QUEUE)
    finally:
        unconfirmed.close()


def test_a_countdown_waits_in_rabbitmq_not_in_a_worker(worker):
    # 40 s is 2^5 + 2^3: the message waits first in the 32-second level of the delay
    # queues, then the 8-second one, then reaches the default queue. A worker holding it
    # (the ETA way) would have it reserved, and the queue of the level would be empty.
    with Connection(TEST_RABBITMQ_URL) as connection:
        waiting_before = connection.default_channel.queue_declare(
            "celery_delayed_5", passive=True
        ).message_count
        celery_app.send_task(PING.name, countdown=40)
        waiting = connection.default_channel.queue_declare(
            "celery_delayed_5", passive=True
        ).message_count
    assert waiting == waiting_before + 1
    reserved = celery_app.control.inspect(timeout=2).reserved() or {}
    assert not any(task["name"] == PING.name for tasks in reserved.values() for task in tasks)
