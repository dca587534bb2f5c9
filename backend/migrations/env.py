"""Alembic environment: runs migrations against DATABASE_URL (or -x database_url=...)."""

import logging
import time
from collections.abc import Callable
from logging.config import fileConfig
from typing import Any

from alembic import context
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import OperationalError

from backend.config import get_settings
from backend.db import build_engine
from backend.models import Base

target_metadata = Base.metadata

# From the `alembic` command, its log lines ("Running upgrade 0018 -> 0019") as alembic.ini
# says; a program that migrates in its own process (the tests) keeps its logging as it is.
if context.config.cmd_opts is not None and context.config.config_file_name is not None:
    fileConfig(context.config.config_file_name, disable_existing_loggers=False)

log = logging.getLogger("alembic.env")

# SQLSTATE 55P03 (lock_not_available): the migration's lock_timeout ran out.
_LOCK_NOT_AVAILABLE = "55P03"
# Between tries on PostgreSQL: the first waits 1 s, then twice as long each time, at most this.
_LONGEST_PAUSE_SECONDS = 30.0


def _database_url() -> str:
    return (
        context.get_x_argument(as_dictionary=True).get("database_url")
        or context.config.get_main_option("sqlalchemy.url")
        or get_settings().database_url
    )


def run_migrations_offline() -> None:
    context.configure(url=_database_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def _run_in_one_transaction(
    connection: Connection, before_commit: Callable[[Connection], None] | None = None
) -> None:
    # render_as_batch lets ALTERs work on SQLite, which rebuilds the table for them.
    context.configure(
        connection=connection, target_metadata=target_metadata, render_as_batch=True
    )
    with context.begin_transaction():
        context.run_migrations()
        if before_commit is not None:
            before_commit(connection)


def _check_foreign_keys(connection: Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        raise RuntimeError(f"the migration broke foreign keys: {broken[:5]}")


def _migrate_sqlite(connection: Connection) -> None:
    # SQLite rebuilds a table for most ALTERs (batch mode: a new table, the rows copied, the
    # old one dropped). With foreign keys on, dropping the old table deletes every row that
    # refers to it (ON DELETE CASCADE): a rebuild of `statements` emptied `transactions`.
    # SQLite's own procedure for schema changes (sqlite.org/lang_altertable.html): keys off,
    # outside any transaction (the driver's own connection: SQLAlchemy's would begin one),
    # checked before commit.
    driver: Any = connection.connection.driver_connection  # sqlite3's, in autocommit mode
    driver.execute("PRAGMA foreign_keys=OFF")
    _run_in_one_transaction(connection, before_commit=_check_foreign_keys)
    driver.execute("PRAGMA foreign_keys=ON")


def _lock_holders(engine: Engine) -> str:
    """The sessions that block another session of this database: pid, state, since when."""
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT pid, state, xact_start FROM pg_stat_activity WHERE pid IN"
            " (SELECT unnest(pg_blocking_pids(pid)) FROM pg_stat_activity"
            "  WHERE datname = current_database())"
        ).all()
    # The pid and the transaction's start, not its query: that may quote a user's data.
    return ", ".join(f"pid {pid} ({state}, in a transaction since {start})" for pid, state, start in rows)


def _migrate_postgresql(engine: Engine) -> None:
    """Every pending migration in one transaction (PostgreSQL's DDL is transactional, so a
    try that gave up left nothing behind), each try waiting at most
    MIGRATION_LOCK_TIMEOUT_SECONDS for a table's lock.

    A migration queued for a table's exclusive lock behind a long transaction (a
    categorization's open scan, a report's read) makes every later query of that table queue
    behind it: the app's task writes stalled until the long transaction ended. Giving up
    after a short wait lets that queue through; the next try comes after a pause."""
    settings = get_settings()
    deadline = time.monotonic() + settings.migration_patience_seconds
    pause, tries = 1.0, 1
    while True:
        with engine.connect() as connection:
            timeout_ms = max(1, round(settings.migration_lock_timeout_seconds * 1000))
            connection.exec_driver_sql(f"SET lock_timeout = {timeout_ms}")
            connection.commit()
            try:
                _run_in_one_transaction(connection)
                return
            except OperationalError as error:
                if getattr(error.orig, "pgcode", None) != _LOCK_NOT_AVAILABLE:
                    raise
        holders = _lock_holders(engine) or "none now"
        if time.monotonic() + pause > deadline:
            raise RuntimeError(
                f"the migrations could not take their tables' locks in"
                f" {settings.migration_patience_seconds:g} s ({tries} tries): another transaction"
                f" holds them (holders: {holders}); end it or try again"
            )
        log.warning(
            "the migrations waited %g s for a table's lock: another transaction holds it"
            " (holders: %s); letting the queries queued behind them through, trying again in"
            " %g s (try %d)", settings.migration_lock_timeout_seconds, holders, pause, tries + 1,
        )
        time.sleep(pause)
        pause, tries = min(pause * 2, _LONGEST_PAUSE_SECONDS), tries + 1


def run_migrations_online() -> None:
    engine = build_engine(_database_url())
    try:
        if engine.dialect.name == "postgresql":
            _migrate_postgresql(engine)
        else:
            with engine.connect() as connection:
                _migrate_sqlite(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
