"""What visitors are shown: free-shipping notices, chat prompts, caps and hold-out."""

from __future__ import annotations

from decimal import Decimal

from flask.testing import FlaskClient

from saleor_proactive.rulebook import update_trigger
from saleor_proactive.store.db import Database
from saleor_proactive.triggers.engine import holdout_bucket
from tests.fixtures.storefront import ShopRows
from tests.rules import chat_rule, free_shipping_rule
from tests.storefront.helpers import body, interactions, now_ms, page_view, post

# Shown up to five times a session, with a message once the cart reaches the threshold.
NOTICE = free_shipping_rule(
    reached={"en": "You've unlocked free shipping!"},
    frequency={"maxPerVisitor": 5, "per": "session"},
)


def _eur_shop(shop: ShopRows, cart: Decimal) -> str:
    shop.free_shipping("default-channel", "EUR", Decimal("50.00"), ["ES"])
    shop.checkout("Q2hlY2tvdXQ6ZXVy", "default-channel", "EUR", cart)
    return shop.trigger(NOTICE)


def test_cart_close_to_the_threshold_gets_the_remaining_amount_in_english(
    storefront_client: FlaskClient, shop: ShopRows
) -> None:
    # given a 38.00 EUR cart and free shipping from 50.00 EUR
    trigger_id = _eur_shop(shop, Decimal("38.00"))

    # when
    response = post(storefront_client, body([page_view()], checkoutId="Q2hlY2tvdXQ6ZXVy"))

    # then
    assert response.status_code == 200
    [action] = response.get_json()["actions"]
    assert action["triggerId"] == trigger_id
    assert action["type"] == "free_shipping_notice"
    assert action["slot"] == "bar"
    assert action["message"] == "You are €12.00 away from free shipping"
    assert action["data"]["remaining"] == {"amount": 12.0, "currency": "EUR"}
    assert action["data"]["threshold"] == {"amount": 50.0, "currency": "EUR"}


def test_the_notice_speaks_spanish_to_a_spanish_visitor(
    storefront_client: FlaskClient, shop: ShopRows
) -> None:
    # given
    _eur_shop(shop, Decimal("38.00"))

    # when
    response = post(
        storefront_client, body([page_view()], checkoutId="Q2hlY2tvdXQ6ZXVy", locale="es-ES")
    )

    # then
    [action] = response.get_json()["actions"]
    assert action["message"] == "Te faltan 12,00 € para el envío gratis"


def test_a_cart_above_the_threshold_gets_the_reached_message(
    storefront_client: FlaskClient, shop: ShopRows
) -> None:
    # given the cart went from 38.00 to 55.00 EUR (as Saleor reported it)
    _eur_shop(shop, Decimal("38.00"))
    post(storefront_client, body([page_view()], checkoutId="Q2hlY2tvdXQ6ZXVy"))
    shop.checkout("Q2hlY2tvdXQ6ZXVy", "default-channel", "EUR", Decimal("55.00"))

    # when
    response = post(storefront_client, body([page_view()], checkoutId="Q2hlY2tvdXQ6ZXVy"))

    # then no "away from" message any more
    messages = [a["message"] for a in response.get_json()["actions"]]
    assert all("away" not in m for m in messages)
    assert messages == ["You've unlocked free shipping!"]


def test_the_usd_channel_uses_its_own_threshold_and_currency(
    storefront_client: FlaskClient, shop: ShopRows
) -> None:
    # given free shipping from 75.00 USD in the US channel and a 60.00 USD cart
    shop.free_shipping("channel-usd", "USD", Decimal("75.00"), ["US"])
    shop.checkout("Q2hlY2tvdXQ6dXNk", "channel-usd", "USD", Decimal("60.00"))
    shop.trigger(NOTICE)

    # when
    response = post(
        storefront_client,
        body([page_view()], channel="channel-usd", checkoutId="Q2hlY2tvdXQ6dXNk"),
    )

    # then
    [action] = response.get_json()["actions"]
    assert action["message"] == "You are $15.00 away from free shipping"
    assert action["data"]["threshold"] == {"amount": 75.0, "currency": "USD"}


def test_checkout_page_gets_the_chat_prompt_after_the_rules_delay(
    storefront_client: FlaskClient, shop: ShopRows
) -> None:
    # given
    when = {"all": [{"pageType": {"in": ["checkout"]}}, {"timeOnPage": {"gte": 45}}]}
    shop.trigger(chat_rule("Help at checkout", when))

    # when the visitor arrives on the checkout page (type from the URL patterns)
    response = post(storefront_client, body([page_view("https://shop.example.com/checkout")]))

    # then
    [action] = response.get_json()["actions"]
    assert action["type"] == "chat_prompt"
    assert action["slot"] == "bubble"
    assert 44_000 <= action["showAfterMs"] <= 45_000
    assert action["cta"] == "Chat with us"


def test_a_page_that_matches_no_rule_gets_nothing(
    storefront_client: FlaskClient, shop: ShopRows
) -> None:
    # given
    shop.trigger(chat_rule("Help at checkout", {"pageType": {"in": ["checkout"]}}))

    # when
    response = post(storefront_client, body([page_view("https://shop.example.com/", "home")]))

    # then
    assert response.status_code == 200
    assert response.get_json()["actions"] == []


def test_frequency_cap_holds_across_requests_once_shown(
    storefront_client: FlaskClient, shop: ShopRows, database: Database
) -> None:
    # given a prompt shown at most once per session
    shop.trigger(chat_rule("Contact help", {"pageType": {"in": ["contact"]}}))
    first = post(storefront_client, body([page_view("https://shop.example.com/contact")]))
    [action] = first.get_json()["actions"]

    # when the snippet reports it shown, and the visitor opens the page again
    shown = {"type": "action_shown", "actionId": action["id"], "ts": 0}
    shown["ts"] = page_view()["ts"]
    post(storefront_client, body([shown]))
    again = post(storefront_client, body([page_view("https://shop.example.com/contact")]))

    # then
    assert again.get_json()["actions"] == []
    assert [kind for kind, _, _ in interactions(database)] == ["issued", "impression"]


def test_an_unreported_action_does_not_use_up_the_allowance(
    storefront_client: FlaskClient, shop: ShopRows
) -> None:
    # given a prompt issued but never shown (the visitor left before the timer)
    shop.trigger(chat_rule("Contact help", {"pageType": {"in": ["contact"]}}))
    post(storefront_client, body([page_view("https://shop.example.com/contact")]))

    # when
    again = post(storefront_client, body([page_view("https://shop.example.com/contact")]))

    # then
    assert len(again.get_json()["actions"]) == 1


def test_held_out_and_treated_visitors_each_enter_their_cohort_once(
    storefront_client: FlaskClient, shop: ShopRows, database: Database
) -> None:
    # given a trigger with a 50 % hold-out and one visitor in each group
    trigger_id = shop.trigger(
        chat_rule("Contact help", {"pageType": {"in": ["contact"]}}, holdoutPercent=50)
    )
    ids = [f"v_{n}" for n in range(40)]
    control = next(v for v in ids if holdout_bucket(trigger_id, v) < 5000)
    treated = next(v for v in ids if holdout_bucket(trigger_id, v) >= 5000)

    # when each opens the contact page twice
    answers = {}
    for visitor in (control, treated):
        for _ in range(2):
            response = post(
                storefront_client,
                body([page_view("https://shop.example.com/contact")], visitorId=visitor),
            )
            answers[visitor] = response.get_json()["actions"]

    # then
    assert answers[control] == []
    assert len(answers[treated]) == 1
    assert interactions(database) == [
        ("control", trigger_id, control),
        ("issued", trigger_id, treated),
    ]


def test_rule_changes_reach_every_process(
    storefront_client: FlaskClient, shop: ShopRows, database: Database, storefront_app
) -> None:  # type: ignore[no-untyped-def]
    # given a second app instance (another worker) that has cached the rules
    from saleor_proactive.app import create_app

    other = create_app(storefront_app.config["PROACTIVE"]).test_client()
    trigger_id = shop.trigger(chat_rule("Contact help", {"pageType": {"in": ["contact"]}}))
    contact = body([page_view("https://shop.example.com/faq")], visitorId="v_other")
    assert other.post("/storefront/v1/events", json=contact).get_json()["actions"] == []

    # when the merchant widens the trigger through the first process's database session
    with database.session() as session:
        update_trigger(
            session,
            shop.installation_id,
            trigger_id,
            chat_rule("Contact help", {"pageType": {"in": ["contact", "faq"]}}),
        )

    # then the other process sees it at once
    assert len(other.post("/storefront/v1/events", json=contact).get_json()["actions"]) == 1


def test_time_on_page_comes_from_the_distance_between_events_not_the_browser_clock(
    storefront_client: FlaskClient, shop: ShopRows
) -> None:
    # given a 45 s checkout rule and a browser clock two hours fast
    when = {"all": [{"pageType": {"in": ["checkout"]}}, {"timeOnPage": {"gte": 45}}]}
    shop.trigger(chat_rule("Help at checkout", when))
    arrived = now_ms() + 2 * 3600 * 1000

    # when the batch says the visitor arrived 20 s before their exit intent
    events = [
        page_view("https://shop.example.com/checkout", ts=arrived),
        {"type": "exit_intent", "ts": arrived + 20_000},
    ]
    response = post(storefront_client, body(events))

    # then 25 s are left to wait
    [action] = response.get_json()["actions"]
    assert 24_000 <= action["showAfterMs"] <= 25_000


def test_the_default_bar_follows_a_yen_cart_from_home_to_checkout_and_then_says_reached(
    storefront_client: FlaskClient, shop: ShopRows
) -> None:
    # given: a JPY channel with free shipping from ¥10,000, a ¥3,000 cart, the default trigger
    from saleor_proactive.triggers.defaults import free_shipping_progress

    shop.channel("channel-jpy", "JPY", "JP")
    shop.free_shipping("channel-jpy", "JPY", Decimal("10000"), ["JP"])
    shop.checkout("Q2hlY2tvdXQ6anB5", "channel-jpy", "JPY", Decimal("3000"))
    shop.trigger({**free_shipping_progress(), "holdoutPercent": 0})
    pages = [("/", "home"), ("/p/tea", "product"), ("/cart", "cart"), ("/checkout", "checkout")]
    fields = {"channel": "channel-jpy", "checkoutId": "Q2hlY2tvdXQ6anB5"}

    # when: every page view, each bar reported shown as the snippet does
    seen = []
    for path, page_type in pages:
        view = page_view("https://shop.example.com" + path, page_type)
        [action] = post(storefront_client, body([view], **fields)).get_json()["actions"]
        shown = {"type": "action_shown", "actionId": action["id"], "ts": now_ms()}
        assert post(storefront_client, body([shown], **fields)).status_code == 200
        seen.append((action["message"], action["data"]["cartValue"]["amount"]))
    shop.checkout("Q2hlY2tvdXQ6anB5", "channel-jpy", "JPY", Decimal("12000"))
    cart_changed = {"type": "cart_updated", "ts": now_ms()}
    [reached] = post(storefront_client, body([cart_changed], **fields)).get_json()["actions"]

    # then
    assert seen == [("You are ¥7,000 away from free shipping", 3000.0)] * 4
    assert reached["message"] == "You've unlocked free shipping!"
    assert reached["data"]["reached"] is True
    assert reached["data"]["threshold"] == {"amount": 10000.0, "currency": "JPY"}
