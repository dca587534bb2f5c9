"""Ledgerflow: a Celery task platform behind a FastAPI gateway for finance documents."""
