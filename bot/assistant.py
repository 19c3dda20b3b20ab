"""Wiring: the gateway with its channels, NLU, locales and dialogue manager, built once from settings."""

from __future__ import annotations

from bot.clock import Clock
from bot.db import Database
from bot.gateway import Gateway
from bot.i18n import default_locales
from bot.settings import Settings
from connectors.channels.base import Channel
from connectors.channels.simulator import SimulatorChannel
from dialogues.manager import DialogueManager
from dialogues.registry import build_registry
from nlu.pipeline import Pipeline, load_pipeline


def enabled_channels(settings: Settings) -> dict[str, Channel]:
    channels: dict[str, Channel] = {}
    if settings.simulator.enabled:
        channels[SimulatorChannel.name] = SimulatorChannel()
    return channels


def build_gateway(
    settings: Settings,
    db: Database,
    clock: Clock,
    *,
    nlu: Pipeline | None = None,
    channels: dict[str, Channel] | None = None,
) -> Gateway:
    pipeline = nlu or load_pipeline(encoder=settings.nlu.encoder, cache_dir=settings.nlu.cache_dir)
    return Gateway(
        settings=settings,
        db=db,
        clock=clock,
        nlu=pipeline,
        locales=default_locales(),
        manager=DialogueManager(build_registry(), pipeline),
        channels=enabled_channels(settings) if channels is None else channels,
    )
