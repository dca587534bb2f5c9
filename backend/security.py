"""Password hashing (bcrypt) and access tokens (JWT, HS256, python-jose)."""

from __future__ import annotations

import base64
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

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


# The last second a token may expire at: the end of year 9999, the last a date can say.
LATEST_EXPIRY = int(datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC).timestamp())


# A token in JWS compact form: three base64url segments without padding (RFC 7515, 2 and
# 7.1). python-jose's decoder is lenient where this is not: it drops characters outside
# the alphabet and padding ("token=", "token@@@" verified as the token), and a last
# character whose unused low bits differ ("...k" vs "...l") decodes to the same bytes.
# Only the one spelling a signer produces is accepted, so a token has one text.
COMPACT_TOKEN = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")


def is_canonical_compact_token(token: str) -> bool:
    """Whether ``token`` is exactly what a signer writes: three segments, each the
    unpadded base64url encoding of the bytes it decodes to."""
    if COMPACT_TOKEN.fullmatch(token) is None:
        return False
    for segment in token.split("."):
        if len(segment) % 4 == 1:  # no byte string encodes to this length
            return False
        decoded = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
        if base64.urlsafe_b64encode(decoded).rstrip(b"=").decode() != segment:
            return False
    return True


@dataclass(frozen=True)
class TokenClaims:
    """What a valid access token says: whose it is and until when."""

    subject: str
    expires_at: datetime


def decode_access_token(token: str, settings: Settings) -> TokenClaims:
    """The claims of a valid token; raises InvalidTokenError otherwise.

    The algorithm list is explicit, so ``alg: none`` or an algorithm other than the
    configured one is refused whatever the token's header says. A token verified before
    is not verified again (``_verified``), but its expiry is checked at every use.
    """
    subject, expires = _verified(token, settings.jwt_secret_key, settings.jwt_algorithm)
    # The check python-jose makes (``exp`` against the current whole second, no leeway),
    # made here again because a cached answer skips jose.
    if expires < int(time.time()):
        raise InvalidTokenError("Signature has expired.")
    return TokenClaims(subject, datetime.fromtimestamp(expires, UTC))


# A client sends the same token with every request, and checking its signature and
# claims cost ~60 µs of the API's CPU per request (docs/performance.md, "Round 4").
# Only a token that verified is kept, under the exact token text and the key and
# algorithm it was checked with: a token changed in one byte, or a key rotated in the
# settings, is verified afresh. Tokens cannot be revoked (a disabled user is refused by
# the database, not by the token), so between two uses only the expiry can change, and
# ``decode_access_token`` checks it every time. Bounded: 4,096 tokens of ~200 bytes.
@lru_cache(maxsize=4096)
def _verified(token: str, key: str, algorithm: str) -> tuple[str, int]:
    """The subject and expiry (epoch seconds) of a token that verifies; InvalidTokenError
    otherwise (not cached: lru_cache keeps only answers)."""
    if not is_canonical_compact_token(token):
        raise InvalidTokenError("token is not in JWS compact form")
    try:
        claims = jwt.decode(
            token, key, algorithms=[algorithm], options={"require_sub": True, "require_exp": True}
        )
    except JWTError as exc:
        raise InvalidTokenError(str(exc)) from exc
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise InvalidTokenError("token has no subject")
    expires = int(claims["exp"])
    # An expiry past what a date can say (exp 1e30) would fail as a 500 where it is shown.
    if expires > LATEST_EXPIRY:
        raise InvalidTokenError("token expiry out of range")
    return subject, expires
