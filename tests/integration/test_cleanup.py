"""The nightly cleanup removes only old finished tasks (FAILED kept 30 days), their files,
batches finished as long ago, and Idempotency-Keys past their day."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert, select

from backend.config import get_settings
from backend.db import get_engine
from backend.models import Batch, IdempotencyKey, TaskStatus, User, utcnow
from backend.tasks.app import celery_app


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

    assert removed == {
        "tasks_removed": 4, "files_removed": 1, "batches_removed": 1, "idempotency_keys_removed": 1,
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
