"""`POST /api/register` input checks and Saleor failures: an error in the contract's shape and
nothing stored."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from saleor_proactive.store.db import get_database
from saleor_proactive.store.installations import app_token, get_installation
from saleor_proactive.store.models import Channel, Installation
from saleor_proactive.store.triggers import list_triggers
from saleor_proactive.triggers.defaults import default_rule_documents
from tests.conftest import TEST_SECRET
from tests.fixtures.installation import (
    UNREACHABLE_API_URL,
    CannedSaleor,
    SaleorSigner,
    SignedInstallation,
    running_canned_saleor,
)
from tests.fixtures.live import LiveServer
from tests.saleor import builders


def post_register(
    client: FlaskClient, api_url: str | None, body: Any = None, raw: bytes | None = None
) -> Any:
    headers = {"Saleor-Api-Url": api_url} if api_url is not None else {}
    data = raw if raw is not None else json.dumps(body or {"auth_token": "app-token"})
    return client.post("/api/register", data=data, headers=headers)


def installations(app: Flask) -> int:
    with get_database(app).session() as session:
        return int(session.scalar(select(func.count()).select_from(Installation)) or 0)


@pytest.mark.parametrize(
    ("api_url", "code"),
    [
        (None, "missing_saleor_api_url"),
        ("", "missing_saleor_api_url"),
        ("ftp://127.0.0.1:8000/graphql/", "invalid_saleor_api_url"),
        ("http://127.0.0.1:8000/graphql", "invalid_saleor_api_url"),
        ("http:///graphql/", "invalid_saleor_api_url"),
        ("not a url", "invalid_saleor_api_url"),
        ("http://[::1/graphql/", "invalid_saleor_api_url"),
        ("http://127.0.0.1:99999/graphql/", "invalid_saleor_api_url"),
        ("http://127.0.0.1:8000\uff0fgraphql\uff0f", "invalid_saleor_api_url"),
        ("http://127.0.0.1:8000/graphql\uff0f", "invalid_saleor_api_url"),
        ("http://127.0.0.1:8000/graphql/?", "invalid_saleor_api_url"),
    ],
)
def test_a_missing_or_malformed_saleor_api_url_is_a_400(
    app: Flask, client: FlaskClient, api_url: str | None, code: str
) -> None:
    # when
    response = post_register(client, api_url)

    # then
    assert response.status_code == 400
    assert response.get_json()["success"] is False
    assert response.get_json()["error"]["code"] == code
    assert installations(app) == 0


def test_a_saleor_outside_the_allow_list_is_a_403(app: Flask, client: FlaskClient) -> None:
    # given the test settings allow http://127.0.0.1:* and https://*
    response = post_register(client, "http://shop.example.com/graphql/")

    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "saleor_url_prohibited"
    assert installations(app) == 0


def test_a_saleor_outside_the_allow_list_is_a_403_whatever_its_path(
    app: Flask, client: FlaskClient
) -> None:
    # given the test settings allow http://127.0.0.1:* and https://*
    # when a Saleor outside the allow-list registers with an API URL of another shape
    response = post_register(client, "http://shop.example.com/api/")

    # then the allow-list decides, before the path is looked at
    assert response.status_code == 403
    assert response.get_json()["success"] is False
    assert response.get_json()["error"]["code"] == "saleor_url_prohibited"
    assert installations(app) == 0


@pytest.mark.parametrize(
    "raw",
    [b"", b"not json", b"[]", b'{"auth_token": ""}', b'{"auth_token": 42}', b'{"token": "x"}'],
)
def test_a_body_without_a_usable_auth_token_is_a_400(
    app: Flask, client: FlaskClient, canned_saleor: CannedSaleor, raw: bytes
) -> None:
    response = post_register(client, canned_saleor.api_url, raw=raw)

    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "missing_auth_token"
    assert installations(app) == 0
    assert canned_saleor.hits["/graphql/"] == 0  # refused before calling Saleor


def test_registration_against_a_saleor_stores_the_encrypted_token(
    app: Flask, client: FlaskClient, canned_saleor: CannedSaleor
) -> None:
    # when
    response = post_register(client, canned_saleor.api_url, {"auth_token": "secret-token"})

    # then
    assert response.status_code == 200
    assert response.get_json() == {"success": True}
    with get_database(app).session() as session:
        installation = get_installation(session, canned_saleor.api_url)
        assert installation is not None
        assert installation.app_id == "QXBwOjQy"
        assert "secret-token" not in installation.token_encrypted
        assert app_token(installation, TEST_SECRET) == "secret-token"


def test_registration_seeds_the_default_triggers_once(
    app: Flask, client: FlaskClient, canned_saleor: CannedSaleor
) -> None:
    # given
    expected = sorted(document["name"] for document in default_rule_documents())

    # when the install is retried: Saleor registers the same app twice
    first = post_register(client, canned_saleor.api_url)
    second = post_register(client, canned_saleor.api_url)

    # then the shop has each default trigger once
    assert (first.status_code, second.status_code) == (200, 200)
    with get_database(app).session() as session:
        installation = get_installation(session, canned_saleor.api_url)
        assert installation is not None
        names = sorted(t.name for t in list_triggers(session, installation.id))
    assert names == expected


def test_a_failed_catalog_sync_does_not_fail_registration(
    app: Flask, client: FlaskClient, canned_saleor: CannedSaleor
) -> None:
    # given a Saleor whose every answer is `app { id }`: channels and zones cannot be read
    response = post_register(client, canned_saleor.api_url)

    assert response.status_code == 200
    assert installations(app) == 1
    with get_database(app).session() as session:
        assert session.scalar(select(func.count()).select_from(Channel)) == 0


def test_an_unforeseen_catalog_sync_error_does_not_fail_registration(
    app: Flask, client: FlaskClient, canned_saleor: CannedSaleor, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given the installation is stored, then the catalog sync hits a bug
    def failing_sync(*_: Any, **__: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr("saleor_proactive.saleor.routes.sync_catalog", failing_sync)

    # when
    response = post_register(client, canned_saleor.api_url)

    # then Saleor is told the install worked, which matches what is stored
    assert response.status_code == 200
    assert response.get_json() == {"success": True}
    assert installations(app) == 1


def test_saleor_down_is_a_503_and_nothing_is_stored(app: Flask, client: FlaskClient) -> None:
    response = post_register(client, UNREACHABLE_API_URL)

    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "saleor_unavailable"
    assert installations(app) == 0


@pytest.mark.parametrize(
    ("status", "body", "headers"),
    [
        (200, b"<html>an internal admin page</html>", {}),
        (200, b'{"data": {"app": null}}', {}),
        (200, b'{"data": {"app": {"id": 7}}}', {}),
        (200, b'{"something": "else"}', {}),
        (404, b"<html>not found on the internal wiki</html>", {}),
        (401, b'{"detail": "internal service wants a login"}', {}),
        (302, b"moved", {"Location": "http://127.0.0.1:9/elsewhere"}),
    ],
)
def test_a_server_that_is_not_saleor_is_answered_like_a_closed_port(
    app: Flask,
    client: FlaskClient,
    canned_saleor: CannedSaleor,
    status: int,
    body: bytes,
    headers: dict[str, str],
) -> None:
    # given an open port whose server is no Saleor, and a closed one
    canned_saleor.graphql_status, canned_saleor.graphql_body = status, body
    canned_saleor.graphql_headers = headers
    closed = post_register(client, UNREACHABLE_API_URL)

    # when
    response = post_register(client, canned_saleor.api_url)

    # then the caller cannot tell them apart, nor read what the server answered
    assert canned_saleor.hits["/graphql/"] >= 1
    assert (response.status_code, response.get_json()) == (closed.status_code, closed.get_json())
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "saleor_unavailable"
    assert installations(app) == 0


def test_a_graphql_error_text_is_not_passed_on(
    app: Flask, client: FlaskClient, canned_saleor: CannedSaleor
) -> None:
    # given a Saleor running with DEBUG, whose errors carry stack traces
    canned_saleor.graphql_body = json.dumps(
        {
            "data": None,
            "errors": [
                {
                    "message": "Traceback: DATABASE_URL=postgres://saleor:hunter2@db/saleor",
                    "extensions": {"exception": {"stacktrace": ["File settings.py"]}},
                }
            ],
        }
    ).encode()

    # when
    response = post_register(client, canned_saleor.api_url)

    # then
    assert response.status_code == 401
    assert response.get_json()["error"] == {
        "code": "auth_token_rejected",
        "message": "Saleor did not accept the token.",
    }
    assert installations(app) == 0


def test_a_redirect_from_saleor_is_not_followed(
    app: Flask, client: FlaskClient, canned_saleor: CannedSaleor, saleor_signer: SaleorSigner
) -> None:
    # given a Saleor URL that redirects (keeping the POST) to another server, which would answer
    with running_canned_saleor(saleor_signer) as elsewhere:
        canned_saleor.graphql_status, canned_saleor.graphql_body = 307, b""
        canned_saleor.graphql_headers = {"Location": elsewhere.api_url}

        # when
        response = post_register(client, canned_saleor.api_url)

    # then the other server was never asked
    assert elsewhere.hits["/graphql/"] == 0
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "saleor_unavailable"
    assert installations(app) == 0


@pytest.fixture
def any_http_host(app: Flask) -> Flask:
    """An allow-list that names no host: `http://*:*`."""
    app.config["PROACTIVE"] = app.config["PROACTIVE"].with_overrides(
        allowed_saleor_urls=("http://*:*",)
    )
    return app


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "localhost", "[::1]", "2130706433", "0x7f.1", "127.1", "0.0.0.0"]
)
def test_a_host_the_allow_list_does_not_name_must_not_be_internal(
    any_http_host: Flask, client: FlaskClient, canned_saleor: CannedSaleor, host: str
) -> None:
    # given a Saleor-like server listening on the loopback, and a closed port there
    open_url = f"http://{host}:{canned_saleor.port}/graphql/"
    closed_url = f"http://{host}:9/graphql/"

    # when
    open_port = post_register(client, open_url)
    closed_port = post_register(client, closed_url)

    # then both are refused alike, before any connection
    assert open_port.status_code == 403
    assert open_port.get_json()["error"]["code"] == "saleor_url_prohibited"
    assert open_port.get_json() == closed_port.get_json()
    assert canned_saleor.hits["/graphql/"] == 0
    assert installations(any_http_host) == 0


def test_an_internal_host_the_allow_list_names_may_install(
    app: Flask, client: FlaskClient, canned_saleor: CannedSaleor
) -> None:
    # given the test settings name http://127.0.0.1:* (as the demo does)
    response = post_register(client, canned_saleor.api_url)

    assert response.status_code == 200
    assert installations(app) == 1


def test_saleor_answering_5xx_is_a_503(
    app: Flask, client: FlaskClient, canned_saleor: CannedSaleor
) -> None:
    canned_saleor.graphql_status, canned_saleor.graphql_body = 502, b"bad gateway"

    response = post_register(client, canned_saleor.api_url)

    assert response.status_code == 503
    assert canned_saleor.hits["/graphql/"] == 3  # the first try and two retries
    assert installations(app) == 0


@pytest.mark.parametrize(
    ("status", "body"),
    [(404, b"not found"), (200, b"not json"), (200, b'{"keys": []}'), (200, b'{"k": 1}')],
)
def test_unusable_jwks_is_a_502_and_nothing_is_stored(
    app: Flask, client: FlaskClient, canned_saleor: CannedSaleor, status: int, body: bytes
) -> None:
    canned_saleor.jwks_status, canned_saleor.jwks_body = status, body

    response = post_register(client, canned_saleor.api_url)

    assert response.status_code == 502
    assert response.get_json()["error"] == {
        "code": "jwks_unavailable",
        "message": "Saleor's public keys (/.well-known/jwks.json) cannot be read.",
    }
    assert installations(app) == 0


def test_a_failed_catalog_sync_is_retried_by_the_next_webhook(
    app: Flask, client: FlaskClient, canned_saleor: CannedSaleor, saleor_signer: SaleorSigner
) -> None:
    # given an install whose catalog sync failed (the Saleor answered only `app { id }`)
    post_register(client, canned_saleor.api_url)
    canned_saleor.graphql_body = json.dumps({"data": {"channels": [CHANNEL]}}).encode()
    signed = SignedInstallation(client, saleor_signer, 0, canned_saleor.api_url)

    # when two webhooks arrive
    first = signed.post("checkout-events", builders.checkout_event())
    queries_after_first = canned_saleor.hits["/graphql/"]
    second = signed.post("checkout-events", builders.checkout_event(checkout_id="Q2hlY2tvdXQ6Mg=="))

    # then the first retried the sync and stored the channels; the second did not ask again
    assert (first.status_code, second.status_code) == (200, 200)
    with get_database(app).session() as session:
        assert session.scalars(select(Channel.slug)).all() == ["default-channel"]
    assert canned_saleor.hits["/graphql/"] == queries_after_first


CHANNEL = {
    "id": "Q2hhbm5lbDox",
    "slug": "default-channel",
    "name": "Default",
    "currencyCode": "EUR",
    "defaultCountry": {"code": "ES"},
}


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (
            OperationalError("INSERT", {}, Exception("database is locked")),
            503,
            "database_unavailable",
        ),
        (RuntimeError("a bug"), 500, "internal_error"),
    ],
)
def test_an_unexpected_failure_still_answers_in_the_contract_shape(
    app: Flask,
    client: FlaskClient,
    monkeypatch: pytest.MonkeyPatch,
    error: Exception,
    status: int,
    code: str,
) -> None:
    # given registration fails in a way it did not foresee
    def failing_register(*_: Any, **__: Any) -> Any:
        raise error

    monkeypatch.setattr("saleor_proactive.saleor.routes.register", failing_register)

    # when
    response = post_register(client, "https://shop.example.com/graphql/")

    # then Saleor still gets `success: false` and an error it can show
    assert response.status_code == status
    assert response.get_json()["success"] is False
    assert response.get_json()["error"]["code"] == code
    assert response.get_json()["error"]["message"]
    assert installations(app) == 0


@pytest.fixture
def saleor_cloud_only(app: Flask) -> Flask:
    app.config["PROACTIVE"] = app.config["PROACTIVE"].with_overrides(
        allowed_saleor_urls=("https://*.saleor.cloud/graphql/",)
    )
    return app


@pytest.mark.parametrize(
    ("api_url", "status", "code"),
    [
        ("https://attacker:8516/.saleor.cloud/graphql/", 403, "saleor_url_prohibited"),
        ("https://attacker:8516?.saleor.cloud/graphql/", 400, "invalid_saleor_api_url"),
        ("https://attacker:8516#.saleor.cloud/graphql/", 400, "invalid_saleor_api_url"),
        ("https://x.saleor.cloud@attacker:8516/graphql/", 400, "invalid_saleor_api_url"),
        ("https://shop.saleor.cloud/graphql/?next=/", 400, "invalid_saleor_api_url"),
    ],
)
def test_the_allow_list_matches_the_host_not_the_string(
    saleor_cloud_only: Flask, live_app: LiveServer, api_url: str, status: int, code: str
) -> None:
    # given an app that accepts Saleor Cloud shops only

    # when a URL whose host is another one names the pattern's host in its path, query, ...
    response = requests.post(
        f"{live_app.url}/api/register",
        json={"auth_token": "app-token"},
        headers={"Saleor-Api-Url": api_url},
        timeout=30,
    )

    # then it is refused, naming why
    assert response.status_code == status
    assert response.json()["success"] is False
    assert response.json()["error"]["code"] == code
    assert installations(saleor_cloud_only) == 0


@pytest.mark.parametrize(
    "api_url",
    [
        "https://[::1/graphql/",
        "https://shop.saleor.cloud:99999/graphql/",
        "https:\uff0f\uff0fshop.saleor.cloud\uff0fgraphql\uff0f",
        "https://shop.saleor.cloud\uff0fgraphql\uff0f",
        "https://shop.saleor.cloud/graphql/\x00",
    ],
)
def test_a_malformed_saleor_api_url_over_http_is_a_400(
    app: Flask, live_app: LiveServer, api_url: str
) -> None:
    # when the header is sent as raw bytes, as any client may
    response = requests.post(
        f"{live_app.url}/api/register",
        json={"auth_token": "app-token"},
        headers={"Saleor-Api-Url": api_url.encode("utf-8")},  # type: ignore[dict-item]
        timeout=30,
    )

    # then
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_saleor_api_url"
    assert installations(app) == 0


@pytest.mark.parametrize("identifier", ["com.example.another-app", None])
def test_a_token_of_another_app_cannot_replace_the_installation(
    app: Flask, client: FlaskClient, canned_saleor: CannedSaleor, identifier: str | None
) -> None:
    # given our app registered with its own token
    assert post_register(client, canned_saleor.api_url, {"auth_token": "ours"}).status_code == 200

    # when a token of another app of the same Saleor (or of an app of no manifest) registers
    canned_saleor.graphql_body = json.dumps(
        {"data": {"app": {"id": "QXBwOjk5", "identifier": identifier}}}
    ).encode()
    response = post_register(client, canned_saleor.api_url, {"auth_token": "theirs"})

    # then it is refused and our installation keeps our app id and token
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "foreign_app_token"
    with get_database(app).session() as session:
        installation = get_installation(session, canned_saleor.api_url)
        assert installation is not None
        assert installation.app_id == "QXBwOjQy"
        assert app_token(installation, TEST_SECRET) == "ours"


def test_a_catalog_sync_retry_does_not_connect_to_an_internal_host_no_entry_names(
    app: Flask, client: FlaskClient, canned_saleor: CannedSaleor, saleor_signer: SaleorSigner
) -> None:
    # given an install whose catalog sync failed, from a host the allow-list named then
    post_register(client, canned_saleor.api_url)
    canned_saleor.graphql_body = json.dumps({"data": {"channels": [CHANNEL]}}).encode()
    queries_before = canned_saleor.hits["/graphql/"]
    # and an allow-list that now admits it only through `http://*:*` (as when a public name
    # was registered and points at the loopback since)
    app.config["PROACTIVE"] = app.config["PROACTIVE"].with_overrides(
        allowed_saleor_urls=("http://*:*",)
    )
    signed = SignedInstallation(client, saleor_signer, 0, canned_saleor.api_url)

    # when a webhook arrives, which retries the sync
    response = signed.post("checkout-events", builders.checkout_event())

    # then the webhook is handled, and the retry never reached the internal address
    assert response.status_code == 200
    assert canned_saleor.hits["/graphql/"] == queries_before
    with get_database(app).session() as session:
        assert session.scalar(select(func.count()).select_from(Channel)) == 0
