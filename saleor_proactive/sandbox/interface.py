"""What the sandbox's GraphQL and HTTP layers need from the rest of it, as protocols, so that
neither imports the server: `SandboxSaleor` is a `SaleorHost`, its `store` a `ShopBackend`."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from graphql import GraphQLResolveInfo, GraphQLSchema

from .state import App, Shop

LineSpec = Iterable[tuple[str, int]]


class ProductNotInChannels(LookupError):
    """A variant priced in a channel its product is not listed in (Saleor refuses it)."""

    def __init__(self, channel_slugs: list[str]) -> None:
        super().__init__(f"Product not available in channels: {', '.join(channel_slugs)}.")
        self.channel_slugs = channel_slugs


class ShopBackend(Protocol):
    """The store the resolvers read (under `lock`) and the checkout changes the mutations make;
    each change fires the webhook Saleor would fire."""

    shop: Shop
    lock: threading.RLock

    def create_checkout(
        self,
        channel: str | None,
        lines: LineSpec = (),
        country: str | None = None,
        email: str | None = None,
    ) -> str: ...

    def add_checkout_lines(self, checkout_id: str, lines: LineSpec) -> str: ...

    def update_checkout_lines(self, checkout_id: str, lines: LineSpec) -> str: ...

    def delete_checkout_lines(self, checkout_id: str, line_ids: Iterable[str]) -> str: ...

    def set_checkout_country(self, checkout_id: str, country: str | None) -> str: ...

    def create_order(self, checkout_id: str) -> str: ...

    def checkout_view(self, checkout_id: str) -> dict[str, Any] | None: ...

    def add_promo_code(self, checkout_id: str, code: str) -> str: ...

    def order_view(self, order_id: str) -> dict[str, Any] | None: ...

    def update_variant_prices(self, variant_id: str, prices: dict[str, Any]) -> str: ...

    def variant_view(self, variant_id: str) -> dict[str, Any]: ...


class SaleorHost(Protocol):
    """What the HTTP endpoints (GraphQL, JWKS, the Dashboard page) need."""

    schema: GraphQLSchema

    @property
    def store(self) -> ShopBackend: ...

    @property
    def domain(self) -> str: ...

    @property
    def api_url(self) -> str: ...

    def jwks(self) -> dict[str, Any]: ...

    def app_by_token(self, token: str) -> App | None: ...

    def app_by_id(self, app_id: str | None) -> App | None: ...

    def only_app(self) -> App | None: ...

    def sign_dashboard_token(
        self,
        app_id: str,
        user_permissions: Iterable[str] = ("MANAGE_APPS",),
        exp_seconds: int = 300,
        **overrides: Any,
    ) -> str: ...


@dataclass(frozen=True)
class Context:
    """The GraphQL context of one request: the store and the authenticated app, if any."""

    saleor: ShopBackend
    app: App | None


def context_of(info: GraphQLResolveInfo) -> Context:
    context: Context = info.context
    return context
