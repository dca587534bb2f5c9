"""Entry point for the Celery CLI, run from the repo root:

    celery -A celery_app worker -Q pdf_processing,bulk_operations,reports,default,webhooks --loglevel INFO
    celery -A celery_app beat --loglevel INFO
    celery -A celery_app flower
"""

from backend.tasks.app import celery_app as app

celery = app
