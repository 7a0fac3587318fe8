"""Per-visitor exposure facts, kept current as the visitor API records interactions.

The visitor API calls `count_interaction_rows` right after inserting interactions; the daily
rollup also rebuilds exposures from the raw rows (`sync_exposures`), so a missed call heals.
Both are upserts keyed by (installation, trigger, visitor) and safe to repeat.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, or_, select, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..store.models import ExposureSyncMark, Interaction, TriggerExposure
from ..store.models.analytics import CONTROL, EXPOSED

# Interaction kinds that put a visitor into a trigger's cohort, and the group each means.
# `issued` (the API sent the action) and `control` (the engine held the visitor out) happen at
# the same moment of the decision, so both groups join the cohort alike (intention to treat);
# `impression` also counts, for interactions recorded before `issued` existed.
EXPOSURE_KINDS = {"issued": EXPOSED, "impression": EXPOSED, "control": CONTROL}
EXPOSURE_KEY = ["installation_id", "trigger_id", "visitor_id"]


def dialect_insert(session: Session, table: Any) -> Any:
    """`INSERT` with `ON CONFLICT` support for the session's database (SQLite or PostgreSQL)."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def _widen_window(statement: Any) -> dict[str, Any]:
    table = TriggerExposure.__table__
    new = statement.excluded
    return {
        "first_exposed_at": case(
            (new.first_exposed_at < table.c.first_exposed_at, new.first_exposed_at),
            else_=table.c.first_exposed_at,
        ),
        "last_exposed_at": case(
            (new.last_exposed_at > table.c.last_exposed_at, new.last_exposed_at),
            else_=table.c.last_exposed_at,
        ),
    }


def _upsert(statement: Any) -> Any:
    """On an existing exposure: widen its window, and write nothing when it already covers it."""
    table = TriggerExposure.__table__
    new = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=EXPOSURE_KEY,
        set_=_widen_window(statement),
        where=or_(
            new.first_exposed_at < table.c.first_exposed_at,
            new.last_exposed_at > table.c.last_exposed_at,
        ),
    )


def count_interaction(session: Session, interaction: Interaction) -> None:
    """Record the exposure an issued, impression or control interaction means (others are
    ignored)."""
    count_interaction_rows(
        session,
        [
            {
                "installation_id": interaction.installation_id,
                "trigger_id": interaction.trigger_id,
                "visitor_id": interaction.visitor_id,
                "channel": interaction.channel,
                "kind": interaction.kind,
                "occurred_at": interaction.occurred_at,
            }
        ],
    )


def count_interaction_rows(session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    """Record the exposures of interaction rows as the visitor API inserts them (dicts with
    installation_id, trigger_id, visitor_id, channel, kind, occurred_at).

    Call it in the same transaction that inserted the interactions; repeating it is harmless.
    The group and channel of a visitor's first exposure to a trigger stay; later exposures
    only widen the time window.
    """
    merged: dict[tuple[int, str, str], dict[str, Any]] = {}
    for row in rows:
        group = EXPOSURE_KINDS.get(row["kind"])
        if group is None:
            continue
        key = (row["installation_id"], row["trigger_id"], row["visitor_id"])
        at = row["occurred_at"]
        seen = merged.get(key)
        if seen is None:
            merged[key] = {
                "installation_id": key[0],
                "trigger_id": key[1],
                "visitor_id": key[2],
                "group": group,
                "channel": row["channel"],
                "first_exposed_at": at,
                "last_exposed_at": at,
            }
        else:  # one row per key: PostgreSQL refuses to upsert the same row twice per statement
            seen["first_exposed_at"] = min(seen["first_exposed_at"], at)
            seen["last_exposed_at"] = max(seen["last_exposed_at"], at)
    if not merged:
        return
    statement = dialect_insert(session, TriggerExposure).values(list(merged.values()))
    session.execute(_upsert(statement))


def sync_exposures(
    session: Session,
    installation_id: int,
    start: datetime,
    end: datetime,
    visitor_id: str | None = None,
) -> None:
    """Bring exposures up to date with the raw interactions in [start, end) in one statement
    (one visitor's, or everyone's); rows already covering them are left untouched."""
    raw = Interaction.__table__
    # Within one batch a visitor normally has one group per trigger (the hold-out hash is
    # stable); should the hold-out share have changed, treatment wins over control.
    treated = func.max(case((raw.c.kind == "control", 0), else_=1))
    group = case((treated == 1, EXPOSED), else_=CONTROL)
    rows = (
        select(
            raw.c.installation_id,
            raw.c.trigger_id,
            raw.c.visitor_id,
            group,
            func.min(raw.c.channel),
            func.min(raw.c.occurred_at),
            func.max(raw.c.occurred_at),
        )
        .where(
            and_(
                raw.c.installation_id == installation_id,
                raw.c.occurred_at >= start,
                raw.c.occurred_at < end,
                raw.c.kind.in_(tuple(EXPOSURE_KINDS)),
                true() if visitor_id is None else raw.c.visitor_id == visitor_id,
            )
        )
        .group_by(raw.c.installation_id, raw.c.trigger_id, raw.c.visitor_id)
    )
    columns = [*EXPOSURE_KEY, "group", "channel", "first_exposed_at", "last_exposed_at"]
    statement = dialect_insert(session, TriggerExposure).from_select(columns, rows)
    session.execute(_upsert(statement))


# Interactions may commit a little after the time they carry (in-flight requests, events the
# snippet reports late): each catch-up re-reads this much before the previous mark. Anything
# later still is picked up by the day's rollup and by attribution, which sync in full.
SYNC_OVERLAP = timedelta(minutes=30)


def catch_up_exposures(
    session: Session, installation_id: int, since: datetime, now: datetime
) -> None:
    """Sync exposures over [since, now], skipping what the previous catch-up already covered."""
    mark = _sync_mark(session, installation_id, since)
    if since < mark.synced_from or now < mark.synced_until:
        start = since  # an older span, or a clock behind the mark: sync it all
        mark.synced_from = min(since, mark.synced_from)
    else:
        start = max(since, mark.synced_until - SYNC_OVERLAP)
    sync_exposures(session, installation_id, start, now + timedelta(seconds=1))
    mark.synced_until = max(now, mark.synced_until)
    session.flush()


def _sync_mark(session: Session, installation_id: int, since: datetime) -> ExposureSyncMark:
    """The shop's mark, made empty at `since` when it has none. Insert-or-nothing, then read:
    reports opened at the same moment each found no mark and the second insert failed."""
    table = ExposureSyncMark.__table__
    session.execute(
        dialect_insert(session, table)
        .values(installation_id=installation_id, synced_from=since, synced_until=since)
        .on_conflict_do_nothing(index_elements=["installation_id"])
    )
    return session.execute(
        select(ExposureSyncMark).where(ExposureSyncMark.installation_id == installation_id)
    ).scalar_one()
