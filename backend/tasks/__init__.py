"""Celery tasks: thin wrappers that call backend.services and report progress."""
