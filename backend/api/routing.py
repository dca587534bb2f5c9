"""The route class of every router: a synchronous route costs one thread hop, not two.

FastAPI runs a plain ``def`` route in anyio's worker threads, and then, because the route
was not a coroutine, validates its return value against the response model in a worker
thread *again* (``serialize_response(..., is_coroutine=False)``). Each hop hands the
request to a thread and back (the waking ``Condition.notify`` alone was 12 % of the API's
samples, docs/performance.md "Round 4"), and with ``API_THREADS``
(backend/api/admission.py) the second one also queues for a thread behind other requests'
route bodies, though validating our response models is microseconds of work (measured in
docs/performance.md, "Round 5: one thread hop per request"). ``OneHopRoute`` hands FastAPI a
coroutine that runs the route's body in a worker thread, exactly as FastAPI would
(``run_in_threadpool``: the same limiter, the request's context copied into the thread),
so FastAPI treats the route as a coroutine and validates and serialises its answer on the
event loop. Everything FastAPI reads from the function (its parameters and their
dependencies, the response model from its annotation, name, summary, docstring) is read
through ``functools.wraps``' ``__wrapped__``, as ``inspect.signature`` does: the
dependency order, the answers and ``/openapi.json`` are the same
(tests/unit/test_route_class.py).

Coroutines, generators (streamed answers) and anything that is not a plain function are
left to FastAPI as they are. Only public APIs: ``route_class``, ``APIRoute`` and
Starlette's ``run_in_threadpool``. One difference, in text only: the message of a
``ResponseValidationError`` (a route answering what its model refuses: a bug, logged
with its traceback) names the route's function, line and path but this module's file,
because FastAPI looks up the file without unwrapping (``inspect.getsourcefile``), as it
does for any decorated route.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool


def runs_in_a_thread(endpoint: Callable[..., Any]) -> bool:
    """Whether FastAPI would call ``endpoint`` in a worker thread and validate its answer
    in another: a plain synchronous function or method (not a generator)."""
    if not (inspect.isfunction(endpoint) or inspect.ismethod(endpoint)):
        return False
    function = inspect.unwrap(endpoint)
    return not any(
        check(candidate)
        for candidate in (endpoint, function)
        for check in (inspect.iscoroutinefunction, inspect.isgeneratorfunction,
                      inspect.isasyncgenfunction)
    )


def in_one_hop(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """``endpoint`` as a coroutine that runs it in a worker thread."""

    @functools.wraps(endpoint)
    async def in_a_thread(*args: Any, **kwargs: Any) -> Any:
        return await run_in_threadpool(endpoint, *args, **kwargs)

    return in_a_thread


class OneHopRoute(APIRoute):
    """An ``APIRoute`` whose synchronous endpoint runs in one thread hop; its answer is
    validated on the event loop. Every router of the API uses it (``route_class``)."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, in_one_hop(endpoint) if runs_in_a_thread(endpoint) else endpoint, **kwargs)
