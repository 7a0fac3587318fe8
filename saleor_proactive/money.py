"""An amount in a currency: the one money value the engine, the store and the APIs share."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    def as_json(self) -> dict[str, Any]:
        return {"amount": float(self.amount), "currency": self.currency}
