"""What a worker imports at start: the Celery app and its task modules, not the HTTP layer
and not the libraries only some tasks need (they are imported on first use, so that each
pool process does not carry them from the fork: docs/performance.md, "Worker memory")."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from backend.tasks.base import require_installed
from tests.support import REPO_ROOT

# Loaded by `celery -A celery_app worker` before it forks its pool: the app module, then
# every module of its `imports` setting (backend/tasks/app.py TASK_MODULES).
_WORKER_START = """
import json, sys
import celery_app
celery_app.app.loader.import_default_modules()
print(json.dumps(sorted(sys.modules)))
"""

# Top-level packages (and backend.api): the HTTP layer, the migrations, and the
# libraries of one task each (statements and invoices: PDF; reports: openpyxl).
NOT_AT_START = (
    "backend.api", "fastapi", "starlette", "uvicorn", "jose", "bcrypt",
    "alembic", "mako", "pygments",
    "pdfplumber", "pdfminer", "pypdfium2", "openpyxl", "PIL",
)


def test_a_worker_starts_without_the_http_layer_or_any_tasks_heavy_library():
    done = subprocess.run([sys.executable, "-c", _WORKER_START], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=120, check=True)
    loaded = set(json.loads(done.stdout))
    # The worker's own modules are there: the check below is not vacuous.
    assert {"celery_app", "backend.tasks.statements", "backend.tasks.reports"} <= loaded
    assert [
        name for name in NOT_AT_START
        if any(module == name or module.startswith(f"{name}.") for module in loaded)
    ] == []


def test_a_library_imported_on_first_use_that_is_missing_fails_at_once():
    require_installed("openpyxl", "pdfplumber")  # installed: nothing happens
    with pytest.raises(ModuleNotFoundError, match="not installed: no_such_library_here"):
        require_installed("openpyxl", "no_such_library_here")
