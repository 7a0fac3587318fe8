"""Merchant API for abandoned-cart reminders: results against the hold-out group, and erasure
by email (settings go through `updateSettings`'s `reminders` section)."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import urlsplit

import strawberry
from flask import current_app

from ...analytics.reminders import reminder_results
from ...analytics.stats import DateRangeError, check_date_range
from ...analytics.uplift import Verdict
from ...chat.validation import ChatInputError, clean_email
from ...reminders.erasure import erase_by_email
from ...reminders.preview import preview, send_test
from ...store.merchant_settings import load_settings
from .common import FieldError, InputProblem, MoneyAmount, context_of, field_error
from .context import ApiContext
from .stats import Uplift


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


@strawberry.type
class ReminderStepResults:
    step: int
    sent: int
    clicked: int
    recovered_orders: int
    revenue: list[MoneyAmount]


@strawberry.type(
    description="Abandoned checkouts that came due for a first reminder in the range: the "
    "reminded against the hold-out group, with the uplift of reminding and its 95 % interval."
)
class ReminderResults:
    steps: list[ReminderStepResults]
    reminded_checkouts: int
    reminded_recovered: int
    control_checkouts: int
    control_recovered: int
    uplift: Uplift | None
    enough_data: bool
    verdict: Verdict
    more_checkouts_needed: int | None


@strawberry.type
class ReminderQuery:
    @strawberry.field(description="Reminder results over UTC days `from`..`to`, both inclusive.")
    def reminder_results(
        self,
        info: strawberry.Info[ApiContext, None],
        from_: Annotated[date, strawberry.argument(name="from")],
        to: date,
    ) -> ReminderResults:
        ctx = context_of(info)
        try:
            check_date_range(from_, to)
        except DateRangeError as error:
            raise InputProblem(error.message) from None
        found = reminder_results(ctx.session, ctx.installation_id, from_, to)
        lift = found.uplift
        return ReminderResults(
            steps=[
                ReminderStepResults(
                    step=s.step,
                    sent=s.sent,
                    clicked=s.clicked,
                    recovered_orders=s.recovered_orders,
                    revenue=[
                        MoneyAmount(amount=float(amount), currency=currency)
                        for currency, amount in sorted(s.revenue.items())
                    ],
                )
                for s in found.steps
            ],
            reminded_checkouts=found.reminded_checkouts,
            reminded_recovered=found.reminded_recovered,
            control_checkouts=found.control_checkouts,
            control_recovered=found.control_recovered,
            uplift=Uplift(
                absolute=lift.absolute,
                low=lift.interval.low,
                high=lift.interval.high,
                relative=lift.relative,
                incremental_conversions=lift.incremental_conversions,
            )
            if lift
            else None,
            enough_data=found.enough_data,
            verdict=found.assessment.verdict,
            more_checkouts_needed=found.assessment.more_visitors_needed,
        )


@strawberry.type(description="A sample reminder rendered with the saved texts and colours.")
class ReminderPreview:
    subject: str
    html: str
    text: str


@strawberry.type
class ReminderTestResult:
    sent_to: str | None
    errors: list[FieldError]


@strawberry.type
class ReminderPreviewQuery:
    @strawberry.field(description="The sample reminder in `locale` (e.g. es-MX, with fallback).")
    def reminder_preview(
        self, info: strawberry.Info[ApiContext, None], locale: str = "en"
    ) -> ReminderPreview:
        ctx = context_of(info)
        found = preview(load_settings(ctx.installation()), locale[:35], _shop(ctx))
        return ReminderPreview(subject=found.subject, html=found.html, text=found.text)


@strawberry.type
class ReminderTestMutation:
    @strawberry.mutation(
        description="Send the sample reminder to the signed-in staff member's own email."
    )
    def reminders_send_test(
        self, info: strawberry.Info[ApiContext, None], locale: str = "en"
    ) -> ReminderTestResult:
        ctx = context_of(info)
        to = ctx.merchant.user_email
        if not to:
            problem = "your Dashboard account has no email address to send the test to"
            return ReminderTestResult(sent_to=None, errors=[field_error("email", problem)])
        app_settings = current_app.config["PROACTIVE"]
        failure = send_test(app_settings, ctx.installation(), to, locale[:35], _shop(ctx))
        if failure is not None:
            return ReminderTestResult(
                sent_to=None, errors=[field_error("smtp", failure, "smtp_failed")]
            )
        return ReminderTestResult(sent_to=to, errors=[])


def _shop(ctx: ApiContext) -> str:
    return urlsplit(ctx.merchant.saleor_api_url).hostname or "the shop"
