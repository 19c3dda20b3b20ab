"""Queries on businesses and their staff. Never commits."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.errors import UnknownBusiness
from modules.business.models import Business, Role, Staff


def get_business(session: Session, business_id: uuid.UUID) -> Business:
    """Raises: UnknownBusiness."""
    business = session.get(Business, business_id)
    if business is None:
        raise UnknownBusiness(f"no business {business_id}", business_id=str(business_id))
    return business


def find_business_by_number(session: Session, whatsapp_number: str) -> Business | None:
    return session.scalars(select(Business).where(Business.whatsapp_number == whatsapp_number)).one_or_none()


def staff_role(session: Session, *, business_id: uuid.UUID, phone: str) -> Role | None:
    """The sender's role if the number is registered as owner or staff of this business."""
    return session.scalars(
        select(Staff.role).where(Staff.business_id == business_id, Staff.phone == phone)
    ).one_or_none()
