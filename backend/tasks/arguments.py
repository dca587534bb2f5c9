"""What each task kind accepts: one pydantic model per kind, and how stored arguments are read.

A task's arguments outlive the release that wrote them: they wait in ``task_status.kwargs``
and in queued messages, and a retry (POST /tasks/{id}/retry, a batch's retry_failed, the
reaper's re-send) runs them again after a deploy. So they are read in two ways:

- **New** arguments (a submit, ``TaskKind.new_kwargs``) must match the model exactly: an
  unknown key (a typo) or a missing one is a programming error and raises
  ``pydantic.ValidationError`` before anything is recorded or sent.
- **Stored** arguments (a run, a retry: ``TaskKind.stored_kwargs``) follow the versioning
  rule: keys this release does not know are dropped (with a log line naming them), keys
  it added take the model's defaults, and arguments that still do not fit raise
  ``UnreadableArguments``; the task then ends FAILED with ``OLDER_RELEASE_MESSAGE``.

Hence the rule for changing a model: a new field gets a default; a field that is removed
or renamed is only ever dropped (old rows then lose it silently, so read it under its old
name for a release if it matters). Fields are JSON types (or types pydantic writes as
JSON, like ``date``), since both the row and the message are JSON.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

logger = logging.getLogger(__name__)

OLDER_RELEASE_MESSAGE = (
    "This task was submitted by an older release and can no longer be run; submit it again"
)


def monitoring_repr(kwargs: Mapping[str, Any]) -> str:
    """A task's arguments as monitoring shows them (the message's ``kwargsrepr``: Flower,
    Celery's events, the worker's log): ids, numbers and flags as they are, anything else
    by its kind alone. A file's name or path and a rule's pattern are the user's data, and
    monitoring is run by operators, who need to see which task it is, not what it reads."""
    shown: dict[str, object] = {}
    for name, value in kwargs.items():
        if value is None or isinstance(value, (bool, int, float)):
            shown[name] = value
        elif isinstance(value, list) and all(isinstance(item, int) for item in value):
            shown[name] = value  # ids (a batch's statements)
        elif isinstance(value, (list, tuple, Mapping)):
            shown[name] = f"<{len(value)} item{'' if len(value) == 1 else 's'}>"
        else:
            shown[name] = "<text>"
    return repr(shown)


class UnreadableArguments(ValueError):
    """Stored arguments that this release's model cannot read, even leniently."""


class TaskArguments(BaseModel):
    """Base of every kind's argument model: unknown keys are an error when submitting."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @classmethod
    def new_kwargs(cls, kwargs: Mapping[str, Any]) -> dict[str, Any]:
        """``kwargs`` checked strictly and written as JSON (only the keys given: a row then
        stores what its message carries); ValidationError for a typo or a missing key."""
        return cls.model_validate(dict(kwargs)).model_dump(mode="json", exclude_unset=True)

    @classmethod
    def stored_kwargs(cls, stored: object, task: str) -> dict[str, Any]:
        """Stored arguments read by the versioning rule (module docstring), every field
        filled in; UnreadableArguments when they cannot be read at all."""
        if not isinstance(stored, Mapping):
            raise UnreadableArguments(f"{task}: stored arguments are a {type(stored).__name__}")
        known = cls.model_fields.keys()
        unknown = sorted(str(key) for key in stored if key not in known)
        if unknown:
            # Names only: the values may be a user's data.
            logger.info("%s: ignoring stored argument(s) this release does not use: %s",
                        task, ", ".join(unknown))
        try:
            model = cls.model_validate({key: stored[key] for key in stored if key in known})
        except ValidationError as exc:
            fields = ", ".join(".".join(map(str, error["loc"])) for error in exc.errors())
            raise UnreadableArguments(f"{task}: stored arguments do not fit ({fields})") from None
        return model.model_dump(mode="json")


class NoArguments(TaskArguments):
    """A task that takes nothing (ping, beat's chores)."""


class ParseStatementArgs(TaskArguments):
    user_id: int
    file_path: str
    file_sha256: str
    # The user's hints (POST /upload_pdf_async); older rows carry neither.
    date_order: str | None = None
    decimal: str | None = None
    # The name the file was uploaded as, kept with its statements; older rows carry none.
    filename: str | None = None


class ExtractInvoiceArgs(TaskArguments):
    user_id: int
    file_path: str


class RuleArgs(BaseModel):
    """An inline rule, as POST /bulk_categorize_async took it (``backend.services.categorization.Rule``
    checks it in the task). A key it does not know is dropped: the route checked the rule."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    pattern: str
    match_type: str = "contains"
    category: str
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    direction: str | None = None
    priority: int = 0


class CategorizeArgs(TaskArguments):
    user_id: int
    statement_id: int | None = None
    # Inline rules; None: the user's saved rules.
    rules: list[RuleArgs] | None = None
    overwrite: bool = False
    # Categories set or cleared by hand may change too.
    include_manual: bool = False
    # A batch's statements (its pipeline step).
    statement_ids: list[int] | None = None


class ReportArgs(TaskArguments):
    user_id: int
    output_path: str
    statement_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    statement_ids: list[int] | None = None


class DeliverWebhookArgs(TaskArguments):
    delivery_id: int


# A long statement's part and merge tasks (backend/tasks/statement_parts.py).
class StatementPartArgs(TaskArguments):
    user_id: int
    # The statement's parse task, which the parts work for.
    parent_task_id: str
    file_path: str
    # The statement's page_total pages are read pages_per_part at a time; this is part part_index.
    part_index: int
    pages_per_part: int
    page_total: int


class MergeStatementPartsArgs(TaskArguments):
    user_id: int
    parent_task_id: str
    file_sha256: str
    pages_per_part: int
    page_total: int
    date_order: str | None = None
    decimal: str | None = None
    filename: str | None = None
