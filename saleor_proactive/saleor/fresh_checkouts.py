"""A checkout read from Saleor on a visitor's behalf, stored as a snapshot.

Built once in the app factory (`FreshCheckouts.EXTENSION_KEY`), so the visitor API asks one
object, not a client it builds itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from sqlalchemy.orm import Session

from ..config import Settings
from ..store import snapshots
from ..store.installations import app_token
from ..store.models import CheckoutSnapshot, Installation
from .client import SaleorClient, SaleorError

logger = logging.getLogger(__name__)

# A visitor's request waits for this refresh; keep it short and fall back to the snapshot.
REFRESH_TIMEOUT = 3.0

ClientFactory = Callable[[str, str], SaleorClient]


def _short_timeout_client(api_url: str, token: str) -> SaleorClient:
    return SaleorClient(api_url, token, timeout=REFRESH_TIMEOUT)


@dataclass(frozen=True)
class Refreshed:
    snapshot: CheckoutSnapshot | None  # the stored snapshot after the refresh
    answered: bool  # Saleor answered: with the checkout, or that it has no such checkout
    found: bool  # Saleor has the checkout


class FreshCheckouts:
    EXTENSION_KEY = "proactive_fresh_checkouts"

    def __init__(self, secret: str, make_client: ClientFactory = _short_timeout_client) -> None:
        self._secret = secret
        self._make_client = make_client

    @classmethod
    def from_settings(cls, settings: Settings) -> FreshCheckouts:
        return cls(settings.require_secret_key())

    def refresh(self, session: Session, installation: Installation, checkout_id: str) -> Refreshed:
        """Ask Saleor for the checkout now, store it (unless a newer one is stored) and return
        the stored snapshot. When Saleor cannot answer, the stored snapshot (or None) is
        returned: a visitor's page must not fail because Saleor is slow. The caller commits.
        """
        client = self._make_client(
            installation.saleor_api_url, app_token(installation, self._secret)
        )
        answered = True
        try:
            data = client.checkout(checkout_id)
        except SaleorError as exc:
            logger.info("checkout %s not refreshed: %s", checkout_id, exc)
            data, answered = None, False
        if data is not None:
            snapshots.upsert_checkout(session, installation.id, data)
        stored = snapshots.get_checkout(session, installation.id, checkout_id, reload=True)
        return Refreshed(stored, answered, found=data is not None)


def get_fresh_checkouts() -> FreshCheckouts:
    fresh = current_app.extensions[FreshCheckouts.EXTENSION_KEY]
    assert isinstance(fresh, FreshCheckouts)
    return fresh
