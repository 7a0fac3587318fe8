"""Signed links in a reminder: the tracked way back to the checkout, and one-click unsubscribe.

Signed with the app's secret key, so nobody can unsubscribe an address they do not hold a
message for, or count a click for a reminder that was not sent.
"""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeSerializer

CLICK_SALT = "proactive-reminder-click"
UNSUBSCRIBE_SALT = "proactive-reminder-unsubscribe"


def click_link(public_url: str, secret: str, delivery_id: int) -> str:
    token = URLSafeSerializer(secret, salt=CLICK_SALT).dumps(delivery_id)
    return f"{public_url}/reminders/r/{token}"


def unsubscribe_link(public_url: str, secret: str, installation_id: int, email: str) -> str:
    token = URLSafeSerializer(secret, salt=UNSUBSCRIBE_SALT).dumps([installation_id, email.lower()])
    return f"{public_url}/reminders/unsubscribe/{token}"


def read_click(secret: str, token: str) -> int | None:
    try:
        value = URLSafeSerializer(secret, salt=CLICK_SALT).loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) else None


def read_unsubscribe(secret: str, token: str) -> tuple[int, str] | None:
    try:
        value = URLSafeSerializer(secret, salt=UNSUBSCRIBE_SALT).loads(token)
    except BadSignature:
        return None
    if (
        isinstance(value, list)
        and len(value) == 2
        and isinstance(value[0], int)
        and isinstance(value[1], str)
    ):
        return value[0], value[1]
    return None
