"""The interactive API docs at ``/docs``: Swagger UI, its files served by the API itself.

FastAPI's default ``/docs`` page loads Swagger UI's script and stylesheet from a CDN and
its icon from FastAPI's site: behind a firewall, or on a machine that reaches only a
package mirror, it is a blank page. Here the page is FastAPI's own
(``get_swagger_ui_html``), pointed at the same files (swagger-ui-dist 5) as the
``fastapi-offline`` package ships them, which ``/docs/assets/`` serves. Swagger UI 5 is
needed: 4.x (the ``swagger-ui-bundle`` package's) cannot show an OpenAPI 3.1 schema,
which FastAPI writes. The page gets the web app's Content-Security-Policy, which lets it
load nothing from another host; its one inline script (the call that starts Swagger UI)
is allowed by its hash. ``/redoc`` is off: ReDoc would need inline styles and workers the
policy refuses, and Swagger UI covers what it shows.
"""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import FileResponse, HTMLResponse

from backend.api.routing import OneHopRoute
from backend.api.web import NOT_FOUND, file_response, security_headers

router = APIRouter(include_in_schema=False, route_class=OneHopRoute)

DOCS_PATH = "/docs"
OAUTH2_REDIRECT_PATH = f"{DOCS_PATH}/oauth2-redirect"
ASSETS_PATH = f"{DOCS_PATH}/assets"
# fastapi-offline's folder of the files (its FastAPIOffline app mounts it; we use only the
# files, so that /docs has our headers and routes).
SWAGGER_UI = Path(str(files("fastapi_offline") / "static")).resolve()
# The files the page loads; nothing else of the folder is served.
SCRIPT, STYLESHEET, ICON = "swagger-ui-bundle.js", "swagger-ui.css", "favicon.png"
ASSETS = frozenset((SCRIPT, STYLESHEET, ICON))
_missing = sorted(name for name in ASSETS if not (SWAGGER_UI / name).is_file())
if _missing:  # a fastapi-offline that lays out its files otherwise: say so at start
    raise RuntimeError(f"fastapi-offline has no {', '.join(_missing)} in {SWAGGER_UI}")
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def with_policy(page: HTMLResponse) -> HTMLResponse:
    """``page`` with our security headers, its inline scripts allowed by their hashes."""
    scripts = INLINE_SCRIPT.findall(bytes(page.body).decode())
    if not scripts:  # FastAPI changed its page: without this the docs would stay blank
        raise RuntimeError("FastAPI's Swagger UI page has no inline <script> to allow")
    page.headers.update(security_headers(scripts))
    return page


@router.get(DOCS_PATH)
def swagger_ui(request: Request) -> HTMLResponse:
    """Swagger UI over ``/openapi.json``, every file from this API (FastAPI's default
    ``/docs`` with local files; behind a proxy, under its ``root_path`` as there)."""
    root = request.scope.get("root_path", "").rstrip("/")
    assets = f"{root}{ASSETS_PATH}"
    return with_policy(get_swagger_ui_html(
        openapi_url=f"{root}{request.app.openapi_url}",
        title=f"{request.app.title} - Swagger UI",
        swagger_js_url=f"{assets}/{SCRIPT}",
        swagger_css_url=f"{assets}/{STYLESHEET}",
        swagger_favicon_url=f"{assets}/{ICON}",
        oauth2_redirect_url=f"{root}{OAUTH2_REDIRECT_PATH}",
    ))


@router.get(OAUTH2_REDIRECT_PATH)
def swagger_ui_oauth2_redirect() -> HTMLResponse:
    """The page an OAuth2 provider sends Swagger UI's sign-in back to, as FastAPI's."""
    return with_policy(get_swagger_ui_oauth2_redirect_html())


@router.get(f"{ASSETS_PATH}/{{name}}")
def swagger_ui_asset(name: str) -> FileResponse:
    """One of Swagger UI's files the page loads; 404 for any other name."""
    if name not in ASSETS:
        raise NOT_FOUND
    return file_response(SWAGGER_UI, name)
