"""Process-wide tuning shared by the API and the workers."""

from __future__ import annotations

import gc
from functools import cache


@cache  # once per process: a test session builds the app many times
def freeze_startup_heap() -> None:
    """Move every object alive after start-up (modules, models, routes, the app) out of
    the cyclic garbage collector's reach.

    They live as long as the process, yet each full collection walked all of them: the
    API paused for ~100 ms at each one under 16 concurrent submits (5-10 ms after,
    docs/performance.md), a stall of every request in flight. In a worker, called before
    the pool processes are forked (Python's documented use of ``gc.freeze``), their
    collections skip the inherited objects too, and do not write to the pages they share
    with the parent.
    """
    gc.collect()
    gc.freeze()
