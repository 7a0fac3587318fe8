"""The merchant's triggers as the engine needs them: a rule document is validated (and
normalised) by the engine before `store/triggers.py` stores it, and parsed again when read.

An invalid document raises the engine's rule error (with `.path` and `.message`); nothing is
written then.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .store import triggers as rows
from .store.models import Trigger
from .triggers.defaults import (
    FREE_SHIPPING_NAME,
    default_rule_documents,
    free_shipping_progress,
    previous_free_shipping_progress,
)
from .triggers.engine import StoredRule
from .triggers.rules import parse_rule


def create_trigger(session: Session, installation_id: int, document: dict[str, Any]) -> Trigger:
    return rows.insert_trigger(session, installation_id, parse_rule(document).to_document())


def update_trigger(
    session: Session, installation_id: int, trigger_id: str, document: dict[str, Any]
) -> Trigger | None:
    """Replace the document (None when there is no such trigger); the version goes up by one."""
    trigger = rows.get_trigger(session, installation_id, trigger_id)
    if trigger is None:
        return None
    return rows.replace_document(session, trigger, parse_rule(document).to_document())


def seed_default_triggers(session: Session, installation_id: int) -> list[Trigger]:
    """Create the engine's default triggers once per installation.

    A re-registration of the same Saleor keeps the installation and its revision row, so the
    defaults are not added twice, nor brought back after the merchant deleted them.
    """
    if not rows.start_revisions(session, installation_id):
        return []
    return [create_trigger(session, installation_id, doc) for doc in default_rule_documents()]


def load_enabled_rules(session: Session, installation_id: int) -> tuple[int, list[StoredRule]]:
    """The revision and the enabled triggers parsed, in priority order, read together."""
    revision, triggers = rows.enabled_triggers(session, installation_id)
    # Stored documents were valid when written; parse again so the engine gets Rule objects.
    return revision, [StoredRule(t.id, parse_rule(t.document)) for t in triggers]


def move_untouched_defaults(session: Session) -> int:
    """Give every installation still holding an earlier version's default trigger, exactly as
    it was seeded (enabled or not: only what the merchant left alone), the current default.
    A trigger the merchant edited in any other way is theirs and stays. Returns how many moved;
    idempotent, so `serve` and `db upgrade` run it every time."""
    old = parse_rule(previous_free_shipping_progress()).to_document()
    new = parse_rule(free_shipping_progress()).to_document()
    moved = 0
    for trigger in session.scalars(select(Trigger).where(Trigger.name == FREE_SHIPPING_NAME)):
        if {**trigger.document, "enabled": True} == {**old, "enabled": True}:
            rows.replace_document(session, trigger, {**new, "enabled": trigger.enabled})
            moved += 1
    return moved
