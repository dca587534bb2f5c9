"""Excel reports of a user's transactions (queue ``reports``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from backend.db import get_engine, snapshot_reader
from backend.services.report_data import ReportScope, count_rows, stream_rows
from backend.services.statement_store import require_statement
from backend.services.storage import private_dir
from backend.tasks.base import TrackedTask, require_installed, tracked_task
from backend.tasks.kinds import REPORT

# The report writer's library, imported on first use (below); a worker without it fails at start.
require_installed("openpyxl")


@tracked_task(REPORT)
def generate_report_async(
    self: TrackedTask,
    user_id: int,
    output_path: str,
    statement_id: int | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    statement_ids: list[int] | None = None,
) -> dict:
    """Write the .xlsx report to ``output_path``, streaming rows from the database
    (``statement_ids``: only those statements', a batch's)."""
    scope = ReportScope(
        user_id=user_id,
        statement_id=statement_id,
        statement_ids=tuple(statement_ids) if statement_ids is not None else None,
        date_from=date.fromisoformat(date_from) if date_from else None,
        date_to=date.fromisoformat(date_to) if date_to else None,
    )
    # Imported on first use, as the statement parser is: openpyxl (with Pillow) is ~8 MB
    # that a worker serving only other queues should not carry; a worker of this queue
    # imports it before forking (backend/tasks/app.py FIRST_USE_MODULES).
    from backend.services.reports import write_transactions_report

    path = Path(output_path)
    private_dir(path.parent)
    # One snapshot: the rows written are the rows counted ("Wrote 3000/1000 rows" when a
    # statement was imported between the two).
    with snapshot_reader(get_engine()) as conn:
        if statement_id is not None:
            require_statement(conn, user_id, statement_id, "this report")
        total = count_rows(conn, scope)
        self.progress(1, f"Writing {total} transactions")
        summary = write_transactions_report(
            stream_rows(conn, scope),
            path,
            on_progress=lambda written: self.progress(
                1 + 98 * written / max(total, 1), f"Wrote {written}/{total} rows"
            ),
            progress_every=max(1_000, total // 20),
        )
    report_id = self.request.id
    return {
        "report_id": report_id,
        "row_count": summary.row_count,
        "download_url": f"/reports/{report_id}/download",
    }
