"""The set-based categorization against real databases: PostgreSQL and SQLite.

Every test runs on both, with the schema built by the migrations (tests/conftest.py).
categorize_transactions runs its own transactions, so each test commits its rows and
the fixture deletes them afterwards.
"""

from __future__ import annotations

import hashlib
import itertools
import random
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import Connection, Engine, delete, insert, select, update

from backend.db import get_engine
from backend.models import CategoryRule, Statement, Transaction, User
from backend.services.categorization import (
    CategorizationResult,
    Rule,
    categorize_transactions,
    load_rules,
)
from backend.services.statement_store import delete_statement, save_statement
from backend.services.statements import ParsedStatement, ParsedTransaction
from tests.conftest import truncate_all

# Runs in the PostgreSQL pass of `make test`, against PostgreSQL and SQLite both.
pytestmark = pytest.mark.postgres_only

USER, OTHER_USER = 1, 2
# Above the ids the statements sequence hands out to save_statement.
STATEMENT_A, STATEMENT_B, OTHER_STATEMENT = 101, 102, 103
# A statement of USER's that a test deletes (see ``doomed``),
DOOMED_STATEMENT = 900_001  # above the ids save_statement hands out, on SQLite too


@pytest.fixture(scope="module", params=["postgresql", "sqlite"])
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """The migrated test database (PostgreSQL) or a migrated SQLite file, with two users."""
    if request.param == "postgresql":
        request.getfixturevalue("database")
        engine = get_engine()
    else:
        engine = request.getfixturevalue("sqlite_engine")
    truncate_all(engine)
    with engine.begin() as connection:
        connection.execute(
            insert(User),
            [
                {"id": i, "email": f"u{i}@example.com", "password_hash": "x"}
                for i in (USER, OTHER_USER)
            ],
        )
        connection.execute(
            insert(Statement),
            [
                {"id": sid, "user_id": uid, "file_sha256": str(sid), "balance_check": "ok"}
                for sid, uid in (
                    (STATEMENT_A, USER),
                    (STATEMENT_B, USER),
                    (OTHER_STATEMENT, OTHER_USER),
                )
            ],
        )
    yield engine
    truncate_all(engine)


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    """A connection outside any transaction; the rows a test adds are deleted after it."""
    try:
        with engine.connect() as connection:
            yield connection
            connection.rollback()
    finally:
        with engine.begin() as cleanup:
            cleanup.execute(delete(Transaction))
            cleanup.execute(delete(CategoryRule))


# (statement, description, amount, category already set)
LINES = [
    (STATEMENT_A, "CARD PAYMENT TO TESCO STORES 1234", "-12.50", None),
    (STATEMENT_A, "Netflix.com", "-9.99", None),
    (STATEMENT_A, "SALARY ACME", "2500.00", None),
    (STATEMENT_A, "TESCO EXPRESS", "-3.00", "Manual"),
    (STATEMENT_A, "Café Ñandú", "-4.20", None),
    (STATEMENT_A, "Unknown shop", "-5.00", None),
    (STATEMENT_B, "tesco online", "-80.00", None),
    (STATEMENT_B, "AMAZON REFUND", "20.00", None),
    (OTHER_STATEMENT, "TESCO", "-10.00", None),
]
RULES = [
    Rule("tesco", "contains", "Groceries"),
    Rule(r"^netflix\b", "regex", "Subscriptions"),
    Rule("salary acme", "exact", "Income", direction="credit"),
    Rule("amazon", "contains", "Refunds", direction="credit"),
    Rule("CAFÉ", "contains", "Coffee", amount_max=Decimal("5")),
]


def add_transactions(
    connection: Connection,
    lines: list[tuple[int, str, str, str | None]],
    sources: list[str | None] | None = None,
) -> None:
    """Insert and commit statement lines: STATEMENT_A and _B are USER's, the other OTHER_USER's;
    ``sources``: each line's category_source (none given: NULL, as a category set before the
    column existed, which counts as the rules')."""
    sources = sources or [None] * len(lines)
    with connection.begin():
        connection.execute(
            insert(Transaction),
            [
                {
                    "statement_id": statement,
                    "user_id": OTHER_USER if statement == OTHER_STATEMENT else USER,
                    "position": position,
                    "date": date(2026, 11, 1),
                    "description": description,
                    "amount": Decimal(amount),
                    "category": category,
                    "category_source": source,
                }
                for position, ((statement, description, amount, category), source) in enumerate(
                    zip(lines, sources, strict=True)
                )
            ],
        )


def categories(connection: Connection) -> dict[str, str | None]:
    """Each transaction's category, by description (descriptions are unique here)."""
    with connection.begin():
        rows = connection.execute(select(Transaction.description, Transaction.category)).all()
    return {description: category for description, category in rows}


@pytest.fixture
def seeded(connection: Connection) -> Connection:
    add_transactions(connection, LINES)
    return connection


def test_categorizes_only_the_users_uncategorized_transactions(seeded: Connection) -> None:
    result = categorize_transactions(seeded, USER, RULES)

    assert result == CategorizationResult(
        categorized=6,
        uncategorized=1,
        by_category={"Groceries": 2, "Subscriptions": 1, "Income": 1, "Refunds": 1, "Coffee": 1},
        written=6,
    )
    assert categories(seeded) == {
        "CARD PAYMENT TO TESCO STORES 1234": "Groceries",
        "Netflix.com": "Subscriptions",
        "SALARY ACME": "Income",
        "TESCO EXPRESS": "Manual",
        "Café Ñandú": "Coffee",
        "Unknown shop": None,
        "tesco online": "Groceries",
        "AMAZON REFUND": "Refunds",
        "TESCO": None,
    }


def test_statement_id_limits_the_transactions_considered(seeded: Connection) -> None:
    result = categorize_transactions(seeded, USER, RULES, statement_id=STATEMENT_B)

    assert result == CategorizationResult(2, 0, {"Groceries": 1, "Refunds": 1}, written=2)
    changed = {d: c for d, c in categories(seeded).items() if c not in (None, "Manual")}
    assert changed == {"tesco online": "Groceries", "AMAZON REFUND": "Refunds"}


def test_another_users_statement_changes_nothing(seeded: Connection) -> None:
    result = categorize_transactions(seeded, USER, RULES, statement_id=OTHER_STATEMENT)

    assert result == CategorizationResult(0, 0, {})
    assert categories(seeded)["TESCO"] is None


def test_overwrite_recategorizes_matches_and_keeps_unmatched_categories(seeded: Connection) -> None:
    with seeded.begin():
        seeded.execute(
            update(Transaction)
            .where(Transaction.description == "Unknown shop")
            .values(category="Old")
        )

    result = categorize_transactions(seeded, USER, RULES, overwrite=True)

    assert result == CategorizationResult(
        categorized=7,
        uncategorized=1,
        by_category={"Groceries": 3, "Subscriptions": 1, "Income": 1, "Refunds": 1, "Coffee": 1},
        written=7,  # the six uncategorized that match, and TESCO EXPRESS's "Manual"
    )
    after = categories(seeded)
    assert after["TESCO EXPRESS"] == "Groceries"
    assert after["Unknown shop"] == "Old"
    assert after["TESCO"] is None


def test_a_second_run_finds_nothing_left_to_do(seeded: Connection) -> None:
    categorize_transactions(seeded, USER, RULES)

    assert categorize_transactions(seeded, USER, RULES) == CategorizationResult(0, 1, {})


def test_categories_are_written_verbatim(seeded: Connection) -> None:
    odd = "Food\tdrink \\N\n100%"
    categorize_transactions(
        seeded, USER, [Rule("tesco", "contains", odd)], statement_id=STATEMENT_B
    )

    assert categories(seeded)["tesco online"] == odd


class Cancelled(Exception):
    pass


def test_a_cancel_while_matching_writes_nothing(seeded: Connection) -> None:
    def cancel(done: int, total: int) -> None:
        raise Cancelled()

    with pytest.raises(Cancelled):
        categorize_transactions(seeded, USER, RULES, on_progress=cancel)

    assert set(categories(seeded).values()) == {None, "Manual"}
    # The connection is usable again (no transaction or stage left half-open).
    assert categorize_transactions(seeded, USER, RULES).categorized == 6


@pytest.mark.parametrize("count", [1, 7, 100, 2345])
def test_progress_rises_in_steps_of_at_most_a_tenth_to_the_total(
    connection: Connection, count: int
) -> None:
    add_transactions(connection, [(STATEMENT_A, f"line {i}", "-1", None) for i in range(count)])
    calls: list[tuple[int, int]] = []

    categorize_transactions(connection, USER, RULES, on_progress=lambda *call: calls.append(call))

    done = [0] + [d for d, _ in calls]
    assert {total for _, total in calls} == {count}
    assert done[-1] == count
    assert all(0 < b - a <= max(1, count / 10) for a, b in itertools.pairwise(done))


def test_matches_the_reference_on_many_random_lines(connection: Connection) -> None:
    """The batched, set-based path gives each transaction the same category as Rule.matches."""
    rng = random.Random(3)
    words = ["TESCO", "netflix", "Amazon", "salary acme", "café", "Uber", "x", " "]
    lines = [
        (
            rng.choice((STATEMENT_A, STATEMENT_B)),
            f"{i} " + " ".join(rng.choice(words) for _ in range(rng.randrange(4))),
            str(Decimal(rng.randrange(-900, 900)) / 100),
            None,
        )
        for i in range(3000)
    ]
    add_transactions(connection, lines)

    result = categorize_transactions(connection, USER, RULES)

    expected = {
        description: next(
            (r.category for r in RULES if r.matches(description, Decimal(amount))), None
        )
        for _, description, amount, _ in lines
    }
    assert categories(connection) == expected
    assert result.categorized == sum(category is not None for category in expected.values())


def test_load_rules_lists_the_users_rules_oldest_first(connection: Connection) -> None:
    common = {"priority": 0, "amount_min": None, "amount_max": None, "direction": None}
    saved = [
        {"user_id": USER, "pattern": "b", "match_type": "regex", "category": "B", "priority": 2},
        {"user_id": OTHER_USER, "pattern": "x", "match_type": "exact", "category": "X"},
        {
            "user_id": USER,
            "pattern": "a",
            "match_type": "contains",
            "category": "A",
            "amount_min": Decimal("1.50"),
            "direction": "debit",
        },
    ]
    connection.execute(insert(CategoryRule), [{**common, **rule} for rule in saved])

    assert load_rules(connection, USER) == [
        Rule("b", "regex", "B", priority=2),
        Rule("a", "contains", "A", amount_min=Decimal("1.5"), direction="debit"),
    ]


def test_rerunning_unchanged_rules_writes_no_row(seeded: Connection) -> None:
    first = categorize_transactions(seeded, USER, RULES, overwrite=True)
    before = categories(seeded)

    again = categorize_transactions(seeded, USER, RULES, overwrite=True)

    assert first.written == 7
    # Every match is still counted, none is written: the categories are already those.
    assert again == CategorizationResult(
        categorized=7,
        uncategorized=1,
        by_category={"Groceries": 3, "Subscriptions": 1, "Income": 1, "Refunds": 1, "Coffee": 1},
        written=0,
    )
    assert categories(seeded) == before


def test_a_changed_rule_writes_only_the_rows_it_moves(seeded: Connection) -> None:
    categorize_transactions(seeded, USER, RULES, overwrite=True)
    renamed = [Rule("tesco", "contains", "Food"), *RULES[1:]]

    result = categorize_transactions(seeded, USER, renamed, overwrite=True)

    assert result.written == 3  # the user's three TESCO lines; the others already match
    after = categories(seeded)
    assert [d for d, c in after.items() if c == "Food"] == [
        "CARD PAYMENT TO TESCO STORES 1234",
        "TESCO EXPRESS",
        "tesco online",
    ]
    assert after["TESCO"] is None  # someone else's


def save_rules(connection: Connection, user_id: int, rules: list[Rule]) -> None:
    """Store ``rules`` as ``user_id``'s saved rules (in this order, so oldest first)."""
    with connection.begin():
        connection.execute(
            insert(CategoryRule),
            [
                {
                    "user_id": user_id,
                    "pattern": rule.pattern,
                    "match_type": str(rule.match_type),
                    "category": rule.category,
                    "priority": rule.priority,
                    "amount_min": rule.amount_min,
                    "amount_max": rule.amount_max,
                    "direction": None if rule.direction is None else str(rule.direction),
                }
                for rule in rules
            ],
        )


def import_statement(connection: Connection, user_id: int, lines: list[tuple[str, str]]) -> int:
    """Save a parsed statement of ``(description, amount)`` lines as the parse task does."""
    parsed = ParsedStatement(
        bank_source="Test Bank",
        account_last4="0001",
        period_start=None,
        period_end=None,
        opening_balance=None,
        closing_balance=None,
        balance_check="unavailable",
        balance_mismatch_rows=0,
        page_count=1,
        transactions=tuple(
            ParsedTransaction(date(2026, 11, 2), description, Decimal(amount), None)
            for description, amount in lines
        ),
    )
    with connection.begin():
        digest = hashlib.sha256(repr((user_id, lines)).encode()).hexdigest()
        return save_statement(connection, user_id, digest, parsed).first


def test_an_imported_statement_gets_the_users_rules_at_once(connection: Connection) -> None:
    save_rules(connection, USER, RULES)
    lines = [(description, amount) for _, description, amount, _ in LINES]

    statement_id = import_statement(connection, USER, lines)
    other_users = import_statement(connection, OTHER_USER, [("TESCO", "-10.00")])

    with connection.begin():
        rows = connection.execute(
            select(
                Transaction.statement_id,
                Transaction.description,
                Transaction.category,
                Transaction.category_source,
            ).order_by(Transaction.id)
        ).all()
    expected = {
        description: next((r.category for r in RULES if r.matches(description, Decimal(a))), None)
        for description, a in lines
    }
    assert {d: c for s, d, c, _ in rows if s == statement_id} == expected
    assert expected["TESCO EXPRESS"] == "Groceries" and expected["Unknown shop"] is None
    # The rules' categories are marked as theirs; no category, no source.
    assert {d: src for s, d, c, src in rows if s == statement_id} == {
        d: None if c is None else "rule" for d, c in expected.items()
    }
    assert [(s, c, src) for s, _, c, src in rows if s != statement_id] == [
        (other_users, None, None)
    ]
    # The bulk run has nothing left to write.
    assert categorize_transactions(connection, USER, RULES, overwrite=True).written == 0


def random_rules(rng: random.Random) -> list[Rule]:
    """A mix of every rule kind, with clashing priorities, bounds and directions."""
    patterns = [
        ("tesco", "contains"),
        ("TESCO STORES", "contains"),
        ("amazon", "contains"),
        ("straße", "contains"),
        ("uber", "exact"),
        ("Netflix.com", "exact"),
        (r"^uber\b", "regex"),
        (r"\b(shell|bp)\b", "regex"),
        (r"\d{4}$", "regex"),
        (r"café|cafe", "regex"),
        (r"ı", "regex"),
    ]
    rules = []
    for pattern, match_type in rng.sample(patterns, rng.randrange(3, len(patterns))):
        low = rng.choice([None, Decimal(rng.randrange(0, 500)) / 100])
        high = rng.choice([None, Decimal(rng.randrange(500, 900)) / 100])
        rules.append(
            Rule(
                pattern,
                match_type,
                rng.choice(["A", "B", "C", "D"]),
                priority=rng.randrange(-1, 3),
                amount_min=low,
                amount_max=high,
                direction=rng.choice([None, "debit", "credit"]),
            )
        )
    return rules


def reference(rules: list[Rule], description: str, amount: str) -> str | None:
    """The winner by the rules' definition: highest priority, then earliest, that matches."""
    ranked = sorted(rules, key=lambda rule: -rule.priority)
    return next((r.category for r in ranked if r.matches(description, Decimal(amount))), None)


@pytest.mark.parametrize("seed", range(4))
def test_random_rules_give_the_reference_categories_and_write_only_changes(
    connection: Connection, seed: int
) -> None:
    """Property: on random rules and lines, every row ends with the reference's winner
    (or keeps its category when nothing matches), and ``written`` counts the rows changed."""
    rng = random.Random(seed)
    words = ["TESCO", "stores", "Amazon", "STRASSE", "straße", "uber", "Netflix.com", "shell",
             "bp", "café", "CAFE", "I", "ı", "1234", "x", " "]
    lines = [
        (
            rng.choice((STATEMENT_A, STATEMENT_B)),
            f"{i:04}:" * rng.randrange(2) + " ".join(
                rng.choice(words) for _ in range(rng.randrange(1, 4))
            ),
            str(Decimal(rng.randrange(-1000, 1000)) / 100),
            rng.choice([None, None, "Manual", "A"]),
        )
        for i in range(1500)
    ]
    add_transactions(connection, lines)
    with connection.begin():
        ids = connection.execute(select(Transaction.id).order_by(Transaction.id)).scalars().all()
    state = {id_: category for id_, (_, _, _, category) in zip(ids, lines, strict=True)}
    for overwrite, rules in ((False, random_rules(rng)), (True, random_rules(rng))):
        expected = dict(state)
        for id_, (_, description, amount, _) in zip(ids, lines, strict=True):
            if overwrite or state[id_] is None:
                expected[id_] = reference(rules, description, amount) or state[id_]

        result = categorize_transactions(connection, USER, rules, overwrite=overwrite)

        with connection.begin():
            rows = connection.execute(select(Transaction.id, Transaction.category)).all()
        assert dict(rows) == expected
        assert result.written == sum(expected[i] != state[i] for i in ids)
        state = expected


def sources(connection: Connection) -> dict[str, tuple[str | None, str | None]]:
    """Each transaction's (category, category_source), by description."""
    with connection.begin():
        rows = connection.execute(
            select(Transaction.description, Transaction.category, Transaction.category_source)
        ).all()
    return {description: (category, source) for description, category, source in rows}


# (statement, description, amount, category, source): what a user has after an import,
# two picks by hand and a third that cleared a category by hand.
PICKED = [
    (STATEMENT_A, "TESCO STORES", "-12.50", "Groceries", "rule"),
    (STATEMENT_A, "TESCO PETROL", "-60.00", "Fuel", "manual"),
    (STATEMENT_A, "TESCO MOBILE", "-15.00", None, "manual"),
    (STATEMENT_B, "tesco online", "-80.00", "Groceries", "manual"),
    (STATEMENT_B, "Netflix.com", "-9.99", None, None),
]


@pytest.fixture
def picked(connection: Connection) -> Connection:
    add_transactions(
        connection, [line[:4] for line in PICKED], [line[4] for line in PICKED]
    )
    return connection


def test_overwrite_changes_the_rules_categories_and_keeps_the_picks_by_hand(
    picked: Connection,
) -> None:
    """The QA report: re-applying an edited rule with overwrite wiped the manual picks."""
    edited = [Rule("tesco", "contains", "Food"), *RULES[1:]]

    result = categorize_transactions(picked, USER, edited, overwrite=True)

    assert sources(picked) == {
        "TESCO STORES": ("Food", "rule"),
        "TESCO PETROL": ("Fuel", "manual"),
        "TESCO MOBILE": (None, "manual"),  # no category, by hand, is a pick too
        "tesco online": ("Groceries", "manual"),
        "Netflix.com": ("Subscriptions", "rule"),
    }
    assert result == CategorizationResult(
        categorized=2, uncategorized=0, by_category={"Food": 1, "Subscriptions": 1},
        written=2, manual_kept=3,
    )


def test_without_overwrite_a_category_cleared_by_hand_stays_cleared(picked: Connection) -> None:
    result = categorize_transactions(picked, USER, RULES)

    assert sources(picked)["TESCO MOBILE"] == (None, "manual")
    assert sources(picked)["Netflix.com"] == ("Subscriptions", "rule")
    # Only the uncategorized are in reach without overwrite: of the picks, the cleared one.
    assert (result.categorized, result.written, result.manual_kept) == (1, 1, 1)


def test_include_manual_hands_the_picks_to_the_rules(picked: Connection) -> None:
    result = categorize_transactions(picked, USER, RULES, overwrite=True, include_manual=True)

    assert sources(picked) == {
        "TESCO STORES": ("Groceries", "rule"),
        "TESCO PETROL": ("Groceries", "rule"),
        "TESCO MOBILE": ("Groceries", "rule"),
        # The rule's category already: written all the same, to make it the rules'.
        "tesco online": ("Groceries", "rule"),
        "Netflix.com": ("Subscriptions", "rule"),
    }
    assert (result.categorized, result.written, result.manual_kept) == (5, 4, 0)
    again = categorize_transactions(picked, USER, RULES, overwrite=True, include_manual=True)
    assert again.written == 0


def test_include_manual_without_overwrite_fills_only_what_was_cleared_by_hand(
    picked: Connection,
) -> None:
    result = categorize_transactions(picked, USER, RULES, include_manual=True)

    after = sources(picked)
    assert after["TESCO MOBILE"] == ("Groceries", "rule")
    assert after["TESCO PETROL"] == ("Fuel", "manual")
    assert (result.categorized, result.written, result.manual_kept) == (2, 2, 0)


def test_a_pick_made_while_a_run_matches_is_not_overwritten(
    engine: Engine, picked: Connection
) -> None:
    """The write repeats the read's test: a PATCH between the two keeps its pick."""

    def pick_by_hand(done: int, total: int) -> None:
        if done == total:  # matched, not written yet
            with engine.begin() as other:
                other.execute(
                    update(Transaction)
                    .where(Transaction.description == "TESCO STORES")
                    .values(category="Treats", category_source="manual")
                )

    edited = [Rule("tesco", "contains", "Food"), *RULES[1:]]
    result = categorize_transactions(picked, USER, edited, overwrite=True, on_progress=pick_by_hand)

    assert sources(picked)["TESCO STORES"] == ("Treats", "manual")
    assert result.written == 1  # Netflix only


@pytest.mark.parametrize("seed", range(3))
def test_random_picks_are_kept_unless_included(connection: Connection, seed: int) -> None:
    """Property: over rows in every state (uncategorized, the rules', picked or cleared by
    hand) and every (overwrite, include_manual), a row in reach gets the reference winner
    as the rules', any other row is unchanged, ``written`` counts the changed rows and
    ``manual_kept`` the picks left out."""
    rng = random.Random(seed)
    words = ["TESCO", "stores", "Amazon", "uber", "Netflix.com", "shell", "café", "1234", "x"]
    states = [(None, None), ("A", "rule"), ("B", "manual"), (None, "manual"), ("A", "manual")]
    lines, line_sources = [], []
    for i in range(600):
        category, source = rng.choice(states)
        description = f"{i:04} " + " ".join(rng.choice(words) for _ in range(rng.randrange(1, 4)))
        amount = str(Decimal(rng.randrange(-1000, 1000)) / 100)
        lines.append((rng.choice((STATEMENT_A, STATEMENT_B)), description, amount, category))
        line_sources.append(source)
    add_transactions(connection, lines, line_sources)
    state = {line[1]: (line[3], source) for line, source in zip(lines, line_sources, strict=True)}
    for overwrite, include_manual in itertools.product((False, True), repeat=2):
        rules = random_rules(rng)
        expected, kept = dict(state), 0
        for _, description, amount, _ in lines:
            category, source = state[description]
            if not (overwrite or category is None):
                continue
            if source == "manual" and not include_manual:
                kept += 1
                continue
            winner = reference(rules, description, amount)
            if winner is not None:
                expected[description] = (winner, "rule")

        result = categorize_transactions(
            connection, USER, rules, overwrite=overwrite, include_manual=include_manual
        )

        assert sources(connection) == expected
        assert result.written == sum(expected[d] != state[d] for d in state)
        assert result.manual_kept == kept
        state = expected


# Accented text in either Unicode normalization form: é as one code point (NFC, as typed on
# most keyboards) or as e and U+0301 (NFD: a PDF that draws the accent as its own glyph
# gives that, and so does text pasted from macOS file names).
ACCENT_RULES = [
    Rule("cafe\u0301", "contains", "Coffee"),  # decomposed pattern
    Rule("zoë", "exact", "Friends"),  # composed pattern
    Rule("^cre\u0300me ", "regex", "Dessert"),  # decomposed regex
    Rule("^ñandú", "regex", "Travel"),  # composed regex
]
ACCENT_CATEGORIES = {
    "CAFÉ NERO": "Coffee",  # composed
    "ZOE\u0308": "Friends",  # decomposed, upper case
    "Crème brûlée": "Dessert",  # composed
    "N\u0303andu\u0301 tours": "Travel",  # decomposed
    "cafe tours": None,  # a letter without its accent is another letter
}


def test_rules_match_whatever_the_normalization_form_of_either_side(
    connection: Connection,
) -> None:
    """Stored rows (the bulk run), a statement being imported, and the reference match
    the same letters however their accents are encoded; what is stored is left as read."""
    add_transactions(connection, [(STATEMENT_A, text, "-1.00", None) for text in ACCENT_CATEGORIES])
    categorize_transactions(connection, USER, ACCENT_RULES)
    assert categories(connection) == ACCENT_CATEGORIES

    with connection.begin():
        connection.execute(delete(Transaction))
    save_rules(connection, USER, ACCENT_RULES)
    import_statement(connection, USER, [(text, "-1.00") for text in ACCENT_CATEGORIES])
    assert categories(connection) == ACCENT_CATEGORIES

    assert {
        text: next((r.category for r in ACCENT_RULES if r.matches(text, Decimal(-1))), None)
        for text in ACCENT_CATEGORIES
    } == ACCENT_CATEGORIES


@pytest.fixture
def doomed(engine: Engine, seeded: Connection) -> Iterator[int]:
    """A statement of USER's beside STATEMENT_A and _B, for a test to delete."""
    with engine.begin() as connection:
        connection.execute(insert(Statement).values(
            id=DOOMED_STATEMENT, user_id=USER, file_sha256="doomed", balance_check="ok",
        ))
    yield DOOMED_STATEMENT
    with engine.begin() as connection:
        delete_statement(connection, DOOMED_STATEMENT)


@pytest.mark.parametrize("written_before", [False, True], ids=["changes", "nothing-to-write"])
def test_transactions_deleted_while_a_run_matches_are_in_no_count(
    engine: Engine, seeded: Connection, doomed: int, written_before: bool
) -> None:
    """The run reads and matches in one transaction and writes in another. A statement's
    transactions deleted by its owner in between (DELETE /statements/{id}) were counted as
    categorized, in ``by_category`` too, though the write found none of them to change;
    since that was fixed for the rows the run changes, those it matched and left as they
    were (their category already the rule's) and those no rule matched were still counted,
    also when the run had nothing to write at all. The result counts only the rows there
    when the run ends, whatever it did with them."""
    if written_before:  # STATEMENT_A's and _B's rows have the rules' categories already
        categorize_transactions(seeded, USER, RULES, overwrite=True)
    doomed_lines = [
        (doomed, "TESCO METRO 7", "-2.00", "Groceries"),  # matched, unchanged
        (doomed, "Nothing matches this", "-1.00", None),  # matched by no rule
    ]
    if not written_before:
        doomed_lines.append((doomed, "TESCO METRO 8", "-3.00", None))  # matched, changed
    add_transactions(seeded, doomed_lines)

    def delete_the_statement(done: int, total: int) -> None:
        if done == total:  # matched, not written yet
            with engine.begin() as other:
                delete_statement(other, doomed)

    result = categorize_transactions(
        seeded, USER, RULES, overwrite=True, on_progress=delete_the_statement
    )

    # STATEMENT_A's and _B's rows only: the doomed statement's three are gone.
    assert result == CategorizationResult(
        categorized=7,
        uncategorized=1,
        by_category={"Groceries": 3, "Subscriptions": 1, "Income": 1, "Coffee": 1, "Refunds": 1},
        written=0 if written_before else 7,
    )
    assert not any(text.startswith("TESCO METRO") for text in categories(seeded))


def test_a_manual_pick_deleted_while_a_run_matches_is_not_counted_as_kept(
    engine: Engine, seeded: Connection, doomed: int
) -> None:
    """``manual_kept`` counts the picks by hand in the run's reach; one whose statement is
    deleted before the run ends is no longer there to be kept."""
    add_transactions(seeded, [(doomed, "TESCO METRO 9", "-2.00", "Treats")], sources=["manual"])

    def delete_the_statement(done: int, total: int) -> None:
        if done == total:
            with engine.begin() as other:
                delete_statement(other, doomed)

    result = categorize_transactions(
        seeded, USER, RULES, overwrite=True, on_progress=delete_the_statement
    )
    assert (result.manual_kept, result.categorized, result.uncategorized) == (0, 7, 1)
