"""The baseline of bench_platform.py: a bare Celery app and a bare FastAPI endpoint.

Nothing of Ledgerflow is imported here. The Celery app has one no-op task with results
on, on the broker and result backend named by ``RAW_CELERY_REDIS_URL``; the FastAPI app
(``bare_api``) has one route that only calls ``apply_async``, which is the least any
gateway in front of Celery can do per submit.
"""

from __future__ import annotations

import os

from celery import Celery
from fastapi import FastAPI

REDIS_URL = os.environ.get("RAW_CELERY_REDIS_URL", "redis://127.0.0.1:6379/13")
QUEUE = "raw_bench"

app = Celery("raw_celery", broker=REDIS_URL, backend=REDIS_URL)
app.conf.update(task_default_queue=QUEUE, worker_hijack_root_logger=False)


@app.task(name="raw_noop")
def noop() -> None:
    """Does nothing: the cost measured is Celery's own."""


bare_api = FastAPI()


@bare_api.post("/ping", status_code=202)
def submit_ping() -> dict[str, str]:
    """Send the no-op task and answer with its id, as a gateway's submit must at least do."""
    return {"task_id": noop.apply_async().id}
