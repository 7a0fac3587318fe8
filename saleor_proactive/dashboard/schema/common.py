"""Types and helpers shared by the schema's domains."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any, cast

import strawberry
from strawberry.types.base import has_object_definition

from .context import ApiContext


class InputProblem(Exception):
    """A request the resolver refuses; its message is shown to the caller as is."""


@strawberry.type(description="A problem with one input value, named by its path in the input.")
class FieldError:
    field: str
    code: str
    message: str


@strawberry.type
class MoneyAmount:
    amount: float
    currency: str


def field_error(field: str, message: str, code: str = "invalid") -> FieldError:
    return FieldError(field=field, code=code, message=message)


def context_of(info: strawberry.Info[ApiContext, Any]) -> ApiContext:
    return info.context


def camel(name: str) -> str:
    """`holdout_percent` -> `holdoutPercent`; `in_` / `not_` / `from_` -> `in` / `not` / `from`."""
    head, *rest = name.rstrip("_").split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def input_to_json(value: Any) -> Any:
    """A strawberry input (nested) as the JSON document it stands for; unset fields left out."""
    if has_object_definition(value):
        result: dict[str, Any] = {}
        for item in dataclasses.fields(cast(Any, value)):
            inner = getattr(value, item.name)
            if inner is strawberry.UNSET:
                continue
            result[camel(item.name)] = input_to_json(inner)
        return result
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return [input_to_json(inner) for inner in value]
    return value
