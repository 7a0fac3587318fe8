"""`POST /api/graphql`: authenticate, refuse writes without MANAGE_APPS, execute, commit."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request
from graphql import GraphQLError, OperationType, get_operation_ast, parse
from graphql.language import DocumentNode, FieldNode

from ..errors import ApiError
from ..http import app_settings, json_body, public_base_url
from ..store.db import db_session
from .auth import authenticate, forbidden_write
from .limits import MAX_DOCUMENT_DEPTH, document_depth
from .schema import MAX_TOKENS, ApiContext, get_schema
from .schema.chat import STAFF_MUTATIONS

# A rule document is a few KB; this keeps 10,000-condition or megabyte messages out cheaply.
MAX_BODY_BYTES = 256 * 1024


def graphql_endpoint() -> Response:
    session = db_session()
    merchant = authenticate(session, request.headers)
    query, variables, operation_name = _graphql_request(json_body(MAX_BODY_BYTES))
    try:
        document = parse(query, max_tokens=MAX_TOKENS * 2)
    except GraphQLError as error:
        return _respond({"data": None, "errors": [error.formatted]}, 400)
    if document_depth(document) > MAX_DOCUMENT_DEPTH:
        message = f"The query is nested more than {MAX_DOCUMENT_DEPTH} levels deep."
        return _respond({"data": None, "errors": [{"message": message}]}, 400)
    if (
        _is_mutation(document, operation_name)
        and not merchant.can_write
        and not _staff_may_call(document, operation_name)
    ):
        raise forbidden_write()

    context = ApiContext(
        merchant=merchant,
        session=session,
        secret_key=app_settings().require_secret_key(),
        base_url=public_base_url(),
    )
    result = get_schema().execute_sync(
        query, variable_values=variables, context_value=context, operation_name=operation_name
    )
    if result.errors:
        session.rollback()
    else:
        session.commit()
    body: dict[str, Any] = {"data": result.data}
    if result.errors:
        body["errors"] = [error.formatted for error in result.errors]
    return _respond(body, 200 if result.data is not None else 400)


def _graphql_request(payload: dict[str, Any]) -> tuple[str, dict[str, Any] | None, str | None]:
    query = payload.get("query")
    if not isinstance(query, str) or not query.strip():
        raise ApiError(400, "invalid_request", "`query` must be a GraphQL document.", "query")
    variables = payload.get("variables")
    if variables is not None and not isinstance(variables, dict):
        raise ApiError(400, "invalid_request", "`variables` must be an object.", "variables")
    operation_name = payload.get("operationName")
    if operation_name is not None and not isinstance(operation_name, str):
        raise ApiError(400, "invalid_request", "`operationName` must be a string.", "operationName")
    return query, variables, operation_name


def _is_mutation(document: DocumentNode, operation_name: str | None) -> bool:
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        # Ambiguous or unknown operation: execution will refuse it; be safe if any is a write.
        return any(
            getattr(d, "operation", None) == OperationType.MUTATION for d in document.definitions
        )
    return operation.operation == OperationType.MUTATION


def _staff_may_call(document: DocumentNode, operation_name: str | None) -> bool:
    """A mutation made only of fields any staff member may call (answering chats)."""
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return False
    selections = operation.selection_set.selections
    return all(
        isinstance(selection, FieldNode) and selection.name.value in STAFF_MUTATIONS
        for selection in selections
    )


def _respond(body: dict[str, Any], status: int) -> Response:
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response
