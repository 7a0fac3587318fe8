"""The checks every JSON document the merchant sends goes through, and their one error.

Rule documents (`triggers/rules.py`) and merchant settings (`merchant_settings/`) are plain JSON
validated by hand-written parsers built from these checks. A problem is a `DocumentError`
naming the path of the value at fault (`when.all[1].timeOnPage.gte`, `theme.primaryColor`),
which the merchant API returns as a field error.

Hand-written rather than JSON Schema (jsonschema) or pydantic: the rule grammar (one-key
condition objects, at most 100 conditions refused at the 101st, placeholders in texts, time
zones) would be custom code in either; their paths and words are their own, not the ones the
merchant API and its tests give; and they report every problem, or the first in the schema's
order, where the merchant gets the first one in their own document.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Reader = Callable[[Any, str], Any]  # (value, its path) -> the parsed value


class DocumentError(ValueError):
    """A document is invalid at `path` (e.g. `when.all[1].timeOnPage.gte`)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message

    def as_json(self) -> dict[str, Any]:
        return {"field": self.path, "message": self.message}


def join(path: str, key: str | int) -> str:
    """`join("when", "all")` → `when.all`; `join("when.all", 1)` → `when.all[1]`."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def type_name(value: object) -> str:
    """The JSON name of a value's type, for messages a merchant can act on."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def expect_object(value: object, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise DocumentError(path, f"must be an object, got {type_name(value)}")
    return value


def expect_list(value: object, path: str) -> list[Any]:
    if not isinstance(value, list | tuple):
        raise DocumentError(path, f"must be a list, got {type_name(value)}")
    return list(value)


def read_fields(
    obj: dict[str, Any],
    readers: Mapping[str, Reader],
    path: str,
    *,
    null_is_absent: bool = True,
) -> dict[str, Any]:
    """Each field of `obj` through its reader, in the document's order.

    So the problem reported is the first one in the document, an unknown key included. With
    `null_is_absent` a null field is left out, as if not given; without, its reader judges it.
    """
    fields: dict[str, Any] = {}
    for key, value in obj.items():
        reader = readers.get(key) if isinstance(key, str) else None
        if reader is None:
            shown = key if isinstance(key, str) else repr(key)
            allowed = ", ".join(readers)
            raise DocumentError(join(path, shown), f"unknown key; allowed: {allowed}")
        if value is None and null_is_absent:
            continue
        fields[key] = reader(value, join(path, key))
    return fields


def keep(value: Any, path: str) -> Any:
    """The reader of a field judged elsewhere (with the fields around it, or before)."""
    return value


def require(fields: Mapping[str, Any], keys: tuple[str, ...], path: str) -> None:
    for key in keys:
        if key not in fields:
            raise DocumentError(join(path, key), "is required")


def expect_bool(value: object, path: str) -> bool:
    if not isinstance(value, bool):
        raise DocumentError(path, f"must be true or false, got {type_name(value)}")
    return value


def expect_whole(value: object, path: str, low: int, high: int) -> int:
    """A whole number from `low` to `high`; `100.0` is 100, as JSON does not tell them apart."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise DocumentError(path, f"must be a whole number, got {type_name(value)}")
    if isinstance(value, float) and not value.is_integer():  # 1.5, NaN, infinity
        raise DocumentError(path, "must be a whole number")
    if not low <= value <= high:
        raise DocumentError(path, f"must be from {low} to {high}")
    return int(value)


def expect_choice(value: object, choices: tuple[str, ...], path: str) -> str:
    if not isinstance(value, str) or value not in choices:
        raise DocumentError(path, f"must be one of {', '.join(choices)}")
    return value


def whole_number(low: int, high: int) -> Reader:
    """The reader of a field holding a whole number from `low` to `high`."""
    return lambda value, path: expect_whole(value, path, low, high)


def one_of(choices: tuple[str, ...]) -> Reader:
    """The reader of a field holding one of `choices`."""
    return lambda value, path: expect_choice(value, choices, path)
