"""The choices the merchant settings offer (the app page and the snippet show the same)."""

from __future__ import annotations

CHAT_PROVIDERS = ("none", "chatwoot", "crisp", "tawk", "zendesk", "intercom", "whatsapp", "custom")
THEME_POSITIONS = ("bottom-right", "bottom-left")  # the chat bubble's corner
BAR_POSITIONS = ("bottom", "top")  # the free-shipping bar's edge
