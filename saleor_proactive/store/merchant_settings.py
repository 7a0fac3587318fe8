"""Merchant settings in the database: `installation.settings`, a JSON column.

The document itself (defaults, validation) is `saleor_proactive.merchant_settings`.
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from ..merchant_settings import SETTINGS_KEYS, MerchantSettings
from ..validation import DocumentError
from .models import Installation

logger = logging.getLogger(__name__)


def load_settings(installation: Installation) -> MerchantSettings:
    """The installation's settings; defaults for anything not stored (never raises)."""
    stored = installation.settings or {}
    known = {key: stored[key] for key in SETTINGS_KEYS if key in stored}
    try:
        return MerchantSettings.from_json(known)
    except DocumentError as error:
        # Only written through save_settings, so this means a manual edit went wrong.
        logger.warning("stored settings of installation %s invalid (%s)", installation.id, error)
        return MerchantSettings()


def save_settings(session: Session, installation: Installation, settings: MerchantSettings) -> None:
    # A new dict (not an in-place change) so SQLAlchemy sees the JSON column change and the
    # installation's updated_at moves, which invalidates the visitor API's caches.
    installation.settings = {**(installation.settings or {}), **settings.to_json()}
    session.flush()
