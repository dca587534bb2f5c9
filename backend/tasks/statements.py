"""Bank-statement PDFs → transactions (queue ``pdf_processing``)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, select

from backend.db import get_engine, snapshot_reader
from backend.models import Statement, TaskStatus
from backend.services.statement_store import (
    SavedDocument,
    existing_statement_id,
    imported_summary,
    save_statement,
    statement_ids,
)
from backend.services.statements.hints import hint_record
from backend.tasks.base import TrackedTask, require_installed, tracked_task
from backend.tasks.kinds import PARSE_STATEMENT
from backend.tasks.statement_parts import (
    PARSING_SHARE,
    SAVING,
    LongStatement,
    hand_to_parts,
    parts_threshold,
    require_upload,
)

# The statement and invoice parsers import these on first use (below, and in
# backend/tasks/invoices.py and statement_parts.py); a worker without them fails at start.
require_installed("pdfplumber", "pdfminer", "pypdfium2")


@tracked_task(PARSE_STATEMENT)
def parse_pdf_async(
    self: TrackedTask,
    user_id: int,
    file_path: str,
    file_sha256: str,
    date_order: str | None = None,
    decimal: str | None = None,
    filename: str | None = None,
) -> dict:
    """Parse an uploaded statement and save its transactions, all at once, exactly once.

    ``date_order`` and ``decimal`` are the user's hints (optional: older messages and
    retries of older tasks carry neither); ``filename``, the name it was uploaded as, is
    kept with the statements it adds. A file imported already gives its statements
    back when read with the same hints, and fails the task when read with others
    (``statement_store.ImportedWithOtherHints``: the message names them and says how to
    import it again). Another file printing a statement the user has (a re-download)
    succeeds without adding it: the result names the statement already imported. So
    does the same file sent again (``already_imported``, and the warning saying nothing
    was added), unless this very task imported it on an earlier run (a message
    redelivered after its worker died): that import is this task's own.
    """
    hints = hint_record(date_order, decimal)
    engine = get_engine()
    # One snapshot: the statements found are still there when the result describes them.
    with snapshot_reader(engine) as conn:
        if existing_statement_id(conn, user_id, file_sha256, hints) is not None:
            return imported_summary(
                conn, _imported_before(conn, user_id, file_sha256, self.request.id)
            )
    require_upload(file_path)
    # Imported on first use: pdfplumber and pdfminer cost ~30 MB per process, which a
    # worker that only serves other queues (reports, bulk) should not carry; a worker
    # of this queue imports it before forking (backend/tasks/app.py FIRST_USE_MODULES).
    from backend.services.statements import parse_statement

    self.progress(1, "Parsing started", force=True)
    split_at = parts_threshold(self)

    def on_page(done: int, total: int) -> None:
        if split_at is not None and total >= split_at:
            raise LongStatement(total)  # known at the first page: read in parts instead
        self.progress(1 + PARSING_SHARE * done / total, f"Parsing page {done}/{total}")

    try:
        parsed = parse_statement(
            Path(file_path), on_page=on_page, date_order=date_order, decimal=decimal
        )
    except LongStatement as long:
        # Read in parts on every pdf_processing worker: this run ends here, and the
        # parts' merge finishes the task (backend/tasks/statement_parts.py).
        hand_to_parts(self, user_id, file_path, long.pages)
    self.progress(SAVING, f"Saving {len(parsed.transactions)} transactions", force=True)
    with engine.begin() as conn:
        saved = save_statement(conn, user_id, file_sha256, parsed, hints, filename)
        return imported_summary(conn, saved)


def _imported_before(
    conn: Connection, user_id: int, file_sha256: str, task_id: str | None
) -> SavedDocument:
    """The statements the user imported from this very file before: each is named in the
    result's ``already_imported`` (nothing was added for it), as a re-download's is,
    except those saved after this task was submitted, which an earlier run of this same
    task saved (it was redelivered after its worker died before recording its result).
    Run outside a worker (no task id), every one was there before."""
    ids = statement_ids(conn, user_id, file_sha256)
    submitted = None
    if task_id is not None:
        submitted = conn.scalar(select(TaskStatus.created_at).where(TaskStatus.task_id == task_id))
    if submitted is None:
        return SavedDocument(ids, list(range(len(ids))))
    earlier = set(
        conn.scalars(
            select(Statement.id).where(
                Statement.id.in_(ids), Statement.created_at < submitted
            )
        )
    )
    return SavedDocument(ids, [part for part, id_ in enumerate(ids) if id_ in earlier])
