"""Domain logic as plain functions: no HTTP, no Celery."""
