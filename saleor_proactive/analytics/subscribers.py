"""Receivers of domain events for the analytics area (see saleor_proactive.domain_events)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ..domain_events import order_recorded
from ..store.models import Installation, OrderSnapshot
from .attribution import attribute_order


@order_recorded.connect
def credit_order(
    installation: Installation, *, session: Session, order: OrderSnapshot, **_: Any
) -> None:
    # Duplicate deliveries (`created=False`) go through too: attribution is idempotent, and a
    # retry may arrive after the visitor's checkout link did.
    attribute_order(session, installation, order)
