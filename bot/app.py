"""The FastAPI application, assembled from settings that were built before it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool

from bot import web
from bot.api import errors, health, nlu, pay, simulator, webhooks
from bot.assistant import build_gateway
from bot.clock import Clock, SimulatorClock, SystemClock
from bot.db import Database
from bot.gateway import Gateway
from bot.scheduler import start_background_loop
from bot.settings import Settings


def create_app(
    settings: Settings, *, database: Database | None = None, clock: Clock | None = None
) -> FastAPI:
    """Wire the app. Nothing connects here: the engine opens connections on first use.

    Args:
        settings: built once at start-up by `load_settings`.
        database: a ready Database (tests pass theirs); default one for `settings.database.url`.
        clock: where "now" comes from; default the system clock in the configured timezone, or with
            the simulator on, a clock the simulator can move forward.
    """
    owns_database = database is None
    db = database or Database(settings.database.url, echo=settings.database.echo)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        gateway: Gateway = app.state.gateway
        loop = start_background_loop(gateway, settings) if settings.scheduler.enabled else None
        yield
        if loop is not None:
            loop.shutdown(wait=True)
        await run_in_threadpool(gateway.close)  # channels close their connections, blocking
        if owns_database:
            db.dispose()

    app = FastAPI(title="Tagada", version="0.1.0", lifespan=lifespan)
    app.state.settings = settings
    app.state.database = db
    app.state.clock = clock or (
        SimulatorClock(settings.tz) if settings.simulator.enabled else SystemClock(settings.tz)
    )
    app.state.gateway = build_gateway(settings, db, app.state.clock)
    app.state.nlu = app.state.gateway.nlu
    errors.install(app)
    app.include_router(health.router)
    app.include_router(nlu.router)
    app.include_router(pay.router)
    app.include_router(simulator.router)
    app.include_router(webhooks.router)
    app.include_router(web.router)
    return app
