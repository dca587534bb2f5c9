"""One test session at a time on each shared server resource: a PostgreSQL database, a
Redis database index, a RabbitMQ vhost.

Two sessions on the same ones break each other's tests (the schema dropped under the
other, its Redis db flushed, its messages purged or taken by the other's worker), and the
failures do not say why. So a session takes a lock on each resource it will use before
its first test (``tests/conftest.py``, ``pytest_collection_finish``) and holds it to the
end; a second session finds it held and stops at once, saying what is held and by whom.
Every lock lives in a connection the session keeps open, so the server releases it when
the process ends, however it ends (SIGKILL included): nothing stale to clean up.

- PostgreSQL: a session-level advisory lock in the database itself (advisory locks are
  per database, so two sessions on two databases of one server do not meet). The holder's
  connection carries its pid and host as ``application_name``; pg_stat_activity gives that
  and the connection's start.
- Redis: Redis has no lock that dies with its holder's connection, so the connection's
  *name* is the flag: a session names its connection ``ledgerflow-tests/db<N>/...``, then
  lists the server's clients, and goes on only if no other connection carries a name for
  that db. Of two sessions racing, the later to list sees the other: at worst both stop
  (then start one again), never both run.
- RabbitMQ: an exclusive queue in the vhost, which RabbitMQ lets no other connection
  declare (RESOURCE_LOCKED) and deletes when its connection closes. AMQP cannot tell who
  holds it; the holder's connection is named (``rabbitmqctl list_connections -p <vhost>
  client_properties`` shows it).
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

# The exit status of a session that did not start because another one holds what it needs:
# EX_TEMPFAIL ("try again later") of sysexits.h.
SESSION_LOCKED_EXIT = 75
# The advisory lock keys (two int4): ledgerflow's, then one per resource of a database.
_ADVISORY_NAMESPACE = 0x4C46_5445  # "LFTE"
ADVISORY_KEYS = {"test database": 1, "benchmarks' database": 2}
RABBITMQ_LOCK_QUEUE = "ledgerflow.test-session"
_REDIS_NAME_PREFIX = "ledgerflow-tests"


def this_session() -> str:
    """Who holds a lock taken by this process: its pid, host and start time."""
    started = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"pid={os.getpid()}/host={socket.gethostname()}/started={started}"


def _readable(holder: str) -> str:
    """``pid=1/host=h/started=t`` as ``pid 1 on h, started t`` (``started`` may be missing)."""
    fields = dict(part.split("=", 1) for part in holder.split("/") if "=" in part)
    readable = f"pid {fields.get('pid', '?')} on {fields.get('host', '?')}"
    return readable + (f", started {fields['started']}" if "started" in fields else "")


@dataclass
class SessionLocks:
    """The locks this session holds (their open connections), and what it found held."""

    holder: str = field(default_factory=this_session)
    releases: list[Callable[[], Any]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def release(self) -> None:
        """Close every lock's connection (the servers release the locks with them)."""
        for release in reversed(self.releases):
            with suppress(Exception):  # a server already gone has released it already
                release()
        self.releases.clear()

    def postgres(self, url: str, resource: str, name: str | None = None) -> None:
        """Lock ``resource`` (a key of ADVISORY_KEYS; its database's ``name`` if it is not
        the one at ``url``) in the database at ``url``."""
        from sqlalchemy import create_engine, make_url, text
        from sqlalchemy.pool import NullPool

        parsed = make_url(url)
        engine = create_engine(
            parsed.set(drivername="postgresql+psycopg2"), poolclass=NullPool,
            isolation_level="AUTOCOMMIT",
            # pid and host only: the server cuts application_name at 63 bytes.
            connect_args={"connect_timeout": 5,
                          "application_name": "ledgerflow tests " + self.holder.rsplit("/", 1)[0]},
        )
        keys = {"namespace": _ADVISORY_NAMESPACE, "key": ADVISORY_KEYS[resource]}
        try:
            connection = engine.connect()
        except Exception:  # unreachable: its tests fail and say so (tests/conftest.py)
            engine.dispose()
            return
        if connection.execute(text("SELECT pg_try_advisory_lock(:namespace, :key)"), keys).scalar_one():
            self.releases.append(engine.dispose)
            self.releases.append(connection.close)
            return
        holder = connection.execute(text(
            "SELECT a.application_name, a.backend_start FROM pg_locks l "
            "JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 "
            "AND l.classid::bigint = :namespace AND l.objid::bigint = :key "
            "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        ), keys).first()
        connection.close()
        engine.dispose()
        by = "another session that has just ended"  # between the lock attempt and the look-up
        if holder is not None:
            application_name, since = holder
            by = (f"{_readable(application_name.removeprefix('ledgerflow tests '))}, "
                  f"connected {since.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}")
        where = f"{parsed.host or 'localhost'}:{parsed.port or 5432}"
        self.refused.append(f"the {resource} {name or parsed.database} at {where}: held by {by}")

    def redis(self, url: str) -> None:
        """Lock the Redis database index of ``url`` on its server."""
        import redis

        client = redis.Redis.from_url(url, single_connection_client=True, socket_connect_timeout=2)
        index = client.connection_pool.connection_kwargs.get("db", 0)
        flag = f"{_REDIS_NAME_PREFIX}/db{index}/"
        try:
            client.client_setname(flag + self.holder)
            mine = client.client_id()
            others = [c["name"] for c in client.client_list()
                      if c.get("name", "").startswith(flag) and int(c["id"]) != mine]
        except redis.RedisError:  # unreachable: its tests fail and say so (tests/conftest.py)
            client.close()
            return
        if not others:
            self.releases.append(client.close)
            return
        client.close()
        kwargs = client.connection_pool.connection_kwargs
        where = f"{kwargs.get('host', '?')}:{kwargs.get('port', '?')}"
        holders = "; ".join(_readable(name.removeprefix(flag)) for name in others)
        self.refused.append(f"Redis db {index} at {where}: held by {holders}")

    def rabbitmq(self, url: str) -> None:
        """Lock the RabbitMQ vhost of ``url``."""
        import amqp
        from kombu import Connection

        info = Connection(url)
        connection = amqp.Connection(
            host=f"{info.hostname}:{info.port or 5672}", userid=info.userid, password=info.password,
            virtual_host=info.virtual_host, connect_timeout=2,
            client_properties={"connection_name": "ledgerflow tests " + self.holder},
        )
        try:
            connection.connect()
            connection.channel().queue_declare(RABBITMQ_LOCK_QUEUE, exclusive=True)
        except amqp.exceptions.ResourceLocked:
            with suppress(Exception):
                connection.close()
            self.refused.append(
                f"the RabbitMQ vhost {info.virtual_host} at {info.hostname}:{info.port or 5672}: "
                f"its queue {RABBITMQ_LOCK_QUEUE} is held by another session (`rabbitmqctl "
                f"list_connections -p {info.virtual_host} client_properties` names it)"
            )
            return
        except Exception:  # unreachable: its tests fail and say so (tests/conftest.py)
            with suppress(Exception):
                connection.close()
            return
        self.releases.append(connection.close)

    def refusal(self) -> str | None:
        """Why this session must not start, or None if it holds everything it asked for."""
        if not self.refused:
            return None
        held = "\n".join(f"  - {what}" for what in self.refused)
        return (
            "Another test session is using what this one would use; two at once break each "
            f"other's tests, so this one ({_readable(self.holder)}) does not start:\n{held}\n"
            "Wait until it ends, or point this one elsewhere (TEST_DATABASE_URL, TEST_REDIS_URL, "
            "TEST_RABBITMQ_URL; README.md, Tests)."
        )
