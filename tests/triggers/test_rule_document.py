from saleor_proactive.triggers.context import ActionType
from saleor_proactive.triggers.rules import parse_rule
from tests.rules import chat_rule

CONTRACT_EXAMPLE = {
    "name": "Help at checkout",
    "enabled": True,
    "priority": 100,
    "channels": ["default-channel"],
    "when": {"all": [{"pageType": {"in": ["checkout"]}}, {"timeOnPage": {"gte": 45}}]},
    "show": {
        "type": "chat_prompt",
        "message": {"en": "Stuck? We are here to help.", "es": "¿Dudas? Te ayudamos."},
        "cta": {"en": "Chat with us", "es": "Chatea con nosotros"},
    },
    "frequency": {"maxPerVisitor": 1, "per": "session", "cooldownMinutes": 0},
    "holdoutPercent": 10,
    "schedule": {
        "timezone": "Europe/Madrid",
        "days": ["mon", "tue", "wed", "thu", "fri"],
        "from": "09:00",
        "to": "18:00",
    },
}


def test_the_contract_example_parses_and_comes_back_unchanged() -> None:
    # when
    rule = parse_rule(CONTRACT_EXAMPLE)

    # then
    assert rule.to_document() == CONTRACT_EXAMPLE
    assert rule.show.type is ActionType.CHAT_PROMPT
    assert rule.holdout_percent == 10


def test_a_minimal_rule_gets_the_documented_defaults() -> None:
    # given
    document = chat_rule(when={"pageType": {"in": ["faq"]}})

    # when
    normalised = parse_rule(document).to_document()

    # then
    assert normalised["enabled"] is True
    assert normalised["priority"] == 100
    assert normalised["channels"] == []
    assert normalised["frequency"] == {"maxPerVisitor": 1, "per": "session", "cooldownMinutes": 0}
    assert normalised["holdoutPercent"] == 0
    assert "schedule" not in normalised


def test_normalising_tidies_tags_booleans_duplicates_and_day_order() -> None:
    # given
    document = chat_rule(
        when={
            "all": [
                {"exitIntent": True},
                {"locale": {"in": ["ES-mx", "de", "de"]}},
                {"country": {"in": ["es", "ES"]}},
            ]
        },
        show={"type": "chat_prompt", "message": {"EN": "Hi", "pt_br": "Oi"}},
        schedule={"timezone": "UTC", "days": ["fri", "mon", "fri"]},
    )

    # when
    normalised = parse_rule(document).to_document()

    # then
    assert normalised["when"] == {
        "all": [
            {"exitIntent": {"eq": True}},
            {"locale": {"in": ["es-MX", "de"]}},
            {"country": {"in": ["ES"]}},
        ]
    }
    assert normalised["show"]["message"] == {"en": "Hi", "pt-BR": "Oi"}
    assert normalised["schedule"] == {"timezone": "UTC", "days": ["mon", "fri"]}
    assert parse_rule(normalised).to_document() == normalised


def test_a_free_shipping_notice_keeps_its_reached_message() -> None:
    # given
    document = chat_rule(
        when={"remainingToFreeShipping": {"lte": 15}},
        show={
            "type": "free_shipping_notice",
            "message": {"en": "{remaining} to go, free from {threshold} (cart {cartValue})"},
            "reachedMessage": {"en": "Free shipping unlocked!"},
        },
    )

    # when
    rule = parse_rule(document)

    # then
    assert rule.show.reached_message == {"en": "Free shipping unlocked!"}
    assert rule.to_document()["show"] == document["show"]


def test_a_null_schedule_or_cta_means_none() -> None:
    # given
    document = chat_rule(
        when={"pageType": {"in": ["faq"]}},
        schedule=None,
        show={"type": "chat_prompt", "message": {"en": "Hi"}, "cta": None},
    )

    # when
    rule = parse_rule(document)

    # then
    assert rule.schedule is None
    assert rule.show.cta is None
