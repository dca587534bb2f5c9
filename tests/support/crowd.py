"""Work started from many threads at the same instant, for tests of what happens at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def together(work: Callable[[], T], threads: int) -> list[T]:
    """Run ``work`` in ``threads`` threads released together (a barrier); their results, in
    no particular order. An exception of one is raised once all have ended."""
    results: list[T] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(threads)

    def one() -> None:
        start.wait()
        try:
            result = work()
        except BaseException as exc:  # handed to the caller's thread below
            with lock:
                errors.append(exc)
            return
        with lock:
            results.append(result)

    started = [threading.Thread(target=one) for _ in range(threads)]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join()
    if errors:
        raise errors[0]
    return results
