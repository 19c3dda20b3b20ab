"""Errors become clear HTTP answers: malformed or bad input 422, unknown things 404, clashes 409, a webhook
without a signature 401 and with a wrong one 403."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from bot.errors import Conflict, InvalidInput, MissingSignature, NotFound, TagadaError, UnverifiedRequest

_STATUS: tuple[tuple[type[TagadaError], int], ...] = (
    (InvalidInput, 422),
    (NotFound, 404),
    (Conflict, 409),
    (MissingSignature, 401),
    (UnverifiedRequest, 403),
)


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _malformed(_: Request, error: Exception) -> JSONResponse:
        # What was wrong and where, without echoing the input: it may be huge, personal, or text no
        # encoder can write (a lone surrogate), which would turn a 422 into a 500.
        assert isinstance(error, RequestValidationError)
        problems = [
            {"loc": [str(part) for part in problem.get("loc", ())], "msg": str(problem.get("msg", ""))}
            for problem in error.errors()
        ]
        return JSONResponse({"detail": problems}, status_code=422)

    @app.exception_handler(TagadaError)
    async def _typed(_: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, TagadaError)
        status = next((code for cls, code in _STATUS if isinstance(error, cls)), 500)
        return JSONResponse({"detail": str(error), "key": error.key}, status_code=status)
