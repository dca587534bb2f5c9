"""Idempotent submits: the first answer to a (user, Idempotency-Key) is the answer for 24 h.

A key is claimed by inserting its row before the work is submitted (the unique key
on (user, key) decides between concurrent requests), completed with the answer, or
released when the submit failed so that the client can try again with the same key.

A submit of one task claims the key *with* its answer (the task id is chosen before),
in the transaction that records the task (``claim_in``): the key is never seen without
its answer, so no request that died half-way can leave it "in progress" for a day, and
the submit costs one transaction instead of three.
"""

from __future__ import annotations

import enum
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from backend.models import IdempotencyKey, utcnow

KEY_LIFETIME = timedelta(hours=24)
MAX_KEY_LENGTH = 255


class ClaimState(enum.Enum):
    CLAIMED = "claimed"  # first use: go ahead, then complete() or release()
    REPLAY = "replay"  # seen before with the same request: answer with ``response``
    MISMATCH = "mismatch"  # seen before with another request
    IN_PROGRESS = "in_progress"  # the first request with this key is still being handled


@dataclass(frozen=True)
class Claim:
    state: ClaimState
    response: dict[str, Any] | None = None


def fingerprint(request: Any) -> str:
    """A stable digest of what a request asks for (JSON-able parts, any key order)."""
    canonical = json.dumps(request, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def claim(engine: Engine, user_id: int, key: str, request_fingerprint: str) -> Claim:
    """Claim ``key`` for this request, or say what its first use left."""
    with engine.begin() as conn:
        return claim_in(conn, user_id, key, request_fingerprint)


def claim_in(
    conn: Connection, user_id: int, key: str, request_fingerprint: str,
    response: dict[str, Any] | None = None,
) -> Claim:
    """``claim`` in the caller's transaction; with ``response``, the key is claimed
    already answered (it commits or rolls back with the work it answers for)."""
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
    first = conn.execute(
        select(IdempotencyKey.fingerprint, IdempotencyKey.response).where(
            IdempotencyKey.user_id == user_id, IdempotencyKey.key == key
        )
    ).one()
    if first.fingerprint != request_fingerprint:
        return Claim(ClaimState.MISMATCH)
    if first.response is None:
        return Claim(ClaimState.IN_PROGRESS)
    return Claim(ClaimState.REPLAY, first.response)


def complete(engine: Engine, user_id: int, key: str, response: dict[str, Any]) -> None:
    """Record the answer the claimed request got."""
    with engine.begin() as conn:
        conn.execute(
            update(IdempotencyKey)
            .where(IdempotencyKey.user_id == user_id, IdempotencyKey.key == key)
            .values(response=response)
        )


def release(engine: Engine, user_id: int, key: str, answered: bool = False) -> None:
    """Forget a claim whose request failed, so that the same key can be used again
    (``answered``: one claimed with its answer by ``claim_in``, whose work was undone)."""
    condition = [IdempotencyKey.user_id == user_id, IdempotencyKey.key == key]
    if not answered:
        condition.append(IdempotencyKey.response.is_(None))
    with engine.begin() as conn:
        conn.execute(delete(IdempotencyKey).where(*condition))


def remove_expired(engine: Engine, now: datetime) -> int:
    """Delete keys past their lifetime (the nightly cleanup); returns how many went."""
    with engine.begin() as conn:
        return conn.execute(
            delete(IdempotencyKey).where(IdempotencyKey.created_at < now - KEY_LIFETIME)
        ).rowcount
