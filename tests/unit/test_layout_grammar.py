"""Random statement layouts from the layout grammar (issue 7, item 3): the fast subset.

Each seed draws a layout (language, column order and extra columns, number and date format,
balances as rows or summary, wrapping, page breaks) with
:func:`tests.support.statement_pdfs.random_layout`; the parser must read every field the
generator printed exactly. ``tests/accuracy/`` runs the full set and prints per-field scores.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from backend.services.statements import ParsedStatement, parse_statement
from tests.support.statement_pdfs import TRUTH_FIELDS, StatementTruth, write_random_layout

FAST_SEEDS = range(0, 300, 10)  # 30 of the 300 layouts that tests/accuracy checks
FIELDS = TRUTH_FIELDS


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
