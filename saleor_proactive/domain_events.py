"""Signals that let one area react to another's facts without importing it.

Senders pass the open SQLAlchemy session so receivers work inside the same transaction:
what they write commits or rolls back together with the fact that caused it.
Receivers live in `<area>/subscribers.py`, imported once by the app factory.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# sender: the Installation; kwargs: session, order (the stored order snapshot), created (bool,
# False when a duplicate delivery was ignored).
order_recorded = _signals.signal("order-recorded")
