"""Pure parts of the tracked-task base: retry timing and progress bookkeeping."""

from __future__ import annotations

import pytest

from backend.config import Settings
from backend.tasks import base
from backend.tasks.base import ProgressReporter, deliverable_countdown, retry_countdown


@pytest.mark.parametrize("retries_done, base_delay", [(0, 60), (1, 120), (2, 240)])
def test_retries_back_off_exponentially_with_at_most_ten_percent_jitter(retries_done, base_delay):
    delays = [retry_countdown(retries_done, 60) for _ in range(200)]
    assert all(base_delay <= delay <= base_delay * 1.1 for delay in delays)
    assert len(set(delays)) > 1, "jitter spreads retries that failed together"


def test_progress_is_clamped_and_never_goes_back():
    reporter = ProgressReporter(task_id=None, worker="celery@unit", interval=0)
    reporter.report(-5)
    assert reporter.percent == 0
    reporter.report(40.7)
    assert reporter.percent == 40
    reporter.report(20)
    assert reporter.percent == 40
    reporter.report(250)
    assert reporter.percent == 100


@pytest.mark.parametrize(
    ("broker", "seconds", "expected"),
    [
        ("amqp://guest:guest@rabbitmq:5672/", 0.3, 1.0),  # int(0.3) == 0 would be refused
        ("amqp://guest:guest@rabbitmq:5672/", 60.0, 60.0),
        ("amqp://guest:guest@rabbitmq:5672/", 60.4, 61.0),
        ("redis://redis:6379/0", 0.3, 0.3),
    ],
)
def test_countdowns_are_whole_seconds_on_rabbitmq_only(monkeypatch, broker, seconds, expected):
    monkeypatch.setattr(base, "get_settings", lambda: Settings(celery_broker_url=broker))
    assert deliverable_countdown(seconds) == expected
