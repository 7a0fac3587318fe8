"""Registration (`POST /api/register`): Saleor hands us the app token after the install.

Every check happens before anything is stored; a failure leaves the database as it was, and
Saleor shows our `error.message` to the merchant.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from ..errors import ApiError
from ..rulebook import seed_default_triggers
from ..store.installations import upsert_installation
from ..store.models import Installation
from .addresses import NonPublicAddress, public_addresses
from .allowlist import (
    MalformedSaleorUrl,
    SaleorUrl,
    matching_patterns,
    must_be_public,
    parse_saleor_url,
)
from .client import SaleorClient, SaleorError, SaleorRejected
from .manifest import static_manifest
from .signatures import JwksError, fetch_jwks

logger = logging.getLogger(__name__)

REGISTER_TIMEOUT = 4.0  # seconds per attempt


class RegistrationFailed(ApiError):
    """Registration refused; nothing was stored and Saleor shows the message."""


@dataclass(frozen=True)
class Registered:
    installation: Installation
    client: SaleorClient
    created: bool


@dataclass(frozen=True)
class CheckedUrl:
    url: str
    # No allow-list entry names the host explicitly: it must resolve to public addresses only.
    public_only: bool


def checked_saleor_api_url(url: str | None, allowed_patterns: Sequence[str]) -> CheckedUrl:
    """The header's URL, parsed (400), allowed (403 whatever its path), ending in /graphql/.

    A host no allow-list entry names explicitly must not resolve to a loopback, private,
    link-local or reserved address (403, before any connection: an internal port that is open
    and one that is closed look the same).
    """
    if not url:
        raise RegistrationFailed(400, "missing_saleor_api_url", "Saleor-Api-Url is required.")
    try:
        parsed = parse_saleor_url(url)
    except MalformedSaleorUrl as exc:
        raise _invalid_saleor_api_url(f" ({exc})") from None
    matching = matching_patterns(parsed, allowed_patterns)
    if not matching:
        raise _prohibited()
    if not parsed.path.endswith("/graphql/"):
        raise _invalid_saleor_api_url()
    public_only = must_be_public(parsed, allowed_patterns)
    if public_only:
        _require_public_host(parsed, url)
    return CheckedUrl(url, public_only)


def _require_public_host(parsed: SaleorUrl, url: str) -> None:
    try:
        public_addresses(parsed.host, parsed.port)
    except NonPublicAddress as exc:
        logger.warning("registration from %s refused: %s", url, exc)
        raise _prohibited() from None
    except OSError:
        pass  # the name does not resolve: the call to Saleor fails as for any unreachable one


def _prohibited() -> RegistrationFailed:
    # The same words whatever the reason, so no answer tells an internal host from another.
    return RegistrationFailed(
        403, "saleor_url_prohibited", "This app does not accept installs from this Saleor-Api-Url."
    )


def _invalid_saleor_api_url(problem: str = "") -> RegistrationFailed:
    return RegistrationFailed(
        400,
        "invalid_saleor_api_url",
        "Saleor-Api-Url must be an http(s) URL ending in /graphql/, "
        f"without user info, query or fragment{problem}.",
    )


def register(
    session: Session,
    *,
    saleor_api_url: str | None,
    body: Any,
    allowed_patterns: Sequence[str],
    secret: str,
    fetch: Callable[[str], dict[str, Any]] = fetch_jwks,
) -> Registered:
    checked = checked_saleor_api_url(saleor_api_url, allowed_patterns)
    url = checked.url
    token = body.get("auth_token") if isinstance(body, dict) else None
    if not isinstance(token, str) or not token.strip():
        raise RegistrationFailed(400, "missing_auth_token", "The body needs an auth_token.")
    # Saleor gives up on the register call after 18 s; with retries we must answer before.
    client = SaleorClient(url, token, timeout=REGISTER_TIMEOUT, public_only=checked.public_only)
    app_id = _this_apps_id(client)
    try:
        jwks = fetch(url)
    except JwksError as exc:
        logger.warning("registration from %s: no JWKS: %s", url, exc)
        raise RegistrationFailed(
            502, "jwks_unavailable", "Saleor's public keys (/.well-known/jwks.json) cannot be read."
        ) from exc
    installation, created = upsert_installation(
        session, saleor_api_url=url, app_id=app_id, token=token, jwks=jwks, secret=secret
    )
    # The default triggers are written in this transaction: all or nothing.
    seed_default_triggers(session, installation.id)
    session.commit()
    return Registered(installation, client, created)


def _this_apps_id(client: SaleorClient) -> str:
    """The app id, when the token is this app's own.

    Every app installed in a Saleor holds a token for it: only the one installed from this
    manifest may register or replace an installation. The client logged what the server said;
    the caller gets a fixed message.
    """
    try:
        app = client.app()
    except SaleorRejected as exc:
        if exc.status is None:  # a GraphQL error: a Saleor that refuses this token
            raise RegistrationFailed(
                401, "auth_token_rejected", "Saleor did not accept the token."
            ) from exc
        raise _no_saleor() from exc
    except SaleorError as exc:
        raise _no_saleor() from exc
    if app.identifier != static_manifest()["id"]:
        logger.warning("registration refused: the token is app %s's (%s)", app.id, app.identifier)
        raise RegistrationFailed(
            403,
            "foreign_app_token",
            "The token belongs to another app installed in this Saleor, not to this one.",
        )
    return app.id


def _no_saleor() -> RegistrationFailed:
    # One answer for a closed port, a timeout, an error status and a server that is no Saleor:
    # from outside, none may be told apart from another.
    return RegistrationFailed(
        503,
        "saleor_unavailable",
        "No Saleor API answered at Saleor-Api-Url; check the URL and retry the install.",
    )
