"""HTTP routes of the dashboard area (thin: parse, call the domain code, map the result)."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("dashboard", __name__)
