"""The background loop: started with the app, runs due work on an interval, survives a bad round."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from bot.cli import app as cli
from bot.db import Database
from bot.scheduler import JOB_TABLE, _run_due_jobs, start_background_loop
from bot.settings import load_settings
from tests.conftest import make_business


class Rounds:
    """Stands in for the gateway: counts rounds, and fails the first when told to."""

    def __init__(self, *, fail_first: bool, db: Database | None = None) -> None:
        self.rounds = 0
        self.fail_first = fail_first
        self.db = db

    def run_due_jobs(self) -> list[Any]:
        self.rounds += 1
        if self.fail_first and self.rounds == 1:
            raise RuntimeError("database restarting")
        return []


def test_a_failed_round_is_logged_and_the_loop_goes_on(caplog: pytest.LogCaptureFixture) -> None:
    gateway = Rounds(fail_first=True)
    _run_due_jobs(gateway)  # type: ignore[arg-type]
    _run_due_jobs(gateway)  # type: ignore[arg-type]
    assert gateway.rounds == 2
    assert "background round failed" in caplog.text


def test_the_loop_runs_due_work_every_poll_interval_from_a_job_kept_in_the_database(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "none.yml", environ={"TAGADA_SCHEDULER_POLL_SECONDS": "7"})
    db = Database(f"sqlite:///{tmp_path / 'jobs.db'}")
    gateway = Rounds(fail_first=False, db=db)
    scheduler = start_background_loop(gateway, settings)  # type: ignore[arg-type]
    try:
        job = scheduler.get_job("due-work")
        assert job.trigger.interval == timedelta(seconds=7)
        assert job.max_instances == 1
        with db.engine.connect() as connection:
            stored = connection.execute(text(f"SELECT id FROM {JOB_TABLE}")).scalars().all()
        assert stored == ["due-work"]
    finally:
        scheduler.shutdown(wait=True)
    # A restarted process takes the stored job over with its own settings, and it runs the rounds.
    settings = load_settings(tmp_path / "none.yml", environ={"TAGADA_SCHEDULER_POLL_SECONDS": "0.2"})
    scheduler = start_background_loop(gateway, settings)  # type: ignore[arg-type]
    try:
        deadline = time.monotonic() + 10
        while gateway.rounds < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert gateway.rounds >= 2
        assert scheduler.get_job("due-work").trigger.interval == timedelta(seconds=0.2)
    finally:
        scheduler.shutdown(wait=True)
        db.dispose()


def test_the_worker_runs_one_round_of_due_work_from_the_command_line(cli_database: Database) -> None:
    make_business(cli_database)
    cli_database.dispose()
    result = CliRunner().invoke(cli, ["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "Due work done:" in result.output
