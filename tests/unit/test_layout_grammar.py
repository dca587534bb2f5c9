"""Random statement layouts from the layout grammar (issue 7, item 3): the fast subset.

Each seed draws a layout (language, column order and extra columns, number and date format,
balances as rows or summary, wrapping, page breaks; and the variations of
:data:`~tests.support.statement_pdfs.GRAMMAR_FEATURES`: balance-only tables, headers on two or
three lines, carried/brought-forward rows, one date per day, Cr/Dr marks, thin-space and ’
thousands, currencies, three decimals, account numbers as printed, descriptions split by a
page break) with
:func:`tests.support.statement_pdfs.random_layout`; the parser must read every field the
generator printed exactly. ``tests/accuracy/`` runs the full set and prints per-field scores.
"""

from __future__ import annotations

from collections import Counter
from itertools import combinations
from pathlib import Path

import pytest

from backend.services.statements import ParsedStatement, parse_statement
from tests.support.statement_pdfs import (
    GRAMMAR_FEATURES,
    TRUTH_FIELDS,
    StatementTruth,
    random_layout,
    write_random_layout,
)

LAYOUT_COUNT = 300  # the layouts that tests/accuracy checks
FAST_SEEDS = range(0, LAYOUT_COUNT, 10)  # 30 of them
FIELDS = TRUTH_FIELDS
# Variations that never go together: a bank printing carried-forward rows ends each page on a
# row boundary; a three-decimal currency is always printed with its code.
EXCLUSIVE = {frozenset({"carry_rows", "split_description"}), frozenset({"currency", "three_decimals"})}


def drawn_features(seeds: range) -> tuple[Counter[str], Counter[frozenset[str]]]:
    """How many layouts draw each grammar variation, and each pair of them (no rendering)."""
    single: Counter[str] = Counter()
    pairs: Counter[frozenset[str]] = Counter()
    for seed in seeds:
        features = random_layout(seed)[0].features
        single.update(features)
        pairs.update(frozenset(pair) for pair in combinations(features, 2))
    return single, pairs


def test_the_300_layouts_draw_every_variation_and_every_pair() -> None:
    """Coverage shown, not assumed: each variation in >= 20 layouts, each possible pair in >= 3."""
    single, pairs = drawn_features(range(LAYOUT_COUNT))
    assert {feature: single[feature] for feature in GRAMMAR_FEATURES if single[feature] < 20} == {}
    possible = {frozenset(pair) for pair in combinations(GRAMMAR_FEATURES, 2)} - EXCLUSIVE
    assert {tuple(sorted(pair)): pairs[pair] for pair in possible if pairs[pair] < 3} == {}
    assert all(pairs[pair] == 0 for pair in EXCLUSIVE)


def differences(truth: StatementTruth, statement: ParsedStatement) -> dict[str, tuple[object, object]]:
    """Field -> (printed, parsed) for every field the parser got wrong; rows count as one field."""
    wrong: dict[str, tuple[object, object]] = {
        name: (getattr(truth, name), getattr(statement, name))
        for name in FIELDS
        if getattr(truth, name) != getattr(statement, name)
    }
    printed = [(t.date, t.description, t.amount, t.balance) for t in truth.transactions]
    parsed = [(t.date, t.description, t.amount, t.balance) for t in statement.transactions]
    if printed != parsed:
        first = next(
            (i for i, (a, b) in enumerate(zip(printed, parsed, strict=False)) if a != b), len(parsed)
        )
        wrong["transactions"] = (printed[first : first + 1], parsed[first : first + 1])
    return wrong


@pytest.mark.parametrize("seed", FAST_SEEDS)
def test_random_layout_is_read_exactly(seed: int, tmp_path: Path) -> None:
    truth = write_random_layout(tmp_path / f"grammar_{seed}.pdf", seed)
    statement = parse_statement(tmp_path / f"grammar_{seed}.pdf")
    assert differences(truth, statement) == {}
