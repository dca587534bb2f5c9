"""Keep task results out of the worker log: they hold balances and account digits."""

from __future__ import annotations

import logging

# The logger Celery writes "Task x[id] succeeded in 0.5s: <return value>" to.
CELERY_TRACE_LOGGER = "celery.app.trace"
HIDDEN = "<result stored in task_status>"


class HideTaskResults(logging.Filter):
    """Replaces the return value in Celery's success line; every other record passes as is."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, dict) and "return_value" in record.args:
            record.args = {**record.args, "return_value": HIDDEN}
        return True


def hide_task_results() -> None:
    """Install the filter (idempotent)."""
    logger = logging.getLogger(CELERY_TRACE_LOGGER)
    if not any(isinstance(existing, HideTaskResults) for existing in logger.filters):
        logger.addFilter(HideTaskResults())
