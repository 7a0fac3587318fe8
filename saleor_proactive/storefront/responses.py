"""The JSON the visitor API answers with: actions with signed ids, and the snippet's settings."""

from __future__ import annotations

from typing import Any

from ..merchant_settings import MerchantSettings
from ..triggers.context import Decision
from .action_ids import ActionSigner


def action_json(
    signer: ActionSigner, installation_id: int, visitor_id: str, decision: Decision
) -> dict[str, Any]:
    action: dict[str, Any] = {
        "id": signer.issue(installation_id, visitor_id, decision.trigger_id),
        "triggerId": decision.trigger_id,
        "type": str(decision.type),
        "slot": str(decision.slot),
        "showAfterMs": decision.show_after_ms,
        "message": decision.message,
    }
    if decision.cta is not None:
        action["cta"] = decision.cta
    if decision.data:
        action["data"] = decision.data
    return action


def config_json(settings: MerchantSettings) -> dict[str, Any]:
    """What the snippet needs besides actions (fields agreed with the snippet, API_NOTES.md)."""
    chat: dict[str, Any] = {"provider": settings.chat.provider}
    if settings.chat.number:
        chat["number"] = settings.chat.number
    if settings.chat.provider == "builtin" and settings.chat.launcher:
        chat["launcher"] = True  # the snippet loads the panel's script, which draws the button
    theme = settings.theme
    return {
        "chat": chat,
        "theme": {
            "accent": theme.primary_color,
            "textColor": theme.text_color,
            "barPosition": theme.bar_position,
            "bubblePosition": "left" if theme.position == "bottom-left" else "right",
        },
        "pageTypes": [{"pattern": p.pattern, "type": p.page_type} for p in settings.page_patterns],
        "consentRequired": settings.consent_required,
    }
