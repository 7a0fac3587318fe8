"""The visitor API's use case: events in, actions out (CONTRACT §3.2).

Per request: one read of the visitor row with its checkout snapshot (`repository.load_visitor`),
one write (the visitor row plus, when there are any, interactions and a checkout link);
settings, channels, rules, thresholds and product facts come from per-process caches
(`runtime.py`). Cart facts come only from Saleor's data.

A request carrying a valid preview token (`preview.py`) comes from the merchant's own browser:
it sees triggers in preview and is never held out, and none of its interactions is stored, so
preview traffic counts in no statistic and no hold-out comparison.

Cohort entry is recorded at decision time (`cohorts.py`): an `issued` interaction for a returned
action, a `control` one for a fired trigger the engine held out, once per visitor, trigger and
session, in the same insert as the batch's other interactions. Control consumes the frequency
allowance like an impression, so treatment and control visitors are offered the trigger equally
often; a treated visitor's allowance is consumed when the snippet reports the impression.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from ..errors import ApiError
from ..money import Money
from ..store.models import Installation
from ..triggers.cart_value import cart_facts, threshold_for
from ..triggers.comparison import product_url
from ..triggers.context import CatalogueProduct, StoreFacts, VisitorContext
from ..triggers.engine import evaluate
from . import cohorts, repository, visitor_state
from .repository import StoredCheckout
from .requests import ACTION_EVENTS, EventBatch
from .responses import action_json
from .runtime import Resolved, StorefrontRuntime
from .visitor_state import ActionEvent, Clock, Effects, ProductFacts, Visitor

logger = logging.getLogger(__name__)

ATTEMPTS = 5
_KIND_OF_EVENT = {
    "action_shown": "impression",
    "action_clicked": "click",
    "action_dismissed": "dismissal",
}


def handle_events(
    connection: Connection,
    runtime: StorefrontRuntime,
    store: Resolved,
    batch: EventBatch,
    now: datetime,
) -> list[dict[str, Any]]:
    """Apply the batch, decide, write. The first attempt takes no lock; one that lost a race
    with another request of the visitor (a second tab, a beacon) is redone holding the visitor
    from its read to its write (`repository.exclusively`), so it cannot lose again."""
    for attempt in range(ATTEMPTS):
        try:
            if attempt == 0:
                return _process(connection, runtime, store, batch, now)
            with repository.exclusively(connection):
                return _process(connection, runtime, store, batch, now, lock=True)
        except (repository.ConcurrentUpdate, IntegrityError):
            connection.rollback()
    raise ApiError(
        503,
        "busy",
        "This visitor is being updated by another request; retry.",
        headers={"Retry-After": "1"},
    )


def _process(
    connection: Connection,
    runtime: StorefrontRuntime,
    store: Resolved,
    batch: EventBatch,
    now: datetime,
    lock: bool = False,
) -> list[dict[str, Any]]:
    clock = Clock(now, batch.latest_ts)
    effects = Effects()
    read = repository.load_visitor(
        connection, store.installation_id, batch.visitor_id, batch.checkout_id or None, lock
    )
    visitor = read.visitor or visitor_state.new_visitor(store.installation_id, batch, clock)
    visitor_state.touch_session(visitor, batch, clock, effects)
    _apply_events(connection, runtime, store, batch, visitor, clock, effects)
    snapshot = _checkout(connection, runtime, store, visitor, read.checkout, effects)
    rules = runtime.rules(connection, store.view)
    context, facts = _inputs(connection, runtime, store, visitor, snapshot, now)
    if batch.preview is not None and runtime.previews.is_valid(
        store.installation_id, batch.preview
    ):
        context = replace(context, preview=True)
    if rules.compares_products and len(visitor.products_viewed) >= 2:
        viewed = _viewed_products(connection, runtime, store, visitor)
        facts = replace(facts, viewed_products=viewed)
    evaluation = evaluate(context, facts, rules, explain=False)  # reasons are for `simulate`
    cohorts.record_cohort_entries(visitor, evaluation, effects, now)
    if context.preview:
        effects.interactions.clear()  # the merchant testing: not a visitor to count
    linked_at = now if effects.checkout_linked else None
    repository.save(connection, visitor, effects.interactions, linked_at)
    return [
        action_json(runtime.signer, store.installation_id, visitor.visitor_id, d)
        for d in evaluation.decisions
    ]


def _apply_events(
    connection: Connection,
    runtime: StorefrontRuntime,
    store: Resolved,
    batch: EventBatch,
    visitor: Visitor,
    clock: Clock,
    effects: Effects,
) -> None:
    viewed = [e.product_id for e in batch.events if e.product_id]  # product and page views
    products = runtime.product_facts(connection, store.installation_id, store.channel.slug, viewed)
    patterns = store.settings.page_patterns
    for event in batch.events:
        at = clock.at(event.ts)
        if event.type == "page_view":
            page_product = products.get(event.product_id or "")
            visitor_state.apply_page_view(visitor, event, at, patterns, page_product)
        elif event.type == "product_view":
            facts = products.get(event.product_id or "")
            visitor_state.apply_product_view(visitor, event, facts, store.channel.currency)
        elif event.type == "cart_updated":
            effects.cart_updated_at = at
        elif event.type == "exit_intent":
            visitor.exit_intent = True
        elif event.type in ACTION_EVENTS and event.action_id:
            issued = runtime.signer.verify(
                store.installation_id, visitor.visitor_id, event.action_id
            )
            if issued is None:
                continue  # forged, another visitor's, or too old: not counted
            action = ActionEvent(
                _KIND_OF_EVENT[event.type], issued.trigger_id, event.action_id, issued.nonce, at
            )
            visitor_state.apply_action(visitor, action, effects)


def _checkout(
    connection: Connection,
    runtime: StorefrontRuntime,
    store: Resolved,
    visitor: Visitor,
    snapshot: StoredCheckout | None,
    effects: Effects,
) -> StoredCheckout | None:
    """The snapshot read with the visitor (of `visitor.checkout_id`), fresh from Saleor when
    the browser reported a cart change newer than it, in this batch or in an earlier one whose
    query was held back (`checkout_refresh_owed_at`, honoured on the next request)."""
    checkout_id = visitor.checkout_id
    if checkout_id is None:
        return None
    reported = _latest(effects.cart_updated_at, visitor.checkout_refresh_owed_at)
    stale = reported is not None and (snapshot is None or snapshot.received_at < reported)
    visitor.checkout_refresh_owed_at = reported if stale else None
    if stale and runtime.may_refresh(store.installation_id, checkout_id):
        refreshed = _refresh(runtime, store, checkout_id)
        if refreshed.answered:
            visitor.checkout_refresh_owed_at = None
        if refreshed.answered and not refreshed.found:
            runtime.remember_unknown_checkout(store.installation_id, checkout_id)
        snapshot = refreshed.snapshot or snapshot
    if snapshot is None or snapshot.channel_slug != store.channel.slug:
        return None  # a checkout of another channel says nothing about this one
    return snapshot


def _latest(*times: datetime | None) -> datetime | None:
    return max((t for t in times if t is not None), default=None)


@dataclass(frozen=True)
class _Refreshed:
    snapshot: StoredCheckout | None
    answered: bool = False  # Saleor answered, so nothing is owed any more
    found: bool = False  # Saleor has the checkout


def _refresh(runtime: StorefrontRuntime, store: Resolved, checkout_id: str) -> _Refreshed:
    """Saleor's checkout now, stored on its own, durable connection: Saleor's answer stands
    whatever becomes of the visitor's write, and that write's transaction stays unbegun."""
    try:
        with runtime.database.session() as session:
            installation = session.get(Installation, store.installation_id)
            if installation is None:
                return _Refreshed(None)
            fresh = runtime.fresh_checkouts.refresh(session, installation, checkout_id)
            stored = None if fresh.snapshot is None else repository.stored_checkout(fresh.snapshot)
            return _Refreshed(stored, fresh.answered, fresh.found)
    except Exception:  # Saleor slow or down, or the snapshot not stored: decide with what we have
        logger.warning("fresh checkout query failed for %s", checkout_id, exc_info=True)
        return _Refreshed(None)


def _inputs(
    connection: Connection,
    runtime: StorefrontRuntime,
    store: Resolved,
    visitor: Visitor,
    snapshot: StoredCheckout | None,
    now: datetime,
) -> tuple[VisitorContext, StoreFacts]:
    channel = store.channel
    country = (snapshot.shipping_country if snapshot else None) or channel.default_country
    visitor.country = country
    cart = cart_facts(snapshot) if snapshot is not None and not snapshot.fully_paid else None
    facts = StoreFacts(
        channel=channel.slug,
        currency=channel.currency,
        cart=cart,
        free_shipping_threshold=threshold_for(
            snapshot, runtime.threshold(connection, store.view, channel.slug, country)
        ),
        quiet_period_minutes=store.settings.quiet_period_minutes,
    )
    page_started = visitor.page_started_at or visitor.session_started_at
    context = VisitorContext(
        visitor_id=visitor.visitor_id,
        session_id=visitor.session_id,
        channel=channel.slug,
        now=now,
        page_type=visitor.page_type,
        url=visitor.page_url,
        time_on_page=max(0.0, (now - page_started).total_seconds()),
        time_on_site=max(0.0, (now - visitor.session_started_at).total_seconds()),
        pages_viewed=visitor.pages_in_session,
        products_viewed=len(visitor.products_viewed),
        categories_viewed=len(visitor.categories_viewed),
        page_category_id=visitor.page_category_id,
        viewed_product_ids=tuple(reversed(visitor.products_viewed)),
        viewed_category_ids=tuple(visitor.categories_viewed),
        max_viewed_product_price=visitor.max_viewed_product_price,
        visit_count=visitor.visit_count,
        device=visitor.device,
        locale=visitor.locale,
        country=country,
        exit_intent=visitor.exit_intent,
        frequency=visitor_state.frequency_states(visitor, now),
        last_dismissed_at=visitor.last_dismissed_at,
    )
    return context, facts


# A comparison shows at most 6; a few more cover products no longer listed in the channel.
COMPARISON_CANDIDATES = 12


def _viewed_products(
    connection: Connection, runtime: StorefrontRuntime, store: Resolved, visitor: Visitor
) -> tuple[CatalogueProduct, ...]:
    """The visitor's recently viewed products the catalogue lists in this channel, most recent
    first (unknown ids, deleted products and products of other channels left out)."""
    recent = list(reversed(visitor.products_viewed[-COMPARISON_CANDIDATES:]))
    channel = store.channel
    known = runtime.product_facts(connection, store.installation_id, channel.slug, recent)
    return catalogue_products(recent, known, channel.currency, store.settings.product_url_pattern)


def catalogue_products(
    product_ids: list[str], known: dict[str, ProductFacts], currency: str, pattern: str | None
) -> tuple[CatalogueProduct, ...]:
    """The products among `product_ids` (in their order) listed in the channel."""
    found = []
    for product_id in product_ids:
        facts = known.get(product_id)
        if facts is None or facts.price is None:
            continue
        found.append(
            CatalogueProduct(
                id=product_id,
                name=facts.name,
                url=product_url(pattern, product_id, facts.slug),
                thumbnail=facts.thumbnail_url,
                price=Money(facts.price, currency),
                attributes=facts.attributes,
            )
        )
    return tuple(found)
