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
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from functools import lru_cache

import redis
import redis.asyncio as aioredis

from backend.config import get_settings

logger = logging.getLogger(__name__)

CHANNEL_PREFIX = "ledgerflow:task-changed:"
# After a failed publish, don't try again for this long: with Redis away, every
# transition would otherwise pay a connect timeout.
PUBLISH_BACKOFF_SECONDS = 5.0
_publish_paused_until = 0.0


def channel(task_id: str) -> str:
    return CHANNEL_PREFIX + task_id


@lru_cache
def _publisher() -> redis.Redis:
    return redis.Redis.from_url(
        get_settings().redis_url, socket_connect_timeout=0.5, socket_timeout=0.5
    )


def publish_change(task_id: str) -> None:
    """Tell the listeners of ``task_id`` that its row changed; never raises."""
    global _publish_paused_until
    if time.monotonic() < _publish_paused_until:
        return
    try:
        _publisher().publish(channel(task_id), b"1")
    except redis.RedisError as exc:
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
