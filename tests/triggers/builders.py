"""Small builders so each test states only what matters to it."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from saleor_proactive.triggers.context import CartFacts, Money, StoreFacts, VisitorContext
from saleor_proactive.triggers.engine import StoredRule
from saleor_proactive.triggers.rules import parse_rule

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)  # a Monday


def stored(document: dict[str, Any], trigger_id: str = "t1") -> StoredRule:
    return StoredRule(trigger_id, parse_rule(document))


def context(**fields: Any) -> VisitorContext:
    values: dict[str, Any] = {
        "visitor_id": "v_visitor",
        "session_id": "s_session",
        "channel": "default-channel",
        "now": NOW,
    }
    values.update(fields)
    return VisitorContext(**values)


def facts(
    cart: str | None = None,
    threshold: str | None = None,
    currency: str = "EUR",
    items: int = 1,
    **fields: Any,
) -> StoreFacts:
    return StoreFacts(
        channel="default-channel",
        currency=currency,
        cart=CartFacts(Decimal(cart), items, currency) if cart is not None else None,
        free_shipping_threshold=Money(Decimal(threshold), currency) if threshold else None,
        **fields,
    )
