"""Settings, free-shipping thresholds and the simulator through the schema."""

from __future__ import annotations

from typing import Any

from saleor_proactive.store.db import Database
from tests.fixtures.dashboard import MerchantInstallation, add_checkout, run_query
from tests.rules import chat_rule

UPDATE_SETTINGS = """
mutation($input: SettingsInput!) {
  updateSettings(input: $input) {
    settings { chatProvider whatsappNumber storefrontOrigins document }
    errors { field code message }
  }
}"""
THRESHOLDS = """{ freeShippingThresholds {
  channel currency country disabled fromSaleor { amount currency } override { amount }
  effective { amount currency } } }"""
SIMULATE = """
query($visitor: VisitorInput!) {
  simulate(visitor: $visitor) {
    actions { triggerId type slot showAfterMs message cta data }
    outcomes { triggerId name fired shown holdout reasons }
    errors { field code message }
  }
}"""
CREATE = """mutation($input: TriggerInput!) {
  createTrigger(input: $input) { trigger { id } errors { field message } } }"""


def make_trigger(
    database: Database, merchant: MerchantInstallation, document: dict[str, Any]
) -> str:
    result = run_query(database, merchant, CREATE, {"input": {"document": document}})
    assert result.data["createTrigger"]["errors"] == [], result.data
    return str(result.data["createTrigger"]["trigger"]["id"])


def test_settings_start_from_defaults_and_take_typed_changes(
    database: Database, merchant: MerchantInstallation
):
    # given
    before = run_query(database, merchant, "{ settings { chatProvider document } }")

    # when
    changed = run_query(
        database,
        merchant,
        UPDATE_SETTINGS,
        {
            "input": {
                "chatProvider": "whatsapp",
                "whatsappNumber": "+34600000000",
                "storefrontOrigins": ["https://shop.example.com"],
                "theme": {"position": "bottom-left"},
            }
        },
    ).data["updateSettings"]
    after = run_query(database, merchant, "{ settings { document } }")

    # then
    assert before.data["settings"]["chatProvider"] == "builtin"
    assert changed["errors"] == []
    assert changed["settings"]["whatsappNumber"] == "+34600000000"
    stored = after.data["settings"]["document"]
    assert stored["chat"] == {
        "provider": "whatsapp",
        "number": "+34600000000",
        "launcher": False,
        "hours": None,
        "notifyEmail": None,
    }
    assert stored["storefrontOrigins"] == ["https://shop.example.com"]
    assert stored["theme"]["position"] == "bottom-left"
    assert (
        stored["theme"]["primaryColor"]
        == before.data["settings"]["document"]["theme"]["primaryColor"]
    )


def test_the_bar_position_is_a_typed_theme_setting_that_keeps_the_rest_of_the_theme(
    database: Database, merchant: MerchantInstallation
):
    # when
    result = run_query(
        database, merchant, UPDATE_SETTINGS, {"input": {"theme": {"barPosition": "top"}}}
    ).data["updateSettings"]
    refused = run_query(
        database, merchant, UPDATE_SETTINGS, {"input": {"theme": {"barPosition": "middle"}}}
    ).data["updateSettings"]

    # then
    assert result["errors"] == []
    theme = result["settings"]["document"]["theme"]
    assert theme["barPosition"] == "top"
    assert theme["position"] == "bottom-right"
    assert refused["errors"][0]["field"] == "theme.barPosition"


def test_invalid_settings_come_back_as_errors_and_are_not_stored(
    database: Database, merchant: MerchantInstallation
):
    # when
    result = run_query(
        database,
        merchant,
        UPDATE_SETTINGS,
        {"input": {"document": {"theme": {"primaryColor": "red"}}, "consentRequired": True}},
    ).data["updateSettings"]
    after = run_query(database, merchant, "{ settings { document } }").data["settings"]["document"]

    # then
    assert result["settings"] is None
    assert result["errors"][0]["field"] == "theme.primaryColor"
    assert after["consentRequired"] is False


def test_thresholds_come_from_saleor_and_an_override_replaces_them(
    database: Database, merchant: MerchantInstallation
):
    # given
    before = run_query(database, merchant, THRESHOLDS).data["freeShippingThresholds"]

    # when
    run_query(
        database,
        merchant,
        UPDATE_SETTINGS,
        {"input": {"freeShippingOverrides": {"default-channel": "40.00", "channel-usd": None}}},
    )
    after = run_query(database, merchant, THRESHOLDS).data["freeShippingThresholds"]

    # then
    by_channel = {row["channel"]: row for row in before}
    assert by_channel["default-channel"]["fromSaleor"] == {"amount": 50.0, "currency": "EUR"}
    assert by_channel["channel-usd"]["effective"] == {"amount": 75.0, "currency": "USD"}
    overridden = {row["channel"]: row for row in after}
    assert overridden["default-channel"]["effective"] == {"amount": 40.0, "currency": "EUR"}
    assert overridden["default-channel"]["fromSaleor"]["amount"] == 50.0
    assert overridden["channel-usd"]["disabled"] is True
    assert overridden["channel-usd"]["effective"] is None


def test_thresholds_list_every_channel_default_first_with_every_shipping_country(
    database: Database, merchant: MerchantInstallation
):
    # when
    rows = run_query(
        database,
        merchant,
        "{ freeShippingThresholds { channel currency countries { country"
        " fromSaleor { amount currency } effective { amount currency } } } }",
    ).data["freeShippingThresholds"]

    # then: Saleor's default channel first, though "channel-usd" sorts before it
    assert [row["channel"] for row in rows] == ["default-channel", "channel-usd"]
    # one zone serves Spain and the US in both channels: each channel's default country first
    assert [c["country"] for c in rows[0]["countries"]] == ["ES", "US"]
    assert [c["country"] for c in rows[1]["countries"]] == ["US", "ES"]
    assert rows[0]["countries"][1]["fromSaleor"] == {"amount": 50.0, "currency": "EUR"}
    assert rows[1]["countries"][1]["effective"] == {"amount": 75.0, "currency": "USD"}


def test_simulate_shows_what_a_matching_visitor_sees_and_why_others_do_not(
    database: Database, merchant: MerchantInstallation
):
    # given
    checkout = make_trigger(
        database,
        merchant,
        chat_rule(
            "Help at checkout",
            {"all": [{"pageType": {"in": ["checkout"]}}, {"timeOnPage": {"gte": 30}}]},
        ),
    )
    make_trigger(
        database,
        merchant,
        chat_rule("Big spender", {"maxViewedProductPrice": {"gte": 500}}, priority=50),
    )

    # when
    result = run_query(
        database,
        merchant,
        SIMULATE,
        {
            "visitor": {
                "channel": "default-channel",
                "pageType": "checkout",
                "timeOnPage": 10,
                "locale": "es-ES",
                "maxViewedProductPrice": 120,
            }
        },
    ).data["simulate"]

    # then
    assert result["errors"] == []
    assert [a["triggerId"] for a in result["actions"]] == [checkout]
    action = result["actions"][0]
    assert action["slot"] == "bubble"
    assert action["showAfterMs"] == 20000
    assert action["message"] == "¿Help at checkout?"
    spender = next(o for o in result["outcomes"] if o["name"] == "Big spender")
    assert spender["fired"] is False and spender["reasons"]


def test_simulate_uses_the_checkout_saleor_reported_for_free_shipping(
    database: Database, merchant: MerchantInstallation
):
    # given
    add_checkout(database, merchant, "Q2hlY2tvdXQ6MQ==", "38.00")
    make_trigger(
        database,
        merchant,
        {
            "name": "Nearly there",
            "when": {"remainingToFreeShipping": {"lte": 15}},
            "show": {
                "type": "free_shipping_notice",
                "message": {"en": "{remaining} to free shipping"},
            },
            "holdoutPercent": 0,
        },
    )

    # when
    result = run_query(
        database,
        merchant,
        SIMULATE,
        {
            "visitor": {
                "channel": "default-channel",
                "checkoutId": "Q2hlY2tvdXQ6MQ==",
                "locale": "en",
            }
        },
    ).data["simulate"]

    # then
    assert result["errors"] == []
    notice = result["actions"][0]
    assert notice["type"] == "free_shipping_notice"
    assert notice["slot"] == "bar"
    assert "12" in notice["message"]
    assert notice["data"]["threshold"] == {"amount": 50.0, "currency": "EUR"}


def test_simulate_names_unknown_channels_and_impossible_values(
    database: Database, merchant: MerchantInstallation
):
    # when
    unknown = run_query(database, merchant, SIMULATE, {"visitor": {"channel": "nope"}})
    negative = run_query(
        database, merchant, SIMULATE, {"visitor": {"channel": "default-channel", "cartValue": -5}}
    )
    foreign = run_query(
        database,
        merchant,
        SIMULATE,
        {"visitor": {"channel": "default-channel", "checkoutId": "Q2hlY2tvdXQ6OTk5"}},
    )

    # then
    assert unknown.data["simulate"]["errors"][0]["field"] == "visitor.channel"
    assert negative.data["simulate"]["errors"][0]["field"] == "visitor.cart_value"
    assert foreign.data["simulate"]["errors"][0]["field"] == "visitor.checkout_id"


def test_stats_are_listed_per_trigger_and_a_reversed_range_is_refused(
    database: Database, merchant: MerchantInstallation
):
    # given
    query = (
        "query($f: Date!, $t: Date!) { stats(from: $f, to: $t) { triggerId impressions clicks } }"
    )

    # when
    empty = run_query(database, merchant, query, {"f": "2026-01-01", "t": "2026-01-07"})
    reversed_range = run_query(database, merchant, query, {"f": "2026-01-07", "t": "2026-01-01"})
    not_a_date = run_query(database, merchant, query, {"f": "yesterday", "t": "2026-01-01"})

    # then
    assert empty.errors is None and empty.data["stats"] == []
    assert "`to` must not be before `from`" in reversed_range.errors[0].message
    assert not_a_date.data is None


def test_stats_rows_name_every_figure_of_the_contract_at_the_top_level(
    database: Database, merchant: MerchantInstallation
):
    # given the contract's figures per trigger, asked for directly on the row
    query = """query($f: Date!, $t: Date!) { stats(from: $f, to: $t) {
      triggerId impressions clicks dismissals conversions revenue { amount currency }
      control { impressions clicks dismissals conversions revenue { amount currency } }
      uplift { absolute low high } verdict moreVisitorsNeeded } }"""

    # when
    result = run_query(database, merchant, query, {"f": "2026-01-01", "t": "2026-01-07"})

    # then the document validates and runs
    assert result.errors is None
    assert result.data["stats"] == []


def test_a_preview_token_is_made_for_this_installation_only(
    database: Database, merchant: MerchantInstallation, other_merchant: MerchantInstallation
):
    # given
    from saleor_proactive.storefront.preview import PreviewTokens

    # when
    answer = run_query(
        database, merchant, "{ installation { previewToken { token expiresAt fragment } } }"
    ).data["installation"]["previewToken"]

    # then
    secret = merchant.context(database, True)().secret_key
    tokens = PreviewTokens(secret)
    assert tokens.is_valid(merchant.id, answer["token"])
    assert not tokens.is_valid(other_merchant.id, answer["token"])
    assert answer["fragment"] == "#saleor-proactive-preview=" + answer["token"]
    assert answer["expiresAt"].endswith("+00:00")
