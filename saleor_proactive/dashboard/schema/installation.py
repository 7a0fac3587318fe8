"""`installation`: who is looking, whether they may change things, and the snippet to paste."""

from __future__ import annotations

from datetime import datetime

import strawberry

from ...offers import hooks as offer_hooks
from ...storefront.preview import FRAGMENT_KEY, PreviewTokens
from .common import context_of

SNIPPET_PATH = "/storefront/v1/snippet.js"


@strawberry.type(description="Marks a browser as the merchant's: it then sees triggers in preview.")
class PreviewToken:
    token: str
    expires_at: datetime
    fragment: str = strawberry.field(
        description="Append to a storefront URL: `#saleor-proactive-preview=<token>`."
    )


@strawberry.type
class InstallationInfo:
    saleor_api_url: str
    can_write: bool
    user_email: str | None
    snippet_url: str
    installation_id: strawberry.Private[int]
    secret_key: strawberry.Private[str]

    @strawberry.field(description="A fresh preview token for this shop (valid 24 hours).")
    def preview_token(self) -> PreviewToken:
        token, expires_at = PreviewTokens(self.secret_key).issue(self.installation_id)
        return PreviewToken(token=token, expires_at=expires_at, fragment=f"#{FRAGMENT_KEY}={token}")

    @strawberry.field(description="Why offers cannot be saved here (no MANAGE_DISCOUNTS), or null.")
    def offers_unavailable(self, info: strawberry.Info) -> str | None:
        lacking = offer_hooks.lacks_discounts(context_of(info).installation())
        return offer_hooks.MISSING_PERMISSION if lacking else None

    @strawberry.field(description="The tag to paste into the storefront for one channel.")
    def snippet(self, channel: str = "default-channel") -> str:
        # Built as text for display; the page shows it with textContent, so quotes are literal.
        def attr(value: str) -> str:
            return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")

        return (
            f'<script async src="{attr(self.snippet_url)}"\n'
            f'        data-saleor-api-url="{attr(self.saleor_api_url)}"\n'
            f'        data-channel="{attr(channel)}"></script>'
        )


@strawberry.type
class InstallationQuery:
    @strawberry.field
    def installation(self, info: strawberry.Info) -> InstallationInfo:
        ctx = context_of(info)
        return InstallationInfo(
            saleor_api_url=ctx.merchant.saleor_api_url,
            can_write=ctx.merchant.can_write,
            user_email=ctx.merchant.user_email,
            snippet_url=ctx.base_url.rstrip("/") + SNIPPET_PATH,
            installation_id=ctx.installation_id,
            secret_key=ctx.secret_key,
        )
