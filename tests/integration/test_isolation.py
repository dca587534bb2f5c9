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


def test_another_users_rows_are_404_like_missing_ones_on_every_route(client, register):
    from tests.support.seed import seed_statement

    alice, bob = register(), register()
    alice_id = client.get("/auth/me", headers=alice).json()["id"]
    statement = seed_statement(alice_id, [("2024-03-01", "COFFEE", "-3.20")])
    rule = client.post("/rules", json={"pattern": "coffee", "category": "Out"}, headers=alice)
    schedule = client.post("/schedules", json={"task": "report", "cron": "0 6 * * 1"}, headers=alice)
    webhook = client.post("/webhooks", json={"url": "http://127.0.0.1:9/alice",
                                             "events": ["task.failed"]}, headers=alice)
    batch = client.post("/batches", files=[("files", ("a.txt", b"x", "application/pdf"))],
                        headers=alice)
    ids = {"Statement": statement, "Rule": rule.json()["id"], "Schedule": schedule.json()["id"],
           "Webhook": webhook.json()["id"], "Batch": batch.json()["batch_id"]}
    missing = {"Statement": 2**40, "Rule": 2**30, "Schedule": 2**30, "Webhook": 2**30,
               "Batch": "00000000-0000-4000-8000-000000000000"}
    routes = [
        ("GET", "/statements/{}", "Statement", None),
        ("GET", "/statements/{}/transactions", "Statement", None),
        ("GET", "/statements/{}/export", "Statement", None),
        ("GET", "/rules/{}", "Rule", None),
        ("PUT", "/rules/{}", "Rule", {"pattern": "tea", "category": "Out"}),
        ("DELETE", "/rules/{}", "Rule", None),
        ("GET", "/schedules/{}", "Schedule", None),
        ("PATCH", "/schedules/{}", "Schedule", {"enabled": False}),
        ("GET", "/schedules/{}/runs", "Schedule", None),
        ("DELETE", "/schedules/{}", "Schedule", None),
        ("GET", "/webhooks/{}/deliveries", "Webhook", None),
        ("DELETE", "/webhooks/{}", "Webhook", None),
        ("GET", "/batches/{}", "Batch", None),
        ("POST", "/batches/{}/retry_failed", "Batch", None),
        ("DELETE", "/batches/{}", "Batch", None),
    ]
    for method, path, what, body in routes:
        for row_id in (ids[what], missing[what]):
            response = client.request(method, path.format(row_id), json=body, headers=bob)
            assert response.status_code == 404, (method, path, response.json())
            assert response.json() == {"detail": f"{what} not found", "code": "not_found"}
    for method, path, what, _body in routes[:1] + routes[3:4] + routes[6:7] + routes[10:11]:
        assert client.request(method, path.format(ids[what]), headers=alice).status_code == 200
    # Someone else's statement named in a body is as unknown as a missing one.
    for path in ("/bulk_categorize_async", "/reports/generate_async"):
        response = client.post(path, json={"statement_id": statement}, headers=bob)
        assert response.json() == {"detail": "Statement not found", "code": "not_found"}
