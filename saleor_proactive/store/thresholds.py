"""Free-shipping thresholds as stored from Saleor's shipping zones, and the merchant's overrides.

"Free shipping over X" is a method of type PRICE whose channel price is 0 and whose
`minimumOrderPrice` is X, in a zone assigned to the channel that covers the shipping country.
The cart value it is compared with is `triggers.cart_value`'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..money import Money
from . import snapshots
from .merchant_settings import load_settings
from .models import (
    Channel,
    Installation,
    ShippingMethod,
    ShippingMethodListing,
    ShippingZone,
)

_ZERO = Decimal(0)


def saleor_free_shipping_minimum(
    session: Session, installation_id: int, channel_slug: str, country: str
) -> Decimal | None:
    """The lowest order value that ships free to `country` in the channel, per Saleor's data."""
    rows = session.execute(
        select(
            ShippingMethodListing.minimum_order_price,
            ShippingZone.countries,
            ShippingZone.channel_slugs,
        )
        .join(ShippingMethod, ShippingMethodListing.shipping_method_id == ShippingMethod.id)
        .join(ShippingZone, ShippingMethod.shipping_zone_id == ShippingZone.id)
        .where(
            ShippingMethodListing.installation_id == installation_id,
            ShippingMethodListing.channel_slug == channel_slug,
            ShippingMethodListing.price == 0,
            ShippingMethod.type == "PRICE",
            ShippingZone.deleted.is_(False),
        )
    ).all()
    minimums = [
        minimum if minimum is not None else _ZERO
        for minimum, countries, channels in rows
        if country in countries and channel_slug in channels
    ]
    return min(minimums, default=None)


def free_shipping_threshold(
    session: Session, installation: Installation, channel_slug: str, country: str | None
) -> Money | None:
    """The free-shipping threshold a visitor in the channel faces, or None when there is none.

    `country` is the checkout's shipping country; without one, the channel's default country
    (what Saleor would use once an address in that country is entered). A merchant override in
    the settings wins: an amount replaces Saleor's threshold, null disables the notice.
    """
    channel = snapshots.get_channel(session, installation.id, channel_slug)
    if channel is None:
        return None
    overrides = load_settings(installation).free_shipping_overrides
    if channel_slug in overrides:
        amount = overrides[channel_slug]
        return None if amount is None else Money(amount, channel.currency_code)
    country = country or channel.default_country
    if not country:
        return None
    minimum = saleor_free_shipping_minimum(session, installation.id, channel_slug, country)
    return None if minimum is None else Money(minimum, channel.currency_code)


@dataclass(frozen=True)
class ChannelThreshold:
    """One channel's free-shipping threshold, for the dashboard."""

    channel_slug: str
    channel_name: str
    currency: str
    country: str | None  # the channel's default country, for which `from_saleor` holds
    from_saleor: Money | None
    override: Money | None
    disabled: bool  # the merchant switched the notice off for this channel
    effective: Money | None


def list_free_shipping_thresholds(
    session: Session, installation: Installation
) -> list[ChannelThreshold]:
    overrides = load_settings(installation).free_shipping_overrides
    channels = session.scalars(
        select(Channel).where(Channel.installation_id == installation.id).order_by(Channel.slug)
    ).all()
    result = []
    for channel in channels:
        minimum = (
            saleor_free_shipping_minimum(
                session, installation.id, channel.slug, channel.default_country
            )
            if channel.default_country
            else None
        )
        from_saleor = None if minimum is None else Money(minimum, channel.currency_code)
        overridden = channel.slug in overrides
        amount = overrides.get(channel.slug)
        override = None if amount is None else Money(amount, channel.currency_code)
        result.append(
            ChannelThreshold(
                channel_slug=channel.slug,
                channel_name=channel.name,
                currency=channel.currency_code,
                country=channel.default_country,
                from_saleor=from_saleor,
                override=override,
                disabled=overridden and amount is None,
                effective=override if overridden else from_saleor,
            )
        )
    return result
