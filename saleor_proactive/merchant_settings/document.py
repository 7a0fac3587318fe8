"""Merchant settings: one document, validated once at the edge, stored as JSON.

The JSON form (camelCase) is what the merchant API takes and returns:

    {"chat": {"provider": "builtin", "launcher": true,          # number: whatsapp only
              "hours": {"timezone": "Europe/Madrid", "days": ["mon", "fri"],
                        "from": "09:00", "to": "18:00"},        # null: no opening hours
              "notifyEmail": "staff@example.com"},              # null: no new-chat email
     "storefrontOrigins": ["https://shop.example.com"],          # [] = any origin
     "pagePatterns": [{"pattern": "*/checkout*", "pageType": "checkout"}],
     "consentRequired": false,
     "theme": {"primaryColor": "#1f6feb", "textColor": "#ffffff", "position": "bottom-right",
               "barPosition": "bottom"},                         # bubble corner, bar edge
     "quietPeriodMinutes": 30,
     "freeShippingOverrides": {"default-channel": "45.00", "us": null},  # null = no notice
     "attributionWindowDays": 7, "retentionDays": 90,
     "productUrlPattern": "https://shop.example.com/products/{slug}",  # null: no links
     "reminders": {...}}                    # abandoned-cart reminders: reminders.py

Missing keys take their defaults, so a partial document (or settings stored by an older
version) is fine; unknown keys and wrong values are refused with the field's path
(`validation.DocumentError`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..validation import (
    DocumentError,
    Reader,
    expect_bool,
    expect_object,
    read_fields,
    type_name,
    whole_number,
)
from .reminders import ReminderSettings, parse_reminders
from .sections import (
    ChatSettings,
    PagePattern,
    Theme,
    parse_chat,
    parse_origins,
    parse_overrides,
    parse_patterns,
    parse_theme,
)

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
    # The storefront's product page, `{slug}` and/or `{id}` filled in; None: no links
    product_url_pattern: str | None = None
    reminders: ReminderSettings = field(default_factory=ReminderSettings)

    @classmethod
    def from_json(cls, data: object) -> MerchantSettings:
        return _parse(data)

    def to_json(self) -> dict[str, Any]:
        return {
            "chat": self.chat.to_json(),
            "storefrontOrigins": list(self.storefront_origins),
            "pagePatterns": [
                {"pattern": p.pattern, "pageType": p.page_type} for p in self.page_patterns
            ],
            "consentRequired": self.consent_required,
            "theme": {
                "primaryColor": self.theme.primary_color,
                "textColor": self.theme.text_color,
                "position": self.theme.position,
                "barPosition": self.theme.bar_position,
            },
            "quietPeriodMinutes": self.quiet_period_minutes,
            "freeShippingOverrides": {
                slug: None if amount is None else str(amount)
                for slug, amount in self.free_shipping_overrides.items()
            },
            "attributionWindowDays": self.attribution_window_days,
            "retentionDays": self.retention_days,
            "productUrlPattern": self.product_url_pattern,
            "reminders": self.reminders.to_json(),
        }

    def updated(self, patch: Mapping[str, Any]) -> MerchantSettings:
        """These settings with the top-level keys of `patch` replaced (validated)."""
        return _parse({**self.to_json(), **patch})

    def origin_allowed(self, origin: str | None) -> bool:
        if not self.storefront_origins or origin is None:
            return True
        return origin.rstrip("/").lower() in self.storefront_origins


def _parse(data: object) -> MerchantSettings:
    fields = read_fields(expect_object(data, "settings"), _READERS, "", null_is_absent=False)
    default = MerchantSettings()
    return MerchantSettings(
        chat=fields.get("chat", default.chat),
        storefront_origins=fields.get("storefrontOrigins", default.storefront_origins),
        page_patterns=fields.get("pagePatterns", default.page_patterns),
        consent_required=fields.get("consentRequired", default.consent_required),
        theme=fields.get("theme", default.theme),
        quiet_period_minutes=fields.get("quietPeriodMinutes", default.quiet_period_minutes),
        free_shipping_overrides=fields.get(
            "freeShippingOverrides", default.free_shipping_overrides
        ),
        attribution_window_days=fields.get(
            "attributionWindowDays", default.attribution_window_days
        ),
        retention_days=fields.get("retentionDays", default.retention_days),
        product_url_pattern=fields.get("productUrlPattern", default.product_url_pattern),
        reminders=fields.get("reminders", default.reminders),
    )


MAX_URL_PATTERN_CHARS = 2000
_URL_PLACEHOLDERS = ("{slug}", "{id}")


def parse_product_url_pattern(value: object, path: str) -> str | None:
    """An http(s) address holding `{slug}` or `{id}` (or both), or null for no links."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise DocumentError(path, f"must be a string or null, got {type_name(value)}")
    if not 0 < len(value) <= MAX_URL_PATTERN_CHARS:
        raise DocumentError(path, f"must be 1 to {MAX_URL_PATTERN_CHARS} characters")
    if not value.startswith(("https://", "http://")) or any(c.isspace() for c in value):
        raise DocumentError(path, "must be an http(s) address without spaces")
    rest = value
    for placeholder in _URL_PLACEHOLDERS:
        rest = rest.replace(placeholder, "")
    if rest == value:
        raise DocumentError(path, "must contain {slug} or {id}")
    if "{" in rest or "}" in rest:
        raise DocumentError(path, "only the placeholders {slug} and {id} are known")
    return value


# Null is refused (a reader decides where it means something, as for a channel's override).
_READERS: dict[str, Reader] = {
    "chat": parse_chat,
    "storefrontOrigins": parse_origins,
    "pagePatterns": parse_patterns,
    "consentRequired": expect_bool,
    "theme": parse_theme,
    "quietPeriodMinutes": whole_number(0, 1440),
    "freeShippingOverrides": parse_overrides,
    "attributionWindowDays": whole_number(1, 30),
    "retentionDays": whole_number(1, 3650),
    "productUrlPattern": parse_product_url_pattern,
    "reminders": parse_reminders,
}
SETTINGS_KEYS = tuple(_READERS)
