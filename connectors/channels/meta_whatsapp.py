"""The WhatsApp Cloud API (Meta) channel: Graph API webhooks in, `/<phone_number_id>/messages` calls out.

Meta first checks the callback with a GET handshake (`verify_subscription`), then POSTs events signed with
the app secret (`X-Hub-Signature-256`); one POST may batch several messages and delivery statuses.
Sending is one Graph API call per WhatsApp message, so a reply that does not fit one (long text, several
files, more text than a caption holds) goes out as several, in order.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

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
from bot.settings import MetaWhatsAppSettings
from connectors.channels.base import (
    Button,
    Capability,
    ChannelRequest,
    DeliveryState,
    Document,
    InboundMessage,
    Media,
    OutboundMessage,
    SendResult,
    StatusUpdate,
    Template,
    WebhookBatch,
)
from connectors.channels.text import split_text

log = logging.getLogger(__name__)

Json = dict[str, Any]

TIMEOUT_SECONDS = 10.0
# A person without a phone number in the webhook (a username adopter) is addressed by their
# business-scoped user id (BSUID): `wa:IN.1410018717833190`.
BSUID_PREFIX = "wa:"

# WhatsApp's limits on what one message may carry.
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
INTERACTIVE_BODY_LIMIT = 1024
REPLY_BUTTONS_MAX = 3
REPLY_TITLE_LIMIT = 20
LIST_ROWS_MAX = 10
LIST_TITLE_LIMIT = 24
LIST_DESCRIPTION_LIMIT = 72
# The label of the button that opens a list. The channel has no locale to word it, so it is a symbol
# that reads the same in every language.
LIST_BUTTON_LABEL = "☰"
# WhatsApp's own cap on audio files; nothing larger is a voice note worth transcribing.
MEDIA_DOWNLOAD_LIMIT = 16 * 1024 * 1024

# The files WhatsApp shows as an image or opens as a document. Anything else (SVG, CSV, ZIP...) it may
# refuse, so it goes as a link in the text instead, which always arrives.
MEDIA_KINDS: dict[str, str] = {
    "image/jpeg": "image",
    "image/png": "image",
    "application/pdf": "document",
    "text/plain": "document",
    "application/msword": "document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "document",
    "application/vnd.ms-excel": "document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "document",
}

# Graph API error code → what it means for the message. Unlisted codes are permanent `ChannelError`s
# (131026 undeliverable, 131051 unsupported type, 132000/132001 template, 131009/100 bad parameter,
# 190 expired token, 131050 marketing opt-out...).
ERRORS: dict[int, type[ChannelError]] = {
    130429: RateLimited,  # the number's throughput (80 messages a second by default)
    131056: RateLimited,  # too many messages to the same person (pair rate limit)
    80007: RateLimited,  # the WhatsApp Business Account's rate limit
    4: RateLimited,  # the app's API call limit
    613: RateLimited,  # the API's call rate limit
    131047: OutsideWindow,  # re-engagement: more than 24 hours since the person last wrote
    131000: ChannelUnavailable,  # something went wrong (Meta's side)
    131016: ChannelUnavailable,  # service temporarily unavailable
    1: ChannelUnavailable,  # unknown API error
    2: ChannelUnavailable,  # API service error, temporary
}

DELIVERY_STATES: dict[str, DeliveryState] = {
    "sent": DeliveryState.SENT,
    "delivered": DeliveryState.DELIVERED,
    "read": DeliveryState.READ,
    "played": DeliveryState.READ,  # a voice note was listened to: more than read
    "failed": DeliveryState.FAILED,
}

_MEDIA_ID = re.compile(r"[0-9A-Za-z_-]{1,128}")
_NON_DIGITS = re.compile(r"[^0-9]")


class MetaWhatsAppChannel:
    """WhatsApp through Meta's Cloud API, with the business's own app, number and access token."""

    name = "meta_whatsapp"
    capabilities = frozenset(
        {Capability.BUTTONS, Capability.MEDIA, Capability.TEMPLATES, Capability.PHONE_NUMBERS}
    )

    def __init__(self, settings: MetaWhatsAppSettings, *, http: httpx.Client | None = None) -> None:
        """A channel for the business numbers of one Meta app: each sends from its own phone number id
        (`settings.phone_number_ids`), or from `settings.phone_number_id`.

        Args:
            http: the client to call the Graph API with (tests pass one); by default one of its own,
                closed by `close()`.
        """
        self._settings = settings
        self._base = f"{settings.graph_url.rstrip('/')}/{settings.api_version}"
        self._owns_http = http is None
        self._http = http if http is not None else httpx.Client(timeout=TIMEOUT_SECONDS)

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    # Webhooks in

    def verify_subscription(self, params: Mapping[str, str]) -> str:
        """The GET handshake Meta makes when the callback URL is set: the `hub.challenge` to answer with.

        Raises:
            BadSignature: not a subscribe request, or not with our verify token (answered 403).
        """
        expected = self._settings.verify_token.get_secret_value()
        given = params.get("hub.verify_token", "")
        # An unset verify token would let anyone subscribe with an empty one.
        if params.get("hub.mode") != "subscribe" or not expected or not _same(given, expected):
            raise BadSignature("Cloud API subscription request without our verify token")
        return params.get("hub.challenge", "")

    def verify(self, request: ChannelRequest) -> None:
        """Check `X-Hub-Signature-256`: `sha256=` and the HMAC-SHA256 of the raw body under the app secret.

        Raises:
            MissingSignature: no signature header (401).
            BadSignature: a signature that does not match, or no app secret to check it with (403).
        """
        given = request.headers.get("x-hub-signature-256", "").strip()
        if not given:
            raise MissingSignature("Cloud API webhook without X-Hub-Signature-256")
        secret = self._settings.app_secret.get_secret_value()
        # Without a secret anyone could compute the "signature" of any body.
        if not secret:
            raise BadSignature("Cloud API webhook received but no app secret is configured")
        digest = hmac.new(secret.encode(), request.body, hashlib.sha256).hexdigest()
        if not _same(given.lower(), f"sha256={digest}"):
            raise BadSignature("Cloud API webhook signature does not match")

    def parse(self, request: ChannelRequest, *, received_at: datetime) -> WebhookBatch:
        """Every message and delivery status in a verified webhook, in the order Meta listed them.

        Message types the assistant cannot read (stickers, locations, reactions...) are kept with empty
        text, so the conversation still sees that the person wrote.

        Raises:
            ValueError: not JSON, not a WhatsApp Business Account event, or a message without an id or
                sender.
        """
        payload = _load(request.body)
        batch = WebhookBatch()
        for value in _message_values(payload):
            batch.messages.extend(
                _inbound(raw, value, self.name, received_at) for raw in _list(value, "messages")
            )
            for raw in _list(value, "statuses"):
                status = _status(raw, self.name)
                if status is not None:
                    batch.statuses.append(status)
        log.debug("Cloud API webhook: %d messages, %d statuses", len(batch.messages), len(batch.statuses))
        return batch

    # Messages out

    def send(self, message: OutboundMessage) -> SendResult:
        """Send the message as one or more WhatsApp messages; the result names the last one sent.

        Raises:
            RateLimited, ChannelUnavailable: try again later (a part already sent is sent again).
            OutsideWindow: free-form text after the 24-hour window; a template is needed.
            ChannelError: refused for good (`code` is the Graph API error code).
        """
        parts = [_template(message.template)] if message.template is not None else _content_parts(message)
        if not parts:
            raise ChannelError("nothing to send: no text, media, buttons or template")
        address = _address(message.recipient)
        number_id = self._settings.phone_number_ids.get(message.sender, self._settings.phone_number_id)
        message_id = ""
        for part in parts:
            message_id = self._post_message(number_id, {**address, **part})
        log.info(
            "Cloud API sent %d message(s) to %s, last %s",
            len(parts),
            mask_phone(message.recipient),
            message_id,
        )
        return SendResult(provider_message_id=message_id)

    def fetch_media(self, ref: str) -> bytes:
        """Download an inbound file by its media id: its URL from the Graph API, then the bytes.

        The URL lasts about five minutes and needs the same access token, so both calls carry it.

        Raises:
            ChannelUnavailable: Meta could not answer now (timeout, 5xx).
            ChannelError: an unknown or expired media id, or a file over 16 MB.
        """
        if not _MEDIA_ID.fullmatch(ref):
            raise ChannelError(f"not a Cloud API media id: {ref[:40]!r}")
        info = self._call("GET", f"{self._base}/{ref}")
        url = info.get("url")
        if not isinstance(url, str) or not url:
            raise ChannelError(f"Cloud API gave no URL for media {ref}")
        size = info.get("file_size")
        if isinstance(size, int) and size > MEDIA_DOWNLOAD_LIMIT:
            raise ChannelError(f"Cloud API media {ref} is {size} bytes, over {MEDIA_DOWNLOAD_LIMIT}")
        content = self._download(url)
        log.info("Cloud API media %s downloaded: %d bytes", ref, len(content))
        return content

    def _post_message(self, number_id: str, message: Json) -> str:
        """Raises: ChannelError (see `send`)."""
        body = {"messaging_product": "whatsapp", "recipient_type": "individual", **message}
        answer = self._call("POST", f"{self._base}/{number_id}/messages", body)
        messages = answer.get("messages")
        first = messages[0] if isinstance(messages, list) and messages else None
        message_id = first.get("id") if isinstance(first, dict) else None
        if not isinstance(message_id, str) or not message_id:
            # Meta took the request; sending it again could deliver it twice, so this is not transient.
            raise ChannelError("Cloud API accepted a message but returned no message id")
        return message_id

    def _call(self, method: str, url: str, body: Json | None = None) -> Json:
        """One Graph API call, answered with a JSON object.

        Raises:
            ChannelError: the subclass the Graph API error (or transport failure) calls for.
        """
        with _transport_errors(method, url):
            response = self._http.request(method, url, json=body, headers=self._auth())
        if not response.is_success:
            raise _graph_error(response)
        try:
            answer = response.json()
        except ValueError as exc:
            raise ChannelError(f"Cloud API answered {method} with something other than JSON") from exc
        if not isinstance(answer, dict):
            raise ChannelError(f"Cloud API answered {method} with JSON that is not an object")
        return answer

    def _download(self, url: str) -> bytes:
        """The bytes at a media URL, refusing more than `MEDIA_DOWNLOAD_LIMIT` before holding it all."""
        with _transport_errors("GET", url), self._http.stream("GET", url, headers=self._auth()) as response:
            if not response.is_success:
                response.read()
                raise _graph_error(response)
            content = bytearray()
            for chunk in response.iter_bytes():
                content.extend(chunk)
                if len(content) > MEDIA_DOWNLOAD_LIMIT:
                    raise ChannelError(f"Cloud API media is over {MEDIA_DOWNLOAD_LIMIT} bytes")
            return bytes(content)

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._settings.access_token.get_secret_value()}"}


# Parsing


@dataclass(frozen=True)
class _Content:
    """What one inbound message says, whatever its type."""

    text: str = ""
    button_id: str | None = None
    audio_ref: str | None = None
    audio_mime_type: str | None = None
    document: Document | None = None
    image_ref: str | None = None


def _load(body: bytes) -> Json:
    """Raises: ValueError (malformed JSON, invalid UTF-8 or another provider's payload)."""
    payload = json.loads(body)
    if not isinstance(payload, dict) or payload.get("object") != "whatsapp_business_account":
        raise ValueError("not a WhatsApp Business Account webhook")
    return payload


def _message_values(payload: Json) -> Iterator[Json]:
    """The `value` of every `messages` change: other fields (template reviews, account updates) are not
    conversations."""
    for entry in _list(payload, "entry"):
        for change in _list(entry, "changes"):
            if change.get("field") == "messages":
                value = change.get("value")
                if not isinstance(value, dict):
                    raise ValueError("a messages change without a value object")
                yield value


def _inbound(raw: Json, value: Json, channel: str, received_at: datetime) -> InboundMessage:
    contacts = _list(value, "contacts")
    content = _content(raw)
    return InboundMessage(
        channel=channel,
        provider_message_id=_required(raw, "id"),
        sender=_sender(raw, contacts),
        recipient=_business_number(value),
        text=content.text,
        received_at=received_at,
        button_id=content.button_id,
        audio_mime_type=content.audio_mime_type,
        audio_ref=content.audio_ref,
        profile_name=_profile_name(raw, contacts),
        document=content.document,
        image_ref=content.image_ref,
    )


def _content(raw: Json) -> _Content:
    kind = _str(raw, "type")
    body = _object(raw, kind)
    if kind == "text":
        return _Content(text=_str(body, "body"))
    if kind == "button":  # a quick reply on a template
        return _Content(text=_str(body, "text"), button_id=_str(body, "payload") or None)
    if kind == "interactive":  # a reply button or a list row of ours
        reply = _object(body, _str(body, "type"))
        return _Content(text=_str(reply, "title"), button_id=_str(reply, "id") or None)
    if kind == "audio":
        return _Content(audio_ref=_str(body, "id") or None, audio_mime_type=_str(body, "mime_type") or None)
    if kind == "document":  # an owner's bank statement, fetched by its media id later
        media_id = _str(body, "id")
        document = Document(_str(body, "filename") or "document", _str(body, "mime_type") or None, media_id)
        return _Content(text=_str(body, "caption"), document=document if media_id else None)
    if kind == "image":
        return _Content(text=_str(body, "caption"), image_ref=_str(body, "id") or None)
    if kind == "video":
        return _Content(text=_str(body, "caption"))
    return _Content()


def _sender(raw: Json, contacts: list[Json]) -> str:
    """E.164 from `from`; the BSUID (`wa:...`) for a person whose number Meta withholds.

    Raises:
        ValueError: neither a phone number nor a user id.
    """
    phone = _str(raw, "from")
    if phone:
        return _e164(phone)
    user_id = _str(raw, "from_user_id")
    if not user_id and len(contacts) == 1:
        user_id = _str(contacts[0], "user_id")
    if not user_id:
        raise ValueError("a WhatsApp message with neither a phone number nor a user id")
    return BSUID_PREFIX + user_id


def _e164(digits: str) -> str:
    """`919822012345` → `+919822012345`. A number phonenumbers does not know yet is kept as WhatsApp
    sent it: refusing it would make Meta retry the webhook for days.

    Raises:
        ValueError: not digits at all.
    """
    if not digits.isascii() or not digits.isdigit():
        raise ValueError("a WhatsApp phone number that is not digits")
    try:
        return normalize_phone("+" + digits)
    except InvalidPhone:
        log.warning(
            "Cloud API number %s is not a valid number to phonenumbers; kept as sent", mask_phone(digits)
        )
        return "+" + digits


def _business_number(value: Json) -> str:
    """The number the person wrote to, which names the business."""
    digits = _NON_DIGITS.sub("", _str(_object(value, "metadata"), "display_phone_number"))
    if not digits:
        raise ValueError("a WhatsApp webhook without the business's display_phone_number")
    return _e164(digits)


def _profile_name(raw: Json, contacts: list[Json]) -> str | None:
    """The name in `contacts[]` of whoever sent `raw`, matched by phone or by user id."""
    ids = {_str(raw, "from"), _str(raw, "from_user_id")} - {""}
    for contact in contacts:
        if {_str(contact, "wa_id"), _str(contact, "user_id")} & ids:
            return _str(_object(contact, "profile"), "name") or None
    return None


def _status(raw: Json, channel: str) -> StatusUpdate | None:
    """A delivery status, or None for one we do not track (Meta adds new ones over time)."""
    state = DELIVERY_STATES.get(_str(raw, "status"))
    if state is None:
        log.debug("Cloud API status %r ignored", raw.get("status"))
        return None
    errors = _list(raw, "errors")
    error = errors[0] if errors else {}
    code = error.get("code")
    return StatusUpdate(
        channel=channel,
        provider_message_id=_required(raw, "id"),
        state=state,
        at=_timestamp(raw),
        error_code=None if code is None else str(code),
        error=_error_text(error),
    )


def _error_text(error: Json) -> str | None:
    title = _str(error, "title") or _str(error, "message")
    details = _str(_object(error, "error_data"), "details")
    return ": ".join(part for part in (title, details) if part) or None


def _timestamp(raw: Json) -> datetime:
    """Raises: ValueError (missing, or not unix seconds)."""
    return datetime.fromtimestamp(int(_required(raw, "timestamp")), tz=UTC)


def _list(source: Json, key: str) -> list[Json]:
    """`source[key]` as a list of objects ([] when absent).

    Raises:
        ValueError: it is there but not a list of objects.
    """
    items = source.get(key)
    if items is None:
        return []
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise ValueError(f"WhatsApp webhook field {key!r} is not a list of objects")
    return items


def _object(source: Json, key: str) -> Json:
    value = source.get(key)
    return value if isinstance(value, dict) else {}


def _str(source: Json, key: str) -> str:
    value = source.get(key)
    return value if isinstance(value, str) else ""


def _required(source: Json, key: str) -> str:
    value = _str(source, key)
    if not value:
        raise ValueError(f"WhatsApp webhook item without {key!r}")
    return value


# Building messages


def _address(recipient: str) -> Json:
    """`to` as E.164 with its `+`: Meta prepends the business number's country code to a number without
    one, which can deliver to the wrong person. A BSUID goes in `recipient` instead."""
    if recipient.startswith(BSUID_PREFIX):
        return {"recipient": recipient.removeprefix(BSUID_PREFIX)}
    return {"to": recipient}


def _template(template: Template) -> Json:
    content: Json = {
        "name": template.name,
        "language": {"policy": "deterministic", "code": template.language},
    }
    if template.parameters:
        parameters = [{"type": "text", "text": value} for value in template.parameters]
        content["components"] = [{"type": "body", "parameters": parameters}]
    return {"type": "template", "template": content}


def _content_parts(message: OutboundMessage) -> list[Json]:
    """Text, files and buttons as WhatsApp messages: files first and the buttons last, under the text, so
    the question they answer is what the person sees at the bottom of the chat."""
    files = [item for item in message.media if item.mime_type in MEDIA_KINDS]
    links = [item for item in message.media if item.mime_type not in MEDIA_KINDS]
    text = _with_lines(message.text, [f"{item.filename}: {item.url}" for item in links])
    if message.buttons:
        return [*(_media(item) for item in files), *_button_parts(text, message.buttons)]
    if files and len(text) <= CAPTION_LIMIT:
        return [_media(files[0], text), *(_media(item) for item in files[1:])]
    return [*_text_parts(text), *(_media(item) for item in files)]


def _text_parts(text: str) -> list[Json]:
    return [
        {"type": "text", "text": {"preview_url": True, "body": chunk}}
        for chunk in split_text(text, TEXT_LIMIT)
    ]


def _media(item: Media, caption: str = "") -> Json:
    kind = MEDIA_KINDS[item.mime_type]
    content: Json = {"link": item.url}
    if kind == "document":
        content["filename"] = item.filename
    if caption:
        content["caption"] = caption
    return {"type": kind, kind: content}


def _button_parts(text: str, buttons: Sequence[Button]) -> list[Json]:
    """Up to 3 buttons as reply buttons, up to 10 as a list; more become numbered lines of the text.

    The text before the buttons' body (at most 1,024 characters) goes first as plain text.

    Raises:
        ChannelError: no text: WhatsApp shows no buttons without a body.
    """
    shown = buttons[:LIST_ROWS_MAX]
    folded = [f"{n}. {button.title}" for n, button in enumerate(buttons[LIST_ROWS_MAX:], LIST_ROWS_MAX + 1)]
    head, body = _split_tail(_with_lines(text, folded), INTERACTIVE_BODY_LIMIT)
    if not body:
        raise ChannelError("buttons without text: WhatsApp needs a body to show them under")
    if len(shown) <= REPLY_BUTTONS_MAX:
        kind, action = "button", _reply_buttons(shown)
    else:
        kind, action = "list", _list_rows(shown)
    interactive = {"type": kind, "body": {"text": body}, "action": action}
    return [*_text_parts(head), {"type": "interactive", "interactive": interactive}]


def _reply_buttons(buttons: Sequence[Button]) -> Json:
    return {
        "buttons": [
            {"type": "reply", "reply": {"id": button.id, "title": _clip(button.title, REPLY_TITLE_LIMIT)}}
            for button in buttons
        ]
    }


def _list_rows(buttons: Sequence[Button]) -> Json:
    """One section of rows; a title too long for a row shows in full as its description."""
    rows: list[Json] = []
    for button in buttons:
        row: Json = {"id": button.id, "title": _clip(button.title, LIST_TITLE_LIMIT)}
        if len(button.title) > LIST_TITLE_LIMIT:
            row["description"] = _clip(button.title, LIST_DESCRIPTION_LIMIT)
        rows.append(row)
    return {"button": LIST_BUTTON_LABEL, "sections": [{"rows": rows}]}


def _with_lines(text: str, lines: Sequence[str]) -> str:
    return "\n".join([text, *lines]) if text else "\n".join(lines)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _split_tail(text: str, limit: int) -> tuple[str, str]:
    """(head, tail): the tail is the end of `text`, at most `limit` characters, starting at a break."""
    if len(text) <= limit:
        return "", text
    start = len(text) - limit
    for separator in ("\n\n", "\n", " "):
        at = text.find(separator, start, start + limit // 2)
        if at >= 0:
            return text[:at].rstrip(), text[at:].strip()
    return text[:start], text[start:]


# Errors


@contextmanager
def _transport_errors(method: str, url: str) -> Iterator[None]:
    """Timeouts and connection failures as `ChannelUnavailable`: Meta may answer a moment later."""
    try:
        yield
    except httpx.TransportError as exc:
        raise ChannelUnavailable(f"Cloud API {method} {_path(url)} failed: {type(exc).__name__}") from exc


def _graph_error(response: httpx.Response) -> ChannelError:
    """The typed error for a Graph API error answer (`{"error": {"message", "code", ...}}`)."""
    error = _error_body(response)
    code = error.get("code")
    status = response.status_code
    kind = ERRORS.get(code) if isinstance(code, int) else None
    if kind is None:
        kind = ChannelUnavailable if status >= 500 else RateLimited if status == 429 else ChannelError
    message = (
        f"Cloud API {response.request.method} {_path(str(response.request.url))} refused "
        f"(HTTP {status}, code {code}, subcode {error.get('error_subcode')}, "
        f"fbtrace_id {error.get('fbtrace_id')}): {error.get('message')}"
    )
    return kind(message, code=str(code) if code is not None else f"http_{status}")


def _error_body(response: httpx.Response) -> Json:
    """The `error` object, or {} when the answer is not Graph JSON (a proxy's HTML page)."""
    try:
        body = response.json()
    except ValueError:
        return {}
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, dict) else {}


def _path(url: str) -> str:
    """A URL's path alone, for messages and logs: media URLs carry signed parameters in the query."""
    return httpx.URL(url).path


def _same(given: str, expected: str) -> bool:
    """Constant-time equality; bytes because `compare_digest` refuses non-ASCII str."""
    return hmac.compare_digest(given.encode(), expected.encode())
