"""The visitor table's columns as the reads and writes use them, the statements both databases'
writes share, and one write's parameters.

Parameters: v_<column> for the visitor's values, _id and _version for the version check,
w_<column> for what interactions and the link copy from the visitor, i_<column> for the
interactions' own values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Table, bindparam, insert, update

from ...store.models import Interaction, VisitorCheckout
from ...store.models import Visitor as VisitorRow
from ..visitor_state import ActionEvent, Visitor

VISITORS: Table = VisitorRow.__table__  # type: ignore[assignment]
FIELDS = tuple(f.name for f in fields(Visitor) if f.name != "stored")
UPDATABLE = tuple(name for name in FIELDS if name not in ("id", "created_at", "row_version"))

INTERACTIONS: Table = Interaction.__table__  # type: ignore[assignment]
LINKS: Table = VisitorCheckout.__table__  # type: ignore[assignment]
INSERTED = tuple(name for name in FIELDS if name != "id")
SHARED = ("installation_id", "visitor_id", "session_id", "channel", "checkout_id")
ROW_COLUMNS = ("trigger_id", "kind", "action_id", "occurred_at")
LINK_COLUMNS = (*SHARED, "linked_at")

INSERT_VISITOR = insert(VISITORS).values({name: bindparam(f"v_{name}") for name in INSERTED})


@lru_cache(maxsize=512)
def update_statement(columns: tuple[str, ...]) -> Any:
    """The version-checked UPDATE of these columns, built once per column set and process."""
    return (
        update(VISITORS)
        .where(VISITORS.c.id == bindparam("_id"), VISITORS.c.row_version == bindparam("_version"))
        .values({name: bindparam(f"v_{name}") for name in (*columns, "row_version")})
    )


@dataclass(frozen=True)
class Write:
    changed: tuple[str, ...] | None  # None: insert the row
    visitor: dict[str, Any]  # v_<column>, and _id and _version for an update's check
    shared: dict[str, Any]  # w_<column>: what interactions and the link copy from the visitor
    rows: list[dict[str, Any]]  # i_<column>: each interaction's own values
    linked_at: datetime | None  # None: no link to store

    @classmethod
    def of(
        cls, visitor: Visitor, interactions: Sequence[ActionEvent], linked_at: datetime | None
    ) -> Write:
        changed = None if visitor.stored is None else _changed(visitor, visitor.stored)
        if changed is None:
            values = {f"v_{name}": getattr(visitor, name) for name in INSERTED}
        else:
            values = {f"v_{name}": getattr(visitor, name) for name in changed}
            values.update(
                _id=visitor.id, _version=visitor.row_version, v_row_version=visitor.row_version + 1
            )
        rows = [
            {
                "i_trigger_id": action.trigger_id[:40],
                "i_kind": action.kind,
                "i_action_id": action.action_id[:255],
                "i_occurred_at": action.at,
            }
            for action in interactions
        ]
        return cls(
            changed,
            values,
            {f"w_{name}": getattr(visitor, name) for name in SHARED},
            rows,
            linked_at if visitor.checkout_id is not None else None,
        )


def _changed(visitor: Visitor, stored: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(name for name in UPDATABLE if getattr(visitor, name) != stored[name])
