"""Webhooks: users' receiver URLs, the outbox of deliveries, and one signed try at a time.

The outbox: a delivery row is written in the same transaction as the event it tells
about (a task's final transition in ``task_records``, a batch becoming final), so an
event that happened always has its deliveries, and one that was rolled back has none.
After the commit ``announce`` asks the registered sender (the Celery side,
``backend/tasks/webhooks.py``) to send a message per delivery; a message lost on the
way (a broker blip, a worker killed mid-try) only delays the delivery: beat's sweep
re-sends every delivery that is due and has no try under way.

A try claims its row with one conditional UPDATE (``claim``), which also counts the
attempt and takes a lease, so duplicate messages never send the same try twice at once.
Receivers still get each event at least once, not exactly once: the
``X-Ledgerflow-Delivery`` header lets them drop a repeat.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal, cast, get_args

from sqlalchemy import ColumnElement, Connection, Engine, Table, delete, exists, insert, or_, select, update
from sqlalchemy.orm import Session

from backend.db import read_only
from backend.models import TaskState, Webhook, WebhookDelivery, utcnow
from backend.services import url_guard
from backend.services.url_guard import Resolver, UnresolvableHost, UnsafeUrl

logger = logging.getLogger(__name__)

EventName = Literal["task.succeeded", "task.failed", "batch.finished"]
EVENTS: tuple[str, ...] = get_args(EventName)
TASK_SUCCEEDED: EventName = "task.succeeded"
TASK_FAILED: EventName = "task.failed"
BATCH_FINISHED: EventName = "batch.finished"
# The final task states that are events (a cancel is the owner's own doing: none).
TASK_STATE_EVENTS = {TaskState.SUCCESS.value: TASK_SUCCEEDED, TaskState.FAILED.value: TASK_FAILED}

MAX_WEBHOOKS_PER_USER = 20
# GET /webhooks/{id}/deliveries shows this many, newest first...
LISTED_DELIVERIES = 100
# ...and finished deliveries beyond this many per webhook are removed.
KEPT_DELIVERIES = 1000
PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"
# At most this many deliveries are re-sent by one sweep.
SWEEP_BATCH = 500

# Called after a commit with the ids of new deliveries, to send their messages.
Sender = Callable[[Sequence[int]], None]
_senders: list[Sender] = []


class TooManyWebhooks(ValueError):
    """The user already has MAX_WEBHOOKS_PER_USER webhooks."""


# --- Registration -------------------------------------------------------------------


def new_secret() -> str:
    """A fresh signing key (256 bits)."""
    return "whsec_" + secrets.token_hex(32)


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The X-Ledgerflow-Signature value: HMAC-SHA256 of ``timestamp.body`` with the secret."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def register(
    session: Session,
    user_id: int,
    url: str,
    events: Sequence[str],
    *,
    allow_private: bool,
    resolve: Resolver = url_guard.system_resolver,
) -> Webhook:
    """Save a webhook (its ``secret`` is new); UnsafeUrl for a URL it may not call,
    TooManyWebhooks past the limit, ValueError for an unknown event name."""
    unknown = sorted(set(events) - set(EVENTS))
    if unknown or not events:
        raise ValueError(f"unknown event(s) {unknown}; the events are {', '.join(EVENTS)}")
    # Resolving may wait on DNS: before the session's first statement, which on SQLite
    # takes the write lock.
    url_guard.check_url(url, allow_private=allow_private, resolve=resolve)
    count = len(session.scalars(select(Webhook.id).where(Webhook.user_id == user_id)).all())
    if count >= MAX_WEBHOOKS_PER_USER:
        raise TooManyWebhooks(
            f"You have {count} webhooks, the most one user can keep is {MAX_WEBHOOKS_PER_USER}"
        )
    webhook = Webhook(
        user_id=user_id, url=url, events=list(dict.fromkeys(events)), secret=new_secret()
    )
    session.add(webhook)
    session.commit()
    return webhook


def recent_deliveries(session: Session, webhook_id: int) -> Sequence[WebhookDelivery]:
    """The webhook's last LISTED_DELIVERIES deliveries, newest first."""
    return session.scalars(
        select(WebhookDelivery)
        .where(WebhookDelivery.webhook_id == webhook_id)
        .order_by(WebhookDelivery.id.desc())
        .limit(LISTED_DELIVERIES)
    ).all()


# --- The outbox ---------------------------------------------------------------------


def on_new_deliveries(sender: Sender) -> None:
    """Register what sends the messages of new deliveries (the Celery side does, once)."""
    if sender not in _senders:
        _senders.append(sender)


def announce(delivery_ids: Sequence[int]) -> None:
    """After the commit that wrote them: send the messages of new deliveries. Never
    raises: the event is already committed, and the sweep sends what is missed here."""
    if not delivery_ids:
        return
    for sender in _senders:
        try:
            sender(delivery_ids)
        except Exception:  # the sweep re-sends; the caller's transition must stand
            logger.warning("Could not send %d webhook deliveries; the sweep will", len(delivery_ids))


def _body(payload: dict[str, Any]) -> str:
    return json.dumps(payload, separators=(",", ":"), default=str)


def enqueue(
    conn: Connection, user_id: int, event: str, payload: dict[str, Any], announced: bool = True
) -> list[int]:
    """Write a delivery of ``event`` for each of the user's webhooks that asked for it,
    inside the caller's transaction; returns their ids, for ``announce`` after the commit.

    A caller that cannot announce after its commit passes ``announced=False``: beat's
    sweep then sends them at its next run (WEBHOOK_SWEEP_SECONDS).
    """
    if event not in EVENTS:
        raise ValueError(f"unknown webhook event {event!r}")
    hooks = conn.execute(
        select(Webhook.id, Webhook.events).where(Webhook.user_id == user_id)
    ).all()
    targets = [hook.id for hook in hooks if event in hook.events]
    if not targets:
        return []
    now = utcnow()
    body = _body({"event": event, **payload})
    return list(
        conn.execute(
            insert(WebhookDelivery).returning(WebhookDelivery.id),
            [
                {
                    "webhook_id": webhook_id, "event": event, "body": body, "status": PENDING,
                    "attempts": 0, "next_attempt_at": now,
                    "dispatched_at": now if announced else None,
                    "created_at": now, "updated_at": now,
                }
                for webhook_id in targets
            ],
        ).scalars()
    )


def exist_for(user_id: ColumnElement[int]) -> ColumnElement[bool]:
    """Whether the user ``user_id`` (a column of the statement) has any webhook.

    Asked in the RETURNING of a task's transition, so that the common case, no webhook,
    costs no second statement (``record_task_outcome``)."""
    # The owners come from a derived table whose column is not called ``user_id``: SQLite's
    # RETURNING names columns without their table (SQLAlchemy renders them bare there), and
    # ``webhooks.user_id = task_status.user_id`` became ``user_id = user_id``, which SQLite
    # read as the webhook's own column, true for every task once anybody had a webhook.
    owners = select(cast(Table, Webhook.__table__).c.user_id.label("owner")).subquery("owners")
    return exists().where(owners.c.owner == user_id)


def record_task_outcome(conn: Connection, task: Any) -> list[int]:
    """The deliveries of a task that just became SUCCESS or FAILED (nothing for other
    states), inside the transaction of that transition. ``task`` has the row's
    task_id, user_id, task_name, status, result, error_message and completed_at, and
    ``has_webhooks`` (``exist_for`` its user, read by the same transition)."""
    event = TASK_STATE_EVENTS.get(task.status)
    if event is None or not task.has_webhooks:
        return []
    payload: dict[str, Any] = {
        "task_id": task.task_id,
        "task_name": task.task_name,
        "status": task.status,
        "result": task.result,
        "occurred_at": (task.completed_at or utcnow()).isoformat(),
    }
    if event == TASK_FAILED:
        payload["error"] = task.error_message
    return enqueue(conn, task.user_id, event, payload)


def record_batch_finished(conn: Connection, batch: Any) -> None:
    """The deliveries of ``batch.finished``, inside the transaction that finished the batch
    (``services.batches.on_batch_finished``, a ``BatchView``). That transaction's callers
    have no moment after its commit to announce them, so the sweep sends them."""
    payload = {
        "batch_id": batch.batch_id,
        "status": batch.status.value,
        "result": {
            "total": batch.total, "succeeded": batch.succeeded, "failed": batch.failed,
            "cancelled": batch.cancelled, "report_id": batch.report_id, "pipeline_note": batch.pipeline_note,
        },
        "occurred_at": (batch.finished_at or utcnow()).isoformat(),
    }
    enqueue(conn, batch.user_id, BATCH_FINISHED, payload, announced=False)


# --- Delivering ---------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    """One try of a delivery, claimed: what to send, where, with which key."""

    delivery_id: int
    attempt: int
    event: str
    body: bytes
    url: str
    secret: str


@dataclass(frozen=True)
class Attempt:
    """What one try got: a status code, or an error; and whether to try again."""

    status_code: int | None
    error: str | None
    retryable: bool

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def claim(engine: Engine, delivery_id: int, lease_seconds: float) -> Claim | None:
    """Take the delivery's next try if it is pending, due and not under way; counts it."""
    now = utcnow()
    row = WebhookDelivery
    with engine.begin() as conn:
        claimed = conn.execute(
            update(row)
            .where(row.id == delivery_id, row.status == PENDING, row.next_attempt_at <= now)
            .where(or_(row.locked_until.is_(None), row.locked_until < now))
            .values(
                attempts=row.attempts + 1, locked_until=now + timedelta(seconds=lease_seconds),
                updated_at=now,
            )
            .returning(row.attempts, row.event, row.body, row.webhook_id)
        ).first()
        if claimed is None:
            return None
        hook = conn.execute(
            select(Webhook.url, Webhook.secret).where(Webhook.id == claimed.webhook_id)
        ).one()
    return Claim(
        delivery_id, claimed.attempts, claimed.event, claimed.body.encode(), hook.url, hook.secret
    )


def signed_headers(claim: Claim, timestamp: str) -> dict[str, str]:
    """The headers of a try: event, delivery id, timestamp and the signature."""
    return {
        "Content-Type": "application/json",
        "User-Agent": "Ledgerflow-Webhooks/1",
        "X-Ledgerflow-Event": claim.event,
        "X-Ledgerflow-Delivery": str(claim.delivery_id),
        "X-Ledgerflow-Timestamp": timestamp,
        "X-Ledgerflow-Signature": sign(claim.secret, timestamp, claim.body),
    }


def is_retryable(status_code: int) -> bool:
    """Server errors, 408 and 429 are worth another try; other answers are final."""
    return status_code >= 500 or status_code in (408, 429)


def send(
    claim: Claim,
    *,
    allow_private: bool,
    timeout: float,
    resolve: Resolver = url_guard.system_resolver,
) -> Attempt:
    """One try: check the URL again (the DNS answer may have changed since it was
    registered), then POST the signed body to the address just checked."""
    try:
        target = url_guard.check_url(claim.url, allow_private=allow_private, resolve=resolve)
    except UnresolvableHost as exc:
        return Attempt(None, str(exc)[:255], retryable=True)
    except UnsafeUrl as exc:
        return Attempt(None, f"refused: {exc}"[:255], retryable=False)
    headers = signed_headers(claim, str(int(time.time())))
    try:
        status_code = url_guard.post(target, claim.body, headers, timeout)
    except TimeoutError:
        return Attempt(None, f"no answer within {timeout:g} s", retryable=True)
    except OSError as exc:
        reason = exc.strerror or str(exc) or type(exc).__name__
        return Attempt(None, f"connection failed: {reason}"[:255], retryable=True)
    return Attempt(status_code, None, retryable=is_retryable(status_code))


def record_attempt(
    engine: Engine, claim: Claim, attempt: Attempt, delays: Sequence[float]
) -> float | None:
    """Store a try's outcome; returns the seconds until the next try, or None when the
    delivery is over (delivered, refused, or out of tries: one plus one per delay)."""
    now = utcnow()
    retry_in = None
    if attempt.delivered:
        status = DELIVERED
    elif attempt.retryable and claim.attempt <= len(delays):
        status, retry_in = PENDING, delays[claim.attempt - 1]
    else:
        status = FAILED
    next_at = now + timedelta(seconds=retry_in) if retry_in is not None else None
    row = WebhookDelivery
    with engine.begin() as conn:
        conn.execute(
            update(row)
            .where(row.id == claim.delivery_id, row.status == PENDING)
            .values(
                status=status, status_code=attempt.status_code, error=attempt.error,
                next_attempt_at=next_at, dispatched_at=next_at, locked_until=None,
                updated_at=now,
            )
        )
        if status != PENDING:
            _trim(conn, claim.delivery_id)
    return retry_in


def _trim(conn: Connection, delivery_id: int) -> None:
    """Remove the finished deliveries of this delivery's webhook past KEPT_DELIVERIES."""
    webhook_id = select(WebhookDelivery.webhook_id).where(WebhookDelivery.id == delivery_id)
    oldest_kept = conn.execute(
        select(WebhookDelivery.id)
        .where(WebhookDelivery.webhook_id == webhook_id.scalar_subquery())
        .order_by(WebhookDelivery.id.desc())
        .offset(KEPT_DELIVERIES - 1)
        .limit(1)
    ).scalar()
    if oldest_kept is not None:
        conn.execute(
            delete(WebhookDelivery).where(
                WebhookDelivery.webhook_id == webhook_id.scalar_subquery(),
                WebhookDelivery.id < oldest_kept,
                WebhookDelivery.status != PENDING,
            )
        )


def due_for_resend(engine: Engine, resend_after_seconds: float) -> list[int]:
    """Claim a send of the pending deliveries that are due, not under way, and either
    never announced or whose last message should have arrived ``resend_after_seconds``
    ago (it was lost)."""
    now = utcnow()
    row = WebhookDelivery
    due = (
        select(row.id)
        .where(row.status == PENDING, row.next_attempt_at <= now)
        .where(or_(row.locked_until.is_(None), row.locked_until < now))
        .where(
            or_(
                row.dispatched_at.is_(None),
                row.dispatched_at < now - timedelta(seconds=resend_after_seconds),
            )
        )
        .order_by(row.id)
        .limit(SWEEP_BATCH)
    )
    # A look first: most sweeps find nothing, and on SQLite a write transaction would
    # take the database's write lock every WEBHOOK_SWEEP_SECONDS.
    with read_only(engine).connect() as conn:
        ids = conn.execute(due).scalars().all()
    if not ids:
        return []
    with engine.begin() as conn:
        conn.execute(
            update(row).where(row.id.in_(ids), row.status == PENDING).values(dispatched_at=now)
        )
    return list(ids)

