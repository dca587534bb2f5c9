"""The full layout-grammar run: 300 random layouts, precision and recall per field.

Slow (a few minutes), so it runs only when ``LEDGERFLOW_ACCURACY=1`` (``make accuracy``);
``tests/unit/test_layout_grammar.py`` runs a fast subset on every ``make test``.
Prints, per field, how many layouts the parser read exactly, and for transactions the
precision (parsed rows that are right) and recall (printed rows that were found), then
fails unless the layouts not read exactly are exactly :data:`KNOWN_FAILURES` (a fix makes
the test fail until its entry goes), listing the seeds and what differed.
"""

from __future__ import annotations

from pathlib import Path

from tests.accuracy.scoring import only_in_accuracy_runs, score_documents
from tests.support.statement_pdfs import write_random_layout

LAYOUT_COUNT = 300
# seed -> why the parser does not read that layout exactly yet; must match the failures seen.
KNOWN_FAILURES: dict[int, str] = {}

pytestmark = only_in_accuracy_runs


def test_grammar_accuracy(tmp_path: Path) -> None:
    failures = score_documents(
        "layout grammar", write_random_layout, range(LAYOUT_COUNT), tmp_path, KNOWN_FAILURES
    )
    assert set(failures) == set(KNOWN_FAILURES)
