"""Reading dates in the many ways documents print them.

Statement cells are read in two steps: :func:`read_date` turns text into a :class:`RawDate`
without deciding between day-first and month-first or guessing a missing year; once the
whole statement has been seen, :func:`day_first_from_evidence` picks the order and
:meth:`RawDate.resolve` builds the :class:`datetime.date`.

Dates in running text (invoices) are found with :func:`find_date` / :func:`parse_date`, with
the order from :func:`numeric_date_order`. Both use the one month table, :data:`MONTHS`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from .memo import remembered
from .tables import alternation

# Month names and abbreviations per language (English, German, French, Spanish, Italian,
# Dutch; Portuguese, Swedish and Indonesian names where they differ; Polish in the genitive a
# date prints, "15 marca 2024"), accented and plain; one table for every reader. Lower case.
_MONTH_NAMES: tuple[tuple[str, ...], ...] = (
    ("jan", "january", "januar", "jänner", "jän", "janv", "janvier", "enero", "ene", "gennaio", "januari",
     "janeiro", "stycznia"),
    ("feb", "february", "februar", "fev", "fevr", "février", "fevrier", "févr", "fév", "febrero", "febbraio",
     "februari", "fevereiro", "lutego"),
    ("mar", "march", "märz", "maerz", "mrz", "mär", "mars", "marzo", "maart", "maa", "mrt", "maret", "março",
     "marca"),
    ("apr", "april", "avr", "avril", "abril", "abr", "aprile", "kwietnia"),
    ("may", "mai", "mayo", "maggio", "mei", "mag", "maj", "maio", "maja"),
    ("jun", "june", "juni", "juin", "junio", "giugno", "giu", "junho", "czerwca"),
    ("jul", "july", "juli", "juil", "juillet", "julio", "luglio", "lug", "julho", "lipca"),
    ("aug", "august", "août", "aout", "agosto", "ago", "augustus", "augusti", "agustus", "sierpnia"),
    ("sep", "sept", "september", "septembre", "septiembre", "setiembre", "settembre", "set", "setembro",
     "września", "wrzesnia"),
    ("oct", "october", "oktober", "okt", "octobre", "octubre", "ottobre", "ott", "outubro",
     "października", "pazdziernika"),
    ("nov", "november", "novembre", "noviembre", "novembro", "listopada"),
    ("dec", "december", "dezember", "dez", "décembre", "decembre", "déc", "diciembre", "dic", "dicembre",
     "desember", "dezembro", "grudnia"),
)  # fmt: skip
MONTHS: dict[str, int] = {
    name: number for number, names in enumerate(_MONTH_NAMES, start=1) for name in names
}
# No document we read was printed before 1900, and what a date goes on to (Excel, whose
# dates start in 1900; OFX's YYYYMMDD, which strftime writes with a one-digit year 1; the
# summary's months) cannot show an earlier one: a year such as 0001 is a misprint, read
# as a date that cannot be read (its statement row is skipped, with a warning saying so).
EARLIEST_YEAR = 1900

# A month's name as a cell prints it: Latin letters with their accents (Polish "września",
# "października" too), as long as the table's longest.
_MONTH = rf"(?P<mon>[A-Za-zÀ-ÿĀ-ž]{{3,{max(map(len, MONTHS))}}})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th|\.)?"
_YEAR = r"(?P<year>\d{4}|'?\d{2})"
_PATTERNS = (
    # ISO, year first; Hungarian prints a dot after each part ("2024.01.05.").
    re.compile(r"^(?P<year>\d{4})[-/.](?P<a>\d{1,2})[-/.](?P<b>\d{1,2})\.?$"),
    # "31.12." (German day and month without a year) ends with a dot.
    re.compile(r"^(?P<a>\d{1,2})[/.\-](?P<b>\d{1,2})(?:[/.\-](?P<year>\d{4}|\d{2})|\.)?$"),
    # The month's name may join its day and year unspaced ("05JAN24", Standard Chartered).
    re.compile(rf"^{_DAY}[\s\-/]*{_MONTH}(?:[\s\-/,]*{_YEAR})?$"),
    re.compile(rf"^{_MONTH}[\s\-/]*{_DAY},?(?:[\s\-/]+{_YEAR})?$"),
)
# Dates inside running text (statement period, statement date...). Between a month name and
# its day or year a dash is one only unspaced ("01-Apr-16"): a spaced one joins a range, and in
# "1 Jan - 31 Jan 2024" (Barclays' period) "1 Jan - 31" is no date of 2031, nor in
# "Dec 14 - Jan 13, 2024" "14 - Jan 13" one of 2013. A month name before a day and a slashed
# year ("DEC 29/23", TD Canada Trust) is one date: read from the day, in
# "DEC 29/23 - JAN 31/24" "23 - JAN 31" would be a date of 2031. A year first takes one separator
# throughout ("2024-01-31", "2024/01/31", "2024.01.31").
DATE_IN_TEXT = re.compile(
    r"\b(?:\d{4}(?:-\d{1,2}-|/\d{1,2}/|\.\d{1,2}\.)\d{1,2}|\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})"
    rf"|(?i:{alternation(MONTHS)})\.?\s*\d{{1,2}}/(?:\d{{4}}|\d{{2}})"
    r"|\d{1,2}(?:st|nd|rd|th)?(?:\s+|-)[A-Za-zÀ-ÿ]{3,10}\.?,?(?:\s+|-)\d{2,4}"
    r"|[A-Za-zÀ-ÿ]{3,10}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})\b"
)
# A day and a named month without a year ("1 Jan", "Dec 14"), in running text: the start of a
# period whose year is printed once, at its end ("1 Jan - 31 Jan 2024", Barclays). Only a
# pattern: :func:`read_date` tells a month name from another word ("Page 3").
YEARLESS_DATE_IN_TEXT = (
    r"\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-zÀ-ÿ]{3,10}\.?|[A-Za-zÀ-ÿ]{3,10}\.?\s+\d{1,2}(?:st|nd|rd|th)?"
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
        if self.year is not None:
            return _safe_date(self.year, month, day)
        try:
            return infer_year(month, day, *period)
        except ValueError:
            return None


def full_year(text: str) -> int:
    """``"2014"`` -> 2014; two-digit years (``"14"``, ``"'14"``): 00-69 -> 2000s, 70-99 -> 1900s."""
    value = int(text.lstrip("'"))
    if len(text.lstrip("'")) == 4:
        return value
    return 2000 + value if value < 70 else 1900 + value


@remembered
def read_date(text: str) -> RawDate | None:
    """Read ``text`` (the whole of it) as a date, or return ``None``.

    A footnote star after it is no part of it ("01/05/24*": Amex's "*Indicates posting date").
    """
    text = " ".join(text.split()).strip(",").rstrip("*")
    for pattern in _PATTERNS:
        found = pattern.match(text)
        if not found:
            continue
        groups = found.groupdict()
        year = full_year(groups["year"]) if groups.get("year") else None
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


# Weekday names and abbreviations per language (English, German, French, Spanish, Italian, Dutch),
# lower case: a heading "Tuesday 2 January 2024" dates the rows under it (see :func:`read_day_heading`).
WEEKDAYS: frozenset[str] = frozenset(
    (
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
        "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag",
        "mo", "di", "mi", "do", "fr", "sa", "so",
        "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
        "lunes", "martes", "miércoles", "miercoles", "jueves", "viernes", "sábado", "sabado", "domingo",
        "lunedì", "lunedi", "martedì", "martedi", "mercoledì", "mercoledi", "giovedì", "giovedi",
        "venerdì", "venerdi", "sabato", "domenica",
        "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag",
    )
)  # fmt: skip


def read_day_heading(text: str) -> RawDate | None:
    """The date a line heading one day's rows prints ("Tuesday 2 January 2024", "Monday,
    January 8, 2024"), or ``None``: the whole line is a date, after a weekday's name if one is
    printed; without one it must print its year (a lone "12.01" is as likely a figure)."""
    first, _, rest = " ".join(text.split()).partition(" ")
    weekday = first.rstrip(".,").lower() in WEEKDAYS and bool(rest)
    raw = read_date(rest if weekday else text)
    return raw if raw is not None and (weekday or raw.year is not None) else None


# A day and a month printed apart by only a space ("01 02": Standard Bank's month and day, in
# a Date column after the amounts). Two numbers in running text are rarely a date, so only a
# cell of a column that a table's header labels as its dates is read this way.
_SPACED_DAY_MONTH = re.compile(r"^(?P<a>\d{1,2}) (?P<b>\d{1,2})$")


def read_date_cell(text: str) -> RawDate | None:
    """Read the text of a cell under a table's date header: what :func:`read_date` reads, and
    a day and a month apart by a space ("01 02"), their order left to the statement's evidence
    like any numeric date's (:func:`day_first_from_evidence`)."""
    raw = read_date(text)
    if raw is not None:
        return raw
    found = _SPACED_DAY_MONTH.match(" ".join(text.split()))
    if found is None:
        return None
    first, second = int(found["a"]), int(found["b"])
    return RawDate(first, second, None, fixed=False) if 1 <= first <= 31 and 1 <= second <= 31 else None


# The shape of a numeric date (day, month and maybe year, or year first): what a date column
# printed when read_date refuses it (a day or month out of range, "32/01", "2024-13-05"; an
# OCR text layer's "07107" for 07/07, a separator read as a digit), unlike the account
# numbers (8 digits or more), currencies or names that stray into that column.
_DATE_SHAPE = re.compile(
    r"^(?:\d{1,2}[/.\-]\d{1,2}(?:[/.\-](?:\d{4}|\d{2}))?\.?|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\.?|\d{3,6})$"
)


def looks_like_date(text: str) -> bool:
    """Whether ``text`` is shaped like a numeric date, whether or not it is a valid one."""
    return bool(_DATE_SHAPE.match(" ".join(text.split())))


# What an OCR text layer makes of a date's separator: "07107" for 07/07.
_SEPARATOR_MISREADS = frozenset("1lI|!")


def repaired_date_text(text: str, neighbour: str) -> str | None:
    """``text`` in the shape of ``neighbour`` (a date printed in the same column just
    before), where ``neighbour`` prints a separator and ``text`` a character an OCR text
    layer makes of one: "07107" beside "06/07" -> "07/07". None unless every other
    character matches the shape (a digit where it prints a digit) and one was misread.
    """
    text, neighbour = " ".join(text.split()), " ".join(neighbour.split())
    if len(text) != len(neighbour) or read_date(neighbour) is None:
        return None
    repaired = []
    for char, model in zip(text, neighbour, strict=True):
        if (model.isdigit() and char.isdigit()) or char == model:
            repaired.append(char)
        elif not model.isdigit() and char in _SEPARATOR_MISREADS:
            repaired.append(model)
        else:
            return None
    read = "".join(repaired)
    return read if read != text else None


def proven_day_first(dates: Iterable[RawDate]) -> bool | None:
    """DD/MM (true) or MM/DD (false) if a date proves it, else ``None``.

    A first field above 12 proves day-first, a second field above 12 proves month-first.
    """
    for raw in dates:
        if raw.fixed:
            continue
        if raw.first > 12:
            return True
        if raw.second > 12:
            return False
    return None


def day_first_from_evidence(dates: Iterable[RawDate], american_hint: bool) -> bool:
    """Decide DD/MM (true) or MM/DD (false) for one statement.

    What the dates prove (:func:`proven_day_first`) wins; without proof, ``american_hint``
    (USD or ``$`` amounts, US wording) chooses month-first.
    """
    proven = proven_day_first(dates)
    return (not american_hint) if proven is None else proven


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


# ---------------------------------------------------------------- dates in running text

_MONTH_WORD = alternation(MONTHS)
# Year first, one separator throughout: ISO "2024-03-15", and "2024/03/15" (Japan, China),
# "2024.03.15" (Korea, Hungary).
_ISO_RE = re.compile(r"(?<!\d)(?<!\d[./-])(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\d|[./-]\d)")
# Czech and Slovak dates print a space after each dot ("15. 3. 2024").
_NUMERIC_RE = re.compile(r"(?<!\d)(?<!\d[./-])(\d{1,2})(\. ?|[/-])(\d{1,2})\2(\d{4}|\d{2})(?!\d|[./-]\d)")
# Words a long date prints between its day, month and year: "15 de marzo de 2024" (Spanish,
# Portuguese), "1 de septiembre del 2024", "15th of March 2024".
_DATE_CONNECTORS = ("de", "del", "of")
_CONNECTOR = rf"(?:(?:{alternation(_DATE_CONNECTORS)})\s+)?"
_DAY_MONTH_RE = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:\.|st|nd|rd|th)?[\s-]*{_CONNECTOR}({_MONTH_WORD})(?!\w)\.?[\s,-]*{_CONNECTOR}"
    rf"(\d{{4}})(?!\d)",
    re.IGNORECASE,
)
_MONTH_DAY_RE = re.compile(
    rf"(?<!\w)({_MONTH_WORD})(?!\w)\.?\s*(\d{{1,2}})(?:st|nd|rd|th)?,?\s*(\d{{4}})(?!\d)",
    re.IGNORECASE,
)


def parse_date(text: str, day_first: bool | None = None) -> date | None:
    """Parse one printed date; ``None`` if ``text`` is not exactly a (valid) date.

    Understands year-first ``2014-05-07`` (also ``2014/05/07``, ``2014.05.07``),
    ``07.05.2014`` / ``07.05.14`` (always day first), ``05/07/2014`` and ``05-07-2014``
    (order from ``day_first``; when it is ``None`` only unambiguous dates such as
    ``03/20/2023`` parse), and month names in every
    language of :data:`MONTHS`: ``7. Mai 2014``, ``19 april 2014``, ``March 20, 2023``,
    ``3 février 2024``.
    """
    stripped = text.strip()
    return next(
        (found for start, end, found in _dates_in(stripped, day_first) if (start, end) == (0, len(stripped))),
        None,
    )


def find_date(text: str, day_first: bool | None = None) -> date | None:
    """The first date printed in ``text`` (see :func:`parse_date` for the formats)."""
    candidates = sorted(_dates_in(text, day_first), key=lambda found: found[0])
    return candidates[0][2] if candidates else None


def leading_date(text: str, day_first: bool | None = None) -> date | None:
    """The date ``text`` starts with (after blanks), or ``None``."""
    start = len(text) - len(text.lstrip())
    return next((found for begin, _, found in _dates_in(text, day_first) if begin == start), None)


# A letter's place-and-date line: a place name (up to four words of letters: "St. Gallen",
# "La Chaux-de-Fonds"), a comma, and one date, nothing else ("Zürich, 15. März 2024").
_PLACE_WORD = r"[^\W\d_]+(?:[-'’.][^\W\d_]+)*\.?"
_PLACE_AND_DATE_RE = re.compile(rf"^\s*{_PLACE_WORD}(?:\s+{_PLACE_WORD}){{0,3}},\s*(?P<date>.+?)\s*$")


def place_and_date(text: str, day_first: bool | None = None) -> date | None:
    """The date of a line that is only a place, a comma and a date (``Zürich, 15. März 2024``)."""
    match = _PLACE_AND_DATE_RE.match(text)
    return parse_date(match["date"], day_first) if match else None


def numeric_date_order(texts: Iterable[str], currency: str | None) -> bool | None:
    """Whether ``a/b/yyyy`` (and ``a-b-yyyy``) dates in a document are day first.

    Evidence in the document wins (a first part above 12 means day first, a second part
    above 12 month first). Without it: US-dollar documents write month first, documents
    in any other known currency day first; unknown currency -> ``None`` (ambiguous).
    """
    day_first_seen = month_first_seen = False
    for text in texts:
        for match in _NUMERIC_RE.finditer(text):
            if not match[2].startswith("."):
                day_first_seen |= int(match[1]) > 12
                month_first_seen |= int(match[3]) > 12
    if day_first_seen != month_first_seen:
        return day_first_seen
    if day_first_seen or currency is None:
        return None
    return currency != "USD"


def _dates_in(text: str, day_first: bool | None) -> Iterator[tuple[int, int, date]]:
    """Every valid date in ``text`` as ``(start, end, date)``."""
    for match in _ISO_RE.finditer(text):
        yield from _located(match, _safe_date(int(match[1]), int(match[3]), int(match[4])))
    for match in _NUMERIC_RE.finditer(text):
        yield from _located(match, _numeric_date(match, day_first))
    for match in _DAY_MONTH_RE.finditer(text):
        month = MONTHS[match[2].lower()]
        yield from _located(match, _safe_date(int(match[3]), month, int(match[1])))
    for match in _MONTH_DAY_RE.finditer(text):
        month = MONTHS[match[1].lower()]
        yield from _located(match, _safe_date(int(match[3]), month, int(match[2])))


def _located(match: re.Match[str], found: date | None) -> Iterator[tuple[int, int, date]]:
    """Yield ``found`` with the span of ``match``, unless it is not a valid date."""
    if found is not None:
        yield match.start(), match.end(), found


def _numeric_date(match: re.Match[str], day_first: bool | None) -> date | None:
    """Resolve ``a<sep>b<sep>year``; dotted dates are always day first."""
    first, second, year = int(match[1]), int(match[3]), full_year(match[4])
    if match[2].startswith(".") or first > 12 or first == second:
        day_first = True
    elif second > 12:
        day_first = False
    if day_first is None:
        return None
    day, month = (first, second) if day_first else (second, first)
    return _safe_date(year, month, day)


def _safe_date(year: int, month: int, day: int) -> date | None:
    """``date(year, month, day)``, or ``None`` when that day does not exist (or is dated
    before :data:`EARLIEST_YEAR`)."""
    if year < EARLIEST_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None
