"""The app page and its assets, and the API with the sandbox Saleor's own tokens."""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime
from pathlib import Path

import requests
from flask.testing import FlaskClient

from tests.fixtures.sandbox import Installed


def test_the_app_page_is_served_with_a_strict_content_security_policy(client: FlaskClient):
    # when
    response = client.get("/app?saleorApiUrl=https://shop.example.com/graphql/&theme=dark")

    # then
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    html = response.get_data(as_text=True)
    assert "<script>" not in html and not re.search(r"\son[a-z]+=", html)
    assert 'id="waiting"' in html


def test_every_asset_the_page_names_is_served(client: FlaskClient):
    # given
    html = client.get("/app").get_data(as_text=True)
    assets = re.findall(r'(?:src|href)="(/app/static/[^"]+)"', html)

    # when
    responses = {path: client.get(path) for path in assets}

    # then
    assert len(assets) >= 5
    for path, response in responses.items():
        assert response.status_code == 200, path
        assert len(response.data) > 100, path


def test_the_graphql_route_takes_only_post(client: FlaskClient):
    # when
    response = client.get("/api/graphql")

    # then
    assert response.status_code == 405
    assert response.json["error"]["code"] == "method_not_allowed"


def test_a_token_from_the_sandbox_dashboard_opens_the_api(installed: Installed):
    # given
    token = installed.saleor.sign_dashboard_token(installed.app_id)
    headers = {"Authorization-Bearer": token, "Saleor-Api-Url": installed.api_url}

    # when
    response = requests.post(
        f"{installed.app_url}/api/graphql",
        json={"query": "{ triggers { totalCount items { name } } installation { snippet } }"},
        headers=headers,
        timeout=10,
    )

    # then
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["triggers"]["totalCount"] >= 1  # the defaults seeded on registration
    assert f'data-saleor-api-url="{installed.api_url}"' in data["installation"]["snippet"]
    assert f'src="{installed.app_url}/storefront/v1/snippet.js"' in data["installation"]["snippet"]


def test_a_sandbox_token_for_another_app_is_refused(installed: Installed):
    # given
    token = installed.saleor.sign_dashboard_token(installed.app_id, app="QXBwOjQwNA==")

    # when
    response = requests.post(
        f"{installed.app_url}/api/graphql",
        json={"query": "{ triggers { totalCount } }"},
        headers={"Authorization-Bearer": token, "Saleor-Api-Url": installed.api_url},
        timeout=10,
    )

    # then
    assert response.status_code == 401
    assert response.json()["error"] == {
        "code": "invalid_token",
        "message": "The token was issued to another app.",
    }


_CREATE_TRIGGER = """mutation($input: TriggerInput!) {
  createTrigger(input: $input) { trigger { FIELDS } errors { message } } }"""


def _merchant_headers(installed: Installed) -> dict[str, str]:
    """The headers of a merchant API call from the Dashboard, token signed by the sandbox."""
    token = installed.saleor.sign_dashboard_token(installed.app_id)
    return {"Authorization-Bearer": token, "Saleor-Api-Url": installed.api_url}


def _events(
    installed: Installed, visitor: str, events: list[dict[str, object]]
) -> dict[str, object]:
    body = {
        "saleorApiUrl": installed.api_url,
        "channel": "default-channel",
        "visitorId": visitor,
        "sessionId": "s_" + visitor,
        "locale": "en",
        "events": events,
    }
    response = requests.post(f"{installed.app_url}/storefront/v1/events", json=body, timeout=10)
    assert response.status_code == 200, response.text
    result: dict[str, object] = response.json()
    return result


def test_stats_count_what_visitors_were_shown_and_clicked(installed: Installed):
    # given: a trigger made through the merchant API, shown to one visitor who clicked it
    headers = _merchant_headers(installed)
    create = _CREATE_TRIGGER.replace("FIELDS", "id")
    document = {
        "name": "FAQ help",
        "priority": 999,
        "holdoutPercent": 0,
        "when": {"pageType": {"in": ["faq"]}},
        "show": {"type": "chat_prompt", "message": {"en": "Ask us"}},
    }
    created = requests.post(
        f"{installed.app_url}/api/graphql",
        json={"query": create, "variables": {"input": {"document": document}}},
        headers=headers,
        timeout=10,
    ).json()["data"]["createTrigger"]["trigger"]
    now = int(time.time() * 1000)
    page_view = {"type": "page_view", "url": "https://shop.test/faq", "pageType": "faq", "ts": now}
    actions = _events(installed, "v_stats1", [page_view])["actions"]
    assert isinstance(actions, list)
    action_id = next(a["id"] for a in actions if a["triggerId"] == created["id"])
    _events(
        installed,
        "v_stats1",
        [
            {"type": "action_shown", "actionId": action_id, "ts": now + 1000},
            {"type": "action_clicked", "actionId": action_id, "ts": now + 2000},
        ],
    )

    # when
    today = datetime.now(UTC).date().isoformat()
    response = requests.post(
        f"{installed.app_url}/api/graphql",
        json={
            "query": "query($d: Date!) { stats(from: $d, to: $d) { triggerId impressions clicks "
            "control { impressions } } }",
            "variables": {"d": today},
        },
        headers=headers,
        timeout=10,
    )

    # then
    assert response.status_code == 200, response.text
    stats = {row["triggerId"]: row for row in response.json()["data"]["stats"]}
    assert stats[created["id"]]["impressions"] == 1
    assert stats[created["id"]]["clicks"] == 1
    assert stats[created["id"]]["control"]["impressions"] == 0


def test_a_trigger_comes_back_over_http_with_its_languages_in_the_merchants_order(
    installed: Installed,
):
    # given a message whose first entry, French, is the fallback for other languages
    headers = _merchant_headers(installed)
    create = _CREATE_TRIGGER.replace("FIELDS", "document")
    document = {
        "name": "Aide",
        "when": {"pageType": {"in": ["faq"]}},
        "show": {"type": "chat_prompt", "message": {"fr": "Bonjour", "de": "Hallo"}},
    }

    # when
    response = requests.post(
        f"{installed.app_url}/api/graphql",
        json={"query": create, "variables": {"input": {"document": document}}},
        headers=headers,
        timeout=10,
    )

    # then the JSON text keeps French first, so an editor saving it back keeps the fallback
    message = json.loads(response.text)["data"]["createTrigger"]["trigger"]["document"]["show"][
        "message"
    ]
    assert list(message) == ["fr", "de"]


def test_the_page_embeds_the_apps_own_vocabulary_for_its_forms(client: FlaskClient):
    # given
    from saleor_proactive.dashboard.vocabulary import CHAT_PROVIDERS, DEVICES, PAGE_TYPES

    html = client.get("/app").get_data(as_text=True)
    # when
    embedded = re.search(r'<script type="application/json" id="vocabulary">(.*?)</script>', html)
    # then
    assert embedded is not None
    vocabulary = json.loads(embedded.group(1))
    assert vocabulary["pageTypes"] == list(PAGE_TYPES)
    assert vocabulary["devices"] == list(DEVICES)
    assert vocabulary["chatProviders"] == list(CHAT_PROVIDERS)


def test_the_page_scripts_are_modules_without_globals_or_copied_lists(client: FlaskClient):
    # given
    html = client.get("/app").get_data(as_text=True)
    static = Path(__file__).resolve().parents[2] / "saleor_proactive" / "dashboard" / "static"
    sources = {path.name: path.read_text() for path in static.glob("*.js")}
    # then: one module entry point, the rest imported; no list of names typed in by hand
    assert re.findall(r"<script [^>]*src=", html) == ['<script type="module" src=']
    for name, source in sources.items():
        assert "window.Proactive" not in source, name
        assert '"chatwoot"' not in source and '"checkout", "contact"' not in source, name
        assert '"tablet"' not in source and '"bottom-left"' not in source, name
    assert 'from "./vocabulary.js"' in sources["panels.js"]
