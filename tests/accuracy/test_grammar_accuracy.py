"""The full layout-grammar run: 300 random layouts, precision and recall per field.

Slow (a few minutes), so it runs only when ``LEDGERFLOW_ACCURACY=1`` (``make accuracy``);
``tests/unit/test_layout_grammar.py`` runs a fast subset on every ``make test``.
Prints, per field, how many layouts the parser read exactly, and for transactions the
precision (parsed rows that are right) and recall (printed rows that were found), then
fails unless the layouts not read exactly are exactly :data:`KNOWN_FAILURES` (a fix makes
the test fail until its entry goes), listing the seeds and what differed. Also prints, per
grammar variation, how many layouts drew it, how many PDFs show it (a split description needs
a page break inside a wrapped row) and how many of those were read exactly.
"""

from __future__ import annotations

from pathlib import Path

from tests.accuracy.scoring import only_in_accuracy_runs, score_documents
from tests.support.statement_pdfs import GRAMMAR_FEATURES, write_random_layout
from tests.unit.test_layout_grammar import LAYOUT_COUNT, drawn_features

# seed -> why the parser does not read that layout exactly yet; must match the failures seen.
KNOWN_FAILURES: dict[int, str] = {}

pytestmark = only_in_accuracy_runs


def test_grammar_accuracy(tmp_path: Path) -> None:
    seeds = range(LAYOUT_COUNT)
    score = score_documents("layout grammar", write_random_layout, seeds, tmp_path, KNOWN_FAILURES)
    drawn = drawn_features(seeds)[0]
    print(f"  {'variation':<22} {'drawn':>5} {'shown':>5} {'exact':>5}")
    for feature in GRAMMAR_FEATURES:
        shown, exact = score.shown[feature], score.shown_exact[feature]
        print(f"  {feature:<22} {drawn[feature]:>5} {shown:>5} {exact:>5}")
    assert set(score.failures) == set(KNOWN_FAILURES)
