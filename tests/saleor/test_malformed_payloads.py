"""Validly signed but malformed webhooks: a 400 naming the field, nothing stored, never a 500
(Saleor retries a 5xx for ever, and a 4xx never)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from saleor_proactive.store.db import get_database
from saleor_proactive.store.models import (
    CheckoutSnapshot,
    Installation,
    OrderSnapshot,
    ProductSnapshot,
    ShippingZone,
)
from tests.fixtures.installation import SignedInstallation
from tests.saleor import builders

SNAPSHOTS = (CheckoutSnapshot, OrderSnapshot, ProductSnapshot, ShippingZone, Installation)


def stored_rows(app: Flask) -> dict[str, int]:
    with get_database(app).session() as session:
        return {
            model.__name__: int(session.scalar(select(func.count()).select_from(model)) or 0)
            for model in SNAPSHOTS
        }


def changed(payload: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A deep copy of `payload` with the value at the dotted `path` replaced."""
    result = copy.deepcopy(payload)
    *parents, last = path.split(".")
    target: Any = result
    for name in parents:
        target = target[int(name)] if isinstance(target, list) else target[name]
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return result


LONG_ID = "Q" * 129
LONG_NAME = "n" * 256


@pytest.mark.parametrize(
    ("webhook", "payload", "named"),
    [
        ("checkout-events", changed(builders.checkout_event(), "__typename", ["x"]), "__typename"),
        (
            "checkout-events",
            changed(builders.checkout_event(), "__typename", {"a": 1}),
            "__typename",
        ),
        (
            "checkout-events",
            changed(builders.checkout_event(), "checkout.chargeStatus", {"a": 1}),
            "chargeStatus",
        ),
        (
            "checkout-events",
            changed(builders.checkout_event(), "checkout.chargeStatus", ["FULL"]),
            "chargeStatus",
        ),
        ("checkout-events", changed(builders.checkout_event(), "checkout.id", LONG_ID), "id"),
        (
            "checkout-events",
            changed(builders.checkout_event(), "checkout.lines.0.variant.id", LONG_ID),
            "variant.id",
        ),
        (
            "checkout-events",
            changed(builders.checkout_event(), "checkout.channel.slug", LONG_NAME),
            "channel.slug",
        ),
        ("checkout-events", changed(builders.checkout_event(), "checkout.id", "Q2hl\x00"), "id"),
        ("checkout-events", changed(builders.checkout_event(), "checkout.id", "Q2hl\ud800"), "id"),
        (
            "checkout-events",
            changed(builders.checkout_event(), "checkout.channel.currencyCode", "EURO"),
            "currencyCode",
        ),
        (
            "checkout-events",
            changed(builders.checkout_event(), "checkout.lines.0.quantity", 2**31),
            "quantity",
        ),
        (
            "checkout-events",
            changed(builders.checkout_event(), "checkout.totalPrice.gross.amount", 1e15),
            "totalPrice",
        ),
        (
            "shipping-events",
            changed(builders.zone_event(), "issuedAt", "0001-01-01T00:00:00+14:00"),
            "issuedAt",
        ),
        (
            "checkout-events",
            changed(builders.checkout_event(), "checkout.updatedAt", "0001-01-01T00:00:00+14:00"),
            "updatedAt",
        ),
        ("product-events", changed(builders.product_event(), "product.name", LONG_NAME), "name"),
        ("product-events", changed(builders.product_event(), "product.name", "Cup\x00"), "name"),
        (
            "product-events",
            changed(builders.product_event(), "product.category.id", LONG_ID),
            "category.id",
        ),
        (
            "product-events",
            changed(
                builders.variant_event(),
                "productVariant.product.productVariants.edges.0.node.channelListings.0.price.currency",
                7,
            ),
            "currency",
        ),
        ("shipping-events", changed(builders.zone_event(), "shippingZone.name", LONG_NAME), "name"),
        (
            "shipping-events",
            changed(
                builders.zone_event(),
                "shippingZone.shippingMethods.0.channelListings.0.price.currency",
                {"c": 1},
            ),
            "currency",
        ),
        (
            "order-events",
            changed(builders.order_event(), "order.checkoutId", LONG_ID),
            "checkoutId",
        ),
        ("order-events", changed(builders.order_event(), "order.id", "T3Jk\x00"), "id"),
    ],
)
def test_a_malformed_signed_payload_is_a_400_naming_the_field_and_changes_nothing(
    app: Flask,
    signed_installation: SignedInstallation,
    webhook: str,
    payload: dict[str, Any],
    named: str,
) -> None:
    # given
    before = stored_rows(app)

    # when
    response = signed_installation.post(webhook, payload)

    # then
    assert response.status_code == 400, response.get_data(as_text=True)
    assert named in response.get_json()["error"]["message"]
    assert stored_rows(app) == before


def leaf_paths(value: Any, prefix: str = "") -> list[str]:
    """Every dotted path inside a payload (objects and list items), its root excluded."""
    children = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    paths = []
    for key, child in children:
        path = f"{prefix}{key}"
        paths.append(path)
        paths.extend(leaf_paths(child, f"{path}."))
    return paths


EVENTS = [
    ("checkout-events", builders.checkout_event()),
    ("product-events", builders.product_event()),
    ("product-events", builders.variant_event()),
    ("shipping-events", builders.zone_event()),
    ("order-events", builders.order_event()),
]
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63)
    | st.floats()
    | st.text(max_size=300),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3)
    ),
    max_leaves=6,
)


@st.composite
def malformed_events(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    webhook, payload = draw(st.sampled_from(EVENTS))
    path = draw(st.sampled_from(leaf_paths(payload)))
    return webhook, changed(payload, path, draw(JSON_VALUES))


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(event=malformed_events())
def test_any_signed_payload_is_stored_or_refused_with_a_400_never_a_500(
    app: Flask, signed_installation: SignedInstallation, event: tuple[str, dict[str, Any]]
) -> None:
    # given a genuine event with one value anywhere replaced by any JSON value, signed for real
    webhook, payload = event
    before = stored_rows(app)

    # when
    response = signed_installation.post(webhook, payload)

    # then
    assert response.status_code in (200, 400), response.get_data(as_text=True)
    if response.status_code == 400:
        assert response.get_json()["error"]["message"]
        assert stored_rows(app) == before
