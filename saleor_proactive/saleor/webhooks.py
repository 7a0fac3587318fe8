"""The webhook registry: each webhook is declared once, here.

The manifest's `webhooks`, the route `POST /api/webhooks/<name>` and the handler dispatch are all
derived from `WEBHOOKS`; the event names are checked against Saleor's schema in a test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from .. import domain_events
from ..store import snapshots
from ..store.installations import delete_installation
from ..store.models import Installation
from ..store.snapshot_data import ShippingZoneData
from . import documents
from .payloads import (
    ID_CHARS,
    field,
    optional_text,
    parse_checkout,
    parse_order,
    parse_product,
    parse_shipping_zone,
    parse_variant_prices,
    text,
    timestamp,
)

# Saleor's clock (`issuedAt`) and ours (`created_at`) may differ by this much.
APP_DELETED_CLOCK_SKEW = timedelta(seconds=60)


class Outcome(StrEnum):
    STORED = "stored"
    IGNORED = "ignored"  # a duplicate, an older snapshot, or nothing to store
    UNINSTALLED = "uninstalled"


@dataclass(frozen=True)
class WebhookEvent:
    """A verified delivery: the event object of the subscription and its type name."""

    session: Session
    installation: Installation
    typename: str  # e.g. "CheckoutUpdated"
    payload: dict[str, Any]

    @property
    def issued_at(self) -> datetime:
        return timestamp(self.payload, "issuedAt")


Handler = Callable[[WebhookEvent], Outcome]


@dataclass(frozen=True)
class WebhookDefinition:
    name: str
    events: tuple[str, ...]  # WebhookEventTypeAsyncEnum names, e.g. "CHECKOUT_UPDATED"
    handler: Handler

    @property
    def query(self) -> str:
        return documents.webhook_document(self.name)

    @property
    def typenames(self) -> frozenset[str]:
        """The `__typename` of each event's payload (`CHECKOUT_UPDATED` → `CheckoutUpdated`)."""
        return frozenset(event_typename(event) for event in self.events)

    def manifest_entry(self, base_url: str) -> dict[str, Any]:
        return {
            "name": self.name,
            "asyncEvents": list(self.events),
            "query": self.query,
            "targetUrl": f"{base_url}/api/webhooks/{self.name}",
            "isActive": True,
        }


def event_typename(event: str) -> str:
    return "".join(part.capitalize() for part in event.split("_"))


def _stored(written: bool) -> Outcome:
    return Outcome.STORED if written else Outcome.IGNORED


def handle_checkout(event: WebhookEvent) -> Outcome:
    checkout = event.payload.get("checkout")
    if checkout is None:  # the checkout was gone by the time Saleor built the payload
        return Outcome.IGNORED
    data = parse_checkout(checkout, fully_paid_event=event.typename == "CheckoutFullyPaid")
    return _stored(snapshots.upsert_checkout(event.session, event.installation.id, data))


def handle_order(event: WebhookEvent) -> Outcome:
    order_payload = event.payload.get("order")
    if order_payload is None:  # Saleor could not resolve the order when it built the payload
        return Outcome.IGNORED
    data = parse_order(order_payload, event.issued_at)
    order = snapshots.record_order(event.session, event.installation.id, data)
    created = order is not None
    if order is None:
        order = snapshots.get_order(event.session, event.installation.id, data.order_id)
    domain_events.order_recorded.send(
        event.installation, session=event.session, order=order, created=created
    )
    return _stored(created)


def handle_product(event: WebhookEvent) -> Outcome:
    product = _event_product(event)
    if product is None:  # gone by the time Saleor built the payload
        return Outcome.IGNORED
    data = parse_product(product, deleted=event.typename == "ProductDeleted")
    if event.typename.startswith("ProductVariant"):
        data = replace(data, prices=parse_variant_prices(product))
    if event.typename not in PRODUCT_STATE_EVENTS:
        # A variant's price change, or the deletion, may leave the product's `updatedAt` as it
        # was: such an event is as new as Saleor's `issuedAt`, so it wins over older states.
        data = replace(data, updated_at=max(data.updated_at, event.issued_at))
    return _stored(snapshots.upsert_product(event.session, event.installation.id, data))


# Events whose product's `updatedAt` tells how new they are.
PRODUCT_STATE_EVENTS = frozenset({"ProductCreated", "ProductUpdated"})


def _event_product(event: WebhookEvent) -> Any:
    if not event.typename.startswith("ProductVariant"):
        return event.payload.get("product")
    variant = event.payload.get("productVariant")
    return None if variant is None else field(variant, "product", optional=True)


def handle_shipping(event: WebhookEvent) -> Outcome:
    zone = field(event.payload, "shippingZone")
    if event.typename == "ShippingZoneDeleted":
        data = ShippingZoneData(
            zone_id=text(zone, "id", ID_CHARS), issued_at=event.issued_at, deleted=True
        )
    else:
        # A deleted method may still be listed in the zone Saleor serialises: drop it.
        deleted_method = (
            text(event.payload, "shippingMethod.id", ID_CHARS)
            if event.typename == "ShippingPriceDeleted"
            else None
        )
        data = parse_shipping_zone(zone, event.issued_at, without_method=deleted_method)
    return _stored(snapshots.upsert_shipping_zone(event.session, event.installation.id, data))


def handle_app_deleted(event: WebhookEvent) -> Outcome:
    # Every app of a Saleor gets webhooks signed with the same key: a valid signature proves
    # only that this Saleor sent it, not that it is about us, nor that it is not a replay.
    if not _deletes_this_installation(event):
        return Outcome.IGNORED
    delete_installation(event.session, event.installation.id)
    return Outcome.UNINSTALLED


def _deletes_this_installation(event: WebhookEvent) -> bool:
    installation = event.installation
    app_id = text(event.payload, "app.id")
    recipient_id = optional_text(event.payload, "recipient.id")
    if app_id != installation.app_id or recipient_id not in (None, installation.app_id):
        return False
    # An APP_DELETED issued before this installation registered is a replay of an older one.
    return event.issued_at >= installation.created_at - APP_DELETED_CLOCK_SKEW


WEBHOOKS: tuple[WebhookDefinition, ...] = (
    WebhookDefinition(
        "checkout-events",
        # A metadata-only change (a storefront's reminder consent) fires CHECKOUT_METADATA_UPDATED,
        # then CHECKOUT_UPDATED only while the shop keeps `useLegacyUpdateWebhookEmission` on.
        (
            "CHECKOUT_CREATED",
            "CHECKOUT_UPDATED",
            "CHECKOUT_METADATA_UPDATED",
            "CHECKOUT_FULLY_PAID",
        ),
        handle_checkout,
    ),
    WebhookDefinition("order-events", ("ORDER_CREATED",), handle_order),
    WebhookDefinition(
        "product-events",
        (
            "PRODUCT_CREATED",
            "PRODUCT_UPDATED",
            "PRODUCT_DELETED",
            "PRODUCT_VARIANT_CREATED",
            "PRODUCT_VARIANT_UPDATED",
            "PRODUCT_VARIANT_DELETED",
        ),
        handle_product,
    ),
    WebhookDefinition(
        "shipping-events",
        (
            "SHIPPING_ZONE_CREATED",
            "SHIPPING_ZONE_UPDATED",
            "SHIPPING_ZONE_DELETED",
            "SHIPPING_PRICE_CREATED",
            "SHIPPING_PRICE_UPDATED",
            "SHIPPING_PRICE_DELETED",
        ),
        handle_shipping,
    ),
    WebhookDefinition("app-deleted", ("APP_DELETED",), handle_app_deleted),
)

WEBHOOKS_BY_NAME = {definition.name: definition for definition in WEBHOOKS}
