from saleor_proactive.triggers.context import Slot
from saleor_proactive.triggers.defaults import default_rule_documents
from saleor_proactive.triggers.engine import StoredRule, evaluate
from saleor_proactive.triggers.rules import parse_rule
from tests.triggers.builders import context, facts


def test_every_default_parses_round_trips_and_speaks_english_and_spanish() -> None:
    # given
    documents = default_rule_documents()

    # when
    rules = [parse_rule(d) for d in documents]

    # then
    assert len(rules) == 6
    assert all(r.enabled for r in rules)
    assert [parse_rule(r.to_document()) for r in rules] == rules
    assert all({"en", "es"} <= set(r.show.message) for r in rules)


def test_defaults_greet_a_spanish_visitor_on_the_contact_page_near_free_shipping() -> None:
    # given the defaults without their hold-out, so every visitor is treated
    documents = [{**d, "holdoutPercent": 0} for d in default_rule_documents()]
    rules = [StoredRule(f"t{i}", parse_rule(d)) for i, d in enumerate(documents)]
    visitor = context(page_type="contact", locale="es-ES")

    # when
    evaluation = evaluate(visitor, facts(cart="38", threshold="50"), rules)

    # then
    by_slot = {d.slot: d for d in evaluation.decisions}
    assert by_slot[Slot.BAR].message == "Te faltan 12,00 € para el envío gratis"
    assert by_slot[Slot.BUBBLE].message.startswith("¿No encuentras la respuesta?")
    assert by_slot[Slot.BUBBLE].cta == "Chatea con nosotros"
    assert by_slot[Slot.BUBBLE].show_after_ms == 0


def test_defaults_wait_a_minute_on_checkout_before_offering_help() -> None:
    # given
    documents = [{**d, "holdoutPercent": 0} for d in default_rule_documents()]
    rules = [StoredRule(f"t{i}", parse_rule(d)) for i, d in enumerate(documents)]
    visitor = context(page_type="checkout", time_on_page=15.0, locale="en-GB")

    # when
    evaluation = evaluate(visitor, facts(), rules)

    # then
    (decision,) = evaluation.decisions
    assert decision.slot == Slot.BUBBLE
    assert decision.show_after_ms == 45_000
    assert decision.message.startswith("Questions about delivery")
