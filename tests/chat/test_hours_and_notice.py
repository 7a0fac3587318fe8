"""Opening hours and the staff's email about a new conversation: the merchant sets both in the
chat settings; outside the hours the panel is offline (and asks for an email) whoever is online,
and a visitor's first line while nobody answers reaches a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from saleor_proactive.config import Settings
from saleor_proactive.merchant_settings import MerchantSettings
from saleor_proactive.store.db import Database
from saleor_proactive.validation import DocumentError
from tests.chat.test_http import _chat_app, _path, start
from tests.chat.test_offline_mail import (  # noqa: F401 (fixtures)
    Inbox,
    _set_shop_server,
    shop_smtp,
    smtp,
)
from tests.fixtures.dashboard import MerchantInstallation, post_graphql

UPDATE = """mutation U($document: JSON!) { updateSettings(input: {document: $document}) {
  settings { document } errors { field message } } }"""


def _window(start_hours: float, end_hours: float) -> dict[str, Any]:
    """Every day, from/to relative to now in UTC (a window far from now is closed)."""
    now = datetime.now(UTC)
    start, end = now + timedelta(hours=start_hours), now + timedelta(hours=end_hours)
    return {"timezone": "UTC", "from": start.strftime("%H:%M"), "to": end.strftime("%H:%M")}


def _set_chat(client: FlaskClient, merchant: MerchantInstallation, **chat: Any) -> Any:
    document = {"chat": {"provider": "builtin", **chat}}
    answer = post_graphql(client, merchant.headers(), UPDATE, {"document": document})
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["data"]["updateSettings"]


def _staff_online(client: FlaskClient, merchant: MerchantInstallation) -> None:
    answer = client.post("/api/chat/wait", json={"after": 0, "wait": 0}, headers=merchant.headers())
    assert answer.status_code == 200


@pytest.fixture
def mail_app(settings: Settings, database: Database, smtp: tuple[Inbox, int]) -> Iterator[Flask]:  # noqa: F811
    url = f"smtp://127.0.0.1:{smtp[1]}?from=proactive%40example.com"
    yield from _chat_app(settings.with_overrides(smtp_url=url, store_validate_seconds=0))


def test_chat_settings_take_hours_launcher_and_address_and_name_a_bad_field() -> None:
    hours = {"timezone": "Europe/Madrid", "days": ["mon", "tue"], "from": "09:00", "to": "18:00"}
    settings = MerchantSettings.from_json(
        {"chat": {"launcher": True, "hours": hours, "notifyEmail": " staff@shop.example "}}
    )
    chat = settings.to_json()["chat"]
    assert chat == {
        "provider": "builtin",
        "launcher": True,
        "hours": hours,
        "notifyEmail": "staff@shop.example",
    }
    assert MerchantSettings.from_json(settings.to_json()) == settings
    assert MerchantSettings().to_json()["chat"] == {
        "provider": "builtin",
        "launcher": False,
        "hours": None,
        "notifyEmail": None,
    }
    for chat_document, path in [
        ({"hours": {"timezone": "Mars/Olympus"}}, "chat.hours.timezone"),
        ({"hours": {"timezone": "UTC", "from": "9"}}, "chat.hours.from"),
        ({"notifyEmail": "staff"}, "chat.notifyEmail"),
        ({"launcher": "yes"}, "chat.launcher"),
    ]:
        with pytest.raises(DocumentError) as refused:
            MerchantSettings.from_json({"chat": chat_document})
        assert refused.value.path == path


def test_outside_the_hours_the_panel_is_offline_though_staff_are_online(
    mail_app: Flask, merchant: MerchantInstallation
) -> None:
    staff, visitor = mail_app.test_client(), mail_app.test_client()
    assert _set_chat(staff, merchant, hours=_window(2, 3))["errors"] == []
    _staff_online(staff, merchant)
    public_id, auth, state = start(visitor, merchant)
    assert state["conversation"]["online"] is False
    assert state["conversation"]["outsideHours"] is True
    assert state["conversation"]["emailGiven"] is False  # so the panel asks for one

    assert _set_chat(staff, merchant, hours=_window(-1, 1))["errors"] == []
    inside = visitor.get(_path(public_id), headers=auth).get_json()["conversation"]
    assert (inside["online"], inside["outsideHours"]) == (True, False)


def test_staff_without_manage_apps_answer_but_cannot_set_hours_or_the_address(
    mail_app: Flask, merchant: MerchantInstallation
) -> None:
    client = mail_app.test_client()
    reader = merchant.headers(user_permissions=[])
    for chat in ({"hours": _window(1, 2)}, {"notifyEmail": "me@example.com"}, {"launcher": True}):
        document = {"chat": {"provider": "builtin", **chat}}
        refused = post_graphql(client, reader, UPDATE, {"document": document})
        assert refused.status_code == 403
    read = post_graphql(client, reader, "query { settings { document } }").get_json()
    assert read["data"]["settings"]["document"]["chat"]["notifyEmail"] is None


def test_the_first_line_while_nobody_answers_mails_the_staff_once(
    mail_app: Flask,
    merchant: MerchantInstallation,
    smtp: tuple[Inbox, int],  # noqa: F811
) -> None:
    inbox, _ = smtp
    staff, visitor = mail_app.test_client(), mail_app.test_client()
    assert _set_chat(staff, merchant, notifyEmail="staff@shop.example")["errors"] == []
    public_id, auth, _ = start(visitor, merchant)
    opened_only, _, _ = start(visitor, merchant, visitorId="visitor-2")  # never writes
    for line in ("Do you ship to Canarias?", "And to Ceuta?"):
        sent = visitor.post(_path(public_id), json={"body": line}, headers=auth)
        assert sent.status_code == 201

    [mail] = inbox.wait()
    time.sleep(0.5)  # a second mail would have arrived by now
    assert len(inbox.messages) == 1
    assert mail["To"] == "staff@shop.example"
    assert mail["From"] == "proactive@example.com"
    assert mail["Subject"] == "New chat on shop-one.example.com"
    assert "Do you ship to Canarias?" in mail.get_content()  # type: ignore[attr-defined]
    assert "Ceuta" not in mail.get_content()  # type: ignore[attr-defined]
    assert opened_only not in str(mail)


def test_no_mail_while_someone_is_online_or_without_an_address(
    mail_app: Flask,
    merchant: MerchantInstallation,
    smtp: tuple[Inbox, int],  # noqa: F811
) -> None:
    inbox, _ = smtp
    staff, visitor = mail_app.test_client(), mail_app.test_client()
    no_address, auth, _ = start(visitor, merchant)
    visitor.post(_path(no_address), json={"body": "Hello?"}, headers=auth)

    assert _set_chat(staff, merchant, notifyEmail="staff@shop.example")["errors"] == []
    _staff_online(staff, merchant)
    answered, auth, _ = start(visitor, merchant, visitorId="visitor-2")
    visitor.post(_path(answered), json={"body": "Hello?"}, headers=auth)

    time.sleep(0.5)
    assert inbox.messages == []


def test_the_notice_goes_through_the_shops_own_mail_server(
    mail_app: Flask,
    merchant: MerchantInstallation,
    smtp: tuple[Inbox, int],  # noqa: F811
    shop_smtp: tuple[Inbox, int],  # noqa: F811
) -> None:
    staff, visitor = mail_app.test_client(), mail_app.test_client()
    assert _set_chat(staff, merchant, notifyEmail="staff@shop.example")["errors"] == []
    _set_shop_server(mail_app, merchant, shop_smtp[1])
    public_id, auth, _ = start(visitor, merchant)
    assert visitor.post(_path(public_id), json={"body": "Hola"}, headers=auth).status_code == 201

    [mail] = shop_smtp[0].wait()
    assert (mail["To"], mail["From"]) == ("staff@shop.example", "hello@shop-one.example")
    time.sleep(0.3)
    assert smtp[0].messages == []
