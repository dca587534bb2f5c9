"""GET /metrics: Prometheus text that prometheus_client parses, request counts that add up
across uvicorn processes, task and queue figures read from the database and the broker,
and the METRICS_TOKEN guard."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.parser import text_string_to_metric_families

from backend.tasks.kinds import QUEUES
from tests.integration.test_health import client_with
from tests.support.net import running_api

REQUESTS = "ledgerflow_http_requests"


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a scrape, keyed by (sample name, sorted labels)."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def requests_counted(text: str, method: str, route: str, status: str) -> float:
    key = (f"{REQUESTS}_total", (("method", method), ("route", route), ("status", status)))
    return samples(text).get(key, 0.0)


def scrape(client, **kwargs) -> str:
    response = client.get("/metrics", **kwargs)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return response.text


def test_metrics_count_requests_by_route_template(client):
    before = scrape(client)
    for _ in range(3):
        client.get("/health")
    client.get("/tasks/00000000-0000-0000-0000-000000000000/status")  # 401: no token
    client.get("/no/such/path")
    after = scrape(client)

    def grew(*labels: str) -> float:
        return requests_counted(after, *labels) - requests_counted(before, *labels)

    assert grew("GET", "/health", "200") == 3
    assert grew("GET", "/tasks/{task_id}/status", "401") == 1
    assert grew("GET", "<unmatched>", "404") == 1
    # No series per raw path.
    assert "00000000-0000" not in after and "/no/such/path" not in after
    latency = samples(after)[
        ("ledgerflow_http_request_duration_seconds_count",
         (("method", "GET"), ("route", "/health"), ("status", "200")))
    ]
    assert latency == requests_counted(after, "GET", "/health", "200")


def test_metrics_report_tasks_durations_and_queue_depths(client, auth_headers, submit, wait_for):
    task_ids = [submit(auth_headers, "tests.progress_steps", steps=2, delay=0.1) for _ in range(2)]
    for task_id in task_ids:
        wait_for(task_id, auth_headers, lambda s: s["status"] == "SUCCESS")
    figures = samples(scrape(client))
    steps = (("task_name", "tests.progress_steps"),)
    assert figures[("ledgerflow_tasks", (("status", "SUCCESS"), ("task_name", "tests.progress_steps")))] == 2
    assert figures[("ledgerflow_task_duration_seconds_count", steps)] == 2
    assert figures[("ledgerflow_task_duration_seconds_bucket", (("le", "+Inf"), *steps))] == 2
    # Each run sleeps 2 × 0.1 s: none fits the 0.1 s bucket.
    assert figures[("ledgerflow_task_duration_seconds_bucket", (("le", "0.1"), *steps))] == 0
    assert figures[("ledgerflow_task_duration_seconds_sum", steps)] >= 0.4
    assert figures[("ledgerflow_broker_up", ())] == 1
    for queue in QUEUES:
        assert figures[("ledgerflow_queue_depth", (("queue", queue),))] >= 0


def test_metrics_token_is_required_when_set(clean_db, redis_server):
    with client_with(metrics_token="scrape-secret") as guarded:
        assert guarded.get("/metrics").status_code == 401
        for wrong in ("Bearer nope", "Bearer scrape-secretx", "Basic scrape-secret", "scrape-secret"):
            response = guarded.get("/metrics", headers={"Authorization": wrong})
            assert response.status_code == 401
            assert "METRICS_TOKEN" in response.json()["detail"]
        scrape(guarded, headers={"Authorization": "Bearer scrape-secret"})


@pytest.fixture
def two_process_api(database, redis_server) -> Iterator[tuple[str, Path]]:
    """uvicorn with 2 worker processes and a metrics folder of its own: (base URL, folder)."""
    folder = Path(tempfile.mkdtemp(prefix="ledgerflow-test-metrics-2p-"))
    with running_api(dict(os.environ, PROMETHEUS_MULTIPROC_DIR=str(folder)), "--workers", "2") as api:
        yield api.base, folder


def health_requests_per_process(folder: Path) -> dict[str, float]:
    """GET /health answers counted by each process, read from its own files."""
    counts = {}
    for path in folder.glob("counter_*.db"):
        if path.stat().st_size == 0:  # being created this instant
            continue
        pid = path.stem.rsplit("_", 1)[1]
        for metric in MultiProcessCollector.merge([str(path)], accumulate=True):
            for sample in metric.samples:
                if sample.name == f"{REQUESTS}_total" and sample.labels.get("route") == "/health":
                    counts[pid] = counts.get(pid, 0) + sample.value
    return counts


def test_request_counts_add_up_across_two_uvicorn_processes(two_process_api):
    base, folder = two_process_api
    before = health_requests_per_process(folder)  # wait_until_answers' own requests
    sent = 0
    deadline = time.monotonic() + 60
    # A new connection per request, so that each process gets to accept some.
    while len([pid for pid, n in health_requests_per_process(folder).items() if n > before.get(pid, 0)]) < 2:
        for _ in range(20):
            assert httpx.get(f"{base}/health", headers={"Connection": "close"}).status_code == 200
            sent += 1
        assert time.monotonic() < deadline, "one uvicorn process answered every request"
    expected = sum(before.values()) + sent
    per_process = health_requests_per_process(folder)
    assert len(per_process) == 2 and sum(per_process.values()) == expected
    # Whichever process answers the scrape, it reports what both counted.
    for _ in range(6):
        text = httpx.get(f"{base}/metrics", headers={"Connection": "close"}).text
        assert requests_counted(text, "GET", "/health", "200") == expected
