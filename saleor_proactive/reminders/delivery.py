"""Sending one reminder at most once: claim the row, check it still applies, send, record.

The claim is a conditional update committed before any connection to the mail server, so of
all the workers (and duplicate tasks) that reach a row, one sends. The row's lease bounds how
long a claim may stay open; a claim past it is recorded as uncertain by the scan and never
retried (the message may have left just before the worker died). A mail server that fails
gets the reminder again with backoff, `MAX_ATTEMPTS` times in all; then it is recorded as
failed. An address the server refuses for good is failed at once and suppressed.
"""

from __future__ import annotations

import logging
import smtplib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..chat.mail import ADDRESS, DeliveryUnknown, SmtpConfig, send
from ..config import Settings
from ..merchant_settings.sections import Theme
from ..saleor.addresses import NonPublicAddress
from ..store.db import Database
from ..store.mail_server import MailServerUnreadable, mail_server
from ..store.merchant_settings import load_settings
from ..store.models import (
    CheckoutSnapshot,
    Installation,
    OrderSnapshot,
    ProductSnapshot,
    ReminderDelivery,
    ReminderSuppression,
    Visitor,
    utcnow,
)
from ..store.thresholds import free_shipping_threshold
from ..store.upserts import insert_for
from ..triggers.cart_value import cart_facts, threshold_for
from .due import ACTIVE_WITHIN
from .links import click_link, unsubscribe_link
from .message import Line, Reminder, locale_of, texts_for
from .signing import SigningKey, signing_key
from .webhook import post_reminder

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
UNCERTAIN_SEND = "the connection broke while the message was sent; not sent again in case it went"
RETRY_BASE = timedelta(minutes=1)  # then 2, 4, 8 minutes
# The shop's mail server setting cannot be read: the reminders wait for it to be entered again,
# without using up their attempts.
UNREADABLE_RETRY = timedelta(minutes=15)


class PermanentFailure(Exception):
    """The reminder can never be delivered to this address."""


@dataclass(frozen=True)
class Claim:
    delivery_id: int
    token: str


def claim(session: Session, delivery_id: int, now: datetime, lease: timedelta) -> Claim | None:
    """Take the row for this worker, or None when another has it or it is not due."""
    token = str(uuid.uuid4())
    result: Any = session.execute(
        update(ReminderDelivery)
        .where(
            ReminderDelivery.id == delivery_id,
            ReminderDelivery.state.in_(("pending", "retry")),
            ReminderDelivery.next_attempt_at <= now,
        )
        .values(
            state="claimed",
            claim_token=token,
            lease_until=now + lease,
            attempts=ReminderDelivery.attempts + 1,
        )
    )
    return Claim(delivery_id, token) if result.rowcount == 1 else None


def finish(session: Session, held: Claim, state: str, **values: object) -> bool:
    """Record the outcome, only while this claim is the row's (or the scan took it for
    uncertain meanwhile: what happened is now known)."""
    result: Any = session.execute(
        update(ReminderDelivery)
        .where(
            ReminderDelivery.id == held.delivery_id,
            ReminderDelivery.claim_token == held.token,
            ReminderDelivery.state.in_(("claimed", "uncertain")),
        )
        .values(state=state, lease_until=None, **values)
    )
    return result.rowcount == 1


def deliver(
    database: Database, settings: Settings, delivery_ids: list[int], now: datetime | None = None
) -> dict[str, int]:
    """Try each row; the outcomes counted (a row another worker holds counts as `skipped`)."""
    counts: dict[str, int] = {}
    for delivery_id in delivery_ids:
        outcome = deliver_one(database, settings, delivery_id, now)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def deliver_one(
    database: Database, settings: Settings, delivery_id: int, now: datetime | None = None
) -> str:
    now = now or utcnow()
    lease = timedelta(seconds=settings.reminder_lease_seconds)
    with database.session() as session:  # committed before anything leaves
        held = claim(session, delivery_id, now, lease)
    if held is None:
        return "skipped"
    with database.session() as session:
        row = session.get(ReminderDelivery, delivery_id)
        assert row is not None  # claimed a moment ago; rows go only with their installation
        reason = _no_longer_applies(session, row, now)
        if reason == "active":  # back on the shop: try again after the visit
            later = now + ACTIVE_WITHIN
            finish(session, held, "retry", next_attempt_at=later, attempts=row.attempts - 1)
            return "deferred"
        if reason is not None:
            finish(session, held, "cancelled", outcome=reason)
            return "cancelled"
        attempts = row.attempts
        try:
            if row.channel == "webhook":
                request = compose_webhook(session, settings, row)
            else:
                installation = session.get(Installation, row.installation_id)
                assert installation is not None  # the delivery would be gone with it
                config = smtp_config(installation, settings)
                message = compose_email(session, settings, row, config)
        except PermanentFailure as failure:
            finish(session, held, "failed", outcome=str(failure))
            return "failed"
        except MailServerUnreadable as unreadable:
            return _wait_for_setting(session, held, row, str(unreadable), now)
    if row.channel == "webhook":
        return _post(database, settings, held, attempts, request, now)
    return _send(database, held, attempts, (config, message), now)


@dataclass(frozen=True)
class WebhookRequest:
    url: str
    body: dict[str, Any]
    key: SigningKey
    delivery_key: str


def compose_webhook(session: Session, settings: Settings, row: ReminderDelivery) -> WebhookRequest:
    installation = session.get(Installation, row.installation_id)
    assert installation is not None
    url = load_settings(installation).reminders.webhook_url
    if url is None:
        raise PermanentFailure("the webhook address was removed")
    reminder = compose(session, settings, row)
    body = {
        "event": "cart_reminder",
        "step": row.step,
        "checkoutId": row.checkout_id,
        "email": row.email,
        "channel": row.channel_slug,
        **reminder.as_json(),
    }
    key = signing_key(session, settings.secret_key or "")
    return WebhookRequest(url, body, key, delivery_key(row))


def delivery_key(row: ReminderDelivery) -> str:
    return f"{row.installation_id}:{row.checkout_id}:{row.step}"


def _post(
    database: Database,
    settings: Settings,
    held: Claim,
    attempts: int,
    request: WebhookRequest,
    now: datetime,
) -> str:
    outcome = post_reminder(
        request.url, request.body, request.key, request.delivery_key, settings.allowed_saleor_urls
    )
    if outcome.ok:
        with database.session() as session:
            finish(session, held, "sent", sent_at=utcnow(), outcome=None)
        return "sent"
    if outcome.permanent:
        with database.session() as session:
            finish(session, held, "failed", outcome=outcome.detail)
        return "failed"
    return _retry(database, held, attempts, outcome.detail, now)


def _send(
    database: Database,
    held: Claim,
    attempts: int,
    mail: tuple[SmtpConfig, EmailMessage],
    now: datetime,
) -> str:
    config, message = mail
    try:
        send(config, message)
    except DeliveryUnknown:
        with database.session() as session:
            finish(session, held, "uncertain", outcome=UNCERTAIN_SEND)
        return "uncertain"
    except smtplib.SMTPRecipientsRefused as refused:
        codes = [code for code, _text in refused.recipients.values()]
        if codes and all(code >= 500 for code in codes):
            return _bounced(
                database, held, message["To"], f"refused by the mail server ({codes[0]})"
            )
        return _retry(database, held, attempts, f"recipient refused for now ({codes})", now)
    except smtplib.SMTPResponseException as error:
        if error.smtp_code >= 500:  # the message refused for good, not the address
            with database.session() as session:
                reason = f"refused by the mail server ({error.smtp_code})"
                finish(session, held, "failed", outcome=reason)
            return "failed"
        return _retry(database, held, attempts, f"mail server answered {error.smtp_code}", now)
    except NonPublicAddress:
        reason = "the mail server's name leads to a private address"
        return _retry(database, held, attempts, reason, now)
    except (OSError, smtplib.SMTPException) as error:
        return _retry(
            database, held, attempts, f"mail server unreachable: {type(error).__name__}", now
        )
    with database.session() as session:
        finish(session, held, "sent", sent_at=utcnow(), outcome=None)
    return "sent"


def _wait_for_setting(
    session: Session, held: Claim, row: ReminderDelivery, reason: str, now: datetime
) -> str:
    """Keep the reminder, with the reason, until the merchant enters the setting again; the
    attempt is not counted (the mail server was never tried)."""
    later = now + UNREADABLE_RETRY
    finish(session, held, "retry", next_attempt_at=later, attempts=row.attempts - 1, outcome=reason)
    logger.warning("reminder %s: %s", held.delivery_id, reason)
    return "retry"


def _retry(database: Database, held: Claim, attempts: int, reason: str, now: datetime) -> str:
    with database.session() as session:
        if attempts >= MAX_ATTEMPTS:
            finish(session, held, "failed", outcome=f"gave up after {attempts} attempts: {reason}")
            return "failed"
        delay = RETRY_BASE * 2 ** (attempts - 1)
        finish(session, held, "retry", next_attempt_at=now + delay, outcome=reason)
    logger.warning("reminder %s: %s; retrying in %s", held.delivery_id, reason, delay)
    return "retry"


def _bounced(database: Database, held: Claim, address: str, reason: str) -> str:
    with database.session() as session:
        row = session.get(ReminderDelivery, held.delivery_id)
        finish(session, held, "failed", outcome=reason)
        if row is not None:
            suppress(session, row.installation_id, address, "bounced")
    return "failed"


def suppress(session: Session, installation_id: int, email: str, reason: str) -> None:
    """Never write to this address again for this shop; pending reminders to it are cancelled."""
    address = email.strip().lower()
    session.execute(
        insert_for(session, ReminderSuppression)
        .values(installation_id=installation_id, email=address, reason=reason, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["installation_id", "email"])
    )
    session.execute(
        update(ReminderDelivery)
        .where(
            ReminderDelivery.installation_id == installation_id,
            ReminderDelivery.email.ilike(address),
            ReminderDelivery.state.in_(("pending", "retry")),
        )
        .values(state="cancelled", outcome=reason)
    )


def _no_longer_applies(session: Session, row: ReminderDelivery, now: datetime) -> str | None:
    """Why the reminder should not go any more, checked again right before it goes."""
    checkout = _checkout(session, row)
    if checkout is None or checkout.items_quantity == 0:
        return "the cart was emptied"
    if checkout.fully_paid or session.scalar(
        select(OrderSnapshot.id).where(
            OrderSnapshot.installation_id == row.installation_id,
            OrderSnapshot.checkout_id == row.checkout_id,
        )
    ):
        return "an order arrived"
    if session.scalar(
        select(ReminderSuppression.id).where(
            ReminderSuppression.installation_id == row.installation_id,
            ReminderSuppression.email == row.email.lower(),
        )
    ):
        return "the address unsubscribed"
    if session.scalar(
        select(Visitor.id).where(
            Visitor.installation_id == row.installation_id,
            Visitor.checkout_id == row.checkout_id,
            Visitor.last_seen_at > now - ACTIVE_WITHIN,
        )
    ):
        return "active"
    return None


def _checkout(session: Session, row: ReminderDelivery) -> CheckoutSnapshot | None:
    return session.scalar(
        select(CheckoutSnapshot).where(
            CheckoutSnapshot.installation_id == row.installation_id,
            CheckoutSnapshot.checkout_id == row.checkout_id,
        )
    )


def compose(session: Session, settings: Settings, row: ReminderDelivery) -> Reminder:
    """The reminder for this row from what the app stores (catalogue names, thresholds)."""
    installation = session.get(Installation, row.installation_id)
    checkout = _checkout(session, row)
    assert installation is not None and checkout is not None
    reminders = load_settings(installation).reminders
    link = reminders.checkout_link(checkout.token or "")
    if link is None:
        raise PermanentFailure("no checkout link pattern is set")
    public_url, secret = _link_base(settings)
    locale = locale_of(checkout.language_code)
    shop = shop_name(installation)
    texts = texts_for(reminders, locale, shop)
    facts = cart_facts(checkout)
    threshold = threshold_for(
        checkout,
        free_shipping_threshold(
            session, installation, checkout.channel_slug, checkout.shipping_country
        ),
    )
    remaining = None
    if threshold is not None and threshold.currency == checkout.currency:
        gap = threshold.amount - facts.value
        remaining = gap if gap > 0 else None
    return Reminder(
        shop=shop,
        locale=locale,
        subject=texts.subject,
        intro=texts.intro,
        heading=texts.heading,
        button=texts.button,
        lines=_lines(session, row.installation_id, checkout),
        total=checkout.total_gross,
        currency=checkout.currency,
        remaining_to_free_shipping=remaining,
        link=click_link(public_url, secret, row.id),
        unsubscribe_link=unsubscribe_link(public_url, secret, row.installation_id, row.email),
    )


def compose_email(
    session: Session, settings: Settings, row: ReminderDelivery, config: SmtpConfig
) -> EmailMessage:
    if not ADDRESS.fullmatch(row.email):  # not one a mail server could deliver to
        raise PermanentFailure("not a valid email address")
    reminder = compose(session, settings, row)
    installation = session.get(Installation, row.installation_id)
    assert installation is not None
    theme = load_settings(installation).theme
    return email_message(config, row.email, reminder, theme, delivery_key(row))


def email_message(
    config: SmtpConfig, to: str, reminder: Reminder, theme: Theme, key: str
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = config.sender
    message["To"] = to
    message["Subject"] = reminder.subject
    # RFC 2369 and RFC 8058: mail clients show their own unsubscribe button, one POST.
    message["List-Unsubscribe"] = f"<{reminder.unsubscribe_link}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["X-Proactive-Reminder"] = key
    message.set_content(reminder.text())
    message.add_alternative(reminder.html(theme), subtype="html")
    return message


def _lines(session: Session, installation_id: int, checkout: CheckoutSnapshot) -> tuple[Line, ...]:
    product_ids = [line.get("productId") for line in checkout.lines if line.get("productId")]
    names = dict(
        session.execute(
            select(ProductSnapshot.product_id, ProductSnapshot.name).where(
                ProductSnapshot.installation_id == installation_id,
                ProductSnapshot.product_id.in_(product_ids),
            )
        ).all()
    )
    return tuple(
        Line(
            name=names.get(line.get("productId") or "", "Item"),
            quantity=int(line["quantity"]),
            total=Decimal(line["gross"]),
        )
        for line in checkout.lines
    )


def shop_name(installation: Installation) -> str:
    return urlsplit(installation.saleor_api_url).hostname or "the shop"


NO_MAIL_SERVER = (
    "no mail server is set: enter the shop's mail server (or the operator sets PROACTIVE_SMTP_URL)"
)


def smtp_config(installation: Installation, settings: Settings) -> SmtpConfig:
    """The shop's mail server, else the operator's; MailServerUnreadable passes through."""
    config = mail_server(installation, settings)
    if config is None:
        raise PermanentFailure(NO_MAIL_SERVER)
    return config


def _link_base(settings: Settings) -> tuple[str, str]:
    if not settings.public_url or not settings.secret_key:
        raise PermanentFailure("PROACTIVE_PUBLIC_URL and PROACTIVE_SECRET_KEY are needed for links")
    return settings.public_url, settings.secret_key
