"""What saving an offer trigger does besides storing it: refuse it where the app token lacks
MANAGE_DISCOUNTS, and fill its pool right after the commit, so codes wait for its first visitor."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from cryptography.fernet import InvalidToken
from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..saleor.client import SaleorError
from ..store.db import get_database
from ..store.models import Installation
from . import pool

logger = logging.getLogger(__name__)

PERMISSION = "MANAGE_DISCOUNTS"
MISSING_PERMISSION = (
    "Offers need the MANAGE_DISCOUNTS permission, which this installation was not granted. "
    "Reinstall the app in the Saleor Dashboard and grant it to use offers."
)


def lacks_discounts(installation: Installation) -> bool:
    """True when Saleor says the app token cannot manage discounts; False when it can, or when
    Saleor cannot tell us now (the pool's refill will report it then)."""
    settings = current_app.config["PROACTIVE"]
    try:
        granted = pool.client_for(installation, settings).permissions()
    except (SaleorError, InvalidToken) as error:
        logger.warning("%s: permissions unknown: %s", installation.saleor_api_url, error)
        return False
    return PERMISSION not in granted


def refill_after_commit(session: Session, installation_id: int, trigger_id: str) -> None:
    database, settings = get_database(), current_app.config["PROACTIVE"]
    _after_commit(
        session,
        lambda: pool.refill(
            database, settings, installation_id=installation_id, trigger_id=trigger_id
        ),
    )


def deactivate_after_commit(session: Session, installation_id: int) -> None:
    """A deleted offer's codes stop working now, not at the next periodic run."""
    database, settings = get_database(), current_app.config["PROACTIVE"]
    _after_commit(session, lambda: pool.expire(database, settings, installation_id=installation_id))


def _after_commit(session: Session, work: Callable[[], object]) -> None:
    def run() -> None:
        try:
            work()
        except Exception:  # the periodic job tries again
            logger.exception("offer pool upkeep after a trigger change failed")

    def start(_: Session) -> None:
        threading.Thread(target=run, name="offer-pool", daemon=True).start()

    event.listen(session, "after_commit", start, once=True)
