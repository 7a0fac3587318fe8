"""The `reminders` section of the merchant settings: abandoned-cart reminders.

{"enabled": false,                      # off until the merchant turns it on
 "audience": "all",                     # or "consent": only checkouts whose metadata has
 "consentKey": "proactive_reminders",   #   this key set to "true" by the storefront
 "delaysMinutes": [60, 1440],           # one or two reminders, after the last cart change
 "checkoutUrl": "https://shop.example/checkout?token={token}",
 "holdoutPercent": 10,                  # abandoned checkouts that get no reminder
 "webhookUrl": null,                    # also POST each reminder there, signed
 "texts": {"en": {"subject": "...", "intro": "...",      # per language; defaults otherwise
                  "heading": "...", "button": "..."}}}  # these two optional
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ..validation import (
    DocumentError,
    Reader,
    expect_bool,
    expect_list,
    expect_object,
    join,
    one_of,
    read_fields,
    whole_number,
)

AUDIENCES = ("all", "consent")
MAX_DELAY_MINUTES = 7 * 24 * 60
TOKEN_PLACEHOLDER = "{token}"
MAX_TEXT_CHARS = {"subject": 150, "intro": 1000}
OPTIONAL_TEXT_CHARS = {"heading": 150, "button": 60}
_LANGUAGE = re.compile(r"[a-z]{2}(?:-[A-Za-z]{2,4})?")
_METADATA_KEY = re.compile(r"[A-Za-z0-9_.:-]{1,128}")


@dataclass(frozen=True)
class ReminderTexts:
    subject: str
    intro: str
    heading: str | None = None  # none: the email has no heading
    button: str | None = None  # none: the language's built-in label


@dataclass(frozen=True)
class ReminderSettings:
    enabled: bool = False
    audience: str = "all"
    consent_key: str = "proactive_reminders"
    delays_minutes: tuple[int, ...] = (60, 1440)
    checkout_url: str | None = None
    holdout_percent: int = 10
    webhook_url: str | None = None
    texts: Mapping[str, ReminderTexts] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "enabled": self.enabled,
            "audience": self.audience,
            "consentKey": self.consent_key,
            "delaysMinutes": list(self.delays_minutes),
            "checkoutUrl": self.checkout_url,
            "holdoutPercent": self.holdout_percent,
            "webhookUrl": self.webhook_url,
            "texts": {language: _texts_json(t) for language, t in self.texts.items()},
        }

    def checkout_link(self, token: str) -> str | None:
        if self.checkout_url is None:
            return None
        return self.checkout_url.replace(TOKEN_PLACEHOLDER, token)


def _texts_json(texts: ReminderTexts) -> dict[str, str]:
    optional = {"heading": texts.heading, "button": texts.button}
    return {
        "subject": texts.subject,
        "intro": texts.intro,
        **{name: text for name, text in optional.items() if text is not None},
    }


def parse_reminders(value: object, path: str) -> ReminderSettings:
    readers: dict[str, Reader] = {
        "enabled": expect_bool,
        "audience": one_of(AUDIENCES),
        "consentKey": _metadata_key,
        "delaysMinutes": _delays,
        "checkoutUrl": _nullable(_checkout_url),
        "holdoutPercent": whole_number(0, 50),
        "webhookUrl": _nullable(_http_url),
        "texts": _texts,
    }
    fields = read_fields(expect_object(value, path), readers, path, null_is_absent=False)
    default = ReminderSettings()
    parsed = ReminderSettings(
        enabled=fields.get("enabled", default.enabled),
        audience=fields.get("audience", default.audience),
        consent_key=fields.get("consentKey", default.consent_key),
        delays_minutes=fields.get("delaysMinutes", default.delays_minutes),
        checkout_url=fields.get("checkoutUrl", default.checkout_url),
        holdout_percent=fields.get("holdoutPercent", default.holdout_percent),
        webhook_url=fields.get("webhookUrl", default.webhook_url),
        texts=fields.get("texts", default.texts),
    )
    if parsed.enabled and parsed.checkout_url is None:
        raise DocumentError(
            join(path, "checkoutUrl"),
            "is needed to turn reminders on: the link back to the checkout, "
            "e.g. https://shop.example/checkout?token={token}",
        )
    return parsed


def _nullable(reader: Reader) -> Reader:
    def read(value: object, path: str) -> Any:
        return None if value is None or value == "" else reader(value, path)

    return read


def _metadata_key(value: object, path: str) -> str:
    if not isinstance(value, str) or not _METADATA_KEY.fullmatch(value):
        raise DocumentError(path, "must be a metadata key of letters, digits and _.:-")
    return value


def _delays(value: object, path: str) -> tuple[int, ...]:
    items = expect_list(value, path)
    if not 1 <= len(items) <= 2:
        raise DocumentError(path, "must hold one or two delays, in minutes")
    delays = tuple(
        whole_number(5, MAX_DELAY_MINUTES)(item, join(path, index))
        for index, item in enumerate(items)
    )
    if len(delays) == 2 and delays[1] <= delays[0]:
        raise DocumentError(join(path, 1), "must come after the first reminder")
    return delays


def _http_url(value: object, path: str) -> str:
    if not isinstance(value, str) or len(value) > 2000:
        raise DocumentError(path, "must be an http(s) address")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DocumentError(path, "must be an http(s) address such as https://shop.example/")
    return value


def _checkout_url(value: object, path: str) -> str:
    url = _http_url(value, path)
    if TOKEN_PLACEHOLDER not in url:
        raise DocumentError(
            path, "must contain {token}, e.g. https://shop.example/checkout?token={token}"
        )
    return url


def _texts(value: object, path: str) -> dict[str, ReminderTexts]:
    texts: dict[str, ReminderTexts] = {}
    for language, entry in expect_object(value, path).items():
        entry_path = join(path, language)
        if not _LANGUAGE.fullmatch(language):
            raise DocumentError(entry_path, "keys must be languages such as en or pt-BR")
        fields = expect_object(entry, entry_path)
        unknown = set(fields) - set(MAX_TEXT_CHARS) - set(OPTIONAL_TEXT_CHARS)
        if unknown:
            raise DocumentError(join(entry_path, sorted(unknown)[0]), "is not a known field")
        texts[language] = ReminderTexts(
            subject=str(_text(fields, "subject", entry_path)),
            intro=str(_text(fields, "intro", entry_path)),
            heading=_text(fields, "heading", entry_path),
            button=_text(fields, "button", entry_path),
        )
    return texts


def _text(fields: Mapping[str, Any], name: str, path: str) -> str | None:
    """A text field stripped; an optional one left out (or empty) is None."""
    text = fields.get(name)
    if name in OPTIONAL_TEXT_CHARS and (text is None or text == ""):
        return None
    limit = MAX_TEXT_CHARS.get(name) or OPTIONAL_TEXT_CHARS[name]
    if not isinstance(text, str) or not 1 <= len(text.strip()) <= limit:
        raise DocumentError(join(path, name), f"must be 1 to {limit} characters")
    return text.strip()
