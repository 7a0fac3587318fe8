"""The sandbox's RSA signing key: JWKS, detached webhook signatures and Dashboard tokens."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key: rsa.RSAPrivateKey

    def public_jwk(self) -> dict[str, Any]:
        jwk: dict[str, Any] = RSAAlgorithm.to_jwk(self.private_key.public_key(), as_dict=True)
        return {**jwk, "use": "sig", "alg": "RS256", "kid": self.kid}

    def jwks(self) -> dict[str, Any]:
        # Saleor publishes only its current key; a rotation replaces it.
        return {"keys": [self.public_jwk()]}

    def sign_detached(self, body: bytes) -> str:
        """`Saleor-Signature`: RS256 JWS over the raw body, unencoded and detached (RFC 7797)."""
        return jwt.api_jws.encode(
            body,
            self.private_key,
            algorithm="RS256",
            headers={"kid": self.kid, "b64": False, "crit": ["b64"], "typ": "JWT"},
            is_payload_detached=True,
        )

    def sign_jwt(self, claims: dict[str, Any]) -> str:
        return jwt.encode(claims, self.private_key, algorithm="RS256", headers={"kid": self.kid})


def new_signing_key() -> SigningKey:
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return SigningKey(kid=secrets.token_urlsafe(12), private_key=private_key)
