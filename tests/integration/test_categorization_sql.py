"""The set-based categorization against real databases: PostgreSQL and SQLite.

Every test runs on both, with the schema built by the migrations (tests/conftest.py).
categorize_transactions runs its own transactions, so each test commits its rows and
the fixture deletes them afterwards.
"""

from __future__ import annotations

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
from tests.conftest import truncate_all

# Runs in the PostgreSQL pass of `make test`, against PostgreSQL and SQLite both.
pytestmark = pytest.mark.postgres_only

USER, OTHER_USER = 1, 2
STATEMENT_A, STATEMENT_B, OTHER_STATEMENT = 1, 2, 3


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


def add_transactions(connection: Connection, lines: list[tuple[int, str, str, str | None]]) -> None:
    """Insert and commit statement lines; statements 1 and 2 are USER's, 3 is OTHER_USER's."""
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
                }
                for position, (statement, description, amount, category) in enumerate(lines)
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

    assert result == CategorizationResult(2, 0, {"Groceries": 1, "Refunds": 1})
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
