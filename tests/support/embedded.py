"""The default back end's Redis for the SQLite test run: the embedded redis-server that
`make up` starts when nothing answers on 6379 (deploy/run_stack.py), on a free port."""

from __future__ import annotations

import atexit
from pathlib import Path

from tests.support.net import PrivateRedis


def start_embedded_redis(data_dir: Path) -> str:
    """Start it (stopped when the test run ends); returns its URL without a db index."""
    server = PrivateRedis(data_dir).start()
    atexit.register(server.stop)
    return server.url.rsplit("/", 1)[0]
