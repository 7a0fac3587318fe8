"""`SandboxSaleor`: a small Saleor on 127.0.0.1 that installs apps, signs webhooks and tokens,
and answers GraphQL against Saleor's schema. Data changes fire webhooks synchronously."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, Concatenate, Generic, ParamSpec, Self, TypeVar, overload

from graphql import GraphQLSchema
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from . import payloads
from .delivery import Deliverer, Delivery
from .http_api import create_sandbox_app
from .ids import from_global_id, to_global_id
from .install import (
    InstallError,
    check_extensions,
    check_manifest,
    fetch_manifest,
    new_app_token,
    send_token,
)
from .keys import SigningKey, new_signing_key
from .schema import saleor_schema
from .seed import seed_shop
from .shipping_changes import ShippingChanges
from .state import App, Shop, Webhook
from .store_changes import StoreChanges

__all__ = ["InstallError", "SandboxSaleor"]


class QuietHandler(WSGIRequestHandler):
    """Tests and the demo print what matters themselves; no access log per request."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


Params = ParamSpec("Params")
Result = TypeVar("Result")


class _Forward(Generic[Params, Result]):
    """A `SandboxSaleor` method that is the same-named method of one of its parts."""

    def __init__(self, part: str, method: Callable[Concatenate[Any, Params], Result]) -> None:
        self.part = part
        self.name = method.__name__

    @overload
    def __get__(self, instance: None, owner: type) -> Self: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> Callable[Params, Result]: ...

    def __get__(
        self, instance: object, owner: type | None = None
    ) -> Self | Callable[Params, Result]:
        if instance is None:
            return self
        method: Callable[Params, Result] = getattr(getattr(instance, self.part), self.name)
        return method


class SandboxSaleor:
    """The servers, keys and installed apps; the store's changes live in its parts `store`
    (checkouts, orders, catalogue) and `shipping`, and are forwarded below."""

    def __init__(
        self, schema: GraphQLSchema | None = None, retry_delays: tuple[float, ...] = ()
    ) -> None:
        self.schema = schema or saleor_schema()
        self.shop: Shop = seed_shop()
        self.lock = threading.RLock()
        self.key: SigningKey = new_signing_key()
        self.retry_delays = retry_delays
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self._deliverer: Deliverer | None = None
        self.last_deliveries: list[Delivery] = []
        self.store = StoreChanges(self.shop, self.lock, self._emit)
        self.shipping = ShippingChanges(self.shop, self.lock, self._emit)

    create_checkout = _Forward("store", StoreChanges.create_checkout)
    add_checkout_lines = _Forward("store", StoreChanges.add_checkout_lines)
    update_checkout_lines = _Forward("store", StoreChanges.update_checkout_lines)
    delete_checkout_lines = _Forward("store", StoreChanges.delete_checkout_lines)
    set_checkout_discount = _Forward("store", StoreChanges.set_checkout_discount)
    add_promo_code = _Forward("store", StoreChanges.add_promo_code)
    set_checkout_country = _Forward("store", StoreChanges.set_checkout_country)
    set_checkout_email = _Forward("store", StoreChanges.set_checkout_email)
    set_checkout_language = _Forward("store", StoreChanges.set_checkout_language)
    set_checkout_metadata = _Forward("store", StoreChanges.set_checkout_metadata)
    set_legacy_update_webhook_emission = _Forward(
        "store", StoreChanges.set_legacy_update_webhook_emission
    )
    mark_checkout_fully_paid = _Forward("store", StoreChanges.mark_checkout_fully_paid)
    create_order = _Forward("store", StoreChanges.create_order)
    checkout_view = _Forward("store", StoreChanges.checkout_view)
    order_view = _Forward("store", StoreChanges.order_view)
    create_product = _Forward("store", StoreChanges.create_product)
    update_product = _Forward("store", StoreChanges.update_product)
    delete_product = _Forward("store", StoreChanges.delete_product)
    update_variant_prices = _Forward("store", StoreChanges.update_variant_prices)
    variant_view = _Forward("store", StoreChanges.variant_view)
    create_shipping_zone = _Forward("shipping", ShippingChanges.create_shipping_zone)
    update_shipping_zone = _Forward("shipping", ShippingChanges.update_shipping_zone)
    delete_shipping_zone = _Forward("shipping", ShippingChanges.delete_shipping_zone)
    create_shipping_method = _Forward("shipping", ShippingChanges.create_shipping_method)
    update_shipping_method = _Forward("shipping", ShippingChanges.update_shipping_method)
    delete_shipping_method = _Forward("shipping", ShippingChanges.delete_shipping_method)

    # -- server ------------------------------------------------------------------------------

    def start(self, port: int = 0, host: str = "127.0.0.1") -> SandboxSaleor:
        self._server = make_server(
            host, port, create_sandbox_app(self), threaded=True, request_handler=QuietHandler
        )
        # A short poll interval makes stop() quick, which keeps test fixtures fast.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        self.shop.media_url = self.url
        self._deliverer = Deliverer(
            self.schema, self.api_url, self.domain, lambda: self.key, self.retry_delays
        )
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the sandbox is not started")
        return self._server.server_port

    @property
    def domain(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.domain}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/graphql/"

    @property
    def deliverer(self) -> Deliverer:
        if self._deliverer is None:
            raise RuntimeError("the sandbox is not started")
        return self._deliverer

    @property
    def deliveries(self) -> list[Delivery]:
        return self.deliverer.deliveries

    # -- keys and tokens ---------------------------------------------------------------------

    def jwks(self) -> dict[str, Any]:
        return self.key.jwks()

    def rotate_key(self) -> str:
        """A new signing key with a new kid; the JWKS then serves only the new one."""
        self.key = new_signing_key()
        return self.key.kid

    def sign_dashboard_token(
        self,
        app_id: str,
        user_permissions: Iterable[str] = ("MANAGE_APPS",),
        exp_seconds: int = 300,
        **overrides: Any,
    ) -> str:
        """The RS256 JWT the Dashboard hands to an app page (AppBridge handshake)."""
        now = int(time.time())
        app = self.app_by_id(app_id)
        claims: dict[str, Any] = {
            "iat": now,
            "exp": now + exp_seconds,
            "iss": self.api_url,
            "owner": "saleor",
            "type": "thirdparty",
            "app": app_id,
            "permissions": list(app.permissions) if app else [],
            "user_permissions": list(user_permissions),
            "email": "staff@example.com",
            "user_id": to_global_id("User", 1),
            "token": "x" * 12,
        }
        claims.update(overrides)
        return self.key.sign_jwt(claims)

    # -- apps --------------------------------------------------------------------------------

    def install_app(self, manifest_url: str, permissions: Iterable[str] | None = None) -> App:
        """Install like the Dashboard does; raises InstallError with the message it would show."""
        manifest = fetch_manifest(manifest_url)
        specs = check_manifest(self.schema, manifest)
        extensions = check_extensions(self.schema, manifest)
        with self.lock:
            if any(app.identifier == manifest["id"] for app in self.shop.apps.values()):
                raise InstallError(
                    f"App with the same identifier is already installed: {manifest['id']}"
                )
            granted = (
                list(manifest.get("permissions") or [])
                if permissions is None
                else list(permissions)
            )
            pk = self.shop.new_pk("App")
            app = App(
                pk,
                manifest["id"],
                manifest["name"],
                manifest["version"],
                manifest,
                new_app_token(),
                granted,
                [
                    Webhook(
                        self.shop.new_pk(), s.name, s.target_url, s.query, s.events, s.is_active
                    )
                    for s in specs
                ],
                manifest.get("appUrl"),
                datetime.now(UTC),
                extensions,
            )
            self.shop.apps[pk] = app
        try:
            send_token(manifest["tokenTargetUrl"], app.token, self.domain, self.api_url)
        except InstallError:
            with self.lock:
                self.shop.apps.pop(pk, None)
            raise
        return app

    def uninstall_app(self, app_id: str | None = None) -> list[Delivery]:
        """Send APP_DELETED (signed) to the app, then forget it."""
        app = self.app_by_id(app_id) if app_id else self.only_app()
        if app is None:
            raise LookupError(f"no installed app {app_id}")
        deliveries = self.deliverer.fire(app, "APP_DELETED", {"app": payloads.app_payload(app)})
        with self.lock:
            self.shop.apps.pop(app.pk, None)
        return deliveries

    def only_app(self) -> App | None:
        apps = list(self.shop.apps.values())
        return apps[-1] if apps else None

    def app_by_token(self, token: str) -> App | None:
        return next((app for app in list(self.shop.apps.values()) if app.token == token), None)

    def app_by_id(self, app_id: str | None) -> App | None:
        pk = from_global_id(app_id or "", "App")
        return self.shop.apps.get(int(pk)) if pk and pk.isdigit() else None

    def fire(self, event: str, fields: dict[str, Any]) -> list[Delivery]:
        """Deliver one event to every installed app subscribed to it."""
        deliveries: list[Delivery] = []
        for app in list(self.shop.apps.values()):
            deliveries.extend(self.deliverer.fire(app, event, fields))
        return deliveries

    def _emit(self, event: str, fields: dict[str, Any], *, append: bool = False) -> None:
        delivered = self.fire(event, fields)
        self.last_deliveries = [*self.last_deliveries, *delivered] if append else delivered

    def hold_webhooks(self) -> None:
        """Queue webhooks instead of sending them, to test late or out-of-order deliveries."""
        self.deliverer.held = []

    def release_webhooks(self, reverse: bool = False) -> list[Delivery]:
        """Send the queued webhooks, in firing order or reversed, and stop queueing."""
        return self.deliverer.release(reverse)

    def redeliver(self, delivery: Delivery) -> Delivery:
        """Send one recorded delivery again (Saleor may deliver twice)."""
        return self.deliverer.redeliver(delivery)

    def __enter__(self) -> SandboxSaleor:
        return self.start() if self._server is None else self

    def __exit__(self, *_exc: object) -> None:
        self.stop()
