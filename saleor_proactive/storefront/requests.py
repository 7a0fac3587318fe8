"""The body of `POST /storefront/v1/events`, validated into plain values (CONTRACT §3.2).

Every problem is an `ApiError(400, ...)` naming the field (`events[3].ts`). Unknown keys are
ignored so newer snippets keep working against an older server.

Timestamps (`ts`, ms since the epoch, the browser's clock) are only used relative to each other:
a browser clock that is hours or days off does not matter. A `ts` outside 2000 to 2100, or more than
24 hours away from the batch's latest event, is absurd and refused.

Free text (URLs, ids) may not hold control characters or unpaired surrogates (`"\\ud800"` is
valid JSON): neither belongs in a URL or an id, and neither can be stored or signed everywhere
(PostgreSQL refuses NUL in text, UTF-8 has no surrogates).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeGuard

from ..errors import ApiError
from ..triggers.texts import UNSTORABLE, UNSTORABLE_PROBLEM, normalise_tag
from ..triggers.vocabulary import DEVICES, PAGE_TYPES

MAX_BODY_BYTES = 32 * 1024
MAX_EVENTS = 50
MAX_URL_CHARS = 2048
MIN_TS_MS = 946_684_800_000  # 2000-01-01
MAX_TS_MS = 4_102_444_800_000  # 2100-01-01
MAX_BATCH_SPAN_MS = 24 * 3600 * 1000
EVENT_TYPES = (
    "page_view",
    "product_view",
    "cart_updated",
    "exit_intent",
    "action_shown",
    "action_clicked",
    "action_dismissed",
)
ACTION_EVENTS = ("action_shown", "action_clicked", "action_dismissed")

_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_CHECKOUT_ID = re.compile(r"[A-Za-z0-9+/=_-]{1,128}")
_CURRENCY = re.compile(r"[A-Z]{3}")
# A well-formed BCP 47 tag may go on after language-script-region (variants, extensions:
# `ca-ES-valencia`, `en-US-u-ca-gregory`); the snippet sends what the page says, so those
# subtags are dropped rather than the whole request refused.
_LOCALE_HEAD = re.compile(
    r"([A-Za-z]{2,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|[0-9]{3}))?)(?:-[A-Za-z0-9]{1,8})*"
)
MAX_LOCALE_CHARS = 64


@dataclass(frozen=True)
class Event:
    type: str
    ts: int  # ms, browser clock
    url: str | None = None
    page_type: str | None = None
    product_id: str | None = None
    price: Decimal | None = None  # claimed by the browser: a fallback for unknown products only
    currency: str | None = None
    category_id: str | None = None
    action_id: str | None = None


@dataclass(frozen=True)
class EventBatch:
    saleor_api_url: str
    channel: str
    visitor_id: str
    session_id: str
    checkout_id: str | None
    locale: str | None
    device: str | None
    consent: bool | None
    events: tuple[Event, ...]
    preview: str | None = None  # a preview token as sent; checked by the service, never refused

    @property
    def latest_ts(self) -> int | None:
        return max((e.ts for e in self.events), default=None)


MAX_PREVIEW_CHARS = 400


def bad(field: str, message: str) -> ApiError:
    return ApiError(400, "invalid_request", message, field)


def parse_batch(data: dict[str, Any]) -> EventBatch:
    events = _events(data.get("events"))
    return EventBatch(
        saleor_api_url=_text(data.get("saleorApiUrl"), "saleorApiUrl", 512),
        channel=_text(data.get("channel"), "channel", 255),
        visitor_id=_identifier(data.get("visitorId"), "visitorId"),
        session_id=_identifier(data.get("sessionId"), "sessionId"),
        checkout_id=_checkout_id(data.get("checkoutId")),
        locale=_locale(data.get("locale")),
        device=_choice(data.get("device"), "device", DEVICES),
        consent=_optional_bool(data.get("consent"), "consent"),
        events=events,
        preview=_preview(data.get("preview")),
    )


def _preview(value: object) -> str | None:
    # Whatever a browser stored is passed on: an unusable token only means "no preview".
    return value if isinstance(value, str) and 0 < len(value) <= MAX_PREVIEW_CHARS else None


def _events(value: object) -> tuple[Event, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise bad("events", "must be a list of events")
    if len(value) > MAX_EVENTS:
        raise bad("events", f"at most {MAX_EVENTS} events per request")
    events = tuple(_event(item, f"events[{index}]") for index, item in enumerate(value))
    latest = max((e.ts for e in events), default=0)
    for index, event in enumerate(events):
        if latest - event.ts > MAX_BATCH_SPAN_MS:
            raise bad(f"events[{index}].ts", "is more than 24 hours before the latest event")
    return events


def _event(value: object, path: str) -> Event:
    if not isinstance(value, dict):
        raise bad(path, "must be an object")
    kind = value.get("type")
    if kind not in EVENT_TYPES:
        raise bad(f"{path}.type", f"unknown event type; known: {', '.join(EVENT_TYPES)}")
    ts = _timestamp(value.get("ts"), f"{path}.ts")
    if kind == "page_view":
        return Event(
            kind,
            ts,
            url=_text(value.get("url"), f"{path}.url", MAX_URL_CHARS),
            page_type=_choice(value.get("pageType"), f"{path}.pageType", PAGE_TYPES),
            product_id=_optional_text(value.get("productId"), f"{path}.productId", 128),
            category_id=_optional_text(value.get("categoryId"), f"{path}.categoryId", 128),
        )
    if kind == "product_view":
        return Event(
            kind,
            ts,
            product_id=_text(value.get("productId"), f"{path}.productId", 128),
            price=_price(value.get("price"), f"{path}.price"),
            currency=_currency(value.get("currency"), f"{path}.currency"),
            category_id=_optional_text(value.get("categoryId"), f"{path}.categoryId", 128),
        )
    if kind in ACTION_EVENTS:
        return Event(kind, ts, action_id=_text(value.get("actionId"), f"{path}.actionId", 256))
    return Event(kind, ts)


def _is_number(value: object) -> TypeGuard[int | float]:
    """A JSON number Python can compare: not a bool, not NaN or infinite (an int of any size)."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and math.isfinite(value))


def _timestamp(value: object, path: str) -> int:
    if not _is_number(value):
        raise bad(path, "must be milliseconds since 1970-01-01 (a number)")
    if not MIN_TS_MS <= value <= MAX_TS_MS:
        raise bad(path, "is not a plausible time (milliseconds since 1970-01-01)")
    return int(value)


def _text(value: object, path: str, limit: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise bad(path, "is required and must be a non-empty string")
    if len(value) > limit:
        raise bad(path, f"must be at most {limit} characters")
    if UNSTORABLE.search(value):
        raise bad(path, UNSTORABLE_PROBLEM)
    return value


def _optional_text(value: object, path: str, limit: int) -> str | None:
    return None if value is None or value == "" else _text(value, path, limit)


def _identifier(value: object, path: str) -> str:
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise bad(path, "must be 1 to 64 characters of A-Z a-z 0-9 _ -")
    return value


def _checkout_id(value: object) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not _CHECKOUT_ID.fullmatch(value):
        raise bad("checkoutId", "must be a Saleor checkout id as the API returns it")
    return value


def _locale(value: object) -> str | None:
    if value is None or value == "":
        return None
    tag = normalise_tag(value)
    if tag is None and isinstance(value, str) and len(value) <= MAX_LOCALE_CHARS:
        head = _LOCALE_HEAD.fullmatch(value.replace("_", "-"))
        tag = normalise_tag(head.group(1)) if head else None
    if tag is None:
        raise bad("locale", "must be a language tag such as es-ES")
    return tag


def _choice(value: object, path: str, allowed: tuple[str, ...]) -> str | None:
    if value is None:
        return None
    if value not in allowed:
        raise bad(path, f"must be one of {', '.join(allowed)}")
    return str(value)


def _optional_bool(value: object, path: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise bad(path, "must be true or false")


def _price(value: object, path: str) -> Decimal | None:
    if value is None:
        return None
    if not _is_number(value):
        raise bad(path, "must be a number")
    if not 0 <= value <= 1e9:
        raise bad(path, "must be between 0 and 1000000000")
    return Decimal(str(value))


def _currency(value: object, path: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _CURRENCY.fullmatch(value.upper()):
        raise bad(path, "must be an ISO 4217 code such as EUR")
    return value.upper()
