"""The shop's own mail server for reminders and the chat's emails: read (never the password),
set from an SMTP URL, cleared. Changing it needs MANAGE_APPS, as every mutation outside
`STAFF_MUTATIONS` (graphql_view)."""

from __future__ import annotations

import strawberry

from ...chat.mail import SmtpConfig, SmtpUrlError
from ...http import app_settings
from ...store.mail_server import (
    MailServerUnreadable,
    clear_mail_server,
    set_mail_server,
    shop_mail_server,
)
from .common import FieldError, InputProblem, context_of, field_error
from .context import ApiContext


@strawberry.type(
    description="The shop's own SMTP server; not configured: the operator's "
    "PROACTIVE_SMTP_URL serves, if set. The password is never returned."
)
class MailServer:
    configured: bool
    host: str | None
    port: int | None
    sender: str | None = strawberry.field(description="The From address (`?from=`).")
    tls: str | None = strawberry.field(
        description="`tls` (smtps://, from the first byte), `starttls` (smtp+starttls://) "
        "or `none` (smtp://)."
    )
    username: str | None

    @classmethod
    def of(cls, config: SmtpConfig | None) -> MailServer:
        if config is None:
            return cls(configured=False, host=None, port=None, sender=None, tls=None, username=None)
        return cls(
            configured=True,
            host=config.host,
            port=config.port,
            sender=config.sender,
            tls=config.tls,
            username=config.username,
        )


@strawberry.type
class MailServerResult:
    mail_server: MailServer | None
    errors: list[FieldError]


@strawberry.type
class MailServerQuery:
    @strawberry.field(
        description="The shop's mail server; an error when the stored setting cannot be read "
        "(the app's secret key changed): enter it again."
    )
    def mail_server(self, info: strawberry.Info[ApiContext, None]) -> MailServer | None:
        ctx = context_of(info)
        try:
            return MailServer.of(shop_mail_server(ctx.installation(), app_settings()))
        except MailServerUnreadable as unreadable:
            raise InputProblem(str(unreadable)) from None


@strawberry.type
class MailServerMutation:
    @strawberry.mutation(
        description="Send reminders and the chat's emails through this SMTP server: "
        "`smtp[s|+starttls]://[user:password@]host[:port]?from=shop@example.com`, user and "
        "password URL-encoded."
    )
    def set_mail_server(
        self, info: strawberry.Info[ApiContext, None], url: str
    ) -> MailServerResult:
        ctx = context_of(info)
        try:
            config = set_mail_server(ctx.installation(), url, app_settings())
        except SmtpUrlError as error:
            problem = field_error("url", f"The mail server URL {error}.")
            return MailServerResult(mail_server=None, errors=[problem])
        ctx.session.flush()
        return MailServerResult(mail_server=MailServer.of(config), errors=[])

    @strawberry.mutation(description="Forget the shop's mail server (PROACTIVE_SMTP_URL serves).")
    def clear_mail_server(self, info: strawberry.Info[ApiContext, None]) -> MailServerResult:
        ctx = context_of(info)
        clear_mail_server(ctx.installation())
        ctx.session.flush()
        return MailServerResult(mail_server=MailServer.of(None), errors=[])
