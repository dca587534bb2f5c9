"""Request and response bodies of the HTTP API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from backend.security import MAX_PASSWORD_BYTES


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
