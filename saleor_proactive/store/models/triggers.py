"""Merchant triggers (rule documents) and a per-installation revision for cache validation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow


class Trigger(Base):
    """One rule document. `name`, `enabled` and `priority` mirror the document for listing."""

    __tablename__ = "triggers"
    __table_args__ = (Index("ix_triggers_installation_priority", "installation_id", "priority"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)  # "trg_<random>"
    installation_id: Mapped[int] = mapped_column(
        ForeignKey("installations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    priority: Mapped[int] = mapped_column(Integer, default=100)
    # Normalised by the engine's `parse_rule(...).to_document()`.
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class TriggerRevision(Base):
    """Bumped by every trigger write, so each process can validate its parsed-rule cache with
    one primary-key read; its existence also marks the defaults as seeded."""

    __tablename__ = "trigger_revisions"

    installation_id: Mapped[int] = mapped_column(
        ForeignKey("installations.id", ondelete="CASCADE"), primary_key=True
    )
    revision: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
