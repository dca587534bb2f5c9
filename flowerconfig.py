"""Flower's configuration file, which `celery -A celery_app flower` reads from the repo root.

Flower takes its FLOWER_* options from its environment only, while every Ledgerflow setting
is read from the environment, then from .env (README.md, "Configuration"): a
FLOWER_BASIC_AUTH written in .env left Flower open to anyone, task results included. Here
the .env's FLOWER_* names the environment does not set are applied as Flower applies its
environment's; the environment, then the command line, still win.
"""

import os

from dotenv import dotenv_values
from flower.command import apply_env_options

os.environ.update({
    name: value for name, value in dotenv_values(".env").items()
    if name.startswith("FLOWER_") and value and not os.environ.get(name)
})
apply_env_options()
