"""The sandbox's store data: plain dataclasses that the payload builders turn into Saleor shapes.

Money model (documented for the tests that depend on it):
- Catalogue prices are entered gross, with the channel's flat tax rate included (21 % in the
  EUR channel, 0 % in the USD channel where US sales tax is not modelled). `net = gross / (1 +
  rate)` rounded to cents, `tax = gross - net`.
- A line's `undiscountedTotalPrice` is catalogue price x quantity (the sandbox has no catalogue
  promotions); its `totalPrice` carries the checkout's voucher as Saleor 3.23 spreads it
  (`checkout_pricing.py`), and `discount` reports the voucher too. `subtotalPrice` is the sum of
  the lines' totals; no delivery method is chosen, so `totalPrice = subtotalPrice`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .ids import to_global_id

if TYPE_CHECKING:
    from .install import ExtensionSpec


@dataclass
class Channel:
    pk: int
    slug: str
    name: str
    currency: str
    default_country: str
    tax_rate: Decimal


@dataclass
class Category:
    pk: int
    name: str
    slug: str


@dataclass
class Product:
    pk: int
    name: str
    slug: str
    category_pk: int
    variant_pk: int
    # Gross catalogue price per channel slug; a product is listed only in these channels.
    prices: dict[str, Decimal]
    created: datetime
    updated_at: datetime
    # Its product type's `isShippingRequired`: False for digital goods and gift cards.
    requires_shipping: bool = True
    # (attribute name, values) in the product type's order, as `Product.attributes` lists them
    attributes: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass
class MethodListing:
    price: Decimal
    minimum_order_price: Decimal | None = None
    maximum_order_price: Decimal | None = None


@dataclass
class ShippingMethod:
    pk: int
    name: str
    type: str  # "PRICE" or "WEIGHT", as ShippingMethodTypeEnum
    listings: dict[str, MethodListing]


@dataclass
class ShippingZone:
    pk: int
    name: str
    countries: list[str]
    channel_slugs: list[str]
    methods: list[ShippingMethod]


@dataclass
class Line:
    variant_pk: int
    quantity: int
    pk: str = field(default_factory=lambda: str(uuid.uuid4()))
    # Order lines keep the price and name they were bought at; checkout lines follow the catalogue.
    unit_price: Decimal | None = None
    product_name: str | None = None


@dataclass(frozen=True)
class Voucher:
    """A fixed-amount voucher (Saleor's VoucherTypeEnum in `type`)."""

    code: str
    amount: Decimal
    type: str = "ENTIRE_ORDER"  # ENTIRE_ORDER | SPECIFIC_PRODUCT | SHIPPING
    apply_once_per_order: bool = False
    product_pks: frozenset[int] = frozenset()  # SPECIFIC_PRODUCT: the products it covers
    name: str | None = None
    # The API-made voucher (`VoucherRecord`) the code belongs to; None for a stand-in.
    voucher_pk: int | None = None

    @property
    def is_line_level(self) -> bool:
        """Saleor applies these to lines, not to the order as a whole."""
        return self.type == "SPECIFIC_PRODUCT" or (
            self.type == "ENTIRE_ORDER" and self.apply_once_per_order
        )


@dataclass
class VoucherCodeRecord:
    pk: int
    code: str
    created: datetime
    used: int = 0  # counted only for a voucher with a usage limit, as Saleor 3.23 does
    is_active: bool = True  # a single-use code is deactivated by the order that uses it


@dataclass
class VoucherRecord:
    """A voucher made through the API (`voucherCreate`), with its codes and channel values."""

    pk: int
    name: str
    type: str  # VoucherTypeEnum
    value_type: str  # DiscountValueTypeEnum: FIXED | PERCENTAGE
    single_use: bool
    codes: dict[str, VoucherCodeRecord] = field(default_factory=dict)
    # channel slug -> (discount value, minimum amount spent or None)
    channels: dict[str, tuple[Decimal, Decimal | None]] = field(default_factory=dict)
    end_date: datetime | None = None
    usage_limit: int | None = None  # uses of all its codes together


@dataclass
class Checkout:
    token: str
    channel_slug: str
    lines: list[Line]
    created: datetime
    updated_at: datetime
    country: str | None = None
    email: str | None = None
    voucher: Voucher | None = None
    fully_paid: bool = False
    language_code: str = "EN_US"  # Saleor's LanguageCodeEnum
    # Public metadata, as `updateMetadata` sets it (a storefront may, with the checkout's id).
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass
class Order:
    pk: str
    number: int
    checkout_token: str
    channel_slug: str
    lines: list[Line]
    discount: Decimal
    country: str | None
    email: str | None
    created: datetime
    voucher_code: str | None = None
    voucher_name: str | None = None


@dataclass
class Webhook:
    pk: int
    name: str
    target_url: str
    query: str
    events: list[str]
    is_active: bool = True


@dataclass
class App:
    pk: int
    identifier: str
    name: str
    version: str
    manifest: dict[str, Any]
    token: str
    permissions: list[str]
    webhooks: list[Webhook]
    app_url: str | None
    created: datetime
    extensions: list[ExtensionSpec] = field(default_factory=list)

    @property
    def global_id(self) -> str:
        return to_global_id("App", self.pk)


@dataclass
class Shop:
    """Everything one sandbox Saleor knows; guarded by the owner's lock."""

    channels: dict[str, Channel] = field(default_factory=dict)
    categories: dict[int, Category] = field(default_factory=dict)
    products: dict[int, Product] = field(default_factory=dict)
    zones: dict[int, ShippingZone] = field(default_factory=dict)
    checkouts: dict[str, Checkout] = field(default_factory=dict)
    orders: dict[str, Order] = field(default_factory=dict)
    apps: dict[int, App] = field(default_factory=dict)
    vouchers: dict[int, VoucherRecord] = field(default_factory=dict)
    # Seeded objects use small pks; later ones start at 1000. Apps count from 1, as in Saleor.
    counters: dict[str, int] = field(default_factory=lambda: {"App": 0})
    clock: datetime = field(default_factory=lambda: datetime.now(UTC))
    # Where thumbnails are served (Saleor's media URL); the server sets its own address.
    media_url: str = "https://media.sandbox.invalid"
    # Saleor's site setting `useLegacyUpdateWebhookEmission`: its migration adds it on, so a
    # fresh 3.23 shop has it; with it on, updateMetadata also fires the object's *_UPDATED.
    use_legacy_update_webhook_emission: bool = True

    def new_pk(self, kind: str = "object") -> int:
        self.counters[kind] = self.counters.get(kind, 1000) + 1
        return self.counters[kind]

    def now(self) -> datetime:
        """Wall-clock time that always moves forward, so `updatedAt` advances on every change."""
        current = datetime.now(UTC)
        self.clock = max(current, self.clock + timedelta(milliseconds=1))
        return self.clock

    def product_by_variant(self, variant_pk: int) -> Product | None:
        for product in self.products.values():
            if product.variant_pk == variant_pk:
                return product
        return None

    def method(self, method_pk: int) -> tuple[ShippingZone, ShippingMethod] | None:
        for zone in self.zones.values():
            for method in zone.methods:
                if method.pk == method_pk:
                    return zone, method
        return None
