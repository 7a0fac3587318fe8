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


# Saleor names the channel it creates at setup so; the app page lists it first.
SALEOR_DEFAULT_CHANNEL = "default-channel"


@dataclass(frozen=True)
class CountryThreshold:
    """What Saleor's methods say for one shipping country of a channel, and what applies."""

    country: str
    from_saleor: Money | None
    effective: Money | None


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
    # every country the channel's shipping zones serve, the default country first
    countries: tuple[CountryThreshold, ...] = ()


def list_free_shipping_thresholds(
    session: Session, installation: Installation
) -> list[ChannelThreshold]:
    """Every channel, Saleor's default channel first, then by slug; each with its countries."""
    overrides = load_settings(installation).free_shipping_overrides
    channels = session.scalars(
        select(Channel).where(Channel.installation_id == installation.id).order_by(Channel.slug)
    ).all()
    served = _countries_by_channel(session, installation.id)
    result = []
    for channel in sorted(channels, key=lambda c: c.slug != SALEOR_DEFAULT_CHANNEL):
        overridden = channel.slug in overrides
        amount = overrides.get(channel.slug)
        override = None if amount is None else Money(amount, channel.currency_code)
        countries = []
        for country in _default_first(channel.default_country, served.get(channel.slug, set())):
            minimum = saleor_free_shipping_minimum(session, installation.id, channel.slug, country)
            from_saleor = None if minimum is None else Money(minimum, channel.currency_code)
            effective = override if overridden else from_saleor
            countries.append(CountryThreshold(country, from_saleor, effective))
        default = countries[0] if channel.default_country else None
        result.append(
            ChannelThreshold(
                channel_slug=channel.slug,
                channel_name=channel.name,
                currency=channel.currency_code,
                country=channel.default_country,
                from_saleor=default.from_saleor if default else None,
                override=override,
                disabled=overridden and amount is None,
                effective=override if overridden else (default.from_saleor if default else None),
                countries=tuple(countries),
            )
        )
    return result


def _countries_by_channel(session: Session, installation_id: int) -> dict[str, set[str]]:
    zones = session.execute(
        select(ShippingZone.countries, ShippingZone.channel_slugs).where(
            ShippingZone.installation_id == installation_id, ShippingZone.deleted.is_(False)
        )
    ).all()
    served: dict[str, set[str]] = {}
    for countries, channel_slugs in zones:
        for slug in channel_slugs:
            served.setdefault(slug, set()).update(countries)
    return served


def _default_first(default: str | None, countries: set[str]) -> list[str]:
    others = sorted(countries - {default} if default else countries)
    return [default, *others] if default else others
