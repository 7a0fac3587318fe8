"""Catalog sync: channels, shipping zones and products read from Saleor with the app token.

Run right after registration so thresholds and prices exist before the first webhook; webhooks
keep them fresh afterwards. A failed sync never fails the install: it is logged and the data
arrives through webhooks (and the next sync).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ..store import snapshots
from ..store.db import Database
from ..store.models import Installation, utcnow
from .client import SaleorClient, SaleorError

logger = logging.getLogger(__name__)

# Saleor waits 18 s for the registration answer; leave room for the rest of it.
PRODUCT_SYNC_BUDGET_SECONDS = 8.0
RETRY_INTERVAL_SECONDS = 300.0


@dataclass(frozen=True)
class SyncReport:
    channels: int = 0
    shipping_zones: int = 0
    products: int = 0
    complete: bool = True
    error: str | None = None


def sync_catalog(
    session: Session,
    installation: Installation,
    client: SaleorClient,
    product_budget: float = PRODUCT_SYNC_BUDGET_SECONDS,
) -> SyncReport:
    """Store what Saleor lists now; commits per part, so a late failure keeps earlier parts."""
    installation_id = installation.id
    try:
        channels = client.channels()
        snapshots.upsert_channels(session, installation_id, channels)
        session.commit()
        started = utcnow()
        zones = client.shipping_zones()
        for zone in zones:
            snapshots.upsert_shipping_zone(session, installation_id, zone)
        snapshots.forget_missing_zones(
            session, installation_id, [z.zone_id for z in zones], started
        )
        session.commit()
        products, complete = _sync_products(session, installation_id, client, product_budget)
    except (SaleorError, SQLAlchemyError) as exc:
        session.rollback()
        logger.warning("catalog sync of %s failed: %s", installation.saleor_api_url, exc)
        return SyncReport(complete=False, error=str(exc))
    return SyncReport(len(channels), len(zones), products, complete)


def _sync_products(
    session: Session, installation_id: int, client: SaleorClient, budget: float
) -> tuple[int, bool]:
    deadline = time.monotonic() + budget
    count = 0
    for product in client.products():
        snapshots.upsert_product(session, installation_id, product)
        count += 1
        if count % 100 == 0:
            session.commit()
            if time.monotonic() > deadline:
                logger.info("product sync stopped after %d products (time budget)", count)
                return count, False
    session.commit()
    return count, True


class CatalogRetry:
    """Retries a failed catalog sync when the installation's next webhook arrives.

    Without channels the storefront knows no channel and no threshold, and no webhook carries
    channels, so a sync that failed at install must be tried again. Attempts are spaced per
    installation (in this process) so an unreachable Saleor does not slow every webhook.
    """

    def __init__(self, interval_seconds: float = RETRY_INTERVAL_SECONDS) -> None:
        self.interval = interval_seconds
        self._last_attempt: dict[int, float] = {}

    def due(self, session: Session, installation: Installation) -> bool:
        last = self._last_attempt.get(installation.id)
        if last is not None and time.monotonic() - last < self.interval:
            return False
        return not snapshots.has_channels(session, installation.id)

    def run(
        self, database: Database, installation: Installation, token: str, *, public_only: bool
    ) -> SyncReport:
        """Runs after the webhook's answer was sent (its own session), so Saleor never waits.

        `public_only` as at registration: the name may point elsewhere since.
        """
        self._last_attempt[installation.id] = time.monotonic()
        client = SaleorClient(installation.saleor_api_url, token, public_only=public_only)
        with database.session() as session:
            report = sync_catalog(session, installation, client)
        logger.info("catalog sync retried for %s: %s", installation.saleor_api_url, report)
        return report
