"""The sandbox's demo store: what every test and the demo can rely on.

Channels
- `default-channel` "Default channel": EUR, default country ES, 21 % VAT included in prices.
- `channel-usd` "Channel-USD": USD, default country US, no tax modelled (0 %).

Shipping zones (all methods are `type: PRICE`)
- "Europe" (ES, DE, FR, IT, PT, NL, BE, AT, IE; assigned to default-channel):
  "Standard" 4.99 EUR; "Free shipping" price 0.00 with minimumOrderPrice 50.00 EUR.
- "Americas" (US, CA, MX; assigned to channel-usd):
  "Standard" 6.99 USD; "Free shipping" price 0.00 with minimumOrderPrice 75.00 USD.

Catalogue (gross prices EUR / USD; global IDs are base64 of `Product:<pk>`, `ProductVariant:<pk>`)
see `PRODUCTS` below: coffee, equipment and accessories, one espresso machine at 649.00 EUR.
"""

from __future__ import annotations

from decimal import Decimal

from .ids import to_global_id
from .state import Category, Channel, MethodListing, Product, ShippingMethod, ShippingZone, Shop

DEFAULT_CHANNEL = "default-channel"
USD_CHANNEL = "channel-usd"
FREE_SHIPPING_MINIMUM = {DEFAULT_CHANNEL: Decimal("50.00"), USD_CHANNEL: Decimal("75.00")}
EUROPE_COUNTRIES = ["ES", "DE", "FR", "IT", "PT", "NL", "BE", "AT", "IE"]
AMERICAS_COUNTRIES = ["US", "CA", "MX"]

CATEGORIES = [
    (1, "Coffee", "coffee"),
    (2, "Equipment", "equipment"),
    (3, "Accessories", "accessories"),
]

# (pk, variant pk, name, category pk, EUR price, USD price)
PRODUCTS = [
    (1, 101, "Ethiopia Yirgacheffe 250 g", 1, "12.50", "14.00"),
    (2, 102, "Colombia Huila 1 kg", 1, "38.00", "42.00"),
    (3, 103, "House Espresso Blend 500 g", 1, "16.90", "18.90"),
    (4, 104, "Decaf Swiss Water 250 g", 1, "11.00", "12.50"),
    (5, 105, "Lever Espresso Machine", 2, "649.00", "719.00"),
    (6, 106, "Burr Grinder", 2, "189.00", "209.00"),
    (7, 107, "Pour-over Kettle", 2, "54.00", "59.00"),
    (8, 108, "Ceramic Dripper", 3, "24.00", "27.00"),
    (9, 109, "Paper Filters (100)", 3, "6.50", "7.50"),
    (10, 110, "Barista Milk Jug", 3, "19.00", "21.00"),
]


# Attributes by category pk: shared names, so a comparison of two products has rows
ATTRIBUTES: dict[int, dict[int, tuple[tuple[str, tuple[str, ...]], ...]]] = {
    1: {
        1: (("Origin", ("Ethiopia",)), ("Roast", ("Light",)), ("Process", ("Washed",))),
        2: (("Origin", ("Colombia",)), ("Roast", ("Medium",)), ("Process", ("Washed",))),
        3: (("Origin", ("Brazil", "Colombia")), ("Roast", ("Dark",))),
        4: (("Origin", ("Peru",)), ("Roast", ("Medium",)), ("Process", ("Swiss Water",))),
    },
    2: {
        5: (("Material", ("Stainless steel",)), ("Power", ("1200 W",)), ("Warranty", ("2 years",))),
        6: (("Material", ("Aluminium",)), ("Power", ("150 W",)), ("Burrs", ("Conical steel",))),
        7: (("Material", ("Stainless steel",)), ("Capacity", ("1 l",))),
    },
    3: {
        8: (("Material", ("Ceramic",)),),
        10: (("Material", ("Stainless steel",)), ("Capacity", ("350 ml",))),
    },
}


def variant_id(product_pk: int) -> str:
    """The variant global ID of a seeded product, as Saleor's API returns it."""
    for pk, variant_pk, *_ in PRODUCTS:
        if pk == product_pk:
            return to_global_id("ProductVariant", variant_pk)
    raise KeyError(product_pk)


ESPRESSO_MACHINE_VARIANT = to_global_id("ProductVariant", 105)
FILTERS_VARIANT = to_global_id("ProductVariant", 109)
BEANS_VARIANT = to_global_id("ProductVariant", 101)


def seed_shop() -> Shop:
    shop = Shop()
    shop.channels = {
        DEFAULT_CHANNEL: Channel(
            1, DEFAULT_CHANNEL, "Default channel", "EUR", "ES", Decimal("0.21")
        ),
        USD_CHANNEL: Channel(2, USD_CHANNEL, "Channel-USD", "USD", "US", Decimal("0")),
    }
    shop.categories = {pk: Category(pk, name, slug) for pk, name, slug in CATEGORIES}
    now = shop.now()
    for pk, variant_pk, name, category_pk, eur, usd in PRODUCTS:
        slug = name.lower().replace(" ", "-").replace("(", "").replace(")", "")
        prices = {DEFAULT_CHANNEL: Decimal(eur), USD_CHANNEL: Decimal(usd)}
        attributes = ATTRIBUTES.get(category_pk, {}).get(pk, ())
        shop.products[pk] = Product(
            pk, name, slug, category_pk, variant_pk, prices, now, now, attributes=attributes
        )
    shop.zones = {
        1: _zone(1, "Europe", EUROPE_COUNTRIES, DEFAULT_CHANNEL, standard=(1, "4.99"), free_pk=2),
        2: _zone(2, "Americas", AMERICAS_COUNTRIES, USD_CHANNEL, standard=(3, "6.99"), free_pk=4),
    }
    return shop


def _zone(
    pk: int, name: str, countries: list[str], channel: str, standard: tuple[int, str], free_pk: int
) -> ShippingZone:
    """A zone for one channel with a paid "Standard" method and a "Free shipping" method
    (price 0 from the channel's FREE_SHIPPING_MINIMUM)."""
    free = MethodListing(Decimal("0"), minimum_order_price=FREE_SHIPPING_MINIMUM[channel])
    methods = [
        ShippingMethod(
            standard[0], "Standard", "PRICE", {channel: MethodListing(Decimal(standard[1]))}
        ),
        ShippingMethod(free_pk, "Free shipping", "PRICE", {channel: free}),
    ]
    return ShippingZone(pk, name, list(countries), [channel], methods)
