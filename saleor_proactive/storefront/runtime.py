"""Per-process state of the visitor API: caches that keep the hot path to a few indexed reads.

Correct across processes: the cached store entry and parsed rules are validated with one indexed
read (the installation's `updated_at`, which moves when settings are saved, and its trigger
revision), at most once per `Settings.store_validate_seconds` (1) per shop and process, so a
merchant's change reaches every worker within a second. Channels, free-shipping thresholds and
product facts change rarely and come from webhooks, so a short time-to-live is enough for them.

Caches are keyed by installation id, which is never given to a second installation (see
`store/models/installation.py`): a reinstalled shop is never served the deleted one's rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from flask import current_app
from flask.sansio.app import App
from sqlalchemy import Connection, bindparam, select

from ..clock import SYSTEM_CLOCK, Clock, clock_of
from ..config import Settings
from ..errors import ApiError
from ..merchant_settings import MerchantSettings
from ..rulebook import load_enabled_rules
from ..saleor.fresh_checkouts import FreshCheckouts
from ..store.db import Database, get_database, session_on
from ..store.merchant_settings import load_settings
from ..store.models import Channel, Installation, TriggerRevision
from ..store.thresholds import free_shipping_threshold
from ..triggers.context import Money
from ..triggers.engine import RuleBook
from . import repository
from .action_ids import ActionSigner
from .preview import PreviewTokens
from .rate_limits import RateLimits
from .responses import config_json
from .visitor_state import ProductFacts

EXTENSION_KEY = "proactive_storefront"
CHANNELS_TTL = 30.0
THRESHOLD_TTL = 10.0
UNKNOWN_CHECKOUT_TTL = 300.0  # a checkout Saleor said it does not have is not asked for again
MAX_ENTRIES = 10_000


# Built once: reused compiled for every validation.
_VALIDATE = (
    select(Installation.id, Installation.updated_at, TriggerRevision.revision)
    .outerjoin(TriggerRevision, TriggerRevision.installation_id == Installation.id)
    .where(Installation.saleor_api_url == bindparam("url"))
)


@dataclass(frozen=True)
class ChannelInfo:
    slug: str
    currency: str
    default_country: str | None


@dataclass(frozen=True)
class StoreEntry:
    installation_id: int
    updated_at: datetime
    settings: MerchantSettings
    config: dict[str, Any]  # the answer's settings part (`responses.config_json`); read-only
    channels: dict[str, ChannelInfo]
    loaded_at: float
    rules_revision: int
    validated_at: float


@dataclass(frozen=True)
class StoreView:
    """A validated store entry plus the trigger revision read with it."""

    entry: StoreEntry
    rules_revision: int


@dataclass(frozen=True)
class Resolved:
    view: StoreView
    channel: ChannelInfo

    @property
    def installation_id(self) -> int:
        return self.view.entry.installation_id

    @property
    def settings(self) -> MerchantSettings:
        return self.view.entry.settings


class StorefrontRuntime:
    def __init__(
        self,
        settings: Settings,
        database: Database,
        *,
        fresh_checkouts: FreshCheckouts | None = None,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.clock = clock
        self.database = database  # for writes that must be durable (fresh checkout snapshots)
        self.fresh_checkouts = fresh_checkouts or FreshCheckouts.from_settings(settings)
        self.signer = ActionSigner(settings.require_secret_key())
        self.previews = PreviewTokens(
            settings.require_secret_key(), lambda: clock.now().timestamp()
        )
        self.limits = RateLimits(
            storage_url=settings.rate_limit_storage,
            per_visitor=settings.rate_limit_visitor,
            per_address=settings.rate_limit_address,
            checkout_refreshes=settings.rate_limit_checkout_refresh,
        )
        self._refresh_interval = settings.checkout_refresh_seconds
        self._validate_seconds = settings.store_validate_seconds
        self._products_ttl = settings.product_cache_seconds
        self._stores: dict[str, StoreEntry] = {}
        self._rules: dict[int, tuple[int, RuleBook]] = {}
        self._thresholds: dict[tuple[Any, ...], tuple[float, Money | None]] = {}
        self._products: dict[tuple[int, str, str], tuple[float, ProductFacts | None]] = {}
        self._refreshed: dict[tuple[int, str], float] = {}
        self._unknown_checkouts: dict[tuple[int, str], float] = {}

    def resolve(self, connection: Connection, saleor_api_url: str, channel_slug: str) -> Resolved:
        """The shop and channel a storefront request names, or 404 `unknown_store`."""
        view = self.store(connection, saleor_api_url)
        if view is None:
            message = "No shop with this Saleor API URL installed the app."
            raise ApiError(404, "unknown_store", message, "saleorApiUrl")
        channel = view.entry.channels.get(channel_slug)
        if channel is None:
            raise ApiError(404, "unknown_store", "This shop has no such channel.", "channel")
        return Resolved(view, channel)

    def store(self, connection: Connection, saleor_api_url: str) -> StoreView | None:
        now = self.clock.monotonic()
        entry = self._stores.get(saleor_api_url)
        if entry is not None and now - entry.validated_at < self._validate_seconds:
            return StoreView(entry, entry.rules_revision)
        row = connection.execute(_VALIDATE, {"url": saleor_api_url}).first()
        if row is None:
            self._stores.pop(saleor_api_url, None)
            return None
        installation_id, updated_at, revision = row
        if (
            entry is None
            or entry.installation_id != installation_id
            or entry.updated_at != updated_at
            or now - entry.loaded_at > CHANNELS_TTL
        ):
            entry = self._load_store(connection, installation_id, updated_at)
        entry = replace(entry, rules_revision=revision or 0, validated_at=now)
        self._remember(self._stores, saleor_api_url, entry)
        return StoreView(entry, entry.rules_revision)

    def _load_store(
        self, connection: Connection, installation_id: int, updated_at: datetime
    ) -> StoreEntry:
        with session_on(connection) as session:
            installation = session.get(Installation, installation_id)
            assert installation is not None
            channels = session.scalars(
                select(Channel).where(Channel.installation_id == installation_id)
            ).all()
            settings = load_settings(installation)
        return StoreEntry(
            installation_id=installation_id,
            updated_at=updated_at,
            settings=settings,
            config=config_json(settings),
            channels={
                c.slug: ChannelInfo(c.slug, c.currency_code, c.default_country) for c in channels
            },
            loaded_at=self.clock.monotonic(),
            rules_revision=0,
            validated_at=0.0,
        )

    def rules(self, connection: Connection, view: StoreView) -> RuleBook:
        installation_id = view.entry.installation_id
        cached = self._rules.get(installation_id)
        if cached is not None and cached[0] == view.rules_revision:
            return cached[1]
        with session_on(connection) as session:
            revision, rules = load_enabled_rules(session, installation_id)
        book = RuleBook(rules)
        self._remember(self._rules, installation_id, (revision, book))
        return book

    def threshold(
        self, connection: Connection, view: StoreView, channel: str, country: str | None
    ) -> Money | None:
        entry = view.entry
        key = (entry.installation_id, entry.updated_at, channel, country)
        cached = self._thresholds.get(key)
        now = self.clock.monotonic()
        if cached is not None and now - cached[0] < THRESHOLD_TTL:
            return cached[1]
        with session_on(connection) as session:
            installation = session.get(Installation, entry.installation_id)
            if installation is None:
                return None
            value = free_shipping_threshold(session, installation, channel, country)
        self._remember(self._thresholds, key, (now, value))
        return value

    def product_facts(
        self, connection: Connection, installation_id: int, channel: str, ids: Iterable[str]
    ) -> dict[str, ProductFacts]:
        """Category and price of the known, live products among `ids` (unknown ones absent)."""
        now = self.clock.monotonic()
        found: dict[str, ProductFacts] = {}
        missing: list[str] = []
        for product_id in set(ids):
            cached = self._products.get((installation_id, channel, product_id))
            if cached is None or now - cached[0] >= self._products_ttl:
                missing.append(product_id)
            elif cached[1] is not None:
                found[product_id] = cached[1]
        if missing:
            loaded = repository.product_facts(connection, installation_id, channel, missing)
            for product_id in missing:
                facts = loaded.get(product_id)
                self._remember(self._products, (installation_id, channel, product_id), (now, facts))
                if facts is not None:
                    found[product_id] = facts
        return found

    def may_refresh(self, installation_id: int, checkout_id: str) -> bool:
        """Whether a visitor's request may ask Saleor for the checkout now, so that visitors
        cannot make the app call Saleor without bound: not a checkout Saleor recently said it
        does not have (random ids), not within the refresh interval of the last query for it,
        and within the installation's cap on such queries."""
        key = (installation_id, checkout_id)
        now = self.clock.monotonic()
        unknown_since = self._unknown_checkouts.get(key)
        if unknown_since is not None and now - unknown_since < UNKNOWN_CHECKOUT_TTL:
            return False
        last = self._refreshed.get(key)
        if last is not None and now - last < self._refresh_interval:
            return False
        if not self.limits.allow_checkout_refresh(installation_id):
            return False
        self._remember(self._refreshed, key, now)
        return True

    def remember_unknown_checkout(self, installation_id: int, checkout_id: str) -> None:
        self._remember(
            self._unknown_checkouts, (installation_id, checkout_id), self.clock.monotonic()
        )

    @staticmethod
    def _remember(cache: dict[Any, Any], key: Any, value: Any) -> None:
        if len(cache) >= MAX_ENTRIES:
            cache.clear()  # crude but bounded; entries are cheap to rebuild
        cache[key] = value


def init_runtime(app: App) -> None:
    """Called once when the blueprint is registered on an app."""
    app.extensions[EXTENSION_KEY] = StorefrontRuntime(
        app.config["PROACTIVE"],
        get_database(app),
        fresh_checkouts=app.extensions.get(FreshCheckouts.EXTENSION_KEY),
        clock=clock_of(app),
    )


def get_runtime() -> StorefrontRuntime:
    runtime = current_app.extensions[EXTENSION_KEY]
    assert isinstance(runtime, StorefrontRuntime)
    return runtime
