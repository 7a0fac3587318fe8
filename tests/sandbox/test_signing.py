from __future__ import annotations

from typing import Any

import jwt
import pytest
import requests

from saleor_proactive.sandbox.seed import BEANS_VARIANT, DEFAULT_CHANNEL
from saleor_proactive.sandbox.server import SandboxSaleor
from saleor_proactive.sandbox.state import App
from tests.sandbox.recording_app import RecordingApp


def fetch_jwks(saleor: SandboxSaleor) -> dict[str, Any]:
    response = requests.get(f"{saleor.url}/.well-known/jwks.json", timeout=10)
    assert response.status_code == 200
    return response.json()


def verify(signature: str, body: bytes, jwks: dict[str, Any]) -> dict[str, Any]:
    """What an app does: pick the key by kid, pin RS256, check the raw body (RFC 7797)."""
    header = jwt.get_unverified_header(signature)
    key = jwt.PyJWKSet.from_dict(jwks)[header["kid"]].key
    return jwt.api_jws.decode_complete(signature, key, algorithms=["RS256"], detached_payload=body)


def test_jwks_serves_one_rsa_key_and_rotation_replaces_it(sandbox_saleor: SandboxSaleor) -> None:
    # given
    before = fetch_jwks(sandbox_saleor)

    # when
    new_kid = sandbox_saleor.rotate_key()
    after = fetch_jwks(sandbox_saleor)

    # then
    [old_key] = before["keys"]
    [new_key] = after["keys"]
    assert old_key["kty"] == "RSA" and old_key["alg"] == "RS256" and old_key["use"] == "sig"
    assert new_key["kid"] == new_kid != old_key["kid"]
    assert new_key["n"] != old_key["n"]


def test_webhook_signature_verifies_against_the_jwks_over_the_raw_body(
    sandbox_saleor: SandboxSaleor, recording_app: RecordingApp, recorded_install: App
) -> None:
    # given
    jwks = fetch_jwks(sandbox_saleor)

    # when
    sandbox_saleor.create_checkout(DEFAULT_CHANNEL, [(BEANS_VARIANT, 1)])

    # then
    [received] = recording_app.on("/api/webhooks/checkout-events")
    signature = received.headers["Saleor-Signature"]
    _head, empty, _sig = signature.split(".")
    assert empty == ""  # detached
    decoded = verify(signature, received.body, jwks)
    assert decoded["header"] == {
        "alg": "RS256",
        "b64": False,
        "crit": ["b64"],
        "kid": jwks["keys"][0]["kid"],
        "typ": "JWT",
    }
    with pytest.raises(jwt.InvalidSignatureError):
        verify(signature, received.body.replace(b"EUR", b"USD"), jwks)


def test_after_rotation_webhooks_are_signed_with_the_new_key_only(
    sandbox_saleor: SandboxSaleor, recording_app: RecordingApp, recorded_install: App
) -> None:
    # given
    old_jwks = fetch_jwks(sandbox_saleor)
    sandbox_saleor.rotate_key()
    new_jwks = fetch_jwks(sandbox_saleor)

    # when
    sandbox_saleor.create_checkout(DEFAULT_CHANNEL, [(BEANS_VARIANT, 1)])

    # then
    [received] = recording_app.on("/api/webhooks/checkout-events")
    signature = received.headers["Saleor-Signature"]
    assert verify(signature, received.body, new_jwks)["payload"] == received.body
    with pytest.raises(KeyError):
        verify(signature, received.body, old_jwks)


def test_dashboard_token_is_an_rs256_jwt_with_saleors_claims(
    sandbox_saleor: SandboxSaleor, recorded_install: App
) -> None:
    # given
    jwks = fetch_jwks(sandbox_saleor)

    # when
    token = sandbox_saleor.sign_dashboard_token(
        recorded_install.global_id, user_permissions=["MANAGE_APPS"]
    )

    # then
    header = jwt.get_unverified_header(token)
    key = jwt.PyJWKSet.from_dict(jwks)[header["kid"]].key
    claims = jwt.decode(token, key, algorithms=["RS256"], issuer=sandbox_saleor.api_url)
    assert claims["app"] == recorded_install.global_id
    assert claims["type"] == "thirdparty"
    assert claims["user_permissions"] == ["MANAGE_APPS"]
    assert claims["permissions"] == recorded_install.permissions
    assert claims["exp"] - claims["iat"] == 300
    assert {"email", "user_id"} <= claims.keys()


def test_dashboard_token_overrides_make_expired_or_foreign_tokens(
    sandbox_saleor: SandboxSaleor, recorded_install: App
) -> None:
    # when
    expired = sandbox_saleor.sign_dashboard_token(recorded_install.global_id, exp_seconds=-10)
    foreign = sandbox_saleor.sign_dashboard_token(
        recorded_install.global_id, iss="https://other/graphql/"
    )

    # then
    key = jwt.PyJWKSet.from_dict(fetch_jwks(sandbox_saleor))[sandbox_saleor.key.kid].key
    with pytest.raises(jwt.ExpiredSignatureError):
        jwt.decode(expired, key, algorithms=["RS256"])
    with pytest.raises(jwt.InvalidIssuerError):
        jwt.decode(foreign, key, algorithms=["RS256"], issuer=sandbox_saleor.api_url)
