"""The merchant's settings for one installation: the document, its parts and their choices.

`document.MerchantSettings` is the whole; `sections` its parts (chat, page patterns, theme,
free-shipping overrides); `vocabulary` the choices they offer. Stored by `store.merchant_settings`.
"""

from .document import DEFAULT_PAGE_PATTERNS, SETTINGS_KEYS, MerchantSettings
from .sections import ChatSettings, PagePattern, Theme

__all__ = [
    "DEFAULT_PAGE_PATTERNS",
    "SETTINGS_KEYS",
    "ChatSettings",
    "MerchantSettings",
    "PagePattern",
    "Theme",
]
