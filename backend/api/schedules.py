"""Schedules: a report or a categorization run at the times of a cron expression.

Beat (``backend/tasks/scheduler.py``) fires them; each run is an ordinary task, listed
by ``GET /schedules/{id}/runs``. The times' rules, DST included, are in
``backend/services/schedules.py``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Response, status
from fastapi.exceptions import RequestValidationError
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.api.deps import (
    CurrentUser,
    OwnedSchedule,
    ScheduleId,
    SessionDep,
    SettingsDep,
    WriteSessionDep,
    owned,
)
from backend.api.errors import error_responses
from backend.api.routing import OneHopRoute
from backend.api.schemas import BulkCategorizeIn, Page, ReportIn, TaskPage
from backend.api.tasks import Limit, Offset, task_page
from backend.models import Schedule, Statement, TaskStatus, User, utcnow
from backend.services import schedules
from backend.services.schedules import MAX_CRON_LENGTH, ScheduleTask

router = APIRouter(prefix="/schedules", tags=["schedules"], route_class=OneHopRoute)


def _cron(value: str) -> str:
    return schedules.parse_cron(value)


def _zone(value: str) -> str:
    schedules.parse_timezone(value)
    return value


# A little slack over MAX_CRON_LENGTH for spaces that parse_cron squeezes out.
Cron = Annotated[
    str, Field(min_length=1, max_length=2 * MAX_CRON_LENGTH, examples=["0 6 * * 1"]),
    AfterValidator(_cron),
]
Zone = Annotated[str, Field(min_length=1, max_length=64, examples=["Europe/London"]),
                 AfterValidator(_zone)]


# What each task accepts: the body of the POST route for the same work (which refuses a
# key it does not know: a typo would otherwise widen the run to everything).
PARAMS: dict[ScheduleTask, type[BaseModel]] = {
    ScheduleTask.REPORT: ReportIn,
    ScheduleTask.CATEGORIZE: BulkCategorizeIn,
}


class _ScheduleFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cron: Cron
    timezone: Zone = "UTC"
    enabled: bool = True


class ReportScheduleIn(_ScheduleFields):
    task: Literal[ScheduleTask.REPORT]
    params: ReportIn = Field(default_factory=ReportIn)


class CategorizationScheduleIn(_ScheduleFields):
    task: Literal[ScheduleTask.CATEGORIZE]
    params: BulkCategorizeIn = Field(default_factory=BulkCategorizeIn)


ScheduleIn = Annotated[ReportScheduleIn | CategorizationScheduleIn, Field(discriminator="task")]


class ScheduleUpdate(BaseModel):
    """The fields to change; ``params`` replaces the task's parameters whole."""

    model_config = ConfigDict(extra="forbid")

    cron: Cron | None = None
    timezone: Zone | None = None
    params: dict[str, Any] | None = None
    enabled: bool | None = None


class ScheduleOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    task: ScheduleTask
    cron: str
    timezone: str
    params: dict[str, Any]
    enabled: bool
    # The next run (UTC); null while the schedule is paused.
    next_run_at: datetime | None
    last_run_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, schedule: Schedule) -> ScheduleOut:
        out = cls.model_validate(schedule)
        return out if schedule.enabled else out.model_copy(update={"next_run_at": None})


class SchedulePage(Page):
    items: list[ScheduleOut]


# 404: a statement_id in params that is not the user's.
@router.post(
    "", status_code=status.HTTP_201_CREATED, response_model=ScheduleOut,
    responses=error_responses(404),
)
def create_schedule(
    body: ScheduleIn, user: CurrentUser, session: WriteSessionDep, settings: SettingsDep
) -> ScheduleOut:
    """Run a report or a categorization at each time ``cron`` names in ``timezone``.

    ``params`` is what POST /reports/generate_async or /bulk_categorize_async take.
    422 for an invalid cron expression or time zone (with the reason), a seconds field
    (more often than once a minute), or past MAX_SCHEDULES_PER_USER schedules.
    """
    limit = settings.max_schedules_per_user
    # Two creates at once must not both pass the count: they wait on the user's row
    # (SQLite's write transaction serializes them anyway).
    session.execute(select(User.id).where(User.id == user.id).with_for_update())
    kept = session.scalar(select(func.count()).select_from(Schedule).where(Schedule.user_id == user.id))
    if (kept or 0) >= limit:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            detail=f"You have {kept} schedules, the most one user can keep is {limit}: "
            "delete one before adding another",
        )
    params = _checked_params(session, user, body.params)
    now = utcnow()
    schedule = Schedule(
        user_id=user.id, task=body.task.value, cron=body.cron, timezone=body.timezone,
        params=params, enabled=body.enabled,
        next_run_at=schedules.cron_spec(body.cron, body.timezone).next_slot(now),
        created_at=now, updated_at=now,
    )
    session.add(schedule)
    session.commit()
    return ScheduleOut.of(schedule)


@router.get("", response_model=SchedulePage)
def list_schedules(user: CurrentUser, session: SessionDep) -> SchedulePage:
    """The user's schedules, oldest first."""
    rows = session.scalars(
        select(Schedule).where(Schedule.user_id == user.id).order_by(Schedule.id)
    ).all()
    return SchedulePage(items=[ScheduleOut.of(row) for row in rows], total=len(rows))


@router.get("/{schedule_id}", response_model=ScheduleOut)
def get_schedule(schedule: OwnedSchedule) -> ScheduleOut:
    return ScheduleOut.of(schedule)


@router.patch("/{schedule_id}", response_model=ScheduleOut)
def update_schedule(
    schedule_id: ScheduleId, body: ScheduleUpdate, user: CurrentUser, session: WriteSessionDep
) -> ScheduleOut:
    """Change a schedule: ``{"enabled": false}`` pauses it, ``true`` resumes it from the
    next slot (slots passed while paused do not run); cron, timezone or params too."""
    # Not OwnedSchedule: this writes through WriteSessionDep, the row must be read in it.
    schedule = owned(session, Schedule, user, schedule_id, "Schedule", for_update=True)
    if body.params is not None:
        model = PARAMS[ScheduleTask(schedule.task)]
        try:
            checked = model.model_validate(body.params)
        except ValidationError as exc:
            raise RequestValidationError(
                [{**error, "loc": ("body", "params", *error["loc"])}
                 for error in exc.errors(include_url=False, include_context=False)]
            ) from None
        schedule.params = _checked_params(session, user, checked)
    resumed = body.enabled is True and not schedule.enabled
    if body.cron is not None:
        schedule.cron = body.cron
    if body.timezone is not None:
        schedule.timezone = body.timezone
    if body.enabled is not None:
        schedule.enabled = body.enabled
    now = utcnow()
    if resumed or body.cron is not None or body.timezone is not None:
        # Beat compares next_run_at when it claims a slot, so a slot it read before this
        # change can no longer fire.
        schedule.next_run_at = schedules.cron_spec(schedule.cron, schedule.timezone).next_slot(now)
    schedule.updated_at = now
    session.commit()
    return ScheduleOut.of(schedule)


@router.delete("/{schedule_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_schedule(schedule_id: ScheduleId, user: CurrentUser, session: WriteSessionDep) -> Response:
    """Delete a schedule; its past runs stay in GET /tasks."""
    session.delete(owned(session, Schedule, user, schedule_id, "Schedule", for_update=True))
    session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{schedule_id}/runs", response_model=TaskPage)
def list_runs(
    schedule_id: ScheduleId, user: CurrentUser, session: SessionDep, limit: Limit = 50,
    offset: Offset = 0,
) -> TaskPage:
    """The tasks this schedule started, newest first."""
    owned(session, Schedule, user, schedule_id, "Schedule")
    filters = [TaskStatus.schedule_id == schedule_id, TaskStatus.user_id == user.id]
    return task_page(session, filters, limit, offset)


def _checked_params(session: Session, user: User, params: BaseModel) -> dict[str, Any]:
    """The params as the task's kwargs take them; 404 for a statement that is not the user's."""
    statement_id = getattr(params, "statement_id", None)
    if statement_id is not None:
        owned(session, Statement, user, statement_id, "Statement")
    return params.model_dump(mode="json")
