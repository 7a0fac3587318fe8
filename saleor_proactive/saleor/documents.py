"""GraphQL documents: the webhook subscriptions in `webhooks/` and the app's own queries.

The queries reuse the fragments declared in the subscription documents, so a checkout read by
`checkout(id)` has exactly the fields a CHECKOUT_UPDATED webhook carries (one source of truth).
"""

from __future__ import annotations

from functools import cache

from graphql import (
    FragmentDefinitionNode,
    FragmentSpreadNode,
    Node,
    Visitor,
    parse,
    print_ast,
    visit,
)

from ..assets import asset_dir


@cache
def webhook_document(name: str) -> str:
    """The subscription document of one webhook, as the manifest publishes it."""
    return (asset_dir("webhooks") / f"{name}.graphql").read_text(encoding="utf-8")


@cache
def fragments_of(webhook_name: str, root: str) -> str:
    """Fragment `root` of a webhook document and those it spreads, ready to append to a query
    (a query holding a fragment it does not use is invalid)."""
    document = parse(webhook_document(webhook_name))
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    needed, pending = [], [root]
    while pending:
        name = pending.pop()
        if name not in needed:
            needed.append(name)
            pending.extend(_spreads(fragments[name]))
    return "\n\n".join(print_ast(fragments[name]) for name in needed)


def _spreads(node: Node) -> list[str]:
    names: list[str] = []

    class Spreads(Visitor):
        def enter_fragment_spread(self, spread: FragmentSpreadNode, *_: object) -> None:
            names.append(spread.name.value)

    visit(node, Spreads())
    return names


# `identifier` is the manifest id of the app the token belongs to (any app of a Saleor has one).
APP = "query ProactiveApp { app { id identifier } }"

# An app may read its own webhooks (Saleor's OWNER rule); others' need MANAGE_APPS.
APP_WEBHOOKS = """
query ProactiveAppWebhooks {
  app { id webhooks { id name targetUrl isActive asyncEvents { eventType } subscriptionQuery } }
}
"""

_WEBHOOK_RESULT = "errors { field code message } webhook { id }"

# Any app may create webhooks for itself and update its own (AUTHENTICATED_APP).
WEBHOOK_CREATE = f"""
mutation ProactiveWebhookCreate($input: WebhookCreateInput!) {{
  webhookCreate(input: $input) {{ {_WEBHOOK_RESULT} }}
}}
"""

WEBHOOK_UPDATE = f"""
mutation ProactiveWebhookUpdate($id: ID!, $input: WebhookUpdateInput!) {{
  webhookUpdate(id: $id, input: $input) {{ {_WEBHOOK_RESULT} }}
}}
"""

CHANNELS = """
query ProactiveChannels {
  channels { id slug name currencyCode defaultCountry { code } }
}
"""

_PAGE = "pageInfo { hasNextPage endCursor }"

# Offers (CONTRACT §4.1): one voucher per offer trigger, codes added and removed in batches.
APP_PERMISSIONS = "query ProactiveAppPermissions { app { id permissions { code } } }"

_VOUCHER_RESULT = "errors { field code message } voucher { id }"

VOUCHER_CREATE = f"""
mutation ProactiveVoucherCreate($input: VoucherInput!) {{
  voucherCreate(input: $input) {{ {_VOUCHER_RESULT} }}
}}
"""

VOUCHER_UPDATE = f"""
mutation ProactiveVoucherUpdate($id: ID!, $input: VoucherInput!) {{
  voucherUpdate(id: $id, input: $input) {{ {_VOUCHER_RESULT} }}
}}
"""

VOUCHER_CHANNEL_LISTING_UPDATE = f"""
mutation ProactiveVoucherChannels($id: ID!, $input: VoucherChannelListingInput!) {{
  voucherChannelListingUpdate(id: $id, input: $input) {{ {_VOUCHER_RESULT} }}
}}
"""

VOUCHER_CODE_BULK_DELETE = """
mutation ProactiveVoucherCodesDelete($ids: [ID!]!) {
  voucherCodeBulkDelete(ids: $ids) { count errors { path code message } }
}
"""

VOUCHER_CODES = f"""
query ProactiveVoucherCodes($id: ID!, $after: String) {{
  voucher(id: $id) {{
    id
    codes(first: 100, after: $after) {{ {_PAGE} edges {{ node {{ id code isActive }} }} }}
  }}
}}
"""


def shipping_zones_query() -> str:
    return f"""
query ProactiveShippingZones($after: String) {{
  shippingZones(first: 100, after: $after) {{
    {_PAGE}
    edges {{ node {{ ...ProactiveShippingZone }} }}
  }}
}}

{fragments_of("shipping-events", "ProactiveShippingZone")}
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

{fragments_of("product-events", "ProactiveProduct")}
"""


def checkout_query() -> str:
    return f"""
query ProactiveCheckout($id: ID!) {{
  checkout(id: $id) {{ ...ProactiveCheckout }}
}}

{fragments_of("checkout-events", "ProactiveCheckout")}
"""


def all_queries() -> dict[str, str]:
    """Every query the client sends, by name (the schema test validates each one)."""
    return {
        "app": APP,
        "app_webhooks": APP_WEBHOOKS,
        "channels": CHANNELS,
        "shipping_zones": shipping_zones_query(),
        "products": products_query(),
        "checkout": checkout_query(),
        "app_permissions": APP_PERMISSIONS,
        "voucher_codes": VOUCHER_CODES,
    }


def all_mutations() -> dict[str, str]:
    """Every mutation the client sends, by name (validated by the schema test too)."""
    return {
        "webhook_create": WEBHOOK_CREATE,
        "webhook_update": WEBHOOK_UPDATE,
        "voucher_create": VOUCHER_CREATE,
        "voucher_update": VOUCHER_UPDATE,
        "voucher_channel_listing_update": VOUCHER_CHANNEL_LISTING_UPDATE,
        "voucher_code_bulk_delete": VOUCHER_CODE_BULK_DELETE,
    }
