"""Warnings about valid rules: each says what a merchant would want to know before saving."""

from __future__ import annotations

from typing import Any

from saleor_proactive.triggers.rules import parse_rule
from saleor_proactive.triggers.warnings import rule_warnings
from tests.rules import AT_CHECKOUT, chat_rule, free_shipping_rule
from tests.triggers.builders import stored

SHOW_BOTH = {
    "type": "chat_prompt",
    "message": {"en": "Help?", "es": "¿Ayuda?"},
    "cta": {"en": "Chat", "es": "Chatea"},
}
BOTH: dict[str, Any] = {"show": SHOW_BOTH}  # a button in every language of the message


def warnings(document: dict[str, Any], *others: Any) -> list[tuple[str, str, str | None]]:
    found = rule_warnings(parse_rule(document), list(others), own_id="me")
    return [(w.code, w.field, w.trigger_id) for w in found]


def messages(document: dict[str, Any], *others: Any) -> list[str]:
    return [w.message for w in rule_warnings(parse_rule(document), list(others), own_id="me")]


def test_a_sensible_rule_has_no_warnings() -> None:
    assert warnings(chat_rule(**BOTH)) == []


def test_a_higher_priority_prompt_on_the_same_page_and_channels_shadows_it() -> None:
    # given a broader prompt at priority 300 on every channel
    broad = stored(chat_rule("Everywhere help", priority=300), "t_broad")
    narrow = chat_rule(
        "Late help",
        priority=100,
        channels=["default-channel"],
        when={"all": [AT_CHECKOUT, {"timeOnPage": {"gte": 60}}]},
        show={"type": "chat_prompt", "message": {"en": "Hi"}, "cta": {"en": "Chat"}},
    )

    # then
    assert warnings(narrow, broad) == [("shadowed", "priority", "t_broad")]
    assert "“Everywhere help” (priority 300)" in messages(narrow, broad)[0]


def test_no_shadow_from_a_lower_priority_another_slot_a_narrower_rule_or_itself() -> None:
    narrow = chat_rule("Late", when={"all": [AT_CHECKOUT, {"timeOnPage": {"gte": 60}}]})
    doc = chat_rule(priority=100, **BOTH)
    assert warnings(doc, stored(chat_rule(priority=50), "low")) == []
    assert warnings(doc, stored(free_shipping_rule(priority=900), "bar")) == []
    assert warnings(doc, stored({**narrow, "priority": 900}, "narrow")) == []
    assert warnings(doc, stored(chat_rule(priority=900, channels=["other"]), "elsewhere")) == []
    assert warnings(doc, stored(chat_rule(priority=900, enabled=False), "off")) == []
    assert warnings(doc, stored(chat_rule(priority=900), "me")) == []


def test_contradicting_bounds_on_one_fact_inside_all_never_hold() -> None:
    doc = chat_rule(
        when={"all": [{"cartValue": {"gte": 50}}, {"cartValue": {"lte": 10}}]},
        **BOTH,
    )
    assert warnings(doc) == [("never_holds", "when.all[1].cartValue", None)]


def test_disjoint_sets_and_impossible_bounds_never_hold() -> None:
    pages = chat_rule(
        when={"all": [AT_CHECKOUT, {"pageType": {"in": ["cart"]}}]},
        **BOTH,
    )
    below_zero = chat_rule(when={"cartItems": {"lt": 0}}, **BOTH)
    either = chat_rule(
        when={"any": [{"cartValue": {"gte": 50}}, {"cartValue": {"lte": 10}}]},
        **BOTH,
    )
    assert ("never_holds", "when.all[1].pageType", None) in warnings(pages)
    assert warnings(below_zero) == [("never_holds", "when.cartItems", None)]
    assert warnings(either) == []  # `any` of them can hold


def test_a_chat_prompt_without_button_text_is_named_per_language() -> None:
    none = chat_rule()
    del none["show"]["cta"]
    assert ("missing_cta", "show.cta", None) in warnings(none)
    # chat_rule's button is English only; its Spanish message has none
    assert warnings(chat_rule()) == [("missing_cta", "show.cta.es", None)]
    assert warnings(free_shipping_rule()) == []  # a notice has no button


def test_waits_longer_than_a_visit_are_flagged() -> None:
    page = chat_rule(
        when={"all": [AT_CHECKOUT, {"timeOnPage": {"gte": 3600}}]},
        **BOTH,
    )
    site = chat_rule(when={"timeOnSite": {"between": [9000, 9999]}}, **BOTH)
    fine = chat_rule(when={"timeOnPage": {"gte": 1500}}, **BOTH)
    assert warnings(page) == [("longer_than_visit", "when.all[1].timeOnPage.gte", None)]
    assert "1 h" in messages(page)[0]
    assert warnings(site) == [("longer_than_visit", "when.timeOnSite.between", None)]
    assert warnings(fine) == []
