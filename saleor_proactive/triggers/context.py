"""The engine's inputs and outputs: plain values, no I/O, no Flask, no SQLAlchemy.

The storefront API builds a `VisitorContext` and `StoreFacts` from the database; the dashboard's
simulator builds them from a described visitor; the engine turns them plus the rules into an
`Evaluation`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from ..money import Money


class Slot(StrEnum):
    BAR = "bar"
    BUBBLE = "bubble"


class ActionType(StrEnum):
    CHAT_PROMPT = "chat_prompt"
    FREE_SHIPPING_NOTICE = "free_shipping_notice"
    PRODUCT_COMPARISON = "product_comparison"
    OFFER = "offer"


SLOT_OF_ACTION = {
    ActionType.CHAT_PROMPT: Slot.BUBBLE,
    ActionType.FREE_SHIPPING_NOTICE: Slot.BAR,
    ActionType.PRODUCT_COMPARISON: Slot.BUBBLE,
    ActionType.OFFER: Slot.BUBBLE,
}


@dataclass(frozen=True)
class FrequencyState:
    """How often one trigger was shown to one visitor (counted at impression)."""

    shown_in_session: int = 0
    shown_today: int = 0
    shown_ever: int = 0
    last_shown_at: datetime | None = None


@dataclass(frozen=True)
class VisitorContext:
    """What the visitor is doing, as the storefront reported it (never cart amounts)."""

    visitor_id: str
    session_id: str
    channel: str
    now: datetime
    page_type: str | None = None
    url: str | None = None
    time_on_page: float = 0.0  # seconds, at `now`
    time_on_site: float = 0.0  # seconds since the session started, at `now`
    pages_viewed: int = 0  # in this session
    products_viewed: int = 0  # distinct, in this session
    categories_viewed: int = 0  # distinct, in this session
    # The current page's category: the category page's own, or the product's on a product page
    page_category_id: str | None = None
    viewed_product_ids: tuple[str, ...] = ()  # this session, most recent first
    viewed_category_ids: tuple[str, ...] = ()  # of those products (the catalogue's first)
    max_viewed_product_price: Decimal | None = None  # channel currency
    visit_count: int = 1  # sessions so far, this one included
    device: str | None = None  # "mobile" | "tablet" | "desktop"
    locale: str | None = None  # BCP 47 tag, e.g. "es-ES"
    country: str | None = None  # ISO 3166-1 alpha-2
    exit_intent: bool = False
    frequency: dict[str, FrequencyState] = field(default_factory=dict)  # by trigger id
    last_dismissed_at: datetime | None = None  # any trigger, store-wide quiet period
    # the merchant's own browser (a valid preview token): sees triggers in preview, no hold-out
    preview: bool = False

    @property
    def returning(self) -> bool:
        return self.visit_count > 1


@dataclass(frozen=True)
class CartFacts:
    """The checkout as Saleor reported it."""

    value: Decimal  # the pre-tax subtotal after vouchers: what free shipping compares
    items: int  # sum of line quantities
    currency: str
    product_ids: frozenset[str] = frozenset()  # the products of its lines


@dataclass(frozen=True)
class CatalogueProduct:
    """A viewed product as the catalogue knows it in this channel, for a comparison."""

    id: str
    name: str
    url: str | None  # from the merchant's `productUrlPattern`; None without it
    thumbnail: str | None
    price: Money  # the channel's starting price
    attributes: tuple[tuple[str, str], ...] = ()  # (name, value) in Saleor's order


@dataclass(frozen=True)
class StoreFacts:
    """What the store knows for this channel, from Saleor's data and the merchant's settings."""

    channel: str
    currency: str
    cart: CartFacts | None = None
    free_shipping_threshold: Money | None = None  # None: no free-shipping method applies
    quiet_period_minutes: int = 30  # after any dismissal, show nothing in the bubble slot
    # The products of `VisitorContext.viewed_product_ids` the catalogue lists in this channel,
    # most recent first; filled only when a comparison trigger may use them.
    viewed_products: tuple[CatalogueProduct, ...] = ()


@dataclass(frozen=True)
class Decision:
    """One action to send to the snippet (the storefront API adds the signed id)."""

    trigger_id: str
    type: ActionType
    slot: Slot
    show_after_ms: int
    message: str
    cta: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TriggerOutcome:
    """Why one trigger did or did not fire, for `simulate` and for control exposures."""

    trigger_id: str
    name: str
    fired: bool  # conditions held (now or after show_after_ms)
    shown: bool  # fired and chosen for its slot and not held out
    holdout: bool  # fired but the visitor is in this trigger's control group
    reasons: list[str] = field(default_factory=list)
    show_after_ms: int | None = None  # when fired and competing: ms until it would show


@dataclass(frozen=True)
class Evaluation:
    decisions: list[Decision]
    outcomes: list[TriggerOutcome]

    @property
    def control_exposures(self) -> list[TriggerOutcome]:
        return [o for o in self.outcomes if o.holdout]
