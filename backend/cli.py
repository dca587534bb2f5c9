"""Operator commands: ``python -m backend.cli <command> ...`` (``--help`` lists them).

create-admin EMAIL   make an existing account an admin (for GET /admin/*, deep health)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from backend.db import get_engine
from backend.services import admins


def create_admin(args: argparse.Namespace) -> int:
    """Promote the account with ``args.email``; exit status 1 when there is none."""
    if not admins.promote(get_engine(), args.email):
        print(
            f"No account with the email {args.email!r}: register it first "
            "(POST /auth/register), then run this again.",
            file=sys.stderr,
        )
        return 1
    print(f"{args.email} is now an admin.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m backend.cli", description="Ledgerflow operator commands")
    commands = parser.add_subparsers(dest="command", required=True)
    promote = commands.add_parser("create-admin", help="make an existing account an admin")
    promote.add_argument("email", help="the account's email address")
    promote.set_defaults(handler=create_admin)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
