"""Text compared blind to its Unicode normalization form: both sides composed (NFC).

A PDF that draws an accent as its own glyph gives decomposed text (``Cafe\\u0301``), which
is stored as read (a statement's fingerprint, the exports and the API keep what the
document printed); a user types composed text (``Café``), or the other way round. Where
text is matched against text, both are composed first, the one way of it: in Python with
:func:`composed` (categorization rules), in SQL with :func:`composed_sql` (the
transactions search), which is the same function on SQLite (registered on each connection
by ``backend.db``) and PostgreSQL's ``normalize(…, NFC)`` there. ASCII text is in every
form already, and both leave it as it is without looking further.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import SQLCoreOperations
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import Text

# The name :func:`composed` has in SQLite's SQL.
SQLITE_FUNCTION = "ledgerflow_nfc"


def composed(text: str) -> str:
    """``text`` in NFC (``é`` one code point), the one form text is matched in."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def _composed_or_null(text: str | None) -> str | None:
    return None if text is None else composed(text)


def _lower(value: object) -> object:
    """SQL ``lower()`` as PostgreSQL's under a UTF-8 locale: every letter, not ASCII alone."""
    if value is None or isinstance(value, str):
        return None if value is None else value.lower()
    return value if isinstance(value, bytes) else str(value).lower()


def register_sqlite_function(dbapi_connection: Any) -> None:
    """Make :func:`composed` callable from a SQLite connection's SQL (see :func:`composed_sql`),
    and its ``lower()`` fold every letter: SQLite's own folds ASCII alone, so a search (an
    ``ILIKE``, which SQLAlchemy writes as ``lower(…) LIKE lower(…)`` there) for "müller" missed
    "MÜLLER", where PostgreSQL finds it."""
    dbapi_connection.create_function(SQLITE_FUNCTION, 1, _composed_or_null, deterministic=True)
    dbapi_connection.create_function("lower", 1, _lower, deterministic=True)


class _Composed(FunctionElement[str]):
    type = Text()
    inherit_cache = True
    name = "composed"


def composed_sql(text: SQLCoreOperations[str]) -> ColumnElement[str]:
    """``text`` in NFC, computed by the database (for a WHERE clause: stored text stays as read)."""
    return _Composed(text)


@compiles(_Composed)
def _composed_in_postgresql(element: _Composed, compiler: SQLCompiler, **kw: Any) -> str:
    # Only the rows that are not ASCII (more bytes than characters) are normalized:
    # normalize() on every row made a search of 200,000 ASCII rows four times slower
    # (0.55 s against 0.10-0.13 s; with this test, 0.13-0.17 s).
    text = compiler.process(element.clauses, **kw)
    return (
        f"CASE WHEN octet_length({text}) = char_length({text}) THEN {text} "
        f"ELSE normalize({text}, NFC) END"
    )


@compiles(_Composed, "sqlite")
def _composed_in_sqlite(element: _Composed, compiler: SQLCompiler, **kw: Any) -> str:
    return f"{SQLITE_FUNCTION}({compiler.process(element.clauses, **kw)})"
