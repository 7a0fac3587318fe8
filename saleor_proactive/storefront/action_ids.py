"""Signed action ids: proof that this app issued an action to this visitor, and when.

`<trigger id>.<nonce>.<timestamp>.<signature>`; the installation and the visitor are part of the
signing salt, so an id copied to another visitor or shop fails verification. Ids older than
`MAX_AGE` are refused too: an impression reported a day later is not one we can trust.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from itsdangerous import BadData, TimestampSigner

MAX_AGE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class IssuedAction:
    trigger_id: str
    nonce: str


class ActionSigner:
    def __init__(self, secret: str) -> None:
        self._secret = secret

    def _signer(self, installation_id: int, visitor_id: str) -> TimestampSigner:
        salt = f"saleor-proactive/action/{installation_id}/{visitor_id}"
        return TimestampSigner(self._secret, salt=salt)

    def issue(self, installation_id: int, visitor_id: str, trigger_id: str) -> str:
        nonce = secrets.token_urlsafe(9)
        value = f"{trigger_id}.{nonce}"
        return self._signer(installation_id, visitor_id).sign(value).decode()

    def verify(self, installation_id: int, visitor_id: str, action_id: str) -> IssuedAction | None:
        """The action, or None when forged, for someone else, or too old."""
        try:
            value = self._signer(installation_id, visitor_id).unsign(
                action_id, max_age=MAX_AGE_SECONDS
            )
        except BadData:
            return None
        trigger_id, _, nonce = value.decode().partition(".")
        if not trigger_id or not nonce:
            return None
        return IssuedAction(trigger_id, nonce)
