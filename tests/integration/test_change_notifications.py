"""Change notifications (backend/services/task_events.py) are written on one connection per
process whose replies the server does not send (``CLIENT REPLY OFF``): they arrive, nothing
piles up unread, a forked child never writes on its parent's connection, a dropped
connection is replaced, and a server that refuses ``CLIENT REPLY`` gets its replies read."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator

import pytest
import redis

from backend.services import task_events
from tests.conftest import TEST_REDIS_URL


@pytest.fixture
def notifier(redis_server: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[task_events._Notifier]:
    """A fresh notifier as ``publish_change``'s, never paused by an earlier test."""
    fresh = task_events._Notifier()
    monkeypatch.setattr(task_events, "_notifier", fresh)
    monkeypatch.setattr(task_events, "_publish_paused_until", 0.0)
    yield fresh
    if fresh._connection is not None:
        fresh._connection.disconnect()


@pytest.fixture
def subscriber() -> Iterator[redis.client.PubSub]:
    client = redis.Redis.from_url(TEST_REDIS_URL)
    pubsub = client.pubsub(ignore_subscribe_messages=True)
    yield pubsub
    pubsub.close()
    client.close()


def received(pubsub: redis.client.PubSub, expected: int, timeout: float = 5.0) -> list[str]:
    """The channels of up to ``expected`` notifications that arrive within ``timeout``."""
    channels: list[str] = []
    deadline = time.monotonic() + timeout
    while len(channels) < expected and (left := deadline - time.monotonic()) > 0:
        message = pubsub.get_message(timeout=left)
        if message is not None:
            channels.append(message["channel"].decode())
    return channels


def test_notifications_arrive_and_no_reply_is_left_unread(notifier, subscriber):
    task_id = str(uuid.uuid4())
    subscriber.subscribe(task_events.channel(task_id))
    for _ in range(50):
        task_events.publish_change(task_id)
    assert received(subscriber, 50) == [task_events.channel(task_id)] * 50
    assert not notifier._reads_replies  # this server knows CLIENT REPLY
    # Replies switched off: nothing waits on the socket (with them on and unread, 50 would).
    assert notifier._connection is not None
    assert not notifier._connection.can_read(timeout=0.2)


def test_a_forked_child_publishes_on_a_connection_of_its_own(notifier, subscriber):
    parent, child = str(uuid.uuid4()), str(uuid.uuid4())
    subscriber.subscribe(task_events.channel(parent), task_events.channel(child))
    task_events.publish_change(parent)  # the parent's connection exists before the fork
    pid = os.fork()
    if pid == 0:  # the child: a worker's pool process, forked from the main one
        fresh = notifier._connection is None
        task_events.publish_change(child)
        os._exit(0 if fresh else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, "the child inherited its parent's connection"
    task_events.publish_change(parent)  # the parent's connection still works
    assert sorted(received(subscriber, 3)) == sorted(
        [task_events.channel(parent)] * 2 + [task_events.channel(child)]
    )


def test_a_dropped_connection_is_replaced(notifier, subscriber, monkeypatch):
    monkeypatch.setattr(task_events, "PUBLISH_BACKOFF_SECONDS", 0.0)
    task_id = str(uuid.uuid4())
    subscriber.subscribe(task_events.channel(task_id))
    admin = redis.Redis.from_url(TEST_REDIS_URL)
    database = str(admin.connection_pool.connection_kwargs.get("db", 0))
    before = {client["id"] for client in admin.client_list()}
    task_events.publish_change(task_id)  # connects
    assert received(subscriber, 1) == [task_events.channel(task_id)]
    # The server drops it (a restart, a timeout). It is the one connection that appeared
    # since and last sent a PUBLISH on the test database: nobody else's is touched.
    ours = [
        client["id"] for client in admin.client_list()
        if client["id"] not in before and client["cmd"] == "publish" and client["db"] == database
    ]
    assert len(ours) == 1, ours
    assert admin.client_kill_filter(_id=ours[0]) == 1
    admin.close()
    # The write that meets the reset fails (a warning, no exception); a later one reconnects.
    deadline = time.monotonic() + 5
    while not received(subscriber, 1, timeout=0.1):
        assert time.monotonic() < deadline, "no notification arrived after the connection was dropped"
        task_events.publish_change(task_id)
    # The new connection has its replies off too (redis-py alone would reconnect without).
    for _ in range(20):
        task_events.publish_change(task_id)
    assert len(received(subscriber, 20)) == 20
    assert notifier._connection is not None
    assert not notifier._connection.can_read(timeout=0.2)


def test_a_server_that_refuses_client_reply_gets_its_replies_read(notifier, subscriber, monkeypatch):
    # An ACL user without the CLIENT command stands for a server that lacks CLIENT REPLY.
    admin = redis.Redis.from_url(TEST_REDIS_URL)
    user = f"ledgerflow-test-{uuid.uuid4().hex[:8]}"
    admin.acl_setuser(user, enabled=True, nopass=True, commands=["+@all", "-client"], keys=["*"],
                      channels=["*"])
    try:
        url = redis.connection.parse_url(TEST_REDIS_URL)
        limited = f"redis://{user}@{url.get('host', '127.0.0.1')}:{url.get('port', 6379)}/{url.get('db', 0)}"
        settings = task_events.get_settings().model_copy(update={"redis_url": limited})
        monkeypatch.setattr(task_events, "get_settings", lambda: settings)
        task_id = str(uuid.uuid4())
        subscriber.subscribe(task_events.channel(task_id))
        for _ in range(20):
            task_events.publish_change(task_id)
        assert received(subscriber, 20) == [task_events.channel(task_id)] * 20
        assert notifier._reads_replies
        assert notifier._connection is not None
        assert not notifier._connection.can_read(timeout=0.2)  # every reply was read
    finally:
        admin.acl_deluser(user)
        admin.close()
