from datetime import timedelta

from saleor_proactive.triggers.context import FrequencyState, Slot
from saleor_proactive.triggers.engine import evaluate, holdout_bucket
from tests.rules import chat_rule, free_shipping_rule
from tests.triggers.builders import NOW, context, facts, stored

ALWAYS = {"visitCount": {"gte": 1}}


def test_the_highest_priority_wins_each_slot_and_the_others_say_who_took_it() -> None:
    # given two prompts and a notice
    rules = [
        stored(chat_rule(when=ALWAYS, name="Low", priority=10), "low"),
        stored(chat_rule(when=ALWAYS, name="High", priority=300), "high"),
        stored(free_shipping_rule(priority=1), "notice"),
    ]

    # when
    evaluation = evaluate(context(), facts(cart="40", threshold="50"), rules)

    # then
    assert {(d.slot, d.trigger_id) for d in evaluation.decisions} == {
        (Slot.BUBBLE, "high"),
        (Slot.BAR, "notice"),
    }
    low = next(o for o in evaluation.outcomes if o.trigger_id == "low")
    assert (low.fired, low.shown) == (True, False)
    assert low.reasons == ["the bubble slot goes to 'High' (priority 300)"]


def test_equal_priorities_go_to_the_sooner_prompt_then_the_lower_id() -> None:
    # given
    later = stored(chat_rule(when={"timeOnPage": {"gte": 30}}), "a-later")
    now_b = stored(chat_rule(when=ALWAYS), "b-now")
    now_c = stored(chat_rule(when=ALWAYS), "c-now")

    # when
    evaluation = evaluate(context(), facts(), [now_c, later, now_b])

    # then
    assert [d.trigger_id for d in evaluation.decisions] == ["b-now"]


def test_outcomes_follow_the_order_of_the_rules() -> None:
    # given
    rules = [stored(chat_rule(when=ALWAYS, priority=p), f"t{p}") for p in (5, 50, 500, 0)]

    # when
    evaluation = evaluate(context(), facts(), rules)

    # then
    assert [o.trigger_id for o in evaluation.outcomes] == ["t5", "t50", "t500", "t0"]


def test_the_storefront_path_keeps_only_shown_and_held_out_triggers() -> None:
    # given a shown prompt, one that lost its slot, one that does not hold, and a control
    rules = [
        stored(chat_rule(when=ALWAYS, priority=200), "shown"),
        stored(chat_rule(when=ALWAYS, priority=100), "lost"),
        stored(chat_rule(when={"exitIntent": True}), "no"),
        stored(free_shipping_rule(holdoutPercent=50), "bar"),
    ]
    visitor_id = next(f"v_{n}" for n in range(100) if holdout_bucket("bar", f"v_{n}") < 5000)
    visitor = context(visitor_id=visitor_id)

    # when
    full = evaluate(visitor, facts(cart="40", threshold="50"), rules)
    quick = evaluate(visitor, facts(cart="40", threshold="50"), rules, explain=False)

    # then
    assert quick.decisions == full.decisions
    assert quick.control_exposures == full.control_exposures
    assert [o.trigger_id for o in quick.outcomes] == ["shown", "bar"]
    assert [o.trigger_id for o in full.outcomes] == ["shown", "lost", "no", "bar"]


def test_the_session_cap_stops_a_prompt_and_the_next_one_takes_the_slot() -> None:
    # given a visitor who already saw the top prompt once this session
    rules = [
        stored(chat_rule(when=ALWAYS, priority=200, frequency={"maxPerVisitor": 1}), "top"),
        stored(chat_rule(when=ALWAYS, priority=100), "next"),
    ]
    visitor = context(frequency={"top": FrequencyState(1, 1, 1, NOW - timedelta(minutes=2))})

    # when
    evaluation = evaluate(visitor, facts(), rules)

    # then
    assert [d.trigger_id for d in evaluation.decisions] == ["next"]
    top = evaluation.outcomes[0]
    assert (top.fired, top.shown) == (True, False)
    assert top.reasons == ["shown 1 time this session, max 1"]


def test_a_daily_cap_counts_only_the_current_utc_day() -> None:
    # given a cap of two a day, shown twice: once today, once counted yesterday
    rule = stored(chat_rule(when=ALWAYS, frequency={"maxPerVisitor": 2, "per": "day"}))
    today = FrequencyState(0, 2, 5, NOW - timedelta(hours=1))
    stale = FrequencyState(0, 2, 5, NOW - timedelta(days=1))

    # when
    capped = evaluate(context(frequency={"t1": today}), facts(), [rule])
    fresh = evaluate(context(frequency={"t1": stale}), facts(), [rule])

    # then
    assert capped.decisions == []
    assert capped.outcomes[0].reasons == ["shown 2 times today (UTC), max 2"]
    assert len(fresh.decisions) == 1


def test_a_lifetime_cap_counts_every_session() -> None:
    # given
    rule = stored(chat_rule(when=ALWAYS, frequency={"maxPerVisitor": 3, "per": "visitor"}))
    state = FrequencyState(0, 0, 3, NOW - timedelta(days=30))

    # when
    evaluation = evaluate(context(frequency={"t1": state}), facts(), [rule])

    # then
    assert evaluation.decisions == []
    assert evaluation.outcomes[0].reasons == ["shown 3 times in total, max 3"]


def test_a_cooldown_waits_after_the_last_impression_even_under_the_cap() -> None:
    # given
    frequency = {"maxPerVisitor": 5, "per": "session", "cooldownMinutes": 10}
    rule = stored(chat_rule(when=ALWAYS, frequency=frequency))

    # when
    recent = evaluate(
        context(frequency={"t1": FrequencyState(1, 1, 1, NOW - timedelta(minutes=4))}),
        facts(),
        [rule],
    )
    older = evaluate(
        context(frequency={"t1": FrequencyState(1, 1, 1, NOW - timedelta(minutes=10))}),
        facts(),
        [rule],
    )

    # then
    assert recent.decisions == []
    assert recent.outcomes[0].reasons == ["shown 4 minutes ago, cooldown 10 minutes"]
    assert len(older.decisions) == 1


def test_a_dismissal_quiets_prompts_but_not_the_free_shipping_bar() -> None:
    # given a prompt dismissed five minutes ago and a 30-minute quiet period
    rules = [stored(chat_rule(when=ALWAYS), "prompt"), stored(free_shipping_rule(), "bar")]
    visitor = context(last_dismissed_at=NOW - timedelta(minutes=5))

    # when
    evaluation = evaluate(visitor, facts(cart="40", threshold="50"), rules)

    # then
    assert [d.trigger_id for d in evaluation.decisions] == ["bar"]
    assert evaluation.outcomes[0].reasons == [
        "quiet period: a prompt was dismissed 5 minutes ago (no prompts for 30 minutes)"
    ]


def test_prompts_return_once_the_quiet_period_is_over() -> None:
    # given
    visitor = context(last_dismissed_at=NOW - timedelta(minutes=31))

    # when
    evaluation = evaluate(visitor, facts(), [stored(chat_rule(when=ALWAYS))])

    # then
    assert len(evaluation.decisions) == 1


def test_a_store_without_quiet_period_shows_prompts_right_after_a_dismissal() -> None:
    # given
    visitor = context(last_dismissed_at=NOW - timedelta(seconds=10))

    # when
    evaluation = evaluate(visitor, facts(quiet_period_minutes=0), [stored(chat_rule(when=ALWAYS))])

    # then
    assert len(evaluation.decisions) == 1


def test_markup_in_a_message_reaches_the_storefront_as_the_same_plain_text() -> None:
    # given
    text = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    rule = stored(chat_rule(when=ALWAYS, show={"type": "chat_prompt", "message": {"en": text}}))

    # when
    evaluation = evaluate(context(locale="en"), facts(), [rule])

    # then the text is passed on unchanged; the snippet renders it as text, never as HTML
    assert evaluation.decisions[0].message == text
