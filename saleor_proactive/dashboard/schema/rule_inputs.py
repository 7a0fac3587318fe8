"""Typed inputs whose JSON form is exactly the rule document v1 (CONTRACT.md section 4).

Conditions are `@oneOf` inputs: one combinator or one leaf per object, one operator per leaf,
as the document itself says. The engine's parser stays the one judge of validity; these types
only spare API users from hand-writing JSON.
"""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.scalars import JSON

from .common import input_to_json


@strawberry.input(one_of=True, description="One numeric comparison.")
class NumberOperator:
    gte: float | None = strawberry.UNSET
    gt: float | None = strawberry.UNSET
    lte: float | None = strawberry.UNSET
    lt: float | None = strawberry.UNSET
    eq: float | None = strawberry.UNSET
    between: list[float] | None = strawberry.UNSET


@strawberry.input(one_of=True, description="Membership in a set of values.")
class SetOperator:
    in_: list[str] | None = strawberry.field(default=strawberry.UNSET, name="in")


@strawberry.input(one_of=True, description="A glob pattern (`*` is any run of characters).")
class PatternOperator:
    matches: str | None = strawberry.UNSET


@strawberry.input(one_of=True, description="One combinator or one leaf.")
class ConditionInput:
    all: list[ConditionInput] | None = strawberry.UNSET
    any: list[ConditionInput] | None = strawberry.UNSET
    not_: ConditionInput | None = strawberry.field(default=strawberry.UNSET, name="not")
    page_type: SetOperator | None = strawberry.UNSET
    url: PatternOperator | None = strawberry.UNSET
    time_on_page: NumberOperator | None = strawberry.UNSET
    time_on_site: NumberOperator | None = strawberry.UNSET
    pages_viewed: NumberOperator | None = strawberry.UNSET
    products_viewed: NumberOperator | None = strawberry.UNSET
    categories_viewed: NumberOperator | None = strawberry.UNSET
    max_viewed_product_price: NumberOperator | None = strawberry.UNSET
    cart_value: NumberOperator | None = strawberry.UNSET
    cart_items: NumberOperator | None = strawberry.UNSET
    remaining_to_free_shipping: NumberOperator | None = strawberry.UNSET
    visit_count: NumberOperator | None = strawberry.UNSET
    returning: bool | None = strawberry.UNSET
    device: SetOperator | None = strawberry.UNSET
    locale: SetOperator | None = strawberry.UNSET
    country: SetOperator | None = strawberry.UNSET
    exit_intent: bool | None = strawberry.UNSET
    channel: SetOperator | None = strawberry.UNSET


@strawberry.input(description="What the visitor sees; texts are maps from language tag to text.")
class ShowInput:
    type: str
    message: JSON
    cta: JSON | None = strawberry.UNSET
    reached_message: JSON | None = strawberry.UNSET
    offer: JSON | None = strawberry.UNSET


@strawberry.input
class FrequencyInput:
    max_per_visitor: int | None = strawberry.UNSET
    per: str | None = strawberry.UNSET
    cooldown_minutes: int | None = strawberry.UNSET


@strawberry.input
class ScheduleInput:
    timezone: str | None = strawberry.UNSET
    days: list[str] | None = strawberry.UNSET
    from_: str | None = strawberry.field(default=strawberry.UNSET, name="from")
    to: str | None = strawberry.UNSET


@strawberry.input(
    description="A trigger as the rule document v1. Either the typed fields, or `document` (the "
    "whole JSON document), or both: typed fields then replace the document's keys."
)
class TriggerInput:
    document: JSON | None = strawberry.UNSET
    name: str | None = strawberry.UNSET
    enabled: bool | None = strawberry.UNSET
    priority: int | None = strawberry.UNSET
    channels: list[str] | None = strawberry.UNSET
    when: ConditionInput | None = strawberry.UNSET
    show: ShowInput | None = strawberry.UNSET
    frequency: FrequencyInput | None = strawberry.UNSET
    holdout_percent: int | None = strawberry.UNSET
    schedule: ScheduleInput | None = strawberry.UNSET


def rule_document(value: TriggerInput) -> Any:
    """The rule document the input stands for (not yet validated)."""
    typed = input_to_json(value)
    base = typed.pop("document", None)
    if base is None:
        return typed
    if not isinstance(base, dict):
        return base  # the parser names the problem
    return {**base, **typed}
