"""Idempotent, order-safe upserts of what Saleor reported: channels, checkouts, products, orders.

Shipping zones live in `store/shipping.py` (re-exported here, the one import for callers); the
ON CONFLICT machinery in `store/upserts.py`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from .models import (
    Channel,
    CheckoutSnapshot,
    OrderSnapshot,
    ProductPrice,
    ProductSnapshot,
)
from .shipping import forget_missing_zones, upsert_shipping_zone
from .snapshot_data import (
    ChannelData,
    CheckoutData,
    CheckoutLineData,
    OrderData,
    ProductData,
)
from .upserts import insert_for, upsert_if_newer


def upsert_channels(
    session: Session, installation_id: int, channels: Iterable[ChannelData]
) -> None:
    """Replace the installation's channels with the ones Saleor lists now."""
    slugs = []
    for channel in channels:
        slugs.append(channel.slug)
        stmt = insert_for(session, Channel).values(
            installation_id=installation_id,
            saleor_id=channel.saleor_id,
            slug=channel.slug,
            name=channel.name,
            currency_code=channel.currency_code,
            default_country=channel.default_country,
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=["installation_id", "slug"],
            set_={
                name: stmt.excluded[name]
                for name in ("saleor_id", "name", "currency_code", "default_country")
            },
        )
        session.execute(stmt)
    stale = delete(Channel).where(
        Channel.installation_id == installation_id, Channel.slug.not_in(slugs)
    )
    session.execute(stale)


def has_channels(session: Session, installation_id: int) -> bool:
    found = session.scalar(
        select(Channel.id).where(Channel.installation_id == installation_id).limit(1)
    )
    return found is not None


def get_channel(session: Session, installation_id: int, slug: str) -> Channel | None:
    return session.scalar(
        select(Channel).where(Channel.installation_id == installation_id, Channel.slug == slug)
    )


def upsert_checkout(session: Session, installation_id: int, data: CheckoutData) -> bool:
    """Store the checkout unless a snapshot at least as new is stored; True when written."""
    values = {
        "installation_id": installation_id,
        "checkout_id": data.checkout_id,
        "channel_slug": data.channel_slug,
        "currency": data.currency,
        "subtotal_net": data.subtotal_net,
        "subtotal_gross": data.subtotal_gross,
        "total_gross": data.total_gross,
        "discount": data.discount,
        "items_quantity": data.items_quantity,
        "shipping_country": data.shipping_country,
        "lines": [_line_json(line) for line in data.lines],
        "fully_paid": data.fully_paid,
        "shipping_required": data.shipping_required,
        "email": data.email,
        "token": data.token,
        "language_code": data.language_code,
        "metadata": data.metadata,
        "saleor_updated_at": data.updated_at,
    }
    keys = ("installation_id", "checkout_id")
    written = upsert_if_newer(session, CheckoutSnapshot, keys, values, "saleor_updated_at")
    if written is None and data.fully_paid:
        # Payment does not always bump `updatedAt`; a paid checkout stays paid.
        session.execute(
            update(CheckoutSnapshot)
            .where(
                CheckoutSnapshot.installation_id == installation_id,
                CheckoutSnapshot.checkout_id == data.checkout_id,
            )
            .values(fully_paid=True)
        )
    return written is not None


def _line_json(line: CheckoutLineData) -> dict[str, Any]:
    return {
        "variantId": line.variant_id,
        "productId": line.product_id,
        "categoryId": line.category_id,
        "quantity": line.quantity,
        "net": str(line.net),
        "gross": str(line.gross),
        "undiscounted": str(line.undiscounted),
    }


def get_checkout(
    session: Session, installation_id: int, checkout_id: str, *, reload: bool = False
) -> CheckoutSnapshot | None:
    """The stored checkout; `reload` after an upsert, which bypasses the identity map."""
    query = select(CheckoutSnapshot).where(
        CheckoutSnapshot.installation_id == installation_id,
        CheckoutSnapshot.checkout_id == checkout_id,
    )
    if reload:
        query = query.execution_options(populate_existing=True)
    return session.scalar(query)


def upsert_product(session: Session, installation_id: int, data: ProductData) -> bool:
    values = {
        "installation_id": installation_id,
        "product_id": data.product_id,
        "name": data.name,
        "category_id": data.category_id,
        "slug": data.slug,
        "thumbnail_url": data.thumbnail_url,
        "attributes": [{"name": name, "value": value} for name, value in data.attributes],
        "category_name": data.category_name,
        "deleted": data.deleted,
        "saleor_updated_at": data.updated_at,
    }
    keys = ("installation_id", "product_id")
    # A deletion carries the product's last state; equal `updatedAt` must still let it win.
    row_id = upsert_if_newer(session, ProductSnapshot, keys, values, "saleor_updated_at")
    if row_id is None and data.deleted:
        row_id = session.scalar(
            update(ProductSnapshot)
            .where(
                ProductSnapshot.installation_id == installation_id,
                ProductSnapshot.product_id == data.product_id,
                ProductSnapshot.saleor_updated_at <= data.updated_at,
            )
            .values(deleted=True)
            .returning(ProductSnapshot.id)
        )
    if row_id is None:
        return False
    session.execute(delete(ProductPrice).where(ProductPrice.product_snapshot_id == row_id))
    if not data.deleted and data.prices:
        session.execute(
            insert_for(session, ProductPrice),
            [
                {
                    "installation_id": installation_id,
                    "product_snapshot_id": row_id,
                    "channel_slug": price.channel_slug,
                    "currency": price.currency,
                    "gross": price.gross,
                    "net": price.net,
                }
                for price in data.prices
            ],
        )
    return True


def get_product(session: Session, installation_id: int, product_id: str) -> ProductSnapshot | None:
    """The live product (None when unknown or deleted), with its prices per channel."""
    return session.scalar(
        select(ProductSnapshot).where(
            ProductSnapshot.installation_id == installation_id,
            ProductSnapshot.product_id == product_id,
            ProductSnapshot.deleted.is_(False),
        )
    )


def record_order(session: Session, installation_id: int, data: OrderData) -> OrderSnapshot | None:
    """Store the order once; None when it was already recorded (a duplicate delivery)."""
    stmt = (
        insert_for(session, OrderSnapshot)
        .values(
            installation_id=installation_id,
            order_id=data.order_id,
            checkout_id=data.checkout_id,
            channel_slug=data.channel_slug,
            total_amount=data.total_gross,
            total_net=data.total_net,
            currency=data.currency,
            created_at=data.created_at,
            voucher_code=data.voucher_code,
            voucher_discount=data.voucher_discount,
            event_issued_at=data.issued_at,
        )
        .on_conflict_do_nothing(index_elements=["installation_id", "order_id"])
        .returning(OrderSnapshot.id)
    )
    row_id = session.execute(stmt).scalar_one_or_none()
    return None if row_id is None else session.get(OrderSnapshot, row_id)


def get_order(session: Session, installation_id: int, order_id: str) -> OrderSnapshot | None:
    return session.scalar(
        select(OrderSnapshot).where(
            OrderSnapshot.installation_id == installation_id, OrderSnapshot.order_id == order_id
        )
    )


__all__ = [
    "forget_missing_zones",
    "get_channel",
    "get_checkout",
    "get_order",
    "get_product",
    "has_channels",
    "record_order",
    "upsert_channels",
    "upsert_checkout",
    "upsert_product",
    "upsert_shipping_zone",
]
