"""HTTP routes of the analytics area (thin: parse, call the domain code, map the result).

`GET /api/reports/stats.csv?from=&to=` and `GET /api/reports/chart.svg?from=&to=[&trigger=]`
take the same headers as the merchant API (the Dashboard token and `Saleor-Api-Url`);
`GET /api/reports/stats.csv?link=` takes a signed report link instead (see `report_links`).
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, request

from ..dashboard.auth import authenticate
from ..dashboard.merchant import MerchantContext
from ..errors import ApiError
from ..http import app_settings
from ..store.db import db_session
from ..store.triggers import list_triggers
from .report import chart_svg, stats_csv
from .report_links import InvalidReportLink, read_report_link
from .stats import DateRangeError, daily_series, parse_date_range, trigger_stats

blueprint = Blueprint("analytics", __name__)

NO_STORE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


def _caller_and_range() -> tuple[MerchantContext, date, date]:
    merchant = authenticate(db_session(), request.headers)
    try:
        first, last = parse_date_range(request.args.get("from"), request.args.get("to"))
    except DateRangeError as error:
        raise ApiError(400, "invalid_date_range", error.message, error.field) from None
    return merchant, first, last


def _linked_report(token: str) -> tuple[int, date, date]:
    try:
        link = read_report_link(app_settings().require_secret_key(), token)
    except InvalidReportLink as error:
        raise ApiError(401, "invalid_report_link", str(error), "link") from None
    return link.installation_id, link.first, link.last


@blueprint.get("/api/reports/stats.csv")
def stats_csv_report() -> Response:
    token = request.args.get("link")
    if token:
        installation_id, first, last = _linked_report(token)
    else:
        merchant, first, last = _caller_and_range()
        installation_id = merchant.installation_id
    session = db_session()
    stats = trigger_stats(session, installation_id, first, last)
    names = {t.id: t.name for t in list_triggers(session, installation_id)}
    session.commit()  # keeps the exposures the live part caught up on (see rollup)
    filename = f"proactive-stats-{first.isoformat()}-{last.isoformat()}.csv"
    return Response(
        stats_csv(stats, names, first, last),
        mimetype="text/csv",
        headers={**NO_STORE, "Content-Disposition": f'attachment; filename="{filename}"'},
    )


@blueprint.get("/api/reports/chart.svg")
def chart_svg_report() -> Response:
    merchant, first, last = _caller_and_range()
    trigger_id = request.args.get("trigger") or None
    session = db_session()
    points = daily_series(session, merchant.installation_id, first, last, trigger_id)
    session.commit()  # keeps the exposures the live part caught up on (see rollup)
    return Response(chart_svg(points), mimetype="image/svg+xml", headers=NO_STORE)
