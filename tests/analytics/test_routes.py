"""The report endpoints as the app page calls them: Dashboard token, dates, CSV and SVG."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy import func, select

from saleor_proactive.app import create_app
from saleor_proactive.config import Settings
from saleor_proactive.jobs.tasks import Jobs, start_background_consumer, stop_background_consumer
from saleor_proactive.store.db import Database, get_database
from saleor_proactive.store.models import Installation, Interaction, utcnow
from tests.fixtures.analytics import ShopHistory
from tests.fixtures.dashboard import MerchantInstallation
from tests.waiting import wait_until


def _traffic(database: Database, installation_id: int, days_ago: int = 0) -> None:
    at = utcnow() - timedelta(days=days_ago)
    with database.session() as session:
        installation = session.get(Installation, installation_id)
        assert installation is not None
        history = ShopHistory(session, installation)
        for visitor in ("a", "b"):
            history.interact(visitor, "trg_help", "impression", at)
        history.interact("a", "trg_help", "click", at)
        history.interact("c", "trg_help", "control", at)


def _range() -> str:
    today = utcnow().date()
    return f"from={(today - timedelta(days=6)).isoformat()}&to={today.isoformat()}"


def test_csv_export_lists_the_merchants_triggers(
    client: FlaskClient, database: Database, merchant: MerchantInstallation
) -> None:
    # given
    _traffic(database, merchant.id)

    # when
    response = client.get(f"/api/reports/stats.csv?{_range()}", headers=merchant.headers())

    # then
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(row["trigger_id"], row["group"]) for row in rows] == [
        ("trg_help", "exposed"),
        ("trg_help", "control"),
    ]
    assert (rows[0]["impressions"], rows[0]["clicks"]) == ("2", "1")
    # the control visitor saw nothing: counted as held out, never as an impression
    assert (rows[1]["impressions"], rows[1]["held_out"]) == ("0", "1")


def test_chart_is_served_as_svg(
    client: FlaskClient, database: Database, merchant: MerchantInstallation
) -> None:
    # given
    _traffic(database, merchant.id)

    # when
    response = client.get(f"/api/reports/chart.svg?{_range()}", headers=merchant.headers())

    # then
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    root = ET.fromstring(response.get_data(as_text=True))
    description = root.find("{http://www.w3.org/2000/svg}desc")
    assert description is not None and "2 impressions, 1 clicks" in (description.text or "")


def test_reports_need_a_valid_dashboard_token(
    client: FlaskClient, database: Database, merchant: MerchantInstallation
) -> None:
    # given
    _traffic(database, merchant.id)
    forged = {**merchant.headers(), "Authorization-Bearer": "not-a-jwt"}

    # when
    missing = client.get(f"/api/reports/stats.csv?{_range()}")
    refused = client.get(f"/api/reports/chart.svg?{_range()}", headers=forged)

    # then
    assert missing.status_code == 401
    assert missing.get_json()["error"]["code"] == "missing_token"
    assert refused.status_code == 401
    assert "trg_help" not in refused.get_data(as_text=True)


def test_another_installation_sees_none_of_these_figures(
    client: FlaskClient,
    database: Database,
    merchant: MerchantInstallation,
    other_merchant: MerchantInstallation,
) -> None:
    # given
    _traffic(database, merchant.id)

    # when
    response = client.get(f"/api/reports/stats.csv?{_range()}", headers=other_merchant.headers())

    # then
    assert response.status_code == 200
    assert "trg_help" not in response.get_data(as_text=True)


def test_bad_dates_get_a_400_naming_the_parameter(
    client: FlaskClient, merchant: MerchantInstallation
) -> None:
    # when
    reversed_range = client.get(
        "/api/reports/stats.csv?from=2026-11-10&to=2026-11-01", headers=merchant.headers()
    )
    not_a_date = client.get(
        "/api/reports/chart.svg?from=yesterday&to=2026-11-01", headers=merchant.headers()
    )

    # then
    assert reversed_range.status_code == 400
    assert reversed_range.get_json()["error"] == {
        "code": "invalid_date_range",
        "message": "`to` must not be before `from`.",
        "field": "to",
    }
    assert not_a_date.status_code == 400
    assert not_a_date.get_json()["error"]["field"] == "from"


def test_the_queue_worker_purges_expired_data_in_the_background(
    jobs: Jobs, database: Database, merchant: MerchantInstallation
) -> None:
    # given visitor data older than the 90-day retention, and a running queue worker
    _traffic(database, merchant.id, days_ago=100)
    consumer = start_background_consumer(jobs)

    # when the hourly task comes due (enqueued as its schedule would)
    try:
        jobs.task("maintenance")()
        purged = wait_until(lambda: _interactions(database) == 0)
    finally:
        stop_background_consumer(consumer)  # lets a run in progress finish

    # then it ran in the worker and purged the raw interactions
    assert purged


def test_requests_run_no_background_work(
    settings: Settings, database: Database, merchant: MerchantInstallation
) -> None:
    # given visitor data past its retention, and an app no worker serves
    _traffic(database, merchant.id, days_ago=100)
    app = create_app(settings)

    # when requests arrive
    responses = [app.test_client().get("/healthz") for _ in range(3)]

    # then nothing ran before them
    assert [r.status_code for r in responses] == [200, 200, 200]
    assert not any(app.before_request_funcs.values())
    assert _interactions(database) == 4
    get_database(app).engine.dispose()


def _interactions(database: Database) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(Interaction)) or 0
