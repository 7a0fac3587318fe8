import pytest

from saleor_proactive.rulebook import create_trigger, load_enabled_rules, update_trigger
from saleor_proactive.store.db import Database
from saleor_proactive.store.triggers import (
    delete_trigger,
    get_trigger,
    list_triggers,
    rules_revision,
)
from saleor_proactive.validation import DocumentError
from tests.fixtures.storefront import ShopRows
from tests.rules import chat_rule


def test_created_trigger_is_normalised_and_listed_by_priority(
    database: Database, shop: ShopRows
) -> None:
    # given
    with database.session() as session:
        low = create_trigger(session, shop.installation_id, chat_rule("low", priority=10))
        high = create_trigger(session, shop.installation_id, chat_rule("high", priority=500))

        # when
        listed = list_triggers(session, shop.installation_id)

    # then
    assert [t.id for t in listed] == [high.id, low.id]
    assert high.id.startswith("trg_")
    assert high.version == 1
    assert high.document["frequency"] == {
        "maxPerVisitor": 1,
        "per": "session",
        "cooldownMinutes": 0,
    }


def test_invalid_document_is_refused_with_its_path_and_nothing_is_stored(
    database: Database, shop: ShopRows
) -> None:
    # given
    document = chat_rule(
        when={"all": [{"pageType": {"in": ["checkout"]}}, {"timeOnPage": {"gte": "x"}}]}
    )

    # when
    with database.session() as session, pytest.raises(DocumentError) as raised:
        create_trigger(session, shop.installation_id, document)

    # then
    assert raised.value.path == "when.all[1].timeOnPage.gte"
    with database.session() as session:
        assert list_triggers(session, shop.installation_id) == []


def test_update_increments_the_version_and_the_revision(database: Database, shop: ShopRows) -> None:
    # given
    with database.session() as session:
        trigger = create_trigger(session, shop.installation_id, chat_rule("Help at checkout"))
        before = rules_revision(session, shop.installation_id)

        # when
        updated = update_trigger(session, shop.installation_id, trigger.id, chat_rule("renamed"))

        # then
        assert updated is not None
        assert updated.version == 2
        assert updated.name == "renamed"
        assert rules_revision(session, shop.installation_id) == before + 1


def test_another_installation_cannot_see_or_change_a_trigger(
    database: Database, shop: ShopRows
) -> None:
    # given
    with database.session() as session:
        trigger = create_trigger(session, shop.installation_id, chat_rule("Help at checkout"))
        other = shop.installation_id + 1000

        # then
        assert get_trigger(session, other, trigger.id) is None
        assert update_trigger(session, other, trigger.id, chat_rule("hijack")) is None
        assert delete_trigger(session, other, trigger.id) is False
        assert get_trigger(session, shop.installation_id, trigger.id) is not None


def test_disabled_and_deleted_triggers_are_not_evaluated(
    database: Database, shop: ShopRows
) -> None:
    # given
    with database.session() as session:
        kept = create_trigger(session, shop.installation_id, chat_rule("kept"))
        create_trigger(session, shop.installation_id, chat_rule("off", enabled=False))
        gone = create_trigger(session, shop.installation_id, chat_rule("gone"))
        delete_trigger(session, shop.installation_id, gone.id)

        # when
        revision, rules = load_enabled_rules(session, shop.installation_id)

    # then
    assert [r.id for r in rules] == [kept.id]
    assert revision == 4


def test_an_untouched_old_free_shipping_default_moves_to_the_new_one(
    database: Database, shop: ShopRows
) -> None:
    # given: the earlier default as seeded (one disabled), and one the merchant edited
    from saleor_proactive.rulebook import move_untouched_defaults
    from saleor_proactive.triggers.defaults import (
        free_shipping_progress,
        previous_free_shipping_progress,
    )

    edited = previous_free_shipping_progress()
    edited["when"] = {"remainingToFreeShipping": {"lte": 40}}
    with database.session() as session:
        untouched = create_trigger(session, shop.installation_id, previous_free_shipping_progress())
        disabled = create_trigger(
            session, shop.installation_id, {**previous_free_shipping_progress(), "enabled": False}
        )
        kept = create_trigger(session, shop.installation_id, edited)
        revision = rules_revision(session, shop.installation_id)

    # when: run twice, as every start does
    with database.session() as session:
        first = move_untouched_defaults(session)
    with database.session() as session:
        second = move_untouched_defaults(session)

    # then
    with database.session() as session:
        moved = get_trigger(session, shop.installation_id, untouched.id)
        moved_disabled = get_trigger(session, shop.installation_id, disabled.id)
        left = get_trigger(session, shop.installation_id, kept.id)
        assert (first, second) == (2, 0)
        assert moved is not None and moved_disabled is not None and left is not None
        assert moved.document["when"] == free_shipping_progress()["when"]
        assert moved.document["frequency"]["per"] == "pageView"
        assert moved_disabled.document["frequency"]["per"] == "pageView"
        assert moved_disabled.enabled is False
        assert left.document["when"] == {"remainingToFreeShipping": {"lte": 40}}
        assert rules_revision(session, shop.installation_id) > revision
