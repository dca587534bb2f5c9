"""The worker's remote-control command of our own: stop the run of a cancelled task.

A cancel's last resort terminates the pool process running the task. Celery's
``revoke(terminate=True)`` finds that run through its table of requests by task id, which
holds one request per id: a duplicate message of the same task that reached the same
node (a reaper's re-send of a message stuck behind a backlog, a redelivery, the copy that
looks again while the run's lease lives) replaces the run's entry there, and when the copy
is done, removes it. The terminate then reached the copy or nothing, and the run went on
to SUCCESS after its owner's DELETE had answered "being stopped".

``terminate_run`` looks among the node's active requests instead (every request a pool
process has accepted, until it is done), so it reaches each run of the task, whatever
copies came and went. Sent with Celery's documented ``control.broadcast`` after a plain
``revoke`` (which still keeps queued copies from starting); registered with Celery's
documented ``control_command`` in a module the worker imports (``WORKER_MODULES``).
"""

from __future__ import annotations

import logging
from typing import Any

from celery.worker import state as worker_state
from celery.worker.control import control_command

logger = logging.getLogger(__name__)

TERMINATE_RUN = "terminate_run"


@control_command(args=[("task_id", str)], signature="<task_id>")
def terminate_run(state: Any, task_id: str) -> dict[str, str]:
    """Terminate every pool process of this node that runs ``task_id``."""
    # ``celery.worker.state.active_requests`` is the set Celery's own ``inspect active``
    # reads (celery.worker.control.dump_active); each Request's ``terminate`` is what
    # ``revoke(terminate=True)`` calls on the one request its by-id table gives.
    runs = [request for request in list(worker_state.active_requests)
            if request.id == task_id and request.time_start]
    for request in runs:
        request.terminate(state.consumer.pool)
    if runs:
        logger.info("Task %s: terminated its run (cancelled by its owner)", task_id)
    return {"ok": f"{len(runs)} run(s) terminated"}
