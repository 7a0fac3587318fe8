"""Failures of the store that its callers answer without knowing which database is behind it."""

from __future__ import annotations


class StoreBusy(Exception):
    """Other writers held the database longer than a request may wait for it: retry shortly."""
