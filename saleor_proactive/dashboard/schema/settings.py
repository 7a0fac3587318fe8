"""Merchant settings: read and change; `merchant_settings` validates them, `store` keeps them."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.scalars import JSON

from ...merchant_settings import MerchantSettings
from ...store.merchant_settings import load_settings, save_settings
from ...storefront.responses import config_json
from ...validation import DocumentError, expect_object
from .common import FieldError, InputProblem, context_of, field_error, input_to_json


@strawberry.type(description="The store's settings; `document` is the whole JSON form.")
class Settings:
    document: JSON
    raw: strawberry.Private[dict[str, Any]]
    snippet_theme: JSON = strawberry.field(
        description="The theme as the storefront snippet receives it (the editor's preview)."
    )

    @strawberry.field
    def chat_provider(self) -> str:
        return str(self.raw["chat"]["provider"])

    @strawberry.field
    def whatsapp_number(self) -> str | None:
        number = self.raw["chat"].get("number")
        return str(number) if number is not None else None

    @strawberry.field
    def storefront_origins(self) -> list[str]:
        return list(self.raw["storefrontOrigins"])

    @strawberry.field(description="The storefront's product address, `{slug}`/`{id}` filled in")
    def product_url_pattern(self) -> str | None:
        pattern = self.raw.get("productUrlPattern")
        return str(pattern) if pattern is not None else None

    @strawberry.field
    def consent_required(self) -> bool:
        return bool(self.raw["consentRequired"])

    @classmethod
    def of(cls, settings: MerchantSettings) -> Settings:
        document = settings.to_json()
        theme = config_json(settings)["theme"]
        return cls(document=JSON(document), raw=document, snippet_theme=JSON(theme))


@strawberry.input
class PagePatternInput:
    pattern: str
    page_type: str


@strawberry.input
class ThemeInput:
    primary_color: str | None = strawberry.UNSET
    text_color: str | None = strawberry.UNSET
    position: str | None = strawberry.UNSET
    bar_position: str | None = strawberry.UNSET


@strawberry.input(
    description="Settings to change: typed fields and/or `document` (top-level keys of the JSON "
    "form). Keys left out keep their value."
)
class SettingsInput:
    document: JSON | None = strawberry.UNSET
    chat_provider: str | None = strawberry.UNSET
    whatsapp_number: str | None = strawberry.UNSET
    storefront_origins: list[str] | None = strawberry.UNSET
    page_patterns: list[PagePatternInput] | None = strawberry.UNSET
    consent_required: bool | None = strawberry.UNSET
    theme: ThemeInput | None = strawberry.UNSET
    quiet_period_minutes: int | None = strawberry.UNSET
    free_shipping_overrides: JSON | None = strawberry.UNSET
    attribution_window_days: int | None = strawberry.UNSET
    retention_days: int | None = strawberry.UNSET
    product_url_pattern: str | None = strawberry.UNSET


@strawberry.type
class SettingsResult:
    settings: Settings | None
    errors: list[FieldError]


def settings_patch(value: SettingsInput, current: MerchantSettings) -> dict[str, Any]:
    typed = input_to_json(value)
    base = expect_object(typed.pop("document", None) or {}, "document")
    provider = typed.pop("chatProvider", None)
    number = typed.pop("whatsappNumber", None)
    if provider is not None or number is not None:
        chat = dict(base.get("chat") or current.to_json()["chat"])
        chat["provider"] = provider or chat.get("provider", "builtin")
        if number is not None or chat["provider"] != "whatsapp":
            chat["number"] = number
        base["chat"] = {k: v for k, v in chat.items() if v is not None}
    if "theme" in typed:
        typed["theme"] = {**current.to_json()["theme"], **typed["theme"]}
    if isinstance(base.get("reminders"), dict):  # its keys left out keep their value too
        base["reminders"] = {**current.reminders.to_json(), **base["reminders"]}
    return {**base, **typed}


@strawberry.type
class SettingsQuery:
    @strawberry.field
    def settings(self, info: strawberry.Info) -> Settings:
        return Settings.of(load_settings(context_of(info).installation()))


@strawberry.type
class SettingsMutation:
    @strawberry.mutation
    def update_settings(self, info: strawberry.Info, input: SettingsInput) -> SettingsResult:
        ctx = context_of(info)
        installation = ctx.installation()
        current = load_settings(installation)
        try:
            updated = current.updated(settings_patch(input, current))
        except DocumentError as error:
            return SettingsResult(settings=None, errors=[field_error(error.path, error.message)])
        except (TypeError, ValueError) as error:
            raise InputProblem("The settings could not be read.") from error
        save_settings(ctx.session, installation, updated)
        return SettingsResult(settings=Settings.of(updated), errors=[])
