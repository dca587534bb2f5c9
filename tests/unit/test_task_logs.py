"""Task results never reach the worker log."""

from __future__ import annotations

import logging

from celery.app.trace import LOG_SUCCESS

from backend.tasks.logs import CELERY_TRACE_LOGGER, HIDDEN, HideTaskResults


def test_the_success_line_loses_its_return_value_and_keeps_the_rest():
    args = {"name": "parse_pdf_async", "id": "t1", "runtime": 0.5,
            "return_value": "{'opening_balance': '412.16', 'account_last4': '9473'}"}
    record = logging.LogRecord(CELERY_TRACE_LOGGER, logging.INFO, __file__, 1, LOG_SUCCESS, (args,), None)
    assert HideTaskResults().filter(record)
    message = record.getMessage()
    assert "412.16" not in message and "9473" not in message
    assert message == f"Task parse_pdf_async[t1] succeeded in 0.5s: {HIDDEN}"


def test_the_filter_is_installed_with_the_celery_app():
    import backend.tasks.app  # noqa: F401 (creating the app installs it)

    assert any(isinstance(f, HideTaskResults) for f in logging.getLogger(CELERY_TRACE_LOGGER).filters)
