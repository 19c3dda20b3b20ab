"""`tagada nlu`: parse one message, or evaluate the pipeline on a labelled file."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from bot.clock import SystemClock
from nlu.message import TIMEZONE

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


@app.command()
def parse(
    text: Annotated[str, typer.Argument(help="The message, as the person wrote it.")],
    role: Annotated[str | None, typer.Option(help="Who wrote it: owner or customer.")] = None,
    now: Annotated[
        str | None, typer.Option(help="Reference time (ISO 8601) for relative dates; default now in India.")
    ] = None,
) -> None:
    """Print the contract's JSON parse result for TEXT."""
    from nlu.pipeline import load_pipeline

    result = load_pipeline().parse(text, role=role, now=_now(now))
    typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))


@app.command("test")
def test_command(
    file: Annotated[Path, typer.Argument(help="Rasa NLU YAML with labelled examples.", exists=True)],
    out: Annotated[Path | None, typer.Option(help="Also write the full results here as JSON.")] = None,
) -> None:
    """Evaluate on FILE: intent accuracy, macro-F1, per-language accuracy, per-entity P/R/F1."""
    from nlu.evaluate import evaluate, format_report
    from nlu.pipeline import load_pipeline
    from nlu.training import TrainingDataError, load_file

    try:
        examples = load_file(file)
    except TrainingDataError as exc:
        typer.echo(f"Cannot read {file}: {exc}", err=True)
        raise typer.Exit(2) from exc
    report = evaluate(load_pipeline(), examples)
    typer.echo(format_report(report))
    if out is not None:
        out.write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
