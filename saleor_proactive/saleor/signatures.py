"""Saleor's keys (JWKS) and the detached JWS that signs every webhook.

`Saleor-Signature` is `<b64 header>..<b64 signature>` with `{"alg": "RS256", "b64": false,
"crit": ["b64"], "kid": ...}`: the signing input is the header segment, a dot and the raw body
bytes (RFC 7797). We pin RS256 and look the key up by `kid` in the installation's cached JWKS.
"""

from __future__ import annotations

import json
import logging
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import jwt
import requests
from sqlalchemy.orm import Session

from ..store.installations import may_refetch_jwks, store_jwks
from ..store.models import Installation

logger = logging.getLogger(__name__)

JWKS_TIMEOUT = (2.0, 5.0)  # connect, read (seconds): register must answer Saleor within 18 s
ALGORITHMS = ["RS256"]
MAX_JWKS_BYTES = 256 * 1024  # a key set is a few kilobytes


class SignatureError(Exception):
    """The signature does not verify; `refetch_may_help` when a new key could change that,
    `unknown_key` when it names a key we do not hold."""

    def __init__(self, message: str, *, refetch_may_help: bool, unknown_key: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.refetch_may_help = refetch_may_help
        self.unknown_key = unknown_key


class KeyNotYetFetched(SignatureError):
    """The signature names a key we do not hold and may not fetch yet (the refetch limit).

    It may be Saleor's new key after a rotation: the caller should ask Saleor to retry (a 5xx)
    rather than refuse, so that a flood of forgeries using up the refetches loses no webhook.
    """


class JwksError(Exception):
    """The JWKS could not be fetched or is not a key set."""


def jwks_url(saleor_api_url: str) -> str:
    parts = urlsplit(saleor_api_url)
    return f"{parts.scheme}://{parts.netloc}/.well-known/jwks.json"


def fetch_jwks(saleor_api_url: str) -> dict[str, Any]:
    """Saleor's current public keys; JwksError when unreachable or not a JWKS.

    Redirects are not followed (the keys come from the allowed Saleor's own origin), and the
    error messages are our own words: nothing the remote server wrote is passed on.
    """
    try:
        with requests.get(
            jwks_url(saleor_api_url), timeout=JWKS_TIMEOUT, allow_redirects=False, stream=True
        ) as response:
            status = response.status_code
            content = _read_at_most(response, MAX_JWKS_BYTES + 1) if status == 200 else b""
    except requests.RequestException as exc:
        # The exception's text may quote the server (a bad status line): name only its kind.
        raise JwksError(f"cannot fetch the JWKS ({type(exc).__name__})") from exc
    if status != 200:
        raise JwksError(f"the JWKS answered HTTP {status}")
    if len(content) > MAX_JWKS_BYTES:
        raise JwksError("the JWKS is too large")
    try:
        jwks = json.loads(content)
    except ValueError:
        raise JwksError("the JWKS is not JSON") from None
    keys = jwks.get("keys") if isinstance(jwks, dict) else None
    if not isinstance(keys, list) or not keys or not all(isinstance(k, dict) for k in keys):
        raise JwksError("the JWKS has no keys")
    return {"keys": keys}


def _read_at_most(response: requests.Response, limit: int) -> bytes:
    content = bytearray()
    for chunk in response.iter_content(chunk_size=16 * 1024):
        content += chunk
        if len(content) >= limit:
            break
    return bytes(content)


@lru_cache(maxsize=64)
def _rsa_key(jwk_json: str) -> Any:
    """Parsing a JWK costs more than checking a signature with it: keep recent ones."""
    return jwt.PyJWK(json.loads(jwk_json), algorithm="RS256").key


def verify_detached(signature: str, body: bytes, jwks: dict[str, Any]) -> None:
    """Raise SignatureError unless `signature` is a valid RS256 detached JWS of `body`."""
    try:
        header = jwt.get_unverified_header(signature)
    except jwt.PyJWTError:
        raise SignatureError("the signature is not a JWS", refetch_may_help=False) from None
    kid = header.get("kid")
    if header.get("alg") not in ALGORITHMS or not isinstance(kid, str):
        # No key Saleor could publish would make this verify: do not ask Saleor again.
        raise SignatureError("the signature is not RS256 with a kid", refetch_may_help=False)
    jwk = next((k for k in jwks.get("keys", []) if k.get("kid") == kid), None)
    if jwk is None:
        raise SignatureError(f"no key with kid {kid!r}", refetch_may_help=True, unknown_key=True)
    try:
        key = _rsa_key(json.dumps(jwk, sort_keys=True))
    except (jwt.PyJWTError, ValueError):
        raise SignatureError(f"the key {kid!r} is not an RSA key", refetch_may_help=True) from None
    try:
        jwt.api_jws.decode_complete(
            signature, key=key, algorithms=ALGORITHMS, detached_payload=body
        )
    except jwt.PyJWTError as exc:
        raise SignatureError(
            f"the signature does not verify: {exc}", refetch_may_help=True
        ) from exc


def verify_webhook(
    session: Session,
    installation: Installation,
    signature: str,
    body: bytes,
    fetch: Any = fetch_jwks,
) -> None:
    """Verify against the cached keys; on failure refetch them once, at most once a minute.

    A successful refetch is committed even if the signature still fails, so the rate limit holds
    across requests; nothing else is written for a refused webhook.
    """
    try:
        verify_detached(signature, body, installation.jwks)
        return
    except SignatureError as first:
        if not first.refetch_may_help:
            raise
        if not may_refetch_jwks(installation):
            if first.unknown_key:
                raise KeyNotYetFetched(first.message, refetch_may_help=True) from first
            raise
        failure = first
    try:
        jwks = fetch(installation.saleor_api_url)
    except JwksError as exc:
        logger.warning("JWKS refetch for %s failed: %s", installation.saleor_api_url, exc)
        jwks = None
    store_jwks(session, installation, jwks)
    session.commit()
    if jwks is None:
        raise failure
    verify_detached(signature, body, jwks)
