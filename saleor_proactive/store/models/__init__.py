"""All tables. Each area owns one module; importing this package registers them all.

Every table except `installations` carries `installation_id` with ON DELETE CASCADE, so
uninstalling (APP_DELETED) removes a tenant's rows in one statement.
"""

from .base import Base, Money, UTCDateTime, utcnow
from .installation import Installation
from .snapshots import (
    Channel,
    CheckoutSnapshot,
    OrderSnapshot,
    ProductPrice,
    ProductSnapshot,
    ShippingMethod,
    ShippingMethodListing,
    ShippingZone,
)

__all__ = [
    "Base",
    "Channel",
    "CheckoutSnapshot",
    "Installation",
    "Money",
    "OrderSnapshot",
    "ProductPrice",
    "ProductSnapshot",
    "ShippingMethod",
    "ShippingMethodListing",
    "ShippingZone",
    "UTCDateTime",
    "utcnow",
]
