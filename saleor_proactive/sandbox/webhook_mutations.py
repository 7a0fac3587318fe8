"""`webhookCreate` and `webhookUpdate` as Saleor runs them for an app's own token.

Facts from Saleor (webhook/mutations/webhook_create.py, webhook_update.py): both need
MANAGE_APPS or AUTHENTICATED_APP, so any app may call them; an app's new webhook is its own (the
`app` input is ignored); an app can update only its own webhooks (another's id "couldn't resolve
to a node"); a `query` is validated against the schema (SYNTAX, GRAPHQL_ERROR); the events are
`asyncEvents`, or else those the query subscribes to, and an update without either keeps the old
ones. A changed webhook serves the next event: the deliverer reads `app.webhooks` at firing time.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from graphql import (
    FieldNode,
    GraphQLError,
    GraphQLResolveInfo,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
)

from .ids import from_global_id
from .interface import context_of
from .resolvers import permission_denied
from .schema import parse_and_validate
from .shapes import webhook_payload
from .state import App, Webhook

# Inputs Saleor takes that the sandbox does not model: refused openly rather than ignored.
UNMODELLED_INPUTS = ("identifier", "events", "syncEvents", "secretKey", "customHeaders")


class WebhookProblem(Exception):
    def __init__(self, field: str | None, code: str, message: str) -> None:
        super().__init__(message)
        self.error = {"field": field, "code": code, "message": message}


def webhook_create(info: GraphQLResolveInfo, input: dict[str, Any]) -> Any:
    app = _calling_app(info)
    _refuse_unmodelled(input)
    saleor = context_of(info).saleor
    try:
        events = _events(info, input)
        target_url = input.get("targetUrl")
        if not target_url:
            raise WebhookProblem("targetUrl", "REQUIRED", "This field cannot be blank.")
        _check_target(target_url)
        with saleor.lock:
            hook = Webhook(
                saleor.shop.new_pk(),
                input.get("name") or "",
                target_url,
                input.get("query") or "",
                events or [],
                input.get("isActive", True) is not False,
            )
            app.webhooks = [*app.webhooks, hook]
    except WebhookProblem as problem:
        return _result(None, problem)
    return _result(hook)


def webhook_update(
    info: GraphQLResolveInfo,
    input: dict[str, Any],
    id: str | None = None,
    identifier: str | None = None,
) -> Any:
    app = _calling_app(info)
    if identifier is not None:
        raise GraphQLError("The sandbox does not model webhook identifiers; pass `id`.")
    _refuse_unmodelled(input)
    saleor = context_of(info).saleor
    try:
        events = _events(info, input)
        if input.get("targetUrl") is not None:
            _check_target(input["targetUrl"])
        with saleor.lock:
            old = _own_webhook(app, id or "")
            new = replace(
                old,
                name=input["name"] if input.get("name") is not None else old.name,
                target_url=input.get("targetUrl") or old.target_url,
                query=input["query"] if input.get("query") is not None else old.query,
                events=events or old.events,
                is_active=old.is_active if input.get("isActive") is None else input["isActive"],
            )
            app.webhooks = [new if hook is old else hook for hook in app.webhooks]
    except WebhookProblem as problem:
        return _result(None, problem)
    return _result(new)


def _calling_app(info: GraphQLResolveInfo) -> App:
    app = context_of(info).app
    if app is None:  # staff users with MANAGE_APPS are not modelled
        raise permission_denied("MANAGE_APPS", "AUTHENTICATED_APP")
    return app


def _refuse_unmodelled(values: dict[str, Any]) -> None:
    given = [name for name in UNMODELLED_INPUTS if values.get(name) not in (None, [], "")]
    if given:
        raise GraphQLError(f"The sandbox does not model webhook input {', '.join(given)}.")


def _own_webhook(app: App, webhook_id: str) -> Webhook:
    pk = from_global_id(webhook_id, "Webhook")
    for hook in app.webhooks:
        if pk is not None and str(hook.pk) == pk:
            return hook
    raise WebhookProblem("id", "NOT_FOUND", f"Couldn't resolve to a node: {webhook_id}")


def _check_target(url: str) -> None:
    if not re.match(r"^https?://[^/\s]+", url):
        raise WebhookProblem("targetUrl", "INVALID", "Enter a valid URL.")


def _events(info: GraphQLResolveInfo, values: dict[str, Any]) -> list[str]:
    """`asyncEvents`, else the events the query subscribes to (after checking the query)."""
    query = values.get("query")
    from_query = _query_events(info, query) if query else []
    return list(values.get("asyncEvents") or []) or from_query


def _query_events(info: GraphQLResolveInfo, query: str) -> list[str]:
    document, errors = parse_and_validate(info.schema, query)
    if document is None:
        code = "SYNTAX" if errors and not errors[0].nodes else "GRAPHQL_ERROR"
        raise WebhookProblem("query", code, ";".join(sorted({e.message for e in errors})))
    operation = next(
        (
            d
            for d in document.definitions
            if isinstance(d, OperationDefinitionNode) and d.operation == OperationType.SUBSCRIPTION
        ),
        None,
    )
    if operation is None:
        raise WebhookProblem(
            "query", "MISSING_SUBSCRIPTION", "Subscription operation can't be found."
        )
    events = [
        _enum_name(selection.type_condition.name.value)
        for field in operation.selection_set.selections
        if isinstance(field, FieldNode) and field.name.value == "event" and field.selection_set
        for selection in field.selection_set.selections
        if isinstance(selection, InlineFragmentNode) and selection.type_condition
    ]
    if not events:
        raise WebhookProblem("query", "MISSING_EVENT", "Can't find a single event.")
    return events


def _enum_name(type_name: str) -> str:
    """ProductVariantUpdated -> PRODUCT_VARIANT_UPDATED."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type_name).upper()


def _result(hook: Webhook | None, problem: WebhookProblem | None = None) -> dict[str, Any]:
    errors = [] if problem is None else [problem.error]
    payload = None if hook is None else webhook_payload(hook)
    return {"webhook": payload, "errors": errors, "webhookErrors": errors}
