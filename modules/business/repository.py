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


def find_staff(session: Session, *, business_id: uuid.UUID, phone: str) -> Staff | None:
    return session.scalars(
        select(Staff).where(Staff.business_id == business_id, Staff.phone == phone)
    ).one_or_none()


def owner_phones(session: Session, *, business_id: uuid.UUID) -> list[str]:
    """Where news for the owner goes: every number registered as an owner, oldest first."""
    return list(
        session.scalars(
            select(Staff.phone)
            .where(Staff.business_id == business_id, Staff.role == Role.OWNER)
            .order_by(Staff.created_at)
        )
    )


def list_businesses(session: Session) -> list[Business]:
    return list(session.scalars(select(Business).order_by(Business.display_name)))
