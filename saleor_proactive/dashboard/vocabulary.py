"""The app's fixed names that the app page's JavaScript offers in its forms.

The page embeds `vocabulary()` as JSON (templates/dashboard/app.html, read by
static/vocabulary.js), so the lists have one source: the Python definitions imported here.
This is the only module outside their own packages that imports them (tests take them from
here too); if they move, only this file changes.
"""

from __future__ import annotations

from typing import Any

from ..merchant_settings.vocabulary import BAR_POSITIONS, CHAT_PROVIDERS, THEME_POSITIONS
from ..triggers.conditions import LEAF_KINDS, OPERATORS
from ..triggers.frequency import PERIODS
from ..triggers.rules import SECOND_TEXT
from ..triggers.schedule import DAYS
from ..triggers.vocabulary import CATALOGUE_LEAVES, DEVICES, LEAF_INPUTS, PAGE_TYPES

__all__ = [
    "BAR_POSITIONS",
    "CATALOGUE_LEAVES",
    "CHAT_PROVIDERS",
    "DAYS",
    "DEVICES",
    "PAGE_TYPES",
    "PERIODS",
    "SECOND_TEXT",
    "THEME_POSITIONS",
    "leaves",
    "vocabulary",
]


def leaves() -> list[dict[str, Any]]:
    """The conditions the editor offers: those the engine knows, with label, input and
    operators (read when the page is served, so a leaf the engine learns appears by itself)."""
    return [
        {"key": key, "label": label, "input": kind, "ops": list(OPERATORS[LEAF_KINDS[key]])}
        for key, (label, kind) in LEAF_INPUTS.items()
        if key in LEAF_KINDS and LEAF_KINDS[key] in OPERATORS
    ]


def vocabulary() -> dict[str, Any]:
    return {
        "leaves": leaves(),
        # leaf -> "categoryIds" | "productIds": the editor picks these ids from the catalogue
        "catalogueLeaves": dict(CATALOGUE_LEAVES),
        "pageTypes": list(PAGE_TYPES),
        "devices": list(DEVICES),
        "chatProviders": list(CHAT_PROVIDERS),
        "themePositions": list(THEME_POSITIONS),
        "barPositions": list(BAR_POSITIONS),
        "days": list(DAYS),
        "periods": list(PERIODS),
        "secondText": dict(SECOND_TEXT),  # show type -> its optional text: cta, reachedMessage
    }
