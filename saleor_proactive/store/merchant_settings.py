"""Merchant settings: validated once at the edge, stored in `installation.settings` as JSON.

The JSON form (camelCase) is what the merchant API takes and returns:

    {"chat": {"provider": "whatsapp", "number": "+34600000000"},
     "storefrontOrigins": ["https://shop.example.com"],          # [] = any origin
     "pagePatterns": [{"pattern": "*/checkout*", "pageType": "checkout"}],
     "consentRequired": false,
     "theme": {"primaryColor": "#1f6feb", "textColor": "#ffffff", "position": "bottom-right"},
     "quietPeriodMinutes": 30,
     "freeShippingOverrides": {"default-channel": "45.00", "us": null},  # null = no notice
     "attributionWindowDays": 7, "retentionDays": 90}

Missing keys take their defaults, so a partial document (or settings stored by an older
version) is fine; unknown keys and wrong values are refused with the field's path.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy.orm import Session

from ..triggers.context import PAGE_TYPES
from .models import Installation

logger = logging.getLogger(__name__)

CHAT_PROVIDERS = ("none", "chatwoot", "crisp", "tawk", "zendesk", "intercom", "whatsapp", "custom")
THEME_POSITIONS = ("bottom-right", "bottom-left")
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


DEFAULT_PAGE_PATTERNS = (
    PagePattern("*/checkout*", "checkout"),
    PagePattern("*/cart*", "cart"),
    PagePattern("*/basket*", "cart"),
    PagePattern("*/contact*", "contact"),
    PagePattern("*/faq*", "faq"),
    PagePattern("*/help*", "faq"),
    PagePattern("*/search*", "search"),
    PagePattern("*/products/*", "product"),
    PagePattern("*/categories/*", "category"),
    PagePattern("*/collections/*", "category"),
)


@dataclass(frozen=True)
class MerchantSettings:
    chat: ChatSettings = field(default_factory=ChatSettings)
    storefront_origins: tuple[str, ...] = ()  # empty: any origin may call the visitor API
    page_patterns: tuple[PagePattern, ...] = DEFAULT_PAGE_PATTERNS
    consent_required: bool = False
    theme: Theme = field(default_factory=Theme)
    quiet_period_minutes: int = 30
    # Keyed by channel slug; an amount replaces Saleor's threshold, None turns notices off.
    free_shipping_overrides: Mapping[str, Decimal | None] = field(default_factory=dict)
    attribution_window_days: int = 7
    retention_days: int = 90

    @classmethod
    def from_json(cls, data: object) -> MerchantSettings:
        return _parse(data)

    def to_json(self) -> dict[str, Any]:
        chat: dict[str, Any] = {"provider": self.chat.provider}
        if self.chat.number is not None:
            chat["number"] = self.chat.number
        return {
            "chat": chat,
            "storefrontOrigins": list(self.storefront_origins),
            "pagePatterns": [
                {"pattern": p.pattern, "pageType": p.page_type} for p in self.page_patterns
            ],
            "consentRequired": self.consent_required,
            "theme": {
                "primaryColor": self.theme.primary_color,
                "textColor": self.theme.text_color,
                "position": self.theme.position,
            },
            "quietPeriodMinutes": self.quiet_period_minutes,
            "freeShippingOverrides": {
                slug: None if amount is None else str(amount)
                for slug, amount in self.free_shipping_overrides.items()
            },
            "attributionWindowDays": self.attribution_window_days,
            "retentionDays": self.retention_days,
        }

    def updated(self, patch: Mapping[str, Any]) -> MerchantSettings:
        """These settings with the top-level keys of `patch` replaced (validated)."""
        return _parse({**self.to_json(), **patch})

    def origin_allowed(self, origin: str | None) -> bool:
        if not self.storefront_origins or origin is None:
            return True
        return origin.rstrip("/").lower() in self.storefront_origins


def load_settings(installation: Installation) -> MerchantSettings:
    """The installation's settings; defaults for anything not stored (never raises)."""
    stored = installation.settings or {}
    known = {key: stored[key] for key in _KEYS if key in stored}
    try:
        return _parse(known)
    except SettingsError as error:
        # Only written through save_settings, so this means a manual edit went wrong.
        logger.warning("stored settings of installation %s invalid (%s)", installation.id, error)
        return MerchantSettings()


def save_settings(session: Session, installation: Installation, settings: MerchantSettings) -> None:
    # A new dict (not an in-place change) so SQLAlchemy sees the JSON column change and the
    # installation's updated_at moves, which invalidates the visitor API's caches.
    installation.settings = {**(installation.settings or {}), **settings.to_json()}
    session.flush()


# --- parsing -------------------------------------------------------------------------------

_KEYS = (
    "chat",
    "storefrontOrigins",
    "pagePatterns",
    "consentRequired",
    "theme",
    "quietPeriodMinutes",
    "freeShippingOverrides",
    "attributionWindowDays",
    "retentionDays",
)


def _parse(data: object) -> MerchantSettings:
    obj = _object(data, "")
    _refuse_unknown(obj, _KEYS, "")
    defaults = MerchantSettings()
    return MerchantSettings(
        chat=_chat(obj["chat"]) if "chat" in obj else defaults.chat,
        storefront_origins=(
            _origins(obj["storefrontOrigins"]) if "storefrontOrigins" in obj else ()
        ),
        page_patterns=(
            _patterns(obj["pagePatterns"]) if "pagePatterns" in obj else defaults.page_patterns
        ),
        consent_required=_bool(obj.get("consentRequired", False), "consentRequired"),
        theme=_theme(obj["theme"]) if "theme" in obj else defaults.theme,
        quiet_period_minutes=_int(obj.get("quietPeriodMinutes", 30), "quietPeriodMinutes", 0, 1440),
        free_shipping_overrides=_overrides(obj.get("freeShippingOverrides", {})),
        attribution_window_days=_int(
            obj.get("attributionWindowDays", 7), "attributionWindowDays", 1, 30
        ),
        retention_days=_int(obj.get("retentionDays", 90), "retentionDays", 1, 3650),
    )


def _chat(value: object) -> ChatSettings:
    obj = _object(value, "chat")
    _refuse_unknown(obj, ("provider", "number"), "chat")
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


def _origins(value: object) -> tuple[str, ...]:
    items = _list(value, "storefrontOrigins", MAX_ORIGINS)
    origins: list[str] = []
    for index, item in enumerate(items):
        path = f"storefrontOrigins[{index}]"
        if not isinstance(item, str) or not _ORIGIN.fullmatch(item.rstrip("/")):
            raise SettingsError(path, "must be an origin such as https://shop.example.com")
        origin = item.rstrip("/").lower()
        if origin not in origins:
            origins.append(origin)
    return tuple(origins)


def _patterns(value: object) -> tuple[PagePattern, ...]:
    items = _list(value, "pagePatterns", MAX_PATTERNS)
    patterns: list[PagePattern] = []
    for index, item in enumerate(items):
        path = f"pagePatterns[{index}]"
        obj = _object(item, path)
        _refuse_unknown(obj, ("pattern", "pageType"), path)
        pattern = obj.get("pattern")
        if not isinstance(pattern, str) or not 1 <= len(pattern) <= MAX_PATTERN_CHARS:
            raise SettingsError(f"{path}.pattern", f"must be 1 to {MAX_PATTERN_CHARS} characters")
        page_type = obj.get("pageType")
        if page_type not in PAGE_TYPES:
            raise SettingsError(f"{path}.pageType", f"must be one of {', '.join(PAGE_TYPES)}")
        patterns.append(PagePattern(pattern, str(page_type)))
    return tuple(patterns)


def _theme(value: object) -> Theme:
    obj = _object(value, "theme")
    _refuse_unknown(obj, ("primaryColor", "textColor", "position"), "theme")
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
    return Theme(colours["primaryColor"], colours["textColor"], str(position))


def _overrides(value: object) -> dict[str, Decimal | None]:
    obj = _object(value, "freeShippingOverrides")
    overrides: dict[str, Decimal | None] = {}
    for slug, amount in obj.items():
        path = f"freeShippingOverrides.{slug}"
        if not isinstance(slug, str) or not _SLUG.fullmatch(slug):
            raise SettingsError(path, "keys must be channel slugs")
        overrides[slug] = None if amount is None else _amount(amount, path)
    return overrides


def _amount(value: object, path: str) -> Decimal:
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


def _object(value: object, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise SettingsError(path or "settings", "must be an object")
    return value


def _list(value: object, path: str, limit: int) -> list[Any]:
    if not isinstance(value, list | tuple):
        raise SettingsError(path, "must be a list")
    if len(value) > limit:
        raise SettingsError(path, f"may hold at most {limit} entries")
    return list(value)


def _refuse_unknown(obj: Mapping[str, Any], allowed: tuple[str, ...], path: str) -> None:
    for key in obj:
        if key not in allowed:
            where = f"{path}.{key}" if path else str(key)
            raise SettingsError(where, f"unknown setting; allowed: {', '.join(allowed)}")


def _bool(value: object, path: str) -> bool:
    if not isinstance(value, bool):
        raise SettingsError(path, "must be true or false")
    return value


def _int(value: object, path: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise SettingsError(path, f"must be a whole number from {low} to {high}")
    return value
