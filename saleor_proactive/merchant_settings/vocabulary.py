"""The choices the merchant settings offer (the app page and the snippet show the same)."""

from __future__ import annotations

# `builtin`: the app's own chat (saleor_proactive/chat), the default for a shop without a tool.
CHAT_PROVIDERS = (
    "builtin",
    "none",
    "chatwoot",
    "crisp",
    "tawk",
    "zendesk",
    "intercom",
    "whatsapp",
    "custom",
)
THEME_POSITIONS = ("bottom-right", "bottom-left")  # the chat bubble's corner
BAR_POSITIONS = ("bottom", "top")  # the free-shipping bar's edge
