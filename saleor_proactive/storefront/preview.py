"""Preview tokens: they mark the merchant's own browser, which alone is shown triggers in preview.

The app page hands out a link to the storefront ending in `#saleor-proactive-preview=<token>`;
the snippet keeps the token and sends it as `preview` with its events. A token is signed with
the app's secret key, salted with the installation, and expires after `MAX_AGE_SECONDS`, so a
copied, forged or stale token (or one of another shop) is simply no token: the request is
answered as for any visitor, never refused.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

from itsdangerous import BadData, TimestampSigner

MAX_AGE_SECONDS = 24 * 3600
FRAGMENT_KEY = "saleor-proactive-preview"  # the snippet keeps a copy (PREVIEW_HASH)
MAX_TOKEN_CHARS = 400  # what the snippet keeps and the visitor API reads
_VALUE = "preview"


class PreviewTokens:
    def __init__(self, secret: str, now: Callable[[], float] = time.time) -> None:
        self._secret = secret
        self._now = now

    def _signer(self, installation_id: int) -> TimestampSigner:
        signer = TimestampSigner(self._secret, salt=f"saleor-proactive/preview/{installation_id}")
        signer.get_timestamp = lambda: int(self._now())  # type: ignore[method-assign]
        return signer

    def issue(self, installation_id: int) -> tuple[str, datetime]:
        """A fresh token and the moment it stops working."""
        token = self._signer(installation_id).sign(_VALUE).decode()
        expires = datetime.fromtimestamp(int(self._now()) + MAX_AGE_SECONDS, UTC)
        return token, expires

    def is_valid(self, installation_id: int, token: object) -> bool:
        if not isinstance(token, str) or not 0 < len(token) <= MAX_TOKEN_CHARS:
            return False
        signer = self._signer(installation_id)
        try:
            value, signed_at = signer.unsign(token, return_timestamp=True)
        except BadData:
            return False
        age = self._now() - signed_at.timestamp()
        return value.decode() == _VALUE and 0 <= age <= MAX_AGE_SECONDS
