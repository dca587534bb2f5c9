"""Schedules: cron expressions, time zones, and the slot claim that lets beat fire each slot once.

A schedule names its times with a five-field cron expression (minute hour day month
weekday, or an alias such as ``@daily``) read as wall-clock time in an IANA zone.
``next_run_at`` holds the next slot due, in UTC. Beat (``backend/tasks/scheduler.py``)
claims a due slot with one conditional UPDATE that moves ``next_run_at`` on to the first
slot after *now*, in the transaction that records the run: only one of several beats can
win it, and slots missed while nothing ran are coalesced into that one run.

Daylight saving time, for a zone that has it (the examples are Europe/London):
- a wall-clock time the clocks skip (01:30 on the last Sunday of March) is run when the
  clocks jump (02:00 BST); a schedule whose hour field is ``*`` has no such slot that
  hour and simply goes on (``30 * * * *`` runs at 00:30 GMT, then 02:30 BST);
- a wall-clock time that happens twice (01:30 on the last Sunday of October) runs once,
  at its first occurrence, unless the hour field is ``*``: then it runs in both hours,
  as every hour is a real hour (``*/20 * * * *`` keeps running every 20 minutes).
This is the rule of Vixie cron, the cron most Linux systems run.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, cast
from zoneinfo import ZoneInfo, available_timezones

from croniter import CroniterBadDateError, CroniterError, croniter
from sqlalchemy import Connection, Engine, Table, func, select, update

from backend.db import read_only
from backend.models import Schedule, User

MAX_CRON_LENGTH = 100
# Vixie cron's nicknames, minus @reboot (a schedule has no "start" to run at).
CRON_ALIASES = frozenset(
    {"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}
)
CRON_FIELDS = 5
# Candidates looked at for one next slot: only repeated DST hours are skipped, so two
# suffice; more would mean the expression never matches a real time.
_MAX_SKIPPED_SLOTS = 8

_table = cast(Table, Schedule.__table__)


class ScheduleTask(enum.StrEnum):
    """What a schedule can run (the API's POST routes for the same work take the params)."""

    REPORT = "report"
    CATEGORIZE = "categorize"


class InvalidSchedule(ValueError):
    """A cron expression or time zone that cannot be scheduled; the message says why."""


@dataclass(frozen=True)
class CronSpec:
    """A validated cron expression and the zone its times are read in."""

    expression: str
    zone: ZoneInfo

    def next_slot(self, after: datetime) -> datetime:
        """The first slot strictly after ``after`` (aware), in UTC (DST: module docstring)."""
        every_hour = croniter.expand(self.expression)[0][1] == ["*"]
        slots = croniter(self.expression, after.astimezone(self.zone))
        try:
            for _ in range(_MAX_SKIPPED_SLOTS):
                slot = slots.get_next(datetime)
                if slot.astimezone(UTC) <= after:
                    continue  # a wall time read with the other offset near a DST change
                if every_hour or not _second_occurrence(slot, self.zone):
                    return slot.astimezone(UTC)
        except CroniterBadDateError:
            pass
        raise InvalidSchedule(f"the cron expression {self.expression!r} never matches a date")

    def slot_after_run(self, due: datetime, now: datetime) -> datetime:
        """Where ``next_run_at`` goes when the slot ``due`` runs at ``now``: the first slot
        after now, so that however many slots were missed (everything was down), one run
        stands for all of them."""
        return self.next_slot(max(due, now))


def _second_occurrence(slot: datetime, zone: ZoneInfo) -> bool:
    """Whether ``slot`` is the second time its wall-clock time happens (clocks went back)."""
    first = slot.replace(tzinfo=None).replace(tzinfo=zone, fold=0)
    # Aware datetimes of one zone compare by wall time, so compare their UTC instants.
    return first.astimezone(UTC) < slot.astimezone(UTC)


def parse_cron(expression: str) -> str:
    """The expression, trimmed; InvalidSchedule with the reason when it cannot be used."""
    text = " ".join(expression.split())
    if not text:
        raise InvalidSchedule("the cron expression is empty")
    if len(text) > MAX_CRON_LENGTH:
        raise InvalidSchedule(f"the cron expression is longer than {MAX_CRON_LENGTH} characters")
    if text.startswith("@"):
        if text.lower() not in CRON_ALIASES:
            raise InvalidSchedule(
                f"unknown cron alias {text!r} (known: {', '.join(sorted(CRON_ALIASES))})"
            )
        return text.lower()
    fields = len(text.split(" "))
    if fields > CRON_FIELDS:
        raise InvalidSchedule(
            f"{fields} fields: schedules run at most once a minute, so a seconds (or year) "
            "field is not supported; use 5 fields: minute hour day-of-month month day-of-week"
        )
    if fields < CRON_FIELDS:
        raise InvalidSchedule(
            f"{fields} fields: use 5 fields: minute hour day-of-month month day-of-week"
        )
    try:
        croniter(text)
    except CroniterError as exc:
        raise InvalidSchedule(f"invalid cron expression {text!r}: {exc}") from None
    # "0 0 30 2 *" is well formed but names no date.
    CronSpec(text, ZoneInfo("UTC")).next_slot(datetime.now(UTC))
    return text


def parse_timezone(name: str) -> ZoneInfo:
    """The IANA zone called ``name`` (``Europe/London``, ``UTC``); InvalidSchedule otherwise."""
    if name not in _zone_names():
        raise InvalidSchedule(
            f"unknown time zone {name!r}: use an IANA name such as 'Europe/London' or 'UTC'"
        )
    return ZoneInfo(name)


@lru_cache(maxsize=1)
def _zone_names() -> frozenset[str]:
    # Only the zones that exist, never a path: ZoneInfo would also read other files.
    # "localtime" (a link some systems keep in their zone folder) is the server's zone,
    # which a user cannot know.
    return frozenset(available_timezones()) - {"localtime", "posixrules"}


def cron_spec(expression: str, timezone: str) -> CronSpec:
    """A schedule's times, validated; InvalidSchedule with the reason otherwise."""
    return CronSpec(parse_cron(expression), parse_timezone(timezone))


# --- What beat does with the table ------------------------------------------------------


@dataclass(frozen=True)
class DueSchedule:
    id: int
    cron: str
    timezone: str
    next_run_at: datetime


@dataclass(frozen=True)
class ClaimedRun:
    """A slot this beat won: whose it is, and what to run (read by the same UPDATE)."""

    schedule_id: int
    user_id: int
    task: ScheduleTask
    params: dict[str, Any]


def due_schedules(engine: Engine, now: datetime) -> list[DueSchedule]:
    """The enabled schedules of active users whose next slot is due at ``now``."""
    with read_only(engine).connect() as conn:
        rows = conn.execute(
            select(_table.c.id, _table.c.cron, _table.c.timezone, _table.c.next_run_at)
            .join(User, User.id == _table.c.user_id)
            .where(_table.c.enabled.is_(True), _table.c.next_run_at <= now, User.is_active)
            .order_by(_table.c.next_run_at)
        ).all()
    return [
        DueSchedule(row.id, row.cron, row.timezone, _utc(row.next_run_at)) for row in rows
    ]


def earliest_next_run(engine: Engine) -> datetime | None:
    """When the soonest enabled schedule is due (beat sleeps until then at most)."""
    with read_only(engine).connect() as conn:
        value = conn.scalar(select(func.min(_table.c.next_run_at)).where(_table.c.enabled.is_(True)))
    return _utc(value) if value is not None else None


def claim_slot(
    conn: Connection, schedule_id: int, due: datetime, following: datetime, now: datetime
) -> ClaimedRun | None:
    """Take the slot ``due`` of a schedule by moving ``next_run_at`` on to ``following``,
    in the caller's transaction (which records the run's task row before it commits).

    One conditional UPDATE: of several beats that saw the same due slot, exactly one
    finds ``next_run_at`` still at ``due`` and wins; the others change nothing. None when
    this beat lost, or the schedule was paused, changed or deleted meanwhile.
    """
    row = conn.execute(
        update(_table)
        .where(_table.c.id == schedule_id, _table.c.next_run_at == due)
        .where(_table.c.enabled.is_(True))
        .values(next_run_at=following, last_run_at=now)
        .returning(_table.c.user_id, _table.c.task, _table.c.params)
    ).first()
    if row is None:
        return None
    return ClaimedRun(schedule_id, row.user_id, ScheduleTask(row.task), dict(row.params))


def pause_broken(engine: Engine, schedule_id: int, due: datetime) -> bool:
    """Disable a due schedule that no longer has a next slot (its zone left the time
    zone database, say), rather than look at it again at every tick."""
    with engine.begin() as conn:
        return bool(
            conn.execute(
                update(_table)
                .where(_table.c.id == schedule_id, _table.c.next_run_at == due)
                .values(enabled=False)
            ).rowcount
        )


def _utc(value: datetime) -> datetime:
    # PostgreSQL answers in its session's time zone; UTC reads better in logs and the API.
    return value.astimezone(UTC)
