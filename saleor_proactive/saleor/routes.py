"""HTTP routes of the saleor area (thin: parse, call the domain code, map the result)."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("saleor", __name__)
