"""End to end with the sandbox Saleor: a storefront's checkout with an email, a language and
consent in its metadata reaches the app through the signed webhook, and the reminder that
follows speaks the checkout's language, names the catalogue's product and honours consent."""

from __future__ import annotations

from datetime import timedelta

import pytest

from saleor_proactive.config import Settings
from saleor_proactive.sandbox.seed import BEANS_VARIANT, DEFAULT_CHANNEL
from saleor_proactive.store.db import get_database
from saleor_proactive.store.models import utcnow
from saleor_proactive.store.snapshots import get_checkout
from tests.fixtures.reminders import Mailbox, enable_reminders
from tests.fixtures.sandbox import Installed
from tests.reminders.test_delivery import run_scan


@pytest.mark.parametrize("legacy_emission", [True, False], ids=["legacy-on", "legacy-off"])
def test_only_checkouts_whose_metadata_carries_consent_are_reminded(
    installed: Installed,
    reminder_settings: Settings,
    mailbox: tuple[Mailbox, int],
    legacy_emission: bool,
) -> None:
    """Consent arrives in CHECKOUT_METADATA_UPDATED, followed by CHECKOUT_UPDATED with the same
    `updatedAt` while the shop keeps `useLegacyUpdateWebhookEmission` on (3.23's default)."""
    # given two checkouts with emails; the storefront recorded consent on the Spanish one
    saleor = installed.saleor
    saleor.set_legacy_update_webhook_emission(legacy_emission)
    agreed = saleor.create_checkout(DEFAULT_CHANNEL, [(BEANS_VARIANT, 2)], email="ana@example.com")
    saleor.set_checkout_language(agreed, "ES_ES")
    saleor.set_checkout_metadata(agreed, {"proactive_reminders": "true"})
    saleor.create_checkout(DEFAULT_CHANNEL, [(BEANS_VARIANT, 1)], email="bob@example.com")
    database = get_database(installed.live.app)
    with database.session() as session:
        stored = get_checkout(session, installed.installation_id, agreed)
        assert stored is not None
        assert (stored.email, stored.language_code) == ("ana@example.com", "ES_ES")
        assert stored.metadata_ == {"proactive_reminders": "true"}
        assert stored.token  # the link back: `{token}` in the merchant's pattern

    # when reminders for consenting checkouts only are on, and an hour and more has passed
    enable_reminders(database, installed.installation_id, audience="consent")
    run_scan(database, reminder_settings, utcnow() + timedelta(minutes=70))

    # then only Ana got one, in Spanish, naming the product as the catalogue does
    [message] = mailbox[0].wait(1)
    assert message["To"] == "ana@example.com"
    assert message["Subject"].startswith("Tu carrito en")
    assert "2 \u00d7 " in message.get_body(("plain",)).get_content()
    assert len(mailbox[0].wait(2, timeout=0.5)) == 1
