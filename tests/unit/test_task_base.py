"""Pure parts of the tracked-task base: retry timing and progress bookkeeping."""

from __future__ import annotations

import pytest

from backend.tasks.base import ProgressReporter, retry_countdown


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
