"""The merchant GraphQL API: one module per domain, merged into one schema here."""

from __future__ import annotations

from functools import cache

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from .catalogue import CatalogueQuery
from .chat import ChatMutation, ChatQuery, ChatSettingsMutation
from .common import InputProblem
from .context import ApiContext, InstallationGone
from .installation import InstallationQuery
from .mail_server import MailServerMutation, MailServerQuery
from .reminders import (
    ReminderMutation,
    ReminderPreviewQuery,
    ReminderQuery,
    ReminderTestMutation,
)
from .settings import SettingsMutation, SettingsQuery
from .shipping import ShippingQuery
from .simulate import SimulateQuery
from .stats import StatsQuery
from .triggers import TriggerMutation, TriggerQuery

__all__ = ["ApiContext", "get_schema"]

MAX_DEPTH = 10
MAX_TOKENS = 4000
MAX_ALIASES = 30
QUERY_TYPES: tuple[type, ...] = (
    TriggerQuery,
    SettingsQuery,
    ShippingQuery,
    SimulateQuery,
    StatsQuery,
    InstallationQuery,
    ChatQuery,
    CatalogueQuery,
    ReminderQuery,
    ReminderPreviewQuery,
    MailServerQuery,
)
MUTATION_TYPES: tuple[type, ...] = (
    TriggerMutation,
    SettingsMutation,
    ChatMutation,
    ChatSettingsMutation,
    ReminderMutation,
    ReminderTestMutation,
    MailServerMutation,
)


def _is_expected(error: GraphQLError) -> bool:
    """Errors about the request itself (syntax, validation, variable coercion: no field path)
    and our own refusals are meant for the caller; anything a resolver raised otherwise is a bug
    whose details stay in the log."""
    original = error.original_error
    if original is None or error.path is None:
        return True
    return isinstance(original, GraphQLError | InputProblem | InstallationGone)


class MerchantSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # The caller's mistakes are answered, not logged with a traceback; bugs still are.
        unexpected = [error for error in errors if not _is_expected(error)]
        if unexpected:
            super().process_errors(unexpected, execution_context)


def _should_mask(error: GraphQLError) -> bool:
    return not _is_expected(error)


@cache
def get_schema() -> MerchantSchema:
    """Built once on first use (not at import time)."""
    query = merge_types("Query", QUERY_TYPES)
    mutation = merge_types("Mutation", MUTATION_TYPES)
    return MerchantSchema(
        query=query,
        mutation=mutation,
        # Factories: each execution gets fresh extension instances (they keep per-run state).
        extensions=[
            lambda: QueryDepthLimiter(max_depth=MAX_DEPTH),
            lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
            lambda: MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
            lambda: MaskErrors(should_mask_error=_should_mask),
            # The app page sends the same few documents again and again; validating a
            # document dominates a request, so remember the outcome per document.
            lambda: ParserCache(maxsize=256),
            lambda: ValidationCache(maxsize=256),
        ],
    )
