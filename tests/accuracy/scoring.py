"""One accuracy run over generated statements: per-field exact counts, row precision and recall."""

from __future__ import annotations

import dataclasses
import os
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pytest

from backend.services.errors import InvalidInputError
from backend.services.statements import parse_statement
from tests.support.statement_pdfs import StatementTruth
from tests.unit.test_layout_grammar import FIELDS, differences

# The accuracy runs are slow (minutes): only ``make accuracy`` (LEDGERFLOW_ACCURACY=1) runs them.
only_in_accuracy_runs = pytest.mark.skipif(
    os.environ.get("LEDGERFLOW_ACCURACY") != "1", reason="the full accuracy run: make accuracy"
)


@dataclasses.dataclass
class Score:
    """What one run found: the seeds not read exactly (with what differed), and per grammar
    variation (``StatementTruth.features``) how many documents showed it and were read exactly."""

    failures: dict[int, object] = dataclasses.field(default_factory=dict)
    shown: Counter[str] = dataclasses.field(default_factory=Counter)
    shown_exact: Counter[str] = dataclasses.field(default_factory=Counter)


def score_documents(
    label: str,
    write: Callable[[Path, int], StatementTruth],
    seeds: Sequence[int],
    folder: Path,
    known: Mapping[int, str],
) -> Score:
    """Write and parse each seed's document and print how well it was read.

    Prints, per field, how many documents the parser read exactly, and for transactions the
    precision (parsed rows that are right) and recall (printed rows that were found), then
    every seed not read exactly with what differed (and why, where ``known`` says).
    """
    wrong_fields: Counter[str] = Counter()
    score = Score()
    failures = score.failures
    printed_rows = parsed_rows = right_rows = 0
    for seed in seeds:
        path = folder / f"{label.replace(' ', '_')}_{seed}.pdf"
        truth = write(path, seed)
        score.shown.update(truth.features)
        printed = [(t.date, t.description, t.amount, t.balance) for t in truth.transactions]
        printed_rows += len(printed)
        try:
            statement = parse_statement(path)
        except InvalidInputError as error:
            failures[seed] = str(error)
            wrong_fields.update([*FIELDS, "transactions"])
            continue
        parsed = [(t.date, t.description, t.amount, t.balance) for t in statement.transactions]
        parsed_rows += len(parsed)
        remaining = Counter(printed)
        for row in parsed:
            if remaining[row] > 0:
                right_rows += 1
                remaining[row] -= 1
        wrong = differences(truth, statement)
        wrong_fields.update(wrong.keys())
        if wrong:
            failures[seed] = wrong
        else:
            score.shown_exact.update(truth.features)
        path.unlink()
    count = len(seeds)
    print(f"\n{label}: {count - len(failures)} of {count} documents exact")
    for field in (*FIELDS, "transactions"):
        print(f"  {field:<22} {count - wrong_fields[field]:>4} / {count} exact")
    precision = right_rows / parsed_rows if parsed_rows else 0.0
    recall = right_rows / printed_rows if printed_rows else 0.0
    print(f"  transaction rows: precision {precision:.4f}, recall {recall:.4f} ({printed_rows} printed)")
    for seed, wrong in failures.items():
        print(f"  seed {seed}: {wrong}" + (f" (known: {known[seed]})" if seed in known else ""))
    return score
