"""Reading transaction dates in the many ways statements print them.

A date is read in two steps: :func:`read_date` turns text into a :class:`RawDate` without
deciding between day-first and month-first or guessing a missing year; once the whole
statement has been seen, :func:`day_first_from_evidence` picks the order and
:meth:`RawDate.resolve` builds the :class:`datetime.date`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january", "januar", "janv", "janvier", "enero", "ene", "gennaio", "januari"),
            (
                "feb",
                "february",
                "februar",
                "fev",
                "fevr",
                "février",
                "févr",
                "fév",
                "febrero",
                "febbraio",
                "februari",
            ),
            ("mar", "march", "märz", "mrz", "mär", "mars", "marzo", "maart", "maa"),
            ("apr", "april", "avr", "avril", "abril", "abr", "aprile"),
            ("may", "mai", "mayo", "maggio", "mei", "mag"),
            ("jun", "june", "juni", "juin", "junio", "giugno", "giu"),
            ("jul", "july", "juli", "juil", "juillet", "julio", "luglio", "lug"),
            ("aug", "august", "août", "aout", "agosto", "ago", "augustus"),
            ("sep", "sept", "september", "septembre", "septiembre", "settembre", "set"),
            ("oct", "october", "oktober", "okt", "octobre", "octubre", "ottobre", "ott"),
            ("nov", "november", "novembre", "noviembre"),
            ("dec", "december", "dezember", "dez", "décembre", "déc", "diciembre", "dic", "dicembre"),
        ),
        start=1,
    )
    for name in names
}

_MONTH = r"(?P<mon>[A-Za-zÀ-ÿ]{3,9})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th|\.)?"
_YEAR = r"(?P<year>\d{4}|'?\d{2})"
_PATTERNS = (
    re.compile(r"^(?P<year>\d{4})[-/.](?P<a>\d{1,2})[-/.](?P<b>\d{1,2})$"),  # ISO, year first
    re.compile(r"^(?P<a>\d{1,2})[/.\-](?P<b>\d{1,2})(?:[/.\-](?P<year>\d{4}|\d{2}))?$"),
    re.compile(rf"^{_DAY}[\s\-/]*{_MONTH}(?:[\s\-/,]+{_YEAR})?$"),
    re.compile(rf"^{_MONTH}[\s\-/]*{_DAY},?(?:[\s\-/]+{_YEAR})?$"),
)
# Dates inside running text (statement period, statement date...).
DATE_IN_TEXT = re.compile(
    r"\b(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})"
    r"|\d{1,2}(?:st|nd|rd|th)?[\s\-]+[A-Za-zÀ-ÿ]{3,9}\.?,?[\s\-]+\d{2,4}"
    r"|[A-Za-zÀ-ÿ]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})\b"
)


@dataclass(frozen=True)
class RawDate:
    """A date as printed.

    ``first``/``second`` are the two day-and-month fields in printed order; when ``fixed`` is
    true they are already (day, month) (month named, or ISO year-first order).
    """

    first: int
    second: int
    year: int | None
    fixed: bool

    def resolve(self, day_first: bool, period: tuple[date | None, date | None] = (None, None)) -> date | None:
        """The calendar date, taking a missing year from the statement ``period``.

        Returns ``None`` if the fields do not make a valid date.
        """
        day, month = (self.first, self.second) if self.fixed or day_first else (self.second, self.first)
        try:
            if self.year is not None:
                return date(self.year, month, day)
            return infer_year(month, day, *period)
        except ValueError:
            return None


def _full_year(text: str) -> int:
    value = int(text.lstrip("'"))
    if len(text.lstrip("'")) == 4:
        return value
    return 2000 + value if value < 70 else 1900 + value


def read_date(text: str) -> RawDate | None:
    """Read ``text`` (the whole of it) as a date, or return ``None``."""
    text = " ".join(text.split()).strip(",")
    for pattern in _PATTERNS:
        found = pattern.match(text)
        if not found:
            continue
        groups = found.groupdict()
        year = _full_year(groups["year"]) if groups.get("year") else None
        if "mon" in groups:
            month = MONTHS.get(groups["mon"].lower())
            if month is None:
                return None
            raw = RawDate(int(groups["day"]), month, year, fixed=True)
        elif pattern is _PATTERNS[0]:
            raw = RawDate(int(groups["b"]), int(groups["a"]), year, fixed=True)
        else:
            raw = RawDate(int(groups["a"]), int(groups["b"]), year, fixed=False)
        if 1 <= raw.first <= 31 and 1 <= raw.second <= 31 and (raw.fixed is False or raw.second <= 12):
            return raw
        return None
    return None


def day_first_from_evidence(dates: Iterable[RawDate], american_hint: bool) -> bool:
    """Decide DD/MM (true) or MM/DD (false) for one statement.

    A first field above 12 proves day-first, a second field above 12 proves month-first;
    without proof, ``american_hint`` (USD or ``$`` amounts, US wording) chooses month-first.
    """
    for raw in dates:
        if raw.fixed:
            continue
        if raw.first > 12:
            return True
        if raw.second > 12:
            return False
    return not american_hint


def infer_year(month: int, day: int, start: date | None, end: date | None) -> date:
    """The date with this month and day nearest to the statement period [start, end].

    Handles periods across New Year: in a period 15 Dec 2023 - 14 Jan 2024, ``28 Dec`` is
    2023-12-28 and ``3 Jan`` is 2024-01-03. Without any period the current year is used.
    """
    anchor_start, anchor_end = start or end, end or start
    if anchor_start is None or anchor_end is None:
        return date(date.today().year, month, day)

    def distance(candidate: date) -> int:
        if candidate < anchor_start:
            return (anchor_start - candidate).days
        return max(0, (candidate - anchor_end).days)

    candidates = []
    for year in range(anchor_start.year - 1, anchor_end.year + 2):
        try:
            candidates.append(date(year, month, day))
        except ValueError:  # 29 Feb in a common year
            continue
    return min(candidates, key=distance)
