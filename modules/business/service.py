"""Creating a business (tenant) and registering the numbers allowed to run it."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from bot.db import Database
from bot.errors import DuplicatePhone, InvalidInput
from bot.phone import normalize_phone
from bot.validation import require_language, require_name, require_timezone
from modules.business.models import Business, Role, Staff
from modules.business.repository import find_business_by_number, get_business, staff_role
from modules.invoicing.gst import normalize_gstin, resolve_state_code
from modules.invoicing.numbering import DEFAULT_SERIES, validate_series
from modules.payments.transfer import BankAccount
from modules.payments.upi import normalize_vpa

_INVOICE_PREFIX = re.compile(r"^[A-Z0-9]{1,6}$")


@dataclass(frozen=True)
class NewBusiness:
    display_name: str
    whatsapp_number: str
    owner_phone: str
    legal_name: str | None = None
    gstin: str | None = None
    state_code: str | None = None  # taken from the GSTIN when there is one
    address: str = ""
    upi_vpa: str | None = None
    language: str = "hi-Latn"
    timezone: str = "Asia/Kolkata"
    invoice_prefix: str = "INV"
    invoice_series: str = DEFAULT_SERIES
    owner_name: str = ""
    bank_account: BankAccount | None = None  # validated by modules.payments.transfer.bank_account


def create_business(db: Database, new: NewBusiness) -> Business:
    """Register a business and its owner's number.

    Raises:
        InvalidInput (and subclasses): a malformed name, number, GSTIN, state code, VPA or language.
        DuplicatePhone: another business already uses that WhatsApp number.
    """
    name = require_name(new.display_name, "business name")
    gstin = normalize_gstin(new.gstin) if new.gstin else None
    state_code = resolve_state_code(gstin, new.state_code)
    prefix = _invoice_prefix(new.invoice_prefix)
    business = Business(
        display_name=name,
        legal_name=require_name(new.legal_name or name, "legal name"),
        gstin=gstin,
        state_code=state_code,
        address=new.address.strip(),
        upi_vpa=normalize_vpa(new.upi_vpa) if new.upi_vpa else None,
        whatsapp_number=normalize_phone(new.whatsapp_number),
        default_language=require_language(new.language),
        timezone=require_timezone(new.timezone),
        invoice_prefix=prefix,
        invoice_series=validate_series(new.invoice_series, prefix=prefix),
    )
    if new.bank_account is not None:
        _set_account(business, new.bank_account)
    owner_phone = normalize_phone(new.owner_phone)
    with db.transaction() as session:
        if find_business_by_number(session, business.whatsapp_number) is not None:
            raise DuplicatePhone(
                f"{business.whatsapp_number} is already a business's number", phone=business.whatsapp_number
            )
        session.add(business)
        session.flush()
        session.add(Staff(business_id=business.id, phone=owner_phone, name=new.owner_name, role=Role.OWNER))
    return business


def set_invoice_series(
    db: Database, *, business_id: uuid.UUID, series: str, prefix: str | None = None
) -> Business:
    """Change the form of the business's invoice numbers from the next one on; numbers already issued stay.

    Raises: UnknownBusiness; InvalidInput (the prefix), InvalidInvoice (the series).
    """
    with db.transaction() as session:
        business = get_business(session, business_id)
        chosen_prefix = _invoice_prefix(prefix) if prefix is not None else business.invoice_prefix
        business.invoice_series = validate_series(series, prefix=chosen_prefix)
        business.invoice_prefix = chosen_prefix
    return business


def set_bank_account(db: Database, *, business_id: uuid.UUID, account: BankAccount) -> Business:
    """Where bank transfers go from now on. Raises: UnknownBusiness."""
    with db.transaction() as session:
        business = get_business(session, business_id)
        _set_account(business, account)
    return business


def _set_account(business: Business, account: BankAccount) -> None:
    business.bank_account_name = account.holder
    business.bank_account_number = account.number
    business.bank_ifsc = account.ifsc
    business.bank_name = account.bank


def _invoice_prefix(raw: str) -> str:
    prefix = raw.strip().upper()
    if not _INVOICE_PREFIX.match(prefix):
        raise InvalidInput(f"invoice prefix {raw!r}: 1-6 letters or digits", field="invoice_prefix")
    return prefix


def add_staff(
    db: Database, *, business_id: uuid.UUID, phone: str, name: str = "", role: Role = Role.STAFF
) -> Staff:
    """Allow another number to give owner commands.

    Raises:
        UnknownBusiness, InvalidPhone, DuplicatePhone.
    """
    staff = Staff(business_id=business_id, phone=normalize_phone(phone), name=name.strip(), role=role)
    with db.transaction() as session:
        get_business(session, business_id)
        if staff_role(session, business_id=business_id, phone=staff.phone) is not None:
            raise DuplicatePhone(f"{staff.phone} is already registered", phone=staff.phone)
        session.add(staff)
    return staff
