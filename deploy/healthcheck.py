"""Container health checks (Dockerfile HEALTHCHECK, docker-compose.yml), standard library only
so that a check costs a fraction of a second and imports nothing of the platform.

    python deploy/healthcheck.py http URL [TIMEOUT]     healthy: URL answers 2xx
    python deploy/healthcheck.py fresh GLOB MAX_AGE     healthy: a file matching GLOB
                                                        changed in the last MAX_AGE seconds

``http`` checks the API (``/health``) and Flower (``/healthcheck``). ``fresh`` checks beat:
beat rewrites its schedule file at least every 3 minutes while it sends tasks (Celery's
``sync_every``; the reaper alone is sent every REAPER_INTERVAL_SECONDS), so a file older
than that means beat has stopped sending. The workers are checked by Celery itself
(``celery inspect ping -d <node>``), which asks the node through the broker.

Exit status 0 is healthy, 1 unhealthy (what Docker expects); the reason goes to stdout,
which `docker inspect` shows.
"""

from __future__ import annotations

import glob
import os
import sys
import time
import urllib.error
import urllib.request

USAGE = "usage: healthcheck.py http URL [TIMEOUT] | fresh GLOB MAX_AGE_SECONDS"


def check_http(url: str, timeout: float = 4.0) -> str | None:
    """None when ``url`` answers 2xx within ``timeout`` seconds, else what went wrong."""
    if not url.startswith(("http://", "https://")):
        return f"not an http(s) URL: {url}"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (scheme checked)
            status: int = response.status
    except urllib.error.HTTPError as exc:
        return f"{url} answered {exc.code}"
    except (urllib.error.URLError, OSError) as exc:
        return f"{url} did not answer: {exc}"
    return None if 200 <= status < 300 else f"{url} answered {status}"


def check_fresh(pattern: str, max_age_seconds: float, now: float | None = None) -> str | None:
    """None when a file matching ``pattern`` was modified within ``max_age_seconds``."""
    paths = glob.glob(pattern)
    if not paths:
        return f"no file matches {pattern}"
    newest = max(os.path.getmtime(path) for path in paths)
    age = (time.time() if now is None else now) - newest
    if age > max_age_seconds:
        return f"{pattern} last changed {age:.0f} s ago (more than {max_age_seconds:.0f} s)"
    return None


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[0] == "http":
        problem = check_http(argv[1], *(float(value) for value in argv[2:3]))
    elif len(argv) == 3 and argv[0] == "fresh":
        problem = check_fresh(argv[1], float(argv[2]))
    else:
        print(USAGE)
        return 1  # Docker reserves 2
    print(problem or "healthy")
    return 1 if problem else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
