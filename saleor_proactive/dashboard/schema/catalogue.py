"""The app's own copy of the shop's catalogue, for the trigger editor's lists and pickers.

Scoped to the caller's installation like every query; ids are Saleor's global ids, as rule
documents store them.
"""

from __future__ import annotations

from collections.abc import Callable

import strawberry

from ...store import catalogue
from .common import InputProblem, context_of

MAX_IDS = 100


@strawberry.type(description="A product or category the app knows, by Saleor id and name.")
class CatalogueEntry:
    id: strawberry.ID
    name: str


@strawberry.type(description="A channel of the shop, with the currency its amounts are in.")
class CatalogueChannel:
    slug: str
    name: str
    currency: str


def _arguments(search: str, first: int, ids: list[strawberry.ID] | None) -> list[str] | None:
    if not 0 < first <= catalogue.MAX_RESULTS:
        raise InputProblem(f"`first` must be 1..{catalogue.MAX_RESULTS}.")
    if len(search) > 200:
        raise InputProblem("`search` is at most 200 characters.")
    if ids is not None and len(ids) > MAX_IDS:
        raise InputProblem(f"`ids` takes at most {MAX_IDS} ids.")
    return [str(i) for i in ids] if ids is not None else None


def _search(
    info: strawberry.Info,
    finder: Callable[..., list[catalogue.CatalogueEntry]],
    search: str,
    first: int,
    ids: list[strawberry.ID] | None,
) -> list[CatalogueEntry]:
    """Checks the arguments, then asks the store, in the caller's installation only."""
    ctx = context_of(info)
    wanted = _arguments(search, first, ids)
    found = finder(ctx.session, ctx.installation_id, search, first, wanted)
    return [CatalogueEntry(id=strawberry.ID(e.id), name=e.name) for e in found]


@strawberry.type
class CatalogueQuery:
    @strawberry.field(
        description="Products whose name contains `search` (any case), by name; with `ids`, "
        "those products instead (to name the ids a trigger stores)."
    )
    def catalog_products(
        self,
        info: strawberry.Info,
        search: str = "",
        first: int = 20,
        ids: list[strawberry.ID] | None = None,
    ) -> list[CatalogueEntry]:
        return _search(info, catalogue.search_products, search, first, ids)

    @strawberry.field(
        description="Categories (of the products the app knows) whose name contains `search`; "
        "with `ids`, those categories instead."
    )
    def catalog_categories(
        self,
        info: strawberry.Info,
        search: str = "",
        first: int = 20,
        ids: list[strawberry.ID] | None = None,
    ) -> list[CatalogueEntry]:
        return _search(info, catalogue.search_categories, search, first, ids)

    @strawberry.field(description="The shop's channels and their currencies.")
    def catalog_channels(self, info: strawberry.Info) -> list[CatalogueChannel]:
        ctx = context_of(info)
        return [
            CatalogueChannel(slug=c.slug, name=c.name, currency=c.currency_code)
            for c in catalogue.list_channels(ctx.session, ctx.installation_id)
        ]
