"""A small Saleor stand-in speaking the real protocol, for the demo and for tests.

`SandboxSaleor().start()` serves on 127.0.0.1 (`.api_url` ends in `/graphql/`):
- `POST /graphql/`: documents validated and executed against Saleor's schema (the real one,
  or the shipped `saleor_subset.graphql`); `Authorization: Bearer <app token>`.
- `GET /.well-known/jwks.json`: the current RS256 key; `rotate_key()` replaces it.
- `GET /dashboard/`: the installed app's page framed with AppBridge tokens (demo use).
- `install_app(manifest_url, permissions=None)` / `uninstall_app()`: Saleor's install flow.
- `sign_dashboard_token(app_id, user_permissions=[...], exp_seconds=300, **claims)`.
- Data changes that fire signed webhooks synchronously (recorded in `.deliveries` and
  `.last_deliveries`): `create_checkout`, `add_checkout_lines`, `update_checkout_lines`,
  `delete_checkout_lines`, `set_checkout_discount`, `set_checkout_country`,
  `mark_checkout_fully_paid`, `create_order`, `create_product`, `update_product`,
  `update_variant_prices` (also the `productVariantChannelListingUpdate` mutation),
  `delete_product`, `create_shipping_zone`, `update_shipping_zone`, `delete_shipping_zone`,
  `create_shipping_method`, `update_shipping_method`, `delete_shipping_method`.
- `hold_webhooks()` / `release_webhooks(reverse=...)` / `redeliver(delivery)` for late,
  out-of-order and duplicate deliveries.

The seeded store is described in `seed.py`, the money model in `state.py`.

Layout: `server.py` (`SandboxSaleor`: servers, keys, apps, webhook firing) owns the parts
`store` (`store_changes.py`: checkouts, orders, catalogue) and `shipping`
(`shipping_changes.py`), which change `state.Shop` through the pure `operations.py`. The
GraphQL layer (`root.py`, `resolvers.py`, `mutations.py`) and the HTTP layer (`http_api.py`,
`dashboard_page.py`) see only the protocols in `interface.py`.
"""
