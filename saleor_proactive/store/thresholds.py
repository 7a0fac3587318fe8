"""Cart value and free-shipping thresholds, computed the way Saleor decides free shipping.

Saleor offers a shipping method of type PRICE when the checkout's *base* subtotal — the lines at
catalogue prices (as entered, before tax calculation) after catalogue promotions, minus the
checkout `discount` (entire-order voucher or order promotion) — is at least the method's
`minimumOrderPrice` in the channel (inclusive). "Free shipping over X" is such a method whose
channel price is 0, in a zone assigned to the channel that covers the shipping country.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..saleor.client import SaleorClient, SaleorError
from ..triggers.context import CartFacts, Money
from . import snapshots
from .installations import app_token
from .merchant_settings import load_settings
from .models import (
    Channel,
    CheckoutSnapshot,
    Installation,
    ShippingMethod,
    ShippingMethodListing,
    ShippingZone,
)

logger = logging.getLogger(__name__)

_ZERO = Decimal(0)
# A visitor's request waits for this refresh; keep it short and fall back to the snapshot.
REFRESH_TIMEOUT = 3.0


def line_base_total(net: Decimal, gross: Decimal, undiscounted: Decimal) -> Decimal:
    """A line's total at catalogue price after promotions, before tax calculation.

    Saleor reports `undiscountedTotalPrice` as entered (no tax added or removed, no discount)
    and `totalPrice` as TaxedMoney after discounts. Prices are entered either gross or net, so
    the entered-and-discounted figure is whichever of `gross`/`net` is the largest not above
    the undiscounted one: gross for gross-entered prices (net would undercount by the tax),
    net for net-entered prices (gross would add tax that Saleor ignores). Without tax both
    agree. If neither fits (a price override above the listing), the undiscounted total is used.
    """
    fitting = [value for value in (gross, net) if value <= undiscounted]
    return max(fitting) if fitting else undiscounted


class CheckoutTotals(Protocol):
    """What the cart value is computed from: a stored snapshot, or the visitor API's subset."""

    @property
    def currency(self) -> str: ...
    @property
    def discount(self) -> Decimal: ...
    @property
    def items_quantity(self) -> int: ...
    @property
    def lines(self) -> list[dict[str, Any]]: ...


def cart_facts(checkout: CheckoutTotals) -> CartFacts:
    """The cart as free shipping sees it: the base subtotal minus the checkout discount.

    The checkout's `subtotalPrice` is not used: it is tax-calculated, and Saleor compares the
    pre-tax base. A product-specific voucher may already be inside a line's `totalPrice` and
    in `discount` too, so the value can be a little low for such vouchers — never high, so we
    never announce free shipping that Saleor would not give.
    """
    base = sum(
        (
            line_base_total(
                Decimal(line["net"]), Decimal(line["gross"]), Decimal(line["undiscounted"])
            )
            for line in checkout.lines
        ),
        start=_ZERO,
    )
    value = max(base - (checkout.discount or _ZERO), _ZERO)
    return CartFacts(value=value, items=checkout.items_quantity, currency=checkout.currency)


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


def refresh_checkout(
    session: Session,
    installation: Installation,
    checkout_id: str,
    secret: str,
    make_client: Any = None,
) -> CheckoutSnapshot | None:
    """Ask Saleor for the checkout now, store it (unless a newer one is stored) and return the
    stored snapshot. When Saleor cannot answer, the stored snapshot (or None) is returned: a
    visitor's page must not fail because Saleor is slow. The caller commits.
    """
    token = app_token(installation, secret)
    if make_client is None:
        client = SaleorClient(installation.saleor_api_url, token, timeout=REFRESH_TIMEOUT)
    else:
        client = make_client(installation.saleor_api_url, token)
    try:
        data = client.checkout(checkout_id)
    except SaleorError as exc:
        logger.info("checkout %s not refreshed: %s", checkout_id, exc)
        data = None
    if data is not None:
        snapshots.upsert_checkout(session, installation.id, data)
    return snapshots.get_checkout(session, installation.id, checkout_id, reload=True)
