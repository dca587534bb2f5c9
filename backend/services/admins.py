"""Who administers the platform: ``users.is_admin``, set at registration or promoted later."""

from __future__ import annotations

from sqlalchemy import Engine, func, update

from backend.models import User
from backend.services.emails import canonical_email


def _key(email: str) -> str:
    """How an address is compared: as accounts store it (any case, any spelling)."""
    return canonical_email(email) or email.strip().lower()


def is_admin_email(email: str, admin_emails: frozenset[str]) -> bool:
    """Whether an account registering with ``email`` is an admin (ADMIN_EMAILS, any case)."""
    return _key(email) in {_key(admin) for admin in admin_emails}


def promote(engine: Engine, email: str) -> bool:
    """Make the account with ``email`` (any case) an admin; False when there is none."""
    with engine.begin() as conn:
        changed = conn.execute(
            update(User).where(func.lower(User.email) == _key(email)).values(is_admin=True)
        ).rowcount
    return bool(changed)
