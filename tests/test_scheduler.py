"""The background loop: started with the app, runs due work on an interval, survives a bad round."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.scheduler import _run_due_jobs, start_background_loop
from bot.settings import load_settings


class Rounds:
    """Stands in for the gateway: counts rounds, and fails the first when told to."""

    def __init__(self, *, fail_first: bool) -> None:
        self.rounds = 0
        self.fail_first = fail_first

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


def test_the_loop_runs_due_work_every_poll_interval(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "none.yml", environ={"TAGADA_SCHEDULER_POLL_SECONDS": "7"})
    scheduler = start_background_loop(Rounds(fail_first=False), settings)  # type: ignore[arg-type]
    try:
        job = scheduler.get_job("due-work")
        assert job.trigger.interval == timedelta(seconds=7)
        assert job.max_instances == 1
    finally:
        scheduler.shutdown(wait=True)
