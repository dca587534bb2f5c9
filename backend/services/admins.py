"""Who administers the platform: ``users.is_admin``, set at registration or promoted later."""

from __future__ import annotations

from sqlalchemy import Engine, func, update

from backend.models import User


def is_admin_email(email: str, admin_emails: frozenset[str]) -> bool:
    """Whether an account registering with ``email`` is an admin (ADMIN_EMAILS, any case)."""
    return email.strip().lower() in admin_emails


def promote(engine: Engine, email: str) -> bool:
    """Make the account with ``email`` (any case) an admin; False when there is none."""
    with engine.begin() as conn:
        changed = conn.execute(
            update(User).where(func.lower(User.email) == email.strip().lower()).values(is_admin=True)
        ).rowcount
    return bool(changed)
