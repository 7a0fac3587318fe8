"""Receivers of domain events for the storefront area (see saleor_proactive.domain_events)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from .. import domain_events
from ..rulebook import seed_default_triggers
from ..store.models import Installation


@domain_events.installation_registered.connect
def seed_triggers_on_install(sender: Installation, *, session: Session, **_: Any) -> None:
    """A new installation starts with the default triggers (once: a re-install keeps its own)."""
    session.flush()  # the installation needs its id
    seed_default_triggers(session, sender.id)
