"""GraphQL documents: the webhook subscriptions in `webhooks/` and the app's own queries.

The queries reuse the fragments declared in the subscription documents, so a checkout read by
`checkout(id)` has exactly the fields a CHECKOUT_UPDATED webhook carries (one source of truth).
"""

from __future__ import annotations

from functools import cache

from graphql import FragmentDefinitionNode, parse, print_ast

from ..assets import asset_dir


@cache
def webhook_document(name: str) -> str:
    """The subscription document of one webhook, as the manifest publishes it."""
    return (asset_dir("webhooks") / f"{name}.graphql").read_text(encoding="utf-8")


@cache
def fragments_of(webhook_name: str) -> str:
    """Every fragment definition of a webhook document, ready to append to a query."""
    document = parse(webhook_document(webhook_name))
    return "\n\n".join(
        print_ast(definition)
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    )


# `identifier` is the manifest id of the app the token belongs to (any app of a Saleor has one).
APP = "query ProactiveApp { app { id identifier } }"

CHANNELS = """
query ProactiveChannels {
  channels { id slug name currencyCode defaultCountry { code } }
}
"""

_PAGE = "pageInfo { hasNextPage endCursor }"


def shipping_zones_query() -> str:
    return f"""
query ProactiveShippingZones($after: String) {{
  shippingZones(first: 100, after: $after) {{
    {_PAGE}
    edges {{ node {{ ...ProactiveShippingZone }} }}
  }}
}}

{fragments_of("shipping-events")}
"""


def products_query() -> str:
    # Without `channel`, an app holding MANAGE_PRODUCTS sees every product; each product's
    # channel listings carry its price per channel, so one pass covers all channels.
    return f"""
query ProactiveProducts($after: String) {{
  products(first: 100, after: $after) {{
    {_PAGE}
    edges {{ node {{ ...ProactiveProduct }} }}
  }}
}}

{fragments_of("product-events")}
"""


def checkout_query() -> str:
    return f"""
query ProactiveCheckout($id: ID!) {{
  checkout(id: $id) {{ ...ProactiveCheckout }}
}}

{fragments_of("checkout-events")}
"""


def all_queries() -> dict[str, str]:
    """Every query the client sends, by name (the schema test validates each one)."""
    return {
        "app": APP,
        "channels": CHANNELS,
        "shipping_zones": shipping_zones_query(),
        "products": products_query(),
        "checkout": checkout_query(),
    }
