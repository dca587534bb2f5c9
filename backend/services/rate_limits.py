"""Attempt counters in Redis: at most N attempts per key in a fixed window.

Each attempt is one Lua script run, so the increment and the expiry are atomic: many
API processes count against the same key without a race, and a counter can never be
left behind without its expiry (which would lock its key out for good).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from redis import Redis

KEY_PREFIX = "ledgerflow:ratelimit"

# Returns the attempts counted in the current window (this one included) and the
# seconds left in it. The EXPIRE on a key without one repairs a counter written by hand.
_COUNT_ATTEMPT = """
local attempts = redis.call('INCR', KEYS[1])
local ttl = redis.call('TTL', KEYS[1])
if attempts == 1 or ttl < 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {attempts, ttl}
"""


@dataclass(frozen=True)
class Limit:
    """At most ``max_attempts`` per ``window_seconds`` for one subject (0: unlimited)."""

    key: str
    max_attempts: int
    window_seconds: int


def limit_key(action: str, kind: str, subject: str) -> str:
    """The Redis key counting ``action`` attempts by ``subject`` (an IP, an email...).

    The subject is hashed: no email address ends up in Redis key names.
    """
    digest = hashlib.sha256(subject.strip().lower().encode()).hexdigest()[:32]
    return f"{KEY_PREFIX}:{action}:{kind}:{digest}"


class AttemptCounter:
    """Counts attempts against limits in one Redis; RedisError passes through to the caller."""

    def __init__(self, client: Redis) -> None:
        self._client = client
        self._count = client.register_script(_COUNT_ATTEMPT)

    def attempt(self, limits: Iterable[Limit]) -> int | None:
        """Count one attempt against every limit; the seconds to wait if any is exceeded.

        Every limit counts the attempt, refused or not, so hammering a limit never
        shortens the wait on another.
        """
        waits = []
        for limit in limits:
            if limit.max_attempts <= 0:
                continue
            attempts, seconds_left = self._count(keys=[limit.key], args=[limit.window_seconds])
            if attempts > limit.max_attempts:
                waits.append(max(1, int(seconds_left)))
        return max(waits) if waits else None

    def forget(self, key: str) -> None:
        """Start the count for ``key`` afresh (after a successful login, say)."""
        self._client.delete(key)
