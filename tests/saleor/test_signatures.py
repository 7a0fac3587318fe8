"""Detached JWS verification with real RSA keys and signatures made the way Saleor makes them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest
from cryptography.hazmat.primitives import serialization
from flask import Flask

from saleor_proactive.saleor.signatures import SignatureError, verify_detached, verify_webhook
from saleor_proactive.store.db import get_database
from saleor_proactive.store.installations import get_installation
from tests.fixtures.installation import CannedSaleor, SaleorSigner, b64url, store_installation

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
