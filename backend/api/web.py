"""The web app: its page at ``/`` and its static files under ``/web/``.

Everything it shows comes from the JSON API in this same process; the files are plain
HTML, CSS and JavaScript modules committed in ``backend/web/`` (nothing to build).
The browser authenticates with the session cookie (``backend/api/web_session.py``).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from pathlib import Path

from fastapi import APIRouter, HTTPException, status
from fastapi.responses import FileResponse

from backend.api.routing import OneHopRoute

router = APIRouter(include_in_schema=False, route_class=OneHopRoute)

WEB_ROOT = Path(__file__).resolve().parent.parent / "web"
MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
}
# Only this origin's scripts, styles and images; no inline script but those named by their
# hash (security_headers), no framing.
POLICY = (
    "default-src 'self'; script-src 'self'{scripts}; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
NOT_FOUND = HTTPException(status.HTTP_404_NOT_FOUND, detail="Not found")


def security_headers(inline_scripts: Iterable[str] = ()) -> dict[str, str]:
    """The headers of every page and file we serve; ``inline_scripts`` are the exact texts
    of a page's inline scripts, which its policy then allows by their SHA-256, and no other."""
    hashes = "".join(
        f" 'sha256-{base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()}'"
        for script in inline_scripts
    )
    return {
        "Content-Security-Policy": POLICY.format(scripts=hashes),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        # Revalidate on every load (an ETag answers 304), so a new version shows at once.
        "Cache-Control": "no-cache",
    }


SECURITY_HEADERS = security_headers()


def file_response(root: Path, file_path: str) -> FileResponse:
    """``file_path`` under the resolved folder ``root``, with our headers; 404 for anything
    outside it, of a type not in MEDIA_TYPES, missing, or no name a file can have."""
    try:
        path = (root / file_path).resolve()
        found = path.is_relative_to(root) and path.suffix in MEDIA_TYPES and path.is_file()
    except (ValueError, OSError):
        # A NUL in the path (ValueError) or a name longer than the file system takes
        # (ENAMETOOLONG): no file of ours has such a name.
        found = False
    if not found:
        raise NOT_FOUND
    return FileResponse(path, media_type=MEDIA_TYPES[path.suffix], headers=SECURITY_HEADERS)


@router.get("/")
def index() -> FileResponse:
    """The web app's single page."""
    return file_response(WEB_ROOT, "index.html")


@router.get("/web/{file_path:path}")
def static_file(file_path: str) -> FileResponse:
    """A file of the web app; 404 for anything outside ``backend/web`` or of another type."""
    return file_response(WEB_ROOT, file_path)
