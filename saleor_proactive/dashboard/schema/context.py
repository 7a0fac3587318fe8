"""What every resolver receives: the verified merchant and the request's unit of work."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from ...store.models import Installation
from ..merchant import MerchantContext


class InstallationGone(Exception):
    """The installation was deleted while the request ran (uninstall)."""


@dataclass
class ApiContext:
    merchant: MerchantContext
    session: Session
    secret_key: str
    base_url: str  # the app's public base URL, for the snippet tag
    _installation: Installation | None = field(default=None, repr=False)

    @property
    def installation_id(self) -> int:
        return self.merchant.installation_id

    def installation(self) -> Installation:
        if self._installation is None:
            found = self.session.get(Installation, self.merchant.installation_id)
            if found is None:
                raise InstallationGone("The installation no longer exists.")
            self._installation = found
        return self._installation
