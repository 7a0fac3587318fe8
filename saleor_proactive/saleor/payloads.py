"""Turn Saleor's JSON (webhook bodies and query results) into the plain values we store.

Parsing is strict about what the documents in `webhooks/` ask for: a missing or mistyped field
raises `PayloadError` naming its path, which the webhook route maps to a 400.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from ..store.snapshot_data import (
    ChannelData,
    CheckoutData,
    CheckoutLineData,
    OrderData,
    ProductData,
    ProductPriceData,
    ShippingListingData,
    ShippingMethodData,
    ShippingZoneData,
)

PAID_CHARGE_STATUSES = frozenset({"FULL", "OVERCHARGED"})
# Column sizes of the snapshots: Saleor's global ids, names and slugs, ISO codes.
ID_CHARS = 128
NAME_CHARS = 255
CURRENCY_CHARS = 3
COUNTRY_CHARS = 2
EMAIL_CHARS = 254
MAX_METADATA = 50
# Money columns hold 14 digits before the point; a quantity sum must fit a 32-bit integer.
MAX_AMOUNT = Decimal(10) ** 14
MAX_QUANTITY = 2**31 - 1
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class PayloadError(ValueError):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


def field(obj: Any, path: str, *, optional: bool = False) -> Any:
    """The value at a dotted path (`checkout.channel.slug`); None only where optional."""
    value = obj
    for name in path.split("."):
        if not isinstance(value, dict):
            raise PayloadError(path, "expected an object")
        value = value.get(name)
        if value is None:
            if optional:
                return None
            raise PayloadError(path, "is missing")
    return value


def text(obj: Any, path: str, max_chars: int = NAME_CHARS) -> str:
    value = field(obj, path)
    if not isinstance(value, str) or not value:
        raise PayloadError(path, "expected a non-empty string")
    return _storable(value, path, max_chars)


def optional_text(obj: Any, path: str, max_chars: int = NAME_CHARS) -> str | None:
    value = field(obj, path, optional=True)
    if value is not None and not isinstance(value, str):
        raise PayloadError(path, "expected a string")
    return _storable(value, path, max_chars) if value else None


def _storable(value: str, path: str, max_chars: int) -> str:
    # What the columns hold; PostgreSQL would refuse the rest with an error (a 500 otherwise).
    if len(value) > max_chars:
        raise PayloadError(path, f"longer than {max_chars} characters")
    if _UNSTORABLE.search(value):
        raise PayloadError(path, "contains NUL or an unpaired surrogate")
    return value


def amount(obj: Any, path: str, *, optional: bool = False) -> Decimal | None:
    value = field(obj, path, optional=optional)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise PayloadError(path, "expected a number")
    try:
        result = Decimal(str(value))
    except InvalidOperation:
        raise PayloadError(path, "expected a number") from None
    if not result.is_finite():
        raise PayloadError(path, "expected a finite number")
    if abs(result) >= MAX_AMOUNT:
        raise PayloadError(path, "out of range")
    return result


def required_amount(obj: Any, path: str) -> Decimal:
    value = amount(obj, path)
    assert value is not None  # not optional: amount() raised otherwise
    return value


def timestamp(obj: Any, path: str) -> datetime:
    value = text(obj, path)
    try:
        parsed = datetime.fromisoformat(value)
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except (ValueError, OverflowError):  # OverflowError: year 1 or 9999 moved out of range
        raise PayloadError(path, "expected an ISO 8601 date-time") from None


def items(obj: Any, path: str) -> list[Any]:
    value = field(obj, path, optional=True)
    if value is None:
        return []
    if not isinstance(value, list):
        raise PayloadError(path, "expected a list")
    return value


def parse_checkout(checkout: Any, *, fully_paid_event: bool = False) -> CheckoutData:
    lines = tuple(
        CheckoutLineData(
            variant_id=text(line, "variant.id", ID_CHARS),
            product_id=optional_text(line, "variant.product.id", ID_CHARS),
            category_id=optional_text(line, "variant.product.category.id", ID_CHARS),
            quantity=_quantity(line),
            net=required_amount(line, "totalPrice.net.amount"),
            gross=required_amount(line, "totalPrice.gross.amount"),
            undiscounted=required_amount(line, "undiscountedTotalPrice.amount"),
        )
        for line in items(checkout, "lines")
    )
    if sum(line.quantity for line in lines) > MAX_QUANTITY:
        raise PayloadError("lines.quantity", "the quantities add up to more than 2^31 - 1")
    charge_status = optional_text(checkout, "chargeStatus")
    return CheckoutData(
        checkout_id=text(checkout, "id", ID_CHARS),
        channel_slug=text(checkout, "channel.slug"),
        currency=text(checkout, "channel.currencyCode", CURRENCY_CHARS),
        updated_at=timestamp(checkout, "updatedAt"),
        lines=lines,
        subtotal_net=required_amount(checkout, "subtotalPrice.net.amount"),
        subtotal_gross=required_amount(checkout, "subtotalPrice.gross.amount"),
        total_gross=required_amount(checkout, "totalPrice.gross.amount"),
        discount=amount(checkout, "discount.amount", optional=True) or Decimal(0),
        shipping_country=optional_text(checkout, "shippingAddress.country.code", COUNTRY_CHARS),
        fully_paid=fully_paid_event or charge_status in PAID_CHARGE_STATUSES,
        shipping_required=_shipping_required(checkout),
        # Absent from webhooks registered with an older document: no reminder then.
        email=optional_text(checkout, "email", EMAIL_CHARS),
        token=optional_text(checkout, "token", ID_CHARS),
        language_code=optional_text(checkout, "languageCode", 35),
        metadata=_metadata(checkout),
    )


def _metadata(obj: Any) -> dict[str, str]:
    """Public metadata as a dict, at most `MAX_METADATA` short entries (what reminders read)."""
    found: dict[str, str] = {}
    for item in items(obj, "metadata")[:MAX_METADATA]:
        key = optional_text(item, "key")
        value = optional_text(item, "value", 2000)
        if key is not None:
            found[key] = value or ""
    return found


def _shipping_required(checkout: Any) -> bool:
    # Absent from webhooks registered with an older document: assume the cart ships.
    value = field(checkout, "isShippingRequired", optional=True)
    if value is None:
        return True
    if not isinstance(value, bool):
        raise PayloadError("isShippingRequired", "expected true or false")
    return value


def _quantity(line: Any) -> int:
    value = field(line, "quantity")
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_QUANTITY:
        raise PayloadError("lines.quantity", "expected a non-negative 32-bit integer")
    return value


def parse_product(product: Any, *, deleted: bool = False) -> ProductData:
    prices = []
    for listing in items(product, "channelListings"):
        start = field(listing, "pricing.priceRange.start", optional=True)
        if start is None:  # not priced (no variants listed) in that channel
            continue
        prices.append(
            ProductPriceData(
                channel_slug=text(listing, "channel.slug"),
                currency=text(start, "currency", CURRENCY_CHARS),
                gross=required_amount(start, "gross.amount"),
                net=amount(start, "net.amount", optional=True),
            )
        )
    return ProductData(
        product_id=text(product, "id", ID_CHARS),
        name=text(product, "name"),
        category_id=optional_text(product, "category.id", ID_CHARS),
        category_name=optional_text(product, "category.name"),
        updated_at=timestamp(product, "updatedAt"),
        prices=tuple(prices),
        deleted=deleted,
        slug=optional_text(product, "slug"),
        thumbnail_url=_thumbnail(product),
        attributes=_attributes(product),
    )


MAX_ATTRIBUTES = 50
URL_CHARS = 2048


def _thumbnail(product: Any) -> str | None:
    url = (
        optional_text(product, "thumbnail.url", URL_CHARS)
        if field(product, "thumbnail", optional=True)
        else None
    )
    # Only web addresses: a comparison puts it in an <img src> on the storefront.
    return url if url is not None and url.startswith(("https://", "http://")) else None


def _attributes(product: Any) -> tuple[tuple[str, str], ...]:
    """Each attribute with a value, as text: names of the values, joined (a multiselect)."""
    found: list[tuple[str, str]] = []
    for selected in items(product, "attributes")[:MAX_ATTRIBUTES]:
        name = optional_text(selected, "attribute.name")
        values = [optional_text(v, "name") for v in items(selected, "values")]
        value = ", ".join(v for v in values if v)[:NAME_CHARS]
        if name and value:
            found.append((name, value))
    return tuple(found)


def parse_variant_prices(product: Any) -> tuple[ProductPriceData, ...]:
    """The product's starting price per channel: its cheapest variant's listed price.

    Saleor sets a variant's `price` at once; the product's `priceRange` follows later.
    """
    cheapest: dict[str, ProductPriceData] = {}
    for edge in items(product, "productVariants.edges"):
        for listing in items(edge, "node.channelListings"):
            if field(listing, "price", optional=True) is None:  # not priced in that channel
                continue
            price = ProductPriceData(
                channel_slug=text(listing, "channel.slug"),
                currency=text(listing, "price.currency", CURRENCY_CHARS),
                gross=required_amount(listing, "price.amount"),
                net=None,
            )
            known = cheapest.get(price.channel_slug)
            if known is None or price.gross < known.gross:
                cheapest[price.channel_slug] = price
    return tuple(cheapest.values())


def parse_shipping_zone(
    zone: Any, issued_at: datetime, *, without_method: str | None = None
) -> ShippingZoneData:
    methods = tuple(
        _parse_method(method)
        for method in items(zone, "shippingMethods")
        if not (isinstance(method, dict) and method.get("id") == without_method)
    )
    return ShippingZoneData(
        zone_id=text(zone, "id", ID_CHARS),
        issued_at=issued_at,
        name=text(zone, "name"),
        countries=tuple(
            text(country, "code", COUNTRY_CHARS) for country in items(zone, "countries")
        ),
        channel_slugs=tuple(text(channel, "slug") for channel in items(zone, "channels")),
        methods=methods,
    )


def _parse_method(method: Any) -> ShippingMethodData:
    listings = []
    for listing in items(method, "channelListings"):
        currencies = [
            optional_text(listing, f"{name}.currency", CURRENCY_CHARS)
            for name in ("price", "minimumOrderPrice")
            if field(listing, name, optional=True) is not None
        ]
        currency = next((c for c in currencies if c), None)
        listings.append(
            ShippingListingData(
                channel_slug=text(listing, "channel.slug"),
                currency=currency or "",
                price=amount(listing, "price.amount", optional=True),
                minimum_order_price=amount(listing, "minimumOrderPrice.amount", optional=True),
                maximum_order_price=amount(listing, "maximumOrderPrice.amount", optional=True),
            )
        )
    return ShippingMethodData(
        method_id=text(method, "id", ID_CHARS),
        name=text(method, "name"),
        type=optional_text(method, "type", max_chars=16),
        listings=tuple(listings),
    )


def parse_order(order: Any, issued_at: datetime) -> OrderData:
    return OrderData(
        order_id=text(order, "id", ID_CHARS),
        checkout_id=optional_text(order, "checkoutId", ID_CHARS),
        channel_slug=text(order, "channel.slug"),
        total_gross=required_amount(order, "total.gross.amount"),
        total_net=amount(order, "total.net.amount", optional=True),
        currency=text(order, "total.currency", CURRENCY_CHARS),
        created_at=timestamp(order, "created"),
        issued_at=issued_at,
        voucher_code=optional_text(order, "voucherCode", ID_CHARS),
        voucher_discount=_voucher_discount(order),
    )


def _voucher_discount(order: Any) -> Decimal | None:
    """The sum of the order's VOUCHER discounts (older payloads have no `discounts`)."""
    discounts = order.get("discounts") if isinstance(order, dict) else None
    if not isinstance(discounts, list):
        return None
    vouchers = [d for d in discounts if isinstance(d, dict) and d.get("type") == "VOUCHER"]
    amounts = [amount(d, "total.amount", optional=True) for d in vouchers]
    return sum((a for a in amounts if a is not None), Decimal(0)) if vouchers else None


def parse_channel(channel: Any) -> ChannelData:
    return ChannelData(
        saleor_id=text(channel, "id", ID_CHARS),
        slug=text(channel, "slug"),
        name=text(channel, "name"),
        currency_code=text(channel, "currencyCode", CURRENCY_CHARS),
        default_country=optional_text(channel, "defaultCountry.code", COUNTRY_CHARS),
    )
