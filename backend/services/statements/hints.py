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


@dataclass(frozen=True)
class ParserHints:
    """Overrides for the parser's guesses; ``None`` lets the document decide."""

    day_first: bool | None = None
    decimal_comma: bool | None = None


def parser_hints(date_order: str | None = None, decimal: str | None = None) -> ParserHints:
    """Hints from the optional upload fields ``date_order`` (DMY|MDY|YMD) and ``decimal`` (.|,).

    Raises:
        InvalidInputError: a value outside those lists (the message names the allowed ones).
    """
    if date_order is not None and date_order.upper() not in DATE_ORDERS:
        raise InvalidInputError(f"date_order must be one of {', '.join(DATE_ORDERS)}, not {date_order!r}.")
    if decimal is not None and decimal not in DECIMAL_MARKS:
        raise InvalidInputError(f"decimal must be '.' or ',', not {decimal!r}.")
    return ParserHints(
        day_first=DATE_ORDERS[date_order.upper()] if date_order is not None else None,
        decimal_comma=DECIMAL_MARKS[decimal] if decimal is not None else None,
    )
