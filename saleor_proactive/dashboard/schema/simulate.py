"""`simulate`: what a described visitor would be shown right now, and why each trigger did not."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal

import strawberry
from strawberry.scalars import JSON

from ...rulebook import load_enabled_rules
from ...store.merchant_settings import load_settings
from ...store.snapshots import get_channel, get_checkout
from ...store.thresholds import free_shipping_threshold
from ...storefront.repository.reads import product_facts
from ...storefront.service import catalogue_products
from ...storefront.visitor_state import ProductFacts
from ...triggers.cart_value import cart_facts, threshold_for
from ...triggers.context import CartFacts, StoreFacts, VisitorContext
from ...triggers.engine import StoredRule, evaluate
from .common import FieldError, context_of, field_error
from .context import ApiContext

SIMULATED_VISITOR = "simulator"
VISITOR_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
MAX_SECONDS = 86_400.0
MAX_COUNT = 10_000


@strawberry.input(description="A visitor to simulate; amounts are in the channel's currency.")
class VisitorInput:
    channel: str
    visitor_id: str | None = strawberry.field(
        default=None,
        description="A storefront visitor id (`v_...`): hold-out groups are worked out for it.",
    )
    page_type: str | None = None
    url: str | None = None
    time_on_page: float = 0.0
    time_on_site: float = 0.0
    pages_viewed: int = 1
    products_viewed: int = 0
    categories_viewed: int = 0
    max_viewed_product_price: float | None = None
    cart_value: float | None = None
    cart_items: int | None = None
    checkout_id: str | None = None
    visit_count: int = 1
    returning: bool = False
    device: str | None = None
    locale: str | None = None
    country: str | None = None
    exit_intent: bool = False
    page_category_id: str | None = strawberry.field(
        default=None, description="The current page's category (a category or product page)"
    )
    viewed_product_ids: list[str] = strawberry.field(
        default_factory=list,
        description="Products viewed this session, most recent first; categories come from "
        "the catalogue",
    )
    cart_product_ids: list[str] = strawberry.field(
        default_factory=list, description="Products in the cart, without a checkout id"
    )


MAX_IDS = 100


@strawberry.type
class SimulatedAction:
    trigger_id: str
    type: str
    slot: str
    show_after_ms: int
    message: str
    cta: str | None
    data: JSON


@strawberry.type
class SimulatedOutcome:
    trigger_id: str
    name: str
    fired: bool
    shown: bool
    holdout: bool
    reasons: list[str]


@strawberry.type
class Simulation:
    actions: list[SimulatedAction]
    outcomes: list[SimulatedOutcome]
    errors: list[FieldError]


def _check(visitor: VisitorInput) -> FieldError | None:
    if visitor.visitor_id is not None and not VISITOR_ID.fullmatch(visitor.visitor_id):
        return field_error("visitor.visitor_id", "1 to 64 characters of A-Z a-z 0-9 _ -")
    for name in ("time_on_page", "time_on_site"):
        value = getattr(visitor, name)
        if not 0 <= value <= MAX_SECONDS:
            return field_error(f"visitor.{name}", f"must be 0 to {int(MAX_SECONDS)} seconds")
    for name in ("pages_viewed", "products_viewed", "categories_viewed", "visit_count"):
        if not 0 <= getattr(visitor, name) <= MAX_COUNT:
            return field_error(f"visitor.{name}", f"must be 0 to {MAX_COUNT}")
    for name in ("max_viewed_product_price", "cart_value"):
        value = getattr(visitor, name)
        if value is not None and not 0 <= value <= 1e12:
            return field_error(f"visitor.{name}", "must be a non-negative amount")
    if visitor.cart_items is not None and not 0 <= visitor.cart_items <= MAX_COUNT:
        return field_error("visitor.cart_items", f"must be 0 to {MAX_COUNT}")
    for name in ("viewed_product_ids", "cart_product_ids"):
        ids = getattr(visitor, name)
        if len(ids) > MAX_IDS or any(not 0 < len(i) <= 128 for i in ids):
            return field_error(f"visitor.{name}", f"at most {MAX_IDS} ids of 1 to 128 characters")
    if visitor.page_category_id is not None and not 0 < len(visitor.page_category_id) <= 128:
        return field_error("visitor.page_category_id", "must be 1 to 128 characters")
    return None


def _visitor_context(visitor: VisitorInput, known: dict[str, ProductFacts]) -> VisitorContext:
    price = visitor.max_viewed_product_price
    viewed = tuple(dict.fromkeys(visitor.viewed_product_ids))
    categories = (known[p].category_id for p in viewed if p in known)
    return VisitorContext(
        visitor_id=visitor.visitor_id or SIMULATED_VISITOR,
        session_id=SIMULATED_VISITOR,
        channel=visitor.channel,
        now=datetime.now(UTC),
        page_type=visitor.page_type,
        url=visitor.url,
        time_on_page=visitor.time_on_page,
        time_on_site=max(visitor.time_on_site, visitor.time_on_page),
        pages_viewed=visitor.pages_viewed,
        products_viewed=visitor.products_viewed,
        categories_viewed=visitor.categories_viewed,
        page_category_id=visitor.page_category_id,
        viewed_product_ids=viewed,
        viewed_category_ids=tuple(dict.fromkeys(c for c in categories if c)),
        max_viewed_product_price=Decimal(str(price)) if price is not None else None,
        visit_count=max(visitor.visit_count, 2) if visitor.returning else visitor.visit_count,
        device=visitor.device,
        locale=visitor.locale,
        country=visitor.country.upper() if visitor.country else None,
        exit_intent=visitor.exit_intent,
    )


def _store_facts(ctx: ApiContext, visitor: VisitorInput) -> StoreFacts | FieldError:
    installation = ctx.installation()
    channel = get_channel(ctx.session, ctx.installation_id, visitor.channel)
    if channel is None:
        return field_error("visitor.channel", "No such channel in this store.", "not_found")
    cart: CartFacts | None = None
    snapshot = None
    country = visitor.country.upper() if visitor.country else channel.default_country
    if visitor.checkout_id:
        snapshot = get_checkout(ctx.session, ctx.installation_id, visitor.checkout_id)
        if snapshot is None:
            return field_error("visitor.checkout_id", "No such checkout.", "not_found")
        cart = cart_facts(snapshot)
        country = snapshot.shipping_country or country
    elif visitor.cart_value is not None or visitor.cart_product_ids:
        value = Decimal(str(visitor.cart_value or 0))
        items = visitor.cart_items or max(1, len(visitor.cart_product_ids))
        products = frozenset(visitor.cart_product_ids)
        cart = CartFacts(value, items, channel.currency_code, products)
    threshold = threshold_for(
        snapshot, free_shipping_threshold(ctx.session, installation, channel.slug, country)
    )
    settings = load_settings(installation)
    viewed = list(dict.fromkeys(visitor.viewed_product_ids))
    return StoreFacts(
        channel=channel.slug,
        currency=channel.currency_code,
        cart=cart,
        free_shipping_threshold=threshold,
        quiet_period_minutes=settings.quiet_period_minutes,
        viewed_products=catalogue_products(
            viewed, _known(ctx, visitor), channel.currency_code, settings.product_url_pattern
        ),
    )


def _known(ctx: ApiContext, visitor: VisitorInput) -> dict[str, ProductFacts]:
    ids = list(dict.fromkeys(visitor.viewed_product_ids))
    connection = ctx.session.connection()
    return product_facts(connection, ctx.installation_id, visitor.channel, ids)


@strawberry.type
class SimulateQuery:
    @strawberry.field(description="What this visitor would see now (frequency caps start empty).")
    def simulate(self, info: strawberry.Info, visitor: VisitorInput) -> Simulation:
        ctx = context_of(info)
        problem = _check(visitor)
        facts = problem or _store_facts(ctx, visitor)
        if isinstance(facts, FieldError):
            return Simulation(actions=[], outcomes=[], errors=[facts])
        _, parsed = load_enabled_rules(ctx.session, ctx.installation_id)
        rules = [StoredRule(p.id, p.rule) for p in parsed]
        context = _visitor_context(visitor, _known(ctx, visitor))
        evaluation = evaluate(context, facts, rules)
        return Simulation(
            actions=[
                SimulatedAction(
                    trigger_id=d.trigger_id,
                    type=str(d.type),
                    slot=str(d.slot),
                    show_after_ms=d.show_after_ms,
                    message=d.message,
                    cta=d.cta,
                    data=JSON(d.data),
                )
                for d in evaluation.decisions
            ],
            outcomes=[
                SimulatedOutcome(
                    trigger_id=o.trigger_id,
                    name=o.name,
                    fired=o.fired,
                    shown=o.shown,
                    holdout=o.holdout,
                    reasons=list(o.reasons),
                )
                for o in evaluation.outcomes
            ],
            errors=[],
        )
