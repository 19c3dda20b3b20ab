"""The simulator API (shared/spec/simulator-api.md): seed, chat as anyone, read the outbox, move time.

Every route answers 404 while `simulator.enabled` is off.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, status
from pydantic import BaseModel, ConfigDict, Field, model_validator

from bot.api.deps import ClockDep, DatabaseDep, GatewayDep, SettingsDep
from bot.clock import SettableClock
from bot.gateway import SentReply
from bot.outbox import sent_to
from bot.phone import normalize_phone
from bot.settings import Settings
from connectors.channels.base import ChannelRequest
from connectors.channels.simulator import SimulatorChannel
from modules.business.models import Business
from modules.business.repository import find_business_by_number, get_business, list_businesses, owner_phones
from modules.business.service import NewBusiness, create_business
from modules.customers.models import Customer
from modules.customers.repository import list_customers
from modules.customers.service import NewCustomer, create_customer
from modules.invoicing.numbering import DEFAULT_SERIES
from modules.payments.transfer import BankAccount, account_of, bank_account

# A GST state is needed to tax an invoice; a seeded business with neither GSTIN nor state is in Maharashtra.
DEFAULT_STATE_CODE = "27"
MAX_TEXT = 65_536


def _enabled(settings: SettingsDep) -> None:
    if not settings.simulator.enabled:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "the simulator is off (simulator.enabled)")


router = APIRouter(prefix="/api/simulator", tags=["simulator"], dependencies=[Depends(_enabled)])


class BankAccountIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    holder: str = Field(min_length=1, max_length=120)
    number: str = Field(max_length=40)
    ifsc: str = Field(max_length=20)
    bank: str | None = Field(default=None, max_length=80)


class BusinessIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=120)
    whatsapp_number: str = Field(max_length=32)
    owner_phone: str = Field(max_length=32)
    owner_name: str = Field(default="", max_length=120)
    gstin: str | None = Field(default=None, max_length=20)
    state_code: str | None = Field(default=None, max_length=40)
    upi_vpa: str | None = Field(default=None, max_length=100)
    language: str | None = Field(default=None, max_length=10)
    invoice_prefix: str | None = Field(default=None, max_length=6)
    invoice_series: str | None = Field(default=None, max_length=40)
    bank_account: BankAccountIn | None = None  # where bank transfers go


class CustomerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200)
    phone: str = Field(max_length=32)
    gstin: str | None = Field(default=None, max_length=20)
    state_code: str | None = Field(default=None, max_length=40)
    language: str | None = Field(default=None, max_length=10)


class AudioIn(BaseModel):
    content_b64: str = Field(max_length=20_000_000)
    mime_type: str = Field(max_length=100)


class DocumentIn(BaseModel):
    content_b64: str = Field(max_length=20_000_000)
    mime_type: str | None = Field(default=None, max_length=100)
    filename: str = Field(default="document", min_length=1, max_length=200)


class ImageIn(BaseModel):
    """A photo (a payment screenshot): the simulator does not keep its bytes."""

    content_b64: str | None = Field(default=None, max_length=20_000_000)
    mime_type: str = Field(default="image/jpeg", max_length=100)


class MessageIn(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    sender: str = Field(alias="from", max_length=32)
    to: str = Field(max_length=32)
    text: str | None = Field(default=None, max_length=MAX_TEXT)
    audio: AudioIn | None = None
    document: DocumentIn | None = None  # a file sent as a document: an owner's bank statement
    image: ImageIn | None = None  # a photo: a customer's payment screenshot
    id: str | None = Field(default=None, min_length=1, max_length=128)
    button: str | None = Field(default=None, max_length=256)  # the id of a tapped quick reply

    @model_validator(mode="after")
    def _text_or_audio(self) -> MessageIn:
        if self.text is None and self.audio is None and self.document is None and self.image is None:
            raise ValueError("a message needs text, audio, a document or an image")
        return self


class ClockIn(BaseModel):
    now: datetime


@router.post("/businesses", status_code=status.HTTP_201_CREATED)
def seed_business(body: BusinessIn, db: DatabaseDep, settings: SettingsDep) -> dict[str, Any]:
    new = NewBusiness(
        display_name=body.name,
        whatsapp_number=body.whatsapp_number,
        owner_phone=body.owner_phone,
        owner_name=body.owner_name,
        gstin=body.gstin,
        state_code=body.state_code or (None if body.gstin else DEFAULT_STATE_CODE),
        upi_vpa=body.upi_vpa,
        language=body.language or settings.languages.default,
        invoice_prefix=body.invoice_prefix or "INV",
        invoice_series=body.invoice_series or DEFAULT_SERIES,
        bank_account=bank_account(**body.bank_account.model_dump()) if body.bank_account else None,
    )
    business = create_business(db, new)
    return _business_json(business, [normalize_phone(body.owner_phone)])


@router.get("/businesses")
def businesses(db: DatabaseDep) -> dict[str, Any]:
    with db.transaction() as session:
        return {
            "businesses": [
                _business_json(b, owner_phones(session, business_id=b.id)) for b in list_businesses(session)
            ]
        }


@router.post("/businesses/{business_id}/customers", status_code=status.HTTP_201_CREATED)
def seed_customer(business_id: uuid.UUID, body: CustomerIn, db: DatabaseDep) -> dict[str, Any]:
    new = NewCustomer(
        name=body.name,
        phones=[body.phone],
        gstin=body.gstin,
        state_code=body.state_code,
        language=body.language,
    )
    return _customer_json(create_customer(db, business_id=business_id, new=new))


@router.get("/businesses/{business_id}/customers")
def customers(business_id: uuid.UUID, db: DatabaseDep) -> dict[str, Any]:
    with db.transaction() as session:
        get_business(session, business_id)
        return {"customers": [_customer_json(c) for c in list_customers(session, business_id=business_id)]}


@router.post("/messages")
def message(body: MessageIn, gateway: GatewayDep, clock: ClockDep, db: DatabaseDep) -> dict[str, Any]:
    sender, to = normalize_phone(body.sender), normalize_phone(body.to)
    with db.transaction() as session:
        if find_business_by_number(session, to) is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"no business has the number {to}")
    raw = body.model_dump(by_alias=True, exclude_none=True) | {"from": sender, "to": to}
    channel = SimulatorChannel()
    try:
        (inbound,) = channel.parse(
            ChannelRequest(url="", headers={}, body=json.dumps(raw).encode()), received_at=clock.now()
        ).messages
    except ValueError as error:  # audio or a document that is not base64
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(error)) from error
    return {"replies": [_reply_json(r) for r in gateway.receive(inbound)]}


@router.get("/outbox")
def outbox(
    db: DatabaseDep,
    to: Annotated[str, Query(max_length=32)],
    settings: SettingsDep,
    since: Annotated[str | None, Query(max_length=40)] = None,
) -> dict[str, Any]:
    since_moment = _moment(since, settings) if since is not None else None
    with db.transaction() as session:
        rows = sent_to(
            session, channel=SimulatorChannel.name, recipient=normalize_phone(to), since=since_moment
        )
        return {"messages": [_reply_json(SentReply.of(r)) for r in rows]}


@router.get("/clock")
def read_clock(clock: ClockDep) -> dict[str, str]:
    return {"now": clock.now().isoformat()}


@router.post("/clock")
def set_clock(body: ClockIn, clock: ClockDep, gateway: GatewayDep, settings: SettingsDep) -> dict[str, Any]:
    if not isinstance(clock, SettableClock):
        raise HTTPException(status.HTTP_409_CONFLICT, "this server's clock is the system clock")
    if body.now.tzinfo is None:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "give the time with its offset (+05:30)")
    if body.now < clock.now():
        raise HTTPException(
            status.HTTP_409_CONFLICT, f"the clock only moves forward (now {clock.now().isoformat()})"
        )
    clock.set(body.now)
    sent = gateway.run_due_jobs(collections_now=True)
    return {"now": clock.now().astimezone(settings.tz).isoformat(), "sent": [_reply_json(r) for r in sent]}


def _moment(raw: str, settings: Settings) -> datetime:
    """An ISO time from a query string. A "+05:30" sent unencoded arrives as " 05:30": read it as meant;
    a time without an offset is in the configured timezone."""
    try:
        moment = datetime.fromisoformat(raw.strip().replace(" ", "+"))
    except ValueError as error:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, f"not an ISO time: {raw!r}") from error
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=settings.tz)


def _business_json(business: Business, owners: list[str]) -> dict[str, Any]:
    return {
        "id": str(business.id),
        "name": business.display_name,
        "whatsapp_number": business.whatsapp_number,
        "owner_phone": owners[0] if owners else None,
        "gstin": business.gstin,
        "state_code": business.state_code,
        "upi_vpa": business.upi_vpa,
        "bank_account": _account_json(account_of(business)),
        "language": business.default_language,
    }


def _account_json(account: BankAccount | None) -> dict[str, Any] | None:
    if account is None:
        return None
    return {"holder": account.holder, "number": account.number, "ifsc": account.ifsc, "bank": account.bank}


def _customer_json(customer: Customer) -> dict[str, Any]:
    return {
        "id": str(customer.id),
        "business_id": str(customer.business_id),
        "name": customer.name,
        "phone": customer.phone,
        "gstin": customer.gstin,
        "state_code": customer.state_code,
        "language": customer.language,
        "opted_out": customer.opted_out_at is not None,
    }


def _reply_json(reply: SentReply) -> dict[str, Any]:
    return {
        "id": str(reply.id),
        "to": reply.to,
        "text": reply.text,
        "media": reply.media,
        "buttons": reply.buttons,
        "status": reply.status,
        "sent_at": reply.sent_at.isoformat() if reply.sent_at else None,
    }
