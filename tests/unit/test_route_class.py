"""backend/api/routing.py ``OneHopRoute``: a synchronous route's body runs in one worker
thread and its answer is validated on the event loop (FastAPI alone hops twice), with
everything else as FastAPI does it: dependencies, errors, ``Response`` parameters,
background tasks, the request's context in the thread, streamed answers, the schema."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Annotated, Any

import anyio.to_thread
import pytest
from fastapi import APIRouter, BackgroundTasks, Depends, FastAPI, HTTPException, Response
from fastapi.responses import StreamingResponse
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from pydantic import BaseModel, field_validator

from backend.api.main import create_app
from backend.api.routing import OneHopRoute, runs_in_a_thread

seen: dict[str, int] = {}  # where each step ran: thread ids
order: list[str] = []
events: list[str] = []  # the yield dependency's and the body's steps (deferring_app)
request_tag: ContextVar[str | None] = ContextVar("request_tag", default=None)


class Answer(BaseModel):
    value: int

    @field_validator("value")
    @classmethod
    def note_thread(cls, value: int) -> int:
        seen["validation"] = threading.get_ident()
        return value


async def on_the_loop(tag: str = "none") -> str:
    """An async dependency: runs on the event loop's thread, and sets a context variable."""
    seen["loop"] = threading.get_ident()
    order.append("async dependency")
    request_tag.set(tag)
    return tag


def sync_dependency(tag: Annotated[str, Depends(on_the_loop)]) -> str:
    seen["sync dependency"] = threading.get_ident()
    order.append("sync dependency")
    return tag


def build(route_class: type[APIRoute]) -> FastAPI:
    """A small app with the shapes our routers use, its routes of ``route_class``."""
    router = APIRouter(prefix="/things", tags=["things"], route_class=route_class)
    done: list[str] = []

    @router.get("/{thing_id}", response_model=Answer, responses={404: {"description": "No such thing"}})
    def read_thing(thing_id: int, tag: Annotated[str, Depends(sync_dependency)], response: Response,
                   background: BackgroundTasks) -> dict[str, int]:
        """Read one thing."""
        seen["endpoint"] = threading.get_ident()
        order.append("endpoint")
        if thing_id == 404:
            raise HTTPException(404, "no such thing")
        response.headers["X-Tag"] = f"{tag}/{request_tag.get()}"
        response.status_code = 203
        background.add_task(done.append, "background")
        return {"value": thing_id}  # validated into an Answer by FastAPI

    @router.get("/{thing_id}/annotated")
    def annotated(thing_id: int) -> Answer:
        return Answer(value=thing_id)

    @router.get("/{thing_id}/lines")
    def lines(thing_id: int) -> StreamingResponse:
        return StreamingResponse(iter([f"{thing_id}\n", "end\n"]), media_type="text/plain")

    @router.get("/{thing_id}/jsonl")
    def jsonl(thing_id: int) -> Iterator[Answer]:
        yield Answer(value=thing_id)
        yield Answer(value=thing_id + 1)

    app = FastAPI()
    app.include_router(router)

    @app.get("/done")
    async def background_done() -> list[str]:
        return done

    return app


@pytest.fixture(params=[OneHopRoute, APIRoute], ids=["OneHopRoute", "APIRoute"])
def route_class(request: pytest.FixtureRequest) -> type[APIRoute]:
    """Each test of the answers runs with both route classes, from a clean slate."""
    seen.clear()
    order.clear()
    events.clear()
    return request.param


@pytest.fixture
def client(route_class: type[APIRoute]) -> Iterator[TestClient]:
    with TestClient(build(route_class)) as test_client:
        yield test_client


@pytest.fixture
def thread_hops(monkeypatch: pytest.MonkeyPatch) -> list[Callable[..., Any]]:
    """Every function handed to anyio's worker threads (how FastAPI and Starlette run sync code)."""
    handed: list[Callable[..., Any]] = []
    run_sync = anyio.to_thread.run_sync

    async def counted(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        handed.append(function)
        return await run_sync(function, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counted)
    return handed


def one_hop_app() -> TestClient:
    seen.clear()
    order.clear()
    return TestClient(build(OneHopRoute))


def test_a_sync_route_takes_one_thread_hop_and_is_validated_on_the_loop(thread_hops):
    with one_hop_app() as client:
        thread_hops.clear()  # the lifespan's
        assert client.get("/things/7/annotated").json() == {"value": 7}
        # The body only; FastAPI's own APIRoute also validates the answer in a thread (2).
        assert len(thread_hops) == 1
        thread_hops.clear()
        assert client.get("/things/7?tag=a").json() == {"value": 7}
    # The sync dependency runs in the body's hop (RequestCalls.run); the background task
    # is a hop of its own, as with FastAPI alone (which makes three before it).
    assert [hop.func.__name__ for hop in thread_hops] == ["run", "append"]
    assert seen["endpoint"] != seen["loop"]
    assert seen["sync dependency"] == seen["endpoint"]
    assert seen["validation"] == seen["loop"]


def test_fastapi_alone_validates_in_a_second_hop(thread_hops):
    # What OneHopRoute changes: without it the answer is validated in a worker thread.
    seen.clear()
    with TestClient(build(APIRoute)) as client:
        thread_hops.clear()
        assert client.get("/things/7/annotated").json() == {"value": 7}
        assert len(thread_hops) == 2
        client.get("/things/7?tag=a")
    assert seen["validation"] != seen["loop"]


def test_the_answers_are_the_same(client):
    answer = client.get("/things/5?tag=b")
    assert answer.status_code == 203
    # The async dependency's context variable is seen in the thread that runs the body.
    assert answer.headers["X-Tag"] == "b/b"
    assert answer.json() == {"value": 5}
    assert order == ["async dependency", "sync dependency", "endpoint"]
    assert client.get("/done").json() == ["background"]
    assert client.get("/things/404").json() == {"detail": "no such thing"}
    # A bad parameter: the dependencies are solved (FastAPI collects every error), the
    # body never runs.
    order.clear()
    assert client.get("/things/x").status_code == 422
    assert order == ["async dependency", "sync dependency"]
    assert client.get("/things/3/annotated").json() == {"value": 3}
    assert client.get("/things/3/lines").text == "3\nend\n"
    assert client.get("/things/3/jsonl").text.splitlines() == ['{"value":3}', '{"value":4}']


def test_the_schema_is_the_same():
    one_hop, plain = build(OneHopRoute).openapi(), build(APIRoute).openapi()
    assert one_hop == plain
    operation = one_hop["paths"]["/things/{thing_id}"]["get"]
    assert operation["operationId"] == "read_thing_things__thing_id__get"
    assert operation["description"] == "Read one thing."
    assert "/things/{thing_id}/annotated" in one_hop["paths"]


def test_only_plain_synchronous_functions_are_wrapped():
    async def coroutine() -> None: ...

    def generator() -> Iterator[int]:
        yield 1

    async def async_generator() -> Any:
        yield 1

    def plain() -> None: ...

    class Endpoint:
        def __call__(self) -> None: ...

    assert runs_in_a_thread(plain)
    assert not any(map(runs_in_a_thread, (coroutine, generator, async_generator, Endpoint())))


def test_every_route_of_the_api_takes_one_hop():
    # A router made without route_class=OneHopRoute would hop twice again.
    routes = [context.original_route for context in iter_route_contexts(create_app().routes)]
    api_routes = [route for route in routes if isinstance(route, APIRoute)]
    assert api_routes
    assert [route.path for route in api_routes if not isinstance(route, OneHopRoute)] == []


# Synchronous dependencies solved in the body's thread (OneHopRoute.deferred_functions).


def opened() -> Iterator[str]:
    """A yield dependency, like backend.db.get_session: notes its enter and its exit."""
    events.append(f"enter {threading.get_ident() == seen.get('loop')}")
    try:
        yield "resource"
    except Exception as error:
        events.append(f"exit with {getattr(error, 'status_code', type(error).__name__)}")
        raise
    else:
        events.append("exit")


def counted(resource: Annotated[str, Depends(opened)]) -> int:
    events.append("counted")
    return len(events)


def refusing(resource: Annotated[str, Depends(opened)], refuse: bool = False) -> str:
    """Like get_current_user: its own error (401) before a later parameter's 422."""
    if refuse:
        raise HTTPException(401, "refused")
    return resource


async def async_user_of(count: Annotated[int, Depends(counted)]) -> int:
    return count  # a coroutine using a sync dependency: FastAPI must call that one itself


def deferring_app(route_class: type[APIRoute]) -> FastAPI:
    router = APIRouter(route_class=route_class)

    @router.get("/resource/{number}")
    def use(number: int, resource: Annotated[str, Depends(refusing)],
            first: Annotated[int, Depends(counted)], again: Annotated[int, Depends(counted)],
            fresh: Annotated[int, Depends(counted, use_cache=False)]) -> dict[str, Any]:
        events.append("body")
        if number == 404:
            raise HTTPException(404, "no such resource")
        return {"resource": resource, "counts": [first, again, fresh]}

    @router.get("/streamed")
    def streamed(resource: Annotated[str, Depends(opened)]) -> StreamingResponse:
        events.append("body")
        return StreamingResponse(iter([resource]), media_type="text/plain")

    @router.get("/async-user")
    def async_user(count: Annotated[int, Depends(async_user_of)]) -> int:
        return count

    app = FastAPI()
    app.include_router(router)
    return app


@pytest.fixture
def deferring(route_class: type[APIRoute]) -> Iterator[TestClient]:
    with TestClient(deferring_app(route_class)) as test_client:
        yield test_client


def test_sync_dependencies_answer_as_before(deferring):
    # The same calls in the same order, with FastAPI's cache (one ``counted`` for two
    # uses, one more for use_cache=False), the yield dependency exited once.
    assert deferring.get("/resource/7").json() == {"resource": "resource", "counts": [2, 2, 3]}
    assert events == ["enter False", "counted", "counted", "body", "exit"]
    events.clear()
    assert deferring.get("/resource/404").json() == {"detail": "no such resource"}
    assert events[-2:] == ["body", "exit with 404"]  # the body's error thrown in
    events.clear()
    # The dependency's own error comes before the 422 of a later parameter, as before;
    # without it, the 422, and the dependencies FastAPI would have called are called.
    assert deferring.get("/resource/x?refuse=true").status_code == 401
    assert events == ["enter False", "exit with 401"]
    events.clear()
    assert deferring.get("/resource/x").status_code == 422
    assert events == ["enter False", "counted", "counted", "exit with RequestValidationError"]
    events.clear()
    assert deferring.get("/streamed").text == "resource"
    assert events == ["enter False", "body", "exit"]  # exited after the streamed body


def test_sync_dependencies_run_in_the_bodys_hop(thread_hops):
    seen.clear()
    app = deferring_app(OneHopRoute)
    deferred = {route.path: {function.__name__ for function in route.deferred_functions}
                for route in (context.original_route for context in iter_route_contexts(app.routes))
                if isinstance(route, OneHopRoute)}
    assert deferred == {"/resource/{number}": {"opened", "counted", "refusing"},
                        "/streamed": {"opened"}, "/async-user": set()}
    with TestClient(app) as client:
        thread_hops.clear()
        client.get("/resource/7")
        assert [getattr(hop, "func", hop).__name__ for hop in thread_hops] == ["run"]
        thread_hops.clear()
        client.get("/streamed")  # the yield dependency is exited after the answer is sent
        hops = [getattr(hop, "func", hop).__name__ for hop in thread_hops]
        assert (hops[0], set(hops[1:-1]), hops[-1]) == ("run", {"_next"}, "exit")  # the body's chunks between
        thread_hops.clear()
        # A coroutine uses the sync dependency: FastAPI calls every one itself, as before.
        assert client.get("/async-user").status_code == 200
        assert len(thread_hops) == 4


def test_an_override_of_a_deferred_dependency_is_honoured():
    app = deferring_app(OneHopRoute)
    app.dependency_overrides[refusing] = lambda: "overridden"
    with TestClient(app) as client:
        assert client.get("/resource/1").json()["resource"] == "overridden"
    app.dependency_overrides.clear()
    with TestClient(app) as client:
        assert client.get("/resource/1").json()["resource"] == "resource"
