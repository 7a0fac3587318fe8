"""The offline path: the visitor leaves an email, goes away, and the staff's reply arrives at a
real SMTP server on 127.0.0.1 with a link that reopens the conversation."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient

from benchmarks.server import free_port
from saleor_proactive.chat.mail import SmtpUrlError, parse_smtp_url
from saleor_proactive.config import ConfigError, Settings, settings_from_env
from saleor_proactive.store.db import Database
from saleor_proactive.store.mail_server import UNREADABLE
from saleor_proactive.store.models import ChatConversation, utcnow
from tests.chat.test_http import REPLY, _chat_app, _path, start
from tests.fixtures.dashboard import MerchantInstallation, post_graphql
from tests.reminders.test_mail_server import ROTATED
from tests.reminders.test_mail_server import SET as SET_SERVER

CONVERSATION = "query Q($id: ID!) { chatConversation(id: $id) { messages { body } } }"


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def wait(self, count: int = 1, timeout: float = 5.0) -> list[Message]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages


def _serve() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    """The operator's server (PROACTIVE_SMTP_URL)."""
    yield from _serve()


@pytest.fixture
def shop_smtp() -> Iterator[tuple[Inbox, int]]:
    """The shop's own server, set on the app page."""
    yield from _serve()


@pytest.fixture
def mail_app(settings: Settings, database: Database, smtp: tuple[Inbox, int]) -> Iterator[Flask]:
    url = f"smtp://127.0.0.1:{smtp[1]}?from=shop%40example.com"
    yield from _chat_app(settings.with_overrides(smtp_url=url))


def _away(database: Database, public_id: str) -> None:
    with database.session() as session:
        conversation = session.query(ChatConversation).filter_by(public_id=public_id).one()
        conversation.visitor_seen_at = utcnow() - timedelta(minutes=5)


def test_a_reply_to_an_away_visitor_arrives_by_mail_with_a_link_back(
    mail_app: Flask,
    database: Database,
    merchant: MerchantInstallation,
    smtp: tuple[Inbox, int],
) -> None:
    inbox, _ = smtp
    visitor = mail_app.test_client()
    public_id, auth, _ = start(visitor, merchant)  # es-ES
    visitor.post(_path(public_id), json={"body": "¿Hacéis envíos a Canarias?"}, headers=auth)
    left = visitor.post(_path(public_id, "email"), json={"email": "eva@example.com"}, headers=auth)
    assert left.status_code == 200
    _away(database, public_id)

    staff = merchant.headers(email="ana@shop.example")
    replied = post_graphql(mail_app.test_client(), staff, REPLY, {"id": public_id, "body": "Sí."})
    assert replied.get_json()["data"]["chatReply"]["errors"] == []

    [mail] = inbox.wait()
    assert mail["To"] == "eva@example.com"
    assert mail["From"] == "shop@example.com"
    assert mail["Subject"] == "Tu conversación con shop-one.example.com"
    text = mail.get_content()  # type: ignore[attr-defined]
    assert text.startswith("Sí.")
    link = re.search(r"http://\S+", text)
    assert link is not None
    page_url, _, token = link.group(0).partition("#")
    page = mail_app.test_client().get(page_url.replace("http://localhost", ""))
    assert page.status_code == 200 and f'data-conversation="{public_id}"' in page.text
    reopened = visitor.get(_path(public_id), headers={"Authorization": f"Bearer {token}"})
    assert [m["body"] for m in reopened.get_json()["messages"]][-1] == "Sí."


def _away_visitor(app: Flask, database: Database, merchant: MerchantInstallation) -> str:
    """A conversation whose visitor left an email and went away; its public id."""
    visitor = app.test_client()
    public_id, auth, _ = start(visitor, merchant)
    visitor.post(_path(public_id), json={"body": "¿Tenéis molinillos?"}, headers=auth)
    visitor.post(_path(public_id, "email"), json={"email": "eva@example.com"}, headers=auth)
    _away(database, public_id)
    return public_id


def _set_shop_server(app: Flask, merchant: MerchantInstallation, port: int) -> None:
    url = f"smtp://127.0.0.1:{port}?from=hello%40shop-one.example"
    answer = post_graphql(app.test_client(), merchant.headers(), SET_SERVER, {"url": url})
    assert answer.get_json()["data"]["setMailServer"]["errors"] == []


def test_a_reply_goes_through_the_shops_own_mail_server(
    mail_app: Flask,
    database: Database,
    merchant: MerchantInstallation,
    smtp: tuple[Inbox, int],
    shop_smtp: tuple[Inbox, int],
) -> None:
    _set_shop_server(mail_app, merchant, shop_smtp[1])
    public_id = _away_visitor(mail_app, database, merchant)
    client = mail_app.test_client()
    replied = post_graphql(client, merchant.headers(), REPLY, {"id": public_id, "body": "Sí."})
    assert replied.get_json()["data"]["chatReply"]["errors"] == []
    [mail] = shop_smtp[0].wait()
    assert (mail["To"], mail["From"]) == ("eva@example.com", "hello@shop-one.example")
    time.sleep(0.3)
    assert smtp[0].messages == []


def test_an_unreadable_shop_server_refuses_the_reply_before_storing_it(
    mail_app: Flask,
    settings: Settings,
    database: Database,
    merchant: MerchantInstallation,
    smtp: tuple[Inbox, int],
    shop_smtp: tuple[Inbox, int],
) -> None:
    # given a visitor away and a shop server set under a secret key since changed
    _set_shop_server(mail_app, merchant, shop_smtp[1])
    public_id = _away_visitor(mail_app, database, merchant)
    url = f"smtp://127.0.0.1:{smtp[1]}?from=shop%40example.com"
    for rotated in _chat_app(settings, smtp_url=url, secret_key=ROTATED):
        client = rotated.test_client()
        # when the staff reply
        body = {"id": public_id, "body": "Sí."}
        answer = post_graphql(client, merchant.headers(), REPLY, body).get_json()["data"]
        # then the page says why, the reply is not stored, and nothing went by either server
        assert answer["chatReply"] == {
            "message": None,
            "errors": [
                {"field": "mailServer", "code": "mail_server_unreadable", "message": UNREADABLE}
            ],
        }
        shown = post_graphql(client, merchant.headers(), CONVERSATION, {"id": public_id})
        bodies = [m["body"] for m in shown.get_json()["data"]["chatConversation"]["messages"]]
        assert "Sí." not in bodies
    time.sleep(0.3)
    assert smtp[0].messages == [] and shop_smtp[0].messages == []


def test_no_mail_while_the_visitor_is_here_or_left_no_address(
    mail_app: Flask,
    database: Database,
    merchant: MerchantInstallation,
    smtp: tuple[Inbox, int],
) -> None:
    inbox, _ = smtp
    visitor = mail_app.test_client()
    here, here_auth, _ = start(visitor, merchant)
    visitor.post(_path(here, "email"), json={"email": "eva@example.com"}, headers=here_auth)
    silent, _, _ = start(visitor, merchant, visitorId="visitor-2")
    _away(database, silent)
    client = mail_app.test_client()
    for public_id in (here, silent):
        post_graphql(client, merchant.headers(), REPLY, {"id": public_id, "body": "Hello"})
    time.sleep(0.5)
    assert inbox.messages == []


def test_a_bad_email_is_refused(mail_app: Flask, merchant: MerchantInstallation) -> None:
    visitor: FlaskClient = mail_app.test_client()
    public_id, auth, _ = start(visitor, merchant)
    answer = visitor.post(_path(public_id, "email"), json={"email": "not-an-address"}, headers=auth)
    assert answer.status_code == 400
    assert answer.get_json()["error"] == {
        "code": "invalid_email",
        "message": "This is not an email address.",
        "field": "email",
    }


@pytest.mark.parametrize(
    "url",
    [
        "http://mail.example.com",
        "smtp://?from=a@b.c",
        "smtp://mail.example.com",
        "smtp://h:x?from=a@b",
    ],
)
def test_a_malformed_smtp_url_stops_the_start_naming_the_variable(url: str) -> None:
    with pytest.raises(SmtpUrlError):
        parse_smtp_url(url)
    with pytest.raises(ConfigError, match="PROACTIVE_SMTP_URL"):
        settings_from_env({"PROACTIVE_SMTP_URL": url})


def test_an_smtp_url_names_server_credentials_and_sender() -> None:
    config = parse_smtp_url(
        "smtp+starttls://ana%40shop:p%2Fw@mail.example.com?from=shop@example.com"
    )
    assert (config.host, config.port, config.username, config.password, config.sender) == (
        "mail.example.com",
        587,
        "ana@shop",
        "p/w",
        "shop@example.com",
    )
