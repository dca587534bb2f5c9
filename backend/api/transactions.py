"""A user's transactions across statements: the searchable list, the charts' summary,
exports and category edits."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, status
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from starlette.background import BackgroundTask

from backend.api.deps import CurrentUser, SessionDep, WriteSessionDep
from backend.api.routing import OneHopRoute
from backend.api.schemas import (
    MAX_BIGINT,
    SummaryOut,
    TransactionOut,
    TransactionPage,
    reversed_dates,
)
from backend.db import get_engine, snapshot_reader
from backend.models import CategorySource, Transaction
from backend.services.categorization import MAX_CATEGORY_LENGTH, Direction
from backend.services.exports import ExportFormat, ExportScope, export_transactions
from backend.services.transaction_queries import (
    TransactionFilter,
    TransactionSort,
    categories_in_use,
    spending_summary,
    statement_currencies,
    transaction_page,
)

router = APIRouter(tags=["transactions"], route_class=OneHopRoute)

TransactionId = Annotated[int, Path(ge=1, le=MAX_BIGINT)]
FormatQuery = Annotated[ExportFormat, Query(alias="format", description="csv, ofx (OFX 2.2), qif or json")]
CategoryText = Annotated[str, Field(min_length=1, max_length=MAX_CATEGORY_LENGTH)]
TRANSACTION_NOT_FOUND = HTTPException(status.HTTP_404_NOT_FOUND, detail="Transaction not found")


def check_category_text(value: str | None) -> str | None:
    """A category as given, or ValueError: blank, a NUL or a lone surrogate (which
    PostgreSQL text cannot hold) is refused, as in a rule's category."""
    if value is None:
        return None
    if not value.strip():
        raise ValueError("category must not be blank (send null to clear it)")
    return check_storable_text(value, "category")


def check_storable_text(value: str, name: str) -> str:
    """``value``, or ValueError when it holds a NUL or a lone surrogate."""
    if "\x00" in value:
        raise ValueError(f"{name} must not contain NUL characters")
    if any("\ud800" <= char <= "\udfff" for char in value):
        raise ValueError(f"{name} must not contain lone surrogate characters")
    return value


class CategoryIn(BaseModel):
    """A transaction's new category, picked by hand; ``null`` clears it.

    A pick, also of no category, is kept by categorization runs unless they ask for
    ``include_manual``. ``{"category": null, "category_source": null}`` hands the
    transaction back to the rules: no category, and the next run may give it one.
    """

    # A typo ("catgory_source") would otherwise make a pick the user meant to undo.
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"category": "Groceries"}, {"category": None}, {"category": None, "category_source": None},
    ]})

    category: CategoryText | None = Field(examples=["Groceries"])
    category_source: Literal[CategorySource.MANUAL] | None = Field(
        default=CategorySource.MANUAL,
        description="'manual' (the default): the rules leave this pick alone; null, only"
        " with a null category: no category, for the rules to give",
    )

    _valid = field_validator("category")(check_category_text)

    @model_validator(mode="after")
    def _source_fits(self) -> CategoryIn:
        if self.category is not None and self.category_source is None:
            raise ValueError(
                "a category set here is a manual pick: category_source null only goes with"
                " a null category (to hand the transaction back to the rules)"
            )
        return self


def export_response(scope: ExportScope, export_format: ExportFormat, filename: str) -> StreamingResponse:
    """Stream the scope's transactions as a download named ``filename`` + the format's extension."""
    # Its own connection, closed when the body is done: the request's session may be
    # closed before the body is sent. The queries run here, so that a database outage
    # is a 503 before any byte of the file goes out.
    # One snapshot: the OFX writer looks up each row's statement, read by a second query.
    conn = snapshot_reader(get_engine())
    try:
        chunks = export_transactions(conn, scope, export_format, datetime.now(UTC))
    except BaseException:
        conn.close()
        raise

    def body() -> Iterator[str]:
        try:
            yield from chunks
        finally:
            conn.close()

    return StreamingResponse(
        body(),
        media_type=export_format.media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}.{export_format.value}"'},
        # Closes the connection too when the client went away before the body started.
        background=BackgroundTask(conn.close),
    )


EXPORT_RESPONSES: dict[int | str, dict] = {
    200: {
        "description": "The file, streamed",
        "content": {fmt.media_type: {} for fmt in ExportFormat},
    },
}


@router.get("/transactions/export", response_class=StreamingResponse, responses=EXPORT_RESPONSES)
def export_my_transactions(
    user: CurrentUser,
    export_format: FormatQuery = ExportFormat.CSV,
    date_from: date | None = None,
    date_to: date | None = None,
    category: Annotated[str | None, Query(max_length=MAX_CATEGORY_LENGTH)] = None,
) -> StreamingResponse:
    """All the user's transactions (optionally a date range, one category) as a file."""
    problem = reversed_dates(date_from, date_to)
    if problem:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail=problem)
    try:
        check_category_text(category)
    except ValueError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail=str(exc)) from None
    scope = ExportScope(user_id=user.id, date_from=date_from, date_to=date_to, category=category)
    return export_response(scope, export_format, f"ledgerflow-transactions-{date.today():%Y-%m-%d}")


SearchText = Annotated[str | None, Query(max_length=200, description="Part of the description")]


def transaction_filter(
    user: CurrentUser,
    q: SearchText = None,
    date_from: date | None = None,
    date_to: date | None = None,
    category: Annotated[str | None, Query(max_length=MAX_CATEGORY_LENGTH)] = None,
    uncategorized: Annotated[bool, Query(description="Only those without a category")] = False,
    direction: Annotated[Direction | None, Query(description="debit: money out, credit: money in")] = None,
    statement_id: Annotated[int | None, Query(ge=1, le=MAX_BIGINT)] = None,
    category_source: Annotated[
        CategorySource | None,
        Query(description="rule: categories the rules set; manual: those set or cleared by hand"),
    ] = None,
) -> TransactionFilter:
    """The query's filters over the user's transactions; 422 for a reversed date range,
    text PostgreSQL cannot hold, or a category together with ``uncategorized``."""
    try:
        check_category_text(category)
        check_storable_text(q or "", "q")
        problem = reversed_dates(date_from, date_to)
        if problem:
            raise ValueError(problem)
        if category is not None and uncategorized:
            raise ValueError("ask for a category or for uncategorized, not both")
    except ValueError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail=str(exc)) from None
    return TransactionFilter(
        user_id=user.id, search=q or None, date_from=date_from, date_to=date_to,
        category=category, uncategorized=uncategorized, direction=direction,
        statement_id=statement_id, category_source=category_source,
    )


FilterDep = Annotated[TransactionFilter, Depends(transaction_filter)]


@router.get("/transactions", response_model=TransactionPage)
def list_my_transactions(
    where: FilterDep,
    session: SessionDep,
    sort: TransactionSort = TransactionSort.DATE_DESC,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_BIGINT)] = 0,
) -> TransactionPage:
    """The user's transactions across statements: search, filter, sort (``-`` descending), page."""
    rows, total = transaction_page(session, where, sort, limit, offset)
    items = [TransactionOut.of(row, currency) for row, currency in rows]
    return TransactionPage(items=items, total=total)


@router.get("/transactions/categories", response_model=list[str])
def list_categories(user: CurrentUser, session: SessionDep) -> list[str]:
    """The categories the user's transactions have, alphabetically."""
    return categories_in_use(session, user.id)


@router.get("/transactions/summary", response_model=SummaryOut)
def summarize(where: FilterDep, session: SessionDep) -> SummaryOut:
    """Money out by category and money in/out by month, for the same filters as the list."""
    summary = spending_summary(session, where)
    return SummaryOut.model_validate(summary, from_attributes=True)


@router.patch("/transactions/{transaction_id}", response_model=TransactionOut)
def set_category(
    transaction_id: TransactionId, body: CategoryIn, user: CurrentUser, session: WriteSessionDep
) -> TransactionOut:
    """Set or clear (``null``) one of the user's transactions' category by hand (rules then
    leave it alone), or hand it back to the rules (both ``null``)."""
    # Locked until the commit: a DELETE of its statement waits, or went first (404).
    transaction = session.get(Transaction, transaction_id, with_for_update=True)
    if transaction is None or transaction.user_id != user.id:
        raise TRANSACTION_NOT_FOUND
    transaction.category = body.category
    transaction.category_source = body.category_source
    session.commit()
    currency = statement_currencies(session, [transaction.statement_id]).get(transaction.statement_id)
    return TransactionOut.of(transaction, currency)
