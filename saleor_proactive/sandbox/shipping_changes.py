"""Shipping helpers of `SandboxSaleor`: zones and methods, each firing its SHIPPING_* event."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from . import payloads
from .ids import from_global_id, to_global_id
from .state import MethodListing, ShippingMethod, ShippingZone
from .store_changes import Amount, Changes

SHIPPING_LISTING_FIELDS = ("price", "minimum_order_price", "maximum_order_price")


def _amount(value: Amount | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


class ShippingChanges(Changes):
    def _zone(self, zone_id: str) -> ShippingZone:
        pk = from_global_id(zone_id, "ShippingZone")
        zone = self.shop.zones.get(int(pk)) if pk and pk.isdigit() else None
        if zone is None:
            raise LookupError(f"no shipping zone {zone_id}")
        return zone

    def _method(self, method_id: str) -> tuple[ShippingZone, ShippingMethod]:
        pk = from_global_id(method_id, "ShippingMethodType")
        found = self.shop.method(int(pk)) if pk and pk.isdigit() else None
        if found is None:
            raise LookupError(f"no shipping method {method_id}")
        return found

    def _zone_event(self, event: str, zone: ShippingZone) -> None:
        self._emit(event, {"shippingZone": payloads.shipping_zone_payload(self.shop, zone, None)})

    def _price_event(self, event: str, zone: ShippingZone, method: ShippingMethod) -> None:
        fields = {
            "shippingMethod": payloads.shipping_method_payload(self.shop, method, None),
            "shippingZone": payloads.shipping_zone_payload(self.shop, zone, None),
        }
        self._emit(event, fields)

    def create_shipping_zone(
        self, name: str, countries: Iterable[str], channels: Iterable[str]
    ) -> str:
        """A zone without methods (SHIPPING_ZONE_CREATED); returns its ID."""
        with self.lock:
            pk = self.shop.new_pk()
            zone = ShippingZone(pk, name, list(countries), list(channels), [])
            self.shop.zones[pk] = zone
        self._zone_event("SHIPPING_ZONE_CREATED", zone)
        return to_global_id("ShippingZone", pk)

    def update_shipping_zone(
        self,
        zone_id: str,
        countries: Iterable[str] | None = None,
        channels: Iterable[str] | None = None,
    ) -> str:
        """Replace a zone's countries and/or channels (SHIPPING_ZONE_UPDATED)."""
        with self.lock:
            zone = self._zone(zone_id)
            if countries is not None:
                zone.countries = list(countries)
            if channels is not None:
                zone.channel_slugs = list(channels)
        self._zone_event("SHIPPING_ZONE_UPDATED", zone)
        return zone_id

    def delete_shipping_zone(self, zone_id: str) -> str:
        with self.lock:
            zone = self._zone(zone_id)
            del self.shop.zones[zone.pk]
        self._zone_event("SHIPPING_ZONE_DELETED", zone)
        return zone_id

    def create_shipping_method(
        self,
        zone_id: str,
        name: str,
        channel: str,
        price: Amount,
        minimum_order_price: Amount | None = None,
    ) -> str:
        """A PRICE method listed in one channel (SHIPPING_PRICE_CREATED); returns its ID."""
        with self.lock:
            zone = self._zone(zone_id)
            listing = MethodListing(Decimal(str(price)), _amount(minimum_order_price))
            method = ShippingMethod(self.shop.new_pk(), name, "PRICE", {channel: listing})
            zone.methods.append(method)
        self._price_event("SHIPPING_PRICE_CREATED", zone, method)
        return to_global_id("ShippingMethodType", method.pk)

    def update_shipping_method(self, method_id: str, channel: str, **changes: Amount | None) -> str:
        """Change a method's listing in `channel`: price, minimum_order_price,
        maximum_order_price (SHIPPING_PRICE_UPDATED). None clears a minimum/maximum."""
        unknown = set(changes) - set(SHIPPING_LISTING_FIELDS)
        if unknown:
            raise TypeError(f"unknown shipping listing fields: {sorted(unknown)}")
        with self.lock:
            zone, method = self._method(method_id)
            listing = method.listings.setdefault(channel, MethodListing(Decimal(0)))
            for field, value in changes.items():
                amount = _amount(value)
                if field == "price" and amount is None:
                    amount = Decimal(0)
                setattr(listing, field, amount)
        self._price_event("SHIPPING_PRICE_UPDATED", zone, method)
        return method_id

    def delete_shipping_method(self, method_id: str) -> str:
        with self.lock:
            zone, method = self._method(method_id)
            zone.methods.remove(method)
        self._price_event("SHIPPING_PRICE_DELETED", zone, method)
        return method_id
