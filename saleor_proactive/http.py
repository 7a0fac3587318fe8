"""Small request helpers shared by the HTTP layers."""

from __future__ import annotations

import json
from typing import Any

from flask import current_app, request

from .config import Settings
from .errors import ApiError


def app_settings() -> Settings:
    settings: Settings = current_app.config["PROACTIVE"]
    return settings


def public_base_url() -> str:
    """The app's public base URL: configured, else derived from the request."""
    configured = app_settings().public_url
    if configured:
        return configured
    return request.host_url.rstrip("/")


def json_body(max_bytes: int | None = None) -> dict[str, Any]:
    """The request's JSON object, or a 400/413 naming the problem."""
    length = request.content_length
    if max_bytes is not None and length is not None and length > max_bytes:
        raise ApiError(413, "payload_too_large", f"The body is larger than {max_bytes} bytes.")
    raw = request.get_data(cache=True)
    if max_bytes is not None and len(raw) > max_bytes:
        raise ApiError(413, "payload_too_large", f"The body is larger than {max_bytes} bytes.")
    return parse_json_object(raw)


def parse_json_object(raw: bytes) -> dict[str, Any]:
    """Decode a JSON object from raw bytes, or raise a 400 `invalid_json` naming the problem."""
    try:
        data = json.loads(raw)
    except ValueError:
        raise ApiError(400, "invalid_json", "The body is not valid JSON.") from None
    except RecursionError:  # thousands of nested brackets: valid JSON, but no document of ours
        raise ApiError(400, "invalid_json", "The body is nested too deeply.") from None
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_json", "The body must be a JSON object.")
    return data
