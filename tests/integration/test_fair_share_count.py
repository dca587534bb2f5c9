"""The fair-share count of every submit (``ActiveTaskCap``, in the submit's INSERT) reads
the user's unfinished tasks and nothing else: not the user's finished history, not other
users' unfinished tasks, whatever the planner knows of the table (migration 0017). A
listing by state (GET /tasks?status=FAILED) reads the user's tasks in that state alone."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, Select, func, insert, select, text

from backend.api.submitting import NOT_COUNTED
from backend.api.tasks import HIDDEN_KINDS
from backend.db import build_engine, upgrade_database
from backend.models import TaskState, TaskStatus, utcnow
from backend.services import task_records
from tests.conftest import TEST_BACKEND, scratch_postgres_database
from tests.support.seed import seed_user

HISTORY = 2_000  # the user's finished tasks
UNFINISHED = 3  # the user's tasks the count is about
FAILED = 5  # the user's tasks a listing by state asks for
OTHERS_UNFINISHED = 500  # another user's backlog
OTHERS_FAILED = 200  # ...and failures


@pytest.fixture
def new_install(tmp_path: Path) -> Iterator[Engine]:
    """A database migrated a moment ago: PostgreSQL has no statistics of its tables yet."""
    if TEST_BACKEND == "sqlite":
        url = f"sqlite:///{tmp_path / 'new.db'}"
        upgrade_database(url)
        engine = build_engine(url)
        yield engine
        engine.dispose()
        return
    with scratch_postgres_database("lf_fair_share") as url:
        upgrade_database(url)
        engine = build_engine(url)
        yield engine
        engine.dispose()


def add_tasks(engine: Engine, user_id: int, count: int, state: TaskState) -> None:
    now = utcnow()
    rows = [
        dict(task_id=str(uuid.uuid4()), user_id=user_id, task_name="ping", queue="default",
             status=state.value, kwargs={}, created_at=now, updated_at=now)
        for _ in range(count)
    ]
    with engine.begin() as conn:
        conn.execute(insert(TaskStatus), rows)


def rows_read(conn: Connection, count_sql: str) -> int:
    """PostgreSQL: how many task_status rows the count's plan read (returned or filtered out)."""
    (plan,) = conn.execute(text(f"EXPLAIN (ANALYZE, FORMAT JSON) {count_sql}")).scalar_one()
    if isinstance(plan, str):
        plan = json.loads(plan)[0]

    def read(node: dict[str, Any]) -> int:
        own = 0
        if node.get("Relation Name") == "task_status":
            own = (node["Actual Rows"] + node.get("Rows Removed by Filter", 0)
                   + node.get("Rows Removed by Index Recheck", 0)) * node["Actual Loops"]
        return own + sum(read(child) for child in node.get("Plans", ()))

    return read(plan["Plan"])


# SQLite has no count of the rows a statement read: its plan must search the index on
# every column the count narrows by (either plan reads exactly the rows counted).
BY_USER_AND_STATE = "USING INDEX ix_task_status_user_id_status (user_id=? AND status=?)"


def fair_share_count(user_id: int) -> tuple[Select[Any], tuple[str, ...], int]:
    """The count of the submit's cap, the SQLite plans that read only what it counts, and
    how many rows that is."""
    return (select(task_records.active_count(user_id, NOT_COUNTED)),
            ("USING INDEX ix_task_status_unfinished_by_user (user_id=?)", BY_USER_AND_STATE),
            UNFINISHED)


def listing_count(user_id: int) -> tuple[Select[Any], tuple[str, ...], int]:
    """The count of GET /tasks?status=FAILED (``list_tasks``'s filters)."""
    return (
        select(func.count()).select_from(TaskStatus).where(
            TaskStatus.user_id == user_id, TaskStatus.task_name.not_in(HIDDEN_KINDS),
            TaskStatus.status == TaskState.FAILED.value,
        ),
        (BY_USER_AND_STATE,), FAILED,
    )


@pytest.mark.parametrize("query", [fair_share_count, listing_count], ids=["fair share", "listing"])
@pytest.mark.parametrize("analyzed", [False, True], ids=["new install", "analyzed"])
def test_a_count_reads_only_the_rows_it_counts(new_install: Engine, analyzed: bool, query: Any) -> None:
    engine = new_install
    user_id, other_id = seed_user(engine), seed_user(engine)
    add_tasks(engine, user_id, HISTORY, TaskState.SUCCESS)
    add_tasks(engine, user_id, FAILED, TaskState.FAILED)
    add_tasks(engine, user_id, UNFINISHED, TaskState.PENDING)
    add_tasks(engine, other_id, OTHERS_UNFINISHED, TaskState.PROCESSING)
    add_tasks(engine, other_id, OTHERS_FAILED, TaskState.FAILED)
    count, sqlite_plans, expected = query(user_id)
    with engine.connect() as conn:
        if analyzed:
            conn.execute(text("ANALYZE task_status"))
        assert conn.execute(count).scalar_one() == expected
        count_sql = str(count.compile(engine, compile_kwargs={"literal_binds": True}))
        if engine.dialect.name == "sqlite":
            plan = " ".join(row[-1] for row in conn.execute(text(f"EXPLAIN QUERY PLAN {count_sql}")))
            assert any(search in plan for search in sqlite_plans), plan
        else:
            assert rows_read(conn, count_sql) == expected
