"""What Saleor told us about a shop: channels, checkouts, products, shipping, orders.

Rows are keyed by (installation_id, Saleor id). Each keeps the version it was built from —
Saleor's `updatedAt` for checkouts and products, the event's `issuedAt` for shipping zones and
orders — so a late or duplicate delivery never overwrites a newer snapshot.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Money, UTCDateTime, utcnow

_INSTALLATION_FK = "installations.id"


def _installation_id() -> Mapped[int]:
    return mapped_column(ForeignKey(_INSTALLATION_FK, ondelete="CASCADE"), index=True)


class Channel(Base):
    __tablename__ = "channels"
    __table_args__ = (UniqueConstraint("installation_id", "slug"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    installation_id: Mapped[int] = _installation_id()
    saleor_id: Mapped[str] = mapped_column(String(128))
    slug: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(255))
    currency_code: Mapped[str] = mapped_column(String(3))
    default_country: Mapped[str | None] = mapped_column(String(2), nullable=True)
    synced_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CheckoutSnapshot(Base):
    __tablename__ = "checkout_snapshots"
    __table_args__ = (UniqueConstraint("installation_id", "checkout_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    installation_id: Mapped[int] = _installation_id()
    checkout_id: Mapped[str] = mapped_column(String(128))
    channel_slug: Mapped[str] = mapped_column(String(255))
    currency: Mapped[str] = mapped_column(String(3))
    # Amounts as Saleor reported them (TaxedMoney net/gross, after discounts).
    subtotal_net: Mapped[Decimal] = mapped_column(Money())
    subtotal_gross: Mapped[Decimal] = mapped_column(Money())
    total_gross: Mapped[Decimal] = mapped_column(Money())
    discount: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))
    items_quantity: Mapped[int] = mapped_column(Integer, default=0)
    shipping_country: Mapped[str | None] = mapped_column(String(2), nullable=True)
    # [{"variantId", "productId", "categoryId", "quantity", "net", "gross", "undiscounted"}]:
    # line totals as decimal strings; thresholds.cart_facts derives the cart value from them.
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    fully_paid: Mapped[bool] = mapped_column(Boolean, default=False)
    # Checkout.isShippingRequired: a cart that needs no shipping has no free shipping to reach.
    shipping_required: Mapped[bool] = mapped_column(Boolean, default=True)
    # Checkout.email, once given: staff see it beside the visitor's chat; reminders write to it.
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    # For reminders: the link back (`{token}`), the language to write in.
    token: Mapped[str | None] = mapped_column(String(64), nullable=True)
    language_code: Mapped[str | None] = mapped_column(String(35), nullable=True)
    # Public metadata (key → value), where a storefront records the visitor's consent.
    metadata_: Mapped[dict[str, str]] = mapped_column("metadata", JSON, default=dict)
    saleor_updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ProductSnapshot(Base):
    __tablename__ = "product_snapshots"
    __table_args__ = (UniqueConstraint("installation_id", "product_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    installation_id: Mapped[int] = _installation_id()
    product_id: Mapped[str] = mapped_column(String(128))
    name: Mapped[str] = mapped_column(String(255))
    category_id: Mapped[str | None] = mapped_column(String(128), nullable=True)
    # What a comparison shows besides name and price: the storefront's URL needs the slug.
    slug: Mapped[str | None] = mapped_column(String(255), nullable=True)
    thumbnail_url: Mapped[str | None] = mapped_column(String(2048), nullable=True)
    # [{"name": "Roast", "value": "Medium"}]: attribute names and their values as text
    attributes: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    # The category's name as of the product's last update: the app page's category picker
    category_name: Mapped[str | None] = mapped_column(String(255), nullable=True)
    # A deleted product stays as a tombstone so a late PRODUCT_UPDATED cannot revive it.
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    saleor_updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    prices: Mapped[list[ProductPrice]] = relationship(
        back_populates="product", cascade="all, delete-orphan", passive_deletes=True
    )


class ProductPrice(Base):
    """The product's starting price in one channel (`pricing.priceRange.start`)."""

    __tablename__ = "product_prices"
    __table_args__ = (UniqueConstraint("product_snapshot_id", "channel_slug"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    installation_id: Mapped[int] = _installation_id()
    product_snapshot_id: Mapped[int] = mapped_column(
        ForeignKey("product_snapshots.id", ondelete="CASCADE"), index=True
    )
    channel_slug: Mapped[str] = mapped_column(String(255))
    currency: Mapped[str] = mapped_column(String(3))
    gross: Mapped[Decimal] = mapped_column(Money())
    net: Mapped[Decimal | None] = mapped_column(Money(), nullable=True)
    product: Mapped[ProductSnapshot] = relationship(back_populates="prices")


class ShippingZone(Base):
    __tablename__ = "shipping_zones"
    __table_args__ = (UniqueConstraint("installation_id", "zone_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    installation_id: Mapped[int] = _installation_id()
    zone_id: Mapped[str] = mapped_column(String(128))
    name: Mapped[str] = mapped_column(String(255))
    countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    channel_slugs: Mapped[list[str]] = mapped_column(JSON, default=list)
    # A deleted zone stays as a tombstone so a late update cannot revive it.
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    event_issued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    methods: Mapped[list[ShippingMethod]] = relationship(
        back_populates="zone", cascade="all, delete-orphan", passive_deletes=True
    )


class ShippingMethod(Base):
    __tablename__ = "shipping_methods"
    __table_args__ = (UniqueConstraint("shipping_zone_id", "method_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    installation_id: Mapped[int] = _installation_id()
    shipping_zone_id: Mapped[int] = mapped_column(
        ForeignKey("shipping_zones.id", ondelete="CASCADE"), index=True
    )
    method_id: Mapped[str] = mapped_column(String(128))
    name: Mapped[str] = mapped_column(String(255))
    type: Mapped[str | None] = mapped_column(String(16), nullable=True)  # PRICE | WEIGHT
    zone: Mapped[ShippingZone] = relationship(back_populates="methods")
    listings: Mapped[list[ShippingMethodListing]] = relationship(
        back_populates="method", cascade="all, delete-orphan", passive_deletes=True
    )


class ShippingMethodListing(Base):
    """A method's price and order-value bounds in one channel."""

    __tablename__ = "shipping_method_listings"
    __table_args__ = (UniqueConstraint("shipping_method_id", "channel_slug"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    installation_id: Mapped[int] = _installation_id()
    shipping_method_id: Mapped[int] = mapped_column(
        ForeignKey("shipping_methods.id", ondelete="CASCADE"), index=True
    )
    channel_slug: Mapped[str] = mapped_column(String(255))
    currency: Mapped[str] = mapped_column(String(3))
    price: Mapped[Decimal | None] = mapped_column(Money(), nullable=True)
    minimum_order_price: Mapped[Decimal | None] = mapped_column(Money(), nullable=True)
    maximum_order_price: Mapped[Decimal | None] = mapped_column(Money(), nullable=True)
    method: Mapped[ShippingMethod] = relationship(back_populates="listings")


class OrderSnapshot(Base):
    __tablename__ = "order_snapshots"
    __table_args__ = (
        UniqueConstraint("installation_id", "order_id"),
        Index("ix_order_snapshots_checkout", "installation_id", "checkout_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    installation_id: Mapped[int] = _installation_id()
    order_id: Mapped[str] = mapped_column(String(128))
    checkout_id: Mapped[str | None] = mapped_column(String(128), nullable=True)
    channel_slug: Mapped[str] = mapped_column(String(255))
    total_amount: Mapped[Decimal] = mapped_column(Money())  # gross: what the customer paid
    total_net: Mapped[Decimal | None] = mapped_column(Money(), nullable=True)
    currency: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())  # Saleor's `created`
    voucher_code: Mapped[str | None] = mapped_column(String(128), nullable=True)
    voucher_discount: Mapped[Decimal | None] = mapped_column(Money(), nullable=True)
    event_issued_at: Mapped[datetime] = mapped_column(UTCDateTime())
