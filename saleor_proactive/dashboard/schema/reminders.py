"""Merchant API for abandoned-cart reminders: erasure by email (settings go through
`updateSettings`'s `reminders` section)."""

from __future__ import annotations

import strawberry

from ...chat.validation import ChatInputError, clean_email
from ...reminders.erasure import erase_by_email
from .common import FieldError, context_of, field_error
from .context import ApiContext


@strawberry.type
class ReminderErasureResult:
    deleted_reminders: int
    errors: list[FieldError]


@strawberry.type
class ReminderMutation:
    @strawberry.mutation(
        description="Delete every reminder sent to this email (a data subject's erasure); "
        "the address stays suppressed, so it is never written to again."
    )
    def reminders_erase_by_email(
        self, info: strawberry.Info[ApiContext, None], email: str
    ) -> ReminderErasureResult:
        ctx = context_of(info)
        try:
            address = clean_email(email)
        except ChatInputError as error:
            return ReminderErasureResult(
                deleted_reminders=0, errors=[field_error(error.field, error.message, error.code)]
            )
        deleted = erase_by_email(ctx.session, ctx.installation_id, address)
        return ReminderErasureResult(deleted_reminders=deleted, errors=[])
