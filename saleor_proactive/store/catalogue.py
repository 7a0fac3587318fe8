"""The app's own copy of a shop's catalogue, searched by name for the trigger editor's pickers.

Only live products count; a category is known through the products in it (Saleor sends its name
with each product), so a category without products is not offered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVarTuple

from sqlalchemy import Select, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from .models import Channel, ProductSnapshot

MAX_RESULTS = 50
_Columns = TypeVarTuple("_Columns")
ESCAPE = "\\"  # LIKE's escape character: a searched % or _ is meant literally


@dataclass(frozen=True)
class CatalogueEntry:
    id: str  # Saleor's global id, as rule documents store it
    name: str


def _pattern(search: str) -> str:
    escaped = search.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _narrowed(
    query: Select[*_Columns],
    id_column: InstrumentedAttribute[Any],
    name_column: InstrumentedAttribute[Any],
    search: str,
    ids: Sequence[str] | None,
) -> Select[*_Columns]:
    """The editor either names stored ids (exactly those) or searches names (any case)."""
    if ids is not None:
        return query.where(id_column.in_(list(ids)))
    if search.strip():
        return query.where(func.lower(name_column).like(_pattern(search), escape=ESCAPE))
    return query


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
    query = _narrowed(query, ProductSnapshot.product_id, ProductSnapshot.name, search, ids)
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
    query = _narrowed(
        query, ProductSnapshot.category_id, ProductSnapshot.category_name, search, ids
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
