"""The serial parse of each real sample statement, done once per test run.

Several unit tests compare against the same parse of the same file (the rows, the bank
name, the merge of its pages); the parser is deterministic, so they share one parse
instead of reading a 10-page PDF three times (about a minute of `make test`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from backend.services.errors import InvalidInputError
from backend.services.statements import ParsedStatement, parse_statement


@cache
def _parse_once(path: Path) -> ParsedStatement | InvalidInputError:
    try:
        return parse_statement(path)
    except InvalidInputError as error:
        return error


def parsed_sample(path: Path) -> ParsedStatement:
    """``parse_statement(path)``, from the run's one parse of that file (which raises the
    parse's InvalidInputError again when the parser refused it)."""
    outcome = _parse_once(Path(path).resolve())
    if isinstance(outcome, InvalidInputError):
        raise outcome
    return outcome
