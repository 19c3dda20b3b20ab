"""`POST /model/parse`: the NLU over HTTP, in the shape of Rasa's HTTP API (shared/spec/nlu-contract.md)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, field_validator

from bot.api.deps import ClockDep
from nlu.message import TIMEZONE
from nlu.pipeline import Pipeline

router = APIRouter()
_LONE_SURROGATES = re.compile("[\ud800-\udfff]")


def get_nlu(request: Request) -> Pipeline:
    """The pipeline built once at start-up (`app.state.nlu = load_pipeline()`)."""
    pipeline: Pipeline = request.app.state.nlu
    return pipeline


NluDep = Annotated[Pipeline, Depends(get_nlu)]


class ParseRequest(BaseModel):
    text: str
    role: Literal["owner", "staff", "customer"] | None = None
    now: datetime | None = None

    @field_validator("text")
    @classmethod
    def _valid_unicode(cls, text: str) -> str:
        # JSON may carry lone surrogates ("\ud800"), which no response can echo back as UTF-8: each
        # becomes U+FFFD, one for one, so offsets into the echoed text stay right.
        return _LONE_SURROGATES.sub("\ufffd", text)

    @field_validator("now")
    @classmethod
    def _in_india_when_naive(cls, now: datetime | None) -> datetime | None:
        # A time without an offset means India's, like the default clock's.
        if now is not None and (now.tzinfo is None or now.utcoffset() is None):
            return now.replace(tzinfo=TIMEZONE)
        return now


@router.post("/model/parse")
def parse(body: ParseRequest, nlu: NluDep, clock: ClockDep) -> dict[str, Any]:
    """Intent, entities and language of one message. Any text gets a result (an empty or very long one
    too); a body that is not the contract's shape gets 422."""
    now = body.now if body.now is not None else clock.now()
    return nlu.parse(body.text, role=body.role, now=now).to_dict()
