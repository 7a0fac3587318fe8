"""The verified caller of the merchant API, as resolvers see it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MerchantContext:
    """Built from a verified Dashboard token; every resolver scopes its work to the installation."""

    installation_id: int
    saleor_api_url: str
    can_write: bool
    user_email: str | None = None
