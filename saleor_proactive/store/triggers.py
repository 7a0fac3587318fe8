"""Trigger storage: rule documents per installation, validated by the engine's `parse_rule`.

Every write bumps the installation's `TriggerRevision`, so a process that cached parsed rules
can tell with one primary-key read whether its copy is still current (see `rules_revision`).
Invalid documents raise the engine's `DocumentError` (with `.path` and `.message`); nothing is
written then.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..triggers.defaults import default_rule_documents
from ..triggers.engine import StoredRule
from ..triggers.rules import parse_rule
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


def create_trigger(session: Session, installation_id: int, document: dict[str, Any]) -> Trigger:
    normalised = parse_rule(document).to_document()
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


def update_trigger(
    session: Session, installation_id: int, trigger_id: str, document: dict[str, Any]
) -> Trigger | None:
    """Replace the document (None when there is no such trigger); the version goes up by one."""
    trigger = get_trigger(session, installation_id, trigger_id)
    if trigger is None:
        return None
    normalised = parse_rule(document).to_document()
    trigger.document = normalised
    for key, value in _listing_fields(normalised).items():
        setattr(trigger, key, value)
    trigger.version += 1
    trigger.updated_at = utcnow()
    _bump_revision(session, installation_id)
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


def seed_default_triggers(session: Session, installation_id: int) -> list[Trigger]:
    """Create the engine's default triggers once per installation.

    A re-registration of the same Saleor keeps the installation and its revision row, so the
    defaults are not added twice, nor brought back after the merchant deleted them.
    """
    if session.get(TriggerRevision, installation_id) is not None:
        return []
    session.add(TriggerRevision(installation_id=installation_id, revision=0))
    session.flush()
    return [create_trigger(session, installation_id, doc) for doc in default_rule_documents()]


def rules_revision(session: Session, installation_id: int) -> int:
    """The installation's trigger revision (0 before any trigger was written)."""
    revision = session.scalar(
        select(TriggerRevision.revision).where(TriggerRevision.installation_id == installation_id)
    )
    return revision or 0


def load_enabled_rules(session: Session, installation_id: int) -> tuple[int, list[StoredRule]]:
    """The revision and the enabled triggers parsed, in priority order, read together."""
    revision = rules_revision(session, installation_id)
    triggers = [t for t in list_triggers(session, installation_id) if t.enabled]
    return revision, _parse_stored(triggers)


def _parse_stored(triggers: Sequence[Trigger]) -> list[StoredRule]:
    # Stored documents were valid when written; parse again so the engine gets Rule objects.
    return [StoredRule(t.id, parse_rule(t.document)) for t in triggers]


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
