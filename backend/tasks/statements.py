"""Bank-statement PDFs → transactions (queue ``pdf_processing``)."""

from __future__ import annotations

from pathlib import Path

from backend.db import get_engine, new_session
from backend.models import Statement
from backend.services.errors import InvalidInputError
from backend.services.statement_store import existing_statement_id, save_statement, statement_summary
from backend.tasks.base import TrackedTask, tracked_task
from backend.tasks.kinds import PARSE_STATEMENT

PARSING_SHARE = 85  # percent of the progress bar spent parsing pages


@tracked_task(PARSE_STATEMENT)
def parse_pdf_async(
    self: TrackedTask,
    user_id: int,
    file_path: str,
    file_sha256: str,
    date_order: str | None = None,
    decimal: str | None = None,
) -> dict:
    """Parse an uploaded statement and save its transactions, all at once, exactly once.

    ``date_order`` and ``decimal`` are the user's hints (optional: older messages and
    retries of older tasks carry neither).
    """
    engine = get_engine()
    with engine.connect() as conn:
        statement_id = existing_statement_id(conn, user_id, file_sha256)
    if statement_id is None:
        if not Path(file_path).is_file():  # storage lost it (a volume not mounted, a restore)
            raise InvalidInputError(
                "The uploaded file is no longer stored; upload it again, or retry once "
                "the storage is back"
            )
        # Imported on first use: pdfplumber and pdfminer cost ~30 MB per process, which a
        # worker that only serves other queues (reports, bulk) should not carry.
        from backend.services.statements import parse_statement

        self.progress(1, "Parsing started", force=True)
        parsed = parse_statement(
            Path(file_path),
            on_page=lambda done, total: self.progress(
                1 + PARSING_SHARE * done / total, f"Parsing page {done}/{total}"
            ),
            date_order=date_order,
            decimal=decimal,
        )
        self.progress(
            PARSING_SHARE + 5, f"Saving {len(parsed.transactions)} transactions", force=True
        )
        with engine.begin() as conn:
            statement_id = save_statement(conn, user_id, file_sha256, parsed)
    with new_session() as session:
        return statement_summary(session.get_one(Statement, statement_id))
