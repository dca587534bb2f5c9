"""Every adjacent pair of bank-shaped statements joined into one PDF: each read back exactly as
its own statement (``make accuracy``; ``tests/unit/test_statement_bundles.py`` runs a sample)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.accuracy.scoring import only_in_accuracy_runs
from tests.unit.test_statement_bundles import ADJACENT_PAIRS, pair_differences

pytestmark = only_in_accuracy_runs


@pytest.mark.parametrize(("first", "second"), ADJACENT_PAIRS, ids=[f"{a}+{b}" for a, b in ADJACENT_PAIRS])
def test_statements_of_two_banks_in_one_pdf_are_each_read_exactly(
    first: str, second: str, tmp_path: Path
) -> None:
    assert pair_differences(first, second, tmp_path / "pair.pdf") == []
