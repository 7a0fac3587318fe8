"""The pieces of the merchant settings and their validators (each names the field's path)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from ..triggers.vocabulary import PAGE_TYPES

CHAT_PROVIDERS = ("none", "chatwoot", "crisp", "tawk", "zendesk", "intercom", "whatsapp", "custom")
THEME_POSITIONS = ("bottom-right", "bottom-left")  # the chat bubble's corner
BAR_POSITIONS = ("bottom", "top")  # the free-shipping bar's edge
MAX_ORIGINS = 50
MAX_PATTERNS = 50
MAX_PATTERN_CHARS = 200

_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_PHONE = re.compile(r"\+?[0-9]{6,15}")
_ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?")
_SLUG = re.compile(r"[A-Za-z0-9_.-]{1,255}")


class SettingsError(ValueError):
    """Invalid settings at `path` (e.g. `theme.primaryColor`)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


@dataclass(frozen=True)
class ChatSettings:
    provider: str = "none"
    number: str | None = None  # WhatsApp only, international format


@dataclass(frozen=True)
class PagePattern:
    pattern: str  # glob over the full URL, `*` any run of characters, case-insensitive
    page_type: str


@dataclass(frozen=True)
class Theme:
    primary_color: str = "#1f6feb"
    text_color: str = "#ffffff"
    position: str = "bottom-right"
    # Bottom by default: a top bar would cover most shops' header (menu, cart link).
    bar_position: str = "bottom"


def parse_chat(value: object) -> ChatSettings:
    obj = object_value(value, "chat")
    refuse_unknown(obj, ("provider", "number"), "chat")
    provider = obj.get("provider", "none")
    if provider not in CHAT_PROVIDERS:
        raise SettingsError("chat.provider", f"must be one of {', '.join(CHAT_PROVIDERS)}")
    number = obj.get("number")
    if provider != "whatsapp":
        if number not in (None, ""):
            raise SettingsError("chat.number", "is only used with the whatsapp provider")
        return ChatSettings(provider=provider)
    if not isinstance(number, str) or not _PHONE.fullmatch(number.replace(" ", "")):
        raise SettingsError(
            "chat.number", "whatsapp needs a phone number in international form, e.g. +34600000000"
        )
    return ChatSettings(provider=provider, number=number.replace(" ", ""))


def parse_origins(value: object) -> tuple[str, ...]:
    items = list_value(value, "storefrontOrigins", MAX_ORIGINS)
    origins: list[str] = []
    for index, item in enumerate(items):
        path = f"storefrontOrigins[{index}]"
        if not isinstance(item, str) or not _ORIGIN.fullmatch(item.rstrip("/")):
            raise SettingsError(path, "must be an origin such as https://shop.example.com")
        origin = item.rstrip("/").lower()
        if origin not in origins:
            origins.append(origin)
    return tuple(origins)


def parse_patterns(value: object) -> tuple[PagePattern, ...]:
    items = list_value(value, "pagePatterns", MAX_PATTERNS)
    patterns: list[PagePattern] = []
    for index, item in enumerate(items):
        path = f"pagePatterns[{index}]"
        obj = object_value(item, path)
        refuse_unknown(obj, ("pattern", "pageType"), path)
        pattern = obj.get("pattern")
        if not isinstance(pattern, str) or not 1 <= len(pattern) <= MAX_PATTERN_CHARS:
            raise SettingsError(f"{path}.pattern", f"must be 1 to {MAX_PATTERN_CHARS} characters")
        page_type = obj.get("pageType")
        if page_type not in PAGE_TYPES:
            raise SettingsError(f"{path}.pageType", f"must be one of {', '.join(PAGE_TYPES)}")
        patterns.append(PagePattern(pattern, str(page_type)))
    return tuple(patterns)


def parse_theme(value: object) -> Theme:
    obj = object_value(value, "theme")
    refuse_unknown(obj, ("primaryColor", "textColor", "position", "barPosition"), "theme")
    default = Theme()
    colours = {}
    fallbacks = {"primaryColor": default.primary_color, "textColor": default.text_color}
    for key, fallback in fallbacks.items():
        colour = obj.get(key, fallback)
        if not isinstance(colour, str) or not _COLOUR.fullmatch(colour):
            raise SettingsError(f"theme.{key}", "must be a colour like #1f6feb")
        colours[key] = colour.lower()
    position = obj.get("position", default.position)
    if position not in THEME_POSITIONS:
        raise SettingsError("theme.position", f"must be one of {', '.join(THEME_POSITIONS)}")
    bar_position = obj.get("barPosition", default.bar_position)
    if bar_position not in BAR_POSITIONS:
        raise SettingsError("theme.barPosition", f"must be one of {', '.join(BAR_POSITIONS)}")
    return Theme(colours["primaryColor"], colours["textColor"], str(position), str(bar_position))


def parse_overrides(value: object) -> dict[str, Decimal | None]:
    obj = object_value(value, "freeShippingOverrides")
    overrides: dict[str, Decimal | None] = {}
    for slug, amount in obj.items():
        path = f"freeShippingOverrides.{slug}"
        if not isinstance(slug, str) or not _SLUG.fullmatch(slug):
            raise SettingsError(path, "keys must be channel slugs")
        overrides[slug] = None if amount is None else parse_amount(amount, path)
    return overrides


def parse_amount(value: object, path: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise SettingsError(path, "must be an amount such as 50.00, or null to turn it off")
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise SettingsError(path, "must be an amount such as 50.00") from None
    if not amount.is_finite() or amount < 0 or amount > Decimal("1e12"):
        raise SettingsError(path, "must be a non-negative amount")
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -4:
        raise SettingsError(path, "has more than 4 decimal places")
    return amount


def object_value(value: object, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise SettingsError(path or "settings", "must be an object")
    return value


def list_value(value: object, path: str, limit: int) -> list[Any]:
    if not isinstance(value, list | tuple):
        raise SettingsError(path, "must be a list")
    if len(value) > limit:
        raise SettingsError(path, f"may hold at most {limit} entries")
    return list(value)


def refuse_unknown(obj: Mapping[str, Any], allowed: tuple[str, ...], path: str) -> None:
    for key in obj:
        if key not in allowed:
            where = f"{path}.{key}" if path else str(key)
            raise SettingsError(where, f"unknown setting; allowed: {', '.join(allowed)}")


def bool_value(value: object, path: str) -> bool:
    if not isinstance(value, bool):
        raise SettingsError(path, "must be true or false")
    return value


def int_value(value: object, path: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise SettingsError(path, f"must be a whole number from {low} to {high}")
    return value
