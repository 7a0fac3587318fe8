"""Triggers through the schema, executed directly with a merchant context."""

from __future__ import annotations

from typing import Any

from saleor_proactive.store.db import Database
from tests.fixtures.dashboard import MerchantInstallation, run_query

CREATE = """
mutation Create($input: TriggerInput!) {
  createTrigger(input: $input) {
    trigger { id version name enabled priority channels showType document }
    errors { field code message }
  }
}"""
UPDATE = """
mutation Update($id: ID!, $input: TriggerInput!) {
  updateTrigger(id: $id, input: $input) {
    trigger { id version name enabled document }
    errors { field code message }
  }
}"""
LIST = """
query List($first: Int!, $after: String) {
  triggers(first: $first, after: $after) {
    totalCount hasNextPage endCursor items { id name priority }
  }
}"""


def help_at_checkout(**changes: Any) -> dict[str, Any]:
    document = {
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
    }
    document.update(changes)
    return document


def create(database: Database, merchant: MerchantInstallation, document: dict[str, Any]) -> Any:
    result = run_query(database, merchant, CREATE, {"input": {"document": document}})
    assert result.errors is None, result.errors
    return result.data["createTrigger"]


def test_create_then_read_the_trigger_back(database: Database, merchant: MerchantInstallation):
    # given
    created = create(database, merchant, help_at_checkout())
    trigger_id = created["trigger"]["id"]

    # when
    result = run_query(
        database,
        merchant,
        "query($id: ID!) { trigger(id: $id) { name version document } }",
        {"id": trigger_id},
    )

    # then
    assert created["errors"] == []
    assert created["trigger"]["showType"] == "chat_prompt"
    assert result.data["trigger"]["name"] == "Help at checkout"
    assert result.data["trigger"]["version"] == 1
    assert result.data["trigger"]["document"]["when"]["all"][1] == {"timeOnPage": {"gte": 45}}


def test_typed_input_stands_for_the_same_document(
    database: Database, merchant: MerchantInstallation
):
    # given
    typed = """
    mutation {
      createTrigger(input: {
        name: "Near free shipping", priority: 50, holdoutPercent: 0,
        when: {all: [{remainingToFreeShipping: {lte: 15}}, {not: {pageType: {in: ["checkout"]}}},
                     {exitIntent: false}]},
        show: {type: "free_shipping_notice", message: {en: "{remaining} to go"}},
        frequency: {maxPerVisitor: 3, per: "day"}
      }) { trigger { document } errors { field message } }
    }"""

    # when
    result = run_query(database, merchant, typed)

    # then
    assert result.errors is None, result.errors
    payload = result.data["createTrigger"]
    assert payload["errors"] == []
    document = payload["trigger"]["document"]
    assert document["when"]["all"][0] == {"remainingToFreeShipping": {"lte": 15}}
    assert document["when"]["all"][1] == {"not": {"pageType": {"in": ["checkout"]}}}
    assert document["show"]["type"] == "free_shipping_notice"
    assert document["frequency"]["per"] == "day"


def test_an_invalid_document_comes_back_as_errors_with_its_path(
    database: Database, merchant: MerchantInstallation
):
    # given
    bad = help_at_checkout(
        when={"all": [{"pageType": {"in": ["checkout"]}}, {"timeOnPage": {"gte": "soon"}}]}
    )

    # when
    payload = create(database, merchant, bad)
    listed = run_query(database, merchant, LIST, {"first": 10})

    # then
    assert payload["trigger"] is None
    assert payload["errors"][0]["field"] == "when.all[1].timeOnPage.gte"
    assert payload["errors"][0]["code"] == "invalid_rule"
    assert listed.data["triggers"]["totalCount"] == 0


def test_validate_trigger_reports_problems_without_saving(
    database: Database, merchant: MerchantInstallation
):
    # given
    query = "query($input: TriggerInput!) { validateTrigger(input: $input) { field message } }"

    # when
    good = run_query(database, merchant, query, {"input": {"document": help_at_checkout()}})
    bad = run_query(
        database, merchant, query, {"input": {"document": help_at_checkout(holdoutPercent=80)}}
    )
    listed = run_query(database, merchant, LIST, {"first": 10})

    # then
    assert good.data["validateTrigger"] == []
    assert bad.data["validateTrigger"][0]["field"] == "holdoutPercent"
    assert listed.data["triggers"]["totalCount"] == 0


def test_update_bumps_the_version_and_delete_removes(
    database: Database, merchant: MerchantInstallation
):
    # given
    trigger_id = create(database, merchant, help_at_checkout())["trigger"]["id"]

    # when
    updated = run_query(
        database,
        merchant,
        UPDATE,
        {"id": trigger_id, "input": {"document": help_at_checkout(), "enabled": False}},
    ).data["updateTrigger"]
    deleted = run_query(
        database,
        merchant,
        "mutation($id: ID!) { deleteTrigger(id: $id) { deletedId errors { code } } }",
        {"id": trigger_id},
    ).data["deleteTrigger"]
    again = run_query(
        database, merchant, "query($id: ID!) { trigger(id: $id) { id } }", {"id": trigger_id}
    )

    # then
    assert updated["trigger"]["version"] == 2
    assert updated["trigger"]["enabled"] is False
    assert deleted == {"deletedId": trigger_id, "errors": []}
    assert again.data["trigger"] is None


def test_triggers_are_paginated_by_priority(database: Database, merchant: MerchantInstallation):
    # given
    for priority in (10, 30, 20):
        create(database, merchant, help_at_checkout(name=f"p{priority}", priority=priority))

    # when
    first = run_query(database, merchant, LIST, {"first": 2}).data["triggers"]
    second = run_query(database, merchant, LIST, {"first": 2, "after": first["endCursor"]}).data[
        "triggers"
    ]

    # then
    assert [t["name"] for t in first["items"]] == ["p30", "p20"]
    assert first["hasNextPage"] is True
    assert [t["name"] for t in second["items"]] == ["p10"]
    assert second["hasNextPage"] is False
    assert second["totalCount"] == 3


def test_a_bad_page_request_is_a_clear_error(database: Database, merchant: MerchantInstallation):
    # when
    result = run_query(database, merchant, LIST, {"first": 0, "after": "garbage!"})

    # then
    assert result.data is None
    assert "`first` must be" in result.errors[0].message


def test_one_installation_never_sees_or_changes_anothers_triggers(
    database: Database, merchant: MerchantInstallation, other_merchant: MerchantInstallation
):
    # given
    theirs = create(database, other_merchant, help_at_checkout(name="Theirs"))["trigger"]["id"]

    # when
    listed = run_query(database, merchant, LIST, {"first": 50}).data["triggers"]
    read = run_query(
        database, merchant, "query($id: ID!) { trigger(id: $id) { id } }", {"id": theirs}
    )
    changed = run_query(
        database,
        merchant,
        UPDATE,
        {"id": theirs, "input": {"document": help_at_checkout(name="Mine")}},
    ).data["updateTrigger"]
    deleted = run_query(
        database,
        merchant,
        "mutation($id: ID!) { deleteTrigger(id: $id) { deletedId errors { code } } }",
        {"id": theirs},
    ).data["deleteTrigger"]
    still = run_query(
        database,
        other_merchant,
        "query($id: ID!) { trigger(id: $id) { name version } }",
        {"id": theirs},
    )

    # then
    assert listed["totalCount"] == 0
    assert read.data["trigger"] is None
    assert changed["errors"][0]["code"] == "not_found"
    assert deleted["errors"][0]["code"] == "not_found"
    assert still.data["trigger"] == {"name": "Theirs", "version": 1}


def test_script_tags_in_messages_are_stored_and_returned_as_text(
    database: Database, merchant: MerchantInstallation
):
    # given
    script = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    document = help_at_checkout(show={"type": "chat_prompt", "message": {"en": script}})

    # when
    trigger = create(database, merchant, document)["trigger"]

    # then
    assert trigger["document"]["show"]["message"]["en"] == script
