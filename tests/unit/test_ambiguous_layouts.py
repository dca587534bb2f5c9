"""Ambiguous layouts and multi-card statements from the layout grammar (issue 7, item 2): the fast subset.

Numeric dates that read both day-first and month-first, debit and credit columns whose headers
do not say (or mis-say) their side, description lines printed above the dated line
(:func:`tests.support.statement_pdfs.random_ambiguous_layout`), and card statements with a
section per cardholder and a payments section (:func:`~tests.support.statement_pdfs.write_card_statement`):
the parser must read every field exactly, choosing the reading under which the statement adds up
and its dates fit, and must still say ``mismatch`` (with the exact count) where the document's
own figures do not add up. ``tests/accuracy/`` runs 150 of each and prints per-field scores.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from backend.services.statements import parse_statement
from backend.services.statements.hints import (
    COLUMNS_BY_RECONCILIATION,
    COLUMNS_GUESSED,
    DATE_ORDER_BY_RECONCILIATION,
)
from backend.services.statements.keywords import is_card_section_heading
from tests.support.statement_pdfs import (
    AMBIGUITIES,
    random_ambiguous_layout,
    write_ambiguous_layout,
    write_card_statement,
)
from tests.unit.test_layout_grammar import differences

FAST_SEEDS = range(0, 100, 5)  # 20 of the 150 of each kind that tests/accuracy checks
# The accuracy run's seeds, searched for documents whose printed balance drifts (see below).
ACCURACY_SEEDS = range(150)


@pytest.mark.parametrize("seed", FAST_SEEDS)
def test_ambiguous_layout_is_read_exactly(seed: int, tmp_path: Path) -> None:
    truth = write_ambiguous_layout(tmp_path / f"ambiguous_{seed}.pdf", seed)
    assert differences(truth, parse_statement(tmp_path / f"ambiguous_{seed}.pdf")) == {}


@pytest.mark.parametrize("seed", FAST_SEEDS)
def test_card_statement_is_read_exactly(seed: int, tmp_path: Path) -> None:
    truth = write_card_statement(tmp_path / f"card_{seed}.pdf", seed)
    assert differences(truth, parse_statement(tmp_path / f"card_{seed}.pdf")) == {}


def test_the_fast_subset_has_every_ambiguity() -> None:
    assert {random_ambiguous_layout(seed)[2][0] for seed in FAST_SEEDS} == set(AMBIGUITIES)


@pytest.mark.parametrize("ambiguity", AMBIGUITIES)
def test_a_statement_that_does_not_add_up_stays_a_mismatch(ambiguity: str, tmp_path: Path) -> None:
    """A printed running balance drifts from one row on: no reading reconciles, none is forced.

    The parser keeps the reading the document's own evidence gives and counts the breaking
    rows exactly (the truth's count, from the generator's rule), every row read right.
    """
    layouts = ((seed, random_ambiguous_layout(seed)) for seed in ACCURACY_SEEDS)
    seed = next(seed for seed, (spec, _, chosen) in layouts if chosen[0] == ambiguity and spec.balance_drift)
    truth = write_ambiguous_layout(tmp_path / f"drift_{seed}.pdf", seed)
    statement = parse_statement(tmp_path / f"drift_{seed}.pdf")
    assert (truth.balance_check, truth.balance_mismatch_rows) == ("mismatch", 1)
    assert differences(truth, statement) == {}
    if ambiguity == "column_roles":  # one currency code over both columns: sides by position, said so
        assert COLUMNS_GUESSED in statement.warnings


@pytest.mark.parametrize(
    ("ambiguity", "warning"),
    [("date_order", DATE_ORDER_BY_RECONCILIATION), ("column_roles", COLUMNS_BY_RECONCILIATION)],
)
def test_a_reading_chosen_by_reconciliation_says_so(ambiguity: str, warning: str, tmp_path: Path) -> None:
    layouts = ((seed, random_ambiguous_layout(seed)) for seed in FAST_SEEDS)
    seed = next(seed for seed, (spec, _, kind) in layouts if kind[0] == ambiguity and not spec.balance_drift)
    write_ambiguous_layout(tmp_path / f"chosen_{seed}.pdf", seed)
    assert warning in parse_statement(tmp_path / f"chosen_{seed}.pdf").warnings


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("Card ending 1234 - J SMITH", True),
        ("J SMITH CARD NUMBER XXXX XXXX XXXX 1234", True),
        ("DJ PARANCA 5488-2926-6730-9473", True),
        ("Payments and credits", False),
        ("AMAZON MKTPLACE CARD PURCHASE 12.40", False),
    ],
)
def test_card_section_headings(line: str, heading: bool) -> None:
    assert is_card_section_heading(line) is heading
