"""Request and response bodies of the HTTP API."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator, model_validator

from backend.security import MAX_PASSWORD_BYTES
from backend.services.categorization import Rule
from backend.services.errors import InvalidInputError


class RegisterIn(BaseModel):
    email: EmailStr
    password: str = Field(min_length=8)

    @field_validator("password")
    @classmethod
    def _fits_bcrypt(cls, value: str) -> str:
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


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class TaskSubmitted(BaseModel):
    task_id: str
    status: str = "submitted"


class TaskOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    task_id: str
    task_name: str
    queue: str
    status: str
    progress_percent: int
    progress_message: str | None
    error_message: str | None
    attempts: int
    created_at: datetime
    started_at: datetime | None
    updated_at: datetime
    completed_at: datetime | None


class TaskPage(BaseModel):
    items: list[TaskOut]
    total: int


class TaskResultOut(BaseModel):
    task_id: str
    status: str
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
    bank_source: str | None
    account_last4: str | None
    period_start: date | None
    period_end: date | None
    opening_balance: Decimal | None
    closing_balance: Decimal | None
    balance_check: str
    balance_mismatch_rows: int
    transaction_count: int
    page_count: int
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


class TransactionPage(Page):
    items: list[TransactionOut]


class RuleFields(BaseModel):
    """A categorization rule; matching is case-insensitive, bounds apply to |amount|."""

    pattern: str
    match_type: Literal["contains", "regex", "exact"] = "contains"
    category: str
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    direction: Literal["debit", "credit"] | None = None
    priority: int = 0


class RuleIn(RuleFields):
    @model_validator(mode="after")
    def _valid_rule(self) -> "RuleIn":
        try:
            Rule(**self.model_dump())
        except InvalidInputError as exc:
            raise ValueError(str(exc)) from None
        return self


class RuleOut(RuleFields):
    model_config = ConfigDict(from_attributes=True)

    id: int
    created_at: datetime


class RulePage(Page):
    items: list[RuleOut]


MAX_INLINE_RULES = 1000


class BulkCategorizeIn(BaseModel):
    statement_id: int | None = None
    rules: list[RuleIn] | None = Field(default=None, min_length=1, max_length=MAX_INLINE_RULES)
    overwrite: bool = False


class ReportIn(BaseModel):
    statement_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> "ReportIn":
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError("date_from must not be after date_to")
        return self
