"""Schedules' times: cron and time zone validation, the next slot, coalescing and DST."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from backend.services.schedules import (
    InvalidSchedule,
    cron_spec,
    parse_cron,
    parse_timezone,
)


def at(text: str) -> datetime:
    """A UTC instant from ``YYYY-MM-DD HH:MM``."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("expression", "stored"),
    [
        ("0 6 * * 1", "0 6 * * 1"),
        ("  */15  9-17 * * MON-FRI ", "*/15 9-17 * * MON-FRI"),
        ("0 0 L * *", "0 0 L * *"),
        ("0 0 29 2 *", "0 0 29 2 *"),  # leap days exist
        ("@Daily", "@daily"),
    ],
)
def test_valid_cron_expressions_are_kept_tidied(expression: str, stored: str) -> None:
    assert parse_cron(expression) == stored


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ("60 * * * *", "out of range"),
        ("* * * * * *", "at most once a minute"),  # a seconds field
        ("0 0 * * * * 2030", "at most once a minute"),
        ("* * *", "use 5 fields"),
        ("", "empty"),
        ("@reboot", "unknown cron alias"),
        ("0 0 30 2 *", "never matches"),
        ("*/0 * * * *", "step '0'"),
        ("every monday", "use 5 fields"),
        ("a b c d e", "invalid cron expression"),
        ("1," * 60 + "2 * * * *", "longer than 100"),
    ],
)
def test_invalid_cron_expressions_say_why(expression: str, reason: str) -> None:
    with pytest.raises(InvalidSchedule, match=reason):
        parse_cron(expression)


def test_time_zones_are_iana_names_only() -> None:
    assert str(parse_timezone("Europe/London")) == "Europe/London"
    assert str(parse_timezone("UTC")) == "UTC"
    for name in ("Mars/Olympus", "../../etc/passwd", "/etc/localtime", "localtime", "", "europe/london"):
        with pytest.raises(InvalidSchedule, match="unknown time zone"):
            parse_timezone(name)


def test_next_slot_is_strictly_after_and_in_the_schedules_zone() -> None:
    weekly = cron_spec("0 6 * * 1", "Europe/London")
    # Monday 2026-11-30 06:00 GMT is 06:00 UTC; at that very instant the next is a week on.
    assert weekly.next_slot(at("2026-11-30 05:59")) == at("2026-11-30 06:00")
    assert weekly.next_slot(at("2026-11-30 06:00")) == at("2026-12-07 06:00")
    # In summer London is UTC+1.
    assert weekly.next_slot(at("2026-07-01 00:00")) == at("2026-07-06 05:00")
    every_minute = cron_spec("* * * * *", "UTC")
    assert every_minute.next_slot(at("2026-11-30 10:00") + timedelta(seconds=1)) == at("2026-11-30 10:01")


def test_missed_slots_coalesce_into_one_run() -> None:
    """Down for three days: the slot due then runs once, and the next is after *now*."""
    every_minute = cron_spec("* * * * *", "UTC")
    due, now = at("2026-11-27 09:00"), at("2026-11-30 10:00") + timedelta(seconds=20)
    assert every_minute.slot_after_run(due, now) == at("2026-11-30 10:01")
    weekly = cron_spec("0 6 * * 1", "Europe/London")
    assert weekly.slot_after_run(at("2026-11-02 06:00"), at("2026-11-30 07:00")) == at("2026-12-07 06:00")
    # On time, the next slot is simply the following one.
    assert weekly.slot_after_run(at("2026-11-30 06:00"), at("2026-11-30 06:00")) == at("2026-12-07 06:00")


def slots(expression: str, timezone: str, start: str, count: int) -> list[str]:
    """The next ``count`` slots after ``start``, as UTC HH:MM."""
    spec, moment, found = cron_spec(expression, timezone), at(start), []
    for _ in range(count):
        moment = spec.next_slot(moment)
        found.append(f"{moment:%H:%M}")
    return found


def test_dst_spring_forward_runs_a_skipped_time_when_the_clocks_jump() -> None:
    # 2026-03-29: London's clocks go from 01:00 GMT to 02:00 BST (01:00 UTC).
    assert slots("30 1 * * *", "Europe/London", "2026-03-28 12:00", 2) == ["01:00", "00:30"]
    # Hourly: 01:30 does not exist that day, so the hour is simply not there.
    assert slots("30 * * * *", "Europe/London", "2026-03-28 23:45", 3) == ["00:30", "01:30", "02:30"]


def test_dst_fall_back_runs_a_fixed_time_once_and_wildcard_hours_in_both() -> None:
    # 2026-10-25: London's clocks go from 02:00 BST (01:00 UTC) back to 01:00 GMT.
    # 01:30 happens twice: a daily job runs at the first only, then the next day.
    assert slots("30 1 * * *", "Europe/London", "2026-10-24 12:00", 2) == ["00:30", "01:30"]
    assert cron_spec("30 1 * * *", "Europe/London").next_slot(at("2026-10-25 00:30")) == at(
        "2026-10-26 01:30"
    )
    # Every 20 minutes keeps running through both 01:xx hours: each is a real hour.
    assert slots("*/20 * * * *", "Europe/London", "2026-10-24 23:30", 8) == [
        "23:40", "00:00", "00:20", "00:40", "01:00", "01:20", "01:40", "02:00",
    ]


def test_a_zone_without_dst_is_a_fixed_offset() -> None:
    assert cron_spec("0 9 * * *", "Asia/Kolkata").next_slot(at("2026-11-30 00:00")) == at(
        "2026-11-30 03:30"
    )


@pytest.mark.parametrize("start", ["2026-03-28 23:00", "2026-10-24 23:00"])
def test_every_minute_through_a_dst_change_is_every_real_minute(start: str) -> None:
    spec, moment = cron_spec("* * * * *", "Europe/London"), at(start)
    for _ in range(4 * 60):
        following = spec.next_slot(moment)
        assert following - moment == timedelta(minutes=1)
        moment = following


@pytest.mark.parametrize("expression", ["30 1 * * *", "*/7 * * * *", "15 * * * *", "0 2 * * *"])
def test_the_next_slot_is_always_later_around_dst_changes(expression: str) -> None:
    spec = cron_spec(expression, "Europe/London")
    for start in (at("2026-03-28 22:00"), at("2026-10-24 22:00")):
        for step in range(0, 6 * 3600, 67):
            moment = start + timedelta(seconds=step)
            assert spec.next_slot(moment) > moment
