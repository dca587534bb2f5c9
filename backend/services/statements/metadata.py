"""Statement details printed outside the transaction rows: bank, account, period, balances."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

from ..document_text.dates import DATE_IN_TEXT, YEARLESS_DATE_IN_TEXT, RawDate, read_date
from ..document_text.layout import Line, Word, run_text, word_runs
from ..document_text.money import PrintedAmount, parse_amount_leniently
from .keywords import CARD_NUMBER, STATEMENT_DATES, RowKind, is_zero_balance, row_kind

_ACCOUNT_LABEL = re.compile(
    r"\b(?:account|acct|a/c|card|konto|compte|cuenta|rekening|conto)"
    r"\s*(?:number|no\.?|num|nummer|nr\.?|#)?\s*[:#.]?\s*(?P<value>[\dXx*• \-]{4,})",
    re.IGNORECASE,
)
# "N° : M 00099999902" (French statements): a number sign, an optional holder letter, 8+ digits.
_NUMBER_SIGN_LABEL = re.compile(r"\bN[°º]\s*:?\s*(?:[A-Z]\s+)?(?P<value>\d{8,})\b")
_IBAN_LABEL = re.compile(r"\bIBAN\s*[:.]?\s*(?P<value>[A-Z]{2}\d{2}[A-Z0-9 ]{8,})")
_ACCOUNT_WORD = re.compile(r"\b(?:account|acct|card)\b", re.IGNORECASE)
_MASKED_NUMBER = re.compile(r"[\dXx*• \-]{6,}")
_NON_DIGITS = re.compile(r"\D")
# What joins a period's two dates: "1 Jan - 31 Jan", "15 December 2023 to 14 January 2024", the
# word as a label with its colon ("Statement From : 01/04/2024 To : 30/04/2024", HDFC Bank, SBI;
# "DESDE: 2024/01/01  HASTA: 2024/01/31", Bancolombia).
_CONNECTORS = r"-|–|—|to|through|thru|until|till|bis|au|al|tot|a|hasta"
# A date may end in its own dot (Hungarian "2024.01.01. - 2024.01.31.", OTP).
_CONNECTOR = re.compile(rf"^\.?\s*(?:{_CONNECTORS})(?:\s*:)?\s*$", re.IGNORECASE)
# A period within one month, its name and year printed once: "December 1-31, 2023" (Schwab),
# "1-31 December 2023": the days joined by a bare dash ("Page 3 - 31 Jan 2024" is none). The
# month is told from other words by read_date.
_DAYS_AFTER_MONTH = re.compile(
    r"(?<![\w/.-])(?P<month>[A-Za-zÀ-ÿ]{3,10})\.? (?P<first>\d{1,2})[-–](?P<last>\d{1,2}),? (?P<year>\d{4})\b"
)
_DAYS_BEFORE_MONTH = re.compile(
    r"(?<![\w/.-])(?P<first>\d{1,2})[-–](?P<last>\d{1,2}) (?P<month>[A-Za-zÀ-ÿ]{3,10})\.?,? (?P<year>\d{4})\b"
)
# A period of one whole month, its name and year after a period label ("PERIODE : JANUARI 2024",
# BCA; "Statement period: January 2024"): the label keeps "JAN 2024 PAYROLL" in a row no period.
_MONTH_PERIOD = re.compile(
    r"\b(?:period[eo]?|p[ée]riode|zeitraum|per[ií]odo)\s*:?\s*(?P<month>[A-Za-zÀ-ÿ]{3,10})\.?,?\s(?P<year>\d{4})\b",
    re.IGNORECASE,
)
# A period's start printed without a year, right before the connector to its end's full date.
_YEARLESS_START = re.compile(
    rf"(?<!\S)(?P<start>{YEARLESS_DATE_IN_TEXT})\s*(?:{_CONNECTORS})\s*$", re.IGNORECASE
)
# A payment asked of the holder: the balance is owed. One of these makes a card statement
# (or a loan's: owed all the same); no account statement asks for a minimum payment.
_PAYMENT_DUE_WORDS = (
    "minimum payment", "minimum due", "minimum amount due", "payment due date",
    "pagamento mínimo",  # Portuguese (a Brazilian card bill's "Pagamento mínimo")
)  # fmt: skip
# Words that a bank account's statement may print too ("CREDIT CARD PAYMENT" in a row's text):
# two of them, or one with a payment due, make a card statement.
_CARD_WORDS = (
    *_PAYMENT_DUE_WORDS,
    "credit card",
    "card number",
    "credit limit",
    "card statement",
    "card account",
    "cardholder",
)
# A value printed under its label overlaps it (give or take a few points) and is close below.
_BELOW_SLACK, _BELOW_GAP = 5.0, 3.0
# The lines of a label printed on two lines are at most this many word heights apart.
_STACKED_GAP = 0.6
# A bare whole number of up to four digits after a balance label is rarely the balance: a count
# ("Ending Balance  13  $9,039.98", Chase's INSTANCES column) or the year ending a date in the label
# ("Beginning balance on December 1, 2023  $2,345.67", Bank of America). Taken only when nothing
# else is printed for that label.
_COUNT_OR_YEAR = re.compile(r"^\d{1,4}$")
_DOLLAR = re.compile(r"(?<![A-Za-z])\$|\bUSD\b")
# A slash between spaces: a label printed in two languages ("B/F" is one word, "Debits/Credits"
# one label).
_TRANSLATIONS = re.compile(r"\s/\s")


def _groups(line: Line) -> list[list[Word]]:
    """Runs of words separated by less than a word height: a label, or a value."""
    return word_runs(line, 1.0)


def labelled_values(lines: Sequence[Line]) -> Iterator[tuple[str, str]]:
    """Yield (label, value) pairs: a label's last word, the text right of it or of its colon, or the
    text just below it.

    Below a label, the value is first the words under the label itself, then every word of its
    column: up to the next label on the label's line (a right-aligned figure under a left-aligned
    label: "Neuer Kontostand" over "EUR   + 5.314,05"). A label printed on two lines (a summary
    box's "BALANCE / LAST STATEMENT") is also read whole with the value under its last line.
    """
    for index, text_line in enumerate(lines):
        groups = _groups(text_line)
        following = lines[index + 1] if index + 1 < len(lines) else None
        above = lines[index - 1] if index and lines[index - 1].page == text_line.page else None
        for position, group in enumerate(groups):
            label = run_text(group)
            if len(group) > 1:
                yield run_text(group[:-1]), group[-1].text
            # a label's colon, a word space from its value ("Saldo początkowe: 4 512,37 PLN")
            colon = next((i for i, word in enumerate(group[:-2]) if word.text.endswith(":")), None)
            if colon is not None:
                yield run_text(group[: colon + 1]), run_text(group[colon + 1 :])
            if position + 1 < len(groups):
                yield label, run_text(groups[position + 1])
                if len(groups[position + 1]) > 1 and groups[position + 1][0].text == ":":
                    # the label's colon printed apart, before its value ("Balance as on 1 Apr 2024  : 45.90")
                    yield label, run_text(groups[position + 1][1:])
                if position + 2 < len(groups) and _COUNT_OR_YEAR.match(run_text(groups[position + 1])):
                    yield label, run_text(groups[position + 2])  # past a count column to the figure
            if following is None or following.page != text_line.page:
                continue
            height = group[0].bottom - group[0].top
            if following.top - text_line.bottom >= height * _BELOW_GAP:
                continue
            left, right = group[0].x0 - _BELOW_SLACK, group[-1].x1 + _BELOW_SLACK
            column_end = groups[position + 1][0].x0 if position + 1 < len(groups) else float("inf")
            under = [w for w in following.words if w.x1 > left and w.x0 < right]
            in_column = [w for w in following.words if w.x1 > left and w.x0 < column_end]
            values = [run_text(words) for words in (under, in_column) if words]
            labels = [label]
            stacked = _label_above(above, group) if above is not None else []
            if stacked:
                labels.append(run_text([*stacked, *group]))
            for value in dict.fromkeys(values):
                for name in labels:
                    yield name, value


def _label_above(above: Line, group: Sequence[Word]) -> list[Word]:
    """The words of the line right above ``group`` that head the same column: the first line of
    a label printed on two lines (none if that line is not stacked close on top)."""
    height = group[0].bottom - group[0].top
    if group[0].top - above.bottom > height * _STACKED_GAP:
        return []
    left, right = group[0].x0 - _BELOW_SLACK, group[-1].x1 + _BELOW_SLACK
    return [w for w in above.words if w.x1 > left and w.x0 < right]


def _last4(value: str) -> str | None:
    digits = _NON_DIGITS.sub("", value)
    return digits[-4:] if len(digits) >= 4 else None


def find_account_last4(lines: Sequence[Line]) -> str | None:
    """The last four digits of the account (or card) number; the rest is never kept."""
    texts = [line.text for line in lines]
    for pattern in (_ACCOUNT_LABEL, _NUMBER_SIGN_LABEL, _IBAN_LABEL):
        for text in texts:
            found = pattern.search(text)
            if found and (last4 := _last4(found.group("value"))):
                return last4
    for label, value in labelled_values(lines):
        if _ACCOUNT_WORD.search(label) and _MASKED_NUMBER.fullmatch(value):
            return _last4(value)
    for text in texts:
        found = CARD_NUMBER.search(text)
        if found:
            return _last4(found.group())
    return None


def dates_in_text(lines: Sequence[Line]) -> Iterator[RawDate]:
    """Every full date (with a year) printed in these lines."""
    for text_line in lines:
        for found in DATE_IN_TEXT.finditer(text_line.text):
            raw = read_date(found.group())
            if raw is not None and raw.year is not None:
                yield raw


def find_period(lines: Sequence[Line], day_first: bool) -> tuple[date | None, date | None]:
    """The statement period: two dates on one line joined by "to", "-", "through"...; failing
    that, a start without a year joined to a full date (:func:`_period_with_one_year`), days of
    one month (:func:`_period_within_one_month`), or a whole month (:func:`_period_of_one_month`);
    failing that, from the day after the previous statement's date to this statement's date, each
    printed after its label (see :func:`_period_between_statements`)."""
    for text_line in lines:
        text = text_line.text
        matches = list(DATE_IN_TEXT.finditer(text))
        for first, second in pairwise(matches):
            if not _CONNECTOR.match(text[first.end() : second.start()]):
                continue
            start, end = (read_date(found.group()) for found in (first, second))
            start_date = start.resolve(day_first) if start else None
            end_date = end.resolve(day_first) if end else None
            if start_date and end_date and start_date <= end_date:
                return start_date, end_date
    for read_period in (
        _period_with_one_year, _period_within_one_month, _period_of_one_month, _period_between_statements
    ):
        period = read_period(lines, day_first)
        if period[1]:
            return period
    return None, None


def _period_with_one_year(lines: Sequence[Line], day_first: bool) -> tuple[date | None, date | None]:
    """A period whose year is printed once, after its end: "1 Jan - 31 Jan 2024" (Barclays).

    The start is in the end's year, or the year before where that would put it after the end
    ("15 Dec - 14 Jan 2024").
    """
    for text_line in lines:
        text = text_line.text
        for found in DATE_IN_TEXT.finditer(text):
            before = _YEARLESS_START.search(text[: found.start()])
            start, end = read_date(before.group("start")) if before else None, read_date(found.group())
            end_date = end.resolve(day_first) if end else None
            if start is None or start.year is not None or end_date is None:
                continue
            for year in (end_date.year, end_date.year - 1):
                start_date = replace(start, year=year).resolve(day_first)
                if start_date is not None and start_date <= end_date:
                    return start_date, end_date
    return None, None


def _period_within_one_month(lines: Sequence[Line], day_first: bool) -> tuple[date | None, date | None]:
    """A period of days of one month, its month and year printed once: "December 1-31, 2023"."""
    for text_line in lines:
        text = " ".join(text_line.text.split())
        for found in (*_DAYS_AFTER_MONTH.finditer(text), *_DAYS_BEFORE_MONTH.finditer(text)):
            end = read_date(f"{found.group('last')} {found.group('month')} {found.group('year')}")
            end_date = end.resolve(day_first) if end else None
            first = int(found.group("first"))
            if end_date is not None and 1 <= first <= end_date.day:
                return end_date.replace(day=first), end_date
    return None, None


def _period_of_one_month(lines: Sequence[Line], day_first: bool) -> tuple[date | None, date | None]:
    """A period of one whole month, printed as its name and year after a period label
    ("PERIODE : JANUARI 2024"): from its first day to its last."""
    for text_line in lines:
        for found in _MONTH_PERIOD.finditer(" ".join(text_line.text.split())):
            first = read_date(f"1 {found.group('month')} {found.group('year')}")
            start = first.resolve(day_first) if first else None
            if start is not None:
                following = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
                return start, following - timedelta(days=1)
    return None, None


def _period_between_statements(lines: Sequence[Line], day_first: bool) -> tuple[date | None, date | None]:
    """The period a statement covers when it prints only its own date and the previous one's.

    "STATEMENT DATE: August 15, 2014" / "PREVIOUS STATEMENT: July 14, 2014": the period starts
    the day after the previous statement (as the same bank's statements that print the period
    show: previous November 14, period November 15 to December 16). Both must be printed, the
    first of each kind counts, and the previous one must be the earlier.
    """
    found: dict[str, date] = {}
    for text_line in lines:
        for match in STATEMENT_DATES.finditer(text_line.text):
            kind = "previous" if match.group("previous") else "current"
            raw = read_date(match.group("date"))
            when = raw.resolve(day_first) if raw is not None and raw.year is not None else None
            if when is not None:
                found.setdefault(kind, when)
    previous, current = found.get("previous"), found.get("current")
    if previous is None or current is None or previous >= current:
        return None, None
    return previous + timedelta(days=1), current


def reference_date(lines: Sequence[Line], day_first: bool) -> date | None:
    """The latest full date printed outside the table (statement date, due date...)."""
    resolved = [d for raw in dates_in_text(lines) if (d := raw.resolve(day_first))]
    return max(resolved) if resolved else None


def _balance_on(label: str, period: tuple[date | None, date | None], day_first: bool) -> RowKind | None:
    """What a "balance on <date>" label is ("Balance as on 1 Apr 2024 :", State Bank of India): the
    opening balance dated at or before the period's start, the closing one at or after its end."""
    found = DATE_IN_TEXT.search(label)
    raw = read_date(found.group()) if found else None
    when = raw.resolve(day_first) if raw is not None and raw.year is not None else None
    start, end = period
    if when is None:
        return None
    if start is not None and when <= start:
        return RowKind.OPENING
    return RowKind.CLOSING if end is not None and when >= end else None


def _label_kind(label: str) -> RowKind:
    """What a label names, in any of the languages it is printed in, one after the other
    between slashes ("Số dư đầu kỳ / Opening balance", Vietcombank; "Solde / Balance"), and read
    past a date printed before it: a summary box dates its balances ("01/01 Beginning Balance",
    "01/31 Ending Balance", Fifth Third), the label says which they are."""
    kind = row_kind(label)
    for translation in _TRANSLATIONS.split(label)[1:] if kind is RowKind.TRANSACTION else ():
        kind = row_kind(translation)
        if kind is not RowKind.TRANSACTION:
            break
    first, _, rest = label.partition(" ")
    if kind is RowKind.TRANSACTION and rest and read_date(first) is not None:
        return row_kind(rest)
    return kind


def find_balances(
    lines: Sequence[Line], decimal_comma: bool, period: tuple[date | None, date | None] = (None, None),
    day_first: bool = True,
) -> dict[RowKind, PrintedAmount]:
    """Opening and closing balances printed as labelled values ("Closing balance  £1,234.56");
    with the statement's ``period``, also a balance on a date ("Balance as on 1 Apr 2024 :
    45,678.90") at its start or end (see :func:`_balance_on`)."""
    found: dict[RowKind, PrintedAmount] = {}
    weak: dict[RowKind, PrintedAmount] = {}
    for label, value in labelled_values(lines):
        kind = _label_kind(label)
        if kind is RowKind.BALANCE:
            kind = _balance_on(label, period, day_first) or kind
        if kind in (RowKind.OPENING, RowKind.BROUGHT_FORWARD):
            kind = RowKind.OPENING
        elif kind is not RowKind.CLOSING:
            continue
        amount = parse_amount_leniently(value, decimal_comma)
        if amount is not None:
            (weak if _COUNT_OR_YEAR.match(value.strip()) else found).setdefault(kind, amount)
    found = {**weak, **found}
    if RowKind.OPENING not in found and any(is_zero_balance(line.text) for line in lines):
        found[RowKind.OPENING] = PrintedAmount(Decimal(0))
    return found


def looks_like_card_statement(lines: Sequence[Line]) -> bool:
    """Whether a payment is due (a minimum payment, a payment due date), or at least two
    credit-card phrases (card number, credit limit...) are printed. Both sign conventions add
    up alike (they negate every figure), so only these words say whether the balance is owed."""
    text = " ".join(line.text for line in lines).lower()
    if any(phrase in text for phrase in _PAYMENT_DUE_WORDS):
        return True
    return sum(phrase in text for phrase in _CARD_WORDS) >= 2


def looks_american(texts: Sequence[str]) -> bool:
    """Whether amounts are in US dollars (``$`` not preceded by letters like ``S$``, or USD)."""
    return any(_DOLLAR.search(text) for text in texts)
