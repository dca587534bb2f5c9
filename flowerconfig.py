"""Flower's configuration file, which `celery -A celery_app flower` reads from the repo root.

Flower takes its FLOWER_* options from its environment only, while every Ledgerflow setting
is read from the environment, then from .env (README.md, "Configuration"): a
FLOWER_BASIC_AUTH written in .env left Flower open to anyone, task results included. Here
the .env's FLOWER_* names the environment does not set are applied as Flower applies its
environment's; the environment, then the command line, still win.

A Flower with no sign-in at all does not start: it would show every task's arguments and
results (balances, account digits) to anyone who reaches its port. `make up` generates a
password, docker-compose.yml requires one, and a Flower started by hand needs
FLOWER_BASIC_AUTH (environment or .env), or --basic-auth / --auth on its command line.
"""

import os
import sys

from dotenv import dotenv_values
from flower.command import apply_env_options
from tornado.options import options

# Flower's own option names for a sign-in: HTTP basic auth, or an OAuth e-mail pattern.
SIGN_IN_FLAGS = ("--basic_auth", "--basic-auth", "--auth")

os.environ.update({
    name: value for name, value in dotenv_values(".env").items()
    if name.startswith("FLOWER_") and value and not os.environ.get(name)
})
apply_env_options()

# The command line is parsed after this file, so a sign-in given there is read from argv.
if not (options.basic_auth or options.auth) and not any(
    argument.split("=", 1)[0] in SIGN_IN_FLAGS for argument in sys.argv
):
    raise SystemExit(
        "Flower shows every task's arguments and results: not starting it without a sign-in."
        " Set FLOWER_BASIC_AUTH=user:password (in the environment or .env), or pass"
        " --basic-auth=user:password or --auth=<e-mail pattern> (OAuth)."
    )
