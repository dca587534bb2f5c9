"""What the tests of documents drawn in other people's shapes share (banks', producers', vendors').

Each such test file keeps a table of writers and a ``NOT_YET_EXACT`` table (name -> why the
reader does not read it exactly yet); every writer is one test case, a strict xfail while it is
in that table, so a fix that makes it exact fails the run until the entry is removed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import pytest
from _pytest.mark.structures import ParameterSet

from backend.services.statements import ParsedStatement, parse_statement
from tests.support.bank_shaped_pdfs import Truth


def shaped_cases(names: Iterable[str], not_yet_exact: Mapping[str, str]) -> list[ParameterSet]:
    """One ``pytest.param`` per writer name, a strict xfail (with its reason) for those not exact yet."""
    unknown = set(not_yet_exact) - set(names)
    if unknown:  # an entry left behind by a renamed writer would silently mark nothing
        raise ValueError(f"NOT_YET_EXACT names no writer: {sorted(unknown)}")
    def marks(name: str) -> list[pytest.MarkDecorator]:
        return [pytest.mark.xfail(strict=True, reason=not_yet_exact[name])] if name in not_yet_exact else []

    return [pytest.param(name, marks=marks(name), id=name) for name in names]


def _row(date: object, description: str, amount: object, balance: object) -> tuple[object, ...]:
    return (date, " ".join(description.lower().split()), amount, balance)


def statement_differences(truth: Truth, statement: ParsedStatement) -> list[str]:
    """What the parser read differently from the truth, one readable line each."""
    want = [_row(r.date, r.description, r.amount, r.balance) for r in truth.rows]
    got = [_row(t.date, t.description, t.amount, t.balance) for t in statement.transactions]
    found = [f"row {i}: want {w} got {g}" for i, (w, g) in enumerate(zip(want, got, strict=False)) if w != g]
    if len(want) != len(got):
        unmatched = want[len(got) :] or got[len(want) :]
        found.append(f"{len(got)} rows read, {len(want)} printed; extra or missing: {unmatched}")
    if statement.balance_check != "ok":
        found.append(f"balance_check {statement.balance_check} ({statement.balance_mismatch_rows} rows)")
    for label, expected, read in (
        ("opening", truth.opening, statement.opening_balance),
        ("closing", truth.closing, statement.closing_balance),
    ):
        if expected is not None and read != expected:
            found.append(f"{label} balance: want {expected} got {read}")
    return found


def statement_misreadings(write: Callable[[Path], Truth], path: Path) -> list[str]:
    """Draw a statement with ``write`` at ``path``, parse it, and say what was read differently."""
    truth = write(path)
    return statement_differences(truth, parse_statement(path))
