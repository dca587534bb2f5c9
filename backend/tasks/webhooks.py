"""Webhook deliveries, each try a message on the ``webhooks`` queue, and beat's sweep.

A try waits on someone else's server, so it runs on its own queue (its own workers in
docker-compose.yml): a slow receiver holds up only other deliveries, never the
platform's work. The logic is in ``backend/services/webhooks.py``; this module sends the
messages (after the commit of each event, for each retry, and from the sweep).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence

from celery.exceptions import SoftTimeLimitExceeded
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError

from backend.config import get_settings
from backend.db import get_engine
from backend.services import webhooks
from backend.tasks.app import celery_app
from backend.tasks.base import deliverable_countdown
from backend.tasks.kinds import DELIVER_WEBHOOK, SWEEP_WEBHOOKS

logger = logging.getLogger(__name__)

# A try's socket operations each wait up to WEBHOOK_TIMEOUT_SECONDS; a receiver that
# trickles its answer is cut off at three times that (soft limit), its process killed
# ten seconds later, and the claim's lease lasts longer still, so tries never overlap.
_TRY_SECONDS = math.ceil(get_settings().webhook_timeout_seconds * 3)
_HARD_LIMIT_SECONDS = _TRY_SECONDS + 10
_LEASE_SECONDS = _HARD_LIMIT_SECONDS + 20


def send_deliveries(delivery_ids: Sequence[int], countdown: float | None = None) -> None:
    """Send one message per delivery (to run ``countdown`` seconds from now)."""
    for delivery_id in delivery_ids:
        celery_app.send_task(
            DELIVER_WEBHOOK.name, args=(delivery_id,), queue=DELIVER_WEBHOOK.queue,
            countdown=deliverable_countdown(countdown) if countdown else None,
            ignore_result=True,
        )


# Every process that loads the tasks (workers, beat) sends the messages of the
# deliveries its final transitions write.
webhooks.on_new_deliveries(send_deliveries)


@celery_app.task(
    **DELIVER_WEBHOOK.task_options, ignore_result=True,
    soft_time_limit=_TRY_SECONDS, time_limit=_HARD_LIMIT_SECONDS,
)
def deliver_webhook(delivery_id: int) -> None:
    """One try of a delivery (nothing when it is not due, under way elsewhere, or gone
    with its webhook); schedules the next one when it should be retried."""
    settings = get_settings()
    engine = get_engine()
    claimed = webhooks.claim(engine, delivery_id, _LEASE_SECONDS)
    if claimed is None:
        return
    try:
        attempt = webhooks.send(
            claimed, allow_private=settings.webhook_allow_private_networks,
            timeout=settings.webhook_timeout_seconds,
        )
    except SoftTimeLimitExceeded:  # a receiver that trickles its answer
        attempt = webhooks.Attempt(None, f"no answer within {_TRY_SECONDS} s", retryable=True)
    retry_in = webhooks.record_attempt(engine, claimed, attempt, settings.webhook_retry_delays)
    logger.info(
        "Webhook delivery %d, try %d: %s%s", delivery_id, claimed.attempt,
        attempt.status_code or attempt.error,
        f"; next try in {retry_in:g} s" if retry_in is not None else "",
    )
    if retry_in is None:
        return
    try:
        send_deliveries([delivery_id], countdown=retry_in)
    except (BrokerError, RedisError, OSError):
        # The row says when it is due; the sweep sends it then.
        logger.warning("Could not schedule the next try of webhook delivery %d", delivery_id)


@celery_app.task(**SWEEP_WEBHOOKS.task_options, ignore_result=True)
def sweep_webhook_deliveries() -> int:
    """Beat's safety net: send the deliveries that are due but whose message was lost."""
    due = webhooks.due_for_resend(get_engine(), get_settings().redispatch_after_seconds)
    if due:
        send_deliveries(due)
        logger.warning("Sent %d webhook deliveries again (their message was lost)", len(due))
    return len(due)
