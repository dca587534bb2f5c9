"""The platform's queues. Standard library only: the Makefile and the supervisor
(deploy/run_stack.py) read this file without the backend's dependencies installed."""

# "webhooks" has its own queue so that a slow receiver never holds up the other work.
QUEUES = ("pdf_processing", "bulk_operations", "reports", "default", "webhooks")
DEFAULT_QUEUE = "default"
