"""Rule document v1 (CONTRACT §4): parse, validate, normalise.

`parse_rule(document)` returns a `Rule` or raises `DocumentError(path, message)` for the first
problem. Defaults: `enabled` true, `priority` 100 (0 to 1000, higher wins), `channels` [] (all),
`frequency` once per session without cooldown, `holdoutPercent` 0, no `schedule` (always),
`status` "published" (an extension: "preview" shows the trigger only in the merchant's preview
browser; the normalised document names it only then, so v1 documents come back unchanged); a
null field is one left out. Problems are reported in the document's order.
`Rule.to_document()` gives the normalised document, which parses back to an equal rule.
Texts are plain text: nothing is stripped or escaped here; the snippet never renders HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..validation import (
    DocumentError,
    Reader,
    expect_bool,
    expect_choice,
    expect_list,
    expect_object,
    join,
    keep,
    one_of,
    read_fields,
    require,
    type_name,
    whole_number,
)
from .conditions import Node, node_document, parse_when, possible_page_types
from .context import ActionType
from .evaluator import Compiled, compile_node
from .frequency import Frequency, parse_frequency
from .offer import PLACEHOLDERS as OFFER_PLACEHOLDERS
from .offer import OfferTerms, parse_offer
from .schedule import Schedule, parse_schedule
from .texts import MAX_CTA_CHARS, PLACEHOLDERS, parse_text_map, refuse_unstorable

__all__ = ["SECOND_TEXT", "Rule", "Show", "parse_rule"]

DEFAULT_PRIORITY = 100
DEFAULT_MAX_PRODUCTS = 4
MIN_PRODUCTS, MAX_PRODUCTS = 2, 6
MAX_PRIORITY = 1000
MAX_HOLDOUT_PERCENT = 50
MAX_NAME_CHARS = 200
MAX_CHANNELS = 100
PUBLISHED, PREVIEW = "published", "preview"
STATUSES = (PUBLISHED, PREVIEW)
_SLUG = re.compile(r"[A-Za-z0-9_.-]{1,255}")


@dataclass(frozen=True)
class Show:
    type: ActionType
    message: dict[str, str]
    cta: dict[str, str] | None = None  # chat_prompt and offer
    reached_message: dict[str, str] | None = None  # free_shipping_notice only
    max_products: int | None = None  # product_comparison only (2 to 6, default 4)
    offer: OfferTerms | None = None  # offer only

    def to_document(self) -> dict[str, Any]:
        document: dict[str, Any] = {"type": str(self.type), "message": dict(self.message)}
        if self.cta is not None:
            document["cta"] = dict(self.cta)
        if self.reached_message is not None:
            document["reachedMessage"] = dict(self.reached_message)
        if self.max_products is not None:
            document["maxProducts"] = self.max_products
        if self.offer is not None:
            document["offer"] = self.offer.to_document()
        return document


@dataclass(frozen=True)
class Rule:
    name: str
    when: Node
    show: Show
    enabled: bool = True
    priority: int = DEFAULT_PRIORITY
    channels: tuple[str, ...] = ()  # empty: every channel
    frequency: Frequency = field(default_factory=Frequency)
    holdout_percent: float = 0
    schedule: Schedule | None = None
    status: str = PUBLISHED
    condition: Compiled = field(init=False, compare=False, repr=False)
    # None: any page type; else the only page types on which `when` can hold
    page_types: frozenset[str] | None = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        # compiled once here so each evaluation only calls closures
        object.__setattr__(self, "condition", compile_node(self.when))
        object.__setattr__(self, "page_types", possible_page_types(self.when))

    def to_document(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "name": self.name,
            "enabled": self.enabled,
            "priority": self.priority,
            "channels": list(self.channels),
            "when": node_document(self.when),
            "show": self.show.to_document(),
            "frequency": self.frequency.to_document(),
            "holdoutPercent": self.holdout_percent,
        }
        if self.schedule is not None:
            document["schedule"] = self.schedule.to_document()
        if self.status != PUBLISHED:
            document["status"] = self.status
        return document

    @property
    def in_preview(self) -> bool:
        return self.status == PREVIEW


def parse_rule(document: object) -> Rule:
    fields = read_fields(expect_object(document, "document"), _READERS, "")
    require(fields, ("name", "when", "show"), "")
    return Rule(
        name=fields["name"],
        when=fields["when"],
        show=fields["show"],
        enabled=fields.get("enabled", True),
        priority=fields.get("priority", DEFAULT_PRIORITY),
        channels=fields.get("channels", ()),
        frequency=fields.get("frequency", Frequency()),
        holdout_percent=fields.get("holdoutPercent", 0),
        schedule=fields.get("schedule"),
        status=fields.get("status", PUBLISHED),
    )


def parse_show(value: object, path: str = "show") -> Show:
    obj = expect_object(value, path)
    action = ActionType(expect_choice(obj.get("type"), _SHOW_TYPES, join(path, "type")))
    fields = read_fields(obj, _SHOW_READERS[action], path)
    require(fields, ("message", "offer") if action is ActionType.OFFER else ("message",), path)
    max_products = None
    if action is ActionType.PRODUCT_COMPARISON:
        max_products = fields.get("maxProducts", DEFAULT_MAX_PRODUCTS)
    return Show(
        action,
        fields["message"],
        fields.get("cta"),
        fields.get("reachedMessage"),
        max_products=max_products,
        offer=fields.get("offer"),
    )


def _chat_message(value: object, path: str) -> dict[str, str]:
    return parse_text_map(value, path)


def _chat_cta(value: object, path: str) -> dict[str, str]:
    return parse_text_map(value, path, max_chars=MAX_CTA_CHARS)


def _offer_message(value: object, path: str) -> dict[str, str]:
    return parse_text_map(value, path, placeholders=OFFER_PLACEHOLDERS)


def _notice_message(value: object, path: str) -> dict[str, str]:
    return parse_text_map(value, path, placeholders=PLACEHOLDERS, required=("remaining",))


def _reached_message(value: object, path: str) -> dict[str, str]:
    return parse_text_map(value, path, placeholders=PLACEHOLDERS)


def _parse_name(value: object, path: str) -> str:
    if not isinstance(value, str):
        raise DocumentError(path, f"must be a string, got {type_name(value)}")
    if not value.strip() or len(value) > MAX_NAME_CHARS:
        raise DocumentError(path, f"must be 1 to {MAX_NAME_CHARS} characters")
    refuse_unstorable(value, path)
    return value


def _parse_channels(value: object, path: str) -> tuple[str, ...]:
    channels = expect_list(value, path)
    if len(channels) > MAX_CHANNELS:
        raise DocumentError(path, f"at most {MAX_CHANNELS} channels")
    result: list[str] = []
    for i, slug in enumerate(channels):
        if not isinstance(slug, str) or not _SLUG.fullmatch(slug):
            raise DocumentError(join(path, i), "must be a channel slug")
        if slug not in result:
            result.append(slug)
    return tuple(result)


def _parse_holdout(value: object, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise DocumentError(path, f"must be a number, got {type_name(value)}")
    if not 0 <= value <= MAX_HOLDOUT_PERCENT:
        raise DocumentError(path, f"must be from 0 to {MAX_HOLDOUT_PERCENT}")
    if abs(round(value * 100) - value * 100) > 1e-6:
        raise DocumentError(path, "at most 2 decimal places")
    return value


# Each field's reader, in the order an "unknown key" message lists them. Null is a field left
# out, for every field: it takes its default, or is missing when required.
_READERS: dict[str, Reader] = {
    "name": _parse_name,
    "enabled": expect_bool,
    "priority": whole_number(0, MAX_PRIORITY),
    "channels": _parse_channels,
    "when": parse_when,
    "show": parse_show,
    "frequency": parse_frequency,
    "holdoutPercent": _parse_holdout,
    "schedule": parse_schedule,
    "status": one_of(STATUSES),
}
_SHOW_READERS: dict[ActionType, dict[str, Reader]] = {
    ActionType.CHAT_PROMPT: {"type": keep, "message": _chat_message, "cta": _chat_cta},
    ActionType.FREE_SHIPPING_NOTICE: {
        "type": keep,
        "message": _notice_message,
        "reachedMessage": _reached_message,
    },
    ActionType.PRODUCT_COMPARISON: {
        "type": keep,
        "message": _chat_message,
        "cta": _chat_cta,
        "maxProducts": whole_number(MIN_PRODUCTS, MAX_PRODUCTS),
    },
    ActionType.OFFER: {
        "type": keep,
        "message": _offer_message,
        "cta": _chat_cta,
        "offer": parse_offer,
    },
}
_SHOW_TYPES = tuple(str(action) for action in _SHOW_READERS)
# The optional second text of each show type (the editor puts it beside each message).
SECOND_TEXT = {
    str(action): next(key for key in readers if key not in ("type", "message"))
    for action, readers in _SHOW_READERS.items()
}
