"""The editor's helpers through the schema: warnings, the catalogue pickers, hold-out explained."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from saleor_proactive.store.db import Database
from saleor_proactive.store.snapshot_data import ProductData
from saleor_proactive.store.snapshots import upsert_product
from saleor_proactive.triggers.engine import holdout_bucket
from tests.dashboard.test_schema_store import SIMULATE, make_trigger
from tests.fixtures.dashboard import MerchantInstallation, run_query
from tests.rules import chat_rule

WARNINGS = """query($input: TriggerInput!, $id: ID) {
  triggerWarnings(input: $input, id: $id) { code field message triggerId } }"""
PRODUCTS = """query($search: String!, $ids: [ID!]) {
  catalogProducts(search: $search, first: 10, ids: $ids) { id name } }"""
CATEGORIES = """query($search: String!, $ids: [ID!]) {
  catalogCategories(search: $search, first: 10, ids: $ids) { id name } }"""


def add_product(
    database: Database, merchant: MerchantInstallation, pid: str, name: str, category: str
) -> None:
    with database.session() as session:
        upsert_product(
            session,
            merchant.id,
            ProductData(
                product_id=pid,
                name=name,
                category_id="Q2F0ZWdvcnk6" + category[:2],
                category_name=category,
                updated_at=datetime.now(UTC),
            ),
        )


def warnings_of(
    database: Database, merchant: MerchantInstallation, doc: dict[str, Any], own: str | None
) -> list[dict[str, Any]]:
    result = run_query(database, merchant, WARNINGS, {"input": {"document": doc}, "id": own})
    assert result.errors is None, result.errors
    return list(result.data["triggerWarnings"])


def test_warnings_name_the_shadowing_trigger_but_not_the_trigger_itself(
    database: Database, merchant: MerchantInstallation
):
    # given a prompt at priority 500 on the checkout page, every channel
    top = make_trigger(database, merchant, chat_rule("Top help", priority=500))
    mine = make_trigger(database, merchant, chat_rule("Mine", priority=100))

    # when the lower one and the top one are checked
    below = warnings_of(database, merchant, chat_rule("Mine", priority=100), mine)
    itself = warnings_of(database, merchant, chat_rule("Top help", priority=500), top)

    # then
    shadowed = [w for w in below if w["code"] == "shadowed"]
    assert [w["triggerId"] for w in shadowed] == [top]
    assert "“Top help”" in shadowed[0]["message"]
    assert not [w for w in itself if w["code"] == "shadowed"]


def test_an_invalid_document_has_errors_not_warnings(
    database: Database, merchant: MerchantInstallation
):
    assert warnings_of(database, merchant, {"name": "x"}, None) == []


def test_another_installations_triggers_never_shadow(
    database: Database, merchant: MerchantInstallation, other_merchant: MerchantInstallation
):
    make_trigger(database, other_merchant, chat_rule("Theirs", priority=900))
    found = warnings_of(database, merchant, chat_rule("Mine"), None)
    assert [w for w in found if w["code"] == "shadowed"] == []


def test_pickers_search_the_stored_catalogue_and_name_stored_ids(
    database: Database, merchant: MerchantInstallation
):
    # given
    add_product(database, merchant, "UHJvZHVjdDox", "Burr Grinder", "Equipment")
    add_product(database, merchant, "UHJvZHVjdDoy", "Pour-over Kettle", "Equipment")
    add_product(database, merchant, "UHJvZHVjdDoz", "Ceramic Dripper", "Accessories")

    # when
    found = run_query(database, merchant, PRODUCTS, {"search": "KETT", "ids": None}).data
    named = run_query(database, merchant, PRODUCTS, {"search": "", "ids": ["UHJvZHVjdDoz"]}).data
    categories = run_query(database, merchant, CATEGORIES, {"search": "equip", "ids": None}).data
    every = run_query(database, merchant, CATEGORIES, {"search": "", "ids": None}).data
    literal = run_query(database, merchant, PRODUCTS, {"search": "%", "ids": None}).data

    # then
    assert found["catalogProducts"] == [{"id": "UHJvZHVjdDoy", "name": "Pour-over Kettle"}]
    assert named["catalogProducts"] == [{"id": "UHJvZHVjdDoz", "name": "Ceramic Dripper"}]
    assert categories["catalogCategories"] == [{"id": "Q2F0ZWdvcnk6Eq", "name": "Equipment"}]
    assert [c["name"] for c in every["catalogCategories"]] == ["Accessories", "Equipment"]
    assert literal["catalogProducts"] == []  # `%` is a character, not a wildcard


def test_another_installations_catalogue_is_never_visible(
    database: Database, merchant: MerchantInstallation, other_merchant: MerchantInstallation
):
    # given a product only the other shop has
    add_product(database, other_merchant, "UHJvZHVjdDo5", "Secret Blend", "Hidden")

    # when the first shop searches for it, by name and by id
    by_name = run_query(database, merchant, PRODUCTS, {"search": "secret", "ids": None}).data
    by_id = run_query(database, merchant, PRODUCTS, {"search": "", "ids": ["UHJvZHVjdDo5"]}).data
    categories = run_query(database, merchant, CATEGORIES, {"search": "", "ids": None}).data
    theirs = run_query(database, other_merchant, PRODUCTS, {"search": "secret", "ids": None}).data

    # then
    assert by_name["catalogProducts"] == [] and by_id["catalogProducts"] == []
    assert categories["catalogCategories"] == []
    assert [p["name"] for p in theirs["catalogProducts"]] == ["Secret Blend"]


def test_channels_come_with_their_currency(database: Database, merchant: MerchantInstallation):
    data = run_query(database, merchant, "{ catalogChannels { slug currency } }").data
    assert data["catalogChannels"] == [
        {"slug": "default-channel", "currency": "EUR"},
        {"slug": "channel-usd", "currency": "USD"},
    ]


def test_a_too_large_page_is_refused_with_a_message(
    database: Database, merchant: MerchantInstallation
):
    result = run_query(database, merchant, "{ catalogProducts(first: 5000) { id } }")
    assert result.errors and "`first` must be 1..50" in result.errors[0].message


def test_the_simulator_explains_a_visitor_held_out_by_name(
    database: Database, merchant: MerchantInstallation
):
    # given a prompt with a 50 % hold-out, and a visitor id in its control group
    trigger = make_trigger(database, merchant, chat_rule("Checkout help", holdoutPercent=50))
    visitor = next(f"v_{n}" for n in range(200) if holdout_bucket(trigger, f"v_{n}") < 5000)
    exposed = next(f"v_{n}" for n in range(200) if holdout_bucket(trigger, f"v_{n}") >= 5000)

    # when
    def simulate(visitor_id: str) -> dict[str, Any]:
        visitor = {"channel": "default-channel", "pageType": "checkout", "visitorId": visitor_id}
        return dict(run_query(database, merchant, SIMULATE, {"visitor": visitor}).data["simulate"])

    held, shown = simulate(visitor), simulate(exposed)
    bad = run_query(
        database,
        merchant,
        SIMULATE,
        {"visitor": {"channel": "default-channel", "visitorId": "not ok!"}},
    ).data["simulate"]

    # then
    assert held["actions"] == []
    (outcome,) = held["outcomes"]
    assert outcome["holdout"] is True
    assert "control group of “Checkout help”" in outcome["reasons"][0]
    assert [a["triggerId"] for a in shown["actions"]] == [trigger]
    assert bad["errors"][0]["field"] == "visitor.visitor_id"


def test_every_condition_the_engine_knows_has_a_label_and_an_input_in_the_editor():
    from saleor_proactive.dashboard.vocabulary import leaves
    from saleor_proactive.triggers.conditions import LEAF_KINDS

    offered = {leaf["key"]: leaf for leaf in leaves()}
    assert set(offered) == set(LEAF_KINDS)
    assert offered["cartValue"]["input"] == "amount"
    assert offered["timeOnPage"]["input"] == "seconds"
    assert offered["pageType"] == {
        "key": "pageType",
        "label": "Page type",
        "input": "pageTypes",
        "ops": ["in"],
    }
