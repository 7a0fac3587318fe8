"""Visitor tokens: the server's signature over a conversation's public id, for one shop.

The installation is part of the signing salt, so a token cannot open a conversation of another
shop even with a guessed public id. Tokens do not expire on their own: a conversation lives as
long as the retention period keeps it, and the reply email's link carries the same token.
"""

from __future__ import annotations

from itsdangerous import BadSignature, Signer


class ChatTokens:
    def __init__(self, secret: str) -> None:
        self._secret = secret

    def _signer(self, installation_id: int) -> Signer:
        return Signer(self._secret, salt=f"saleor-proactive/chat/{installation_id}")

    def issue(self, installation_id: int, public_id: str) -> str:
        """The signature part only: the visitor sends it next to the conversation id."""
        signed = self._signer(installation_id).sign(public_id).decode()
        return signed.rpartition(".")[2]

    def verify(self, installation_id: int, public_id: str, token: str) -> bool:
        try:
            self._signer(installation_id).unsign(f"{public_id}.{token}")
        except BadSignature:
            return False
        return True
