"""An installation is one Saleor that installed the app; every other row hangs off it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow


class Installation(Base):
    __tablename__ = "installations"
    # An id is never given to a second installation: processes cache rules, thresholds and
    # settings by it, and a reinstalled shop must not be served what the deleted one cached.
    # SQLite reuses the highest deleted rowid without AUTOINCREMENT; PostgreSQL's sequence never.
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The Saleor API URL (`https://shop.example.com/graphql/`) is the tenant key everywhere.
    saleor_api_url: Mapped[str] = mapped_column(String(512), unique=True)
    app_id: Mapped[str] = mapped_column(String(128))
    token_encrypted: Mapped[str] = mapped_column(Text)
    # The shop's own SMTP URL, password included, encrypted (store/mail_server.py); None: the
    # operator's PROACTIVE_SMTP_URL serves.
    mail_server_encrypted: Mapped[str | None] = mapped_column(Text, nullable=True, default=None)
    jwks: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    jwks_fetched_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Merchant settings (chat provider, origins, page patterns, theme, overrides, ...):
    # validated by the domain code that owns them, read in one go on the hot path.
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
