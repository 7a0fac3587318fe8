"""Root fields of the sandbox's GraphQL API. Each returns Saleor-shaped dicts; nested fields
are read from those dicts by graphql-core's default resolver."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError, GraphQLResolveInfo

from . import payloads
from .ids import from_global_id, to_global_id
from .interface import Context, context_of

MAX_PAGE = 100


def permission_denied(*permissions: str) -> GraphQLError:
    return GraphQLError(
        f"You need one of the following permissions: {', '.join(permissions)}",
        extensions={"exceptionCode": "PermissionDenied"},
    )


def _require(info: GraphQLResolveInfo, permission: str | None) -> Context:
    """The app must be authenticated and, when given, hold `permission`."""
    context = context_of(info)
    if context.app is None:
        raise permission_denied(permission or "AUTHENTICATED_APP")
    if permission and permission not in context.app.permissions:
        raise permission_denied(permission)
    return context


def require_permission(info: GraphQLResolveInfo, permission: str) -> Context:
    """The context of an authenticated app holding `permission` (PermissionDenied otherwise)."""
    return _require(info, permission)


def resolve_app(info: GraphQLResolveInfo, id: str | None = None) -> Any:
    context = _require(info, None)
    assert context.app is not None
    if id is not None and id != to_global_id("App", context.app.pk):
        raise permission_denied("MANAGE_APPS")
    return payloads.app_with_webhooks_payload(context.app)


def resolve_channels(info: GraphQLResolveInfo) -> Any:
    context = _require(info, None)
    with context.saleor.lock:
        return [payloads.channel_payload(c) for c in context.saleor.shop.channels.values()]


def resolve_channel(
    info: GraphQLResolveInfo, slug: str | None = None, id: str | None = None
) -> Any:
    saleor = context_of(info).saleor
    with saleor.lock:
        for channel in saleor.shop.channels.values():
            if channel.slug == slug or to_global_id("Channel", channel.pk) == id:
                return payloads.channel_payload(channel)
    return None


def resolve_shipping_zones(
    info: GraphQLResolveInfo,
    channel: str | None = None,
    first: int | None = None,
    after: str | None = None,
    **_: Any,
) -> Any:
    saleor = _require(info, "MANAGE_SHIPPING").saleor
    with saleor.lock:
        zones = [
            (z.pk, payloads.shipping_zone_payload(saleor.shop, z, channel))
            for z in sorted(saleor.shop.zones.values(), key=lambda z: z.pk)
            if channel is None or channel in z.channel_slugs
        ]
    return _page("ShippingZone", zones, first, after)


def _page(
    type_name: str, items: list[tuple[int, Any]], first: int | None, after: str | None
) -> Any:
    if first is not None and not 0 <= first <= MAX_PAGE:
        raise GraphQLError(
            f"Requesting {first} records on the `first` argument exceeds the limit of {MAX_PAGE}."
        )
    if after:
        after_pk = from_global_id(after, type_name)
        items = [(pk, item) for pk, item in items if after_pk is not None and pk > int(after_pk)]
    limit = MAX_PAGE if first is None else first
    page = items[:limit]
    cursors = [to_global_id(type_name, pk) for pk, _ in page]
    return payloads.connection([item for _, item in page], cursors, has_next=len(items) > limit)


def resolve_products(
    info: GraphQLResolveInfo,
    channel: str | None = None,
    first: int | None = None,
    after: str | None = None,
    **_: Any,
) -> Any:
    saleor = context_of(info).saleor
    if channel is None and not _has(info, "MANAGE_PRODUCTS"):
        raise GraphQLError(
            "A default channel does not exist.", extensions={"exceptionCode": "ChannelNotFound"}
        )
    with saleor.lock:
        items = [
            (p.pk, payloads.product_payload(saleor.shop, p, channel))
            for p in sorted(saleor.shop.products.values(), key=lambda p: p.pk)
            if channel is None or channel in p.prices
        ]
    return _page("Product", items, first, after)


def resolve_product(
    info: GraphQLResolveInfo, id: str | None = None, channel: str | None = None, **_: Any
) -> Any:
    saleor = context_of(info).saleor
    pk = from_global_id(id or "", "Product")
    with saleor.lock:
        product = saleor.shop.products.get(int(pk)) if pk and pk.isdigit() else None
        return payloads.product_payload(saleor.shop, product, channel) if product else None


def _has(info: GraphQLResolveInfo, permission: str) -> bool:
    app = context_of(info).app
    return app is not None and permission in app.permissions


def resolve_checkout(
    info: GraphQLResolveInfo, id: str | None = None, token: str | None = None
) -> Any:
    saleor = context_of(info).saleor
    key = token or from_global_id(id or "", "Checkout") or ""
    with saleor.lock:
        checkout = saleor.shop.checkouts.get(key)
        return payloads.checkout_payload(saleor.shop, checkout) if checkout else None


def resolve_order(info: GraphQLResolveInfo, id: str | None = None, **_: Any) -> Any:
    saleor = _require(info, "MANAGE_ORDERS").saleor
    with saleor.lock:
        order = saleor.shop.orders.get(from_global_id(id or "", "Order") or "")
        return payloads.order_payload(saleor.shop, order) if order else None
