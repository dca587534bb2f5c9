"""The FastAPI application: routers, body-size limits, and a refusal to start without a JWT secret."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute

from backend.api import (
    admin,
    api_docs,
    auth,
    batches,
    categorization,
    health,
    invoices,
    metrics,
    reports,
    schedules,
    statements,
    tasks,
    transactions,
    web,
    webhooks,
)
from backend.api.admission import AdmissionLimit, event_stream_paths, route_threads
from backend.api.errors import install_error_handlers
from backend.api.middleware import RequestSizeLimit
from backend.api.request_id import RequestIdMiddleware
from backend.api.uploads import is_pdf_upload
from backend.config import get_settings
from backend.db import max_concurrent_requests
from backend.logs import REQUEST_ID_HEADER, configure_api_logging
from backend.runtime import freeze_startup_heap

# One route table: a new router module is one more line here.
ROUTERS: tuple[APIRouter, ...] = (
    health.router,
    auth.router,
    tasks.router,
    statements.router,
    transactions.router,
    categorization.router,
    reports.router,
    invoices.router,
    batches.router,
    webhooks.router,
    schedules.router,
    admin.router,
    metrics.router,
    web.router,
    api_docs.router,
)


def upload_paths(routers: tuple[APIRouter, ...]) -> frozenset[str]:
    """The paths of the PDF upload routes, which limit their bodies themselves."""
    return frozenset(
        route.path
        for router in routers
        for route in router.routes
        if isinstance(route, APIRoute) and is_pdf_upload(route.openapi_extra)
    )


def create_app() -> FastAPI:
    """Build the API; raises RuntimeError when JWT_SECRET_KEY is not configured."""
    settings = get_settings()
    if not settings.jwt_secret_key.strip():
        raise RuntimeError(
            "JWT_SECRET_KEY is empty: set it in the environment "
            "(`make up` generates one into var/jwt_secret)"
        )
    configure_api_logging(settings.log_format)
    app = FastAPI(
        title="Ledgerflow",
        summary="Background jobs for finance documents: submit, watch, fetch results.",
        version="0.1.0",
        lifespan=route_threads,
        # /docs is backend/api/api_docs.py's: FastAPI's loads Swagger UI from a CDN. No
        # /redoc: ReDoc would come from a CDN too.
        docs_url=None,
        redoc_url=None,
    )
    for router in ROUTERS:
        app.include_router(router)
    install_error_handlers(app)
    uploads = upload_paths(ROUTERS)
    max_body = settings.max_request_body_bytes
    # Added before CORS so that CORS wraps it: a 413 still carries the CORS headers
    # a browser needs to read it.
    app.add_middleware(
        RequestSizeLimit, limit_for=lambda path: None if path in uploads else max_body
    )
    app.add_middleware(
        AdmissionLimit, limit=max_concurrent_requests(), exempt=event_stream_paths(
            route for router in ROUTERS for route in router.routes
        )
    )
    if settings.cors_origin_list:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origin_list,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", REQUEST_ID_HEADER],
            # The report's file name, and the request id to quote in a support request.
            expose_headers=["Content-Disposition", REQUEST_ID_HEADER],
        )
    # Added last, so outermost: counts every answer, the 413s and CORS preflights too.
    app.add_middleware(metrics.RequestMetrics)
    # Added last, so outermost: every answer carries X-Request-ID, and everything inside
    # (routes, the tasks they submit, uvicorn's access line) sees the id.
    app.add_middleware(RequestIdMiddleware)
    freeze_startup_heap()
    return app
