"""Users see only their own tasks: someone else's id is 404, never 403."""

from __future__ import annotations


def test_another_users_task_is_404_everywhere(client, register, wait_for):
    alice, bob = register(), register()
    task_id = client.post("/tasks/ping", headers=alice).json()["task_id"]
    wait_for(task_id, alice, lambda s: s["status"] == "SUCCESS")

    for method, path in [
        ("GET", f"/tasks/{task_id}/status"),
        ("GET", f"/tasks/{task_id}/result"),
        ("GET", f"/tasks/{task_id}/events"),
        ("POST", f"/tasks/{task_id}/retry"),
        ("DELETE", f"/tasks/{task_id}"),
    ]:
        response = client.request(method, path, headers=bob)
        assert response.status_code == 404, path
        assert response.json() == {"detail": "Task not found", "code": "not_found"}
    assert client.get("/tasks", headers=bob).json() == {"items": [], "total": 0}
    assert client.get(f"/tasks/{task_id}/status", headers=alice).status_code == 200


def test_an_unknown_task_id_is_404(client, auth_headers):
    assert client.get("/tasks/does-not-exist/status", headers=auth_headers).status_code == 404
