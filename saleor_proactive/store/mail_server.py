"""The shop's own mail server: an SMTP URL as `chat/mail.py` reads it, password included,
encrypted at rest in `installations.mail_server_encrypted`. Reminders and the chat's emails go
through it when set, else through the operator's `PROACTIVE_SMTP_URL`.

A value that no longer decrypts (PROACTIVE_SECRET_KEY changed) is an error, never a silent
fall back to the operator's server: the shop's mail would leave under another sender.
"""

from __future__ import annotations

import ipaddress
from dataclasses import replace

from ..chat.mail import SmtpConfig, SmtpUrlError, parse_smtp_url
from ..config import Settings
from ..saleor.addresses import is_public
from ..saleor.allowlist import names_host
from .crypto import InvalidToken, TokenCipher
from .models import Installation

PURPOSE = b"saleor-proactive/mail-server"
UNREADABLE = "the shop's mail server setting cannot be read; enter it again"
MAX_URL_LENGTH = 2048


class MailServerUnreadable(Exception):
    def __init__(self) -> None:
        super().__init__(UNREADABLE)


def _cipher(secret: str, installation_id: int) -> TokenCipher:
    # Bound to the shop as well: a value copied into another shop's row does not decrypt.
    return TokenCipher(secret, PURPOSE + b"/" + str(installation_id).encode())


def check_url(url: str, allowed_patterns: tuple[str, ...]) -> SmtpConfig:
    """The URL as the merchant may set it; SmtpUrlError naming what is wrong."""
    if len(url) > MAX_URL_LENGTH:
        raise SmtpUrlError(f"is longer than {MAX_URL_LENGTH} characters")
    config = _shop_config(parse_smtp_url(url.strip()), allowed_patterns)
    if config.scheme == "smtp" and config.password:
        raise SmtpUrlError(
            "would send the password unencrypted: use smtps:// (port 465) or "
            "smtp+starttls:// (port 587)"
        )
    if config.public_only and _private_ip(config.host):
        raise SmtpUrlError("names a private address; the mail server must be on the internet")
    return config


def set_mail_server(installation: Installation, url: str, settings: Settings) -> SmtpConfig:
    config = check_url(url, settings.allowed_saleor_urls)
    secret = settings.require_secret_key()
    installation.mail_server_encrypted = _cipher(secret, installation.id).encrypt(url.strip())
    return config


def clear_mail_server(installation: Installation) -> None:
    installation.mail_server_encrypted = None


def shop_mail_server(installation: Installation, settings: Settings) -> SmtpConfig | None:
    """The shop's own server; None when it has none; MailServerUnreadable when it cannot be
    decrypted (or no longer passes the checks)."""
    if installation.mail_server_encrypted is None:
        return None
    if not settings.secret_key:
        raise MailServerUnreadable()
    try:
        url = _cipher(settings.secret_key, installation.id).decrypt(
            installation.mail_server_encrypted
        )
        return _shop_config(parse_smtp_url(url), settings.allowed_saleor_urls)
    except (InvalidToken, SmtpUrlError):
        raise MailServerUnreadable() from None


def mail_server(installation: Installation, settings: Settings) -> SmtpConfig | None:
    """Where this shop's mail goes: its own server, else the operator's, else None."""
    own = shop_mail_server(installation, settings)
    if own is not None:
        return own
    return parse_smtp_url(settings.smtp_url) if settings.smtp_url else None


def mail_configured(installation: Installation, settings: Settings) -> bool:
    """Whether mail is meant to go (a setting that cannot be read still counts: what waits on
    it is kept, and goes once the merchant enters it again)."""
    return installation.mail_server_encrypted is not None or bool(settings.smtp_url)


def _shop_config(config: SmtpConfig, allowed_patterns: tuple[str, ...]) -> SmtpConfig:
    return replace(config, public_only=not names_host(config.host, allowed_patterns))


def _private_ip(host: str) -> bool:
    """A literal address (or `localhost`) that is not public; names are checked on connect."""
    if host == "localhost":
        return True
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return not is_public(host)
