"""Webhooks: register a URL to be told when tasks and batches finish; see its deliveries."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Response, status
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from backend.api.deps import (
    CurrentUser,
    OwnedWebhook,
    SessionDep,
    SettingsDep,
    WebhookId,
    WriteSessionDep,
    owned,
)
from backend.api.routing import OneHopRoute
from backend.models import Webhook
from backend.services import webhooks
from backend.services.url_guard import MAX_URL_LENGTH, Resolver, UnsafeUrl, system_resolver

router = APIRouter(prefix="/webhooks", tags=["webhooks"], route_class=OneHopRoute)


def get_resolver() -> Resolver:
    """How URLs are resolved for the SSRF check: the system's resolver (a dependency, so
    that a test can keep the API from looking names up)."""
    return system_resolver


class WebhookIn(BaseModel):
    url: str = Field(min_length=1, max_length=MAX_URL_LENGTH, examples=["https://example.com/hook"])
    events: list[webhooks.EventName] = Field(min_length=1, max_length=len(webhooks.EVENTS))


class WebhookOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    url: str
    events: list[str]
    created_at: datetime


class WebhookCreated(WebhookOut):
    secret: str = Field(description="The signing key: shown this once, keep it")


class DeliveryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    event: str
    status: Literal["pending", "delivered", "failed"]
    status_code: int | None = Field(description="The receiver's answer to the last try")
    attempts: int
    error: str | None = Field(description="Why the last try got no answer, or was refused")
    next_retry_at: datetime | None = Field(validation_alias="next_attempt_at")
    created_at: datetime
    updated_at: datetime


@router.post("", status_code=status.HTTP_201_CREATED, response_model=WebhookCreated)
def create_webhook(
    body: WebhookIn,
    user: CurrentUser,
    session: WriteSessionDep,
    settings: SettingsDep,
    resolve: Annotated[Resolver, Depends(get_resolver)],
) -> Webhook:
    """Register a URL for events; 422 for a URL that is not public http(s) (unless
    WEBHOOK_ALLOW_PRIVATE_NETWORKS) or that does not resolve."""
    try:
        return webhooks.register(
            session, user.id, body.url, body.events,
            allow_private=settings.webhook_allow_private_networks, resolve=resolve,
        )
    except (UnsafeUrl, webhooks.TooManyWebhooks) as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail=str(exc)) from None


@router.get("", response_model=list[WebhookOut])
def list_webhooks(user: CurrentUser, session: SessionDep) -> list[Webhook]:
    """The user's webhooks, oldest first (secrets are never shown again)."""
    return list(
        session.scalars(select(Webhook).where(Webhook.user_id == user.id).order_by(Webhook.id))
    )


@router.delete("/{webhook_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_webhook(webhook_id: WebhookId, user: CurrentUser, session: WriteSessionDep) -> Response:
    """Remove a webhook and its deliveries (pending ones are not sent)."""
    session.delete(owned(session, Webhook, user, webhook_id, "Webhook", for_update=True))
    session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{webhook_id}/deliveries", response_model=list[DeliveryOut])
def list_deliveries(webhook: OwnedWebhook, session: SessionDep) -> list[DeliveryOut]:
    """The webhook's last 100 deliveries, newest first."""
    return [
        DeliveryOut.model_validate(row)
        for row in webhooks.recent_deliveries(session, webhook.id)
    ]
