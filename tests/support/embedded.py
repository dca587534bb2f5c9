"""The default back end's Redis for the SQLite test run: the embedded redis-server that
`make up` starts when nothing answers on 6379 (deploy/run_stack.py), on a free port."""

from __future__ import annotations

import atexit
import subprocess
import time
from pathlib import Path

import redis

from deploy.run_stack import embedded_redis_command
from tests.support.net import free_port


def start_embedded_redis(data_dir: Path) -> str:
    """Start it (stopped when the test run ends); returns its URL without a db index."""
    port = free_port()
    data_dir.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        embedded_redis_command(port, data_dir), stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    atexit.register(process.terminate)
    url = f"redis://127.0.0.1:{port}"
    deadline = time.monotonic() + 10
    while True:
        try:
            redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
            return url
        except redis.RedisError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the embedded redis-server did not start") from None
            time.sleep(0.05)
