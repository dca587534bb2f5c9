"""Browsers may call the API only from the origins listed in CORS_ORIGINS."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from backend.api.main import create_app
from backend.config import get_settings

# Response headers set by the CORS middleware: no query, no task.
pytestmark = pytest.mark.backend_independent

PREFLIGHT = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization"}


def app_with_origins(origins: str) -> TestClient:
    settings = get_settings()
    previous, settings.cors_origins = settings.cors_origins, origins
    try:
        return TestClient(create_app())
    finally:
        settings.cors_origins = previous


def test_a_listed_origin_may_call_the_api(clean_db):
    client = app_with_origins("https://app.example.com, https://admin.example.com")
    response = client.options("/tasks/ping", headers={"Origin": "https://app.example.com", **PREFLIGHT})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "https://app.example.com"


def test_other_origins_get_no_cors_headers(clean_db):
    client = app_with_origins("https://app.example.com")
    response = client.options("/tasks/ping", headers={"Origin": "https://evil.example.com", **PREFLIGHT})
    assert "access-control-allow-origin" not in response.headers
    default = app_with_origins("")
    response = default.get("/health", headers={"Origin": "https://app.example.com"})
    assert "access-control-allow-origin" not in response.headers
