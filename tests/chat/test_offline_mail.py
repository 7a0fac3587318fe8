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
from saleor_proactive.store.models import ChatConversation, utcnow
from tests.chat.test_http import REPLY, _chat_app, _path, start
from tests.fixtures.dashboard import MerchantInstallation, post_graphql


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


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


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
