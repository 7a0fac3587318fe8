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

# How the trigger editor asks for each leaf: its label and its input. The input also fixes the
# unit: `seconds` (entered in seconds or minutes), `amount` (the channel's currency), `count`.
# A leaf is offered only once the engine knows it (conditions.LEAF_KINDS); the id-list inputs
# pick names from the app's catalogue and store Saleor ids.
LEAF_INPUTS: dict[str, tuple[str, str]] = {
    "pageType": ("Page type", "pageTypes"),
    "url": ("Page address (URL)", "urlPattern"),
    "timeOnPage": ("Time on this page", "seconds"),
    "timeOnSite": ("Time on the site (this visit)", "seconds"),
    "pagesViewed": ("Pages viewed (this visit)", "count"),
    "productsViewed": ("Products viewed (this visit)", "count"),
    "categoriesViewed": ("Categories viewed (this visit)", "count"),
    "maxViewedProductPrice": ("Most expensive product viewed", "amount"),
    "cartValue": ("Cart value", "amount"),
    "cartItems": ("Items in the cart", "count"),
    "remainingToFreeShipping": ("Left to spend for free shipping", "amount"),
    "visitCount": ("Visits so far (this one included)", "count"),
    "returning": ("Returning visitor", "bool"),
    "exitIntent": ("About to leave the page", "bool"),
    "device": ("Device", "devices"),
    "locale": ("Visitor's language", "locales"),
    "country": ("Visitor's country", "countries"),
    "channel": ("Channel", "channels"),
    "category": ("Category of this page", CATEGORY_IDS),
    "viewedCategory": ("Viewed a product in category", CATEGORY_IDS),
    "viewedProduct": ("Viewed product", PRODUCT_IDS),
    "cartContains": ("Cart contains product", PRODUCT_IDS),
}
