"""Cart value and free-shipping thresholds, as Saleor decides free shipping."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from saleor_proactive.store import snapshots
from saleor_proactive.store.db import get_database
from saleor_proactive.store.merchant_settings import load_settings, save_settings
from saleor_proactive.store.models import Installation
from saleor_proactive.store.snapshot_data import ChannelData
from saleor_proactive.store.thresholds import (
    free_shipping_threshold,
    list_free_shipping_thresholds,
)
from saleor_proactive.triggers.context import Money
from tests.fixtures.installation import SignedInstallation
from tests.saleor import builders

EUR = "default-channel"


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
