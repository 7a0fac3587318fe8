"""Rule document v1 (CONTRACT §4): parse, validate, normalise.

`parse_rule(document)` returns a `Rule` or raises `DocumentError(path, message)` for the first
problem. Defaults: `enabled` true, `priority` 100 (0 to 1000, higher wins), `channels` [] (all),
`frequency` once per session without cooldown, `holdoutPercent` 0, no `schedule` (always).
`Rule.to_document()` gives the normalised document, which parses back to an equal rule.
Texts are plain text: nothing is stripped or escaped here; the snippet never renders HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..validation import (
    DocumentError,
    expect_bool,
    expect_choice,
    expect_list,
    expect_object,
    expect_whole,
    join,
    refuse_unknown_keys,
    type_name,
)
from .conditions import Node, node_document, parse_when, possible_page_types
from .context import ActionType
from .evaluator import Compiled, compile_node
from .frequency import Frequency, parse_frequency
from .schedule import Schedule, parse_schedule
from .texts import MAX_CTA_CHARS, PLACEHOLDERS, parse_text_map, refuse_unstorable

__all__ = ["Rule", "Show", "parse_rule"]

DEFAULT_PRIORITY = 100
MAX_PRIORITY = 1000
MAX_HOLDOUT_PERCENT = 50
MAX_NAME_CHARS = 200
MAX_CHANNELS = 100
_KEYS = (
    "name", "enabled", "priority", "channels", "when", "show", "frequency", "holdoutPercent",
    "schedule",
)  # fmt: skip
_SHOW_KEYS = {
    ActionType.CHAT_PROMPT: ("type", "message", "cta"),
    ActionType.FREE_SHIPPING_NOTICE: ("type", "message", "reachedMessage"),
}
_SHOW_TYPES = tuple(str(action) for action in _SHOW_KEYS)
_SLUG = re.compile(r"[A-Za-z0-9_.-]{1,255}")


@dataclass(frozen=True)
class Show:
    type: ActionType
    message: dict[str, str]
    cta: dict[str, str] | None = None  # chat_prompt only
    reached_message: dict[str, str] | None = None  # free_shipping_notice only

    def to_document(self) -> dict[str, Any]:
        document: dict[str, Any] = {"type": str(self.type), "message": dict(self.message)}
        if self.cta is not None:
            document["cta"] = dict(self.cta)
        if self.reached_message is not None:
            document["reachedMessage"] = dict(self.reached_message)
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
        return document


def parse_rule(document: object) -> Rule:
    obj = expect_object(document, "document")
    refuse_unknown_keys(obj, _KEYS, "")
    for required in ("name", "when", "show"):
        if required not in obj:
            raise DocumentError(required, "is required")
    name = _parse_name(obj["name"])
    enabled = expect_bool(obj.get("enabled", True), "enabled")
    priority = expect_whole(obj.get("priority", DEFAULT_PRIORITY), "priority", 0, MAX_PRIORITY)
    channels = _parse_channels(obj.get("channels", []))
    when = parse_when(obj["when"])
    show = parse_show(obj["show"])
    frequency = parse_frequency(obj.get("frequency", {}))
    holdout = _parse_holdout(obj.get("holdoutPercent", 0))
    schedule = parse_schedule(obj["schedule"]) if obj.get("schedule") is not None else None
    return Rule(name, when, show, enabled, priority, channels, frequency, holdout, schedule)


def parse_show(value: object, path: str = "show") -> Show:
    obj = expect_object(value, path)
    action = ActionType(expect_choice(obj.get("type"), _SHOW_TYPES, join(path, "type")))
    refuse_unknown_keys(obj, _SHOW_KEYS[action], path)
    if "message" not in obj:
        raise DocumentError(join(path, "message"), "is required")
    if action is ActionType.CHAT_PROMPT:
        message = parse_text_map(obj["message"], join(path, "message"))
        cta = None
        if obj.get("cta") is not None:
            cta = parse_text_map(obj["cta"], join(path, "cta"), max_chars=MAX_CTA_CHARS)
        return Show(action, message, cta=cta)
    message = parse_text_map(
        obj["message"], join(path, "message"), placeholders=PLACEHOLDERS, required=("remaining",)
    )
    reached = None
    if obj.get("reachedMessage") is not None:
        reached = parse_text_map(
            obj["reachedMessage"], join(path, "reachedMessage"), placeholders=PLACEHOLDERS
        )
    return Show(action, message, reached_message=reached)


def _parse_name(value: object) -> str:
    if not isinstance(value, str):
        raise DocumentError("name", f"must be a string, got {type_name(value)}")
    if not value.strip() or len(value) > MAX_NAME_CHARS:
        raise DocumentError("name", f"must be 1 to {MAX_NAME_CHARS} characters")
    refuse_unstorable(value, "name")
    return value


def _parse_channels(value: object) -> tuple[str, ...]:
    channels = expect_list(value, "channels")
    if len(channels) > MAX_CHANNELS:
        raise DocumentError("channels", f"at most {MAX_CHANNELS} channels")
    result: list[str] = []
    for i, slug in enumerate(channels):
        if not isinstance(slug, str) or not _SLUG.fullmatch(slug):
            raise DocumentError(join("channels", i), "must be a channel slug")
        if slug not in result:
            result.append(slug)
    return tuple(result)


def _parse_holdout(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise DocumentError("holdoutPercent", f"must be a number, got {type_name(value)}")
    if not 0 <= value <= MAX_HOLDOUT_PERCENT:
        raise DocumentError("holdoutPercent", f"must be from 0 to {MAX_HOLDOUT_PERCENT}")
    if abs(round(value * 100) - value * 100) > 1e-6:
        raise DocumentError("holdoutPercent", "at most 2 decimal places")
    return value
