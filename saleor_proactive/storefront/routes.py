"""HTTP routes of the storefront area (thin: parse, call the domain code, map the result)."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("storefront", __name__)
