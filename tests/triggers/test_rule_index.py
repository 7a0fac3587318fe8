"""The storefront's rule index: on a page, only the rules that can hold there are evaluated."""

from saleor_proactive.triggers.engine import RuleBook, evaluate
from tests.rules import chat_rule
from tests.triggers.builders import context, facts, stored

CHECKOUT = {"pageType": {"in": ["checkout"]}}
HELP_PAGES = {"pageType": {"in": ["contact", "faq"]}}
LINGER = {"timeOnPage": {"gte": 30}}


def _book() -> RuleBook:
    return RuleBook(
        [
            stored(chat_rule(when={"all": [CHECKOUT, LINGER]}), "checkout-only"),
            stored(chat_rule(when={"any": [CHECKOUT, HELP_PAGES]}), "checkout-or-help"),
            stored(chat_rule(when={"any": [CHECKOUT, LINGER]}), "any-page"),
            stored(chat_rule(when={"not": HELP_PAGES}), "not-help"),
            stored(chat_rule(when={"all": [CHECKOUT, HELP_PAGES]}), "never"),
            stored(chat_rule(when=CHECKOUT, enabled=False), "disabled"),
            stored(chat_rule(when=CHECKOUT, channels=["channel-usd"]), "usd-only"),
        ]
    )


def _candidate_ids(book: RuleBook, channel: str, page_type: str | None) -> list[str]:
    return [stored.id for _, stored, _, _ in book.candidates(channel, page_type)]


def test_each_page_lists_only_the_enabled_rules_of_the_channel_that_can_hold_there() -> None:
    book = _book()

    assert _candidate_ids(book, "default-channel", "checkout") == [
        "checkout-only",
        "checkout-or-help",
        "any-page",
        "not-help",
    ]
    # "not on a help page" is not analysed: the index may keep a rule, the condition decides
    assert _candidate_ids(book, "default-channel", "faq") == [
        "checkout-or-help",
        "any-page",
        "not-help",
    ]
    assert _candidate_ids(book, "default-channel", None) == ["any-page", "not-help"]
    assert _candidate_ids(book, "channel-usd", "checkout") == [
        "checkout-only",
        "checkout-or-help",
        "any-page",
        "not-help",
        "usd-only",
    ]


def test_the_index_changes_no_decision() -> None:
    book = _book()
    for page_type in ("checkout", "faq", "product", None):
        visitor = context(page_type=page_type, time_on_page=45.0)

        full = evaluate(visitor, facts(), list(book), explain=False)
        indexed = evaluate(visitor, facts(), book, explain=False)

        assert indexed.decisions == full.decisions
        assert indexed.decisions  # something shows on every page here
