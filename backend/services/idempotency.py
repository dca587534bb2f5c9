"""Idempotent submits: the first answer to a (user, Idempotency-Key) is the answer for 24 h.

A key is claimed *with* its answer in the transaction that records the work it answers
for (``claim_in``; the unique key on (user, key) decides between concurrent requests:
the later one waits, then reads the first answer). So the key commits or rolls back with
the work, no request that died half-way can leave it "in progress" for a day, and a
submit costs one transaction. A key whose work was undone (the queue refused its message)
is released so that the client can try again with it.
"""

from __future__ import annotations

import enum
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from backend.models import IdempotencyKey, utcnow

KEY_LIFETIME = timedelta(hours=24)
# A key is the bytes of its header, at most this many (``idempotency_keys.key`` is
# String(255)). Bytes, not characters: a header carries bytes and no charset, so a
# non-ASCII character counts as the bytes its client sent for it (2 to 4 in UTF-8).
MAX_KEY_BYTES = 255


def check_key(key: bytes) -> None:
    """ValueError, saying why, for a key the table does not store as sent: over
    :data:`MAX_KEY_BYTES`, or holding a control character (a NUL, which PostgreSQL's text
    cannot hold, was a 500 there; none belongs in a key on either back end)."""
    if len(key) > MAX_KEY_BYTES:
        raise ValueError(
            f"must be at most {MAX_KEY_BYTES} bytes, not {len(key)} (a non-ASCII character "
            "counts as its 2 to 4 bytes in UTF-8; a UUID is 36)"
        )
    if any(byte < 0x20 or byte == 0x7F for byte in key):
        raise ValueError("must not contain control characters (bytes 0x00-0x1F and 0x7F)")


class ClaimState(enum.Enum):
    CLAIMED = "claimed"  # first use: the answer is recorded with the work
    REPLAY = "replay"  # seen before with the same request: answer with ``response``
    MISMATCH = "mismatch"  # seen before with another request
    # A key without its answer: only claims made by the release before 2026-11-30, which
    # claimed first and completed after the work, leave those (until they expire).
    IN_PROGRESS = "in_progress"


@dataclass(frozen=True)
class Claim:
    state: ClaimState
    response: dict[str, Any] | None = None


def fingerprint(request: Any) -> str:
    """A stable digest of what a request asks for (JSON-able parts, any key order)."""
    canonical = json.dumps(request, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def claim_in(
    conn: Connection, user_id: int, key: str, request_fingerprint: str, response: dict[str, Any]
) -> Claim:
    """Claim ``key`` with ``response`` in the caller's transaction (the one that records
    the work), or say what its first use left."""
    now = utcnow()
    # A key older than its lifetime is free again.
    conn.execute(
        delete(IdempotencyKey).where(
            IdempotencyKey.user_id == user_id, IdempotencyKey.key == key,
            IdempotencyKey.created_at < now - KEY_LIFETIME,
        )
    )
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    inserted = conn.execute(
        dialect.insert(IdempotencyKey.__table__)
        .values(user_id=user_id, key=key, fingerprint=request_fingerprint, created_at=now,
                response=response)
        .on_conflict_do_nothing(index_elements=["user_id", "key"])
    ).rowcount
    if inserted:
        return Claim(ClaimState.CLAIMED)
    first = _first_use(conn, user_id, key, request_fingerprint, now)
    if first is None:  # cannot be: the INSERT met a row the DELETE above kept
        raise RuntimeError(f"Idempotency key of user {user_id} neither claimed nor found")
    return first


def first_use(engine: Engine, user_id: int, key: str, request_fingerprint: str) -> Claim | None:
    """What the first use of ``key`` left for a request with ``request_fingerprint``;
    None for a key not used (or past its lifetime)."""
    with engine.connect() as conn:
        return _first_use(conn, user_id, key, request_fingerprint, utcnow())


def _first_use(
    conn: Connection, user_id: int, key: str, request_fingerprint: str, now: datetime
) -> Claim | None:
    first = conn.execute(
        select(IdempotencyKey.fingerprint, IdempotencyKey.response).where(
            IdempotencyKey.user_id == user_id, IdempotencyKey.key == key,
            IdempotencyKey.created_at >= now - KEY_LIFETIME,
        )
    ).first()
    if first is None:
        return None
    if first.fingerprint != request_fingerprint:
        return Claim(ClaimState.MISMATCH)
    if first.response is None:
        return Claim(ClaimState.IN_PROGRESS)
    return Claim(ClaimState.REPLAY, first.response)


def release(engine: Engine, user_id: int, key: str) -> None:
    """Forget a key whose work was undone (the queue refused it), so that the same key
    can be used again."""
    with engine.begin() as conn:
        conn.execute(
            delete(IdempotencyKey).where(IdempotencyKey.user_id == user_id, IdempotencyKey.key == key)
        )


def remove_expired(engine: Engine, now: datetime) -> int:
    """Delete keys past their lifetime (the nightly cleanup); returns how many went."""
    with engine.begin() as conn:
        return conn.execute(
            delete(IdempotencyKey).where(IdempotencyKey.created_at < now - KEY_LIFETIME)
        ).rowcount
