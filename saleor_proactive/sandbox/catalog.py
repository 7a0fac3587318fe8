"""Catalogue and shipping in Saleor's shapes: products with their variant and per-channel
pricing, shipping zones with their methods and per-channel listings.

A product refers to its variant and the variant back to the product; execution only follows
the fields a document selects, so the cycle is harmless.
"""

from __future__ import annotations

import zlib
from decimal import Decimal

from .shapes import (
    Payload,
    channel_payload,
    connection,
    country,
    iso,
    money,
    node,
    optional_money,
    taxed_money,
)
from .state import Channel, Product, ShippingMethod, ShippingZone, Shop


def category_payload(shop: Shop, category_pk: int) -> Payload:
    category = shop.categories[category_pk]
    return node(
        "Category",
        category.pk,
        name=category.name,
        slug=category.slug,
        level=0,
        parent=None,
        description=None,
        seoTitle=None,
        seoDescription=None,
    )


def product_payload(shop: Shop, product: Product, channel_slug: str | None) -> Payload:
    """A product as seen in `channel_slug` (pricing needs a channel, as in Saleor)."""
    channel = shop.channels.get(channel_slug) if channel_slug else None
    listings = [
        _product_listing(shop.channels[slug], product, price)
        for slug, price in product.prices.items()
        if slug in shop.channels
    ]
    pricing = None
    if channel is not None and channel.slug in product.prices:
        pricing = _product_pricing(taxed_money(product.prices[channel.slug], channel))
    payload = node(
        "Product",
        product.pk,
        name=product.name,
        slug=product.slug,
        description=None,
        seoTitle=None,
        seoDescription=None,
        category=category_payload(shop, product.category_pk),
        created=iso(product.created),
        updatedAt=iso(product.updated_at),
        channel=channel_slug,
        pricing=pricing,
        channelListings=listings,
        isAvailable=pricing is not None,
        isAvailableForPurchase=pricing is not None,
        # Saleor answers `thumbnail(size:)` with a generated image's absolute URL
        thumbnail={"url": f"{shop.media_url}/thumbnails/product-{product.pk}.svg", "alt": ""},
        attributes=[
            {
                "attribute": node("Attribute", zlib.crc32(name.encode()) % 10_000, name=name),
                "values": [node("AttributeValue", i, name=value) for i, value in enumerate(values)],
            }
            for name, values in product.attributes
        ],
        rating=None,
        externalReference=None,
    )
    variant = _variant_payload(shop, product, payload, channel)
    payload["defaultVariant"] = variant
    payload["variants"] = [variant]
    payload["productVariants"] = connection([variant], [variant["id"]], has_next=False)
    return payload


def _product_listing(channel: Channel, product: Product, price: Decimal) -> Payload:
    return node(
        "ProductChannelListing",
        f"{product.pk}-{channel.pk}",
        channel=channel_payload(channel),
        isPublished=True,
        visibleInListings=True,
        publishedAt=iso(product.created),
        availableForPurchaseAt=iso(product.created),
        isAvailableForPurchase=True,
        discountedPrice=money(price, channel.currency),
        pricing=_product_pricing(taxed_money(price, channel)),
    )


def _product_pricing(price: Payload) -> Payload:
    price_range = {"start": price, "stop": price}
    return {
        "onSale": False,
        "discount": None,
        "discountPrior": None,
        "displayGrossPrices": True,
        "priceRange": price_range,
        "priceRangeUndiscounted": price_range,
        "priceRangePrior": None,
    }


def _variant_payload(
    shop: Shop, product: Product, product_payload: Payload, channel: Channel | None
) -> Payload:
    listings = []
    for slug, price in product.prices.items():
        listed = shop.channels[slug]
        listings.append(
            node(
                "ProductVariantChannelListing",
                f"{product.variant_pk}-{listed.pk}",
                channel=channel_payload(listed),
                price=money(price, listed.currency),
                costPrice=None,
                priorPrice=None,
            )
        )
    pricing = None
    if channel is not None and channel.slug in product.prices:
        gross = taxed_money(product.prices[channel.slug], channel)
        pricing = {
            "onSale": False,
            "discount": None,
            "discountPrior": None,
            "price": gross,
            "priceUndiscounted": gross,
            "pricePrior": None,
        }
    return node(
        "ProductVariant",
        product.variant_pk,
        name=product.name,
        sku=f"SKU-{product.variant_pk}",
        product=product_payload,
        channel=channel.slug if channel else None,
        channelListings=listings,
        pricing=pricing,
        trackInventory=False,
        created=iso(product.created),
        updatedAt=iso(product.updated_at),
        quantityLimitPerCustomer=None,
        externalReference=None,
    )


def shipping_method_payload(
    shop: Shop, method: ShippingMethod, channel_slug: str | None
) -> Payload:
    listings = []
    for slug, listing in method.listings.items():
        channel = shop.channels[slug]
        listings.append(
            node(
                "ShippingMethodChannelListing",
                f"{method.pk}-{channel.pk}",
                channel=channel_payload(channel),
                price=money(listing.price, channel.currency),
                minimumOrderPrice=optional_money(listing.minimum_order_price, channel),
                maximumOrderPrice=optional_money(listing.maximum_order_price, channel),
            )
        )
    in_channel = method.listings.get(channel_slug) if channel_slug else None
    listed_in = shop.channels.get(channel_slug) if channel_slug else None
    minimum = maximum = None
    if in_channel is not None and listed_in is not None:
        minimum = optional_money(in_channel.minimum_order_price, listed_in)
        maximum = optional_money(in_channel.maximum_order_price, listed_in)
    return node(
        "ShippingMethodType",
        method.pk,
        name=method.name,
        type=method.type,
        description=None,
        channelListings=listings,
        minimumOrderPrice=minimum,
        maximumOrderPrice=maximum,
        maximumDeliveryDays=None,
        minimumDeliveryDays=None,
        postalCodeRules=[],
    )


def shipping_zone_payload(shop: Shop, zone: ShippingZone, channel_slug: str | None) -> Payload:
    channels = [shop.channels[slug] for slug in zone.channel_slugs if slug in shop.channels]
    return node(
        "ShippingZone",
        zone.pk,
        name=zone.name,
        default=False,
        description="",
        countries=[country(code) for code in zone.countries],
        channels=[channel_payload(channel) for channel in channels],
        shippingMethods=[shipping_method_payload(shop, m, channel_slug) for m in zone.methods],
        warehouses=[],
        priceRange=None,
    )
