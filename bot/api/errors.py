"""Typed errors become clear HTTP answers: bad input 422, unknown things 404, clashes 409."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from bot.errors import Conflict, InvalidInput, NotFound, TagadaError, UnverifiedRequest

_STATUS: tuple[tuple[type[TagadaError], int], ...] = (
    (InvalidInput, 422),
    (NotFound, 404),
    (Conflict, 409),
    (UnverifiedRequest, 403),
)


def install(app: FastAPI) -> None:
    @app.exception_handler(TagadaError)
    async def _typed(_: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, TagadaError)
        status = next((code for cls, code in _STATUS if isinstance(error, cls)), 500)
        return JSONResponse({"detail": str(error), "key": error.key}, status_code=status)
