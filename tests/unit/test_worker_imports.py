"""What a worker imports at start: the Celery app and its task modules, not the HTTP layer,
and the libraries only some tasks need only when its queues carry those tasks
(backend/tasks/app.py FIRST_USE_MODULES; docs/performance.md, "Worker memory"). And what
the API imports: none of the tasks' libraries either."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from backend.tasks.base import require_installed
from tests.support import REPO_ROOT

# Loaded by `celery -A celery_app worker` before it sets up the worker: the app module,
# then every module of its `imports` setting (backend/tasks/app.py WORKER_MODULES).
_WORKER_APP = """
import json, sys
import celery_app
celery_app.app.loader.import_default_modules()
print(json.dumps(sorted(sys.modules)))
"""

# A worker of the queues in argv[1], set up as `celery worker -Q ...` sets it up until it
# forks its pool (worker_init included); not started: no broker connection.
_WORKER_OF_QUEUES = """
import json, sys
import celery_app
celery_app.app.WorkController(queues=sys.argv[1].split(","), pool_cls="solo", hostname="imports@test")
print(json.dumps(sorted(sys.modules)))
"""

# Top-level packages (and backend.api): the HTTP layer, the migrations, and the
# libraries of some tasks only (statements and invoices: PDF; reports: openpyxl).
NOT_WITH_THE_APP = (
    "backend.api", "fastapi", "starlette", "uvicorn", "jose", "bcrypt",
    "alembic", "mako", "pygments",
    "pdfplumber", "pdfminer", "pypdfium2", "openpyxl", "PIL",
)


# The API as uvicorn builds it (`backend.api.main:create_app --factory`).
_API_APP = """
import json, sys
from backend.api.main import create_app
create_app()
print(json.dumps(sorted(sys.modules)))
"""


def _loaded(program: str, *args: str) -> set[str]:
    """The modules a fresh interpreter holds after running ``program``."""
    done = subprocess.run([sys.executable, "-c", program, *args], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=120, check=True)
    return set(json.loads(done.stdout))


def _present(loaded: set[str], *packages: str) -> list[str]:
    """Those of ``packages`` of which ``loaded`` holds the package or a module of it."""
    return [
        name for name in packages
        if any(module == name or module.startswith(f"{name}.") for module in loaded)
    ]


def test_the_worker_app_and_its_task_modules_import_no_http_layer_and_no_tasks_library():
    loaded = _loaded(_WORKER_APP)
    # The worker's own modules are there: the check below is not vacuous.
    assert {"celery_app", "backend.tasks.statements", "backend.tasks.reports"} <= loaded
    assert _present(loaded, *NOT_WITH_THE_APP) == []


@pytest.mark.parametrize(("queues", "expected"), [
    ("default,bulk_operations,webhooks", []),
    ("reports", ["openpyxl"]),
    ("pdf_processing", ["pdfplumber", "pypdfium2"]),
    ("pdf_processing,reports,default", ["pdfplumber", "pypdfium2", "openpyxl"]),
])
def test_a_worker_imports_before_forking_what_its_queues_tasks_need(queues, expected):
    loaded = _loaded(_WORKER_OF_QUEUES, queues)
    assert _present(loaded, "pdfplumber", "pypdfium2", "openpyxl") == expected
    # Never the HTTP layer or the migrations.
    assert _present(loaded, "backend.api", "fastapi", "starlette", "alembic") == []


def test_a_library_imported_on_first_use_that_is_missing_fails_at_once():
    require_installed("openpyxl", "pdfplumber")  # installed: nothing happens
    with pytest.raises(ModuleNotFoundError, match="not installed: no_such_library_here"):
        require_installed("openpyxl", "no_such_library_here")


# The same worker, but the module its queue's tasks need does not import (None in
# sys.modules makes any import of it raise ImportError, as a broken install would).
_WORKER_WITH_A_BROKEN_MODULE = """
import sys
sys.modules[sys.argv[2]] = None
import celery_app
celery_app.app.WorkController(queues=[sys.argv[1]], pool_cls="solo", hostname="broken@test")
print("the worker was set up")
"""


def test_a_worker_whose_queues_need_a_module_that_does_not_import_does_not_start():
    # Celery's signal dispatch only logs a worker_init receiver's exception: the worker
    # would have started and failed each report task instead (backend/tasks/app.py).
    done = subprocess.run(
        [sys.executable, "-c", _WORKER_WITH_A_BROKEN_MODULE, "reports", "backend.services.reports"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == os.EX_SOFTWARE, done.stderr
    assert "the worker was set up" not in done.stdout
    assert "The worker cannot start: ModuleNotFoundError" in done.stderr
    assert "backend.services.reports" in done.stderr


def test_the_api_imports_none_of_the_libraries_only_tasks_use():
    # The upload form's parser hints live in the statements package: importing them must
    # not load the parser, and with it the PDF libraries (backend/services/statements/__init__.py).
    loaded = _loaded(_API_APP)
    assert {"backend.api.statements", "backend.services.statements.hints"} <= loaded
    assert _present(loaded, "pdfplumber", "pdfminer", "pypdfium2", "openpyxl", "PIL", "alembic") == []
