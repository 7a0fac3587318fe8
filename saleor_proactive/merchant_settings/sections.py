"""The parts of the merchant settings and their parsers; each problem names the field's path."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from ..triggers.schedule import Schedule, parse_schedule
from ..triggers.vocabulary import PAGE_TYPES
from ..validation import (
    DocumentError,
    Reader,
    expect_bool,
    expect_list,
    expect_object,
    join,
    keep,
    one_of,
    read_fields,
    require,
)
from .vocabulary import BAR_POSITIONS, CHAT_PROVIDERS, THEME_POSITIONS

MAX_ORIGINS = 50
MAX_PATTERNS = 50
MAX_PATTERN_CHARS = 200

_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_PHONE = re.compile(r"\+?[0-9]{6,15}")
_ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?")
_SLUG = re.compile(r"[A-Za-z0-9_.-]{1,255}")
# Loose on purpose (one @, a dot in the domain): the shop's mail server has the last word.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MAX_EMAIL_CHARS = 254


@dataclass(frozen=True)
class ChatSettings:
    provider: str = "builtin"
    number: str | None = None  # WhatsApp only, international format
    # The built-in chat only: a button that opens the panel without a prompt,
    launcher: bool = False
    # the hours someone answers (None: whenever a staff member's inbox is open),
    hours: Schedule | None = None
    # and where a new conversation is announced while nobody is online.
    notify_email: str | None = None

    def to_json(self) -> dict[str, Any]:
        chat: dict[str, Any] = {"provider": self.provider}
        if self.number is not None:
            chat["number"] = self.number
        chat["launcher"] = self.launcher
        chat["hours"] = self.hours.to_document() if self.hours is not None else None
        chat["notifyEmail"] = self.notify_email
        return chat


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
    readers: dict[str, Reader] = {
        "provider": one_of(CHAT_PROVIDERS),
        "number": keep,
        "launcher": expect_bool,
        "hours": keep,
        "notifyEmail": keep,
    }
    fields = read_fields(expect_object(value, path), readers, path, null_is_absent=False)
    provider, number = fields.get("provider", ChatSettings.provider), fields.get("number")
    builtin = ChatSettings(
        provider=provider,
        launcher=fields.get("launcher", False),
        hours=_hours(fields.get("hours"), join(path, "hours")),
        notify_email=_notify_email(fields.get("notifyEmail"), join(path, "notifyEmail")),
    )
    if provider != "whatsapp":
        if number not in (None, ""):
            raise DocumentError(join(path, "number"), "is only used with the whatsapp provider")
        return builtin
    if not isinstance(number, str) or not _PHONE.fullmatch(number.replace(" ", "")):
        raise DocumentError(
            join(path, "number"),
            "whatsapp needs a phone number in international form, e.g. +34600000000",
        )
    return replace(builtin, number=number.replace(" ", ""))


def _hours(value: object, path: str) -> Schedule | None:
    """Opening hours read like a trigger's schedule; null means no hours (presence alone)."""
    return None if value is None else parse_schedule(value, path)


def _notify_email(value: object, path: str) -> str | None:
    if value is None or value == "":
        return None
    if (
        not isinstance(value, str)
        or len(value.strip()) > MAX_EMAIL_CHARS
        or not _EMAIL.fullmatch(value.strip())
    ):
        raise DocumentError(path, "must be an email address such as staff@example.com")
    return value.strip()


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
    readers: dict[str, Reader] = {"pattern": _pattern, "pageType": one_of(PAGE_TYPES)}
    fields = read_fields(expect_object(value, path), readers, path, null_is_absent=False)
    require(fields, ("pattern", "pageType"), path)
    return PagePattern(fields["pattern"], fields["pageType"])


def _pattern(value: object, path: str) -> str:
    if not isinstance(value, str) or not 1 <= len(value) <= MAX_PATTERN_CHARS:
        raise DocumentError(path, f"must be 1 to {MAX_PATTERN_CHARS} characters")
    return value


def parse_theme(value: object, path: str) -> Theme:
    readers: dict[str, Reader] = {
        "primaryColor": _colour,
        "textColor": _colour,
        "position": one_of(THEME_POSITIONS),
        "barPosition": one_of(BAR_POSITIONS),
    }
    fields = read_fields(expect_object(value, path), readers, path, null_is_absent=False)
    default = Theme()
    return Theme(
        fields.get("primaryColor", default.primary_color),
        fields.get("textColor", default.text_color),
        fields.get("position", default.position),
        fields.get("barPosition", default.bar_position),
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
