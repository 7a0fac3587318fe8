"""Cohort entry at decision time (intention to treat).

A trigger's two groups join its cohort at the same moment: when the engine first decides it for
the visitor in a session. Treated visitors get an `issued` interaction when an action is
returned; held-out ones a `control` interaction. Counting the treated group only once the
snippet reports `action_shown` would drop visitors who leave before a delayed prompt shows,
while their held-out twins stay in control, and bias the uplift.

Both are recorded once per visitor, trigger and session (marked in the visitor's frequency
entry, and backed by a deterministic action id the unique key de-duplicates). Only `control`
consumes the frequency allowance here, standing in for the impression it replaces; a treated
visitor's allowance is consumed when the impression is reported.
"""

from __future__ import annotations

from datetime import datetime

from ..triggers.context import Evaluation
from . import visitor_state
from .visitor_state import ActionEvent, Effects, Visitor

_SESSION_MARK = {"issued": "issuedSessionNo", "control": "controlSessionNo"}


def record_cohort_entries(
    visitor: Visitor, evaluation: Evaluation, effects: Effects, now: datetime
) -> None:
    """Queue an `issued` or `control` interaction for each trigger decided this request."""
    for decision in evaluation.decisions:
        if not recorded_this_session(visitor, decision.trigger_id, "issued"):
            _mark_issued(visitor, decision.trigger_id)
            _queue(visitor, effects, "issued", decision.trigger_id, now)
    for outcome in evaluation.control_exposures:
        if not recorded_this_session(visitor, outcome.trigger_id, "control"):
            visitor_state.count_shown(visitor, outcome.trigger_id, now, control=True)
            _queue(visitor, effects, "control", outcome.trigger_id, now)


def recorded_this_session(visitor: Visitor, trigger_id: str, kind: str) -> bool:
    entry = visitor.frequency.get(trigger_id) or {}
    return bool(entry.get(_SESSION_MARK[kind]) == visitor.visit_count)


def _mark_issued(visitor: Visitor, trigger_id: str) -> None:
    # Only the mark: the allowance counters stay as they are until the impression.
    entry = {**(visitor.frequency.get(trigger_id) or {}), "issuedSessionNo": visitor.visit_count}
    visitor.frequency = {**visitor.frequency, trigger_id: entry}


def _queue(visitor: Visitor, effects: Effects, kind: str, trigger_id: str, now: datetime) -> None:
    action_id = f"{kind}:{visitor.visitor_id}:{visitor.visit_count}:{trigger_id}"
    effects.interactions.append(ActionEvent(kind, trigger_id, action_id, action_id, now))
