"""How many messages wait in each queue, asked of the broker through kombu's public API.

A passive ``queue_declare`` answers with the queue's message count on every transport:
on Redis kombu sums the queue's list and its priority sub-lists (``<queue>\\x06\\x16<n>``),
on RabbitMQ it is the server's count of ready messages. A queue that does not exist yet
(Redis drops an empty list) holds nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kombu import Queue
from kombu.exceptions import OperationalError as BrokerError

from backend.tasks.app import celery_app
from backend.tasks.kinds import QUEUES


class BrokerUnavailable(Exception):
    """The broker could not be asked (down, refusing connections)."""


def queue_depths(queues: Iterable[str] = QUEUES) -> dict[str, int]:
    """Messages waiting in each of ``queues`` (not counting those a worker already holds);
    BrokerUnavailable when the broker cannot be reached."""
    depths: dict[str, int] = {}
    connection = celery_app.connection_for_read()
    unreachable: tuple[type[BaseException], ...] = (
        OSError, BrokerError, *connection.connection_errors
    )
    try:
        with connection:
            connection.ensure_connection(max_retries=1)
            for name in queues:
                # A failed passive declare closes its channel on AMQP: one channel per queue.
                with connection.channel() as channel:
                    try:
                        # (queue, message_count, consumer_count); the stubs say str.
                        declared: Any = Queue(name, channel=channel).queue_declare(passive=True)
                        depths[name] = int(declared.message_count)
                    except connection.channel_errors:
                        depths[name] = 0  # no such queue (yet): nothing waits in it
    except unreachable as exc:
        raise BrokerUnavailable(f"broker unavailable: {type(exc).__name__}") from exc
    return depths
