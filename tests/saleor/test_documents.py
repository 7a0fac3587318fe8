"""Every GraphQL document the app sends or subscribes with is valid for Saleor's real schema,
or, in a clone without it, for the sandbox's subset of it (which tests/sandbox/test_schema.py
holds faithful to the real one wherever that is present)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    parse,
    validate,
)

from saleor_proactive.assets import asset_dir
from saleor_proactive.saleor import documents
from saleor_proactive.saleor.webhooks import WEBHOOKS
from saleor_proactive.sandbox.schema import SUBSET_PATH, real_schema_path, schema_from_file
from tests.saleor import builders


def schema_path() -> Path:
    real = real_schema_path()
    return real if real is not None and real.is_file() else SUBSET_PATH


@pytest.fixture(scope="module")
def saleor_schema() -> GraphQLSchema:
    return schema_from_file(schema_path())  # built once per process, shared with the sandbox


@pytest.mark.parametrize("definition", WEBHOOKS, ids=lambda d: d.name)
def test_webhook_document_validates_against_saleor_schema(
    saleor_schema: GraphQLSchema, definition: object
) -> None:
    # when
    errors = validate(saleor_schema, parse(definition.query))  # type: ignore[attr-defined]

    # then
    assert errors == []


@pytest.mark.parametrize("name", sorted(documents.all_queries()))
def test_client_query_validates_against_saleor_schema(
    saleor_schema: GraphQLSchema, name: str
) -> None:
    # when
    errors = validate(saleor_schema, parse(documents.all_queries()[name]))

    # then
    assert errors == []


@pytest.mark.parametrize("name", sorted(documents.all_mutations()))
def test_client_mutation_validates_against_saleor_schema(
    saleor_schema: GraphQLSchema, name: str
) -> None:
    # when
    errors = validate(saleor_schema, parse(documents.all_mutations()[name]))

    # then
    assert errors == []


def test_webhook_events_are_saleor_async_event_types(saleor_schema: GraphQLSchema) -> None:
    # given
    enum = saleor_schema.get_type("WebhookEventTypeAsyncEnum")
    assert isinstance(enum, GraphQLEnumType)

    # then
    for definition in WEBHOOKS:
        for event in definition.events:
            assert event in enum.values, f"{definition.name}: {event} is not an async event"
            assert not enum.values[event].deprecation_reason, f"{event} is deprecated"


def test_each_webhook_document_selects_exactly_its_events(saleor_schema: GraphQLSchema) -> None:
    # The payload's __typename must be one the document asks for, or we would get empty events.
    for definition in WEBHOOKS:
        operation = parse(definition.query).definitions[0]
        assert isinstance(operation, OperationDefinitionNode)
        event_field = operation.selection_set.selections[0]
        selected = {
            selection.type_condition.name.value
            for selection in event_field.selection_set.selections  # type: ignore[attr-defined]
            if isinstance(selection, InlineFragmentNode) and selection.type_condition
        }
        assert selected == set(definition.typenames), definition.name
        for typename in selected:
            assert saleor_schema.get_type(typename) is not None


def test_webhooks_folder_holds_exactly_the_declared_documents() -> None:
    # given
    files = {path.stem for path in asset_dir("webhooks").glob("*.graphql")}

    # then
    assert files == {definition.name for definition in WEBHOOKS}


def selected_paths(query: str) -> set[str]:
    """Dotted paths of every field a document selects (fragments expanded, aliases ignored)."""
    document = parse(query)
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    paths: set[str] = set()

    def walk(selection_set: Any, prefix: str) -> None:
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                path = f"{prefix}{selection.name.value}"
                paths.add(path)
                walk(selection.selection_set, f"{path}.")
            elif isinstance(selection, FragmentSpreadNode):
                walk(fragments[selection.name.value].selection_set, prefix)
            elif isinstance(selection, InlineFragmentNode):
                walk(selection.selection_set, prefix)

    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    walk(operation.selection_set, "")
    return paths


def payload_paths(value: Any, prefix: str = "event.") -> set[str]:
    paths: set[str] = set()
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, dict):
            for key, child in item.items():
                paths.add(f"{prefix}{key}")
                paths |= payload_paths(child, f"{prefix}{key}.")
    return paths


@pytest.mark.parametrize(
    ("name", "payload"),
    [
        ("checkout-events", builders.checkout_event()),
        ("product-events", builders.product_event()),
        ("product-events", builders.variant_event()),
        ("shipping-events", builders.zone_event()),
        ("order-events", builders.order_event()),
    ],
)
def test_test_payloads_carry_only_fields_the_documents_select(
    name: str, payload: dict[str, Any]
) -> None:
    # A test payload with a field the document does not ask for would test a fiction.
    assert payload_paths(payload) <= selected_paths(documents.webhook_document(name))
