"""Short-lived links to a shop's report, for where a request cannot carry the Dashboard token.

The app page lives in the Dashboard's sandboxed iframe, which may not download files; the
Dashboard can open a link in a new tab, but a tab sends no headers. So the merchant API hands
out a link that names the installation and the date range, signed with the app's secret and
good for a few minutes: whoever holds it gets that one report, nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from itsdangerous import BadData, URLSafeTimedSerializer

LINK_SECONDS = 300
_SALT = "saleor-proactive/report-link"


@dataclass(frozen=True)
class ReportLink:
    installation_id: int
    first: date
    last: date


class InvalidReportLink(ValueError):
    """Forged, altered or expired."""


def sign_report_link(secret: str, link: ReportLink) -> str:
    serializer = URLSafeTimedSerializer(secret, salt=_SALT)
    return serializer.dumps([link.installation_id, link.first.isoformat(), link.last.isoformat()])


def read_report_link(secret: str, token: str, max_age: int = LINK_SECONDS) -> ReportLink:
    serializer = URLSafeTimedSerializer(secret, salt=_SALT)
    try:
        installation_id, first, last = serializer.loads(token, max_age=max_age)
        return ReportLink(int(installation_id), date.fromisoformat(first), date.fromisoformat(last))
    except (BadData, TypeError, ValueError):
        problem = "The report link is not valid any more; ask for a new one."
        raise InvalidReportLink(problem) from None
