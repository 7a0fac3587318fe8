"""Registration (`POST /api/register`): Saleor hands us the app token after the install.

Every check happens before anything is stored; a failure leaves the database as it was, and
Saleor shows our `error.message` to the merchant.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from ..errors import ApiError
from ..store.installations import upsert_installation
from ..store.models import Installation
from ..store.triggers import seed_default_triggers
from .client import SaleorBadResponse, SaleorClient, SaleorRejected, SaleorUnavailable
from .signatures import JwksError, fetch_jwks

REGISTER_TIMEOUT = 4.0  # seconds per attempt


class RegistrationFailed(ApiError):
    """Registration refused; nothing was stored and Saleor shows the message."""


@dataclass(frozen=True)
class Registered:
    installation: Installation
    client: SaleorClient
    created: bool


def checked_saleor_api_url(url: str | None, allowed_patterns: Sequence[str]) -> str:
    """The header's URL; a Saleor outside the allow-list is a 403 whatever its path."""
    if not url:
        raise RegistrationFailed(400, "missing_saleor_api_url", "Saleor-Api-Url is required.")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _invalid_saleor_api_url()
    if not is_allowed(url, allowed_patterns):
        raise RegistrationFailed(
            403, "saleor_url_prohibited", f"This app does not accept installs from {url}."
        )
    if not url.endswith("/graphql/"):
        raise _invalid_saleor_api_url()
    return url


def _invalid_saleor_api_url() -> RegistrationFailed:
    return RegistrationFailed(
        400,
        "invalid_saleor_api_url",
        "Saleor-Api-Url must be an http(s) URL ending in /graphql/.",
    )


def is_allowed(url: str, patterns: Sequence[str]) -> bool:
    return any(fnmatch.fnmatchcase(url, pattern) for pattern in patterns)


def register(
    session: Session,
    *,
    saleor_api_url: str | None,
    body: Any,
    allowed_patterns: Sequence[str],
    secret: str,
    make_client: Callable[[str, str], SaleorClient] | None = None,
    fetch: Callable[[str], dict[str, Any]] = fetch_jwks,
) -> Registered:
    url = checked_saleor_api_url(saleor_api_url, allowed_patterns)
    token = body.get("auth_token") if isinstance(body, dict) else None
    if not isinstance(token, str) or not token.strip():
        raise RegistrationFailed(400, "missing_auth_token", "The body needs an auth_token.")
    client = (make_client or _client)(url, token)
    app_id = _app_id(client)
    try:
        jwks = fetch(url)
    except JwksError as exc:
        raise RegistrationFailed(502, "jwks_unavailable", f"Saleor's keys: {exc}.") from exc
    installation, created = upsert_installation(
        session, saleor_api_url=url, app_id=app_id, token=token, jwks=jwks, secret=secret
    )
    # The default triggers are written in this transaction: all or nothing.
    seed_default_triggers(session, installation.id)
    session.commit()
    return Registered(installation, client, created)


def _client(url: str, token: str) -> SaleorClient:
    # Saleor gives up on the register call after 18 s; with retries we must answer before.
    return SaleorClient(url, token, timeout=REGISTER_TIMEOUT)


def _app_id(client: SaleorClient) -> str:
    try:
        return client.app_id()
    except SaleorUnavailable as exc:
        raise RegistrationFailed(503, "saleor_unavailable", exc.message) from exc
    except SaleorRejected as exc:
        raise RegistrationFailed(
            401, "auth_token_rejected", f"Saleor did not accept the token: {exc.message}"
        ) from exc
    except SaleorBadResponse as exc:
        raise RegistrationFailed(502, "saleor_bad_response", exc.message) from exc
