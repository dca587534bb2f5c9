"""Database engine and sessions, one engine per process."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
import time
import weakref
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Connection, Engine, RootTransaction, create_engine, event
from sqlalchemy.engine import Dialect, ExceptionContext, ExecutionContext, make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql import Executable
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.dml import UpdateBase

from backend.config import get_settings
from backend.unicode_text import register_sqlite_function

if TYPE_CHECKING:
    from alembic.config import Config

logger = logging.getLogger(__name__)
# Execution option for connections that only read (see ``read_only``).
READ_ONLY_OPTION = "ledgerflow_read_only"
# Execution option for connections whose one statement is its own transaction
# (see ``one_statement``).
ONE_STATEMENT_OPTION = "ledgerflow_one_statement"
# Each process's connection pool, on both back ends: POOL_SIZE kept open, up to
# POOL_SIZE + POOL_OVERFLOW at a peak.
POOL_SIZE = 10
POOL_OVERFLOW = 20
# A request holds at most this many pooled connections at once: its ORM session (the
# current user, ownership checks) and one short transaction of a service (the submit's
# INSERT, the idempotency claim) opened while the session is still open.
CONNECTIONS_PER_REQUEST = 2
# Execution option of a statement PostgreSQL plans once per connection (see ``prepared``).
PREPARED_OPTION = "ledgerflow_prepared"
# Execution option of a statement that runs after a transaction-scoped advisory lock
# (see ``serialized_by``): (the lock's class, the name of the parameter holding its key).
SERIALIZED_OPTION = "ledgerflow_serialized_by"
# ``Connection.info`` key: the names this DBAPI connection has prepared.
_PREPARED_NAMES = "ledgerflow_prepared_names"
_PREPARED_SINCE = "ledgerflow_prepared_since"
# SQLSTATEs of an EXECUTE whose prepared statement is gone or stale (``_use_prepared``).
_PREPARED_STATEMENT_LOST = frozenset({
    "26000",  # invalid_sql_statement_name: "prepared statement ... does not exist"
    "0A000",  # feature_not_supported: "cached plan must not change result type"
    "42P05",  # duplicate_prepared_statement: see _SESSION_OF_ANOTHER_CLIENT
})
# A PREPARE of a name this connection never prepared, which its session holds already:
# another client prepared it there. Only a pooler in transaction mode (PgBouncer) hands
# one server session to several clients, so no rounds of losses are needed to tell.
_SESSION_OF_ANOTHER_CLIENT = "42P05"
# A pooled PostgreSQL connection that sat unused for longer than this is pinged before
# use (``_ping_if_idle``); one that was in use a moment ago is not.
PING_AFTER_IDLE_SECONDS = 1.0
_CHECKED_IN_AT = "ledgerflow_checked_in_at"
# How long a SQLite writer waits for the write lock before "database is locked".
SQLITE_BUSY_TIMEOUT_SECONDS = 10
# How long a fork waits for the threads that use the database (``outside_forks``): one
# busy timeout plus the statements that then run.
FORK_WAIT_SECONDS = SQLITE_BUSY_TIMEOUT_SECONDS + 5


def max_concurrent_requests() -> int:
    """How many requests one API process may serve at once without the pool running dry:
    past it, requests holding one connection wait for their second until the pool's timeout
    (measured: 16 concurrent submits on SQLite's former 5+10 pool answered 500s).
    ``backend/api/admission.py`` holds the others back."""
    return (POOL_SIZE + POOL_OVERFLOW) // CONNECTIONS_PER_REQUEST


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN (below) instead of the sqlite3 module,
    # which would always issue a deferred one.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # WAL lets the API read while a worker writes; the busy timeout makes concurrent
    # writers (API, worker, beat) wait for the lock instead of failing at once.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_SECONDS * 1000}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
    # The transactions search composes descriptions in SQL (``unicode_text.composed_sql``).
    register_sqlite_function(dbapi_connection)


def _begin_sqlite(conn: Connection) -> None:
    # A deferred transaction that reads and then writes fails at once with "database is
    # locked" (SQLITE_BUSY_SNAPSHOT, the busy timeout does not apply) when another
    # connection wrote in between: that stopped bulk categorization on the default
    # database. BEGIN IMMEDIATE takes the write lock up front and waits for it instead.
    # Reads use ``read_only`` (ORM sessions by default, report streaming, categorization's
    # matching) so that they hold no write lock and block nobody meanwhile.
    options = conn.get_execution_options()
    if options.get(ONE_STATEMENT_OPTION, False):
        # No BEGIN: the statement is its own transaction (``one_statement``), which takes
        # the write lock before it reads and waits for it with the busy timeout.
        return
    conn.exec_driver_sql("BEGIN" if options.get(READ_ONLY_OPTION, False) else "BEGIN IMMEDIATE")


class _ForkGate:
    """Keeps SQLite out of this process's forks (the Celery worker forks its pool processes).

    SQLite keeps a process's locks in that process's memory as well as in the file (the
    unix VFS's per-file and shared-memory bookkeeping, and its C mutexes), and fork()
    copies that memory. A child forked while another thread of the parent held the
    write lock inherits "a connection of this process holds the write lock" with no
    thread left to release it, and its own connections get "database is locked" for
    ever; one forked while that thread was opening a connection inherits a locked mutex
    and hangs at its first connect (both reproduced with the worker, whose lease keeper
    thread writes while the main thread forks a pool process after each one it lost).
    SQLite's rule is that no connection may be open across fork(). So a fork waits
    until no thread is inside ``outside_forks()``, lets none enter until it is done,
    and closes the SQLite engines' pooled connections: the child starts with none.
    """

    def __init__(self) -> None:
        self._lock = threading.Condition(threading.Lock())
        self._inside = 0
        self._forking = False
        self.sqlite_engines: weakref.WeakSet[Engine] = weakref.WeakSet()
        os.register_at_fork(
            before=self._before_fork,
            after_in_parent=self._after_fork,
            after_in_child=self._after_fork_in_child,
        )

    @contextmanager
    def outside_forks(self) -> Iterator[None]:
        with self._lock:
            self._lock.wait_for(lambda: not self._forking)
            self._inside += 1
        try:
            yield
        finally:
            with self._lock:
                self._inside -= 1
                self._lock.notify_all()

    def _before_fork(self) -> None:
        self._lock.acquire()  # held until the fork is done (_after_fork)
        self._forking = True
        if not self._lock.wait_for(lambda: self._inside == 0, FORK_WAIT_SECONDS):
            logger.warning("Forking while %d thread(s) use the database", self._inside)
        for engine in list(self.sqlite_engines):
            engine.dispose()  # closes the pooled connections (none is checked out now)

    def _after_fork(self) -> None:
        self._forking = False
        self._lock.notify_all()
        self._lock.release()

    def _after_fork_in_child(self) -> None:
        self._inside = 0  # a timed-out wait: those threads do not exist in the child
        self._after_fork()


_FORK_GATE = _ForkGate()


def outside_forks() -> AbstractContextManager[None]:
    """Use the database in this block with no fork() of this process meanwhile.

    For a thread other than the main one, in a process that forks (the worker's lease
    keeper): see ``_ForkGate``. Never fork inside the block (the fork would wait for it).
    """
    return _FORK_GATE.outside_forks()


def read_only(engine: Engine) -> Engine:
    """``engine`` for transactions that only read: on SQLite they take no write lock."""
    return engine.execution_options(**{READ_ONLY_OPTION: True})


def snapshot_reader(engine: Engine) -> Connection:
    """A connection for reads that must agree with each other (one file made of several
    queries: an export's rows and their statements, a report's count and its rows): its
    transaction reads the database as it was at its first query.

    SQLite's read transaction does that already. PostgreSQL's READ COMMITTED gives each
    statement what was committed when it began, so a statement deleted between two
    queries was in the first and not the second (an OFX export broke off half-way); the
    transaction is made REPEATABLE READ (and READ ONLY), before its first statement."""
    connection = read_only(engine).connect()
    if connection.dialect.name == "postgresql":
        try:
            connection.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        except BaseException:
            connection.close()
            raise
    return connection


def begin_read(connection: Connection) -> RootTransaction:
    """Begin a transaction on ``connection`` that only reads (temporary tables aside)."""
    connection.execution_options(**{READ_ONLY_OPTION: True})
    return connection.begin()


def begin_write(connection: Connection) -> RootTransaction:
    """Begin a transaction on ``connection`` that writes (SQLite: BEGIN IMMEDIATE)."""
    connection.execution_options(**{READ_ONLY_OPTION: False})
    return connection.begin()


@contextmanager
def one_statement(engine: Engine) -> Iterator[Connection]:
    """A connection for exactly one statement, which is its own transaction: the database
    commits it as it ends, and neither BEGIN nor COMMIT is sent (on PostgreSQL one round
    trip instead of three).

    Only for a write that is one statement whole; anything that must commit with it
    (a second statement) needs ``engine.begin()``. The statement runs through SQLAlchemy
    as any other (a lost connection invalidates the pool, ``database_unavailable``).
    On SQLite no BEGIN IMMEDIATE is sent (``_begin_sqlite``). On PostgreSQL psycopg2 is
    put in its autocommit mode for the statement and back before the connection returns
    to the pool, as SQLAlchemy's own ping does; that costs no round trip, whereas
    SQLAlchemy's ``isolation_level="AUTOCOMMIT"`` option sends a ``SET
    default_transaction_isolation`` at every check-in (psycopg2 restores the session's
    level that way), and a second engine in autocommit would be a second pool.
    """
    with engine.connect() as conn:
        conn.execution_options(**{ONE_STATEMENT_OPTION: True})
        driver = conn.connection.driver_connection if conn.dialect.name == "postgresql" else None
        if driver is not None:
            driver.autocommit = True
        try:
            with conn.begin():  # commits nothing on the server: SQLAlchemy's own bookkeeping
                yield conn
        finally:
            if driver is not None and not driver.closed:  # closed: invalidated, never reused
                driver.autocommit = False


_Statement = TypeVar("_Statement", bound=Executable)


def prepared(statement: _Statement) -> _Statement:
    """Mark one of the hot statements (a task's writes; the reads of every request on one
    row): on PostgreSQL each pooled connection plans it once and then only executes it
    (``_use_prepared``).
    Elsewhere, or with ``DATABASE_PREPARED_STATEMENTS=false``, it runs as any other."""
    return statement.execution_options(**{PREPARED_OPTION: True})


def serialized_by(statement: _Statement, lock_class: int, key_parameter: str) -> _Statement:
    """Run ``statement`` once no other transaction holds the same lock: on PostgreSQL the
    lock ``pg_advisory_xact_lock(lock_class, :key_parameter)`` is taken first, in the same
    round trip and the same transaction, and held until that transaction ends.

    For a check and the write it guards in one statement (the submit's count of the
    user's tasks in its INSERT): under READ COMMITTED a statement sees what was committed
    when it began, so two that began together would each miss the other's row. Taken
    first, the lock makes the second begin only after the first committed, and it sees
    that row. ``key_parameter`` is one of the statement's own parameters (an int4).
    On SQLite, whose writes take the database's one write lock, it runs as any other.
    """
    return statement.execution_options(**{SERIALIZED_OPTION: (lock_class, key_parameter)})


def _lock_first(option: tuple[int, str] | None) -> str:
    """The SQL that ``serialized_by`` puts before its statement (psycopg2's placeholders)."""
    if option is None:
        return ""
    lock_class, key_parameter = option
    return f"SELECT pg_advisory_xact_lock({int(lock_class)}, %({key_parameter})s); "


# psycopg2's escaped percent sign, or one of its named placeholders (read in one pass, so
# a "%%(x)s" in a literal stays text).
_PERCENT_OR_PLACEHOLDER = re.compile(r"%%|%\((\w+)\)s")


@dataclass(frozen=True)
class _PreparedForm:
    """A statement as PostgreSQL's ``PREPARE`` and ``EXECUTE`` commands."""

    name: str
    prepare: str  # PREPARE lf_<digest> (types) AS <statement with $1, $2, ...>
    execute: str  # EXECUTE lf_<digest>(%(name)s, ...): psycopg2's placeholders, same parameters

    @classmethod
    def of(cls, statement: str, compiled: SQLCompiler, dialect: Dialect) -> _PreparedForm:
        """From the statement psycopg2 would run: each ``%(name)s`` becomes ``$n`` (the
        same name, the same n) with the bind's own type, so the parameters SQLAlchemy
        converted (JSON, timestamps) are passed exactly as they would have been."""
        number: dict[str, int] = {}

        def to_server(match: re.Match[str]) -> str:
            # PREPARE goes out without parameters, so psycopg2 leaves "%%" as it is: the
            # server needs "%".
            if match.group(1) is None:
                return "%"
            return f"${number.setdefault(match.group(1), len(number) + 1)}"

        body = _PERCENT_OR_PLACEHOLDER.sub(to_server, statement)
        names = list(number)
        types = ", ".join(
            dialect.type_compiler_instance.process(compiled.binds[name].type)
            for name in names
        )
        prepared_name = "lf_" + hashlib.sha256(statement.encode()).hexdigest()[:20]
        arguments = ", ".join(f"%({name})s" for name in names)
        if not names:  # PostgreSQL takes no empty parentheses here
            return cls(prepared_name, f"PREPARE {prepared_name} AS {body}", f"EXECUTE {prepared_name}")
        return cls(
            prepared_name,
            f"PREPARE {prepared_name} ({types}) AS {body}",
            f"EXECUTE {prepared_name}({arguments})",
        )


def _use_prepared(engine: Engine, prepares: bool) -> None:
    """Run the statements marked ``prepared`` as server-side prepared statements (unless
    ``prepares`` is False), and those marked ``serialized_by`` after their lock.

    psycopg2 sends every statement as text, which PostgreSQL parses and plans anew: for
    a task's three writes that was half of the CPU its backends spent (measured in
    docs/performance.md, "Prepared task writes"). A marked statement is prepared on each
    DBAPI connection the first time it runs there (its name is the digest of its text,
    remembered in ``Connection.info``, which SQLAlchemy clears when the connection is
    replaced) and executed from then on, still through SQLAlchemy: the same parameters,
    the same error handling and invalidation. Prepared statements outlive a rollback,
    not the session.
    """
    statements = _PreparedStatements(prepares)
    # Events of the dialect, not of the engine's connections: a connection event makes
    # every Connection join the engine's dispatchers (350 more Python calls per task).
    event.listen(engine, "do_execute", statements.execute)
    event.listen(engine, "handle_error", statements.handle_error)
    _PREPARED_BY_ENGINE[engine] = statements


class _PreparedStatements:
    """One engine's prepared statements (``_use_prepared``), and when to stop preparing.

    An EXECUTE that finds its statement gone (a pooler that moved the session) or stale
    (a migration changed the columns it returns) is handled as a lost connection: the
    pool's connections are replaced (and prepare again) and the caller's retry for an
    unavailable database runs it again. Losses that come back on connections prepared
    after the last loss mean a pooler in transaction mode (PgBouncer), which loses them
    every time: after ``GIVE_UP_AFTER`` such rounds this process runs them unprepared and
    says so once (``DATABASE_PREPARED_STATEMENTS=false`` avoids the rounds). A PREPARE that
    finds the name taken in its session (another client's statement: a pooler shares
    sessions, PostgreSQL never does) gives up at once, the connection replaced the same way.
    """

    GIVE_UP_AFTER = 3

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled  # DATABASE_PREPARED_STATEMENTS
        self.forms: dict[str, _PreparedForm] = {}  # by statement text: the handful marked
        self.losses = 0
        self.last_loss_at = float("-inf")

    @property
    def prepares(self) -> bool:
        """Whether marked statements run prepared (not turned off, not given up)."""
        return self.enabled and self.losses < self.GIVE_UP_AFTER

    def execute(
        self, cursor: Any, statement: str, parameters: Any, context: ExecutionContext
    ) -> bool | None:
        """``do_execute``: a marked statement goes out as its EXECUTE, after its lock if it
        has one (``serialized_by``); True: done here."""
        options = context.execution_options
        lock_first = _lock_first(options.get(SERIALIZED_OPTION))
        if not (self.prepares and options.get(PREPARED_OPTION)):
            if not lock_first:
                return None
            cursor.execute(lock_first + statement, parameters)
            return True
        form = self.forms.get(statement)
        if form is None:
            compiled = context.compiled
            if not isinstance(compiled, SQLCompiler):  # a marked statement always compiles to SQL
                raise TypeError("only a SQLAlchemy statement can be prepared")
            form = self.forms[statement] = _PreparedForm.of(statement, compiled, context.dialect)
        self.run(cursor, context.root_connection.info, form, parameters, lock_first)
        return True

    @staticmethod
    def run(
        cursor: Any, info: dict[Any, Any], form: _PreparedForm, parameters: Any, lock_first: str = ""
    ) -> None:
        """EXECUTE ``form`` on the DBAPI connection whose ``info`` this is, preparing it
        there first if it has not yet; ``lock_first`` (``_lock_first``) goes out with the
        EXECUTE, as one query: one transaction, whose last result the cursor holds."""
        prepared_here = info.setdefault(_PREPARED_NAMES, set())
        if form.name not in prepared_here:
            cursor.execute(form.prepare)
            prepared_here.add(form.name)
            info.setdefault(_PREPARED_SINCE, time.monotonic())
        cursor.execute(lock_first + form.execute, parameters)

    def handle_error(self, context: ExceptionContext) -> None:
        """``handle_error``: a lost or stale prepared statement replaces the connections."""
        code = getattr(context.original_exception, "pgcode", None)
        execution = context.execution_context
        if code not in _PREPARED_STATEMENT_LOST or execution is None or not (
            execution.execution_options.get(PREPARED_OPTION)
        ):
            return
        context.is_disconnect = True
        pooled = code == _SESSION_OF_ANOTHER_CLIENT
        connection = context.connection
        prepared_since = connection.info.get(_PREPARED_SINCE, 0.0) if connection else 0.0
        if not pooled and prepared_since <= self.last_loss_at:
            return  # prepared before the last loss: the same round of replacements
        self.last_loss_at = time.monotonic()
        was_preparing = self.prepares
        self.losses = self.GIVE_UP_AFTER if pooled else self.losses + 1
        if was_preparing and not self.prepares:  # from now on nothing is prepared, nor lost
            reason = (
                "gave this process a session where another client had prepared its statements"
                if pooled else
                f"lost this process's prepared statements {self.losses} times on fresh connections"
            )
            logger.warning(
                "PostgreSQL %s (a pooler in transaction mode?): running them unprepared from "
                "now on; set DATABASE_PREPARED_STATEMENTS=false behind such a pooler", reason,
            )


# The engines whose marked statements run prepared (``_use_prepared``), with their state.
_PREPARED_BY_ENGINE: weakref.WeakKeyDictionary[Engine, _PreparedStatements] = (
    weakref.WeakKeyDictionary()
)


@dataclass(frozen=True)
class _DriverForm:
    """A marked statement made ready to run on the driver directly (``first_row_alone``)."""

    # PostgreSQL: its PREPARE and EXECUTE; None on SQLite, whose sqlite3 module keeps its
    # own cache of compiled statements, keyed by their text.
    prepared: _PreparedForm | None
    compiled: SQLCompiler
    # Each parameter's conversion, as SQLAlchemy would apply it (JSON, timestamps).
    converters: dict[str, Any]
    columns: tuple[str, ...]  # what its RETURNING gives back, in order

    @classmethod
    def of(cls, statement: UpdateBase, dialect: Dialect) -> _DriverForm:
        compiled = statement.compile(dialect=dialect)
        if not isinstance(compiled, SQLCompiler):
            raise TypeError("only a SQLAlchemy statement can run at the driver's level")
        # keys(): a ColumnCollection iterates its columns, not their names.
        columns = tuple(str(key) for key in statement.exported_columns.keys())  # noqa: SIM118
        for column in statement.exported_columns:
            # Rows come back as the driver reads them: a type SQLAlchemy would convert
            # (a JSON or UTC-timestamp column) would come back otherwise than through it.
            if column.type.dialect_impl(dialect).result_processor(dialect, None) is not None:
                raise TypeError(f"RETURNING {column} needs a conversion: run it through SQLAlchemy")
        converters = {}
        for bind, name in compiled.bind_names.items():  # each parameter by its rendered name
            converter = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if converter is not None:
                converters[name] = converter
        prepared = (_PreparedForm.of(compiled.string, compiled, dialect)
                    if dialect.name == "postgresql" else None)
        return cls(prepared, compiled, converters, columns)

    def parameters(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The statement's parameters (its own constants with ``values``), converted."""
        parameters = dict(self.compiled.construct_params(values))
        for name, convert in self.converters.items():
            parameters[name] = convert(parameters[name])
        return parameters

    def execute(self, cursor: Any, info: dict[Any, Any], values: Mapping[str, Any]) -> None:
        """Send the statement with ``values`` (``parameters``' result) on ``cursor``."""
        if self.prepared is not None:
            _PreparedStatements.run(cursor, info, self.prepared, values)
        else:  # sqlite3's qmark style: the values in the order the text names them
            cursor.execute(self.compiled.string, [values[name] for name in self.compiled.positiontup or ()])


_DRIVER_FORMS: dict[tuple[UpdateBase, str], _DriverForm] = {}  # by statement and dialect


def first_row_alone(
    engine: Engine, statement: UpdateBase, parameters: Mapping[str, Any]
) -> dict[str, Any] | None:
    """Run ``statement`` (an INSERT, UPDATE or DELETE marked ``prepared``) as its own
    transaction, as ``one_statement`` does; the first row of its RETURNING, or None.

    For the two writes of every task run, the lease and the success: the statement goes
    to the driver on a pooled connection directly, without SQLAlchemy's execution path
    around it (its Connection, transaction, context and result cost twice what the driver
    itself spends on such a statement, measured in docs/performance.md "The worker's two
    writes at the driver's level"). On PostgreSQL with prepared statements, the EXECUTE of
    the same prepared statement in psycopg2's autocommit mode; on SQLite the same text in
    sqlite3's autocommit mode, which every pooled connection is in (``_configure_sqlite``:
    SQLAlchemy sends its BEGINs itself), under the same busy timeout. Same parameters,
    same pool and its pings. When the driver raises, the connection is dropped if it is
    lost (or its prepared statement is) and the statement runs again through SQLAlchemy,
    whose error handling decides: it invalidates the pool and raises what callers retry
    on (``database_unavailable``) exactly as before. Running it twice is safe for these
    statements: each is a conditional UPDATE that a row already moved no longer matches.
    Elsewhere (``DATABASE_PREPARED_STATEMENTS=false``, a pooler that lost them) it runs
    through SQLAlchemy only.
    """
    if _runs_on_the_driver(engine):
        key = (statement, engine.dialect.name)
        form = _DRIVER_FORMS.get(key)
        if form is None:
            form = _DRIVER_FORMS[key] = _DriverForm.of(statement, engine.dialect)
        row = _run_on_driver(engine, form, parameters)
        if row is not _FAILED_ON_DRIVER:
            return None if row is None else dict(zip(form.columns, row, strict=True))
    with one_statement(engine) as conn:
        mapped = conn.execute(statement, parameters).mappings().first()
    return None if mapped is None else dict(mapped)


def _runs_on_the_driver(engine: Engine) -> bool:
    if engine.dialect.name == "sqlite":
        return True
    statements = _PREPARED_BY_ENGINE.get(engine)
    return statements is not None and statements.prepares


_FAILED_ON_DRIVER = object()


def _run_on_driver(engine: Engine, form: _DriverForm, parameters: Mapping[str, Any]) -> Any:
    """``form``'s statement in the driver's autocommit mode on a pooled connection: its
    first row (a tuple), None, or ``_FAILED_ON_DRIVER`` when the driver raised."""
    values = form.parameters(parameters)
    proxied = engine.raw_connection()
    driver: Any = proxied.driver_connection  # psycopg2's or sqlite3's connection
    postgres = form.prepared is not None
    try:
        if postgres:
            driver.autocommit = True
        cursor = proxied.cursor()
        try:
            form.execute(cursor, proxied.info, values)
            return cursor.fetchone() if cursor.description is not None else None
        finally:
            cursor.close()
    except engine.dialect.loaded_dbapi.Error as exc:
        lost = getattr(exc, "pgcode", None) in _PREPARED_STATEMENT_LOST or engine.dialect.is_disconnect(
            exc, driver, None
        )
        if lost:
            proxied.invalidate(exc)  # closed, never handed out again
        logger.info("Task write failed on the driver (%s); running it through SQLAlchemy",
                    type(exc).__name__)
        return _FAILED_ON_DRIVER
    finally:
        if postgres and not driver.closed:
            driver.autocommit = False
        proxied.close()  # back to the pool (or gone, if invalidated)


def database_unavailable(exc: BaseException) -> bool:
    """Whether ``exc`` says the database cannot be used right now (down, restarting,
    locked) rather than that a statement is wrong."""
    return isinstance(exc, OperationalError) or (
        isinstance(exc, DBAPIError) and exc.connection_invalidated
    )


def _ping_if_idle(engine: Engine) -> None:
    """Ping a pooled connection before use only when it sat idle for a while.

    SQLAlchemy's ``pool_pre_ping`` pings at every checkout: a round trip, twice per task
    run and once per submit. A connection used a moment ago is very likely alive, and if
    the server went away in between, the statement fails with a disconnect error, which
    invalidates every pooled connection older than it (SQLAlchemy does that on any
    disconnect), so the callers' retry (workers) or 503 (API) meets fresh connections.
    After an outage or a quiet spell, connections are older than the limit: pinged as
    before, so the first request after a database restart still succeeds. Raising
    DisconnectionError from a checkout listener is the pool's documented way to have
    the connection replaced and the checkout tried again.
    """

    @event.listens_for(engine, "checkin")
    def stamp(_dbapi_connection: Any, record: Any) -> None:
        record.info[_CHECKED_IN_AT] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def ping(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        checked_in_at = record.info.get(_CHECKED_IN_AT)
        # None: opened by this checkout, nothing to check.
        if checked_in_at is None or time.monotonic() - checked_in_at < PING_AFTER_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as exc:
            raise DisconnectionError(f"idle connection failed its ping: {type(exc).__name__}") from exc


def build_engine(url: str, prepared_statements: bool = True) -> Engine:
    """An engine for ``url``; SQLite files get their folder, WAL mode and foreign keys.

    Both hide their statements' parameters from errors and logs (``hide_parameters``):
    they are user data (balances, account digits, e-mail addresses), and an error's text
    goes to the logs with its traceback.

    ``prepared_statements``: on PostgreSQL, run the statements marked ``prepared`` as
    server-side prepared statements (``DATABASE_PREPARED_STATEMENTS``)."""
    parsed = make_url(url)
    # SQLAlchemy 2.1 defaults to psycopg 3; we ship psycopg2. ``postgres://`` is the
    # scheme many hosts hand out (Heroku, Render, Fly), which SQLAlchemy no longer reads.
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg2")
    if parsed.get_backend_name() == "sqlite":
        on_disk = parsed.database not in (None, "", ":memory:")
        if on_disk:
            Path(str(parsed.database)).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            parsed, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW, hide_parameters=True,
            connect_args={"check_same_thread": False},
        )
        event.listen(engine, "connect", _configure_sqlite)
        event.listen(engine, "begin", _begin_sqlite)
        if on_disk:  # none of its connections stays open across a fork (_ForkGate)
            _FORK_GATE.sqlite_engines.add(engine)
        return engine
    # A short connect timeout: while the server is away, requests answer 503 quickly
    # and workers go to their retry path instead of hanging on a dead address.
    engine = create_engine(
        parsed, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW, hide_parameters=True,
        connect_args={"connect_timeout": 5},
    )
    _ping_if_idle(engine)
    _use_prepared(engine, prepared_statements)
    return engine


@lru_cache
def get_engine() -> Engine:
    """This process's engine, built from ``DATABASE_URL``."""
    settings = get_settings()
    return build_engine(settings.database_url, settings.database_prepared_statements)


@lru_cache
def _session_factory(writes: bool) -> sessionmaker[Session]:
    engine = get_engine() if writes else read_only(get_engine())
    return sessionmaker(bind=engine, expire_on_commit=False)


def new_session(writes: bool = False) -> Session:
    """A fresh ORM session; the caller closes it (use it as a context manager).

    Sessions read by default. One that will write (``writes=True``) takes SQLite's write
    lock at its first statement; on PostgreSQL the two are the same.
    """
    return _session_factory(writes)()


def get_session() -> Iterator[Session]:
    """FastAPI dependency: one reading session per request."""
    with new_session() as session:
        yield session


def get_write_session() -> Iterator[Session]:
    """FastAPI dependency: a session for an endpoint that writes through the ORM."""
    with new_session(writes=True) as session:
        yield session


def alembic_config(url: str) -> Config:
    """Alembic's configuration for the database at ``url`` (from any working directory)."""
    # Imported here: alembic (with mako and pygments) is ~9.5 MB that every worker and
    # API process held for the one command that migrates (docs/performance.md, "Worker
    # memory").
    from alembic.config import Config

    root = Path(__file__).resolve().parent.parent
    config = Config(str(root / "alembic.ini"))
    config.set_main_option("script_location", str(root / "backend" / "migrations"))
    config.set_main_option("sqlalchemy.url", url)
    return config


def upgrade_database(url: str) -> None:
    """Apply every migration to the database at ``url``."""
    from alembic import command

    command.upgrade(alembic_config(url), "head")
