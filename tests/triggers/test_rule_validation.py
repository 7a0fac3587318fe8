import time
from typing import Any

import pytest

from saleor_proactive.triggers.rules import parse_rule
from saleor_proactive.validation import DocumentError
from tests.rules import chat_rule, free_shipping_rule

CHECKOUT = {"pageType": {"in": ["checkout"]}}
REQUIRED = ("name", "when", "show")


def bare_chat(**fields: Any) -> dict[str, Any]:
    """A chat rule of its required fields only, so the parser's own defaults apply."""
    document = chat_rule(when=CHECKOUT)
    return {**{key: document[key] for key in REQUIRED}, **fields}


def bare_notice(**fields: Any) -> dict[str, Any]:
    """The free-shipping rule of its required fields only."""
    document = free_shipping_rule()
    return {**{key: document[key] for key in REQUIRED}, **fields}


def refusal(document: Any) -> DocumentError:
    with pytest.raises(DocumentError) as caught:
        parse_rule(document)
    return caught.value


@pytest.mark.parametrize(
    ("when", "path", "words"),
    [
        (
            {"all": [CHECKOUT, {"timeOnPage": {"gte": "60"}}]},
            "when.all[1].timeOnPage.gte",
            "number",
        ),
        (
            {"all": [CHECKOUT, {"timeOnPage": {"gte": -5}}]},
            "when.all[1].timeOnPage.gte",
            "negative",
        ),
        ({"cartValue": {"gte": -0.01}}, "when.cartValue.gte", "negative"),
        ({"cartValue": {"gte": True}}, "when.cartValue.gte", "number"),
        ({"cartValue": {"gte": float("inf")}}, "when.cartValue.gte", "finite"),
        ({"cartValue": {"gte": 10**13}}, "when.cartValue.gte", "at most"),
        ({"country": {"in": ["ES"] * 51}}, "when.country.in", "at most 50"),
        ({"cartValue": {"gte": 1.00001}}, "when.cartValue.gte", "decimal places"),
        ({"pagesViewed": {"gte": 2.5}}, "when.pagesViewed.gte", "whole number"),
        ({"cartValue": {"between": [20, 10]}}, "when.cartValue.between", "must not exceed"),
        ({"cartValue": {"between": [10]}}, "when.cartValue.between", "two numbers"),
        ({"cartValue": {"between": [10, "x"]}}, "when.cartValue.between[1]", "number"),
        ({"cartValue": {"in": [10]}}, "when.cartValue.in", "unknown operator"),
        ({"cartValue": {"gte": 1, "lte": 5}}, "when.cartValue", "exactly one operator"),
        ({"cartValue": {}}, "when.cartValue", "exactly one operator"),
        ({"cartValue": 100}, "when.cartValue", "object"),
        ({"basketValue": {"gte": 1}}, "when.basketValue", "unknown condition"),
        ({"all": []}, "when.all", "at least one"),
        ({"any": []}, "when.any", "at least one"),
        ({"all": CHECKOUT}, "when.all", "list"),
        ({"not": []}, "when.not", "object"),
        ({}, "when", "exactly one key"),
        ({"pageType": {"in": ["checkout"]}, "device": {"in": ["mobile"]}}, "when", "exactly one"),
        ({"pageType": {"in": ["basket"]}}, "when.pageType.in[0]", "unknown page type"),
        ({"pageType": {"in": []}}, "when.pageType.in", "at least one"),
        ({"pageType": {"eq": "checkout"}}, "when.pageType.eq", "unknown operator"),
        ({"device": {"in": ["watch"]}}, "when.device.in[0]", "unknown device"),
        ({"locale": {"in": ["spanish!"]}}, "when.locale.in[0]", "language tag"),
        ({"country": {"in": ["ESP"]}}, "when.country.in[0]", "two-letter"),
        ({"channel": {"in": ["a b"]}}, "when.channel.in[0]", "slug"),
        ({"url": {"matches": 5}}, "when.url.matches", "string"),
        ({"url": {"matches": ""}}, "when.url.matches", "characters"),
        ({"url": {"matches": "*/\ud800*"}}, "when.url.matches", "surrogates"),
        ({"url": {"eq": "https://shop/\x00"}}, "when.url.eq", "control"),
        # a week at most: showAfterMs must stay within what browsers' setTimeout can wait
        ({"timeOnPage": {"gte": 7 * 24 * 3600 + 1}}, "when.timeOnPage.gte", "at most 604800"),
        ({"timeOnSite": {"between": [0, 10**12]}}, "when.timeOnSite.between[1]", "at most"),
        ({"returning": {"eq": "yes"}}, "when.returning.eq", "true or false"),
        ({"exitIntent": {"gte": 1}}, "when.exitIntent.gte", "unknown operator"),
        (
            {"any": [CHECKOUT, {"not": {"visitCount": {"lt": None}}}]},
            "when.any[1].not.visitCount.lt",
            "number",
        ),
    ],
)
def test_a_bad_condition_is_refused_with_the_path_of_the_problem(
    when: dict[str, Any], path: str, words: str
) -> None:
    # given
    document = chat_rule(when=when)

    # when
    error = refusal(document)

    # then
    assert error.path == path
    assert words in error.message
    assert error.as_json() == {"field": path, "message": error.message}


@pytest.mark.parametrize(
    ("overrides", "path", "words"),
    [
        ({"colour": "red"}, "colour", "unknown key"),
        ({"name": ""}, "name", "1 to 200"),
        ({"name": 5}, "name", "string"),
        ({"name": "a\x00b"}, "name", "control"),
        ({"enabled": "yes"}, "enabled", "true or false"),
        ({"priority": 1.5}, "priority", "whole number"),
        ({"priority": -1}, "priority", "from 0"),
        ({"priority": float("inf")}, "priority", "whole number"),
        ({"priority": 10**400}, "priority", "from 0"),  # valid JSON; too large for a float
        ({"name": "Hi \ud800"}, "name", "surrogates"),
        ({"channels": "default-channel"}, "channels", "list"),
        ({"channels": ["ok", ""]}, "channels[1]", "slug"),
        ({"holdoutPercent": 51}, "holdoutPercent", "0 to 50"),
        ({"holdoutPercent": -1}, "holdoutPercent", "0 to 50"),
        ({"holdoutPercent": 10.001}, "holdoutPercent", "decimal"),
        ({"holdoutPercent": "10"}, "holdoutPercent", "number"),
        ({"frequency": {"maxPerVisitor": 0}}, "frequency.maxPerVisitor", "from 1"),
        ({"frequency": {"per": "week"}}, "frequency.per", "unknown period"),
        ({"frequency": {"per": ["day"]}}, "frequency.per", "unknown period"),
        ({"frequency": {"cooldownMinutes": -1}}, "frequency.cooldownMinutes", "from 0"),
        ({"frequency": {"cooldownMinutes": 1.5}}, "frequency.cooldownMinutes", "whole"),
        ({"frequency": {"max": 1}}, "frequency.max", "unknown key"),
        ({"frequency": []}, "frequency", "object"),
        ({"schedule": {"days": ["mon"]}}, "schedule.timezone", "required"),
        ({"schedule": {"timezone": "Mars/Olympus"}}, "schedule.timezone", "unknown time zone"),
        ({"schedule": {"timezone": "../etc/passwd"}}, "schedule.timezone", "IANA"),
        # zone files that are not zones: the server's own zone, the POSIX default rules, copies
        ({"schedule": {"timezone": "localtime"}}, "schedule.timezone", "unknown time zone"),
        ({"schedule": {"timezone": "posixrules"}}, "schedule.timezone", "unknown time zone"),
        ({"schedule": {"timezone": "posix/Europe/Madrid"}}, "schedule.timezone", "unknown"),
        ({"schedule": {"timezone": "right/UTC"}}, "schedule.timezone", "unknown time zone"),
        ({"schedule": {"timezone": "UTC", "days": ["monday"]}}, "schedule.days[0]", "unknown day"),
        ({"schedule": {"timezone": "UTC", "days": []}}, "schedule.days", "at least one"),
        (
            {"schedule": {"timezone": "UTC", "from": "9:00", "to": "18:00"}},
            "schedule.from",
            "HH:MM",
        ),
        ({"schedule": {"timezone": "UTC", "from": "09:00", "to": "24:00"}}, "schedule.to", "HH:MM"),
        ({"schedule": {"timezone": "UTC", "from": "09:00"}}, "schedule.to", "go together"),
        (
            {"schedule": {"timezone": "UTC", "from": "09:00", "to": "09:00"}},
            "schedule.to",
            "differ",
        ),
        ({"schedule": {"timezone": "UTC", "hours": 3}}, "schedule.hours", "unknown key"),
    ],
)
def test_a_bad_rule_setting_is_refused_with_its_path(
    overrides: dict[str, Any], path: str, words: str
) -> None:
    # given
    document = chat_rule(when=CHECKOUT, **overrides)

    # when
    error = refusal(document)

    # then
    assert (error.path, words in error.message) == (path, True), error.message


@pytest.mark.parametrize(
    ("show", "path", "words"),
    [
        ({"type": "popup", "message": {"en": "x"}}, "show.type", "one of"),
        ({"type": "chat_prompt"}, "show.message", "required"),
        ({"type": "chat_prompt", "message": "Hi"}, "show.message", "object"),
        ({"type": "chat_prompt", "message": {}}, "show.message", "at least one language"),
        ({"type": "chat_prompt", "message": {"en": ""}}, "show.message.en", "empty"),
        ({"type": "chat_prompt", "message": {"en": 3}}, "show.message.en", "string"),
        ({"type": "chat_prompt", "message": {"en": "Hi \udfff"}}, "show.message.en", "surrogates"),
        (
            {"type": "chat_prompt", "message": {"español": "Hola"}},
            "show.message.español",
            "language tag",
        ),
        ({"type": "chat_prompt", "message": {"es": "a", "ES": "b"}}, "show.message.ES", "twice"),
        ({"type": "chat_prompt", "message": {"en": "Hi {name}"}}, "show.message.en", "placeholder"),
        (
            {"type": "chat_prompt", "message": {"en": "Hi"}, "cta": {"en": "x" * 101}},
            "show.cta.en",
            "at most 100",
        ),
        (
            {"type": "chat_prompt", "message": {"en": "Hi"}, "reachedMessage": {"en": "x"}},
            "show.reachedMessage",
            "unknown key",
        ),
        (
            {"type": "free_shipping_notice", "message": {"en": "Almost there"}},
            "show.message.en",
            "{remaining}",
        ),
        (
            {"type": "free_shipping_notice", "message": {"en": "{remaining} {total}"}},
            "show.message.en",
            "unknown placeholder",
        ),
        (
            {"type": "free_shipping_notice", "message": {"en": "{remaining}"}, "cta": {"en": "Go"}},
            "show.cta",
            "unknown key",
        ),
        (
            {
                "type": "free_shipping_notice",
                "message": {"en": "{remaining}"},
                "reachedMessage": {"en": "{shipping}"},
            },
            "show.reachedMessage.en",
            "placeholder",
        ),
    ],
)
def test_a_bad_show_block_is_refused_with_its_path(
    show: dict[str, Any], path: str, words: str
) -> None:
    # given
    document = chat_rule(when=CHECKOUT, show=show)

    # when
    error = refusal(document)

    # then
    assert (error.path, words in error.message) == (path, True), error.message


@pytest.mark.parametrize("junk", [None, [], "rule", 42, {"when": CHECKOUT}])
def test_something_that_is_not_a_rule_document_is_refused(junk: Any) -> None:
    # when
    error = refusal(junk)

    # then
    assert error.path in ("document", "name")


def test_ten_thousand_conditions_are_refused_quickly_at_the_limit() -> None:
    # given
    document = chat_rule(when={"any": [{"visitCount": {"gte": i}} for i in range(10_000)]})

    # when
    started = time.perf_counter()
    error = refusal(document)
    elapsed = time.perf_counter() - started

    # then
    assert error.path == "when.any"
    assert "at most 100" in error.message
    assert elapsed < 0.05


def test_the_hundred_and_first_condition_is_where_a_nested_rule_is_refused() -> None:
    # given `any` of 51 pairs, each an `all` of two leaves: 1 + 51 * 3 conditions
    pair = {"all": [CHECKOUT, {"visitCount": {"gte": 1}}]}
    document = chat_rule(when={"any": [pair] * 51})

    # when
    error = refusal(document)

    # then after 1 + 33 * 3 = 100 conditions, the 34th pair is the 101st
    assert error.path == "when.any[33]"


def test_conditions_nested_deeper_than_ten_levels_are_refused() -> None:
    # given
    when: dict[str, Any] = CHECKOUT
    for _ in range(10):
        when = {"not": when}

    # when
    error = refusal(chat_rule(when=when))

    # then
    assert error.path == "when" + ".not" * 10
    assert "10 levels" in error.message


def test_a_megabyte_message_is_refused() -> None:
    # given
    show = {"type": "chat_prompt", "message": {"en": "a" * 1_000_000}}

    # when
    error = refusal(chat_rule(when=CHECKOUT, show=show))

    # then
    assert error.path == "show.message.en"
    assert "at most 1000 characters" in error.message


def test_more_than_twenty_languages_are_refused() -> None:
    # given
    languages = ["en", "es", "de", "fr", "it", "pt", "nl", "sv", "da", "fi", "no", "pl", "cs",
                 "sk", "hu", "ro", "bg", "el", "tr", "ja", "ko"]  # fmt: skip
    show = {"type": "chat_prompt", "message": {tag: "Hi" for tag in languages}}

    # when
    error = refusal(chat_rule(when=CHECKOUT, show=show))

    # then
    assert error.path == "show.message"
    assert "at most 20 languages" in error.message


def test_the_first_problem_in_document_order_is_reported() -> None:
    # given two problems: the condition comes before the show block
    document = free_shipping_rule(
        {"all": [{"timeOnPage": {"gte": -1}}]},
        show={"type": "free_shipping_notice", "message": {"en": "no placeholder"}},
    )

    # when
    error = refusal(document)

    # then
    assert error.path == "when.all[0].timeOnPage.gte"


def test_script_tags_in_a_message_are_kept_as_plain_text() -> None:
    # given
    text = "<script>alert('x')</script> <b>Hola</b>"
    show = {"type": "chat_prompt", "message": {"es": text}}

    # when
    rule = parse_rule(chat_rule(when=CHECKOUT, show=show))

    # then
    assert rule.show.message == {"es": text}
    assert rule.to_document()["show"]["message"]["es"] == text


@pytest.mark.parametrize(
    ("overrides", "path"),
    [
        ({"name": 5, "colour": "red"}, "name"),
        ({"priority": -1, "holdoutPercent": 51}, "priority"),
        ({"frequency": {"maxPerVisitor": 0, "max": 1}}, "frequency.maxPerVisitor"),
        ({"frequency": {"per": "week", "maxPerVisitor": 0}}, "frequency.per"),
        ({"schedule": {"timezone": "UTC", "days": ["monday"], "hours": 3}}, "schedule.days[0]"),
        ({"schedule": {"days": ["monday"]}}, "schedule.days[0]"),
    ],
)
def test_of_several_problems_the_first_in_the_document_is_reported(
    overrides: dict[str, Any], path: str
) -> None:
    # given a document with an unknown key or a bad value after another bad value
    document = bare_chat(**overrides)

    # when
    error = refusal(document)

    # then
    assert error.path == path, error.message


def test_an_unknown_show_key_after_a_bad_message_is_reported_after_it() -> None:
    # given
    show = {"type": "chat_prompt", "message": {"en": ""}, "colour": "red"}

    # when
    error = refusal(bare_chat(show=show))

    # then
    assert error.path == "show.message.en"


@pytest.mark.parametrize(
    "nulls",
    [
        {"enabled": None},
        {"priority": None},
        {"channels": None},
        {"frequency": None},
        {"holdoutPercent": None},
        {"schedule": None},
        {"frequency": {"maxPerVisitor": None, "per": None, "cooldownMinutes": None}},
        {"schedule": {"timezone": "UTC", "days": None, "from": None, "to": None}},
        {"show": {"type": "chat_prompt", "message": {"en": "Hi"}, "cta": None}},
    ],
)
def test_null_for_an_optional_field_is_the_same_as_leaving_it_out(
    nulls: dict[str, Any],
) -> None:
    # given
    left_out = {
        key: {k: v for k, v in value.items() if v is not None} if isinstance(value, dict) else value
        for key, value in nulls.items()
        if value is not None
    }

    # when
    with_nulls = parse_rule(bare_chat(**nulls))
    without = parse_rule(bare_chat(**left_out))

    # then
    assert with_nulls == without


def test_null_reached_message_is_the_same_as_leaving_it_out() -> None:
    # given
    show = {"type": "free_shipping_notice", "message": {"en": "{remaining} to go"}}

    # when
    rule = parse_rule(bare_notice(show={**show, "reachedMessage": None}))

    # then
    assert rule == parse_rule(bare_notice(show=show))


@pytest.mark.parametrize(("field", "path"), [("name", "name"), ("when", "when"), ("show", "show")])
def test_null_for_a_required_field_is_a_missing_field(field: str, path: str) -> None:
    # given
    document = {**bare_chat(), field: None}

    # when
    error = refusal(document)

    # then
    assert (error.path, error.message) == (path, "is required")
