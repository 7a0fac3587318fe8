"""A small GraphQL client for one Saleor, authenticated with the app token."""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

from gql import Client, GraphQLRequest
from gql.transport.exceptions import (
    TransportError,
    TransportProtocolError,
    TransportQueryError,
    TransportServerError,
)
from gql.transport.requests import RequestsHTTPTransport
from graphql import GraphQLError
from requests.adapters import HTTPAdapter

from ..store.models import utcnow
from ..store.snapshot_data import ChannelData, CheckoutData, ProductData, ShippingZoneData
from . import documents
from .addresses import mount_public_only
from .payloads import (
    PayloadError,
    parse_channel,
    parse_checkout,
    parse_product,
    parse_shipping_zone,
)

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 10.0
RETRIES = 2  # connection errors and 5xx; a 4xx or a GraphQL error is final
MAX_PAGES = 1000  # 100 000 items: a guard against a Saleor that never ends its pages
MAX_LOGGED_DETAIL = 500  # characters of a server's answer kept in the log


@dataclass(frozen=True)
class AppIdentity:
    id: str  # the App's global id, as Dashboard tokens carry it
    identifier: str | None  # the manifest id it was installed from


class SaleorError(Exception):
    """A call to Saleor failed; `code` says how, for the caller's error response."""

    code = "saleor_error"

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class SaleorUnavailable(SaleorError):
    """Saleor did not answer, or answered 5xx after the retries: try again later."""

    code = "saleor_unavailable"


class SaleorRejected(SaleorError):
    """Saleor refused the call (HTTP 4xx, or a GraphQL error such as a missing permission)."""

    code = "saleor_rejected"


class SaleorBadResponse(SaleorError):
    """Saleor answered something that is not the GraphQL result we asked for."""

    code = "saleor_bad_response"


class _Transport(RequestsHTTPTransport):
    """gql's requests transport, never following a redirect, optionally to public hosts only."""

    def __init__(self, url: str, *, public_only: bool, **options: Any) -> None:
        # A redirect could lead anywhere, past every check of the URL.
        super().__init__(url, allow_redirects=False, **options)
        self.public_only = public_only

    def connect(self) -> None:
        super().connect()
        if self.public_only and self.session is not None:
            current = self.session.get_adapter(self.url)
            retries = current.max_retries if isinstance(current, HTTPAdapter) else 0
            mount_public_only(self.session, retries)


class SaleorClient:
    """Errors carry fixed messages; what the server answered is logged, never passed on: a
    Saleor with DEBUG on puts stack traces in its errors, and any server may sit at the URL."""

    def __init__(
        self,
        api_url: str,
        token: str,
        timeout: float = DEFAULT_TIMEOUT,
        *,
        public_only: bool = False,
    ) -> None:
        self.api_url = api_url
        transport = _Transport(
            api_url,
            public_only=public_only,
            headers={"Authorization": f"Bearer {token}"},
            timeout=timeout,
            retries=RETRIES,
            retry_backoff_factor=0.2,
            retry_status_forcelist=(500, 502, 503, 504),
        )
        self._client = Client(transport=transport, fetch_schema_from_transport=False)

    def execute(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The `data` of the result, or a SaleorError saying why there is none."""
        try:
            request = GraphQLRequest(query, variable_values=variables)
            result = self._client.execute(request)
        except TransportQueryError as exc:
            raise self._failed(SaleorRejected("Saleor refused the query."), exc) from exc
        except TransportServerError as exc:
            status = exc.code
            kind = SaleorRejected if status is not None and status < 500 else SaleorUnavailable
            raise self._failed(kind(f"Saleor answered HTTP {status}.", status), exc) from exc
        except TransportProtocolError as exc:
            failure = SaleorBadResponse("Saleor's answer is not a GraphQL result.")
            raise self._failed(failure, exc) from exc
        except (TransportError, OSError) as exc:
            raise self._failed(SaleorUnavailable("Saleor cannot be reached."), exc) from exc
        except (GraphQLError, ValueError) as exc:
            raise self._failed(SaleorBadResponse("Saleor's answer cannot be read."), exc) from exc
        if not isinstance(result, dict):
            raise SaleorBadResponse("Saleor's answer has no data.")
        return result

    def _failed(self, error: SaleorError, cause: Exception) -> SaleorError:
        detail = str(cause)
        if len(detail) > MAX_LOGGED_DETAIL:
            detail = detail[:MAX_LOGGED_DETAIL] + "..."
        logger.warning("%s: %s The server said: %r", self.api_url, error.message, detail)
        return error

    def app(self) -> AppIdentity:
        """Which app of this Saleor the token belongs to."""
        app = self.execute(documents.APP).get("app")
        app_id = app.get("id") if isinstance(app, dict) else None
        identifier = app.get("identifier") if isinstance(app, dict) else None
        if not isinstance(app_id, str) or not app_id:
            raise SaleorBadResponse("Saleor's answer to `app { id }` has no app id.")
        return AppIdentity(app_id, identifier if isinstance(identifier, str) else None)

    def app_webhooks(self) -> list[dict[str, Any]]:
        """The calling app's own webhooks, as Saleor lists them."""
        app = self.execute(documents.APP_WEBHOOKS).get("app")
        webhooks = app.get("webhooks") if isinstance(app, dict) else None
        if not isinstance(webhooks, list) or not all(isinstance(w, dict) for w in webhooks):
            raise SaleorBadResponse("Saleor's answer to `app { webhooks }` has no webhooks.")
        return webhooks

    def create_webhook(self, values: dict[str, Any]) -> None:
        data = self.execute(documents.WEBHOOK_CREATE, {"input": values})
        self._mutated(data.get("webhookCreate"), "webhookCreate")

    def update_webhook(self, webhook_id: str, values: dict[str, Any]) -> None:
        data = self.execute(documents.WEBHOOK_UPDATE, {"id": webhook_id, "input": values})
        self._mutated(data.get("webhookUpdate"), "webhookUpdate")

    def _mutated(self, result: Any, mutation: str) -> dict[str, Any]:
        if not isinstance(result, dict):
            raise SaleorBadResponse(f"Saleor's answer to `{mutation}` has no result.")
        if result.get("errors"):
            logger.warning("%s: %s refused: %r", self.api_url, mutation, result["errors"])
            raise SaleorRejected(f"Saleor refused `{mutation}`.")
        return result

    def permissions(self) -> set[str]:
        """The permission codes the app token holds (e.g. `MANAGE_DISCOUNTS`)."""
        app = self.execute(documents.APP_PERMISSIONS).get("app")
        granted = app.get("permissions") if isinstance(app, dict) else None
        if not isinstance(granted, list):
            raise SaleorBadResponse("Saleor's answer to `app { permissions }` has none.")
        return {
            p["code"] for p in granted if isinstance(p, dict) and isinstance(p.get("code"), str)
        }

    def create_voucher(self, values: dict[str, Any]) -> str:
        data = self.execute(documents.VOUCHER_CREATE, {"input": values})
        return self._voucher_id(self._mutated(data.get("voucherCreate"), "voucherCreate"))

    def update_voucher(self, voucher_id: str, values: dict[str, Any]) -> None:
        data = self.execute(documents.VOUCHER_UPDATE, {"id": voucher_id, "input": values})
        self._voucher_id(self._mutated(data.get("voucherUpdate"), "voucherUpdate"))

    def update_voucher_channels(self, voucher_id: str, values: dict[str, Any]) -> None:
        variables = {"id": voucher_id, "input": values}
        data = self.execute(documents.VOUCHER_CHANNEL_LISTING_UPDATE, variables)
        mutation = "voucherChannelListingUpdate"
        self._voucher_id(self._mutated(data.get(mutation), mutation))

    def voucher_code_states(
        self, voucher_id: str, wanted: Collection[str]
    ) -> dict[str, tuple[str, bool]]:
        """The `wanted` codes that the voucher still has: each one's id and whether it is active
        (Saleor deactivates a single-use code when an order uses it). Saleor lists the newest
        codes first, and the codes asked about are mostly recent ones, so the pages stop as soon
        as all of them are found; a code not returned is not in Saleor (any more)."""
        found: dict[str, tuple[str, bool]] = {}
        missing = set(wanted)
        after: str | None = None
        if not missing:
            return found
        for _ in range(MAX_PAGES):
            variables = {"id": voucher_id, "after": after}
            voucher = self.execute(documents.VOUCHER_CODES, variables).get("voucher")
            connection = voucher.get("codes") if isinstance(voucher, dict) else None
            if not isinstance(connection, dict):
                raise SaleorBadResponse("Saleor's answer has no voucher codes.")
            for edge in connection.get("edges") or []:
                node = edge.get("node") if isinstance(edge, dict) else None
                if isinstance(node, dict) and node.get("code") in missing and node.get("id"):
                    found[node["code"]] = (node["id"], node.get("isActive") is not False)
                    missing.discard(node["code"])
            page = connection.get("pageInfo") or {}
            after = page.get("endCursor")
            if not missing or not page.get("hasNextPage") or not after:
                return found
        raise SaleorBadResponse("Saleor's voucher codes did not end within the page limit.")

    def delete_voucher_codes(self, code_ids: list[str]) -> None:
        data = self.execute(documents.VOUCHER_CODE_BULK_DELETE, {"ids": code_ids})
        self._mutated(data.get("voucherCodeBulkDelete"), "voucherCodeBulkDelete")

    def _voucher_id(self, result: dict[str, Any]) -> str:
        voucher = result.get("voucher")
        voucher_id = voucher.get("id") if isinstance(voucher, dict) else None
        if not isinstance(voucher_id, str) or not voucher_id:
            raise SaleorBadResponse("Saleor's answer has no voucher id.")
        return voucher_id

    def channels(self) -> list[ChannelData]:
        channels = self.execute(documents.CHANNELS).get("channels") or []
        return _parsed(lambda: [parse_channel(channel) for channel in channels])

    def shipping_zones(self) -> list[ShippingZoneData]:
        issued_at = utcnow()  # the sync's view is as new as the moment we asked
        zones = self._paginate(documents.shipping_zones_query(), "shippingZones")
        return _parsed(lambda: [parse_shipping_zone(zone, issued_at) for zone in zones])

    def products(self) -> Iterator[ProductData]:
        """Every product with its price in every channel, page by page."""
        for product in self._paginate(documents.products_query(), "products"):
            yield _parsed(lambda product=product: parse_product(product))

    def checkout(self, checkout_id: str) -> CheckoutData | None:
        data = self.execute(documents.checkout_query(), {"id": checkout_id})
        checkout = data.get("checkout")
        return None if checkout is None else _parsed(lambda: parse_checkout(checkout))

    def _paginate(self, query: str, field: str) -> Iterator[Any]:
        after: str | None = None
        for _ in range(MAX_PAGES):
            connection = self.execute(query, {"after": after}).get(field)
            if not isinstance(connection, dict):
                raise SaleorBadResponse(f"Saleor's answer has no `{field}` connection.")
            for edge in connection.get("edges") or []:
                yield edge.get("node") if isinstance(edge, dict) else None
            page = connection.get("pageInfo") or {}
            after = page.get("endCursor")
            if not page.get("hasNextPage") or not after:
                return
        logger.warning("stopped paginating %s after %d pages", field, MAX_PAGES)


def _parsed(parse: Any) -> Any:
    try:
        return parse()
    except PayloadError as exc:
        raise SaleorBadResponse(f"Saleor's answer is incomplete: {exc}") from exc
