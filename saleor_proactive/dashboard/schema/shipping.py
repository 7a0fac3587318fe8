"""`freeShippingThresholds`: per channel, what Saleor's shipping methods say and any override."""

from __future__ import annotations

import strawberry

from ...store.thresholds import (
    ChannelThreshold,
    CountryThreshold,
    list_free_shipping_thresholds,
)
from ...triggers.context import Money
from .common import MoneyAmount, context_of


def _money(value: Money | None) -> MoneyAmount | None:
    return MoneyAmount(amount=float(value.amount), currency=value.currency) if value else None


@strawberry.type(
    description="A shipping country of a channel: Saleor's threshold and the one applied."
)
class CountryFreeShipping:
    country: str
    from_saleor: MoneyAmount | None
    effective: MoneyAmount | None

    @classmethod
    def of(cls, row: CountryThreshold) -> CountryFreeShipping:
        return cls(
            country=row.country,
            from_saleor=_money(row.from_saleor),
            effective=_money(row.effective),
        )


@strawberry.type(description="A channel's free-shipping threshold (for its default country).")
class FreeShippingThreshold:
    channel: str
    channel_name: str
    currency: str
    country: str | None
    from_saleor: MoneyAmount | None
    override: MoneyAmount | None
    disabled: bool
    effective: MoneyAmount | None
    countries: list[CountryFreeShipping] = strawberry.field(
        description="Every country the channel's shipping zones serve, the default one first."
    )

    @classmethod
    def of(cls, row: ChannelThreshold) -> FreeShippingThreshold:
        return cls(
            channel=row.channel_slug,
            channel_name=row.channel_name,
            currency=row.currency,
            country=row.country,
            from_saleor=_money(row.from_saleor),
            override=_money(row.override),
            disabled=row.disabled,
            effective=_money(row.effective),
            countries=[CountryFreeShipping.of(country) for country in row.countries],
        )


@strawberry.type
class ShippingQuery:
    @strawberry.field
    def free_shipping_thresholds(self, info: strawberry.Info) -> list[FreeShippingThreshold]:
        ctx = context_of(info)
        rows = list_free_shipping_thresholds(ctx.session, ctx.installation())
        return [FreeShippingThreshold.of(row) for row in rows]
