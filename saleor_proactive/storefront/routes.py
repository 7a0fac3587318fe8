"""HTTP routes of the storefront area (thin: parse, call the domain code, map the result)."""

from __future__ import annotations

from flask import Blueprint

from .snippet import register_snippet_route

blueprint = Blueprint("storefront", __name__)
register_snippet_route(blueprint)
