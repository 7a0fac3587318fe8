"""The app installed into the sandbox Saleor over real HTTP: install, webhooks, rotation,
re-install and uninstall, exactly as a Saleor drives them."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
import requests
from flask import Flask
from sqlalchemy import func, select

from saleor_proactive.sandbox.ids import to_global_id
from saleor_proactive.sandbox.install import InstallError, send_token
from saleor_proactive.sandbox.seed import variant_id
from saleor_proactive.sandbox.server import SandboxSaleor
from saleor_proactive.store import snapshots
from saleor_proactive.store.db import get_database
from saleor_proactive.store.models import Base, Installation
from saleor_proactive.store.thresholds import free_shipping_threshold
from saleor_proactive.triggers.cart_value import cart_facts
from saleor_proactive.triggers.context import Money
from tests.fixtures.live import start_live_server
from tests.fixtures.sandbox import Installed
from tests.sandbox.recording_app import start_recording_app, stop_recording_app

ESPRESSO_MACHINE, FILTERS, KETTLE = 5, 9, 7


def rows_of(app: Flask, installation_id: int) -> dict[str, int]:
    """How many rows each tenant table holds for the installation."""
    counts = {}
    with get_database(app).session() as session:
        for table in Base.metadata.sorted_tables:
            if "installation_id" in table.c:
                where = table.c.installation_id == installation_id
                counts[table.name] = session.scalar(
                    select(func.count()).select_from(table).where(where)
                )
    return counts


def age_cached_keys(app: Flask, installation_id: int) -> None:
    with get_database(app).session() as session:
        installation = session.get_one(Installation, installation_id)
        installation.jwks_fetched_at -= timedelta(minutes=5)


def test_install_stores_the_installation_and_syncs_the_catalog(installed: Installed) -> None:
    # when the app was installed (fixture), then
    app = installed.live.app
    with get_database(app).session() as session:
        installation = session.get_one(Installation, installed.installation_id)
        assert installation.app_id == installed.app_id
        eur = free_shipping_threshold(session, installation, "default-channel", None)
        usd = free_shipping_threshold(session, installation, "channel-usd", "US")
        assert snapshots.get_product(session, installation.id, to_global_id("Product", 5))
    assert eur == Money(Decimal("50.00"), "EUR")
    assert usd == Money(Decimal("75.00"), "USD")


def test_checkout_webhooks_are_accepted_and_stored(installed: Installed) -> None:
    # given
    saleor = installed.saleor

    # when a visitor fills a cart
    checkout_id = saleor.create_checkout("default-channel", [(variant_id(KETTLE), 1)], "ES")
    saleor.add_checkout_lines(checkout_id, [(variant_id(FILTERS), 2)])

    # then
    assert [d.status for d in saleor.deliveries] == [200, 200]
    with get_database(installed.live.app).session() as session:
        checkout = snapshots.get_checkout(session, installed.installation_id, checkout_id)
        assert checkout is not None
        facts = cart_facts(checkout)
    assert (facts.value, facts.items, facts.currency) == (Decimal("67.00"), 3, "EUR")


def test_an_entire_order_voucher_lowers_the_cart_value(installed: Installed) -> None:
    # given 54.00 EUR in the cart
    saleor = installed.saleor
    checkout_id = saleor.create_checkout("default-channel", [(variant_id(KETTLE), 1)], "ES")

    # when a 10.00 EUR voucher is applied
    saleor.set_checkout_discount(checkout_id, "10.00")

    # then free shipping (50.00) is no longer reached, as in Saleor
    with get_database(installed.live.app).session() as session:
        checkout = snapshots.get_checkout(session, installed.installation_id, checkout_id)
        assert checkout is not None
        assert cart_facts(checkout).value == Decimal("44.00")


DRIPPER = 8
KETTLE_PRODUCT, DRIPPER_PRODUCT = to_global_id("Product", KETTLE), to_global_id("Product", DRIPPER)


@pytest.mark.parametrize(
    ("voucher", "compared"),
    [
        # Saleor compares the lines after the voucher: 86.00 - 10.00
        ({"voucher_type": "ENTIRE_ORDER"}, "76.00"),
        # the voucher is inside the dripper's line (27.00 - 10.00); Saleor subtracts nothing more
        (
            {"voucher_type": "SPECIFIC_PRODUCT", "product_ids": [DRIPPER_PRODUCT]},
            "76.00",
        ),
        # one unit of the cheapest line (the dripper), the same for once per order
        (
            {
                "voucher_type": "SPECIFIC_PRODUCT",
                "once_per_order": True,
                "product_ids": [KETTLE_PRODUCT, DRIPPER_PRODUCT],
            },
            "76.00",
        ),
        # a shipping voucher lowers the delivery price, never the subtotal
        ({"voucher_type": "SHIPPING"}, "86.00"),
    ],
    ids=["entire-order", "specific-product", "once-per-order", "shipping"],
)
def test_a_voucher_counts_once_in_the_cart_value(
    installed: Installed, voucher: dict[str, Any], compared: str
) -> None:
    # given 86.00 USD in the cart (a kettle and a dripper)
    saleor = installed.saleor
    checkout_id = saleor.create_checkout(
        "channel-usd", [(variant_id(KETTLE), 1), (variant_id(DRIPPER), 1)], "US"
    )

    # when a 10.00 USD voucher is applied
    saleor.set_checkout_discount(checkout_id, "10.00", **voucher)

    # then the cart value is the subtotal Saleor compares with free-shipping minimums
    with get_database(installed.live.app).session() as session:
        checkout = snapshots.get_checkout(session, installed.installation_id, checkout_id)
        assert checkout is not None
        assert checkout.discount == Decimal("10.00")
        assert cart_facts(checkout).value == Decimal(compared)


def test_shipping_changes_move_the_threshold(installed: Installed) -> None:
    # given the seeded free-shipping method of the EUR channel
    saleor = installed.saleor
    zone = next(z for z in saleor.shop.zones.values() if "default-channel" in z.channel_slugs)
    free = next(m for m in zone.methods if m.listings["default-channel"].price == 0)

    # when the merchant raises its minimum
    saleor.update_shipping_method(
        to_global_id("ShippingMethodType", free.pk), "default-channel", minimum_order_price="60"
    )

    # then
    with get_database(installed.live.app).session() as session:
        installation = session.get_one(Installation, installed.installation_id)
        threshold = free_shipping_threshold(session, installation, "default-channel", "ES")
    assert threshold == Money(Decimal("60.00"), "EUR")


def test_a_rotated_key_is_picked_up(installed: Installed) -> None:
    # given keys cached more than a minute ago, then rotated by the operator
    age_cached_keys(installed.live.app, installed.installation_id)
    installed.saleor.rotate_key()

    # when
    checkout_id = installed.saleor.create_checkout("default-channel", [(variant_id(1), 1)])

    # then
    assert [d.status for d in installed.saleor.last_deliveries] == [200]
    with get_database(installed.live.app).session() as session:
        assert snapshots.get_checkout(session, installed.installation_id, checkout_id)


def test_a_webhook_signed_by_another_saleor_is_refused(
    installed: Installed, sandbox_saleor: SandboxSaleor
) -> None:
    # given a second Saleor that never installed the app but claims to be the first
    stranger = SandboxSaleor().start()
    try:
        body = b'{"__typename": "CheckoutUpdated", "checkout": null}'
        headers = {
            "Saleor-Api-Url": sandbox_saleor.api_url,
            "Saleor-Signature": stranger.key.sign_detached(body),
        }
        age_cached_keys(installed.live.app, installed.installation_id)

        # when
        response = requests.post(
            f"{installed.app_url}/api/webhooks/checkout-events", data=body, headers=headers
        )
        as_itself = requests.post(
            f"{installed.app_url}/api/webhooks/checkout-events",
            data=body,
            headers={**headers, "Saleor-Api-Url": stranger.api_url},
        )
    finally:
        stranger.stop()

    # then
    assert response.status_code == 401
    assert as_itself.status_code == 401
    assert as_itself.json()["error"]["code"] == "unknown_installation"


def test_retrying_the_install_is_idempotent(installed: Installed) -> None:
    # given
    saleor = installed.saleor

    # when Saleor replays the token POST ("Retry install")
    send_token(
        f"{installed.app_url}/api/register", installed.app.token, saleor.domain, saleor.api_url
    )

    # then the same installation remains, with the same catalog
    with get_database(installed.live.app).session() as session:
        rows = session.scalars(select(Installation)).all()
        channels = rows_of(installed.live.app, installed.installation_id)["channels"]
    assert [row.id for row in rows] == [installed.installation_id]
    assert channels == 2


def test_a_token_saleor_rejects_fails_registration_and_changes_nothing(
    installed: Installed,
) -> None:
    # given
    saleor, app = installed.saleor, installed.live.app
    with get_database(app).session() as session:
        before = session.get_one(Installation, installed.installation_id).token_encrypted

    # when
    with pytest.raises(InstallError) as caught:
        send_token(
            f"{installed.app_url}/api/register", "not-a-token", saleor.domain, saleor.api_url
        )

    # then
    assert caught.value.status == 401
    assert "did not accept the token" in caught.value.message
    with get_database(app).session() as session:
        assert session.get_one(Installation, installed.installation_id).token_encrypted == before


def test_another_app_of_the_same_saleor_cannot_take_the_installation_over(
    installed: Installed,
) -> None:
    # given a second, different app installed in the same Saleor, which holds its own token
    saleor, app = installed.saleor, installed.live.app
    other = start_recording_app()
    try:
        other_app = saleor.install_app(other.manifest_url)
    finally:
        stop_recording_app(other)
    assert other_app.identifier != installed.app.identifier
    with get_database(app).session() as session:
        stored = session.get_one(Installation, installed.installation_id)
        before = (stored.app_id, stored.token_encrypted)

    # when it posts its token to our register endpoint, as Saleor would
    with pytest.raises(InstallError) as caught:
        send_token(
            f"{installed.app_url}/api/register", other_app.token, saleor.domain, saleor.api_url
        )

    # then it is refused and the installation still belongs to our app, with our token
    assert caught.value.status == 403
    assert "another app" in caught.value.message
    with get_database(app).session() as session:
        stored = session.get_one(Installation, installed.installation_id)
        assert (stored.app_id, stored.token_encrypted) == before
        assert stored.app_id == installed.app_id


def test_uninstall_purges_every_row_and_reinstall_starts_afresh(installed: Installed) -> None:
    # given data in every snapshot table
    saleor, app = installed.saleor, installed.live.app
    checkout_id = saleor.create_checkout("default-channel", [(variant_id(KETTLE), 1)], "ES")
    saleor.create_order(checkout_id)
    before = rows_of(app, installed.installation_id)
    assert before["checkout_snapshots"] and before["order_snapshots"] and before["channels"]

    # when
    deliveries = saleor.uninstall_app()

    # then
    assert [d.status for d in deliveries] == [200]
    assert set(rows_of(app, installed.installation_id).values()) == {0}
    with get_database(app).session() as session:
        assert session.scalar(select(func.count()).select_from(Installation)) == 0

    # and when installed again
    saleor.install_app(f"{installed.app_url}/api/manifest")
    with get_database(app).session() as session:
        assert session.scalar(select(func.count()).select_from(Installation)) == 1


def test_a_saleor_outside_the_allow_list_cannot_install(
    settings: object, sandbox_saleor: SandboxSaleor
) -> None:
    # given an app that accepts only https Saleors
    from saleor_proactive.app import create_app

    strict = create_app(settings.with_overrides(allowed_saleor_urls=("https://*",)))  # type: ignore[attr-defined]
    live, thread = start_live_server(strict)
    try:
        # when / then
        with pytest.raises(InstallError) as caught:
            sandbox_saleor.install_app(f"{live.url}/api/manifest")
    finally:
        live.server.shutdown()
        thread.join(timeout=5)
    assert caught.value.status == 403
    assert sandbox_saleor.shop.apps == {}
    with get_database(strict).session() as session:
        assert session.scalar(select(func.count()).select_from(Installation)) == 0


def test_the_catalog_sync_stores_slug_thumbnail_and_attributes(installed: Installed) -> None:
    # when the app was installed (fixture), then the seeded espresso machine is known in full
    with get_database(installed.live.app).session() as session:
        product = snapshots.get_product(
            session, installed.installation_id, to_global_id("Product", ESPRESSO_MACHINE)
        )
        assert product is not None
        assert product.slug == "lever-espresso-machine"
        assert product.thumbnail_url == f"{installed.saleor.url}/thumbnails/product-5.svg"
        assert product.attributes == [
            {"name": "Material", "value": "Stainless steel"},
            {"name": "Power", "value": "1200 W"},
            {"name": "Warranty", "value": "2 years"},
        ]
    # and the thumbnail is an image the sandbox serves
    image = requests.get(product.thumbnail_url, timeout=5)
    assert image.status_code == 200
    assert image.headers["Content-Type"].startswith("image/svg+xml")


def test_a_product_webhook_brings_a_new_products_attributes(installed: Installed) -> None:
    # when Saleor creates a product with a multi-valued attribute and markup in a value
    product_id = installed.saleor.create_product(
        "Cold Brew <Kit>",
        to_global_id("Category", 2),
        {"default-channel": "29.00"},
        attributes={"Material": ["Glass", "Steel"], "Note": ["<b>new</b>"]},
    )

    # then the app stores them as Saleor sent them, values joined, markup as text
    with get_database(installed.live.app).session() as session:
        product = snapshots.get_product(session, installed.installation_id, product_id)
        assert product is not None
        assert product.slug == "cold-brew-<kit>"
        assert product.attributes == [
            {"name": "Material", "value": "Glass, Steel"},
            {"name": "Note", "value": "<b>new</b>"},
        ]
