"""Provider webhooks: `/webhooks/<channel>` for Twilio WhatsApp, the WhatsApp Cloud API and Telegram, and
`/webhooks/razorpay` for payments collected through Razorpay links.

A call is verified over its exact bytes, parsed, stored and answered 200 at once; the messages are
answered in the background, so a provider never times out and redelivers. A redelivery is stored once
and answered once.
"""

from __future__ import annotations

import logging
import uuid
from urllib.parse import parse_qsl

from fastapi import APIRouter, BackgroundTasks, HTTPException, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import PlainTextResponse

from bot.api.deps import ClockDep, GatewayDep, SettingsDep
from bot.errors import UnverifiedRequest
from bot.gateway import Gateway
from bot.settings import Settings
from connectors.channels.base import Channel, ChannelRequest, WebhookBatch
from connectors.channels.meta_whatsapp import MetaWhatsAppChannel
from connectors.payments.razorpay import EVENT_ID_HEADER, SIGNATURE_HEADER, RazorpayGateway
from modules.payments.gateway import record_gateway_payment

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/webhooks", tags=["webhooks"])

# Twilio reads the answer as TwiML: an empty <Response/> says "nothing to reply now" (replies go by API).
_TWIML_EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
MAX_WEBHOOK_BYTES = 1_000_000  # providers post a few KB; media come by reference


@router.get("/meta_whatsapp", response_class=PlainTextResponse)
def meta_subscription(request: Request, gateway: GatewayDep) -> str:
    """Meta's handshake when the callback URL is set: echo `hub.challenge` if the verify token matches."""
    channel = _channel(gateway, "meta_whatsapp")
    assert isinstance(channel, MetaWhatsAppChannel)
    return channel.verify_subscription(dict(request.query_params))


@router.post("/razorpay")
async def razorpay_webhook(
    request: Request, background: BackgroundTasks, gateway: GatewayDep, settings: SettingsDep
) -> Response:
    """Razorpay's payment events: verified over the raw body (400 when the signature is missing or wrong),
    handled once per event id and once per payment. Money through our links goes on the link's invoice;
    other captured money is reconciled like a bank line. The owner and the customer are told in the
    background."""
    if not settings.razorpay.enabled:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "razorpay is not enabled")
    body = await request.body()
    if len(body) > MAX_WEBHOOK_BYTES:
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, "webhook body too large")
    razorpay = RazorpayGateway(settings.razorpay)
    try:
        razorpay.verify(body, request.headers.get(SIGNATURE_HEADER))
    except UnverifiedRequest as error:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, str(error)) from error
    event_id = request.headers.get(EVENT_ID_HEADER, "").strip()
    if not event_id:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "razorpay webhook without X-Razorpay-Event-Id")
    try:
        collected = RazorpayGateway.payment_of(body)
    except (ValueError, TypeError, KeyError) as error:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, f"not a Razorpay event: {error}") from error
    recorded = await run_in_threadpool(
        record_gateway_payment,
        gateway.db,
        provider=razorpay.name,
        event_id=event_id,
        collected=collected,
        business_number=settings.razorpay.business_number,
    )
    if recorded is not None and recorded.payment_id is not None:
        background.add_task(gateway.announce_payment, recorded.payment_id)
    elif recorded is not None and recorded.to_check is not None:
        background.add_task(gateway.announce_to_check, recorded.business_id, recorded.to_check)
    return Response(status_code=status.HTTP_200_OK)


@router.post("/{name}")
async def webhook(
    name: str,
    request: Request,
    background: BackgroundTasks,
    gateway: GatewayDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> Response:
    channel = _channel(gateway, name)
    body = await request.body()
    if len(body) > MAX_WEBHOOK_BYTES:
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, "webhook body too large")
    call = ChannelRequest(
        url=_public_url(request, settings),
        headers={key.lower(): value for key, value in request.headers.items()},
        body=body,
        form=_form(request, body),
    )
    channel.verify(call)
    try:
        batch = channel.parse(call, received_at=clock.now())
    except (ValueError, KeyError, TypeError) as error:
        logger.warning("malformed %s webhook: %s", name, error)
        raise HTTPException(status.HTTP_400_BAD_REQUEST, f"not a {name} webhook payload") from error
    fresh = await run_in_threadpool(_accept, gateway, batch)
    background.add_task(_answer, gateway, fresh, batch)
    if name == "twilio_whatsapp":
        return Response(_TWIML_EMPTY, media_type="text/xml")
    return Response(status_code=status.HTTP_200_OK)


def _channel(gateway: Gateway, name: str) -> Channel:
    channel = gateway.channels.get(name)
    if channel is None or name == "simulator":  # the simulator has its own API
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"channel {name!r} is not enabled")
    return channel


def _accept(gateway: Gateway, batch: WebhookBatch) -> list[uuid.UUID]:
    """Store every message (a replay is found, not stored twice); the ids of those still to answer."""
    accepted = [gateway.accept(message) for message in batch.messages]
    return [a.message_id for a in accepted if a is not None and not a.replayed]


def _answer(gateway: Gateway, message_ids: list[uuid.UUID], batch: WebhookBatch) -> None:
    """After the 200: answer the new messages and record delivery statuses."""
    gateway.record_statuses(batch.statuses)
    for message_id in message_ids:
        gateway.process(message_id)


def _public_url(request: Request, settings: Settings) -> str:
    """The URL the provider called, as the world sees it: behind a proxy the server sees another one, and
    Twilio signs the public one."""
    query = f"?{request.url.query}" if request.url.query else ""
    return f"{settings.server.public_url.rstrip('/')}{request.url.path}{query}"


def _form(request: Request, body: bytes) -> dict[str, str]:
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return {}
    return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
