"""Nothing is lost when a worker process dies mid-task: the message comes back and runs again."""

from __future__ import annotations

import os
import signal


def test_a_task_whose_worker_process_is_killed_runs_again_and_succeeds(
    client, auth_headers, submit, wait_for
):
    task_id = submit(auth_headers, "tests.report_pid", seconds=2)
    running = wait_for(task_id, auth_headers, lambda s: (s["progress_message"] or "").startswith("pid"))
    first_pid = int(running["progress_message"].split()[1])

    os.kill(first_pid, signal.SIGKILL)

    final = wait_for(task_id, auth_headers, lambda s: s["status"] in {"SUCCESS", "FAILED", "REVOKED"})
    assert final["status"] == "SUCCESS"
    assert final["attempts"] == 2
    result = client.get(f"/tasks/{task_id}/result", headers=auth_headers).json()["result"]
    assert result["pid"] != first_pid
