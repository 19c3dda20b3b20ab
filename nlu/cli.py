"""`tagada nlu`: parse one message, or evaluate the pipeline on a labelled file."""

from __future__ import annotations

import json
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot.clock import SystemClock
from nlu.message import TIMEZONE

if TYPE_CHECKING:
    from nlu.pipeline import Pipeline

app = typer.Typer(help="Understanding: parse a message, evaluate on labelled data.", no_args_is_help=True)


def _now(value: str | None) -> datetime:
    if value is None:
        return SystemClock(TIMEZONE).now()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"not an ISO date-time: {value!r}", param_hint="--now") from exc
    # A time without an offset is a time in India, as the contract's default clock is.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=TIMEZONE)


def _configured_pipeline() -> Pipeline:
    """The pipeline config.yml asks for (its encoder and cache directory)."""
    from bot.settings import load_settings
    from nlu.pipeline import load_pipeline

    settings = load_settings().nlu
    return load_pipeline(encoder=settings.encoder, cache_dir=settings.cache_dir)


@app.command()
def parse(
    text: Annotated[str, typer.Argument(help="The message, as the person wrote it.")],
    role: Annotated[str | None, typer.Option(help="Who wrote it: owner or customer.")] = None,
    now: Annotated[
        str | None, typer.Option(help="Reference time (ISO 8601) for relative dates; default now in India.")
    ] = None,
) -> None:
    """Print the contract's JSON parse result for TEXT."""
    result = _configured_pipeline().parse(text, role=role, now=_now(now))
    typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))


@app.command("test")
def test_command(
    file: Annotated[Path, typer.Argument(help="Rasa NLU YAML with labelled examples.", exists=True)],
    out: Annotated[Path | None, typer.Option(help="Also write the full results here as JSON.")] = None,
) -> None:
    """Evaluate on FILE: intent accuracy, macro-F1, per-language accuracy, per-entity P/R/F1."""
    from nlu.evaluate import evaluate, format_report
    from nlu.training import TrainingDataError, load_file

    try:
        examples = load_file(file)
    except TrainingDataError as exc:
        typer.echo(f"Cannot read {file}: {exc}", err=True)
        raise typer.Exit(2) from exc
    report = evaluate(_configured_pipeline(), examples)
    typer.echo(format_report(report))
    if out is not None:
        out.write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


@app.command()
def train(
    force: Annotated[bool, typer.Option(help="Train even when an artifact for this data exists.")] = False,
) -> None:
    """Build the NLU artifact for nlu/data (and the configured encoder) into the cache directory."""
    from bot.settings import load_settings
    from nlu.pipeline import DATA_DIR, build, default_cache_dir, load_encoder

    settings = load_settings().nlu
    cache_dir = settings.cache_dir or default_cache_dir()
    encoder = load_encoder(settings.encoder) if settings.encoder else None
    started = time.perf_counter()
    _, path = build(
        DATA_DIR, cache_dir=cache_dir, encoder_name=settings.encoder, encoder=encoder, force=force
    )
    typer.echo(f"NLU artifact {path} ready in {time.perf_counter() - started:.1f} s")
