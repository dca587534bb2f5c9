"""kombu's Redis transport, with one redis-py client object per channel instead of one
per command.

kombu's Redis channel makes a new ``redis.Redis`` object for every publish, ack and
queue size it sends (``Channel.conn_or_acquire``), and redis-py's constructor fills a
table of ~170 response callbacks each time: ~90-130 µs of CPU, a quarter of what a
submit's ``send_task`` cost the API (docs/performance.md, "Round 4"). The object holds no
connection of its own (it borrows one from the channel's pool for each command), and a
channel is used by one thread at a time (Celery hands producers out of a pool), so one
object per channel does the same work. Celery picks this class through its public
``broker_transport`` setting (backend/tasks/app.py) for ``redis://`` and ``rediss://``
brokers; RabbitMQ and Sentinel keep their transports.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from kombu.transport import redis

# Where Celery finds it (the ``broker_transport`` setting).
TRANSPORT = "backend.tasks.broker:Transport"


class Channel(redis.Channel):
    """kombu's Redis channel; its own commands share one client object."""

    _shared_client: Any = None

    @contextmanager
    def conn_or_acquire(self, client: Any = None) -> Iterator[Any]:
        """The client a command runs on: the one given, else the channel's own.

        kombu's method of the same name makes a new client each call with its private
        ``_create_client``, called here too so that the client is the one kombu would
        make (key prefix, credential provider); both names are pinned by
        tests/integration/test_routing.py. The shared client is made again when the
        channel's connection pool was replaced (kombu drops its pools after a connection
        error), so it never outlives the pool it borrows from.
        """
        if client:
            yield client
            return
        pool = self.pool
        shared = self._shared_client
        if shared is None or shared.connection_pool is not pool:
            # Private in kombu, not in its stubs: see the docstring.
            shared = self._shared_client = self._create_client()  # type: ignore[attr-defined]
        yield shared


class Transport(redis.Transport):
    """kombu's Redis transport with ``Channel`` above."""

    Channel = Channel
