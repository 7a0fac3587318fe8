"""The sandbox's HTTP surface: `POST /graphql/` and `GET /.well-known/jwks.json`."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify, request
from graphql import GraphQLError, OperationType, execute_sync, get_operation_ast

from .dashboard_page import add_dashboard_routes
from .interface import Context, SaleorHost
from .root import root_value
from .schema import parse_and_validate


def _errors(errors: list[GraphQLError], status: int) -> tuple[Response, int]:
    return jsonify({"errors": [_format(error) for error in errors]}), status


def _format(error: GraphQLError) -> dict[str, Any]:
    formatted: dict[str, Any] = dict(error.formatted)
    extensions = formatted.get("extensions") or {}
    formatted["extensions"] = {"exceptionCode": "GraphQLError", **extensions}
    return formatted


def create_sandbox_app(saleor: SaleorHost) -> Flask:
    app = Flask("saleor_proactive.sandbox")

    @app.get("/.well-known/jwks.json")
    def jwks() -> Response:
        return jsonify(saleor.jwks())

    @app.post("/graphql/")
    def graphql() -> tuple[Response, int]:
        return execute_request(saleor)

    @app.get("/thumbnails/product-<int:pk>.svg")
    def thumbnail(pk: int) -> Response:
        """A product's thumbnail: its initial on a tile, in place of a photo."""
        hue = pk * 47 % 360
        svg = (
            '<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256">'
            f'<rect width="256" height="256" fill="hsl({hue},45%,40%)"/>'
            '<text x="128" y="160" font-size="96" text-anchor="middle" fill="#fff" '
            f'font-family="sans-serif">{pk}</text></svg>'
        )
        response = Response(svg, content_type="image/svg+xml")
        response.headers["Cache-Control"] = "public, max-age=3600"
        return response

    add_dashboard_routes(app, saleor)
    return app


def execute_request(saleor: SaleorHost) -> tuple[Response, int]:
    data = request.get_json(silent=True, force=True)
    if not isinstance(data, dict) or not isinstance(data.get("query"), str):
        return _errors([GraphQLError("Must provide a query string.")], 400)
    variables = data.get("variables") or None
    if variables is not None and not isinstance(variables, dict):
        return _errors([GraphQLError("Variables must be an object.")], 400)
    document, errors = parse_and_validate(saleor.schema, data["query"])
    if document is None:
        return _errors(errors, 400)
    operation = get_operation_ast(document, data.get("operationName"))
    if operation is not None and operation.operation == OperationType.SUBSCRIPTION:
        return _errors([GraphQLError("Subscriptions are not supported over HTTP.")], 400)
    auth = request.headers.get("Authorization", "")
    token = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
    context = Context(saleor.store, saleor.app_by_token(token) if token else None)
    result = execute_sync(
        saleor.schema,
        document,
        root_value=root_value(),
        context_value=context,
        variable_values=variables,
        operation_name=data.get("operationName"),
    )
    if result.data is None and result.errors:
        # The request could not run at all (e.g. variables of the wrong type): Saleor's 400.
        return _errors(list(result.errors), 400)
    body: dict[str, Any] = {"data": result.data}
    if result.errors:
        body["errors"] = [_format(error) for error in result.errors]
    return jsonify(body), 200
