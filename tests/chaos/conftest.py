"""The fault suite's report: one line per scenario, printed at the end of the run.

`make chaos` runs every scenario; `make test` runs them too (each takes seconds).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest


@dataclass
class ScenarioOutcome:
    """What a fault did to the work that was accepted before or during it."""

    scenario: str
    accepted: int
    succeeded: int
    duplicated: int
    recovery_seconds: float
    refused: int = 0

    @property
    def lost(self) -> int:
        return self.accepted - self.succeeded


OUTCOMES: list[ScenarioOutcome] = []


@pytest.fixture(autouse=True)
def task_queues_to_itself(request: pytest.FixtureRequest) -> None:
    """On RabbitMQ every scenario shares the test vhost (on Redis each has a broker of its
    own): none starts with another's messages, nor beside a consumer that is not its own.
    The run's worker (``worker`` in tests/conftest.py), up if an integration test ran
    before in the same run, consumes every queue: it would take the scenario's tasks
    (and count their runs in its own Redis). It is stopped here, and started again by
    the next test that needs it."""
    from tests.conftest import TEST_BROKER, purge_task_queues

    if TEST_BROKER == "rabbitmq":
        request.getfixturevalue("session_worker").stop()
        purge_task_queues()  # after the stop: what it handed back is gone too


@pytest.fixture
def chaos_report():
    """Record a scenario's outcome for the summary table (and return it for asserts)."""

    def _record(outcome: ScenarioOutcome) -> ScenarioOutcome:
        OUTCOMES.append(outcome)
        return outcome

    return _record


def pytest_terminal_summary(terminalreporter) -> None:
    if not OUTCOMES:
        return
    from tests.support.chaos import PRODUCTION_CLOCKS

    clocks = "default lease clocks" if PRODUCTION_CLOCKS else "short lease clocks (1 s / 4 s / 1 s)"
    terminalreporter.section(f"fault scenarios, {clocks}")
    terminalreporter.write_line(
        f"{'scenario':<40} {'accepted':>8} {'refused':>8} {'succeeded':>9} {'lost':>5} "
        f"{'duplicated':>10} {'recovery s':>10}"
    )
    for o in OUTCOMES:
        terminalreporter.write_line(
            f"{o.scenario:<40} {o.accepted:>8} {o.refused:>8} {o.succeeded:>9} {o.lost:>5} "
            f"{o.duplicated:>10} {o.recovery_seconds:>10.1f}"
        )
