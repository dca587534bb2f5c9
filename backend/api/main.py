"""The FastAPI application: routers, and a refusal to start without a JWT secret."""

from __future__ import annotations

import logging

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from backend.api import auth, categorization, health, invoices, reports, statements, tasks
from backend.config import get_settings


def create_app() -> FastAPI:
    """Build the API; raises RuntimeError when JWT_SECRET_KEY is not configured."""
    settings = get_settings()
    if not settings.jwt_secret_key.strip():
        raise RuntimeError(
            "JWT_SECRET_KEY is empty: set it in the environment "
            "(`make up` generates one into var/jwt_secret)"
        )
    logging.basicConfig(level=logging.INFO)
    app = FastAPI(
        title="Ledgerflow",
        summary="Background jobs for finance documents: submit, watch, fetch results.",
        version="0.1.0",
    )
    if settings.cors_origin_list:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origin_list,
            allow_methods=["GET", "POST", "PUT", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
            expose_headers=["Content-Disposition"],  # the report's file name
        )
    for module in (health, auth, tasks, statements, categorization, reports, invoices):
        app.include_router(module.router)
    return app
