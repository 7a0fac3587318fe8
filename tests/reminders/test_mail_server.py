"""The shop's own mail server: set on the app page, never shown back with its password, used
for reminders before the operator's PROACTIVE_SMTP_URL, and never silently replaced by it when
it cannot be read. Real SMTP servers on 127.0.0.1, two of them: the operator's and the shop's."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from saleor_proactive.app import create_app
from saleor_proactive.config import Settings
from saleor_proactive.reminders.delivery import MAX_ATTEMPTS
from saleor_proactive.store.crypto import InvalidToken
from saleor_proactive.store.db import Database, get_database
from saleor_proactive.store.installations import app_token
from saleor_proactive.store.mail_server import UNREADABLE
from saleor_proactive.store.models import Installation, ReminderDelivery, utcnow
from tests.dashboard.test_auth import _forged_tokens
from tests.fixtures.dashboard import MerchantInstallation, post_graphql
from tests.fixtures.reminders import Mailbox, abandon_checkout, enable_reminders, shop_smtp_url
from tests.reminders.test_delivery import rows, run_scan

FIELDS = "configured host port sender tls username"
QUERY = f"query {{ mailServer {{ {FIELDS} }} }}"
SET = f"""mutation S($url: String!) {{ setMailServer(url: $url) {{
  mailServer {{ {FIELDS} }} errors {{ field code message }} }} }}"""
CLEAR = f"mutation {{ clearMailServer {{ mailServer {{ {FIELDS} }} errors {{ message }} }} }}"
SEND = "mutation { remindersSendTest { sentTo errors { field code message } } }"
NOT_SET = {k: None for k in FIELDS.split()} | {"configured": False}
ROTATED = "a-new-secret-key-after-the-old-one-leaked"


def _client(settings: Settings) -> Iterator[FlaskClient]:
    app = create_app(settings)
    yield app.test_client()
    get_database(app).dispose()


@pytest.fixture
def client(reminder_settings: Settings, database: Database) -> Iterator[FlaskClient]:
    yield from _client(reminder_settings)


def _set(client: FlaskClient, merchant: MerchantInstallation, url: str) -> Any:
    response = post_graphql(client, merchant.headers(), SET, {"url": url})
    assert response.status_code == 200, response.text
    return response.get_json()["data"]["setMailServer"]


def _shown(client: FlaskClient, merchant: MerchantInstallation, **token: Any) -> Any:
    return post_graphql(client, merchant.headers(**token), QUERY).get_json()["data"]["mailServer"]


def _stored(database: Database, installation_id: int) -> str | None:
    with database.session() as session:
        installation = session.get(Installation, installation_id)
        assert installation is not None
        return installation.mail_server_encrypted


def test_reminders_go_through_the_shops_server_and_back_to_the_operators_once_cleared(
    client: FlaskClient,
    database: Database,
    reminder_settings: Settings,
    merchant: MerchantInstallation,
    mailbox: tuple[Mailbox, int],
    shop_mailbox: tuple[Mailbox, int],
) -> None:
    # given the shop's own server, set on the app page, and the operator's in PROACTIVE_SMTP_URL
    operators, shops = mailbox[0], shop_mailbox[0]
    result = _set(client, merchant, shop_smtp_url(shop_mailbox[1]))
    assert result["errors"] == []
    assert result["mailServer"] == {
        "configured": True,
        "host": "127.0.0.1",
        "port": shop_mailbox[1],
        "sender": "hello@shop-one.example",
        "tls": "none",
        "username": None,
    }
    enable_reminders(database, merchant.id)
    abandon_checkout(database, merchant, 1, email="ana@example.com")

    # when a reminder comes due
    run_scan(database, reminder_settings)

    # then it leaves through the shop's server, from the shop's sender; none through the other
    [message] = shops.wait(1)
    assert (message["To"], message["From"]) == ("ana@example.com", "hello@shop-one.example")
    assert operators.messages == []

    # when the merchant clears it, the next reminder goes through the operator's server
    cleared = post_graphql(client, merchant.headers(), CLEAR).get_json()["data"]
    assert cleared["clearMailServer"] == {"mailServer": NOT_SET, "errors": []}
    assert _shown(client, merchant) == NOT_SET
    abandon_checkout(database, merchant, 2, email="bo@example.com")
    run_scan(database, reminder_settings)
    [fallback] = operators.wait(1)
    assert (fallback["To"], fallback["From"]) == ("bo@example.com", "shop@example.com")
    assert len(shops.messages) == 1


def test_the_test_reminder_goes_through_the_shops_server(
    client: FlaskClient,
    database: Database,
    merchant: MerchantInstallation,
    mailbox: tuple[Mailbox, int],
    shop_mailbox: tuple[Mailbox, int],
) -> None:
    enable_reminders(database, merchant.id)
    _set(client, merchant, shop_smtp_url(shop_mailbox[1], "news@shop-one.example"))
    result = post_graphql(client, merchant.headers(), SEND).get_json()["data"]
    assert result["remindersSendTest"] == {"sentTo": "owner@example.com", "errors": []}
    [message] = shop_mailbox[0].wait(1)
    assert message["From"] == "news@shop-one.example"
    assert mailbox[0].messages == []


def test_the_password_is_never_returned_and_not_stored_in_clear(
    client: FlaskClient, database: Database, merchant: MerchantInstallation
) -> None:
    url = "smtp+starttls://ana%40shop:s3cret%2Fpass@127.0.0.1:2587?from=hello@shop-one.example"
    response = post_graphql(client, merchant.headers(), SET, {"url": url})
    shown = post_graphql(client, merchant.headers(user_permissions=[]), QUERY)
    for body in (response.text, shown.text):
        assert "s3cret" not in body
    assert shown.get_json()["data"]["mailServer"] == {
        "configured": True,
        "host": "127.0.0.1",
        "port": 2587,
        "sender": "hello@shop-one.example",
        "tls": "starttls",
        "username": "ana@shop",
    }
    stored = _stored(database, merchant.id)
    assert stored is not None and "s3cret" not in stored and "ana" not in stored


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("smtp://mail.shop-one.example", "needs ?from=<sender address>"),
        ("https://mail.shop-one.example?from=a@shop-one.example", "must start with smtp://"),
        ("smtp://mail.shop-one.example?from=a@shop-one.example&tls=yes", "unknown option `tls`"),
        ("smtp://mail.shop-one.example:99999?from=a@shop-one.example", "has an invalid port"),
        ("smtp://mail.shop-one.example?from=a@x%0D%0ABcc:b@evil.example", "needs ?from="),
        ("smtp://ana:pw@mail.shop-one.example?from=a@shop-one.example", "unencrypted: use smtps"),
        ("smtp://10.0.0.5?from=a@shop-one.example", "names a private address"),
        ("smtps://localhost?from=a@shop-one.example", "names a private address"),
        ("smtp://" + "m" * 3000 + "?from=a@shop-one.example", "longer than 2048 characters"),
    ],
)
def test_a_bad_url_is_refused_naming_the_problem_and_the_old_one_stays(
    client: FlaskClient, merchant: MerchantInstallation, url: str, words: str
) -> None:
    good = "smtps://mail.shop-one.example?from=hello@shop-one.example"
    assert _set(client, merchant, good)["errors"] == []
    result = _set(client, merchant, url)
    assert result["mailServer"] is None
    [error] = result["errors"]
    assert (error["field"], error["code"]) == ("url", "invalid")
    assert error["message"].startswith("The mail server URL ") and words in error["message"]
    assert _shown(client, merchant)["host"] == "mail.shop-one.example"


def test_a_malformed_request_is_a_400_naming_the_argument(
    client: FlaskClient, merchant: MerchantInstallation
) -> None:
    for query in ("mutation { setMailServer { errors { message } } }", SET):
        response = post_graphql(client, merchant.headers(), query, {"url": 25})
        assert response.status_code == 400
        assert "url" in response.get_json()["errors"][0]["message"]


def test_changing_it_needs_manage_apps_and_a_genuine_token(
    client: FlaskClient, database: Database, merchant: MerchantInstallation
) -> None:
    url = "smtps://mail.shop-one.example?from=hello@shop-one.example"
    assert _set(client, merchant, url)["errors"] == []
    before = _stored(database, merchant.id)
    staff = merchant.headers(user_permissions=["MANAGE_ORDERS"])
    for query in (SET, CLEAR):
        refused = post_graphql(client, staff, query, {"url": "smtps://evil.example?from=a@b.c"})
        assert refused.status_code == 403
        assert refused.get_json()["error"]["code"] == "permission_denied"
        for label, token in _forged_tokens(merchant).items():
            forged = post_graphql(client, merchant.headers(token), query, {"url": url})
            assert forged.status_code == 401, label
    assert _stored(database, merchant.id) == before
    assert _shown(client, merchant, user_permissions=[])["host"] == "mail.shop-one.example"


def test_an_unreadable_setting_sends_nothing_loses_nothing_and_says_so(
    client: FlaskClient,
    database: Database,
    reminder_settings: Settings,
    merchant: MerchantInstallation,
    mailbox: tuple[Mailbox, int],
    shop_mailbox: tuple[Mailbox, int],
) -> None:
    # given a shop server set under one secret key, then the key changed
    _set(client, merchant, shop_smtp_url(shop_mailbox[1]))
    enable_reminders(database, merchant.id)
    checkout_id = abandon_checkout(database, merchant, 1)
    rotated = reminder_settings.with_overrides(secret_key=ROTATED)

    # when the worker scans, again and again, past the attempts a failing server would get
    now = utcnow()
    for scan in range(MAX_ATTEMPTS + 2):
        run_scan(database, rotated, now + timedelta(minutes=16 * scan))

    # then nothing went through either server, and the reminder waits, saying why
    assert mailbox[0].messages == [] and shop_mailbox[0].messages == []
    assert rows(database) == [(checkout_id, 1, "retry", UNREADABLE)]
    with database.session() as session:
        assert session.scalars(select(ReminderDelivery.attempts)).all() == [0]

    # and the app page says so, on the setting and on a test send
    for page in _client(rotated):
        shown = post_graphql(page, merchant.headers(), QUERY)
        assert shown.status_code == 200
        assert shown.get_json()["data"] == {"mailServer": None}
        assert [e["message"] for e in shown.get_json()["errors"]] == [UNREADABLE]
        sent = post_graphql(page, merchant.headers(), SEND).get_json()["data"]
        assert sent["remindersSendTest"]["errors"][0]["message"] == UNREADABLE

        # when the merchant enters it again, the waiting reminder goes
        assert _set(page, merchant, shop_smtp_url(shop_mailbox[1]))["errors"] == []
    run_scan(database, rotated, now + timedelta(minutes=16 * (MAX_ATTEMPTS + 3)))
    assert len(shop_mailbox[0].wait(1)) == 1 and mailbox[0].messages == []
    assert [state for _c, _s, state, _o in rows(database)] == ["sent"]


def test_a_value_for_one_purpose_or_shop_does_not_read_as_another(
    client: FlaskClient,
    database: Database,
    merchant: MerchantInstallation,
    other_merchant: MerchantInstallation,
    reminder_settings: Settings,
) -> None:
    _set(client, merchant, "smtps://mail.shop-one.example?from=hello@shop-one.example")
    with database.session() as session:
        mine = session.get(Installation, merchant.id)
        theirs = session.get(Installation, other_merchant.id)
        assert mine is not None and theirs is not None
        theirs.mail_server_encrypted = mine.mail_server_encrypted  # copied to another shop
        token = mine.token_encrypted
        mine.token_encrypted, mine.mail_server_encrypted = mine.mail_server_encrypted or "", token
    shown = post_graphql(client, other_merchant.headers(), QUERY).get_json()
    assert [e["message"] for e in shown["errors"]] == [UNREADABLE]
    shown = post_graphql(client, merchant.headers(), QUERY).get_json()  # the app token's value
    assert [e["message"] for e in shown["errors"]] == [UNREADABLE]
    with database.session() as session:
        swapped = session.get(Installation, merchant.id)
        assert swapped is not None
        with pytest.raises(InvalidToken):  # the mail server's value as an app token
            app_token(swapped, reminder_settings.require_secret_key())


def test_a_shop_server_on_a_private_address_is_not_reached_unless_the_operator_names_it(
    client: FlaskClient,
    database: Database,
    reminder_settings: Settings,
    merchant: MerchantInstallation,
    mailbox: tuple[Mailbox, int],
    shop_mailbox: tuple[Mailbox, int],
) -> None:
    # given a shop server on 127.0.0.1, allowed while the operator named that host
    _set(client, merchant, shop_smtp_url(shop_mailbox[1]))
    enable_reminders(database, merchant.id)
    checkout_id = abandon_checkout(database, merchant, 1)

    # when the operator's list no longer names it
    public_only = reminder_settings.with_overrides(allowed_saleor_urls=("https://*",))
    run_scan(database, public_only)

    # then the worker does not connect there (nor falls back), and says why
    assert shop_mailbox[0].messages == [] and mailbox[0].messages == []
    reason = "the mail server's name leads to a private address"
    assert rows(database) == [(checkout_id, 1, "retry", reason)]
    for page in _client(public_only):
        again = _set(page, merchant, shop_smtp_url(shop_mailbox[1]))
        assert "names a private address" in again["errors"][0]["message"]
