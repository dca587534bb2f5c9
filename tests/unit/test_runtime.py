"""backend/runtime.py: the start-up heap is frozen once per process."""

from __future__ import annotations

import gc

from backend.runtime import freeze_startup_heap


def test_the_startup_heap_leaves_the_collectors_reach_once():
    freeze_startup_heap()
    frozen = gc.get_freeze_count()
    assert frozen > 0
    freeze_startup_heap()  # a second app in the same process freezes nothing more
    assert gc.get_freeze_count() == frozen
