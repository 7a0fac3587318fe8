"""Installations: one row per Saleor that installed the app, with its token and cached JWKS."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, delete, select
from sqlalchemy.orm import Session

from .crypto import TokenCipher
from .models import Installation, utcnow

# A JWKS refetch (unknown kid, failed check) happens at most this often per installation, so a
# flood of forged webhooks cannot make us hammer the Saleor that owns the key.
JWKS_REFETCH_INTERVAL = timedelta(minutes=1)


def get_installation(session: Session, saleor_api_url: str) -> Installation | None:
    # Every webhook and visitor request starts here: reuse one statement, bind the URL.
    return session.scalar(_by_url(), {"saleor_api_url": saleor_api_url})


@cache
def _by_url() -> Select[Installation]:
    return select(Installation).where(Installation.saleor_api_url == bindparam("saleor_api_url"))


def get_installation_by_id(session: Session, installation_id: int) -> Installation | None:
    return session.get(Installation, installation_id)


def app_token(installation: Installation, secret: str) -> str:
    """The Saleor app token in clear, for calls to that Saleor's API."""
    return TokenCipher(secret).decrypt(installation.token_encrypted)


def upsert_installation(
    session: Session,
    *,
    saleor_api_url: str,
    app_id: str,
    token: str,
    jwks: dict[str, Any],
    secret: str,
) -> tuple[Installation, bool]:
    """Store or replace the installation for this Saleor; returns it and whether it is new.

    Registering again ("Retry install", reinstall) replaces token, app id and keys but keeps the
    row, so the merchant's settings and triggers survive a retried install.
    """
    now = utcnow()
    installation = get_installation(session, saleor_api_url)
    created = installation is None
    if installation is None:
        installation = Installation(saleor_api_url=saleor_api_url, settings={}, created_at=now)
        session.add(installation)
    installation.app_id = app_id
    installation.token_encrypted = TokenCipher(secret).encrypt(token)
    installation.jwks = jwks
    installation.jwks_fetched_at = now
    installation.updated_at = now
    session.flush()
    return installation, created


def may_refetch_jwks(installation: Installation, now: datetime | None = None) -> bool:
    return (now or utcnow()) - installation.jwks_fetched_at >= JWKS_REFETCH_INTERVAL


def store_jwks(session: Session, installation: Installation, jwks: dict[str, Any] | None) -> None:
    """Remember a fetch attempt (and the keys when it succeeded) for the refetch limit."""
    if jwks is not None:
        installation.jwks = jwks
    installation.jwks_fetched_at = utcnow()
    session.flush()


def delete_installation(session: Session, installation_id: int) -> None:
    """Remove the installation; ON DELETE CASCADE removes every row that hangs off it."""
    session.execute(delete(Installation).where(Installation.id == installation_id))
    session.flush()
