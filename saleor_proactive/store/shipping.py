"""Shipping zones with their methods and per-channel listings (what thresholds are read from)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from .models import ShippingMethod, ShippingMethodListing, ShippingZone
from .snapshot_data import ShippingZoneData
from .upserts import upsert_if_newer


def upsert_shipping_zone(session: Session, installation_id: int, data: ShippingZoneData) -> bool:
    """Replace the zone with its methods and listings, unless a newer event was stored."""
    values = {
        "installation_id": installation_id,
        "zone_id": data.zone_id,
        "name": data.name,
        "countries": list(data.countries),
        "channel_slugs": list(data.channel_slugs),
        "deleted": data.deleted,
        "event_issued_at": data.issued_at,
    }
    keys = ("installation_id", "zone_id")
    row_id = upsert_if_newer(session, ShippingZone, keys, values, "event_issued_at")
    if row_id is None:
        return False
    session.execute(delete(ShippingMethod).where(ShippingMethod.shipping_zone_id == row_id))
    for method in () if data.deleted else data.methods:
        method_row = ShippingMethod(
            installation_id=installation_id,
            shipping_zone_id=row_id,
            method_id=method.method_id,
            name=method.name,
            type=method.type,
            listings=[
                ShippingMethodListing(installation_id=installation_id, **vars(listing))
                for listing in method.listings
            ],
        )
        session.add(method_row)
    session.flush()
    return True


def forget_missing_zones(
    session: Session, installation_id: int, present: Iterable[str], at: datetime
) -> None:
    """After a full sync: zones Saleor no longer lists become tombstones as of `at`."""
    session.execute(
        update(ShippingZone)
        .where(
            ShippingZone.installation_id == installation_id,
            ShippingZone.zone_id.not_in(list(present)),
            ShippingZone.event_issued_at < at,
        )
        .values(deleted=True, event_issued_at=at)
    )
