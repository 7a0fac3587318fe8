"""The app signs what it POSTs the way Saleor signs its webhooks: a detached JWS with an
unencoded payload (RFC 7797), RS256, `kid` in the header, over the raw body bytes. Receivers
verify it against `{app}/.well-known/jwks.json`."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..store.crypto import TokenCipher
from ..store.models import AppSigningKey, utcnow
from ..store.upserts import insert_for

PURPOSE = "webhooks"


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key: rsa.RSAPrivateKey

    def public_jwk(self) -> dict[str, Any]:
        jwk = json.loads(RSAAlgorithm.to_jwk(self.private_key.public_key()))
        return {**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}

    def sign(self, body: bytes) -> str:
        """`<b64 header>..<b64 signature>`, as Saleor's `Saleor-Signature`."""
        headers = {"kid": self.kid, "b64": False, "crit": ["b64"], "typ": "JWT"}
        return jwt.api_jws.encode(
            body, self.private_key, algorithm="RS256", headers=headers, is_payload_detached=True
        )


def _cipher(secret: str) -> TokenCipher:
    return TokenCipher(secret, b"saleor-proactive/signing-key")


def signing_key(session: Session, secret: str) -> SigningKey:
    """The app's key, made on first use; several workers making it at once keep the first."""
    row = session.scalar(select(AppSigningKey).where(AppSigningKey.purpose == PURPOSE))
    if row is None:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        session.execute(
            insert_for(session, AppSigningKey)
            .values(
                purpose=PURPOSE,
                kid=uuid.uuid4().hex[:16],
                private_key_encrypted=_cipher(secret).encrypt(pem.decode()),
                created_at=utcnow(),
            )
            .on_conflict_do_nothing(index_elements=["purpose"])
        )
        session.commit()
        row = session.scalar(select(AppSigningKey).where(AppSigningKey.purpose == PURPOSE))
        assert row is not None
    stored = _cipher(secret).decrypt(row.private_key_encrypted)
    private_key = serialization.load_pem_private_key(stored.encode(), password=None)
    assert isinstance(private_key, rsa.RSAPrivateKey)
    return SigningKey(row.kid, private_key)


def jwks(session: Session, secret: str) -> dict[str, Any]:
    return {"keys": [signing_key(session, secret).public_jwk()]}
