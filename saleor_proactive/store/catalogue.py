"""The app's own copy of a shop's catalogue, searched by name for the trigger editor's pickers.

Only live products count; a category is known through the products in it (Saleor sends its name
with each product), so a category without products is not offered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .models import Channel, ProductSnapshot

MAX_RESULTS = 50


@dataclass(frozen=True)
class CatalogueEntry:
    id: str  # Saleor's global id, as rule documents store it
    name: str


def _pattern(search: str) -> str:
    escaped = search.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_products(
    session: Session,
    installation_id: int,
    search: str = "",
    first: int = 20,
    ids: Sequence[str] | None = None,
) -> list[CatalogueEntry]:
    """Products whose name contains `search` (any case), by name; or those with `ids`."""
    query = select(ProductSnapshot.product_id, ProductSnapshot.name).where(
        ProductSnapshot.installation_id == installation_id, ProductSnapshot.deleted.is_(False)
    )
    if ids is not None:
        query = query.where(ProductSnapshot.product_id.in_(list(ids)))
    elif search.strip():
        query = query.where(func.lower(ProductSnapshot.name).like(_pattern(search), escape="\\"))
    rows = session.execute(query.order_by(ProductSnapshot.name).limit(first))
    return [CatalogueEntry(product_id, name) for product_id, name in rows]


def search_categories(
    session: Session,
    installation_id: int,
    search: str = "",
    first: int = 20,
    ids: Sequence[str] | None = None,
) -> list[CatalogueEntry]:
    """Categories (of live products) whose name contains `search`, by name; or those with `ids`."""
    name = func.max(ProductSnapshot.category_name)
    query = (
        select(ProductSnapshot.category_id, name)
        .where(
            ProductSnapshot.installation_id == installation_id,
            ProductSnapshot.deleted.is_(False),
            ProductSnapshot.category_id.is_not(None),
            ProductSnapshot.category_name.is_not(None),
        )
        .group_by(ProductSnapshot.category_id)
    )
    if ids is not None:
        query = query.where(ProductSnapshot.category_id.in_(list(ids)))
    elif search.strip():
        query = query.where(
            func.lower(ProductSnapshot.category_name).like(_pattern(search), escape="\\")
        )
    rows = session.execute(query.order_by(name).limit(first))
    return [CatalogueEntry(str(category_id), str(label)) for category_id, label in rows]


def list_channels(session: Session, installation_id: int) -> list[Channel]:
    """The shop's channels by name (the editor's channel list and amounts' currencies)."""
    return list(
        session.scalars(
            select(Channel).where(Channel.installation_id == installation_id).order_by(Channel.name)
        )
    )
