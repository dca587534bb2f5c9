"""Pure rule logic of the categorization service: validation and matching, no database."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from backend.services.categorization import Direction, MatchType, Rule, RuleMatcher
from backend.services.errors import InvalidInputError


def winners(rules: list[Rule], lines: list[tuple[str, str]]) -> list[str | None]:
    """The winning category of each ``(description, amount)`` line, via RuleMatcher."""
    descriptions = [description for description, _ in lines]
    cents = [int(Decimal(amount) * 100) for _, amount in lines]
    return [
        None if rule is None else rule.category
        for rule in RuleMatcher(rules).match(descriptions, cents)
    ]


class TestTextMatching:
    def test_contains_is_case_insensitive(self) -> None:
        rule = Rule("tesco", "contains", "Groceries")
        assert rule.matches("CARD PAYMENT TO TESCO STORES 1234", Decimal("-5"))
        assert rule.matches("Tesco Express", Decimal("-5"))
        assert not rule.matches("TESC O", Decimal("-5"))

    def test_contains_uses_full_casefolding(self) -> None:
        assert Rule("STRASSE", "contains", "Road").matches("straße 5", Decimal("-1"))

    def test_exact_must_equal_the_whole_description(self) -> None:
        rule = Rule("Interest Paid", "exact", "Interest")
        assert rule.matches("INTEREST PAID", Decimal("1"))
        assert not rule.matches("INTEREST PAID GROSS", Decimal("1"))
        assert not rule.matches("NET INTEREST PAID", Decimal("1"))

    def test_regex_searches_anywhere_ignoring_case(self) -> None:
        rule = Rule(r"uber\s*\*\s*(eats|trip)", "regex", "Transport")
        assert rule.matches("POS UBER * TRIP LONDON", Decimal("-9"))
        assert rule.matches("uber*eats", Decimal("-9"))
        assert not rule.matches("UBER BV", Decimal("-9"))

    def test_regex_anchors_apply_to_each_description(self) -> None:
        rule = Rule(r"^dd\b", "regex", "Direct debits")
        assert winners([rule], [("DD NETFLIX", "-1"), ("ADD ON", "-1"), ("X DD", "-1")]) == [
            "Direct debits",
            None,
            None,
        ]

    def test_fields_are_normalized(self) -> None:
        rule = Rule("x", "regex", "C", amount_min=5, amount_max="7.5", direction="debit")
        assert rule.match_type is MatchType.REGEX
        assert rule.direction is Direction.DEBIT
        assert (rule.amount_min, rule.amount_max) == (Decimal("5"), Decimal("7.5"))


class TestAmountConditions:
    @pytest.mark.parametrize(
        ("amount", "expected"),
        [("-9.99", False), ("-10.00", True), ("-20.00", True), ("-20.01", False), ("15", True)],
    )
    def test_bounds_are_inclusive_on_the_absolute_amount(self, amount: str, expected: bool) -> None:
        rule = Rule(
            "shop", "contains", "Shopping", amount_min=Decimal("10"), amount_max=Decimal("20")
        )
        assert rule.matches("SHOP", Decimal(amount)) is expected

    def test_inexact_bounds_round_inwards(self) -> None:
        rule = Rule(
            "shop", "contains", "S", amount_min=Decimal("1.005"), amount_max=Decimal("2.009")
        )
        assert not rule.matches("shop", Decimal("1.00"))
        assert rule.matches("shop", Decimal("1.01"))
        assert rule.matches("shop", Decimal("-2.00"))
        assert not rule.matches("shop", Decimal("-2.01"))

    @pytest.mark.parametrize(
        ("direction", "amount", "expected"),
        [
            ("debit", "-1", True),
            ("debit", "1", False),
            ("debit", "0", False),
            ("credit", "1", True),
            ("credit", "-1", False),
            ("credit", "0", False),
            (None, "0", True),
        ],
    )
    def test_direction(self, direction: str | None, amount: str, expected: bool) -> None:
        rule = Rule("acme", "contains", "C", direction=direction)
        assert rule.matches("ACME LTD", Decimal(amount)) is expected


class TestPriority:
    def test_largest_priority_wins_whatever_the_order(self) -> None:
        low = Rule("amazon", "contains", "Shopping", priority=1)
        high = Rule("amazon prime", "contains", "Subscriptions", priority=5)
        lines = [("AMAZON PRIME MEMBERSHIP", "-8.99"), ("AMAZON MKTP", "-20")]
        assert winners([low, high], lines) == ["Subscriptions", "Shopping"]
        assert winners([high, low], lines) == ["Subscriptions", "Shopping"]

    def test_the_earlier_rule_wins_a_tie(self) -> None:
        first = Rule("uber", "contains", "Transport")
        second = Rule(r"eats", "regex", "Takeaway")
        assert winners([first, second], [("UBER EATS", "-5")]) == ["Transport"]
        assert winners([second, first], [("UBER EATS", "-5")]) == ["Takeaway"]

    def test_a_rule_failing_its_amount_condition_lets_the_next_one_win(self) -> None:
        refund = Rule("amazon", "contains", "Refunds", direction="credit", priority=9)
        shopping = Rule("amazon", "contains", "Shopping")
        lines = [("AMAZON", "-5"), ("AMAZON", "5")]
        assert winners([refund, shopping], lines) == ["Shopping", "Refunds"]


class TestValidation:
    def test_invalid_regex_is_rejected_with_the_reason(self) -> None:
        with pytest.raises(InvalidInputError) as raised:
            Rule("ab(", "regex", "X")
        assert str(raised.value) == (
            "Invalid regex 'ab(': missing ), unterminated subpattern at position 2"
        )

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"pattern": ""}, "The pattern must not be empty"),
            ({"pattern": "   "}, "The pattern must not be empty"),
            ({"category": ""}, "The category must not be empty"),
            ({"category": "x" * 101}, "The category must be at most 100 characters long"),
            ({"pattern": "x" * 501}, "The pattern must be at most 500 characters long"),
            ({"match_type": "glob"}, "Unknown match type 'glob'"),
            ({"direction": "out"}, "Unknown direction 'out'"),
            ({"amount_min": 10, "amount_max": 5}, "amount_min (10) must not be greater"),
            ({"amount_min": -1}, "amount_min must be a non-negative number"),
            ({"amount_max": "ten"}, "amount_max must be a number, not 'ten'"),
            ({"amount_max": float("nan")}, "amount_max must be a non-negative number"),
            ({"priority": "high"}, "Priority must be a whole number"),
            ({"pattern": "tab\there"}, "must not contain control characters"),
        ],
    )
    def test_invalid_fields_are_rejected(self, fields: dict[str, object], message: str) -> None:
        arguments: dict[str, object] = {
            "pattern": "shop",
            "match_type": "contains",
            "category": "C",
        }
        with pytest.raises(
            InvalidInputError, match=message.replace("(", r"\(").replace(")", r"\)")
        ):
            Rule(**{**arguments, **fields})  # type: ignore[arg-type]

    def test_equal_bounds_are_accepted(self) -> None:
        assert Rule("x", "contains", "C", amount_min=5, amount_max=5).matches("x", Decimal("-5"))


class TestRegexPrefilter:
    """The batch matcher only runs a regex on rows holding one of its required literals."""

    @pytest.mark.parametrize(
        ("pattern", "needles"),
        [
            (r"\b(shell|bp|esso)\b", ("bp", "esso", "shell")),
            (r"(booking\.com|airbnb).*\d", ("airbnb", "booking.com")),
            (r"^Uber \*eats", ("uber *eats",)),
            (r"(?:card )?payment", ("payment",)),
            (r"x(ab)+y", ("ab",)),
            (r"a.b|cd", ()),
            (r"(abc)?", ()),
            (r"shop|s", ()),
            (r"café", ()),
        ],
    )
    def test_required_literals(self, pattern: str, needles: tuple[str, ...]) -> None:
        assert Rule(pattern, "regex", "C")._needles == needles

    def test_matcher_agrees_with_the_reference_on_tricky_text(self) -> None:
        rules = [
            Rule("bill", "regex", "Bills"),
            Rule("STRASSE", "contains", "Road"),
            Rule("kelvin", "contains", "Units"),
            Rule("x y", "exact", "Exact"),
        ]
        lines = [
            ("PHONE B\u0131LL", "-1"),  # dotless i: re.IGNORECASE equates it with "i"
            ("STRAßE", "-1"),
            ("\u212aELVIN", "-1"),  # Kelvin sign casefolds to "k"
            ("X Y", "-1"),
            ("a\x00x y", "-1"),  # NUL is impossible in PostgreSQL text, not in SQLite
            ("", "-1"),
        ]
        expected = [
            next((rule.category for rule in rules if rule.matches(text, Decimal(amount))), None)
            for text, amount in lines
        ]
        assert expected == ["Bills", "Road", "Units", "Exact", None, None]
        assert winners(rules, lines) == expected


ASCII_WORDS = ["tesco", "TESCO", "amazon", "Amzn", "uber", "EATS", "shell", "bp", "ss", "-", " "]


@pytest.mark.parametrize(
    "words", [ASCII_WORDS, [*ASCII_WORDS, "\u00df", "\u0131"]], ids=["ascii", "unicode"]
)
def test_matcher_agrees_with_the_reference_on_random_data(words: list[str]) -> None:
    """RuleMatcher's batch search picks the same winner as trying each rule in turn."""
    rng = random.Random(7)
    rules = [
        Rule("tesco", "contains", "Groceries", amount_max=Decimal("30")),
        Rule("amazon", "contains", "Refunds", direction="credit", priority=2),
        Rule(r"\bamzn\b|\bamazon\b", "regex", "Shopping"),
        Rule(r"^uber.*eats", "regex", "Takeaway", priority=1),
        Rule(r"\b(shell|bp)\b", "regex", "Fuel", direction="debit"),
        Rule("uber", "contains", "Transport"),
        Rule("bp", "exact", "Exact BP"),
        Rule("ss", "contains", "Double s", amount_min=Decimal("1")),
    ]
    by_rank = sorted(rules, key=lambda rule: -rule.priority)
    lines = [
        (
            "".join(rng.choice(words) for _ in range(rng.randrange(0, 5))),
            str(Decimal(rng.randrange(-5000, 5000)) / 100),
        )
        for _ in range(3000)
    ]
    expected = [
        next((r.category for r in by_rank if r.matches(text, Decimal(amount))), None)
        for text, amount in lines
    ]
    assert winners(rules, lines) == expected
    assert len(set(expected)) == len({rule.category for rule in rules}) + 1
