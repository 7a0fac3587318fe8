"""The words a rule document, the visitor API and the merchant settings share.

The snippet reports a page type and a device; rules and the settings' URL patterns name them.
The catalogue leaves take lists of Saleor ids, which the app page's editor picks from the
catalogue (categories or products) rather than have the merchant type them.
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

# Leaf -> the kind of ids its `in` list holds (CONTRACT §4.1)
CATEGORY_IDS = "categoryIds"
PRODUCT_IDS = "productIds"
CATALOGUE_LEAVES = {
    "category": CATEGORY_IDS,
    "viewedCategory": CATEGORY_IDS,
    "viewedProduct": PRODUCT_IDS,
    "cartContains": PRODUCT_IDS,
}
