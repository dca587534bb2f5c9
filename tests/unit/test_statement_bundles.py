"""Several statements in one PDF (issue 7, "Documents"): each read and reconciled on its own."""

from __future__ import annotations

import pytest

from backend.services.statements import parse_statement
from tests.support.statement_pdfs import TRUTH_FIELDS, write_bundle


@pytest.mark.parametrize("seeds", [(3, 1003), (11, 1011), (40, 1040, 2040)])
def test_each_statement_of_a_bundle_is_returned_exactly(tmp_path, seeds):
    path = tmp_path / "bundle.pdf"
    truths = write_bundle(path, seeds)
    parsed = parse_statement(path)
    assert len(parsed.statements) == len(seeds)
    for statement, truth in zip(parsed.statements, truths, strict=True):
        fields = [field for field in TRUTH_FIELDS if field not in ("page_count", "transactions")]
        assert {f: getattr(statement, f) for f in fields} == {f: getattr(truth, f) for f in fields}
        assert [(t.date, t.description, t.amount, t.balance) for t in statement.transactions] == [
            (t.date, t.description, t.amount, t.balance) for t in truth.transactions
        ]
    # Consecutive statements: each opens where the one before it closed.
    openings = [statement.opening_balance for statement in parsed.statements[1:]]
    assert openings == [statement.closing_balance for statement in parsed.statements[:-1]]
    assert parsed.statements[0].period_start < parsed.statements[1].period_start

