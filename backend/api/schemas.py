"""Request and response bodies of the HTTP API."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator, model_validator

from backend.models import CategorySource, TaskState, as_money
from backend.security import MAX_PASSWORD_BYTES
from backend.services.categorization import (
    MAX_AMOUNT,
    MAX_CATEGORY_LENGTH,
    MAX_PATTERN_LENGTH,
    MAX_PRIORITY,
    MAX_RULES,
    MIN_PRIORITY,
    Rule,
)
from backend.services.errors import InvalidInputError

# Largest value of a BIGINT column (statement ids) and of an INTEGER one (rule ids).
MAX_BIGINT = 2**63 - 1
MAX_INT32 = 2**31 - 1
StatementId = Annotated[int, Field(ge=1, le=MAX_BIGINT)]
# A bound on |amount|, as a ``Money`` column holds it on both back ends (thousandths at most).
AmountBound = Annotated[Decimal, Field(ge=0, le=MAX_AMOUNT, decimal_places=3)]


class RegisterIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"email": "ana@example.com", "password": "correct horse"}]}
    )

    email: EmailStr
    password: str = Field(min_length=8)

    @field_validator("password")
    @classmethod
    def _fits_bcrypt(cls, value: str) -> str:
        # bcrypt stops reading at a NUL: "password\x00..." would equal "password".
        if "\x00" in value:
            raise ValueError("password must not contain NUL characters")
        if len(value.encode()) > MAX_PASSWORD_BYTES:
            raise ValueError(f"password must be at most {MAX_PASSWORD_BYTES} bytes")
        return value


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    is_active: bool = True
    is_admin: bool = False
    created_at: datetime | None = None


class MeOut(UserOut):
    """``GET /auth/me``: the user, and the largest PDF they may upload (MAX_UPLOAD_MB), so a
    client can refuse a larger file before sending it rather than after, and the most files
    one ``POST /batches`` takes (MAX_BATCH_FILES) and the most tasks they may have waiting
    or running (USER_MAX_ACTIVE_TASKS), so it can send more files as several batches, each
    once there is room for it."""

    max_upload_bytes: int
    max_batch_files: int
    max_active_tasks: int


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 (the scheme's name, not a secret)
    expires_in: int


class SessionOut(BaseModel):
    """The web app's sign-in: who, and the CSRF token to echo in ``X-CSRF-Token``."""

    user: UserOut
    csrf_token: str
    expires_in: int


class TaskSubmitted(BaseModel):
    task_id: str
    status: Literal["submitted"] = "submitted"


class TaskOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    task_id: str
    task_name: str
    queue: str
    status: TaskState
    progress_percent: int
    progress_message: str | None
    error_message: str | None
    attempts: int
    # Runs that ended because their worker died (the task stops FAILED at MAX_WORKER_LOSSES).
    worker_losses: int
    # Whether running it again can help: a cancelled task, or one that FAILED for the
    # platform's reasons (a service away through every retry, a bug), not its input's.
    retryable: bool = Field(validation_alias="can_run_again")
    # The public id of the batch the task belongs to (GET /batches/{batch_id}): an item's
    # parse or a step of its pipeline; null for a task submitted on its own.
    batch_id: str | None = Field(validation_alias="batch_public_id")
    created_at: datetime
    started_at: datetime | None
    updated_at: datetime
    completed_at: datetime | None


class TaskPage(BaseModel):
    items: list[TaskOut]
    total: int


class TaskResultOut(BaseModel):
    task_id: str
    status: TaskState
    result: Any
    error_message: str | None


class Message(BaseModel):
    message: str


class Page(BaseModel):
    """A page of a listing: the items and how many there are in all."""

    total: int


class StatementOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    # Its place among the statements printed in one uploaded file: 0, then 1, 2, ... when a
    # PDF carries several (the upload's result lists them all in ``statement_ids``).
    part: int
    # The name of the file it was uploaded as; null for one imported before 2026-12-01
    # that no batch named.
    filename: str | None
    bank_name: str | None
    bank_source: str | None
    currency: str | None = Field(
        description="ISO 4217 code of its amounts as the document shows it ('EUR'); null: the"
        " document does not show it (a bare '$' alone), or imported before it was recorded",
        examples=["EUR"],
    )
    account_last4: str | None
    period_start: date | None
    period_end: date | None
    opening_balance: Decimal | None
    closing_balance: Decimal | None
    balance_check: str
    balance_mismatch_rows: int
    transaction_count: int
    page_count: int
    warnings: list[str]
    # The upload's parser hints it was read with ({} for none; null: not recorded, imported
    # before 2026-12-01). The same file uploaded with other hints is refused (409).
    parser_hints: dict[str, str] | None
    created_at: datetime


class StatementPage(Page):
    items: list[StatementOut]


class TransactionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    date: date
    description: str
    amount: Decimal = Field(description="Negative for money out, positive for money in")
    balance: Decimal | None
    category: str | None
    category_source: CategorySource | None = Field(
        description="Who set the category: 'rule' (at import or by a categorization run) or"
        " 'manual' (PATCH /transactions/{id}, also to null: runs leave it alone unless they"
        " ask for include_manual); null when nobody did (no category)"
    )
    currency: str | None = Field(
        default=None,
        description="ISO 4217 code of its statement's amounts ('EUR'); null: the statement does"
        " not show it",
        examples=["EUR"],
    )

    @classmethod
    def of(cls, transaction: object, currency: str | None) -> TransactionOut:
        """A transaction (ORM row) as sent, with its statement's currency."""
        out = cls.model_validate(transaction)
        out.currency = currency
        return out


class TransactionPage(Page):
    items: list[TransactionOut]


class RuleFields(BaseModel):
    """A categorization rule; matching is case-insensitive, bounds apply to |amount|.

    ``regex`` patterns use RE2 syntax (linear-time matching): look-around,
    backreferences, atomic groups and possessive quantifiers are refused.
    """

    pattern: str = Field(min_length=1, max_length=MAX_PATTERN_LENGTH)
    match_type: Literal["contains", "regex", "exact"] = "contains"
    category: str = Field(min_length=1, max_length=MAX_CATEGORY_LENGTH)
    amount_min: AmountBound | None = None
    amount_max: AmountBound | None = None
    direction: Literal["debit", "credit"] | None = None
    priority: int = Field(default=0, ge=MIN_PRIORITY, le=MAX_PRIORITY)


# The bodies of requests that start or shape work refuse keys they do not know (422): a
# typo such as "statment_id" would otherwise widen the run to every transaction.
class RuleIn(RuleFields):
    """A rule as sent: :class:`Rule` validates the rest (NUL characters, the regex...)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"pattern": "TESCO|SAINSBURY", "match_type": "regex", "category": "Groceries",
         "direction": "debit", "priority": 10},
    ]})

    @model_validator(mode="after")
    def _valid_rule(self) -> RuleIn:
        try:
            Rule(**self.model_dump())
        except InvalidInputError as exc:
            raise ValueError(str(exc)) from None
        return self


class RuleOut(RuleFields):
    model_config = ConfigDict(from_attributes=True)

    # As stored: a rule saved when bounds went up to MONEY_MAX is listed as it is.
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    id: int

    @field_validator("amount_min", "amount_max")
    @classmethod
    def _as_stored(cls, value: Decimal | None) -> Decimal | None:
        # The answer to a POST or PUT shows a bound as every GET will ("1E+2": "100.00").
        return None if value is None else as_money(value)
    created_at: datetime


class RulePage(Page):
    items: list[RuleOut]


class BulkCategorizeIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"statement_id": 42, "overwrite": False},
        {"rules": [{"pattern": "coffee", "category": "Eating out"}], "overwrite": True},
    ]})

    statement_id: StatementId | None = None
    rules: list[RuleIn] | None = Field(default=None, min_length=1, max_length=MAX_RULES)
    overwrite: bool = Field(
        default=False,
        description="Also re-categorize transactions that have a category from the rules"
        " (one that no rule matches keeps its category); false: only those without one",
    )
    include_manual: bool = Field(
        default=False,
        description="Let the rules change categories set or cleared by hand too (they"
        " become the rules'); false: those are kept and counted in the result's manual_kept",
    )


def reversed_dates(date_from: date | None, date_to: date | None) -> str | None:
    """What is wrong with a date range whose start is after its end, in words a person
    reads (the web app shows it as it is); None when the range is fine."""
    if date_from and date_to and date_from > date_to:
        return f"The start date ({date_from}) must not be after the end date ({date_to})"
    return None


class ReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"date_from": "2024-01-01", "date_to": "2024-03-31"}, {"statement_id": 42},
    ]})

    statement_id: StatementId | None = None
    date_from: date | None = None
    date_to: date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> ReportIn:
        problem = reversed_dates(self.date_from, self.date_to)
        if problem:
            raise ValueError(problem)
        return self


_SUMMARY_CURRENCY = Field(
    default=None,
    description="ISO 4217 code of the statements these amounts come from; null: statements whose"
    " currency is unknown (their own group). Amounts of different currencies are never added up",
    examples=["EUR"],
)


class CategorySpending(BaseModel):
    currency: str | None = _SUMMARY_CURRENCY
    category: str | None = Field(description="null: transactions without a category")
    amount: Decimal = Field(description="Money out, as a positive amount")
    count: int


class MonthTotals(BaseModel):
    currency: str | None = _SUMMARY_CURRENCY
    month: str = Field(examples=["2024-01"])
    money_in: Decimal
    money_out: Decimal = Field(description="Money out, as a positive amount")
    count: int = Field(default=0, description="How many transactions (in and out)")


class SummaryOut(BaseModel):
    """What the web app's charts draw: spending by category, money in and out by month, each
    per statement currency (one entry per currency and category / month; since 2026-12-01)."""

    spending: list[CategorySpending]
    months: list[MonthTotals]
    currencies: list[str | None] = Field(
        default_factory=list,
        description="The currencies present, by code, null (unknown) last: one chart each",
    )


class RulePreviewOut(BaseModel):
    """What a rule would match among the user's transactions, newest first, before saving it."""

    matched: int
    already_categorized: int = Field(
        description="Matches that have a category already (kept unless overwrite is asked)"
    )
    set_by_hand: int = Field(
        description="Matches whose category was set or cleared by hand (kept unless"
        " include_manual is asked)"
    )
    scanned: int
    examples: list[TransactionOut]
