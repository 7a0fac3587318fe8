"""`POST /storefront/v1/offers/claim` over real HTTP, with the codes in the sandbox Saleor."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta
from typing import Any

import requests
from sqlalchemy import func, select, update

from saleor_proactive.config import Settings
from saleor_proactive.offers import claims, pool
from saleor_proactive.rulebook import create_trigger
from saleor_proactive.store.db import Database
from saleor_proactive.store.models import OfferCode, OfferVoucher, utcnow
from saleor_proactive.store.triggers import delete_trigger
from saleor_proactive.storefront.runtime import get_runtime
from tests.fixtures.sandbox import Installed
from tests.rules import offer_rule


def add_offer(database: Database, installed: Installed, **offer: Any) -> str:
    terms = {"discount": {"type": "percentage", "value": 10}, "validMinutes": 60, **offer}
    with database.session() as session:
        document = offer_rule(offer=terms, priority=1000)
        return create_trigger(session, installed.installation_id, document).id


def shown_offer(installed: Installed, visitor: str) -> dict[str, Any]:
    """The offer action the visitor API gives `visitor` at checkout."""
    answer = requests.post(
        f"{installed.app_url}/storefront/v1/events",
        json={
            "saleorApiUrl": installed.api_url,
            "channel": "default-channel",
            "visitorId": visitor,
            "sessionId": f"s_{visitor}",
            "events": [
                {
                    "type": "page_view",
                    "url": "https://shop/checkout",
                    "pageType": "checkout",
                    "ts": int(time.time() * 1000),
                }
            ],
        },
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    offers = [a for a in answer.json()["actions"] if a["type"] == "offer"]
    assert len(offers) == 1
    return offers[0]


def claim(
    installed: Installed, visitor: str, action_id: str, api_url: str | None = None
) -> requests.Response:
    return requests.post(
        f"{installed.app_url}/storefront/v1/offers/claim",
        json={
            "saleorApiUrl": api_url or installed.api_url,
            "channel": "default-channel",
            "visitorId": visitor,
            "sessionId": f"s_{visitor}",
            "actionId": action_id,
        },
        timeout=10,
    )


def saleor_codes(installed: Installed) -> set[str]:
    return {code for v in installed.saleor.shop.vouchers.values() for code in v.codes}


def test_the_action_carries_no_code_and_a_claim_answers_a_saleor_code_with_its_expiry(
    installed: Installed, database: Database, settings: Settings
) -> None:
    # given an offer with a warm pool
    add_offer(database, installed)
    pool.refill(database, settings, pool_size=3)

    # when a visitor is shown the offer and clicks it
    action = shown_offer(installed, "v_alice")
    before = utcnow()
    answer = claim(installed, "v_alice", action["id"])

    # then the action only promised a discount; the claim answers a real code valid 60 minutes
    assert action["data"] == {"offer": {"type": "percentage", "value": 10}, "claim": True}
    assert action["slot"] == "bubble"
    assert not any(code in str(action) for code in saleor_codes(installed))
    assert action["message"] == "10 % off your order, for 1 h"
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["code"] in saleor_codes(installed)
    assert body["discount"] == {"type": "percentage", "value": 10}
    expires = datetime.fromisoformat(body["expiresAt"])
    assert expires.utcoffset() is not None
    assert before + timedelta(minutes=59) < expires <= utcnow() + timedelta(minutes=60)


def test_the_same_visitor_gets_the_same_code_again_and_that_repeat_does_not_count(
    installed: Installed, database: Database, settings: Settings
) -> None:
    # given an offer capped at 2 codes a day
    add_offer(database, installed, dailyCap=2)
    pool.refill(database, settings, pool_size=5)
    alice = shown_offer(installed, "v_alice")["id"]

    # when Alice claims three times and Bob once
    codes = [claim(installed, "v_alice", alice).json()["code"] for _ in range(3)]
    bob = claim(installed, "v_bob", shown_offer(installed, "v_bob")["id"])

    # then Alice's code is the same each time and Bob still gets one of his own
    assert len(set(codes)) == 1
    assert bob.status_code == 200 and bob.json()["code"] != codes[0]


def test_past_the_daily_cap_a_new_visitor_gets_409_offer_exhausted(
    installed: Installed, database: Database, settings: Settings
) -> None:
    # given an offer capped at one code a day, already claimed by Alice
    add_offer(database, installed, dailyCap=1)
    pool.refill(database, settings, pool_size=5)
    alice = shown_offer(installed, "v_alice")["id"]
    assert claim(installed, "v_alice", alice).status_code == 200

    # when Bob claims, and Alice again
    bob = claim(installed, "v_bob", shown_offer(installed, "v_bob")["id"])
    again = claim(installed, "v_alice", alice)

    # then Bob is refused with the contract's error, while Alice keeps her code
    assert bob.status_code == 409
    assert bob.json()["error"]["code"] == "offer_exhausted"
    assert again.status_code == 200


def test_an_expired_code_is_replaced_by_a_new_one_which_counts(
    installed: Installed, database: Database, settings: Settings
) -> None:
    # given Alice's code has expired
    trigger_id = add_offer(database, installed, dailyCap=2)
    pool.refill(database, settings, pool_size=5)
    alice = shown_offer(installed, "v_alice")["id"]
    first = claim(installed, "v_alice", alice).json()["code"]
    with database.session() as session:
        session.execute(
            update(OfferCode)
            .where(OfferCode.code == first)
            .values(expires_at=utcnow() - timedelta(minutes=1))
        )

    # when she claims again
    second = claim(installed, "v_alice", alice).json()["code"]

    # then she gets a new code, and both count towards the day's cap
    assert second != first
    with database.session() as session:
        claimed = select(func.count()).where(
            OfferCode.trigger_id == trigger_id, OfferCode.visitor_id.is_not(None)
        )
        assert session.scalar(claimed) == 2
    assert claim(installed, "v_carol", shown_offer(installed, "v_carol")["id"]).status_code == 409


def test_unknown_foreign_and_deleted_actions_get_404_unknown_action(
    installed: Installed, database: Database, settings: Settings
) -> None:
    # given an offer shown to Alice
    trigger_id = add_offer(database, installed)
    pool.refill(database, settings, pool_size=3)
    alice = shown_offer(installed, "v_alice")["id"]

    # when a made-up id, Alice's id by Bob, and (after deletion) Alice's own id are claimed
    forged = claim(installed, "v_alice", "trg_x.abc.def.ghi")
    foreign = claim(installed, "v_bob", alice)
    with database.session() as session:
        delete_trigger(session, installed.installation_id, trigger_id)
    deleted = claim(installed, "v_alice", alice)

    # then each is 404 unknown_action, and no code was handed out
    for answer in (forged, foreign, deleted):
        assert answer.status_code == 404
        assert answer.json()["error"]["code"] == "unknown_action"
    with database.session() as session:
        assert session.scalar(select(func.count()).where(OfferCode.visitor_id.is_not(None))) == 0


def test_a_claim_with_an_empty_pool_fetches_codes_from_saleor_at_once(
    installed: Installed, database: Database
) -> None:
    # given a new offer whose pool was never filled
    add_offer(database, installed)

    # when a visitor claims
    answer = claim(installed, "v_alice", shown_offer(installed, "v_alice")["id"])

    # then the code came from Saleor meanwhile
    assert answer.status_code == 200, answer.text
    assert answer.json()["code"] in saleor_codes(installed)


def test_saleor_down_with_an_empty_pool_answers_503_try_again_and_creates_nothing(
    installed: Installed, database: Database
) -> None:
    # given a new offer with no codes yet, and Saleor gone
    add_offer(database, installed)
    action = shown_offer(installed, "v_alice")["id"]
    port, api_url = installed.saleor.port, installed.api_url
    installed.saleor.stop()

    # when the visitor claims
    try:
        answer = claim(installed, "v_alice", action, api_url)
    finally:
        installed.saleor.start(port)  # the fixtures' teardown talks to it

    # then a clear "try again" answer, and neither voucher nor code is recorded
    assert answer.status_code == 503
    assert answer.json()["error"]["code"] == "offer_unavailable"
    assert "try again" in answer.json()["error"]["message"]
    assert answer.headers["Retry-After"] == "30"
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(OfferCode)) == 0
        assert session.scalar(select(func.count()).select_from(OfferVoucher)) == 0


def test_a_body_without_an_action_id_is_a_400_naming_it(installed: Installed) -> None:
    answer = requests.post(
        f"{installed.app_url}/storefront/v1/offers/claim",
        json={
            "saleorApiUrl": installed.api_url,
            "channel": "default-channel",
            "visitorId": "v_a",
            "sessionId": "s_a",
        },
        timeout=10,
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["field"] == "actionId"


def test_one_address_minting_visitor_ids_is_stopped_after_30_new_codes_an_hour(
    installed: Installed, database: Database, settings: Settings
) -> None:
    # given an offer with plenty of codes
    trigger_id = add_offer(database, installed)
    pool.refill(database, settings, pool_size=35)
    with installed.live.app.app_context():
        signer = get_runtime().signer

    # when one address claims as 31 different visitors, then as the first one again
    answers = [
        claim(installed, f"v_m{i}", signer.issue(installed.installation_id, f"v_m{i}", trigger_id))
        for i in range(31)
    ]
    again = claim(installed, "v_m0", signer.issue(installed.installation_id, "v_m0", trigger_id))

    # then the 31st is refused with 429, while a visitor's own code is still handed back
    assert [a.status_code for a in answers] == [200] * 30 + [429]
    assert answers[-1].json()["error"]["code"] == "rate_limited"
    assert again.status_code == 200 and again.json()["code"] == answers[0].json()["code"]


def test_two_simultaneous_claims_of_one_visitor_get_the_same_code(
    installed: Installed, database: Database, settings: Settings
) -> None:
    # given an offer with a warm pool, and two claims of Alice (two tabs) that both find no
    # code held before either takes one
    trigger_id = add_offer(database, installed)
    pool.refill(database, settings, pool_size=5)
    both_looked = threading.Barrier(2, timeout=10)
    codes: list[str] = []
    failures: list[BaseException] = []

    def claim_in_own_transaction() -> None:
        try:
            with database.session() as session:
                result = claims.claim_code(
                    session,
                    installed.installation_id,
                    trigger_id,
                    "default-channel",
                    "v_alice",
                    utcnow(),
                    both_looked.wait,  # runs after the look for a held code, before the take
                )
            codes.append(result.code)
        except BaseException as error:  # reported below, in the test's thread
            failures.append(error)

    # when they run at once, each in its own thread, connection and transaction
    threads = [threading.Thread(target=claim_in_own_transaction) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    # then both answer the same code, and only one code left the pool
    assert failures == []
    assert len(codes) == 2 and codes[0] == codes[1]
    with database.session() as session:
        taken = select(func.count()).where(
            OfferCode.trigger_id == trigger_id, OfferCode.visitor_id.is_not(None)
        )
        assert session.scalar(taken) == 1


def test_a_held_code_saleor_deactivated_is_replaced_by_a_new_one(
    installed: Installed, database: Database, settings: Settings
) -> None:
    # given Alice's code was used in an order whose ORDER_CREATED has not reached the app, and
    # the upkeep has since seen it inactive in Saleor
    add_offer(database, installed)
    pool.refill(database, settings, pool_size=3)
    alice = shown_offer(installed, "v_alice")["id"]
    first = claim(installed, "v_alice", alice).json()["code"]
    for voucher in installed.saleor.shop.vouchers.values():
        voucher.codes[first].is_active = False
    assert pool.expire(database, settings).codes_spent == 1

    # when she claims again
    second = claim(installed, "v_alice", alice)

    # then she gets a code that still works, not the spent one
    assert second.status_code == 200
    assert second.json()["code"] != first
