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

**Its synchronous dependencies in the same hop.** FastAPI also hands each synchronous
dependency to a thread of its own, and a ``yield`` one twice (enter, exit): a
``GET /tasks/{id}/status`` (session, current user, owned task, body) made five hand-offs.
``OneHopRoute`` hands FastAPI the same tree with each synchronous dependency (a plain or
generator function) replaced by a coroutine stand-in of the same signature (``stand_in``):
FastAPI solves the tree in its order, with its cache, and where it would have called the
function in a thread the stand-in notes the call (``DeferredCall``) and hands on the note.
The route's worker thread makes the noted calls in the order they were noted, FastAPI's,
runs the body, and exits the ``yield`` ones around it as nested ``with`` blocks would (the
body's exception thrown in): one hop. So a ``yield`` dependency (the ORM session) now ends
when the body ends, before the answer is validated, where FastAPI ended it after the answer
was sent; when the body returns a ``Response`` (a streamed body may still use it) its
stand-in exits it as FastAPI did, on FastAPI's exit stack, in a hop. When FastAPI stops
before the body (an async dependency's 401, a 422), the noted calls are made first, in one
hop on that error path, so that a dependency's own error (a deleted user's 401) still wins
over a parameter's 422 and every dependency FastAPI would have run has run.

Left to FastAPI as before: a route whose tree has a synchronous dependency FastAPI must call
itself (one a coroutine or class uses, or with ``max_concurrency``), a route given
``dependencies=``, and dependencies given to ``include_router`` or to the app (there are
none: a function used there and in a route's tree would be called twice). A test's
``dependency_overrides`` entry for a replaced function is mirrored under its stand-in's key,
so FastAPI solves the override where it solved the original. The tree is read as FastAPI
reads it (``inspect.signature`` and ``Annotated``); the one undocumented name used is
``fastapi.params.Depends``, the class of what ``Depends()`` returns (a dataclass, copied
with ``dataclasses.replace``), fenced in ``_marker_dependency``: without it no route
changes. ``dependency_function`` gives what reads ``route.dependant`` (backend/api/errors.py)
the original functions.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import inspect
from collections.abc import Callable, Coroutine, Iterable
from contextvars import ContextVar
from types import TracebackType
from typing import Annotated, Any, get_args, get_origin

import anyio
import anyio.to_thread
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

try:  # the class of what fastapi.Depends() returns; see _marker_dependency
    from fastapi.params import Depends as DependsMarker
except ImportError:  # pragma: no cover - a FastAPI without it: no route is changed
    DependsMarker = None  # type: ignore[assignment,misc]


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


class DeferredCall:
    """A synchronous dependency FastAPI would have called at this point of the request,
    with the arguments it solved for it (others' notes among them); made in the route's
    thread."""

    def __init__(self, function: Callable[..., Any], arguments: dict[str, Any], generator: bool) -> None:
        self.function = function
        self.arguments = arguments
        self.generator = generator
        self.value: Any = None
        self.manager: contextlib.AbstractContextManager[Any] | None = None
        self.open = False  # a yield dependency entered and not yet exited

    def make(self, exits: contextlib.ExitStack) -> None:
        arguments = {name: solved(argument) for name, argument in self.arguments.items()}
        if not self.generator:
            self.value = self.function(**arguments)
            return
        self.manager = contextlib.contextmanager(self.function)(**arguments)
        self.value = self.manager.__enter__()
        self.open = True
        exits.push(self.exit)

    def exit(self, kind: type[BaseException] | None, error: BaseException | None,
             traceback: TracebackType | None) -> bool:
        """Exit the ``yield`` dependency (``error`` thrown in); True if it swallowed it."""
        self.open = False
        return bool(self.manager and self.manager.__exit__(kind, error, traceback))


def solved(argument: Any) -> Any:
    """An argument as the function receives it: a note stands for the value it made."""
    return argument.value if isinstance(argument, DeferredCall) else argument


class RequestCalls:
    """The calls noted while FastAPI solved one request's dependencies, in its order."""

    def __init__(self) -> None:
        self.calls: list[DeferredCall] = []
        self.made = False

    def note(self, call: DeferredCall) -> DeferredCall:
        self.calls.append(call)
        return call

    def _make_all(self, exits: contextlib.ExitStack) -> None:
        self.made = True
        for call in self.calls:
            call.make(exits)

    def run(self, endpoint: Callable[..., Any], arguments: dict[str, Any]) -> Any:
        """In the worker thread: the noted calls, then the body; the yield dependencies
        exited around it as nested ``with`` blocks (the body's exception thrown in)."""
        with contextlib.ExitStack() as exits:
            self._make_all(exits)
            answer = endpoint(**{name: solved(value) for name, value in arguments.items()})
            if isinstance(answer, Response):
                exits.pop_all()  # its body may still use them: exited by their stand-ins
            return answer

    def make_then_raise(self, error: Exception) -> None:
        """In a worker thread, when FastAPI stopped before the body with ``error``: the
        calls FastAPI would have made before it (their own error first), then ``error``."""
        with contextlib.ExitStack() as exits:
            self._make_all(exits)
            raise error


_request_calls: ContextVar[RequestCalls | None] = ContextVar("one_hop_request_calls", default=None)


def _noting() -> RequestCalls:
    calls = _request_calls.get()
    if calls is None:
        raise RuntimeError("a deferred dependency called outside a OneHopRoute request")
    return calls


class CannotDefer(Exception):
    """The route's tree has a synchronous dependency FastAPI must call itself."""


def _marker_dependency(marker: Any) -> tuple[bool, Callable[..., Any] | None]:
    """Whether ``marker`` is a ``Depends()``/``Security()``, and its callable. Fenced:
    ``fastapi.params.Depends`` is not in FastAPI's documentation (it is the class FastAPI
    itself checks for); should it go, nothing is deferred."""
    if DependsMarker is None or not isinstance(marker, DependsMarker):
        return False, None
    return True, marker.dependency


def _deferrable(function: Any) -> bool:
    """A plain synchronous function or generator function (what FastAPI hands to a thread)."""
    return inspect.isfunction(function) and not any(
        check(candidate)  # through functools.wraps too, as FastAPI looks
        for candidate in (function, inspect.unwrap(function))
        for check in (inspect.iscoroutinefunction, inspect.isasyncgenfunction)
    )


_stand_ins: dict[Callable[..., Any], Callable[..., Any]] = {}


def _swap(marker: Any, annotation: Any) -> Any:
    """``marker`` with a deferrable dependency replaced by its stand-in; CannotDefer when
    a dependency FastAPI calls itself uses a deferrable one."""
    is_marker, dependency = _marker_dependency(marker)
    if not is_marker:
        return marker
    if dependency is None:  # Depends() on the annotation's class
        dependency = annotation
    if _deferrable(dependency):
        if marker.max_concurrency is not None:
            raise CannotDefer(f"{dependency.__name__} has max_concurrency")
        return dataclasses.replace(marker, dependency=stand_in(dependency))
    _check_uses_no_deferrable(dependency)
    return marker


def _check_uses_no_deferrable(dependency: Any) -> None:
    try:
        signature = inspect.signature(dependency, eval_str=True)
    except (TypeError, ValueError, NameError):
        return  # nothing FastAPI could read dependencies from either
    if _rewritten(signature) != signature:
        raise CannotDefer(f"{dependency!r} uses a synchronous dependency")


def _rewritten(signature: inspect.Signature) -> inspect.Signature:
    """``signature`` with each deferrable dependency (in ``Annotated`` or as the default)
    replaced by its stand-in."""
    parameters = []
    for parameter in signature.parameters.values():
        annotation, default = parameter.annotation, parameter.default
        base = annotation
        if get_origin(annotation) is Annotated:
            base, *metadata = get_args(annotation)
            swapped = [_swap(marker, base) for marker in metadata]
            if any(new is not old for new, old in zip(swapped, metadata, strict=True)):
                annotation = Annotated[(base, *swapped)]
        default = _swap(default, base)
        parameters.append(parameter.replace(annotation=annotation, default=default))
    return signature.replace(parameters=parameters)


def stand_in(function: Callable[..., Any]) -> Callable[..., Any]:
    """The coroutine (an async generator for a ``yield`` dependency) FastAPI calls in
    ``function``'s place: same parameters, its own deferrable dependencies replaced too;
    it notes the call and returns the note. One per function, so that FastAPI's cache
    (keyed by the callable) merges the same uses as before."""
    if function in _stand_ins:
        return _stand_ins[function]
    signature = _rewritten(inspect.signature(function, eval_str=True))
    deferred: Any
    if inspect.isgeneratorfunction(function):

        async def deferred_generator(**arguments: Any) -> Any:
            call = _noting().note(DeferredCall(function, arguments, generator=True))
            # Exited here, as Starlette's contextmanager_in_threadpool exits a sync one
            # (its own limiter: never queued behind the bodies), unless the route's thread
            # already did.
            try:
                yield call
            except Exception as error:
                if call.open and await anyio.to_thread.run_sync(
                    call.exit, type(error), error, error.__traceback__,
                    limiter=anyio.CapacityLimiter(1),
                ):
                    return
                raise
            else:
                if call.open:
                    await anyio.to_thread.run_sync(
                        call.exit, None, None, None, limiter=anyio.CapacityLimiter(1)
                    )

        deferred = deferred_generator
    else:

        async def deferred_call(**arguments: Any) -> DeferredCall:
            return _noting().note(DeferredCall(function, arguments, generator=False))

        deferred = deferred_call
    deferred.__signature__ = signature
    deferred.__name__ = deferred.__qualname__ = f"deferred_{function.__name__}"
    deferred.__doc__ = function.__doc__
    deferred.stands_in_for = function
    _stand_ins[function] = deferred
    return _stand_ins[function]


def dependency_function(call: Any) -> Any:
    """The function a dependency's callable is: through a stand-in, the one it stands in for
    (for what reads the routes' dependencies, as backend/api/errors.py does)."""
    return getattr(call, "stands_in_for", call)


def in_one_hop_with_dependencies(
    endpoint: Callable[..., Any],
) -> tuple[Callable[..., Any], set[Callable[..., Any]]] | None:
    """``endpoint`` as a coroutine whose parameters take the stand-ins of its synchronous
    dependencies and which runs them and the body in one worker thread, and the replaced
    functions; None when there are none, or when FastAPI must call one itself."""
    signature = inspect.signature(endpoint, eval_str=True)
    try:
        rewritten = _rewritten(signature)
    except (CannotDefer, NameError):
        return None
    if rewritten == signature:
        return None
    replaced = {function for function, deferred in _stand_ins.items() if _used(deferred, rewritten)}

    @functools.wraps(endpoint)
    async def in_a_thread(**arguments: Any) -> Any:
        return await run_in_threadpool(_noting().run, endpoint, arguments)

    in_a_thread.__signature__ = rewritten  # type: ignore[attr-defined]
    return in_a_thread, replaced


def _used(deferred: Callable[..., Any], signature: inspect.Signature) -> bool:
    """Whether the tree of ``signature`` calls the stand-in ``deferred``."""
    for parameter in signature.parameters.values():
        markers = [parameter.default]
        if get_origin(parameter.annotation) is Annotated:
            markers += get_args(parameter.annotation)[1:]
        for marker in markers:
            is_marker, dependency = _marker_dependency(marker)
            if not is_marker or dependency is None or dependency not in _stand_ins.values():
                continue
            if dependency is deferred or _used(deferred, inspect.signature(dependency)):
                return True
    return False


def mirror_overrides(overrides: dict[Any, Any], deferred: Iterable[Callable[..., Any]]) -> None:
    """Key each ``dependency_overrides`` entry of a replaced function by its stand-in too
    (FastAPI looks overrides up by the callable it finds in the tree), and drop the
    stand-ins' entries whose function is no longer overridden."""
    for function in deferred:
        key = _stand_ins[function]
        if function in overrides:
            overrides[key] = overrides[function]
        else:
            overrides.pop(key, None)


class OneHopRoute(APIRoute):
    """An ``APIRoute`` whose synchronous endpoint, with its synchronous dependencies, runs
    in one thread hop; its answer is validated on the event loop. Every router of the API
    uses it (``route_class``)."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        self.deferred_functions: frozenset[Callable[..., Any]] = frozenset()
        if runs_in_a_thread(endpoint):
            plan = None if kwargs.get("dependencies") else in_one_hop_with_dependencies(endpoint)
            if plan is None:
                endpoint = in_one_hop(endpoint)
            else:
                endpoint, replaced = plan
                self.deferred_functions = frozenset(replaced)
        super().__init__(path, endpoint, **kwargs)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        return refusing_unknown_query_names(self._handler(), query_names(self.dependant))

    def _handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        deferred = self.deferred_functions
        if not deferred:
            return handler

        async def one_hop_handler(request: Request) -> Response:
            overrides = getattr(request.app, "dependency_overrides", None)
            if overrides:  # tests'
                mirror_overrides(overrides, deferred)
            calls = RequestCalls()
            token = _request_calls.set(calls)
            try:
                return await handler(request)
            except Exception as error:
                if calls.made or not calls.calls:
                    raise
                await run_in_threadpool(calls.make_then_raise, error)
                raise  # not reached: make_then_raise raises
            finally:
                _request_calls.reset(token)

        return one_hop_handler


def query_names(dependant: Dependant) -> frozenset[str]:
    """The query parameters a route reads: its own and its dependencies', as sent (alias)."""
    names = {param.alias for param in dependant.query_params}
    for dependency in dependant.dependencies:
        names |= query_names(dependency)
    return frozenset(names)


def refusing_unknown_query_names(
    handler: Callable[[Request], Coroutine[Any, Any, Response]], known: frozenset[str]
) -> Callable[[Request], Coroutine[Any, Any, Response]]:
    """``handler``, answering 422 for a query parameter the route does not read, as a body
    key it does not know is: ignored, a misspelt or misplaced filter widened the answer
    (``/transactions/export?statement_id=3`` exported every statement)."""

    async def checked(request: Request) -> Response:
        unknown = [name for name in dict.fromkeys(request.query_params.keys()) if name not in known]
        if unknown:
            raise RequestValidationError([
                {"type": "extra_forbidden", "loc": ("query", name),
                 "msg": f"Unknown query parameter; this endpoint reads {_listed(known)}",
                 "input": request.query_params[name]}
                for name in unknown
            ])
        return await handler(request)

    return checked


def _listed(names: frozenset[str]) -> str:
    return ", ".join(sorted(names)) if names else "none"
