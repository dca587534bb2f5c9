"""Reading a user's transactions: a filtered, sorted page, the spending summary the charts
draw, and a rule's preview (which of them a rule would match)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVarTuple

from sqlalchemy import ColumnElement, Select, case, func, select
from sqlalchemy.orm import Session

from backend.models import CategorySource, Statement, Transaction
from backend.services.categorization import Direction, Rule
from backend.unicode_text import composed, composed_sql

# The columns of a query the transactions table orders.
_Columns = TypeVarTuple("_Columns")

# Rows read per round trip while a rule is previewed.
PREVIEW_BATCH = 2_000


class TransactionSort(StrEnum):
    """Orders of the transactions table; a leading ``-`` is descending."""

    DATE = "date"
    DATE_DESC = "-date"
    AMOUNT = "amount"
    AMOUNT_DESC = "-amount"
    DESCRIPTION = "description"
    DESCRIPTION_DESC = "-description"
    CATEGORY = "category"
    CATEGORY_DESC = "-category"


@dataclass(frozen=True)
class TransactionFilter:
    """Which of a user's transactions to show. ``search`` is a case-insensitive substring
    of the description, blind to the Unicode normalization form (``unicode_text``);
    ``uncategorized`` keeps those without a category; ``category_source`` those whose
    category the rules, or the user, set."""

    user_id: int
    search: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    category: str | None = None
    uncategorized: bool = False
    direction: Direction | None = None
    statement_id: int | None = None
    category_source: CategorySource | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        where: list[ColumnElement[bool]] = [Transaction.user_id == self.user_id]
        if self.search:
            # Both sides composed (NFC), as categorization rules match: decomposed text
            # from a PDF is found by what a user types, and the other way round.
            pattern = f"%{_escape_like(composed(self.search))}%"
            where.append(composed_sql(Transaction.description).ilike(pattern, escape="\\"))
        if self.date_from:
            where.append(Transaction.date >= self.date_from)
        if self.date_to:
            where.append(Transaction.date <= self.date_to)
        if self.category is not None:
            where.append(Transaction.category == self.category)
        if self.uncategorized:
            where.append(Transaction.category.is_(None))
        if self.direction is Direction.DEBIT:
            where.append(Transaction.amount < 0)
        elif self.direction is Direction.CREDIT:
            where.append(Transaction.amount > 0)
        if self.statement_id is not None:
            where.append(Transaction.statement_id == self.statement_id)
        if self.category_source is not None:
            where.append(Transaction.category_source == self.category_source.value)
        return where


def _escape_like(text: str) -> str:
    """``text`` with LIKE's wildcards taken literally (a search for "50%" means 50%)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _ordered(query: Select[*_Columns], sort: TransactionSort) -> Select[*_Columns]:
    column = {
        "date": Transaction.date,
        "amount": Transaction.amount,
        "description": Transaction.description,
        "category": Transaction.category,
    }[sort.value.lstrip("-")]
    descending = sort.value.startswith("-")
    # The id breaks ties, so paging through equal dates neither repeats nor skips a row;
    # within a statement ids follow the printed order.
    if descending:
        return query.order_by(column.desc(), Transaction.id.desc())
    return query.order_by(column.asc(), Transaction.id.asc())


def transaction_page(
    session: Session, where: TransactionFilter, sort: TransactionSort, limit: int, offset: int
) -> tuple[list[tuple[Transaction, str | None]], int]:
    """One page of the matching transactions, each with its statement's currency (ISO 4217,
    ``None``: unknown), and how many match in all."""
    conditions = where.conditions()
    # The count needs no statement: its conditions are all on transactions.
    total = session.scalar(select(func.count()).select_from(Transaction).where(*conditions)) or 0
    # The currency looked up by the statement's primary key as a correlated subquery, which
    # PostgreSQL evaluates after the sort and limit, for the page's rows only: a plain join
    # is made before sorting, for every matching row (sorted by amount, 200,000 rows: 58 ms
    # instead of 30).
    currency = select(Statement.currency).where(Statement.id == Transaction.statement_id)
    page = _ordered(select(Transaction, currency.scalar_subquery()).where(*conditions), sort)
    rows = session.execute(page.limit(limit).offset(offset)).all()
    return [(transaction, currency) for transaction, currency in rows], total


def statement_currencies(session: Session, statement_ids: Iterable[int]) -> dict[int, str | None]:
    """The currency of each of these statements (ISO 4217; ``None``: unknown), by id."""
    ids = set(statement_ids)
    if not ids:
        return {}
    rows = session.execute(select(Statement.id, Statement.currency).where(Statement.id.in_(ids)))
    return {statement_id: currency for statement_id, currency in rows}


def categories_in_use(session: Session, user_id: int) -> list[str]:
    """The distinct categories of the user's transactions, alphabetically."""
    return list(
        session.scalars(
            select(Transaction.category)
            .where(Transaction.user_id == user_id, Transaction.category.is_not(None))
            .group_by(Transaction.category)
            .order_by(Transaction.category)
        )
    )


@dataclass
class Summary:
    """Money out per (currency, category), largest first within a currency, and money in/out
    per (currency, month), oldest first; currencies in code order, unknown (``None``) last.
    Amounts of different currencies are never added together."""

    spending: list[dict[str, Any]] = field(default_factory=list)
    months: list[dict[str, Any]] = field(default_factory=list)
    currencies: list[str | None] = field(default_factory=list)


def _currency_order(currency: str | None) -> tuple[bool, str]:
    """Currencies by code, the unknown one last."""
    return currency is None, currency or ""


def spending_summary(session: Session, where: TransactionFilter) -> Summary:
    """What the charts draw, for the transactions ``where`` selects, per statement currency."""
    conditions = where.conditions()
    currency = Statement.currency
    spent = session.execute(
        select(currency, Transaction.category, func.sum(Transaction.amount), func.count())
        .join(Statement, Statement.id == Transaction.statement_id)
        .where(*conditions, Transaction.amount < 0)
        .group_by(currency, Transaction.category)
    ).all()
    largest_first = sorted(
        ((code, -Decimal(total), category, count) for code, category, total, count in spent),
        key=lambda row: (_currency_order(row[0]), -row[1], row[2] or ""),
    )
    spending = [
        {"currency": code, "category": category, "amount": amount, "count": count}
        for code, amount, category, count in largest_first
    ]
    # Grouped by day in SQL (portable), folded into months here: a year is at most 366 rows a currency.
    money_in = func.sum(case((Transaction.amount > 0, Transaction.amount), else_=0))
    money_out = func.sum(case((Transaction.amount < 0, -Transaction.amount), else_=0))
    months: dict[tuple[str | None, str], dict[str, Any]] = defaultdict(
        lambda: {"money_in": Decimal(0), "money_out": Decimal(0), "count": 0}
    )
    for code, day, day_in, day_out, day_count in session.execute(
        select(currency, Transaction.date, money_in, money_out, func.count())
        .join(Statement, Statement.id == Transaction.statement_id)
        .where(*conditions)
        .group_by(currency, Transaction.date)
    ):
        month = months[(code, f"{day:%Y-%m}")]
        month["money_in"] += Decimal(day_in or 0)
        month["money_out"] += Decimal(day_out or 0)
        month["count"] += day_count
    ordered = sorted(months.items(), key=lambda item: (_currency_order(item[0][0]), item[0][1]))
    return Summary(
        spending=spending,
        months=[{"currency": code, "month": month, **totals} for (code, month), totals in ordered],
        currencies=sorted({code for code, _ in months}, key=_currency_order),
    )


@dataclass
class RulePreview:
    """How many of the user's transactions a rule matches, and the first few of them."""

    matched: int = 0
    already_categorized: int = 0
    set_by_hand: int = 0
    scanned: int = 0
    examples: list[Transaction] = field(default_factory=list)


def preview_rule(session: Session, user_id: int, rule: Rule, example_count: int = 5) -> RulePreview:
    """Run ``rule`` alone over every transaction of the user, newest first, without saving.

    ``already_categorized`` counts the matches that have a category now (a categorize run
    without ``overwrite`` leaves those alone), ``set_by_hand`` those whose category (or its
    absence) the user chose (one without ``include_manual`` leaves those alone)."""
    preview = RulePreview()
    rows = session.scalars(
        select(Transaction)
        .where(Transaction.user_id == user_id)
        .order_by(Transaction.date.desc(), Transaction.id.desc())
        .execution_options(yield_per=PREVIEW_BATCH)
    )
    for row in rows:
        preview.scanned += 1
        if not rule.matches(row.description, row.amount):
            continue
        preview.matched += 1
        preview.already_categorized += row.category is not None
        preview.set_by_hand += row.category_source == CategorySource.MANUAL
        if len(preview.examples) < example_count:
            preview.examples.append(row)
    return preview
