"""Task arguments: strict for a submit, and the versioning rule for what an older release stored."""

from __future__ import annotations

import logging

import pytest
from pydantic import ValidationError

from backend.tasks.arguments import CategorizeArgs, NoArguments, TaskArguments, UnreadableArguments
from backend.tasks.base import TrackedTask, tracked_task
from backend.tasks.kinds import CATEGORIZE, PARSE_STATEMENT, REPORT, declare, declared


class _Release2Args(TaskArguments):
    """A model that, since the release that stored the rows below, lost ``legacy_mode`` and
    gained ``overwrite``."""

    user_id: int
    overwrite: bool = False


OLD_ROW = {"user_id": 7, "legacy_mode": "fast"}  # as release 1 stored it


def test_stored_arguments_drop_unknown_keys_with_a_log_line_and_default_new_ones(caplog):
    with caplog.at_level(logging.INFO, logger="backend.tasks.arguments"):
        assert _Release2Args.stored_kwargs(OLD_ROW, "tests.v2") == {"user_id": 7, "overwrite": False}
    [line] = caplog.messages
    assert "legacy_mode" in line and "fast" not in line  # the key's name, never its value


@pytest.mark.parametrize("garbage", [
    ["user_id", 7],  # not a mapping at all
    "{'user_id': 7}",
    {"legacy_mode": "fast"},  # a key it needs is missing, and has no default
    {"user_id": "seven"},  # a value of the wrong type
    {"user_id": 7, "overwrite": {"deep": True}},
])
def test_stored_arguments_that_cannot_be_read_are_unreadable(garbage):
    with pytest.raises(UnreadableArguments, match="tests.v2"):
        _Release2Args.stored_kwargs(garbage, "tests.v2")


def test_new_arguments_are_strict_a_typo_is_an_error():
    with pytest.raises(ValidationError, match="overwirte"):
        CATEGORIZE.new_kwargs({"user_id": 1, "overwirte": True})
    with pytest.raises(ValidationError, match="file_sha256"):
        PARSE_STATEMENT.new_kwargs({"user_id": 1, "file_path": "/x.pdf"})
    with pytest.raises(ValidationError, match="user_id"):
        CATEGORIZE.new_kwargs({"user_id": "me"})


def test_new_arguments_keep_only_the_keys_given_written_as_json():
    kwargs = {"user_id": 1, "output_path": "/r.xlsx", "date_from": "2024-01-31"}
    assert REPORT.new_kwargs(kwargs) == kwargs
    assert CATEGORIZE.new_kwargs({"user_id": 1}) == {"user_id": 1}


def test_every_kind_declares_its_arguments_and_whether_users_see_it():
    visible = {kind.name for kind in declared() if kind.user_visible}
    assert {"ping", "parse_pdf_async", "extract_invoice_metadata_async",
            "bulk_categorize_async", "generate_report_async"} <= visible
    hidden = {kind.name for kind in declared() if not kind.user_visible}
    assert {"cleanup_old_results", "reap_stuck_tasks", "deliver_webhook",
            "sweep_webhook_deliveries", "finish_batches"} <= hidden
    assert CATEGORIZE.arguments is CategorizeArgs


def test_a_task_whose_parameters_differ_from_its_model_is_refused_at_import():
    kind = declare("tests.mismatched", "default", _Release2Args, user_visible=True)
    with pytest.raises(TypeError, match="overwrite"):
        @tracked_task(kind)
        def mismatched(self: TrackedTask, user_id: int, overwrite: bool) -> None:  # no default
            """The model gives ``overwrite`` a default; the function must too."""
    with pytest.raises(TypeError, match="NoArguments"):
        @tracked_task(declare("tests.mismatched_none", "default", NoArguments, user_visible=True))
        def takes_one(self: TrackedTask, user_id: int) -> None:
            """The model takes nothing."""
