"""Bring an installation's webhooks up to the declarations in `webhooks.py`.

Saleor creates a manifest's webhooks at install only, so a shop installed with an older version
keeps the events and documents of that version. This step reads the app's own webhooks with its
token and, for each declared webhook, updates the one of the same name when its events, document
or target differ, or creates it when it is missing. Webhooks with other names (added by hand,
say) are never touched. It compares with Saleor's state on every run, so it is idempotent and
needs nothing stored: a current installation costs one query.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from ..config import Settings
from ..store.db import Database
from ..store.installations import app_token
from ..store.models import Installation
from .allowlist import stored_url_must_be_public
from .client import SaleorClient, SaleorError
from .webhooks import WEBHOOKS, WEBHOOKS_BY_NAME, WebhookDefinition

logger = logging.getLogger(__name__)

WEBHOOK_PATH = "/api/webhooks/"


@dataclass(frozen=True)
class UpgradeReport:
    saleor_api_url: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def upgrade_webhooks(client: SaleorClient, public_url: str | None) -> UpgradeReport:
    """Create or update this app's declared webhooks in the Saleor the client talks to.

    The targets are built from `public_url` when set, else from where our existing webhooks
    point (the URL the shop installed the app from)."""
    report = UpgradeReport(client.api_url)
    try:
        current = {hook.get("name"): hook for hook in reversed(client.app_webhooks())}
        base_url = public_url or _installed_base_url(current.values())
        if base_url is None:
            return _failed(report, "no webhook of this app tells its public URL")
        for definition in WEBHOOKS:
            _bring_up_to_date(client, definition, current.get(definition.name), base_url, report)
    except SaleorError as exc:
        return _failed(report, exc.message)
    return report


def _bring_up_to_date(
    client: SaleorClient,
    definition: WebhookDefinition,
    hook: dict[str, Any] | None,
    base_url: str,
    report: UpgradeReport,
) -> None:
    wanted = definition.manifest_entry(base_url)
    if hook is None:
        client.create_webhook(wanted)
        report.created.append(definition.name)
    elif _differs(hook, wanted):
        # `isActive` is left as it is: the merchant may have paused the webhook on purpose.
        update = {key: value for key, value in wanted.items() if key != "isActive"}
        client.update_webhook(str(hook.get("id")), update)
        report.updated.append(definition.name)


def _differs(hook: dict[str, Any], wanted: dict[str, Any]) -> bool:
    events = {event.get("eventType") for event in hook.get("asyncEvents") or []}
    return (
        events != set(wanted["asyncEvents"])
        or hook.get("subscriptionQuery") != wanted["query"]
        or hook.get("targetUrl") != wanted["targetUrl"]
    )


def _installed_base_url(hooks: Iterable[dict[str, Any]]) -> str | None:
    for hook in hooks:
        target, name = hook.get("targetUrl"), hook.get("name")
        if name not in WEBHOOKS_BY_NAME:  # another's webhook says nothing about our URL
            continue
        suffix = f"{WEBHOOK_PATH}{name}"
        if isinstance(target, str) and target.endswith(suffix) and len(target) > len(suffix):
            return target[: -len(suffix)]
    return None


def _failed(report: UpgradeReport, error: str) -> UpgradeReport:
    logger.warning("webhook upgrade of %s failed: %s", report.saleor_api_url, error)
    return UpgradeReport(report.saleor_api_url, report.created, report.updated, error)


def upgrade_all_installations(database: Database, settings: Settings) -> list[UpgradeReport]:
    """Run `upgrade_webhooks` for every installation; no transaction stays open meanwhile."""
    secret_key = settings.require_secret_key()
    with database.session() as session:
        targets = [
            (installation.saleor_api_url, app_token(installation, secret_key))
            for installation in session.scalars(select(Installation).order_by(Installation.id))
        ]
    reports = []
    for api_url, token in targets:
        # `public_only` as at registration: the name may point elsewhere since.
        public_only = stored_url_must_be_public(api_url, settings.allowed_saleor_urls)
        client = SaleorClient(api_url, token, public_only=public_only)
        report = upgrade_webhooks(client, settings.public_url)
        if report.changed:
            logger.info("webhooks of %s brought up to date: %s", api_url, report)
        reports.append(report)
    return reports
