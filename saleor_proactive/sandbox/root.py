"""The root value for execution: each root field the sandbox serves and its resolver."""

from __future__ import annotations

from typing import Any

from . import mutations, vouchers, webhook_mutations
from . import resolvers as queries


def root_value() -> dict[str, Any]:
    return {
        "app": queries.resolve_app,
        "channels": queries.resolve_channels,
        "channel": queries.resolve_channel,
        "shippingZones": queries.resolve_shipping_zones,
        "products": queries.resolve_products,
        "product": queries.resolve_product,
        "checkout": queries.resolve_checkout,
        "order": queries.resolve_order,
        "checkoutCreate": mutations.checkout_create,
        "checkoutLinesAdd": mutations.checkout_lines_add,
        "checkoutAddPromoCode": mutations.checkout_add_promo_code,
        "checkoutLinesUpdate": mutations.checkout_lines_update,
        "checkoutLinesDelete": mutations.checkout_lines_delete,
        "checkoutShippingAddressUpdate": mutations.checkout_shipping_address_update,
        "checkoutComplete": mutations.checkout_complete,
        "productVariantChannelListingUpdate": mutations.product_variant_channel_listing_update,
        "webhookCreate": webhook_mutations.webhook_create,
        "webhookUpdate": webhook_mutations.webhook_update,
        "voucher": vouchers.resolve_voucher,
        "voucherCreate": vouchers.voucher_create,
        "voucherUpdate": vouchers.voucher_update,
        "voucherChannelListingUpdate": vouchers.voucher_channel_listing_update,
        "voucherCodeBulkDelete": vouchers.voucher_code_bulk_delete,
    }
