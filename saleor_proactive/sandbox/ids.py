"""Saleor's global IDs: base64 of `Type:pk`."""

from __future__ import annotations

import base64
import binascii


def to_global_id(type_name: str, pk: object) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def from_global_id(global_id: str, expected_type: str) -> str | None:
    """The pk of a global ID of the expected type, or None when it is not one."""
    try:
        decoded = base64.b64decode(global_id.encode(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    type_name, _, pk = decoded.partition(":")
    return pk if type_name == expected_type and pk else None
