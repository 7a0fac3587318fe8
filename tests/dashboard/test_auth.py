"""The merchant API over HTTP: only a Dashboard token of this installation's Saleor gets in."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from flask.testing import FlaskClient

from saleor_proactive.store.db import Database
from saleor_proactive.store.models import Installation, utcnow
from tests.fixtures.dashboard import (
    MerchantInstallation,
    install,
    new_signing_key,
    post_graphql,
)

LIST = "{ triggers { totalCount } }"
CREATE = """mutation { createTrigger(input: {document: {
  name: "x", when: {pageType: {in: ["faq"]}}, show: {type: "chat_prompt", message: {en: "Hi"}}
}}) { trigger { id } errors { field } } }"""


def total(client: FlaskClient, merchant: MerchantInstallation) -> int:
    response = post_graphql(client, merchant.headers(), LIST)
    assert response.status_code == 200, response.json
    return int(response.json["data"]["triggers"]["totalCount"])


def test_a_valid_token_reads(client: FlaskClient, merchant: MerchantInstallation):
    # when
    response = post_graphql(client, merchant.headers(), "{ installation { canWrite userEmail } }")

    # then
    assert response.status_code == 200
    assert response.json["data"]["installation"] == {
        "canWrite": True,
        "userEmail": "owner@example.com",
    }


def test_the_authorization_bearer_form_is_accepted_too(
    client: FlaskClient, merchant: MerchantInstallation
):
    # given
    headers = {"Authorization": f"Bearer {merchant.token()}", "Saleor-Api-Url": merchant.api_url}

    # when
    response = post_graphql(client, headers, LIST)

    # then
    assert response.status_code == 200
    assert response.json["data"]["triggers"]["totalCount"] == 0


def _forged_tokens(merchant: MerchantInstallation) -> dict[str, str]:
    stranger = new_signing_key()
    return {
        "signed by another key with the same kid": jwt.encode(
            {"iss": merchant.api_url, "exp": 2**31, "app": merchant.app_id},
            stranger.private,
            "RS256",
            headers={"kid": merchant.key.kid},
        ),
        "expired": merchant.token(lifetime=-60),
        "without exp": merchant.token(exp=None),
        "for another app": merchant.token(app="QXBwOjk5OQ=="),
        "issued by another Saleor": merchant.token(iss="https://evil.example.com/graphql/"),
        "HS256 with the public key as secret": jwt.encode(
            {"iss": merchant.api_url, "exp": 2**31, "app": merchant.app_id},
            "not-the-key-but-long-enough-for-hmac-sha256",
            "HS256",
            headers={"kid": merchant.key.kid},
        ),
        "alg none": jwt.encode(
            {"iss": merchant.api_url, "exp": 2**31, "app": merchant.app_id}, None, "none"
        ),
        "not a JWT": "hello.world",
        "tampered payload": _tamper(merchant.token(user_permissions=[])),
    }


def _tamper(token: str) -> str:
    header, _, signature = token.split(".")
    import base64

    claims = {"iss": "x", "exp": 2**31, "app": "x", "user_permissions": ["MANAGE_APPS"]}
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"{header}.{body}.{signature}"


def test_forged_expired_and_foreign_tokens_are_refused_and_change_nothing(
    client: FlaskClient, merchant: MerchantInstallation
):
    for label, token in _forged_tokens(merchant).items():
        # when
        response = post_graphql(client, merchant.headers(token), CREATE)

        # then
        assert response.status_code == 401, label
        assert response.json["error"]["code"] in ("invalid_token", "token_expired"), label
        assert "message" in response.json["error"]
    assert total(client, merchant) == 0


def test_missing_headers_and_unknown_saleor_are_401(
    client: FlaskClient, merchant: MerchantInstallation
):
    # given
    cases = {
        "missing_token": {"Saleor-Api-Url": merchant.api_url},
        "missing_saleor_api_url": {"Authorization-Bearer": merchant.token()},
        "unknown_installation": {
            "Authorization-Bearer": merchant.token(iss="https://unknown.example.com/graphql/"),
            "Saleor-Api-Url": "https://unknown.example.com/graphql/",
        },
    }
    for code, headers in cases.items():
        # when
        response = post_graphql(client, headers, LIST)

        # then
        assert response.status_code == 401, code
        assert response.json["error"]["code"] == code


def test_a_token_of_one_installation_does_not_open_another(
    client: FlaskClient, merchant: MerchantInstallation, other_merchant: MerchantInstallation
):
    # given: a genuine token of the other Saleor, presented with this Saleor's URL
    headers = {
        "Authorization-Bearer": other_merchant.token(),
        "Saleor-Api-Url": merchant.api_url,
    }

    # when
    response = post_graphql(client, headers, CREATE)

    # then
    assert response.status_code == 401
    assert total(client, merchant) == 0


def test_writes_need_manage_apps(client: FlaskClient, merchant: MerchantInstallation):
    # given
    reader = merchant.headers(user_permissions=["MANAGE_ORDERS"])

    # when
    read = post_graphql(client, reader, LIST)
    write = post_graphql(client, reader, CREATE)

    # then
    assert read.status_code == 200
    assert write.status_code == 403
    assert write.json["error"]["code"] == "permission_denied"
    assert total(client, merchant) == 0


def test_a_write_hidden_behind_an_operation_name_is_still_refused(
    client: FlaskClient, merchant: MerchantInstallation
):
    # given
    document = "query Read { triggers { totalCount } } " + CREATE.replace("mutation", "mutation W")
    reader = merchant.headers(user_permissions=[])

    # when
    response = client.post(
        "/api/graphql", json={"query": document, "operationName": "W"}, headers=reader
    )

    # then
    assert response.status_code == 403
    assert total(client, merchant) == 0


class _JwksServer:
    def __init__(self) -> None:
        self.jwks: dict[str, Any] = {"keys": []}
        self.hits = 0
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.hits += 1
                body = json.dumps(owner.jwks).encode()
                self.send_response(200 if self.path == "/.well-known/jwks.json" else 404)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/graphql/"


@pytest.fixture
def jwks_server() -> Iterator[_JwksServer]:
    server = _JwksServer()
    yield server
    server.server.shutdown()
    server.thread.join(timeout=5)


def test_a_rotated_key_is_fetched_once_and_the_refetch_is_rate_limited(
    client: FlaskClient, database: Database, jwks_server: _JwksServer
):
    # given: the installation cached its old key a while ago; Saleor now signs with a new one
    merchant = install(database, jwks_server.api_url)
    with database.session() as session:
        row = session.get(Installation, merchant.id)
        assert row is not None
        row.jwks_fetched_at = utcnow() - timedelta(minutes=5)
    rotated = new_signing_key()
    jwks_server.jwks = {"keys": [rotated.jwk()]}
    unknown = new_signing_key()

    # when
    accepted = post_graphql(client, merchant.headers(merchant.token(key=rotated)), LIST)
    refused = post_graphql(client, merchant.headers(merchant.token(key=unknown)), LIST)

    # then
    assert accepted.status_code == 200
    assert refused.status_code == 401
    assert jwks_server.hits == 1  # the second unknown kid came within the minute
