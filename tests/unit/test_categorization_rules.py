"""Pure rule logic of the categorization service: validation and matching, no database."""

from __future__ import annotations

import random
import subprocess
import sys
from decimal import Decimal

import pytest

from backend.services import categorization
from backend.services.categorization import THOUSANDTHS_PER_UNIT, Direction, MatchType, Rule, RuleMatcher
from backend.services.errors import InvalidInputError


def winners(rules: list[Rule], lines: list[tuple[str, str]]) -> list[str | None]:
    """The winning category of each ``(description, amount)`` line, via RuleMatcher."""
    descriptions = [description for description, _ in lines]
    thousandths = [int(Decimal(amount) * THOUSANDTHS_PER_UNIT) for _, amount in lines]
    return [
        None if rule is None else rule.category
        for rule in RuleMatcher(rules).match(descriptions, thousandths)
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
        assert str(raised.value) == "Invalid regex 'ab(': missing ): ab("

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
            ({"amount_min": 10, "amount_max": 5},
             "The minimum amount (10) must not be greater than the maximum amount (5)"),
            ({"amount_min": -1}, "The minimum amount must be a non-negative number"),
            ({"amount_max": "ten"}, "The maximum amount must be a number, not 'ten'"),
            ({"amount_max": float("nan")}, "The maximum amount must be a non-negative number"),
            ({"priority": "high"}, "Priority must be a whole number"),
            ({"pattern": "tab\there"}, "must not contain control characters"),
            ({"priority": 2**31}, "Priority must be between -2147483648 and 2147483647"),
            ({"priority": -(2**31) - 1}, "Priority must be between"),
            ({"priority": 10**30}, "Priority must be between"),
            ({"amount_max": "1e999999"}, "The maximum amount must be at most 999999999999.999"),
            ({"amount_min": "1000000000000"}, "The minimum amount must be at most"),
            ({"category": "Food\x00"}, "The category must not contain NUL characters"),
            ({"pattern": "a\x00", "match_type": "regex"}, "The pattern must not contain NUL"),
            ({"category": "\ud800"}, "must not contain lone surrogate characters"),
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

    def test_the_extremes_of_the_columns_are_accepted(self) -> None:
        # Bounds stop where both back ends store thousandths exactly (models.MONEY_EXACT_MAX).
        rule = Rule("x", "contains", "C", priority=2**31 - 1, amount_max="999999999999.999")
        assert rule.matches("x", Decimal("-999999999999.999"))
        assert not rule.matches("x", Decimal("-999999999999999.999"))
        assert Rule("x", "contains", "C", priority=-(2**31)).priority == -(2**31)


class TestRegexEngine:
    """User regexes run on RE2: linear time, and a clear refusal of what it cannot run."""

    def test_a_catastrophic_pattern_for_backtracking_completes_and_matches(self) -> None:
        # With Python's re this pattern on this text backtracks for minutes; a separate
        # process, because a regex stuck in C code would also stall this one. The timeout
        # is a guard against super-linear matching, not a benchmark.
        script = """
from decimal import Decimal
from backend.services.categorization import Rule, RuleMatcher
rule = Rule(r"^(\\w+\\s?)+$", "regex", "Words")
text = "CARD PAYMENT TO THE CORNER SHOP LONDON GB 1234 REF 789!"
assert len(text) == 55
assert not rule.matches(text, Decimal("-1"))
assert rule.matches(text[:-1], Decimal("-1"))
winners = RuleMatcher([rule]).match([text, text[:-1]], [-100, -100])
print([winner and winner.category for winner in winners])
"""
        completed = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, timeout=10, check=False
        )
        assert completed.returncode == 0, completed.stderr
        assert completed.stdout.strip() == "[None, 'Words']"

    @pytest.mark.parametrize(
        ("pattern", "feature"),
        [
            (r"tesco(?= stores)", "look-ahead"),
            (r"^(?!refund)amazon", "look-ahead"),
            (r"(?<=card )payment", "look-behind"),
            (r"(?<!direct )debit", "look-behind"),
            (r"(\w)\1", "backreferences"),
            (r"(?P<shop>\w+) (?P=shop)", "named backreferences"),
            (r"(?>uber|ub)er", "atomic groups"),
            (r"\d++", "possessive quantifiers"),
            (r"x{1001}", "repetition counts above 1000"),
            (r"(?x) uber \* eats", "the inline flag 'x'"),
        ],
    )
    def test_what_re2_cannot_run_is_rejected_naming_the_feature(
        self, pattern: str, feature: str
    ) -> None:
        with pytest.raises(InvalidInputError) as raised:
            Rule(pattern, "regex", "C")
        message = str(raised.value)
        assert message.startswith(f"Patterns with {feature}")
        assert f"are not supported: {pattern!r}" in message

    def test_a_pattern_too_large_once_compiled_is_rejected(self) -> None:
        with pytest.raises(InvalidInputError, match="too large once compiled"):
            Rule(r"[\p{L}]{500}", "regex", "C")

    def test_end_of_text_escape_suggests_the_re2_spelling(self) -> None:
        with pytest.raises(InvalidInputError, match=r"use \\z or \$"):
            Rule(r"fee\Z", "regex", "C")

    def test_re2_syntax_is_accepted(self) -> None:
        assert Rule(r"(?P<shop>tesco)\s+\p{Lu}", "regex", "C").matches("Tesco Ä", Decimal("-1"))
        assert Rule(r"fee\z", "regex", "C").matches("MONTHLY FEE", Decimal("-1"))

    def test_matcher_agrees_with_the_reference_on_tricky_text(self) -> None:
        rules = [
            Rule("bill", "regex", "Bills"),
            Rule("STRASSE", "contains", "Road"),
            Rule("kelvin", "contains", "Units"),
            Rule("x y", "exact", "Exact"),
            Rule("caf[eé]", "regex", "Coffee"),
        ]
        lines = [
            ("PHONE BILL", "-1"),
            ("PHONE B\u0131LL", "-1"),  # dotless i: RE2's case folding keeps it apart from i
            ("STRAßE", "-1"),
            ("\u212aELVIN", "-1"),  # Kelvin sign casefolds to "k"
            ("X Y", "-1"),
            ("a\x00x y", "-1"),  # NUL is impossible in PostgreSQL text, not in SQLite
            ("CAFÉ \ud800", "-1"),  # so is a lone surrogate
            ("", "-1"),
        ]
        expected = [
            next((rule.category for rule in rules if rule.matches(text, Decimal(amount))), None)
            for text, amount in lines
        ]
        assert expected == ["Bills", None, "Road", "Units", "Exact", None, "Coffee", None]
        assert winners(rules, lines) == expected

    def test_rules_too_many_for_one_re2_set_are_matched_one_by_one(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """When the set of all regex rules cannot be compiled, each rule is searched alone."""
        monkeypatch.setattr(categorization, "REGEX_SET_MEMORY_BYTES", 1 << 11)
        rules = [Rule(rf"\bshop{number}\b", "regex", f"Shop {number}") for number in range(30)]
        lines = [(f"CARD SHOP{number % 40} LONDON", "-1") for number in range(80)]
        assert winners(rules, lines) == [
            f"Shop {number % 40}" if number % 40 < 30 else None for number in range(80)
        ]


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


def test_the_ascii_set_and_the_text_search_agree_on_folding_edge_cases() -> None:
    """Rows the RE2 set matches (ASCII) and rows the casefolded text search matches
    (the others) get the reference's winner, including patterns that only casefold
    to ASCII (Kelvin sign, capital sharp s) and ones that never match ASCII text."""
    rng = random.Random(11)
    rules = [
        Rule("\u212a9", "contains", "Kelvin"),  # casefolds to "k9"
        Rule("STRA\u1e9eE", "contains", "Road", priority=1),  # casefolds to "strasse"
        Rule("caf\u00e9", "contains", "Coffee", amount_max=Decimal("5")),
        Rule("Interest Paid", "exact", "Interest", direction="credit"),
        Rule("inter", "contains", "Inter"),
        Rule(r"^k\d\s", "regex", "K digit", priority=2),
        Rule("a.b", "contains", "Literal dot"),  # escaped: no regex meaning in the set
    ]
    words = ["K9", "k9", "\u212a9", "Strasse", "STRA\u00dfE", "Caf\u00e9", "CAFE", "Interest",
             "Paid", "INTEREST PAID", "a.b", "axb", " ", "\x00"]
    by_rank = sorted(rules, key=lambda rule: -rule.priority)
    lines = [
        (
            "".join(rng.choice(words) for _ in range(rng.randrange(0, 4))),
            str(Decimal(rng.randrange(-900, 900)) / 100),
        )
        for _ in range(4000)
    ]
    expected = [
        next((r.category for r in by_rank if r.matches(text, Decimal(amount))), None)
        for text, amount in lines
    ]
    matcher = RuleMatcher(rules)
    descriptions = [text for text, _ in lines]
    thousandths = [int(Decimal(amount) * THOUSANDTHS_PER_UNIT) for _, amount in lines]
    assert winners(rules, lines) == expected
    by_text = matcher._match_by_text(descriptions, thousandths)
    assert [None if rule is None else rule.category for rule in by_text] == expected
    assert len(set(expected)) == len({rule.category for rule in rules}) + 1


def test_batches_of_recurring_and_of_distinct_descriptions_get_the_same_winners() -> None:
    """A batch where descriptions recur is matched once per description (a memo), one of
    distinct descriptions row by row: the amount filters still apply per row."""
    rules = [
        Rule("tesco", "contains", "Groceries", amount_max=Decimal("30")),
        Rule("tesco", "contains", "Big shop", priority=-1),
        Rule("refund", "contains", "Refunds", direction="credit", priority=1),
        Rule(r"^salary\b", "regex", "Income"),
    ]
    texts = ["TESCO STORES", "tesco refund", "SALARY ACME", "Café", "other"]
    amounts = ["-12.00", "-45.00", "30.00", "2500.00", "-3.00"]
    recurring = [(text, amount) for text in texts for amount in amounts] * 20
    distinct = [(f"{n} {text}", amount) for n, (text, amount) in enumerate(recurring)]
    by_rank = sorted(rules, key=lambda rule: -rule.priority)
    for lines in (recurring, distinct):
        expected = [
            next((r.category for r in by_rank if r.matches(text, Decimal(amount))), None)
            for text, amount in lines
        ]
        assert winners(rules, lines) == expected
    assert set(winners(rules, recurring)) == {"Groceries", "Big shop", "Refunds", "Income", None}


def test_bounds_in_thousandths_tell_three_decimal_amounts_apart() -> None:
    """Dinars count in thousandths: a bound of 12.345 takes 12.345 and leaves 12.344."""
    rule = Rule("fee", "contains", "Fees", amount_min="12.345")
    assert rule.matches("bank fee", Decimal("-12.345"))
    assert not rule.matches("bank fee", Decimal("-12.344"))
    assert winners([rule], [("bank fee", "-12.345"), ("bank fee", "-12.344")]) == ["Fees", None]
