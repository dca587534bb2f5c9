"""What a long statement's part and merge tasks accept (``backend/tasks/statement_parts.py``).

Kept apart from the tasks so that ``kinds.py`` can declare them without importing Celery
tasks; the versioning rule of ``backend/tasks/arguments.py`` applies.
"""

from __future__ import annotations

from backend.tasks.arguments import TaskArguments


class StatementPartArgs(TaskArguments):
    user_id: int
    # The statement's parse task, which the parts work for.
    parent_task_id: str
    file_path: str
    # The statement's page_total pages are read pages_per_part at a time; this is part part_index.
    part_index: int
    pages_per_part: int
    page_total: int


class MergeStatementPartsArgs(TaskArguments):
    user_id: int
    parent_task_id: str
    file_sha256: str
    pages_per_part: int
    page_total: int
    date_order: str | None = None
    decimal: str | None = None
