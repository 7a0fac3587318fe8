"""Catalogue changes made the way a Dashboard or an app makes them: GraphQL over HTTP."""

from __future__ import annotations

from typing import Any

import requests

from saleor_proactive.sandbox.ids import to_global_id
from saleor_proactive.sandbox.server import SandboxSaleor

REPRICE_VARIANT = """
mutation Reprice($id: ID!, $input: [ProductVariantChannelListingAddInput!]!) {
  productVariantChannelListingUpdate(id: $id, input: $input) {
    variant { id channelListings { channel { slug } price { amount currency } } }
    errors { field code message channels }
  }
}
"""


def reprice_variant(
    saleor: SandboxSaleor, token: str, variant_id: str, channel_slug: str, price: str
) -> dict[str, Any]:
    """`productVariantChannelListingUpdate` for one channel; its result (variant, errors)."""
    channel_id = to_global_id("Channel", saleor.shop.channels[channel_slug].pk)
    variables = {"id": variant_id, "input": [{"channelId": channel_id, "price": price}]}
    response = requests.post(
        saleor.api_url,
        json={"query": REPRICE_VARIANT, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body["errors"]
    result: dict[str, Any] = body["data"]["productVariantChannelListingUpdate"]
    return result
