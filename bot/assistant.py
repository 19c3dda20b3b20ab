"""Wiring: the gateway with its channels, speech, NLU, locales and dialogue manager, built from settings."""

from __future__ import annotations

from bot.clock import Clock
from bot.db import Database
from bot.gateway import Gateway
from bot.i18n import default_locales
from bot.settings import Settings
from connectors.channels.base import Channel
from connectors.channels.meta_whatsapp import MetaWhatsAppChannel
from connectors.channels.simulator import SimulatorChannel
from connectors.channels.telegram import TelegramChannel
from connectors.channels.twilio_whatsapp import TwilioWhatsAppChannel
from connectors.speech.base import SpeechToText
from connectors.speech.whisper import WhisperSpeech
from dialogues.manager import DialogueManager
from dialogues.registry import build_registry
from nlu.pipeline import Pipeline, load_pipeline


def enabled_channels(settings: Settings) -> dict[str, Channel]:
    """Every channel switched on in config.yml, by name (its webhook path and config key)."""
    channels: dict[str, Channel] = {}
    if settings.simulator.enabled:
        channels[SimulatorChannel.name] = SimulatorChannel()
    if settings.twilio_whatsapp.enabled:
        callback = f"{settings.server.public_url.rstrip('/')}/webhooks/{TwilioWhatsAppChannel.name}"
        channels[TwilioWhatsAppChannel.name] = TwilioWhatsAppChannel(
            settings.twilio_whatsapp, status_callback_url=callback
        )
    if settings.meta_whatsapp.enabled:
        channels[MetaWhatsAppChannel.name] = MetaWhatsAppChannel(settings.meta_whatsapp)
    if settings.telegram.enabled:
        channels[TelegramChannel.name] = TelegramChannel(settings.telegram)
    return channels


def build_gateway(
    settings: Settings,
    db: Database,
    clock: Clock,
    *,
    nlu: Pipeline | None = None,
    channels: dict[str, Channel] | None = None,
    speech: SpeechToText | None = None,
) -> Gateway:
    pipeline = nlu or load_pipeline(encoder=settings.nlu.encoder, cache_dir=settings.nlu.cache_dir)
    if speech is None and settings.speech.enabled:
        speech = WhisperSpeech(settings.speech)  # loads its model at the first voice note
    return Gateway(
        settings=settings,
        db=db,
        clock=clock,
        nlu=pipeline,
        locales=default_locales(),
        manager=DialogueManager(build_registry(), pipeline),
        channels=enabled_channels(settings) if channels is None else channels,
        speech=speech,
    )
