"""Reminder results: per step what went out, was clicked and recovered, and the uplift of
reminding against the hold-out group, measured as the triggers' are (`uplift.assess`).

The cohort is the abandoned checkouts that came due for a first reminder in the date range:
reminded (every row that is not `control`, whatever became of it: intention to treat) and
held out (`control`). A checkout is recovered when an order for it was created after it came
due.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..store.models import OrderSnapshot, ReminderDelivery
from .figures import day_start
from .uplift import Assessment, Uplift, assess, enough_data, uplift


@dataclass(frozen=True)
class StepResults:
    step: int
    sent: int
    clicked: int
    recovered_orders: int
    revenue: dict[str, Decimal]  # by currency


@dataclass(frozen=True)
class ReminderResults:
    steps: list[StepResults]
    reminded_checkouts: int
    reminded_recovered: int
    control_checkouts: int
    control_recovered: int
    uplift: Uplift | None
    enough_data: bool
    assessment: Assessment


def reminder_results(
    session: Session, installation_id: int, first: date, last: date
) -> ReminderResults:
    since, until = day_start(first), day_start(last) + timedelta(days=1)
    rows = session.execute(
        select(
            ReminderDelivery.checkout_id,
            ReminderDelivery.step,
            ReminderDelivery.state,
            ReminderDelivery.due_at,
            ReminderDelivery.sent_at,
            ReminderDelivery.clicked_at,
        ).where(ReminderDelivery.installation_id == installation_id)
    ).all()
    cohort = {r.checkout_id for r in rows if r.step == 1 and since <= r.due_at < until}
    orders = _orders(session, installation_id, cohort)
    first_due: dict[str, datetime] = {}
    control: set[str] = set()
    for r in rows:
        if r.checkout_id in cohort and r.step == 1:
            first_due[r.checkout_id] = min(r.due_at, first_due.get(r.checkout_id, r.due_at))
            if r.state == "control":
                control.add(r.checkout_id)
    recovered = {c for c in cohort if any(at >= first_due[c] for at, _a, _c in orders[c])}
    reminded = cohort - control
    x1, n1 = len(recovered & reminded), len(reminded)
    x0, n0 = len(recovered & control), len(control)
    return ReminderResults(
        steps=_steps(rows, cohort, orders),
        reminded_checkouts=n1,
        reminded_recovered=x1,
        control_checkouts=n0,
        control_recovered=x0,
        uplift=uplift(x1, n1, x0, n0),
        enough_data=enough_data(x1, n1, x0, n0),
        assessment=assess(x1, n1, x0, n0),
    )


def _orders(
    session: Session, installation_id: int, cohort: set[str]
) -> dict[str, list[tuple[datetime, Decimal, str]]]:
    found: dict[str, list[tuple[datetime, Decimal, str]]] = defaultdict(list)
    ids = sorted(cohort)
    for start in range(0, len(ids), 500):
        for checkout_id, created, amount, currency in session.execute(
            select(
                OrderSnapshot.checkout_id,
                OrderSnapshot.created_at,
                OrderSnapshot.total_amount,
                OrderSnapshot.currency,
            ).where(
                OrderSnapshot.installation_id == installation_id,
                OrderSnapshot.checkout_id.in_(ids[start : start + 500]),
            )
        ):
            found[checkout_id or ""].append((created, amount, currency))
    return found


def _steps(
    rows: Sequence[Any], cohort: set[str], orders: dict[str, list[tuple[datetime, Decimal, str]]]
) -> list[StepResults]:
    """Per step: checkouts with a reminder sent (by any channel), clicked, and recovered by an
    order after that step went (attributed to the last step sent before the order)."""
    sent_at: dict[int, dict[str, datetime]] = defaultdict(dict)
    clicked: dict[int, set[str]] = defaultdict(set)
    for r in rows:
        if r.checkout_id not in cohort or r.state != "sent" or r.sent_at is None:
            continue
        earlier = sent_at[r.step].get(r.checkout_id)
        sent_at[r.step][r.checkout_id] = min(r.sent_at, earlier or r.sent_at)
        if r.clicked_at is not None:
            clicked[r.step].add(r.checkout_id)
    results = []
    for step in sorted(sent_at):
        recovered, revenue = 0, defaultdict[str, Decimal](Decimal)
        for checkout_id, at in sent_at[step].items():
            later = sent_at.get(step + 1, {}).get(checkout_id)
            for created, amount, currency in orders.get(checkout_id, []):
                if created >= at and (later is None or created < later):
                    recovered += 1
                    revenue[currency] += amount
        results.append(
            StepResults(step, len(sent_at[step]), len(clicked[step]), recovered, dict(revenue))
        )
    return results


__all__ = ["ReminderResults", "StepResults", "reminder_results"]
