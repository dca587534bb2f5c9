"""Bulk transaction categorization by a user's rules.

A :class:`Rule` says "transactions whose description matches ``pattern`` (and,
optionally, whose absolute amount lies in ``[amount_min, amount_max]`` and whose
direction is ``debit``/``credit``) belong to ``category``". Matching is
case-insensitive: ``contains`` and ``exact`` compare ``str.casefold()``-ed text,
``regex`` uses Python's ``re`` with ``re.IGNORECASE`` (the same ``re`` that
validates the pattern, so Python semantics are the only ones that apply).

When several rules match a transaction the one with the largest ``priority``
wins; between rules of equal priority the one earlier in the list wins
(:func:`load_rules` lists a user's saved rules oldest first).

:func:`categorize_transactions` applies rules to up to millions of stored
transactions without a query per row:

1. read ``(id, description, amount in cents)`` in batches (a server-side cursor
   on PostgreSQL);
2. match each batch in Python with :class:`RuleMatcher`, which searches each
   ``contains``/``exact`` pattern once through the whole batch's text rather
   than testing every rule against every row;
3. stage the new categories in a temporary table (``COPY`` on PostgreSQL,
   ``executemany`` elsewhere) and write them with one ``UPDATE ... FROM``.
"""

from __future__ import annotations

import functools
import io
import re
import time
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from itertools import accumulate
from re import _constants as sre_constants  # no public regex parser
from re import _parser as sre_parser
from typing import Any, TypeVar

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    MetaData,
    Select,
    String,
    Table,
    cast,
    func,
    insert,
    select,
    update,
)

from backend.models import CategoryRule, Transaction
from backend.services.errors import InvalidInputError

ProgressCallback = Callable[[int, int], None]

# Longest pattern / category the ``category_rules`` columns can store.
MAX_PATTERN_LENGTH = 500
MAX_CATEGORY_LENGTH = 100
# Rows read, matched and staged per round trip (fewer when needed for progress).
BATCH_SIZE = 50_000

# Joins a batch's descriptions into one searchable text; patterns cannot contain it.
_SEPARATOR = "\x00"
# Stands in for a separator found inside a description (possible on SQLite only).
_SEPARATOR_STAND_IN = "\x01"

_transactions = Transaction.__table__
# New categories waiting to be written, one row per transaction that changes.
_pending = Table(
    "categorization_pending",
    MetaData(),
    Column("id", BigInteger, nullable=False),
    Column("category", String(MAX_CATEGORY_LENGTH), nullable=False),
    prefixes=["TEMPORARY"],
    postgresql_on_commit="DROP",
)


_Choice = TypeVar("_Choice", bound=StrEnum)


class MatchType(StrEnum):
    """How a rule's pattern is compared with a transaction's description."""

    CONTAINS = "contains"
    REGEX = "regex"
    EXACT = "exact"


class Direction(StrEnum):
    """Money out (``amount < 0``) or money in (``amount > 0``)."""

    DEBIT = "debit"
    CREDIT = "credit"


@dataclass(frozen=True)
class Rule:
    """One validated categorization rule; the constructor rejects invalid rules.

    Raises :class:`InvalidInputError` (with a message fit for the user) for an
    empty pattern or category, an invalid regex, an unknown match type or
    direction, negative bounds or ``amount_min > amount_max``. Bounds apply to
    the absolute amount and are inclusive.
    """

    pattern: str
    match_type: MatchType | str
    category: str
    priority: int = 0
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    direction: Direction | str | None = None
    _regex: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    # contains/exact: the one string to find in the batch text (see _BatchText);
    # regex: strings one of which every match contains (empty if unknown).
    _needles: tuple[str, ...] = field(init=False, repr=False, compare=False)
    _min_cents: int | None = field(init=False, repr=False, compare=False)
    _max_cents: int | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        match_type = _parse_enum(MatchType, self.match_type, "match type")
        direction = (
            None if self.direction is None else _parse_enum(Direction, self.direction, "direction")
        )
        _check_text(self.category, "category", MAX_CATEGORY_LENGTH)
        _check_text(self.pattern, "pattern", MAX_PATTERN_LENGTH)
        if isinstance(self.priority, bool) or not isinstance(self.priority, int):
            raise InvalidInputError(f"Priority must be a whole number, not {self.priority!r}")
        amount_min, amount_max = _parse_bounds(self.amount_min, self.amount_max)
        regex = _compile_regex(self.pattern) if match_type is MatchType.REGEX else None
        for name, value in (
            ("match_type", match_type),
            ("direction", direction),
            ("amount_min", amount_min),
            ("amount_max", amount_max),
            ("_regex", regex),
            ("_needles", _needles(self.pattern, match_type)),
            ("_min_cents", _to_cents(amount_min, ROUND_CEILING)),
            ("_max_cents", _to_cents(amount_max, ROUND_FLOOR)),
        ):
            object.__setattr__(self, name, value)

    def matches(self, description: str, amount: Decimal) -> bool:
        """Whether this rule matches one transaction (the reference semantics)."""
        cents = _to_cents(Decimal(amount), ROUND_HALF_UP)
        return self.accepts_amount(cents) and self._matches_text(description)

    def accepts_amount(self, cents: int) -> bool:
        """Whether an amount, in signed cents, passes the bounds and direction."""
        if self.direction is Direction.DEBIT and cents >= 0:
            return False
        if self.direction is Direction.CREDIT and cents <= 0:
            return False
        size = abs(cents)
        if self._min_cents is not None and size < self._min_cents:
            return False
        return self._max_cents is None or size <= self._max_cents

    def _matches_text(self, description: str) -> bool:
        if self._regex is not None:
            return self._regex.search(description) is not None
        if self.match_type is MatchType.EXACT:
            return description.casefold() == self.pattern.casefold()
        return self.pattern.casefold() in description.casefold()


def _parse_enum(enum: type[_Choice], value: Any, label: str) -> _Choice:
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(repr(member.value) for member in enum)
        raise InvalidInputError(f"Unknown {label} {value!r}: use one of {allowed}") from None


def _check_text(value: Any, label: str, max_length: int) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError(f"The {label} must not be empty")
    if len(value) > max_length:
        raise InvalidInputError(f"The {label} must be at most {max_length} characters long")


def _parse_bounds(amount_min: Any, amount_max: Any) -> tuple[Decimal | None, Decimal | None]:
    low = _parse_bound(amount_min, "amount_min")
    high = _parse_bound(amount_max, "amount_max")
    if low is not None and high is not None and low > high:
        raise InvalidInputError(f"amount_min ({low}) must not be greater than amount_max ({high})")
    return low, high


def _parse_bound(value: Any, label: str) -> Decimal | None:
    if value is None:
        return None
    try:
        bound = Decimal(str(value))
    except InvalidOperation:
        raise InvalidInputError(f"{label} must be a number, not {value!r}") from None
    if not bound.is_finite() or bound < 0:
        raise InvalidInputError(
            f"{label} must be a non-negative number (bounds apply to the absolute amount)"
        )
    return bound


def _compile_regex(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise InvalidInputError(f"Invalid regex {pattern!r}: {exc}") from None


def _to_cents(amount: Decimal | None, rounding: str) -> int | None:
    """An amount in whole cents, rounded as the caller says (bounds round inwards)."""
    if amount is None:
        return None
    return int((amount * 100).to_integral_value(rounding=rounding))


def _needles(pattern: str, match_type: MatchType) -> tuple[str, ...]:
    """What :class:`RuleMatcher` looks for in a batch's text (see ``Rule._needles``)."""
    if match_type is MatchType.REGEX:
        return _required_literals(pattern)
    if any(unicodedata.category(char) == "Cc" for char in pattern):
        raise InvalidInputError("The pattern must not contain control characters")
    folded = pattern.casefold()
    return (_SEPARATOR + folded + _SEPARATOR if match_type is MatchType.EXACT else folded,)


def _required_literals(pattern: str) -> tuple[str, ...]:
    """Lower-case ASCII strings one of which every match of the regex contains.

    Empty when no such set of strings at least two characters long is found.
    Only valid as a filter on ASCII text: there ``re.IGNORECASE`` equals ASCII
    case-folding, whereas on other text ``re`` also equates e.g. the dotless i (U+0131)
    with "i".
    """
    literals = _sequence_literals(sre_parser.parse(pattern, re.IGNORECASE))
    if not literals or not all(len(text) >= 2 and text.isascii() for text in literals):
        return ()
    return tuple(sorted({text.lower() for text in literals}))


def _sequence_literals(items: Iterable[tuple[Any, Any]]) -> frozenset[str] | None:
    """The best set of strings required by a parsed regex sequence (``None``: none known)."""
    best: frozenset[str] | None = None
    run: list[str] = []
    for opcode, argument in [*items, (None, None)]:
        if opcode is sre_constants.LITERAL:
            run.append(chr(argument))
            continue
        candidates = [frozenset({"".join(run)}) if run else None, _item_literals(opcode, argument)]
        run = []
        for candidate in candidates:
            if candidate and (best is None or min(map(len, candidate)) > min(map(len, best))):
                best = candidate
    return best


def _item_literals(opcode: Any, argument: Any) -> frozenset[str] | None:
    """The strings required by one parsed regex item other than a literal."""
    if opcode is sre_constants.SUBPATTERN:
        return _sequence_literals(argument[-1])
    if opcode is sre_constants.ATOMIC_GROUP:
        return _sequence_literals(argument)
    if opcode in _REPEATS and argument[0] >= 1:
        return _sequence_literals(argument[2])
    if opcode is sre_constants.BRANCH:
        branches = [_sequence_literals(branch) for branch in argument[1]]
        if all(branches):
            return frozenset().union(*branches)
    return None


_REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT)


class RuleMatcher:
    """Finds the winning rule of many transactions at once.

    ``contains`` and ``exact`` rules are searched with ``str.find`` through one
    text joining the whole batch's casefolded descriptions (an exact pattern is
    searched with separators around it), so each costs a fast scan plus work per
    hit rather than per row. A regex runs only on rows that contain one of its
    required literals when those are known and the batch is ASCII, else on every
    row still unmatched. Rules are tried from the highest priority down and a
    row keeps the first rule that matches it.
    """

    def __init__(self, rules: Sequence[Rule]) -> None:
        # sorted() is stable: among equal priorities the earlier rule comes first.
        self._rules = sorted(rules, key=lambda rule: -rule.priority)

    def match(self, descriptions: Sequence[str], cents: Sequence[int]) -> list[Rule | None]:
        """The winning rule of each transaction (``None`` where none matches)."""
        winners: list[Rule | None] = [None] * len(descriptions)
        batch = _BatchText(descriptions)
        for rule in self._rules:
            for row in _candidate_rows(rule, batch, winners):
                if winners[row] is None and rule.accepts_amount(cents[row]):
                    winners[row] = rule
        return winners


def _candidate_rows(rule: Rule, batch: _BatchText, winners: list[Rule | None]) -> Iterable[int]:
    """Rows the rule's text matches (regex: only among rows without a winner yet)."""
    if rule._regex is None:
        return batch.rows_containing(rule._needles[0])
    if rule._needles and batch.is_ascii:
        rows: Iterable[int] = sorted(
            {row for needle in rule._needles for row in batch.rows_containing(needle)}
        )
    else:
        rows = range(len(winners))
    search, descriptions = rule._regex.search, batch.descriptions
    return (row for row in rows if winners[row] is None and search(descriptions[row]))


class _BatchText:
    """A batch's casefolded descriptions joined into one text, searchable at C speed.

    Each description is followed by ``_SEPARATOR`` and the text starts with one,
    so ``SEP + pattern + SEP`` finds exact matches; ``ends[i]`` is the offset of
    the separator that ends row ``i``.
    """

    def __init__(self, descriptions: Sequence[str]) -> None:
        self.descriptions = descriptions
        raw = _SEPARATOR.join(descriptions)
        self.is_ascii = raw.isascii()
        if self.is_ascii and raw.count(_SEPARATOR) == len(descriptions) - 1:
            # ASCII casefolding keeps lengths, so one call folds the whole batch.
            folded: Sequence[str] = descriptions
            joined = raw.lower()
        else:
            folded = [
                text.casefold().replace(_SEPARATOR, _SEPARATOR_STAND_IN) for text in descriptions
            ]
            joined = _SEPARATOR.join(folded)
        self.text = _SEPARATOR + joined + _SEPARATOR
        self.ends = list(accumulate(len(text) + 1 for text in folded))

    def rows_containing(self, needle: str) -> Iterator[int]:
        """The rows whose text contains ``needle``, each once, in order."""
        text, ends = self.text, self.ends
        position = text.find(needle)
        while position >= 0:
            row = bisect_right(ends, position)
            yield row
            position = text.find(needle, ends[row])


@dataclass(frozen=True)
class CategorizationResult:
    """What one categorization run did, over the transactions it considered.

    The transactions considered are the user's (or the statement's) transactions
    when ``overwrite`` is true, and only their uncategorized ones otherwise.
    ``categorized`` of them matched a rule (``by_category`` splits them by the
    winning rule's category); ``uncategorized`` matched none and were left as
    they were. ``seconds`` times the phases, for logs and benchmarks.
    """

    categorized: int
    uncategorized: int
    by_category: dict[str, int]
    seconds: dict[str, float] = field(default_factory=dict, compare=False)


def categorize_transactions(
    connection: Connection,
    user_id: int,
    rules: Sequence[Rule],
    *,
    statement_id: int | None = None,
    overwrite: bool = False,
    on_progress: ProgressCallback | None = None,
) -> CategorizationResult:
    """Set the category of a user's transactions from ``rules``.

    Considers the user's transactions (only the statement's with
    ``statement_id``); without ``overwrite`` only those without a category.
    Each considered transaction that a rule matches gets the winning rule's
    category; one that no rule matches is never modified (``overwrite`` does
    not clear categories). All writes go through ``connection``, inside the
    caller's transaction, which the caller commits.

    ``on_progress(done, total)`` is called with rising ``done`` after each batch
    is matched (batches are at most a tenth of ``total``); the last call,
    ``(total, total)``, comes before the categories are written in one UPDATE,
    which can take most of the time on large sets.
    """
    timer = _PhaseTimer()
    query = _candidates_query(user_id, statement_id, overwrite)
    with timer.phase("count"):
        count = select(func.count()).select_from(_transactions).where(query.whereclause)
        total = connection.execute(count).scalar_one()
    batch_size = max(1, min(BATCH_SIZE, total // 10))
    matcher = RuleMatcher(rules)
    counts: Counter[str] = Counter()
    done = 0
    stage = _Stage.for_connection(connection)
    with timer.phase("stage"):
        stage.open()
    for ids, descriptions, cents in _read_batches(connection, query, batch_size, timer):
        with timer.phase("match"):
            winners = matcher.match(descriptions, cents)
            changes = [
                (id_, rule.category)
                for id_, rule in zip(ids, winners, strict=True)
                if rule is not None
            ]
            counts.update(category for _, category in changes)
        with timer.phase("stage"):
            stage.add(changes)
        done += len(ids)
        if on_progress is not None:
            on_progress(done, total)
    with timer.phase("update"):
        stage.apply(overwrite)
    categorized = sum(counts.values())
    return CategorizationResult(
        categorized=categorized,
        uncategorized=done - categorized,
        by_category=dict(counts),
        seconds=timer.seconds,
    )


def load_rules(connection: Connection, user_id: int) -> list[Rule]:
    """A user's saved rules, oldest first (so the older wins a priority tie)."""
    rules = CategoryRule.__table__
    rows = connection.execute(
        select(
            rules.c.pattern,
            rules.c.match_type,
            rules.c.category,
            rules.c.priority,
            rules.c.amount_min,
            rules.c.amount_max,
            rules.c.direction,
        )
        .where(rules.c.user_id == user_id)
        .order_by(rules.c.id)
    )
    return [Rule(**row._asdict()) for row in rows]


def _candidates_query(user_id: int, statement_id: int | None, overwrite: bool) -> Select[Any]:
    """``(id, description, amount in cents)`` of the transactions to consider."""
    columns = _transactions.c
    cents = cast(func.round(columns.amount * 100), BigInteger)
    query = select(columns.id, columns.description, cents).where(columns.user_id == user_id)
    if statement_id is not None:
        query = query.where(columns.statement_id == statement_id)
    if not overwrite:
        query = query.where(columns.category.is_(None))
    return query


class _PhaseTimer:
    """Adds up the wall-clock seconds spent in named phases."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            elapsed = time.perf_counter() - started
            self.seconds[name] = self.seconds.get(name, 0.0) + elapsed


# Ids, descriptions and amounts in cents of a batch of transactions.
_Columns = tuple[list[int], list[str], list[int]]


def _read_batches(
    connection: Connection, query: Select[Any], batch_size: int, timer: _PhaseTimer
) -> Iterator[_Columns]:
    """The query's rows as column lists, ``batch_size`` rows at a time."""
    if _is_psycopg2(connection):
        rows_in_batches = _read_with_server_cursor(connection, query, batch_size)
    else:
        result = connection.execution_options(yield_per=batch_size).execute(query)
        rows_in_batches = result.partitions()
    while True:
        with timer.phase("read"):
            rows = next(rows_in_batches, None)
            if not rows:
                return
            ids, descriptions, cents = (list(column) for column in zip(*rows, strict=True))
        yield ids, descriptions, cents


def _read_with_server_cursor(
    connection: Connection, query: Select[Any], batch_size: int
) -> Iterator[list[tuple[Any, ...]]]:
    """Stream a query through a psycopg2 named (server-side) cursor."""
    compiled = query.compile(dialect=connection.dialect)
    with connection.connection.driver_connection.cursor(name="categorization_scan") as cursor:
        cursor.execute(str(compiled), compiled.params)
        while rows := cursor.fetchmany(batch_size):
            yield rows


def _is_psycopg2(connection: Connection) -> bool:
    return connection.dialect.name == "postgresql" and connection.dialect.driver == "psycopg2"


class _Stage:
    """The temporary table of pending changes, filled portably with ``executemany``."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    @staticmethod
    def for_connection(connection: Connection) -> _Stage:
        return _CopyStage(connection) if _is_psycopg2(connection) else _Stage(connection)

    def open(self) -> None:
        _pending.drop(self.connection, checkfirst=True)
        _pending.create(self.connection)

    def add(self, changes: list[tuple[int, str]]) -> None:
        if changes:
            self.connection.execute(
                insert(_pending), [{"id": id_, "category": cat} for id_, cat in changes]
            )

    def apply(self, overwrite: bool) -> None:
        """Write the staged categories with one ``UPDATE ... FROM``, then drop the stage."""
        target = _transactions.c.category
        statement = (
            update(_transactions)
            .values(category=_pending.c.category)
            .where(_transactions.c.id == _pending.c.id)
            .where(target.is_distinct_from(_pending.c.category) if overwrite else target.is_(None))
        )
        self.connection.execute(statement)
        _pending.drop(self.connection)


class _CopyStage(_Stage):
    """The stage on PostgreSQL with psycopg2, filled with ``COPY``."""

    def add(self, changes: list[tuple[int, str]]) -> None:
        if not changes:
            return
        lines = "".join(f"{id_}\t{_copy_escape(category)}\n" for id_, category in changes)
        with self.connection.connection.driver_connection.cursor() as cursor:
            cursor.copy_expert(
                f"COPY {_pending.name} (id, category) FROM STDIN", io.StringIO(lines)
            )

    def apply(self, overwrite: bool) -> None:
        # Row counts let the planner pick a hash join instead of a nested loop.
        self.connection.exec_driver_sql(f"ANALYZE {_pending.name}")
        super().apply(overwrite)


@functools.lru_cache(maxsize=1024)
def _copy_escape(text: str) -> str:
    """``text`` escaped for PostgreSQL's ``COPY`` text format."""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
