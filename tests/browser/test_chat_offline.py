"""The offline path in Chromium: nobody is online, the visitor leaves an email in the panel and
goes away, and the staff's reply reaches a real SMTP server on 127.0.0.1 with a link back."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest

from saleor_proactive.config import Settings
from saleor_proactive.store.db import get_database
from saleor_proactive.store.models import ChatConversation, utcnow
from tests.browser.support import DemoShop, Tab, widget
from tests.browser.test_chat_panel import CONTACT_CHAT, INBOX, REPLY, merchant_api, panel
from tests.chat.test_offline_mail import Inbox, smtp
from tests.conftest import TEST_SECRET

pytestmark = pytest.mark.browser
__all__ = ["smtp"]  # the fixture, used by `settings` below


@pytest.fixture
def settings(migrated_database_url: str, smtp: tuple[Inbox, int]) -> Iterator[Settings]:
    """The suite's settings plus the shop's SMTP server."""
    yield Settings(
        database_url=migrated_database_url,
        secret_key=TEST_SECRET,
        allowed_saleor_urls=("http://127.0.0.1:*", "https://*"),
        smtp_url=f"smtp://127.0.0.1:{smtp[1]}?from=shop%40example.com",
    )


def test_an_offline_visitor_leaves_an_email_and_the_reply_arrives_by_mail(
    tab: Tab, demo_shop: DemoShop, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    demo_shop.use_rules(CONTACT_CHAT)
    tab.page.goto(demo_shop.url + "/contact")
    widget(tab.page, ".cta").click()
    # nobody has the inbox open: the panel says so and asks for an email
    panel(tab, ".note").wait_for(timeout=5000)
    assert "Nobody is online" in panel(tab, ".note").text_content()
    panel(tab, "input[type=email]").fill("eva@example.com")
    panel(tab, "form.email button").click()
    panel(
        tab,
        ".note",
    ).filter(has_text="answer by email").wait_for(timeout=5000)
    tab.page.goto("about:blank")  # the visitor leaves
    with get_database(demo_shop.installed.live.app).session() as session:
        conversation = session.query(ChatConversation).one()
        assert conversation.visitor_email == "eva@example.com"
        conversation.visitor_seen_at = utcnow() - timedelta(minutes=5)  # a while ago

    [listed] = merchant_api(demo_shop, INBOX)["chatConversations"]
    merchant_api(demo_shop, REPLY, {"id": listed["id"], "body": "Yes, we ship there."})

    [mail] = inbox.wait()
    assert mail["To"] == "eva@example.com"
    text = mail.get_content()  # type: ignore[attr-defined]
    assert text.startswith("Yes, we ship there.")
    link = re.search(r"http://\S+", text)
    assert link is not None
    # the link reopens the conversation on the app's own page
    tab.page.goto(link.group(0))
    panel(tab, ".log li.agent").wait_for(timeout=5000)
    assert "Yes, we ship there." in panel(tab, ".log li.agent").text_content()
    assert tab.errors == []
