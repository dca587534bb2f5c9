"""/docs and every file it loads served by the API itself (backend/api/api_docs.py); the
page in a real browser with no other host reachable is
tests/integration/test_web_app.py::test_the_api_docs_need_no_other_host."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from backend.api.main import create_app

# What the API answers before any workload runs.
pytestmark = pytest.mark.backend_independent

# Every URL the page names: its files' and the schema's (Swagger UI's `url: '...'`).
NAMED = re.compile(r"""(?:src|href)="([^"]*)"|url: '([^']*)'""")
CONTENT_TYPES = {
    ".js": "text/javascript", ".css": "text/css", ".png": "image/png", ".json": "application/json",
}


def _named(page: str) -> list[str]:
    return [src or url for src, url in NAMED.findall(page)]


def test_the_docs_load_only_what_the_api_serves(client) -> None:
    page = client.get("/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    named = _named(page.text)
    # A script, a stylesheet, an icon and the schema, each a path of this API.
    assert sorted(url.rsplit(".", 1)[-1] for url in named) == ["css", "js", "json", "png"], named
    for url in named:
        assert url.startswith("/") and not url.startswith("//"), url
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert answer.headers["content-type"].startswith(CONTENT_TYPES[url[url.rindex("."):]]), url
        assert answer.content, url


def test_the_docs_allow_their_own_inline_script_and_no_other(client) -> None:
    # The page's policy names its one inline script (Swagger UI's start) by its hash;
    # script-src stays the web app's otherwise: no 'unsafe-inline', no other host.
    for path in ("/docs", "/docs/oauth2-redirect"):
        policy = client.get(path).headers["content-security-policy"]
        scripts = re.search(r"script-src ([^;]*)", policy)
        assert scripts, policy
        sources = scripts[1].split()
        assert sources[0] == "'self'" and len(sources) == 2 and sources[1].startswith("'sha256-"), policy
    assert client.get("/").headers["content-security-policy"].count("sha256") == 0


def test_only_the_pages_files_are_served_and_redoc_is_off(client) -> None:
    # The folder holds ReDoc's script too: not named by any page, not served.
    for path in ("/docs/assets/redoc.standalone.js", "/docs/assets/../core.py",
                 "/docs/assets/%2e%2e/core.py", "/docs/assets/", "/redoc"):
        assert client.get(path).status_code == 404, path


def test_behind_a_proxy_the_page_names_its_paths_under_the_root_path(clean_db: None,
                                                                      redis_server: None) -> None:
    with TestClient(create_app(), root_path="/api") as proxied:
        named = _named(proxied.get("/docs").text)
    assert named and all(url.startswith("/api/") for url in named), named
