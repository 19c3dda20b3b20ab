import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from bot.app import create_app
from bot.cli import app as cli
from bot.db import Database
from bot.settings import load_settings


def test_healthz_reports_the_database(db: Database, tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "none.yml", environ={})
    with TestClient(create_app(settings, database=db)) as client:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_healthz_is_503_when_the_database_is_gone(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "none.yml", environ={})
    broken = Database(f"sqlite:///{tmp_path / 'no-such-dir' / 'x.db'}")
    with TestClient(create_app(settings, database=broken)) as client:
        response = client.get("/healthz")
    assert response.status_code == 503


def test_cli_help_lists_the_commands() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for command in ("serve", "db", "demo"):
        assert command in result.output


def test_cli_migrates_and_seeds_a_fresh_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAGADA_CONFIG", str(tmp_path / "none.yml"))
    monkeypatch.setenv("TAGADA_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    runner = CliRunner()
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    first = runner.invoke(cli, ["demo", "--today", "2026-11-28"])
    assert first.exit_code == 0 and "200 invoices" in first.output
    again = runner.invoke(cli, ["demo"])
    assert again.exit_code == 0 and "already present" in again.output
    export = runner.invoke(cli, ["invoices", "export", "--out", str(tmp_path / "invoices.csv")])
    assert export.exit_code == 0 and "invoice(s) written" in export.output  # the demo business: the only one
    assert (tmp_path / "invoices.csv").read_text().startswith("invoice_number,invoice_date,")
    variants = runner.invoke(cli, ["invoices", "variants"])
    assert variants.exit_code == 0 and variants.output.startswith("wording")
    stranger = runner.invoke(cli, ["invoices", "export", "--business", "+919999999999"])
    assert stranger.exit_code == 2 and "--business" in stranger.output


def test_cli_shows_and_changes_the_invoice_series(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAGADA_CONFIG", str(tmp_path / "none.yml"))
    monkeypatch.setenv("TAGADA_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    runner = CliRunner()
    assert runner.invoke(cli, ["demo", "--today", "2026-11-28"]).exit_code == 0
    shown = runner.invoke(cli, ["invoices", "series"])
    assert shown.exit_code == 0, shown.output
    assert re.match(
        r"Series \{prefix\}-\{fy\}-\{n:04\} \(prefix INV\): the next invoice is INV-\d{4}-\d\d-\d{4}\.",
        shown.output,
    )
    changed = runner.invoke(cli, ["invoices", "series", "{prefix}/{fy2}/{n:03}", "--prefix", "gc"])
    assert changed.exit_code == 0, changed.output
    assert re.search(r"the next invoice is GC/\d\d-\d\d/\d{3}\.$", changed.output.strip())
    too_long = runner.invoke(cli, ["invoices", "series", "{prefix}-{fy}-{fy}-{n:04}"])
    assert too_long.exit_code == 2 and "up to 16" in too_long.output
    assert "GC/" in runner.invoke(cli, ["invoices", "series"]).output  # the refused one changed nothing


def test_cli_reports_bad_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAGADA_CONFIG", str(tmp_path / "none.yml"))
    monkeypatch.setenv("TAGADA_ENVIRONMENT", "production")
    result = CliRunner().invoke(cli, ["db", "upgrade"])
    assert result.exit_code == 2
    assert "TAGADA_SECRET_KEY" in result.output


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_starts_a_throwaway_instance(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "TAGADA_CONFIG": str(tmp_path / "none.yml"),
        "TAGADA_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
        "TAGADA_SIMULATOR_ENABLED": "1",
    }
    log = tmp_path / "serve.log"
    with (
        log.open("wb") as output,
        subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        ) as server,
    ):
        try:
            _wait_for_health(port, tmp_path, log)
        finally:
            server.terminate()
            server.wait(timeout=10)


def _wait_for_health(port: int, tmp_path: Path, log: Path) -> None:
    body = None
    for _ in range(100):  # bounded: about 20 s at most
        try:
            body = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).json()
            break
        except httpx.TransportError:
            time.sleep(0.2)
    assert body is not None and body["database"] == "ok", log.read_text()
    assert (tmp_path / "serve.db").exists()  # migrated before serving
