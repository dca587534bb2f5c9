"""Alembic environment: runs migrations against DATABASE_URL (or -x database_url=...)."""

from logging.config import fileConfig
from typing import Any

from alembic import context

from backend.config import get_settings
from backend.db import build_engine
from backend.models import Base

target_metadata = Base.metadata

# From the `alembic` command, its log lines ("Running upgrade 0018 -> 0019") as alembic.ini
# says; a program that migrates in its own process (the tests) keeps its logging as it is.
if context.config.cmd_opts is not None and context.config.config_file_name is not None:
    fileConfig(context.config.config_file_name, disable_existing_loggers=False)


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


def run_migrations_online() -> None:
    engine = build_engine(_database_url())
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        driver: Any = connection.connection.driver_connection  # sqlite3's, in autocommit mode
        if sqlite:
            # SQLite rebuilds a table for most ALTERs (batch mode: a new table, the rows
            # copied, the old one dropped). With foreign keys on, dropping the old table
            # deletes every row that refers to it (ON DELETE CASCADE): a rebuild of
            # `statements` emptied `transactions`. SQLite's own procedure for schema changes
            # (sqlite.org/lang_altertable.html): keys off, outside any transaction (the
            # driver's own connection: SQLAlchemy's would begin one), checked before commit.
            driver.execute("PRAGMA foreign_keys=OFF")
        # render_as_batch lets ALTERs work on SQLite, which rebuilds the table for them.
        context.configure(
            connection=connection, target_metadata=target_metadata, render_as_batch=True
        )
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                if broken:
                    raise RuntimeError(f"the migration broke foreign keys: {broken[:5]}")
        if sqlite:
            driver.execute("PRAGMA foreign_keys=ON")
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
