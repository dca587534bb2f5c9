"""Pool processes are replaced by memory, not by a count of tasks (backend/tasks/app.py).

By count (Celery's ``worker_max_tasks_per_child``), a task handed to a pool process in
the moment it exits at its count waited for the pool's next maintenance round, up to 5 s
(celery/celery#9588; docs/performance.md "Recycling pool processes"). A real worker whose
memory ceiling every pool process is over replaces its pool process after each task,
and every task still runs once to SUCCESS.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from backend.config import Settings
from backend.models import TaskStatus
from backend.tasks.app import celery_config
from tests.support.chaos import platform_on_own_sqlite, wait_until

pytestmark = pytest.mark.backend_independent  # a SQLite file and a Redis of its own


def test_by_default_pool_processes_are_replaced_by_memory_not_by_count() -> None:
    config = celery_config(Settings())
    assert config["worker_max_tasks_per_child"] is None
    assert config["worker_max_memory_per_child"] == 512 * 1024  # KiB, as Celery counts
    counted = celery_config(Settings(worker_max_tasks_per_child=50, worker_max_memory_per_child_mb=0))
    assert (counted["worker_max_tasks_per_child"], counted["worker_max_memory_per_child"]) == (50, None)


def test_a_pool_process_over_its_memory_ceiling_is_replaced_and_loses_no_task(tmp_path: Path) -> None:
    # Below any Python process's resident memory: a new pool process after every task.
    with platform_on_own_sqlite(tmp_path, WORKER_MAX_MEMORY_PER_CHILD_MB="1") as (stack, engine, user_id):
        stack.worker("recycling", concurrency=1, queues="default")
        ids = stack.submit(user_id, "tests.report_pid", [{"seconds": 0}] * 3)

        def outcomes() -> list[tuple[str, dict | None]]:
            with engine.connect() as conn:
                return [(row.status, row.result) for row in conn.execute(
                    select(TaskStatus.status, TaskStatus.result).where(TaskStatus.task_id.in_(ids)))]

        wait_until(lambda: [status for status, _ in outcomes()] == ["SUCCESS"] * 3, 90,
                   f"three tasks over three pool processes (see {tmp_path / 'logs'})")
        pids = {result["pid"] for _, result in outcomes() if result}
    assert len(pids) == 3, f"each task in a new pool process: {pids}"
