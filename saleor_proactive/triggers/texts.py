"""Localised texts in a rule: language tags, limits, and the placeholders a message may use."""

from __future__ import annotations

import re

from ..validation import DocumentError, expect_object, join, type_name

MAX_LANGUAGES = 20
MAX_MESSAGE_CHARS = 1000
MAX_CTA_CHARS = 100
PLACEHOLDERS = ("remaining", "threshold", "cartValue")

# language[-Script][-REGION]: "es", "es-MX", "zh-Hant-TW", "es-419"
_TAG = re.compile(r"([A-Za-z]{2,3})(?:-([A-Za-z]{4}))?(?:-([A-Za-z]{2}|[0-9]{3}))?")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
# Characters no text may hold: controls, which have no place in a visible message, and unpaired
# surrogates (valid JSON as "\\ud800", but not encodable as UTF-8, so not storable). Messages
# may hold tab and newline; one-line values (names, URL patterns, ids) may not.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")
UNSTORABLE = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")
UNSTORABLE_PROBLEM = "must not contain control characters or unpaired surrogates"


def refuse_unstorable(value: str, path: str) -> None:
    """A one-line value of a rule document (a name, a URL pattern) that no store can hold."""
    if UNSTORABLE.search(value):
        raise DocumentError(path, UNSTORABLE_PROBLEM)


def normalise_tag(tag: object) -> str | None:
    """`"ES-mx"` → `"es-MX"`; None when `tag` is not a language tag we accept."""
    if not isinstance(tag, str) or len(tag) > 16:
        return None
    match = _TAG.fullmatch(tag.replace("_", "-"))
    if match is None:
        return None
    language, script, region = match.groups()
    parts = [language.lower()]
    if script:
        parts.append(script.title())
    if region:
        parts.append(region.upper())
    return "-".join(parts)


def parse_text_map(
    value: object,
    path: str,
    *,
    max_chars: int = MAX_MESSAGE_CHARS,
    placeholders: tuple[str, ...] = (),
    required: tuple[str, ...] = (),
) -> dict[str, str]:
    """Validate `{"en": "...", "es": "..."}`; plain text, as the snippet never renders HTML."""
    texts = expect_object(value, path)
    if not texts:
        raise DocumentError(path, 'needs at least one language, e.g. {"en": "..."}')
    if len(texts) > MAX_LANGUAGES:
        raise DocumentError(path, f"at most {MAX_LANGUAGES} languages")
    result: dict[str, str] = {}
    for raw_tag, text in texts.items():
        tag = normalise_tag(raw_tag)
        text_path = join(path, str(raw_tag))
        if tag is None:
            raise DocumentError(text_path, "not a language tag like en or es-MX")
        if tag in result:
            raise DocumentError(text_path, f"language {tag} is given twice")
        result[tag] = _check_text(text, text_path, max_chars, placeholders, required)
    return result


def _check_text(
    text: object,
    path: str,
    max_chars: int,
    placeholders: tuple[str, ...],
    required: tuple[str, ...],
) -> str:
    if not isinstance(text, str):
        raise DocumentError(path, f"must be a string, got {type_name(text)}")
    if len(text) > max_chars:
        raise DocumentError(path, f"at most {max_chars} characters, got {len(text)}")
    if not text.strip():
        raise DocumentError(path, "must not be empty")
    if _CONTROL.search(text):
        raise DocumentError(path, UNSTORABLE_PROBLEM)
    for name in _PLACEHOLDER.findall(text):
        if name not in placeholders:
            allowed = ", ".join("{" + p + "}" for p in placeholders) or "none here"
            raise DocumentError(path, f"unknown placeholder {{{name}}}; allowed: {allowed}")
    for name in required:
        if "{" + name + "}" not in text:
            raise DocumentError(path, f"must contain the placeholder {{{name}}}")
    return text


def fill_placeholders(text: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text
