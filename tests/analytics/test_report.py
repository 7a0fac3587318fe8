"""The SVG chart and the CSV export as a merchant would open them."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from decimal import Decimal

from saleor_proactive.analytics.report import chart_svg, stats_csv
from saleor_proactive.analytics.stats import DayPoint, GroupStats, TriggerStats
from saleor_proactive.analytics.uplift import assess, enough_data, uplift
from saleor_proactive.triggers.context import Money

SVG = "{http://www.w3.org/2000/svg}"
START = date(2026, 11, 1)


def _text(root: ET.Element, tag: str) -> str:
    element = root.find(f"{SVG}{tag}")
    assert element is not None and element.text is not None
    return element.text


def test_chart_is_an_accessible_svg_with_the_totals_in_its_description() -> None:
    # given three days, one of them without traffic
    points = [
        DayPoint(START, impressions=120, clicks=9, conversions=2),
        DayPoint(START + timedelta(days=1)),
        DayPoint(START + timedelta(days=2), impressions=80, clicks=4, conversions=1),
    ]

    # when
    root = ET.fromstring(chart_svg(points, title="Prompts <all>"))

    # then it parses as SVG, is labelled, and says what the picture shows
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert _text(root, "title") == "Prompts <all>"
    description = _text(root, "desc")
    assert "200 impressions, 13 clicks, 3 attributed conversions" in description
    assert "2026-11-01" in description and "2026-11-03" in description
    assert len(root.findall(f"{SVG}polyline")) == 2  # impressions and clicks
    assert len(root.findall(f"{SVG}rect[@fill-opacity]")) == 2  # conversion bars on 2 days


def test_chart_of_an_empty_range_still_renders() -> None:
    root = ET.fromstring(chart_svg([DayPoint(START)]))

    assert "0 impressions" in _text(root, "desc")


def _stats(trigger_id: str) -> TriggerStats:
    exposed = GroupStats(
        visitors=1000, converters=40, impressions=1500, clicks=90, dismissals=30, conversions=38,
        revenue=(Money(Decimal("1900.00"), "EUR"), Money(Decimal("310.00"), "USD")),
    )  # fmt: skip
    control = GroupStats(
        visitors=250, converters=7, impressions=260, conversions=7,
        revenue=(Money(Decimal("350.00"), "EUR"),),
    )  # fmt: skip
    return TriggerStats(
        trigger_id=trigger_id,
        exposed=exposed,
        control=control,
        uplift=uplift(40, 1000, 7, 250),
        enough_data=enough_data(40, 1000, 7, 250),
        assessment=assess(40, 1000, 7, 250),
    )


def test_csv_has_a_row_per_group_and_a_revenue_column_per_currency() -> None:
    # when
    text = stats_csv([_stats("trg_1")], {"trg_1": '=HYPERLINK("x")'}, START, START)
    rows = list(csv.DictReader(io.StringIO(text)))

    # then
    assert [row["group"] for row in rows] == ["exposed", "control"]
    exposed, control = rows
    assert (exposed["revenue_EUR"], exposed["revenue_USD"]) == ("1900.00", "310.00")
    assert (control["revenue_EUR"], control["revenue_USD"]) == ("350.00", "0")
    assert exposed["visitors"] == "1000" and exposed["conversion_rate"] == "0.040000"
    assert exposed["enough_data"] == "true"
    # the control group saw nothing: its would-be impressions are held out, not impressions
    assert (exposed["impressions"], exposed["held_out"]) == ("1500", "0")
    assert (control["impressions"], control["held_out"]) == ("0", "260")
    assert float(exposed["uplift_low"]) < float(exposed["uplift"]) < float(exposed["uplift_high"])
    # a trigger name cannot smuggle a spreadsheet formula
    assert exposed["trigger_name"].startswith("'=")
