"""The `tagada` command. Settings are built here, once, and handed to everything else."""

from __future__ import annotations

import logging
from datetime import date
from typing import Annotated

import typer

from bot.clock import SystemClock, today
from bot.db import Database
from bot.errors import ConfigError, TagadaError
from bot.migrate import upgrade
from bot.settings import Settings, load_settings
from nlu.cli import app as nlu_app

app = typer.Typer(
    help="Tagada: a WhatsApp-first assistant that gets Indian small businesses paid.", no_args_is_help=True
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(nlu_app, name="nlu")
logger = logging.getLogger("tagada")


def _settings() -> Settings:
    try:
        return load_settings()
    except ConfigError as exc:
        typer.echo(f"Configuration error: {exc}", err=True)
        raise typer.Exit(2) from exc


def _migrated_database(settings: Settings) -> Database:
    database = Database(settings.database.url, echo=settings.database.echo)
    upgrade(database)
    return database


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on (default: server.host).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default: server.port).")] = None,
) -> None:
    """Migrate the database, then serve the assistant over HTTP."""
    import uvicorn

    from bot.app import create_app

    settings = _settings()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    database = _migrated_database(settings)
    logger.info(
        "database ready; serving on %s:%s", host or settings.server.host, port or settings.server.port
    )
    uvicorn.run(
        create_app(settings, database=database),
        host=host or settings.server.host,
        port=port or settings.server.port,
    )


@app.command()
def chat(
    who: Annotated[str, typer.Option("--as", help="`owner`, or a customer's phone number.")] = "owner",
    number: Annotated[
        str | None,
        typer.Option("--business", help="The business's WhatsApp number (default: the first by name)."),
    ] = None,
) -> None:
    """Chat with the assistant in the terminal, as the owner or as a customer (the simulator channel)."""
    from bot.terminal import run_chat

    settings = _settings()
    database = _migrated_database(settings)
    try:
        run_chat(settings, database, who=who, business_number=number)
    except TagadaError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    finally:
        database.dispose()


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending migration."""
    settings = _settings()
    _migrated_database(settings).dispose()
    typer.echo("Database is up to date.")


@app.command()
def demo(
    seed: Annotated[int, typer.Option(help="Random seed: the same seed and day give the same data.")] = 42,
    on: Annotated[str | None, typer.Option("--today", help="Pretend today is this day (YYYY-MM-DD).")] = None,
) -> None:
    """Seed the demo business (a Pune cement trader) unless it is already there."""
    from bot.demo import seed_demo

    settings = _settings()
    database = _migrated_database(settings)
    day = date.fromisoformat(on) if on else today(SystemClock(settings.tz), settings.tz)
    summary = seed_demo(database, today=day, seed=seed)
    database.dispose()
    if summary is None:
        typer.echo("Demo business already present; nothing added.")
        return
    typer.echo(
        f"Demo business ready: {summary.customers} customers, {summary.invoices} invoices, "
        f"{summary.payments} payments, {summary.promises} promises, {summary.disputes} disputes."
    )
