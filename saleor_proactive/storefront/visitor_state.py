"""How a batch of storefront events changes a visitor's row (pure: no I/O).

Sessions are the server's: a new one starts after 30 minutes without a request. The snippet's
`sessionId` lives in sessionStorage (one per tab), so two tabs of one visit must not count as two
visits; the latest one is kept and written on interactions.

Event times: the browser's clock may be off, so only the distances between a batch's events are
trusted, anchored at the server's `now` for the batch's latest event.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from fnmatch import fnmatchcase
from typing import Any

from ..merchant_settings import PagePattern
from ..triggers.context import FrequencyState
from .requests import Event, EventBatch

SESSION_IDLE = timedelta(minutes=30)
MAX_TRACKED_IDS = 100  # distinct products / categories per session
MAX_RECENT_ACTIONS = 100
MAX_FREQUENCY_ENTRIES = 200


@dataclass
class Visitor:
    """A visitor's row as plain values (attribute names are the `visitors` columns).

    Plain, not the ORM model: the hot path reads it with one Core select and writes it with one
    version-checked UPDATE, without the unit-of-work bookkeeping it does not need.
    """

    installation_id: int
    visitor_id: str
    channel: str
    session_id: str
    session_started_at: datetime
    last_seen_at: datetime
    id: int | None = None  # None until inserted
    row_version: int = 1
    visit_count: int = 1
    pages_in_session: int = 0
    page_url: str | None = None
    page_type: str | None = None
    page_started_at: datetime | None = None
    page_category_id: str | None = None
    products_viewed: list[str] = field(default_factory=list)
    categories_viewed: list[str] = field(default_factory=list)
    max_viewed_product_price: Decimal | None = None
    device: str | None = None
    locale: str | None = None
    country: str | None = None
    exit_intent: bool = False
    checkout_id: str | None = None
    # A reported cart change not yet read from Saleor (throttled): the next request reads it.
    checkout_refresh_owed_at: datetime | None = None
    frequency: dict[str, Any] = field(default_factory=dict)
    last_dismissed_at: datetime | None = None
    recent_actions: list[str] = field(default_factory=list)
    created_at: datetime | None = None
    # The column values as last read (repository/reads.py); None for a visitor not yet inserted.
    stored: Mapping[str, Any] | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class ProductFacts:
    """What the snapshots say about a viewed product in this channel."""

    category_id: str | None
    price: Decimal | None  # channel currency; None: not listed in this channel
    name: str = ""
    slug: str | None = None
    thumbnail_url: str | None = None
    attributes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ActionEvent:
    """A verified `action_*` event: issued by us, for this visitor."""

    kind: str  # impression | click | dismissal (and issued | control, from cohorts.py)
    trigger_id: str
    action_id: str
    nonce: str
    at: datetime


@dataclass
class Effects:
    """What else the batch asks for besides the row changes."""

    cart_updated_at: datetime | None = None
    interactions: list[ActionEvent] = field(default_factory=list)
    checkout_linked: bool = False
    new_session: bool = False


class Clock:
    """Maps browser timestamps to server time: the batch's latest event happened `now`."""

    def __init__(self, now: datetime, latest_ts: int | None) -> None:
        self.now = now
        self.latest_ts = latest_ts

    def at(self, ts: int) -> datetime:
        if self.latest_ts is None:
            return self.now
        return self.now - timedelta(milliseconds=max(0, self.latest_ts - ts))


def new_visitor(installation_id: int, batch: EventBatch, clock: Clock) -> Visitor:
    first = min((e.ts for e in batch.events), default=None)
    started = clock.at(first) if first is not None else clock.now
    return Visitor(
        installation_id=installation_id,
        visitor_id=batch.visitor_id,
        channel=batch.channel,
        session_id=batch.session_id,
        session_started_at=started,
        last_seen_at=clock.now,
        created_at=clock.now,
    )


def touch_session(visitor: Visitor, batch: EventBatch, clock: Clock, effects: Effects) -> None:
    """Start a new session after 30 idle minutes; keep the latest tab's session id."""
    if clock.now - visitor.last_seen_at > SESSION_IDLE:
        first = min((e.ts for e in batch.events), default=None)
        visitor.visit_count += 1
        visitor.session_started_at = clock.at(first) if first is not None else clock.now
        visitor.pages_in_session = 0
        visitor.products_viewed = []
        visitor.categories_viewed = []
        visitor.max_viewed_product_price = None
        visitor.page_started_at = visitor.session_started_at
        visitor.exit_intent = False
        effects.new_session = True
    visitor.session_id = batch.session_id
    visitor.channel = batch.channel
    visitor.last_seen_at = clock.now
    if batch.locale:
        visitor.locale = batch.locale
    if batch.device:
        visitor.device = batch.device
    if batch.checkout_id and batch.checkout_id != visitor.checkout_id:
        visitor.checkout_id = batch.checkout_id
        effects.checkout_linked = True


def apply_page_view(
    visitor: Visitor,
    event: Event,
    at: datetime,
    patterns: tuple[PagePattern, ...],
    product: ProductFacts | None = None,
) -> None:
    """`product`: the catalogue's facts of the page's product (`event.product_id`), if known;
    its category outranks the one the browser sent."""
    visitor.page_category_id = (product.category_id if product else None) or event.category_id
    visitor.pages_in_session += 1
    visitor.page_url = (event.url or "")[:2048]
    visitor.page_type = event.page_type or classify_page(visitor.page_url, patterns)
    visitor.page_started_at = at
    visitor.exit_intent = False


def classify_page(url: str, patterns: tuple[PagePattern, ...]) -> str:
    lowered = url.lower()
    for pattern in patterns:
        if fnmatchcase(lowered, pattern.pattern.lower()):
            return pattern.page_type
    return "other"


def apply_product_view(
    visitor: Visitor, event: Event, facts: ProductFacts | None, channel_currency: str
) -> None:
    product_id = event.product_id or ""
    # Kept in the order of the last view: a comparison shows the most recent first.
    if visitor.products_viewed[-1:] != [product_id]:
        others = [p for p in visitor.products_viewed if p != product_id]
        visitor.products_viewed = _capped(others, product_id)
    # Snapshots first; the browser's claims only for products Saleor has not told us about.
    category = facts.category_id if facts is not None else event.category_id
    if visitor.page_category_id is None:  # the page's product, reported after its page view
        visitor.page_category_id = category
    if category and category not in visitor.categories_viewed:
        visitor.categories_viewed = _capped(visitor.categories_viewed, category)
    price = facts.price if facts is not None else None
    if facts is None and event.price is not None and event.currency == channel_currency:
        price = event.price
    current = visitor.max_viewed_product_price
    if price is not None and (current is None or price > current):
        visitor.max_viewed_product_price = price


def apply_action(visitor: Visitor, action: ActionEvent, effects: Effects) -> None:
    """Count an action event once per action id and kind (replays change nothing)."""
    key = f"{action.kind}:{action.nonce}"
    if key in visitor.recent_actions:
        return
    visitor.recent_actions = [*visitor.recent_actions, key][-MAX_RECENT_ACTIONS:]
    effects.interactions.append(action)
    if action.kind == "impression":
        count_shown(visitor, action.trigger_id, action.at)
    elif action.kind == "dismissal":
        last = visitor.last_dismissed_at
        visitor.last_dismissed_at = action.at if last is None else max(last, action.at)


def count_shown(visitor: Visitor, trigger_id: str, at: datetime, *, control: bool = False) -> None:
    """Consume one unit of the trigger's frequency allowance (impression or control)."""
    entry = dict(visitor.frequency.get(trigger_id) or {})
    day = at.date().isoformat()
    same_session = entry.get("sessionNo") == visitor.visit_count
    same_day = entry.get("dayKey") == day
    entry["session"] = (entry.get("session", 0) if same_session else 0) + 1
    entry["sessionNo"] = visitor.visit_count
    entry["day"] = (entry.get("day", 0) if same_day else 0) + 1
    entry["dayKey"] = day
    entry["ever"] = entry.get("ever", 0) + 1
    entry["lastShownAt"] = at.isoformat()
    if control:
        entry["controlSessionNo"] = visitor.visit_count
    frequency = {**visitor.frequency, trigger_id: entry}
    if len(frequency) > MAX_FREQUENCY_ENTRIES:
        oldest = sorted(frequency, key=lambda k: str(frequency[k].get("lastShownAt", "")))
        for stale in oldest[: len(frequency) - MAX_FREQUENCY_ENTRIES]:
            del frequency[stale]
    visitor.frequency = frequency


def frequency_states(visitor: Visitor, now: datetime) -> dict[str, FrequencyState]:
    today = now.date().isoformat()
    return {
        trigger_id: _frequency_state(entry, visitor.visit_count, today)
        for trigger_id, entry in (visitor.frequency or {}).items()
    }


def _frequency_state(entry: Mapping[str, Any], visit_no: int, today: str) -> FrequencyState:
    last = entry.get("lastShownAt")
    return FrequencyState(
        shown_in_session=int(entry.get("session", 0)) if entry.get("sessionNo") == visit_no else 0,
        shown_today=int(entry.get("day", 0)) if entry.get("dayKey") == today else 0,
        shown_ever=int(entry.get("ever", 0)),
        last_shown_at=datetime.fromisoformat(last) if isinstance(last, str) else None,
    )


def _capped(items: list[str], item: str) -> list[str]:
    return [*items, item][-MAX_TRACKED_IDS:]
