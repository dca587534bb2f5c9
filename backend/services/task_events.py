"""Change notifications for task_status rows, over Redis pub/sub.

Every transition in ``task_records`` publishes the task id on its channel after its
UPDATE committed; a live status stream (the API's SSE route) waits on that channel
instead of polling the database. A notification carries no state: the listener reads
the row, which stays the source of truth, so a lost notification costs latency only
(listeners also re-read the row at every keep-alive).
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

import redis
import redis.asyncio as aioredis
from redis.connection import Connection

from backend.config import get_settings

logger = logging.getLogger(__name__)

CHANNEL_PREFIX = "ledgerflow:task-changed:"
# After a failed publish, don't try again for this long: with Redis away, every
# transition would otherwise pay a connect timeout.
PUBLISH_BACKOFF_SECONDS = 5.0
_publish_paused_until = 0.0


def channel(task_id: str) -> str:
    return CHANNEL_PREFIX + task_id


class _Notifier:
    """This process's one Redis connection for change notifications, with the server's
    replies switched off (``CLIENT REPLY OFF``): a PUBLISH is then one socket write.

    Through a pooled redis-py client a PUBLISH cost 45-120 µs of CPU here, most of it
    waiting for and parsing a reply nobody reads; written on a connection whose replies
    are off, 7-13 µs (two per task run: 0.1-0.2 ms of a worker's CPU per short task,
    docs/performance.md "Round 4"). A notification carries no state, so what the reply
    would have told (an error, a dropped connection noticed one write late) costs at
    most a notification, which listeners make up at their next keep-alive. A server
    that refuses ``CLIENT REPLY`` (an ACL, a Redis-compatible server without it) gets
    its replies read after each PUBLISH instead, so that they never pile up there.

    Threads share the connection under a lock (the API's threadpool); a forked child
    (the worker's pool processes) starts without one, never writing on its parent's.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pool: redis.ConnectionPool | None = None
        self._connection: Connection | None = None
        self._reads_replies = False
        os.register_at_fork(after_in_child=self._forget_parents)

    def _forget_parents(self) -> None:
        self._lock = threading.Lock()  # a parent's thread may have held it at the fork
        self._pool = self._connection = None

    def _connect(self) -> Connection:
        pool = redis.ConnectionPool.from_url(
            get_settings().redis_url, socket_connect_timeout=0.5, socket_timeout=0.5
        )
        connection = pool.get_connection()  # checked out for good: never released
        self._pool = pool  # kept as long as the connection it lent
        try:
            self._reads_replies = not self._replies_switched_off(connection)
        except BaseException:
            connection.disconnect()
            raise
        return connection

    @staticmethod
    def _replies_switched_off(connection: Connection) -> bool:
        """Send CLIENT REPLY OFF; False when the server refuses the command."""
        # OFF then ON: a server that knows CLIENT REPLY answers only the ON; one that
        # does not answers both, with errors.
        connection.send_command("CLIENT", "REPLY", "OFF")
        connection.send_command("CLIENT", "REPLY", "ON")
        try:
            connection.read_response()
        except redis.ResponseError:
            with suppress(redis.ResponseError):
                connection.read_response()  # the ON's answer
            return False
        connection.send_command("CLIENT", "REPLY", "OFF")
        return True

    def publish(self, channel_name: str) -> None:
        """Send one notification; raises redis.RedisError (or OSError) when it could not."""
        with self._lock:
            if self._connection is None:
                self._connection = self._connect()
            try:
                self._connection.send_command("PUBLISH", channel_name, b"1")
                if self._reads_replies:
                    self._connection.read_response()
            except BaseException:
                # Whatever interrupted it (an error, a soft time limit raised mid-write),
                # the stream may hold half a command: the next notification reconnects,
                # through _connect (redis-py would reconnect by itself, replies on).
                self._connection.disconnect()
                self._connection = None
                raise


_notifier = _Notifier()


def publish_change(task_id: str) -> None:
    """Tell the listeners of ``task_id`` that its row changed; never raises."""
    global _publish_paused_until
    if time.monotonic() < _publish_paused_until:
        return
    try:
        _notifier.publish(channel(task_id))
    except (redis.RedisError, OSError) as exc:
        _publish_paused_until = time.monotonic() + PUBLISH_BACKOFF_SECONDS
        logger.warning("Task change notifications paused: %s", type(exc).__name__)


class ChangeListener:
    """Waits for change notifications of one task (or falls back to polling)."""

    def __init__(self, pubsub: aioredis.client.PubSub | None, fallback_poll_seconds: float) -> None:
        self._pubsub = pubsub
        self._fallback = fallback_poll_seconds

    async def wait(self, timeout: float) -> None:
        """Return when a change is announced, or after ``timeout`` seconds at the latest
        (without a subscription: after the fallback poll interval)."""
        if self._pubsub is None:
            await asyncio.sleep(min(timeout, self._fallback))
            return
        deadline = time.monotonic() + timeout
        try:
            # get_message returns None early for the subscription's own confirmation.
            while (left := deadline - time.monotonic()) > 0:
                message = await self._pubsub.get_message(timeout=left)
                if message is not None and message["type"] == "message":
                    return
        except redis.RedisError:
            logger.warning("Task change subscription lost; polling instead")
            self._pubsub = None


@asynccontextmanager
async def listen(task_id: str, fallback_poll_seconds: float = 1.0) -> AsyncIterator[ChangeListener]:
    """Subscribe to ``task_id``'s changes for the duration of the block."""
    client = aioredis.Redis.from_url(get_settings().redis_url, socket_connect_timeout=2)
    subscription = client.pubsub()
    pubsub: aioredis.client.PubSub | None = subscription
    try:
        await subscription.subscribe(channel(task_id))
    except redis.RedisError:
        logger.warning("Cannot subscribe to task changes; polling every %.0f s", fallback_poll_seconds)
        pubsub = None
    try:
        yield ChangeListener(pubsub, fallback_poll_seconds)
    finally:
        if pubsub is not None:
            with suppress(redis.RedisError):
                await pubsub.aclose()
        await client.aclose()
