"""The nightly cleanup removes only old finished tasks (FAILED kept 30 days), their files,
batches finished as long ago, and Idempotency-Keys past their day."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import Connection, delete, func, insert, select

from backend.config import get_settings
from backend.db import get_engine
from backend.models import (
    Batch,
    BatchItem,
    IdempotencyKey,
    TaskStatus,
    User,
    Webhook,
    WebhookDelivery,
    utcnow,
)
from backend.services import webhooks
from backend.services.retention import nightly_cleanup
from backend.tasks.app import celery_app
from tests.support.seed import seed_user


def _add_task(
    user_id: int, task_id: str, status: str, age_days: float, file_path: str | None = None
) -> None:
    finished = utcnow() - timedelta(days=age_days)
    with get_engine().begin() as conn:
        conn.execute(
            insert(TaskStatus).values(
                task_id=task_id, user_id=user_id, task_name="ping", queue="default",
                status=status, progress_percent=0, kwargs={}, attempts=1, file_path=file_path,
                created_at=finished, updated_at=finished,
                completed_at=None if status in {"PENDING", "PROCESSING"} else finished,
            )
        )


def test_cleanup_removes_only_what_it_should(clean_db, worker):
    storage = get_settings().storage_dir
    storage.mkdir(parents=True, exist_ok=True)
    with get_engine().begin() as conn:
        user_id = conn.execute(
            insert(User).values(email="c@example.com", password_hash="x", is_active=True,
                                is_admin=False, created_at=utcnow()).returning(User.id)
        ).scalar_one()
    old_file, shared_file = storage / "old.pdf", storage / "shared.pdf"
    outside = storage.parent / "outside.pdf"
    for path in (old_file, shared_file, outside):
        path.write_bytes(b"%PDF-1.4")

    _add_task(user_id, "old-success", "SUCCESS", 8, str(old_file))
    _add_task(user_id, "old-revoked", "REVOKED", 8)
    _add_task(user_id, "old-shared", "SUCCESS", 8, str(shared_file))
    _add_task(user_id, "young-shared", "SUCCESS", 1, str(shared_file))
    _add_task(user_id, "young-success", "SUCCESS", 6)
    _add_task(user_id, "failed-20-days", "FAILED", 20)
    _add_task(user_id, "failed-31-days", "FAILED", 31, str(outside))
    _add_task(user_id, "old-but-running", "PROCESSING", 40)
    with get_engine().begin() as conn:
        for key, age in (("stale-key", timedelta(hours=25)), ("fresh-key", timedelta(hours=23))):
            conn.execute(insert(IdempotencyKey).values(
                user_id=user_id, key=key, fingerprint="f", response={"task_id": key},
                created_at=utcnow() - age,
            ))

        for batch_id, age in (("old-batch", 8), ("young-batch", 6), ("running-batch", None)):
            conn.execute(insert(Batch).values(
                batch_id=batch_id, user_id=user_id, created_at=utcnow() - timedelta(days=40),
                finished_at=None if age is None else utcnow() - timedelta(days=age),
            ))

    removed = celery_app.send_task("cleanup_old_results").get(timeout=30)

    # "running-batch", open with no task since it was made 40 days ago, is ended (finished),
    # not removed: that comes a retention later (see the next test).
    assert removed == {
        "tasks_removed": 4, "files_removed": 1, "batches_ended": 1, "batches_removed": 1,
        "idempotency_keys_removed": 1,
    }
    with get_engine().connect() as conn:
        assert set(conn.scalars(select(Batch.batch_id))) == {"young-batch", "running-batch"}
    with get_engine().connect() as conn:
        assert set(conn.scalars(select(IdempotencyKey.key))) == {"fresh-key"}
    with get_engine().connect() as conn:
        left = set(conn.scalars(select(TaskStatus.task_id)))
    assert left == {"young-shared", "young-success", "failed-20-days", "old-but-running"}
    assert not old_file.exists()
    assert shared_file.exists(), "a file another task still uses stays"
    assert outside.exists(), "nothing outside STORAGE_DIR is ever deleted"


def test_cleanup_runs_nightly_from_beat():
    entry = celery_app.conf.beat_schedule["cleanup-old-results-nightly"]
    assert entry["task"] == "cleanup_old_results"
    schedule = entry["schedule"]
    assert schedule.hour == {2} and schedule.minute == {0}
    assert celery_app.conf.timezone == "UTC"


def _add_batch(conn: Connection, user_id: int, age_days: float, finished: bool = False) -> int:
    then = utcnow() - timedelta(days=age_days)
    return conn.execute(insert(Batch).values(
        batch_id=str(uuid.uuid4()), user_id=user_id, created_at=then,
        finished_at=then if finished else None,
    ).returning(Batch.id)).scalar_one()


def _add_item(
    conn: Connection, batch: int, task_id: str, status: str, idle_days: float, **values: object
) -> None:
    """An item of ``batch`` in ``status``, whose row last moved ``idle_days`` ago."""
    then = utcnow() - timedelta(days=idle_days)
    user_id = conn.scalar(select(Batch.user_id).where(Batch.id == batch))
    conn.execute(insert(TaskStatus).values(
        task_id=task_id, user_id=user_id, task_name="parse_pdf_async", queue="default",
        status=status, progress_percent=0, kwargs={}, attempts=1, batch_id=batch,
        created_at=then, updated_at=then, dispatched_at=then,
        completed_at=then if status in {"SUCCESS", "FAILED", "REVOKED"} else None, **values,
    ))
    position = 1 + (conn.scalar(
        select(func.count()).select_from(BatchItem).where(BatchItem.batch_id == batch)
    ) or 0)
    conn.execute(insert(BatchItem).values(
        batch_id=batch, position=position, filename=f"{task_id}.pdf", task_id=task_id,
    ))


def test_a_batch_that_never_finishes_is_ended_once_nothing_of_it_moved_for_the_retention(
    clean_db,
):
    """A batch is removed (with its tasks) once it finished; one whose task never ends (its
    message lost for good, a worker that died with no reaper to see it) kept its tasks, and
    itself, for ever. Once nothing of it moved for the retention period, the cleanup ends it
    as the reaper would: its waiting tasks and those under an expired lease FAILED (retryable:
    the platform's fault), the batch finished (batch.finished, no pipeline step started), to
    be removed with its tasks as every finished batch is. A task under a live lease, or any
    task of the batch that moved since, keeps it open and is left alone."""
    settings = get_settings()
    engine = get_engine()
    user_id = seed_user(engine)
    with engine.begin() as conn:
        conn.execute(insert(Webhook).values(
            user_id=user_id, url="https://hooks.example.com/", secret="s",
            events=[webhooks.TASK_FAILED, webhooks.BATCH_FINISHED],
        ))
        stuck = _add_batch(conn, user_id, 40)
        _add_item(conn, stuck, "stuck-done", "SUCCESS", 20)
        _add_item(conn, stuck, "stuck-lost-message", "PENDING", 20)
        _add_item(conn, stuck, "stuck-retrying", "RETRYING", 9)
        _add_item(conn, stuck, "stuck-dead-worker", "PROCESSING", 12, worker="gone@node",
                  heartbeat_at=utcnow() - timedelta(days=12), started_at=utcnow() - timedelta(days=12))
        # A run that still renews its lease: the batch is not abandoned, nothing of it ends.
        leased = _add_batch(conn, user_id, 40)
        _add_item(conn, leased, "leased-waiting", "PENDING", 20)
        _add_item(conn, leased, "leased-running", "PROCESSING", 20, worker="live@node",
                  heartbeat_at=utcnow(), started_at=utcnow() - timedelta(days=20))
        # Moved within the retention (a retry sent yesterday): left alone.
        recent = _add_batch(conn, user_id, 40)
        _add_item(conn, recent, "recent-old", "PENDING", 20)
        _add_item(conn, recent, "recent-waiting", "RETRYING", 1)
        # Every task final, the batch row never closed.
        unclosed = _add_batch(conn, user_id, 30)
        _add_item(conn, unclosed, "unclosed-done", "SUCCESS", 25)
        # Finished long ago, as before: removed, its tasks go by their own age.
        finished = _add_batch(conn, user_id, 30, finished=True)
        _add_item(conn, finished, "finished-done", "SUCCESS", 30)

    removed = nightly_cleanup(
        engine, settings.storage_dir, utcnow(), settings.task_retention_days,
        settings.failed_task_retention_days,
    )

    assert removed["batches_ended"] == 2 and removed["batches_removed"] == 1
    with engine.connect() as conn:
        tasks = {row.task_id: row for row in conn.execute(select(TaskStatus))}
        open_batches = set(conn.scalars(select(Batch.id).where(Batch.finished_at.is_(None))))
        all_batches = set(conn.scalars(select(Batch.id)))
        events = sorted(conn.scalars(select(WebhookDelivery.event)))
    assert all_batches == {stuck, leased, recent, unclosed}
    assert open_batches == {leased, recent}
    ended = {"stuck-lost-message", "stuck-retrying", "stuck-dead-worker"}
    for task_id in ended:
        task = tasks[task_id]
        assert task.status == "FAILED" and task.retryable, task_id
        assert task.completed_at is not None and task.worker is None, task_id
        assert task.error_message.startswith("Nothing ran this task for 7 days"), task.error_message
    assert {task_id: tasks[task_id].status for task_id in tasks if task_id not in ended} == {
        "stuck-done": "SUCCESS", "leased-waiting": "PENDING", "leased-running": "PROCESSING",
        "recent-old": "PENDING", "recent-waiting": "RETRYING", "unclosed-done": "SUCCESS",
    }
    assert tasks["leased-running"].worker == "live@node"
    assert events == ["batch.finished"] * 2 + ["task.failed"] * 3
    with engine.connect() as conn:  # no pipeline step was started for the ended batches
        assert conn.scalar(select(func.count()).select_from(TaskStatus)) == len(tasks)

    # A retention later the ended batches go as finished ones do, with their tasks by
    # their age: the ones that succeeded long ago at once, the FAILED ones kept as long
    # as every failure is (FAILED_TASK_RETENTION_DAYS from when they were ended).
    # (The other two batches, idle by then too, are left out of this look.)
    with engine.begin() as conn:
        conn.execute(delete(Batch).where(Batch.id.in_([leased, recent])))
    nightly_cleanup(
        engine, settings.storage_dir, utcnow() + timedelta(days=settings.task_retention_days, hours=1),
        settings.task_retention_days, settings.failed_task_retention_days,
    )
    with engine.connect() as conn:
        assert set(conn.scalars(select(Batch.id))) == set()
        left = set(conn.scalars(select(TaskStatus.task_id).where(TaskStatus.task_id.like("stuck-%"))))
    assert left == ended
