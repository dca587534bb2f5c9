"""Invoice PDFs → metadata (queue ``pdf_processing``)."""

from __future__ import annotations

from pathlib import Path

from backend.tasks.base import TrackedTask, tracked_task
from backend.tasks.kinds import EXTRACT_INVOICE


@tracked_task(EXTRACT_INVOICE)
def extract_invoice_metadata_async(self: TrackedTask, user_id: int, file_path: str) -> dict:
    """Read an uploaded invoice's number, dates, vendor and amounts (null when not printed)."""
    # Imported on first use, like the statement parser (see backend/tasks/statements.py).
    from backend.services.invoices import extract_invoice_metadata

    self.progress(10, "Reading the invoice")
    return extract_invoice_metadata(Path(file_path)).to_json()
