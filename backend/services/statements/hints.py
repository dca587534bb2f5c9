"""What a user may tell the parser about a statement, and what it says back when it guessed."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import InvalidInputError

# The order of day, month and year in the statement's numeric dates -> day before month?
# (Year-first documents print the short form month first: 2024/03/05, then 03/05.)
DATE_ORDERS: dict[str, bool] = {"DMY": True, "MDY": False, "YMD": False}
# The decimal mark of the statement's amounts -> decimal comma?
DECIMAL_MARKS: dict[str, bool] = {".": False, ",": True}

# Warnings, in the words a user reads in the result.
YEAR_FROM_PERIOD = "year inferred from the statement period"
YEAR_FROM_STATEMENT_DATE = "year inferred from the statement date"
YEAR_ASSUMED = "year assumed to be the current one: the statement prints no year"
SIGNS_BY_RECONCILIATION = "sign convention chosen by reconciliation"
COLUMNS_BY_RECONCILIATION = "debit and credit columns chosen by reconciliation"
COLUMNS_GUESSED = "debit and credit columns guessed: the headers do not say which is which"
DATE_ORDER_BY_RECONCILIATION = "date order chosen by reconciliation"
DAY_FIRST_GUESSED = "date order guessed as day/month: no date in the statement proves it"
MONTH_FIRST_GUESSED = "date order guessed as month/day: no date in the statement proves it"


def skipped_rows_warning(count: int, example: str, date_order: str | None) -> str:
    """The warning for transaction rows left out because their printed date is not a date
    (``date_order``: the user's hint, which the dates were read by)."""
    rows, their = ("1 transaction row", "its") if count == 1 else (f"{count} transaction rows", "their")
    read = f" as {date_order} (the date_order hint)" if date_order else ""
    return f"{rows} skipped: {their} printed date cannot be read{read}, e.g. '{example}'"


def pending_rows_warning(count: int, example: str) -> str:
    """The warning for rows left out because they are printed as pending (not yet settled)."""
    rows = "1 pending transaction row" if count == 1 else f"{count} pending transaction rows"
    return f"{rows} left out: not yet settled, they are not in the statement's balance, e.g. '{example}'"


def misread_dates_warning(count: int, printed: str, read_as: str) -> str:
    """The warning for rows whose printed date was read in the shape of the date above it."""
    dates = "1 date" if count == 1 else f"{count} dates"
    return (
        f"{dates} read in the shape of the date above, e.g. '{printed}' as '{read_as}' "
        "(a scanned statement's text, which read a separator as a digit)"
    )


def date_order_misfit(date_order: str, misread: int, dated: int, example: str) -> str:
    """Why a statement is refused when the user's date_order hint contradicts most of its dates."""
    return (
        f"The date_order hint {date_order} does not fit this statement: {misread} of its {dated} "
        f"dated transaction rows print a date that cannot be read as {date_order} (e.g. '{example}'). "
        "Upload it again with the date order the statement uses, or without date_order to let "
        "the parser decide."
    )


def decimal_misfit(decimal: str, misread: int, amounts: int, example: str) -> str:
    """Why a statement is refused when the user's decimal hint contradicts most of its amounts."""
    other = "." if decimal == "," else ","
    return (
        f"The decimal hint '{decimal}' does not fit this statement: {misread} of its {amounts} "
        f"amounts with two decimals print '{other}' as the decimal mark (e.g. '{example}'). "
        "Upload it again with the decimal mark the statement uses, or without decimal to let "
        "the parser decide."
    )


@dataclass(frozen=True)
class ParserHints:
    """Overrides for the parser's guesses; ``None`` lets the document decide."""

    day_first: bool | None = None
    decimal_comma: bool | None = None
    date_order: str | None = None  # as the user named it (DMY, MDY, YMD), for messages


def parser_hints(date_order: str | None = None, decimal: str | None = None) -> ParserHints:
    """Hints from the optional upload fields ``date_order`` (DMY|MDY|YMD) and ``decimal`` (.|,).

    Raises:
        InvalidInputError: a value outside those lists (the message names the allowed ones).
    """
    if date_order is not None and date_order.upper() not in DATE_ORDERS:
        raise InvalidInputError(f"date_order must be one of {', '.join(DATE_ORDERS)}, not {date_order!r}.")
    if decimal is not None and decimal not in DECIMAL_MARKS:
        raise InvalidInputError(f"decimal must be '.' or ',', not {decimal!r}.")
    order = date_order.upper() if date_order is not None else None
    return ParserHints(
        day_first=DATE_ORDERS[order] if order is not None else None,
        decimal_comma=DECIMAL_MARKS[decimal] if decimal is not None else None,
        date_order=order,
    )


def hint_record(date_order: str | None = None, decimal: str | None = None) -> dict[str, str]:
    """The hints as a statement records them: only those given, ``date_order`` in capitals
    (``{}`` for none). An upload of the same file must give the same record.

    Raises:
        InvalidInputError: a value :func:`parser_hints` refuses.
    """
    hints = parser_hints(date_order, decimal)
    record = {"date_order": hints.date_order} if hints.date_order is not None else {}
    return record | ({"decimal": decimal} if decimal is not None else {})


def describe_hints(record: dict[str, str] | None) -> str:
    """A hint record in a user's words: "date_order=MDY, decimal=','", "no parser hints"."""
    if record is None:
        return "parser hints that were not recorded (imported before they were)"
    if not record:
        return "no parser hints"
    return ", ".join(
        f"{name}={value}" if name == "date_order" else f"{name}='{value}'"
        for name, value in sorted(record.items())
    )
