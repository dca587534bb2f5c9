"""Task results never reach the worker log; the frequent chores' lines are DEBUG lines."""

from __future__ import annotations

import logging

from celery.app.trace import LOG_SUCCESS

from backend.tasks.logs import (
    CELERY_BEAT_LOGGER,
    CELERY_POOL_LOGGER,
    CELERY_RECEIVED_LOGGER,
    CELERY_TRACE_LOGGER,
    HIDDEN,
    HIDDEN_MESSAGE,
    HideTaskMessages,
    HideTaskResults,
    QuietChores,
)


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


def test_the_pools_debug_line_loses_the_task_message():
    """Celery's "TaskPool: Apply" line quotes the whole message: the task's arguments."""
    import backend.tasks.app  # noqa: F401 (creating the app installs the filter)

    message = ("parse_pdf_async", "t1", {"task": "parse_pdf_async"},
               b'[[], {"filename": "march-payslip.pdf"}]')
    record = logging.LogRecord(CELERY_POOL_LOGGER, logging.DEBUG, __file__, 1,
                               "TaskPool: Apply %s (args:%s kwargs:%s)",
                               ("<function fast_trace_task>", repr(message), "{}"), None)
    assert HideTaskMessages().filter(record)
    assert record.getMessage() == (f"TaskPool: Apply <function fast_trace_task> "
                                   f"(args:{HIDDEN_MESSAGE} kwargs:{HIDDEN_MESSAGE})")
    assert any(isinstance(f, HideTaskMessages) for f in logging.getLogger(CELERY_POOL_LOGGER).filters)


def quiet_line(logger: str, level: int, msg: str, args: tuple) -> tuple[bool, logging.LogRecord]:
    record = logging.LogRecord(logger, level, __file__, 1, msg, args, None)
    return QuietChores(frozenset({"reap_stuck_tasks"})).filter(record), record


def test_a_quiet_chores_info_lines_become_debug_lines():
    logging.getLogger(CELERY_BEAT_LOGGER).setLevel(logging.INFO)
    try:
        shown, record = quiet_line(CELERY_BEAT_LOGGER, logging.INFO,
                                   "Scheduler: Sending due task %s (%s)",
                                   ("reap-stuck-tasks", "reap_stuck_tasks"))
        assert not shown and record.levelname == "DEBUG"
        logging.getLogger(CELERY_BEAT_LOGGER).setLevel(logging.DEBUG)
        shown, record = quiet_line(CELERY_BEAT_LOGGER, logging.INFO,
                                   "Scheduler: Sending due task %s (%s)",
                                   ("reap-stuck-tasks", "reap_stuck_tasks"))
        assert shown and record.levelno == logging.DEBUG
    finally:
        logging.getLogger(CELERY_BEAT_LOGGER).setLevel(logging.NOTSET)


def test_other_tasks_and_a_chores_errors_pass_as_they_are():
    received = "Task %(name)s[%(id)s] received"
    shown, record = quiet_line(CELERY_RECEIVED_LOGGER, logging.INFO, received,
                               ({"name": "parse_pdf_async", "id": "t1"},))
    assert shown and record.levelno == logging.INFO
    shown, record = quiet_line(CELERY_TRACE_LOGGER, logging.ERROR, "Task %(name)s[%(id)s] raised",
                               ({"name": "reap_stuck_tasks", "id": "t2"},))
    assert shown and record.levelno == logging.ERROR
    shown, record = quiet_line(CELERY_BEAT_LOGGER, logging.INFO, "Scheduler: Sending due task %s (%s)",
                               ("cleanup-old-results-nightly", "cleanup_old_results"))
    assert shown and record.levelno == logging.INFO


def test_the_quiet_filter_is_installed_on_celerys_three_loggers():
    import backend.tasks.app  # noqa: F401 (creating the app installs it)

    for name in (CELERY_TRACE_LOGGER, CELERY_RECEIVED_LOGGER, CELERY_BEAT_LOGGER):
        assert any(isinstance(f, QuietChores) for f in logging.getLogger(name).filters), name
