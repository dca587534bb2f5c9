"""No regular expression of the document parsers is super-linear (issue 6, item 7).

Every compiled pattern of the parser modules is collected automatically (module globals and
whatever tuples, dicts and dataclasses they hold), so a pattern added later is covered
without touching this file. Each one is fed adversarial lines of 10,000 characters in a
forked process; a call that does not return within a generous guard fails the test. A
linear pattern needs milliseconds here, a backtracking one hours: the guard is not a benchmark.
"""

from __future__ import annotations

import dataclasses
import importlib
import multiprocessing
import os
import pkgutil
import re
import signal
import traceback
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from types import ModuleType

import pytest
from fpdf import FPDF

from backend.services.errors import InvalidInputError
from backend.services.invoices import extract_invoice_metadata
from backend.services.statements import ParsedStatement, parse_statement

PARSER_PACKAGES = (
    "backend.services.statements",
    "backend.services.invoices",
    "backend.services.document_text",
)
PARSER_MODULES = ("backend.services.pdf_words",)
# Seconds one call may take before it counts as super-linear. Linear patterns finish these
# inputs in well under 50 ms; the old card-number pattern needed 11 s for 300 characters.
GUARD_SECONDS = 5.0
LENGTH = 10_000

# Lines that real parsers choke on: long runs, repeated separators, near-numbers.
_UNITS = (
    "X",
    "x",
    "1",
    " ",
    "\u00a0",
    ".",
    ",",
    "-",
    "/",
    "'",
    "(",
    "*",
    "•",
    "$",
    "€",
    "a",
    "1,",
    "1.",
    "1 ",
    "1-",
    "1/",
    "12/",
    "12.",
    "1'",
    "1,234",
    "1.234",
    "1 234",
    "01.01.",
    "X ",
    "XX-",
    "X1",
    "aB1 ",
    "a1 b2-",
    "Ab ",
    "Cr ",
    "CR",
    "DR ",
    "Jan ",
    "1st ",
    "Mai ",
    ".1",
    "- 1",
    "(1",
    "1)",
    "$1",
    "€ 1,",
    "X\t",
    "ä",
    "1\u2009",
    "# ",
    ": ",
    "total ",
)
# Realistic texts: whatever a pattern finds in them, minus its last character and repeated,
# is a long almost-match of that pattern.
_CORPUS = (
    "Card number 4321 8765 2109 6543",
    "Account no. XXXX XXXX 1234",
    "Account number: 000004820917365",
    "IBAN: DE89 3704 0044 0532 0130 00",
    "Statement period 01/02/2023 to 28/02/2023",
    "Statement date 1st January 2024, due 15 Feb 2024",
    "March 20, 2023",
    "7. Mai 2014",
    "2014-05-07",
    "Opening balance 1,234.56 CR",
    "Balance brought forward 1.234,56-",
    "Total amount due $ 1,234.56",
    "Money out (£) Money in (£) Balance",
    "Transaction date Description Debit Credit Balance",
    "(1,234.56) 1'234.50 - 125,80 +1.830,00 12 345,67 EUR USD 1 234.56 Dr.",
    "Invoice number: INV-2023/001",
    "Total excl. VAT € 399,00 Tax 15% on $ 112.90 $ 16.94",
    "www.azure-interior.com https://example.org",
    "Deposits and other credits (continued)",
    "First Prairie National Bank",
    "Solde précédent au 03/09/2012",
)


def _parser_modules() -> Iterator[ModuleType]:
    for name in PARSER_MODULES:
        yield importlib.import_module(name)
    for package_name in PARSER_PACKAGES:
        try:
            package = importlib.import_module(package_name)
        except ModuleNotFoundError:
            continue
        yield package
        for info in pkgutil.walk_packages(package.__path__, f"{package_name}."):
            yield importlib.import_module(info.name)


def _patterns_in(value: object, depth: int = 0) -> Iterator[re.Pattern[str]]:
    """Compiled patterns held by ``value``: itself, or inside containers and dataclasses."""
    if isinstance(value, re.Pattern):
        yield value
    elif depth < 4:
        if isinstance(value, dict):
            children: list[object] = [*value.keys(), *value.values()]
        elif isinstance(value, (tuple, list, set, frozenset)):
            children = list(value)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            children = [getattr(value, f.name) for f in dataclasses.fields(value)]
        else:
            return
        for child in children:
            yield from _patterns_in(child, depth + 1)


def collect_patterns() -> dict[str, re.Pattern[str]]:
    """Every distinct compiled pattern of the parser modules, named ``module.global[#n]``."""
    found: dict[str, re.Pattern[str]] = {}
    seen: set[tuple[str, int]] = set()
    for module in _parser_modules():
        for name, value in sorted(vars(module).items()):
            for number, pattern in enumerate(_patterns_in(value)):
                key = (pattern.pattern, pattern.flags)
                if isinstance(pattern.pattern, str) and key not in seen:
                    seen.add(key)
                    found[f"{module.__name__}.{name}#{number}"] = pattern
    return found


PATTERNS = collect_patterns()


def adversarial_lines(pattern: re.Pattern[str]) -> list[str]:
    """10k-character lines built to make a backtracking pattern explode."""
    lines = [(unit * (LENGTH // len(unit) + 1))[:LENGTH] for unit in _UNITS]
    for text in _CORPUS:
        found = pattern.search(text)
        if found and len(found.group()) > 1:
            near = found.group()[:-1]
            lines.append((near * (LENGTH // len(near) + 1))[:LENGTH])
            lines.append(((near + " ") * (LENGTH // (len(near) + 1) + 1))[:LENGTH])
            lines.append(near[:1] * (LENGTH - len(near)) + near)
    return lines


def _exercise(pattern: re.Pattern[str], lines: list[str], report: Connection) -> None:
    """Child process: scan every line in every way the parsers do, reporting each one done."""
    for index, line in enumerate(lines):
        for _ in pattern.finditer(line):  # search from every position, as finditer/sub/search do
            pass
        pattern.fullmatch(line)
        report.send(index)
    report.close()


class GuardOverrun(Exception):
    """A guarded step did not finish within ``GUARD_SECONDS``."""

    def __init__(self, step: int) -> None:
        super().__init__(f"step {step} ran over the {GUARD_SECONDS} s guard: super-linear work")
        self.step = step


def run_guarded(action: Callable[..., None], args: tuple[object, ...], steps: int) -> list[object]:
    """Run ``action(*args, report)`` in a forked process and return what it reported.

    ``action`` sends one message per finished step; a step that takes longer than
    ``GUARD_SECONDS`` raises :class:`GuardOverrun` (the child is killed). The child is a
    bare ``os.fork``: multiprocessing's would run the session's after-fork hooks in it, and
    kombu's closes the broker connections it inherited, which blocks for good on one that
    an earlier test left waiting for a reply (a hang every pattern would report as a guard
    overrun).
    """
    receiver, sender = multiprocessing.Pipe(duplex=False)
    child = os.fork()
    if child == 0:
        status = 0
        try:
            receiver.close()
            action(*args, sender)
        except BaseException:
            traceback.print_exc()
            status = 1
        finally:
            os._exit(status)  # no pytest or interpreter teardown in the child
    sender.close()
    messages: list[object] = []
    try:
        for step in range(steps):
            if not receiver.poll(GUARD_SECONDS):
                raise GuardOverrun(step)
            messages.append(receiver.recv())
        return messages
    finally:
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
        receiver.close()


def test_patterns_are_collected() -> None:
    """The walk finds the patterns of every parser module, including ones nested in tables."""
    names = set(PATTERNS)
    assert len(PATTERNS) > 40
    for expected in ("keywords.CARD_NUMBER", "labels._SPECS", "columns._ROLE_PATTERNS"):
        assert any(expected in name for name in names), expected


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_pattern_is_linear_on_adversarial_lines(name: str) -> None:
    pattern = PATTERNS[name]
    lines = adversarial_lines(pattern)
    try:
        run_guarded(_exercise, (pattern, lines), len(lines))
    except GuardOverrun as overrun:
        line = lines[overrun.step]
        pytest.fail(f"{name} ({pattern.pattern!r}) on {line[:40]!r}... ({len(line)} characters): {overrun}")


# ------------------------------------------------------------------ through the parsers


def _statement_pdf_with_line(path: Path, line: str) -> Path:
    """A one-page statement (a small valid table) that also prints ``line`` on its own.

    The table makes the parser go all the way through the metadata search, where the old
    card-number pattern backtracked; the line is in a tiny font on a very wide page.
    """
    pdf = FPDF(format=(2500, 120))
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    rows = (
        ("Date", "Description", "Amount", "Balance"),
        ("", "Opening balance", "", "100.00"),
        ("02/01/2024", "Coffee shop", "-4.50", "95.50"),
        ("03/01/2024", "Salary", "1,000.00", "1,095.50"),
    )
    for number, cells in enumerate(rows):
        for x, cell in zip((10, 40, 100, 130), cells, strict=True):
            pdf.text(x, 30 + number * 6, cell)
    pdf.set_font("Helvetica", size=1)
    pdf.text(5, 15, line)
    pdf.output(str(path))
    return path


def _parse(path: Path, report: Connection) -> None:
    """Child process: parse ``path`` as a statement, then as an invoice, reporting both results."""
    try:
        report.send(parse_statement(path))
    except InvalidInputError as error:
        report.send(error)
    try:
        report.send(extract_invoice_metadata(path))
    except InvalidInputError as error:  # no invoice field at all: "does not look like an invoice"
        report.send(error)
    report.close()


@pytest.mark.parametrize(
    "line", ["X" * 300, "X" * 10_000, "XX " * 3_000, "1," * 5_000, "1234 " * 2_000, " " * 50 + "X" * 300]
)
def test_statement_with_a_hostile_line_parses(tmp_path: Path, line: str) -> None:
    path = _statement_pdf_with_line(tmp_path / "line.pdf", line)
    statement, _ = run_guarded(_parse, (path,), 2)
    assert isinstance(statement, ParsedStatement)
    assert [t.description for t in statement.transactions] == ["Coffee shop", "Salary"]
    assert statement.balance_check == "ok"


def test_hostile_line_alone_fails_with_the_parsers_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "line.pdf"
    pdf = FPDF(format=(2500, 100))
    pdf.add_page()
    pdf.set_font("Helvetica", size=1)
    pdf.text(5, 20, "X" * 10_000)
    pdf.output(str(path))
    error, invoice = run_guarded(_parse, (path,), 2)
    assert isinstance(error, InvalidInputError) and "No transaction table" in str(error)
    assert isinstance(invoice, InvalidInputError) and "does not look like an invoice" in str(invoice)
