"""The words a rule document, the visitor API and the merchant settings share.

The snippet reports a page type and a device; rules and the settings' URL patterns name them.
"""

from __future__ import annotations

PAGE_TYPES = (
    "home",
    "category",
    "product",
    "search",
    "cart",
    "checkout",
    "contact",
    "faq",
    "other",
)
DEVICES = ("mobile", "tablet", "desktop")
