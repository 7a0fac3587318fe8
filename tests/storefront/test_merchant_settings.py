from decimal import Decimal

import pytest

from saleor_proactive.merchant_settings import MerchantSettings
from saleor_proactive.store.merchant_settings import load_settings, save_settings
from saleor_proactive.store.models import Installation
from saleor_proactive.triggers.rules import parse_rule
from saleor_proactive.validation import DocumentError
from tests.rules import chat_rule


def test_defaults_need_no_configuration() -> None:
    # when
    settings = MerchantSettings.from_json({})

    # then
    assert settings.chat.provider == "builtin"
    assert settings.storefront_origins == ()
    assert settings.consent_required is False
    assert settings.quiet_period_minutes == 30
    assert settings.attribution_window_days == 7
    assert settings.retention_days == 90
    assert settings.theme.position == "bottom-right"
    assert settings.theme.bar_position == "bottom"
    assert {p.page_type for p in settings.page_patterns} >= {"checkout", "contact", "faq", "cart"}


def test_settings_round_trip_through_json() -> None:
    # given
    document = {
        "chat": {"provider": "whatsapp", "number": "+34 600 000 000"},
        "storefrontOrigins": ["https://Shop.example.com/"],
        "pagePatterns": [{"pattern": "*/ayuda*", "pageType": "faq"}],
        "consentRequired": True,
        "theme": {
            "primaryColor": "#AA0000",
            "textColor": "#fff",
            "position": "bottom-left",
            "barPosition": "top",
        },
        "quietPeriodMinutes": 10,
        "freeShippingOverrides": {"default-channel": 45, "channel-usd": None},
        "attributionWindowDays": 14,
        "retentionDays": 30,
    }

    # when
    settings = MerchantSettings.from_json(document)
    again = MerchantSettings.from_json(settings.to_json())

    # then
    assert again == settings
    assert settings.chat.number == "+34600000000"
    assert settings.storefront_origins == ("https://shop.example.com",)
    assert settings.free_shipping_overrides == {"default-channel": Decimal(45), "channel-usd": None}
    assert settings.theme.primary_color == "#aa0000"
    assert settings.theme.bar_position == "top"


@pytest.mark.parametrize(
    ("document", "path"),
    [
        ({"chat": {"provider": "whatsapp"}}, "chat.number"),
        ({"chat": {"provider": "pigeon"}}, "chat.provider"),
        ({"chat": {"provider": "crisp", "number": "+34600000000"}}, "chat.number"),
        ({"storefrontOrigins": ["shop.example.com"]}, "storefrontOrigins[0]"),
        ({"storefrontOrigins": "https://a.example"}, "storefrontOrigins"),
        ({"pagePatterns": [{"pattern": "*/x", "pageType": "basket"}]}, "pagePatterns[0].pageType"),
        ({"pagePatterns": [{"pattern": "", "pageType": "cart"}]}, "pagePatterns[0].pattern"),
        ({"consentRequired": "yes"}, "consentRequired"),
        ({"theme": {"primaryColor": "red"}}, "theme.primaryColor"),
        ({"theme": {"position": "top"}}, "theme.position"),
        ({"theme": {"barPosition": "left"}}, "theme.barPosition"),
        ({"theme": {"barPosition": None}}, "theme.barPosition"),
        ({"quietPeriodMinutes": -1}, "quietPeriodMinutes"),
        ({"quietPeriodMinutes": True}, "quietPeriodMinutes"),
        ({"freeShippingOverrides": {"eu": "lots"}}, "freeShippingOverrides.eu"),
        ({"freeShippingOverrides": {"eu": -5}}, "freeShippingOverrides.eu"),
        ({"attributionWindowDays": 31}, "attributionWindowDays"),
        ({"retentionDays": 0}, "retentionDays"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_invalid_settings_name_the_field(document: dict[str, object], path: str) -> None:
    # when
    with pytest.raises(DocumentError) as raised:
        MerchantSettings.from_json(document)

    # then
    assert raised.value.path == path


def test_update_replaces_only_the_given_keys() -> None:
    # given
    settings = MerchantSettings.from_json({"chat": {"provider": "crisp"}, "quietPeriodMinutes": 5})

    # when
    updated = settings.updated({"quietPeriodMinutes": 15})

    # then
    assert updated.chat.provider == "crisp"
    assert updated.quiet_period_minutes == 15


def test_origin_check_allows_any_origin_until_the_merchant_restricts_them() -> None:
    # given
    open_settings = MerchantSettings()
    closed = MerchantSettings.from_json({"storefrontOrigins": ["https://shop.example.com"]})

    # then
    assert open_settings.origin_allowed("https://evil.example")
    assert closed.origin_allowed("https://shop.example.com")
    assert not closed.origin_allowed("https://evil.example")


def test_saved_settings_load_back_and_keep_other_keys(database) -> None:  # type: ignore[no-untyped-def]
    # given
    with database.session() as session:
        installation = _installation(session, settings={"somethingElse": 1})
        settings = MerchantSettings.from_json({"chat": {"provider": "tawk"}})

        # when
        save_settings(session, installation, settings)
        installation_id = installation.id

    # then
    with database.session() as session:
        stored = session.get(Installation, installation_id)
        assert stored is not None
        assert load_settings(stored) == settings
        assert stored.settings["somethingElse"] == 1


def _installation(session, settings):  # type: ignore[no-untyped-def]
    from saleor_proactive.store.models import utcnow

    installation = Installation(
        saleor_api_url="https://shop.example.com/graphql/",
        app_id="QXBwOjE=",
        token_encrypted="x",
        jwks={},
        jwks_fetched_at=utcnow(),
        settings=settings,
    )
    session.add(installation)
    session.flush()
    return installation


@pytest.mark.parametrize(
    ("settings_document", "rule_overrides", "settings_message", "rule_message"),
    [
        ({"theme": []}, {"frequency": []}, "must be an object, got a list", None),
        ({"storefrontOrigins": "x"}, {"channels": "x"}, "must be a list, got a string", None),
        (
            {"consentRequired": "yes"},
            {"enabled": "yes"},
            "must be true or false, got a string",
            None,
        ),
        (
            {"colour": 1},
            {"colour": 1},
            "unknown key; allowed: chat, storefrontOrigins",
            "unknown key",
        ),
        (
            {"quietPeriodMinutes": 5000},
            {"frequency": {"cooldownMinutes": 10**7}},
            "must be from 0 to 1440",
            "must be from 0 to 525600",
        ),
    ],
)
def test_the_same_mistake_gets_the_same_words_in_settings_and_in_a_rule(
    settings_document: dict[str, object],
    rule_overrides: dict[str, object],
    settings_message: str,
    rule_message: str | None,
) -> None:
    # when
    with pytest.raises(DocumentError) as in_settings:
        MerchantSettings.from_json(settings_document)
    with pytest.raises(DocumentError) as in_rule:
        parse_rule(chat_rule(when={"pageType": {"in": ["faq"]}}, **rule_overrides))

    # then
    assert in_settings.value.message.startswith(settings_message)
    assert in_rule.value.message.startswith(rule_message or settings_message)


@pytest.mark.parametrize(
    ("document", "path"),
    [
        ({"quietPeriodMinutes": -1, "colour": "blue"}, "quietPeriodMinutes"),
        ({"theme": {"primaryColor": "red", "shade": 1}}, "theme.primaryColor"),
        ({"retentionDays": 0, "quietPeriodMinutes": -1}, "retentionDays"),
        ({"chat": {"number": "+34600000000", "provider": "pigeon"}}, "chat.provider"),
    ],
)
def test_of_several_problems_in_settings_the_first_in_the_document_is_reported(
    document: dict[str, object], path: str
) -> None:
    # when
    with pytest.raises(DocumentError) as raised:
        MerchantSettings.from_json(document)

    # then
    assert raised.value.path == path
