"""The `tagada` command. Settings are built here, once, and handed to everything else."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from sqlalchemy.orm import Session

from bot.clock import SystemClock, today
from bot.db import Database
from bot.errors import ConfigError, TagadaError, UnknownBusiness
from bot.migrate import upgrade
from bot.settings import Settings, load_settings
from modules.business.models import Business
from nlu.cli import app as nlu_app

app = typer.Typer(
    help="Tagada: a WhatsApp-first assistant that gets Indian small businesses paid.", no_args_is_help=True
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")
invoices_app = typer.Typer(help="Invoices.", no_args_is_help=True)
app.add_typer(invoices_app, name="invoices")
bank_app = typer.Typer(help="Bank statements.", no_args_is_help=True)
app.add_typer(bank_app, name="bank")
business_app = typer.Typer(help="The business's own details.", no_args_is_help=True)
app.add_typer(business_app, name="business")
reminders_app = typer.Typer(help="Reminders to customers.", no_args_is_help=True)
app.add_typer(reminders_app, name="reminders")
app.add_typer(nlu_app, name="nlu")
logger = logging.getLogger("tagada")


def _settings() -> Settings:
    try:
        return load_settings()
    except ConfigError as exc:
        typer.echo(f"Configuration error: {exc}", err=True)
        raise typer.Exit(2) from exc


def _log_to_terminal() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # httpx logs each request's URL at INFO, and a Telegram Bot API URL carries the bot token; APScheduler
    # logs every round of the background loop (every few seconds) at INFO.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


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
    _log_to_terminal()
    database = _migrated_database(settings)
    logger.info(
        "database ready; serving on %s:%s", host or settings.server.host, port or settings.server.port
    )
    try:
        web_app = create_app(settings, database=database)
    except ConfigError as exc:  # a channel switched on without what it needs
        typer.echo(f"Configuration error: {exc}", err=True)
        raise typer.Exit(2) from exc
    uvicorn.run(web_app, host=host or settings.server.host, port=port or settings.server.port)


@app.command()
def worker(
    once: Annotated[
        bool, typer.Option("--once", help="One round of due work, then exit (for cron).")
    ] = False,
) -> None:
    """Run the scheduled work in its own process: reminders, promise follow-ups, the owner's briefing,
    message retries. The server runs the same loop unless `scheduler.enabled` is off; both at once is safe."""
    from bot.assistant import build_gateway
    from bot.clock import SystemClock
    from bot.scheduler import run_worker

    settings = _settings()
    _log_to_terminal()
    database = _migrated_database(settings)
    try:
        gateway = build_gateway(settings, database, SystemClock(settings.tz))
    except ConfigError as exc:
        typer.echo(f"Configuration error: {exc}", err=True)
        raise typer.Exit(2) from exc
    try:
        if once:
            sent = gateway.run_due_jobs()
            typer.echo(f"Due work done: {len(sent)} message(s) sent.")
        else:
            logger.info("worker running every %s s", settings.scheduler.poll_seconds)
            run_worker(gateway, settings)
    finally:
        gateway.close()
        database.dispose()


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


@app.command()
def telegram(
    polling: Annotated[
        bool, typer.Option("--polling", help="Fetch messages from Telegram (no public URL needed).")
    ] = False,
    set_webhook: Annotated[
        bool, typer.Option("--set-webhook", help="Point Telegram at server.public_url/webhooks/telegram.")
    ] = False,
) -> None:
    """Run the Telegram bot locally by long polling, or register its webhook (telegram.* in config.yml)."""
    from bot.assistant import build_gateway
    from bot.scheduler import start_background_loop
    from connectors.channels.base import WebhookBatch
    from connectors.channels.telegram import TelegramChannel

    settings = _settings()
    if not settings.telegram.enabled:
        typer.echo("Telegram is off: set telegram.enabled and TAGADA_TELEGRAM_BOT_TOKEN first.", err=True)
        raise typer.Exit(2)
    if polling == set_webhook:
        typer.echo("Choose one: --polling or --set-webhook.", err=True)
        raise typer.Exit(2)
    _log_to_terminal()
    database = _migrated_database(settings)
    try:
        gateway = build_gateway(settings, database, SystemClock(settings.tz))
    except ConfigError as exc:
        typer.echo(f"Configuration error: {exc}", err=True)
        raise typer.Exit(2) from exc
    channel = gateway.channels[TelegramChannel.name]
    assert isinstance(channel, TelegramChannel)
    try:
        if set_webhook:
            url = f"{settings.server.public_url.rstrip('/')}/webhooks/{TelegramChannel.name}"
            channel.set_webhook(url)
            typer.echo(f"Telegram will post updates to {url}")
            return

        def on_batch(batch: WebhookBatch) -> None:
            gateway.record_statuses(batch.statuses)
            for message in batch.messages:
                gateway.receive(message)

        loop = start_background_loop(gateway, settings)
        typer.echo("Polling Telegram; press Ctrl+C to stop.")
        try:
            channel.poll(on_batch)
        finally:
            # The round in progress (a briefing on its way through this channel) ends before the
            # channel closes under it.
            loop.shutdown(wait=True)
    finally:
        gateway.close()
        database.dispose()


@app.command()
def outbox(
    retry: Annotated[bool, typer.Option("--retry", help="Try every undelivered message again.")] = False,
) -> None:
    """List messages that could not be delivered (and why), or send them again."""
    from bot.outbox import retry_undelivered, undelivered

    settings = _settings()
    database = _migrated_database(settings)
    clock = SystemClock(settings.tz)
    try:
        with database.transaction() as session:
            if retry:
                count = retry_undelivered(session, now=clock.now())
                typer.echo(f"{count} message(s) queued again; the server sends them within seconds.")
                return
            rows = undelivered(session)
            for row in rows:
                typer.echo(
                    f"{row.created_at:%Y-%m-%d %H:%M}  {row.channel:<16} {row.recipient:<16} {row.last_error}"
                )
            typer.echo(f"{len(rows)} undelivered message(s).")
    finally:
        database.dispose()


@invoices_app.command("export")
def invoices_export(
    number: Annotated[
        str | None, typer.Option("--business", help="The business's WhatsApp number (default: the only one).")
    ] = None,
    start: Annotated[str | None, typer.Option("--from", help="First issue date, YYYY-MM-DD.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last issue date, YYYY-MM-DD.")] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="CSV file to write (default: the terminal).")
    ] = None,
) -> None:
    """Invoices as CSV for the accountant: a row per line with HSN, rate, taxes, totals and balance."""
    from modules.invoicing.export import export_invoices

    settings = _settings()
    database = _migrated_database(settings)
    try:
        with database.transaction() as session:
            business = _one_business(session, number)
            first, last = (date.fromisoformat(d) if d else None for d in (start, end))
            with out.open("w", encoding="utf-8", newline="") if out else nullcontext(sys.stdout) as stream:
                count = export_invoices(session, stream, business_id=business.id, start=first, end=last)
        if out is not None:
            typer.echo(f"{count} invoice(s) written to {out}.")
    except (TagadaError, ValueError) as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    finally:
        database.dispose()


@invoices_app.command("series")
def invoices_series(
    series: Annotated[
        str | None,
        typer.Argument(help='The new form, e.g. "{prefix}/{fy2}/{n:03}"; without it, show the current one.'),
    ] = None,
    prefix: Annotated[
        str | None, typer.Option("--prefix", help="A new prefix too (1-6 letters or digits).")
    ] = None,
    number: Annotated[
        str | None, typer.Option("--business", help="The business's WhatsApp number (default: the only one).")
    ] = None,
) -> None:
    """The form of invoice numbers: {prefix}, {fy} (2026-27), {fy2} (26-27) and {n} with a width ({n:04}),
    at most 16 characters (Rule 46). A change applies from the next invoice on; shows what it will be."""
    from modules.business.service import set_invoice_series
    from modules.invoicing.numbering import financial_year, upcoming_number

    settings = _settings()
    database = _migrated_database(settings)
    try:
        with database.transaction() as session:
            business = _one_business(session, number)
        if series is not None:
            business = set_invoice_series(database, business_id=business.id, series=series, prefix=prefix)
        zone = ZoneInfo(business.timezone)
        year = financial_year(today(SystemClock(zone), zone))
        with database.transaction() as session:
            upcoming = upcoming_number(
                session,
                business_id=business.id,
                series=business.invoice_series,
                prefix=business.invoice_prefix,
                year=year,
            )
    except TagadaError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    finally:
        database.dispose()
    form, prefix_now = business.invoice_series, business.invoice_prefix
    typer.echo(f"Series {form} (prefix {prefix_now}): the next invoice is {upcoming}.")


@business_app.command("bank")
def business_bank(
    account: Annotated[str | None, typer.Option("--account", help="Account number (9-18 digits).")] = None,
    ifsc: Annotated[str | None, typer.Option("--ifsc", help="The branch's IFSC, e.g. HDFC0001234.")] = None,
    holder: Annotated[
        str | None, typer.Option("--name", help="The name the account is in (default: the legal name).")
    ] = None,
    bank: Annotated[
        str | None, typer.Option("--bank", help='Shown to payers, e.g. "HDFC Bank, Pune".')
    ] = None,
    number: Annotated[
        str | None, typer.Option("--business", help="The business's WhatsApp number (default: the only one).")
    ] = None,
) -> None:
    """The bank account customers transfer to (NEFT/RTGS/IMPS): offered above UPI's limit and to customers
    who pay that way, shown on the payment page and printed on invoices. Without options, show it."""
    from modules.business.service import set_bank_account
    from modules.payments.transfer import account_of, bank_account

    settings = _settings()
    database = _migrated_database(settings)
    try:
        with database.transaction() as session:
            business = _one_business(session, number)
        if account is not None or ifsc is not None:
            if account is None or ifsc is None:
                typer.echo("Give both --account and --ifsc.", err=True)
                raise typer.Exit(2)
            given = bank_account(holder=holder or business.legal_name, number=account, ifsc=ifsc, bank=bank)
            business = set_bank_account(database, business_id=business.id, account=given)
    except TagadaError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    finally:
        database.dispose()
    current = account_of(business)
    if current is None:
        typer.echo("No bank account yet: customers are offered UPI only.")
        return
    at = f" at {current.bank}" if current.bank else ""
    typer.echo(f"Bank transfers go to {current.holder}, A/c {current.number}, IFSC {current.ifsc}{at}.")


@business_app.command("briefing")
def business_briefing(
    hour: Annotated[
        int | None, typer.Option("--hour", min=0, max=23, help="The hour (0-23, business timezone).")
    ] = None,
    number: Annotated[
        str | None, typer.Option("--business", help="The business's WhatsApp number (default: the only one).")
    ] = None,
) -> None:
    """When the owner's morning briefing goes (the day's money, reminders and top constraint)."""
    with _business_session(number) as (_, business):
        if hour is not None:
            business.briefing_hour = hour
        chosen = business.briefing_hour
    typer.echo(f"The morning briefing goes at {chosen:02d}:00.")


@reminders_app.command("report")
def reminders_report(
    number: Annotated[
        str | None, typer.Option("--business", help="The business's WhatsApp number (default: the only one).")
    ] = None,
) -> None:
    """What works in reminders: per wording (tone), language, channel, text or template and hour → how many
    went, were answered, got their bills paid, and how fast."""
    from modules.collections.effectiveness import reminder_results

    with _business_session(number) as (session, business):
        results = reminder_results(session, business_id=business.id, tz=ZoneInfo(business.timezone))
    typer.echo(
        f"{'wording':<26} {'lang':<7} {'channel':<15} {'sent as':<24} hour  sent  answered  paid  median days"
    )
    for r in results:
        v = r.variant
        typer.echo(
            f"{v.wording:<26} {v.language:<7} {v.channel:<15} {v.sent_as:<24} {v.hour:>4} {r.sent:>5}"
            f" {r.answered:>9} {r.paid:>5} {_days(r.median_time_to_pay):>12}"
        )


@invoices_app.command("variants")
def invoices_variants(
    number: Annotated[
        str | None, typer.Option("--business", help="The business's WhatsApp number (default: the only one).")
    ] = None,
) -> None:
    """How each way of sending invoices did: wording, language, channel, text or template → paid, how fast,
    disputed."""
    from modules.invoicing.performance import variant_results

    with _business_session(number) as (session, business):
        results = variant_results(session, business_id=business.id)
    typer.echo(
        f"{'wording':<28} {'lang':<7} {'channel':<15} {'sent as':<24} invoices  paid  median days  disputed"
    )
    for r in results:
        v = r.variant
        typer.echo(
            f"{v.wording:<28} {v.language:<7} {v.channel:<15} {v.sent_as:<24} {r.invoices:>8} {r.paid:>5}"
            f" {_days(r.median_time_to_pay):>12} {r.dispute_rate:>9.0%}"
        )


@bank_app.command("import")
def bank_import(
    file: Annotated[Path, typer.Argument(help="The statement as exported by net banking: CSV, TXT or XLSX.")],
    number: Annotated[
        str | None, typer.Option("--business", help="The business's WhatsApp number (default: the only one).")
    ] = None,
    columns: Annotated[
        str | None,
        typer.Option(
            "--columns",
            help="Another bank's layout, by its header names: \"date=Txn Date,narration=Particulars,"
            'credit=Deposits,debit=Withdrawals[,reference=Ref No,balance=Balance,date_format=%d-%m-%Y]"'
            " (or amount=...,indicator=... for one amount column with Cr/Dr).",
        ),
    ] = None,
) -> None:
    """Import a bank statement (HDFC, ICICI, SBI, Axis, Kotak, or another with --columns): new lines are
    stored, credits matched to open invoices; sure matches are recorded as payments, the rest listed for
    you. Importing the same statement again adds nothing."""
    from bot.i18n import format_inr
    from connectors.banks.statements import ColumnMapping
    from modules.payments.bank import import_statement

    settings = _settings()
    database = _migrated_database(settings)
    try:
        mapping = ColumnMapping(**_columns(columns)) if columns else None
        with database.transaction() as session:
            business_id = _one_business(session, number).id
        result = import_statement(
            database, business_id=business_id, data=file.read_bytes(), filename=file.name, mapping=mapping
        )
    except (TagadaError, OSError, TypeError) as exc:  # TypeError: a --columns field that is not one
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    finally:
        database.dispose()
    typer.echo(
        f"{result.bank.upper()} statement: {result.lines} lines, {result.new} new. Recorded"
        f" {len(result.applied)} payment(s); {len(result.asked)} to check; {len(result.unknown)} not matched."
    )
    for title, lines in (
        ("Recorded", result.applied),
        ("To check", result.asked),
        ("Not matched", result.unknown),
    ):
        if lines:
            typer.echo(f"{title}:")
        for line in lines:
            who = line.customer or "?"
            bills = ", ".join(line.invoices) or "-"
            amount = format_inr(line.amount_paise)
            typer.echo(f"  {line.day}  {amount:>12}  {who:<28} {bills:<34} {line.narration[:60]}")


def _columns(spec: str) -> dict[str, str]:
    """`date=Txn Date,credit=Deposits` → {"date": "Txn Date", "credit": "Deposits"}. Raises: TypeError."""
    pairs = [part.split("=", 1) for part in spec.split(",") if part.strip()]
    if any(len(pair) != 2 for pair in pairs):
        raise TypeError(f"--columns takes field=header pairs separated by commas, not {spec!r}")
    return {field.strip(): header.strip() for field, header in pairs}


@contextmanager
def _business_session(number: str | None) -> Iterator[tuple[Session, Business]]:
    """One command's unit of work on the business it names (or the only one); a TagadaError ends the
    command with its message and exit status 2."""
    settings = _settings()
    database = _migrated_database(settings)
    try:
        with database.transaction() as session:
            yield session, _one_business(session, number)
    except TagadaError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    finally:
        database.dispose()


def _days(wait: timedelta | None) -> str:
    return f"{wait.total_seconds() / 86400:.1f}" if wait else "-"


def _one_business(session: Session, number: str | None) -> Business:
    """The business named by its WhatsApp number, or the only one there is.

    Raises:
        UnknownBusiness: none named that way, or several and none named.
    """
    from bot.phone import normalize_phone
    from modules.business.repository import find_business_by_number, list_businesses

    candidates = list_businesses(session)
    if number is not None:
        found = find_business_by_number(session, normalize_phone(number))
        candidates = [found] if found is not None else []
    if len(candidates) != 1:
        raise UnknownBusiness("Name the business with --business +91... (its WhatsApp number).")
    return candidates[0]
