"""Saleor's GraphQL schema for the sandbox: the real one when present, else the shipped subset.

Building the 1 MB schema takes about a second, so it is built once per process and path.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from graphql import DocumentNode, GraphQLError, GraphQLSchema, build_schema, parse, validate

SCHEMA_ENV = "PROACTIVE_SALEOR_SCHEMA"
SUBSET_PATH = Path(__file__).resolve().parent / "saleor_subset.graphql"
# A checkout of the project sits beside the shared folder that holds Saleor's real schema.
REAL_SCHEMA_PATH = Path(__file__).resolve().parents[3] / "shared" / "saleor" / "schema.graphql"


def real_schema_path() -> Path | None:
    """Where Saleor's full schema is, if this machine has it."""
    configured = os.environ.get(SCHEMA_ENV)
    if configured:
        return Path(configured)
    return REAL_SCHEMA_PATH if REAL_SCHEMA_PATH.is_file() else None


def schema_path() -> Path:
    return real_schema_path() or SUBSET_PATH


def saleor_schema() -> GraphQLSchema:
    return schema_from_file(schema_path())


@lru_cache(maxsize=4)
def schema_from_file(path: Path) -> GraphQLSchema:
    return build_schema(path.read_text(encoding="utf-8"))


def parse_and_validate(
    schema: GraphQLSchema, source: str
) -> tuple[DocumentNode | None, list[GraphQLError]]:
    """The parsed document, or the syntax/validation errors Saleor would report."""
    try:
        document = parse(source)
    except GraphQLError as error:
        return None, [error]
    errors = validate(schema, document)
    return (None, list(errors)) if errors else (document, [])
