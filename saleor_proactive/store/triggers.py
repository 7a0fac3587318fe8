"""Trigger storage: rule documents per installation, stored as given (`rulebook.py` validates
them with the engine before they get here, and parses them again when read).

Every write bumps the installation's `TriggerRevision`, so a process that cached parsed rules
can tell with one primary-key read whether its copy is still current (see `rules_revision`).
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .models import Trigger, TriggerRevision, utcnow

TRIGGER_ID_PREFIX = "trg_"


def new_trigger_id() -> str:
    return TRIGGER_ID_PREFIX + secrets.token_hex(8)


def list_triggers(session: Session, installation_id: int) -> list[Trigger]:
    """All triggers of an installation, highest priority first, then oldest first."""
    query = (
        select(Trigger)
        .where(Trigger.installation_id == installation_id)
        .order_by(Trigger.priority.desc(), Trigger.created_at, Trigger.id)
    )
    return list(session.scalars(query))


def get_trigger(session: Session, installation_id: int, trigger_id: str) -> Trigger | None:
    trigger = session.get(Trigger, trigger_id)
    if trigger is None or trigger.installation_id != installation_id:
        return None  # another installation's trigger does not exist for this one
    return trigger


def insert_trigger(session: Session, installation_id: int, normalised: dict[str, Any]) -> Trigger:
    """Store a validated, normalised rule document as a new trigger."""
    now = utcnow()
    trigger = Trigger(
        id=new_trigger_id(),
        installation_id=installation_id,
        document=normalised,
        version=1,
        created_at=now,
        updated_at=now,
        **_listing_fields(normalised),
    )
    session.add(trigger)
    _bump_revision(session, installation_id)
    session.flush()
    return trigger


def replace_document(session: Session, trigger: Trigger, normalised: dict[str, Any]) -> Trigger:
    """Replace a trigger's document with a validated, normalised one; its version goes up."""
    trigger.document = normalised
    for key, value in _listing_fields(normalised).items():
        setattr(trigger, key, value)
    trigger.version += 1
    trigger.updated_at = utcnow()
    _bump_revision(session, trigger.installation_id)
    session.flush()
    return trigger


def delete_trigger(session: Session, installation_id: int, trigger_id: str) -> bool:
    trigger = get_trigger(session, installation_id, trigger_id)
    if trigger is None:
        return False
    session.delete(trigger)
    _bump_revision(session, installation_id)
    session.flush()
    return True


def start_revisions(session: Session, installation_id: int) -> bool:
    """Give the installation its revision row; False when it already had one (its defaults
    were seeded before, and may since have been deleted by the merchant)."""
    if session.get(TriggerRevision, installation_id) is not None:
        return False
    session.add(TriggerRevision(installation_id=installation_id, revision=0))
    session.flush()
    return True


def rules_revision(session: Session, installation_id: int) -> int:
    """The installation's trigger revision (0 before any trigger was written)."""
    revision = session.scalar(
        select(TriggerRevision.revision).where(TriggerRevision.installation_id == installation_id)
    )
    return revision or 0


def enabled_triggers(session: Session, installation_id: int) -> tuple[int, list[Trigger]]:
    """The revision and the enabled triggers, in priority order, read together."""
    revision = rules_revision(session, installation_id)
    return revision, [t for t in list_triggers(session, installation_id) if t.enabled]


def _listing_fields(document: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": str(document.get("name", ""))[:200],
        "enabled": bool(document.get("enabled", True)),
        "priority": int(document.get("priority", 100)),
    }


def _bump_revision(session: Session, installation_id: int) -> None:
    # One atomic UPDATE: two concurrent writers can never both land on the same revision.
    bumped = session.execute(
        update(TriggerRevision)
        .where(TriggerRevision.installation_id == installation_id)
        .values(revision=TriggerRevision.revision + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if getattr(bumped, "rowcount", 0) == 0:
        session.add(TriggerRevision(installation_id=installation_id, revision=1))
