"""The sandbox against the real app: install through its manifest, signed webhooks accepted."""

from __future__ import annotations

from decimal import Decimal

import requests

from saleor_proactive.sandbox.ids import to_global_id
from saleor_proactive.sandbox.seed import BEANS_VARIANT, DEFAULT_CHANNEL
from saleor_proactive.store.db import get_database
from saleor_proactive.store.installations import get_installation
from saleor_proactive.store.thresholds import free_shipping_threshold
from tests.fixtures.sandbox import Installed
from tests.sandbox.recording_app import RecordingApp


def test_installing_the_app_stores_an_installation_that_knows_the_app_id(
    installed: Installed,
) -> None:
    # when (the fixture installed the app through its manifest)
    with get_database(installed.live.app).session() as session:
        installation = get_installation(session, installed.saleor.api_url)

    # then
    assert installation is not None
    assert installation.id == installed.installation_id
    assert installation.app_id == installed.app_id
    [key] = installation.jwks["keys"]
    assert key["kid"] == installed.saleor.key.kid
    webhooks = {hook.name for hook in installed.app.webhooks}
    assert {"checkout-events", "order-events", "app-deleted"} <= webhooks


def test_the_app_accepts_the_sandboxs_signed_webhooks(installed: Installed) -> None:
    # when
    checkout_id = installed.saleor.create_checkout(DEFAULT_CHANNEL, [(BEANS_VARIANT, 2)])
    installed.saleor.create_order(checkout_id)

    # then
    assert [(d.event, d.status) for d in installed.saleor.deliveries] == [
        ("checkout_created", 200),
        ("order_created", 200),
    ]


def test_the_app_refuses_a_webhook_whose_body_was_changed(installed: Installed) -> None:
    # given
    installed.saleor.create_checkout(DEFAULT_CHANNEL, [(BEANS_VARIANT, 2)])
    genuine = installed.saleor.deliveries[-1]

    # when
    forged = requests.post(
        genuine.target_url,
        data=genuine.body.replace(b'"quantity": 2', b'"quantity": 9'),
        headers=genuine.headers,
        timeout=10,
    )

    # then
    assert genuine.status == 200
    assert forged.status_code == 401


def test_uninstalling_removes_the_installation(installed: Installed) -> None:
    # when
    deliveries = installed.saleor.uninstall_app()

    # then
    assert [(d.event, d.status) for d in deliveries] == [("app_deleted", 200)]
    with get_database(installed.live.app).session() as session:
        assert get_installation(session, installed.saleor.api_url) is None


def test_shipping_changes_reach_the_apps_free_shipping_threshold(installed: Installed) -> None:
    # given
    saleor = installed.saleor
    europe_free = to_global_id("ShippingMethodType", 2)

    # when
    saleor.delete_shipping_method(europe_free)
    without = threshold(installed, "ES")
    iberia = saleor.create_shipping_zone("Iberia", ["ES", "PT"], [DEFAULT_CHANNEL])
    saleor.create_shipping_method(
        iberia, "Free over 80", DEFAULT_CHANNEL, 0, minimum_order_price=80
    )
    with_iberia = threshold(installed, "ES")

    # then
    assert [d.status for d in saleor.deliveries] == [200, 200, 200]
    assert without is None
    assert with_iberia == Decimal("80")
    assert threshold(installed, "DE") is None


def threshold(installed: Installed, country: str) -> Decimal | None:
    with get_database(installed.live.app).session() as session:
        installation = get_installation(session, installed.saleor.api_url)
        assert installation is not None
        money = free_shipping_threshold(session, installation, DEFAULT_CHANNEL, country)
        return None if money is None else Decimal(money.amount)


def test_another_apps_app_deleted_replayed_to_this_app_deletes_nothing(
    installed: Installed, recording_app: RecordingApp
) -> None:
    # given another app installed into the same Saleor, then removed: its APP_DELETED is
    # genuine, signed with the key this app trusts
    other = installed.saleor.install_app(recording_app.manifest_url)
    [genuine] = installed.saleor.uninstall_app(other.global_id)

    # when someone replays it to this app's app-deleted webhook
    replayed = requests.post(
        f"{installed.app_url}/api/webhooks/app-deleted",
        data=genuine.body,
        headers=genuine.headers,
        timeout=10,
    )

    # then it is acknowledged (Saleor would not retry) and this installation stays
    assert genuine.status == 200
    assert replayed.status_code == 200
    assert replayed.json() == {"status": "ignored"}
    with get_database(installed.live.app).session() as session:
        assert get_installation(session, installed.saleor.api_url) is not None


def test_the_checkout_email_reaches_the_chat_context(installed: Installed) -> None:
    # given: a conversation of a visitor whose checkout carries an email
    from saleor_proactive.chat.context import conversation_context
    from saleor_proactive.store.models import ChatConversation, CheckoutSnapshot, Visitor, utcnow

    checkout_id = installed.saleor.create_checkout(
        DEFAULT_CHANNEL, [(BEANS_VARIANT, 1)], email="eva@example.com"
    )
    with get_database(installed.live.app).session() as session:
        snapshot = session.query(CheckoutSnapshot).filter_by(checkout_id=checkout_id).one()
        now = utcnow()
        session.add(
            Visitor(
                installation_id=installed.installation_id,
                visitor_id="v-1",
                checkout_id=checkout_id,
                channel=DEFAULT_CHANNEL,
                session_id="s-1",
                session_started_at=now,
                last_seen_at=now,
            )
        )
        conversation = ChatConversation(
            installation_id=installed.installation_id,
            public_id="c-1",
            visitor_id="v-1",
            channel=DEFAULT_CHANNEL,
        )
        session.add(conversation)
        session.flush()
        # when
        context = conversation_context(session, conversation)

    # then: the webhook's document asks for it and the sandbox sends it, as Saleor does
    assert snapshot.email == "eva@example.com"
    assert context.cart is not None and context.cart.email == "eva@example.com"
