"""The demo storefront: a small shop on the sandbox Saleor with the snippet on every page."""

from .app import create_shop_app

__all__ = ["create_shop_app"]
