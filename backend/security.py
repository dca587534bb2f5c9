"""Password hashing (bcrypt) and access tokens (JWT, HS256, python-jose)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import bcrypt
from jose import JWTError, jwt

from backend.config import Settings, get_settings

# bcrypt only looks at the first 72 bytes; longer passwords are rejected at registration.
MAX_PASSWORD_BYTES = 72


class InvalidTokenError(Exception):
    """The token is missing a claim, expired, tampered with or signed another way."""


def hash_password(password: str) -> str:
    """A salted bcrypt hash of ``password``, at PASSWORD_HASH_ROUNDS."""
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(get_settings().password_hash_rounds)).decode()


def verify_password(password: str, password_hash: str) -> bool:
    """Whether ``password`` matches ``password_hash`` (constant time)."""
    try:
        return bcrypt.checkpw(password.encode(), password_hash.encode())
    except ValueError:
        return False


def create_access_token(subject: str, settings: Settings) -> tuple[str, int]:
    """A signed token for ``subject`` and its lifetime in seconds."""
    lifetime = timedelta(minutes=settings.access_token_expire_minutes)
    now = datetime.now(UTC)
    claims = {"sub": subject, "iat": now, "exp": now + lifetime}
    token = jwt.encode(claims, settings.jwt_secret_key, algorithm=settings.jwt_algorithm)
    return token, int(lifetime.total_seconds())


@dataclass(frozen=True)
class TokenClaims:
    """What a valid access token says: whose it is and until when."""

    subject: str
    expires_at: datetime


def decode_access_token(token: str, settings: Settings) -> TokenClaims:
    """The claims of a valid token; raises InvalidTokenError otherwise.

    The algorithm list is explicit, so ``alg: none`` or an algorithm other than the
    configured one is refused whatever the token's header says.
    """
    try:
        claims = jwt.decode(
            token,
            settings.jwt_secret_key,
            algorithms=[settings.jwt_algorithm],
            options={"require_sub": True, "require_exp": True},
        )
    except JWTError as exc:
        raise InvalidTokenError(str(exc)) from exc
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise InvalidTokenError("token has no subject")
    return TokenClaims(subject, datetime.fromtimestamp(claims["exp"], UTC))
