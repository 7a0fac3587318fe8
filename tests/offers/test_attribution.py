"""An order that used a claimed code is credited to its offer, with the discount it gave: the
shop's checkout takes the code in the sandbox Saleor, and ORDER_CREATED reaches the app."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import requests
from sqlalchemy import select

from saleor_proactive.config import Settings
from saleor_proactive.offers import pool
from saleor_proactive.rulebook import create_trigger
from saleor_proactive.sandbox.seed import variant_id
from saleor_proactive.store.db import Database
from saleor_proactive.store.models import Conversion, OfferCode
from tests.fixtures.sandbox import Installed
from tests.offers.test_claims import claim, shown_offer
from tests.rules import offer_rule
from tests.waiting import wait_until

BEANS = 1  # 12.50 EUR in the default channel

STATS = """
query($from: Date!, $to: Date!) {
  stats(from: $from, to: $to) {
    triggerId revenue { amount currency } discountGiven { amount currency }
    exposed { visitors converters }
  }
}"""
ADD_CODE = """
mutation Apply($id: ID!, $code: String!) {
  checkoutAddPromoCode(id: $id, promoCode: $code) {
    checkout { discount { amount } totalPrice { gross { amount } } }
    errors { field code message }
  }
}"""


def test_an_order_using_a_claimed_code_is_credited_to_its_offer_with_the_discount(
    installed: Installed, database: Database, settings: Settings
) -> None:
    # given Alice claimed a 10 % code, and a checkout of 3 x beans (37.50) she never linked
    with database.session() as session:
        document = offer_rule(priority=1000)
        trigger_id = create_trigger(session, installed.installation_id, document).id
    pool.refill(database, settings, pool_size=2)
    code = claim(installed, "v_alice", shown_offer(installed, "v_alice")["id"]).json()["code"]
    checkout_id = installed.saleor.create_checkout(
        "default-channel", [(variant_id(BEANS), 3)], country="ES"
    )

    # when the storefront applies the code and the order is placed
    applied = requests.post(
        installed.api_url,
        json={"query": ADD_CODE, "variables": {"id": checkout_id, "code": code}},
        timeout=10,
    ).json()["data"]["checkoutAddPromoCode"]
    installed.saleor.create_order(checkout_id)

    # then Saleor took 10 % off, and the order is credited to the offer with that discount
    assert applied["errors"] == []
    assert applied["checkout"]["discount"]["amount"] == 3.75

    def credited() -> Conversion | None:
        with database.session() as session:
            return session.scalar(select(Conversion))

    conversion = wait_until(credited)
    assert conversion is not None
    assert (conversion.trigger_id, conversion.visitor_id) == (trigger_id, "v_alice")
    assert conversion.amount == Decimal("33.75")
    with database.session() as session:
        used = session.scalar(select(OfferCode).where(OfferCode.code == code))
        assert used is not None and used.discount_amount == Decimal("3.75")

    # and the merchant's results show the discount given beside the revenue
    today = datetime.now(UTC).date().isoformat()
    answer = requests.post(
        f"{installed.app_url}/api/graphql",
        json={"query": STATS, "variables": {"from": today, "to": today}},
        headers={
            "Authorization-Bearer": installed.saleor.sign_dashboard_token(installed.app_id),
            "Saleor-Api-Url": installed.api_url,
        },
        timeout=10,
    ).json()
    row = next(r for r in answer["data"]["stats"] if r["triggerId"] == trigger_id)
    assert row["revenue"] == [{"amount": 33.75, "currency": "EUR"}]
    assert row["discountGiven"] == [{"amount": 3.75, "currency": "EUR"}]
    # and Alice, shown the offer, is a converter of its cohort (the uplift counts her)
    assert row["exposed"] == {"visitors": 1, "converters": 1}


def test_a_used_code_cannot_be_applied_again(
    installed: Installed, database: Database, settings: Settings
) -> None:
    with database.session() as session:
        create_trigger(session, installed.installation_id, offer_rule(priority=1000))
    pool.refill(database, settings, pool_size=1)
    code = claim(installed, "v_bob", shown_offer(installed, "v_bob")["id"]).json()["code"]
    first = installed.saleor.create_checkout("default-channel", [(variant_id(BEANS), 1)])
    installed.saleor.add_promo_code(first, code)
    installed.saleor.create_order(first)

    second = installed.saleor.create_checkout("default-channel", [(variant_id(BEANS), 1)])
    answer = requests.post(
        installed.api_url,
        json={"query": ADD_CODE, "variables": {"id": second, "code": code}},
        timeout=10,
    ).json()["data"]["checkoutAddPromoCode"]

    assert answer["errors"][0]["code"] == "INVALID"
