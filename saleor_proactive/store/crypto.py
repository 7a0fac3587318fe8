"""Encryption of secrets at rest (Saleor app tokens, shops' mail servers, the signing key),
keyed from PROACTIVE_SECRET_KEY."""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

__all__ = ["APP_TOKEN", "InvalidToken", "TokenCipher"]

APP_TOKEN = b"saleor-proactive/app-token"


def derive_key(secret: str, purpose: bytes) -> bytes:
    """A separate 32-byte key per purpose, so one secret can serve several uses safely."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose)
    return hkdf.derive(secret.encode())


class TokenCipher:
    """Fernet under a key of its own per purpose: what was encrypted for one purpose (say a
    shop's mail server) fails to decrypt as another (an app token), rather than being read as it."""

    def __init__(self, secret: str, purpose: bytes = APP_TOKEN) -> None:
        key = derive_key(secret, purpose)
        self._fernet = Fernet(base64.urlsafe_b64encode(key))

    def encrypt(self, token: str) -> str:
        return self._fernet.encrypt(token.encode()).decode()

    def decrypt(self, encrypted: str) -> str:
        return self._fernet.decrypt(encrypted.encode()).decode()
