"""Hostile and random input to `POST /api/graphql` with a valid token: never a 500, never a leak.

Generated documents come from the schema itself (hypothesis-graphql), both valid ones and
deliberately invalid ones; the hand-written list covers what a careless or malicious client
sends on purpose. `PROACTIVE_FUZZ_EXAMPLES` raises the number of generated cases (default 60).
"""

from __future__ import annotations

import json
import os
from typing import Any

import graphql
import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saleor_proactive.dashboard.schema import get_schema
from tests.fixtures.dashboard import MerchantInstallation, post_graphql
from tests.rules import chat_rule

CREATE = """mutation($input: TriggerInput!) {
  createTrigger(input: $input) { trigger { id document } errors { field code message } } }"""
FAQ = {"pageType": {"in": ["faq"]}}
FUZZ_SETTINGS = settings(
    max_examples=int(os.environ.get("PROACTIVE_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def assert_handled(response: Any) -> dict[str, Any]:
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    body = response.get_json()
    assert isinstance(body, dict)
    assert "Traceback" not in json.dumps(body)
    if response.status_code == 200:
        assert "data" in body
    return body


def value_node(value: Any) -> graphql.ValueNode:
    """A GraphQL literal for a JSON value (the JSON scalar takes literals of any shape)."""
    if value is None:
        return graphql.NullValueNode()
    if isinstance(value, bool):
        return graphql.BooleanValueNode(value=value)
    if isinstance(value, int):
        return graphql.IntValueNode(value=str(value))
    if isinstance(value, str):
        return graphql.StringValueNode(value=value)
    if isinstance(value, list):
        return graphql.ListValueNode(values=tuple(value_node(item) for item in value))
    return graphql.ObjectValueNode(
        fields=tuple(
            graphql.ObjectFieldNode(name=graphql.NameNode(value=k), value=value_node(v))
            for k, v in value.items()
        )
    )


def _scalar_strategies() -> dict[str, st.SearchStrategy[graphql.ValueNode]]:
    json_values = st.recursive(
        st.none() | st.booleans() | st.integers(-10, 10**6) | st.text(max_size=20),
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(
                st.sampled_from(["en", "when", "all", "gte", "in", "name"]), inner, max_size=3
            )
        ),
        max_leaves=8,
    )
    dates = st.dates().map(lambda d: d.isoformat()) | st.text(max_size=12)
    return {
        "JSON": json_values.map(value_node),
        "Date": dates.map(lambda text: graphql.StringValueNode(value=text)),
    }


@pytest.fixture
def writer(merchant: MerchantInstallation) -> dict[str, str]:
    return merchant.headers()


def test_generated_queries_and_mutations_never_fail_the_server(
    client: FlaskClient, writer: dict[str, str]
):
    hypothesis_graphql = pytest.importorskip("hypothesis_graphql")
    schema = graphql.build_schema(str(get_schema()))
    scalars = _scalar_strategies()
    documents = st.one_of(
        hypothesis_graphql.queries(schema, custom_scalars=scalars),
        hypothesis_graphql.mutations(schema, custom_scalars=scalars),
        hypothesis_graphql.queries(
            schema, custom_scalars=scalars, mode=hypothesis_graphql.Mode.NEGATIVE
        ),
        hypothesis_graphql.mutations(
            schema, custom_scalars=scalars, mode=hypothesis_graphql.Mode.NEGATIVE
        ),
    )

    @FUZZ_SETTINGS
    @given(query=documents)
    def run(query: str) -> None:
        assert_handled(post_graphql(client, writer, query))

    run()


def test_random_rule_documents_are_refused_or_stored_never_a_server_error(
    client: FlaskClient, writer: dict[str, str]
):
    leaves = st.sampled_from(["pageType", "timeOnPage", "cartValue", "url", "exitIntent", "mood"])
    operators = st.dictionaries(
        st.sampled_from(["gte", "lt", "in", "matches", "between", "eq", "near"]),
        st.none()
        | st.integers(-5, 10**9)
        | st.floats(allow_nan=True)
        | st.text(max_size=5)
        | st.lists(st.integers(-3, 3) | st.text(max_size=3), max_size=3),
        max_size=2,
    )
    conditions = st.recursive(
        st.dictionaries(leaves, operators | st.booleans(), min_size=1, max_size=2),
        lambda inner: st.dictionaries(
            st.sampled_from(["all", "any", "not"]),
            st.lists(inner, max_size=3) | inner,
            min_size=1,
            max_size=1,
        ),
        max_leaves=10,
    )
    documents = st.fixed_dictionaries(
        {"when": conditions},
        optional={
            "name": st.text(max_size=30) | st.integers(),
            "priority": st.integers(-(10**12), 10**12) | st.text(max_size=3),
            "holdoutPercent": st.integers(-5, 120) | st.floats(allow_nan=True),
            "show": st.fixed_dictionaries(
                {"type": st.sampled_from(["chat_prompt", "free_shipping_notice", "popup"])},
                optional={
                    "message": st.dictionaries(
                        st.text(max_size=6), st.text(max_size=40), max_size=3
                    )
                },
            ),
            "frequency": st.dictionaries(
                st.sampled_from(["maxPerVisitor", "per", "cooldownMinutes", "x"]),
                st.integers(-3, 100) | st.text(max_size=8),
                max_size=3,
            ),
        },
    )

    @FUZZ_SETTINGS
    @given(doc=documents)
    def run(doc: dict[str, Any]) -> None:
        body = assert_handled(post_graphql(client, writer, CREATE, {"input": {"document": doc}}))
        if body.get("data"):
            payload = body["data"]["createTrigger"]
            assert (payload["trigger"] is None) == bool(payload["errors"])

    run()


@pytest.mark.parametrize(
    ("label", "when", "field"),
    [
        ("unknown leaf", {"mood": {"eq": 1}}, "when.mood"),
        ("empty combinator", {"all": []}, "when.all"),
        ("negative amount", {"cartValue": {"gte": -5}}, "when.cartValue.gte"),
        ("reversed range", {"timeOnPage": {"between": [9, 1]}}, "when.timeOnPage.between"),
        ("too many conditions", {"all": [{"timeOnPage": {"gte": 1}}] * 500}, "when.all"),
    ],
)
def test_bad_rule_documents_are_refused_with_the_path_of_the_problem(
    client: FlaskClient, writer: dict[str, str], label: str, when: dict[str, Any], field: str
):
    # when
    response = post_graphql(
        client, writer, CREATE, {"input": {"document": chat_rule("Fuzz", when)}}
    )

    # then
    body = assert_handled(response)
    payload = body["data"]["createTrigger"]
    assert payload["trigger"] is None, label
    assert payload["errors"][0]["field"] == field, label


def test_wrong_types_are_refused_by_the_schema(client: FlaskClient, writer: dict[str, str]):
    # when
    response = post_graphql(
        client, writer, CREATE, {"input": {"priority": "high", "when": {"all": 3}}}
    )

    # then
    body = assert_handled(response)
    assert response.status_code == 400
    assert body["data"] is None
    assert "priority" in body["errors"][0]["message"] or "Int" in body["errors"][0]["message"]


def test_two_leaves_in_one_typed_condition_are_refused_by_one_of(
    client: FlaskClient, writer: dict[str, str]
):
    # when
    response = post_graphql(
        client,
        writer,
        CREATE,
        {
            "input": {
                "document": chat_rule("Fuzz", FAQ),
                "when": {"timeOnPage": {"gte": 1}, "exitIntent": True},
            }
        },
    )

    # then
    body = assert_handled(response)
    assert body["data"] is None
    assert "exactly one" in body["errors"][0]["message"].lower()


@pytest.mark.parametrize(
    "doc",
    [
        chat_rule("Fuzz", {"all": [{"timeOnPage": {"gte": 1}}] * 10_000}),
        chat_rule("Fuzz", FAQ, show={"type": "chat_prompt", "message": {"en": "x" * 1_000_000}}),
    ],
    ids=["10000 conditions", "1 MB message"],
)
def test_oversized_documents_are_refused_before_any_work(
    client: FlaskClient, writer: dict[str, str], merchant: MerchantInstallation, doc: dict[str, Any]
):
    # when
    response = post_graphql(client, writer, CREATE, {"input": {"document": doc}})
    count = post_graphql(client, writer, "{ triggers { totalCount } }")

    # then
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "payload_too_large"
    assert count.get_json()["data"]["triggers"]["totalCount"] == 0


def test_a_query_nested_fifty_levels_is_refused_by_the_depth_limit(
    client: FlaskClient, writer: dict[str, str]
):
    # given
    nested = "name"
    for _ in range(50):
        nested = f"ofType {{ {nested} }}"
    query = f"{{ __schema {{ types {{ fields {{ type {{ {nested} }} }} }} }} }}"

    # when
    response = post_graphql(client, writer, query)

    # then
    body = assert_handled(response)
    assert body["data"] is None
    assert "nested more than" in body["errors"][0]["message"]


def test_introspection_stays_on(client: FlaskClient, writer: dict[str, str]):
    # when
    response = post_graphql(client, writer, graphql.get_introspection_query())

    # then
    body = assert_handled(response)
    names = {t["name"] for t in body["data"]["__schema"]["types"]}
    assert {"Trigger", "TriggerInput", "ConditionInput", "Simulation"} <= names


def test_nesting_hidden_in_fragments_counts_too(client: FlaskClient, writer: dict[str, str]):
    # given: 30 levels spread over fragments, and a fragment that spreads itself
    fragments = " ".join(
        f"fragment F{i} on __Type {{ ofType {{ ...F{i + 1} }} }}" for i in range(30)
    )
    deep = "{ __schema { queryType { ...F0 } } } " + fragments + " fragment F30 on __Type { name }"
    cyclic = "{ __schema { queryType { ...C } } } fragment C on __Type { ofType { ...C } }"

    # when
    deep_response = post_graphql(client, writer, deep)
    cyclic_response = post_graphql(client, writer, cyclic)

    # then
    assert "nested more than" in assert_handled(deep_response)["errors"][0]["message"]
    assert cyclic_response.status_code == 400
    assert "C" in assert_handled(cyclic_response)["errors"][0]["message"]


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[1, 2]",
        '{"query": 5}',
        '{"query": "{ triggers { totalCount } }", "variables": []}',
        '{"query": "{ triggers { totalCount "}',
        '{"query": "{ nope }"}',
        '{"query": ""}',
    ],
)
def test_malformed_requests_get_a_clear_4xx(client: FlaskClient, writer: dict[str, str], body: str):
    # when
    response = client.post(
        "/api/graphql", data=body, headers={**writer, "Content-Type": "application/json"}
    )

    # then
    assert 400 <= response.status_code < 500
    parsed = response.get_json()
    assert parsed.get("error", {}).get("message") or parsed.get("errors")


def test_a_flood_of_aliases_is_refused(client: FlaskClient, writer: dict[str, str]):
    # given
    query = "{ " + " ".join(f"a{i}: settings {{ chatProvider }}" for i in range(200)) + " }"

    # when
    response = post_graphql(client, writer, query)

    # then
    body = assert_handled(response)
    assert body["data"] is None
