"""`POST /api/webhooks/<name>`: signed deliveries are stored, anything else changes nothing."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from saleor_proactive import domain_events
from saleor_proactive.store import snapshots
from saleor_proactive.store.db import get_database
from saleor_proactive.store.models import (
    CheckoutSnapshot,
    Installation,
    OrderSnapshot,
    ProductSnapshot,
    ShippingZone,
)
from saleor_proactive.triggers.cart_value import cart_facts
from tests.fixtures.installation import INSTALLED_APP_ID, SaleorSigner, SignedInstallation, iso
from tests.saleor import builders
from tests.sqlite_lock import sqlite_write_lock

CHECKOUT_ID = "Q2hlY2tvdXQ6MQ=="


def count(app: Flask, model: Any) -> int:
    with get_database(app).session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def stored_checkout(app: Flask, installation_id: int) -> CheckoutSnapshot | None:
    with get_database(app).session() as session:
        return snapshots.get_checkout(session, installation_id, CHECKOUT_ID)


def test_a_signed_checkout_update_is_stored(
    app: Flask, signed_installation: SignedInstallation
) -> None:
    # given
    payload = builders.checkout_event(lines=[("20.00", 2), ("15.50", 1)], discount="5")

    # when
    response = signed_installation.post("checkout-events", payload, event="checkout_updated")

    # then
    assert response.status_code == 200
    assert response.get_json() == {"status": "stored"}
    checkout = stored_checkout(app, signed_installation.installation_id)
    assert checkout is not None
    assert (checkout.channel_slug, checkout.currency, checkout.shipping_country) == (
        "default-channel",
        "EUR",
        "ES",
    )
    # gross-entered prices: 40.00 + 15.50, the lines carrying the 5.00 voucher
    assert cart_facts(checkout).value == Decimal("50.50")
    assert cart_facts(checkout).items == 3


def test_a_checkout_that_needs_no_shipping_is_stored_so(
    app: Flask, signed_installation: SignedInstallation
) -> None:
    # given a cart of digital goods, and one from a webhook registered before the field existed
    digital = builders.checkout_event()
    digital["checkout"]["isShippingRequired"] = False
    older_document = builders.checkout_event(checkout_id="Q2hlY2tvdXQ6Mg==")
    del older_document["checkout"]["isShippingRequired"]

    # when
    for payload in (digital, older_document):
        assert signed_installation.post("checkout-events", payload).status_code == 200

    # then the first needs no shipping; without the field a cart is taken to need it
    with get_database(app).session() as session:
        stored = {
            checkout_id: snapshots.get_checkout(
                session, signed_installation.installation_id, checkout_id
            )
            for checkout_id in (CHECKOUT_ID, "Q2hlY2tvdXQ6Mg==")
        }
        assert {key: c.shipping_required for key, c in stored.items() if c} == {
            CHECKOUT_ID: False,
            "Q2hlY2tvdXQ6Mg==": True,
        }


def test_a_duplicate_delivery_is_ignored(
    app: Flask, signed_installation: SignedInstallation
) -> None:
    # given
    payload = builders.checkout_event()
    signed_installation.post("checkout-events", payload)

    # when
    response = signed_installation.post("checkout-events", payload)

    # then
    assert response.status_code == 200
    assert response.get_json() == {"status": "ignored"}
    assert count(app, CheckoutSnapshot) == 1


def test_an_older_checkout_snapshot_never_overwrites_a_newer_one(
    app: Flask, signed_installation: SignedInstallation
) -> None:
    # given the newer state arrives first
    newer = builders.checkout_event(lines=[("30.00", 2)], updated_at=builders.NOW)
    older = builders.checkout_event(
        lines=[("30.00", 1)], updated_at=builders.NOW - timedelta(seconds=5)
    )
    signed_installation.post("checkout-events", newer)

    # when the older one arrives late
    response = signed_installation.post("checkout-events", older)

    # then
    assert response.get_json() == {"status": "ignored"}
    checkout = stored_checkout(app, signed_installation.installation_id)
    assert checkout is not None
    assert cart_facts(checkout).value == Decimal("60.00")


def test_fully_paid_sticks_even_with_an_unchanged_updated_at(
    app: Flask, signed_installation: SignedInstallation
) -> None:
    # given
    signed_installation.post("checkout-events", builders.checkout_event())

    # when
    signed_installation.post("checkout-events", builders.checkout_event("CheckoutFullyPaid"))

    # then
    checkout = stored_checkout(app, signed_installation.installation_id)
    assert checkout is not None and checkout.fully_paid


def test_a_forged_signature_is_refused_and_nothing_is_stored(
    app: Flask, signed_installation: SignedInstallation
) -> None:
    # given a forger using the installation's kid with their own key
    forger = SaleorSigner(kid=signed_installation.signer.kid)

    # when
    response = signed_installation.post("checkout-events", builders.checkout_event(), signer=forger)

    # then
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "invalid_signature"
    assert count(app, CheckoutSnapshot) == 0


def test_a_tampered_body_is_refused(app: Flask, signed_installation: SignedInstallation) -> None:
    # given a genuine signature over a small cart
    body = json.dumps(builders.checkout_event(lines=[("1.00", 1)])).encode()
    signature = signed_installation.signer.sign(body)

    # when the cart is inflated in transit
    tampered = body.replace(b'"quantity": 1', b'"quantity": 90')
    response = signed_installation.post("checkout-events", tampered, signature=signature)

    # then
    assert response.status_code == 401
    assert count(app, CheckoutSnapshot) == 0


@pytest.mark.parametrize("missing", ["Saleor-Signature", "Saleor-Api-Url"])
def test_a_delivery_without_its_headers_is_refused(
    app: Flask, signed_installation: SignedInstallation, missing: str
) -> None:
    body = json.dumps(builders.checkout_event()).encode()
    headers = {
        "Saleor-Api-Url": signed_installation.saleor_api_url,
        "Saleor-Signature": signed_installation.signer.sign(body),
    }
    del headers[missing]

    response = signed_installation.client.post(
        "/api/webhooks/checkout-events", data=body, headers=headers
    )

    assert response.status_code == 401
    assert count(app, CheckoutSnapshot) == 0


def test_a_webhook_from_a_saleor_that_never_installed_is_refused(
    app: Flask, signed_installation: SignedInstallation
) -> None:
    response = signed_installation.post(
        "checkout-events", builders.checkout_event(), api_url="https://other.example/graphql/"
    )

    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unknown_installation"
    assert count(app, CheckoutSnapshot) == 0


def test_a_signed_body_that_is_not_json_is_a_400(
    signed_installation: SignedInstallation,
) -> None:
    response = signed_installation.post("checkout-events", b"<html>not json</html>")

    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_json"


def test_an_event_of_another_webhook_is_a_400(
    app: Flask, signed_installation: SignedInstallation
) -> None:
    response = signed_installation.post("checkout-events", builders.product_event())

    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "unexpected_event"
    assert count(app, ProductSnapshot) == 0


def test_a_saleor_event_header_naming_another_event_is_a_400(
    signed_installation: SignedInstallation,
) -> None:
    response = signed_installation.post(
        "checkout-events", builders.checkout_event(), event="product_updated"
    )

    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "unexpected_event"


def test_a_payload_missing_a_required_field_is_a_400_naming_it(
    app: Flask, signed_installation: SignedInstallation
) -> None:
    # given
    payload = builders.checkout_event()
    del payload["checkout"]["channel"]

    # when
    response = signed_installation.post("checkout-events", payload)

    # then
    assert response.status_code == 400
    assert "channel.slug" in response.get_json()["error"]["message"]
    assert count(app, CheckoutSnapshot) == 0


def test_a_body_over_ten_megabytes_is_a_413(signed_installation: SignedInstallation) -> None:
    response = signed_installation.post(
        "checkout-events", b"{" + b" " * (10 * 1024 * 1024) + b"}", signature="x..y"
    )

    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "request_entity_too_large"


def test_an_unknown_webhook_name_is_a_404(signed_installation: SignedInstallation) -> None:
    response = signed_installation.post("no-such-hook", builders.checkout_event())

    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "unknown_webhook"


def test_product_updates_deletes_and_late_updates(
    app: Flask, signed_installation: SignedInstallation
) -> None:
    # given a product stored, then deleted
    later = builders.NOW + timedelta(minutes=1)
    signed_installation.post("product-events", builders.product_event("ProductCreated"))
    signed_installation.post(
        "product-events", builders.product_event("ProductDeleted", updated_at=later)
    )

    # when an update built before the deletion arrives late
    response = signed_installation.post(
        "product-events", builders.product_event(name="Renamed", updated_at=builders.NOW)
    )

    # then the product stays deleted
    assert response.get_json() == {"status": "ignored"}
    with get_database(app).session() as session:
        product_id = builders.product()["id"]
        assert (
            snapshots.get_product(session, signed_installation.installation_id, product_id) is None
        )


def test_a_product_is_stored_with_its_price_per_channel(
    app: Flask, signed_installation: SignedInstallation
) -> None:
    # when
    signed_installation.post(
        "product-events",
        builders.product_event(
            prices={"default-channel": ("649.00", "EUR"), "channel-usd": ("719.00", "USD")}
        ),
    )

    # then
    with get_database(app).session() as session:
        product = snapshots.get_product(
            session, signed_installation.installation_id, builders.product()["id"]
        )
        assert product is not None
        prices = {p.channel_slug: (p.gross, p.currency) for p in product.prices}
    assert prices == {
        "default-channel": (Decimal("649.00"), "EUR"),
        "channel-usd": (Decimal("719.00"), "USD"),
    }


def test_shipping_events_are_ordered_by_issued_at(
    app: Flask, signed_installation: SignedInstallation
) -> None:
    # given the newer zone state (no countries) arrives first
    signed_installation.post(
        "shipping-events",
        builders.zone_event(countries=(), issued_at=builders.NOW + timedelta(seconds=1)),
    )

    # when the older state arrives
    response = signed_installation.post("shipping-events", builders.zone_event())

    # then
    assert response.get_json() == {"status": "ignored"}
    with get_database(app).session() as session:
        zone = session.scalar(select(ShippingZone))
        assert zone is not None and zone.countries == []


def test_an_order_is_recorded_once_and_announced(
    app: Flask, signed_installation: SignedInstallation
) -> None:
    # given
    announced: list[tuple[str, bool]] = []

    def receiver(sender: Installation, **kwargs: Any) -> None:
        announced.append((kwargs["order"].order_id, kwargs["created"]))

    domain_events.order_recorded.connect(receiver)
    try:
        # when the same order arrives twice
        first = signed_installation.post("order-events", builders.order_event())
        second = signed_installation.post("order-events", builders.order_event())
    finally:
        domain_events.order_recorded.disconnect(receiver)

    # then
    assert (first.get_json()["status"], second.get_json()["status"]) == ("stored", "ignored")
    assert announced == [("T3JkZXI6MQ==", True), ("T3JkZXI6MQ==", False)]
    with get_database(app).session() as session:
        order = session.scalar(select(OrderSnapshot))
        assert order is not None
        assert (order.checkout_id, order.total_amount) == (CHECKOUT_ID, Decimal("60"))


@pytest.mark.parametrize(
    ("name", "payload"),
    [
        ("checkout-events", {**builders.checkout_event(), "checkout": None}),
        ("order-events", {**builders.order_event(), "order": None}),
        ("product-events", {**builders.product_event(), "product": None}),
    ],
)
def test_an_event_whose_object_is_gone_is_acknowledged_and_ignored(
    app: Flask, signed_installation: SignedInstallation, name: str, payload: dict[str, Any]
) -> None:
    # given Saleor could not resolve the object when it built the payload
    # when
    response = signed_installation.post(name, payload)

    # then it is deliberately ignored: a 2xx, so Saleor neither retries nor reports a failure
    assert response.status_code == 200
    assert response.get_json()["status"] == "ignored"
    assert count(app, CheckoutSnapshot) + count(app, OrderSnapshot) == 0
    assert count(app, ProductSnapshot) == 0


def test_app_deleted_with_a_forged_signature_deletes_nothing(
    app: Flask, signed_installation: SignedInstallation
) -> None:
    payload = {"__typename": "AppDeleted", "issuedAt": "2026-11-23T12:00:00Z", "app": {"id": "x"}}

    response = signed_installation.post("app-deleted", payload, signer=SaleorSigner())

    assert response.status_code == 401
    assert count(app, Installation) == 1


def test_a_locked_database_is_a_503_so_that_saleor_retries(
    app: Flask, signed_installation: SignedInstallation, migrated_database_url: str
) -> None:
    # given another process holding SQLite's write lock (the app waits its busy timeout)
    with sqlite_write_lock(migrated_database_url):
        # when
        locked = signed_installation.post("checkout-events", builders.checkout_event())

    # then Saleor is told to retry, and the retry is stored
    assert locked.status_code == 503
    assert locked.get_json()["error"]["code"] == "database_unavailable"
    assert count(app, CheckoutSnapshot) == 0
    retried = signed_installation.post("checkout-events", builders.checkout_event())
    assert retried.status_code == 200 and count(app, CheckoutSnapshot) == 1


def app_deleted(app_id: str, *, issued_at: Any = None, recipient_id: str | None = None) -> Any:
    issued = issued_at or datetime.now(UTC)
    return {
        "__typename": "AppDeleted",
        "issuedAt": issued.isoformat(),
        "app": {"id": app_id},
        "recipient": {"id": recipient_id or app_id},
    }


def test_app_deleted_for_this_app_removes_the_installation(
    app: Flask, signed_installation: SignedInstallation
) -> None:
    response = signed_installation.post("app-deleted", app_deleted(INSTALLED_APP_ID))

    assert response.status_code == 200
    assert response.get_json() == {"status": "uninstalled"}
    assert count(app, Installation) == 0


def test_another_apps_app_deleted_is_acknowledged_and_deletes_nothing(
    app: Flask, signed_installation: SignedInstallation
) -> None:
    # given a genuine APP_DELETED of another app of the same Saleor (same signing key)
    other_app = "QXBwOjI="

    # when it is posted to this app
    response = signed_installation.post("app-deleted", app_deleted(other_app))

    # then Saleor sees a 2xx (no retries) and the installation stays
    assert response.status_code == 200
    assert response.get_json() == {"status": "ignored"}
    assert count(app, Installation) == 1


def test_app_deleted_sent_to_another_recipient_deletes_nothing(
    app: Flask, signed_installation: SignedInstallation
) -> None:
    payload = app_deleted(INSTALLED_APP_ID, recipient_id="QXBwOjI=")

    response = signed_installation.post("app-deleted", payload)

    assert response.get_json() == {"status": "ignored"}
    assert count(app, Installation) == 1


def test_an_app_deleted_issued_before_the_registration_is_a_replay_and_deletes_nothing(
    app: Flask, signed_installation: SignedInstallation
) -> None:
    # given an APP_DELETED of this app id, issued a day before the app registered
    long_ago = datetime.now(UTC) - timedelta(days=1)

    # when
    response = signed_installation.post(
        "app-deleted", app_deleted(INSTALLED_APP_ID, issued_at=long_ago)
    )

    # then
    assert response.status_code == 200
    assert response.get_json() == {"status": "ignored"}
    assert count(app, Installation) == 1


def stored_prices(app: Flask, installation_id: int) -> dict[str, Decimal] | None:
    with get_database(app).session() as session:
        product = snapshots.get_product(session, installation_id, builders.product()["id"])
        return None if product is None else {p.channel_slug: p.gross for p in product.prices}


def test_a_variant_price_change_reprices_its_product(
    app: Flask, signed_installation: SignedInstallation
) -> None:
    # given a product stored at 12.00
    signed_installation.post("product-events", builders.product_event("ProductCreated"))

    # when one of its two variants' channel listing drops to 9.50; the product's updatedAt and
    # its priceRange (recomputed later by Saleor) still say 12.00
    response = signed_installation.post(
        "product-events",
        builders.variant_event(
            issued_at=builders.NOW + timedelta(minutes=5),
            variant_prices=[
                {"default-channel": ("9.50", "EUR"), "channel-usd": ("11.00", "USD")},
                {"default-channel": ("14.00", "EUR"), "channel-usd": ("10.00", "USD")},
            ],
        ),
        event="product_variant_updated",
    )

    # then each channel's price is its cheapest variant's
    assert response.get_json() == {"status": "stored"}
    assert stored_prices(app, signed_installation.installation_id) == {
        "default-channel": Decimal("9.50"),
        "channel-usd": Decimal("10.00"),
    }


def test_an_older_product_update_does_not_undo_a_variant_price_change(
    app: Flask, signed_installation: SignedInstallation
) -> None:
    # given the variant's new price arrived first
    signed_installation.post(
        "product-events",
        builders.variant_event(
            issued_at=builders.NOW + timedelta(minutes=5),
            variant_prices=[{"default-channel": ("9.50", "EUR")}],
        ),
    )

    # when a product update built before it arrives late
    response = signed_installation.post("product-events", builders.product_event())

    # then
    assert response.get_json() == {"status": "ignored"}
    assert stored_prices(app, signed_installation.installation_id) == {
        "default-channel": Decimal("9.50")
    }


def test_a_late_variant_event_does_not_revive_a_deleted_product(
    app: Flask, signed_installation: SignedInstallation
) -> None:
    # given a product deleted at 12:10 (its updatedAt still 12:00)
    signed_installation.post("product-events", builders.product_event("ProductCreated"))
    signed_installation.post(
        "product-events",
        {
            **builders.product_event("ProductDeleted"),
            "issuedAt": iso(builders.NOW + timedelta(minutes=10)),
        },
    )

    # when a variant change issued at 12:05 arrives late
    response = signed_installation.post(
        "product-events", builders.variant_event(issued_at=builders.NOW + timedelta(minutes=5))
    )

    # then the product stays deleted
    assert response.get_json() == {"status": "ignored"}
    assert stored_prices(app, signed_installation.installation_id) is None


def test_a_variant_event_without_its_product_is_acknowledged_and_ignored(
    signed_installation: SignedInstallation,
) -> None:
    payload = {**builders.variant_event("ProductVariantDeleted"), "productVariant": None}

    response = signed_installation.post("product-events", payload)

    assert response.status_code == 200
    assert response.get_json() == {"status": "ignored"}
