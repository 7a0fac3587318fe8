"""A checkout read from Saleor on a visitor's behalf, and stored."""

from __future__ import annotations

from sqlalchemy import delete

from saleor_proactive.saleor.fresh_checkouts import FreshCheckouts
from saleor_proactive.sandbox.seed import variant_id
from saleor_proactive.store import snapshots
from saleor_proactive.store.db import get_database
from saleor_proactive.store.models import CheckoutSnapshot, Installation
from tests.conftest import TEST_SECRET
from tests.fixtures.sandbox import Installed

EUR = "default-channel"
FRESH = FreshCheckouts(TEST_SECRET)


def test_refresh_checkout_reads_the_checkout_from_saleor(installed: Installed) -> None:
    # given a checkout whose webhook was lost (the app stored nothing)
    saleor = installed.saleor
    checkout_id = saleor.create_checkout(EUR, [(variant_id(7), 1)], "ES")
    with get_database(installed.live.app).session() as session:
        session.execute(delete(CheckoutSnapshot))

    # when
    with get_database(installed.live.app).session() as session:
        installation = session.get_one(Installation, installed.installation_id)
        checkout = FRESH.refresh(session, installation, checkout_id).snapshot

        # then
        assert checkout is not None
        assert (checkout.channel_slug, checkout.items_quantity) == (EUR, 1)


def test_refresh_checkout_of_an_unknown_checkout_is_none(installed: Installed) -> None:
    with get_database(installed.live.app).session() as session:
        installation = session.get_one(Installation, installed.installation_id)
        refreshed = FRESH.refresh(session, installation, "bm90LWEtY2hlY2tvdXQ=")
        assert (refreshed.snapshot, refreshed.answered, refreshed.found) == (None, True, False)


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
        fresh = FRESH.refresh(session, installation, checkout_id).snapshot

        # then
        assert fresh is not None and fresh.items_quantity == 3
