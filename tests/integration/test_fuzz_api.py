"""Every route of the API, fuzzed with schemathesis: no input may get a 5xx (issue 6, item 13).

The routes come from the application's own OpenAPI schema, so a new route is fuzzed
without touching this file. Each route gets both inputs that fit its schema and inputs
that break it, sent in process to the app over the real PostgreSQL and Redis, with the
bearer token of a registered user; routes with a rule or statement id also get the ids
of that user's real rule and statement, so the handlers behind the 404 run too.

FUZZ_EXAMPLES sets the examples per route and generation mode (default 10: the whole
file runs in well under a minute on 2 cores); raise it for a deeper run, e.g.
``FUZZ_EXAMPLES=500 pytest tests/integration/test_fuzz_api.py``.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Iterator

import pytest
import redis
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from backend.api.main import create_app
from backend.api.webhooks import get_resolver
from backend.services.rate_limits import KEY_PREFIX
from backend.services.url_guard import UnresolvableHost
from tests.conftest import TEST_REDIS_URL
from tests.support.seed import seed_statement

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}
# Seconds one request may take: far above any route's real time, so only a hang trips it.
REQUEST_TIMEOUT = 30

SCHEMA = create_app().openapi()
OPERATIONS = [
    (method.upper(), path)
    for path, item in SCHEMA["paths"].items()
    for method in item
    if method in HTTP_METHODS
]
# The statuses each operation declares (tests/unit/test_api_contract.py checks the rules).
DECLARED = {
    (method, path): set(SCHEMA["paths"][path][method.lower()]["responses"])
    for method, path in OPERATIONS
}
# 5xx found by this test in code it does not own, reported to its owners (issue 6): each
# mark goes when its route is fixed. Not strict: random inputs need not hit the bug.
# Routes with a 5xx still open, and why (an entry whose route passes shows as XPASS).
KNOWN_SERVER_ERRORS: dict[tuple[str, str], str] = {}


@pytest.fixture(autouse=True)
def rate_limit_counters_cleared(redis_server) -> Iterator[None]:
    """Fuzzing /auth/* counts as attempts: start from zero, and leave none to other tests."""
    server = redis.Redis.from_url(TEST_REDIS_URL)

    def clear() -> None:
        for key in server.scan_iter(f"{KEY_PREFIX}:*"):
            server.delete(key)

    clear()
    yield
    clear()


def loopback_only(host: str, port: int) -> list[str]:
    """Resolves loopback IP literals only: fuzzed webhook URLs never cause a DNS lookup,
    and nothing outside 127.0.0.0/8 can be registered (tests call loopback only)."""
    try:
        if ipaddress.ip_address(host).is_loopback:
            return [host]
    except ValueError:
        pass
    raise UnresolvableHost(f"the host {host!r} does not resolve (fuzzing: loopback only)")


@pytest.fixture(autouse=True)
def webhook_urls_stay_on_loopback(client) -> Iterator[None]:
    client.app.dependency_overrides[get_resolver] = lambda: loopback_only
    yield
    client.app.dependency_overrides.pop(get_resolver, None)


@pytest.fixture
def known_ids(client, auth_headers) -> dict[str, int]:
    """A rule and a statement of the fuzzing user, by the path parameter that names them."""
    rule = client.post("/rules", json={"pattern": "coffee", "category": "Coffee"},
                       headers=auth_headers)
    user_id = client.get("/auth/me", headers=auth_headers).json()["id"]
    statement_id = seed_statement(user_id, [("2024-03-01", "COFFEE HOUSE", "-3.20")])
    return {"rule_id": rule.json()["id"], "statement_id": statement_id}


def test_every_route_is_fuzzed():
    """The parametrization below covers the schema's every route (a guard on its discovery)."""
    assert len(OPERATIONS) >= 20
    assert ("POST", "/rules") in OPERATIONS and ("GET", "/health") in OPERATIONS


@pytest.mark.parametrize(
    ("method", "path"),
    [
        pytest.param(
            method,
            path,
            id=f"{method} {path}",
            marks=[pytest.mark.xfail(reason=KNOWN_SERVER_ERRORS[method, path])]
            if (method, path) in KNOWN_SERVER_ERRORS
            else [],
        )
        for method, path in OPERATIONS
    ],
)
def test_no_input_gets_a_server_error(client, auth_headers, known_ids, method, path):
    operation = schemathesis.openapi.from_asgi("/openapi.json", client.app)[path][method]
    known = {name: value for name, value in known_ids.items() if f"{{{name}}}" in path}
    strategies = [
        operation.as_strategy(mode, path_parameters=parameters)
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
        for parameters in ([None, known] if known else [None])
    ]

    @settings(
        max_examples=FUZZ_EXAMPLES * 2,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=st.one_of(strategies))
    def no_server_error(case) -> None:
        response = case.call(headers=auth_headers, timeout=REQUEST_TIMEOUT)
        assert response.status_code < 500, (
            f"{method} {path} answered {response.status_code} to\n{case.as_curl_command()}\n"
            f"{response.text[:2000]}"
        )
        if response.status_code >= 400:
            # Every error is the error model, with a status the route declares (issue 10).
            assert str(response.status_code) in DECLARED[method, path], (
                f"{method} {path} answered {response.status_code}, which it does not declare, to\n"
                f"{case.as_curl_command()}\n{response.text[:2000]}"
            )
            assert {"detail", "code"} <= set(response.json()), response.text[:2000]

    no_server_error()
