"""The background loop in the server process (APScheduler): every few seconds, whatever is due — messages a
restart left unanswered, outbox retries, undelivered messages to report (later issues add their jobs)."""

from __future__ import annotations

import logging
from datetime import datetime

from apscheduler.schedulers.background import BackgroundScheduler

from bot.gateway import Gateway
from bot.settings import Settings

logger = logging.getLogger(__name__)


def start_background_loop(gateway: Gateway, settings: Settings) -> BackgroundScheduler:
    """Started once the app is up; `shutdown()` it when the app stops."""
    scheduler = BackgroundScheduler(timezone=settings.tz)
    scheduler.add_job(
        _run_due_jobs,
        "interval",
        args=(gateway,),
        seconds=settings.scheduler.poll_seconds,
        id="due-work",
        max_instances=1,  # a slow round (a long retry) is not overtaken by the next
        coalesce=True,
        # At start, so what the last run left behind is answered at once. APScheduler runs on real time,
        # whatever the assistant's clock says (the simulator's can be moved ahead).
        next_run_time=datetime.now(settings.tz),
    )
    scheduler.start()
    return scheduler


def _run_due_jobs(gateway: Gateway) -> None:
    try:
        gateway.run_due_jobs()
    except Exception:  # the loop must survive one bad round (the database restarting, say)
        logger.exception("background round failed; the next one tries again")
