from saleor_proactive.triggers.engine import evaluate, holdout_bucket
from tests.rules import chat_rule
from tests.triggers.builders import context, facts, stored

ALWAYS = {"visitCount": {"gte": 1}}


def test_ten_percent_of_ten_thousand_visitors_land_in_the_control_group() -> None:
    # given
    rule = stored(chat_rule(when=ALWAYS, holdoutPercent=10), "trigger-a")

    # when
    held_out = sum(
        evaluate(context(visitor_id=f"v_{n}"), facts(), [rule], explain=False).outcomes[0].holdout
        for n in range(10_000)
    )

    # then
    assert 900 <= held_out <= 1100


def test_control_membership_is_stable_per_visitor_and_differs_per_trigger() -> None:
    # given
    visitors = [f"v_{n}" for n in range(2000)]

    # when
    first = [holdout_bucket("trigger-a", v) for v in visitors]
    again = [holdout_bucket("trigger-a", v) for v in visitors]
    other = [holdout_bucket("trigger-b", v) for v in visitors]

    # then
    assert first == again
    assert all(0 <= b < 10_000 for b in first)
    in_a = {v for v, b in zip(visitors, first, strict=True) if b < 1000}
    in_b = {v for v, b in zip(visitors, other, strict=True) if b < 1000}
    assert in_a != in_b


def test_a_held_out_winner_is_recorded_and_keeps_its_slot_empty() -> None:
    # given a visitor in the control group of the top prompt (50 % hold-out)
    top = chat_rule(when=ALWAYS, name="Top", priority=200, holdoutPercent=50)
    visitor_id = next(f"v_{n}" for n in range(100) if holdout_bucket("top", f"v_{n}") < 5000)
    rules = [stored(top, "top"), stored(chat_rule(when=ALWAYS, priority=100), "next")]

    # when
    evaluation = evaluate(context(visitor_id=visitor_id), facts(), rules)

    # then
    assert evaluation.decisions == []
    (control,) = evaluation.control_exposures
    assert (control.trigger_id, control.fired, control.shown) == ("top", True, False)
    assert control.reasons == [
        "held out: this visitor is in the control group of “Top” "
        "(50 % of visitors never see it, to measure what it earns)"
    ]
    assert evaluation.outcomes[1].reasons == ["the bubble slot goes to 'Top' (priority 200)"]


def test_a_treated_visitor_sees_the_trigger() -> None:
    # given
    visitor_id = next(f"v_{n}" for n in range(100) if holdout_bucket("top", f"v_{n}") >= 5000)
    rule = stored(chat_rule(when=ALWAYS, holdoutPercent=50), "top")

    # when
    evaluation = evaluate(context(visitor_id=visitor_id), facts(), [rule])

    # then
    assert [d.trigger_id for d in evaluation.decisions] == ["top"]
    assert evaluation.control_exposures == []
