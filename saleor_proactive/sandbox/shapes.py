"""Saleor's small shared shapes: Money, TaxedMoney, nodes, countries, channels, apps."""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from babel import Locale

from .ids import to_global_id
from .state import App, Channel, Webhook

CENT = Decimal("0.01")
Payload = dict[str, Any]


def iso(moment: datetime) -> str:
    return moment.isoformat()


def money(amount: Decimal, currency: str) -> Payload:
    rounded = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    return {
        "amount": float(rounded),
        "currency": currency,
        "fractionalAmount": int(rounded * 100),
        "fractionDigits": 2,
    }


def taxed_money(gross: Decimal, channel: Channel) -> Payload:
    gross = gross.quantize(CENT, rounding=ROUND_HALF_UP)
    net = (gross / (1 + channel.tax_rate)).quantize(CENT, rounding=ROUND_HALF_UP)
    currency = channel.currency
    return {
        "currency": currency,
        "gross": money(gross, currency),
        "net": money(net, currency),
        "tax": money(gross - net, currency),
    }


def node(type_name: str, pk: object, **fields: Any) -> Payload:
    return {
        "__typename": type_name,
        "id": to_global_id(type_name, pk),
        "metadata": [],
        "privateMetadata": [],
        **fields,
    }


def country(code: str) -> Payload:
    name = Locale("en").territories.get(code, code)
    return {"code": code, "country": name, "vat": None}


def channel_payload(channel: Channel) -> Payload:
    return node(
        "Channel",
        channel.pk,
        slug=channel.slug,
        name=channel.name,
        isActive=True,
        currencyCode=channel.currency,
        hasOrders=False,
        defaultCountry=country(channel.default_country),
        countries=None,
        warehouses=[],
    )


def connection(nodes: list[Payload], cursors: list[str], has_next: bool) -> Payload:
    edges = [{"node": n, "cursor": c} for n, c in zip(nodes, cursors, strict=True)]
    return {
        "edges": edges,
        "pageInfo": {
            "hasNextPage": has_next,
            "hasPreviousPage": False,
            "startCursor": cursors[0] if cursors else None,
            "endCursor": cursors[-1] if cursors else None,
        },
        "totalCount": len(nodes),
    }


def app_payload(app: App) -> Payload:
    return node(
        "App",
        app.pk,
        identifier=app.identifier,
        name=app.name,
        version=app.version,
        isActive=True,
        type="THIRDPARTY",
        created=iso(app.created),
        appUrl=app.app_url,
        permissions=[
            {"code": code, "name": code.replace("_", " ").title()} for code in app.permissions
        ],
    )


def app_with_webhooks_payload(app: App) -> Payload:
    """The app as `app { ... }` shows it to itself: Saleor lets an app (the owner) read its own
    webhooks; any other requester needs MANAGE_APPS, which no app can hold."""
    return {**app_payload(app), "webhooks": [webhook_payload(hook) for hook in app.webhooks]}


def webhook_payload(hook: Webhook) -> Payload:
    return {
        "__typename": "Webhook",
        "id": to_global_id("Webhook", hook.pk),
        "name": hook.name,
        "targetUrl": hook.target_url,
        "isActive": hook.is_active,
        "subscriptionQuery": hook.query,
        "asyncEvents": [
            {"name": event.replace("_", " ").capitalize(), "eventType": event}
            for event in hook.events
        ],
        "syncEvents": [],
    }


def address(country_code: str | None) -> Payload | None:
    if country_code is None:
        return None
    return node(
        "Address",
        1,
        firstName="",
        lastName="",
        companyName="",
        streetAddress1="",
        streetAddress2="",
        city="",
        cityArea="",
        postalCode="",
        countryArea="",
        phone=None,
        country=country(country_code),
    )


def optional_money(amount: Decimal | None, channel: Channel) -> Payload | None:
    return None if amount is None else money(amount, channel.currency)
