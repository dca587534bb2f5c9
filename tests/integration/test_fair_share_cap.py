"""The active-task limit (``ActiveTaskCap``) holds when a user's submits arrive at the same
instant: each one counts what every submit admitted before it recorded, so a burst of
submits admits exactly up to the limit, whatever way the tasks are recorded (one INSERT,
an INSERT with its Idempotency-Key, a batch of several).

On PostgreSQL two submits that each counted before the other committed would both see
the count one below the limit (READ COMMITTED: each statement sees what was committed
when it began); the cap's lock (``backend/tasks/submission.py``) makes them take turns.
On SQLite the write lock does the same."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, func, select

import backend.tasks.batches
from backend.db import build_engine
from backend.models import TaskStatus
from backend.services.storage import StoredFile
from backend.tasks import submission
from backend.tasks.batches import BatchFile, submit_batch
from tests.conftest import TEST_BACKEND, TEST_DATABASE_URL
from tests.support.crowd import together
from tests.support.seed import seed_user

pytestmark = pytest.mark.usefixtures("clean_db", "quiet", "no_batch_messages")

LIMIT = 5
CLIENTS = 16
ROUNDS = 3  # a race shows in one round or another; each round is another user


@pytest.fixture(params=["prepared", "unprepared"])
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """On PostgreSQL with the hot statements prepared, and without
    (DATABASE_PREPARED_STATEMENTS=false, behind a pooler): the lock goes out either way."""
    if TEST_BACKEND == "sqlite" and request.param == "unprepared":
        pytest.skip("SQLite prepares nothing")
    engine = build_engine(TEST_DATABASE_URL, prepared_statements=request.param == "prepared")
    yield engine
    engine.dispose()


@pytest.fixture
def no_batch_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """As ``quiet``, for the batches' own import of ``dispatch``: no worker of another
    test's may run (and end) the tasks the limit is counting."""
    monkeypatch.setattr(backend.tasks.batches, "dispatch", lambda *_args: None)


def at_once(submit: Callable[[], object], clients: int = CLIENTS) -> Counter[str]:
    """Run ``submit`` from ``clients`` threads released together: how many were admitted
    and how many refused (NotAdmitted)."""

    def one() -> str:
        try:
            submit()
        except submission.NotAdmitted:
            return "refused"
        return "admitted"

    return Counter(together(one, clients))


def tasks_of(engine: Engine, user_id: int) -> int:
    with engine.connect() as conn:
        return int(conn.execute(
            select(func.count()).select_from(TaskStatus).where(TaskStatus.user_id == user_id)
        ).scalar_one())


def test_a_burst_of_submits_admits_exactly_up_to_the_limit(engine):
    for _ in range(ROUNDS):
        user_id = seed_user(engine)
        outcomes = at_once(partial(
            submission.submit_task, engine, user_id, "ping", cap=submission.ActiveTaskCap(LIMIT)))
        assert outcomes == Counter(admitted=LIMIT, refused=CLIENTS - LIMIT)
        assert tasks_of(engine, user_id) == LIMIT


def test_a_burst_of_submits_with_idempotency_keys_admits_exactly_up_to_the_limit(engine):
    def claim_nothing(_conn: Connection, _task_id: str) -> None:
        """What commits with the row (an Idempotency-Key's claim): a second statement."""

    for _ in range(ROUNDS):
        user_id = seed_user(engine)
        outcomes = at_once(partial(
            submission.submit_task, engine, user_id, "ping", cap=submission.ActiveTaskCap(LIMIT),
            alongside=claim_nothing))
        assert outcomes == Counter(admitted=LIMIT, refused=CLIENTS - LIMIT)
        assert tasks_of(engine, user_id) == LIMIT


def test_a_burst_of_batches_admits_exactly_up_to_the_limit(engine, tmp_path: Path):
    """Batches of two: at most LIMIT // 2 of them fit, however many arrive at once."""
    files = [
        BatchFile(f"{n}.pdf", StoredFile(tmp_path / f"{n}.pdf", f"{n:064d}", 1)) for n in range(2)
    ]
    for _ in range(ROUNDS):
        user_id = seed_user(engine)
        outcomes = at_once(partial(
            submit_batch, engine, user_id, files, None, cap=submission.ActiveTaskCap(LIMIT)))
        assert outcomes == Counter(admitted=LIMIT // 2, refused=CLIENTS - LIMIT // 2)
        assert tasks_of(engine, user_id) == LIMIT // 2 * 2


def test_the_limit_counts_what_is_there_before_the_burst(engine):
    user_id = seed_user(engine)
    cap = submission.ActiveTaskCap(LIMIT)
    for _ in range(LIMIT - 1):
        submission.submit_task(engine, user_id, "ping", cap=cap)

    outcomes = at_once(lambda: submission.submit_task(engine, user_id, "ping", cap=cap))

    assert outcomes == Counter(admitted=1, refused=CLIENTS - 1)
    assert tasks_of(engine, user_id) == LIMIT
