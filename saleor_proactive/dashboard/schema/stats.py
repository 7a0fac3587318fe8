"""`stats(from, to)`: per-trigger results against the hold-out group, computed by analytics."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Annotated, Any

import strawberry

from ...analytics.report_links import ReportLink, sign_report_link
from ...analytics.stats import DateRangeError, check_date_range, daily_series, trigger_stats
from ...analytics.uplift import Verdict
from ...offers.redemptions import discounts_given
from .common import InputProblem, MoneyAmount, context_of


@strawberry.type
class GroupStats:
    visitors: int
    converters: int
    conversion_rate: float | None
    impressions: int
    clicks: int
    dismissals: int
    conversions: int
    revenue: list[MoneyAmount]
    chats: int = strawberry.field(
        description="Built-in chat conversations started from the prompt (exposed group only)."
    )
    chat_orders: int = strawberry.field(
        description="Of `conversions`, orders whose visitor chatted from the prompt first."
    )


@strawberry.type(description="Exposed minus control conversion rate, with its 95 % interval.")
class Uplift:
    absolute: float
    low: float
    high: float
    relative: float | None
    incremental_conversions: float


# Registers the domain's enum with strawberry under the name the API shows.
strawberry.enum(
    Verdict,
    name="Verdict",
    description="LIKELY_HELPS / LIKELY_HURTS: the whole 95 % interval lies above / below 0.",
)


@strawberry.type
class TriggerStats:
    trigger_id: str
    exposed: GroupStats
    control: GroupStats
    uplift: Uplift | None
    enough_data: bool
    verdict: Verdict
    more_visitors_needed: int | None = strawberry.field(
        description="About how many more visitors, both groups together, a verdict may take."
    )
    incremental_revenue: list[MoneyAmount]
    discount_given: list[MoneyAmount] = strawberry.field(
        default_factory=list,
        description="Offers: what their codes took off the orders credited to them (the cost).",
    )

    @strawberry.field(description="Impressions of the exposed group (shortcut for lists).")
    def impressions(self) -> int:
        return self.exposed.impressions

    @strawberry.field(description="Clicks of the exposed group (shortcut for lists).")
    def clicks(self) -> int:
        return self.exposed.clicks

    @strawberry.field(description="Dismissals of the exposed group (shortcut for lists).")
    def dismissals(self) -> int:
        return self.exposed.dismissals

    @strawberry.field(description="Conversions of the exposed group (shortcut for lists).")
    def conversions(self) -> int:
        return self.exposed.conversions

    @strawberry.field(description="Revenue of the exposed group (shortcut for lists).")
    def revenue(self) -> list[MoneyAmount]:
        return self.exposed.revenue

    @strawberry.field(description="Chats started from the prompt (shortcut for lists).")
    def chats(self) -> int:
        return self.exposed.chats

    @strawberry.field(description="Orders after a chat from the prompt (shortcut for lists).")
    def chat_orders(self) -> int:
        return self.exposed.chat_orders


def _money(items: list[dict[str, Any]]) -> list[MoneyAmount]:
    return [MoneyAmount(amount=float(m["amount"]), currency=str(m["currency"])) for m in items]


def _group(data: dict[str, Any]) -> GroupStats:
    return GroupStats(
        visitors=data["visitors"],
        converters=data["converters"],
        conversion_rate=data["conversionRate"],
        impressions=data["impressions"],
        clicks=data["clicks"],
        dismissals=data["dismissals"],
        conversions=data["conversions"],
        revenue=_money(data["revenue"]),
        chats=data["chats"],
        chat_orders=data["chatOrders"],
    )


def _stats(data: dict[str, Any]) -> TriggerStats:
    uplift = data["uplift"]
    return TriggerStats(
        trigger_id=data["triggerId"],
        exposed=_group(data["exposed"]),
        control=_group(data["control"]),
        uplift=Uplift(
            absolute=uplift["absolute"],
            low=uplift["low"],
            high=uplift["high"],
            relative=uplift["relative"],
            incremental_conversions=uplift["incrementalConversions"],
        )
        if uplift
        else None,
        enough_data=data["enoughData"],
        verdict=Verdict(data["verdict"]),
        more_visitors_needed=data["moreVisitorsNeeded"],
        incremental_revenue=_money(data["incrementalRevenue"]),
    )


@strawberry.type(description="One UTC day of prompts: what visitors saw and what it earned.")
class DayStats:
    day: date
    impressions: int
    clicks: int
    dismissals: int
    held_out: int = strawberry.field(description="Control visitors' would-be impressions.")
    conversions: int


@contextmanager
def _range_refused() -> Iterator[None]:
    """A date range the reports cannot serve becomes the API's input problem."""
    try:
        yield
    except DateRangeError as error:
        raise InputProblem(error.message) from None


@strawberry.type
class StatsQuery:
    @strawberry.field(description="Per trigger over UTC days `from`..`to`, both inclusive.")
    def stats(
        self,
        info: strawberry.Info,
        from_: Annotated[date, strawberry.argument(name="from")],
        to: date,
    ) -> list[TriggerStats]:
        ctx = context_of(info)
        with _range_refused():
            results = trigger_stats(ctx.session, ctx.installation_id, from_, to)
        given = discounts_given(ctx.session, ctx.installation_id, from_, to)
        rows = [_stats(result.as_json()) for result in results]
        for row in rows:
            row.discount_given = [
                MoneyAmount(amount=float(amount), currency=currency)
                for (trigger_id, currency), amount in sorted(given.items())
                if trigger_id == row.trigger_id
            ]
        return rows

    @strawberry.field(description="One point per UTC day `from`..`to`, all triggers or one.")
    def daily_stats(
        self,
        info: strawberry.Info,
        from_: Annotated[date, strawberry.argument(name="from")],
        to: date,
        trigger_id: str | None = None,
    ) -> list[DayStats]:
        ctx = context_of(info)
        with _range_refused():
            points = daily_series(ctx.session, ctx.installation_id, from_, to, trigger_id)
        return [
            DayStats(
                day=point.day,
                impressions=point.impressions,
                clicks=point.clicks,
                dismissals=point.dismissals,
                held_out=point.control_exposures,
                conversions=point.conversions,
            )
            for point in points
        ]

    @strawberry.field(
        description="A link to this range's CSV that works without the Dashboard token for a "
        "few minutes: the Dashboard opens it in a new tab, where the app's frame cannot "
        "download files."
    )
    def stats_csv_link(
        self,
        info: strawberry.Info,
        from_: Annotated[date, strawberry.argument(name="from")],
        to: date,
    ) -> str:
        ctx = context_of(info)
        with _range_refused():
            check_date_range(from_, to)
        token = sign_report_link(ctx.secret_key, ReportLink(ctx.installation_id, from_, to))
        return f"{ctx.base_url}/api/reports/stats.csv?link={token}"
