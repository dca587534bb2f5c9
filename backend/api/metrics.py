"""``GET /metrics``: Prometheus text format, correct however many uvicorn processes serve.

Two kinds of figures, each counted where it is true for every process:

* HTTP requests (count and latency by route template, method and status) are counted by
  each process in prometheus_client's multiprocess mode: every process writes its values
  to files in ``PROMETHEUS_MULTIPROC_DIR`` and a scrape, whichever process answers it,
  sums them all. Without the variable the API uses ``var/prometheus``. Files of processes
  that are gone are removed when a process starts (their requests then leave the sum:
  Prometheus reads that as a counter reset).
* Tasks by name and status, task run times and queue depths are computed at scrape time
  from ``task_status`` and the broker, so they cannot drift between processes.

With ``METRICS_TOKEN`` set the endpoint needs ``Authorization: Bearer <token>`` (401
otherwise); unset, it is open: bind the API to a private address or put it behind a proxy.
"""

from __future__ import annotations

import hmac
import logging
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

from backend.config import VAR_DIR

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def _multiprocess_dir() -> Path:
    """The folder the request metrics of every API process go to (made if missing)."""
    path = Path(os.environ.get(MULTIPROC_ENV) or VAR_DIR / "prometheus")
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.environ[MULTIPROC_ENV] = str(path)
    return path


# prometheus_client decides between in-process and multiprocess values when it is first
# imported, from this variable: it must be set before the import below.
MULTIPROC_DIR = _multiprocess_dir()

from fastapi import APIRouter, HTTPException, Request, Response, status  # noqa: E402
from fastapi.concurrency import run_in_threadpool  # noqa: E402
from prometheus_client import (  # noqa: E402
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import (  # noqa: E402
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.multiprocess import MultiProcessCollector  # noqa: E402
from prometheus_client.registry import Collector  # noqa: E402
from starlette.types import ASGIApp, Message, Receive, Scope, Send  # noqa: E402

from backend.api.deps import SettingsDep  # noqa: E402
from backend.api.errors import error_responses  # noqa: E402
from backend.api.routing import OneHopRoute  # noqa: E402
from backend.db import get_engine  # noqa: E402
from backend.services import monitoring  # noqa: E402
from backend.tasks.kinds import QUEUES  # noqa: E402
from backend.tasks.queue_depths import BrokerUnavailable, queue_depths  # noqa: E402

logger = logging.getLogger(__name__)
router = APIRouter(tags=["monitoring"], route_class=OneHopRoute)

_PROCESS_FILE = re.compile(r"_(\d+)\.db")
# Requests that matched no route share one label: a scan of random paths must not
# create a time series per path.
UNMATCHED_ROUTE = "<unmatched>"
_LABELS = ("method", "route", "status")

REQUESTS = Counter(
    "ledgerflow_http_requests", "HTTP requests answered", _LABELS, registry=None
)
REQUEST_SECONDS = Histogram(
    "ledgerflow_http_request_duration_seconds", "Time to answer an HTTP request", _LABELS,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
    registry=None,
)


def remove_dead_process_files(folder: Path = MULTIPROC_DIR) -> int:
    """Delete the metric files of processes that no longer run; returns how many."""
    removed = 0
    for path in folder.glob("*.db"):
        match = _PROCESS_FILE.search(path.name)
        if match is None or _process_alive(int(match[1])):
            continue
        path.unlink(missing_ok=True)
        removed += 1
    return removed


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


remove_dead_process_files()


class RequestMetrics:
    """Pure ASGI middleware: counts each HTTP request and its latency by route template."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status_code = 500  # what the client gets if the app raises before answering
        counted = False

        def count() -> None:
            nonlocal counted
            counted = True
            # The router stored the matched route in the scope: its template, not the path.
            route = getattr(scope.get("route"), "path", None) or UNMATCHED_ROUTE
            labels = (scope["method"], route, str(status_code))
            REQUESTS.labels(*labels).inc()
            REQUEST_SECONDS.labels(*labels).observe(time.perf_counter() - started)

        async def send_and_count(message: Message) -> None:
            nonlocal status_code
            if message["type"] == "http.response.start":
                status_code = message["status"]
            elif message["type"] == "http.response.body" and not message.get("more_body", False):
                # Counted before the last byte leaves: a client that has its answer can
                # already see it counted in /metrics.
                count()
            await send(message)

        try:
            await self.app(scope, receive, send_and_count)
        finally:
            if not counted:  # the app raised, or the client went away mid-answer
                count()


class RequestFilesCollector(Collector):
    """The request metrics of every API process, summed from their files in the folder.

    ``MultiProcessCollector`` with two races closed: a file that a process is creating
    this instant is still empty (prometheus_client fails to read it), and a starting
    process may remove a dead process's file between the listing and the reading.
    """

    def collect(self) -> Iterator[Metric]:
        try:
            return self._merge()
        except FileNotFoundError:  # removed between the listing and the reading: list again
            return self._merge()

    @staticmethod
    def _merge() -> Iterator[Metric]:
        files = [str(path) for path in MULTIPROC_DIR.glob("*.db") if _has_data(path)]
        return iter(MultiProcessCollector.merge(files, accumulate=True))


def _has_data(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except FileNotFoundError:
        return False


class PlatformCollector(Collector):
    """Task and queue figures, read from the database and the broker at each scrape."""

    def collect(self) -> Iterator[Metric]:
        engine = get_engine()
        tasks = GaugeMetricFamily(
            "ledgerflow_tasks", "Tasks in task_status by name and status", labels=["task_name", "status"]
        )
        for name, state, rows in monitoring.task_counts(engine):
            tasks.add_metric([name, state], rows)
        yield tasks
        durations = HistogramMetricFamily(
            "ledgerflow_task_duration_seconds",
            "Run time of the finished tasks in task_status (last run, started to completed)",
            labels=["task_name"],
        )
        bounds = [*(str(bound) for bound in monitoring.DURATION_BUCKETS), "+Inf"]
        for histogram in monitoring.duration_histograms(engine):
            durations.add_metric(
                [histogram.task_name], list(zip(bounds, histogram.bucket_counts, strict=True)),
                histogram.total_seconds,
            )
        yield durations
        yield from self._queues()

    @staticmethod
    def _queues() -> Iterator[Metric]:
        broker_up = GaugeMetricFamily("ledgerflow_broker_up", "1 if the broker answered the queue probe")
        try:
            depths = queue_depths(QUEUES)
        except BrokerUnavailable as exc:
            logger.warning("Queue depths not collected: %s", exc)
            broker_up.add_metric([], 0)
            yield broker_up
            return
        broker_up.add_metric([], 1)
        yield broker_up
        gauge = GaugeMetricFamily("ledgerflow_queue_depth", "Messages waiting in the queue", labels=["queue"])
        for name in QUEUES:
            gauge.add_metric([name], depths[name])
        yield gauge


def _authorise(request: Request, token: str) -> None:
    if not token:
        return
    scheme, _, offered = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(offered.strip().encode(), token.encode()):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, detail="GET /metrics needs the METRICS_TOKEN as a bearer token",
            headers={"WWW-Authenticate": "Bearer"},
        )


def _scrape() -> bytes:
    registry = CollectorRegistry()
    registry.register(RequestFilesCollector())
    registry.register(PlatformCollector())
    return generate_latest(registry)


@router.get(
    "/metrics", response_class=Response,
    responses={200: {"content": {CONTENT_TYPE_LATEST: {}}}, **error_responses(401)},
)
async def metrics(request: Request, settings: SettingsDep) -> Response:
    """Prometheus metrics (text format); with METRICS_TOKEN set, a bearer token is required."""
    _authorise(request, settings.metrics_token)
    return Response(await run_in_threadpool(_scrape), media_type=CONTENT_TYPE_LATEST)
