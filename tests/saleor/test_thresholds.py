"""Cart value and free-shipping thresholds, as Saleor decides free shipping."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import delete
from sqlalchemy.orm import Session

from saleor_proactive.sandbox.seed import variant_id
from saleor_proactive.store import snapshots
from saleor_proactive.store.db import get_database
from saleor_proactive.store.merchant_settings import load_settings, save_settings
from saleor_proactive.store.models import CheckoutSnapshot, Installation
from saleor_proactive.store.snapshot_data import ChannelData
from saleor_proactive.store.thresholds import (
    free_shipping_threshold,
    line_base_total,
    list_free_shipping_thresholds,
    refresh_checkout,
)
from saleor_proactive.triggers.context import Money
from tests.conftest import TEST_SECRET
from tests.fixtures.installation import SignedInstallation
from tests.fixtures.sandbox import Installed
from tests.saleor import builders

EUR = "default-channel"


@pytest.mark.parametrize(
    ("net", "gross", "undiscounted", "base", "case"),
    [
        ("41.32", "50.00", "50.00", "50.00", "gross-entered, 21 % VAT"),
        ("37.19", "45.00", "50.00", "45.00", "gross-entered, 10 % promotion"),
        ("50.00", "60.50", "50.00", "50.00", "net-entered, 21 % tax added"),
        ("45.00", "54.45", "50.00", "45.00", "net-entered, 10 % promotion"),
        ("50.00", "50.00", "50.00", "50.00", "no tax"),
        ("60.00", "60.00", "50.00", "50.00", "price above the listing"),
    ],
)
def test_a_line_counts_at_its_entered_price_after_promotions(
    net: str, gross: str, undiscounted: str, base: str, case: str
) -> None:
    assert line_base_total(Decimal(net), Decimal(gross), Decimal(undiscounted)) == Decimal(base), (
        case
    )


@pytest.fixture
def session_and_installation(
    app: Flask, signed_installation: SignedInstallation
) -> Iterator[tuple[Session, Installation]]:
    with get_database(app).session() as session:
        installation = session.get_one(Installation, signed_installation.installation_id)
        snapshots.upsert_channels(
            session,
            installation.id,
            [
                ChannelData("Q2hhbm5lbDox", EUR, "Default", "EUR", "ES"),
                ChannelData("Q2hhbm5lbDoy", "channel-usd", "USD", "USD", "US"),
            ],
        )
        session.commit()
        yield session, installation


def zone_with(
    signed: SignedInstallation, zone_id: str, countries: tuple[str, ...], *methods: dict[str, Any]
) -> None:
    response = signed.post(
        "shipping-events",
        builders.zone_event(zone_id=zone_id, countries=countries, methods=list(methods)),
    )
    assert response.status_code == 200


def test_the_lowest_free_method_covering_the_country_and_channel_wins(
    signed_installation: SignedInstallation,
    session_and_installation: tuple[Session, Installation],
) -> None:
    # given two free methods in Spain (50 and 40), a cheaper one for France only (30),
    # a paid one, a WEIGHT one and a free one for another channel
    session, installation = session_and_installation
    listing, method = builders.listing, builders.method
    zone_with(
        signed_installation,
        "Wm9uZTox",
        ("ES", "PT"),
        method("TTox", [listing(EUR, "0", "50")]),
        method("TToy", [listing(EUR, "0", "40")]),
        method("TToz", [listing(EUR, "4.99", None)]),
        method("TTo0", [listing(EUR, "0", "10")], type_="WEIGHT"),
        method("TTo1", [listing("channel-usd", "0", "5", "USD")]),
    )
    zone_with(signed_installation, "Wm9uZToy", ("FR",), method("TTo2", [listing(EUR, "0", "30")]))

    # when / then
    assert free_shipping_threshold(session, installation, EUR, "ES") == Money(Decimal("40"), "EUR")
    assert free_shipping_threshold(session, installation, EUR, "FR") == Money(Decimal("30"), "EUR")
    assert free_shipping_threshold(session, installation, EUR, "DE") is None
    # without a shipping address, the channel's default country (ES) applies
    assert free_shipping_threshold(session, installation, EUR, None) == Money(Decimal("40"), "EUR")


def test_a_zone_not_assigned_to_the_channel_does_not_count(
    signed_installation: SignedInstallation,
    session_and_installation: tuple[Session, Installation],
) -> None:
    session, installation = session_and_installation
    response = signed_installation.post(
        "shipping-events", builders.zone_event(channels=("channel-usd",))
    )
    assert response.status_code == 200

    assert free_shipping_threshold(session, installation, EUR, "ES") is None


def test_a_deleted_zone_no_longer_counts(
    signed_installation: SignedInstallation,
    session_and_installation: tuple[Session, Installation],
) -> None:
    # given
    session, installation = session_and_installation
    signed_installation.post("shipping-events", builders.zone_event())
    assert free_shipping_threshold(session, installation, EUR, "ES") is not None

    # when
    deleted = builders.zone_event("ShippingZoneDeleted", issued_at=builders.NOW.replace(hour=13))
    signed_installation.post("shipping-events", deleted)

    # then
    assert free_shipping_threshold(session, installation, EUR, "ES") is None


def test_a_deleted_free_method_no_longer_counts(
    signed_installation: SignedInstallation,
    session_and_installation: tuple[Session, Installation],
) -> None:
    # given the zone as Saleor may still serialise it, listing the deleted method
    session, installation = session_and_installation
    signed_installation.post("shipping-events", builders.zone_event())
    event = builders.zone_event("ShippingPriceDeleted", issued_at=builders.NOW.replace(hour=13))
    event["shippingMethod"] = {"id": event["shippingZone"]["shippingMethods"][0]["id"]}

    # when
    signed_installation.post("shipping-events", event)

    # then
    assert free_shipping_threshold(session, installation, EUR, "ES") is None


def test_the_merchant_override_wins_and_null_disables(
    signed_installation: SignedInstallation,
    session_and_installation: tuple[Session, Installation],
) -> None:
    # given Saleor's threshold of 50 EUR
    session, installation = session_and_installation
    signed_installation.post("shipping-events", builders.zone_event())
    settings = load_settings(installation)

    # when the merchant overrides EUR and disables USD
    overrides = {EUR: Decimal("45"), "channel-usd": None}
    save_settings(session, installation, type(settings)(free_shipping_overrides=overrides))

    # then
    assert free_shipping_threshold(session, installation, EUR, "ES") == Money(Decimal("45"), "EUR")
    listed = {t.channel_slug: t for t in list_free_shipping_thresholds(session, installation)}
    assert listed[EUR].from_saleor == Money(Decimal("50"), "EUR")
    assert listed[EUR].effective == Money(Decimal("45"), "EUR")
    assert listed["channel-usd"].disabled and listed["channel-usd"].effective is None


def test_refresh_checkout_reads_the_checkout_from_saleor(installed: Installed) -> None:
    # given a checkout whose webhook was lost (the app stored nothing)
    saleor = installed.saleor
    checkout_id = saleor.create_checkout(EUR, [(variant_id(7), 1)], "ES")
    with get_database(installed.live.app).session() as session:
        session.execute(delete(CheckoutSnapshot))

    # when
    with get_database(installed.live.app).session() as session:
        installation = session.get_one(Installation, installed.installation_id)
        checkout = refresh_checkout(session, installation, checkout_id, TEST_SECRET)

        # then
        assert checkout is not None
        assert (checkout.channel_slug, checkout.items_quantity) == (EUR, 1)


def test_refresh_checkout_of_an_unknown_checkout_is_none(installed: Installed) -> None:
    with get_database(installed.live.app).session() as session:
        installation = session.get_one(Installation, installed.installation_id)
        assert refresh_checkout(session, installation, "bm90LWEtY2hlY2tvdXQ=", TEST_SECRET) is None


def test_refresh_checkout_returns_the_new_state_even_if_the_session_held_the_old_one(
    installed: Installed,
) -> None:
    # given a session that already read the checkout with one kettle
    saleor = installed.saleor
    checkout_id = saleor.create_checkout(EUR, [(variant_id(7), 1)], "ES")
    with get_database(installed.live.app).session() as session:
        installation = session.get_one(Installation, installed.installation_id)
        stale = snapshots.get_checkout(session, installation.id, checkout_id)
        assert stale is not None and stale.items_quantity == 1

        # when the cart changes in Saleor and the visitor reports it
        saleor.add_checkout_lines(checkout_id, [(variant_id(9), 2)])
        fresh = refresh_checkout(session, installation, checkout_id, TEST_SECRET)

        # then
        assert fresh is not None and fresh.items_quantity == 3
