"""The codes behind offers, kept in Saleor through the app token.

Plain functions, run by the periodic job and right after an offer trigger is saved:
- `refill` keeps one voucher per enabled offer trigger in step with it (discount, channels,
  minimum) and tops its pool of unclaimed single-use codes up to `POOL_SIZE`, so a claim never
  waits for Saleor. Saleor 3.23 makes a voucher only together with its first code(s), so the
  voucher is created with the first batch (`addCodes`). Codes are stored only after Saleor
  accepted them: a failed call leaves nothing half-made here.
- `expire` asks Saleor about every code still in play (pooled, held, expired): a code Saleor
  deactivated (an order used it) is spent, one gone from Saleor is removed, and a claimed code
  unused past its expiry is deleted (Saleor 3.23 has no per-code end date). It also deactivates
  the voucher of a trigger that was deleted or is no longer an offer.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, select, update
from sqlalchemy.orm import Session

from ..config import Settings
from ..saleor.allowlist import stored_url_must_be_public
from ..saleor.client import SaleorClient, SaleorError
from ..store.db import Database
from ..store.installations import app_token
from ..store.models import Channel, Installation, OfferCode, OfferVoucher, Trigger, utcnow
from ..triggers.offer import OfferTerms
from ..triggers.rules import parse_rule

logger = logging.getLogger(__name__)

POOL_SIZE = 20  # unclaimed codes kept ready per offer
MAX_CODES_PER_CALL = 100
CODE_PREFIX = "SP-"
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud, typed by hand


@dataclass
class PoolReport:
    vouchers_created: int = 0
    vouchers_updated: int = 0
    codes_created: int = 0
    codes_removed: int = 0
    vouchers_deactivated: int = 0
    failures: int = 0
    codes_spent: int = 0  # deactivated by Saleor: an order used them


@dataclass(frozen=True)
class _Offer:
    trigger_id: str
    name: str
    version: int
    terms: OfferTerms
    channels: tuple[str, ...]  # empty: every channel


def new_code() -> str:
    return CODE_PREFIX + "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))


def client_for(installation: Installation, settings: Settings) -> SaleorClient:
    token = app_token(installation, settings.require_secret_key())
    # `public_only` as at registration: the name may point elsewhere since.
    public_only = stored_url_must_be_public(
        installation.saleor_api_url, settings.allowed_saleor_urls
    )
    return SaleorClient(installation.saleor_api_url, token, public_only=public_only)


def refill(
    database: Database,
    settings: Settings,
    *,
    installation_id: int | None = None,
    trigger_id: str | None = None,
    pool_size: int = POOL_SIZE,
) -> PoolReport:
    """Bring every offer's voucher up to date and its pool up to `pool_size` unclaimed codes."""
    report = PoolReport()
    for installation, offers in _offers(database, installation_id, trigger_id):
        client = client_for(installation, settings)
        for offer in offers:
            try:
                _sync_voucher(database, client, installation.id, offer, pool_size, report)
                _top_up(database, client, installation.id, offer, pool_size, report)
            except SaleorError as error:
                report.failures += 1
                logger.warning("offer %s: pool refill failed: %s", offer.trigger_id, error)
                if trigger_id is not None:
                    raise
    return report


def upkeep(database: Database, settings: Settings) -> PoolReport:
    """The periodic job's part: clean up first, so the refill counts what is really left."""
    cleaned = expire(database, settings)
    filled = refill(database, settings)
    return PoolReport(
        filled.vouchers_created,
        filled.vouchers_updated,
        filled.codes_created,
        cleaned.codes_removed,
        cleaned.vouchers_deactivated,
        cleaned.failures + filled.failures,
        cleaned.codes_spent,
    )


def expire(
    database: Database,
    settings: Settings,
    now: datetime | None = None,
    *,
    installation_id: int | None = None,
) -> PoolReport:
    """Mark spent codes, remove expired unused ones; deactivate the vouchers of offers that are
    gone."""
    now = now or utcnow()
    report = PoolReport()
    with database.session() as session:
        query = select(Installation).order_by(Installation.id)
        if installation_id is not None:
            query = query.where(Installation.id == installation_id)
        installations = list(session.scalars(query))
        session.expunge_all()
    for installation in installations:
        client = client_for(installation, settings)
        try:
            _check_codes(database, client, installation.id, now, report)
            _deactivate_orphans(database, client, installation.id, now, report)
        except SaleorError as error:
            report.failures += 1
            logger.warning("%s: offer clean-up failed: %s", installation.saleor_api_url, error)
    return report


def offer_of(trigger: Trigger) -> OfferTerms | None:
    show = trigger.document.get("show") or {}
    if show.get("type") != "offer":
        return None
    return parse_rule(trigger.document).show.offer


def _offers(
    database: Database, installation_id: int | None, trigger_id: str | None
) -> list[tuple[Installation, list[_Offer]]]:
    with database.session() as session:
        query = select(Trigger).where(Trigger.enabled.is_(True)).order_by(Trigger.id)
        if installation_id is not None:
            query = query.where(Trigger.installation_id == installation_id)
        if trigger_id is not None:
            query = query.where(Trigger.id == trigger_id)
        found: dict[int, list[_Offer]] = {}
        for trigger in session.scalars(query):
            terms = offer_of(trigger)
            if terms is not None:
                channels = tuple(trigger.document.get("channels") or ())
                offer = _Offer(trigger.id, trigger.name, trigger.version, terms, channels)
                found.setdefault(trigger.installation_id, []).append(offer)
        installations = [session.get(Installation, pk) for pk in sorted(found)]
        session.expunge_all()
    return [(i, found[i.id]) for i in installations if i is not None]


def _voucher_input(offer: _Offer) -> dict[str, Any]:
    return {
        "name": f"Saleor Proactive: {offer.name}"[:255],
        "type": "ENTIRE_ORDER",
        "discountValueType": "PERCENTAGE" if offer.terms.is_percentage else "FIXED",
        "singleUse": True,
        "applyOncePerOrder": False,
    }


def _channel_ids(session: Session, installation_id: int, slugs: tuple[str, ...]) -> list[str]:
    query = select(Channel.saleor_id).where(Channel.installation_id == installation_id)
    if slugs:
        query = query.where(Channel.slug.in_(slugs))
    return sorted(session.scalars(query))


def _sync_voucher(
    database: Database,
    client: SaleorClient,
    installation_id: int,
    offer: _Offer,
    pool_size: int,
    report: PoolReport,
) -> None:
    with database.session() as session:
        voucher = session.scalar(
            select(OfferVoucher).where(OfferVoucher.trigger_id == offer.trigger_id)
        )
        if voucher is not None and voucher.synced_version == offer.version and voucher.active:
            return
        channel_ids = _channel_ids(session, installation_id, offer.channels)
        known = (voucher.voucher_id, list(voucher.channel_ids)) if voucher else None
    listed: list[str] = []
    if known is None:
        voucher_id = _create_voucher(database, client, installation_id, offer, pool_size, report)
    else:
        voucher_id, listed = known
        client.update_voucher(voucher_id, {**_voucher_input(offer), "endDate": None})
        report.vouchers_updated += 1
    value = str(offer.terms.discount_value)
    minimum = offer.terms.minimum_cart_value
    add = [
        {"channelId": channel_id, "discountValue": value}
        | ({"minAmountSpent": str(minimum)} if minimum else {})
        for channel_id in channel_ids
    ]
    removed = [channel_id for channel_id in listed if channel_id not in channel_ids]
    client.update_voucher_channels(voucher_id, {"addChannels": add, "removeChannels": removed})
    with database.session() as session:
        row = session.scalar(
            select(OfferVoucher).where(OfferVoucher.trigger_id == offer.trigger_id)
        )
        if row is not None:
            row.synced_version, row.channel_ids, row.active = offer.version, channel_ids, True


def _create_voucher(
    database: Database,
    client: SaleorClient,
    installation_id: int,
    offer: _Offer,
    pool_size: int,
    report: PoolReport,
) -> str:
    """Saleor 3.23 refuses a voucher without a code: it is made with the pool's first batch,
    and stored at once (version 0, no channels yet), so a failure further on is redone on the
    same voucher rather than leaving one behind in Saleor."""
    codes = [new_code() for _ in range(min(max(pool_size, 1), MAX_CODES_PER_CALL))]
    voucher_id = client.create_voucher({**_voucher_input(offer), "addCodes": codes})
    with database.session() as session:
        session.add(
            OfferVoucher(
                installation_id=installation_id,
                trigger_id=offer.trigger_id,
                voucher_id=voucher_id,
                synced_version=0,
                channel_ids=[],
                active=True,
            )
        )
        session.add_all(_code_rows(installation_id, offer.trigger_id, codes))
    report.vouchers_created += 1
    report.codes_created += len(codes)
    return voucher_id


def _code_rows(installation_id: int, trigger_id: str, codes: list[str]) -> list[OfferCode]:
    return [
        OfferCode(installation_id=installation_id, trigger_id=trigger_id, code=code)
        for code in codes
    ]


def unclaimed(trigger_id: str) -> ColumnElement[bool]:
    """Codes of the trigger's pool: never claimed, and neither spent nor removed since."""
    return and_(
        OfferCode.trigger_id == trigger_id,
        OfferCode.visitor_id.is_(None),
        OfferCode.spent_at.is_(None),
        OfferCode.removed_at.is_(None),
    )


def _top_up(
    database: Database,
    client: SaleorClient,
    installation_id: int,
    offer: _Offer,
    pool_size: int,
    report: PoolReport,
) -> None:
    with database.session() as session:
        voucher_id = session.scalar(
            select(OfferVoucher.voucher_id).where(OfferVoucher.trigger_id == offer.trigger_id)
        )
        ready = session.scalar(
            select(func.count()).select_from(OfferCode).where(unclaimed(offer.trigger_id))
        )
    missing = pool_size - (ready or 0)
    while voucher_id is not None and missing > 0:
        codes = [new_code() for _ in range(min(missing, MAX_CODES_PER_CALL))]
        client.update_voucher(voucher_id, {"addCodes": codes})
        with database.session() as session:
            session.add_all(_code_rows(installation_id, offer.trigger_id, codes))
        report.codes_created += len(codes)
        missing -= len(codes)


def _check_codes(
    database: Database,
    client: SaleorClient,
    installation_id: int,
    now: datetime,
    report: PoolReport,
) -> None:
    """Each code still in play, as Saleor sees it now: spent (inactive), gone, or claimed and
    past its expiry (then deleted). Only these are asked about, so the pages stop early."""
    with database.session() as session:
        rows = session.execute(
            select(OfferCode.id, OfferCode.code, OfferCode.expires_at, OfferVoucher.voucher_id)
            .join(OfferVoucher, OfferVoucher.trigger_id == OfferCode.trigger_id)
            .where(
                OfferCode.installation_id == installation_id,
                OfferCode.order_id.is_(None),
                OfferCode.spent_at.is_(None),
                OfferCode.removed_at.is_(None),
            )
        ).all()
    by_voucher: dict[str, dict[str, tuple[int, bool]]] = {}  # code -> (row id, expired)
    for row_id, code, expires_at, voucher_id in rows:
        expired_at_now = expires_at is not None and expires_at < now
        by_voucher.setdefault(voucher_id, {})[code] = (row_id, expired_at_now)
    for voucher_id, codes in by_voucher.items():
        in_saleor = client.voucher_code_states(voucher_id, codes)
        spent = [codes[c][0] for c, (_, active) in in_saleor.items() if not active]
        expired = [c for c, (_, active) in in_saleor.items() if active and codes[c][1]]
        ids = [in_saleor[c][0] for c in expired]
        for start in range(0, len(ids), MAX_CODES_PER_CALL):
            client.delete_voucher_codes(ids[start : start + MAX_CODES_PER_CALL])
        # Gone from Saleor (deleted by staff, or by an earlier run whose commit failed) or
        # deleted now: either way no longer usable. The rows stay, marked, so that a visitor's
        # claims still count towards today's cap; the retention purge takes them later.
        removed = [codes[c][0] for c in codes if c not in in_saleor] + [
            codes[c][0] for c in expired
        ]
        with database.session() as session:
            _mark(session, spent, spent_at=now)
            _mark(session, removed, removed_at=now)
        report.codes_spent += len(spent)
        report.codes_removed += len(removed)


def _mark(session: Session, row_ids: list[int], **values: datetime) -> None:
    """The codes' hold ends with them: their visitors may claim a new one."""
    if row_ids:
        session.execute(
            update(OfferCode).where(OfferCode.id.in_(row_ids)).values(holder=None, **values)
        )


def _deactivate_orphans(
    database: Database,
    client: SaleorClient,
    installation_id: int,
    now: datetime,
    report: PoolReport,
) -> None:
    with database.session() as session:
        vouchers = session.execute(
            select(OfferVoucher.id, OfferVoucher.trigger_id, OfferVoucher.voucher_id).where(
                OfferVoucher.installation_id == installation_id, OfferVoucher.active.is_(True)
            )
        ).all()
        triggers = {
            t.id: t
            for t in session.scalars(
                select(Trigger).where(Trigger.id.in_([v.trigger_id for v in vouchers]))
            )
        }
        orphans = [
            (row_id, trigger_id, voucher_id)
            for row_id, trigger_id, voucher_id in vouchers
            if trigger_id not in triggers or offer_of(triggers[trigger_id]) is None
        ]
    for row_id, trigger_id, voucher_id in orphans:
        # An end date in the past stops every code, claimed ones too; the voucher stays in
        # Saleor so that its orders keep their history.
        client.update_voucher(voucher_id, {"endDate": now.isoformat()})
        with database.session() as session:
            session.execute(
                delete(OfferCode).where(
                    OfferCode.trigger_id == trigger_id, OfferCode.visitor_id.is_(None)
                )
            )
            voucher = session.get(OfferVoucher, row_id)
            if voucher is not None:
                voucher.active = False
        report.vouchers_deactivated += 1
