"""The schema the sandbox serves: Saleor's real one, or a faithful shipped subset of it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import requests
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    execute_sync,
    is_required_argument,
    is_required_input_field,
    parse,
)

from saleor_proactive.assets import asset_dir
from saleor_proactive.sandbox.schema import (
    SUBSET_PATH,
    parse_and_validate,
    real_schema_path,
    saleor_schema,
    schema_from_file,
)
from saleor_proactive.sandbox.server import SandboxSaleor
from saleor_proactive.sandbox.state import App
from saleor_proactive.sandbox.subset import generate_subset
from saleor_proactive.sandbox.subset_samples import root_samples
from tests.sandbox.recording_app import RecordingApp

REAL = real_schema_path()
needs_real_schema = pytest.mark.skipif(
    REAL is None or not REAL.is_file() or REAL.resolve() == SUBSET_PATH.resolve(),
    reason="Saleor's schema.graphql is absent",
)


def _differences(subset: GraphQLSchema, real: GraphQLSchema) -> list[str]:
    problems = []
    for name, sub in subset.type_map.items():
        if name.startswith("__"):
            continue
        full = real.get_type(name)
        if full is None or type(full) is not type(sub):
            problems.append(f"{name}: not the same kind of type in Saleor")
        elif isinstance(sub, GraphQLObjectType | GraphQLInterfaceType):
            assert isinstance(full, GraphQLObjectType | GraphQLInterfaceType)
            problems += _field_differences(name, sub, full)
            extra = {i.name for i in sub.interfaces} - {i.name for i in full.interfaces}
            problems += [f"{name}: Saleor's type does not implement {i}" for i in extra]
        elif isinstance(sub, GraphQLInputObjectType):
            assert isinstance(full, GraphQLInputObjectType)
            for field_name, field in full.fields.items():
                kept = sub.fields.get(field_name)
                if kept is None and is_required_input_field(field):
                    problems.append(f"{name}.{field_name}: required in Saleor, missing here")
                elif kept is not None and str(kept.type) != str(field.type):
                    problems.append(f"{name}.{field_name}: {kept.type} != {field.type}")
            problems += [f"{name}.{f}: not in Saleor" for f in set(sub.fields) - set(full.fields)]
        elif isinstance(sub, GraphQLEnumType):
            assert isinstance(full, GraphQLEnumType)
            problems += [f"{name}.{v}: not in Saleor" for v in set(sub.values) - set(full.values)]
    return problems


def _field_differences(name: str, sub: Any, full: Any) -> list[str]:
    problems = []
    for field_name, field in sub.fields.items():
        real_field = full.fields.get(field_name)
        if real_field is None:
            problems.append(f"{name}.{field_name}: not in Saleor")
            continue
        if str(field.type) != str(real_field.type):
            problems.append(f"{name}.{field_name}: {field.type} != {real_field.type}")
        for arg_name, arg in real_field.args.items():
            kept = field.args.get(arg_name)
            if kept is None and is_required_argument(arg):
                problems.append(f"{name}.{field_name}({arg_name}): required in Saleor, missing")
            elif kept is not None and (str(kept.type), kept.default_value) != (
                str(arg.type),
                arg.default_value,
            ):
                problems.append(f"{name}.{field_name}({arg_name}): differs from Saleor")
        extra_args = set(field.args) - set(real_field.args)
        problems += [f"{name}.{field_name}({a}): not in Saleor" for a in extra_args]
    return problems


@needs_real_schema
def test_the_shipped_subset_is_a_faithful_part_of_saleors_schema() -> None:
    # given
    assert REAL is not None
    subset, real = schema_from_file(SUBSET_PATH), schema_from_file(REAL)

    # when
    problems = _differences(subset, real)

    # then
    assert problems == []
    assert len(subset.type_map) < len(real.type_map) / 5


@needs_real_schema
def test_the_shipped_subset_is_what_the_generator_makes_from_saleors_schema() -> None:
    # given
    assert REAL is not None

    # when
    generated = generate_subset(REAL.read_text(encoding="utf-8"))

    # then (if this fails: python -m saleor_proactive.sandbox.subset)
    assert generated == SUBSET_PATH.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "path", sorted(asset_dir("webhooks").glob("*.graphql")), ids=lambda p: p.stem
)
def test_the_apps_webhook_documents_validate_against_the_subset(path: Path) -> None:
    # when
    document, errors = parse_and_validate(schema_from_file(SUBSET_PATH), path.read_text())

    # then
    assert [e.message for e in errors] == []
    assert document is not None


def test_the_apps_queries_validate_against_the_subset() -> None:
    # given
    documents = pytest.importorskip("saleor_proactive.saleor.documents")

    # when
    errors = {
        name: [e.message for e in parse_and_validate(schema_from_file(SUBSET_PATH), query)[1]]
        for name, query in documents.all_queries().items()
    }

    # then
    assert errors == {name: [] for name in errors}


def test_the_apps_mutations_validate_against_the_subset() -> None:
    # given
    documents = pytest.importorskip("saleor_proactive.saleor.documents")

    # when
    errors = {
        name: [e.message for e in parse_and_validate(schema_from_file(SUBSET_PATH), query)[1]]
        for name, query in documents.all_mutations().items()
    }

    # then
    assert errors == {name: [] for name in errors}


def test_the_sandbox_answers_the_same_on_the_subset_as_on_the_real_schema(
    sandbox_saleor: SandboxSaleor, recording_app: RecordingApp, recorded_install: App
) -> None:
    # given
    documents = pytest.importorskip("saleor_proactive.saleor.documents")
    queries = documents.all_queries()
    checkout_id = sandbox_saleor.create_checkout("default-channel", [], country="ES")
    variables = {"checkout": {"id": checkout_id}, "voucher_codes": {"id": "Vm91Y2hlcjox"}}

    def answers() -> dict[str, Any]:
        return {
            name: requests.post(
                sandbox_saleor.api_url,
                json={"query": query, "variables": variables.get(name, {})},
                headers={"Authorization": f"Bearer {recorded_install.token}"},
                timeout=10,
            ).json()
            for name, query in queries.items()
        }

    # when
    on_real = answers()
    sandbox_saleor.schema = schema_from_file(SUBSET_PATH)
    on_subset = answers()

    # then
    assert on_subset == on_real
    assert all("errors" not in answer for answer in on_real.values()), on_real


@pytest.mark.parametrize(
    "path", sorted(asset_dir("webhooks").glob("*.graphql")), ids=lambda p: p.stem
)
def test_every_event_the_sandbox_fires_renders_the_apps_documents_without_errors(
    path: Path,
) -> None:
    # given
    schema = saleor_schema()
    document = parse(path.read_text())
    events = root_samples()["Subscription"]["event"]

    # when
    results = {
        event["__typename"]: execute_sync(schema, document, {"event": event}) for event in events
    }

    # then
    assert {name: result.errors for name, result in results.items()} == {
        name: None for name in results
    }
    assert all(result.data and result.data["event"]["issuedAt"] for result in results.values())
