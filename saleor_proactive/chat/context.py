"""What the staff see beside a conversation, from the app's own data: the trigger and message
that started it, the visitor's cart as Saleor last reported it, what they looked at, and how
they came (locale, device, channel)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..store.models import (
    ChatConversation,
    CheckoutSnapshot,
    Installation,
    ProductSnapshot,
    Trigger,
    Visitor,
)
from ..store.thresholds import free_shipping_threshold
from ..triggers.cart_value import cart_facts, threshold_for
from .service import opening_line

MAX_PRODUCTS = 20


@dataclass(frozen=True)
class CartLine:
    product_id: str | None
    product_name: str | None
    quantity: int
    total: Decimal


@dataclass(frozen=True)
class Cart:
    checkout_id: str
    email: str | None  # the checkout's, as Saleor last reported it
    currency: str
    value: Decimal
    lines: tuple[CartLine, ...]
    remaining_to_free_shipping: Decimal | None  # None: no free shipping in that channel


@dataclass(frozen=True)
class Product:
    product_id: str
    name: str | None


@dataclass(frozen=True)
class ConversationContext:
    trigger_id: str | None
    trigger_name: str | None
    opening_message: str | None
    channel: str
    locale: str | None
    device: str | None
    country: str | None
    page_url: str | None
    products_viewed: tuple[Product, ...]
    cart: Cart | None


def conversation_context(session: Session, conversation: ChatConversation) -> ConversationContext:
    iid = conversation.installation_id
    visitor = session.scalars(
        select(Visitor).where(
            Visitor.installation_id == iid, Visitor.visitor_id == conversation.visitor_id
        )
    ).first()
    trigger = session.get(Trigger, conversation.trigger_id) if conversation.trigger_id else None
    if trigger is not None and trigger.installation_id != iid:
        trigger = None
    viewed = list((visitor.products_viewed if visitor else [])[-MAX_PRODUCTS:])
    return ConversationContext(
        trigger_id=conversation.trigger_id,
        trigger_name=trigger.name if trigger else None,
        opening_message=(
            opening_line(session, iid, conversation.trigger_id, conversation.locale)
            if conversation.trigger_id
            else None
        ),
        channel=conversation.channel,
        locale=conversation.locale or (visitor.locale if visitor else None),
        device=visitor.device if visitor else None,
        country=visitor.country if visitor else None,
        page_url=visitor.page_url if visitor else None,
        products_viewed=tuple(Product(p, name) for p, name in _names(session, iid, viewed)),
        cart=_cart(session, iid, visitor.checkout_id if visitor else None),
    )


def _names(session: Session, installation_id: int, ids: list[str]) -> list[tuple[str, str | None]]:
    if not ids:
        return []
    rows = session.execute(
        select(ProductSnapshot.product_id, ProductSnapshot.name).where(
            ProductSnapshot.installation_id == installation_id,
            ProductSnapshot.product_id.in_(ids),
        )
    )
    known = {product_id: name for product_id, name in rows}
    return [(product_id, known.get(product_id)) for product_id in ids]


def _cart(session: Session, installation_id: int, checkout_id: str | None) -> Cart | None:
    if checkout_id is None:
        return None
    checkout = session.scalars(
        select(CheckoutSnapshot).where(
            CheckoutSnapshot.installation_id == installation_id,
            CheckoutSnapshot.checkout_id == checkout_id,
        )
    ).first()
    installation = session.get(Installation, installation_id)
    if checkout is None or installation is None:
        return None
    value = cart_facts(checkout).value
    threshold = threshold_for(
        checkout,
        free_shipping_threshold(
            session, installation, checkout.channel_slug, checkout.shipping_country
        ),
    )
    remaining = None
    if threshold is not None and threshold.currency == checkout.currency:
        remaining = max(threshold.amount - value, Decimal(0))
    ids = [str(line.get("productId")) for line in checkout.lines if line.get("productId")]
    names = dict(_names(session, installation_id, ids))
    lines = tuple(
        CartLine(
            product_id=line.get("productId"),
            product_name=names.get(str(line.get("productId"))),
            quantity=int(line.get("quantity", 0)),
            total=Decimal(str(line.get("gross", "0"))),
        )
        for line in checkout.lines
    )
    return Cart(checkout.checkout_id, checkout.email, checkout.currency, value, lines, remaining)
