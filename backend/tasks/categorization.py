"""Bulk transaction categorization (queue ``bulk_operations``)."""

from __future__ import annotations

import logging

from backend.db import begin_read, get_engine
from backend.services.categorization import Rule, categorize_transactions, load_rules
from backend.services.statement_store import require_statement
from backend.tasks.base import TrackedTask, tracked_task
from backend.tasks.kinds import CATEGORIZE

logger = logging.getLogger(__name__)


@tracked_task(CATEGORIZE)
def bulk_categorize_async(
    self: TrackedTask,
    user_id: int,
    statement_id: int | None = None,
    rules: list[dict] | None = None,
    overwrite: bool = False,
    statement_ids: list[int] | None = None,
    include_manual: bool = False,
) -> dict:
    """Categorize the user's (or one statement's, or a batch's statements') transactions
    (see categorize_transactions); without ``rules``, with the user's saved ones."""
    self.progress(0, "Loading rules")
    with get_engine().connect() as conn:
        with begin_read(conn):
            if statement_id is not None:
                require_statement(conn, user_id, statement_id, "this categorization")
            active_rules = [Rule(**rule) for rule in rules] if rules else load_rules(conn, user_id)
        outcome = categorize_transactions(
            conn,
            user_id,
            active_rules,
            statement_id=statement_id,
            statement_ids=statement_ids,
            overwrite=overwrite,
            include_manual=include_manual,
            on_progress=lambda done, total: _report(self, done, total),
        )
    logger.info("Categorization phases (s): %s", outcome.seconds)
    return {
        "categorized": outcome.categorized,
        "uncategorized": outcome.uncategorized,
        "by_category": outcome.by_category,
        "written": outcome.written,
        "manual_kept": outcome.manual_kept,
    }


def _report(task: TrackedTask, done: int, total: int) -> None:
    """Matching fills the first 40 % of the bar, writing the changed categories the rest.

    Measured at 1M transactions all changing: reading and matching take about a third
    of the time, the single UPDATE that writes the categories the other two thirds
    (when few change, as after an import that applied the rules, it is quick).
    """
    if done < total:
        task.progress(40 * done / total, f"Matched {done}/{total} transactions")
    else:
        task.progress(40, f"Writing the changed categories of {total} transactions", force=True)
