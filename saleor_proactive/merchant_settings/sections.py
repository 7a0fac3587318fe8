"""The parts of the merchant settings and their parsers; each problem names the field's path."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..triggers.vocabulary import PAGE_TYPES
from ..validation import (
    DocumentError,
    expect_choice,
    expect_list,
    expect_object,
    join,
    refuse_unknown_keys,
)
from .vocabulary import BAR_POSITIONS, CHAT_PROVIDERS, THEME_POSITIONS

MAX_ORIGINS = 50
MAX_PATTERNS = 50
MAX_PATTERN_CHARS = 200

_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_PHONE = re.compile(r"\+?[0-9]{6,15}")
_ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?")
_SLUG = re.compile(r"[A-Za-z0-9_.-]{1,255}")


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


def parse_chat(value: object, path: str) -> ChatSettings:
    obj = expect_object(value, path)
    refuse_unknown_keys(obj, ("provider", "number"), path)
    provider = expect_choice(obj.get("provider", "none"), CHAT_PROVIDERS, join(path, "provider"))
    number = obj.get("number")
    if provider != "whatsapp":
        if number not in (None, ""):
            raise DocumentError(join(path, "number"), "is only used with the whatsapp provider")
        return ChatSettings(provider=provider)
    if not isinstance(number, str) or not _PHONE.fullmatch(number.replace(" ", "")):
        raise DocumentError(
            join(path, "number"),
            "whatsapp needs a phone number in international form, e.g. +34600000000",
        )
    return ChatSettings(provider=provider, number=number.replace(" ", ""))


def parse_origins(value: object, path: str) -> tuple[str, ...]:
    origins: list[str] = []
    for index, item in enumerate(_bounded_list(value, path, MAX_ORIGINS)):
        if not isinstance(item, str) or not _ORIGIN.fullmatch(item.rstrip("/")):
            raise DocumentError(
                join(path, index), "must be an origin such as https://shop.example.com"
            )
        origin = item.rstrip("/").lower()
        if origin not in origins:
            origins.append(origin)
    return tuple(origins)


def parse_patterns(value: object, path: str) -> tuple[PagePattern, ...]:
    return tuple(
        _parse_pattern(item, join(path, index))
        for index, item in enumerate(_bounded_list(value, path, MAX_PATTERNS))
    )


def _parse_pattern(value: object, path: str) -> PagePattern:
    obj = expect_object(value, path)
    refuse_unknown_keys(obj, ("pattern", "pageType"), path)
    pattern = obj.get("pattern")
    if not isinstance(pattern, str) or not 1 <= len(pattern) <= MAX_PATTERN_CHARS:
        raise DocumentError(join(path, "pattern"), f"must be 1 to {MAX_PATTERN_CHARS} characters")
    return PagePattern(
        pattern, expect_choice(obj.get("pageType"), PAGE_TYPES, join(path, "pageType"))
    )


def parse_theme(value: object, path: str) -> Theme:
    obj = expect_object(value, path)
    refuse_unknown_keys(obj, ("primaryColor", "textColor", "position", "barPosition"), path)
    default = Theme()
    return Theme(
        _colour(obj.get("primaryColor", default.primary_color), join(path, "primaryColor")),
        _colour(obj.get("textColor", default.text_color), join(path, "textColor")),
        expect_choice(
            obj.get("position", default.position), THEME_POSITIONS, join(path, "position")
        ),
        expect_choice(
            obj.get("barPosition", default.bar_position), BAR_POSITIONS, join(path, "barPosition")
        ),
    )


def _colour(value: object, path: str) -> str:
    if not isinstance(value, str) or not _COLOUR.fullmatch(value):
        raise DocumentError(path, "must be a colour like #1f6feb")
    return value.lower()


def parse_overrides(value: object, path: str) -> dict[str, Decimal | None]:
    overrides: dict[str, Decimal | None] = {}
    for slug, amount in expect_object(value, path).items():
        slug_path = join(path, str(slug))
        if not isinstance(slug, str) or not _SLUG.fullmatch(slug):
            raise DocumentError(slug_path, "keys must be channel slugs")
        overrides[slug] = None if amount is None else parse_amount(amount, slug_path)
    return overrides


def parse_amount(value: object, path: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise DocumentError(path, "must be an amount such as 50.00, or null to turn it off")
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise DocumentError(path, "must be an amount such as 50.00") from None
    if not amount.is_finite() or amount < 0 or amount > Decimal("1e12"):
        raise DocumentError(path, "must be a non-negative amount")
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -4:
        raise DocumentError(path, "has more than 4 decimal places")
    return amount


def _bounded_list(value: object, path: str, limit: int) -> list[object]:
    items = expect_list(value, path)
    if len(items) > limit:
        raise DocumentError(path, f"may hold at most {limit} entries")
    return items
