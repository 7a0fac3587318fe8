"""Plain values of what Saleor reported, parsed from webhooks or queries, ready to store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True)
class ChannelData:
    saleor_id: str
    slug: str
    name: str
    currency_code: str
    default_country: str | None


@dataclass(frozen=True)
class CheckoutLineData:
    variant_id: str
    product_id: str | None
    category_id: str | None
    quantity: int
    net: Decimal  # line total, pre-tax, catalogue promotions applied
    gross: Decimal
    undiscounted: Decimal  # line total before any discount


@dataclass(frozen=True)
class CheckoutData:
    checkout_id: str
    channel_slug: str
    currency: str
    updated_at: datetime
    lines: tuple[CheckoutLineData, ...]
    subtotal_net: Decimal
    subtotal_gross: Decimal
    total_gross: Decimal
    discount: Decimal
    shipping_country: str | None
    fully_paid: bool = False
    shipping_required: bool = True  # False: no line's product type needs shipping
    email: str | None = None  # the customer's, once given: the chat's context, reminders
    token: str | None = None
    language_code: str | None = None  # Saleor's LanguageCodeEnum, e.g. ES_ES
    metadata: dict[str, str] = field(default_factory=dict)  # public metadata

    @property
    def items_quantity(self) -> int:
        return sum(line.quantity for line in self.lines)


@dataclass(frozen=True)
class ProductPriceData:
    channel_slug: str
    currency: str
    gross: Decimal
    net: Decimal | None


@dataclass(frozen=True)
class ProductData:
    product_id: str
    name: str
    category_id: str | None
    updated_at: datetime
    prices: tuple[ProductPriceData, ...] = ()
    deleted: bool = False
    slug: str | None = None
    thumbnail_url: str | None = None
    # (attribute name, its values joined by ", "), in Saleor's order, for comparisons
    attributes: tuple[tuple[str, str], ...] = ()
    category_name: str | None = None


@dataclass(frozen=True)
class ShippingListingData:
    channel_slug: str
    currency: str
    price: Decimal | None
    minimum_order_price: Decimal | None
    maximum_order_price: Decimal | None


@dataclass(frozen=True)
class ShippingMethodData:
    method_id: str
    name: str
    type: str | None
    listings: tuple[ShippingListingData, ...] = ()


@dataclass(frozen=True)
class ShippingZoneData:
    zone_id: str
    issued_at: datetime
    name: str = ""
    countries: tuple[str, ...] = ()
    channel_slugs: tuple[str, ...] = ()
    methods: tuple[ShippingMethodData, ...] = field(default=())
    deleted: bool = False


@dataclass(frozen=True)
class OrderData:
    order_id: str
    checkout_id: str | None
    channel_slug: str
    total_gross: Decimal
    total_net: Decimal | None
    currency: str
    created_at: datetime
    issued_at: datetime
    voucher_code: str | None = None
    voucher_discount: Decimal | None = None  # what the voucher took off, order currency
