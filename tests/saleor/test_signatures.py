"""Detached JWS verification with real RSA keys and signatures made the way Saleor makes them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives import serialization
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from saleor_proactive.saleor.signatures import (
    JwksError,
    SignatureError,
    fetch_jwks,
    verify_detached,
    verify_webhook,
)
from saleor_proactive.store.db import get_database
from saleor_proactive.store.installations import get_installation
from saleor_proactive.store.models import CheckoutSnapshot
from tests.fixtures.installation import (
    CannedSaleor,
    SaleorSigner,
    SignedInstallation,
    b64url,
    store_installation,
)
from tests.saleor import builders

BODY = b'{"__typename": "CheckoutUpdated", "issuedAt": "2026-11-23T12:00:00Z"}'


def test_a_saleor_signature_over_the_raw_body_verifies(saleor_signer: SaleorSigner) -> None:
    # given
    signature = saleor_signer.sign(BODY)

    # when / then: no exception
    verify_detached(signature, BODY, saleor_signer.jwks())
    assert signature.split(".")[1] == ""  # detached: the payload segment is empty


def test_a_signature_with_an_iss_header_verifies(saleor_signer: SaleorSigner) -> None:
    # Saleor Cloud may add `iss` to the protected header.
    signature = saleor_signer.sign(BODY, iss="https://shop.example.com/graphql/")
    header = json.loads(base64.urlsafe_b64decode(signature.split(".")[0] + "=="))
    assert header["iss"] == "https://shop.example.com/graphql/"

    # when / then: no exception
    verify_detached(signature, BODY, saleor_signer.jwks())


def test_a_tampered_body_is_refused(saleor_signer: SaleorSigner) -> None:
    # given
    signature = saleor_signer.sign(BODY)

    # when / then
    with pytest.raises(SignatureError):
        verify_detached(signature, BODY.replace(b"12:00", b"12:01"), saleor_signer.jwks())


def test_re_serialised_json_does_not_verify(saleor_signer: SaleorSigner) -> None:
    # The raw bytes are signed; the same JSON written differently is another message.
    signature = saleor_signer.sign(BODY)
    reserialised = json.dumps(json.loads(BODY), separators=(",", ":")).encode()

    with pytest.raises(SignatureError):
        verify_detached(signature, reserialised, saleor_signer.jwks())


def test_a_key_with_the_same_kid_but_other_material_is_refused(
    saleor_signer: SaleorSigner,
) -> None:
    # given a forger who knows the kid
    forger = SaleorSigner(kid=saleor_signer.kid)

    # when / then
    with pytest.raises(SignatureError) as caught:
        verify_detached(forger.sign(BODY), BODY, saleor_signer.jwks())
    assert caught.value.refetch_may_help


def test_an_unknown_kid_is_refused_and_worth_a_refetch(saleor_signer: SaleorSigner) -> None:
    with pytest.raises(SignatureError) as caught:
        verify_detached(SaleorSigner().sign(BODY), BODY, saleor_signer.jwks())

    assert "kid" in caught.value.message
    assert caught.value.refetch_may_help


def test_hs256_signed_with_the_public_key_is_refused(saleor_signer: SaleorSigner) -> None:
    # given the classic algorithm-confusion forgery: HMAC keyed with the public key's PEM
    pem = saleor_signer.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = b64url(
        json.dumps(
            {"alg": "HS256", "b64": False, "crit": ["b64"], "kid": saleor_signer.kid}
        ).encode()
    )
    mac = hmac.new(pem, header.encode() + b"." + BODY, hashlib.sha256).digest()

    # when / then
    with pytest.raises(SignatureError):
        verify_detached(f"{header}..{b64url(mac)}", BODY, saleor_signer.jwks())


def test_an_unsigned_token_is_refused(saleor_signer: SaleorSigner) -> None:
    header = b64url(json.dumps({"alg": "none", "kid": saleor_signer.kid}).encode())

    with pytest.raises(SignatureError):
        verify_detached(f"{header}..", BODY, saleor_signer.jwks())


@pytest.mark.parametrize("garbage", ["", "abc", "a.b.c", base64.b64encode(b"{}").decode() + ".."])
def test_garbage_signatures_are_refused_without_a_refetch(
    saleor_signer: SaleorSigner, garbage: str
) -> None:
    with pytest.raises(SignatureError) as caught:
        verify_detached(garbage, BODY, saleor_signer.jwks())

    assert not caught.value.refetch_may_help


def verify_as_the_app(app: Flask, api_url: str, signature: str) -> bool:
    """Verify one delivery as the webhook route does, in its own session; True when valid."""
    with get_database(app).session() as session:
        installation = get_installation(session, api_url)
        assert installation is not None
        try:
            verify_webhook(session, installation, signature, BODY)
        except SignatureError:
            return False
        return True


def rotate(canned_saleor: CannedSaleor) -> SaleorSigner:
    rotated = SaleorSigner()
    canned_saleor.set_jwks(rotated.jwks())
    return rotated


def test_a_rotated_key_is_fetched_once_then_verifies(
    app: Flask, canned_saleor: CannedSaleor, saleor_signer: SaleorSigner
) -> None:
    # given an installation that cached the old key long ago, and Saleor now serving a new one
    store_installation(app, saleor_signer, canned_saleor.api_url, key_age=3600)
    rotated = rotate(canned_saleor)

    # when
    verified = verify_as_the_app(app, canned_saleor.api_url, rotated.sign(BODY))

    # then the new key is cached
    assert verified
    with get_database(app).session() as session:
        stored = get_installation(session, canned_saleor.api_url)
        assert stored is not None
        assert stored.jwks == rotated.jwks()
    assert canned_saleor.hits["/.well-known/jwks.json"] == 1


def test_refetches_happen_at_most_once_a_minute(
    app: Flask, canned_saleor: CannedSaleor, saleor_signer: SaleorSigner
) -> None:
    # given keys fetched long ago, and a stream of webhooks signed by an unknown key
    store_installation(app, saleor_signer, canned_saleor.api_url, key_age=3600)
    stranger = SaleorSigner()

    # when ten forged deliveries arrive
    results = [
        verify_as_the_app(app, canned_saleor.api_url, stranger.sign(BODY)) for _ in range(10)
    ]

    # then all are refused and Saleor was asked for its keys only once
    assert results == [False] * 10
    assert canned_saleor.hits["/.well-known/jwks.json"] == 1


def test_a_refetch_is_allowed_again_after_a_minute(
    app: Flask, canned_saleor: CannedSaleor, saleor_signer: SaleorSigner
) -> None:
    # given a refetch 61 seconds ago
    store_installation(app, saleor_signer, canned_saleor.api_url, key_age=61)
    rotated = rotate(canned_saleor)

    # when / then
    assert verify_as_the_app(app, canned_saleor.api_url, rotated.sign(BODY))
    assert canned_saleor.hits["/.well-known/jwks.json"] == 1


def test_no_refetch_within_a_minute_of_the_last_one(
    app: Flask, canned_saleor: CannedSaleor, saleor_signer: SaleorSigner
) -> None:
    # given keys fetched 30 seconds ago (an install that just happened)
    store_installation(app, saleor_signer, canned_saleor.api_url, key_age=30)
    rotated = rotate(canned_saleor)

    # when / then
    assert not verify_as_the_app(app, canned_saleor.api_url, rotated.sign(BODY))
    assert canned_saleor.hits["/.well-known/jwks.json"] == 0


def installation_at(
    app: Flask, client: FlaskClient, canned: CannedSaleor, signer: SaleorSigner, key_age: float
) -> SignedInstallation:
    installation_id = store_installation(app, signer, canned.api_url, key_age=key_age)
    return SignedInstallation(client, signer, installation_id, canned.api_url)


def stored_checkouts(app: Flask) -> int:
    with get_database(app).session() as session:
        return int(session.scalar(select(func.count()).select_from(CheckoutSnapshot)) or 0)


def test_a_new_key_within_the_refetch_limit_is_a_503_so_that_saleor_retries(
    app: Flask, client: FlaskClient, canned_saleor: CannedSaleor, saleor_signer: SaleorSigner
) -> None:
    # given keys fetched 30 seconds ago, and Saleor signing with a key rotated since
    installation = installation_at(app, client, canned_saleor, saleor_signer, key_age=30)
    rotated = rotate(canned_saleor)

    # when
    response = installation.post("checkout-events", builders.checkout_event(), signer=rotated)

    # then Saleor is told to retry (it never retries a 4xx), and nothing is stored yet
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "signing_key_unknown_yet"
    assert stored_checkouts(app) == 0
    assert canned_saleor.hits["/.well-known/jwks.json"] == 0


def test_a_flood_of_forgeries_does_not_keep_a_rotated_keys_webhook_out(
    app: Flask, client: FlaskClient, canned_saleor: CannedSaleor, saleor_signer: SaleorSigner
) -> None:
    # given a forger whose unknown key uses up the refetch, then Saleor rotating its key
    installation = installation_at(app, client, canned_saleor, saleor_signer, key_age=3600)
    forger = SaleorSigner()
    forged = [
        installation.post("checkout-events", builders.checkout_event(), signer=forger)
        for _ in range(5)
    ]
    rotated = rotate(canned_saleor)

    # when Saleor's webhook signed with the new key arrives, and is retried after a minute
    first = installation.post("checkout-events", builders.checkout_event(), signer=rotated)
    allow_refetch(app, canned_saleor.api_url)
    retried = installation.post("checkout-events", builders.checkout_event(), signer=rotated)

    # then no forgery was accepted, the genuine webhook was deferred, not refused, and stored
    assert [r.status_code for r in forged] == [401, 503, 503, 503, 503]
    assert (first.status_code, retried.status_code) == (503, 200)
    assert stored_checkouts(app) == 1
    assert canned_saleor.hits["/.well-known/jwks.json"] == 2


def test_a_forged_signature_with_a_known_key_is_still_a_401_within_the_limit(
    app: Flask, client: FlaskClient, canned_saleor: CannedSaleor, saleor_signer: SaleorSigner
) -> None:
    # The kid is one we hold: no key Saleor could publish makes this verify sooner.
    installation = installation_at(app, client, canned_saleor, saleor_signer, key_age=30)
    forger = SaleorSigner(kid=saleor_signer.kid)

    response = installation.post("checkout-events", builders.checkout_event(), signer=forger)

    assert response.status_code == 401


def allow_refetch(app: Flask, api_url: str) -> None:
    """As if the last JWKS fetch was more than a minute ago."""
    with get_database(app).session() as session:
        stored = get_installation(session, api_url)
        assert stored is not None
        stored.jwks_fetched_at -= timedelta(minutes=2)
        session.commit()


def test_the_jwks_fetch_does_not_follow_a_redirect(
    canned_saleor: CannedSaleor,
) -> None:
    # given Saleor's JWKS path redirecting elsewhere
    canned_saleor.redirect_jwks = True

    # when / then
    with pytest.raises(JwksError, match="HTTP 302"):
        fetch_jwks(canned_saleor.api_url)
    assert canned_saleor.hits["/moved/jwks.json"] == 0


def test_a_jwks_fetch_error_does_not_quote_the_remote_server() -> None:
    # given a server that answers with a malformed status line of its own text
    answer = b"REMOTE-TEXT <script>alert(1)</script>\r\n\r\n"

    # when
    with raw_http_server(answer) as port, pytest.raises(JwksError) as caught:
        fetch_jwks(f"http://127.0.0.1:{port}/graphql/")

    # then the message is ours alone
    assert "REMOTE-TEXT" not in str(caught.value)
    assert "script" not in str(caught.value)


def test_an_oversized_jwks_is_refused(canned_saleor: CannedSaleor) -> None:
    canned_saleor.jwks_body = b'{"keys": [' + b" " * (300 * 1024) + b"{}]}"

    with pytest.raises(JwksError, match="too large"):
        fetch_jwks(canned_saleor.api_url)


@contextmanager
def raw_http_server(answer: bytes) -> Iterator[int]:
    """A TCP server on 127.0.0.1 that sends `answer` to every connection and closes it."""

    class Answer(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            self.request.recv(65536)
            self.request.sendall(answer)

    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), Answer) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield server.server_address[1]
        finally:
            server.shutdown()
            thread.join(timeout=5)
