"""The Reminders tab in headless Chromium: the settings saved and read back, errors at their
fields, the keyboard alone, the rendered email in a script-less frame, a test mail received by
a real SMTP server, the mail server, and the reminders' figures on the Results tab."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

import pytest

from saleor_proactive.config import Settings
from saleor_proactive.merchant_settings.reminders import ReminderSettings
from saleor_proactive.reminders.due import in_holdout
from saleor_proactive.store.db import Database
from saleor_proactive.store.merchant_settings import load_settings
from saleor_proactive.store.models import Installation
from tests.browser.support import axe_violations
from tests.dashboard.test_app_page_browser import open_app, shoot
from tests.fixtures.dashboard import MerchantInstallation
from tests.fixtures.dashboard_browser import BrowserThread, DashboardHost
from tests.fixtures.reminders import (
    PUBLIC_URL,
    Mailbox,
    abandon_checkout,
    click_and_buy,
    enable_reminders,
)
from tests.fixtures.sandbox import Installed
from tests.reminders.test_delivery import run_scan

pytestmark = pytest.mark.browser

STAFF_EMAIL = "staff@example.com"  # the sandbox Dashboard user's address


@pytest.fixture
def settings(settings: Settings, mailbox: tuple[Mailbox, int]) -> Settings:
    """The app under test sends mail through the real SMTP server on 127.0.0.1."""
    return settings.with_overrides(
        smtp_url=f"smtp://127.0.0.1:{mailbox[1]}?from=shop%40example.com"
    )


def open_reminders(page: Any, host: DashboardHost, installed: Installed, **kw: Any) -> Any:
    token = installed.saleor.sign_dashboard_token(installed.app_id)
    app = open_app(page, host, installed, token, **kw)
    app.locator("#trigger-rows tr").first.wait_for()
    app.locator("#tab-reminders").click()
    app.locator("body[data-reminders-ready]").wait_for(state="attached")
    return app


def frame_of(page: Any) -> Any:
    return next(frame for frame in page.frames if "/app?" in frame.url)


def saved_reminders(database: Database, installed: Installed) -> ReminderSettings:
    with database.session() as session:
        installation = session.get(Installation, installed.installation_id)
        assert installation is not None
        return load_settings(installation).reminders


def form_values(app: Any) -> dict[str, Any]:
    form = app.locator("#reminders-form")
    return {
        "enabled": form.locator("[name=enabled]").is_checked(),
        "audience": form.locator("[name=audience]:checked").get_attribute("value"),
        "consentKey": form.locator("[name=consentKey]").input_value(),
        "delay1": form.locator("[name=delay1]").input_value(),
        "delay1Unit": form.locator("[name=delay1Unit]").input_value(),
        "delay2": form.locator("[name=delay2]").input_value(),
        "delay2Unit": form.locator("[name=delay2Unit]").input_value(),
        "checkoutUrl": form.locator("[name=checkoutUrl]").input_value(),
        "holdoutPercent": form.locator("[name=holdoutPercent]").input_value(),
        "webhookUrl": form.locator("[name=webhookUrl]").input_value(),
        "texts": form.locator("#reminder-texts .reminder-text").evaluate_all(
            "rows => rows.map(r => Array.from(r.querySelectorAll('input, textarea'))"
            ".map(i => i.value))"
        ),
    }


def test_the_tab_saves_its_settings_and_shows_them_again_after_a_reload(
    dashboard_browser: BrowserThread,
    dashboard_host: DashboardHost,
    installed: Installed,
    database: Database,
):
    def steps(page: Any) -> dict[str, Any]:
        # given the tab as a shop that never touched it sees it
        app = open_reminders(page, dashboard_host, installed)
        seen: dict[str, Any] = {"defaults": form_values(app), "axe": axe_violations(frame_of(page))}
        seen["howto"] = app.locator("#reminders-consent-howto").inner_text()
        seen["signing"] = app.locator("#reminders-webhook-help").inner_text()

        # when the merchant turns reminders on for those who agreed, and writes Spanish texts
        form = app.locator("#reminders-form")
        form.locator("[name=enabled]").check()
        form.locator("[name=audience][value=consent]").check()
        form.locator("[name=consentKey]").fill("cart_mail_ok")
        form.locator("[name=delay1]").fill("30")
        form.locator("[name=delay1Unit]").select_option("1")
        form.locator("[name=delay2]").fill("2")
        form.locator("[name=delay2Unit]").select_option("60")
        form.locator("[name=checkoutUrl]").fill("https://shop.example/checkout?token={token}")
        form.locator("[name=holdoutPercent]").fill("20")
        form.locator("[name=webhookUrl]").fill("https://hooks.example/reminders")
        app.locator("#reminders-add-language").click()
        row = form.locator("#reminder-texts .reminder-text").last
        row.locator("[name=lang]").fill("es")
        row.locator("[name=subject]").fill("Tu carrito te espera")
        row.locator("[name=heading]").fill("¿Lo pensaste?")
        row.locator("[name=intro]").fill("Esto sigue en tu carrito:")
        row.locator("[name=button]").fill("Terminar la compra")
        form.locator("button[type=submit]").click()
        app.locator("#reminders-status.ok").wait_for()
        seen["status"] = app.locator("#reminders-status").inner_text()
        seen["flash"] = app.locator("#flash").inner_text()
        seen["focus_howto"] = app.locator("#reminders-consent-howto").inner_text()

        # and comes back later
        page.reload()
        app = open_reminders(page, dashboard_host, installed)
        seen["reloaded"] = form_values(app)
        seen["errors"] = list(page.errors)
        return seen

    seen = dashboard_browser.run(steps)

    # then the defaults were off, consent first, 1 h and 24 h
    defaults = seen["defaults"]
    assert defaults["enabled"] is False
    assert (defaults["delay1"], defaults["delay1Unit"]) == ("1", "60")
    assert (defaults["delay2"], defaults["delay2Unit"]) == ("24", "60")
    assert defaults["holdoutPercent"] == "10" and defaults["texts"] == []
    assert "proactive_reminders" in seen["howto"] and "updateMetadata" in seen["howto"]
    assert "Proactive-Signature" in seen["signing"] and "/.well-known/jwks.json" in seen["signing"]
    assert seen["axe"] == []
    # "Saved." is the form's own, and the how-to names the key now in use
    assert seen["status"] == "Saved." and seen["flash"] == ""
    assert "cart_mail_ok" in seen["focus_howto"]
    # what the app stores is what was typed
    stored = saved_reminders(database, installed)
    assert stored.enabled and stored.audience == "consent"
    assert stored.consent_key == "cart_mail_ok"
    assert stored.delays_minutes == (30, 120)
    assert stored.checkout_url == "https://shop.example/checkout?token={token}"
    assert stored.holdout_percent == 20
    assert stored.webhook_url == "https://hooks.example/reminders"
    spanish = stored.texts["es"]
    assert (spanish.subject, spanish.heading, spanish.intro, spanish.button) == (
        "Tu carrito te espera",
        "¿Lo pensaste?",
        "Esto sigue en tu carrito:",
        "Terminar la compra",
    )
    # and the page shows it again
    reloaded = seen["reloaded"]
    assert reloaded["enabled"] is True and reloaded["audience"] == "consent"
    assert (reloaded["delay1"], reloaded["delay1Unit"]) == ("30", "1")
    assert (reloaded["delay2"], reloaded["delay2Unit"]) == ("2", "60")
    assert reloaded["texts"] == [
        [
            "es",
            "Tu carrito te espera",
            "¿Lo pensaste?",
            "Esto sigue en tu carrito:",
            "Terminar la compra",
        ]
    ]
    assert seen["errors"] == []


def invalid_fields(app: Any) -> list[dict[str, str | None]]:
    return cast(
        list[dict[str, str | None]],
        app.locator("#reminders-form [aria-invalid=true]").evaluate_all(
            """inputs => inputs.map(i => ({name: i.name, described: (i.getAttribute(
              'aria-describedby') || '').split(' ').map(id => (document.getElementById(id)
              || {}).textContent).join(' | ')}))"""
        ),
    )


def test_errors_name_the_field_by_its_label_mark_it_and_take_the_focus_there(
    dashboard_browser: BrowserThread,
    dashboard_host: DashboardHost,
    installed: Installed,
    database: Database,
):
    def steps(page: Any) -> dict[str, Any]:
        app = open_reminders(page, dashboard_host, installed)
        form = app.locator("#reminders-form")
        seen: dict[str, Any] = {}

        # when reminders are turned on without a link back to the checkout
        form.locator("[name=enabled]").check()
        form.locator("button[type=submit]").click()
        app.locator("#reminders-errors li").first.wait_for()
        seen["missing"] = app.locator("#reminders-errors").inner_text()
        seen["missing_fields"] = invalid_fields(app)
        seen["missing_focus"] = app.locator(":focus").get_attribute("name")

        # and a link without {token}
        form.locator("[name=checkoutUrl]").fill("https://shop.example/checkout")
        form.locator("button[type=submit]").click()
        app.locator("#reminders-errors li", has_text="must contain").wait_for()
        seen["token"] = app.locator("#reminders-errors").inner_text()

        # and a second reminder before the first
        form.locator("[name=checkoutUrl]").fill("https://shop.example/c?token={token}")
        form.locator("[name=delay2]").fill("30")
        form.locator("[name=delay2Unit]").select_option("1")
        form.locator("button[type=submit]").click()
        app.locator("#reminders-errors li", has_text="after the first").wait_for()
        seen["order"] = app.locator("#reminders-errors").inner_text()
        seen["order_fields"] = invalid_fields(app)
        seen["order_focus"] = app.locator(":focus").get_attribute("name")

        # and a language with a body but no subject
        form.locator("[name=delay2]").fill("")
        app.locator("#reminders-add-language").click()
        row = form.locator("#reminder-texts .reminder-text").last
        row.locator("[name=lang]").fill("es")
        row.locator("[name=intro]").fill("Hola")
        form.locator("button[type=submit]").click()
        app.locator("#reminders-errors li", has_text="Subject").wait_for()
        seen["text"] = app.locator("#reminders-errors").inner_text()
        seen["text_focus"] = app.locator(":focus").get_attribute("name")

        # and texts with no language
        row.locator("[name=lang]").fill("")
        row.locator("[name=subject]").fill("Hola")
        form.locator("button[type=submit]").click()
        app.locator("#reminders-errors li", has_text="Language").wait_for()
        seen["language"] = app.locator("#reminders-errors").inner_text()
        seen["language_focus"] = app.locator(":focus").get_attribute("name")
        seen["status"] = app.locator("#reminders-status").inner_text()
        seen["axe"] = axe_violations(frame_of(page))
        return seen

    seen = dashboard_browser.run(steps)

    label = "Checkout link (with {token})"  # as the page writes it
    assert seen["missing"].startswith(label + ": is needed to turn reminders on")
    assert seen["missing_fields"] == [
        {"name": "checkoutUrl", "described": seen["missing"]}  # linked to its message
    ]
    assert seen["missing_focus"] == "checkoutUrl"
    assert seen["token"].startswith(label + ": must contain {token}")
    assert (
        seen["order"] == "Second reminder after (empty: none): must come after the first reminder"
    )
    assert [f["name"] for f in seen["order_fields"]] == ["delay2"]
    assert seen["order_focus"] == "delay2"
    assert seen["text"] == "Subject (es): must be 1 to 150 characters"
    assert seen["text_focus"] == "subject"
    assert seen["language"] == "Language: keys must be languages such as en or pt-BR"
    assert seen["language_focus"] == "lang"
    assert seen["status"] == ""  # nothing was saved
    assert seen["axe"] == []  # the invalid state meets WCAG too
    assert saved_reminders(database, installed) == ReminderSettings()


def test_the_tab_is_usable_with_the_keyboard_alone(
    dashboard_browser: BrowserThread,
    dashboard_host: DashboardHost,
    installed: Installed,
    database: Database,
):
    token = installed.saleor.sign_dashboard_token(installed.app_id)

    def focused(frame: Any) -> str:
        return cast(
            str,
            frame.evaluate(
                "(() => { const a = document.activeElement; "
                "return a.name || a.id || a.tagName; })()"
            ),
        )

    def tab_to(page: Any, frame: Any, name: str) -> None:
        for _ in range(40):
            page.keyboard.press("Tab")
            if focused(frame) == name:
                return
        raise AssertionError(f"Tab never reached {name}")

    def steps(page: Any) -> tuple[str, list[str]]:
        app = open_app(page, dashboard_host, installed, token)
        app.locator("#trigger-rows tr").first.wait_for()
        frame = frame_of(page)
        # the tab list: arrow keys from Triggers to Reminders
        app.locator("#tab-triggers").focus()
        for _ in range(4):
            page.keyboard.press("ArrowRight")
        app.locator("body[data-reminders-ready]").wait_for(state="attached")
        assert focused(frame) == "tab-reminders"
        tab_to(page, frame, "enabled")
        page.keyboard.press("Space")
        tab_to(page, frame, "checkoutUrl")
        page.keyboard.type("https://shop.example/checkout?token={token}")
        tab_to(page, frame, "reminders-add-language")
        page.keyboard.press("Enter")  # the new language's first field takes the focus
        page.keyboard.type("fr")
        page.keyboard.press("Tab")
        page.keyboard.type("Votre panier")
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        page.keyboard.type("Vos articles :")
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Enter")  # Enter in a field submits the form
        app.locator("#reminders-status.ok").wait_for()
        # the focus stays where it was, though the texts were drawn again
        return app.locator("#reminders-status").inner_text(), focused(frame), list(page.errors)

    status, focus, errors = dashboard_browser.run(steps)
    assert status == "Saved." and focus == "subject"
    stored = saved_reminders(database, installed)
    assert stored.enabled and stored.checkout_url == "https://shop.example/checkout?token={token}"
    assert (stored.texts["fr"].subject, stored.texts["fr"].intro) == (
        "Votre panier",
        "Vos articles :",
    )
    assert errors == []


def test_the_preview_shows_the_rendered_email_in_the_chosen_language_without_scripts(
    dashboard_browser: BrowserThread,
    dashboard_host: DashboardHost,
    installed: Installed,
    database: Database,
):
    # given saved Spanish texts
    texts = {
        "subject": "Tu carrito",
        "intro": "Sigue aquí:",
        "heading": "¡Hola!",
        "button": "Volver",
    }
    enable_reminders(database, installed.installation_id, texts={"es": texts})

    def steps(page: Any) -> dict[str, Any]:
        app = open_reminders(page, dashboard_host, installed)
        english = app.frame_locator("#reminders-preview-frame").locator("body").inner_text()
        # when the merchant picks Spanish
        app.locator("#reminders-preview-language").select_option("es")
        app.locator("body[data-reminder-preview=es]").wait_for(state="attached")
        email = app.frame_locator("#reminders-preview-frame")
        iframe = app.locator("#reminders-preview-frame")
        heading = email.locator("h1").inner_text()
        page.evaluate("document.getElementById('app').style.height = '2600px'")  # all of it
        shoot(page, "reminders")
        return {
            "heading": heading,
            "english": english,
            "spanish": email.locator("body").inner_text(),
            "subject": app.locator("#reminders-preview-subject").inner_text(),
            "sandbox": iframe.get_attribute("sandbox"),
            "title": iframe.get_attribute("title"),
            # the email's inline styles apply: the button has the shop's colour
            "button": email.locator("a", has_text="Volver").evaluate(
                "a => getComputedStyle(a).display"
            ),
            "errors": list(page.errors),
        }

    seen = dashboard_browser.run(steps)
    assert "You left these in your cart:" in seen["english"]
    assert "Sigue aquí:" in seen["spanish"] and "Colombia Huila 1 kg" in seen["spanish"]
    assert seen["heading"] == "¡Hola!" and seen["subject"] == "Tu carrito"
    assert seen["button"] == "inline-block"
    assert "allow-scripts" not in (seen["sandbox"] or "x") and seen["sandbox"] is not None
    assert seen["title"] == "Reminder email preview"
    assert seen["errors"] == []


def test_send_a_test_reaches_the_merchants_mailbox_or_says_why_not(
    dashboard_browser: BrowserThread,
    dashboard_host: DashboardHost,
    installed: Installed,
    database: Database,
    mailbox: tuple[Mailbox, int],
):
    enable_reminders(database, installed.installation_id)
    box = mailbox[0]

    def steps(page: Any) -> dict[str, str]:
        app = open_reminders(page, dashboard_host, installed, locale="es")
        # when the merchant, reading the page in Spanish, sends a test in Spanish
        app.locator("#reminders-preview-language").select_option("es")
        app.locator("#reminders-send-test").click()
        app.locator("#reminders-test-status.ok", has_text="@").wait_for()
        sent = app.locator("#reminders-test-status").inner_text()
        # and again while the mail server refuses the address
        box.refuse_rcpt = "550 5.7.1 relaying denied"
        app.locator("#reminders-send-test").click()
        app.locator("#reminders-test-status.bad").wait_for()
        return {"sent": sent, "refused": app.locator("#reminders-test-status").inner_text()}

    seen = dashboard_browser.run(steps)
    assert seen["sent"] == f"Prueba enviada a {STAFF_EMAIL}."
    [message] = box.wait(1)
    assert message["To"] == STAFF_EMAIL
    assert str(message["Subject"]).startswith("[Test] Tu carrito en ")
    assert seen["refused"] == "No se envió: the mail server refused this address."


def test_the_mail_server_is_set_shown_without_its_password_and_removed(
    dashboard_browser: BrowserThread,
    dashboard_host: DashboardHost,
    installed: Installed,
    mailbox: tuple[Mailbox, int],
):
    port = mailbox[1]
    # a password goes only over an encrypted connection; the plain one (no password) is the
    # shop's own sender, where the operator's server (the same mailbox here) sends as shop@
    with_password = f"smtp+starttls://ana:s3cret-pw@127.0.0.1:{port}?from=shop%40example.com"
    plain = f"smtp://127.0.0.1:{port}?from=hello%40my-shop.example"

    def steps(page: Any) -> dict[str, Any]:
        app = open_reminders(page, dashboard_host, installed)
        unread = app.locator("#mail-current").inner_text()
        assert not unread.startswith("The mail server's settings could not be read"), unread
        seen: dict[str, Any] = {"before": unread}
        form = app.locator("#mail-form")
        form.locator("[name=mailUrl]").fill(with_password)
        form.locator("button[type=submit]").click()
        app.locator("#mail-status.ok").wait_for()
        seen |= {
            "status": app.locator("#mail-status").inner_text(),
            "current": app.locator("#mail-current").inner_text(),
            "input": form.locator("[name=mailUrl]").input_value(),
            "page": app.locator("#panel-reminders").inner_text(),
        }
        form.locator("[name=mailUrl]").fill(plain)
        form.locator("button[type=submit]").click()
        app.locator("#mail-current", has_text="my-shop").wait_for()
        app.locator("#reminders-send-test").click()
        app.locator("#reminders-test-status.ok", has_text="@").wait_for()
        form.locator("[name=mailUrl]").fill("ftp://nowhere")
        form.locator("button[type=submit]").click()
        app.locator("#mail-errors li").wait_for()
        seen["invalid"] = form.locator("[name=mailUrl]").get_attribute("aria-invalid")
        seen["error"] = app.locator("#mail-errors").inner_text()
        app.locator("#mail-clear").click()
        app.locator("#mail-status.ok", has_text="Removed.").wait_for()
        seen["cleared"] = app.locator("#mail-current").inner_text()
        seen["axe"] = axe_violations(frame_of(page))
        return seen

    seen = dashboard_browser.run(steps)
    assert seen["before"].startswith("The shop has no mail server of its own")
    assert seen["status"] == "Saved." and seen["input"] == ""
    assert f"127.0.0.1, port {port}, from shop@example.com" in seen["current"]
    assert "encryption: STARTTLS, user: ana" in seen["current"]
    assert "s3cret-pw" not in seen["page"]
    [test_mail] = mailbox[0].wait(1)
    assert "hello@my-shop.example" in str(test_mail["From"])  # the shop's server, its sender
    assert seen["invalid"] == "true" and seen["error"].startswith("Mail server URL: ")
    assert seen["cleared"].startswith("The shop has no mail server of its own")
    assert seen["axe"] == []


def test_the_results_tab_shows_the_reminders_figures_against_the_hold_out(
    dashboard_browser: BrowserThread,
    dashboard_host: DashboardHost,
    installed: Installed,
    database: Database,
    settings: Settings,
    mailbox: tuple[Mailbox, int],
):
    # given 40 abandoned checkouts, half held out; reminders go, one is clicked, and two
    # reminded and one held-out checkout become orders
    merchant = cast(MerchantInstallation, SimpleNamespace(id=installed.installation_id))
    enable_reminders(database, installed.installation_id, holdoutPercent=50)
    checkouts = [abandon_checkout(database, merchant, n) for n in range(40)]
    control = [c for c in checkouts if in_holdout(c, 50)]
    reminded = [c for c in checkouts if c not in control]
    run_scan(database, settings.with_overrides(public_url=PUBLIC_URL))  # a worker's settings
    assert len(mailbox[0].wait(len(reminded))) == len(reminded)
    bought = [reminded[0], reminded[1], control[0]]
    click_and_buy(database, installed.installation_id, reminded[0], bought)
    token = installed.saleor.sign_dashboard_token(installed.app_id)

    def steps(page: Any) -> dict[str, Any]:
        app = open_app(page, dashboard_host, installed, token)
        app.locator("#trigger-rows tr").first.wait_for()
        # when the merchant opens the Results tab
        app.locator("#tab-results").click()
        app.locator("#reminder-results-rows tr").first.wait_for()
        return {
            "heads": app.locator("#reminder-results-table thead th").all_inner_texts(),
            "step": app.locator('#reminder-results-rows tr[data-step="1"]')
            .locator("th, td")
            .all_inner_texts(),
            "total": app.locator("#reminder-results-total").locator("th, td").all_inner_texts(),
            "reminded": app.locator('#reminder-holdout-rows tr[data-group="reminded"]')
            .locator("th, td")
            .all_inner_texts(),
            "control": app.locator('#reminder-holdout-rows tr[data-group="control"]')
            .locator("th, td")
            .all_inner_texts(),
            "row_headers": app.locator("#reminder-holdout-rows th[scope=row]").count(),
            "axe": axe_violations(frame_of(page)),
            "errors": list(page.errors),
        }

    seen = dashboard_browser.run(steps)
    assert seen["heads"] == ["Reminder", "Sent", "Clicks", "Orders after it", "Revenue"]
    sent = str(len(reminded))
    assert seen["step"] == ["Reminder 1", sent, "1", "2", "€80.00"]
    assert seen["total"] == ["Total", sent, "1", "2", "€80.00"]
    reminded_row = seen["reminded"]
    assert reminded_row[:3] == ["Reminded", sent, "2"]
    assert "pp (" in reminded_row[3]  # the uplift with its 95 % interval
    assert reminded_row[4].startswith("Not enough data yet — about ")
    assert reminded_row[4].endswith("more abandoned checkouts needed")
    assert seen["control"][:3] == ["Held out (no reminder)", str(len(control)), "1"]
    assert seen["row_headers"] == 2
    assert seen["axe"] == []
    assert seen["errors"] == []
