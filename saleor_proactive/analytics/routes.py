"""HTTP routes of the analytics area (thin: parse, call the domain code, map the result)."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("analytics", __name__)
