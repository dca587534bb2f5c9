"""Bulk transaction categorization by a user's rules.

A :class:`Rule` says "transactions whose description matches ``pattern`` (and,
optionally, whose absolute amount lies in ``[amount_min, amount_max]`` and whose
direction is ``debit``/``credit``) belong to ``category``". Matching is
case-insensitive: ``contains`` and ``exact`` compare ``str.casefold()``-ed text,
``regex`` runs on RE2 (``google-re2``) with case-insensitive matching. It is blind to
the Unicode normalization form too: a pattern and a description are both matched in NFC
(``é`` one code point), so ``cafe\u0301`` typed with a combining accent matches ``CAFÉ``
and the other way round. A PDF that draws an accent as its own glyph gives decomposed
text, which is stored as read (the statement's fingerprint, the exports and the API keep
what the document printed) and composed only to be matched; rules keep the pattern as
typed. So rows and rules saved decomposed before match with no migration. A letter
without its accent is still another letter (``cafe`` does not match ``café``).

Users write the regexes, so they run on an engine whose matching time is linear
in the text whatever the pattern: with Python's backtracking ``re``,
``^(\\w+\\s?)+$`` on a 55-character description runs for minutes. RE2 cannot run
what needs backtracking (backreferences, look-around, atomic groups, possessive
quantifiers...): such patterns are rejected when the rule is made, with a message
that names the feature. RE2 syntax differs from ``re`` in a few other points:
``\\w``, ``\\d``, ``\\s`` and ``\\b`` are ASCII-only, ``$`` matches only at the very
end, ``\\z`` replaces ``\\Z``, and case-insensitivity uses Unicode simple case
folding (``ß`` does not match ``ss``, nor the dotless ``ı`` an ``i``).

When several rules match a transaction the one with the largest ``priority``
wins; between rules of equal priority the one earlier in the list wins
(:func:`load_rules` lists a user's saved rules oldest first).

:meth:`RuleMatcher.categories` is the one place rules are applied: a statement's
transactions get their categories from it as they are imported
(:func:`categorize_lines`, called by ``statement_store.save_statement``), so a
fresh statement needs no UPDATE at all, and :func:`categorize_transactions`
re-applies rules to up to millions of stored transactions without a query per row:

1. read ``(id, description, amount in thousandths, rule-made category)`` in batches (a
   server-side cursor on PostgreSQL);
2. match each batch in Python with :class:`RuleMatcher`: one RE2 set of every
   rule scans each ASCII description once (each distinct one once, when they
   recur); other descriptions are matched with full case folding by searching
   each ``contains``/``exact`` pattern once through the batch's text, and all
   regex rules at once with one RE2 set per row (the next batch is being read
   meanwhile);
3. stage only the rows whose category changes in a temporary table (``COPY`` on
   PostgreSQL, ``executemany`` elsewhere) and write them with one
   ``UPDATE ... FROM``; when nothing changes, nothing is staged or written.

A category the user set or cleared by hand (``category_source = 'manual'``) is never
read, matched or written unless the run asks for ``include_manual``; what rules write
is marked ``'rule'``.
"""

from __future__ import annotations

import functools
import io
import time
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from itertools import accumulate
from typing import Any, TypeVar

import re2
from sqlalchemy import (
    BigInteger,
    Column,
    ColumnElement,
    Connection,
    MetaData,
    Select,
    String,
    Table,
    and_,
    case,
    cast,
    func,
    insert,
    select,
    update,
)

from backend.db import begin_read, begin_write
from backend.models import MONEY_EXACT_MAX, CategoryRule, CategorySource, Statement, Transaction
from backend.services.errors import InvalidInputError
from backend.unicode_text import composed

ProgressCallback = Callable[[int, int], None]

# Longest pattern / category the ``category_rules`` columns can store.
MAX_PATTERN_LENGTH = 500
MAX_CATEGORY_LENGTH = 100
# Most rules one categorization takes (inline in a request, or saved by one user).
MAX_RULES = 1000
# Amounts are matched as whole numbers of the finest unit a ``Money`` column holds.
THOUSANDTHS_PER_UNIT = 1000
# Largest bound a rule keeps: one both back ends store exactly (a bound past it was
# saved rounded on SQLite, and GET /rules failed on the rounded value).
MAX_AMOUNT = MONEY_EXACT_MAX
# ``priority`` is a 32-bit INTEGER column.
MIN_PRIORITY, MAX_PRIORITY = -(2**31), 2**31 - 1
# RE2's memory budget for one rule's compiled pattern and its matching automata.
# 1 MiB takes any sensible rule (``\w{1000}`` compiles to 8,000 instructions);
# ``[\p{L}]{100}`` (120,000) is refused as too large. With MAX_RULES rules that
# bounds the regex memory of a categorization to about 1 GB in the worst case.
REGEX_MEMORY_BYTES = 1 << 20
# Budget of the one RE2 set that matches all of a categorization's regex rules.
REGEX_SET_MEMORY_BYTES = 64 << 20
# Rows read, matched and staged per round trip (fewer when needed for progress).
BATCH_SIZE = 50_000
# Below this share of distinct descriptions in a batch, each is matched once (a memo);
# above it, remembering them costs more than it saves.
DISTINCT_SHARE_TO_GROUP = 0.75

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
    # Lives on the connection from the matching transaction to the writing one; apply()
    # drops it (and open() drops a leftover of a run that failed half-way).
    prefixes=["TEMPORARY"],
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
    empty or too long pattern or category, one holding a NUL character, a regex
    RE2 cannot run, an unknown match type or direction, a priority outside 32
    bits, bounds that are negative, above :data:`MAX_AMOUNT` or with
    ``amount_min > amount_max``. Bounds apply to the absolute amount and are
    inclusive.
    """

    pattern: str
    match_type: MatchType | str
    category: str
    priority: int = 0
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    direction: Direction | str | None = None
    # The pattern as matched: composed (NFC), as descriptions are (see unicode_text.composed).
    _text: str = field(init=False, repr=False, compare=False)
    # The compiled RE2 pattern of a regex rule (the package has no public type for it).
    _regex: Any = field(init=False, repr=False, compare=False)
    # contains/exact: the string to find in the batch text (see _BatchText).
    _needle: str | None = field(init=False, repr=False, compare=False)
    _min_thousandths: int | None = field(init=False, repr=False, compare=False)
    _max_thousandths: int | None = field(init=False, repr=False, compare=False)
    # Whether the rule has a direction or bounds (RuleMatcher skips the check otherwise).
    _filters_amount: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        match_type = _parse_enum(MatchType, self.match_type, "match type")
        direction = (
            None if self.direction is None else _parse_enum(Direction, self.direction, "direction")
        )
        _check_text(self.category, "category", MAX_CATEGORY_LENGTH)
        _check_text(self.pattern, "pattern", MAX_PATTERN_LENGTH)
        _check_priority(self.priority)
        amount_min, amount_max = _parse_bounds(self.amount_min, self.amount_max)
        text = composed(self.pattern)
        regex = _compile_regex(text) if match_type is MatchType.REGEX else None
        for name, value in (
            ("match_type", match_type),
            ("_text", text),
            ("direction", direction),
            ("amount_min", amount_min),
            ("amount_max", amount_max),
            ("_regex", regex),
            ("_needle", None if regex is not None else _needle(text, match_type)),
            ("_min_thousandths", None if amount_min is None else _thousandths(amount_min, ROUND_CEILING)),
            ("_max_thousandths", None if amount_max is None else _thousandths(amount_max, ROUND_FLOOR)),
            ("_filters_amount", (direction, amount_min, amount_max) != (None, None, None)),
        ):
            object.__setattr__(self, name, value)

    def matches(self, description: str, amount: Decimal) -> bool:
        """Whether this rule matches one transaction (the reference semantics)."""
        return (self.accepts_amount(_thousandths(Decimal(amount), ROUND_HALF_UP))
                and self._matches_text(description))

    def accepts_amount(self, thousandths: int) -> bool:
        """Whether an amount, in signed thousandths, passes the bounds and direction."""
        if self.direction is Direction.DEBIT and thousandths >= 0:
            return False
        if self.direction is Direction.CREDIT and thousandths <= 0:
            return False
        size = abs(thousandths)
        if self._min_thousandths is not None and size < self._min_thousandths:
            return False
        return self._max_thousandths is None or size <= self._max_thousandths

    def _matches_text(self, description: str) -> bool:
        if self._regex is not None:
            return self._regex.search(_utf8(composed(description))) is not None
        if self.match_type is MatchType.EXACT:
            return _folded(description) == _folded(self._text)
        return _folded(self._text) in _folded(description)


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
    # PostgreSQL text cannot hold NUL, nor UTF-8 encode a lone surrogate.
    if "\x00" in value:
        raise InvalidInputError(f"The {label} must not contain NUL characters")
    if not value.isascii() and any("\ud800" <= char <= "\udfff" for char in value):
        raise InvalidInputError(f"The {label} must not contain lone surrogate characters")


def _check_priority(priority: Any) -> None:
    if isinstance(priority, bool) or not isinstance(priority, int):
        raise InvalidInputError(f"Priority must be a whole number, not {priority!r}")
    if not MIN_PRIORITY <= priority <= MAX_PRIORITY:
        raise InvalidInputError(
            f"Priority must be between {MIN_PRIORITY} and {MAX_PRIORITY}, not {priority}"
        )


def _parse_bounds(amount_min: Any, amount_max: Any) -> tuple[Decimal | None, Decimal | None]:
    # The messages name the bounds in words, as a person filling in a form reads them: the
    # web app and API clients show them as they are.
    low = _parse_bound(amount_min, "The minimum amount")
    high = _parse_bound(amount_max, "The maximum amount")
    if low is not None and high is not None and low > high:
        raise InvalidInputError(
            f"The minimum amount ({low}) must not be greater than the maximum amount ({high})"
        )
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
    if bound > MAX_AMOUNT:
        raise InvalidInputError(f"{label} must be at most {MAX_AMOUNT}")
    return bound


def _thousandths(amount: Decimal, rounding: str) -> int:
    """An amount in whole thousandths (the finest unit a ``Money`` column holds), rounded
    as the caller says (bounds round inwards)."""
    return int((amount * THOUSANDTHS_PER_UNIT).to_integral_value(rounding=rounding))


def _needle(pattern: str, match_type: MatchType) -> str:
    """What :class:`RuleMatcher` looks for in a batch's text (see ``Rule._needle``)."""
    if any(unicodedata.category(char) == "Cc" for char in pattern):
        raise InvalidInputError("The pattern must not contain control characters")
    folded = _folded(pattern)
    return _SEPARATOR + folded + _SEPARATOR if match_type is MatchType.EXACT else folded


def _folded(text: str) -> str:
    """``text`` as ``contains`` and ``exact`` compare it: composed, case-folded, and composed
    again (folding may decompose: ``ǰ`` folds to ``j`` and U+030C)."""
    return composed(composed(text).casefold())


def _utf8(text: str) -> bytes:
    """``text`` as the UTF-8 RE2 reads (a lone surrogate, possible on SQLite, passes as bytes)."""
    return text.encode("utf-8", "surrogatepass")


@functools.lru_cache(maxsize=4)
def _regex_options(max_mem: int) -> re2.Options:
    """RE2 options for user patterns: case-insensitive, errors raised rather than logged."""
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False
    options.max_mem = max_mem
    return options


def _compile_regex(pattern: str) -> Any:
    try:
        return re2.compile(pattern, _regex_options(REGEX_MEMORY_BYTES))
    except re2.error as exc:
        raise InvalidInputError(_regex_error_message(pattern, exc)) from None


# RE2 quotes the opening of a group it cannot run: what that opening asks for.
_UNSUPPORTED_GROUPS = {
    "(?=": "look-ahead",
    "(?!": "look-ahead",
    "(?<=": "look-behind",
    "(?<!": "look-behind",
    "(?>": "atomic groups",
    "(?(": "conditionals",
    "(?#": "inline comments",
    "(?P": "named backreferences",  # (?P=name); (?P<name>...) itself is fine
}


def _regex_error_message(pattern: str, exc: Exception) -> str:
    """Why RE2 refused ``pattern``, in the user's terms."""
    reason = exc.args[0] if exc.args else ""
    reason = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
    code, _, piece = reason.partition(": ")
    feature = _unsupported_feature(code, piece)
    if feature is not None:
        return (
            f"Patterns with {feature} are not supported: {pattern!r} "
            "(regex rules run on RE2, which matches in linear time)"
        )
    if code.startswith("pattern too large"):
        return (
            f"The pattern {pattern!r} is too large once compiled: "
            "use smaller repetition counts or fewer alternatives"
        )
    if piece == "\\Z":
        return f"Invalid regex {pattern!r}: \\Z is not supported, use \\z or $ for the end"
    return f"Invalid regex {pattern!r}: {reason}"


def _unsupported_feature(code: str, piece: str) -> str | None:
    """The feature RE2 lacks that ``pattern`` uses, when that is why it was refused."""
    if code == "invalid perl operator":
        for opening, feature in _UNSUPPORTED_GROUPS.items():
            if piece.startswith(opening):
                return feature
        if piece[2:3].isalpha():
            return f"the inline flag {piece[2]!r} (RE2 knows i, m, s and U)"
    if code == "invalid escape sequence" and piece[1:2] in tuple("123456789"):
        return "backreferences"
    if code == "bad repetition operator" and len(piece) > 1 and piece.endswith("+"):
        return "possessive quantifiers"
    if code == "invalid repetition size":
        return "repetition counts above 1000"
    return None


class RuleMatcher:
    """Finds the winning rule of many transactions at once.

    Rules are tried from the highest priority down and a row keeps the first rule
    that matches it. Two ways, with the same result:

    - rows whose description is ASCII (most): one RE2 set holding every rule's
      pattern, one scan per row (:class:`_AsciiRuleSet`), then the winner among the
      few rules that matched;
    - the others, and all rows should the set fail: ``contains`` and ``exact``
      rules are searched with ``str.find`` through one text joining the rows'
      casefolded descriptions (an exact pattern is searched with separators around
      it), so each costs a fast scan plus work per hit rather than per row; all
      regex rules are matched together, one RE2 set scan per row (:class:`_RegexRows`).
    """

    def __init__(self, rules: Sequence[Rule]) -> None:
        # sorted() is stable: among equal priorities the earlier rule comes first.
        self._rules = sorted(rules, key=lambda rule: -rule.priority)
        self._ascii_set = _AsciiRuleSet.build(self._rules)
        self._regex_rows: _RegexRows | None = None  # made when a non-ASCII row needs it

    def categories(self, descriptions: Sequence[str], thousandths: Sequence[int]) -> list[str | None]:
        """The winning rule's category of each transaction (``None`` where none matches)."""
        return [None if rule is None else rule.category for rule in self.match(descriptions, thousandths)]

    def match(self, descriptions: Sequence[str], thousandths: Sequence[int]) -> list[Rule | None]:
        """The winning rule of each transaction (``None`` where none matches)."""
        if self._ascii_set is None:
            return self._match_by_text(descriptions, thousandths)
        winners, others = self._ascii_set.match(descriptions, thousandths)
        if others:
            found = self._match_by_text([descriptions[i] for i in others], [thousandths[i] for i in others])
            for row, rule in zip(others, found, strict=True):
                winners[row] = rule
        return winners

    def _match_by_text(self, descriptions: Sequence[str], thousandths: Sequence[int]) -> list[Rule | None]:
        """:meth:`match` for any descriptions, by searching the batch's text."""
        winners: list[Rule | None] = [None] * len(descriptions)
        if not descriptions:
            return winners
        descriptions = [composed(text) for text in descriptions]
        regex_rules = [rule for rule in self._rules if rule._regex is not None]
        if regex_rules and self._regex_rows is None:
            self._regex_rows = _RegexRows(regex_rules)
        regex_hits = iter(
            self._regex_rows.rows_matching(descriptions) if self._regex_rows else []
        )
        batch: _BatchText | None = None
        for rule in self._rules:
            rows: Iterator[int]
            if rule._needle is None:  # regex rules come in the same order as here
                rows = iter(next(regex_hits))
            else:
                batch = batch or _BatchText(descriptions)
                rows = batch.rows_containing(rule._needle)
            if rule._filters_amount:
                accepts = rule.accepts_amount
                for row in rows:
                    if winners[row] is None and accepts(thousandths[row]):
                        winners[row] = rule
            else:
                for row in rows:
                    if winners[row] is None:
                        winners[row] = rule
        return winners


class _AsciiRuleSet:
    """All of a matcher's rules in one RE2 set, for the rows whose description is ASCII.

    On ASCII text, ``casefold()`` is ``lower()``, which is what RE2's case-insensitive
    matching of an ASCII literal compares: a ``contains`` rule is the set pattern of its
    casefolded text, escaped, an ``exact`` one the same anchored at both ends, and a
    regex rule its own pattern (the same RE2 options). A rule whose casefolded text is
    not ASCII (``ß`` folds to ``ss``, but ``é`` stays) can match no ASCII row: it is
    left out. One scan per row costs about the same whatever the number of rules,
    where searching the batch text costs a pass per rule. When descriptions recur
    within a batch, each distinct one is scanned once.
    """

    def __init__(self, rules: list[Rule], match_set: Callable[[bytes], list[int] | None]) -> None:
        self._rules = rules  # by set index: in priority order
        self._always = len(rules)  # the index of the pattern that matches every text
        self._match_set = match_set

    @classmethod
    def build(cls, rules: Sequence[Rule]) -> _AsciiRuleSet | None:
        """The set of ``rules`` (in priority order), or None if RE2 cannot compile it."""
        regex_set = re2.Set.SearchSet(_regex_options(REGEX_SET_MEMORY_BYTES))
        members = []
        try:
            for rule in rules:
                if rule._regex is not None:
                    pattern = rule._text
                else:
                    folded = _folded(rule._text)
                    if not folded.isascii():
                        continue
                    pattern = re2.escape(folded)
                    if rule.match_type is MatchType.EXACT:
                        pattern = f"^{pattern}$"  # RE2's $ is the very end, as for ==
                regex_set.Add(pattern)
                members.append(rule)
            # Its absence from a row's result tells an automaton failure from "no rule".
            regex_set.Add("")
            regex_set.Compile()
        except re2.error:  # too large together (hundreds of big patterns)
            return None
        return cls(members, regex_set.Match)

    def match(
        self, descriptions: Sequence[str], thousandths: Sequence[int]
    ) -> tuple[list[Rule | None], list[int]]:
        """The winner of each ASCII row, and the rows left for the text search (the
        non-ASCII ones, and any the set's automaton failed on)."""
        winners: list[Rule | None] = [None] * len(descriptions)
        others: list[int] = []
        rules, always, match_set = self._rules, self._always, self._match_set

        def scan(description: str) -> list[int] | None:
            return match_set(description.encode()) if description.isascii() else None

        if len(set(descriptions)) < len(descriptions) * DISTINCT_SHARE_TO_GROUP:
            # Many rows share a description (a user's recurring payees): scan each once.
            scan = functools.cache(scan)
        for row, description in enumerate(descriptions):
            hits = scan(description)
            if not hits:
                others.append(row)
                continue
            if len(hits) == 1:  # only the always-matching pattern: no rule
                continue
            for index in sorted(hits):
                if index == always:  # a row that none of its rules' amounts accepts
                    break
                rule = rules[index]
                if not rule._filters_amount or rule.accepts_amount(thousandths[row]):
                    winners[row] = rule
                    break
        return winners, others


class _RegexRows:
    """The rows each of several regex rules matches, with one RE2 set scan per row.

    The set runs every pattern in one pass of an automaton: about 1 µs per
    description whatever the number of rules, where searching rule by rule
    costs ~1.5 µs per rule and row. Should the set be too large to compile
    (hundreds of big patterns) or its automaton run out of memory on a row
    (RE2 then reports no match at all), the rules are searched one by one.
    """

    def __init__(self, rules: Sequence[Rule]) -> None:
        self._regexes = [rule._regex for rule in rules]
        # A pattern that matches every text: its absence from a row's result
        # tells an automaton failure apart from "no rule matches".
        self._always = len(rules)
        regex_set = re2.Set.SearchSet(_regex_options(REGEX_SET_MEMORY_BYTES))
        for rule in rules:
            regex_set.Add(rule._text)
        regex_set.Add("")
        try:
            regex_set.Compile()
        except re2.error:
            self._match_set: Callable[[bytes], list[int] | None] | None = None
        else:
            self._match_set = regex_set.Match

    def rows_matching(self, descriptions: Sequence[str]) -> list[list[int]]:
        """For each rule, in order, the rows (ascending) whose description it matches."""
        rows: list[list[int]] = [[] for _ in self._regexes]
        match_set, always = self._match_set, self._always
        for row, description in enumerate(descriptions):
            text = _utf8(description)
            hits = match_set(text) if match_set is not None else None
            if hits is None:
                hits = self._search_each(text)
            for index in hits:
                if index != always:
                    rows[index].append(row)
        return rows

    def _search_each(self, text: bytes) -> list[int]:
        return [index for index, regex in enumerate(self._regexes) if regex.search(text)]


class _BatchText:
    """A batch's casefolded descriptions joined into one text, searchable at C speed.

    Each description is followed by ``_SEPARATOR`` and the text starts with one,
    so ``SEP + pattern + SEP`` finds exact matches; ``ends[i]`` is the offset of
    the separator that ends row ``i``.
    """

    def __init__(self, descriptions: Sequence[str]) -> None:
        raw = _SEPARATOR.join(descriptions)
        if raw.isascii() and raw.count(_SEPARATOR) == len(descriptions) - 1:
            # ASCII casefolding keeps lengths, so one call folds the whole batch.
            folded: Sequence[str] = descriptions
            joined = raw.lower()
        else:
            folded = [
                _folded(text).replace(_SEPARATOR, _SEPARATOR_STAND_IN) for text in descriptions
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
    when ``overwrite`` is true, and only their uncategorized ones otherwise; either
    way without those whose category was set or cleared by hand, unless
    ``include_manual``: ``manual_kept`` counts the ones left alone for that.
    ``categorized`` of the considered matched a rule (``by_category`` splits them by
    the winning rule's category); ``uncategorized`` matched none and were left as
    they were. ``written`` is how many rows the run changed: the matched ones
    whose category was not already the winning rule's (0 when the rules have not
    changed since the last run or the import), and with ``include_manual`` the
    manual picks a rule now gives the same category (they become the rule's).
    A row deleted before the run ended (its statement deleted by its owner meanwhile) is
    in none of the counts, whether the run was to change it or not.
    ``seconds`` times the phases, for logs and benchmarks.
    """

    categorized: int
    uncategorized: int
    by_category: dict[str, int]
    written: int = 0
    manual_kept: int = 0
    seconds: dict[str, float] = field(default_factory=dict, compare=False)


def categorize_transactions(
    connection: Connection,
    user_id: int,
    rules: Sequence[Rule],
    *,
    statement_id: int | None = None,
    statement_ids: Sequence[int] | None = None,
    overwrite: bool = False,
    include_manual: bool = False,
    on_progress: ProgressCallback | None = None,
) -> CategorizationResult:
    """Set the category of a user's transactions from ``rules``.

    Considers the user's transactions (only the statement's with ``statement_id``,
    only those statements' with ``statement_ids``: a batch's); without ``overwrite``
    only those without a category. Those whose category the user set or cleared by
    hand are left out unless ``include_manual``.
    Each considered transaction that a rule matches gets the winning rule's
    category, marked as the rules'; one that no rule matches is never modified
    (``overwrite`` does not clear categories, nor hand a manual pick to the rules).
    Only rows whose category (or its source) changes are written.

    Runs two transactions on ``connection``, which must not be in one: the first
    reads, matches and stages the changes in a temporary table, the second writes
    them with one UPDATE (only reads when nothing changes) and looks which of the
    statements read are still there: the counts leave out the rows of those deleted. On SQLite the first
    is a read transaction, so the task's progress writes (other connections) go on
    while it runs; one transaction that read and then wrote would fail at its first
    write once another connection had written ("database is locked"). An exception
    during matching (a cancel raised by ``on_progress``) writes nothing.

    ``on_progress(done, total)`` is called with rising ``done`` after each batch
    is matched (batches are at most a tenth of ``total``); the last call,
    ``(total, total)``, comes before the changed categories are written in one
    UPDATE, which can take most of the time when many rows change.
    """
    timer = _PhaseTimer()
    reach = _reach(user_id, statement_id, statement_ids, overwrite)
    source, by_hand = _transactions.c.category_source, CategorySource.MANUAL.value
    manual = source == by_hand
    # Not ~manual: NOT (NULL = 'manual') is NULL, which would leave out the uncategorized.
    candidates = reach if include_manual else and_(reach, source.is_distinct_from(by_hand))
    query = _candidates_query(candidates, include_manual)
    matcher = RuleMatcher(rules)
    # Per statement, so that the rows of one deleted before the run ends can be taken out:
    # (statement id, category; None: the rows no rule matched), and the manual picks kept.
    counts: Counter[tuple[int, str | None]] = Counter()
    kept: Counter[int] = Counter()
    done = 0
    stage = _Stage.for_connection(connection)
    with begin_read(connection):
        with timer.phase("count"):
            # Two counts rather than one over ``candidates``: the first can be read from
            # the (user_id, date) index alone, the second from the index of manual picks
            # (and their rows, for their statements).
            total = _count(connection, reach)
            if not include_manual:
                kept = _count_by_statement(connection, and_(reach, manual))
            total -= kept.total()
        batch_size = max(1, min(BATCH_SIZE, total // 10))
        # closing(): a cancel closes the server-side cursor before its transaction ends.
        with closing(_read_batches(connection, query, batch_size, timer)) as batches:
            for ids, statements, descriptions, thousandths, current in batches:
                with timer.phase("match"):
                    new = matcher.categories(descriptions, thousandths)
                    counts.update(zip(statements, new, strict=True))
                    # Only what changes is staged: re-running unchanged rules writes nothing.
                    changes = [
                        (id_, category)
                        for id_, category, old in zip(ids, new, current, strict=True)
                        if category is not None and category != old
                    ]
                if changes:
                    with timer.phase("stage"):
                        stage.add(changes)
                done += len(ids)
                if on_progress is not None:
                    on_progress(done, total)
        with timer.phase("stage"):
            stage.flush()
    written = 0
    # Rows deleted since they were read (their statement deleted by its owner) are in no
    # count, whether the run changed them or not: the statements left are looked up after
    # the UPDATE, in its transaction, or in one of their own when there is nothing to write.
    seen = {statement for statement, _ in counts} | kept.keys()
    if stage.staged:
        with timer.phase("update"), begin_write(connection):
            written = stage.apply(_write_guard(overwrite, include_manual))
            gone = _deleted_statements(connection, user_id, seen)
    else:
        with timer.phase("check"), begin_read(connection):
            gone = _deleted_statements(connection, user_id, seen)
    by_category: Counter[str] = Counter()
    uncategorized = 0
    for (statement, category), count in counts.items():
        if statement in gone:
            continue
        if category is None:
            uncategorized += count
        else:
            by_category[category] += count
    return CategorizationResult(
        categorized=by_category.total(),
        uncategorized=uncategorized,
        by_category=dict(by_category),
        written=written,
        manual_kept=sum(count for statement, count in kept.items() if statement not in gone),
        seconds=timer.seconds,
    )


def categorize_lines(
    rules: Sequence[Rule], lines: Sequence[tuple[str, Decimal]]
) -> list[str | None]:
    """The category ``rules`` give each ``(description, amount)`` line (``None``: no match).

    For transactions not stored yet (a statement being imported): the same matching
    as :func:`categorize_transactions`, amounts in thousandths as there.
    """
    if not rules or not lines:
        return [None] * len(lines)
    descriptions = [description for description, _ in lines]
    thousandths = [_thousandths(Decimal(amount), ROUND_HALF_UP) for _, amount in lines]
    return RuleMatcher(rules).categories(descriptions, thousandths)


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


def _reach(
    user_id: int, statement_id: int | None, statement_ids: Sequence[int] | None, overwrite: bool
) -> ColumnElement[bool]:
    """Which transactions to consider, manual picks included."""
    columns = _transactions.c
    conditions = [columns.user_id == user_id]
    if statement_id is not None:
        conditions.append(columns.statement_id == statement_id)
    if statement_ids is not None:
        conditions.append(columns.statement_id.in_(statement_ids))
    if not overwrite:
        conditions.append(columns.category.is_(None))
    return and_(*conditions)


def _count(connection: Connection, where: ColumnElement[bool]) -> int:
    count = select(func.count()).select_from(_transactions).where(where)
    return int(connection.execute(count).scalar_one())


def _count_by_statement(connection: Connection, where: ColumnElement[bool]) -> Counter[int]:
    statement = _transactions.c.statement_id
    count = select(statement, func.count()).where(where).group_by(statement)
    return Counter({int(statement_id): int(n) for statement_id, n in connection.execute(count)})


def _deleted_statements(connection: Connection, user_id: int, seen: set[int]) -> set[int]:
    """Which of the statements ``seen`` the user no longer has.

    A transaction is only ever deleted with its statement (``statement_store.delete_statement``,
    in one transaction, or with its user), so a statement that is still there has every
    row the run read, and one that is gone has none of them."""
    if not seen:
        return set()
    statements = Statement.__table__
    there = connection.scalars(select(statements.c.id).where(statements.c.user_id == user_id))
    return seen - set(there)


def _candidates_query(candidates: ColumnElement[bool], include_manual: bool) -> Select[Any]:
    """``(id, statement id, description, amount in thousandths, rule-made category)`` of the
    transactions to consider.

    The last is the category when a rule set it, and NULL for a manual pick (read only
    with ``include_manual``): a rule's match then differs from it, so the row is written
    and becomes the rule's even when the category stays the same.
    """
    columns = _transactions.c
    thousandths = cast(func.round(columns.amount * THOUSANDTHS_PER_UNIT), BigInteger)
    current: ColumnElement[Any] = columns.category
    if include_manual:
        is_manual = columns.category_source == CategorySource.MANUAL.value
        current = case((is_manual, None), else_=columns.category)
    return select(
        columns.id, columns.statement_id, columns.description, thousandths, current
    ).where(candidates)


def _write_guard(overwrite: bool, include_manual: bool) -> ColumnElement[bool]:
    """Which staged rows the UPDATE may still write: the reading transaction's test again,
    for rows changed in between (a category set by hand since is kept, unless
    ``include_manual``; without ``overwrite`` one set at all is)."""
    columns = _transactions.c
    source = columns.category_source
    conditions = []
    if not include_manual:
        conditions.append(source.is_distinct_from(CategorySource.MANUAL.value))
    if overwrite:
        conditions.append(
            columns.category.is_distinct_from(_pending.c.category)
            | source.is_distinct_from(CategorySource.RULE.value)
        )
    else:
        conditions.append(columns.category.is_(None))
    return and_(*conditions)


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


# Ids, descriptions, amounts in thousandths and current categories of a batch of transactions.
_Columns = tuple[list[int], list[int], list[str], list[int], list[str | None]]


def _read_batches(
    connection: Connection, query: Select[Any], batch_size: int, timer: _PhaseTimer
) -> Generator[_Columns]:
    """The query's rows as column lists, ``batch_size`` rows at a time."""
    rows_in_batches: Iterator[Sequence[Any]]
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
            ids, statements, descriptions, thousandths, categories = (
                list(column) for column in zip(*rows, strict=True)
            )
        yield ids, statements, descriptions, thousandths, categories


def _read_with_server_cursor(
    connection: Connection, query: Select[Any], batch_size: int
) -> Iterator[list[tuple[Any, ...]]]:
    """Stream a query through a psycopg2 named (server-side) cursor.

    The next batch is fetched by a thread while the caller matches this one: psycopg2
    waits for the server without holding the GIL, so the server's scan and the
    matching overlap. The cursor is used by one thread at a time (never both at once);
    the connection serializes the caller's COPYs with the fetches.
    """
    # render_postcompile expands IN lists (a batch's statement ids) into plain parameters.
    compiled = query.compile(
        dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
    )
    # Leaving the block (the end, an error, a cancel closing this generator) waits for
    # the fetch in flight, then closes the cursor.
    with (
        _driver_connection(connection).cursor(name="categorization_scan") as cursor,
        ThreadPoolExecutor(1, thread_name_prefix="categorization-read") as reader,
    ):
        cursor.execute(str(compiled), compiled.params)
        fetch = reader.submit(cursor.fetchmany, batch_size)
        while rows := fetch.result():
            fetch = reader.submit(cursor.fetchmany, batch_size)
            yield rows


def _is_psycopg2(connection: Connection) -> bool:
    return connection.dialect.name == "postgresql" and connection.dialect.driver == "psycopg2"


def _driver_connection(connection: Connection) -> Any:
    """The DB-API connection under ``connection`` (for psycopg2's cursors and COPY)."""
    driver = connection.connection.driver_connection
    if driver is None:
        raise RuntimeError("the connection has been closed")
    return driver


class _Stage:
    """The temporary table of pending changes, filled portably with ``executemany``.

    Made on the first change (none made, none to write), in the reading transaction.
    """

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.staged = 0

    @staticmethod
    def for_connection(connection: Connection) -> _Stage:
        return _CopyStage(connection) if _is_psycopg2(connection) else _Stage(connection)

    def add(self, changes: list[tuple[int, str]]) -> None:
        if not self.staged:
            self._create()
        self.connection.execute(
            insert(_pending), [{"id": id_, "category": cat} for id_, cat in changes]
        )
        self.staged += len(changes)

    def flush(self) -> None:
        """Finish staging, once every batch is read (still in the reading transaction)."""

    def _create(self) -> None:
        # A run that failed half-way may have left one on this (pooled) connection.
        _pending.drop(self.connection, checkfirst=True)
        _pending.create(self.connection)

    def apply(self, guard: ColumnElement[bool]) -> int:
        """Write the staged categories, as the rules', with one ``UPDATE ... FROM`` where
        ``guard`` holds (:func:`_write_guard`), drop the stage; the rows written (not those
        deleted or picked by hand since they were read)."""
        statement = (
            update(Transaction)
            .values(
                category=_pending.c.category,
                category_source=CategorySource.RULE.value,
            )
            .where(_transactions.c.id == _pending.c.id)
            .where(guard)
        )
        written = int(self.connection.execute(statement).rowcount)
        _pending.drop(self.connection)
        return written


class _CopyStage(_Stage):
    """The stage on PostgreSQL with psycopg2, filled with one ``COPY``.

    The changes wait in memory (~20 bytes a row) until :meth:`flush`: while batches
    are read, the next one is being fetched on the same connection by another
    thread, and a COPY must not run then.
    """

    def __init__(self, connection: Connection) -> None:
        super().__init__(connection)
        self._lines = io.StringIO()

    def add(self, changes: list[tuple[int, str]]) -> None:
        self._lines.writelines(f"{id_}\t{_copy_escape(category)}\n" for id_, category in changes)
        self.staged += len(changes)

    def flush(self) -> None:
        if not self.staged:
            return
        self._create()
        self._lines.seek(0)
        with _driver_connection(self.connection).cursor() as cursor:
            cursor.copy_expert(f"COPY {_pending.name} (id, category) FROM STDIN", self._lines)
        self._lines = io.StringIO()

    def apply(self, guard: ColumnElement[bool]) -> int:
        # Row counts let the planner pick a hash join instead of a nested loop.
        self.connection.exec_driver_sql(f"ANALYZE {_pending.name}")
        return super().apply(guard)


@functools.lru_cache(maxsize=1024)
def _copy_escape(text: str) -> str:
    """``text`` escaped for PostgreSQL's ``COPY`` text format."""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
