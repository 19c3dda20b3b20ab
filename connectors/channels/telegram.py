"""The Telegram channel: a bot that answers for one business, by webhook or by long polling.

The rest of the app is synchronous and python-telegram-bot is asyncio, so the channel owns one event loop
in a daemon thread and every Bot API call is submitted to it and waited for.

A Telegram chat has no phone number: the person is `tg:<chat id>` until they share their own contact
(`InboundMessage.shared_phone`), which is how the app links the chat to a customer or the owner.

Buttons are reply keyboards, not inline keyboards: only a reply keyboard can ask for the person's contact
(`SHARE_CONTACT`), and a tap arrives as an ordinary message with the button's title, exactly like typing
it, in webhook and polling mode alike. The price is that no button id comes back: the title is the text.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import os
import re
import threading
from collections.abc import Awaitable, Callable, Coroutine
from datetime import UTC, datetime
from functools import partial
from typing import Any, TypeVar

import httpx
from telegram import Bot, KeyboardButton, Message, ReplyKeyboardMarkup, Update
from telegram.constants import ChatType, FileSizeLimit, MessageLimit, UpdateType
from telegram.error import (
    BadRequest,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from bot.clock import Clock, SystemClock
from bot.errors import (
    BadSignature,
    ChannelError,
    ChannelUnavailable,
    ConfigError,
    InvalidPhone,
    MissingSignature,
    RateLimited,
)
from bot.phone import mask_phone, normalize_phone
from bot.settings import TelegramSettings
from connectors.channels.base import (
    SHARE_CONTACT,
    Button,
    Capability,
    ChannelRequest,
    Document,
    InboundMessage,
    Media,
    OutboundMessage,
    SendResult,
    WebhookBatch,
)
from connectors.channels.text import split_text, utf16_units

# PTB 22.2+ warns on every read of a duration attribute (RetryAfter reads its own in __init__) until one
# opts into the coming timedelta type. Opting in is the supported way out; this module reads no durations.
os.environ.setdefault("PTB_TIMEDELTA", "true")

logger = logging.getLogger(__name__)

T = TypeVar("T")

SECRET_HEADER = "x-telegram-bot-api-secret-token"  # noqa: S105  (a header name, not a secret)
ADDRESS_PREFIX = "tg:"
_ADDRESS = re.compile(r"tg:(\d+)")
# Only new messages: edits are ignored anyway (see `_batch`), so Telegram need not send them.
ALLOWED_UPDATES = (UpdateType.MESSAGE,)
DEFAULT_AUDIO_MIME_TYPE = "audio/ogg"  # what Telegram clients record voice notes in (OGG/Opus)
PHOTO_MIME_TYPES = frozenset({"image/png", "image/jpeg"})
# A cap on waiting for one Bot API call, above PTB's own timeouts (5 s, 20 s for uploads): a hung call
# must not hold the outbox dispatcher's thread and database row forever.
CALL_TIMEOUT_SECONDS = 60.0
MEDIA_TIMEOUT_SECONDS = 30.0

_PERMANENT_CODES: tuple[tuple[type[TelegramError], str], ...] = (
    (Forbidden, "403"),  # the person blocked the bot, or never started it
    (InvalidToken, "401"),
    (Conflict, "409"),  # another process is polling, or a webhook is set while polling
)


def address(chat_id: int) -> str:
    """The app's address for a private Telegram chat: `tg:42`."""
    return f"{ADDRESS_PREFIX}{chat_id}"


def chat_id(recipient: str) -> int:
    """The chat id in a `tg:<chat id>` address.

    Raises:
        ChannelError: not a Telegram address (a phone number the app did not map to a chat).
    """
    match = _ADDRESS.fullmatch(recipient)
    if match is None:
        raise ChannelError("not a Telegram address (tg:<chat id>)", code="address")
    return int(match.group(1))


def download(url: str) -> bytes:
    """The bytes behind one of our own media URLs (invoice PDF, QR code).

    Telegram's servers cannot fetch a URL on localhost, so files are uploaded rather than linked.

    Raises:
        ChannelError: the app answered 4xx (the file is gone; retrying will not bring it back).
        ChannelUnavailable: no answer, or a 5xx.
    """
    try:
        response = httpx.get(url, timeout=MEDIA_TIMEOUT_SECONDS, follow_redirects=True)
        response.raise_for_status()
    except httpx.HTTPStatusError as exc:
        status = exc.response.status_code
        if status < 500:
            raise ChannelError(f"media answered {status}", code=str(status)) from exc
        raise ChannelUnavailable(f"media answered {status}", code=str(status)) from exc
    except httpx.HTTPError as exc:
        raise ChannelUnavailable(f"media download failed: {type(exc).__name__}") from exc
    return response.content


class TelegramChannel:
    name = "telegram"
    capabilities = frozenset({Capability.BUTTONS, Capability.MEDIA})

    def __init__(
        self,
        settings: TelegramSettings,
        *,
        clock: Clock | None = None,
        load_media: Callable[[str], bytes] = download,
    ) -> None:
        """
        Args:
            settings: the bot token, the webhook secret, the business's number and the Bot API URL.
            clock: stamps updates received by polling (a webhook call passes its own time).
            load_media: the bytes of an outbound media URL; raises `ChannelError`.

        Raises:
            ConfigError: no bot token, or the business number is not a phone number.
        """
        self._token = settings.bot_token.get_secret_value()
        if not self._token:
            raise ConfigError("telegram.bot_token is not set")
        try:
            self._business_number = normalize_phone(settings.business_number)
        except InvalidPhone as exc:
            raise ConfigError("telegram.business_number is not a phone number") from exc
        self._secret = settings.secret_token.get_secret_value()
        self._clock = clock or SystemClock(UTC)
        self._load_media = load_media
        self._bot = Bot(
            self._token, base_url=f"{settings.api_url}/bot", base_file_url=f"{settings.api_url}/file/bot"
        )
        self._lock = threading.Lock()
        self._loop: _LoopThread | None = None

    # --- inbound ---------------------------------------------------------------------------------------

    def verify(self, request: ChannelRequest) -> None:
        """Telegram signs nothing: the secret token given to setWebhook, echoed in a header, is the proof.

        Raises:
            MissingSignature: no secret header.
            BadSignature: a wrong one, or none configured (then no webhook call can be trusted).
        """
        given = request.headers.get(SECRET_HEADER)
        if not given:
            raise MissingSignature("no X-Telegram-Bot-Api-Secret-Token header")
        if not self._secret or not hmac.compare_digest(given.encode(), self._secret.encode()):
            raise BadSignature("wrong X-Telegram-Bot-Api-Secret-Token")

    def parse(self, request: ChannelRequest, *, received_at: datetime) -> WebhookBatch:
        """The message in one webhook call (Telegram posts one Update per call).

        Raises:
            ValueError: the body is not a Telegram Update.
        """
        return self._batch(_update(request.body, self._bot), received_at)

    def _batch(self, update: Update, received_at: datetime) -> WebhookBatch:
        """One Update as the app sees it; webhook and polling both come through here."""
        message = update.message
        # An edited message (`update.edited_message`) is not a new one: acting on it again would make a
        # second bill or record a payment twice. Other update kinds are not asked for.
        if message is None or message.from_user is None:
            logger.debug("telegram: update %s carries no new message, ignored", update.update_id)
            return WebhookBatch()
        # A group is not a conversation with one customer, and replies there would be public.
        if message.chat.type != ChatType.PRIVATE:
            logger.info("telegram: update %s from a %s chat, ignored", update.update_id, message.chat.type)
            return WebhookBatch()
        return WebhookBatch(messages=[self._inbound(update.update_id, message, received_at)])

    def _inbound(self, update_id: int, message: Message, received_at: datetime) -> InboundMessage:
        audio = message.voice or message.audio
        file = message.document
        document = (
            Document(file.file_name or "document", file.mime_type, file.file_id) if file is not None else None
        )
        return InboundMessage(
            channel=self.name,
            # The update id, not the message id: unique per bot, and what Telegram redelivers.
            provider_message_id=str(update_id),
            sender=address(message.chat.id),
            recipient=self._business_number,
            text=message.text or message.caption or "",
            received_at=received_at,
            audio_ref=audio.file_id if audio else None,
            audio_mime_type=(audio.mime_type or DEFAULT_AUDIO_MIME_TYPE) if audio else None,
            profile_name=message.from_user.full_name if message.from_user else None,
            shared_phone=_own_phone(message),
            document=document,
            # Telegram sends each photo in several sizes, smallest first.
            image_ref=message.photo[-1].file_id if message.photo else None,
        )

    # --- outbound --------------------------------------------------------------------------------------

    def send(self, message: OutboundMessage) -> SendResult:
        """Text (split at 4,096 characters), then each file; the keyboard goes on the last message.

        A transient failure halfway through means the retry sends the first parts again.

        Raises:
            ChannelError: not a `tg:` recipient, nothing to send, or Telegram refused for good.
            ChannelUnavailable: Telegram (or our media URL) did not answer; `RateLimited` on 429.
        """
        chat = chat_id(message.recipient)
        if not message.text and not message.media:
            raise ChannelError("nothing to send: no text and no media")
        # Download every file before sending anything, so a missing file does not leave half a message.
        files = [(item, self._load_media(item.url)) for item in message.media]
        texts = split_text(message.text, MessageLimit.MAX_TEXT_LENGTH, units=utf16_units)
        caption = texts.pop() if files and len(texts) == 1 and _fits_caption(texts[0]) else None
        steps: list[Callable[[ReplyKeyboardMarkup | None], Message]] = [
            partial(self._send_text, chat, text) for text in texts
        ]
        steps += [
            partial(self._send_file, chat, item, content, caption if index == 0 else None)
            for index, (item, content) in enumerate(files)
        ]
        keyboard = _keyboard(message.buttons)
        sent = [step(keyboard if index == len(steps) - 1 else None) for index, step in enumerate(steps)]
        logger.info("telegram: sent %d message(s) to %s", len(sent), mask_phone(message.recipient))
        return SendResult(provider_message_id=str(sent[-1].message_id))

    def _send_text(self, chat: int, text: str, keyboard: ReplyKeyboardMarkup | None) -> Message:
        return self._call(lambda: self._bot.send_message(chat, text, reply_markup=keyboard))

    def _send_file(
        self,
        chat: int,
        item: Media,
        content: bytes,
        caption: str | None,
        keyboard: ReplyKeyboardMarkup | None,
    ) -> Message:
        """Images as photos (shown inline), everything else (invoice PDFs) as documents."""
        if item.mime_type in PHOTO_MIME_TYPES:
            return self._call(
                lambda: self._bot.send_photo(
                    chat, content, caption=caption, filename=item.filename, reply_markup=keyboard
                )
            )
        return self._call(
            lambda: self._bot.send_document(
                chat, content, caption=caption, filename=item.filename, reply_markup=keyboard
            )
        )

    def fetch_media(self, ref: str) -> bytes:
        """The bytes of a voice note or a document by its file id.

        Raises:
            ChannelError: unknown file id, or over the Bot API's 20 MB download limit.
            ChannelUnavailable: Telegram did not answer.
        """
        file = self._call(lambda: self._bot.get_file(ref))
        if file.file_size and file.file_size > FileSizeLimit.FILESIZE_DOWNLOAD:
            raise ChannelError(f"file of {file.file_size} bytes is over the 20 MB limit", code="too_big")
        return bytes(self._call(file.download_as_bytearray))

    # --- setup and polling -----------------------------------------------------------------------------

    def set_webhook(self, url: str) -> None:
        """Have Telegram post updates to `url`, with the secret token `verify` expects.

        Raises:
            ConfigError: no secret token configured.
            ChannelError: Telegram refused the URL (it must be HTTPS on port 443, 80, 88 or 8443).
        """
        if not self._secret:
            raise ConfigError("telegram.secret_token is needed for a webhook")
        self._call(
            lambda: self._bot.set_webhook(url, secret_token=self._secret, allowed_updates=ALLOWED_UPDATES)
        )
        logger.info("telegram: webhook set to %s", url)

    def poll(
        self,
        on_batch: Callable[[WebhookBatch], None],
        *,
        stop: threading.Event | None = None,
        long_poll_seconds: int = 30,
        retry_seconds: float = 5.0,
    ) -> None:
        """Fetch updates by long polling until `stop` is set, for running without a public URL.

        Any webhook is deleted first (Telegram refuses getUpdates while one is set). `on_batch` gets one
        batch per update; an update counts as handled once it returns, so if it raises, the exception
        ends polling and Telegram sends that update again next time. `stop` is seen between long polls,
        so within `long_poll_seconds`.

        Raises:
            ChannelError: Telegram refused for good (wrong token, another process polling).
        """
        stop = stop or threading.Event()
        self._call(self._bot.delete_webhook)
        logger.info("telegram: polling for updates")
        offset: int | None = None
        while not stop.is_set():
            try:
                updates = self._updates(offset, long_poll_seconds)
            except ChannelUnavailable as error:
                logger.warning("telegram: polling failed, retrying in %.1f s: %s", retry_seconds, error)
                stop.wait(retry_seconds)
                continue
            for update in updates:
                on_batch(self._batch(update, self._clock.now()))
                offset = update.update_id + 1
        if offset is not None:
            # Telegram forgets updates only when asked for later ones: confirm those handled.
            self._updates(offset, 0)

    def _updates(self, offset: int | None, long_poll_seconds: int) -> tuple[Update, ...]:
        return self._call(
            lambda: self._bot.get_updates(
                offset=offset, timeout=long_poll_seconds, allowed_updates=ALLOWED_UPDATES
            ),
            timeout=CALL_TIMEOUT_SECONDS + long_poll_seconds,
        )

    def close(self) -> None:
        """Close the Bot API connections and stop the event loop; a later call starts them again."""
        with self._lock:
            loop, self._loop = self._loop, None
        if loop is not None:
            loop.run(self._bot.shutdown(), CALL_TIMEOUT_SECONDS)
            loop.stop()

    # --- the event loop --------------------------------------------------------------------------------

    def _call(self, request: Callable[[], Awaitable[T]], *, timeout: float = CALL_TIMEOUT_SECONDS) -> T:
        """Run one Bot API call on the channel's loop and wait for it, with PTB's errors as ours.

        `request` makes the coroutine on the loop, after the bot is initialized, so a failed start never
        leaves a coroutine that was not awaited.
        """

        async def initialized() -> T:
            await self._bot.initialize()  # getMe on first use; nothing after
            return await request()

        try:
            return self._loop_thread().run(initialized(), timeout)
        except TelegramError as exc:
            raise self._channel_error(exc) from None  # PTB's own messages can hold the token
        except TimeoutError:
            raise ChannelUnavailable(f"Telegram did not answer within {timeout:.0f} s") from None

    def _loop_thread(self) -> _LoopThread:
        with self._lock:
            if self._loop is None:
                self._loop = _LoopThread()
            return self._loop

    def _channel_error(self, exc: TelegramError) -> ChannelError:
        """PTB's error as ours: transient for flood control and the network, permanent otherwise."""
        message = f"Telegram: {type(exc).__name__}: {str(exc).replace(self._token, '<token>')}"
        if isinstance(exc, RetryAfter):
            return RateLimited(message, code="429")
        if isinstance(exc, BadRequest):  # a NetworkError in PTB, but a wrong request will not improve
            return ChannelError(message, code="400")
        if isinstance(exc, NetworkError):  # timeouts, connection errors, 5xx
            return ChannelUnavailable(message)
        code = next((code for kind, code in _PERMANENT_CODES if isinstance(exc, kind)), None)
        return ChannelError(message, code=code)


class _LoopThread:
    """An asyncio loop running in a daemon thread, for synchronous callers of PTB's coroutines."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="telegram-loop", daemon=True)
        self._thread.start()

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float) -> T:
        """Raises: TimeoutError (the call is cancelled), or what the coroutine raised."""
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        try:
            return future.result(timeout)
        except TimeoutError:
            future.cancel()
            raise

    def stop(self) -> None:
        """Safe from any thread, including one running its own loop (an ASGI app shutting down)."""
        asyncio.run_coroutine_threadsafe(self._loop.shutdown_asyncgens(), self._loop).result(
            CALL_TIMEOUT_SECONDS
        )
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()


def _update(body: bytes, bot: Bot) -> Update:
    """Raises: ValueError: not JSON, or not an Update."""
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise ValueError("the body is not JSON") from exc
    if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
        raise ValueError("the body is not a Telegram update")
    try:
        return Update.de_json(data, bot)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ValueError("the body is not a Telegram update") from exc


def _own_phone(message: Message) -> str | None:
    """The sender's own number when they shared their contact; None for anyone else's contact card."""
    contact = message.contact
    if contact is None or message.from_user is None:
        return None
    if contact.user_id != message.from_user.id:
        logger.info("telegram: a contact card of someone else, not linked")
        return None
    # Telegram gives the number in international form, usually without the "+".
    try:
        phone = normalize_phone("+" + contact.phone_number.lstrip("+"))
    except InvalidPhone:
        logger.warning("telegram: a shared contact with an invalid phone number, not linked")
        return None
    logger.info("telegram: chat %s shared %s", mask_phone(address(message.chat.id)), mask_phone(phone))
    return phone


def _keyboard(buttons: tuple[Button, ...]) -> ReplyKeyboardMarkup | None:
    """One button per row: titles are sentences in Indian languages and need the width."""
    if not buttons:
        return None
    return ReplyKeyboardMarkup(
        [
            [KeyboardButton(button.title, request_contact=True if button.id == SHARE_CONTACT else None)]
            for button in buttons
        ],
        one_time_keyboard=True,
        resize_keyboard=True,
    )


def _fits_caption(text: str) -> bool:
    return utf16_units(text) <= MessageLimit.CAPTION_LENGTH
