"""The app page's message catalogues: one JSON file per language in messages/, keyed alike
(tests/dashboard/test_messages.py holds them to that). The page embeds them all and looks texts
up in static/i18n.js."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

MESSAGES = Path(__file__).with_name("messages")
DEFAULT_LANGUAGE = "en"


@cache
def catalogues() -> dict[str, dict[str, str]]:
    """Language code -> {key: text}, read once per process."""
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(MESSAGES.glob("*.json"))
    }
