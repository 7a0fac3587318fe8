"""What the merchant sees before turning reminders on: a rendered sample in any language, and
a test message to their own address through the shop's mail server (or the operator's)."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from decimal import Decimal

from ..chat.mail import send
from ..config import Settings
from ..merchant_settings.document import MerchantSettings
from ..saleor.addresses import NonPublicAddress
from ..store.mail_server import MailServerUnreadable
from ..store.merchant_settings import load_settings
from ..store.models import Installation
from .delivery import PermanentFailure, email_message, smtp_config
from .message import Line, Reminder, texts_for

SAMPLE_LINES = (
    Line("Colombia Huila 1 kg", 2, Decimal("38.00")),
    Line("Burr Grinder", 1, Decimal("189.00")),
)


@dataclass(frozen=True)
class Preview:
    subject: str
    html: str
    text: str


def sample_reminder(settings: MerchantSettings, locale: str, shop: str, currency: str) -> Reminder:
    texts = texts_for(settings.reminders, locale, shop)
    link = settings.reminders.checkout_link("00000000-0000-0000-0000-000000000000")
    return Reminder(
        shop=shop,
        locale=locale,
        subject=texts.subject,
        intro=texts.intro,
        heading=texts.heading,
        button=texts.button,
        lines=SAMPLE_LINES,
        total=sum((line.total for line in SAMPLE_LINES), Decimal(0)),
        currency=currency,
        remaining_to_free_shipping=None,
        link=link or "https://shop.example/checkout",
        unsubscribe_link="https://shop.example/unsubscribe",
    )


def preview(settings: MerchantSettings, locale: str, shop: str, currency: str = "EUR") -> Preview:
    reminder = sample_reminder(settings, locale, shop, currency)
    return Preview(reminder.subject, reminder.html(settings.theme), reminder.text())


def send_test(
    app_settings: Settings, installation: Installation, to: str, locale: str, shop: str
) -> str | None:
    """Send the sample to `to`; None when the mail server took it, else what went wrong, in
    words the merchant can act on (never the server's own text)."""
    settings = load_settings(installation)
    try:
        config = smtp_config(installation, app_settings)
    except (PermanentFailure, MailServerUnreadable) as failure:
        return str(failure)
    reminder = sample_reminder(settings, locale, shop, "EUR")
    message = email_message(config, to, reminder, settings.theme, "test")
    message.replace_header("Subject", f"[Test] {reminder.subject}")
    try:
        send(config, message)
    except smtplib.SMTPRecipientsRefused:
        return "the mail server refused this address"
    except smtplib.SMTPAuthenticationError:
        return "the mail server refused the user name or password"
    except smtplib.SMTPResponseException as error:
        return f"the mail server refused the message ({error.smtp_code})"
    except NonPublicAddress:
        return "the mail server's name leads to a private address; it must be on the internet"
    except (OSError, smtplib.SMTPException):
        return "the mail server could not be reached"
    return None
