"""The app page in headless Chromium, framed by a stand-in Dashboard on another origin.

Each test's browser steps run in the browser's own thread (`dashboard_browser.run`); what the
storefront API answers is checked from the test thread.
"""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.browser.support import axe_violations
from tests.fixtures.dashboard_browser import BrowserThread, DashboardHost, foreign_page
from tests.fixtures.sandbox import Installed

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


def open_app(page: Any, host: DashboardHost, installed: Installed, token: str, **kw: Any) -> Any:
    url = host.frame_app(
        "/dashboard", installed.app_url, installed.api_url, installed.app_id, token, **kw
    )
    page.goto(url)
    return page.frame_locator("#app")


def shoot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"dashboard-{name}.png"
    page.frame_locator("#app").locator("body").screenshot(path=str(path))
    return path


def storefront_actions(installed: Installed, page_type: str) -> list[dict[str, Any]]:
    return list(storefront_answer(installed, page_type)["actions"])


def storefront_answer(installed: Installed, page_type: str) -> dict[str, Any]:
    body = {
        "saleorApiUrl": installed.api_url,
        "channel": "default-channel",
        "visitorId": "v_" + uuid.uuid4().hex[:16],
        "sessionId": "s_" + uuid.uuid4().hex[:16],
        "locale": "en-GB",
        "device": "desktop",
        "events": [
            {
                "type": "page_view",
                "url": "https://shop.test/checkout",
                "pageType": page_type,
                "ts": 1763900000000,
            },
        ],
    }
    response = requests.post(f"{installed.app_url}/storefront/v1/events", json=body, timeout=10)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def test_a_merchant_creates_a_trigger_that_the_storefront_then_shows(
    dashboard_browser: BrowserThread, dashboard_host: DashboardHost, installed: Installed
):
    token = installed.saleor.sign_dashboard_token(installed.app_id)
    message = "Need a hand with checkout? <b>Ask</b>"

    def steps(page: Any) -> tuple[str, list[str]]:
        # given: the app page, framed by the Dashboard, got its token through the handshake
        app = open_app(page, dashboard_host, installed, token)
        app.locator("#trigger-rows tr").first.wait_for()
        shoot(page, "light")

        # when: the merchant writes a trigger in the editor
        app.locator("#new-trigger").click()
        editor = app.locator("#editor")
        editor.locator("[name=name]").fill("Browser help at checkout")
        editor.locator("[name=priority]").fill("900")
        editor.locator("#conditions label", has_text="Cart").locator("input").check()
        editor.locator("#messages [name=text]").first.fill(message)
        editor.locator("#messages [name=extra]").first.fill("Chat now")
        editor.locator("[name=holdoutPercent]").fill("0")
        shoot(page, "editor")
        editor.locator("button[type=submit]").click()

        # then: it is listed, and the simulator shows it to a visitor on the checkout page
        row = app.locator("#trigger-rows tr", has_text="Browser help at checkout")
        row.wait_for()
        trigger_id = row.get_attribute("data-trigger-id") or ""
        app.locator("#tab-simulator").click()
        app.locator("#simulator-form [name=pageType]").select_option("checkout")
        app.locator("#simulator-form button[type=submit]").click()
        shown = app.locator(f'#simulation [data-action-trigger="{trigger_id}"]')
        shown.wait_for()
        assert message in shown.inner_text()  # shown as text, not as markup
        return trigger_id, list(page.errors)

    trigger_id, errors = dashboard_browser.run(steps)

    # then: the storefront API now returns it to a visitor who matches
    assert trigger_id.startswith("trg_")
    actions = storefront_actions(installed, "checkout")
    bubble = [a for a in actions if a["slot"] == "bubble"]
    assert [a["triggerId"] for a in bubble] == [trigger_id]
    assert bubble[0]["message"] == message
    assert errors == []


def test_invalid_input_in_the_editor_is_named_before_saving(
    dashboard_browser: BrowserThread, dashboard_host: DashboardHost, installed: Installed
):
    token = installed.saleor.sign_dashboard_token(installed.app_id)

    def steps(page: Any) -> int:
        # given
        app = open_app(page, dashboard_host, installed, token)
        app.locator("#new-trigger").click()
        editor = app.locator("#editor")

        # when
        editor.locator("[name=name]").fill("Too much hold-out")
        editor.locator("#messages [name=text]").first.fill("Hello")
        editor.locator("[name=holdoutPercent]").fill("80")

        # then the error names the field by its visible label, before and after saving
        label = "Hold-out (% of visitors, 0\u201350)"  # the label as the page writes it
        editor.locator("#editor-errors li", has_text=label).wait_for()
        editor.locator("button[type=submit]").click()
        editor.locator("#editor-errors li", has_text=label).wait_for()
        editor.locator("[name=holdoutPercent][aria-invalid=true]").wait_for()
        return app.locator("#trigger-rows tr", has_text="Too much hold-out").count()

    assert dashboard_browser.run(steps) == 0


DASHBOARD_DARK = "rgb(38, 40, 54)"  # the Saleor Dashboard's own dark background


def looks(app: Any) -> dict[str, str]:
    return app.locator("html").evaluate(
        "h => ({theme: h.dataset.theme, lang: h.lang,"
        " background: getComputedStyle(document.body).backgroundColor,"
        " font: getComputedStyle(document.body).fontFamily,"
        " tab: document.getElementById('tab-triggers').textContent,"
        " chat: document.getElementById('tab-chat').textContent,"
        " sections: document.querySelector('[role=tablist]').getAttribute('aria-label'),"
        " inbox: document.querySelector('#panel-chat h2').textContent})"
    )


def test_theme_and_language_follow_the_dashboards_events(
    dashboard_browser: BrowserThread, dashboard_host: DashboardHost, installed: Installed
):
    token = installed.saleor.sign_dashboard_token(installed.app_id)

    def steps(page: Any) -> tuple[dict[str, str], dict[str, str], str]:
        # given: a light, English Dashboard
        app = open_app(page, dashboard_host, installed, token)
        app.locator("#trigger-rows tr").first.wait_for()
        before = looks(app)

        # when: the merchant switches the Dashboard to dark and to Spanish
        page.evaluate("sendToApp('theme', {theme: 'dark'})")
        page.evaluate("sendToApp('localeChanged', {locale: 'es'})")

        # then: the page follows, including text its code wrote (the list's buttons)
        app.locator("html[data-theme=dark][lang=es]").wait_for(state="attached")
        app.locator("#tab-triggers", has_text="Disparadores").wait_for()
        shoot(page, "dark")
        edit = app.locator("#trigger-rows tr").first.locator("button.link").first.inner_text()
        return before, looks(app), edit

    before, after, edit = dashboard_browser.run(steps)
    assert before["theme"] == "light" and before["lang"] == "en"
    assert before["background"] == "rgb(255, 255, 255)"
    assert before["tab"] == "Triggers" and before["sections"] == "Sections"
    assert "Inter" in before["font"]
    assert after["theme"] == "dark" and after["lang"] == "es"
    assert after["background"] == DASHBOARD_DARK
    assert after["tab"] == "Disparadores" and after["sections"] == "Secciones"
    assert after["inbox"] == "Conversaciones"
    assert edit == "Editar"


def test_a_dark_spanish_dashboard_is_followed_from_the_first_frame(
    dashboard_browser: BrowserThread, dashboard_host: DashboardHost, installed: Installed
):
    token = installed.saleor.sign_dashboard_token(installed.app_id)

    def steps(page: Any) -> dict[str, str]:
        # when: the Dashboard frames the app with theme=dark&locale=es-ES and sends no event
        app = open_app(page, dashboard_host, installed, token, theme="dark", locale="es-ES")
        app.locator("#trigger-rows tr").first.wait_for()
        return looks(app)

    seen = dashboard_browser.run(steps)
    assert seen["theme"] == "dark" and seen["background"] == DASHBOARD_DARK
    assert seen["lang"] == "es" and seen["tab"] == "Disparadores"


def test_an_unknown_language_falls_back_to_english(
    dashboard_browser: BrowserThread, dashboard_host: DashboardHost, installed: Installed
):
    token = installed.saleor.sign_dashboard_token(installed.app_id)

    def steps(page: Any) -> dict[str, str]:
        app = open_app(page, dashboard_host, installed, token, locale="es")
        app.locator("#tab-triggers", has_text="Disparadores").wait_for()
        # when: the Dashboard switches to a language the page has no catalogue for
        page.evaluate("sendToApp('localeChanged', {locale: 'ja'})")
        app.locator("html[lang=en]").wait_for(state="attached")
        return looks(app)

    seen = dashboard_browser.run(steps)
    assert seen["tab"] == "Triggers"


def test_a_handshake_from_a_foreign_origin_is_ignored(
    dashboard_browser: BrowserThread,
    dashboard_host: DashboardHost,
    foreign_host: DashboardHost,
    installed: Installed,
):
    # given: the Dashboard stays silent; a frame from another origin offers a valid token
    token = installed.saleor.sign_dashboard_token(installed.app_id)
    foreign_host.pages["/evil"] = foreign_page(token)
    extra = f'<iframe id="evil" src="{foreign_host.url}/evil"></iframe>'

    def steps(page: Any) -> tuple[bool, bool, list[str], list[Any]]:
        calls: list[str] = []
        page.on("request", lambda r: calls.append(r.url) if "/api/graphql" in r.url else None)

        # when: the app has started listening (it asked the Dashboard for a token) and then
        # received the foreign frame's handshake three times
        app = open_app(page, dashboard_host, installed, token, answer=False, extra=extra)
        page.wait_for_function("window.appMessages.length > 0")
        app_frame = next(frame for frame in page.frames if "/app?" in frame.url)
        app_frame.evaluate(
            "window.foreignHandshakes = 0; window.addEventListener('message', (event) =>"
            " { if (event.data && event.data.type === 'handshake') window.foreignHandshakes++; })"
        )
        app_frame.wait_for_function("() => window.foreignHandshakes >= 3")

        # then
        return (
            app.locator("#waiting").is_visible(),
            app.locator("#main").is_hidden(),
            calls,
            page.evaluate("window.appMessages"),
        )

    waiting, main_hidden, calls, messages = dashboard_browser.run(steps)
    assert waiting and main_hidden
    assert calls == []
    assert messages and messages[0]["type"] == "notifyReady"


def test_settings_free_shipping_and_the_snippet_from_the_keyboard(
    dashboard_browser: BrowserThread, dashboard_host: DashboardHost, installed: Installed
):
    token = installed.saleor.sign_dashboard_token(installed.app_id)

    def steps(page: Any) -> dict[str, str]:
        # given
        app = open_app(page, dashboard_host, installed, token)
        app.locator("#trigger-rows tr").first.wait_for()
        seen: dict[str, str] = {}

        # when: the merchant moves through the tabs with the arrow keys and changes settings
        app.locator("#tab-triggers").focus()
        page.keyboard.press("ArrowRight")  # Results
        page.keyboard.press("ArrowRight")  # Settings
        form = app.locator("#settings-form")
        form.locator("[name=provider]").wait_for()
        seen["focused"] = str(app.locator(":focus").get_attribute("id"))
        form.locator("[name=provider]").select_option("whatsapp")
        form.locator("[name=number]").fill("+34600000000")
        form.locator("button[type=submit]").click()
        app.locator("#flash.ok").wait_for()
        shoot(page, "settings")

        page.keyboard.press("Escape")
        app.locator("#tab-shipping").click()
        forms = app.locator("#threshold-rows form")
        forms.first.wait_for()
        seen["channels"] = [str(f.get_attribute("data-channel")) for f in forms.all()]
        row = app.locator("form[data-channel=default-channel]")
        seen["saleor_threshold"] = row.inner_text()
        row.locator("input[type=number]").fill("40")
        row.locator("button[type=submit]").click()
        row.locator(".status.ok").wait_for()
        seen["statuses"] = [f.locator(".status").inner_text() for f in forms.all()]
        seen["overridden"] = row.inner_text()
        seen["status_focus"] = str(
            row.locator("button[type=submit]").evaluate("b => b === document.activeElement")
        )
        frame = next(frame for frame in page.frames if "/app?" in frame.url)
        seen["axe"] = axe_violations(frame)

        app.locator("#tab-install").click()
        app.locator("#snippet-channel").fill("channel-usd")
        app.locator("#snippet-channel").dispatch_event("change")
        app.locator("#snippet", has_text="channel-usd").wait_for()
        seen["snippet"] = app.locator("#snippet").inner_text()
        return seen

    seen = dashboard_browser.run(steps)

    # then
    assert seen["focused"] == "tab-settings"
    assert seen["channels"] == ["default-channel", "channel-usd"]
    assert "50.00 EUR" in seen["saleor_threshold"] and "(EUR)" in seen["saleor_threshold"]
    assert "ES — Spain (default)\t" in seen["saleor_threshold"]
    assert "DE — Germany" in seen["saleor_threshold"]
    assert "40.00 EUR" in seen["overridden"]
    assert seen["statuses"] == ["Saved.", ""]  # beside the form that was saved, not elsewhere
    assert seen["status_focus"] == "True"
    assert seen["axe"] == []
    assert f'data-saleor-api-url="{installed.api_url}"' in seen["snippet"]
    assert 'data-channel="channel-usd"' in seen["snippet"]
    assert seen["snippet"].startswith(f'<script async src="{installed.app_url}/storefront/v1/')
    settings = requests.post(
        f"{installed.app_url}/api/graphql",
        json={"query": "{ settings { chatProvider whatsappNumber } }"},
        headers={"Authorization-Bearer": token, "Saleor-Api-Url": installed.api_url},
        timeout=10,
    ).json()["data"]["settings"]
    assert settings == {"chatProvider": "whatsapp", "whatsappNumber": "+34600000000"}


def test_the_built_in_chat_launcher_hours_and_staff_address_are_set_on_the_settings_tab(
    dashboard_browser: BrowserThread, dashboard_host: DashboardHost, installed: Installed
):
    token = installed.saleor.sign_dashboard_token(installed.app_id)

    def steps(page: Any) -> dict[str, Any]:
        # given
        app = open_app(page, dashboard_host, installed, token)
        app.locator("#trigger-rows tr").first.wait_for()
        app.locator("#tab-settings").click()
        form = app.locator("#settings-form")
        form.locator("[name=launcher]").wait_for()
        seen: dict[str, Any] = {}

        # when: a wrong address first, then the launcher, the address and weekday hours
        form.locator("[name=notifyEmail]").fill("staff")
        form.locator("button[type=submit]").click()
        app.locator("#settings-errors li").first.wait_for()
        seen["refused"] = app.locator("#settings-errors").inner_text()
        form.locator("[name=launcher]").check()
        form.locator("[name=notifyEmail]").fill("staff@shop.example")
        form.locator("[name=chatHours]").check()
        form.locator("[name=chatTimezone]").fill("Europe/Madrid")
        form.locator("[name=chatFrom]").fill("09:00")
        form.locator("[name=chatTo]").fill("18:00")
        for day in ("mon", "tue", "wed", "thu", "fri"):
            form.locator(f"[name=chat-day-{day}]").check()
        form.locator("button[type=submit]").click()
        app.locator("#flash.ok").wait_for()

        # and the tab is opened again from what the app stored
        page.reload()
        app = page.frame_locator("#app")
        app.locator("#trigger-rows tr").first.wait_for()
        app.locator("#tab-settings").click()
        form = app.locator("#settings-form")
        form.locator("[name=launcher]").wait_for()
        seen["launcher"] = form.locator("[name=launcher]").is_checked()
        seen["address"] = form.locator("[name=notifyEmail]").input_value()
        seen["friday"] = form.locator("[name=chat-day-fri]").is_checked()
        seen["sunday"] = form.locator("[name=chat-day-sun]").is_checked()
        frame = next(frame for frame in page.frames if "/app?" in frame.url)
        seen["axe"] = axe_violations(frame)
        return seen

    seen = dashboard_browser.run(steps)

    # then
    assert "chat.notifyEmail" in seen["refused"] and "email address" in seen["refused"]
    assert (seen["launcher"], seen["address"]) == (True, "staff@shop.example")
    assert (seen["friday"], seen["sunday"]) == (True, False)
    assert seen["axe"] == []
    stored = requests.post(
        f"{installed.app_url}/api/graphql",
        json={"query": "{ settings { document } }"},
        headers={"Authorization-Bearer": token, "Saleor-Api-Url": installed.api_url},
        timeout=10,
    ).json()["data"]["settings"]["document"]["chat"]
    assert stored == {
        "provider": "builtin",
        "launcher": True,
        "hours": {
            "timezone": "Europe/Madrid",
            "days": ["mon", "tue", "wed", "thu", "fri"],
            "from": "09:00",
            "to": "18:00",
        },
        "notifyEmail": "staff@shop.example",
    }
    # the storefront learns of the launcher once its cached settings are read again
    deadline = time.monotonic() + 15
    while not storefront_answer(installed, "product")["chat"].get("launcher"):
        assert time.monotonic() < deadline, "the storefront never got the launcher"
        time.sleep(0.2)


def test_an_expired_token_is_replaced_by_asking_the_dashboard_again(
    dashboard_browser: BrowserThread, dashboard_host: DashboardHost, installed: Installed
):
    # given: the first handshake carries a token that has already expired
    expired = installed.saleor.sign_dashboard_token(installed.app_id, exp_seconds=-60)
    fresh = installed.saleor.sign_dashboard_token(installed.app_id)

    def steps(page: Any) -> tuple[int, int]:
        # when
        app = open_app(page, dashboard_host, installed, [expired, fresh])
        app.locator("#trigger-rows tr").first.wait_for()

        # then
        ready = page.evaluate("window.appMessages.filter(m => m.type === 'notifyReady').length")
        return int(ready), app.locator("#trigger-rows tr").count()

    notify_ready_count, rows = dashboard_browser.run(steps)
    assert notify_ready_count == 2  # on load, and again after the 401
    assert rows >= 1


def test_list_toggle_json_view_and_delete(
    dashboard_browser: BrowserThread, dashboard_host: DashboardHost, installed: Installed
):
    token = installed.saleor.sign_dashboard_token(installed.app_id)
    nested = {
        "name": "Nested from JSON",
        "holdoutPercent": 0,
        "when": {"any": [{"exitIntent": True}, {"not": {"pageType": {"in": ["home"]}}}]},
        "show": {"type": "chat_prompt", "message": {"en": "From JSON"}, "cta": {"en": "Chat"}},
    }

    def steps(page: Any) -> None:
        app = open_app(page, dashboard_host, installed, token)
        first = app.locator("#trigger-rows tr").first
        first.wait_for()

        # when: the first trigger is switched off from the list
        first.locator("input[type=checkbox]").uncheck()
        app.locator("#flash.ok").wait_for()

        # and: a trigger with nested conditions is pasted into the JSON view and saved
        app.locator("#new-trigger").click()
        app.locator("#json-details summary").click()
        app.locator("#json").fill(json.dumps(nested))
        app.locator("#apply-json").click()
        app.locator("#editor button[type=submit]").click()
        app.locator("#trigger-rows tr", has_text="Nested from JSON").wait_for()

        # and: another trigger is deleted (two clicks)
        victim = app.locator("#trigger-rows tr", has_text="Comparing many products")
        victim.locator("button.danger").click()
        victim.locator("button.danger").click()
        app.locator("#trigger-rows tr", has_text="Comparing many products").wait_for(
            state="detached"
        )

    dashboard_browser.run(steps)

    # then
    query = "{ triggers { items { name enabled priority document } } }"
    items = requests.post(
        f"{installed.app_url}/api/graphql",
        json={"query": query},
        headers={"Authorization-Bearer": token, "Saleor-Api-Url": installed.api_url},
        timeout=10,
    ).json()["data"]["triggers"]["items"]
    by_name = {item["name"]: item for item in items}
    highest = max(
        (i for i in items if i["name"] != "Nested from JSON"), key=lambda i: i["priority"]
    )
    assert highest["enabled"] is False
    assert by_name["Nested from JSON"]["document"]["when"]["any"][1] == {
        "not": {"pageType": {"in": ["home"]}}
    }
    assert "Comparing many products" not in by_name


def test_a_staff_member_without_manage_apps_sees_but_cannot_change(
    dashboard_browser: BrowserThread, dashboard_host: DashboardHost, installed: Installed
):
    token = installed.saleor.sign_dashboard_token(installed.app_id, user_permissions=[])

    def steps(page: Any) -> tuple[bool, bool, str, list[bool]]:
        # when
        app = open_app(page, dashboard_host, installed, token)
        first = app.locator("#trigger-rows tr").first
        first.wait_for()

        # then
        reminders = ["#reminders-form [type=submit]", "#reminders-send-test", "#mail-clear"]
        return (
            app.locator("#new-trigger").is_disabled(),
            first.locator("input[type=checkbox]").is_disabled(),
            app.locator("#flash").inner_text(),
            [app.locator(selector).is_disabled() for selector in reminders],
        )

    new_disabled, toggle_disabled, notice, reminders = dashboard_browser.run(steps)
    assert new_disabled and toggle_disabled
    assert reminders == [True, True, True]
    assert "MANAGE_APPS" in notice


@pytest.mark.parametrize(("theme", "locale"), [("light", "en"), ("dark", "es")])
def test_every_screen_of_the_app_page_meets_wcag_21_aa(
    dashboard_browser: BrowserThread,
    dashboard_host: DashboardHost,
    installed: Installed,
    theme: str,
    locale: str,
):
    token = installed.saleor.sign_dashboard_token(installed.app_id)

    def steps(page: Any) -> dict[str, list[str]]:
        # given
        app = open_app(page, dashboard_host, installed, token, theme=theme, locale=locale)
        app.locator("#trigger-rows tr").first.wait_for()
        app.locator(f"html[lang={locale}][data-theme={theme}]").wait_for(state="attached")
        frame = next(frame for frame in page.frames if "/app?" in frame.url)
        found = {"triggers": axe_violations(frame)}
        # when: each screen in turn
        app.locator("#new-trigger").click()
        app.locator("#editor").wait_for()
        found["editor"] = axe_violations(frame)
        screens = {
            "results": "#results-rows tr",
            "settings": "#settings-fields select",
            "shipping": "#threshold-rows form tbody tr",
            "reminders": "#reminders-preview-subject:not(:empty)",
            "simulator": "#simulator-fields input",
            "install": "#snippet:not(:empty)",
            "chat": "#panel-chat h2",
        }
        for tab, ready in screens.items():
            app.locator(f"#tab-{tab}").click()
            app.locator(ready).first.wait_for()
            found[tab] = axe_violations(frame)
        app.locator("#tab-simulator").click()
        app.locator("#simulator-form [name=pageType]").select_option("checkout")
        app.locator("#simulator-form button[type=submit]").click()
        app.locator("#simulation .outcome").first.wait_for()
        found["simulation"] = axe_violations(frame)
        return found

    # then
    found = dashboard_browser.run(steps)
    assert found == {screen: [] for screen in found}


LIVE_REGIONS = """() => ['flash', 'editor-errors', 'settings-errors', 'simulator-errors',
  'simulation', 'reminders-errors', 'reminders-status', 'reminders-test-status', 'mail-current',
  'mail-errors', 'mail-status'].map((id) => document.getElementById(id))
  .filter((region) => region.hidden || getComputedStyle(region).display === 'none'
    || region.textContent !== '')
  .map((region) => region.id)"""


def test_the_pages_live_regions_are_there_before_their_text(
    dashboard_browser: BrowserThread, dashboard_host: DashboardHost, installed: Installed
):
    token = installed.saleor.sign_dashboard_token(installed.app_id)

    def steps(page: Any) -> tuple[list[str], str]:
        # given
        app = open_app(page, dashboard_host, installed, token)
        app.locator("#trigger-rows tr").first.wait_for()
        frame = next(frame for frame in page.frames if "/app?" in frame.url)
        # when: each region is looked at before it has anything to say, then one speaks
        not_ready = frame.evaluate(LIVE_REGIONS)
        frame.evaluate("window.flashRegion = document.getElementById('flash')")
        app.locator("#tab-install").click()
        app.locator("#copy-snippet").click()
        app.locator("#flash.ok").wait_for()
        return not_ready, frame.evaluate("window.flashRegion === document.getElementById('flash')")

    # then: all rendered and empty at first; the message went into the same region
    not_ready, same_region = dashboard_browser.run(steps)
    assert not_ready == []
    assert same_region is True


def test_the_installation_tab_makes_a_preview_link_that_marks_a_browser(
    dashboard_browser: BrowserThread, dashboard_host: DashboardHost, installed: Installed
):
    token = installed.saleor.sign_dashboard_token(installed.app_id)

    def steps(page: Any) -> dict[str, Any]:
        # given
        app = open_app(page, dashboard_host, installed, token)
        app.locator("#trigger-rows tr").first.wait_for()
        app.locator("#tab-install").click()
        # when: no URL yet, then the storefront's
        app.locator("#make-preview").click()
        app.locator("#preview-link", has_text="full URL").wait_for()
        app.locator("#preview-url").fill("https://shop.example.com/es/?utm=x#top")
        app.locator("#make-preview").click()
        link = app.locator("#preview-link a")
        link.wait_for()
        frame = next(frame for frame in page.frames if "/app?" in frame.url)
        return {
            "href": link.get_attribute("href"),
            "target": link.get_attribute("target"),
            "axe": axe_violations(frame),
        }

    seen = dashboard_browser.run(steps)
    # then
    from saleor_proactive.storefront.preview import PreviewTokens

    base, _, fragment = str(seen["href"]).partition("#saleor-proactive-preview=")
    assert base == "https://shop.example.com/es/?utm=x"
    secret = installed.live.app.config["PROACTIVE"].require_secret_key()
    assert PreviewTokens(secret).is_valid(installed.installation_id, fragment)
    assert seen["target"] == "_blank"
    assert seen["axe"] == []
