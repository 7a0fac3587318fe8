"""All tables. Each area owns one module; importing this package registers them all.

Every table except `installations` carries `installation_id` with ON DELETE CASCADE, so
uninstalling (APP_DELETED) removes a tenant's rows in one statement.
"""

from .analytics import (
    AnalyticsRollup,
    Conversion,
    DailyTriggerRevenue,
    DailyTriggerStats,
    ExposureSyncMark,
    TriggerExposure,
)
from .base import Base, Money, UTCDateTime, utcnow
from .chat import ChatAgentPresence, ChatAnnouncement, ChatConversation, ChatMessage
from .installation import Installation
from .offers import OfferCode, OfferVoucher
from .reminders import AppSigningKey, ReminderDelivery, ReminderSuppression
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
from .triggers import Trigger, TriggerRevision
from .visitors import Interaction, Visitor, VisitorCheckout

__all__ = [
    "AnalyticsRollup",
    "AppSigningKey",
    "Base",
    "Channel",
    "ChatAgentPresence",
    "ChatAnnouncement",
    "ChatConversation",
    "ChatMessage",
    "CheckoutSnapshot",
    "Conversion",
    "DailyTriggerRevenue",
    "DailyTriggerStats",
    "ExposureSyncMark",
    "Installation",
    "Interaction",
    "Money",
    "OfferCode",
    "OfferVoucher",
    "OrderSnapshot",
    "ProductPrice",
    "ProductSnapshot",
    "ReminderDelivery",
    "ReminderSuppression",
    "ShippingMethod",
    "ShippingMethodListing",
    "ShippingZone",
    "Trigger",
    "TriggerExposure",
    "TriggerRevision",
    "UTCDateTime",
    "Visitor",
    "VisitorCheckout",
    "utcnow",
]
