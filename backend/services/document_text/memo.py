"""Memory for the pure readers of a cell's or a line's text.

A statement's parse reads the same texts many times over (a row's description is classified
about five times, an amount parsed about eight: as a header candidate, a cell, a balance, in the
reconciliation), and its texts repeat (dates, recurring payees, "Card payment"). The readers
marked :func:`remembered` are pure functions of their arguments returning immutable values, so
each keeps its last few thousand answers: bounded memory, whatever a worker process reads.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

Reader = TypeVar("Reader", bound=Callable[..., object])

# Answers kept per reader: a 200-page statement's distinct amounts, dates and descriptions.
_TEXTS_REMEMBERED = 4096
_READERS: list[Any] = []


def remembered(reader: Reader) -> Reader:
    """``reader`` keeping its last :data:`_TEXTS_REMEMBERED` answers (``functools.lru_cache``)."""
    memo = functools.lru_cache(maxsize=_TEXTS_REMEMBERED)(reader)
    _READERS.append(memo)
    return cast(Reader, memo)


def forget_all() -> None:
    """Empty every reader's memory: a benchmark times each parse as a process's first document."""
    for memo in _READERS:
        memo.cache_clear()
