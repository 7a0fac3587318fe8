"""The chat over HTTP: a visitor on `/storefront/v1/chat`, the staff on the merchant API."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from saleor_proactive.app import create_app
from saleor_proactive.chat.runtime import get_chat
from saleor_proactive.config import Settings
from saleor_proactive.rulebook import seed_default_triggers
from saleor_proactive.store.db import Database, get_database
from saleor_proactive.store.models import Visitor, utcnow
from saleor_proactive.storefront.action_ids import ActionSigner
from tests.conftest import TEST_SECRET
from tests.fixtures.dashboard import MerchantInstallation, add_checkout, post_graphql

START = "/storefront/v1/chat/conversations"
SHOP_ORIGIN = "https://shop-one.example.com"

INBOX = """query { chatConversations { id status unread lastMessage
  messages { id author authorEmail body } } chatUnread }"""
REPLY = """mutation R($id: ID!, $body: String!) { chatReply(conversationId: $id, body: $body) {
  message { id author authorEmail body } errors { field code message } } }"""
CLOSE = """mutation C($id: ID!) { chatClose(conversationId: $id) {
  conversation { status } errors { code } } }"""
CONTEXT = """query Q($id: ID!) { chatConversation(id: $id) { context {
  triggerName openingMessage channel locale device pageUrl
  productsViewed { id } cart { checkoutId value { amount currency }
    remainingToFreeShipping { amount } lines { quantity total { amount } } } } } }"""


def _chat_app(settings: Settings, **changes: Any) -> Iterator[Flask]:
    app = create_app(settings.with_overrides(**changes))
    app.config["TESTING"] = True
    yield app
    get_chat(app).fanout.close()
    get_database(app).dispose()


@pytest.fixture
def chat_app(settings: Settings, database: Database) -> Iterator[Flask]:
    # Settings reach the visitor API at once (else within a second).
    yield from _chat_app(settings, chat_visitor_messages="5/minute", store_validate_seconds=0)


@pytest.fixture
def visitor(chat_app: Flask) -> FlaskClient:
    return chat_app.test_client()


def start(
    client: FlaskClient, merchant: MerchantInstallation, **fields: Any
) -> tuple[str, dict[str, str], dict[str, Any]]:
    body = {
        "saleorApiUrl": merchant.api_url,
        "channel": "default-channel",
        "visitorId": "visitor-1",
        "locale": "es-ES",
        **fields,
    }
    answer = client.post(START, json=body, headers={"Origin": SHOP_ORIGIN})
    assert answer.status_code == 201, answer.get_json()
    state = answer.get_json()
    conversation = state["conversation"]
    return conversation["id"], {"Authorization": f"Bearer {conversation['token']}"}, state


def _path(public_id: str, part: str = "messages") -> str:
    return f"{START}/{public_id}/{part}"


def _chat_trigger(database: Database, merchant: MerchantInstallation) -> str:
    with database.session() as session:
        triggers = seed_default_triggers(session, merchant.id)
        return next(t.id for t in triggers if t.document["show"]["type"] == "chat_prompt")


def test_a_prompt_opens_a_conversation_the_shop_starts_and_only_its_token_reads(
    visitor: FlaskClient, database: Database, merchant: MerchantInstallation
) -> None:
    trigger_id = _chat_trigger(database, merchant)
    action_id = ActionSigner(TEST_SECRET).issue(merchant.id, "visitor-1", trigger_id)
    public_id, auth, state = start(visitor, merchant, actionId=action_id)
    assert state["conversation"]["status"] == "open"
    assert state["conversation"]["online"] is False  # nobody has the inbox open
    [first] = state["messages"]
    assert first["author"] == "shop" and first["body"]

    answer = visitor.get(_path(public_id), headers=auth)
    assert answer.status_code == 200
    assert answer.get_json()["messages"] == state["messages"]
    assert answer.headers["Cache-Control"] == "no-store"

    other_id, other_auth, _ = start(visitor, merchant, visitorId="visitor-2")
    for headers in (other_auth, {"Authorization": "Bearer forged"}):
        refused = visitor.get(_path(public_id), headers=headers)
        assert refused.status_code == 404
        assert refused.get_json()["error"]["code"] == "unknown_conversation"
    assert visitor.get(_path(public_id)).status_code == 401
    assert visitor.post(_path(other_id), json={"body": "hi"}, headers=auth).status_code == 404


def test_an_action_id_issued_to_someone_else_starts_nothing(
    visitor: FlaskClient, database: Database, merchant: MerchantInstallation
) -> None:
    trigger_id = _chat_trigger(database, merchant)
    foreign = ActionSigner(TEST_SECRET).issue(merchant.id, "someone-else", trigger_id)
    body = {
        "saleorApiUrl": merchant.api_url,
        "channel": "default-channel",
        "visitorId": "visitor-1",
        "actionId": foreign,
    }
    answer = visitor.post(START, json=body)
    assert answer.status_code == 400
    assert answer.get_json()["error"] == {
        "code": "invalid_action_id",
        "message": "This action was not issued to you.",
        "field": "actionId",
    }


@pytest.mark.parametrize(
    ("body", "code"),
    [("", "empty"), ("x" * 2001, "too_long"), ("a\x1bb", "control_characters"), (7, "invalid")],
)
def test_unfit_lines_are_refused_with_json_naming_the_problem(
    visitor: FlaskClient, merchant: MerchantInstallation, body: object, code: str
) -> None:
    public_id, auth, _ = start(visitor, merchant)
    answer = visitor.post(_path(public_id), json={"body": body}, headers=auth)
    assert answer.status_code == 400
    assert answer.get_json()["error"]["code"] == code
    assert answer.get_json()["error"]["field"] == "body"


def test_a_visitor_sending_too_fast_gets_429_with_retry_after(
    visitor: FlaskClient, merchant: MerchantInstallation
) -> None:
    public_id, auth, _ = start(visitor, merchant)
    for n in range(5):
        assert (
            visitor.post(_path(public_id), json={"body": f"line {n}"}, headers=auth).status_code
            == 201
        )
    refused = visitor.post(_path(public_id), json={"body": "one too many"}, headers=auth)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    assert refused.get_json()["error"]["code"] == "rate_limited"


def test_staff_without_manage_apps_answer_and_the_visitor_sees_the_reply_but_not_who(
    visitor: FlaskClient, chat_app: Flask, merchant: MerchantInstallation
) -> None:
    public_id, auth, _ = start(visitor, merchant)
    visitor.post(_path(public_id), json={"body": "Do you ship to Canarias?"}, headers=auth)
    staff = merchant.headers(user_permissions=[], email="ana@shop.example")
    client = chat_app.test_client()

    inbox = post_graphql(client, staff, INBOX).get_json()["data"]
    assert inbox["chatUnread"] == 1
    [entry] = inbox["chatConversations"]
    assert (entry["id"], entry["unread"], entry["lastMessage"]) == (
        public_id,
        1,
        "Do you ship to Canarias?",
    )

    replied = post_graphql(client, staff, REPLY, {"id": public_id, "body": "Yes, in 3 days."})
    assert replied.status_code == 200, replied.get_json()
    message = replied.get_json()["data"]["chatReply"]["message"]
    assert message["authorEmail"] == "ana@shop.example"
    lines = visitor.get(_path(public_id), headers=auth).get_json()["messages"]
    assert lines[-1] == {**lines[-1], "author": "agent", "body": "Yes, in 3 days."}
    assert "ana@shop.example" not in str(lines)

    settings = 'mutation { updateSettings(input: {chatProvider: "none"}) { errors { code } } }'
    assert post_graphql(client, staff, settings).status_code == 403
    mixed = "mutation M($id: ID!) { chatClose(conversationId: $id) { errors { code } } " + (
        'updateSettings(input: {chatProvider: "none"}) { errors { code } } }'
    )
    assert post_graphql(client, staff, mixed, {"id": public_id}).status_code == 403


def test_an_empty_reply_is_a_field_error_and_another_shop_cannot_touch_the_conversation(
    visitor: FlaskClient,
    chat_app: Flask,
    merchant: MerchantInstallation,
    other_merchant: MerchantInstallation,
) -> None:
    public_id, _, _ = start(visitor, merchant)
    client = chat_app.test_client()
    empty = post_graphql(client, merchant.headers(), REPLY, {"id": public_id, "body": "  "})
    assert empty.get_json()["data"]["chatReply"]["errors"] == [
        {"field": "body", "code": "empty", "message": "The message is empty."}
    ]
    foreign = post_graphql(client, other_merchant.headers(), REPLY, {"id": public_id, "body": "x"})
    assert foreign.get_json()["data"]["chatReply"]["errors"][0]["code"] == "not_found"
    assert (
        post_graphql(client, other_merchant.headers(), INBOX).get_json()["data"][
            "chatConversations"
        ]
        == []
    )


def test_a_waiting_visitor_gets_the_reply_as_soon_as_it_is_written(
    visitor: FlaskClient, chat_app: Flask, merchant: MerchantInstallation
) -> None:
    public_id, auth, state = start(visitor, merchant)
    after = max([m["id"] for m in state["messages"]] or [0])
    got: list[tuple[float, Any]] = []

    def wait() -> None:
        started = time.monotonic()
        answer = chat_app.test_client().get(
            _path(public_id) + f"?after={after}&wait=10", headers=auth
        )
        got.append((time.monotonic() - started, answer.get_json()))

    reader = threading.Thread(target=wait)
    reader.start()
    time.sleep(0.3)
    post_graphql(
        chat_app.test_client(), merchant.headers(), REPLY, {"id": public_id, "body": "Hola"}
    )
    reader.join(10)
    [(elapsed, body)] = got
    assert [m["body"] for m in body["messages"]] == ["Hola"]
    assert elapsed < 2.0


def test_the_inbox_wait_answers_when_a_visitor_writes_and_marks_the_staff_online(
    visitor: FlaskClient, chat_app: Flask, merchant: MerchantInstallation
) -> None:
    public_id, auth, _ = start(visitor, merchant)
    client = chat_app.test_client()
    first = client.post("/api/chat/wait", json={"after": 0, "wait": 0}, headers=merchant.headers())
    assert first.status_code == 200
    latest = first.get_json()["latestMessageId"]
    got: list[Any] = []
    waiter = threading.Thread(
        target=lambda: got.append(
            chat_app.test_client()
            .post("/api/chat/wait", json={"after": latest, "wait": 10}, headers=merchant.headers())
            .get_json()
        )
    )
    waiter.start()
    time.sleep(0.3)
    sent = visitor.post(_path(public_id), json={"body": "hello?"}, headers=auth).get_json()
    waiter.join(10)
    assert got == [{"latestMessageId": sent["message"]["id"]}]
    assert visitor.get(_path(public_id), headers=auth).get_json()["conversation"]["online"] is True
    assert client.post("/api/chat/wait", json={"after": -1}).status_code == 401
    bad = client.post("/api/chat/wait", json={"after": -1}, headers=merchant.headers())
    assert bad.status_code == 400 and bad.get_json()["error"]["field"] == "after"


def test_closing_shows_on_both_sides_and_a_visitor_line_reopens(
    visitor: FlaskClient, chat_app: Flask, merchant: MerchantInstallation
) -> None:
    public_id, auth, _ = start(visitor, merchant)
    client = chat_app.test_client()
    closed = post_graphql(client, merchant.headers(), CLOSE, {"id": public_id}).get_json()
    assert closed["data"]["chatClose"]["conversation"]["status"] == "closed"
    assert (
        visitor.get(_path(public_id), headers=auth).get_json()["conversation"]["status"] == "closed"
    )
    visitor.post(_path(public_id), json={"body": "wait, one more"}, headers=auth)
    inbox = post_graphql(client, merchant.headers(), INBOX).get_json()["data"]
    assert inbox["chatConversations"][0]["status"] == "open"


def test_the_context_shows_the_trigger_the_cart_and_what_was_viewed(
    visitor: FlaskClient,
    chat_app: Flask,
    database: Database,
    merchant: MerchantInstallation,
) -> None:
    trigger_id = _chat_trigger(database, merchant)
    add_checkout(database, merchant, "Q2hlY2tvdXQ6MQ==", "30")
    now = utcnow()
    with database.session() as session:
        session.add(
            Visitor(
                installation_id=merchant.id,
                visitor_id="visitor-1",
                channel="default-channel",
                session_id="s1",
                session_started_at=now,
                last_seen_at=now,
                page_url="https://shop-one.example.com/products/shoe",
                products_viewed=["UHJvZHVjdDox"],
                device="mobile",
                locale="es-ES",
                checkout_id="Q2hlY2tvdXQ6MQ==",
            )
        )
    action_id = ActionSigner(TEST_SECRET).issue(merchant.id, "visitor-1", trigger_id)
    public_id, _, state = start(visitor, merchant, actionId=action_id)
    answer = post_graphql(chat_app.test_client(), merchant.headers(), CONTEXT, {"id": public_id})
    context = answer.get_json()["data"]["chatConversation"]["context"]
    assert context["openingMessage"] == state["messages"][0]["body"]
    assert context["triggerName"]
    assert (context["channel"], context["locale"], context["device"]) == (
        "default-channel",
        "es-ES",
        "mobile",
    )
    assert context["pageUrl"].endswith("/products/shoe")
    assert context["productsViewed"] == [{"id": "UHJvZHVjdDox"}]
    cart = context["cart"]
    assert cart["value"] == {"amount": 30.0, "currency": "EUR"}
    assert cart["remainingToFreeShipping"] == {"amount": 20.0}  # free from 50 EUR to Spain
    assert cart["lines"] == [{"quantity": 2, "total": {"amount": 30.0}}]


def test_cors_follows_the_shops_origins_and_a_shop_with_another_tool_refuses(
    visitor: FlaskClient, chat_app: Flask, merchant: MerchantInstallation
) -> None:
    public_id, auth, _ = start(visitor, merchant)
    answer = visitor.get(_path(public_id), headers={**auth, "Origin": SHOP_ORIGIN})
    assert answer.headers["Access-Control-Allow-Origin"] == SHOP_ORIGIN
    preflight = visitor.options(_path(public_id), headers={"Origin": SHOP_ORIGIN})
    assert "Authorization" in preflight.headers["Access-Control-Allow-Headers"]
    client = chat_app.test_client()
    settings = """mutation { updateSettings(input: {
      storefrontOrigins: ["https://shop-one.example.com"], chatProvider: "crisp"}) {
      errors { field message } } }"""
    assert (
        post_graphql(client, merchant.headers(), settings).get_json()["data"]["updateSettings"][
            "errors"
        ]
        == []
    )
    refused = visitor.get(_path(public_id), headers={**auth, "Origin": "https://evil.example"})
    assert refused.status_code == 403
    assert "Access-Control-Allow-Origin" not in refused.headers
    body = {"saleorApiUrl": merchant.api_url, "channel": "default-channel", "visitorId": "v9"}
    other_tool = visitor.post(START, json=body, headers={"Origin": SHOP_ORIGIN})
    assert other_tool.status_code == 409
    assert other_tool.get_json()["error"]["code"] == "chat_not_enabled"


def test_the_chat_script_is_served_gzipped_cacheable_and_within_its_budget(
    visitor: FlaskClient,
) -> None:
    answer = visitor.get("/storefront/v1/chat.js", headers={"Accept-Encoding": "gzip"})
    assert answer.status_code == 200
    assert answer.headers["Content-Encoding"] == "gzip"
    assert answer.headers["Cache-Control"].startswith("public")
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert len(answer.data) <= 12 * 1024, f"chat.js is {len(answer.data)} bytes gzipped"
    again = visitor.get(
        "/storefront/v1/chat.js",
        headers={"Accept-Encoding": "gzip", "If-None-Match": answer.headers["ETag"]},
    )
    assert again.status_code == 304


def test_the_inbox_waits_through_the_merchant_api_too(
    visitor: FlaskClient, chat_app: Flask, merchant: MerchantInstallation
) -> None:
    public_id, auth, _ = start(visitor, merchant)
    wait = "query W($after: Int!) { chatWait(after: $after, seconds: 10) }"
    staff = merchant.headers(user_permissions=[])
    first = post_graphql(chat_app.test_client(), staff, wait, {"after": 0}).get_json()
    assert "errors" not in first, first
    latest = first["data"]["chatWait"]
    got: list[Any] = []
    waiter = threading.Thread(
        target=lambda: got.append(
            post_graphql(chat_app.test_client(), staff, wait, {"after": latest}).get_json()
        )
    )
    waiter.start()
    time.sleep(0.3)
    sent = visitor.post(_path(public_id), json={"body": "psst"}, headers=auth).get_json()
    waiter.join(10)
    assert got == [{"data": {"chatWait": sent["message"]["id"]}}]


def test_erasure_by_email_needs_manage_apps_and_deletes_that_visitors_conversations(
    visitor: FlaskClient, chat_app: Flask, merchant: MerchantInstallation
) -> None:
    erased, auth, _ = start(visitor, merchant)
    visitor.post(_path(erased, "email"), json={"email": "Eva@Example.com"}, headers=auth)
    kept, _, _ = start(visitor, merchant, visitorId="visitor-2")
    erase = """mutation E($email: String!) { chatEraseByEmail(email: $email) {
      deletedConversations errors { field code } } }"""
    client = chat_app.test_client()
    staff = merchant.headers(user_permissions=[])
    assert post_graphql(client, staff, erase, {"email": "eva@example.com"}).status_code == 403
    bad = post_graphql(client, merchant.headers(), erase, {"email": "nope"}).get_json()
    assert bad["data"]["chatEraseByEmail"]["errors"] == [
        {"field": "email", "code": "invalid_email"}
    ]
    done = post_graphql(client, merchant.headers(), erase, {"email": "eva@example.com"}).get_json()
    assert done["data"]["chatEraseByEmail"] == {"deletedConversations": 1, "errors": []}
    assert visitor.get(_path(erased), headers=auth).status_code == 404
    inbox = post_graphql(client, merchant.headers(), INBOX).get_json()["data"]
    assert [c["id"] for c in inbox["chatConversations"]] == [kept]


def test_reads_count_against_the_visitor_apis_address_limit(
    settings: Settings, database: Database, merchant: MerchantInstallation
) -> None:
    for app in _chat_app(settings.with_overrides(rate_limit_address="3/minute")):
        client = app.test_client()
        public_id, auth, _ = start(client, merchant)
        answers = [client.get(_path(public_id), headers=auth).status_code for _ in range(4)]
        assert answers == [200, 200, 200, 429]
