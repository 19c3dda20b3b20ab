"""Liveness and readiness in one: the process answers and the database can be queried."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Response, status
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from bot.api.deps import ClockDep, DatabaseDep

logger = logging.getLogger(__name__)
router = APIRouter()


@router.get("/healthz")
def healthz(database: DatabaseDep, clock: ClockDep, response: Response) -> dict[str, str]:
    try:
        with database.transaction() as session:
            session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        logger.exception("health check: database unreachable")
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        return {"status": "unavailable", "database": "unreachable"}
    return {"status": "ok", "database": "ok", "now": clock.now().isoformat()}
