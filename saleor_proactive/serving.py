"""What `saleor-proactive serve` changes in gunicorn: header limits and JSON error pages.

gunicorn refuses an oversized or malformed request itself, before the app sees it, with an HTML
page. Its header-field limit is raised above the app's own limits (so the app answers those in
its JSON shape, naming the problem), and its error pages are written in the same JSON shape.
"""

from __future__ import annotations

import json
import socket

from .dashboard.auth import MAX_TOKEN_LENGTH
from .errors import code_for_reason

# A Dashboard token up to the app's limit, with room for the header's name: the app decides.
HEADER_FIELD_LIMIT = 2 * MAX_TOKEN_LENGTH


def write_json_error(sock: socket.socket, status: int, reason: str, message: str) -> None:
    """Drop-in for `gunicorn.util.write_error`: the same answer, in the app's error shape."""
    from gunicorn import util

    body = json.dumps(
        {"error": {"code": code_for_reason(reason), "message": message or reason}}
    ).encode()
    head = (
        f"HTTP/1.1 {status} {reason}\r\n"
        "Connection: close\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    util.write_nonblock(sock, head.encode("latin-1") + body)


def use_json_error_pages() -> None:
    """Make gunicorn (in this process and the workers it forks) write JSON error pages."""
    from gunicorn import util

    util.write_error = write_json_error
