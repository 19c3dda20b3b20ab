"""The background loop (APScheduler): every few seconds, whatever is due — messages a restart left
unanswered, promises and reminders and the owner's briefing (bot/jobs.py), outbox retries, undelivered
messages to report. It runs inside the server, or as its own process (`tagada worker`).

Its job is kept in the application's own database (the `scheduler_job` table), so a restarted process
picks up the schedule it left. Two processes may run it at once (the server and a worker, or two workers):
every job is safe to run twice, since what it sends is claimed by a unique row first (a reminder per
customer and day, a briefing per business and day, an outbox row per attempt).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from sqlalchemy.exc import SQLAlchemyError

from bot.settings import Settings

if TYPE_CHECKING:  # the gateway imports everything; migrations import this module for JOB_TABLE
    from bot.gateway import Gateway

logger = logging.getLogger(__name__)
JOB_TABLE = "scheduler_job"


def in_schema(object_: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """For Alembic: the job table is the scheduler's own making, not the schema's (nor its indexes)."""
    table = object_ if type_ == "table" else getattr(object_, "table", None)
    return getattr(table, "name", None) != JOB_TABLE


JOB_ID = "due-work"
# A stored job names its function by module path and is pickled: it cannot hold the gateway, so the one
# this process runs with is kept here when the loop starts.
_gateway: Gateway | None = None


def start_background_loop(gateway: Gateway, settings: Settings) -> BackgroundScheduler:
    """Started once the app is up; `shutdown()` it when the app stops. With the database unreachable at
    start the loop still runs (its job in memory), so the app comes up and reports the database down."""
    scheduler = BackgroundScheduler(timezone=settings.tz)
    _schedule(scheduler, gateway, settings, persistent=True)
    try:
        scheduler.start()
    except SQLAlchemyError:
        logger.exception("the scheduler's job table is out of reach; keeping its schedule in memory")
        scheduler = BackgroundScheduler(timezone=settings.tz)
        _schedule(scheduler, gateway, settings, persistent=False)
        scheduler.start()
    return scheduler


def run_worker(gateway: Gateway, settings: Settings) -> None:
    """Run the loop in this process until it is stopped (Ctrl-C, SIGTERM)."""
    scheduler = BlockingScheduler(timezone=settings.tz)
    _schedule(scheduler, gateway, settings, persistent=True)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        logger.info("worker stopping")


def _schedule(scheduler: BaseScheduler, gateway: Gateway, settings: Settings, *, persistent: bool) -> None:
    global _gateway
    _gateway = gateway
    if persistent:
        scheduler.add_jobstore(SQLAlchemyJobStore(engine=gateway.db.engine, tablename=JOB_TABLE), "default")
    scheduler.add_job(
        run_due_work,
        "interval",
        seconds=settings.scheduler.poll_seconds,
        id=JOB_ID,
        replace_existing=True,  # the stored one from the last run, with this run's interval
        max_instances=1,  # a slow round (a long retry) is not overtaken by the next
        coalesce=True,
        # At start, so what the last run left behind is answered at once. APScheduler runs on real time,
        # whatever the assistant's clock says (the simulator's can be moved ahead).
        next_run_time=datetime.now(settings.tz),
    )


def run_due_work() -> None:
    """One round of the loop. A stored job calls this by name."""
    if _gateway is None:
        logger.warning("a scheduled round ran before the loop started; skipped")
        return
    _run_due_jobs(_gateway)


def _run_due_jobs(gateway: Gateway) -> None:
    try:
        gateway.run_due_jobs()
    except Exception:  # the loop must survive one bad round (the database restarting, say)
        logger.exception("background round failed; the next one tries again")
