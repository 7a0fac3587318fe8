"""Triggers: list, read, validate, create, update, delete (storage and rules live elsewhere)."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON

from ... import rulebook
from ...offers import hooks as offer_hooks
from ...store import triggers as trigger_store
from ...triggers.engine import StoredRule
from ...triggers.rules import parse_rule
from ...triggers.warnings import rule_warnings
from ...validation import DocumentError
from .common import FieldError, InputProblem, context_of, field_error
from .context import ApiContext
from .rule_inputs import TriggerInput, rule_document

MAX_PAGE_SIZE = 200


@strawberry.type(description="A trigger: its rule document plus what the app keeps about it.")
class Trigger:
    id: strawberry.ID
    version: int
    document: JSON
    created_at: datetime | None
    updated_at: datetime | None
    raw: strawberry.Private[dict[str, Any]]

    @strawberry.field
    def name(self) -> str:
        return str(self.raw.get("name", ""))

    @strawberry.field
    def enabled(self) -> bool:
        return bool(self.raw.get("enabled", True))

    @strawberry.field
    def priority(self) -> int:
        value = self.raw.get("priority", 0)
        return value if isinstance(value, int) else 0

    @strawberry.field
    def channels(self) -> list[str]:
        return [c for c in self.raw.get("channels") or [] if isinstance(c, str)]

    @strawberry.field
    def show_type(self) -> str:
        show = self.raw.get("show")
        return str(show.get("type", "")) if isinstance(show, dict) else ""

    @classmethod
    def from_stored(cls, stored: Any) -> Trigger:
        return cls(
            id=strawberry.ID(str(stored.id)),
            version=int(getattr(stored, "version", 1)),
            document=JSON(dict(stored.document)),
            raw=dict(stored.document),
            created_at=getattr(stored, "created_at", None),
            updated_at=getattr(stored, "updated_at", None),
        )


@strawberry.type(
    description="Something the merchant probably did not mean; saving is still allowed."
)
class TriggerWarning:
    code: str
    field: str
    message: str
    trigger_id: strawberry.ID | None


@strawberry.type
class TriggerPage:
    items: list[Trigger]
    total_count: int
    end_cursor: str | None
    has_next_page: bool


@strawberry.type
class TriggerResult:
    trigger: Trigger | None
    errors: list[FieldError]


@strawberry.type
class DeleteResult:
    deleted_id: strawberry.ID | None
    errors: list[FieldError]


def rule_errors(error: DocumentError) -> list[FieldError]:
    return [field_error(error.path or "document", error.message, code="invalid_rule")]


def _offset(after: str | None) -> int | None:
    if after is None:
        return 0
    try:
        value = int(base64.urlsafe_b64decode(after.encode()).decode().removeprefix("offset:"))
    except (ValueError, UnicodeError):
        return None
    return value if value >= 0 else None


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def _result(outcome: Any) -> TriggerResult:
    if isinstance(outcome, DocumentError):
        return TriggerResult(trigger=None, errors=rule_errors(outcome))
    if outcome is None:
        return TriggerResult(trigger=None, errors=[_not_found()])
    return TriggerResult(trigger=Trigger.from_stored(outcome), errors=[])


def _is_offer(document: Any) -> bool:
    show = document.get("show") if isinstance(document, dict) else None
    return isinstance(show, dict) and show.get("type") == "offer"


def _offer_allowed(ctx: ApiContext, document: Any) -> Any:
    """The document, unless it is an offer this installation's token cannot make codes for."""
    if _is_offer(document) and offer_hooks.lacks_discounts(ctx.installation()):
        raise DocumentError("show.type", offer_hooks.MISSING_PERMISSION)
    return document


def _after_save(ctx: ApiContext, outcome: Any) -> Any:
    if outcome is not None and _is_offer(outcome.document):
        offer_hooks.refill_after_commit(ctx.session, ctx.installation_id, outcome.id)
    return outcome


def _not_found() -> FieldError:
    return field_error("id", "No trigger with this id in this store.", code="not_found")


@strawberry.type
class TriggerQuery:
    @strawberry.field(description="Triggers by priority, `first` at a time after the cursor.")
    def triggers(
        self, info: strawberry.Info, first: int = 50, after: str | None = None
    ) -> TriggerPage:
        ctx = context_of(info)
        start = _offset(after)
        if start is None or not 0 < first <= MAX_PAGE_SIZE:
            raise InputProblem(f"`first` must be 1..{MAX_PAGE_SIZE} and `after` a returned cursor.")
        stored = trigger_store.list_triggers(ctx.session, ctx.installation_id)
        page = stored[start : start + first]
        end = start + len(page)
        return TriggerPage(
            items=[Trigger.from_stored(t) for t in page],
            total_count=len(stored),
            end_cursor=_cursor(end) if page else None,
            has_next_page=end < len(stored),
        )

    @strawberry.field
    def trigger(self, info: strawberry.Info, id: strawberry.ID) -> Trigger | None:
        ctx = context_of(info)
        stored = trigger_store.get_trigger(ctx.session, ctx.installation_id, str(id))
        return Trigger.from_stored(stored) if stored is not None else None

    @strawberry.field(description="The problems of a rule document, without saving it.")
    def validate_trigger(self, input: TriggerInput) -> list[FieldError]:
        try:
            parse_rule(rule_document(input))
        except DocumentError as error:
            return rule_errors(error)
        return []

    @strawberry.field(
        description="Warnings about a valid rule document, compared with this store's other "
        "triggers (`id`: the trigger being edited, left out of the comparison). An invalid "
        "document has no warnings; `validateTrigger` names its problems."
    )
    def trigger_warnings(
        self, info: strawberry.Info, input: TriggerInput, id: strawberry.ID | None = None
    ) -> list[TriggerWarning]:
        ctx = context_of(info)
        try:
            rule = parse_rule(rule_document(input))
        except DocumentError:
            return []
        others = [
            StoredRule(str(t.id), parse_rule(t.document))
            for t in trigger_store.list_triggers(ctx.session, ctx.installation_id)
        ]
        return [
            TriggerWarning(
                code=w.code,
                field=w.field,
                message=w.message,
                trigger_id=strawberry.ID(w.trigger_id) if w.trigger_id else None,
            )
            for w in rule_warnings(rule, others, str(id) if id is not None else None)
        ]


@strawberry.type
class TriggerMutation:
    @strawberry.mutation
    def create_trigger(self, info: strawberry.Info, input: TriggerInput) -> TriggerResult:
        ctx = context_of(info)
        try:
            document = _offer_allowed(ctx, rule_document(input))
            outcome = rulebook.create_trigger(ctx.session, ctx.installation_id, document)
        except DocumentError as error:
            return TriggerResult(trigger=None, errors=rule_errors(error))
        return _result(_after_save(ctx, outcome))

    @strawberry.mutation
    def update_trigger(
        self, info: strawberry.Info, id: strawberry.ID, input: TriggerInput
    ) -> TriggerResult:
        ctx = context_of(info)
        try:
            document = _offer_allowed(ctx, rule_document(input))
            outcome = rulebook.update_trigger(ctx.session, ctx.installation_id, str(id), document)
        except DocumentError as error:
            return TriggerResult(trigger=None, errors=rule_errors(error))
        return _result(_after_save(ctx, outcome))

    @strawberry.mutation
    def delete_trigger(self, info: strawberry.Info, id: strawberry.ID) -> DeleteResult:
        ctx = context_of(info)
        stored = trigger_store.get_trigger(ctx.session, ctx.installation_id, str(id))
        was_offer = stored is not None and _is_offer(stored.document)
        deleted = trigger_store.delete_trigger(ctx.session, ctx.installation_id, str(id))
        if not deleted:
            return DeleteResult(deleted_id=None, errors=[_not_found()])
        if was_offer:
            offer_hooks.deactivate_after_commit(ctx.session, ctx.installation_id)
        return DeleteResult(deleted_id=id, errors=[])
