"""WhatsApp through Twilio: signed form webhooks in, the Messages API out, media behind Basic auth.

Twilio posts inbound messages and status callbacks as form parameters signed with the account's Auth Token
(platform-facts §1.1-1.4). Sending goes through the `twilio` SDK, its HTTP pointed at `api_url`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import requests
from twilio.base.exceptions import (  # type: ignore[import-untyped]
    TwilioRestException,
    TwilioServiceException,
)
from twilio.http.http_client import TwilioHttpClient  # type: ignore[import-untyped]
from twilio.request_validator import RequestValidator  # type: ignore[import-untyped]
from twilio.rest import Client  # type: ignore[import-untyped]

from bot.errors import (
    BadSignature,
    ChannelError,
    ChannelUnavailable,
    InvalidPhone,
    MissingSignature,
    OutsideWindow,
    RateLimited,
)
from bot.phone import mask_phone, normalize_phone
from bot.settings import TwilioWhatsAppSettings
from connectors.channels.base import (
    Capability,
    ChannelRequest,
    DeliveryState,
    Document,
    InboundMessage,
    OutboundMessage,
    SendResult,
    StatusUpdate,
    Template,
    WebhookBatch,
)
from connectors.channels.text import split_text

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "x-twilio-signature"
ADDRESS_PREFIX = "whatsapp:"
BODY_LIMIT = 1600  # characters in one message's Body
TIMEOUT_SECONDS = 10.0
MAX_MEDIA_BYTES = 16 * 1024 * 1024  # WhatsApp's own cap on audio and video
_EXTENSIONS = {
    "text/csv": "csv",
    "text/comma-separated-values": "csv",
    "text/plain": "txt",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.ms-excel": "xls",
    "application/pdf": "pdf",
}

# Twilio error codes (twilio.com/docs/api/errors/<code>).
RATE_LIMIT_CODES = frozenset({20429, 63018})
OUTSIDE_WINDOW_CODE = 63016

# Twilio's message statuses (MessageInstance.Status). "receiving"/"received" belong to inbound messages and
# never come in a status callback for one we sent.
STATES = {
    "accepted": DeliveryState.QUEUED,
    "scheduled": DeliveryState.QUEUED,
    "queued": DeliveryState.QUEUED,
    "sending": DeliveryState.QUEUED,  # on its way to WhatsApp, not yet taken by it
    "sent": DeliveryState.SENT,
    "delivered": DeliveryState.DELIVERED,
    "partially_delivered": DeliveryState.DELIVERED,
    "read": DeliveryState.READ,
    "failed": DeliveryState.FAILED,
    "undelivered": DeliveryState.FAILED,
    "canceled": DeliveryState.FAILED,  # a scheduled message called off: it will never arrive
}


class TwilioWhatsAppChannel:
    """WhatsApp through Twilio. Ad-hoc buttons need a Content template there, so they degrade to text."""

    name = "twilio_whatsapp"
    capabilities = frozenset({Capability.MEDIA, Capability.TEMPLATES, Capability.PHONE_NUMBERS})

    def __init__(self, settings: TwilioWhatsAppSettings, *, status_callback_url: str) -> None:
        """
        Args:
            settings: the account, its Auth Token and the API to call.
            status_callback_url: where Twilio posts the delivery status of each message we send.
        """
        self._settings = settings
        self._status_callback_url = status_callback_url
        token = settings.auth_token.get_secret_value()
        self._validator = RequestValidator(token)
        self._http = _ApiHttpClient(settings.api_url, timeout=TIMEOUT_SECONDS)
        self._client = Client(settings.account_sid, token, http_client=self._http)

    def close(self) -> None:
        """Close the pooled HTTPS connections to Twilio."""
        self._http.session.close()

    def verify(self, request: ChannelRequest) -> None:
        """Check X-Twilio-Signature over the public URL Twilio called and every form parameter it posted.

        Raises:
            MissingSignature: no signature header.
            BadSignature: the signature does not match.
        """
        signature = request.headers.get(SIGNATURE_HEADER)
        if not signature:
            raise MissingSignature("Twilio webhook without X-Twilio-Signature")
        if not self._validator.validate(request.url, request.form, signature):
            raise BadSignature("Twilio webhook with a wrong X-Twilio-Signature")

    def parse(self, request: ChannelRequest, *, received_at: datetime) -> WebhookBatch:
        """One inbound message, or one status callback (a form carrying `MessageStatus`).

        Raises:
            ValueError: MessageSid, From or To is missing, or an address is not a phone number.
        """
        form = request.form
        if "MessageStatus" in form:
            status = self._status(form, received_at)
            return WebhookBatch(statuses=[status] if status else [])
        return WebhookBatch(messages=[self._message(form, received_at)])

    def send(self, message: OutboundMessage) -> SendResult:
        """Send a template, or text and media in as many Twilio messages as they need.

        Text over 1,600 characters is split on line or word boundaries, and WhatsApp takes one attachment
        per message: the first message carries the first part of the text and the first attachment, the
        rest follow in order. Returns the first message's sid: it holds the start of the text. A failure of
        any later one raises too, so the outbox sends the whole message again: the parts already sent
        arrive twice rather than the rest never.

        Raises:
            OutsideWindow: free-form text refused outside the 24-hour window (63016).
            RateLimited, ChannelUnavailable: try again later.
            ChannelError: refused for good (invalid number, unsubscribed, no sender configured).
        """
        calls = (
            [self._template_params(message, message.template)]
            if message.template
            else self._content_params(message)
        )
        sids = [self._create(message, params) for params in calls]
        logger.info(
            "twilio: sent %d message(s) to %s, first %s", len(sids), mask_phone(message.recipient), sids[0]
        )
        return SendResult(provider_message_id=sids[0])

    def fetch_media(self, ref: str) -> bytes:
        """Download an inbound file (`MediaUrl0`) with the account's Basic auth, following the redirect
        Twilio answers with to its storage.

        Raises:
            ChannelError: not a URL on Twilio's API (credentials go nowhere else), 4xx, or over 16 MB.
            ChannelUnavailable: timeout, connection failure or 5xx.
        """
        if _origin(ref) != _origin(self._settings.api_url):
            raise ChannelError("media URL is not on Twilio's API", code=None)
        token = self._settings.auth_token.get_secret_value()
        try:
            with (
                httpx.Client(
                    auth=(self._settings.account_sid, token), follow_redirects=True, timeout=TIMEOUT_SECONDS
                ) as http,
                http.stream("GET", ref) as response,
            ):
                _check_media_status(response)
                return _read_capped(response)
        except httpx.RequestError as exc:  # timeouts, refused connections, redirect loops
            raise ChannelUnavailable(f"Twilio media download failed: {type(exc).__name__}") from exc

    def _status(self, form: Mapping[str, str], received_at: datetime) -> StatusUpdate | None:
        """None for a status Twilio added after this was written: logged, not refused, since a 4xx answer
        only makes Twilio report an error on every later callback too."""
        sid = _required(form, "MessageSid")
        state = STATES.get(form["MessageStatus"])
        if state is None:
            logger.warning("twilio: unknown MessageStatus %r for %s, ignored", form["MessageStatus"], sid)
            return None
        failed = state is DeliveryState.FAILED
        return StatusUpdate(
            channel=self.name,
            provider_message_id=sid,
            state=state,
            at=received_at,
            error_code=(form.get("ErrorCode") or None) if failed else None,
            error=(form.get("ErrorMessage") or None) if failed else None,
        )

    def _message(self, form: Mapping[str, str], received_at: datetime) -> InboundMessage:
        sid = _required(form, "MessageSid")
        sender = _phone(_required(form, "From"))
        media_type = form.get("MediaContentType0", "")
        has_media = int(form.get("NumMedia") or 0) >= 1
        has_audio = has_media and media_type.startswith("audio/")
        is_document = has_media and not media_type.startswith(("audio/", "image/", "video/"))
        is_image = has_media and media_type.startswith("image/")
        message = InboundMessage(
            channel=self.name,
            provider_message_id=sid,
            sender=sender,
            recipient=_phone(_required(form, "To")),
            text=form.get("Body", ""),
            received_at=received_at,
            button_id=form.get("ButtonPayload") or form.get("ButtonText") or None,
            audio_mime_type=media_type if has_audio else None,
            audio_ref=_required(form, "MediaUrl0") if has_audio else None,
            profile_name=form.get("ProfileName") or None,
            document=_document(_required(form, "MediaUrl0"), media_type) if is_document else None,
            image_ref=_required(form, "MediaUrl0") if is_image else None,
        )
        logger.info("twilio: message %s from %s (voice note: %s)", sid, mask_phone(sender), has_audio)
        return message

    def _addresses(self, message: OutboundMessage) -> dict[str, str]:
        """Who sends and who receives, and where Twilio reports delivery."""
        params = {"to": ADDRESS_PREFIX + message.recipient, "status_callback": self._status_callback_url}
        if self._settings.messaging_service_sid:
            params["messaging_service_sid"] = self._settings.messaging_service_sid
        elif message.sender:
            params["from_"] = ADDRESS_PREFIX + message.sender
        else:
            raise ChannelError("no business number to send from, and no Messaging Service", code=None)
        return params

    def _template_params(self, message: OutboundMessage, template: Template) -> dict[str, Any]:
        """A Content template alone: with a Body or MediaUrl beside it Twilio answers 63016."""
        if not template.content_sid:
            raise ChannelError(f"template {template.name!r} has no Twilio Content SID", code=None)
        params: dict[str, Any] = {**self._addresses(message), "content_sid": template.content_sid}
        if template.parameters:
            variables = {str(n): value for n, value in enumerate(template.parameters, start=1)}
            params["content_variables"] = json.dumps(variables, ensure_ascii=False)
        return params

    def _content_params(self, message: OutboundMessage) -> list[dict[str, Any]]:
        """One set of `messages.create` arguments per Twilio message, pairing text parts with attachments."""
        bodies = split_text(message.text, BODY_LIMIT)
        urls = [item.url for item in message.media]
        first: dict[str, Any] = {}
        if bodies:
            first["body"] = bodies[0]
        if urls:
            first["media_url"] = [urls[0]]
        calls = [first, *({"body": body} for body in bodies[1:]), *({"media_url": [url]} for url in urls[1:])]
        addresses = self._addresses(message)
        return [{**addresses, **call} for call in calls]

    def _create(self, message: OutboundMessage, params: Mapping[str, Any]) -> str:
        """One `messages.create` call, its failures turned into our typed errors."""
        try:
            created = self._client.messages.create(**params)
        except (TwilioRestException, TwilioServiceException) as exc:
            error = _refusal(int(exc.status), exc.code)
            logger.warning(
                "twilio: send to %s refused: HTTP %s, code %s",
                mask_phone(message.recipient),
                exc.status,
                error.code,
            )
            raise error from exc
        except requests.RequestException as exc:
            raise ChannelUnavailable(f"Twilio unreachable: {type(exc).__name__}") from exc
        return str(created.sid)


class _ApiHttpClient(TwilioHttpClient):  # type: ignore[misc]
    """The SDK's HTTP client with every request sent to `api_url` instead of https://api.twilio.com, and
    no retries of its own: a 5xx or a timeout reaches the outbox, which decides when to try again."""

    def __init__(self, api_url: str, *, timeout: float) -> None:
        super().__init__(timeout=timeout, max_retries=0)
        self._api = urlsplit(api_url)

    def request(self, method: str, url: str, **kwargs: Any) -> Any:
        parts = urlsplit(url)
        path = self._api.path.rstrip("/") + parts.path
        moved = parts._replace(scheme=self._api.scheme, netloc=self._api.netloc, path=path)
        return super().request(method, urlunsplit(moved), **kwargs)


def _refusal(status: int, code: int | None) -> ChannelError:
    """Twilio's HTTP status and error code as a typed error: transient ones are retried later."""
    code_text = str(code) if code is not None else None
    message = f"Twilio refused the message: HTTP {status}, error {code_text}"
    if status == 429 or code in RATE_LIMIT_CODES:
        return RateLimited(message, code=code_text)
    if status >= 500:
        return ChannelUnavailable(message, code=code_text)
    if code == OUTSIDE_WINDOW_CODE:
        return OutsideWindow(message, code=code_text)
    return ChannelError(message, code=code_text)


def _check_media_status(response: httpx.Response) -> None:
    status = response.status_code
    if status < 400:
        return
    message = f"Twilio media download failed: HTTP {status}"
    if status == 429:
        raise RateLimited(message, code=str(status))
    if status >= 500:
        raise ChannelUnavailable(message, code=str(status))
    raise ChannelError(message, code=str(status))


def _read_capped(response: httpx.Response) -> bytes:
    """The body, refused as soon as it is known to pass MAX_MEDIA_BYTES rather than after reading it all."""
    too_big = ChannelError(f"Twilio media over {MAX_MEDIA_BYTES} bytes", code=None)
    if int(response.headers.get("content-length") or 0) > MAX_MEDIA_BYTES:
        raise too_big
    content = bytearray()
    for chunk in response.iter_bytes():
        content += chunk
        if len(content) > MAX_MEDIA_BYTES:
            raise too_big
    return bytes(content)


def _required(form: Mapping[str, str], name: str) -> str:
    value = form.get(name)
    if not value:
        raise ValueError(f"Twilio webhook without {name}")
    return value


def _phone(address: str) -> str:
    """`whatsapp:+919822012345` → `+919822012345`.

    Raises:
        ValueError: not a valid phone number.
    """
    raw = address.removeprefix(ADDRESS_PREFIX)
    try:
        return normalize_phone(raw)
    except InvalidPhone as exc:  # the route answers a ValueError with 400
        raise ValueError(f"Twilio address is not a phone number: {mask_phone(raw)}") from exc


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc


def _document(url: str, media_type: str) -> Document:
    """Twilio gives a file's type but not its name: the name is made from the type (statement.csv)."""
    extension = _EXTENSIONS.get(media_type.split(";")[0].strip().lower(), "bin")
    return Document(filename=f"document.{extension}", mime_type=media_type or None, ref=url)
