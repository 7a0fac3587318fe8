"""Triggers in preview: only the merchant's marked browser sees them, and its traffic is not
counted (CONTRACT extension, docs/contract-extensions.md)."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from saleor_proactive.analytics.stats import trigger_stats
from saleor_proactive.store.db import Database
from saleor_proactive.store.models import utcnow
from saleor_proactive.storefront.preview import MAX_AGE_SECONDS, PreviewTokens
from saleor_proactive.storefront.runtime import get_runtime
from saleor_proactive.triggers.rules import parse_rule
from tests.fixtures.storefront import ShopRows
from tests.rules import chat_rule
from tests.storefront.helpers import body, interactions, now_ms, page_view, post

CONTACT = "https://shop.example.com/contact"
SECRET = "s" * 40


class Clock:
    def __init__(self) -> None:
        self.seconds = 1_800_000_000.0

    def __call__(self) -> float:
        return self.seconds


def test_a_token_holds_for_its_installation_until_it_expires() -> None:
    # given
    clock = Clock()
    tokens = PreviewTokens(SECRET, clock)
    token, expires_at = tokens.issue(7)
    # then
    assert tokens.is_valid(7, token)
    assert expires_at.timestamp() == clock.seconds + MAX_AGE_SECONDS
    assert not tokens.is_valid(8, token)  # another shop's
    assert not PreviewTokens("t" * 40, clock).is_valid(7, token)  # another app's secret
    clock.seconds += MAX_AGE_SECONDS - 1
    assert tokens.is_valid(7, token)
    clock.seconds += 2
    assert not tokens.is_valid(7, token)  # expired


def test_forged_and_malformed_tokens_are_no_tokens() -> None:
    tokens = PreviewTokens(SECRET, Clock())
    token, _ = tokens.issue(7)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for value in [forged, "preview", "", "x" * 5000, None, 42, ["a"], "preview.a.b"]:
        assert not tokens.is_valid(7, value)


def test_the_status_field_defaults_to_published_and_round_trips() -> None:
    # given
    published = parse_rule(chat_rule("Plain"))
    preview = parse_rule({**chat_rule("Trying"), "status": "preview"})
    # then: a v1 document comes back without the new field
    assert "status" not in published.to_document()
    assert preview.to_document()["status"] == "preview"
    assert parse_rule(preview.to_document()) == preview


def _token(app: Flask, installation_id: int) -> str:
    with app.app_context():
        return get_runtime().previews.issue(installation_id)[0]


def test_only_a_request_with_a_valid_token_sees_a_trigger_in_preview(
    storefront_app: Flask, storefront_client: FlaskClient, shop: ShopRows
) -> None:
    # given: a published prompt on the checkout, one in preview on the contact page
    shop.trigger(chat_rule("Live", {"pageType": {"in": ["checkout"]}}))
    trying = shop.trigger(
        {**chat_rule("Trying", {"pageType": {"in": ["contact"]}}), "status": "preview"}
    )
    token = _token(storefront_app, shop.installation_id)
    other_shop = _token(storefront_app, shop.installation_id + 1000)
    contact = [page_view(CONTACT, "contact")]

    def seen(**fields: object) -> list[str]:
        answer = post(storefront_client, body(contact, **fields))
        assert answer.status_code == 200, answer.get_json()
        return [a["triggerId"] for a in answer.get_json()["actions"]]

    # then
    assert seen(visitorId="v_merchant", preview=token) == [trying]
    assert seen(visitorId="v_anyone") == []
    assert seen(visitorId="v_forger", preview=token[:-3] + "abc") == []
    assert seen(visitorId="v_copier", preview=other_shop) == []
    assert seen(visitorId="v_odd", preview=12345) == []
    assert seen(visitorId="v_long", preview="p" * 5000) == []


def test_preview_traffic_counts_in_no_statistic_and_is_never_held_out(
    storefront_app: Flask, storefront_client: FlaskClient, shop: ShopRows, database: Database
) -> None:
    # given: a published prompt whose hold-out is as large as it gets
    trigger_id = shop.trigger(
        chat_rule("Contact help", {"pageType": {"in": ["contact"]}}, holdoutPercent=50)
    )
    token = _token(storefront_app, shop.installation_id)

    # when: ten merchant browsers in preview are shown it and click it
    shown = 0
    for n in range(10):
        visitor = f"v_merchant{n}"
        answer = post(
            storefront_client, body([page_view(CONTACT)], visitorId=visitor, preview=token)
        )
        actions = answer.get_json()["actions"]
        shown += len(actions)
        for kind in ("action_shown", "action_clicked"):
            event = {"type": kind, "actionId": actions[0]["id"], "ts": now_ms()}
            post(storefront_client, body([event], visitorId=visitor, preview=token))

    # then: all ten saw it (no control group in preview), and nothing was recorded
    assert shown == 10
    assert interactions(database) == []
    today = utcnow().date()
    with database.session() as session:
        [stats] = trigger_stats(session, shop.installation_id, today, today)
    assert stats.trigger_id == trigger_id
    assert (stats.exposed.visitors, stats.exposed.impressions, stats.control.visitors) == (0, 0, 0)

    # when: an ordinary visitor gets it, the real figures start
    post(storefront_client, body([page_view(CONTACT)], visitorId="v_real"))
    assert len(interactions(database)) == 1
